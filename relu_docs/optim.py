r"""Optimiser update rules, one step at a time, as ``torch.optim`` computes them.

Each function takes the parameter, its gradient and the optimiser state and
returns the *new* parameter and state; nothing passed in is modified, so a
loop reads like the formulas:

>>> p, v = np.array([1.0]), None
>>> for _ in range(3):
...     g = 2 * p                      # gradient of p**2
...     p, v = momentum_step(p, g, v, lr=0.1, momentum=0.9)
>>> p
array([0.062])

Arrays keep a float input's dtype; integer input becomes float64.

``weight_decay`` :math:`\lambda`: :func:`sgd_step`, :func:`momentum_step` and
:func:`adam_step` add the L2 gradient :math:`\lambda\theta`
(:func:`relu_docs.regularization.l2_penalty_grad`) to the gradient before
anything else, as ``torch.optim.SGD`` and ``torch.optim.Adam`` do;
:func:`adamw_step` instead shrinks the parameter itself, decoupled from the
gradient (Loshchilov & Hutter, 2019, arXiv:1711.05101), as
``torch.optim.AdamW`` does.
"""

from __future__ import annotations

import numbers

import numpy as np

from relu_docs.regularization import l2_penalty_grad
from relu_docs.validation import as_array, check_nonnegative, check_scalar

__all__ = ["sgd_step", "momentum_step", "adam_step", "adamw_step"]


def _same_shape(arr: np.ndarray, name: str, param: np.ndarray) -> np.ndarray:
    if arr.shape != param.shape:
        raise ValueError(f"{name} must have param's shape {param.shape}, got {arr.shape}")
    return arr


def _param_and_grad(param, grad):
    param = as_array(param, "param")
    grad = _same_shape(as_array(grad, "grad"), "grad", param)
    return param, grad


def _with_l2(param, grad, weight_decay):
    """``grad + weight_decay * param`` (the gradient of loss + L2 penalty); ``grad`` itself if 0."""
    weight_decay = check_nonnegative(weight_decay, "weight_decay")
    if weight_decay == 0.0:
        return grad
    return grad + l2_penalty_grad(param, weight_decay)


def _state(value, name, param):
    if value is None:
        return np.zeros_like(param)
    return _same_shape(as_array(value, name), name, param)


def sgd_step(param, grad, lr, weight_decay=0.0):
    r"""One step of (stochastic) gradient descent: :math:`\theta \leftarrow \theta - \eta\, g`.

    With ``weight_decay`` :math:`\lambda` the gradient is
    :math:`g + \lambda\theta` (``torch.optim.SGD(weight_decay=λ)``), so the
    step is :math:`\theta \leftarrow (1 - \eta\lambda)\,\theta - \eta\, g`:
    for plain SGD the L2 penalty and shrinking the weights by the factor
    :math:`1 - \eta\lambda` are the same update.

    >>> sgd_step(np.array([1.0, -2.0]), np.array([0.5, 0.5]), lr=0.1)
    array([ 0.95, -2.05])
    >>> sgd_step(np.array([1.0, -2.0]), np.array([0.0, 0.0]), lr=0.1, weight_decay=0.5)   # × (1 − 0.05)
    array([ 0.95, -1.9 ])
    """
    param, grad = _param_and_grad(param, grad)
    lr = check_nonnegative(lr, "lr")
    grad = _with_l2(param, grad, weight_decay)
    return param - lr * grad


def momentum_step(param, grad, velocity, lr, momentum=0.9, weight_decay=0.0):
    r"""One step of SGD with momentum in PyTorch's form; returns ``(param, velocity)``.

    .. math::

        v_t = \mu\, v_{t-1} + g_t,\qquad \theta_t = \theta_{t-1} - \eta\, v_t ,

    with :math:`v_1 = g_1` on the first step (pass ``velocity=None`` or zeros).
    Sutskever et al. (2013) write :math:`v_t = \mu v_{t-1} - \eta g_t`,
    :math:`\theta_t = \theta_{t-1} + v_t`; for a constant learning rate the two
    give the same parameters (the velocities differ by the factor :math:`-\eta`).
    This is ``torch.optim.SGD(momentum=mu)`` with ``dampening=0``,
    ``nesterov=False``. ``weight_decay`` :math:`\lambda` replaces
    :math:`g_t` by :math:`g_t + \lambda\theta_{t-1}` before the velocity
    update, as PyTorch does, so the decay also accumulates in :math:`v`.

    >>> p, v = momentum_step(np.array([1.0]), np.array([2.0]), None, lr=0.1, momentum=0.9)
    >>> p, v
    (array([0.8]), array([2.]))
    >>> momentum_step(p, np.array([1.6]), v, lr=0.1, momentum=0.9)
    (array([0.46]), array([3.4]))
    """
    param, grad = _param_and_grad(param, grad)
    velocity = _state(velocity, "velocity", param)
    lr = check_nonnegative(lr, "lr")
    momentum = check_nonnegative(momentum, "momentum")
    grad = _with_l2(param, grad, weight_decay)
    velocity = momentum * velocity + grad
    return param - lr * velocity, velocity


def adam_step(param, grad, m, v, t, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0):
    r"""One Adam step (Kingma & Ba, arXiv:1412.6980, Algorithm 1); returns ``(param, m, v)``.

    ``t`` is the number of this step, starting at 1; ``m`` and ``v`` are the
    moment estimates after step ``t - 1`` (``None`` or zeros before the first).

    .. math::

        m_t &= \beta_1 m_{t-1} + (1-\beta_1)\, g_t \\
        v_t &= \beta_2 v_{t-1} + (1-\beta_2)\, g_t^2 \\
        \hat m_t &= \frac{m_t}{1-\beta_1^t},\qquad \hat v_t = \frac{v_t}{1-\beta_2^t} \\
        \theta_t &= \theta_{t-1} - \eta\, \frac{\hat m_t}{\sqrt{\hat v_t} + \varepsilon}

    The bias corrections undo the pull towards the zero initial state: on step
    1, :math:`\hat m_1 = g_1` and :math:`\hat v_1 = g_1^2`, so the first step
    has size :math:`\approx \eta` whatever the gradient's scale. This is
    ``torch.optim.Adam`` without AMSGrad. ``weight_decay`` :math:`\lambda`
    is PyTorch's L2 form: :math:`g_t` becomes :math:`g_t + \lambda\theta_{t-1}`
    before the moments, so the decay is divided by :math:`\sqrt{\hat v_t}`
    like the rest of the gradient (compare :func:`adamw_step`).

    >>> p, m, v = adam_step(np.array([1.0, 1.0]), np.array([100.0, 0.01]), None, None, t=1, lr=0.1)
    >>> p.round(6)   # both coordinates move by lr, despite gradients 10^4 apart
    array([0.9, 0.9])
    >>> m, v
    (array([1.e+01, 1.e-03]), array([1.e+01, 1.e-07]))
    """
    param, grad = _param_and_grad(param, grad)
    m = _state(m, "m", param)
    v = _state(v, "v", param)
    if isinstance(t, bool) or not isinstance(t, numbers.Integral):
        raise TypeError(f"t must be a positive int (the step number), got {type(t).__name__}")
    if t < 1:
        raise ValueError(f"t must be a positive int (the step number, starting at 1), got {t}")
    lr = check_nonnegative(lr, "lr")
    try:
        beta1, beta2 = betas
    except (TypeError, ValueError):
        raise TypeError(f"betas must be a pair (beta1, beta2), got {betas!r}") from None
    beta1, beta2 = check_scalar(beta1, "beta1"), check_scalar(beta2, "beta2")
    for name, beta in (("beta1", beta1), ("beta2", beta2)):
        if not 0.0 <= beta < 1.0:
            raise ValueError(f"{name} must be in [0, 1), got {beta}")
    eps = check_nonnegative(eps, "eps")
    grad = _with_l2(param, grad, weight_decay)

    m = beta1 * m + (1 - beta1) * grad
    v = beta2 * v + (1 - beta2) * grad * grad
    m_hat = m / (1 - beta1**t)
    v_hat = v / (1 - beta2**t)
    return param - lr * m_hat / (np.sqrt(v_hat) + eps), m, v


def adamw_step(param, grad, m, v, t, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=1e-2):
    r"""One AdamW step (Loshchilov & Hutter, 2019, arXiv:1711.05101), as ``torch.optim.AdamW``; returns ``(param, m, v)``.

    Weight decay is *decoupled* from the gradient: the parameter is first
    shrunk by the factor :math:`1 - \eta\lambda`, then an ordinary Adam step
    (:func:`adam_step`, without weight decay) follows:

    .. math::

        \theta' = (1 - \eta\lambda)\,\theta_{t-1},\qquad
        \theta_t = \theta' - \eta\, \frac{\hat m_t}{\sqrt{\hat v_t} + \varepsilon}

    with :math:`m_t, v_t` built from :math:`g_t` alone. Every weight shrinks
    by the same factor, whatever its gradient history; with the L2 form of
    :func:`adam_step`, a weight with large past gradients (large
    :math:`\hat v`) is shrunk less. Defaults are PyTorch's
    (``weight_decay=0.01``). PyTorch multiplies the decay by the learning
    rate :math:`\eta`, so ``weight_decay`` and ``lr`` together set the
    shrink factor.

    >>> p, m, v = adamw_step(np.array([2.0, 2.0]), np.array([0.0, 10.0]), None, None, t=1, lr=0.1, weight_decay=0.5)
    >>> p.round(6)   # both shrink by 1 − 0.05 (2 → 1.9); the second also takes the Adam step of 0.1
    array([1.9, 1.8])
    """
    param, grad = _param_and_grad(param, grad)
    lr = check_nonnegative(lr, "lr")
    weight_decay = check_nonnegative(weight_decay, "weight_decay")
    return adam_step(param * (1 - lr * weight_decay), grad, m, v, t, lr=lr, betas=betas, eps=eps)
