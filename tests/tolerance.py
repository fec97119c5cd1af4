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

For a result of many operations (a layer, a backward pass, an optimiser
step) :class:`Err` counts the roundings and carries them through the
formula, and :func:`two_formulas` combines two sides that evaluate different
formulas; the test then passes ``ulps=1`` and the count as ``scale``.
Sampling questions (Monte Carlo means, variances, quantiles) are not
rounding questions: :func:`assert_within_se` states them in standard errors.
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


# --------------------------------------------------------------- running error bounds
#
# Where a result comes out of several operations (a layer, a backward pass, an optimiser step), counting
# roundings by hand is error-prone. ``Err`` does the count: it carries a value and a first-order bound on
# how far two implementations of the same formula can lie apart (Wilkinson's running error analysis;
# Higham, Accuracy and Stability of Numerical Algorithms, 2nd ed., sections 3.1-3.3).


def _magnitude(x):
    return np.abs(np.asarray(x, dtype=np.float64))


class Err:
    """A value and a bound, in units of eps, on ``|ours - theirs|`` for it.

    ``Err(value)`` is an input both sides share exactly (bound 0); ``Err(value, bound)`` one they already
    disagree on by at most ``bound * eps`` elementwise. ``value`` is computed in float64 (it only gives
    magnitudes). Each operation propagates its operands' bounds through its first derivatives and adds its
    own rounding on both sides:

    * ``+ - * /`` and ``sqrt`` round once (at most ``u |result|``, ``u = eps / 2``): ``|result|`` in eps
      between the two sides;
    * ``a @ b`` with inner size ``k``: ``k |a| @ |b|`` (``k`` products and ``k - 1`` additions in any order:
      ``gamma_k |a| @ |b|`` on each side, Higham eq. 3.13);
    * ``sum``/``mean`` of ``n`` terms: ``(n - 1) sum |terms|`` (Higham eq. 4.4), then one division;
    * ``apply(f, df, ulps)``: an elementary function within ``ulps`` roundings on each side (a function
      with a documented error of 1 ulp is ``ulps=2``: one ulp is at most ``eps |f|``);
    * ``relu`` and ``max`` round nothing and are 1-Lipschitz.

    Constants (Python numbers, arrays) are exact. A constant that a side computes, like ``2 / M``, is
    written as an operation on ``Err`` (``Err(2.0) / M``) so that its rounding counts. The bound holds to
    first order in eps; terms of order eps**2 are left out.
    """

    __array_ufunc__ = None  # ndarray (op) Err defers to Err's reflected operator

    def __init__(self, value, bound=0.0):
        self.v = np.asarray(value, dtype=np.float64)
        self.e = np.broadcast_to(np.asarray(bound, dtype=np.float64), self.v.shape).copy()

    @staticmethod
    def lift(x):
        """``x`` itself if it is an ``Err``, else an exact ``Err(x)``."""
        return x if isinstance(x, Err) else Err(x)

    def _new(self, value, bound):
        return Err(value, bound + _magnitude(value))  # the operation's own rounding

    def __add__(self, other):
        o = Err.lift(other)
        return self._new(self.v + o.v, self.e + o.e)

    __radd__ = __add__

    def __sub__(self, other):
        o = Err.lift(other)
        return self._new(self.v - o.v, self.e + o.e)

    def __rsub__(self, other):
        return Err.lift(other) - self

    def __neg__(self):
        return Err(-self.v, self.e)

    def __mul__(self, other):
        o = Err.lift(other)
        return self._new(self.v * o.v, _magnitude(o.v) * self.e + _magnitude(self.v) * o.e)

    __rmul__ = __mul__

    def __truediv__(self, other):
        o = Err.lift(other)
        q = self.v / o.v
        return self._new(q, (self.e + _magnitude(q) * o.e) / _magnitude(o.v))

    def __rtruediv__(self, other):
        return Err.lift(other) / self

    def __pow__(self, n):
        assert n == 2, "only squares"
        return self * self

    def __matmul__(self, other):
        o = Err.lift(other)
        k = self.v.shape[-1]
        a, b = _magnitude(self.v), _magnitude(o.v)
        return Err(self.v @ o.v, a @ o.e + self.e @ b + k * (a @ b))

    def __rmatmul__(self, other):
        return Err.lift(other) @ self

    def __getitem__(self, index):
        return Err(self.v[index], self.e[index])

    @property
    def T(self):
        return Err(self.v.T, self.e.T)

    def reshape(self, *shape):
        return Err(self.v.reshape(*shape), self.e.reshape(*shape))

    def sum(self, axis=None, keepdims=False):
        n = self.v.size if axis is None else int(np.prod([self.v.shape[a] for a in np.atleast_1d(axis)]))
        total = self.v.sum(axis=axis, keepdims=keepdims)
        bound = self.e.sum(axis=axis, keepdims=keepdims) + max(n - 1, 0) * _magnitude(self.v).sum(
            axis=axis, keepdims=keepdims)
        return Err(total, bound)

    def mean(self, axis=None, keepdims=False):
        n = self.v.size if axis is None else int(np.prod([self.v.shape[a] for a in np.atleast_1d(axis)]))
        return self.sum(axis=axis, keepdims=keepdims) / n

    def max(self, axis=None, keepdims=False):
        return Err(self.v.max(axis=axis, keepdims=keepdims), self.e.max(axis=axis, keepdims=keepdims))

    def sqrt(self):
        root = np.sqrt(self.v)
        with np.errstate(divide="ignore", invalid="ignore"):
            through = np.where(self.e > 0, self.e / (2 * root), 0.0)
        return self._new(root, through)

    def apply(self, f, df, ulps):
        """``f`` elementwise, within ``ulps`` roundings of ``|f|`` on each side; ``df`` its derivative."""
        value = f(self.v)
        return Err(value, _magnitude(df(self.v)) * self.e + ulps * _magnitude(value))

    def relu(self):
        return Err(np.maximum(self.v, 0.0), self.e)

    def exp(self):
        return self.apply(np.exp, np.exp, 2)

    def log(self):
        return self.apply(np.log, lambda v: 1 / v, 2)

    def tanh(self):
        return self.apply(np.tanh, lambda v: 1 - np.tanh(v) ** 2, 2)

    def sigmoid(self):
        # 1 / (1 + exp(-x)): exp within an ulp, then two roundings
        s = lambda v: np.exp(-np.logaddexp(0.0, -v))  # noqa: E731  (no overflow)
        return self.apply(s, lambda v: s(v) * (1 - s(v)), 4)


def assert_within_se(measured, expected, standard_error, k: float = 5, what: str = "") -> None:
    """A statistical check: ``|measured - expected| <= k * standard_error`` (elementwise).

    Not a rounding question: the estimate's own sampling spread decides the bound. With ``k = 5`` a
    normally distributed estimate fails by chance with probability 6e-7.
    """
    measured, expected = np.asarray(measured, dtype=np.float64), np.asarray(expected, dtype=np.float64)
    se = np.asarray(standard_error, dtype=np.float64)
    z = np.abs(measured - expected) / se
    assert np.all(z <= k), f"{what}: {measured} vs {expected}: {np.max(z):.1f} standard errors (at most {k})"


def two_formulas(ours: Err, theirs: Err) -> np.ndarray:
    """The bound on ``|ours - theirs|`` when the two sides evaluate different formulas of the same value.

    An ``Err`` bound counts one formula's rounding on both sides; each side alone is within half of it,
    so two formulas are within the mean of their bounds.
    """
    return (ours.e + theirs.e) / 2
