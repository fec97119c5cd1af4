r"""Layers of a multilayer perceptron (MLP): the forward pass and its size.

* :func:`linear`: one affine layer, as ``torch.nn.functional.linear``;
* :func:`mlp_forward`: affine layers with an activation between them;
* :func:`count_parameters`: how many weights and biases such an MLP has;
* :func:`compose_affine`: two affine layers with nothing in between are one.

Weights are shaped like ``nn.Linear``'s: ``(out_features, in_features)``.
"""

from __future__ import annotations

import numbers

import numpy as np

from relu_docs.functional import relu, relu_grad, sigmoid, sigmoid_grad, tanh, tanh_grad
from relu_docs.validation import as_array, as_float_array

__all__ = ["ACTIVATIONS", "activation_pair", "linear", "mlp_forward", "count_parameters", "compose_affine"]

#: name -> (function, derivative) for :func:`mlp_forward` and
#: :func:`relu_docs.backprop.neuron_chain_rule`
ACTIVATIONS = {
    "relu": (relu, relu_grad),
    "sigmoid": (sigmoid, sigmoid_grad),
    "tanh": (tanh, tanh_grad),
    "identity": (lambda z: np.array(z, copy=True), lambda z: np.ones_like(z)),
}


def activation_pair(name):
    """Return ``(function, derivative)`` for an activation name of :data:`ACTIVATIONS`.

    >>> f, df = activation_pair("relu")
    >>> f([-1.0, 2.0]), df([-1.0, 2.0])
    (array([0., 2.]), array([0., 1.]))
    """
    if not isinstance(name, str) or name not in ACTIVATIONS:
        raise ValueError(f"activation must be one of {', '.join(ACTIVATIONS)}; got {name!r}")
    return ACTIVATIONS[name]


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
    phi, _ = activation_pair(activation)
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
    w1, dt = as_float_array(w1, "w1")
    b1, _ = as_float_array(b1, "b1")
    w2, _ = as_float_array(w2, "w2")
    b2, _ = as_float_array(b2, "b2")
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
