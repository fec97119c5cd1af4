r"""Activation functions of the ReLU 위키, in NumPy, with their derivatives.

Every function here is the single implementation the site uses (pages,
figures, notebooks); ``tests/test_functional.py`` checks each one, and each
derivative, against ``torch.nn.functional`` and ``torch.autograd``.

Conventions shared by all functions:

* Input: any array-like of real numbers (list, scalar, ``np.ndarray``, a
  ``torch.Tensor``). Output: an ``np.ndarray`` of the same shape. Float input
  keeps its dtype (float16/32/64); integer and boolean input becomes float64.
  float16 is computed in float32 and rounded once at the end, as PyTorch does.
* Bad input raises ``TypeError``/``ValueError`` whose message names the
  argument (``x``, ``alpha``, ``negative_slope``, ...).
* Kinks: a derivative "at 0" is a convention, not a theorem. Each ``*_grad``
  uses PyTorch's choice, so ``relu_grad(0) == 0`` like ``torch.relu``'s
  backward.

Special values are this package's own contract, stated in each docstring
and asserted directly by ``tests/test_functional.py`` (PyTorch does not
define them: its derivative at NaN, for one, differs between its vectorised
and scalar CPU kernels):

* NaN propagates: every function and every derivative gives NaN at NaN.
* :math:`\pm\infty` give the limits: ``relu(-inf) == 0``,
  ``sigmoid(inf) == 1``, ``gelu(-inf) == 0``, ``gelu_grad(inf) == 1``, and
  ``leaky_relu(-inf, negative_slope=0) == 0`` rather than
  :math:`0 \cdot \infty` = NaN.
* :math:`-0.0` keeps its sign where the formula passes the input through or
  scales it (``relu(-0.0)``, ``tanh(-0.0)`` and ``gelu(-0.0)`` are ``-0.0``);
  derivatives at :math:`\pm 0.0` are the kink conventions above.
* Subnormal inputs are ordinary tiny numbers, never flushed to zero:
  ``relu(x) == x`` and ``sigmoid(x) == 0.5`` for a subnormal ``x > 0``.
* Empty arrays give empty arrays of the same shape and dtype.

``ACTIVATIONS`` maps a name to ``(function, derivative)`` with default
parameters, for the figure scripts and notebooks:

>>> from relu_docs.functional import ACTIVATIONS
>>> fn, grad = ACTIVATIONS["relu"]
>>> fn([-1.0, 2.0]), grad([-1.0, 2.0])
(array([0., 2.]), array([0., 1.]))
"""

from __future__ import annotations

import math
import numbers

import numpy as np

from relu_docs.validation import as_array, as_float_array, as_generator, check_nonnegative, check_scalar

__all__ = [
    "relu", "relu_grad",
    "leaky_relu", "leaky_relu_grad",
    "prelu", "prelu_grad",
    "rrelu",
    "elu", "elu_grad",
    "sigmoid", "sigmoid_grad",
    "tanh", "tanh_grad",
    "logit", "scaled_tanh",
    "softmax", "log_softmax", "logsumexp", "softmax_jacobian", "softmax_with_temperature",
    "gelu", "gelu_grad", "normal_cdf", "gelu_sigmoid_approx", "silu",
    "ACTIVATIONS",
]


def _finish(y, dtype) -> np.ndarray:
    with np.errstate(over="ignore"):  # float16 range: rounding to ±inf is the right answer
        return np.asarray(y, dtype=dtype)


def _nan_where_nan(x: np.ndarray, y) -> np.ndarray:
    """``y``, with NaN wherever ``x`` is NaN (a derivative at NaN is NaN)."""
    return np.where(np.isnan(x), np.nan, y)


def _negative_part(x: np.ndarray, slope) -> np.ndarray:
    """``x`` where ``x > 0``, ``slope * x`` elsewhere; the limit ``-0.0`` at
    ``x = -inf`` when the slope is 0 (where ``0 * -inf`` would be NaN)."""
    with np.errstate(invalid="ignore"):  # 0 * -inf, replaced by its limit below
        y = np.where(x > 0, x, slope * x)
    return np.where(np.isneginf(x) & (slope == 0), -0.0, y)


# ---------------------------------------------------------------- ReLU family


def relu(x) -> np.ndarray:
    r"""Rectified linear unit, applied elementwise.

    .. math::

        \text{ReLU}(x) = \max(0, x) =
        \begin{cases} x & \text{if } x > 0 \\ 0 & \text{if } x \le 0 \end{cases}

    Input: any shape. Output: same shape and dtype (integer/bool input gives
    float64).

    Special values: ``relu(nan)`` is NaN; ``relu(inf) == inf`` and
    ``relu(-inf) == 0``; ``relu(-0.0)`` is ``-0.0`` (the input passes through;
    the two zeros compare equal and differ only in the sign bit); a subnormal
    ``x > 0`` passes unchanged.

    The input–output table of the ReLU page:

    >>> relu([-2, -1, 0, 1, 2])
    array([0., 0., 0., 1., 2.])
    >>> relu(np.array([-1.5, 0.5], dtype=np.float32))
    array([0. , 0.5], dtype=float32)

    See also: :func:`relu_grad`. Reference: Nair & Hinton (2010), "Rectified
    Linear Units Improve Restricted Boltzmann Machines", ICML.
    """
    x, dtype = as_float_array(x)
    return _finish(np.where(x < 0, 0, x), dtype)


def relu_grad(x) -> np.ndarray:
    r"""Derivative of :func:`relu`, elementwise, with the value 0 at ``x = 0``.

    .. math::

        \text{ReLU}'(x) =
        \begin{cases} 1 & \text{if } x > 0 \\ 0 & \text{if } x \le 0 \end{cases}

    ReLU has no derivative at 0 (left derivative 0, right derivative 1); any
    value in [0, 1] is a subgradient. We use 0, which is what
    ``torch.autograd`` gives for ``torch.relu`` at ``0.0`` and ``-0.0``.

    Special values: NaN at NaN; 1 at ``inf`` and at a subnormal ``x > 0``;
    0 at ``-inf``, ``0.0`` and ``-0.0``.

    Input: any shape. Output: same shape and dtype.

    >>> relu_grad([-2, -1, 0, 1, 2])
    array([0., 0., 0., 1., 1.])
    """
    x, dtype = as_float_array(x)
    return _finish(_nan_where_nan(x, np.where(x > 0, 1, 0)), dtype)


def leaky_relu(x, negative_slope: float = 0.01) -> np.ndarray:
    r"""Leaky ReLU: a small fixed slope for negative inputs.

    .. math::

        \text{LeakyReLU}(x) =
        \begin{cases} x & \text{if } x > 0 \\
        \text{negative\_slope} \cdot x & \text{if } x \le 0 \end{cases}

    ``negative_slope`` must be >= 0 (PyTorch accepts any float; a negative
    slope makes the function non-monotonic, so we refuse it).

    Special values: NaN at NaN; ``inf`` at ``inf``; ``-inf`` at ``-inf``, or
    the limit 0 when ``negative_slope`` is 0 (``0 * -inf`` would be NaN);
    ``-0.0`` at ``-0.0``.

    Input: any shape. Output: same shape and dtype.

    >>> leaky_relu([-2, 0, 3])
    array([-0.02,  0.  ,  3.  ])
    >>> leaky_relu([-2, 0, 3], negative_slope=0.2)
    array([-0.4,  0. ,  3. ])

    See also: :func:`leaky_relu_grad`, :func:`prelu`. Reference: Maas, Hannun
    & Ng (2013), "Rectifier Nonlinearities Improve Neural Network Acoustic
    Models", ICML Workshop on Deep Learning for Audio, Speech and Language.
    """
    slope = check_nonnegative(negative_slope, "negative_slope")
    x, dtype = as_float_array(x)
    return _finish(_negative_part(x, slope), dtype)


def leaky_relu_grad(x, negative_slope: float = 0.01) -> np.ndarray:
    r"""Derivative of :func:`leaky_relu`; at ``x = 0`` it is ``negative_slope``.

    .. math::

        \text{LeakyReLU}'(x) =
        \begin{cases} 1 & \text{if } x > 0 \\
        \text{negative\_slope} & \text{if } x \le 0 \end{cases}

    The value at 0 is ``negative_slope``, as in ``torch.autograd``.

    Special values: NaN at NaN; 1 at ``inf``; ``negative_slope`` at ``-inf``,
    ``0.0`` and ``-0.0``.

    Input: any shape. Output: same shape and dtype.

    >>> leaky_relu_grad([-2, 0, 3])
    array([0.01, 0.01, 1.  ])
    """
    slope = check_nonnegative(negative_slope, "negative_slope")
    x, dtype = as_float_array(x)
    return _finish(_nan_where_nan(x, np.where(x > 0, 1, slope)), dtype)


def _prelu_alpha(alpha, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Validate ``alpha``; return it as given and reshaped to broadcast on axis 1."""
    a = as_array(alpha, "alpha")
    if a.ndim > 1:
        raise ValueError(f"alpha must be a scalar or a 1-D array, got shape {a.shape}")
    if a.size == 1:
        return a, a.reshape(()).astype(x.dtype)
    channels = x.shape[1] if x.ndim >= 2 else 1
    if a.size != channels:
        raise ValueError(
            f"alpha has {a.size} values but x has {channels} channel(s) on axis 1; "
            "give one alpha or one per channel"
        )
    return a, a.reshape((-1,) + (1,) * (x.ndim - 2)).astype(x.dtype)


def prelu(x, alpha) -> np.ndarray:
    r"""Parametric ReLU: Leaky ReLU whose negative slope :math:`a` is learned.

    .. math::

        \text{PReLU}(x) =
        \begin{cases} x & \text{if } x > 0 \\ a \cdot x & \text{if } x \le 0 \end{cases}

    ``alpha`` is a scalar (one slope shared by every element) or a 1-D array
    with one slope per channel, the channel axis being axis 1 as in
    ``torch.nn.functional.prelu`` (so ``x`` needs ``ndim >= 2`` then).
    ``alpha`` is not constrained: it is a learned weight, and PyTorch lets it
    become negative or larger than 1 during training.

    Special values: as :func:`leaky_relu` with slope :math:`a`: NaN at NaN,
    ``inf`` at ``inf``, :math:`a \cdot (-\infty)` at ``-inf`` (the limit 0
    when :math:`a = 0`).

    Input: any shape. Output: same shape and dtype as ``x``.

    >>> prelu([-2.0, 3.0], 0.25)
    array([-0.5,  3. ])
    >>> prelu([[-1.0, -1.0], [2.0, -4.0]], [0.1, 0.5])
    array([[-0.1, -0.5],
           [ 2. , -2. ]])

    See also: :func:`prelu_grad`. Reference: He, Zhang, Ren & Sun (2015),
    "Delving Deep into Rectifiers", ICCV, arXiv:1502.01852.
    """
    x, dtype = as_float_array(x)
    _, a = _prelu_alpha(alpha, x)
    return _finish(_negative_part(x, a), dtype)


def prelu_grad(x, alpha, grad_output=None) -> tuple[np.ndarray, np.ndarray]:
    r"""Gradients of :func:`prelu` with respect to ``x`` and to ``alpha``.

    With :math:`g` the upstream gradient ``grad_output`` (ones by default):

    .. math::

        \frac{\partial L}{\partial x} = g \cdot
        \begin{cases} 1 & \text{if } x > 0 \\ a & \text{if } x \le 0 \end{cases}
        \qquad
        \frac{\partial L}{\partial a} = \sum g \cdot
        \begin{cases} 0 & \text{if } x > 0 \\ x & \text{if } x \le 0 \end{cases}

    The sum runs over every element sharing that :math:`a`: all of them for a
    scalar ``alpha``, all but axis 1 for a per-channel ``alpha``.

    Returns ``(grad_input, grad_alpha)``: ``grad_input`` has the shape and dtype
    of ``x``; ``grad_alpha`` has the shape of ``alpha`` and the dtype of
    ``x``. Both equal what ``torch.autograd`` gives for
    ``torch.nn.functional.prelu``.

    Special values: ``grad_input`` is NaN where ``x`` is NaN; ``grad_alpha``
    is NaN when any element sharing that slope is NaN (it is a sum).

    >>> gx, ga = prelu_grad([-2.0, 3.0, -1.0], 0.25)
    >>> gx
    array([0.25, 1.  , 0.25])
    >>> ga
    array(-3.)
    """
    x, dtype = as_float_array(x)
    a_given, a = _prelu_alpha(alpha, x)
    if grad_output is None:
        g = np.ones_like(x)
    else:
        g = as_array(grad_output, "grad_output").astype(x.dtype, copy=False)
        if g.shape != x.shape:
            raise ValueError(f"grad_output must have the shape of x {x.shape}, got {g.shape}")
    with np.errstate(invalid="ignore"):  # 0 * inf = nan: the gradient of a at x = -inf has no limit
        grad_input = _nan_where_nan(x, g * np.where(x > 0, 1, a))
        per_element = g * np.where(x > 0, 0, x)
    if a_given.size == 1:
        grad_alpha = per_element.sum()
    else:
        grad_alpha = per_element.sum(axis=tuple(i for i in range(x.ndim) if i != 1))
    return _finish(grad_input, dtype), _finish(grad_alpha, dtype).reshape(a_given.shape)


def rrelu(x, lower: float = 1 / 8, upper: float = 1 / 3, training: bool = False,
          rng=None, return_slopes: bool = False):
    r"""Randomized leaky ReLU: the negative slope is random while training.

    .. math::

        \text{RReLU}(x) =
        \begin{cases} x & \text{if } x > 0 \\ a \cdot x & \text{if } x \le 0 \end{cases}
        \qquad
        a \sim \mathcal{U}(\text{lower}, \text{upper}) \text{ (training)}, \quad
        a = \frac{\text{lower} + \text{upper}}{2} \text{ (evaluation)}

    In training mode one slope per element is drawn from the uniform
    distribution with the NumPy generator ``rng`` (a ``Generator``, an int
    seed, or ``None`` for a fresh ``default_rng()``). In evaluation mode the
    function is Leaky ReLU with the mean slope, exactly like
    ``torch.nn.functional.rrelu(x, lower, upper, training=False)``.
    Requires ``0 <= lower <= upper`` (PyTorch also accepts a negative
    ``lower``).

    With ``return_slopes=True`` returns ``(output, slopes)``; ``slopes`` has the
    shape and dtype of the output and holds the slope of every element (used
    only where ``x <= 0``; it is also the derivative there).

    Special values: as :func:`leaky_relu` with each element's slope.

    Input: any shape. Output: same shape and dtype.

    >>> rrelu([-3.0, 3.0])  # evaluation: slope (1/8 + 1/3) / 2 = 11/48
    array([-0.6875,  3.    ])
    >>> y, a = rrelu([-1.0, -1.0, 2.0], training=True, rng=0, return_slopes=True)
    >>> bool(np.all((1 / 8 <= a) & (a <= 1 / 3))), float(y[2])
    (True, 2.0)

    See also: :func:`leaky_relu`. Reference: Xu, Wang, Chen & Li (2015),
    "Empirical Evaluation of Rectified Activations in Convolutional Network",
    arXiv:1505.00853.
    """
    lower = check_nonnegative(lower, "lower")
    upper = check_scalar(upper, "upper")
    if lower > upper:
        raise ValueError(f"lower must be <= upper, got lower={lower}, upper={upper}")
    if not isinstance(training, (bool, np.bool_)):
        raise TypeError(f"training must be a bool, got {type(training).__name__}")
    x, dtype = as_float_array(x)
    if training:
        slopes = as_generator(rng).uniform(lower, upper, size=x.shape).astype(x.dtype)
    else:
        slopes = np.full(x.shape, (lower + upper) / 2, dtype=x.dtype)
    y = _finish(_negative_part(x, slopes), dtype)
    return (y, _finish(slopes, dtype)) if return_slopes else y


# ----------------------------------------------------------------------- ELU


def elu(x, alpha: float = 1.0) -> np.ndarray:
    r"""Exponential linear unit.

    .. math::

        \text{ELU}(x) =
        \begin{cases} x & \text{if } x > 0 \\
        \alpha \left(e^{x} - 1\right) & \text{if } x \le 0 \end{cases}

    ``alpha`` must be >= 0. The negative branch uses ``expm1`` (accurate near
    0) and is only evaluated on non-positive values, so large inputs do not
    overflow.

    Special values: NaN at NaN; ``inf`` at ``inf``; :math:`-\alpha` at
    ``-inf``; ``-0.0`` at ``-0.0``.

    Input: any shape. Output: same shape and dtype.

    >>> elu([-1000.0, -1.0, 0.0, 2.0])
    array([-1.        , -0.63212056,  0.        ,  2.        ])

    See also: :func:`elu_grad`. Reference: Clevert, Unterthiner & Hochreiter
    (2016), "Fast and Accurate Deep Network Learning by Exponential Linear
    Units (ELUs)", ICLR, arXiv:1511.07289.
    """
    alpha = check_nonnegative(alpha, "alpha")
    x, dtype = as_float_array(x)
    neg = np.where(x > 0, 0, x)
    return _finish(np.where(x > 0, x, alpha * np.expm1(neg)), dtype)


def elu_grad(x, alpha: float = 1.0) -> np.ndarray:
    r"""Derivative of :func:`elu`; at ``x = 0`` it is ``alpha``.

    .. math::

        \text{ELU}'(x) =
        \begin{cases} 1 & \text{if } x > 0 \\ \alpha e^{x} & \text{if } x \le 0 \end{cases}

    At 0 the left derivative :math:`\alpha e^0 = \alpha` is used, as
    ``torch.autograd`` does; with the default ``alpha = 1`` both one-sided
    derivatives are 1 and ELU is continuously differentiable.

    Special values: NaN at NaN; 1 at ``inf``; 0 at ``-inf``; ``alpha`` at
    ``0.0`` and ``-0.0``.

    Input: any shape. Output: same shape and dtype.

    >>> elu_grad([-1.0, 0.0, 2.0])
    array([0.36787944, 1.        , 1.        ])
    >>> elu_grad([0.0], alpha=0.5)
    array([0.5])
    """
    alpha = check_nonnegative(alpha, "alpha")
    x, dtype = as_float_array(x)
    neg = np.where(x > 0, 0, x)
    return _finish(_nan_where_nan(x, np.where(x <= 0, alpha * np.exp(neg), 1)), dtype)


# ---------------------------------------------------------- sigmoid and tanh


def sigmoid(x) -> np.ndarray:
    r"""Logistic sigmoid, computed without overflow.

    .. math::

        \sigma(x) = \frac{1}{1 + e^{-x}} =
        \begin{cases} \dfrac{1}{1 + e^{-x}} & \text{if } x \ge 0 \\[4pt]
        \dfrac{e^{x}}{1 + e^{x}} & \text{if } x < 0 \end{cases}

    The two-branch form only ever exponentiates :math:`-|x| \le 0`, so inputs
    like :math:`\pm 1000` give 0 and 1 without an overflow warning.

    Special values: NaN at NaN; 1 at ``inf``; 0 at ``-inf``; 0.5 at
    :math:`\pm 0` and at subnormals.

    Input: any shape. Output: same shape and dtype.

    >>> sigmoid([-1000, 0, 1000])
    array([0. , 0.5, 1. ])
    >>> sigmoid([-1.0, 1.0])
    array([0.26894142, 0.73105858])
    """
    x, dtype = as_float_array(x)
    e = np.exp(-np.abs(x))
    return _finish(np.where(x >= 0, 1 / (1 + e), e / (1 + e)), dtype)


def sigmoid_grad(x) -> np.ndarray:
    r"""Derivative of :func:`sigmoid`: :math:`\sigma'(x) = \sigma(x)\,(1 - \sigma(x))`.

    At most 1/4 (at :math:`x = 0`), which is why deep stacks of sigmoids
    shrink gradients.

    Special values: NaN at NaN; 0 at :math:`\pm\infty`; 0.25 at
    :math:`\pm 0`.

    Input: any shape. Output: same shape and dtype.

    >>> sigmoid_grad([0.0, 10.0])
    array([2.5000000e-01, 4.5395807e-05])
    """
    x, dtype = as_float_array(x)
    s = sigmoid(x)
    return _finish(s * (1 - s), dtype)


def tanh(x) -> np.ndarray:
    r"""Hyperbolic tangent.

    .. math::

        \tanh(x) = \frac{e^{x} - e^{-x}}{e^{x} + e^{-x}} = 2\sigma(2x) - 1

    Special values: NaN at NaN; :math:`\pm 1` at :math:`\pm\infty`;
    ``-0.0`` at ``-0.0``; a subnormal passes unchanged.

    Input: any shape. Output: same shape and dtype.

    >>> tanh([-1000.0, 0.0, 1.0])
    array([-1.        ,  0.        ,  0.76159416])
    """
    x, dtype = as_float_array(x)
    return _finish(np.tanh(x), dtype)


def tanh_grad(x) -> np.ndarray:
    r"""Derivative of :func:`tanh`: :math:`\tanh'(x) = 1 - \tanh^2(x)`.

    Special values: NaN at NaN; 0 at :math:`\pm\infty`; 1 at :math:`\pm 0`.

    Input: any shape. Output: same shape and dtype.

    >>> tanh_grad([0.0, 1.0])
    array([1.        , 0.41997434])
    """
    x, dtype = as_float_array(x)
    t = np.tanh(x)
    return _finish(1 - t * t, dtype)


def logit(p) -> np.ndarray:
    r"""Inverse of the sigmoid: the log-odds of a probability.

    .. math::

        \operatorname{logit}(p) = \log \frac{p}{1 - p} = \sigma^{-1}(p)

    Special values: NaN at NaN and outside [0, 1] (no log-odds there);
    :math:`-\infty` at 0 and :math:`+\infty` at 1, the limits; ``-0.0`` at
    ``-0.0``.

    Input: any shape. Output: same shape and dtype.

    >>> logit([0.5, 0.8807970779778823])
    array([0., 2.])
    """
    p, dtype = as_float_array(p, "p")
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

    Special values: NaN at NaN; :math:`\pm 1.7159` at :math:`\pm\infty`;
    ``-0.0`` at ``-0.0``.

    Input: any shape. Output: same shape and dtype.

    >>> scaled_tanh([-1.0, 0.0, 1.0])
    array([-0.99999726,  0.        ,  0.99999726])
    """
    x, dtype = as_float_array(x)
    return np.asarray(_LECUN_A * np.tanh(_LECUN_B * x), dtype=dtype)


# ------------------------------------------------------------------- softmax


def _check_axis(axis, ndim: int) -> int:
    if isinstance(axis, bool) or not isinstance(axis, numbers.Integral):
        raise TypeError(f"axis must be an int, got {type(axis).__name__}")
    if not -max(ndim, 1) <= axis < max(ndim, 1):
        raise ValueError(f"axis {axis} is out of bounds for an array of dimension {ndim}")
    return int(axis)


def _shifted(x, axis):
    """Validate; return (x as an array, x - max along axis, axis, output dtype, 0-d flag)."""
    x, dtype = as_float_array(x)
    axis = _check_axis(axis, x.ndim)
    scalar = x.ndim == 0
    if scalar:
        x = x.reshape(1)
    with np.errstate(invalid="ignore"):  # inf - inf = nan: handled by _infinite_logits
        z = x - np.max(x, axis=axis, keepdims=True, initial=-np.inf)
    return x, z, axis, dtype, scalar


def _infinite_logits(y, x, axis, transform):
    """Apply the +inf limit: a slice of ``x`` holding exactly one +inf (and no
    NaN) gets ``transform(one_hot)`` there; any other slice keeps ``y``."""
    posinf = np.isposinf(x)
    if not posinf.any():
        return y
    count = posinf.sum(axis=axis, keepdims=True)
    has_nan = np.isnan(x).any(axis=axis, keepdims=True)
    single = (count == 1) & ~has_nan
    with np.errstate(divide="ignore"):  # log(0) = -inf is the limit of log_softmax
        limit = transform(posinf.astype(y.dtype))
    return np.where(single, limit, y)


def softmax(x, axis: int = -1) -> np.ndarray:
    r"""Softmax along ``axis``, stabilised by subtracting the maximum.

    .. math::

        \text{softmax}(x)_i = \frac{e^{x_i}}{\sum_j e^{x_j}}
        = \frac{e^{x_i - m}}{\sum_j e^{x_j - m}}, \quad m = \max_j x_j

    Subtracting :math:`m` changes nothing mathematically and keeps every
    exponent :math:`\le 0`, so logits of :math:`\pm 1000` neither overflow nor
    give NaN.

    Special values (per slice along ``axis``): a slice containing NaN gives
    NaN; a :math:`-\infty` logit gets probability 0; exactly one
    :math:`+\infty` logit gets probability 1 and the others 0 (the limit;
    ``torch.softmax`` gives NaN); several :math:`+\infty` logits, or all
    :math:`-\infty`, have no limit and give NaN.

    Input: any shape (0-d allowed). Output: same shape and dtype; the values
    along ``axis`` are positive and sum to 1.

    >>> softmax([1000.0, 1000.0, -1000.0])
    array([0.5, 0.5, 0. ])
    >>> softmax([[1.0, 2.0], [3.0, 3.0]], axis=0)
    array([[0.11920292, 0.26894142],
           [0.88079708, 0.73105858]])

    See also: :func:`log_softmax`.
    """
    x, z, axis, dtype, scalar = _shifted(x, axis)
    e = np.exp(z)
    with np.errstate(invalid="ignore"):  # 0 / 0 for an all -inf slice: NaN, no limit
        y = e / e.sum(axis=axis, keepdims=True)
    y = _infinite_logits(y, x, axis, lambda one_hot: one_hot)
    return _finish(y.reshape(()) if scalar else y, dtype)


def log_softmax(x, axis: int = -1) -> np.ndarray:
    r"""Logarithm of :func:`softmax`, computed with the log-sum-exp trick.

    .. math::

        \log \text{softmax}(x)_i = x_i - \log \sum_j e^{x_j}
        = (x_i - m) - \log \sum_j e^{x_j - m}, \quad m = \max_j x_j

    Never takes the log of a rounded-to-zero probability, so very negative
    logits give large negative numbers rather than :math:`-\infty`.

    Special values: the logarithms of :func:`softmax`'s (0 becomes
    :math:`-\infty`, 1 becomes 0).

    Input: any shape (0-d allowed). Output: same shape and dtype.

    >>> log_softmax([1000.0, 0.0, -1000.0])
    array([    0., -1000., -2000.])

    See also: :func:`softmax`.
    """
    x, z, axis, dtype, scalar = _shifted(x, axis)
    with np.errstate(divide="ignore", invalid="ignore"):  # log(0), -inf - -inf: no limit, NaN
        y = z - np.log(np.exp(z).sum(axis=axis, keepdims=True))
        y = _infinite_logits(y, x, axis, np.log)
    return _finish(y.reshape(()) if scalar else y, dtype)


def logsumexp(x, axis: int = -1) -> np.ndarray:
    r"""Log-sum-exp along ``axis``, without overflow.

    .. math::

        \operatorname{LSE}(x) = \log \sum_j e^{x_j}
        = m + \log \sum_j e^{x_j - m}, \quad m = \max_j x_j

    Every exponent is :math:`\le 0` after the shift, so :math:`\pm 1000` is
    fine.

    Special values (per slice): NaN if the slice holds a NaN; otherwise
    :math:`+\infty` if it holds a :math:`+\infty`, :math:`-\infty` if every
    value is :math:`-\infty` (the log of an empty sum), and
    :math:`-\infty` values otherwise contribute nothing.

    Input: any shape with ``ndim >= 1``. Output: ``axis`` removed, same dtype.

    >>> logsumexp([0.0, 0.0])  # log 2
    array(0.69314718)
    >>> logsumexp([[1000.0, 0.0], [-1000.0, -1000.0]])
    array([1000.        ,  -999.30685282])

    See also: :func:`log_softmax`, which is
    :math:`x_i - \operatorname{LSE}(x)`.
    """
    x, dtype = as_float_array(x)
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

    Special values: those of :func:`softmax` carried through the formula
    (a NaN slice gives a NaN Jacobian).

    Input: shape ``(..., n)`` with ``n >= 1``. Output: shape ``(..., n, n)``,
    same dtype.

    >>> softmax_jacobian([0.0, 0.0])
    array([[ 0.25, -0.25],
           [-0.25,  0.25]])
    """
    x, dtype = as_float_array(x)
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

    Special values: those of :func:`softmax` of :math:`x / T`.

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
    x, dtype = as_float_array(x)
    return np.asarray(softmax(x / np.asarray(t, dtype=x.dtype), axis=axis), dtype=dtype)


# ---------------------------------------------------------------------- GELU

_erfc = np.frompyfunc(math.erfc, 1, 1)  # NumPy has no erf; math.erfc is correctly rounded enough
_SQRT_2_OVER_PI = math.sqrt(2 / math.pi)
_GELU_C = 0.044715


def _check_approximate(approximate) -> str:
    if not isinstance(approximate, str) or approximate not in ("none", "tanh"):
        raise ValueError(f"approximate must be 'none' or 'tanh', got {approximate!r}")
    return approximate


def _std_normal_cdf(x: np.ndarray) -> np.ndarray:
    r""":math:`\Phi(x) = \tfrac12 \operatorname{erfc}(-x/\sqrt2)` in float64 (no cancellation for x << 0)."""
    return 0.5 * np.asarray(_erfc(-np.asarray(x, dtype=np.float64) / math.sqrt(2)), dtype=np.float64)


def gelu(x, approximate: str = "none") -> np.ndarray:
    r"""Gaussian error linear unit: the input weighted by the normal CDF.

    .. math::

        \text{GELU}(x) = x\,\Phi(x) = \frac{x}{2}\left[1 + \operatorname{erf}
        \left(\frac{x}{\sqrt 2}\right)\right]

    With ``approximate="tanh"`` the approximation of Hendrycks & Gimpel:

    .. math::

        \text{GELU}(x) \approx \frac{x}{2}\left[1 + \tanh\left(\sqrt{2/\pi}
        \left(x + 0.044715\,x^3\right)\right)\right]

    The exact form computes :math:`\Phi` as :math:`\tfrac12\operatorname{erfc}
    (-x/\sqrt2)` with :func:`math.erfc` element by element (NumPy has no
    ``erf``), in float64. Both forms match ``torch.nn.functional.gelu`` on
    finite input.

    Special values: NaN at NaN; ``inf`` at ``inf``; the limit 0 at ``-inf``
    (PyTorch 2.13 gives NaN: it evaluates :math:`-\infty \cdot 0`);
    ``-0.0`` at ``-0.0``; at a subnormal :math:`x` the rounded value of
    :math:`x\,\Phi(x) \approx x/2`, never flushed to 0.

    Input: any shape. Output: same shape and dtype.

    >>> gelu([-3.0, -1.0, 0.0, 1.0, 3.0])
    array([-0.00404969, -0.15865525,  0.        ,  0.84134475,  2.99595031])
    >>> gelu([1.0], approximate="tanh")
    array([0.84119199])

    See also: :func:`gelu_grad`. Reference: Hendrycks & Gimpel (2016),
    "Gaussian Error Linear Units (GELUs)", arXiv:1606.08415.
    """
    approximate = _check_approximate(approximate)
    x, dtype = as_float_array(x)
    with np.errstate(invalid="ignore"):  # -inf * 0 at x = -inf, replaced below
        if approximate == "none":
            y = x * _std_normal_cdf(x)
        else:
            xc = np.clip(x, -100, 100)  # tanh is exactly ±1 beyond; avoids x**3 overflow
            y = 0.5 * x * (1 + np.tanh(_SQRT_2_OVER_PI * (xc + _GELU_C * xc**3)))
    return _finish(np.where(np.isneginf(x), -0.0, y), dtype)


def gelu_grad(x, approximate: str = "none") -> np.ndarray:
    r"""Derivative of :func:`gelu`.

    Exact, with :math:`\varphi(x) = e^{-x^2/2}/\sqrt{2\pi}` the normal density:

    .. math::

        \text{GELU}'(x) = \Phi(x) + x\,\varphi(x)

    Tanh approximation, with :math:`u = \sqrt{2/\pi}\,(x + 0.044715\,x^3)`:

    .. math::

        \frac{1}{2}\left(1 + \tanh u\right) + \frac{x}{2}\left(1 - \tanh^2 u\right)
        \sqrt{2/\pi}\left(1 + 3 \cdot 0.044715\,x^2\right)

    Both match ``torch.autograd`` on ``torch.nn.functional.gelu`` on finite
    input.

    Special values: NaN at NaN; the limits 1 at ``inf`` and 0 at ``-inf``
    (PyTorch 2.13 gives NaN at both); 0.5 at :math:`\pm 0`.
    Unlike ReLU's, the derivative dips slightly below 0 for negative inputs
    (minimum about -0.129 at :math:`x = -\sqrt{2}`; it also overshoots 1,
    with a maximum about 1.129 at :math:`x = \sqrt{2}`).

    Input: any shape. Output: same shape and dtype.

    >>> gelu_grad([-1.0, 0.0, 1.0])
    array([-0.08331547,  0.5       ,  1.08331547])
    """
    approximate = _check_approximate(approximate)
    x, dtype = as_float_array(x)
    if approximate == "none":
        xc = np.clip(x, -40, 40)  # the density term is exactly 0 beyond; avoids inf * 0
        pdf = np.exp(-0.5 * xc * xc) / math.sqrt(2 * math.pi)
        g = _std_normal_cdf(x) + xc * pdf
    else:
        xc = np.clip(x, -100, 100)
        t = np.tanh(_SQRT_2_OVER_PI * (xc + _GELU_C * xc**3))
        g = 0.5 * (1 + t) + 0.5 * xc * (1 - t * t) * _SQRT_2_OVER_PI * (1 + 3 * _GELU_C * xc * xc)
    return _finish(g, dtype)


def normal_cdf(x) -> np.ndarray:
    r"""Cumulative distribution function of the standard normal :math:`\mathcal{N}(0, 1)`.

    .. math::

        \Phi(x) = P(X \le x) = \frac{1}{2}\left[1 + \operatorname{erf}
        \left(\frac{x}{\sqrt 2}\right)\right], \quad X \sim \mathcal{N}(0, 1)

    Computed as :math:`\tfrac12 \operatorname{erfc}(-x/\sqrt 2)` in float64,
    which has no cancellation for very negative :math:`x`. Matches
    ``torch.special.ndtr``.

    Special values: NaN at NaN; 1 at ``inf``; 0 at ``-inf``; 0.5 at
    :math:`\pm 0`.

    Input: any shape. Output: same shape and dtype.

    >>> normal_cdf([-1.0, 0.0, 1.0])
    array([0.15865525, 0.5       , 0.84134475])
    """
    x, dtype = as_float_array(x)
    return np.asarray(_std_normal_cdf(x).reshape(x.shape), dtype=dtype)


def gelu_sigmoid_approx(x) -> np.ndarray:
    r"""The sigmoid approximation of GELU given by Hendrycks & Gimpel.

    .. math::

        \text{GELU}(x) \approx x\,\sigma(1.702\,x)

    Coarser than the tanh approximation (see the GELU page for the measured
    errors). Not a PyTorch option; tested against ``x * torch.sigmoid(1.702 * x)``.

    Special values: NaN at NaN; ``inf`` at ``inf``; the limit 0 at ``-inf``
    (``x * torch.sigmoid(1.702 * x)`` gives :math:`-\infty \cdot 0` = NaN);
    ``-0.0`` at ``-0.0``.

    Input: any shape. Output: same shape and dtype.

    >>> gelu_sigmoid_approx([-1.0, 0.0, 1.0])
    array([-0.15420423,  0.        ,  0.84579577])

    Reference: Hendrycks & Gimpel (2016), "Gaussian Error Linear Units
    (GELUs)", arXiv:1606.08415.
    """
    x, dtype = as_float_array(x)
    with np.errstate(invalid="ignore"):  # -inf * 0, replaced by the limit 0
        y = x * sigmoid(1.702 * x)
    return np.asarray(np.where(np.isneginf(x), -0.0, y), dtype=dtype)


def silu(x) -> np.ndarray:
    r"""SiLU (Swish with :math:`\beta = 1`): the input weighted by its sigmoid.

    .. math::

        \text{SiLU}(x) = x\,\sigma(x) = \frac{x}{1 + e^{-x}}

    Matches ``torch.nn.functional.silu`` on finite input.

    Special values: NaN at NaN; ``inf`` at ``inf``; the limit 0 at ``-inf``
    (PyTorch 2.13 gives NaN there); ``-0.0`` at ``-0.0``.

    Input: any shape. Output: same shape and dtype.

    >>> silu([-1.0, 0.0, 1.0])
    array([-0.26894142,  0.        ,  0.73105858])

    Reference: Ramachandran, Zoph & Le (2017), "Searching for Activation
    Functions", arXiv:1710.05941; Hendrycks & Gimpel (2016).
    """
    x, dtype = as_float_array(x)
    with np.errstate(invalid="ignore"):  # -inf * 0, replaced by the limit 0
        y = x * sigmoid(x)
    return np.asarray(np.where(np.isneginf(x), -0.0, y), dtype=dtype)


# ------------------------------------------------------------------ registry

ACTIVATIONS: dict[str, tuple] = {
    "relu": (relu, relu_grad),
    "leaky_relu": (leaky_relu, leaky_relu_grad),
    "elu": (elu, elu_grad),
    "sigmoid": (sigmoid, sigmoid_grad),
    "tanh": (tanh, tanh_grad),
    "gelu": (gelu, gelu_grad),
}
# Name -> (function, derivative), each with its default parameters; used by the
# figure scripts and notebooks (example in the module docstring).
