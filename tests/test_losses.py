"""relu_docs.losses against torch.nn.functional and torch.autograd."""

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from relu_docs import functional as rf
from relu_docs import losses
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


# ------------------------------------------------ binary cross-entropy on logits


def close(ours, theirs, dtype=np.float64):
    theirs = theirs.detach().numpy() if isinstance(theirs, torch.Tensor) else np.asarray(theirs)
    rtol, atol = {np.float32: (1e-5, 1e-6), np.float64: (1e-12, 1e-14)}[dtype]
    assert ours.dtype == dtype and ours.shape == theirs.shape
    np.testing.assert_allclose(ours.astype(np.float64), theirs.astype(np.float64), rtol=rtol, atol=atol)


def rand(shape, dtype, scale=3.0, seed=0):
    return (np.random.default_rng(seed).normal(size=shape) * scale).astype(dtype)


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
    close(losses.binary_cross_entropy_with_logits(z, y, reduction=reduction), loss.detach())
    loss.sum().backward()
    close(losses.binary_cross_entropy_with_logits_grad(z, y, reduction=reduction), zt.grad)


def test_bce_with_logits_float32():
    z = rand(10, np.float32)
    y = (z > 0).astype(np.float32)
    ref = F.binary_cross_entropy_with_logits(torch.from_numpy(z), torch.from_numpy(y))
    close(losses.binary_cross_entropy_with_logits(z, y), ref, np.float32)


@pytest.mark.parametrize("call, error, pattern", [
        (lambda: losses.binary_cross_entropy_with_logits([1.0], [1.0, 0.0]), ValueError, "target must have"),
        (lambda: losses.binary_cross_entropy_with_logits([1.0], "y"), TypeError, "target must"),
])
def test_bce_bad_input_names_the_argument(call, error, pattern):
    with pytest.raises(error, match=pattern):
        call()
