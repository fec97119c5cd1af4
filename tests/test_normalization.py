"""relu_docs.normalization.batch_norm against torch.nn.BatchNorm1d.

Tolerances in units of eps (``tests/tolerance.py``), from running error bounds (``Err``) of both
formulas: ours ``(x - mean) / sqrt(var + eps) * gamma + beta``, PyTorch's ``x * a + (beta - mean * a)``
with ``a = gamma / sqrt(var + eps)``, which cancels when the mean is large against the spread. The
running statistics carry their bounds from step to step.
"""

import numpy as np
import pytest
import torch
from tolerance import Err, assert_close, two_formulas
from torch import nn

from relu_docs.normalization import batch_norm


def bn_err(x, gamma, beta, mean, var, eps, axes, shape):
    """Bounds on batch normalisation's output given the statistics (Err), both formulas."""
    g, b = Err(gamma).reshape(shape), Err(beta).reshape(shape)
    mean, var = Err.lift(mean).reshape(shape), Err.lift(var).reshape(shape)
    root = (var + eps).sqrt()
    ours = (x - mean) / root * g + b
    a = 1 / root * g
    theirs = x * a + (b - mean * a)
    return Err(ours.v, two_formulas(ours, theirs))


def stats_err(x, axes):
    """The batch's mean and biased variance (two passes, as both libraries compute them)."""
    mean = Err(x).mean(axis=axes, keepdims=True)
    d = x - mean
    return mean.reshape(-1), (d * d).mean(axis=axes)


def running_err(running, batch, momentum):
    """(1 - momentum) * running + momentum * batch: ours; torch: momentum * batch + (1 - momentum) * running."""
    return (1 - Err(momentum)) * running + momentum * batch


@pytest.mark.parametrize("shape", [(8, 5), (4, 3, 6)])
@pytest.mark.parametrize("momentum", [0.1, 0.3])
def test_matches_batchnorm1d_over_train_then_eval_steps(shape, momentum):
    torch.manual_seed(0)
    n_channels = shape[1]
    bn = nn.BatchNorm1d(n_channels, momentum=momentum, eps=1e-5).double()
    with torch.no_grad():
        bn.weight.copy_(torch.randn(n_channels, dtype=torch.float64))
        bn.bias.copy_(torch.randn(n_channels, dtype=torch.float64))
    gamma, beta = bn.weight.detach().numpy().copy(), bn.bias.detach().numpy().copy()
    rm, rv = np.zeros(n_channels), np.ones(n_channels)

    axes = (0,) if len(shape) == 2 else (0, 2)
    bshape = (1, n_channels) + (1,) * (len(shape) - 2)
    m = int(np.prod([shape[a] for a in axes]))
    rm_err, rv_err = Err(rm), Err(rv)  # the running statistics' bounds, carried from step to step

    bn.train()
    for step in range(5):
        x = torch.randn(shape, dtype=torch.float64) * (step + 1) + step
        y_torch = bn(x).detach().numpy()
        y, rm, rv = batch_norm(x.numpy(), gamma, beta, rm, rv, training=True, momentum=momentum)
        mean, var = stats_err(x.numpy(), axes)
        assert_close(y, y_torch, np.float64, 1, bn_err(x.numpy(), gamma, beta, mean, var, 1e-5, axes, bshape).e,
                     f"training output, step {step}")
        rm_err = running_err(rm_err, mean, momentum)
        rv_err = running_err(rv_err, var * (Err(float(m)) / (m - 1)), momentum)  # unbiased: var * m / (m - 1)
        assert_close(rm, bn.running_mean.numpy(), np.float64, 1, rm_err.e, "running mean")
        assert_close(rv, bn.running_var.numpy(), np.float64, 1, rv_err.e, "running var")

    bn.eval()
    for _ in range(2):
        x = torch.randn(shape, dtype=torch.float64)
        y, rm2, rv2 = batch_norm(x.numpy(), gamma, beta, rm, rv, training=False, momentum=momentum)
        bound = bn_err(x.numpy(), gamma, beta, rm_err, rv_err, 1e-5, axes, bshape)
        assert_close(y, bn(x).detach().numpy(), np.float64, 1, bound.e, "evaluation output")
        np.testing.assert_array_equal(rm2, rm)
        np.testing.assert_array_equal(rv2, rv)


def test_matches_functional_without_affine_or_running_stats():
    torch.manual_seed(1)
    x = torch.randn(6, 4, dtype=torch.float64)
    y, rm, rv = batch_norm(x.numpy())
    ref = nn.functional.batch_norm(x, None, None, training=True)
    mean, var = stats_err(x.numpy(), (0,))
    bound = bn_err(x.numpy(), np.ones(4), np.zeros(4), mean, var, 1e-5, (0,), (1, 4))
    assert_close(y, ref.numpy(), np.float64, 1, bound.e, "output")
    assert rm is None and rv is None


def test_running_var_is_unbiased_and_normalisation_biased():
    x = np.array([[0.0], [2.0]])
    y, rm, rv = batch_norm(x, running_mean=[0.0], running_var=[0.0], momentum=1.0, eps=0.0)
    # every intermediate is a small integer or a power of 2: exact
    np.testing.assert_array_equal(y, [[-1.0], [1.0]])  # biased variance 1
    np.testing.assert_array_equal(rv, [2.0])  # unbiased variance 2
    np.testing.assert_array_equal(rm, [1.0])


def test_inputs_not_modified_and_float32_kept():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(5, 3)).astype(np.float32)
    rm, rv = np.zeros(3, np.float32), np.ones(3, np.float32)
    y, rm2, rv2 = batch_norm(x, running_mean=rm, running_var=rv)
    np.testing.assert_array_equal(rm, 0)
    np.testing.assert_array_equal(rv, 1)
    assert y.dtype == rm2.dtype == rv2.dtype == np.float32
    ref = nn.functional.batch_norm(torch.from_numpy(x), torch.zeros(3), torch.ones(3), training=True)
    x64 = x.astype(np.float64)  # both sides compute in float32: the bound in float32's eps
    mean, var = stats_err(x64, (0,))
    bound = bn_err(x64, np.ones(3), np.zeros(3), mean, var, 1e-5, (0,), (1, 3))
    assert_close(y, ref.numpy(), np.float32, 1, bound.e, "float32 output")


def test_batch_of_one_raises_like_torch():
    bn = nn.BatchNorm1d(3).train()
    with pytest.raises(ValueError):
        bn(torch.randn(1, 3))
    with pytest.raises(ValueError, match=r"^x must have more than 1 value per channel"):
        batch_norm(np.ones((1, 3)), running_mean=np.zeros(3), running_var=np.ones(3))
    # a single sample is fine in evaluation mode
    y, _, _ = batch_norm(np.ones((1, 3)), running_mean=np.zeros(3), running_var=np.ones(3), training=False)
    assert y.shape == (1, 3)


@pytest.mark.parametrize(
    "kwargs, exc, name",
    [
        ({"x": "a"}, TypeError, "x"),
        ({"x": np.ones(4)}, ValueError, "x"),
        ({"gamma": np.ones(2)}, ValueError, "gamma"),
        ({"beta": [[0.0, 0.0, 0.0]]}, ValueError, "beta"),
        ({"running_mean": np.zeros(3)}, ValueError, "running_var"),
        ({"running_mean": np.zeros(4), "running_var": np.ones(3)}, ValueError, "running_mean"),
        ({"training": "yes"}, TypeError, "training"),
        ({"training": False}, ValueError, "running_mean"),
        ({"momentum": 1.5}, ValueError, "momentum"),
        ({"eps": -1e-5}, ValueError, "eps"),
    ],
)
def test_bad_input_names_argument(kwargs, exc, name):
    args = {"x": np.ones((4, 3))} | kwargs
    with pytest.raises(exc, match=name):
        batch_norm(**args)
