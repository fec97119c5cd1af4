r"""Backpropagation by hand: a two-layer network and the chain rule.

The network (weights shaped like ``nn.Linear``: ``W`` is ``(out, in)``):

.. math::

    z_1 = x W_1^\top + b_1,\qquad h = \varphi(z_1),\qquad \hat y = h W_2^\top + b_2 ,

with :math:`\varphi` = ReLU, sigmoid or tanh, and a loss :math:`L(\hat y, y)`
averaged over the batch. The chain rule, applied from the loss backwards:

.. math::

    \delta_2 &= \frac{\partial L}{\partial \hat y}, &
    \frac{\partial L}{\partial W_2} &= \delta_2^\top h, &
    \frac{\partial L}{\partial b_2} &= \textstyle\sum_n \delta_2, \\
    \delta_1 &= (\delta_2 W_2) \odot \varphi'(z_1), &
    \frac{\partial L}{\partial W_1} &= \delta_1^\top x, &
    \frac{\partial L}{\partial b_1} &= \textstyle\sum_n \delta_1, \qquad
    \frac{\partial L}{\partial x} = \delta_1 W_1 .

For ReLU, :math:`\varphi'(z) = 1` if :math:`z > 0` and 0 otherwise (PyTorch
also uses 0 at :math:`z = 0`): the factor :math:`\varphi'(z_1)` is a gate that
passes or blocks each unit's gradient. For the sigmoid it is at most 1/4.

Losses, as ``torch.nn.functional`` averages them (``reduction="mean"``):

* ``"mse"``: :math:`L = \frac{1}{NK}\sum_{n,k} (\hat y_{nk} - y_{nk})^2`, so
  :math:`\delta_2 = \frac{2}{NK}(\hat y - y)`;
* ``"cross_entropy"`` with integer class labels :math:`y_n`:
  :math:`L = -\frac1N \sum_n \log \operatorname{softmax}(\hat y_n)_{y_n}`, so
  :math:`\delta_2 = \frac1N(\operatorname{softmax}(\hat y) - \operatorname{onehot}(y))`.
"""

from __future__ import annotations

import numpy as np

from relu_docs import functional as F
from relu_docs import losses
from relu_docs.layers import activation_pair
from relu_docs.validation import as_array, check_scalar

__all__ = [
    "ACTIVATIONS", "LOSSES", "two_layer_forward", "two_layer_loss", "two_layer_backward", "neuron_chain_rule",
]

ACTIVATIONS = ("relu", "sigmoid", "tanh")
LOSSES = ("mse", "cross_entropy")


def _activate(z, name):
    return F.ACTIVATIONS[name][0](z)


def _activation_derivative(z, name):
    return F.ACTIVATIONS[name][1](z)


def _matrix(value, name, shape=None):
    arr = as_array(value, name)
    if arr.ndim != 2:
        raise ValueError(f"{name} must be a 2-D array, got shape {arr.shape}")
    if shape is not None and arr.shape != shape:
        raise ValueError(f"{name} must have shape {shape}, got {arr.shape}")
    return arr


def _vector(value, name, length):
    arr = as_array(value, name)
    if arr.shape != (length,):
        raise ValueError(f"{name} must have shape ({length},), got {arr.shape}")
    return arr


def two_layer_forward(x, W1, b1, W2, b2, activation="relu") -> dict:
    r"""Forward pass :math:`\hat y = \varphi(x W_1^\top + b_1) W_2^\top + b_2`; returns a cache for the backward pass.

    ``x`` is ``(N, in)``, ``W1`` ``(hidden, in)``, ``b1`` ``(hidden,)``,
    ``W2`` ``(out, hidden)``, ``b2`` ``(out,)``. The cache is a dict with the
    inputs and the intermediate values ``"z1"`` (pre-activation), ``"h"``
    (hidden activation) and ``"out"`` (:math:`\hat y`, the network output or
    logits).

    >>> x = np.array([[1.0, -1.0]])
    >>> W1, b1 = np.array([[1.0, 0.0], [0.0, 1.0]]), np.zeros(2)
    >>> W2, b2 = np.array([[1.0, 1.0]]), np.array([0.5])
    >>> cache = two_layer_forward(x, W1, b1, W2, b2)
    >>> cache["z1"], cache["h"], cache["out"]
    (array([[ 1., -1.]]), array([[1., 0.]]), array([[1.5]]))
    """
    if activation not in ACTIVATIONS:
        raise ValueError(f"activation must be one of {', '.join(ACTIVATIONS)}; got {activation!r}")
    x = _matrix(x, "x")
    W1 = _matrix(W1, "W1")
    if W1.shape[1] != x.shape[1]:
        raise ValueError(f"W1 must have shape (hidden, {x.shape[1]}) to match x, got {W1.shape}")
    b1 = _vector(b1, "b1", W1.shape[0])
    W2 = _matrix(W2, "W2")
    if W2.shape[1] != W1.shape[0]:
        raise ValueError(f"W2 must have shape (out, {W1.shape[0]}) to match W1, got {W2.shape}")
    b2 = _vector(b2, "b2", W2.shape[0])
    z1 = x @ W1.T + b1
    h = _activate(z1, activation)
    out = h @ W2.T + b2
    return {"x": x, "W1": W1, "b1": b1, "W2": W2, "b2": b2, "activation": activation,
            "z1": z1, "h": h, "out": out}


def _check_cache(cache):
    needed = {"x", "W1", "W2", "activation", "z1", "h", "out"}
    if not isinstance(cache, dict) or not needed <= cache.keys():
        raise TypeError("cache must be the dict returned by two_layer_forward")
    return cache


def _targets(y, out, loss):
    if loss not in LOSSES:
        raise ValueError(f"loss must be one of {', '.join(LOSSES)}; got {loss!r}")
    if loss == "mse":
        y = as_array(y, "y")
        if y.shape != out.shape:
            raise ValueError(f"y must have the output's shape {out.shape} for loss='mse', got {y.shape}")
        return y
    if hasattr(y, "detach") and hasattr(y, "numpy"):  # a torch.Tensor
        y = y.detach().cpu().numpy()
    labels = np.asarray(y, dtype=object) if y is None or isinstance(y, (str, bytes)) else np.asarray(y)
    if labels.dtype.kind not in "iu":
        raise TypeError(f"y must hold integer class labels for loss='cross_entropy', got dtype {labels.dtype}")
    if labels.shape != (out.shape[0],):
        raise ValueError(f"y must have shape ({out.shape[0]},) for loss='cross_entropy', got {labels.shape}")
    if labels.size and (labels.min() < 0 or labels.max() >= out.shape[1]):
        raise ValueError(f"y must hold class labels in [0, {out.shape[1]}), got {labels.min()}..{labels.max()}")
    return labels


def two_layer_loss(cache, y, loss="mse") -> float:
    r"""The batch-mean loss of a :func:`two_layer_forward` output (``"mse"`` or ``"cross_entropy"``).

    >>> cache = two_layer_forward([[0.0, 0.0]], np.eye(2), np.zeros(2), np.eye(2), np.zeros(2))
    >>> two_layer_loss(cache, [1], loss="cross_entropy")  # equal logits: log 2
    0.6931471805599453
    """
    cache = _check_cache(cache)
    out = cache["out"]
    y = _targets(y, out, loss)
    if loss == "mse":
        return losses.mse_loss(out, y)
    return losses.cross_entropy(out, y)


def two_layer_backward(cache, y, loss="mse") -> dict:
    r"""Gradients of the batch-mean loss: a dict with ``dW1``, ``db1``, ``dW2``, ``db2``, ``dx``.

    Each gradient has the shape of its variable. The formulas are the chain
    rule written out in :mod:`relu_docs.backprop`.

    >>> x = np.array([[1.0, -1.0]])
    >>> cache = two_layer_forward(x, np.eye(2), np.zeros(2), np.array([[1.0, 1.0]]), np.array([0.5]))
    >>> grads = two_layer_backward(cache, np.array([[0.5]]))  # out 1.5, target 0.5: dL/dout = 2
    >>> grads["dW2"], grads["db2"]
    (array([[2., 0.]]), array([2.]))
    >>> grads["dW1"]   # the second hidden unit had z1 = -1: ReLU blocks its gradient
    array([[ 2., -2.],
           [ 0.,  0.]])
    >>> grads["dx"]
    array([[2., 0.]])
    """
    cache = _check_cache(cache)
    out = cache["out"]
    y = _targets(y, out, loss)
    if loss == "mse":
        delta2 = losses.mse_loss_grad(out, y)
    else:
        delta2 = losses.cross_entropy_grad(out, y)
    x, W1, W2, h = cache["x"], cache["W1"], cache["W2"], cache["h"]
    dW2 = delta2.T @ h
    db2 = delta2.sum(axis=0)
    delta1 = (delta2 @ W2) * _activation_derivative(cache["z1"], cache["activation"])
    dW1 = delta1.T @ x
    db1 = delta1.sum(axis=0)
    dx = delta1 @ W1
    return {"dW1": dW1, "db1": db1, "dW2": dW2, "db2": db2, "dx": dx}


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
    phi, dphi = activation_pair(activation)
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
