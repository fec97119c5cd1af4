"""relu_docs.losses against torch.nn.functional and torch.autograd."""

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from relu_docs.losses import cross_entropy, cross_entropy_grad, mse_loss, mse_loss_grad


def regression(shape=(8, 3), seed=0):
    rng = np.random.default_rng(seed)
    return rng.normal(size=shape), rng.normal(size=shape)


@pytest.mark.parametrize("shape", [(5,), (8, 3), (2, 3, 4)])
def test_mse_value_and_gradient_match_torch(shape):
    pred, target = regression(shape)
    p = torch.tensor(pred, requires_grad=True)
    loss = F.mse_loss(p, torch.from_numpy(target))
    loss.backward()
    assert mse_loss(pred, target) == pytest.approx(loss.item(), rel=1e-14)
    np.testing.assert_allclose(mse_loss_grad(pred, target), p.grad.numpy(), rtol=1e-13)


def test_mse_grad_keeps_float32():
    pred, target = regression()
    assert mse_loss_grad(pred.astype(np.float32), target).dtype == np.float32


def classification(n=16, c=5, seed=0, scale=1.0):
    rng = np.random.default_rng(seed)
    return scale * rng.normal(size=(n, c)), rng.integers(0, c, size=n)


@pytest.mark.parametrize("scale", [1.0, 30.0, 1000.0])
def test_cross_entropy_value_and_gradient_match_torch(scale):
    logits, labels = classification(scale=scale)
    z = torch.tensor(logits, requires_grad=True)
    loss = F.cross_entropy(z, torch.from_numpy(labels))
    loss.backward()
    assert np.isfinite(cross_entropy(logits, labels))
    assert cross_entropy(logits, labels) == pytest.approx(loss.item(), rel=1e-12)
    np.testing.assert_allclose(cross_entropy_grad(logits, labels), z.grad.numpy(), rtol=1e-10, atol=1e-15)


def test_cross_entropy_gradient_rows_sum_to_zero():
    logits, labels = classification()
    np.testing.assert_allclose(cross_entropy_grad(logits, labels).sum(axis=1), 0.0, atol=1e-15)


def test_cross_entropy_accepts_torch_labels():
    logits, labels = classification()
    assert cross_entropy(logits, torch.from_numpy(labels)) == cross_entropy(logits, labels)


@pytest.mark.parametrize(
    "call, exc, words",
    [
        (lambda: mse_loss("a", [1.0]), TypeError, "pred"),
        (lambda: mse_loss([1.0], None), TypeError, "target"),
        (lambda: mse_loss([1.0, 2.0], [1.0]), ValueError, "target"),
        (lambda: mse_loss([], []), ValueError, "pred"),
        (lambda: cross_entropy([1.0, 2.0], [0]), ValueError, "logits"),
        (lambda: cross_entropy([[1.0, 2.0]], [0.0]), TypeError, "target"),
        (lambda: cross_entropy([[1.0, 2.0]], "0"), TypeError, "target"),
        (lambda: cross_entropy([[1.0, 2.0]], [0, 1]), ValueError, "target"),
        (lambda: cross_entropy_grad([[1.0, 2.0]], [-1]), ValueError, "target"),
    ],
)
def test_bad_input_names_the_argument(call, exc, words):
    with pytest.raises(exc, match=words):
        call()
