r"""Loss functions and their gradients, averaged over the batch as ``torch.nn.functional`` does.

A loss function turns the network's output and the target into one number
that training makes small. The three on the 손실 함수 page (``docs/loss-function.md``):
mean squared error for regression, cross-entropy for one label among
:math:`C` classes, binary cross-entropy for yes/no (and multi-label) targets:

.. math::

    L_\text{MSE}(\hat y, y) = \frac{1}{M}\sum_{i=1}^{M} (\hat y_i - y_i)^2,
    \qquad
    L_\text{CE}(z, y) = -\frac{1}{N}\sum_{n=1}^{N} \log \operatorname{softmax}(z_n)_{y_n},
    \qquad
    L_\text{BCE}(z, y) = \frac{1}{M}\sum_{i=1}^{M} \bigl(-y_i \log\sigma(z_i) - (1-y_i)\log(1-\sigma(z_i))\bigr),

where :math:`M` is the number of elements of :math:`\hat y` and, for the
cross-entropy, :math:`z` is an ``(N, C)`` array of logits and :math:`y_n`
the integer class label of example :math:`n`. Their gradients with respect to
the output are the starting point of backpropagation:

.. math::

    \frac{\partial L_\text{MSE}}{\partial \hat y} = \frac{2}{M}(\hat y - y),
    \qquad
    \frac{\partial L_\text{CE}}{\partial z} = \frac{1}{N}\bigl(\operatorname{softmax}(z) - \operatorname{onehot}(y)\bigr),
    \qquad
    \frac{\partial L_\text{BCE}}{\partial z} = \frac{1}{M}\bigl(\sigma(z) - y\bigr).

Every loss takes ``reduction`` as ``torch.nn.functional`` does: ``"mean"``
(the default) averages the per-sample losses, ``"sum"`` adds them, ``"none"``
returns them unreduced; the gradient of ``"sum"`` is :math:`N` (or :math:`M`)
times that of ``"mean"``.

Return types: :func:`mse_loss` and :func:`cross_entropy` return a Python
float for ``"mean"``/``"sum"`` (computed in float64) and an array in the
input's dtype for ``"none"``; the binary cross-entropies return arrays (0-d
when reduced) in the input's dtype. Gradients keep a float input's dtype;
integer input becomes float64.
"""

from __future__ import annotations

import numpy as np

from relu_docs.functional import log_softmax, sigmoid, softmax
from relu_docs.validation import as_array, as_float_array, check_scalar

__all__ = [
    "mse_loss", "mse_loss_grad", "cross_entropy", "cross_entropy_grad",
    "binary_cross_entropy", "binary_cross_entropy_with_logits", "binary_cross_entropy_with_logits_grad",
]

_REDUCTIONS = ("mean", "sum", "none")


def _check_reduction(reduction) -> str:
    if not isinstance(reduction, str) or reduction not in _REDUCTIONS:
        raise ValueError(f"reduction must be one of {_REDUCTIONS}, got {reduction!r}")
    return reduction


def _reduce(values: np.ndarray, reduction: str):
    if reduction == "none":
        return values
    return values.sum() if reduction == "sum" else values.mean()


def _reduced_float(values: np.ndarray, reduction: str, dtype):
    """Python float for "mean"/"sum" (values in float64), an array in ``dtype`` for "none"."""
    if reduction == "none":
        return values.astype(dtype, copy=False)
    return float(_reduce(values, reduction))


def _pair(pred, target):
    pred = as_array(pred, "pred")
    target = as_array(target, "target")
    if pred.shape != target.shape:
        raise ValueError(f"target must have pred's shape {pred.shape}, got {target.shape}")
    if pred.size == 0:
        raise ValueError("pred must not be empty")
    return pred, target


def mse_loss(pred, target, reduction: str = "mean"):
    r"""Mean squared error :math:`\frac{1}{M}\sum_i (\hat y_i - y_i)^2`, as ``F.mse_loss``.

    ``pred`` and ``target`` have the same shape, any number of elements
    :math:`M \ge 1`; the mean runs over all of them. ``reduction="sum"`` gives
    :math:`\sum_i (\hat y_i - y_i)^2`, ``"none"`` the squared errors themselves.

    >>> mse_loss([1.0, 2.0, 3.0], [1.0, 0.0, 0.0])   # (0 + 4 + 9) / 3
    4.333333333333333
    >>> mse_loss([1.0, 2.0, 3.0], [1.0, 0.0, 0.0], reduction="sum")
    13.0
    >>> mse_loss([1.0], [1.0, 2.0])
    Traceback (most recent call last):
    ...
    ValueError: target must have pred's shape (1,), got (2,)
    """
    reduction = _check_reduction(reduction)
    pred, target = _pair(pred, target)
    diff = pred.astype(np.float64) - target.astype(np.float64)
    return _reduced_float(diff * diff, reduction, pred.dtype)


def mse_loss_grad(pred, target, reduction: str = "mean") -> np.ndarray:
    r"""Gradient of :func:`mse_loss` with respect to ``pred``: :math:`\frac{2}{M}(\hat y - y)`.

    For ``reduction="sum"`` (and for each element of ``"none"``) the factor
    is :math:`2` instead of :math:`2/M`.

    >>> mse_loss_grad([1.0, 2.0, 3.0], [1.0, 0.0, 0.0])
    array([0.        , 1.33333333, 2.        ])
    >>> mse_loss_grad([1.0, 2.0, 3.0], [1.0, 0.0, 0.0], reduction="sum")
    array([0., 4., 6.])
    """
    reduction = _check_reduction(reduction)
    pred, target = _pair(pred, target)
    scale = 2.0 / pred.size if reduction == "mean" else 2.0
    return (scale * (pred - target.astype(pred.dtype))).astype(pred.dtype, copy=False)


def _logits_and_labels(logits, target):
    logits = as_array(logits, "logits")
    if logits.ndim != 2 or logits.shape[0] == 0 or logits.shape[1] == 0:
        raise ValueError(f"logits must have shape (N, C) with N, C >= 1, got {logits.shape}")
    if hasattr(target, "detach") and hasattr(target, "numpy"):  # a torch.Tensor
        target = target.detach().cpu().numpy()
    if target is None or isinstance(target, (str, bytes)):
        raise TypeError(f"target must hold integer class labels, got {type(target).__name__}")
    labels = np.asarray(target)
    if labels.dtype.kind not in "iu":
        raise TypeError(f"target must hold integer class labels, got dtype {labels.dtype}")
    n, c = logits.shape
    if labels.shape != (n,):
        raise ValueError(f"target must have shape ({n},), one label per row of logits, got {labels.shape}")
    if labels.min() < 0 or labels.max() >= c:
        raise ValueError(f"target must hold class labels in [0, {c}), got {labels.min()}..{labels.max()}")
    return logits, labels


def _check_label_smoothing(label_smoothing) -> float:
    value = check_scalar(label_smoothing, "label_smoothing")
    if not 0.0 <= value <= 1.0:
        raise ValueError(f"label_smoothing must be in [0, 1], got {value}")
    return value


def _smoothed_targets(labels: np.ndarray, n_classes: int, label_smoothing: float) -> np.ndarray:
    r"""The target distribution :math:`q = (1-\varepsilon)\operatorname{onehot}(y) + \varepsilon / C`, float64."""
    q = np.full((len(labels), n_classes), label_smoothing / n_classes)
    q[np.arange(len(labels)), labels] += 1.0 - label_smoothing
    return q


def cross_entropy(logits, target, reduction: str = "mean", label_smoothing: float = 0.0):
    r"""Cross-entropy of integer labels under softmax of the logits, batch mean, as ``F.cross_entropy``.

    .. math::

        \ell_n = -\log \operatorname{softmax}(z_n)_{y_n}
               = \log\sum_j e^{z_{nj}} - z_{n y_n},
        \qquad L = \frac{1}{N}\sum_n \ell_n

    ``logits``: ``(N, C)``; ``target``: ``(N,)`` integer labels in
    ``[0, C)``. Computed with :func:`relu_docs.functional.log_softmax`
    (log-sum-exp), so logits of :math:`\pm 1000` give a finite loss.

    With ``label_smoothing`` :math:`\varepsilon` (Szegedy et al., 2016,
    arXiv:1512.00567) the target is the distribution
    :math:`q = (1-\varepsilon)\operatorname{onehot}(y) + \varepsilon/C`
    instead of the one-hot vector, and
    :math:`\ell_n = -\sum_j q_{nj} \log \operatorname{softmax}(z_n)_j`,
    as ``torch.nn.CrossEntropyLoss(label_smoothing=ε)`` computes it.

    >>> cross_entropy([[0.0, 0.0]], [1])           # two equal logits: log 2
    0.6931471805599453
    >>> cross_entropy([[1000.0, -1000.0]], [1])    # confidently wrong, still finite
    2000.0
    >>> cross_entropy([[2.0, 0.0, 0.0], [0.0, 0.0, 0.0]], [0, 1], reduction="none").round(4)
    array([0.2395, 1.0986])
    >>> round(cross_entropy([[1000.0, -1000.0]], [0], label_smoothing=0.1), 6)  # ε/C · 2000
    100.0
    >>> cross_entropy([[0.0, 0.0]], [2])
    Traceback (most recent call last):
    ...
    ValueError: target must hold class labels in [0, 2), got 2..2
    """
    reduction = _check_reduction(reduction)
    label_smoothing = _check_label_smoothing(label_smoothing)
    logits, labels = _logits_and_labels(logits, target)
    logp = log_softmax(logits.astype(np.float64), axis=1)
    if label_smoothing == 0.0:
        values = -logp[np.arange(len(labels)), labels]
    else:
        values = -(_smoothed_targets(labels, logits.shape[1], label_smoothing) * logp).sum(axis=1)
    return _reduced_float(values, reduction, logits.dtype)


def cross_entropy_grad(logits, target, reduction: str = "mean", label_smoothing: float = 0.0) -> np.ndarray:
    r"""Gradient of :func:`cross_entropy` with respect to the logits: :math:`\frac1N(\operatorname{softmax}(z) - \operatorname{onehot}(y))`.

    With label smoothing the one-hot vector becomes the smoothed target
    :math:`q`: :math:`\frac1N(\operatorname{softmax}(z) - q)`. For
    ``reduction="sum"`` or ``"none"`` the factor :math:`1/N` is dropped.

    Each row sums to 0: raising every logit of an example by the same amount
    leaves the softmax, and so the loss, unchanged.

    >>> cross_entropy_grad([[0.0, 0.0], [2.0, 0.0]], [1, 0]).round(4)
    array([[ 0.25  , -0.25  ],
           [-0.0596,  0.0596]])
    >>> cross_entropy_grad([[1000.0, -1000.0]], [0], label_smoothing=0.1)  # p − q = [1, 0] − [0.95, 0.05]
    array([[ 0.05, -0.05]])
    """
    reduction = _check_reduction(reduction)
    label_smoothing = _check_label_smoothing(label_smoothing)
    logits, labels = _logits_and_labels(logits, target)
    grad = softmax(logits, axis=1).astype(np.float64)
    if label_smoothing == 0.0:
        grad[np.arange(len(labels)), labels] -= 1
    else:
        grad -= _smoothed_targets(labels, logits.shape[1], label_smoothing)
    if reduction == "mean":
        grad /= len(labels)
    return grad.astype(logits.dtype, copy=False)


# ------------------------------------------------- binary cross-entropy


def _bce_inputs(logits, target):
    z, dtype = as_float_array(logits, "logits")
    y = as_array(target, "target").astype(z.dtype)
    if y.shape != z.shape:
        raise ValueError(f"target must have the shape of logits {z.shape}, got {y.shape}")
    return z, y, dtype


def binary_cross_entropy(probs, target, reduction: str = "mean"):
    r"""Binary cross-entropy of probabilities, as ``torch.nn.BCELoss``: each log is clipped at :math:`-100`.

    .. math::

        \ell(p, y) = -\bigl(y \max(\log p, -100) + (1 - y) \max(\log(1 - p), -100)\bigr)

    ``probs``: probabilities in :math:`[0, 1]` (the output of a sigmoid);
    ``target``: same shape, values in :math:`[0, 1]`. PyTorch clips the logs
    so that a probability rounded to exactly 0 or 1 gives a finite loss of
    100 instead of :math:`\infty`; the price is a wrong value and, through
    the sigmoid, a zero gradient. Prefer
    :func:`binary_cross_entropy_with_logits` on the logits.

    >>> float(binary_cross_entropy([0.5], [1.0]))   # log 2
    0.6931471805599453
    >>> float(binary_cross_entropy([1.0], [0.0]))   # log 0 clipped: 100, not ∞
    100.0
    >>> binary_cross_entropy([1.5], [1.0])
    Traceback (most recent call last):
    ...
    ValueError: probs must hold probabilities in [0, 1], got values in [1.5, 1.5]
    """
    reduction = _check_reduction(reduction)
    p, dtype = as_float_array(probs, "probs")
    if p.size and not (np.all(p >= 0) and np.all(p <= 1)):  # NaN fails both
        raise ValueError(f"probs must hold probabilities in [0, 1], got values in [{p.min()}, {p.max()}]")
    y = as_array(target, "target").astype(p.dtype)
    if y.shape != p.shape:
        raise ValueError(f"target must have the shape of probs {p.shape}, got {y.shape}")
    with np.errstate(divide="ignore"):  # log 0 = -inf, then clipped
        log_p = np.maximum(np.log(p), -100.0)
        log_1mp = np.maximum(np.log1p(-p), -100.0)
    values = -(y * log_p + (1 - y) * log_1mp)
    return np.asarray(_reduce(values, reduction), dtype=dtype)


def binary_cross_entropy_with_logits(logits, target, reduction: str = "mean"):
    r"""Binary cross-entropy of :math:`\sigma(z)`, computed stably from the logit :math:`z`.

    .. math::

        \ell(z, y) = -y \log \sigma(z) - (1 - y) \log(1 - \sigma(z))
        = \max(z, 0) - z y + \log\left(1 + e^{-|z|}\right)

    The right-hand form never takes the log of a probability that rounded to
    0 or 1. It is ``torch.nn.BCEWithLogitsLoss`` (without weights): that loss
    takes logits and applies the sigmoid itself. The multi-class counterpart
    is :func:`cross_entropy`.

    ``target``: same shape as ``logits``, values in [0, 1] (soft labels
    allowed). Output has the dtype of ``logits``.

    >>> float(binary_cross_entropy_with_logits([0.0], [1.0]))  # log 2
    0.6931471805599453
    >>> float(binary_cross_entropy_with_logits([-100.0], [1.0]))
    100.0

    See also: :func:`binary_cross_entropy_with_logits_grad`.
    """
    reduction = _check_reduction(reduction)
    z, y, dtype = _bce_inputs(logits, target)
    values = np.maximum(z, 0) - z * y + np.log1p(np.exp(-np.abs(z)))
    return np.asarray(_reduce(values, reduction), dtype=dtype)


def binary_cross_entropy_with_logits_grad(logits, target, reduction: str = "mean") -> np.ndarray:
    r"""Gradient of :func:`binary_cross_entropy_with_logits`: :math:`\sigma(z) - y`.

    .. math::

        \frac{\partial \ell}{\partial z} = \sigma(z) - y

    divided by the number of elements for ``reduction="mean"``.

    >>> binary_cross_entropy_with_logits_grad([0.0, 3.0], [1.0, 1.0], reduction="sum")
    array([-0.5       , -0.04742587])
    """
    reduction = _check_reduction(reduction)
    z, y, dtype = _bce_inputs(logits, target)
    grad = sigmoid(z) - y
    if reduction == "mean" and z.size:
        grad = grad / z.size
    return np.asarray(grad, dtype=dtype)
