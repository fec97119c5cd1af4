r"""Inverted dropout, as ``torch.nn.Dropout`` computes it.

During training each element is kept with probability :math:`1-p` and zeroed
with probability :math:`p` (the *drop* probability, PyTorch's ``p``); kept
elements are scaled by :math:`1/(1-p)`:

.. math::

    m_i \sim \text{Bernoulli}(1-p),\qquad y_i = \frac{m_i\,x_i}{1-p},\qquad
    \mathbb{E}[y_i] = x_i .

Because the expectation is already right during training, evaluation is the
identity. Srivastava et al. (2014, JMLR 15) describe the original form, which
leaves kept units unscaled and multiplies the weights by the keep probability
at test time; the "inverted" form moves that factor into training.
"""

from __future__ import annotations

import numpy as np

from relu_docs._validation import as_array, check_probability
from relu_docs.init import _rng

__all__ = ["dropout"]


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
        mask = _rng(rng).random(x.shape) >= p  # P(keep) = 1 - p
        y = np.where(mask, x * x.dtype.type(1.0 / (1.0 - p)), x.dtype.type(0.0)).astype(x.dtype, copy=False)
    return (y, mask) if return_mask else y
