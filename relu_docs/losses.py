r"""Loss functions and their gradients, averaged over the batch as ``torch.nn.functional`` does.

A loss function turns the network's output and the target into one number
that training makes small. The two used on this site:

.. math::

    L_\text{MSE}(\hat y, y) = \frac{1}{M}\sum_{i=1}^{M} (\hat y_i - y_i)^2,
    \qquad
    L_\text{CE}(z, y) = -\frac{1}{N}\sum_{n=1}^{N} \log \operatorname{softmax}(z_n)_{y_n},

where :math:`M` is the number of elements of :math:`\hat y` and, for the
cross-entropy, :math:`z` is an ``(N, C)`` array of logits and :math:`y_n`
the integer class label of example :math:`n`. Their gradients with respect to
the output are the starting point of backpropagation:

.. math::

    \frac{\partial L_\text{MSE}}{\partial \hat y} = \frac{2}{M}(\hat y - y),
    \qquad
    \frac{\partial L_\text{CE}}{\partial z} = \frac{1}{N}\bigl(\operatorname{softmax}(z) - \operatorname{onehot}(y)\bigr).

Loss values are returned as Python floats (computed in float64); gradients
keep a float input's dtype, integer input becomes float64.
"""

from __future__ import annotations

import numpy as np

from relu_docs.functional import log_softmax, sigmoid, softmax
from relu_docs.validation import as_array, as_float_array

__all__ = [
    "mse_loss", "mse_loss_grad", "cross_entropy", "cross_entropy_grad",
    "binary_cross_entropy_with_logits", "binary_cross_entropy_with_logits_grad",
]


def _pair(pred, target):
    pred = as_array(pred, "pred")
    target = as_array(target, "target")
    if pred.shape != target.shape:
        raise ValueError(f"target must have pred's shape {pred.shape}, got {target.shape}")
    if pred.size == 0:
        raise ValueError("pred must not be empty")
    return pred, target


def mse_loss(pred, target) -> float:
    r"""Mean squared error :math:`\frac{1}{M}\sum_i (\hat y_i - y_i)^2`, as ``F.mse_loss``.

    >>> mse_loss([1.0, 2.0, 3.0], [1.0, 0.0, 0.0])   # (0 + 4 + 9) / 3
    4.333333333333333
    >>> mse_loss([1.0], [1.0, 2.0])
    Traceback (most recent call last):
    ...
    ValueError: target must have pred's shape (1,), got (2,)
    """
    pred, target = _pair(pred, target)
    diff = pred.astype(np.float64) - target.astype(np.float64)
    return float(np.mean(diff * diff))


def mse_loss_grad(pred, target) -> np.ndarray:
    r"""Gradient of :func:`mse_loss` with respect to ``pred``: :math:`\frac{2}{M}(\hat y - y)`.

    >>> mse_loss_grad([1.0, 2.0, 3.0], [1.0, 0.0, 0.0])
    array([0.        , 1.33333333, 2.        ])
    """
    pred, target = _pair(pred, target)
    return (2.0 / pred.size * (pred - target.astype(pred.dtype))).astype(pred.dtype, copy=False)


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


def cross_entropy(logits, target) -> float:
    r"""Cross-entropy of integer labels under softmax of the logits, batch mean, as ``F.cross_entropy``.

    .. math::

        L = -\frac{1}{N}\sum_n \log \operatorname{softmax}(z_n)_{y_n}
          = \frac{1}{N}\sum_n \Bigl(\log\sum_j e^{z_{nj}} - z_{n y_n}\Bigr)

    Computed with :func:`relu_docs.functional.log_softmax` (log-sum-exp), so
    logits of :math:`\pm 1000` give a finite loss.

    >>> cross_entropy([[0.0, 0.0]], [1])           # two equal logits: log 2
    0.6931471805599453
    >>> cross_entropy([[1000.0, -1000.0]], [1])    # confidently wrong, still finite
    2000.0
    >>> cross_entropy([[0.0, 0.0]], [2])
    Traceback (most recent call last):
    ...
    ValueError: target must hold class labels in [0, 2), got 2..2
    """
    logits, labels = _logits_and_labels(logits, target)
    logp = log_softmax(logits.astype(np.float64), axis=1)
    return float(-logp[np.arange(len(labels)), labels].mean())


def cross_entropy_grad(logits, target) -> np.ndarray:
    r"""Gradient of :func:`cross_entropy` with respect to the logits: :math:`\frac1N(\operatorname{softmax}(z) - \operatorname{onehot}(y))`.

    Each row sums to 0: raising every logit of an example by the same amount
    leaves the softmax, and so the loss, unchanged.

    >>> cross_entropy_grad([[0.0, 0.0], [2.0, 0.0]], [1, 0]).round(4)
    array([[ 0.25  , -0.25  ],
           [-0.0596,  0.0596]])
    """
    logits, labels = _logits_and_labels(logits, target)
    grad = softmax(logits, axis=1).copy()
    grad[np.arange(len(labels)), labels] -= 1
    return (grad / len(labels)).astype(logits.dtype, copy=False)


# ------------------------------------------------- binary cross-entropy

_REDUCTIONS = ("mean", "sum", "none")


def _check_reduction(reduction) -> str:
    if not isinstance(reduction, str) or reduction not in _REDUCTIONS:
        raise ValueError(f"reduction must be one of {_REDUCTIONS}, got {reduction!r}")
    return reduction


def _reduce(values: np.ndarray, reduction: str):
    if reduction == "none":
        return values
    return values.sum() if reduction == "sum" else values.mean()


def _bce_inputs(logits, target):
    z, dtype = as_float_array(logits, "logits")
    y = as_array(target, "target").astype(z.dtype)
    if y.shape != z.shape:
        raise ValueError(f"target must have the shape of logits {z.shape}, got {y.shape}")
    return z, y, dtype


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
