r"""Regularisation: the L2 penalty and early stopping.

Regularisation is any change to training meant to lower the error on data
the network has not seen (validation and test error), not the training
error (Goodfellow, Bengio & Courville, 2016, ch. 7). Two of its tools live
here; the third, weight decay inside an optimiser step, is in
:mod:`relu_docs.optim` (``weight_decay=`` of :func:`~relu_docs.optim.sgd_step`,
:func:`~relu_docs.optim.momentum_step`, :func:`~relu_docs.optim.adam_step`,
and :func:`~relu_docs.optim.adamw_step`), and dropout in
:mod:`relu_docs.dropout`.

**L2 penalty.** Adding :math:`\tfrac{\lambda}{2}\lVert\theta\rVert^2` to the
loss adds :math:`\lambda\theta` to its gradient, which is what PyTorch's
``weight_decay=λ`` does in ``torch.optim.SGD`` and ``torch.optim.Adam``:

.. math::

    \Omega(\theta) = \frac{\lambda}{2}\sum_i \theta_i^2,\qquad
    \nabla_\theta\, \Omega = \lambda\,\theta .

**Early stopping.** Keep the parameters of the epoch with the lowest
validation loss and stop once ``patience`` epochs in a row have not improved
on it (:class:`EarlyStopping`, :func:`early_stopping`). Epochs are counted
from 0, like list indices.
"""

from __future__ import annotations

import math
import numbers

import numpy as np

from relu_docs.validation import as_array, check_nonnegative

__all__ = ["l2_penalty", "l2_penalty_grad", "EarlyStopping", "early_stopping"]


def l2_penalty(param, weight_decay) -> float:
    r"""The L2 penalty :math:`\frac{\lambda}{2}\sum_i \theta_i^2` of one parameter array (float64 sum).

    The factor :math:`\tfrac12` makes the gradient :math:`\lambda\theta`
    (:func:`l2_penalty_grad`), so ``weight_decay`` here is the same number as
    PyTorch's ``weight_decay``. For a whole model, add the penalties of its
    weight arrays.

    >>> l2_penalty([3.0, -4.0], weight_decay=0.1)   # 0.05 * (9 + 16)
    1.25
    >>> l2_penalty([1.0], weight_decay=-0.1)
    Traceback (most recent call last):
    ...
    ValueError: weight_decay must be >= 0, got -0.1
    """
    param = as_array(param, "param")
    weight_decay = check_nonnegative(weight_decay, "weight_decay")
    p = param.astype(np.float64)
    return float(0.5 * weight_decay * np.sum(p * p))


def l2_penalty_grad(param, weight_decay) -> np.ndarray:
    r"""Gradient of :func:`l2_penalty`: :math:`\lambda\,\theta`, in the dtype of ``param``.

    >>> l2_penalty_grad([3.0, -4.0], weight_decay=0.1)
    array([ 0.3, -0.4])
    """
    param = as_array(param, "param")
    weight_decay = check_nonnegative(weight_decay, "weight_decay")
    return (weight_decay * param).astype(param.dtype, copy=False)


def _check_patience(patience) -> int:
    if isinstance(patience, bool) or not isinstance(patience, numbers.Integral):
        raise TypeError(f"patience must be a positive int (epochs without improvement), got {type(patience).__name__}")
    if patience < 1:
        raise ValueError(f"patience must be a positive int (epochs without improvement), got {patience}")
    return int(patience)


class EarlyStopping:
    r"""Stop training when the validation loss has not improved for ``patience`` epochs in a row.

    Call :meth:`step` once per epoch with that epoch's validation loss; it
    returns ``True`` when training should stop. An epoch *improves* when its
    loss is below ``best_loss - min_delta``; then it becomes the best epoch
    (save the model's parameters then, and load them back after stopping).
    A NaN loss never improves.

    Attributes: ``best_epoch`` (``None`` before the first improvement),
    ``best_loss``, ``bad_epochs`` (non-improving epochs since the best),
    ``epoch`` (the number of the last epoch seen, from 0), ``stopped``.

    >>> stopper = EarlyStopping(patience=2)
    >>> [stopper.step(loss) for loss in [0.9, 0.7, 0.75, 0.72]]
    [False, False, False, True]
    >>> stopper.best_epoch, stopper.best_loss
    (1, 0.7)
    >>> stopper.step(0.5)
    Traceback (most recent call last):
    ...
    RuntimeError: training already stopped at epoch 3; create a new EarlyStopping to start again
    """

    def __init__(self, patience: int = 5, min_delta: float = 0.0):
        self.patience = _check_patience(patience)
        self.min_delta = check_nonnegative(min_delta, "min_delta")
        self.best_loss = math.inf
        self.best_epoch: int | None = None
        self.bad_epochs = 0
        self.epoch = -1
        self.stopped = False

    def improved(self, val_loss: float) -> bool:
        """Whether ``val_loss`` would be a new best (does not change the state)."""
        return val_loss < self.best_loss - self.min_delta

    def step(self, val_loss) -> bool:
        """Record one epoch's validation loss; return ``True`` if training should stop now."""
        if self.stopped:
            raise RuntimeError(f"training already stopped at epoch {self.epoch}; "
                               "create a new EarlyStopping to start again")
        if isinstance(val_loss, bool) or not isinstance(val_loss, numbers.Real):
            raise TypeError(f"val_loss must be a real number, got {type(val_loss).__name__}")
        val_loss = float(val_loss)
        self.epoch += 1
        if self.improved(val_loss):
            self.best_loss, self.best_epoch, self.bad_epochs = val_loss, self.epoch, 0
        else:
            self.bad_epochs += 1
        self.stopped = self.bad_epochs >= self.patience
        return self.stopped


def early_stopping(val_losses, patience: int, min_delta: float = 0.0) -> tuple[int | None, int | None]:
    r"""Replay :class:`EarlyStopping` over a list of validation losses; return ``(best_epoch, stop_epoch)``.

    ``stop_epoch`` is the epoch after which training stops, or ``None`` if
    the losses run out first. Epochs are list indices (from 0).

    >>> losses = [0.90, 0.62, 0.55, 0.58, 0.54, 0.57, 0.59, 0.60, 0.52]
    >>> early_stopping(losses, patience=3)        # stops before seeing the 0.52 of epoch 8
    (4, 7)
    >>> early_stopping(losses, patience=4)
    (8, None)
    """
    stopper = EarlyStopping(patience, min_delta)
    if isinstance(val_losses, (str, bytes)) or not hasattr(val_losses, "__iter__"):
        raise TypeError(f"val_losses must be a sequence of real numbers, got {type(val_losses).__name__}")
    for loss in val_losses:
        if isinstance(loss, bool) or not isinstance(loss, numbers.Real):
            raise TypeError(f"val_losses must hold real numbers, got {type(loss).__name__}")
        if stopper.step(loss):
            return stopper.best_epoch, stopper.epoch
    return stopper.best_epoch, None
