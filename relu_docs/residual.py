r"""Residual connections: :math:`y = x + F(x)`, and a residual MLP by hand in NumPy.

A stack of :math:`L` blocks of width :math:`n` (weights shaped like
``nn.Linear(n, n).weight``, i.e. ``(n, n)``), with :math:`h_0 = x`:

.. math::

    z_k = h_{k-1} W_k^\top + b_k,\qquad F_k = \operatorname{ReLU}(z_k),\qquad
    h_k = \begin{cases} h_{k-1} + F_k & \text{(skip, residual)} \\ F_k & \text{(plain)} \end{cases}

The backward pass, with :math:`g_k = \partial L / \partial h_k` and
:math:`\delta_k = \partial L / \partial z_k`:

.. math::

    \delta_k &= g_k \odot \mathbf{1}[z_k > 0], \qquad
    \frac{\partial L}{\partial W_k} = \delta_k^\top h_{k-1}, \qquad
    \frac{\partial L}{\partial b_k} = \textstyle\sum_n \delta_k, \\
    g_{k-1} &= \begin{cases} g_k + \delta_k W_k & \text{(skip)} \\ \delta_k W_k & \text{(plain)} \end{cases}

The term :math:`g_k` alone in the skip case is the identity path: the
Jacobian of a residual block is :math:`\partial h_k / \partial h_{k-1} = I + \partial F_k / \partial h_{k-1}`,
so the gradient reaches :math:`h_{k-1}` even when :math:`\partial F_k / \partial h_{k-1}`
is small (He et al. 2016b, arXiv:1603.05027). A plain block has only the
second term, and the gradient is a product of :math:`L` such factors.

Arrays are float (float32 stays float32, integers become float64). ReLU's
derivative at 0 is 0, as in PyTorch.
"""

from __future__ import annotations

import numpy as np

from relu_docs.functional import relu, relu_grad
from relu_docs.validation import as_array

__all__ = ["residual_mlp_forward", "residual_mlp_backward", "layer_gradient_norms"]


def _float(value, name):
    arr = as_array(value, name)
    return arr if arr.dtype.kind == "f" else arr.astype(np.float64)


def _check_params(x, weights, biases):
    x = _float(x, "x")
    if x.ndim != 2:
        raise ValueError(f"x must be a 2-D array (batch, width), got shape {x.shape}")
    if isinstance(weights, np.ndarray) or not hasattr(weights, "__iter__"):
        raise TypeError(f"weights must be a list of (width, width) arrays, one per block, got {type(weights).__name__}")
    weights = [_float(w, f"weights[{k}]") for k, w in enumerate(weights)]
    if not weights:
        raise ValueError("weights must hold at least one block")
    width = x.shape[1]
    for k, w in enumerate(weights):
        if w.shape != (width, width):
            raise ValueError(f"weights[{k}] must have shape ({width}, {width}) to match x, got {w.shape}")
    if biases is None:
        biases = [np.zeros(width, dtype=x.dtype) for _ in weights]
    else:
        if isinstance(biases, np.ndarray) or not hasattr(biases, "__iter__"):
            raise TypeError(f"biases must be None or a list of (width,) arrays, got {type(biases).__name__}")
        biases = [_float(b, f"biases[{k}]") for k, b in enumerate(biases)]
        if len(biases) != len(weights):
            raise ValueError(f"biases must hold one array per block ({len(weights)}), got {len(biases)}")
        for k, b in enumerate(biases):
            if b.shape != (width,):
                raise ValueError(f"biases[{k}] must have shape ({width},), got {b.shape}")
    return x, weights, biases


def residual_mlp_forward(x, weights, biases=None, skip=True) -> dict:
    r"""Forward pass through :math:`L` ReLU blocks, with (:math:`h_k = h_{k-1} + F_k`) or without the skip.

    ``x`` is ``(N, n)``; ``weights`` is a list of :math:`L` arrays ``(n, n)``;
    ``biases`` a list of :math:`L` arrays ``(n,)`` or ``None`` (zeros).
    Returns a cache for :func:`residual_mlp_backward`: a dict with ``"h"``
    (the :math:`L + 1` arrays :math:`h_0 = x, \dots, h_L`), ``"z"`` (the
    :math:`L` pre-activations), ``"weights"``, ``"skip"`` and ``"out"`` (:math:`h_L`).

    >>> import numpy as np
    >>> x = np.array([[1.0, -2.0]])
    >>> W = [np.array([[1.0, 0.0], [0.0, 1.0]])]             # F(h) = ReLU(h)
    >>> residual_mlp_forward(x, W, skip=False)["out"]          # ReLU(x)
    array([[1., 0.]])
    >>> residual_mlp_forward(x, W, skip=True)["out"]           # x + ReLU(x)
    array([[ 2., -2.]])
    >>> residual_mlp_forward(x, [np.zeros((2, 2))])["out"]     # F = 0: the block is the identity
    array([[ 1., -2.]])
    """
    if not isinstance(skip, bool):
        raise TypeError(f"skip must be True or False, got {type(skip).__name__}")
    x, weights, biases = _check_params(x, weights, biases)
    h, hs, zs = x, [x], []
    for w, b in zip(weights, biases):
        z = h @ w.T + b
        f = relu(z)
        h = h + f if skip else f
        zs.append(z)
        hs.append(h)
    return {"h": hs, "z": zs, "weights": weights, "skip": skip, "out": h}


def residual_mlp_backward(cache, grad_out) -> dict:
    r"""Backward pass of :func:`residual_mlp_forward` for a loss whose gradient at the output is ``grad_out``.

    ``grad_out`` is :math:`\partial L / \partial h_L`, of the output's shape
    (for :math:`L = \sum h_L \odot G` it is :math:`G`). Returns a dict with
    ``"dW"`` and ``"db"`` (lists, one per block, shaped like the weights and
    biases), ``"dh"`` (the :math:`L + 1` arrays :math:`g_0, \dots, g_L`) and
    ``"dx"`` (:math:`g_0`).

    >>> import numpy as np
    >>> cache = residual_mlp_forward([[1.0, -2.0]], [np.zeros((2, 2))], skip=True)
    >>> residual_mlp_backward(cache, [[3.0, 4.0]])["dx"]     # F = 0: the gradient passes unchanged
    array([[3., 4.]])
    >>> cache = residual_mlp_forward([[1.0, -2.0]], [np.zeros((2, 2))], skip=False)
    >>> residual_mlp_backward(cache, [[3.0, 4.0]])["dx"]     # plain: nothing gets through
    array([[0., 0.]])
    """
    if not isinstance(cache, dict) or not {"h", "z", "weights", "skip", "out"} <= cache.keys():
        raise TypeError("cache must be the dict returned by residual_mlp_forward")
    out = cache["out"]
    g = _float(grad_out, "grad_out")
    if g.shape != out.shape:
        raise ValueError(f"grad_out must have the output's shape {out.shape}, got {g.shape}")
    g = g.astype(np.result_type(g, out), copy=False)
    n_blocks = len(cache["weights"])
    dW, db, dh = [None] * n_blocks, [None] * n_blocks, [None] * (n_blocks + 1)
    dh[n_blocks] = g
    for k in reversed(range(n_blocks)):
        w, z, h_prev = cache["weights"][k], cache["z"][k], cache["h"][k]
        delta = g * relu_grad(z)
        dW[k] = delta.T @ h_prev
        db[k] = delta.sum(axis=0)
        through_block = delta @ w
        g = g + through_block if cache["skip"] else through_block
        dh[k] = g
    return {"dW": dW, "db": db, "dh": dh, "dx": dh[0]}


def layer_gradient_norms(x, weights, grad_out, biases=None, skip=True) -> np.ndarray:
    r"""Norms :math:`\lVert g_k \rVert = \lVert \partial L / \partial h_k \rVert` of the gradient at each block's output, :math:`k = 1, \dots, L`.

    One forward and one backward pass (:func:`residual_mlp_forward`,
    :func:`residual_mlp_backward`); index 0 is the block next to the input and
    the last entry is ``grad_out``'s norm. The ratio of the first entry to the
    last shows how much of the gradient reaches the bottom of the stack.
    (The weight gradients :math:`\delta_k^\top h_{k-1}` are in the backward
    pass's ``"dW"``; their norms also carry the size of the forward signal
    :math:`h_{k-1}`, so they hide a vanishing gradient when the signal grows
    as the gradient shrinks.)

    >>> import numpy as np
    >>> from relu_docs.init import torch_default_linear
    >>> rng = np.random.default_rng(0)
    >>> x, g = rng.standard_normal((64, 32)), rng.standard_normal((64, 32))
    >>> W = [torch_default_linear((32, 32), rng) for _ in range(30)]   # small weights
    >>> plain = layer_gradient_norms(x, W, g, skip=False)
    >>> residual = layer_gradient_norms(x, W, g, skip=True)
    >>> f"{plain[0] / plain[-1]:.0e}", f"{residual[0] / residual[-1]:.0f}"   # bottom / top
    ('9e-12', '195')
    """
    cache = residual_mlp_forward(x, weights, biases, skip=skip)
    grads = residual_mlp_backward(cache, grad_out)
    return np.array([np.linalg.norm(d) for d in grads["dh"][1:]])
