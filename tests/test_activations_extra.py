"""relu_docs.activations_extra against PyTorch.

Every expected number comes from PyTorch at test time; nothing is copied by hand.
"""

from __future__ import annotations

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from relu_docs import activations_extra as ax
from relu_docs import functional as rf
from relu_docs import losses

pytestmark = pytest.mark.filterwarnings("error::RuntimeWarning")

DTYPES = [np.float16, np.float32, np.float64]
TORCH_DTYPE = {np.float16: torch.float16, np.float32: torch.float32, np.float64: torch.float64}
TOL = {np.float16: (2e-3, 1e-3), np.float32: (1e-5, 1e-6), np.float64: (1e-12, 1e-14)}
EDGE = [np.nan, np.inf, -np.inf, -0.0, 0.0, -1000.0, 1000.0, -1e-3, 1e-3, -1.0, 1.0]


def close(ours, theirs, dtype=np.float64):
    theirs = theirs.detach().numpy() if isinstance(theirs, torch.Tensor) else np.asarray(theirs)
    rtol, atol = TOL[dtype]
    assert ours.dtype == dtype
    assert ours.shape == theirs.shape
    np.testing.assert_allclose(ours.astype(np.float64), theirs.astype(np.float64),
                               rtol=rtol, atol=atol, equal_nan=True)


def rand(shape, dtype, scale=3.0, seed=0):
    return (np.random.default_rng(seed).normal(size=shape) * scale).astype(dtype)


# ------------------------------------------------------------------- elementwise

ELEMENTWISE = [
    ("scaled_tanh", ax.scaled_tanh, lambda t: 1.7159 * torch.tanh(2.0 / 3.0 * t)),
    ("normal_cdf", ax.normal_cdf, torch.special.ndtr),
    ("gelu_sigmoid_approx", ax.gelu_sigmoid_approx, lambda t: t * torch.sigmoid(1.702 * t)),
    ("silu", ax.silu, F.silu),
]


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("name, ours, theirs", ELEMENTWISE, ids=[e[0] for e in ELEMENTWISE])
def test_elementwise_matches_torch(name, ours, theirs, dtype):
    for x in [rand(50, dtype), rand((2, 3, 4), dtype), np.array(EDGE, dtype=dtype),
              np.zeros(0, dtype=dtype), np.asarray(1.5, dtype=dtype)]:
        t = torch.from_numpy(x.copy()) if x.dtype != np.float16 else torch.tensor(x, dtype=torch.float16)
        close(ours(x), theirs(t), dtype)


@pytest.mark.parametrize("fn", [ax.scaled_tanh, ax.normal_cdf, ax.gelu_sigmoid_approx, ax.silu, ax.logit])
def test_integer_input_gives_float64(fn):
    assert fn([0, 1]).dtype == np.float64


def test_logit_is_inverse_of_sigmoid_and_matches_torch():
    p = np.array([0.0, 1e-12, 0.1, 0.5, 0.9, 1 - 1e-12, 1.0, -0.1, 1.1, np.nan])
    close(ax.logit(p), torch.logit(torch.from_numpy(p)))
    x = np.linspace(-20, 20, 401)
    np.testing.assert_allclose(ax.logit(rf.sigmoid(x)), x, rtol=1e-8, atol=1e-10)
    close(ax.logit(np.float32([0.25, 0.75])), torch.logit(torch.tensor([0.25, 0.75])), np.float32)


def test_scaled_tanh_is_close_to_plus_minus_one_at_plus_minus_one():
    np.testing.assert_allclose(ax.scaled_tanh([-1.0, 1.0]), [-1.0, 1.0], atol=1e-5)


def test_gelu_approximations_error_against_exact_gelu():
    # The numbers the GELU page quotes are measured by this same computation.
    x = np.linspace(-6, 6, 120001)
    exact = F.gelu(torch.from_numpy(x)).numpy()
    tanh_err = np.abs(rf.gelu(x, approximate="tanh") - exact).max()
    sigm_err = np.abs(ax.gelu_sigmoid_approx(x) - exact).max()
    assert tanh_err < 1e-3 < sigm_err < 0.03
    assert sigm_err > 10 * tanh_err


# ----------------------------------------------------------------------- softmax


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("axis", [0, -1])
def test_logsumexp_matches_torch(dtype, axis):
    x = rand((4, 5), dtype, scale=10)
    close(ax.logsumexp(x, axis=axis), torch.logsumexp(torch.tensor(x), dim=axis), dtype)


def test_logsumexp_large_and_infinite_values_like_torch():
    x = np.array([[1000.0, 1000.0], [-1000.0, -1000.0], [-np.inf, -np.inf], [np.inf, 0.0],
                  [-np.inf, 0.0], [np.nan, 0.0]])
    close(ax.logsumexp(x), torch.logsumexp(torch.from_numpy(x), dim=-1))


def test_log_softmax_is_x_minus_logsumexp():
    x = rand((3, 7), np.float64)
    np.testing.assert_allclose(rf.log_softmax(x), x - ax.logsumexp(x)[:, None], rtol=1e-12)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_softmax_jacobian_matches_autograd(dtype):
    x = rand(5, dtype)
    jac = torch.autograd.functional.jacobian(lambda t: torch.softmax(t, dim=-1), torch.tensor(x))
    close(ax.softmax_jacobian(x), jac, dtype)


def test_softmax_jacobian_batched_symmetric_rows_sum_to_zero():
    x = rand((3, 4), np.float64)
    jac = ax.softmax_jacobian(x)
    assert jac.shape == (3, 4, 4)
    for i in range(3):
        ref = torch.autograd.functional.jacobian(lambda t: torch.softmax(t, -1), torch.tensor(x[i]))
        close(jac[i], ref)
    np.testing.assert_allclose(jac, np.swapaxes(jac, -1, -2), atol=1e-15)
    np.testing.assert_allclose(jac.sum(axis=-1), 0, atol=1e-15)


@pytest.mark.parametrize("temperature", [0.1, 0.5, 1.0, 2.0, 10.0])
def test_temperature_matches_torch_and_keeps_order(temperature):
    x = rand((2, 6), np.float64)
    p = ax.softmax_with_temperature(x, temperature)
    close(p, torch.softmax(torch.tensor(x) / temperature, dim=-1))
    np.testing.assert_array_equal(np.argsort(p, axis=-1), np.argsort(x, axis=-1))


def test_temperature_limits():
    x = np.array([3.0, 1.0, 0.0])
    assert np.abs(ax.softmax_with_temperature(x, 1e4) - 1 / 3).max() < 1e-3
    np.testing.assert_allclose(ax.softmax_with_temperature(x, 1e-3), [1, 0, 0], atol=1e-12)
    np.testing.assert_array_equal(ax.softmax_with_temperature(x), rf.softmax(x))


def test_sigmoid_is_two_class_softmax():
    z = np.linspace(-30, 30, 61)
    pairs = np.stack([z, np.zeros_like(z)], axis=-1)
    np.testing.assert_allclose(rf.softmax(pairs)[:, 0], rf.sigmoid(z), rtol=1e-12)


# ------------------------------------------------------------------------ losses


def test_softmax_before_cross_entropy_is_a_different_loss():
    # The mistake the Softmax page shows: CrossEntropyLoss applied to probabilities.
    z = torch.tensor([[4.0, 0.0, 0.0]], dtype=torch.float64)
    y = torch.tensor([0])
    right = F.cross_entropy(z, y)
    wrong = F.cross_entropy(torch.softmax(z, -1), y)
    assert right.item() == pytest.approx(losses.cross_entropy(z.numpy(), y.numpy()), rel=1e-6)
    assert wrong.item() == pytest.approx(losses.cross_entropy(rf.softmax(z.numpy()), y.numpy()),
                                         rel=1e-6)
    assert wrong.item() > 0.5 > right.item()
    # probabilities lie in [0, 1], so the "loss" can never fall below this floor: log(1 + 2/e)
    floor = losses.cross_entropy([[1.0, 0.0, 0.0]], [0])
    assert wrong.item() >= floor
    assert floor == pytest.approx(np.log(1 + 2 / np.e), rel=1e-12)


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_bce_with_logits_and_grad_match_torch(reduction):
    z = np.concatenate([rand(20, np.float64, scale=5), [-1000.0, 1000.0, 0.0, -40.0, 40.0]])
    y = np.random.default_rng(1).uniform(size=z.shape)
    y[-5:] = [1.0, 0.0, 1.0, 1.0, 0.0]
    zt = torch.tensor(z, requires_grad=True)
    loss = F.binary_cross_entropy_with_logits(zt, torch.from_numpy(y), reduction=reduction)
    close(ax.binary_cross_entropy_with_logits(z, y, reduction=reduction), loss.detach())
    loss.sum().backward()
    close(ax.binary_cross_entropy_with_logits_grad(z, y, reduction=reduction), zt.grad)


def test_bce_with_logits_float32():
    z = rand(10, np.float32)
    y = (z > 0).astype(np.float32)
    ref = F.binary_cross_entropy_with_logits(torch.from_numpy(z), torch.from_numpy(y))
    close(ax.binary_cross_entropy_with_logits(z, y), ref, np.float32)


# --------------------------------------------------------------- compose_affine


def test_compose_affine_equals_two_linear_layers():
    torch.manual_seed(0)
    net = torch.nn.Sequential(torch.nn.Linear(4, 8), torch.nn.Linear(8, 3)).double()
    w, b = ax.compose_affine(net[0].weight.detach(), net[0].bias.detach(),
                             net[1].weight.detach(), net[1].bias.detach())
    one = torch.nn.Linear(4, 3).double()
    with torch.no_grad():
        one.weight.copy_(torch.from_numpy(w))
        one.bias.copy_(torch.from_numpy(b))
    x = torch.randn(16, 4, dtype=torch.float64)
    torch.testing.assert_close(one(x), net(x), rtol=1e-12, atol=1e-12)


def test_compose_affine_float32_keeps_dtype():
    w, b = ax.compose_affine(np.ones((2, 3), np.float32), np.zeros(2, np.float32),
                             np.ones((1, 2), np.float32), np.zeros(1, np.float32))
    assert w.dtype == b.dtype == np.float32


# ------------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    "call, error, pattern",
    [
        (lambda: ax.logsumexp("abc"), TypeError, "x must"),
        (lambda: ax.logsumexp(1.0), ValueError, "x must have at least one dimension"),
        (lambda: ax.logsumexp([1.0], axis=2), ValueError, "axis"),
        (lambda: ax.logsumexp([1.0], axis=0.5), TypeError, "axis"),
        (lambda: ax.softmax_jacobian(None), TypeError, "x must"),
        (lambda: ax.softmax_jacobian(2.0), ValueError, "x must have at least one dimension"),
        (lambda: ax.softmax_with_temperature([1.0], 0), ValueError, "temperature must be > 0"),
        (lambda: ax.softmax_with_temperature([1.0], "hot"), TypeError, "temperature"),
        (lambda: ax.binary_cross_entropy_with_logits([1.0], [1.0, 0.0]), ValueError, "target must have"),
        (lambda: ax.binary_cross_entropy_with_logits([1.0], "y"), TypeError, "target must"),
        (lambda: ax.logit("p"), TypeError, "p must"),
        (lambda: ax.compose_affine([1.0], [1.0], [[1.0]], [1.0]), ValueError, "w1 must be 2-D"),
        (lambda: ax.compose_affine([[1.0]], [1.0], [[1.0, 1.0]], [1.0]), ValueError, "w2 must have"),
        (lambda: ax.compose_affine([[1.0]], [1.0, 2.0], [[1.0]], [1.0]), ValueError, "b1 must have"),
        (lambda: ax.compose_affine([[1.0]], [1.0], [[1.0]], [1.0, 2.0]), ValueError, "b2 must have"),
        (lambda: ax.silu(None), TypeError, "x must"),
    ],
)
def test_bad_input_raises_naming_the_argument(call, error, pattern):
    with pytest.raises(error, match=pattern):
        call()
