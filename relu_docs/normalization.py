r"""Normalisation layers, forward pass, with PyTorch's semantics: batch, layer and RMS normalisation.

**Batch normalisation** (:func:`batch_norm`).

Ioffe & Szegedy (2015, arXiv:1502.03167) normalise each channel :math:`c`
over the batch :math:`B` (and, for ``(N, C, L)`` input, over the positions):

.. math::

    \mu_B = \frac{1}{m}\sum_{i\in B} x_i,\qquad
    \sigma_B^2 = \frac{1}{m}\sum_{i\in B} (x_i - \mu_B)^2,\qquad
    y_i = \gamma\,\frac{x_i - \mu_B}{\sqrt{\sigma_B^2 + \varepsilon}} + \beta .

In training mode the running estimates used at evaluation are updated with
an exponential moving average; like ``torch.nn.BatchNorm1d``, the running
variance stores the *unbiased* batch variance :math:`\tfrac{m}{m-1}\sigma_B^2`
although the normalisation uses the biased :math:`\sigma_B^2`:

.. math::

    \hat\mu \leftarrow (1-\text{momentum})\,\hat\mu + \text{momentum}\,\mu_B,\qquad
    \hat\sigma^2 \leftarrow (1-\text{momentum})\,\hat\sigma^2 + \text{momentum}\,\tfrac{m}{m-1}\sigma_B^2 .

PyTorch's ``momentum`` is the weight of the *new* statistic (0.1 by default),
the opposite of the optimiser sense of the word. In evaluation mode
:math:`\hat\mu, \hat\sigma^2` replace :math:`\mu_B, \sigma_B^2`.

**Layer normalisation** (:func:`layer_norm`; Ba, Kiros & Hinton, 2016,
arXiv:1607.06450) normalises each sample over its own features instead, with
the same formula and :math:`m` replaced by the number of features; it keeps
no running statistics. :func:`rms_norm` drops the mean (Zhang & Sennrich,
2019, arXiv:1910.07467).
"""

from __future__ import annotations

import numbers

import numpy as np

from relu_docs.validation import as_array, as_float_array, check_nonnegative, check_scalar

__all__ = ["batch_norm", "layer_norm", "rms_norm"]


def _channel_vector(value, name: str, n_channels: int, dtype) -> np.ndarray:
    arr = as_array(value, name)
    if arr.shape != (n_channels,):
        raise ValueError(f"{name} must have shape ({n_channels},), one value per channel, got {arr.shape}")
    return arr.astype(dtype, copy=False)


def batch_norm(x, gamma=None, beta=None, running_mean=None, running_var=None, training=True,
               momentum=0.1, eps=1e-5):
    r"""Batch-normalise ``x`` of shape ``(N, C)`` or ``(N, C, L)``; return ``(y, new_running_mean, new_running_var)``.

    ``gamma`` / ``beta`` (shape ``(C,)``) default to 1 / 0 (no affine
    transform). In training mode the batch statistics normalise ``x`` and the
    returned running statistics are the moving averages described in
    :mod:`relu_docs.normalization` (``None`` if ``running_mean`` /
    ``running_var`` were ``None``); the inputs are not modified. In evaluation
    mode (``training=False``) the running statistics normalise ``x`` and are
    returned unchanged. Training needs more than one value per channel,
    otherwise the variance is undefined (PyTorch raises as well).

    .. math::

        y = \gamma\,\frac{x - \mu}{\sqrt{\sigma^2 + \varepsilon}} + \beta

    >>> x = np.array([[1.0, 10.0], [3.0, 10.0], [5.0, 16.0]])
    >>> y, rm, rv = batch_norm(x, running_mean=np.zeros(2), running_var=np.ones(2))
    >>> y.round(4)
    array([[-1.2247, -0.7071],
           [ 0.    , -0.7071],
           [ 1.2247,  1.4142]])
    >>> rm, rv   # 0.9 * old + 0.1 * batch; variance unbiased: 4 and 12
    (array([0.3, 1.2]), array([1.3, 2.1]))
    >>> batch_norm(x, running_mean=rm, running_var=rv, training=False)[0].round(4)
    array([[ 0.6139,  6.0726],
           [ 2.368 ,  6.0726],
           [ 4.1222, 10.2129]])
    >>> batch_norm(x[:1], running_mean=rm, running_var=rv)
    Traceback (most recent call last):
    ...
    ValueError: x must have more than 1 value per channel in training mode, got shape (1, 2)
    """
    x = as_array(x, "x")
    if x.ndim not in (2, 3):
        raise ValueError(f"x must have shape (N, C) or (N, C, L), got {x.shape}")
    n_channels = x.shape[1]
    dtype = x.dtype
    gamma = np.ones(n_channels, dtype) if gamma is None else _channel_vector(gamma, "gamma", n_channels, dtype)
    beta = np.zeros(n_channels, dtype) if beta is None else _channel_vector(beta, "beta", n_channels, dtype)
    if (running_mean is None) != (running_var is None):
        raise ValueError("running_mean and running_var must both be given or both be None")
    if running_mean is not None:
        running_mean = _channel_vector(running_mean, "running_mean", n_channels, dtype)
        running_var = _channel_vector(running_var, "running_var", n_channels, dtype)
    if not isinstance(training, (bool, np.bool_)):
        raise TypeError(f"training must be a bool, got {type(training).__name__}")
    momentum = check_scalar(momentum, "momentum")
    if not 0.0 <= momentum <= 1.0:
        raise ValueError(f"momentum must be in [0, 1], got {momentum}")
    eps = check_scalar(eps, "eps")
    if eps < 0:
        raise ValueError(f"eps must be >= 0, got {eps}")

    axes = (0,) if x.ndim == 2 else (0, 2)
    shape = (1, n_channels) + (1,) * (x.ndim - 2)  # broadcast a (C,) vector over x
    if training:
        m = x.size // n_channels
        if m <= 1:
            raise ValueError(f"x must have more than 1 value per channel in training mode, got shape {x.shape}")
        mean = x.mean(axis=axes)
        var = x.var(axis=axes)  # biased: divides by m
        if running_mean is not None:
            new_mean = (1 - momentum) * running_mean + momentum * mean
            new_var = (1 - momentum) * running_var + momentum * var * (m / (m - 1))
            running_mean, running_var = new_mean.astype(dtype), new_var.astype(dtype)
    else:
        if running_mean is None:
            raise ValueError("running_mean and running_var are required when training=False")
        mean, var = running_mean, running_var
    y = (x - mean.reshape(shape)) / np.sqrt(var.reshape(shape) + eps) * gamma.reshape(shape) + beta.reshape(shape)
    return y.astype(dtype, copy=False), running_mean, running_var


# ------------------------------------------------------------ layer normalisation


def _normalized_shape(normalized_shape) -> tuple[int, ...]:
    if isinstance(normalized_shape, numbers.Integral) and not isinstance(normalized_shape, bool):
        normalized_shape = (normalized_shape,)
    try:
        shape = tuple(normalized_shape)
    except TypeError:
        raise TypeError(f"normalized_shape must be an int or a sequence of ints, "
                        f"got {type(normalized_shape).__name__}") from None
    if not shape or any(isinstance(d, bool) or not isinstance(d, numbers.Integral) or d < 1 for d in shape):
        raise ValueError(f"normalized_shape must be a non-empty sequence of positive ints, got {normalized_shape!r}")
    return tuple(int(d) for d in shape)


def _trailing(x: np.ndarray, shape: tuple[int, ...]) -> tuple[int, ...]:
    """The axes normalised over: the last ``len(shape)``, which must equal ``shape``."""
    if x.ndim < len(shape) or x.shape[x.ndim - len(shape):] != shape:
        raise ValueError(f"x must end with normalized_shape {shape}, i.e. have shape (*, {', '.join(map(str, shape))}), "
                         f"got {x.shape}")
    return tuple(range(x.ndim - len(shape), x.ndim))


def _affine(value, name: str, shape: tuple[int, ...], dtype):
    if value is None:
        return None
    arr = as_array(value, name)
    if arr.shape != shape:
        raise ValueError(f"{name} must have normalized_shape {shape}, got {arr.shape}")
    return arr.astype(dtype, copy=False)


def layer_norm(x, normalized_shape, weight=None, bias=None, eps=1e-5):
    r"""Layer normalisation (Ba, Kiros & Hinton, 2016, arXiv:1607.06450), as ``torch.nn.functional.layer_norm``.

    Each sample is normalised over its own features: the last
    ``len(normalized_shape)`` axes of ``x``, which must equal
    ``normalized_shape`` (an int means the last axis). With :math:`H` the
    number of those features,

    .. math::

        \mu = \frac{1}{H}\sum_{i=1}^{H} x_i,\qquad
        \sigma^2 = \frac{1}{H}\sum_{i=1}^{H} (x_i - \mu)^2,\qquad
        y_i = \gamma_i\,\frac{x_i - \mu}{\sqrt{\sigma^2 + \varepsilon}} + \beta_i .

    The variance is the biased one (divide by :math:`H`). ``weight``
    (:math:`\gamma`) and ``bias`` (:math:`\beta`) have shape
    ``normalized_shape``; ``None`` means 1 and 0. No statistic is kept between
    calls, so training and evaluation compute the same thing, and a sample's
    output does not depend on the other samples of the batch.

    Shapes: ``x`` is ``(*, *normalized_shape)``; the output has the shape and
    dtype of ``x`` (float16 is computed in float32, integer input gives
    float64).

    >>> x = np.array([[1.0, 2.0, 3.0, 6.0], [10.0, 10.0, 10.0, 10.0]])
    >>> layer_norm(x, 4).round(4)        # row 1: mean 3, variance 3.5; row 2: constant
    array([[-1.069 , -0.5345,  0.    ,  1.6036],
           [ 0.    ,  0.    ,  0.    ,  0.    ]])
    >>> layer_norm(x, 4, weight=np.full(4, 2.0), bias=np.arange(4.0))[1]   # constant row → β
    array([0., 1., 2., 3.])
    >>> layer_norm(x, 3)
    Traceback (most recent call last):
    ...
    ValueError: x must end with normalized_shape (3,), i.e. have shape (*, 3), got (2, 4)
    """
    shape = _normalized_shape(normalized_shape)
    x, dtype = as_float_array(x, "x")
    axes = _trailing(x, shape)
    weight = _affine(weight, "weight", shape, x.dtype)
    bias = _affine(bias, "bias", shape, x.dtype)
    eps = check_nonnegative(eps, "eps")
    mean = x.mean(axis=axes, keepdims=True)
    var = ((x - mean) ** 2).mean(axis=axes, keepdims=True)  # biased: divides by H
    with np.errstate(invalid="ignore", divide="ignore"):   # eps=0 on a constant sample: 0/0 = nan, as in PyTorch
        y = (x - mean) / np.sqrt(var + eps)
    if weight is not None:
        y = y * weight
    if bias is not None:
        y = y + bias
    return np.asarray(y, dtype=dtype)


def rms_norm(x, normalized_shape, weight=None, eps=None):
    r"""RMS normalisation (Zhang & Sennrich, 2019, arXiv:1910.07467), as ``torch.nn.functional.rms_norm``.

    Layer normalisation without the mean: divide each sample by the root mean
    square of its features and scale,

    .. math::

        y_i = \gamma_i\,\frac{x_i}{\sqrt{\frac{1}{H}\sum_{j=1}^{H} x_j^2 + \varepsilon}} .

    There is no shift :math:`\beta`. ``eps=None`` uses the machine epsilon of
    the computation dtype, as PyTorch does: float32's
    (:math:`\approx 1.19\times 10^{-7}`) for float16/float32 input,
    float64's for float64.

    >>> rms_norm(np.array([[3.0, 4.0]]), 2).round(4)     # RMS = sqrt((9 + 16) / 2)
    array([[0.8485, 1.1314]])
    """
    shape = _normalized_shape(normalized_shape)
    x, dtype = as_float_array(x, "x")
    axes = _trailing(x, shape)
    weight = _affine(weight, "weight", shape, x.dtype)
    eps = float(np.finfo(x.dtype).eps) if eps is None else check_nonnegative(eps, "eps")
    y = x / np.sqrt((x * x).mean(axis=axes, keepdims=True) + eps)
    if weight is not None:
        y = y * weight
    return np.asarray(y, dtype=dtype)
