"""relu_docs.losses against torch.nn.functional and torch.autograd.

Tolerances are in units of the dtype's eps (``tests/tolerance.py``). Each bound is a running error bound
(``Err``) of the formula as PyTorch evaluates it and, where ours differs, of ours (``two_formulas``): a loss
subtracts nearly equal numbers (``log-sum-exp - z_y``, ``softmax - onehot``, ``max(z, 0) - z y``), so its
error is a few eps of the terms, not of the (possibly tiny) result.
"""

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from tolerance import Err, assert_close, two_formulas

from relu_docs import functional as rf
from relu_docs import losses
from relu_docs.losses import cross_entropy, cross_entropy_grad, mse_loss, mse_loss_grad


def regression(shape=(8, 3), seed=0):
    rng = np.random.default_rng(seed)
    return rng.normal(size=shape), rng.normal(size=shape)


def reduce(values: Err, reduction):
    """A reduction of per-element losses: a sum of n terms adds n - 1 roundings of their magnitude."""
    return values if reduction == "none" else values.sum() if reduction == "sum" else values.mean()


def mse_err(pred, target, reduction="mean"):
    """(loss, gradient) bounds: d = pred - target and d * d round once each, then the reduction; the
    gradient (2 / M) * d rounds 2 / M, d and the product (torch: ``(x - y) * (2 / M * grad)``)."""
    d = Err(pred) - target
    norm = Err(2.0) / pred.size if reduction == "mean" else Err(2.0)
    return reduce(d * d, reduction), d * norm


@pytest.mark.parametrize("shape", [(5,), (8, 3), (2, 3, 4)])
def test_mse_value_and_gradient_match_torch(shape):
    pred, target = regression(shape)
    p = torch.tensor(pred, requires_grad=True)
    loss = F.mse_loss(p, torch.from_numpy(target))
    loss.backward()
    value, grad = mse_err(pred, target)
    assert_close(np.asarray(mse_loss(pred, target)), loss.detach().numpy(), np.float64, 1, value.e, "mse")
    assert_close(mse_loss_grad(pred, target), p.grad.numpy(), np.float64, 1, grad.e, "mse grad")


def test_mse_grad_keeps_float32():
    pred, target = regression()
    assert mse_loss_grad(pred.astype(np.float32), target).dtype == np.float32


def classification(n=16, c=5, seed=0, scale=1.0):
    rng = np.random.default_rng(seed)
    return scale * rng.normal(size=(n, c)), rng.integers(0, c, size=n)


def log_softmax_err(z: Err):
    """log softmax and softmax of the rows, as both libraries compute them: t = z - max, e = exp(t),
    s = sum e, log p = t - log s, p = e / s."""
    t = z - z.max(axis=1, keepdims=True)
    e = t.exp()
    s = e.sum(axis=1, keepdims=True)
    return t - s.log(), e / s


def cross_entropy_err(logits, labels, reduction="mean", label_smoothing=0.0):
    """Bounds on (loss, gradient) of cross-entropy: PyTorch's formula and ours, each as it is evaluated.

    PyTorch: ``(1 - eps) * nll(log p) + eps / C * sum_j(-log p_j)``, each part reduced on its own; its
    gradient runs log_softmax's backward ``g - exp(log p) * sum_j g_j`` on the gradient g of log p.
    Ours: ``-sum_j q_j log p_j`` with the smoothed target q, and the gradient ``(softmax - q) / N``.
    """
    z = logits if isinstance(logits, Err) else Err(logits)
    n, c = z.v.shape
    rows = np.arange(n)
    onehot = np.zeros((n, c))
    onehot[rows, labels] = 1.0
    logp, p = log_softmax_err(z)
    per_n = Err(1.0) / n if reduction == "mean" else Err(1.0)
    # PyTorch
    nll = reduce(-logp[rows, labels], reduction)
    g = -(onehot * per_n)  # nll's backward: -1/N (or -1) at the label
    if label_smoothing:
        keep, spread = Err(1.0) - label_smoothing, Err(label_smoothing) / c
        smooth = reduce(-logp.sum(axis=1), reduction)
        theirs = keep * nll + smooth * spread
        g = keep * g - spread * per_n * np.ones((n, c))
    else:
        theirs = nll
    theirs_grad = g - logp.exp() * g.sum(axis=1, keepdims=True)
    # ours
    q = Err(np.full((n, c), label_smoothing / c), np.full((n, c), label_smoothing / c))  # eps / C rounded
    q = q + onehot * (Err(1.0) - label_smoothing) if label_smoothing else Err(onehot)
    ours = reduce(-(q * logp).sum(axis=1), reduction) if label_smoothing else nll
    ours_grad = (p - q) * per_n if reduction == "mean" else p - q
    return {"ours": ours, "theirs": theirs, "ours_grad": ours_grad, "theirs_grad": theirs_grad,
            "value": two_formulas(ours, theirs), "grad": two_formulas(ours_grad, theirs_grad)}


@pytest.mark.parametrize("scale", [1.0, 30.0, 1000.0])
def test_cross_entropy_value_and_gradient_match_torch(scale):
    logits, labels = classification(scale=scale)
    z = torch.tensor(logits, requires_grad=True)
    loss = F.cross_entropy(z, torch.from_numpy(labels))
    loss.backward()
    assert np.isfinite(cross_entropy(logits, labels))
    bound = cross_entropy_err(logits, labels)
    assert_close(np.asarray(cross_entropy(logits, labels)), loss.detach().numpy(), np.float64, 1, bound["value"],
                 "cross_entropy")
    assert_close(cross_entropy_grad(logits, labels), z.grad.numpy(), np.float64, 1, bound["grad"],
                 "cross_entropy grad")


def test_cross_entropy_gradient_rows_sum_to_zero():
    logits, labels = classification()
    # exactly 0 in real arithmetic; computed: our (softmax - onehot) / N summed over the row, one side of
    # a two-sided bound (half of it)
    row_sums = cross_entropy_err(logits, labels)["ours_grad"].sum(axis=1)
    assert_close(cross_entropy_grad(logits, labels).sum(axis=1), np.zeros(len(labels)), np.float64, 1,
                 row_sums.e / 2, "row sums of the gradient")


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


def bce_with_logits_err(z, y, reduction="mean"):
    """Bounds on (loss, gradient) of binary cross-entropy on logits.

    softplus(-|z|) = log1p(exp(-|z|)): exp within an ulp, log1p within an ulp and of slope at most 1, so
    within 4 roundings of itself. PyTorch: ``(1 - y) z - log_sigmoid(z)`` with
    ``log_sigmoid(z) = min(z, 0) - softplus(-|z|)``; ours: ``max(z, 0) - z y + softplus(-|z|)``. The
    gradient is ``sigmoid(z) - y`` on both sides, times ``1 / M`` for the mean.
    """
    z64, y64 = np.asarray(z, np.float64), np.asarray(y, np.float64)
    sp = np.log1p(np.exp(-np.abs(z64)))
    softplus = Err(sp, 4 * sp)
    theirs = (Err(1.0) - y64) * z64 - (np.minimum(z64, 0.0) - softplus)
    ours = np.maximum(z64, 0.0) - Err(z64) * y64 + softplus
    grad = Err(z64).sigmoid() - y64
    if reduction == "mean":
        grad = grad * (Err(1.0) / z64.size)
    return {"ours": reduce(ours, reduction), "value": two_formulas(reduce(ours, reduction), reduce(theirs, reduction)),
            "grad": grad.e}


def rand(shape, dtype, scale=3.0, seed=0):
    return (np.random.default_rng(seed).normal(size=shape) * scale).astype(dtype)


def test_softmax_before_cross_entropy_is_a_different_loss():
    # The mistake the Softmax page shows: CrossEntropyLoss applied to probabilities.
    z = torch.tensor([[4.0, 0.0, 0.0]], dtype=torch.float64)
    y = torch.tensor([0])
    right = F.cross_entropy(z, y)
    wrong = F.cross_entropy(torch.softmax(z, -1), y)
    assert_close(np.asarray(losses.cross_entropy(z.numpy(), y.numpy())), right.numpy(), np.float64, 1,
                 cross_entropy_err(z.numpy(), y.numpy())["value"], "right")
    # the probabilities differ by the two softmaxes' bound before they enter the loss
    _, probs = log_softmax_err(Err(z.numpy()))
    assert_close(np.asarray(losses.cross_entropy(rf.softmax(z.numpy()), y.numpy())), wrong.numpy(), np.float64, 1,
                 cross_entropy_err(Err(probs.v, probs.e), y.numpy())["value"], "wrong")
    assert wrong.item() > 0.5 > right.item()
    # probabilities lie in [0, 1], so the "loss" can never fall below this floor: log(1 + 2/e)
    floor = losses.cross_entropy([[1.0, 0.0, 0.0]], [0])
    assert wrong.item() >= floor
    # the reference rounds e, 2 / e, 1 + 2 / e and the log
    reference = (1 + 2 / Err(np.e, np.e)).log()
    ours = cross_entropy_err(np.array([[1.0, 0.0, 0.0]]), np.array([0]))["ours"]
    assert_close(np.asarray(floor), np.log(1 + 2 / np.e), np.float64, 1, two_formulas(ours, reference), "floor")


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_bce_with_logits_and_grad_match_torch(reduction):
    z = np.concatenate([rand(20, np.float64, scale=5), [-1000.0, 1000.0, 0.0, -40.0, 40.0]])
    y = np.random.default_rng(1).uniform(size=z.shape)
    y[-5:] = [1.0, 0.0, 1.0, 1.0, 0.0]
    zt = torch.tensor(z, requires_grad=True)
    loss = F.binary_cross_entropy_with_logits(zt, torch.from_numpy(y), reduction=reduction)
    bound = bce_with_logits_err(z, y, reduction)
    assert_close(losses.binary_cross_entropy_with_logits(z, y, reduction=reduction), loss.detach().numpy(),
                 np.float64, 1, bound["value"], "bce_with_logits")
    loss.sum().backward()
    assert_close(losses.binary_cross_entropy_with_logits_grad(z, y, reduction=reduction), zt.grad.numpy(),
                 np.float64, 1, bound["grad"], "bce_with_logits grad")


def test_bce_with_logits_float32():
    z = rand(10, np.float32)
    y = (z > 0).astype(np.float32)
    ref = F.binary_cross_entropy_with_logits(torch.from_numpy(z), torch.from_numpy(y))
    assert_close(losses.binary_cross_entropy_with_logits(z, y), ref.numpy(), np.float32, 1,
                 bce_with_logits_err(z, y)["value"], "bce_with_logits float32")


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
    value, grad = mse_err(pred, target, reduction)
    if reduction == "none":
        assert ours.dtype == np.float64 and ours.shape == shape
    else:
        assert isinstance(ours, float)
    assert_close(np.asarray(ours), loss.detach().numpy(), np.float64, 1, value.e, "mse")
    assert_close(mse_loss_grad(pred, target, reduction=reduction), p.grad.numpy(), np.float64, 1, grad.e, "mse grad")


def test_sum_gradient_is_batch_size_times_mean_gradient():
    # both sides share d = pred - target (or softmax - onehot); "sum" multiplies it by 2 (exact), "mean"
    # by 2 / M or divides it by N, and the test multiplies back: at most three roundings of the value
    pred, target = regression((6, 2), seed=4)
    total = mse_loss_grad(pred, target, "sum")
    assert_close(12 * mse_loss_grad(pred, target), total, np.float64, 2, what="mse: sum = M * mean")
    logits, labels = classification(n=7)
    total = cross_entropy_grad(logits, labels, "sum")
    assert_close(7 * cross_entropy_grad(logits, labels), total, np.float64, 2, what="cross_entropy: sum = N * mean")


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("label_smoothing", [0.0, 0.1, 0.5, 1.0])
def test_cross_entropy_reduction_and_label_smoothing_match_torch(reduction, label_smoothing):
    logits, labels = classification(n=9, c=4, seed=5, scale=3.0)
    z = torch.tensor(logits, requires_grad=True)
    loss = F.cross_entropy(z, torch.from_numpy(labels), reduction=reduction, label_smoothing=label_smoothing)
    loss.sum().backward()
    ours = cross_entropy(logits, labels, reduction=reduction, label_smoothing=label_smoothing)
    bound = cross_entropy_err(logits, labels, reduction, label_smoothing)
    assert_close(np.asarray(ours), loss.detach().numpy(), np.float64, 1, bound["value"], "cross_entropy")
    grad = cross_entropy_grad(logits, labels, reduction=reduction, label_smoothing=label_smoothing)
    assert_close(grad, z.grad.numpy(), np.float64, 1, bound["grad"], "cross_entropy grad")


def test_label_smoothing_gradient_is_softmax_minus_smoothed_target():
    # ε = 0.3 over C = 3 classes: q = [0.8, 0.1, 0.1] for label 0; rows still sum to 0
    logits = np.array([[0.0, 0.0, 0.0]])
    grad = cross_entropy_grad(logits, [0], label_smoothing=0.3)
    ours = cross_entropy_err(logits, np.array([0]), label_smoothing=0.3)["ours_grad"]
    # the reference rounds 1 / 3, the literals 0.8 and 0.1, and the difference
    q = np.array([[0.8, 0.1, 0.1]])
    reference = Err(1.0) / 3 - Err(q, q)
    assert_close(grad, [[1 / 3 - 0.8, 1 / 3 - 0.1, 1 / 3 - 0.1]], np.float64, 1, two_formulas(ours, reference),
                 "softmax - q")
    assert_close(np.asarray(grad.sum()), 0.0, np.float64, 1, ours.sum().e / 2, "row sum")


def test_cross_entropy_float32():
    logits, labels = classification(seed=6)
    logits = logits.astype(np.float32)
    ref = F.cross_entropy(torch.from_numpy(logits), torch.from_numpy(labels), reduction="none", label_smoothing=0.1)
    ours = cross_entropy(logits, labels, reduction="none", label_smoothing=0.1)
    assert ours.dtype == np.float32
    # PyTorch computes in float32 (one side of its bound, in float32's eps); ours in float64, then rounds
    # once to float32
    theirs = cross_entropy_err(logits.astype(np.float64), labels, "none", 0.1)["theirs"]
    assert_close(ours, ref.numpy(), np.float32, 1, theirs.e / 2 + np.abs(theirs.v) / 2, "cross_entropy float32")
    assert cross_entropy_grad(logits, labels, label_smoothing=0.1).dtype == np.float32


# ------------------------------------------------ binary cross-entropy on probabilities


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_bce_on_probabilities_matches_torch_including_clipped_logs(reduction, dtype):
    p = np.concatenate([np.random.default_rng(2).uniform(size=12), [0.0, 1.0, 0.0, 1.0, 1e-30]]).astype(dtype)
    y = np.concatenate([np.random.default_rng(3).uniform(size=12), [0.0, 1.0, 1.0, 0.0, 1.0]]).astype(dtype)
    ref = F.binary_cross_entropy(torch.from_numpy(p), torch.from_numpy(y), reduction=reduction)
    # log p and log1p(-p) within an ulp each (clipped at -100, exactly); PyTorch evaluates
    # (y - 1) log1p(-p) - y log p, ours -(y log p + (1 - y) log1p(-p))
    p64, y64 = p.astype(np.float64), y.astype(np.float64)
    with np.errstate(divide="ignore"):
        log_p, log_q = np.maximum(np.log(p64), -100.0), np.maximum(np.log1p(-p64), -100.0)
    log_p, log_q = Err(log_p, 2 * np.abs(log_p)), Err(log_q, 2 * np.abs(log_q))
    theirs = reduce((Err(y64) - 1) * log_q - Err(y64) * log_p, reduction)
    ours = reduce(-(Err(y64) * log_p + (1 - Err(y64)) * log_q), reduction)
    assert_close(losses.binary_cross_entropy(p, y, reduction=reduction), ref.numpy(), dtype, 1,
                 two_formulas(ours, theirs), "binary_cross_entropy")


def test_bce_clips_the_log_at_minus_100():
    # a probability that rounded to exactly 1 for a negative sample: log(1 - 1) = -inf, clipped to -100
    assert float(losses.binary_cross_entropy([1.0], [0.0])) == 100.0
    assert float(losses.binary_cross_entropy([0.0], [1.0])) == 100.0
    assert float(losses.binary_cross_entropy([1.0], [1.0])) == 0.0


def test_sigmoid_then_bce_breaks_in_float32_where_bce_with_logits_does_not():
    z = np.array([30.0], dtype=np.float32)  # sigmoid(30) rounds to 1.0 in float32
    assert rf.sigmoid(z)[0] == np.float32(1.0)
    assert float(losses.binary_cross_entropy(rf.sigmoid(z), np.zeros(1, np.float32))) == 100.0
    # 30 + log1p(e^-30) = 30 + 9.4e-14: our float32 formula against the value (one side of its bound)
    ours = bce_with_logits_err(z, np.zeros(1, np.float32))["ours"]
    assert_close(losses.binary_cross_entropy_with_logits(z, np.zeros(1, np.float32)), 30 + np.log1p(np.exp(-30.0)),
                 np.float32, 1, ours.e / 2, "bce_with_logits(30, 0)")


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
