"""relu_docs.normalization.batch_norm against torch.nn.BatchNorm1d."""

import numpy as np
import pytest
import torch
from torch import nn

from relu_docs.normalization import batch_norm


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

    bn.train()
    for step in range(5):
        x = torch.randn(shape, dtype=torch.float64) * (step + 1) + step
        y_torch = bn(x).detach().numpy()
        y, rm, rv = batch_norm(x.numpy(), gamma, beta, rm, rv, training=True, momentum=momentum)
        np.testing.assert_allclose(y, y_torch, rtol=1e-12, atol=1e-12)
        np.testing.assert_allclose(rm, bn.running_mean.numpy(), rtol=1e-12, atol=1e-14)
        np.testing.assert_allclose(rv, bn.running_var.numpy(), rtol=1e-12, atol=1e-14)

    bn.eval()
    for _ in range(2):
        x = torch.randn(shape, dtype=torch.float64)
        y, rm2, rv2 = batch_norm(x.numpy(), gamma, beta, rm, rv, training=False, momentum=momentum)
        np.testing.assert_allclose(y, bn(x).detach().numpy(), rtol=1e-12, atol=1e-12)
        np.testing.assert_array_equal(rm2, rm)
        np.testing.assert_array_equal(rv2, rv)


def test_matches_functional_without_affine_or_running_stats():
    torch.manual_seed(1)
    x = torch.randn(6, 4, dtype=torch.float64)
    y, rm, rv = batch_norm(x.numpy())
    ref = nn.functional.batch_norm(x, None, None, training=True)
    np.testing.assert_allclose(y, ref.numpy(), rtol=1e-12, atol=1e-12)
    assert rm is None and rv is None


def test_running_var_is_unbiased_and_normalisation_biased():
    x = np.array([[0.0], [2.0]])
    y, rm, rv = batch_norm(x, running_mean=[0.0], running_var=[0.0], momentum=1.0, eps=0.0)
    np.testing.assert_allclose(y, [[-1.0], [1.0]])  # biased variance 1
    np.testing.assert_allclose(rv, [2.0])  # unbiased variance 2
    np.testing.assert_allclose(rm, [1.0])


def test_inputs_not_modified_and_float32_kept():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(5, 3)).astype(np.float32)
    rm, rv = np.zeros(3, np.float32), np.ones(3, np.float32)
    y, rm2, rv2 = batch_norm(x, running_mean=rm, running_var=rv)
    np.testing.assert_array_equal(rm, 0)
    np.testing.assert_array_equal(rv, 1)
    assert y.dtype == rm2.dtype == rv2.dtype == np.float32
    ref = nn.functional.batch_norm(torch.from_numpy(x), torch.zeros(3), torch.ones(3), training=True)
    np.testing.assert_allclose(y, ref.numpy(), rtol=1e-5, atol=1e-6)


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
