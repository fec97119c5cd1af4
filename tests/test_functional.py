"""relu_docs.functional: our special-value contract, and PyTorch where PyTorch defines the result.

Two kinds of check:

* **Against PyTorch** (``torch.nn.functional`` values, ``torch.autograd``
  derivatives) on finite input, where PyTorch's result is defined and its
  kernels agree with each other. Tolerances are in units of the dtype's
  machine epsilon scaled to the magnitude of the value (``tests/tolerance.py``);
  each bound says why it is what it is. ``tests/test_cpu_capabilities.py``
  reruns these comparisons under each of torch's CPU kernels.
* **Our own contract** for NaN, ±inf, ±0.0, subnormals, empty arrays and
  integer input, as each docstring states it, asserted directly: PyTorch does
  not define these (its ELU derivative at NaN is 1 in its scalar kernel and
  NaN in its vectorised one), so it is no oracle for them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from tolerance import assert_close

from relu_docs import functional as rf

# NumPy overflow / invalid-value warnings are bugs here (e.g. sigmoid(1000)).
pytestmark = pytest.mark.filterwarnings("error::RuntimeWarning")

DTYPES = [np.float16, np.float32, np.float64]
TORCH_DTYPE = {np.float16: torch.float16, np.float32: torch.float32, np.float64: torch.float64}

# Finite values where the functions bend, saturate or are exactly 0; long enough (> 16 elements)
# that PyTorch's vectorised kernel computes most of them and its scalar tail the rest.
EDGE = [-0.0, 0.0, -1000.0, 1000.0, -1e-3, 1e-3, -1.0, 1.0, -2.0, 2.0, -5.0, 5.0, -10.0, 10.0,
        -30.0, 30.0, -0.5, 0.5, -3.0, 3.0]


def inputs(dtype):
    """(id, array) pairs of finite input: random values of several shapes, edge values, empty arrays."""
    rng = np.random.default_rng(1234)
    return [
        ("scalar", np.asarray(rng.normal() * 3, dtype=dtype)),
        ("1d", (rng.normal(size=50) * 3).astype(dtype)),
        ("3d", (rng.normal(size=(2, 3, 4)) * 3).astype(dtype)),
        ("edge", np.array(EDGE, dtype=dtype)),
        ("empty", np.zeros(0, dtype=dtype)),
        ("empty3d", np.zeros((2, 0, 3), dtype=dtype)),
    ]


def cases():
    return [pytest.param(x, id=f"{dtype.__name__}-{name}") for dtype in DTYPES for name, x in inputs(dtype)]


# --------------------------------------------------------------- tolerances
#
# A Tol is (ulps, scale): |ours - torch| <= ulps * eps * max(|torch|, scale(x), tiny); see tests/tolerance.py.
# scale(x, kwargs) is computed in float64 from the input; None means "relative to the value".


@dataclass(frozen=True)
class Tol:
    ulps: float
    scale: Callable | None = None
    why: str = ""


# One correctly rounded operation on each side (a comparison, or slope * x): results agree to the last bit
# except where float16 is rounded from float32 on one side and computed in float16 on the other.
ONE_ROUNDING = Tol(1, None, "at most one rounding (slope * x) on each side")
# An elementary function (exp, expm1, tanh, erf) with a documented error of 1-2 ulp in each library, and one
# or two arithmetic operations around it: a few ulp on each side, so 4 between them.
FEW_ULP = Tol(4, None, "one elementary function (<= 2 ulp) and a rounding or two, on each side")


def _sigmoid64(x):
    return 1 / (1 + np.exp(-np.clip(x, -700, 700)))


# Derivatives computed from a rounded forward output: torch's backward uses y = sigmoid(x) or tanh(x) as
# saved in the dtype, and 1 - y loses relative accuracy as y -> 1; the error is a few eps of y, not of
# the (small) result.
SIGMOID_GRAD = Tol(4, lambda x, kw: _sigmoid64(x), "1 - y cancels for y -> 1: a few eps of y = sigmoid(x)")
TANH_GRAD = Tol(4, lambda x, kw: np.tanh(x) ** 2, "1 - y**2 cancels for |y| -> 1: a few eps of y**2")
# PyTorch's ELU kernel may evaluate alpha * (exp(x) - 1), which loses relative accuracy as x -> 0-:
# its error there is a few eps of alpha, whatever the size of the result.
ELU = Tol(4, lambda x, kw: np.where(x <= 0, kw.get("alpha", 1.0), 0.0), "exp(x) - 1 cancels near 0-: eps of alpha")
# PyTorch computes GELU as x/2 * (1 + erf(x/sqrt 2)) (or 1 + tanh(u)): for x < 0 the bracket cancels and
# its error is a few eps of 1, times |x|/2. (Ours uses erfc and does not cancel; the bound is PyTorch's.)
GELU = Tol(4, lambda x, kw: np.abs(x), "1 + erf cancels for x < 0: a few eps of |x|")
# Its derivative Phi(x) + x phi(x) = 1/2 (1 + erf) + x phi(x): the same cancellation, a few eps of 1.
GELU_GRAD = Tol(4, lambda x, kw: np.ones_like(x), "1 + erf cancels for x < 0: a few eps of 1")

_K = math.sqrt(2 / math.pi)
_C = 0.044715


def _gelu_tanh_grad_scale(x, kw):
    """The magnitude of the terms of torch's tanh-GELU derivative whose rounding errors enter.

    1/2 (1 + t) cancels for x < 0 (a few eps of 1/2), and x/2 (1 - t^2) K (1 + 3C x^2) multiplies the
    cancellation in 1 - t^2 (a few eps) by x/2 K (1 + 3C x^2) -- until t rounds to +-1 exactly in both
    libraries (|u| beyond atanh(1 - eps), plus a margin of 1), where that term is exactly 0.
    """
    u = _K * (x + _C * x**3)
    factor = 0.5 * np.abs(x) * _K * (1 + 3 * _C * x * x)
    saturated = np.abs(u) > math.atanh(1 - float(np.finfo(kw["_dtype"]).eps)) + 1
    return 0.5 + np.where(saturated, 0.0, factor)


GELU_TANH_GRAD = Tol(4, _gelu_tanh_grad_scale, "1 + t and 1 - t**2 cancel; the second is scaled by x/2 K (1 + 3C x**2)")


@dataclass(frozen=True)
class Spec:
    ours: Callable
    ours_grad: Callable | None
    theirs: Callable
    kwargs: dict
    value: Tol
    grad: Tol | None


ELEMENTWISE = {
    "relu": Spec(rf.relu, rf.relu_grad, torch.relu, {}, ONE_ROUNDING, ONE_ROUNDING),
    "leaky_relu": Spec(rf.leaky_relu, rf.leaky_relu_grad, F.leaky_relu, {}, ONE_ROUNDING, ONE_ROUNDING),
    "leaky_relu_0.2": Spec(rf.leaky_relu, rf.leaky_relu_grad, F.leaky_relu, {"negative_slope": 0.2},
                           ONE_ROUNDING, ONE_ROUNDING),
    "leaky_relu_0": Spec(rf.leaky_relu, rf.leaky_relu_grad, F.leaky_relu, {"negative_slope": 0.0},
                         ONE_ROUNDING, ONE_ROUNDING),
    "elu": Spec(rf.elu, rf.elu_grad, F.elu, {}, ELU, FEW_ULP),
    "elu_0.5": Spec(rf.elu, rf.elu_grad, F.elu, {"alpha": 0.5}, ELU, FEW_ULP),
    "elu_0": Spec(rf.elu, rf.elu_grad, F.elu, {"alpha": 0.0}, ELU, FEW_ULP),
    "sigmoid": Spec(rf.sigmoid, rf.sigmoid_grad, torch.sigmoid, {}, FEW_ULP, SIGMOID_GRAD),
    "tanh": Spec(rf.tanh, rf.tanh_grad, torch.tanh, {}, FEW_ULP, TANH_GRAD),
    "gelu": Spec(rf.gelu, rf.gelu_grad, F.gelu, {}, GELU, GELU_GRAD),
    "gelu_tanh": Spec(rf.gelu, rf.gelu_grad, F.gelu, {"approximate": "tanh"}, GELU, GELU_TANH_GRAD),
    # (lower + upper) / 2 rounded to the dtype, then one multiplication: two roundings.
    "rrelu_eval": Spec(rf.rrelu, None, F.rrelu, {"training": False}, Tol(2), None),
    "rrelu_eval_0.1_0.3": Spec(rf.rrelu, None, F.rrelu, {"lower": 0.1, "upper": 0.3, "training": False},
                               Tol(2), None),
}


def torch_value_and_grad(fn, x, **kwargs):
    """fn(x) and d sum(fn(x)) / dx from torch.autograd, as NumPy arrays in x's dtype."""
    t = torch.tensor(x, dtype=TORCH_DTYPE[x.dtype.type], requires_grad=True)
    y = fn(t, **kwargs)
    y.sum().backward()
    return y.detach().numpy(), t.grad.numpy()


def check(ours, expected, x, tol: Tol, kwargs, what):
    x64 = x.astype(np.float64)
    scale = 0.0 if tol.scale is None else tol.scale(x64, {**kwargs, "_dtype": x.dtype})
    assert_close(ours, expected, x.dtype, tol.ulps, scale, what=f"{what} ({tol.why or f'{tol.ulps} eps'})")


@pytest.mark.parametrize("x", cases())
@pytest.mark.parametrize("name", ELEMENTWISE)
def test_elementwise_matches_torch(name, x):
    spec = ELEMENTWISE[name]
    value, grad = torch_value_and_grad(spec.theirs, x, **spec.kwargs)
    check(spec.ours(x, **spec.kwargs), value, x, spec.value, spec.kwargs, f"{name} value")
    if spec.ours_grad is not None:
        check(spec.ours_grad(x, **spec.kwargs), grad, x, spec.grad, spec.kwargs, f"{name} derivative")


@pytest.mark.parametrize("name", ELEMENTWISE)
@pytest.mark.parametrize("x", [[-2, -1, 0, 1, 2], [True, False], np.arange(-3, 3, dtype=np.int32)])
def test_integer_and_bool_input_gives_float64(name, x):
    spec = ELEMENTWISE[name]
    x64 = np.asarray(x, dtype=np.float64)
    value, grad = torch_value_and_grad(spec.theirs, x64, **spec.kwargs)
    check(spec.ours(x, **spec.kwargs), value, x64, spec.value, spec.kwargs, f"{name} value")
    if spec.ours_grad is not None:
        check(spec.ours_grad(x, **spec.kwargs), grad, x64, spec.grad, spec.kwargs, f"{name} derivative")


# ------------------------------------------------------- special values: our contract

NAN, INF = math.nan, math.inf
# Each docstring's "Special values" paragraph, as (input, expected value) pairs (not a dict: 0.0 == -0.0). -0.0 means the sign
# bit must be set, 0.0 that it must be clear. "sub" stands for the dtype's smallest positive subnormal.
SPECIAL = {
    "relu": [(NAN, NAN), (INF, INF), (-INF, 0.0), (0.0, 0.0), (-0.0, -0.0), ("sub", "sub"), ("-sub", 0.0)],
    "relu_grad": [(NAN, NAN), (INF, 1.0), (-INF, 0.0), (0.0, 0.0), (-0.0, 0.0), ("sub", 1.0), ("-sub", 0.0)],
    "leaky_relu": [(NAN, NAN), (INF, INF), (-INF, -INF), (0.0, 0.0), (-0.0, -0.0), ("sub", "sub")],
    "leaky_relu_grad": [(NAN, NAN), (INF, 1.0), (-INF, 0.01), (0.0, 0.01), (-0.0, 0.01), ("sub", 1.0), ("-sub", 0.01)],
    "leaky_relu_slope0": [(NAN, NAN), (INF, INF), (-INF, -0.0), (0.0, 0.0), (-0.0, -0.0)],
    "prelu_0": [(NAN, NAN), (INF, INF), (-INF, -0.0), (0.0, 0.0), (-0.0, -0.0)],
    "prelu_neg": [(NAN, NAN), (INF, INF), (-INF, INF), (0.0, -0.0), (-0.0, 0.0)],
    "rrelu_0_0": [(NAN, NAN), (INF, INF), (-INF, -0.0), (-0.0, -0.0)],
    "elu": [(NAN, NAN), (INF, INF), (-INF, -1.0), (0.0, 0.0), (-0.0, -0.0), ("sub", "sub")],
    "elu_grad": [(NAN, NAN), (INF, 1.0), (-INF, 0.0), (0.0, 1.0), (-0.0, 1.0)],
    "elu_grad_0.5": [(NAN, NAN), (INF, 1.0), (-INF, 0.0), (0.0, 0.5), (-0.0, 0.5)],
    "sigmoid": [(NAN, NAN), (INF, 1.0), (-INF, 0.0), (0.0, 0.5), (-0.0, 0.5), ("sub", 0.5), ("-sub", 0.5)],
    "sigmoid_grad": [(NAN, NAN), (INF, 0.0), (-INF, 0.0), (0.0, 0.25), (-0.0, 0.25)],
    "tanh": [(NAN, NAN), (INF, 1.0), (-INF, -1.0), (0.0, 0.0), (-0.0, -0.0), ("sub", "sub"), ("-sub", "-sub")],
    "tanh_grad": [(NAN, NAN), (INF, 0.0), (-INF, 0.0), (0.0, 1.0), (-0.0, 1.0)],
    "gelu": [(NAN, NAN), (INF, INF), (-INF, -0.0), (0.0, 0.0), (-0.0, -0.0)],
    "gelu_grad": [(NAN, NAN), (INF, 1.0), (-INF, 0.0), (0.0, 0.5), (-0.0, 0.5)],
    "gelu_tanh": [(NAN, NAN), (INF, INF), (-INF, -0.0), (0.0, 0.0), (-0.0, -0.0)],
    "gelu_tanh_grad": [(NAN, NAN), (INF, 1.0), (-INF, 0.0), (0.0, 0.5), (-0.0, 0.5)],
    "scaled_tanh": [(NAN, NAN), (INF, 1.7159), (-INF, -1.7159), (0.0, 0.0), (-0.0, -0.0)],
    "normal_cdf": [(NAN, NAN), (INF, 1.0), (-INF, 0.0), (0.0, 0.5), (-0.0, 0.5)],
    "gelu_sigmoid_approx": [(NAN, NAN), (INF, INF), (-INF, -0.0), (0.0, 0.0), (-0.0, -0.0)],
    "silu": [(NAN, NAN), (INF, INF), (-INF, -0.0), (0.0, 0.0), (-0.0, -0.0)],
    "logit": [(NAN, NAN), (0.0, -INF), (1.0, INF), (-0.5, NAN), (1.5, NAN), (INF, NAN), (-0.0, -INF)],
}
CALLS = {
    "relu": rf.relu, "relu_grad": rf.relu_grad,
    "leaky_relu": rf.leaky_relu, "leaky_relu_grad": rf.leaky_relu_grad,
    "leaky_relu_slope0": lambda x: rf.leaky_relu(x, negative_slope=0.0),
    "prelu_0": lambda x: rf.prelu(x, 0.0), "prelu_neg": lambda x: rf.prelu(x, -0.5),
    "rrelu_0_0": lambda x: rf.rrelu(x, lower=0.0, upper=0.0),
    "elu": rf.elu, "elu_grad": rf.elu_grad, "elu_grad_0.5": lambda x: rf.elu_grad(x, alpha=0.5),
    "sigmoid": rf.sigmoid, "sigmoid_grad": rf.sigmoid_grad,
    "tanh": rf.tanh, "tanh_grad": rf.tanh_grad,
    "gelu": rf.gelu, "gelu_grad": rf.gelu_grad,
    "gelu_tanh": lambda x: rf.gelu(x, approximate="tanh"),
    "gelu_tanh_grad": lambda x: rf.gelu_grad(x, approximate="tanh"),
    "scaled_tanh": rf.scaled_tanh, "normal_cdf": rf.normal_cdf,
    "gelu_sigmoid_approx": rf.gelu_sigmoid_approx, "silu": rf.silu, "logit": rf.logit,
}


def _resolve(v, dtype):
    sub = np.finfo(dtype).smallest_subnormal
    return {"sub": sub, "-sub": -sub}.get(v, v) if isinstance(v, str) else v


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("name", SPECIAL)
def test_special_values_contract(name, dtype):
    pairs = SPECIAL[name]
    x = np.array([_resolve(k, dtype) for k, _ in pairs], dtype=dtype)
    expected = np.array([_resolve(v, dtype) for _, v in pairs], dtype=np.float64).astype(dtype)
    with np.errstate(all="ignore"):
        out = CALLS[name](x)
    assert out.dtype == dtype and out.shape == x.shape
    for xi, got, want in zip(x, out, expected):
        if np.isnan(want):
            assert np.isnan(got), f"{name}({xi!r}) = {got!r}, expected NaN"
        else:
            assert got == want and np.signbit(got) == np.signbit(want), f"{name}({xi!r}) = {got!r}, expected {want!r}"


@pytest.mark.parametrize("dtype", DTYPES)
def test_subnormals_are_tiny_numbers_not_zero(dtype):
    sub = np.finfo(dtype).smallest_subnormal
    x = np.array([sub, 4 * sub, np.finfo(dtype).smallest_normal / 2], dtype=dtype)
    np.testing.assert_array_equal(rf.relu(x), x)
    np.testing.assert_array_equal(rf.tanh(x), x)
    np.testing.assert_array_equal(rf.leaky_relu(x), x)
    x64 = x.astype(np.float64)  # GELU(x) = x Phi(x) = x (1/2 + x / sqrt(2 pi) + ...), exact enough in float64
    np.testing.assert_array_equal(rf.gelu(x), (x64 * (0.5 + x64 / math.sqrt(2 * math.pi))).astype(dtype))
    np.testing.assert_array_equal(rf.leaky_relu(-x, negative_slope=0.5), (-x.astype(np.float64) / 2).astype(dtype))
    np.testing.assert_array_equal(rf.relu_grad(x), np.ones_like(x))


@pytest.mark.parametrize("name", CALLS)
@pytest.mark.parametrize("dtype", DTYPES)
def test_empty_input_gives_empty_output_of_same_shape_and_dtype(name, dtype):
    for shape in [(0,), (2, 0, 3)]:
        out = CALLS[name](np.zeros(shape, dtype=dtype))
        assert out.shape == shape and out.dtype == dtype


@pytest.mark.parametrize("name", CALLS)
def test_integer_input_gives_float64(name):
    assert CALLS[name](np.array([0, 1], dtype=np.int64)).dtype == np.float64


def test_torch_is_no_oracle_at_nan_and_infinity():
    """Why the special values are our own contract: PyTorch 2.13 gives NaN where the limits exist."""
    t = torch.tensor([-np.inf, np.inf], dtype=torch.float64, requires_grad=True)
    y = F.gelu(t)
    y.sum().backward()
    assert torch.isnan(y[0]) and torch.isnan(t.grad).all()
    assert torch.isnan(F.silu(torch.tensor([-np.inf]))).all()
    assert torch.isnan(F.leaky_relu(torch.tensor([-np.inf]), negative_slope=0.0)).all()


@pytest.mark.parametrize("zero", [0.0, -0.0])
def test_relu_grad_at_zero_is_torch_autograd_value(zero):
    t = torch.tensor(zero, dtype=torch.float64, requires_grad=True)
    torch.relu(t).backward()
    assert t.grad.item() == 0.0
    assert rf.relu_grad(zero) == t.grad.item()


@pytest.mark.parametrize("fn", [rf.relu, rf.sigmoid, rf.gelu, rf.softmax])
def test_python_scalar_and_tensor_input(fn):
    out = fn(1.5)
    assert isinstance(out, np.ndarray) and out.shape == () and out.dtype == np.float64
    out = fn(torch.tensor([1.5, -2.0], dtype=torch.float32))
    assert isinstance(out, np.ndarray) and out.dtype == np.float32


@pytest.mark.parametrize("fn", [rf.sigmoid, rf.sigmoid_grad, rf.tanh, rf.tanh_grad, rf.elu, rf.elu_grad,
                                rf.gelu, rf.gelu_grad, rf.softmax, rf.log_softmax, rf.silu,
                                rf.gelu_sigmoid_approx, rf.scaled_tanh, rf.normal_cdf])
@pytest.mark.parametrize("dtype", DTYPES)
def test_no_overflow_for_large_inputs(fn, dtype):
    x = np.array([-1000.0, 1000.0, -60000.0, 60000.0], dtype=dtype)
    out = fn(x)  # RuntimeWarnings are errors in this module
    assert not np.isnan(out).any()


# ------------------------------------------------------------- more elementwise functions

# Each is one elementary function and a multiplication or two on each side (FEW_ULP); the references are
# PyTorch's own functions where it has one, else the same formula in torch. torch.special.ndtr computes
# 1/2 (1 + erf(x / sqrt 2)), which cancels for x < 0: a few eps of 1 there (ours uses erfc and does not).
NDTR = Tol(4, lambda x, kw: np.where(x < 0, 1.0, 0.0), "1 + erf cancels for x < 0: a few eps of 1")
MORE_ELEMENTWISE = [
    ("scaled_tanh", rf.scaled_tanh, lambda t: 1.7159 * torch.tanh(2.0 / 3.0 * t), FEW_ULP),
    ("normal_cdf", rf.normal_cdf, torch.special.ndtr, NDTR),
    ("gelu_sigmoid_approx", rf.gelu_sigmoid_approx, lambda t: t * torch.sigmoid(1.702 * t), FEW_ULP),
    ("silu", rf.silu, F.silu, FEW_ULP),
]


@pytest.mark.parametrize("x", cases())
@pytest.mark.parametrize("name, ours, theirs, tol", MORE_ELEMENTWISE, ids=[e[0] for e in MORE_ELEMENTWISE])
def test_more_elementwise_match_torch(name, ours, theirs, tol, x):
    expected = theirs(torch.tensor(x, dtype=TORCH_DTYPE[x.dtype.type])).numpy()
    check(ours(x), expected, x, tol, {}, name)


def test_logit_matches_torch_and_inverts_sigmoid():
    p = np.array([1e-12, 1e-3, 0.1, 0.25, 0.5, 0.75, 0.9, 1 - 1e-3, 1 - 1e-12])
    # log(p) - log1p(-p) against torch's log(p / (1 - p)): near p = 1/2 the result is near 0 and the
    # error is a few eps of |log p| + |log(1 - p)|, the terms that cancel.
    scale = np.abs(np.log(p)) + np.abs(np.log1p(-p))
    for dtype in (np.float32, np.float64):
        pd = p.astype(dtype)
        assert_close(rf.logit(pd), torch.logit(torch.from_numpy(pd)).numpy(), dtype, 4, scale.astype(dtype), "logit")
    x = np.linspace(-20, 20, 401)
    # logit(sigmoid(x)) = x: sigmoid's rounding (eps relative, at most eps of 1 - sigmoid near 1) is
    # magnified by logit's slope 1 / (p (1 - p)), so the bound is a few eps / (1 - p) of p, i.e. eps * e^|x|.
    assert_close(rf.logit(rf.sigmoid(x)), x, np.float64, 4, np.exp(np.abs(x)), "logit(sigmoid(x))")


def test_scaled_tanh_is_close_to_plus_minus_one_at_plus_minus_one():
    # 1.7159 tanh(2/3) = 0.99999726...: LeCun's constants make f(1) = 1 to 3e-6 (not a rounding question).
    np.testing.assert_allclose(rf.scaled_tanh([-1.0, 1.0]), [-1.0, 1.0], atol=3e-6)


def test_gelu_approximations_error_against_exact_gelu():
    # The numbers the GELU page quotes are measured by this same computation (approximation errors,
    # many orders of magnitude above rounding).
    x = np.linspace(-6, 6, 120001)
    exact = F.gelu(torch.from_numpy(x)).numpy()
    tanh_err = np.abs(rf.gelu(x, approximate="tanh") - exact).max()
    sigm_err = np.abs(rf.gelu_sigmoid_approx(x) - exact).max()
    assert tanh_err < 1e-3 < sigm_err < 0.03
    assert sigm_err > 10 * tanh_err


# -------------------------------------------------------------------- softmax family

SOFTMAX_INPUTS = [
    ("1d", np.random.default_rng(0).normal(size=7) * 5, -1),
    ("3d_last", np.random.default_rng(1).normal(size=(2, 3, 4)) * 5, -1),
    ("3d_axis0", np.random.default_rng(2).normal(size=(2, 3, 4)) * 5, 0),
    ("3d_axis1", np.random.default_rng(3).normal(size=(2, 3, 4)) * 5, 1),
    ("large", np.array([[1000.0, -1000.0, 0.0], [1000.0, 1000.0, 999.0], [-1000.0, -1000.0, -1001.0]]), -1),
    ("minus_inf", np.array([[-np.inf, 0.0], [-0.0, 0.0], [-np.inf, 3.0]]), -1),
    ("scalar", np.array(2.5), -1),
    ("scalar_axis0", np.array(-2.5), 0),
    ("empty", np.zeros(0), -1),
    ("empty_rows", np.zeros((0, 3)), -1),
    ("empty_cols", np.zeros((2, 0)), -1),
]


def _spread(x, axis):
    """n + |x - max| along the axis: a softmax probability's relative error is a few eps of this
    (each x - max is rounded, then exponentiated; the sum of n terms adds up to n roundings)."""
    x = np.atleast_1d(np.asarray(x, dtype=np.float64))
    n = x.shape[axis] if x.ndim else 1
    with np.errstate(invalid="ignore"):
        z = np.abs(np.nan_to_num(x - np.max(x, axis=axis, keepdims=True, initial=-np.inf), posinf=0, neginf=0))
    return n + z


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("x, axis", [pytest.param(x, a, id=i) for i, x, a in SOFTMAX_INPUTS])
def test_softmax_and_log_softmax_match_torch(x, axis, dtype):
    x = x.astype(dtype)
    t = torch.tensor(x)
    p = torch.softmax(t, dim=axis).numpy()
    spread = _spread(x, axis).reshape(p.shape)
    assert_close(rf.softmax(x, axis=axis), p, dtype, 4, p.astype(np.float64) * spread, "softmax")
    # log p = (x - max) - log sum: the error is a few eps of the terms' size, |x - max| + n.
    assert_close(rf.log_softmax(x, axis=axis), torch.log_softmax(t, dim=axis).numpy(), dtype, 4, spread,
                 "log_softmax")


def test_softmax_special_values_contract():
    x = np.array([[np.nan, 0.0, 1.0], [np.inf, 0.0, -np.inf], [np.inf, np.inf, 0.0],
                  [-np.inf, -np.inf, -np.inf], [np.nan, np.inf, 0.0], [-np.inf, 0.0, 0.0]])
    p = rf.softmax(x)
    assert np.isnan(p[0]).all()
    np.testing.assert_array_equal(p[1], [1.0, 0.0, 0.0])  # one +inf: the limit, a one-hot
    assert np.isnan(p[2]).all() and np.isnan(p[3]).all() and np.isnan(p[4]).all()  # no limit
    np.testing.assert_array_equal(p[5], [0.0, 0.5, 0.5])
    lp = rf.log_softmax(x)
    np.testing.assert_array_equal(lp[1], [0.0, -np.inf, -np.inf])
    assert np.isnan(lp[0]).all() and np.isnan(lp[2]).all() and np.isnan(lp[3]).all()
    np.testing.assert_array_equal(lp[5], [-np.inf, -np.log(2), -np.log(2)])


def test_softmax_of_large_logits_sums_to_one():
    p = rf.softmax([[1000.0, 1000.0, -1000.0]] * 2)
    # three terms of at most 1, each within a few eps: the sum is 1 within a few eps
    assert_close(p.sum(axis=-1), np.ones(2), np.float64, 4, what="sum of probabilities")


def rand(shape, dtype, scale=3.0, seed=0):
    return (np.random.default_rng(seed).normal(size=shape) * scale).astype(dtype)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("axis", [0, -1])
def test_logsumexp_matches_torch(dtype, axis):
    x = rand((4, 5), dtype, scale=10)
    expected = torch.logsumexp(torch.tensor(x), dim=axis).numpy()
    # m + log(sum): a few eps of |m| + n, the terms added
    m = np.max(x.astype(np.float64), axis=axis)
    assert_close(rf.logsumexp(x, axis=axis), expected, dtype, 4, np.abs(m) + x.shape[axis], "logsumexp")


def test_logsumexp_special_values_contract():
    x = np.array([[1000.0, 1000.0], [-np.inf, -np.inf], [np.inf, 0.0], [-np.inf, 0.0], [np.nan, 0.0],
                  [np.nan, np.inf]])
    out = rf.logsumexp(x)
    assert out[0] == pytest.approx(1000 + np.log(2), rel=4 * np.finfo(float).eps)
    assert out[1] == -np.inf and out[2] == np.inf and out[3] == 0.0
    assert np.isnan(out[4]) and np.isnan(out[5])


def test_log_softmax_is_x_minus_logsumexp():
    x = rand((3, 7), np.float64)
    expected = x - rf.logsumexp(x)[:, None]
    assert_close(rf.log_softmax(x), expected, np.float64, 4, _spread(x, -1), "log_softmax vs x - lse")


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_softmax_jacobian_matches_autograd(dtype):
    x = rand(5, dtype)
    jac = torch.autograd.functional.jacobian(lambda t: torch.softmax(t, dim=-1), torch.tensor(x)).numpy()
    # J_ij = p_i (delta_ij - p_j): a few eps of p_i times the softmax spread
    p = rf.softmax(x.astype(np.float64))
    scale = p[:, None] * _spread(x, -1)[:, None]
    assert_close(rf.softmax_jacobian(x), jac, dtype, 4, scale, "softmax_jacobian")


def test_softmax_jacobian_batched_symmetric_rows_sum_to_zero():
    x = rand((3, 4), np.float64)
    jac = rf.softmax_jacobian(x)
    assert jac.shape == (3, 4, 4)
    for i in range(3):
        ref = torch.autograd.functional.jacobian(lambda t: torch.softmax(t, -1), torch.tensor(x[i])).numpy()
        p = rf.softmax(x[i])
        assert_close(jac[i], ref, np.float64, 4, p[:, None] * _spread(x[i], -1)[:, None], "softmax_jacobian")
    # symmetric by construction up to one rounding of each product; rows sum to 0 within n roundings of 1
    assert_close(jac, np.swapaxes(jac, -1, -2), np.float64, 2, 1.0, "symmetry")
    assert_close(jac.sum(axis=-1), np.zeros((3, 4)), np.float64, 8, 1.0, "row sums")


@pytest.mark.parametrize("temperature", [0.1, 0.5, 1.0, 2.0, 10.0])
def test_temperature_matches_torch_and_keeps_order(temperature):
    x = rand((2, 6), np.float64)
    p = rf.softmax_with_temperature(x, temperature)
    ref = torch.softmax(torch.tensor(x) / temperature, dim=-1).numpy()
    assert_close(p, ref, np.float64, 4, ref * _spread(x / temperature, -1), "softmax_with_temperature")
    np.testing.assert_array_equal(np.argsort(p, axis=-1), np.argsort(x, axis=-1))


def test_temperature_limits():
    x = np.array([3.0, 1.0, 0.0])
    assert np.abs(rf.softmax_with_temperature(x, 1e4) - 1 / 3).max() < 1e-3
    np.testing.assert_array_equal(rf.softmax_with_temperature(x, 1e-3), [1, 0, 0])
    np.testing.assert_array_equal(rf.softmax_with_temperature(x), rf.softmax(x))


def test_sigmoid_is_two_class_softmax():
    z = np.linspace(-30, 30, 61)
    pairs = np.stack([z, np.zeros_like(z)], axis=-1)
    # two formulas, each a few ulp: 8 eps of the value
    assert_close(rf.softmax(pairs)[:, 0], rf.sigmoid(z), np.float64, 8, what="softmax([z, 0])[0] vs sigmoid(z)")


# ---------------------------------------------------------------------- PReLU

PRELU_CASES = [  # (x shape, alpha shape); alpha None: a Python float
    ((7,), None),
    ((), None),
    ((), (1,)),
    ((5,), (1,)),
    ((4, 3), ()),
    ((4, 3), (3,)),
    ((2, 3, 5), (3,)),
    ((2, 3, 4, 5), (3,)),
    ((2, 3, 4, 5), (1,)),
    ((0, 3), (3,)),
]


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("with_grad_output", [False, True])
@pytest.mark.parametrize("x_shape, alpha_shape", PRELU_CASES)
def test_prelu_and_gradients_match_torch(x_shape, alpha_shape, with_grad_output, dtype):
    rng = np.random.default_rng(7)
    x = (rng.normal(size=x_shape) * 3).astype(dtype)
    if alpha_shape is None:
        alpha = -0.375  # negative on purpose: PyTorch allows it, so do we
        t_alpha = torch.tensor(alpha, dtype=TORCH_DTYPE[dtype], requires_grad=True)
    else:
        alpha = rng.uniform(-0.5, 0.5, size=alpha_shape).astype(dtype)
        t_alpha = torch.tensor(alpha, requires_grad=True)
    g = rng.normal(size=x_shape).astype(dtype) if with_grad_output else None

    t_x = torch.tensor(x, requires_grad=True)
    y = F.prelu(t_x, t_alpha)
    y.backward(torch.tensor(g) if g is not None else torch.ones_like(y))

    # value and input gradient: one product each (a * x, g * a), plus a rounding for a broadcast cast
    assert_close(rf.prelu(x, alpha), y.detach().numpy(), dtype, 2, what="prelu")
    grad_input, grad_alpha = rf.prelu_grad(x, alpha, grad_output=g)
    assert_close(grad_input, t_x.grad.numpy(), dtype, 2, what="prelu grad_input")
    # grad_alpha is a sum of n products g * x: any summation order is within (n + 1) eps of the sum of
    # their magnitudes (Higham, Accuracy and Stability of Numerical Algorithms, 2nd ed., eq. 4.4).
    g64 = np.ones_like(x, dtype=np.float64) if g is None else g.astype(np.float64)
    terms = np.abs(g64 * np.where(x > 0, 0, x.astype(np.float64)))
    per_channel = np.size(alpha) > 1
    axes = tuple(i for i in range(x.ndim) if i != 1) if per_channel else None
    magnitude = terms.sum(axis=axes).reshape(np.shape(alpha)) if x.size else np.zeros(np.shape(alpha))
    n = max(x.size // max(np.size(alpha), 1), 1)
    assert grad_alpha.shape == np.shape(alpha) and grad_alpha.dtype == dtype
    assert_close(grad_alpha, t_alpha.grad.numpy(), dtype, n + 1, magnitude, "prelu grad_alpha")


def test_prelu_gradients_at_special_values():
    x = np.array([np.nan, np.inf, -np.inf, -0.0, 0.0, -1.0, 2.0])
    gx, ga = rf.prelu_grad(x, [0.25])
    np.testing.assert_array_equal(gx, [np.nan, 1.0, 0.25, 0.25, 0.25, 0.25, 1.0])
    assert np.isnan(ga).all()  # the sum holds a NaN
    gx, ga = rf.prelu_grad(x[3:], [0.25])
    assert ga == -1.0


def test_prelu_with_alpha_equal_leaky_slope_is_leaky_relu():
    x = np.linspace(-3, 3, 13)
    np.testing.assert_array_equal(rf.prelu(x, 0.01), rf.leaky_relu(x))


# ---------------------------------------------------------------------- RReLU


@pytest.mark.parametrize("lower, upper", [(1 / 8, 1 / 3), (0.0, 0.5), (0.2, 0.2)])
def test_rrelu_training_slopes_are_uniform_in_range(lower, upper):
    x = np.concatenate([-np.ones(50_000), np.linspace(0.1, 5, 1000), [0.0, -0.0]])
    y, a = rf.rrelu(x, lower, upper, training=True, rng=0, return_slopes=True)
    assert a.shape == x.shape
    assert np.all((lower <= a) & (a <= upper))
    pos = x > 0
    np.testing.assert_array_equal(y[pos], x[pos])  # positive part unchanged
    np.testing.assert_array_equal(y[~pos], a[~pos] * x[~pos])
    # mean and standard deviation of U(lower, upper), within 5 standard errors
    n = a.size
    sd = (upper - lower) / np.sqrt(12)
    assert abs(a.mean() - (lower + upper) / 2) <= 5 * sd / np.sqrt(n) + 1e-12
    assert abs(a.std() - sd) <= 5 * sd / np.sqrt(n) + 1e-12


def test_rrelu_training_distribution_matches_torch():
    torch.manual_seed(0)
    x = -np.ones(50_000)
    torch_slopes = -F.rrelu(torch.tensor(x), 0.1, 0.3, training=True).numpy()
    ours = -rf.rrelu(x, 0.1, 0.3, training=True, rng=0)
    qs = [0.05, 0.25, 0.5, 0.75, 0.95]
    # sampling error of a quantile of 50,000 draws from U(0.1, 0.3): about 0.001; 0.005 is 5 of them
    np.testing.assert_allclose(np.quantile(ours, qs), np.quantile(torch_slopes, qs), atol=0.005)


def test_rrelu_rng_seed_and_generator():
    x = -np.ones(10)
    np.testing.assert_array_equal(rf.rrelu(x, training=True, rng=3), rf.rrelu(x, training=True, rng=3))
    gen = np.random.default_rng(3)
    first = rf.rrelu(x, training=True, rng=gen)
    np.testing.assert_array_equal(first, rf.rrelu(x, training=True, rng=3))
    assert not np.array_equal(first, rf.rrelu(x, training=True, rng=gen))  # the generator advanced
    assert rf.rrelu(x, training=True).shape == x.shape  # rng=None: fresh generator


@pytest.mark.parametrize("dtype", DTYPES)
def test_rrelu_eval_slopes_and_dtype(dtype):
    y, a = rf.rrelu(np.array([-2.0, 2.0], dtype=dtype), 0.1, 0.3, return_slopes=True)
    assert y.dtype == a.dtype == dtype
    assert_close(a, np.full(2, 0.2), dtype, 1, what="mean slope (0.1 + 0.3) / 2, rounded once")


# ------------------------------------------------------------------- registry


def test_registry():
    assert set(rf.ACTIVATIONS) == {"relu", "leaky_relu", "elu", "sigmoid", "tanh", "gelu"}
    x = np.array([-2.5, -0.7, 0.3, 1.9])  # away from kinks
    h = 1e-6
    for name, (fn, grad) in rf.ACTIVATIONS.items():
        numeric = (fn(x + h) - fn(x - h)) / (2 * h)
        # The central difference's error, in eps: each f(x +- h) is off by a few eps of |f|, divided
        # by 2h (4 |f| / h), and x +- h itself is rounded (|f'| |x| / h); the truncation h^2 |f'''| / 6
        # is ~1e-13 here (|f'''| < 1), i.e. < 1000 eps. The bound is twice that sum.
        scale = (4 * np.abs(fn(x)) + np.abs(x) * np.abs(grad(x))) / h + 1000
        assert_close(grad(x), numeric, np.float64, 2, scale, what=f"{name}: derivative vs central difference")


# ------------------------------------------------------------------ bad input

ALL_FUNCTIONS = {
    "relu": rf.relu, "relu_grad": rf.relu_grad,
    "leaky_relu": rf.leaky_relu, "leaky_relu_grad": rf.leaky_relu_grad,
    "prelu": lambda x: rf.prelu(x, 0.25), "prelu_grad": lambda x: rf.prelu_grad(x, 0.25),
    "rrelu": rf.rrelu, "rrelu_train": lambda x: rf.rrelu(x, training=True, rng=0),
    "elu": rf.elu, "elu_grad": rf.elu_grad,
    "sigmoid": rf.sigmoid, "sigmoid_grad": rf.sigmoid_grad,
    "tanh": rf.tanh, "tanh_grad": rf.tanh_grad,
    "softmax": rf.softmax, "log_softmax": rf.log_softmax,
    "gelu": rf.gelu, "gelu_grad": rf.gelu_grad,
    "scaled_tanh": rf.scaled_tanh, "normal_cdf": rf.normal_cdf, "silu": rf.silu,
    "gelu_sigmoid_approx": rf.gelu_sigmoid_approx, "logsumexp": rf.logsumexp,
    "softmax_jacobian": rf.softmax_jacobian, "softmax_with_temperature": rf.softmax_with_temperature,
}


@pytest.mark.parametrize("bad", ["1.0", None, ["a", "b"], [[1.0], [1.0, 2.0]], [1 + 2j]],
                         ids=["str", "None", "list_of_str", "ragged", "complex"])
@pytest.mark.parametrize("name", ALL_FUNCTIONS)
def test_bad_x_raises_naming_x(name, bad):
    with pytest.raises(TypeError, match=r"^x must"):
        ALL_FUNCTIONS[name](bad)


@pytest.mark.parametrize("call, error, pattern", [
    (lambda: rf.leaky_relu([1.0], negative_slope=-0.1), ValueError, "negative_slope"),
    (lambda: rf.leaky_relu_grad([1.0], negative_slope=-0.1), ValueError, "negative_slope"),
    (lambda: rf.leaky_relu([1.0], negative_slope="0.1"), TypeError, "negative_slope"),
    (lambda: rf.elu([1.0], alpha=-1.0), ValueError, "alpha"),
    (lambda: rf.elu_grad([1.0], alpha=-1.0), ValueError, "alpha"),
    (lambda: rf.elu([1.0], alpha=None), TypeError, "alpha"),
    (lambda: rf.rrelu([1.0], lower=0.5, upper=0.1), ValueError, "lower.*upper"),
    (lambda: rf.rrelu([1.0], lower=-0.1, upper=0.1), ValueError, "lower"),
    (lambda: rf.rrelu([1.0], upper=float("nan")), ValueError, "upper"),
    (lambda: rf.rrelu([1.0], training="yes"), TypeError, "training"),
    (lambda: rf.rrelu([1.0], training=True, rng="seed"), TypeError, "rng"),
    (lambda: rf.rrelu([1.0], training=True, rng=-1), TypeError, "rng"),
    (lambda: rf.gelu([1.0], approximate="fast"), ValueError, "approximate"),
    (lambda: rf.gelu_grad([1.0], approximate=None), ValueError, "approximate"),
    (lambda: rf.prelu(np.ones((2, 3)), [0.1, 0.2]), ValueError, "alpha"),
    (lambda: rf.prelu(np.ones(3), [0.1, 0.2, 0.3]), ValueError, "alpha"),
    (lambda: rf.prelu(np.ones((2, 3)), np.ones((3, 1))), ValueError, "alpha"),
    (lambda: rf.prelu([1.0], "a"), TypeError, "alpha"),
    (lambda: rf.prelu_grad(np.ones((2, 3)), 0.1, grad_output=np.ones(3)), ValueError, "grad_output"),
    (lambda: rf.prelu_grad(np.ones(3), 0.1, grad_output="g"), TypeError, "grad_output"),
    (lambda: rf.softmax([1.0, 2.0], axis=1), ValueError, "axis"),
    (lambda: rf.log_softmax([1.0, 2.0], axis=1.5), TypeError, "axis"),
    (lambda: rf.logsumexp(1.0), ValueError, "x must have at least one dimension"),
    (lambda: rf.logsumexp([1.0], axis=2), ValueError, "axis"),
    (lambda: rf.logsumexp([1.0], axis=0.5), TypeError, "axis"),
    (lambda: rf.softmax_jacobian(2.0), ValueError, "x must have at least one dimension"),
    (lambda: rf.softmax_with_temperature([1.0], 0), ValueError, "temperature must be > 0"),
    (lambda: rf.softmax_with_temperature([1.0], "hot"), TypeError, "temperature"),
    (lambda: rf.logit("p"), TypeError, "p must"),
], ids=lambda v: v if isinstance(v, str) else None)
def test_bad_parameter_raises_naming_it(call, error, pattern):
    with pytest.raises(error, match=pattern):
        call()
