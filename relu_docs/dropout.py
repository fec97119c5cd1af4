r"""Inverted dropout, as ``torch.nn.Dropout`` computes it.

During training each element is kept with probability :math:`1-p` and zeroed
with probability :math:`p` (the *drop* probability, PyTorch's ``p``); kept
elements are scaled by :math:`1/(1-p)`:

.. math::

    m_i \sim \text{Bernoulli}(1-p),\qquad y_i = \frac{m_i\,x_i}{1-p},\qquad
    \mathbb{E}[y_i] = x_i .

Because the expectation is already right during training, evaluation is the
identity. The original form, first described by Hinton et al. (2012,
arXiv:1207.0580) and developed by Srivastava et al. (2014, JMLR 15), leaves kept
units unscaled and multiplies the outgoing weights by the keep probability at
test time; the "inverted" form moves that factor into training.
"""

from __future__ import annotations

import numpy as np

from relu_docs.validation import as_array, as_generator, check_nonnegative, check_probability, check_scalar

__all__ = ["dropout", "dropout_variance_shift"]


def dropout(x, p=0.5, training=True, rng=None, return_mask=False):
    r"""Inverted dropout: keep each element with probability :math:`1-p` and scale it by :math:`1/(1-p)`.

    ``p`` is the drop probability, in :math:`[0, 1)` (``p = 1`` would divide by
    zero; PyTorch returns all zeros there). ``rng`` is a
    :class:`numpy.random.Generator`, an ``int`` seed or ``None``. With
    ``training=False`` the input is returned unchanged (as a new array). With
    ``return_mask=True`` the result is ``(y, mask)``, ``mask`` a boolean array
    that is ``True`` where the element was kept. A float input keeps its dtype.

    >>> x = np.ones(8)
    >>> y, mask = dropout(x, p=0.5, rng=0, return_mask=True)
    >>> y
    array([2., 0., 0., 0., 2., 2., 2., 2.])
    >>> mask
    array([ True, False, False, False,  True,  True,  True,  True])
    >>> dropout(x, p=0.5, training=False)
    array([1., 1., 1., 1., 1., 1., 1., 1.])
    >>> round(float(dropout(np.ones(100_000), p=0.3, rng=1).mean()), 2)  # expectation kept
    1.0
    >>> dropout(x, p=1.0)
    Traceback (most recent call last):
    ...
    ValueError: p must be in [0, 1), got 1.0
    """
    x = as_array(x, "x")
    p = check_probability(p, "p")
    if not isinstance(training, (bool, np.bool_)):
        raise TypeError(f"training must be a bool, got {type(training).__name__}")
    if not training or p == 0.0:
        y, mask = x.copy(), np.ones(x.shape, dtype=bool)
    else:
        mask = as_generator(rng).random(x.shape) >= p  # P(keep) = 1 - p
        y = np.where(mask, x * x.dtype.type(1.0 / (1.0 - p)), x.dtype.type(0.0)).astype(x.dtype, copy=False)
    return (y, mask) if return_mask else y


def dropout_variance_shift(p, mean, var):
    r"""Variance of one unit after inverted dropout, in training and in evaluation.

    A unit :math:`x` with mean :math:`c` and variance :math:`v` goes through
    inverted dropout (:func:`dropout`, drop probability
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
