"""Tolerances in units of the dtype's machine epsilon, scaled to the magnitude of the value.

A flat ``atol`` means nothing near 0 and too little far from it. Instead every
comparison here states a bound of the form

    |ours - theirs| <= ulps * eps(dtype) * max(|theirs|, scale, tiny(dtype))

* ``eps(dtype)`` is the gap between 1 and the next float of the dtype
  (2**-10 for float16, 2**-23 for float32, 2**-52 for float64): the relative
  size of one rounding step. For float16 it is float16's own eps even though
  both libraries compute in float32: the result, and for PyTorch's backward
  the saved forward output, are rounded to float16.
* ``ulps`` counts rounding steps: how many correctly rounded operations, or
  elementary functions with a documented error of a few units in the last
  place (exp, log, tanh, erf), lie between the input and the result on either
  side. Each caller says why its number is what it is.
* ``scale`` is the magnitude of the quantities whose rounding errors enter the
  result when it is not the result itself: where a formula subtracts nearly
  equal numbers (``1 - tanh(x)**2``, ``1 + erf(x)`` for ``x < 0``) the error
  is a few eps of those numbers, however small the difference is.
* ``tiny(dtype)`` (the smallest normal number) keeps the bound one unit in
  the last place of a subnormal: eps * tiny is the spacing of subnormals.

NaN must appear in the same places on both sides and infinities must be
equal; nothing else is exempt.
"""

from __future__ import annotations

import numpy as np


def eps(dtype) -> float:
    """Machine epsilon of a float dtype."""
    return float(np.finfo(dtype).eps)


def tolerance(expected, dtype, ulps: float, scale=0.0) -> np.ndarray:
    """The elementwise bound ``ulps * eps * max(|expected|, scale, tiny)``."""
    info = np.finfo(dtype)
    magnitude = np.maximum(np.abs(np.asarray(expected, dtype=np.float64)), np.asarray(scale, dtype=np.float64))
    return ulps * float(info.eps) * np.maximum(magnitude, float(info.smallest_normal))


def assert_close(actual, expected, dtype, ulps: float, scale=0.0, what: str = "") -> None:
    """Assert ``actual`` is within :func:`tolerance` of ``expected``, elementwise.

    ``actual`` must be an ``np.ndarray`` of exactly ``dtype`` and ``expected``'s
    shape. Reports the worst element in units of eps when it fails.
    """
    dtype = np.dtype(dtype)
    expected = np.asarray(expected)
    assert isinstance(actual, np.ndarray), f"{what}: expected an np.ndarray, got {type(actual).__name__}"
    assert actual.dtype == dtype, f"{what}: dtype {actual.dtype}, expected {dtype}"
    assert actual.shape == expected.shape, f"{what}: shape {actual.shape}, expected {expected.shape}"
    a = actual.astype(np.float64)
    e = expected.astype(np.float64)
    nan_a, nan_e = np.isnan(a), np.isnan(e)
    assert np.array_equal(nan_a, nan_e), f"{what}: NaN at {np.flatnonzero(nan_a)}, expected at {np.flatnonzero(nan_e)}"
    inf = np.isinf(e) | np.isinf(a)
    assert np.array_equal(a[inf], e[inf]), f"{what}: infinities differ: {a[inf]} vs {e[inf]}"
    finite = ~(nan_e | inf)
    bound = np.broadcast_to(tolerance(e, dtype, ulps, scale), e.shape)[finite]
    err = np.abs(a[finite] - e[finite])
    if err.size and np.any(err > bound):
        worst = int(np.argmax(err / bound))
        in_eps = err[worst] / (bound[worst] / ulps)
        raise AssertionError(
            f"{what}: {int(np.sum(err > bound))} of {err.size} elements beyond {ulps} eps of their scale; "
            f"worst: ours {a[finite][worst]!r}, theirs {e[finite][worst]!r}, error {in_eps:.1f} eps of its scale"
        )
