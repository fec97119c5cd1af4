r"""Weight initialisation, as the papers define it.

Every scheme draws weights with mean 0 and picks the spread so that the
variance of the signal stays roughly constant from layer to layer. They differ
in which fan they use and in the factor in front:

=================  ======================================  ==============================
scheme             variance :math:`\operatorname{Var}[W]`   source
=================  ======================================  ==============================
LeCun              :math:`1 / n_\text{in}`                  LeCun et al. 1998, *Efficient BackProp*
Xavier (Glorot)    :math:`2 / (n_\text{in} + n_\text{out})`  Glorot & Bengio 2010
He (Kaiming)       :math:`2 / n_\text{in}`                  He et al. 2015, arXiv:1502.01852
PyTorch default    :math:`1 / (3 n_\text{in})`              ``nn.Linear.reset_parameters``
=================  ======================================  ==============================

A normal draw uses the standard deviation :math:`\sigma = \sqrt{\operatorname{Var}[W]}`,
i.e. :math:`W \sim \mathcal{N}(0, \sigma^2)`; a uniform draw
:math:`W \sim U(-b, b)` with the same variance uses the bound
:math:`b = \sqrt{3}\,\sigma`, because :math:`\operatorname{Var}[U(-b, b)] = b^2/3`.

Shapes follow PyTorch: a ``Linear`` weight has shape ``(fan_out, fan_in)``; a
convolution weight ``(out_channels, in_channels, *kernel)`` has
``fan_in = in_channels * prod(kernel)``, as ``torch.nn.init`` computes it.

``rng`` is a :class:`numpy.random.Generator`, an ``int`` seed or ``None``
(fresh entropy). Every array returned is float64.
"""

from __future__ import annotations

import math
import numbers

import numpy as np

from relu_docs.validation import as_generator, check_nonnegative, check_scalar

__all__ = [
    "calculate_gain",
    "fans",
    "lecun_std",
    "xavier_std",
    "xavier_uniform_bound",
    "he_std",
    "he_uniform_bound",
    "torch_default_linear_bound",
    "lecun_normal",
    "lecun_uniform",
    "xavier_normal",
    "xavier_uniform",
    "he_normal",
    "he_uniform",
    "torch_default_linear",
    "init_weights",
    "INIT_KINDS",
]

SQRT2 = math.sqrt(2.0)

#: kinds accepted by :func:`init_weights`, with the distributions each offers
INIT_KINDS = {
    "he": ("normal", "uniform"),
    "xavier": ("normal", "uniform"),
    "lecun": ("normal", "uniform"),
    "torch_default": ("uniform",),
}


# --------------------------------------------------------------------------- checks
def _check_fan(value, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be a positive int, got {type(value).__name__}")
    value = int(value)
    if value <= 0:
        raise ValueError(f"{name} must be a positive int, got {value}")
    return value


def _check_gain(gain) -> float:
    gain = check_nonnegative(gain, "gain")
    if gain == 0:
        raise ValueError("gain must be > 0, got 0.0")
    return gain


def _check_shape(shape) -> tuple[int, ...]:
    if isinstance(shape, numbers.Integral) or not hasattr(shape, "__iter__"):
        raise TypeError(f"shape must be a tuple of ints (fan_out, fan_in, ...), got {type(shape).__name__}")
    shape = tuple(shape)
    if len(shape) < 2:
        raise ValueError(f"shape must have at least 2 dimensions (fan_out, fan_in, ...), got {shape}")
    for dim in shape:
        if isinstance(dim, bool) or not isinstance(dim, numbers.Integral):
            raise TypeError(f"shape must contain ints, got {type(dim).__name__}")
        if dim <= 0:
            raise ValueError(f"shape must contain positive ints, got {shape}")
    return tuple(int(d) for d in shape)


# --------------------------------------------------------------------------- gains and fans
def calculate_gain(nonlinearity: str, param=None) -> float:
    r"""The gain :math:`g` that ``torch.nn.init.calculate_gain`` uses.

    The standard deviation of a Kaiming/He draw is :math:`g / \sqrt{n}`.

    * ``"relu"``: :math:`g = \sqrt{2}` (He et al. 2015, eq. 10: ReLU zeroes half
      of a symmetric input, halving its second moment).
    * ``"leaky_relu"`` with negative slope :math:`a` (default 0.01 as in PyTorch):
      :math:`g = \sqrt{2 / (1 + a^2)}` (He et al. 2015, eq. 15).
    * ``"linear"``, ``"conv1d/2d/3d"``, ``"sigmoid"``: :math:`g = 1`.
    * ``"tanh"``: :math:`g = 5/3` and ``"selu"``: :math:`g = 3/4` are PyTorch's
      conventions (empirical choices), not values derived in a paper.

    >>> calculate_gain("relu")
    1.4142135623730951
    >>> calculate_gain("leaky_relu", 0.2)
    1.386750490563073
    >>> calculate_gain("softplus")
    Traceback (most recent call last):
    ...
    ValueError: nonlinearity must be one of conv1d, conv2d, conv3d, leaky_relu, linear, relu, selu, sigmoid, tanh; got 'softplus'
    """
    if nonlinearity in ("linear", "conv1d", "conv2d", "conv3d", "sigmoid"):
        return 1.0
    if nonlinearity == "tanh":
        return 5.0 / 3.0
    if nonlinearity == "relu":
        return SQRT2
    if nonlinearity == "leaky_relu":
        slope = 0.01 if param is None else check_scalar(param, "param")
        return math.sqrt(2.0 / (1.0 + slope**2))
    if nonlinearity == "selu":
        return 3.0 / 4.0
    names = "conv1d, conv2d, conv3d, leaky_relu, linear, relu, selu, sigmoid, tanh"
    raise ValueError(f"nonlinearity must be one of {names}; got {nonlinearity!r}")


def fans(shape) -> tuple[int, int]:
    r"""Return ``(fan_in, fan_out)`` of a weight of the given shape.

    For shape :math:`(o, i, k_1, \dots, k_d)`: :math:`n_\text{in} = i \prod k_j`,
    :math:`n_\text{out} = o \prod k_j` (``torch.nn.init`` convention).

    >>> fans((256, 784))
    (784, 256)
    >>> fans((64, 3, 3, 3))
    (27, 576)
    """
    shape = _check_shape(shape)
    receptive = math.prod(shape[2:])
    return shape[1] * receptive, shape[0] * receptive


# --------------------------------------------------------------------------- spreads
def lecun_std(fan_in) -> float:
    r"""LeCun's standard deviation :math:`\sigma = \sqrt{1 / n_\text{in}}`.

    LeCun et al. (1998, *Efficient BackProp*, §4.6) draw weights with mean 0
    and standard deviation :math:`n_\text{in}^{-1/2}`, so that a unit with
    unit-variance inputs has a unit-variance sum. This is the
    :math:`1/n_\text{in}` rule that is sometimes wrongly called "Xavier".

    >>> lecun_std(100)
    0.1
    """
    return math.sqrt(1.0 / _check_fan(fan_in, "fan_in"))


def xavier_std(fan_in, fan_out, gain=1.0) -> float:
    r"""Glorot/Xavier standard deviation :math:`\sigma = g\sqrt{2 / (n_\text{in} + n_\text{out})}`.

    Glorot & Bengio (2010) ask for :math:`n_\text{in}\operatorname{Var}[W] = 1`
    (forward) and :math:`n_\text{out}\operatorname{Var}[W] = 1` (backward) and
    compromise on :math:`\operatorname{Var}[W] = 2 / (n_\text{in} + n_\text{out})`.
    This is ``torch.nn.init.xavier_normal_``'s standard deviation.

    >>> xavier_std(784, 256)
    0.04385290096535146
    """
    fan_in = _check_fan(fan_in, "fan_in")
    fan_out = _check_fan(fan_out, "fan_out")
    return _check_gain(gain) * math.sqrt(2.0 / (fan_in + fan_out))


def xavier_uniform_bound(fan_in, fan_out, gain=1.0) -> float:
    r"""Glorot/Xavier uniform bound :math:`b = g\sqrt{6 / (n_\text{in} + n_\text{out})}`.

    Glorot & Bengio (2010, eq. 16): :math:`W \sim U(-b, b)`, which has variance
    :math:`b^2/3 = 2 / (n_\text{in} + n_\text{out})`.

    >>> xavier_uniform_bound(784, 256)
    0.075955452531275
    """
    fan_in = _check_fan(fan_in, "fan_in")
    fan_out = _check_fan(fan_out, "fan_out")
    return _check_gain(gain) * math.sqrt(6.0 / (fan_in + fan_out))


def he_std(fan_in, gain=SQRT2) -> float:
    r"""He/Kaiming standard deviation :math:`\sigma = g / \sqrt{n_\text{in}}`; for ReLU :math:`\sqrt{2 / n_\text{in}}`.

    He et al. (2015, "Delving Deep into Rectifiers", arXiv:1502.01852, eq. 10)
    require :math:`\tfrac12 n_\text{in} \operatorname{Var}[W] = 1`: a ReLU keeps
    half of a symmetric input's second moment, and the factor 2 makes up for it.
    The default ``gain`` :math:`\sqrt2` is :func:`calculate_gain` ``("relu")``;
    pass ``calculate_gain("leaky_relu", a)`` for a leaky ReLU or PReLU.

    >>> he_std(784)
    0.05050762722761054
    >>> he_std(0)
    Traceback (most recent call last):
    ...
    ValueError: fan_in must be a positive int, got 0
    """
    return _check_gain(gain) / math.sqrt(_check_fan(fan_in, "fan_in"))


def he_uniform_bound(fan_in, gain=SQRT2) -> float:
    r"""He/Kaiming uniform bound :math:`b = g\sqrt{3 / n_\text{in}}`; for ReLU :math:`\sqrt{6 / n_\text{in}}`.

    Same variance :math:`2 / n_\text{in}` as :func:`he_std`, as
    ``torch.nn.init.kaiming_uniform_`` draws it.

    >>> he_uniform_bound(784)
    0.08748177652797065
    """
    return math.sqrt(3.0) * he_std(fan_in, gain)


def torch_default_linear_bound(fan_in) -> float:
    r"""Bound of PyTorch's default ``nn.Linear`` weight: :math:`b = 1 / \sqrt{n_\text{in}}`.

    ``nn.Linear.reset_parameters`` calls ``kaiming_uniform_(weight, a=sqrt(5))``:
    gain :math:`\sqrt{2 / (1 + 5)} = \sqrt{1/3}`, bound
    :math:`\sqrt{1/3}\cdot\sqrt{3 / n_\text{in}} = 1/\sqrt{n_\text{in}}`.
    The variance is :math:`1 / (3 n_\text{in})`, a third of LeCun's and a sixth
    of He's. The bias is drawn from the same :math:`U(-b, b)`.

    >>> torch_default_linear_bound(784)
    0.03571428571428571
    """
    return 1.0 / math.sqrt(_check_fan(fan_in, "fan_in"))


# --------------------------------------------------------------------------- draws
def _normal(shape, std, rng):
    return as_generator(rng).normal(0.0, std, size=shape)


def _uniform(shape, bound, rng):
    return as_generator(rng).uniform(-bound, bound, size=shape)


def lecun_normal(shape, rng=None) -> np.ndarray:
    r"""Draw :math:`W \sim \mathcal{N}(0, 1/n_\text{in})` with shape ``(fan_out, fan_in, ...)``.

    >>> w = lecun_normal((256, 784), rng=0)
    >>> w.shape, round(float(w.std()), 4)
    ((256, 784), 0.0357)
    """
    shape = _check_shape(shape)
    return _normal(shape, lecun_std(fans(shape)[0]), rng)


def lecun_uniform(shape, rng=None) -> np.ndarray:
    r"""Draw :math:`W \sim U(-\sqrt{3/n_\text{in}}, \sqrt{3/n_\text{in}})` (variance :math:`1/n_\text{in}`).

    LeCun et al. (1998) state the standard deviation, not the distribution;
    this uniform variant has the same variance.

    >>> w = lecun_uniform((256, 784), rng=0)
    >>> bool(abs(w).max() <= math.sqrt(3 / 784))
    True
    """
    shape = _check_shape(shape)
    return _uniform(shape, math.sqrt(3.0) * lecun_std(fans(shape)[0]), rng)


def xavier_normal(shape, rng=None, gain=1.0) -> np.ndarray:
    r"""Draw :math:`W \sim \mathcal{N}(0, \tfrac{2 g^2}{n_\text{in} + n_\text{out}})`.

    >>> w = xavier_normal((256, 784), rng=0)
    >>> round(float(w.std()), 4)
    0.0439
    """
    shape = _check_shape(shape)
    return _normal(shape, xavier_std(*fans(shape), gain=gain), rng)


def xavier_uniform(shape, rng=None, gain=1.0) -> np.ndarray:
    r"""Draw :math:`W \sim U(-b, b)`, :math:`b = g\sqrt{6 / (n_\text{in} + n_\text{out})}`.

    >>> w = xavier_uniform((256, 784), rng=0)
    >>> round(float(w.std()), 4)
    0.0438
    """
    shape = _check_shape(shape)
    return _uniform(shape, xavier_uniform_bound(*fans(shape), gain=gain), rng)


def he_normal(shape, rng=None, gain=SQRT2) -> np.ndarray:
    r"""Draw :math:`W \sim \mathcal{N}(0, g^2/n_\text{in})`; for ReLU :math:`\mathcal{N}(0, 2/n_\text{in})`.

    ``shape`` is ``(fan_out, fan_in)`` like ``nn.Linear(fan_in, fan_out).weight``.

    >>> w = he_normal((256, 784), rng=0)
    >>> w.shape, round(float(w.std()), 4)
    ((256, 784), 0.0506)
    """
    shape = _check_shape(shape)
    return _normal(shape, he_std(fans(shape)[0], gain=gain), rng)


def he_uniform(shape, rng=None, gain=SQRT2) -> np.ndarray:
    r"""Draw :math:`W \sim U(-b, b)`, :math:`b = g\sqrt{3/n_\text{in}}`; for ReLU :math:`b = \sqrt{6/n_\text{in}}`.

    >>> w = he_uniform((256, 784), rng=0)
    >>> round(float(w.std()), 4)
    0.0504
    """
    shape = _check_shape(shape)
    return _uniform(shape, he_uniform_bound(fans(shape)[0], gain=gain), rng)


def torch_default_linear(shape, rng=None) -> np.ndarray:
    r"""Draw :math:`W \sim U(-1/\sqrt{n_\text{in}}, 1/\sqrt{n_\text{in}})`, PyTorch's default for ``nn.Linear``.

    >>> w = torch_default_linear((256, 784), rng=0)
    >>> round(float(w.std()), 4), round(1 / math.sqrt(3 * 784), 4)
    (0.0206, 0.0206)
    """
    shape = _check_shape(shape)
    return _uniform(shape, torch_default_linear_bound(fans(shape)[0]), rng)


_DRAWS = {
    ("he", "normal"): he_normal,
    ("he", "uniform"): he_uniform,
    ("xavier", "normal"): xavier_normal,
    ("xavier", "uniform"): xavier_uniform,
    ("lecun", "normal"): lecun_normal,
    ("lecun", "uniform"): lecun_uniform,
    ("torch_default", "uniform"): torch_default_linear,
}


def init_weights(kind: str, shape, rng=None, distribution: str | None = None) -> np.ndarray:
    r"""Draw a weight of ``shape`` with the scheme ``kind``.

    ``kind`` is one of ``"he"``, ``"xavier"``, ``"lecun"``, ``"torch_default"``;
    ``distribution`` is ``"normal"`` or ``"uniform"`` (default: ``"normal"``,
    except ``"torch_default"``, which only exists as ``"uniform"``). The
    variances are those in the table of :mod:`relu_docs.init`.

    >>> for kind in ["lecun", "xavier", "he", "torch_default"]:
    ...     w = init_weights(kind, (512, 512), rng=0)
    ...     print(f"{kind:14s} {w.var() * 512:.2f}")
    lecun          1.00
    xavier         1.00
    he             2.00
    torch_default  0.33
    >>> init_weights("torch_default", (2, 2), distribution="normal")
    Traceback (most recent call last):
    ...
    ValueError: distribution must be one of ('uniform',) for kind 'torch_default', got 'normal'
    """
    if kind not in INIT_KINDS:
        raise ValueError(f"kind must be one of {', '.join(INIT_KINDS)}; got {kind!r}")
    allowed = INIT_KINDS[kind]
    if distribution is None:
        distribution = allowed[0]
    if distribution not in allowed:
        raise ValueError(f"distribution must be one of {allowed} for kind {kind!r}, got {distribution!r}")
    return _DRAWS[kind, distribution](shape, rng=rng)
