r"""Formulas of the training pages that the other modules do not cover.

* :func:`linear`, :func:`mlp_forward`, :func:`count_parameters`: the forward
  pass of a multilayer perceptron (MLP) and its size;
* :func:`neuron_chain_rule`: the chain rule through one neuron, factor by factor;
* :func:`clip_grad_norm`: clipping exploding gradients by their global norm;
* :func:`dropout_variance_shift`: the variance a unit has after dropout in
  training and in evaluation.

Weights are shaped like ``nn.Linear``'s: ``(out_features, in_features)``.
"""

from __future__ import annotations

import math
import numbers

import numpy as np

from relu_docs._validation import as_array, check_nonnegative, check_probability, check_scalar
from relu_docs.functional import relu, relu_grad, sigmoid, sigmoid_grad, tanh, tanh_grad

__all__ = [
    "ACTIVATIONS",
    "linear",
    "mlp_forward",
    "count_parameters",
    "neuron_chain_rule",
    "clip_grad_norm",
    "dropout_variance_shift",
]

#: name -> (function, derivative) for :func:`mlp_forward` and :func:`neuron_chain_rule`
ACTIVATIONS = {
    "relu": (relu, relu_grad),
    "sigmoid": (sigmoid, sigmoid_grad),
    "tanh": (tanh, tanh_grad),
    "identity": (lambda z: np.array(z, copy=True), lambda z: np.ones_like(z)),
}


def _activation(name):
    if not isinstance(name, str) or name not in ACTIVATIONS:
        raise ValueError(f"activation must be one of {', '.join(ACTIVATIONS)}; got {name!r}")
    return ACTIVATIONS[name]


# ----------------------------------------------------------------- forward pass
def linear(x, weight, bias=None) -> np.ndarray:
    r"""Affine layer :math:`z = x W^\top + b`, as ``torch.nn.functional.linear``.

    ``x`` is ``(..., in)``, ``weight`` ``(out, in)``, ``bias`` ``(out,)`` or
    ``None``. Each row of ``x`` is one example; each row of ``weight`` holds
    one output unit's weights, so :math:`z_j = \sum_i W_{ji} x_i + b_j`.

    >>> linear([[1.0, 2.0]], [[1.0, 0.0], [1.0, -1.0]], [0.5, 0.0])
    array([[ 1.5, -1. ]])
    >>> linear([[1.0, 2.0]], [[1.0, 0.0, 0.0]])
    Traceback (most recent call last):
    ...
    ValueError: weight must have shape (out, 2) to match x, got (1, 3)
    """
    x = as_array(x, "x")
    weight = as_array(weight, "weight")
    if x.ndim < 1:
        raise ValueError("x must have at least 1 dimension (..., in)")
    if weight.ndim != 2 or weight.shape[1] != x.shape[-1]:
        raise ValueError(f"weight must have shape (out, {x.shape[-1]}) to match x, got {weight.shape}")
    z = x @ weight.T
    if bias is not None:
        bias = as_array(bias, "bias")
        if bias.shape != (weight.shape[0],):
            raise ValueError(f"bias must have shape ({weight.shape[0]},), got {bias.shape}")
        z = z + bias
    return z


def mlp_forward(x, weights, biases, activation="relu") -> dict:
    r"""Forward pass of an MLP: every layer affine, every hidden layer followed by the activation.

    .. math::

        a^{(0)} = x,\qquad z^{(l)} = a^{(l-1)} W^{(l)\top} + b^{(l)},\qquad
        a^{(l)} = \varphi\bigl(z^{(l)}\bigr)\ (l < L),\qquad \hat y = z^{(L)}

    The output layer has no activation: its values are the logits (or the
    regression output), as in ``nn.Sequential(Linear, ReLU, ..., Linear)``.
    Returns a dict with ``"out"`` (:math:`\hat y`), ``"z"`` (the
    pre-activations :math:`z^{(1)}, \dots, z^{(L)}`) and ``"a"`` (the
    activations :math:`a^{(0)} = x, \dots, a^{(L-1)}`): what a backward pass
    needs to keep.

    >>> W = [np.array([[1.0, -1.0], [0.5, 0.5]]), np.array([[2.0, 1.0]])]
    >>> b = [np.zeros(2), np.array([0.1])]
    >>> r = mlp_forward([[1.0, 3.0]], W, b)
    >>> r["z"][0], r["a"][1], r["out"]    # z = [-2, 2]; ReLU zeroes -2
    (array([[-2.,  2.]]), array([[0., 2.]]), array([[2.1]]))
    """
    phi, _ = _activation(activation)
    if len(weights) != len(biases) or len(weights) == 0:
        raise ValueError(f"weights and biases must be non-empty lists of equal length, got {len(weights)} and {len(biases)}")
    a = as_array(x, "x")
    zs, activations = [], [a]
    for layer, (W, b) in enumerate(zip(weights, biases), start=1):
        try:
            z = linear(a, W, b)
        except ValueError as exc:
            raise ValueError(f"layer {layer}: {exc}") from None
        zs.append(z)
        if layer < len(weights):
            a = phi(z)
            activations.append(a)
    return {"out": zs[-1], "z": zs, "a": activations}


def count_parameters(layer_sizes) -> int:
    r"""Number of weights and biases of an MLP with the given layer widths.

    .. math::

        P = \sum_{l=1}^{L} \bigl(n_{l-1}\, n_l + n_l\bigr)

    for widths :math:`n_0` (input), :math:`n_1, \dots, n_L` (output). This is
    ``sum(p.numel() for p in model.parameters())`` of the corresponding
    ``nn.Sequential`` of ``nn.Linear`` layers.

    >>> count_parameters([784, 256, 10])   # 784*256 + 256 + 256*10 + 10
    203530
    """
    if isinstance(layer_sizes, (str, bytes)) or not hasattr(layer_sizes, "__iter__"):
        raise TypeError(f"layer_sizes must be a sequence of positive ints, got {type(layer_sizes).__name__}")
    sizes = list(layer_sizes)
    if len(sizes) < 2:
        raise ValueError(f"layer_sizes must hold at least 2 widths (input and output), got {sizes}")
    for n in sizes:
        if isinstance(n, bool) or not isinstance(n, numbers.Integral) or n <= 0:
            raise ValueError(f"layer_sizes must hold positive ints, got {sizes}")
    return int(sum(n_in * n_out + n_out for n_in, n_out in zip(sizes[:-1], sizes[1:])))


# ------------------------------------------------------------------- chain rule
def neuron_chain_rule(x, w, b, y, activation="sigmoid") -> dict:
    r"""The chain rule through one neuron with a squared-error loss, every factor kept.

    .. math::

        z = w \cdot x + b,\qquad a = \varphi(z),\qquad L = (a - y)^2

    .. math::

        \frac{\partial L}{\partial w}
        = \underbrace{2(a - y)}_{\partial L/\partial a}\;
          \underbrace{\varphi'(z)}_{\partial a/\partial z}\;
          \underbrace{x}_{\partial z/\partial w},\qquad
        \frac{\partial L}{\partial b} = \frac{\partial L}{\partial a}\,\varphi'(z),\qquad
        \frac{\partial L}{\partial x} = \frac{\partial L}{\partial a}\,\varphi'(z)\, w

    ``x`` and ``w`` are vectors of the same length (or scalars); ``b`` and
    ``y`` are numbers. Returns a dict of floats (``dL_dw`` and ``dL_dx`` are
    float64 arrays when ``x`` is a vector): ``z``, ``a``,
    ``loss``, the local factors ``dL_da``, ``da_dz``, their product ``dL_dz``,
    and the gradients ``dL_dw``, ``dL_db``, ``dL_dx``.

    >>> r = neuron_chain_rule(x=1.5, w=0.8, b=-0.2, y=1.0)
    >>> round(r["z"], 4), round(r["a"], 4), round(r["loss"], 4)
    (1.0, 0.7311, 0.0723)
    >>> round(r["dL_da"], 4), round(r["da_dz"], 4), round(r["dL_dz"], 4)
    (-0.5379, 0.1966, -0.1058)
    >>> round(r["dL_dw"], 4), round(r["dL_db"], 4), round(r["dL_dx"], 4)
    (-0.1586, -0.1058, -0.0846)
    """
    phi, dphi = _activation(activation)
    x = as_array(x, "x").astype(np.float64)
    w = as_array(w, "w").astype(np.float64)
    if x.shape != w.shape or x.ndim > 1:
        raise ValueError(f"x and w must be scalars or vectors of the same length, got shapes {x.shape} and {w.shape}")
    b = check_scalar(b, "b")
    y = check_scalar(y, "y")
    z = float(np.sum(w * x) + b)
    a = float(phi(z))
    dL_da = 2.0 * (a - y)
    da_dz = float(dphi(z))
    dL_dz = dL_da * da_dz
    dL_dw, dL_dx = dL_dz * x, dL_dz * w
    if x.ndim == 0:
        dL_dw, dL_dx = float(dL_dw), float(dL_dx)
    return {
        "z": z, "a": a, "loss": (a - y) ** 2,
        "dL_da": dL_da, "da_dz": da_dz, "dL_dz": dL_dz,
        "dL_dw": dL_dw, "dL_db": dL_dz, "dL_dx": dL_dx,
    }


# ------------------------------------------------------------ gradient clipping
def clip_grad_norm(grads, max_norm, eps=1e-6):
    r"""Scale a list of gradients so that their global L2 norm is at most ``max_norm``.

    .. math::

        \lVert g \rVert = \sqrt{\textstyle\sum_k \lVert g_k \rVert_2^2},\qquad
        g_k \leftarrow g_k \cdot \min\Bigl(1,\ \frac{c}{\lVert g \rVert + \epsilon}\Bigr)

    with :math:`c` = ``max_norm``; this is ``torch.nn.utils.clip_grad_norm_``
    (``norm_type=2``, its :math:`\epsilon = 10^{-6}`), the rescaling that
    Pascanu et al. (2013, arXiv:1211.5063) propose against exploding
    gradients. The direction of the whole gradient is kept; only its length
    shrinks. Returns ``(clipped, total_norm)``: new arrays (the inputs are not
    modified) and the norm *before* clipping, as PyTorch returns it.

    >>> clipped, norm = clip_grad_norm([np.array([3.0]), np.array([4.0])], max_norm=1.0)
    >>> norm, [c.round(6) for c in clipped]
    (5.0, [array([0.6]), array([0.8])])
    >>> clip_grad_norm([np.array([0.3, 0.4])], max_norm=1.0)[0]   # norm 0.5: unchanged
    [array([0.3, 0.4])]
    """
    if isinstance(grads, np.ndarray) or not hasattr(grads, "__iter__"):
        raise TypeError(f"grads must be a list of arrays (one per parameter), got {type(grads).__name__}")
    arrays = [as_array(g, f"grads[{i}]") for i, g in enumerate(grads)]
    max_norm = check_nonnegative(max_norm, "max_norm")
    eps = check_nonnegative(eps, "eps")
    total = math.sqrt(sum(float(np.sum(g.astype(np.float64) ** 2)) for g in arrays))
    coef = min(1.0, max_norm / (total + eps)) if total + eps > 0 else 1.0
    return [(g * coef).astype(g.dtype, copy=False) for g in arrays], total


# --------------------------------------------------------------------- dropout
def dropout_variance_shift(p, mean, var):
    r"""Variance of one unit after inverted dropout, in training and in evaluation.

    A unit :math:`x` with mean :math:`c` and variance :math:`v` goes through
    inverted dropout (:func:`relu_docs.dropout.dropout`, drop probability
    :math:`p`), independent of the mask :math:`m \sim \text{Bernoulli}(1-p)`:

    .. math::

        \operatorname{Var}_\text{train}\Bigl[\frac{m x}{1-p}\Bigr] = \frac{c^2 + v}{1 - p} - c^2,
        \qquad
        \operatorname{Var}_\text{eval}[x] = v .

    The mean is :math:`c` in both modes, the variance is not: a batch
    normalisation after dropout learns running statistics from the training
    variance and meets the smaller evaluation variance at test time, the
    "variance shift" of Li et al. (2019, arXiv:1801.05134). Returns
    ``(var_train, var_eval)``.

    >>> dropout_variance_shift(p=0.5, mean=0.0, var=1.0)   # doubled in training
    (2.0, 1.0)
    >>> dropout_variance_shift(p=0.1, mean=1.0, var=1.0)
    (1.2222222222222223, 1.0)
    """
    p = check_probability(p, "p")
    c = check_scalar(mean, "mean")
    v = check_nonnegative(var, "var")
    return (c * c + v) / (1.0 - p) - c * c, v
