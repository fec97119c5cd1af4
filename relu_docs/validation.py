"""Argument checks shared by every public function.

Each check names the offending argument, so a caller sees
``TypeError: x must be an array-like of numbers, got str`` rather than a
NumPy error from deep inside a formula.
"""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np

__all__ = [
    "as_array", "as_float_array", "as_generator",
    "check_scalar", "check_nonnegative", "check_probability",
]


def as_array(x, name: str = "x") -> np.ndarray:
    """Return ``x`` as a NumPy array of numbers, or raise naming ``name``.

    Float arrays keep their dtype (float16/32/64). Integer and boolean input
    is converted to float64: every activation returns floats, as
    ``torch.nn.functional`` does for floating tensors.

    >>> as_array([1, 2]).dtype
    dtype('float64')
    >>> as_array(np.float32(1.5)).dtype
    dtype('float32')
    >>> as_array("1.0")
    Traceback (most recent call last):
    ...
    TypeError: x must be an array-like of numbers, got str
    """
    if x is None or isinstance(x, (str, bytes)):
        raise TypeError(f"{name} must be an array-like of numbers, got {type(x).__name__}")
    if hasattr(x, "detach") and hasattr(x, "numpy"):  # a torch.Tensor
        x = x.detach().cpu().numpy()
    try:
        arr = np.asarray(x)
    except (TypeError, ValueError) as exc:
        raise TypeError(f"{name} must be an array-like of numbers, got {type(x).__name__}") from exc
    if arr.dtype.kind in "fc":
        if arr.dtype.kind == "c":
            raise TypeError(f"{name} must be real-valued, got dtype {arr.dtype}")
        return arr
    if arr.dtype.kind in "iub":
        return arr.astype(np.float64)
    raise TypeError(f"{name} must be an array-like of numbers, got dtype {arr.dtype}")


def check_scalar(value, name: str) -> float:
    """Return ``value`` as a finite float, or raise naming ``name``.

    >>> check_scalar(0.5, "alpha")
    0.5
    >>> check_scalar(None, "alpha")
    Traceback (most recent call last):
    ...
    TypeError: alpha must be a real number, got NoneType
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a real number, got {type(value).__name__}")
    value = float(value)
    if not np.isfinite(value):
        raise ValueError(f"{name} must be finite, got {value}")
    return value


def check_nonnegative(value, name: str) -> float:
    """Return ``value`` as a float ≥ 0, or raise naming ``name``.

    >>> check_nonnegative(-0.1, "alpha")
    Traceback (most recent call last):
    ...
    ValueError: alpha must be >= 0, got -0.1
    """
    value = check_scalar(value, name)
    if value < 0:
        raise ValueError(f"{name} must be >= 0, got {value}")
    return value


def check_probability(value, name: str = "p") -> float:
    """Return ``value`` as a float in [0, 1), or raise naming ``name``.

    >>> check_probability(1.0)
    Traceback (most recent call last):
    ...
    ValueError: p must be in [0, 1), got 1.0
    """
    value = check_scalar(value, name)
    if not 0.0 <= value < 1.0:
        raise ValueError(f"{name} must be in [0, 1), got {value}")
    return value


def as_float_array(x, name: str = "x") -> tuple[np.ndarray, np.dtype]:
    """Validate ``x``; return it in the dtype to compute in, and the dtype to return.

    float16 is computed in float32 and rounded once at the end (as PyTorch
    does on the CPU); float32 and float64 are computed in their own dtype;
    integer and boolean input is computed and returned as float64.

    >>> arr, out = as_float_array(np.array([1, 2], dtype=np.float16))
    >>> arr.dtype, out
    (dtype('float32'), dtype('float16'))
    """
    arr = as_array(x, name)
    return arr.astype(np.promote_types(arr.dtype, np.float32), copy=False), arr.dtype


def as_generator(rng: Any, name: str = "rng") -> np.random.Generator:
    """Return a NumPy ``Generator`` for ``rng``, or raise naming ``name``.

    ``rng`` is a ``numpy.random.Generator`` (used as it is, so it advances),
    a non-negative ``int`` seed, or ``None`` (fresh entropy).

    >>> int(as_generator(0).integers(10)) == int(as_generator(0).integers(10))
    True
    >>> as_generator("seed")
    Traceback (most recent call last):
    ...
    TypeError: rng must be None, a non-negative int seed or a numpy.random.Generator, got 'seed'
    """
    if rng is None or isinstance(rng, np.random.Generator):
        return np.random.default_rng(rng)
    if isinstance(rng, numbers.Integral) and not isinstance(rng, bool) and rng >= 0:
        return np.random.default_rng(int(rng))
    raise TypeError(f"{name} must be None, a non-negative int seed or a numpy.random.Generator, got {rng!r}")
