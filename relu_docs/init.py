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

Why these variances: a pre-activation :math:`z = \sum_{i=1}^n w_i x_i` has
:math:`\operatorname{Var}[z] = n \operatorname{Var}[W]\,\mathbb{E}[x^2]`
(:func:`preactivation_variance`), and a ReLU keeps half of a symmetric
input's second moment, :math:`\mathbb{E}[\operatorname{ReLU}(z)^2] = \operatorname{Var}[z]/2`
(:func:`relu_second_moment`). One ReLU layer therefore multiplies the variance
by :math:`\tfrac12 n \operatorname{Var}[W]` (:func:`variance_ratio`), which
is 1 exactly for He's :math:`\operatorname{Var}[W] = 2/n`.

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
    "uniform_bound",
    "uniform_variance",
    "preactivation_variance",
    "relu_second_moment",
    "variance_ratio",
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
_LINEAR_GAIN_ONE = ("linear", "conv1d", "conv2d", "conv3d",
                    "conv_transpose1d", "conv_transpose2d", "conv_transpose3d", "sigmoid")


def calculate_gain(nonlinearity: str, param=None) -> float:
    r"""The gain :math:`g` that ``torch.nn.init.calculate_gain`` uses.

    The standard deviation of a Kaiming/He draw is :math:`g / \sqrt{n}`.

    * ``"relu"``: :math:`g = \sqrt{2}` (He et al. 2015, eq. 10: ReLU zeroes half
      of a symmetric input, halving its second moment).
    * ``"leaky_relu"`` with negative slope :math:`a` (default 0.01 as in PyTorch):
      :math:`g = \sqrt{2 / (1 + a^2)}` (He et al. 2015, eq. 15).
    * ``"linear"``, ``"conv1d/2d/3d"``, ``"conv_transpose1d/2d/3d"``, ``"sigmoid"``: :math:`g = 1`.
    * ``"tanh"``: :math:`g = 5/3` and ``"selu"``: :math:`g = 3/4` are PyTorch's
      conventions (empirical choices), not values derived in a paper.

    >>> calculate_gain("relu")
    1.4142135623730951
    >>> calculate_gain("leaky_relu", 0.2)
    1.386750490563073
    >>> calculate_gain("softplus")
    Traceback (most recent call last):
    ...
    ValueError: nonlinearity must be one of conv1d, conv2d, conv3d, conv_transpose1d, conv_transpose2d, conv_transpose3d, leaky_relu, linear, relu, selu, sigmoid, tanh; got 'softplus'
    """
    if nonlinearity in _LINEAR_GAIN_ONE:
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
    names = ", ".join(sorted(_LINEAR_GAIN_ONE + ("leaky_relu", "relu", "selu", "tanh")))
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


def uniform_bound(std) -> float:
    r"""Bound :math:`b = \sqrt3\,\sigma` of the uniform distribution :math:`U(-b, b)` with standard deviation :math:`\sigma`.

    A normal draw :math:`\mathcal{N}(0, \sigma^2)` and a uniform draw
    :math:`U(-\sqrt3\sigma, \sqrt3\sigma)` have the same variance; every
    ``*_uniform`` initialiser here and in ``torch.nn.init`` uses this bound.

    >>> uniform_bound(he_std(784)) == he_uniform_bound(784)
    True
    """
    return math.sqrt(3.0) * check_nonnegative(std, "std")


def uniform_variance(bound) -> float:
    r"""Variance :math:`b^2 / 3` of the uniform distribution :math:`U(-b, b)`.

    >>> uniform_variance(1.0)
    0.3333333333333333
    >>> uniform_variance(torch_default_linear_bound(784)) * 3 * 784   # PyTorch's default: 1/(3 n_in)
    1.0
    """
    return check_nonnegative(bound, "bound") ** 2 / 3.0


# --------------------------------------------------------------------------- variance through a layer
def preactivation_variance(fan_in, weight_var, input_second_moment=1.0) -> float:
    r"""Variance of a pre-activation :math:`z = \sum_{i=1}^{n} w_i x_i`: :math:`\operatorname{Var}[z] = n\,\operatorname{Var}[W]\,\mathbb{E}[x^2]`.

    Assumes the weights are independent of each other and of the inputs, with
    mean 0 (so every term :math:`w_i x_i` has mean 0 and variance
    :math:`\operatorname{Var}[W]\,\mathbb{E}[x_i^2]`, and the variances of
    the :math:`n` terms add up). The input enters through its second moment
    :math:`\mathbb{E}[x^2]`, not its variance: a ReLU output has a positive mean.

    >>> preactivation_variance(512, he_std(512) ** 2, input_second_moment=0.5)
    1.0
    """
    fan_in = _check_fan(fan_in, "fan_in")
    return fan_in * check_nonnegative(weight_var, "weight_var") * check_nonnegative(
        input_second_moment, "input_second_moment")


def relu_second_moment(variance, negative_slope=0.0) -> float:
    r"""Second moment of a (leaky) ReLU of a symmetric, zero-mean input: :math:`\mathbb{E}[\varphi(z)^2] = \tfrac{1 + a^2}{2}\operatorname{Var}[z]`.

    For ReLU (:math:`a = 0`) the negative half of :math:`z` becomes 0 and the
    positive half is kept, so half of :math:`\mathbb{E}[z^2] = \operatorname{Var}[z]`
    remains (He et al. 2015). A leaky ReLU with slope :math:`a` keeps
    :math:`a^2` of the negative half as well.

    >>> relu_second_moment(1.0)
    0.5
    >>> relu_second_moment(1.0, negative_slope=0.01)
    0.50005
    """
    return (1.0 + check_scalar(negative_slope, "negative_slope") ** 2) / 2.0 * check_nonnegative(variance, "variance")


def variance_ratio(fan, weight_var, nonlinearity="relu", param=None) -> float:
    r"""Factor by which one layer multiplies the variance: :math:`n\,\operatorname{Var}[W]\,\tfrac{1 + a^2}{2}` (ReLU: :math:`\tfrac12 n\operatorname{Var}[W]`).

    :math:`\operatorname{Var}[z_{l+1}] / \operatorname{Var}[z_l]` for a stack
    of layers :math:`z_{l+1} = W \varphi(z_l)`, from
    :func:`preactivation_variance` and :func:`relu_second_moment`.
    ``nonlinearity`` is ``"relu"``, ``"leaky_relu"`` (slope ``param``, default
    0.01 as in PyTorch) or ``"linear"`` (factor :math:`n\operatorname{Var}[W]`).
    With ``fan`` = fan-in this is the forward signal; with ``fan`` = fan-out it
    is the backward gradient (He et al. 2015). It equals :math:`n\operatorname{Var}[W] / g^2`
    with :math:`g` = :func:`calculate_gain`, so He's
    :math:`\operatorname{Var}[W] = g^2 / n` makes it 1.

    >>> variance_ratio(256, he_std(256) ** 2)             # He: kept
    1.0
    >>> variance_ratio(256, xavier_std(256, 256) ** 2)    # Xavier, square layer: halved
    0.5
    >>> round(variance_ratio(256, uniform_variance(torch_default_linear_bound(256))), 4)   # PyTorch default
    0.1667
    """
    fan = _check_fan(fan, "fan")
    weight_var = check_nonnegative(weight_var, "weight_var")
    if nonlinearity == "linear":
        return fan * weight_var
    if nonlinearity == "relu":
        slope = 0.0
    elif nonlinearity == "leaky_relu":
        slope = 0.01 if param is None else check_scalar(param, "param")
    else:
        raise ValueError(f"nonlinearity must be one of leaky_relu, linear, relu; got {nonlinearity!r}")
    return preactivation_variance(fan, weight_var, relu_second_moment(1.0, slope))


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


def _fan(shape, mode) -> int:
    fan_in, fan_out = fans(shape)
    if mode == "fan_in":
        return fan_in
    if mode == "fan_out":
        return fan_out
    raise ValueError(f"mode must be 'fan_in' or 'fan_out', got {mode!r}")


def he_normal(shape, rng=None, gain=SQRT2, mode="fan_in") -> np.ndarray:
    r"""Draw :math:`W \sim \mathcal{N}(0, g^2/n)`; for ReLU :math:`\mathcal{N}(0, 2/n)`, :math:`n` = fan-in or fan-out.

    ``shape`` is ``(fan_out, fan_in)`` like ``nn.Linear(fan_in, fan_out).weight``.
    ``mode="fan_in"`` (default) keeps the variance of the forward signal,
    ``mode="fan_out"`` that of the backward gradient, as in
    ``torch.nn.init.kaiming_normal_``.

    >>> w = he_normal((256, 784), rng=0)
    >>> w.shape, round(float(w.std()), 4)
    ((256, 784), 0.0506)
    >>> round(float(he_normal((256, 784), rng=0, mode="fan_out").std()), 3)   # sqrt(2/256) = 0.0884
    0.088
    """
    shape = _check_shape(shape)
    return _normal(shape, he_std(_fan(shape, mode), gain=gain), rng)


def he_uniform(shape, rng=None, gain=SQRT2, mode="fan_in") -> np.ndarray:
    r"""Draw :math:`W \sim U(-b, b)`, :math:`b = g\sqrt{3/n}`; for ReLU :math:`b = \sqrt{6/n}`, :math:`n` = fan-in or fan-out.

    >>> w = he_uniform((256, 784), rng=0)
    >>> round(float(w.std()), 4)
    0.0504
    """
    shape = _check_shape(shape)
    return _uniform(shape, he_uniform_bound(_fan(shape, mode), gain=gain), rng)


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
