"""relu_docs.regularization and the weight decay of relu_docs.optim against torch.optim (float64, 20 steps).

Tolerances in units of eps (``tests/tolerance.py``). Trajectories are compared step by step from torch's
parameters and state, with the step bounds of tests/test_optim.py (one step's rounding: the gradient and
both libraries' update formulas, weight decay included).
"""

import math

import numpy as np
import pytest
import torch
from test_optim import adam, adam_err, assert_steps_match, sgd, sgd_err, torch_steps
from tolerance import Err, assert_close, two_formulas

from relu_docs.optim import adam_step, adamw_step, momentum_step, sgd_step
from relu_docs.regularization import EarlyStopping, early_stopping, l2_penalty, l2_penalty_grad

N_STEPS = 20


def problem():
    """Least squares with more weights than the data pins down well: decay visibly matters."""
    rng = np.random.default_rng(1)
    X = rng.normal(size=(16, 5))
    y = X @ np.array([2.0, -1.0, 0.5, 0.0, 3.0]) + 0.2 * rng.normal(size=16)
    return X, y, rng.normal(size=5) * 2, np.array([0.5])


def numpy_grads(X, y, w, b):
    r = X @ w + b - y
    return 2 * X.T @ r / len(y), np.array([2 * r.mean()])


# ------------------------------------------------------------ L2 penalty


def test_l2_penalty_gradient_is_autograd():
    p = np.random.default_rng(0).normal(size=(3, 4))
    pt = torch.tensor(p, requires_grad=True)
    penalty = 0.5 * 0.03 * (pt**2).sum()
    penalty.backward()
    # (0.5 * 0.03) * sum(p**2): 0.5 * 0.03 is exact, then squares, their sum and a product
    value = 0.5 * 0.03 * (Err(p) * p).sum()
    assert_close(np.asarray(l2_penalty(p, 0.03)), penalty.detach().numpy(), np.float64, 1, value.e, "penalty")
    # 0.03 * p, and autograd's 2 p * 0.015: the same real number, rounded once
    assert_close(l2_penalty_grad(p, 0.03), pt.grad.numpy(), np.float64, 1, (Err(p) * 0.03).e, "gradient")


def test_l2_penalty_dtype_and_zero_decay():
    p = np.ones(3, np.float32)
    assert l2_penalty_grad(p, 0.1).dtype == np.float32
    assert l2_penalty(p, 0.0) == 0.0
    np.testing.assert_array_equal(l2_penalty_grad(p, 0.0), 0.0)


# ------------------------------------------------------------ coupled weight decay = L2


@pytest.mark.parametrize("lr, wd", [(0.05, 0.1), (0.01, 1.0)])
def test_sgd_weight_decay_trajectory(lr, wd):
    steps = torch_steps(lambda ps: torch.optim.SGD(ps, lr=lr, weight_decay=wd), problem)
    assert_steps_match(steps, sgd(lr, weight_decay=wd), lambda p, g, s, t: sgd_err(p, g, s, t, lr, weight_decay=wd),
                       problem)


def test_sgd_weight_decay_is_l2_penalty_and_shrinking():
    # three ways to write the same SGD step
    rng = np.random.default_rng(2)
    p, g = rng.normal(size=4), rng.normal(size=4)
    lr, wd = 0.1, 0.3
    a = sgd_step(p, g, lr, weight_decay=wd)
    b = sgd_step(p, g + l2_penalty_grad(p, wd), lr)          # gradient of loss + (λ/2)‖θ‖²
    c = (1 - lr * wd) * p - lr * g                           # shrink, then gradient step
    np.testing.assert_array_equal(a, b)  # the same operations in the same order
    # two formulas of one step: p - lr (g + wd p) and (1 - lr wd) p - lr g
    step = Err(p) - lr * (g + wd * Err(p))
    shrink = (1 - Err(lr) * wd) * p - Err(g) * lr
    assert_close(a, c, np.float64, 1, two_formulas(step, shrink), "shrink, then step")


@pytest.mark.parametrize("lr, mu, wd", [(0.01, 0.9, 0.1), (0.05, 0.5, 0.5)])
def test_momentum_weight_decay_trajectory(lr, mu, wd):
    steps = torch_steps(lambda ps: torch.optim.SGD(ps, lr=lr, momentum=mu, weight_decay=wd), problem)
    assert_steps_match(steps, sgd(lr, mu, weight_decay=wd),
                       lambda p, g, s, t: sgd_err(p, g, s, t, lr, mu, weight_decay=wd), problem)


@pytest.mark.parametrize("lr, wd", [(1e-2, 0.1), (0.1, 1.0)])
def test_adam_weight_decay_is_l2_trajectory(lr, wd):
    steps = torch_steps(lambda ps: torch.optim.Adam(ps, lr=lr, weight_decay=wd), problem)
    assert_steps_match(steps, adam(lr=lr, weight_decay=wd),
                       lambda p, g, s, t: adam_err(p, g, s, t, lr=lr, weight_decay=wd), problem)


# ------------------------------------------------------------ decoupled weight decay (AdamW)


def assert_adamw_matches(make_opt, lr=1e-3, wd=1e-2):
    """Our adamw_step (its defaults when lr and wd are left out) against torch's optimiser, step by step."""
    kwargs = {} if (lr, wd) == (1e-3, 1e-2) else {"lr": lr, "weight_decay": wd}
    assert_steps_match(torch_steps(make_opt, problem), adam(decoupled=True, **kwargs),
                       lambda p, g, s, t: adam_err(p, g, s, t, lr=lr, weight_decay=wd, decoupled=True), problem)


@pytest.mark.parametrize("lr, wd", [(1e-2, 0.1), (0.1, 1.0), (1e-3, 0.0)])
def test_adamw_trajectory(lr, wd):
    assert_adamw_matches(lambda ps: torch.optim.AdamW(ps, lr=lr, weight_decay=wd), lr, wd)


def test_adamw_defaults_are_torchs():
    assert_adamw_matches(lambda ps: torch.optim.AdamW(ps))  # adam_err's bound with AdamW's documented defaults


def test_adam_with_decoupled_flag_is_adamw():
    assert_adamw_matches(lambda ps: torch.optim.Adam(ps, lr=0.05, weight_decay=0.2, decoupled_weight_decay=True),
                         0.05, 0.2)


def test_adamw_without_decay_is_adam():
    p, g = np.array([1.0, -2.0]), np.array([0.3, 4.0])
    for a, b in zip(adamw_step(p, g, None, None, 1, weight_decay=0.0), adam_step(p, g, None, None, 1)):
        np.testing.assert_array_equal(a, b)


def test_l2_in_adam_is_not_weight_decay():
    """Loshchilov & Hutter (2019): with Adam, L2 shrinks weights with large gradients less than decoupled decay."""
    lr, wd = 0.01, 0.1
    p = np.array([1.0, 1.0])
    g = np.array([0.0, 100.0])  # the loss pulls the second weight hard, the first not at all
    l2, _, _ = adam_step(p, g, None, None, 1, lr=lr, weight_decay=wd)
    dec, _, _ = adamw_step(p, g, None, None, 1, lr=lr, weight_decay=wd)
    no_decay, _, _ = adam_step(p, g, None, None, 1, lr=lr)
    # decoupled: both weights shrink by lr * wd * θ = 0.001 beyond the plain Adam step. The two calls take
    # the same step s; (1 - s) - ((1 - lr wd) - s) cancels to 1e-3, so its error is a few eps of 1
    s = Err(p - no_decay)  # the shared step
    difference = (p - s) - ((1 - Err(lr) * wd) * p - s)
    assert_close(no_decay - dec, [1e-3, 1e-3], np.float64, 1, two_formulas(difference, Err([1e-3] * 2, 1e-3)),
                 "no_decay - decoupled")
    # L2 in Adam: the first weight (zero gradient) takes a full step of lr g / (|g| + eps) = lr (1 - 1e-7)
    # from the decay alone, the second almost none: the decay was normalised away by sqrt(v). In real
    # arithmetic both are lr g / (|g| + eps) with g = wd + the loss's gradient, less the plain step; computed,
    # each parameter is within Adam's step bound of ~1
    shrink = no_decay - l2
    g_l2, eps_adam = g + wd * p, 1e-8
    expected = lr * (g_l2 / (np.abs(g_l2) + eps_adam) - g / (np.abs(g) + eps_adam))
    bound = adam_err(p, Err(g), {}, 1, lr=lr)[0] - adam_err(p, Err(g), {}, 1, lr=lr, weight_decay=wd)[0]
    assert_close(shrink, expected, np.float64, 1, bound.e, "no_decay - L2")
    assert shrink[0] > 0.99 * lr and abs(shrink[1]) < 1e-3 * lr


def test_float32_kept_and_inputs_not_mutated():
    p, g = np.ones(2, np.float32), np.ones(2, np.float32)
    assert sgd_step(p, g, 0.1, weight_decay=0.1).dtype == np.float32
    assert all(a.dtype == np.float32 for a in adamw_step(p, g, None, None, 1))
    m, v = np.full(2, 0.1), np.full(2, 0.2)
    adamw_step(np.array([1.0, 2.0]), np.array([0.1, 0.2]), m, v, 2)
    np.testing.assert_array_equal(m, 0.1)
    np.testing.assert_array_equal(v, 0.2)


@pytest.mark.parametrize("call, exc, name", [
    (lambda: sgd_step([1.0], [1.0], 0.1, weight_decay=-0.1), ValueError, "weight_decay"),
    (lambda: momentum_step([1.0], [1.0], None, 0.1, weight_decay=None), TypeError, "weight_decay"),
    (lambda: adam_step([1.0], [1.0], None, None, 1, weight_decay=float("nan")), ValueError, "weight_decay"),
    (lambda: adamw_step([1.0], [1.0], None, None, 1, weight_decay=-1.0), ValueError, "weight_decay"),
    (lambda: adamw_step([1.0], [1.0], None, None, 0), ValueError, "t"),
    (lambda: adamw_step([1.0], [1.0, 2.0], None, None, 1), ValueError, "grad"),
    (lambda: adamw_step([1.0], [1.0], None, None, 1, lr=-1.0), ValueError, "lr"),
    (lambda: l2_penalty("w", 0.1), TypeError, "param"),
    (lambda: l2_penalty([1.0], -0.1), ValueError, "weight_decay"),
    (lambda: l2_penalty_grad([1.0], "0.1"), TypeError, "weight_decay"),
])
def test_bad_input_names_the_argument(call, exc, name):
    with pytest.raises(exc, match=name):
        call()


# ------------------------------------------------------------ early stopping


def test_early_stopping_waits_patience_epochs_after_the_best():
    losses = [1.0, 0.8, 0.7, 0.71, 0.72, 0.69, 0.70, 0.75, 0.80, 0.5]
    assert early_stopping(losses, patience=3) == (5, 8)
    assert early_stopping(losses, patience=2) == (2, 4)
    assert early_stopping(losses, patience=4) == (9, None)


def test_early_stopping_min_delta():
    losses = [1.0, 0.95, 0.949, 0.948, 0.947]
    assert early_stopping(losses, patience=2) == (4, None)
    # improvements smaller than min_delta do not count
    assert early_stopping(losses, patience=2, min_delta=0.01) == (1, 3)


def test_early_stopping_nan_never_improves():
    assert early_stopping([0.5, math.nan, math.nan], patience=2) == (0, 2)
    stopper = EarlyStopping(patience=1)
    assert stopper.step(math.nan) is True
    assert stopper.best_epoch is None and stopper.best_loss == math.inf


def test_early_stopping_state_and_stop():
    stopper = EarlyStopping(patience=2)
    assert (stopper.patience, stopper.min_delta, stopper.epoch, stopper.stopped) == (2, 0.0, -1, False)
    assert stopper.step(np.float32(0.5)) is False
    assert stopper.step(0.6) is False
    assert stopper.bad_epochs == 1
    assert stopper.step(0.6) is True
    assert (stopper.best_epoch, stopper.epoch, stopper.stopped) == (0, 2, True)
    with pytest.raises(RuntimeError, match="already stopped"):
        stopper.step(0.1)


def test_early_stopping_default_patience_is_5():
    assert EarlyStopping().patience == 5
    assert early_stopping([0.1] + [0.2] * 5, patience=EarlyStopping().patience) == (0, 5)


def test_equal_loss_is_not_an_improvement():
    assert early_stopping([0.5, 0.5, 0.5], patience=2) == (0, 2)


def test_restore_best_weights_with_torch():
    """The pattern of the page: save the state at each improvement, load it after stopping."""
    import copy
    torch.manual_seed(0)
    model = torch.nn.Linear(2, 1)
    stopper = EarlyStopping(patience=2)
    best_state, saved = None, []
    for epoch, val_loss in enumerate([0.9, 0.5, 0.6, 0.7, 0.1]):
        with torch.no_grad():
            model.weight.fill_(float(epoch))  # stands for one epoch of training
        if stopper.improved(val_loss):
            best_state = copy.deepcopy(model.state_dict())
            saved.append(epoch)
        if stopper.step(val_loss):
            break
    model.load_state_dict(best_state)
    assert saved == [0, 1] and stopper.epoch == 3
    assert model.weight.unique().item() == float(stopper.best_epoch) == 1.0


@pytest.mark.parametrize("call, exc, name", [
    (lambda: EarlyStopping(patience=0), ValueError, "patience"),
    (lambda: EarlyStopping(patience=2.0), TypeError, "patience"),
    (lambda: EarlyStopping(patience=True), TypeError, "patience"),
    (lambda: EarlyStopping(min_delta=-0.1), ValueError, "min_delta"),
    (lambda: EarlyStopping().step("0.5"), TypeError, "val_loss"),
    (lambda: EarlyStopping().step(None), TypeError, "val_loss"),
    (lambda: early_stopping("0.5", patience=1), TypeError, "val_losses"),
    (lambda: early_stopping(0.5, patience=1), TypeError, "val_losses"),
    (lambda: early_stopping([0.5, None], patience=3), TypeError, "val_losses"),
    (lambda: early_stopping([0.5], patience=-1), ValueError, "patience"),
])
def test_early_stopping_bad_input_names_the_argument(call, exc, name):
    with pytest.raises(exc, match=name):
        call()
