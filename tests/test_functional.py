"""relu_docs.functional against torch.nn.functional and torch.autograd.

Every expected number comes from PyTorch at test time; nothing is copied by hand.
"""

from __future__ import annotations

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from relu_docs import functional as rf

# NumPy overflow / invalid-value warnings are bugs here (e.g. sigmoid(1000)).
pytestmark = pytest.mark.filterwarnings("error::RuntimeWarning")

DTYPES = [np.float16, np.float32, np.float64]
TORCH_DTYPE = {np.float16: torch.float16, np.float32: torch.float32, np.float64: torch.float64}
TOL = {  # (rtol, atol): a few units in the last place of each dtype
    np.float16: (2e-3, 1e-3),
    np.float32: (1e-5, 1e-6),
    np.float64: (1e-12, 1e-14),
}

EDGE = [np.nan, np.inf, -np.inf, -0.0, 0.0, -1000.0, 1000.0, -1e-3, 1e-3, -1.0, 1.0]


def inputs(dtype):
    """(id, array) pairs: random values of several shapes, edge values, empty arrays."""
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


# name -> (ours, ours_grad, torch function, kwargs); grad None: no derivative function.
ELEMENTWISE = {
    "relu": (rf.relu, rf.relu_grad, torch.relu, {}),
    "leaky_relu": (rf.leaky_relu, rf.leaky_relu_grad, F.leaky_relu, {}),
    "leaky_relu_0.2": (rf.leaky_relu, rf.leaky_relu_grad, F.leaky_relu, {"negative_slope": 0.2}),
    "leaky_relu_0": (rf.leaky_relu, rf.leaky_relu_grad, F.leaky_relu, {"negative_slope": 0.0}),
    "elu": (rf.elu, rf.elu_grad, F.elu, {}),
    "elu_0.5": (rf.elu, rf.elu_grad, F.elu, {"alpha": 0.5}),
    "elu_0": (rf.elu, rf.elu_grad, F.elu, {"alpha": 0.0}),
    "sigmoid": (rf.sigmoid, rf.sigmoid_grad, torch.sigmoid, {}),
    "tanh": (rf.tanh, rf.tanh_grad, torch.tanh, {}),
    "gelu": (rf.gelu, rf.gelu_grad, F.gelu, {}),
    "gelu_tanh": (rf.gelu, rf.gelu_grad, F.gelu, {"approximate": "tanh"}),
    "rrelu_eval": (rf.rrelu, None, F.rrelu, {"training": False}),
    "rrelu_eval_0.1_0.3": (rf.rrelu, None, F.rrelu, {"lower": 0.1, "upper": 0.3, "training": False}),
}


def torch_value_and_grad(fn, x, **kwargs):
    """fn(x) and d sum(fn(x)) / dx from torch.autograd, as NumPy arrays in x's dtype."""
    t = torch.tensor(x, dtype=TORCH_DTYPE[x.dtype.type], requires_grad=True)
    y = fn(t, **kwargs)
    y.sum().backward()
    return y.detach().numpy(), t.grad.numpy()


def assert_matches(ours, expected, dtype):
    assert isinstance(ours, np.ndarray)
    assert ours.dtype == dtype
    assert ours.shape == expected.shape
    rtol, atol = TOL[np.dtype(dtype).type]
    np.testing.assert_allclose(
        ours.astype(np.float64), expected.astype(np.float64), rtol=rtol, atol=atol, equal_nan=True
    )


def gelu_limits(x, expected_value, expected_grad):
    """PyTorch gives NaN for GELU at ±inf; we return the limits (documented)."""
    expected_value = np.where(x == -np.inf, 0, np.where(x == np.inf, np.inf, expected_value)).astype(x.dtype)
    expected_grad = np.where(x == np.inf, 1, np.where(x == -np.inf, 0, expected_grad)).astype(x.dtype)
    return expected_value, expected_grad


@pytest.mark.parametrize("x", cases())
@pytest.mark.parametrize("name", ELEMENTWISE)
def test_elementwise_matches_torch(name, x):
    ours, ours_grad, tfn, kwargs = ELEMENTWISE[name]
    value, grad = torch_value_and_grad(tfn, x, **kwargs)
    if ours is rf.gelu:
        value, grad = gelu_limits(x, value, grad)
    assert_matches(ours(x, **kwargs), value, x.dtype)
    if ours_grad is not None:
        assert_matches(ours_grad(x, **kwargs), grad, x.dtype)


def test_torch_gelu_gives_nan_at_infinity():
    """Why gelu_limits exists: if PyTorch ever returns the limits, drop the special case."""
    t = torch.tensor([-np.inf, np.inf], dtype=torch.float64, requires_grad=True)
    y = F.gelu(t)
    y.sum().backward()
    assert torch.isnan(y[0]) and torch.isnan(t.grad).all()
    np.testing.assert_array_equal(rf.gelu([-np.inf, np.inf]), [0, np.inf])
    np.testing.assert_array_equal(rf.gelu_grad([-np.inf, np.inf]), [0, 1])
    np.testing.assert_array_equal(rf.gelu_grad([-np.inf, np.inf], approximate="tanh"), [0, 1])


@pytest.mark.parametrize("name", ELEMENTWISE)
def test_sign_of_zero_matches_torch(name):
    ours, _, tfn, kwargs = ELEMENTWISE[name]
    x = np.array([-0.0, 0.0])
    expected = tfn(torch.tensor(x), **kwargs).numpy()
    np.testing.assert_array_equal(np.signbit(ours(x, **kwargs)), np.signbit(expected))


def test_relu_of_negative_zero_is_negative_zero_like_torch():
    assert np.signbit(rf.relu(-0.0))
    assert torch.signbit(torch.relu(torch.tensor(-0.0)))


@pytest.mark.parametrize("zero", [0.0, -0.0])
def test_relu_grad_at_zero_is_torch_autograd_value(zero):
    t = torch.tensor(zero, dtype=torch.float64, requires_grad=True)
    torch.relu(t).backward()
    assert t.grad.item() == 0.0
    assert rf.relu_grad(zero) == t.grad.item()


@pytest.mark.parametrize("name", ELEMENTWISE)
@pytest.mark.parametrize("x", [[-2, -1, 0, 1, 2], [True, False], np.arange(-3, 3, dtype=np.int32)])
def test_integer_and_bool_input_gives_float64(name, x):
    ours, ours_grad, tfn, kwargs = ELEMENTWISE[name]
    x64 = np.asarray(x, dtype=np.float64)
    value, grad = torch_value_and_grad(tfn, x64, **kwargs)
    assert_matches(ours(x, **kwargs), value, np.float64)
    if ours_grad is not None:
        assert_matches(ours_grad(x, **kwargs), grad, np.float64)


@pytest.mark.parametrize("fn", [rf.relu, rf.sigmoid, rf.gelu, rf.softmax])
def test_python_scalar_and_tensor_input(fn):
    out = fn(1.5)
    assert isinstance(out, np.ndarray) and out.shape == () and out.dtype == np.float64
    out = fn(torch.tensor([1.5, -2.0], dtype=torch.float32))
    assert isinstance(out, np.ndarray) and out.dtype == np.float32


@pytest.mark.parametrize("fn", [rf.sigmoid, rf.sigmoid_grad, rf.tanh, rf.tanh_grad, rf.elu, rf.elu_grad,
                                rf.gelu, rf.gelu_grad, rf.softmax, rf.log_softmax])
@pytest.mark.parametrize("dtype", DTYPES)
def test_no_overflow_for_large_inputs(fn, dtype):
    x = np.array([-1000.0, 1000.0, -60000.0, 60000.0], dtype=dtype)
    out = fn(x)  # RuntimeWarnings are errors in this module
    assert not np.isnan(out).any()


# -------------------------------------------------------------------- softmax

SOFTMAX_INPUTS = [
    ("1d", np.random.default_rng(0).normal(size=7) * 5, -1),
    ("3d_last", np.random.default_rng(1).normal(size=(2, 3, 4)) * 5, -1),
    ("3d_axis0", np.random.default_rng(2).normal(size=(2, 3, 4)) * 5, 0),
    ("3d_axis1", np.random.default_rng(3).normal(size=(2, 3, 4)) * 5, 1),
    ("large", np.array([[1000.0, -1000.0, 0.0], [1000.0, 1000.0, 999.0], [-1000.0, -1000.0, -1001.0]]), -1),
    ("edge", np.array([[np.nan, 0.0], [np.inf, 0.0], [-np.inf, 0.0], [-np.inf, -np.inf], [-0.0, 0.0]]), -1),
    ("scalar", np.array(2.5), -1),
    ("scalar_axis0", np.array(-2.5), 0),
    ("empty", np.zeros(0), -1),
    ("empty_rows", np.zeros((0, 3)), -1),
    ("empty_cols", np.zeros((2, 0)), -1),
]


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("x, axis", [pytest.param(x, a, id=i) for i, x, a in SOFTMAX_INPUTS])
@pytest.mark.parametrize("ours, theirs", [(rf.softmax, torch.softmax), (rf.log_softmax, torch.log_softmax)],
                         ids=["softmax", "log_softmax"])
def test_softmax_matches_torch(ours, theirs, x, axis, dtype):
    x = x.astype(dtype)
    expected = theirs(torch.tensor(x), dim=axis).numpy()
    assert_matches(ours(x, axis=axis), expected, dtype)


def test_softmax_of_large_logits_sums_to_one():
    p = rf.softmax([[1000.0, 1000.0, -1000.0]] * 2)
    np.testing.assert_allclose(p.sum(axis=-1), 1.0)


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

    assert_matches(rf.prelu(x, alpha), y.detach().numpy(), dtype)
    grad_input, grad_alpha = rf.prelu_grad(x, alpha, grad_output=g)
    assert_matches(grad_input, t_x.grad.numpy(), dtype)
    rtol, atol = TOL[np.dtype(dtype).type]
    assert grad_alpha.shape == np.shape(alpha) and grad_alpha.dtype == dtype
    # a sum of many terms: allow the error to grow with the number of terms
    np.testing.assert_allclose(grad_alpha.astype(np.float64), t_alpha.grad.numpy().astype(np.float64),
                               rtol=rtol * 10, atol=atol * max(x.size, 1))


def test_prelu_edge_values_match_torch():
    x = np.array(EDGE)
    t_x = torch.tensor(x, requires_grad=True)
    t_a = torch.tensor([0.25], dtype=torch.float64, requires_grad=True)
    y = F.prelu(t_x, t_a)
    y.sum().backward()
    assert_matches(rf.prelu(x, [0.25]), y.detach().numpy(), np.float64)
    gx, ga = rf.prelu_grad(x, [0.25])
    assert_matches(gx, t_x.grad.numpy(), np.float64)
    assert_matches(ga, t_a.grad.numpy(), np.float64)  # NaN: the input holds a NaN


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
    np.testing.assert_allclose(a, 0.2, rtol=TOL[dtype][0])


# ------------------------------------------------------------------- registry


def test_registry():
    assert set(rf.ACTIVATIONS) == {"relu", "leaky_relu", "elu", "sigmoid", "tanh", "gelu"}
    x = np.array([-2.5, -0.7, 0.3, 1.9])  # away from kinks
    for name, (fn, grad) in rf.ACTIVATIONS.items():
        h = 1e-6
        numeric = (fn(x + h) - fn(x - h)) / (2 * h)
        np.testing.assert_allclose(grad(x), numeric, rtol=1e-6, atol=1e-8, err_msg=name)


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
], ids=lambda v: v if isinstance(v, str) else None)
def test_bad_parameter_raises_naming_it(call, error, pattern):
    with pytest.raises(error, match=pattern):
        call()


# ------------------------------------------ logit, scaled tanh, GELU's Φ, SiLU


def close(ours, theirs, dtype=np.float64):
    theirs = theirs.detach().numpy() if isinstance(theirs, torch.Tensor) else np.asarray(theirs)
    rtol, atol = TOL[dtype]
    assert ours.dtype == dtype
    assert ours.shape == theirs.shape
    np.testing.assert_allclose(ours.astype(np.float64), theirs.astype(np.float64),
                               rtol=rtol, atol=atol, equal_nan=True)


def rand(shape, dtype, scale=3.0, seed=0):
    return (np.random.default_rng(seed).normal(size=shape) * scale).astype(dtype)



MORE_ELEMENTWISE = [
    ("scaled_tanh", rf.scaled_tanh, lambda t: 1.7159 * torch.tanh(2.0 / 3.0 * t)),
    ("normal_cdf", rf.normal_cdf, torch.special.ndtr),
    ("gelu_sigmoid_approx", rf.gelu_sigmoid_approx, lambda t: t * torch.sigmoid(1.702 * t)),
    ("silu", rf.silu, F.silu),
]


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("name, ours, theirs", MORE_ELEMENTWISE, ids=[e[0] for e in MORE_ELEMENTWISE])
def test_more_elementwise_match_torch(name, ours, theirs, dtype):
    for x in [rand(50, dtype), rand((2, 3, 4), dtype), np.array(EDGE, dtype=dtype),
              np.zeros(0, dtype=dtype), np.asarray(1.5, dtype=dtype)]:
        t = torch.from_numpy(x.copy()) if x.dtype != np.float16 else torch.tensor(x, dtype=torch.float16)
        close(ours(x), theirs(t), dtype)


@pytest.mark.parametrize("fn", [rf.scaled_tanh, rf.normal_cdf, rf.gelu_sigmoid_approx, rf.silu, rf.logit])
def test_more_integer_input_gives_float64(fn):
    assert fn([0, 1]).dtype == np.float64


def test_logit_is_inverse_of_sigmoid_and_matches_torch():
    p = np.array([0.0, 1e-12, 0.1, 0.5, 0.9, 1 - 1e-12, 1.0, -0.1, 1.1, np.nan])
    close(rf.logit(p), torch.logit(torch.from_numpy(p)))
    x = np.linspace(-20, 20, 401)
    np.testing.assert_allclose(rf.logit(rf.sigmoid(x)), x, rtol=1e-8, atol=1e-10)
    close(rf.logit(np.float32([0.25, 0.75])), torch.logit(torch.tensor([0.25, 0.75])), np.float32)


def test_scaled_tanh_is_close_to_plus_minus_one_at_plus_minus_one():
    np.testing.assert_allclose(rf.scaled_tanh([-1.0, 1.0]), [-1.0, 1.0], atol=1e-5)


def test_gelu_approximations_error_against_exact_gelu():
    # The numbers the GELU page quotes are measured by this same computation.
    x = np.linspace(-6, 6, 120001)
    exact = F.gelu(torch.from_numpy(x)).numpy()
    tanh_err = np.abs(rf.gelu(x, approximate="tanh") - exact).max()
    sigm_err = np.abs(rf.gelu_sigmoid_approx(x) - exact).max()
    assert tanh_err < 1e-3 < sigm_err < 0.03
    assert sigm_err > 10 * tanh_err


# ----------------------------------------------------------------------- softmax


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("axis", [0, -1])
def test_logsumexp_matches_torch(dtype, axis):
    x = rand((4, 5), dtype, scale=10)
    close(rf.logsumexp(x, axis=axis), torch.logsumexp(torch.tensor(x), dim=axis), dtype)


def test_logsumexp_large_and_infinite_values_like_torch():
    x = np.array([[1000.0, 1000.0], [-1000.0, -1000.0], [-np.inf, -np.inf], [np.inf, 0.0],
                  [-np.inf, 0.0], [np.nan, 0.0]])
    close(rf.logsumexp(x), torch.logsumexp(torch.from_numpy(x), dim=-1))


def test_log_softmax_is_x_minus_logsumexp():
    x = rand((3, 7), np.float64)
    np.testing.assert_allclose(rf.log_softmax(x), x - rf.logsumexp(x)[:, None], rtol=1e-12)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_softmax_jacobian_matches_autograd(dtype):
    x = rand(5, dtype)
    jac = torch.autograd.functional.jacobian(lambda t: torch.softmax(t, dim=-1), torch.tensor(x))
    close(rf.softmax_jacobian(x), jac, dtype)


def test_softmax_jacobian_batched_symmetric_rows_sum_to_zero():
    x = rand((3, 4), np.float64)
    jac = rf.softmax_jacobian(x)
    assert jac.shape == (3, 4, 4)
    for i in range(3):
        ref = torch.autograd.functional.jacobian(lambda t: torch.softmax(t, -1), torch.tensor(x[i]))
        close(jac[i], ref)
    np.testing.assert_allclose(jac, np.swapaxes(jac, -1, -2), atol=1e-15)
    np.testing.assert_allclose(jac.sum(axis=-1), 0, atol=1e-15)


@pytest.mark.parametrize("temperature", [0.1, 0.5, 1.0, 2.0, 10.0])
def test_temperature_matches_torch_and_keeps_order(temperature):
    x = rand((2, 6), np.float64)
    p = rf.softmax_with_temperature(x, temperature)
    close(p, torch.softmax(torch.tensor(x) / temperature, dim=-1))
    np.testing.assert_array_equal(np.argsort(p, axis=-1), np.argsort(x, axis=-1))


def test_temperature_limits():
    x = np.array([3.0, 1.0, 0.0])
    assert np.abs(rf.softmax_with_temperature(x, 1e4) - 1 / 3).max() < 1e-3
    np.testing.assert_allclose(rf.softmax_with_temperature(x, 1e-3), [1, 0, 0], atol=1e-12)
    np.testing.assert_array_equal(rf.softmax_with_temperature(x), rf.softmax(x))


def test_sigmoid_is_two_class_softmax():
    z = np.linspace(-30, 30, 61)
    pairs = np.stack([z, np.zeros_like(z)], axis=-1)
    np.testing.assert_allclose(rf.softmax(pairs)[:, 0], rf.sigmoid(z), rtol=1e-12)


# ------------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    "call, error, pattern",
    [
        (lambda: rf.logsumexp("abc"), TypeError, "x must"),
        (lambda: rf.logsumexp(1.0), ValueError, "x must have at least one dimension"),
        (lambda: rf.logsumexp([1.0], axis=2), ValueError, "axis"),
        (lambda: rf.logsumexp([1.0], axis=0.5), TypeError, "axis"),
        (lambda: rf.softmax_jacobian(None), TypeError, "x must"),
        (lambda: rf.softmax_jacobian(2.0), ValueError, "x must have at least one dimension"),
        (lambda: rf.softmax_with_temperature([1.0], 0), ValueError, "temperature must be > 0"),
        (lambda: rf.softmax_with_temperature([1.0], "hot"), TypeError, "temperature"),
        (lambda: rf.logit("p"), TypeError, "p must"),
        (lambda: rf.silu(None), TypeError, "x must"),
    ],
)
def test_more_bad_input_raises_naming_the_argument(call, error, pattern):
    with pytest.raises(error, match=pattern):
        call()
