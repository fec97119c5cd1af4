r"""Formulas around the activation functions that :mod:`relu_docs.functional` does not cover.

The activation pages (활성화 함수, 시그모이드, tanh, GELU, 소프트맥스, ReLU 변형)
show more than the activations themselves: the log-sum-exp trick, the
softmax Jacobian, temperature, binary cross-entropy on logits and its
gradient (multi-class cross-entropy is :mod:`relu_docs.losses`), the inverse of the sigmoid (the logit), LeCun's scaled tanh, the
normal CDF inside GELU and its sigmoid approximation, SiLU, and the fact that
two linear layers without an activation are one linear layer. Each formula is
implemented here once, in NumPy, and ``tests/test_activations_extra.py``
checks it against PyTorch.

Conventions are those of :mod:`relu_docs.functional`: array-likes in, NumPy
arrays out; a float input keeps its dtype (float16 is computed in float32 and
rounded once); integer and boolean input becomes float64; bad input raises
``TypeError``/``ValueError`` naming the argument.

>>> from relu_docs.activations_extra import logsumexp
>>> float(logsumexp([1000.0, 1000.0]))  # 1000 + log 2, no overflow
1000.6931471805599
"""

from __future__ import annotations


import numpy as np

from relu_docs._validation import as_array, check_scalar
from relu_docs.functional import _check_axis, _prepare, _std_normal_cdf, log_softmax, sigmoid, softmax

__all__ = [
    "logsumexp",
    "softmax_jacobian",
    "softmax_with_temperature",
    "binary_cross_entropy_with_logits",
    "binary_cross_entropy_with_logits_grad",
    "logit",
    "scaled_tanh",
    "normal_cdf",
    "gelu_sigmoid_approx",
    "silu",
    "compose_affine",
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


# ------------------------------------------------------------------- softmax


def logsumexp(x, axis: int = -1) -> np.ndarray:
    r"""Log-sum-exp along ``axis``, without overflow.

    .. math::

        \operatorname{LSE}(x) = \log \sum_j e^{x_j}
        = m + \log \sum_j e^{x_j - m}, \quad m = \max_j x_j

    Every exponent is :math:`\le 0` after the shift, so :math:`\pm 1000` is
    fine. A slice of all :math:`-\infty` gives :math:`-\infty` and a slice
    containing :math:`+\infty` gives :math:`+\infty`, as ``torch.logsumexp``.

    Input: any shape with ``ndim >= 1``. Output: ``axis`` removed, same dtype.

    >>> logsumexp([0.0, 0.0])  # log 2
    array(0.69314718)
    >>> logsumexp([[1000.0, 0.0], [-1000.0, -1000.0]])
    array([1000.        ,  -999.30685282])

    See also: :func:`relu_docs.functional.log_softmax`, which is
    :math:`x_i - \operatorname{LSE}(x)`.
    """
    x, dtype = _prepare(x)
    if x.ndim == 0:
        raise ValueError("x must have at least one dimension, got a scalar")
    axis = _check_axis(axis, x.ndim)
    m = np.max(x, axis=axis, keepdims=True, initial=-np.inf)
    m = np.where(np.isfinite(m), m, 0)  # all -inf (or +inf): no shift, the log gives ±inf
    with np.errstate(divide="ignore"):
        y = np.log(np.exp(x - m).sum(axis=axis, keepdims=True)) + m
    return np.asarray(np.squeeze(y, axis=axis), dtype=dtype)


def softmax_jacobian(x) -> np.ndarray:
    r"""Jacobian of the softmax over the last axis: :math:`J = \operatorname{diag}(p) - p p^\top`.

    .. math::

        J_{ij} = \frac{\partial p_i}{\partial x_j} = p_i(\delta_{ij} - p_j),
        \qquad p = \operatorname{softmax}(x)

    Each row and each column of :math:`J` sums to 0 (adding a constant to every
    logit changes nothing), and :math:`J` is symmetric.

    Input: shape ``(..., n)`` with ``n >= 1``. Output: shape ``(..., n, n)``,
    same dtype.

    >>> softmax_jacobian([0.0, 0.0])
    array([[ 0.25, -0.25],
           [-0.25,  0.25]])
    """
    x, dtype = _prepare(x)
    if x.ndim == 0:
        raise ValueError("x must have at least one dimension, got a scalar")
    p = softmax(x, axis=-1)
    jac = p[..., :, None] * (np.eye(x.shape[-1], dtype=x.dtype) - p[..., None, :])
    return np.asarray(jac, dtype=dtype)


def softmax_with_temperature(x, temperature: float = 1.0, axis: int = -1) -> np.ndarray:
    r"""Softmax of the logits divided by a temperature :math:`T > 0`.

    .. math::

        \operatorname{softmax}(x / T)_i = \frac{e^{x_i / T}}{\sum_j e^{x_j / T}}

    :math:`T = 1` is the ordinary softmax; :math:`T > 1` flattens the
    distribution towards uniform, :math:`T < 1` sharpens it towards the
    arg max. The order of the probabilities never changes.

    Input: any shape. Output: same shape and dtype.

    >>> softmax_with_temperature([2.0, 1.0, 0.0], temperature=1.0)
    array([0.66524096, 0.24472847, 0.09003057])
    >>> softmax_with_temperature([2.0, 1.0, 0.0], temperature=10.0)
    array([0.3671654 , 0.33222499, 0.30060961])
    >>> softmax_with_temperature([2.0, 1.0, 0.0], temperature=0.1)
    array([9.99954600e-01, 4.53978686e-05, 2.06106005e-09])

    Reference: Hinton, Vinyals & Dean (2015), "Distilling the Knowledge in a
    Neural Network", arXiv:1503.02531.
    """
    t = check_scalar(temperature, "temperature")
    if t <= 0:
        raise ValueError(f"temperature must be > 0, got {t}")
    x, dtype = _prepare(x)
    return np.asarray(softmax(x / np.asarray(t, dtype=x.dtype), axis=axis), dtype=dtype)


# -------------------------------------------------------------------- losses


def _logits_and_labels(logits, target):
    z, dtype = _prepare(logits, "logits")
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
    is :func:`relu_docs.losses.cross_entropy`.

    ``target``: same shape as ``logits``, values in [0, 1] (soft labels
    allowed). Output has the dtype of ``logits``.

    >>> float(binary_cross_entropy_with_logits([0.0], [1.0]))  # log 2
    0.6931471805599453
    >>> float(binary_cross_entropy_with_logits([-100.0], [1.0]))
    100.0

    See also: :func:`binary_cross_entropy_with_logits_grad`.
    """
    reduction = _check_reduction(reduction)
    z, y, dtype = _logits_and_labels(logits, target)
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
    z, y, dtype = _logits_and_labels(logits, target)
    grad = sigmoid(z) - y
    if reduction == "mean" and z.size:
        grad = grad / z.size
    return np.asarray(grad, dtype=dtype)


# ---------------------------------------------------------- sigmoid and tanh


def logit(p) -> np.ndarray:
    r"""Inverse of the sigmoid: the log-odds of a probability.

    .. math::

        \operatorname{logit}(p) = \log \frac{p}{1 - p} = \sigma^{-1}(p)

    ``logit(0)`` is :math:`-\infty`, ``logit(1)`` is :math:`+\infty` and values
    outside [0, 1] give NaN, as ``torch.logit``.

    Input: any shape. Output: same shape and dtype.

    >>> logit([0.5, 0.8807970779778823])
    array([0., 2.])
    """
    p, dtype = _prepare(p, "p")
    with np.errstate(divide="ignore", invalid="ignore"):
        y = np.log(p) - np.log1p(-p)
    return np.asarray(np.where(p == 1, np.inf, y), dtype=dtype)


_LECUN_A = 1.7159
_LECUN_B = 2.0 / 3.0


def scaled_tanh(x) -> np.ndarray:
    r"""LeCun's scaled hyperbolic tangent.

    .. math::

        f(x) = 1.7159 \tanh\left(\tfrac{2}{3} x\right)

    The constants make :math:`f(\pm 1) \approx \pm 1`, so with inputs and
    targets of unit scale the units work where the curve is steepest rather
    than in saturation (LeCun, Bottou, Orr & Müller, 1998, "Efficient
    BackProp", section 4.4).

    Input: any shape. Output: same shape and dtype.

    >>> scaled_tanh([-1.0, 0.0, 1.0])
    array([-0.99999726,  0.        ,  0.99999726])
    """
    x, dtype = _prepare(x)
    return np.asarray(_LECUN_A * np.tanh(_LECUN_B * x), dtype=dtype)


# ---------------------------------------------------------------------- GELU

def normal_cdf(x) -> np.ndarray:
    r"""Cumulative distribution function of the standard normal :math:`\mathcal{N}(0, 1)`.

    .. math::

        \Phi(x) = P(X \le x) = \frac{1}{2}\left[1 + \operatorname{erf}
        \left(\frac{x}{\sqrt 2}\right)\right], \quad X \sim \mathcal{N}(0, 1)

    Computed as :math:`\tfrac12 \operatorname{erfc}(-x/\sqrt 2)` in float64,
    which has no cancellation for very negative :math:`x`. Matches
    ``torch.special.ndtr``.

    Input: any shape. Output: same shape and dtype.

    >>> normal_cdf([-1.0, 0.0, 1.0])
    array([0.15865525, 0.5       , 0.84134475])
    """
    x, dtype = _prepare(x)
    return np.asarray(_std_normal_cdf(x).reshape(x.shape), dtype=dtype)


def gelu_sigmoid_approx(x) -> np.ndarray:
    r"""The sigmoid approximation of GELU given by Hendrycks & Gimpel.

    .. math::

        \text{GELU}(x) \approx x\,\sigma(1.702\,x)

    Coarser than the tanh approximation (see the GELU page for the measured
    errors). Not a PyTorch option; tested against ``x * torch.sigmoid(1.702 * x)``,
    NaN at :math:`-\infty` included (:math:`-\infty \cdot 0`).

    Input: any shape. Output: same shape and dtype.

    >>> gelu_sigmoid_approx([-1.0, 0.0, 1.0])
    array([-0.15420423,  0.        ,  0.84579577])

    Reference: Hendrycks & Gimpel (2016), "Gaussian Error Linear Units
    (GELUs)", arXiv:1606.08415.
    """
    x, dtype = _prepare(x)
    with np.errstate(invalid="ignore"):  # -inf * 0 = nan, as in PyTorch
        return np.asarray(x * sigmoid(1.702 * x), dtype=dtype)


def silu(x) -> np.ndarray:
    r"""SiLU (Swish with :math:`\beta = 1`): the input weighted by its sigmoid.

    .. math::

        \text{SiLU}(x) = x\,\sigma(x) = \frac{x}{1 + e^{-x}}

    Matches ``torch.nn.functional.silu``, including NaN at :math:`-\infty`
    (:math:`-\infty \cdot 0`).

    Input: any shape. Output: same shape and dtype.

    >>> silu([-1.0, 0.0, 1.0])
    array([-0.26894142,  0.        ,  0.73105858])

    Reference: Ramachandran, Zoph & Le (2017), "Searching for Activation
    Functions", arXiv:1710.05941; Hendrycks & Gimpel (2016).
    """
    x, dtype = _prepare(x)
    with np.errstate(invalid="ignore"):  # -inf * 0 = nan, as in PyTorch
        return np.asarray(x * sigmoid(x), dtype=dtype)


# ------------------------------------------------- why activations are needed


def compose_affine(w1, b1, w2, b2) -> tuple[np.ndarray, np.ndarray]:
    r"""Two affine layers with nothing in between are one affine layer.

    .. math::

        W_2 (W_1 x + b_1) + b_2 = (W_2 W_1)\,x + (W_2 b_1 + b_2)

    Weights have PyTorch's ``nn.Linear`` layout ``(out_features, in_features)``;
    returns ``(W, b)`` with ``W = W2 @ W1`` and ``b = W2 @ b1 + b2``. This is why
    a network needs a non-linear activation between its layers: without one,
    any depth collapses to a single linear layer.

    >>> w, b = compose_affine([[1.0, 2.0]], [1.0], [[3.0], [-1.0]], [0.0, 1.0])
    >>> w
    array([[ 3.,  6.],
           [-1., -2.]])
    >>> b
    array([3., 0.])
    """
    w1, dt = _prepare(w1, "w1")
    b1, _ = _prepare(b1, "b1")
    w2, _ = _prepare(w2, "w2")
    b2, _ = _prepare(b2, "b2")
    for name, arr, ndim in (("w1", w1, 2), ("b1", b1, 1), ("w2", w2, 2), ("b2", b2, 1)):
        if arr.ndim != ndim:
            raise ValueError(f"{name} must be {ndim}-D, got shape {arr.shape}")
    if b1.shape[0] != w1.shape[0]:
        raise ValueError(f"b1 must have {w1.shape[0]} values (rows of w1), got {b1.shape[0]}")
    if w2.shape[1] != w1.shape[0]:
        raise ValueError(f"w2 must have {w1.shape[0]} columns (rows of w1), got {w2.shape[1]}")
    if b2.shape[0] != w2.shape[0]:
        raise ValueError(f"b2 must have {w2.shape[0]} values (rows of w2), got {b2.shape[0]}")
    return np.asarray(w2 @ w1, dtype=dt), np.asarray(w2 @ b1 + b2, dtype=dt)
