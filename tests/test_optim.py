"""relu_docs.optim against torch.optim: 20-step trajectories on a linear regression.

Tolerances in units of eps (``tests/tolerance.py``). A trajectory is compared step by step: at each step
our update starts from torch's parameters and optimiser state, so the bound is one step's rounding
(``Err``: the gradient, both libraries' update formulas) and does not have to follow how earlier
differences grow through the iteration (for Adam they can: 1 / (sqrt(v) + eps) amplifies a difference in
v when v is small). Our state (velocity, m, v) is compared with torch's after each step the same way.
"""

import numpy as np
import pytest
import torch
from tolerance import Err, assert_close, two_formulas

from relu_docs.optim import adam_step, adamw_step, momentum_step, sgd_step

N_STEPS = 20


def problem():
    """Least squares: loss(w, b) = mean((X w + b - y)^2), float64."""
    rng = np.random.default_rng(0)
    X = rng.normal(size=(32, 3))
    y = X @ np.array([1.5, -2.0, 0.5]) + 0.3 + 0.1 * rng.normal(size=32)
    w0, b0 = rng.normal(size=3), np.array([0.0])
    return X, y, w0, b0


def numpy_grads(X, y, w, b):
    r = X @ w + b - y
    return 2 * X.T @ r / len(y), np.array([2 * r.mean()])


# ---------------------------------------------------------------- step by step

STATE_NAMES = {"velocity": "momentum_buffer", "m": "exp_avg", "v": "exp_avg_sq"}


def torch_steps(make_opt, problem=problem, n_steps=N_STEPS):
    """torch's optimiser on the regression: for each step, parameters and state before and after it."""
    X, y, w0, b0 = problem()
    Xt, yt = torch.from_numpy(X), torch.from_numpy(y)
    params = [torch.tensor(w0, requires_grad=True), torch.tensor(b0, requires_grad=True)]
    opt = make_opt(params)

    def snapshot():
        return [{"param": p.detach().numpy().copy(),
                 **{ours: opt.state[p][theirs].numpy().copy() for ours, theirs in STATE_NAMES.items()
                    if theirs in opt.state[p]}} for p in params]

    steps = []
    for _ in range(n_steps):
        before = snapshot()
        opt.zero_grad()
        ((Xt @ params[0] + params[1] - yt) ** 2).mean().backward()
        opt.step()
        steps.append((before, snapshot()))
    return steps


def gradient_err(X, y, w, b):
    """Bounds (Err) on (dw, db) of mean((X w + b - y)**2): ours ``2 X^T r / n`` and ``2 mean(r)``;
    autograd's ``X^T (2 r / n)`` and ``sum(2 r / n)``, with r = X w + b - y."""
    n = len(y)
    r = Err(X) @ w + b - y
    g = r * 2.0 * (Err(1.0) / n)
    ours_w, ours_b = (2 * Err(X.T)) @ r / n, 2 * (r.sum() / n)
    theirs_w, theirs_b = Err(X.T) @ g, g.sum()
    return Err(ours_w.v, two_formulas(ours_w, theirs_w)), Err(ours_b.v, two_formulas(ours_b, theirs_b)).reshape(1)


def sgd_err(param, grad, state, t, lr, momentum=0.0, weight_decay=0.0):
    """One step of SGD (with momentum): grad + wd * param, mu * velocity + grad, param - lr * velocity."""
    if weight_decay:
        grad = grad + weight_decay * Err(param)
    if momentum:
        velocity = grad if state.get("velocity") is None else momentum * Err(state["velocity"]) + grad
        return param - lr * velocity, {"velocity": velocity}
    return param - lr * grad, {}


def adam_err(param, grad, state, t, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0, decoupled=False):
    """One Adam(W) step, ours and torch's formulas.

    Ours: ``m = b1 m + (1 - b1) g``, ``param - lr m_hat / (sqrt(v_hat) + eps)``; torch:
    ``m.lerp_(g, 1 - b1)``, ``param + (-lr / bc1) m / (sqrt(v) / sqrt(bc2) + eps)``. b**t is a pow
    within an ulp. AdamW first multiplies param by ``1 - lr wd`` (both).
    """
    b1, b2 = betas
    p = Err.lift(param)
    m0, v0 = (Err.lift(state.get(k, np.zeros_like(p.v))) for k in ("m", "v"))
    if weight_decay and decoupled:
        p = p * (1 - Err(lr) * weight_decay)
    elif weight_decay:
        grad = grad + weight_decay * p
    bc1 = 1 - Err(b1**t, 2 * b1**t)
    bc2 = 1 - Err(b2**t, 2 * b2**t)
    v = b2 * v0 + (1 - Err(b2)) * grad * grad
    m_ours = b1 * m0 + (1 - Err(b1)) * grad
    m_theirs = m0 + (1 - Err(b1)) * (grad - m0)
    ours = p - lr * (m_ours / bc1) / ((v / bc2).sqrt() + eps)
    theirs = p + (-(lr / bc1)) * (m_theirs / (v.sqrt() / bc2.sqrt() + eps))
    m = Err(m_ours.v, two_formulas(m_ours, m_theirs))
    return Err(ours.v, two_formulas(ours, theirs)), {"m": m, "v": v}


def assert_steps_match(steps, ours, bound, problem=problem):
    """At each step: our update from torch's parameters and state against torch's next ones, within the bound.

    ``ours(param, grad, state, t) -> (param, state)``; ``bound(param, grad_err, state, t) -> (Err, {name: Err})``.
    """
    X, y, _, _ = problem()
    for t, (before, after) in enumerate(steps, start=1):
        w, b = before[0]["param"], before[1]["param"]
        grads, grad_errs = numpy_grads(X, y, w, b), gradient_err(X, y, w, b)
        for i, (name, g, g_err) in enumerate(zip("wb", grads, grad_errs)):
            state = {k: v for k, v in before[i].items() if k != "param"}
            param, new_state = ours(before[i]["param"], g, state, t)
            p_err, state_err = bound(before[i]["param"], g_err, state, t)
            assert_close(param, after[i]["param"], np.float64, 1, p_err.e, f"{name}, step {t}")
            for key, value in new_state.items():
                assert_close(value, after[i][key], np.float64, 1, state_err[key].e, f"{key} of {name}, step {t}")


def sgd(lr, momentum=None, weight_decay=0.0):
    """Our SGD (momentum_step when momentum is given) as ``ours`` for assert_steps_match."""
    if momentum is None:
        return lambda p, g, s, t: (sgd_step(p, g, lr, weight_decay=weight_decay), {})

    def step(p, g, s, t):
        p, velocity = momentum_step(p, g, s.get("velocity"), lr, momentum, weight_decay=weight_decay)
        return p, {"velocity": velocity}
    return step


def adam(decoupled=False, **kwargs):
    """Our Adam (AdamW when decoupled) as ``ours`` for assert_steps_match."""
    def step(p, g, s, t):
        p, m, v = (adamw_step if decoupled else adam_step)(p, g, s.get("m"), s.get("v"), t, **kwargs)
        return p, {"m": m, "v": v}
    return step


def test_numpy_gradient_is_autograd():
    X, y, w0, b0 = problem()
    w = torch.tensor(w0, requires_grad=True)
    b = torch.tensor(b0, requires_grad=True)
    ((torch.from_numpy(X) @ w + b - torch.from_numpy(y)) ** 2).mean().backward()
    gw, gb = numpy_grads(X, y, w0, b0)
    bw, bb = gradient_err(X, y, w0, b0)
    assert_close(gw, w.grad.numpy(), np.float64, 1, bw.e, "dw")
    assert_close(gb, b.grad.numpy(), np.float64, 1, bb.e, "db")


@pytest.mark.parametrize("lr", [0.01, 0.1])
def test_sgd_trajectory(lr):
    steps = torch_steps(lambda ps: torch.optim.SGD(ps, lr=lr))
    assert_steps_match(steps, sgd(lr), lambda p, g, s, t: sgd_err(p, g, s, t, lr))


@pytest.mark.parametrize("lr, mu", [(0.01, 0.9), (0.05, 0.5)])
def test_momentum_trajectory(lr, mu):
    steps = torch_steps(lambda ps: torch.optim.SGD(ps, lr=lr, momentum=mu))
    assert_steps_match(steps, sgd(lr, mu), lambda p, g, s, t: sgd_err(p, g, s, t, lr, mu))


@pytest.mark.parametrize("lr, betas, eps", [(1e-3, (0.9, 0.999), 1e-8), (0.1, (0.8, 0.99), 1e-6)])
def test_adam_trajectory(lr, betas, eps):
    steps = torch_steps(lambda ps: torch.optim.Adam(ps, lr=lr, betas=betas, eps=eps))
    assert_steps_match(steps, adam(lr=lr, betas=betas, eps=eps),
                       lambda p, g, s, t: adam_err(p, g, s, t, lr=lr, betas=betas, eps=eps))


def test_adam_state_matches_torch_state():
    p = torch.tensor([0.5, -1.0], dtype=torch.float64, requires_grad=True)
    opt = torch.optim.Adam([p], lr=0.01)
    q, m, v = p.detach().numpy().copy(), None, None
    # both sides take torch's gradient, so no difference feeds back through it: the bounds carry over the
    # three steps through the update formulas alone
    q_err, state_err = Err(q), {}
    for t in range(1, 4):
        opt.zero_grad()
        (p**3).sum().backward()
        g = p.grad.numpy().copy()
        opt.step()
        q, m, v = adam_step(q, g, m, v, t, lr=0.01)
        q_err, state_err = adam_err(q_err, Err(g), state_err, t, lr=0.01)
    state = opt.state[p]
    assert state["step"].item() == 3
    assert_close(m, state["exp_avg"].numpy(), np.float64, 1, state_err["m"].e, "exp_avg")
    assert_close(v, state["exp_avg_sq"].numpy(), np.float64, 1, state_err["v"].e, "exp_avg_sq")
    assert_close(q, p.detach().numpy(), np.float64, 1, q_err.e, "param")


def test_inputs_not_mutated():
    p, g = np.array([1.0, 2.0]), np.array([0.1, -0.2])
    vel, m, v = np.array([0.5, 0.5]), np.array([0.1, 0.1]), np.array([0.2, 0.2])
    sgd_step(p, g, 0.1)
    momentum_step(p, g, vel, 0.1, 0.9)
    adam_step(p, g, m, v, 2)
    np.testing.assert_array_equal(p, [1.0, 2.0])
    np.testing.assert_array_equal(vel, [0.5, 0.5])
    np.testing.assert_array_equal(m, [0.1, 0.1])
    np.testing.assert_array_equal(v, [0.2, 0.2])


def test_first_momentum_step_none_equals_zeros():
    p, g = np.array([1.0, 2.0]), np.array([0.1, -0.2])
    a = momentum_step(p, g, None, 0.1, 0.9)
    b = momentum_step(p, g, np.zeros(2), 0.1, 0.9)
    for x, y in zip(a, b):
        np.testing.assert_array_equal(x, y)
    np.testing.assert_array_equal(a[1], g)


def test_float32_kept():
    p, g = np.ones(2, np.float32), np.ones(2, np.float32)
    assert sgd_step(p, g, 0.1).dtype == np.float32
    assert all(a.dtype == np.float32 for a in momentum_step(p, g, None, 0.1, 0.9))
    assert all(a.dtype == np.float32 for a in adam_step(p, g, None, None, 1))


@pytest.mark.parametrize(
    "call, exc, name",
    [
        (lambda: sgd_step("p", [1.0], 0.1), TypeError, "param"),
        (lambda: sgd_step([1.0], [1.0, 2.0], 0.1), ValueError, "grad"),
        (lambda: sgd_step([1.0], [1.0], -0.1), ValueError, "lr"),
        (lambda: sgd_step([1.0], [1.0], None), TypeError, "lr"),
        (lambda: momentum_step([1.0], [1.0], [1.0, 2.0], 0.1), ValueError, "velocity"),
        (lambda: momentum_step([1.0], [1.0], None, 0.1, momentum=-1), ValueError, "momentum"),
        (lambda: adam_step([1.0], [1.0], None, None, 0), ValueError, "t"),
        (lambda: adam_step([1.0], [1.0], None, None, 1.0), TypeError, "t"),
        (lambda: adam_step([1.0], [1.0], [0.0, 0.0], None, 1), ValueError, "m"),
        (lambda: adam_step([1.0], [1.0], None, [0.0, 0.0], 1), ValueError, "v"),
        (lambda: adam_step([1.0], [1.0], None, None, 1, betas=0.9), TypeError, "betas"),
        (lambda: adam_step([1.0], [1.0], None, None, 1, betas=(0.9, 1.0)), ValueError, "beta2"),
        (lambda: adam_step([1.0], [1.0], None, None, 1, eps=-1), ValueError, "eps"),
    ],
)
def test_bad_input_names_argument(call, exc, name):
    with pytest.raises(exc, match=name):
        call()


def test_momentum_default_is_0_9():
    # velocity 1, gradient 0: the new velocity is the momentum itself
    p, v = momentum_step(np.array([1.0]), np.array([0.0]), np.array([1.0]), lr=0.1)
    np.testing.assert_array_equal(v, [0.9])
    assert_close(p, [1.0 - 0.1 * 0.9], np.float64, 1, (1 - Err(0.1) * 0.9).e, "1 - lr * 0.9")
    # and the whole trajectory equals torch.optim.SGD(momentum=0.9)
    steps = torch_steps(lambda ps: torch.optim.SGD(ps, lr=0.01, momentum=0.9))

    def ours(p, g, s, t):  # momentum left at its default
        p, velocity = momentum_step(p, g, s.get("velocity"), 0.01)
        return p, {"velocity": velocity}
    assert_steps_match(steps, ours, lambda p, g, s, t: sgd_err(p, g, s, t, 0.01, 0.9))


def test_adam_defaults_are_torchs():
    steps = torch_steps(lambda ps: torch.optim.Adam(ps))
    assert_steps_match(steps, adam(), adam_err)  # adam_err's defaults are torch's documented ones


def test_defaults_are_the_documented_ones():
    """adam_step's defaults are torch.optim.Adam's; momentum_step's mu is the common 0.9 (torch's is 0)."""
    import inspect

    adam = inspect.signature(adam_step).parameters
    torch_adam = inspect.signature(torch.optim.Adam).parameters
    for ours, theirs in (("lr", "lr"), ("betas", "betas"), ("eps", "eps")):
        assert adam[ours].default == torch_adam[theirs].default
    assert inspect.signature(momentum_step).parameters["momentum"].default == 0.9
    p, v = momentum_step(np.array([1.0]), np.array([1.0]), np.array([1.0]), lr=0.1)
    # 0.9 * 1 + 1: the literal 0.9 and the sum round (1 eps), the literal 1.9 once (1/2)
    assert_close(v, [1.9], np.float64, 2, what="0.9 * 1 + 1")
