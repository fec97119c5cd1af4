r"""Gradients through depth: the chain rule, the vanishing-gradient bound, gradient checking.

Backpropagation multiplies local derivatives along a path (the chain rule):

.. math::

    \frac{\partial L}{\partial x_0}
    = \frac{\partial L}{\partial x_n}\prod_{k=1}^{n}\frac{\partial x_k}{\partial x_{k-1}}.

If every factor is at most :math:`d_{\max}` in absolute value, the product is
at most :math:`d_{\max}^n`. The sigmoid's derivative
:math:`\sigma'(x) = \sigma(x)(1-\sigma(x))` peaks at :math:`\sigma'(0) = 1/4`,
so through :math:`n` sigmoid units the activation factors alone shrink the
signal by at least :math:`4^{n}`; tanh's derivative peaks at
:math:`\tanh'(0) = 1`, ReLU's is exactly 1 for positive input. The weights
multiply in too, so the bound is about the activations' share; with them,
each layer's factor is at most :math:`d_{\max}\lVert W_k \rVert_2`
(:func:`weighted_gradient_bound`).
"""

from __future__ import annotations

import math
import numbers

import numpy as np

from relu_docs.validation import as_array, check_nonnegative, check_scalar

__all__ = [
    "vanishing_gradient_bound", "weighted_gradient_bound", "chain_product", "numerical_gradient",
    "gradient_check", "clip_grad_norm", "clip_grad_value",
]


def vanishing_gradient_bound(n_layers, max_derivative=0.25) -> float:
    r"""Upper bound :math:`d_{\max}^{\,n}` on the product of :math:`n` activation derivatives.

    With the default :math:`d_{\max} = 1/4` (the largest value of the sigmoid's
    derivative, reached at 0) this is the often quoted :math:`0.25^{n}`. For
    tanh use ``max_derivative=1``: its derivative is below 1 everywhere except
    at 0, so the bound alone does not vanish. The weights are left out; see
    :func:`weighted_gradient_bound` for the bound with them.

    >>> vanishing_gradient_bound(10)
    9.5367431640625e-07
    >>> vanishing_gradient_bound(10, max_derivative=1.0)
    1.0
    >>> vanishing_gradient_bound(-1)
    Traceback (most recent call last):
    ...
    ValueError: n_layers must be a non-negative int, got -1
    """
    if isinstance(n_layers, bool) or not isinstance(n_layers, numbers.Integral):
        raise TypeError(f"n_layers must be a non-negative int, got {type(n_layers).__name__}")
    if n_layers < 0:
        raise ValueError(f"n_layers must be a non-negative int, got {n_layers}")
    return check_nonnegative(max_derivative, "max_derivative") ** int(n_layers)


def weighted_gradient_bound(weights, max_derivative=0.25) -> float:
    r"""Upper bound :math:`\prod_k d_{\max} \lVert W_k \rVert_2` on the gradient's shrinking or growth factor through the layers.

    For layers :math:`h_k = \varphi(W_k h_{k-1} + b_k)` whose activation
    derivative is at most :math:`d_{\max}` in absolute value, the Jacobian
    :math:`\partial h_k / \partial h_{k-1} = \operatorname{diag}(\varphi'(z_k))\,W_k`
    has spectral norm at most :math:`d_{\max}\lVert W_k \rVert_2`, so

    .. math::

        \Bigl\lVert \frac{\partial h_n}{\partial h_0} \Bigr\rVert_2 \le \prod_{k=1}^{n} d_{\max}\,\lVert W_k \rVert_2 .

    ``weights`` is a list of numbers (one unit per layer: :math:`\lVert w \rVert_2 = |w|`)
    or of 2-D arrays (largest singular value). With the sigmoid's
    :math:`d_{\max} = 1/4`, the bound goes to 0 as soon as every
    :math:`\lVert W_k \rVert_2 < 4`: this sufficient condition for vanishing
    gradients is Pascanu et al. (2013, arXiv:1211.5063)'s, stated there for a
    recurrent weight matrix. Large weights do not guarantee the opposite: they
    push the sigmoid into saturation, where :math:`\varphi'` is far below 1/4.

    >>> weighted_gradient_bound([3.0] * 10)        # (3/4)**10
    0.056313514709472656
    >>> weighted_gradient_bound([[[2.0, 0.0], [0.0, 1.0]]], max_derivative=1.0)   # largest singular value 2
    2.0
    """
    if isinstance(weights, np.ndarray) or not hasattr(weights, "__iter__"):
        raise TypeError(f"weights must be a list of numbers or 2-D arrays, one per layer, got {type(weights).__name__}")
    d_max = check_nonnegative(max_derivative, "max_derivative")
    bound = 1.0
    for k, w in enumerate(weights):
        arr = as_array(w, f"weights[{k}]")
        if arr.ndim == 0:
            norm = abs(float(arr))
        elif arr.ndim == 2:
            norm = float(np.linalg.norm(arr.astype(np.float64), ord=2)) if arr.size else 0.0
        else:
            raise ValueError(f"weights[{k}] must be a number or a 2-D array, got shape {arr.shape}")
        bound *= d_max * norm
    return bound


def chain_product(derivatives) -> np.ndarray | float:
    r"""Product of local derivatives along a path: :math:`\prod_k d_k`.

    ``derivatives`` is a sequence of scalars (one path) or of equally shaped
    arrays (many paths at once, multiplied elementwise along the first axis).
    An empty path has derivative 1.

    >>> chain_product([0.25, 0.25, 0.25])
    0.015625
    >>> chain_product([[1.0, 0.0], [1.0, 1.0]])  # ReLU gates: an inactive unit cuts its path
    array([1., 0.])
    """
    d = as_array(derivatives, "derivatives")
    if d.ndim == 0:
        raise ValueError("derivatives must be a sequence of local derivatives, got a scalar")
    if d.shape[0] == 0:
        return 1.0
    product = np.prod(d, axis=0)
    return float(product) if product.ndim == 0 else product


def numerical_gradient(f, x, eps=1e-6) -> np.ndarray:
    r"""Central-difference gradient of a scalar function, in float64.

    .. math::

        \frac{\partial f}{\partial x_i} \approx \frac{f(x + \varepsilon e_i) - f(x - \varepsilon e_i)}{2\varepsilon}

    The truncation error is :math:`O(\varepsilon^2)`; the rounding error grows
    like :math:`\text{machine-}\epsilon\,|f| / \varepsilon`, so
    :math:`\varepsilon \approx 10^{-6}` suits float64. ``f`` receives a float64
    array of ``x``'s shape and must return a number.

    >>> numerical_gradient(lambda v: (v ** 2).sum(), [1.0, -2.0])
    array([ 2., -4.])
    """
    if not callable(f):
        raise TypeError(f"f must be callable, got {type(f).__name__}")
    x = np.array(as_array(x, "x"), dtype=np.float64)  # a private copy
    eps = check_scalar(eps, "eps")
    if eps <= 0:
        raise ValueError(f"eps must be > 0, got {eps}")
    grad = np.empty_like(x)
    flat_x, flat_g = x.reshape(-1), grad.reshape(-1)
    for i in range(flat_x.size):
        original = flat_x[i]
        flat_x[i] = original + eps
        f_plus = _scalar(f(x))
        flat_x[i] = original - eps
        f_minus = _scalar(f(x))
        flat_x[i] = original
        flat_g[i] = (f_plus - f_minus) / (2.0 * eps)
    return grad


def _scalar(value) -> float:
    arr = as_array(value, "f(x)")
    if arr.size != 1:
        raise ValueError(f"f must return a scalar, got shape {arr.shape}")
    return float(arr.reshape(()))


def gradient_check(f, grad_f, x, eps=1e-6, floor=1e-6) -> float:
    r"""Largest relative error between an analytic gradient and central differences.

    .. math::

        \max_i \frac{|g_i - \hat g_i|}{\max(|g_i|,\ |\hat g_i|,\ \delta)}

    with :math:`g` = ``grad_f(x)``, :math:`\hat g` = :func:`numerical_gradient`
    and :math:`\delta` = ``floor``. The floor keeps components that are
    (nearly) zero in both from dividing rounding noise (about
    :math:`10^{-10}` for :math:`\varepsilon = 10^{-6}`) by zero. As a rule of
    thumb, errors around :math:`10^{-7}` or less mean the gradient is right, and
    errors near 1 mean it is wrong. Keep ``x`` away from kinks such as ReLU's 0,
    where central differences average the two one-sided slopes.

    >>> sig = lambda v: 1 / (1 + np.exp(-v))
    >>> f = lambda v: sig(v).sum()
    >>> x = np.array([-1.0, 0.5, 2.0])
    >>> gradient_check(f, lambda v: sig(v) * (1 - sig(v)), x) < 1e-8
    True
    >>> round(gradient_check(f, lambda v: sig(v), x), 2)  # forgot the (1 - sigma) factor
    0.88
    """
    if not callable(grad_f):
        raise TypeError(f"grad_f must be callable, got {type(grad_f).__name__}")
    floor = check_scalar(floor, "floor")
    if floor <= 0:
        raise ValueError(f"floor must be > 0, got {floor}")
    numeric = numerical_gradient(f, x, eps)
    x64 = np.array(as_array(x, "x"), dtype=np.float64)
    analytic = as_array(grad_f(x64), "grad_f(x)").astype(np.float64)
    if analytic.shape != numeric.shape:
        raise ValueError(f"grad_f must return an array of x's shape {numeric.shape}, got {analytic.shape}")
    denom = np.maximum(np.maximum(np.abs(analytic), np.abs(numeric)), floor)
    return float(np.max(np.abs(analytic - numeric) / denom)) if numeric.size else 0.0


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


def clip_grad_value(grads, clip_value):
    r"""Clip every gradient component to :math:`[-c, c]`: :math:`g_i \leftarrow \min(\max(g_i, -c), c)`.

    This is ``torch.nn.utils.clip_grad_value_``. Unlike :func:`clip_grad_norm`,
    it clips each component separately, so it can change the direction of the
    gradient. Returns new arrays; the inputs are not modified.

    >>> clip_grad_value([np.array([3.0, -0.5]), np.array([4.0])], clip_value=1.0)
    [array([ 1. , -0.5]), array([1.])]
    """
    if isinstance(grads, np.ndarray) or not hasattr(grads, "__iter__"):
        raise TypeError(f"grads must be a list of arrays (one per parameter), got {type(grads).__name__}")
    arrays = [as_array(g, f"grads[{i}]") for i, g in enumerate(grads)]
    c = check_nonnegative(clip_value, "clip_value")
    return [np.clip(g, -c, c).astype(g.dtype, copy=False) for g in arrays]
