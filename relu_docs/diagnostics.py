r"""Dead-ReLU diagnostics for a PyTorch model.

Two different numbers are easy to confuse:

* **zero fraction** -- the share of all activations, over every sample, that
  are exactly 0. For a healthy ReLU layer whose pre-activations are roughly
  symmetric around 0 this is about one half: that is the ordinary sparsity of
  ReLU, not a defect.
* **dead fraction** -- the share of *units* whose output was never positive
  for any sample seen. A dead ReLU unit outputs 0 for every input, so its
  gradient is 0 for every input too, and gradient descent can no longer move
  its incoming weights (the "dying ReLU" problem).

.. math::

    \text{zero fraction} = \frac{\#\{(n, j) : a_{nj} = 0\}}{N \cdot J},\qquad
    \text{dead fraction} = \frac{\#\{j : a_{nj} \le 0 \ \forall n\}}{J}

where :math:`a_{nj}` is the output of unit :math:`j` for sample :math:`n`. A
unit is one element of the per-sample output: a feature of an ``(N, C)``
output, a (channel, position) pair of an ``(N, C, H, W)`` one.

A common mistake is to call each ``nn.ReLU`` module on the raw input batch:
that measures the *input's* zero fraction, whatever the weights (see
``relu_docs/examples/relu_dead_count_bug.py``). This module instead records what every activation module outputs inside the
model's own forward pass, with forward hooks.
"""

from __future__ import annotations

import math

import torch
from torch import nn

__all__ = ["ACTIVATION_TYPES", "dead_relu_report"]

#: activation module types that :func:`dead_relu_report` watches by default
ACTIVATION_TYPES = (nn.ReLU, nn.LeakyReLU, nn.PReLU, nn.RReLU, nn.ELU, nn.GELU, nn.ReLU6)


class _Tally:
    """Running counts for one activation module."""

    def __init__(self, name: str):
        self.name = name
        self.ever_positive = None  # bool tensor, one entry per unit
        self.zeros = 0
        self.nans = 0
        self.total = 0
        self.samples = 0

    def update(self, output: torch.Tensor) -> None:
        flat = output.detach().reshape(output.shape[0], -1) if output.ndim >= 2 else output.detach().reshape(1, -1)
        positive = (flat > 0).any(dim=0).cpu()
        if self.ever_positive is None:
            self.ever_positive = positive
        elif self.ever_positive.shape != positive.shape:
            raise ValueError(
                f"batches: the output of module {self.name!r} has {positive.numel()} units per sample, "
                f"earlier {self.ever_positive.numel()}; every batch must give the same per-sample shape"
            )
        else:
            self.ever_positive |= positive
        self.zeros += int((flat == 0).sum())
        self.nans += int(flat.isnan().sum())
        self.total += flat.numel()
        self.samples += flat.shape[0]

    def report(self, module: nn.Module) -> dict:
        if self.ever_positive is None:  # the module never ran
            units, dead, dead_fraction, zero_fraction, nan_fraction = 0, 0, math.nan, math.nan, math.nan
        else:
            units = self.ever_positive.numel()
            dead = int((~self.ever_positive).sum())
            dead_fraction = dead / units if units else math.nan
            zero_fraction = self.zeros / self.total if self.total else math.nan
            nan_fraction = self.nans / self.total if self.total else math.nan
        return {
            "type": type(module).__name__,
            "units": units,
            "samples": self.samples,
            "dead_units": dead,
            "dead_fraction": dead_fraction,
            "zero_fraction": zero_fraction,
            "nan_fraction": nan_fraction,
        }


def _first_tensor(batch):
    if isinstance(batch, (tuple, list)) and batch:
        batch = batch[0]
    if not isinstance(batch, torch.Tensor):
        raise TypeError(f"batches must yield tensors or (input, target) pairs, got {type(batch).__name__}")
    return batch


def dead_relu_report(model, batches, activation_types=ACTIVATION_TYPES, eval_mode=True) -> dict:
    r"""Measure, per activation module, the dead fraction and the zero fraction over ``batches``.

    ``model`` is an ``nn.Module``; ``batches`` an iterable of input tensors or
    of ``(input, target)`` pairs such as a ``DataLoader`` (the first element is
    fed to ``model``). A forward hook on every submodule of one of
    ``activation_types`` records its output during ``model(input)``.

    Returns a dict keyed by the module's name in ``model.named_modules()``;
    each value has ``"type"``, ``"units"`` (units per sample), ``"samples"``,
    ``"dead_units"``, ``"dead_fraction"`` (share of units never > 0) and
    ``"zero_fraction"`` (share of all outputs == 0), as defined in
    :mod:`relu_docs.diagnostics`, and ``"nan_fraction"`` (share of outputs
    that are NaN: a diverged model's NaN units are never > 0, so they count as
    dead; check this number before blaming the ReLU). A module that never ran
    reports 0 samples and NaN fractions.

    The forward passes run under ``torch.no_grad()`` and, with
    ``eval_mode=True`` (the default), in evaluation mode (dropout off,
    batch-norm running statistics); every submodule's ``training`` flag is
    restored afterwards and the hooks are removed, also when the model raises.

    Notes:

    * Only *modules* are seen: an activation called as a function inside
      ``forward`` (``torch.relu(x)``, ``F.relu(x)``) has no hook and is not
      reported. Use ``nn.ReLU`` modules to make it visible.
    * For LeakyReLU, PReLU, RReLU, ELU and GELU "dead" means the same test
      (output never > 0), but such a unit still passes a (small) gradient for
      negative input, so it can recover; its zero fraction is usually ~0.
    * ``nn.ReLU(inplace=True)`` is fine: the hook reads the output right after
      the module runs.

    >>> import torch
    >>> from torch import nn
    >>> _ = torch.manual_seed(0)
    >>> model = nn.Sequential(nn.Linear(10, 32), nn.ReLU(), nn.Linear(32, 32), nn.ReLU())
    >>> _ = nn.init.constant_(model[2].bias, -100.0)  # push layer 2 far below 0
    >>> report = dead_relu_report(model, [torch.randn(64, 10) for _ in range(4)])
    >>> for name, r in report.items():
    ...     print(name, r["type"], r["units"], r["samples"], r["dead_fraction"], round(r["zero_fraction"], 2))
    1 ReLU 32 256 0.0 0.45
    3 ReLU 32 256 1.0 1.0
    """
    if not isinstance(model, nn.Module):
        raise TypeError(f"model must be a torch.nn.Module, got {type(model).__name__}")
    if isinstance(activation_types, type):
        activation_types = (activation_types,)
    activation_types = tuple(activation_types)
    if not activation_types or not all(isinstance(t, type) and issubclass(t, nn.Module) for t in activation_types):
        raise TypeError("activation_types must be a non-empty tuple of nn.Module subclasses")
    watched = [(name, m) for name, m in model.named_modules() if isinstance(m, activation_types)]
    if not watched:
        names = ", ".join(t.__name__ for t in activation_types)
        raise ValueError(f"model has no activation modules of type {names} (functional calls cannot be hooked)")
    if isinstance(batches, (torch.Tensor, str, bytes)) or not hasattr(batches, "__iter__"):
        raise TypeError(f"batches must be an iterable of tensors or (input, target) pairs, got {type(batches).__name__}")

    try:
        device = next(model.parameters()).device
    except StopIteration:
        device = None
    tallies = {name: _Tally(name) for name, _ in watched}
    saved_modes = {m: m.training for m in model.modules()}
    handles = []
    try:
        for name, module in watched:
            tally = tallies[name]

            def hook(_module, _inputs, output, tally=tally):
                if isinstance(output, torch.Tensor):
                    tally.update(output)

            handles.append(module.register_forward_hook(hook))
        if eval_mode:
            model.eval()
        n_batches = 0
        with torch.no_grad():
            for batch in batches:
                x = _first_tensor(batch)
                model(x.to(device) if device is not None else x)
                n_batches += 1
        if n_batches == 0:
            raise ValueError("batches must contain at least one batch, got an empty iterable")
    finally:
        for handle in handles:
            handle.remove()
        for module, mode in saved_modes.items():
            module.training = mode
    return {name: tallies[name].report(module) for name, module in watched}
