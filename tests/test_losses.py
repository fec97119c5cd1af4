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


# ------------------------------------------------ reductions and label smoothing


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("shape", [(5,), (4, 3)])
def test_mse_reductions_match_torch(reduction, shape):
    pred, target = regression(shape, seed=3)
    p = torch.tensor(pred, requires_grad=True)
    loss = F.mse_loss(p, torch.from_numpy(target), reduction=reduction)
    loss.sum().backward()
    ours = mse_loss(pred, target, reduction=reduction)
    if reduction == "none":
        np.testing.assert_allclose(ours, loss.detach().numpy(), rtol=1e-14)
        assert ours.dtype == np.float64 and ours.shape == shape
    else:
        assert isinstance(ours, float)
        assert ours == pytest.approx(loss.item(), rel=1e-14)
    np.testing.assert_allclose(mse_loss_grad(pred, target, reduction=reduction), p.grad.numpy(), rtol=1e-13)


def test_sum_gradient_is_batch_size_times_mean_gradient():
    pred, target = regression((6, 2), seed=4)
    np.testing.assert_allclose(mse_loss_grad(pred, target, "sum"), 12 * mse_loss_grad(pred, target), rtol=1e-14)
    logits, labels = classification(n=7)
    np.testing.assert_allclose(cross_entropy_grad(logits, labels, "sum"), 7 * cross_entropy_grad(logits, labels),
                               rtol=1e-13)


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("label_smoothing", [0.0, 0.1, 0.5, 1.0])
def test_cross_entropy_reduction_and_label_smoothing_match_torch(reduction, label_smoothing):
    logits, labels = classification(n=9, c=4, seed=5, scale=3.0)
    z = torch.tensor(logits, requires_grad=True)
    loss = F.cross_entropy(z, torch.from_numpy(labels), reduction=reduction, label_smoothing=label_smoothing)
    loss.sum().backward()
    ours = cross_entropy(logits, labels, reduction=reduction, label_smoothing=label_smoothing)
    np.testing.assert_allclose(ours, loss.detach().numpy(), rtol=1e-12)
    grad = cross_entropy_grad(logits, labels, reduction=reduction, label_smoothing=label_smoothing)
    np.testing.assert_allclose(grad, z.grad.numpy(), rtol=1e-10, atol=1e-15)


def test_label_smoothing_gradient_is_softmax_minus_smoothed_target():
    # ε = 0.3 over C = 3 classes: q = [0.8, 0.1, 0.1] for label 0; rows still sum to 0
    logits = np.array([[0.0, 0.0, 0.0]])
    grad = cross_entropy_grad(logits, [0], label_smoothing=0.3)
    np.testing.assert_allclose(grad, [[1 / 3 - 0.8, 1 / 3 - 0.1, 1 / 3 - 0.1]], rtol=1e-14)
    np.testing.assert_allclose(grad.sum(), 0.0, atol=1e-15)


def test_cross_entropy_float32():
    logits, labels = classification(seed=6)
    logits = logits.astype(np.float32)
    ref = F.cross_entropy(torch.from_numpy(logits), torch.from_numpy(labels), reduction="none", label_smoothing=0.1)
    ours = cross_entropy(logits, labels, reduction="none", label_smoothing=0.1)
    assert ours.dtype == np.float32
    np.testing.assert_allclose(ours, ref.numpy(), rtol=1e-5, atol=1e-6)
    assert cross_entropy_grad(logits, labels, label_smoothing=0.1).dtype == np.float32


# ------------------------------------------------ binary cross-entropy on probabilities


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_bce_on_probabilities_matches_torch_including_clipped_logs(reduction, dtype):
    p = np.concatenate([np.random.default_rng(2).uniform(size=12), [0.0, 1.0, 0.0, 1.0, 1e-30]]).astype(dtype)
    y = np.concatenate([np.random.default_rng(3).uniform(size=12), [0.0, 1.0, 1.0, 0.0, 1.0]]).astype(dtype)
    ref = F.binary_cross_entropy(torch.from_numpy(p), torch.from_numpy(y), reduction=reduction)
    close(losses.binary_cross_entropy(p, y, reduction=reduction), ref, dtype)


def test_bce_clips_the_log_at_minus_100():
    # a probability that rounded to exactly 1 for a negative sample: log(1 - 1) = -inf, clipped to -100
    assert float(losses.binary_cross_entropy([1.0], [0.0])) == 100.0
    assert float(losses.binary_cross_entropy([0.0], [1.0])) == 100.0
    assert float(losses.binary_cross_entropy([1.0], [1.0])) == 0.0


def test_sigmoid_then_bce_breaks_in_float32_where_bce_with_logits_does_not():
    z = np.array([30.0], dtype=np.float32)  # sigmoid(30) rounds to 1.0 in float32
    assert rf.sigmoid(z)[0] == np.float32(1.0)
    assert float(losses.binary_cross_entropy(rf.sigmoid(z), np.zeros(1, np.float32))) == 100.0
    assert float(losses.binary_cross_entropy_with_logits(z, np.zeros(1, np.float32))) == pytest.approx(30.0, rel=1e-6)


@pytest.mark.parametrize("call, error, pattern", [
        (lambda: losses.binary_cross_entropy([1.5], [1.0]), ValueError, "probs must hold probabilities"),
        (lambda: losses.binary_cross_entropy([-0.1], [1.0]), ValueError, "probs must hold probabilities"),
        (lambda: losses.binary_cross_entropy([np.nan], [1.0]), ValueError, "probs"),
        (lambda: losses.binary_cross_entropy("p", [1.0]), TypeError, "probs"),
        (lambda: losses.binary_cross_entropy([0.5], [1.0, 0.0]), ValueError, "target must have"),
        (lambda: losses.binary_cross_entropy([0.5], [1.0], reduction="avg"), ValueError, "reduction"),
        (lambda: mse_loss([1.0], [1.0], reduction=None), ValueError, "reduction"),
        (lambda: mse_loss_grad([1.0], [1.0], reduction="max"), ValueError, "reduction"),
        (lambda: cross_entropy([[1.0, 2.0]], [0], reduction="MEAN"), ValueError, "reduction"),
        (lambda: cross_entropy([[1.0, 2.0]], [0], label_smoothing=1.5), ValueError, "label_smoothing"),
        (lambda: cross_entropy_grad([[1.0, 2.0]], [0], label_smoothing=-0.1), ValueError, "label_smoothing"),
        (lambda: cross_entropy([[1.0, 2.0]], [0], label_smoothing="0.1"), TypeError, "label_smoothing"),
])
def test_new_arguments_bad_input_names_the_argument(call, error, pattern):
    with pytest.raises(error, match=pattern):
        call()
