"""relu_docs.optim against torch.optim: 20-step trajectories on a linear regression."""

import numpy as np
import pytest
import torch

from relu_docs.optim import adam_step, momentum_step, sgd_step

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


def torch_trajectory(make_opt):
    X, y, w0, b0 = problem()
    Xt, yt = torch.from_numpy(X), torch.from_numpy(y)
    w = torch.tensor(w0, requires_grad=True)
    b = torch.tensor(b0, requires_grad=True)
    opt = make_opt([w, b])
    traj = []
    for _ in range(N_STEPS):
        opt.zero_grad()
        ((Xt @ w + b - yt) ** 2).mean().backward()
        opt.step()
        traj.append(np.concatenate([w.detach().numpy(), b.detach().numpy()]))
    return np.array(traj)


def test_numpy_gradient_is_autograd():
    X, y, w0, b0 = problem()
    w = torch.tensor(w0, requires_grad=True)
    b = torch.tensor(b0, requires_grad=True)
    ((torch.from_numpy(X) @ w + b - torch.from_numpy(y)) ** 2).mean().backward()
    gw, gb = numpy_grads(X, y, w0, b0)
    np.testing.assert_allclose(gw, w.grad.numpy(), rtol=1e-13)
    np.testing.assert_allclose(gb, b.grad.numpy(), rtol=1e-13)


@pytest.mark.parametrize("lr", [0.01, 0.1])
def test_sgd_trajectory(lr):
    X, y, w, b = problem()
    traj = []
    for _ in range(N_STEPS):
        gw, gb = numpy_grads(X, y, w, b)
        w, b = sgd_step(w, gw, lr), sgd_step(b, gb, lr)
        traj.append(np.concatenate([w, b]))
    ref = torch_trajectory(lambda ps: torch.optim.SGD(ps, lr=lr))
    np.testing.assert_allclose(np.array(traj), ref, rtol=1e-12, atol=1e-13)


@pytest.mark.parametrize("lr, mu", [(0.01, 0.9), (0.05, 0.5)])
def test_momentum_trajectory(lr, mu):
    X, y, w, b = problem()
    vw = vb = None
    traj = []
    for _ in range(N_STEPS):
        gw, gb = numpy_grads(X, y, w, b)
        w, vw = momentum_step(w, gw, vw, lr, mu)
        b, vb = momentum_step(b, gb, vb, lr, mu)
        traj.append(np.concatenate([w, b]))
    ref = torch_trajectory(lambda ps: torch.optim.SGD(ps, lr=lr, momentum=mu))
    np.testing.assert_allclose(np.array(traj), ref, rtol=1e-12, atol=1e-13)


@pytest.mark.parametrize("lr, betas, eps", [(1e-3, (0.9, 0.999), 1e-8), (0.1, (0.8, 0.99), 1e-6)])
def test_adam_trajectory(lr, betas, eps):
    X, y, w, b = problem()
    mw = vw = mb = vb = None
    traj = []
    for t in range(1, N_STEPS + 1):
        gw, gb = numpy_grads(X, y, w, b)
        w, mw, vw = adam_step(w, gw, mw, vw, t, lr=lr, betas=betas, eps=eps)
        b, mb, vb = adam_step(b, gb, mb, vb, t, lr=lr, betas=betas, eps=eps)
        traj.append(np.concatenate([w, b]))
    ref = torch_trajectory(lambda ps: torch.optim.Adam(ps, lr=lr, betas=betas, eps=eps))
    np.testing.assert_allclose(np.array(traj), ref, rtol=1e-12, atol=1e-13)


def test_adam_state_matches_torch_state():
    p = torch.tensor([0.5, -1.0], dtype=torch.float64, requires_grad=True)
    opt = torch.optim.Adam([p], lr=0.01)
    q, m, v = p.detach().numpy().copy(), None, None
    for t in range(1, 4):
        opt.zero_grad()
        (p**3).sum().backward()
        g = p.grad.numpy().copy()
        opt.step()
        q, m, v = adam_step(q, g, m, v, t, lr=0.01)
    state = opt.state[p]
    assert state["step"].item() == 3
    np.testing.assert_allclose(m, state["exp_avg"].numpy(), rtol=1e-14)
    np.testing.assert_allclose(v, state["exp_avg_sq"].numpy(), rtol=1e-14)
    np.testing.assert_allclose(q, p.detach().numpy(), rtol=1e-14)


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
    np.testing.assert_allclose(p, [1.0 - 0.1 * 0.9], rtol=1e-15)
    # and the whole trajectory equals torch.optim.SGD(momentum=0.9)
    X, y, w, b = problem()
    vw = vb = None
    traj = []
    for _ in range(N_STEPS):
        gw, gb = numpy_grads(X, y, w, b)
        w, vw = momentum_step(w, gw, vw, 0.01)
        b, vb = momentum_step(b, gb, vb, 0.01)
        traj.append(np.concatenate([w, b]))
    ref = torch_trajectory(lambda ps: torch.optim.SGD(ps, lr=0.01, momentum=0.9))
    np.testing.assert_allclose(np.array(traj), ref, rtol=1e-12, atol=1e-13)


def test_adam_defaults_are_torchs():
    X, y, w, b = problem()
    mw = vw = mb = vb = None
    traj = []
    for t in range(1, N_STEPS + 1):
        gw, gb = numpy_grads(X, y, w, b)
        w, mw, vw = adam_step(w, gw, mw, vw, t)
        b, mb, vb = adam_step(b, gb, mb, vb, t)
        traj.append(np.concatenate([w, b]))
    ref = torch_trajectory(lambda ps: torch.optim.Adam(ps))
    np.testing.assert_allclose(np.array(traj), ref, rtol=1e-12, atol=1e-13)


def test_defaults_are_the_documented_ones():
    """adam_step's defaults are torch.optim.Adam's; momentum_step's mu is the common 0.9 (torch's is 0)."""
    import inspect

    adam = inspect.signature(adam_step).parameters
    torch_adam = inspect.signature(torch.optim.Adam).parameters
    for ours, theirs in (("lr", "lr"), ("betas", "betas"), ("eps", "eps")):
        assert adam[ours].default == torch_adam[theirs].default
    assert inspect.signature(momentum_step).parameters["momentum"].default == 0.9
    p, v = momentum_step(np.array([1.0]), np.array([1.0]), np.array([1.0]), lr=0.1)
    np.testing.assert_allclose(v, [1.9])  # 0.9 * 1 + 1
