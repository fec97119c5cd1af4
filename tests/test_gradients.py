"""relu_docs.gradients against torch.autograd.

Tolerances in units of eps (``tests/tolerance.py``): products of local derivatives and norms by their
roundings (``Err``); central differences by their rounding amplified by 1 / h and their truncation.
"""

import numpy as np
import pytest
import torch
from tolerance import Err, assert_close, eps, two_formulas
from torch import nn

from relu_docs import gradients as rg
from relu_docs.gradients import clip_grad_norm


def autograd_derivative(fn, x):
    t = torch.tensor(x, dtype=torch.float64, requires_grad=True)
    fn(t).sum().backward()
    return t.grad.numpy()


GRID = np.linspace(-8, 8, 16001)  # contains 0 exactly


def test_sigmoid_derivative_max_is_quarter_at_zero():
    d = autograd_derivative(torch.sigmoid, GRID)
    assert d.max() == 0.25  # exactly: sigma(0) = 1/2, 1/2 * 1/2
    assert GRID[d.argmax()] == 0.0
    assert rg.vanishing_gradient_bound(1) == d.max()


def test_tanh_derivative_max_is_one_at_zero():
    d = autograd_derivative(torch.tanh, GRID)
    assert d.max() == 1.0 and GRID[d.argmax()] == 0.0
    assert rg.vanishing_gradient_bound(5, max_derivative=d.max()) == 1.0


@pytest.mark.parametrize("n", [0, 1, 2, 5, 10, 20])
def test_bound_holds_for_deep_sigmoid_chain(n):
    # d/dx sigma(sigma(...sigma(x))) through n sigmoids is a product of n local derivatives <= 1/4 each
    x = torch.linspace(-4, 4, 81, dtype=torch.float64, requires_grad=True)
    y = x
    for _ in range(n):
        y = torch.sigmoid(y)
    y.sum().backward()
    # each layer's factor (1 - y) y <= 1/4 exactly; computed, ``g * (1 - y) * y`` rounds three times
    # (1 - y, two products), each up by at most u = eps / 2: n layers, 1 + 1.5 n eps to first order
    slack = 1 + 2 * n * eps(np.float64)
    assert x.grad.abs().max().item() <= rg.vanishing_gradient_bound(n) * slack
    assert rg.vanishing_gradient_bound(n) == 0.25**n


def test_chain_product_is_autograd_of_a_composition():
    # path x -> tanh -> *3 -> sigmoid -> relu; local derivatives multiplied = autograd
    x0 = 0.3
    x = torch.tensor(x0, dtype=torch.float64, requires_grad=True)
    a = torch.tanh(x)
    b = 3 * a
    c = torch.sigmoid(b)
    d = torch.relu(c)
    d.backward()
    local = [
        1 - np.tanh(x0) ** 2,
        3.0,
        (s := 1 / (1 + np.exp(-b.item()))) * (1 - s),
        1.0,  # c > 0
    ]
    # the same factors on both sides (autograd's from its saved outputs), multiplied in another order
    t, sig = Err(x0).tanh(), Err(b.item()).sigmoid()
    product = (1 - t * t) * 3.0 * (sig * (1 - sig)) * 1.0
    assert_close(np.asarray(rg.chain_product(local)), x.grad.numpy(), np.float64, 1, product.e, "chain product")


def test_chain_product_elementwise_and_empty():
    gates = np.array([[1.0, 0.0, 1.0], [1.0, 1.0, 0.0], [1.0, 1.0, 1.0]])
    np.testing.assert_array_equal(rg.chain_product(gates), [1.0, 0.0, 0.0])
    assert rg.chain_product([]) == 1.0
    with pytest.raises(ValueError, match="derivatives"):
        rg.chain_product(0.5)
    with pytest.raises(TypeError, match="derivatives"):
        rg.chain_product("abc")


def f_torch(t, w):
    return (torch.tanh(t @ w) ** 2).sum() + torch.sigmoid(t).prod()


def f_err(x, w):
    """Rounding bound of f_torch's value: x @ w, tanh, squares and their sum; sigmoids and their product."""
    t = (Err(x) @ w).tanh()
    value = (t * t).sum()
    product = Err(1.0)
    for s in Err(x).sigmoid().reshape(-1):
        product = product * s
    return value + product


# |d3/dx_i3 f_torch| <= max |third derivative of tanh**2| * sum_j |w_ij|**3 + max |third derivative of
# sigmoid| = 4.09 sum_j |w_ij|**3 + 1/8 (the first: -4 t (1 - t**2) (4 - 6 t**2) for t = tanh, at most 4.09)
def third_derivative_bound(w):
    return 4.1 * (np.abs(w) ** 3).sum(axis=1)[None, :] + 1 / 8


def central_difference_bound(f_value_err, x, grad, h=1e-6, third=0.0):
    """Bound, in eps, on ``|numerical_gradient(f, x) - grad|`` elementwise, with ``(f(x + h) - f(x - h)) / 2h``.

    * f's rounding, amplified: each evaluation is within half of ``f_value_err.e``, the difference of two
      within all of it, then divided by 2h;
    * the step: ``x + h`` and ``x - h`` are rounded, so the step taken is 2h within ``2 u (|x| + h)``,
      a relative error of ``(|x| + h) / 2h`` eps of the gradient;
    * truncation: ``h**2 / 6`` times the third derivative, ``third`` bounding it near x (not a rounding:
      in eps only to add it up);
    * the quotient's own roundings and the reference gradient's, a few eps of it.
    """
    g = np.abs(grad)
    return (f_value_err.e / (2 * h) + g * (np.abs(x) + h) / (2 * h) + h**2 * third / 6 / eps(np.float64)
            + 4 * g)


def test_numerical_gradient_matches_autograd():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(3, 4))
    w = torch.tensor(rng.normal(size=(4, 2)))
    t = torch.tensor(x, requires_grad=True)
    f_torch(t, w).backward()
    num = rg.numerical_gradient(lambda v: f_torch(torch.from_numpy(v), w).item(), x)
    assert num.shape == x.shape and num.dtype == np.float64
    bound = central_difference_bound(f_err(x, w.numpy()), x, t.grad.numpy(), third=third_derivative_bound(w.numpy()))
    assert_close(num, t.grad.numpy(), np.float64, 1, bound, "central difference")


def test_numerical_gradient_does_not_mutate_input_and_upcasts():
    x = np.array([1.0, 2.0], dtype=np.float32)
    g = rg.numerical_gradient(lambda v: float((v**3).sum()), x)
    np.testing.assert_array_equal(x, np.array([1.0, 2.0], dtype=np.float32))
    assert g.dtype == np.float64
    x64 = x.astype(np.float64)
    cube = (Err(x64) * x64 * x64).sum()  # v**3: within two roundings (pow is within an ulp), then the sum
    bound = central_difference_bound(cube, x64, 3 * x64**2, third=6.0)  # third derivative 6: truncation h**2
    assert_close(g, [3.0, 12.0], np.float64, 1, bound, "central difference of v**3")


def test_gradient_check_accepts_autograd_and_rejects_wrong_gradient():
    rng = np.random.default_rng(1)
    x = rng.normal(size=(3, 4))
    w = torch.tensor(rng.normal(size=(4, 2)))

    def f(v):
        return f_torch(torch.from_numpy(v), w).item()

    def grad_autograd(v):
        t = torch.tensor(v, requires_grad=True)
        f_torch(t, w).backward()
        return t.grad.numpy()

    # the relative error of a right gradient is the central difference's error over max(|g|, floor);
    # a gradient 1.01 times too large is off by 0.01 / 1.01 of itself, give or take that error
    g = grad_autograd(x)
    assert np.abs(g).min() > 1e-6  # no element falls back to the floor
    error = central_difference_bound(f_err(x, w.numpy()), x, g, third=third_derivative_bound(w.numpy()))
    relative = error * eps(np.float64) / np.abs(g)
    assert rg.gradient_check(f, grad_autograd, x) <= relative.max()
    assert_close(np.asarray(rg.gradient_check(f, lambda v: 1.01 * grad_autograd(v), x)), 0.01 / 1.01, np.float64,
                 1, relative.max() / 1.01 / eps(np.float64) + 4 * 0.01, "gradient 1.01 times too large")
    assert rg.gradient_check(f, lambda v: -grad_autograd(v), x) > 1


def test_gradient_check_relu_away_from_kink():
    x = np.array([-2.0, -0.5, 0.7, 3.0])
    f = lambda v: float(np.maximum(v, 0).sum())  # noqa: E731
    g = autograd_derivative(torch.relu, x)
    # f is linear around each x_i (no truncation); where x_i < 0 both evaluations round the same numbers
    # (max(x_i +- h, 0) = 0), so the difference is exactly 0
    error = central_difference_bound(Err(x).relu().sum(), x, g) * eps(np.float64)
    error[x < 0] = 0.0
    assert rg.gradient_check(f, lambda v: g, x) <= np.max(error / np.maximum(np.abs(g), 1e-6))


@pytest.mark.parametrize(
    "call, exc, name",
    [
        (lambda: rg.vanishing_gradient_bound(2.0), TypeError, "n_layers"),
        (lambda: rg.vanishing_gradient_bound(3, max_derivative=-1), ValueError, "max_derivative"),
        (lambda: rg.numerical_gradient("f", [1.0]), TypeError, "f"),
        (lambda: rg.numerical_gradient(np.sum, "1"), TypeError, "x"),
        (lambda: rg.numerical_gradient(np.sum, [1.0], eps=0), ValueError, "eps"),
        (lambda: rg.numerical_gradient(lambda v: v, [1.0, 2.0]), ValueError, "f must return a scalar"),
        (lambda: rg.gradient_check(np.sum, None, [1.0]), TypeError, "grad_f"),
        (lambda: rg.gradient_check(np.sum, lambda v: np.ones(3), [1.0]), ValueError, "grad_f"),
        (lambda: rg.gradient_check(np.sum, np.ones_like, [1.0], floor=0), ValueError, "floor"),
    ],
)
def test_bad_input_names_argument(call, exc, name):
    with pytest.raises(exc, match=name):
        call()


def make_mlp(sizes, act):
    torch.manual_seed(0)
    layers = []
    for i, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:])):
        layers.append(nn.Linear(n_in, n_out, dtype=torch.float64))
        if i < len(sizes) - 2:
            layers.append(act())
    return nn.Sequential(*layers)


@pytest.mark.parametrize("max_norm", [0.1, 1.0, 100.0])
def test_clip_grad_norm_matches_torch(max_norm):
    torch.manual_seed(0)
    model = make_mlp([5, 7, 2], nn.ReLU)
    model(torch.randn(9, 5, dtype=torch.float64)).pow(2).sum().backward()
    grads = [p.grad.numpy().copy() for p in model.parameters()]
    total = torch.nn.utils.clip_grad_norm_(model.parameters(), max_norm)
    clipped, norm = clip_grad_norm(grads, max_norm)
    # ours: sqrt of the sum of all squares; torch: the norm of the per-parameter norms
    ours = sum((Err(g) * g).sum() for g in grads).sqrt()
    theirs = sum(n * n for n in [(Err(g) * g).sum().sqrt() for g in grads]).sqrt()
    assert_close(np.asarray(norm), total.numpy(), np.float64, 1, two_formulas(ours, theirs), "total norm")
    # coefficient max_norm / (norm + 1e-6), clamped at 1 (exactly 1 when the norm is below max_norm)
    coef = max_norm / (Err(ours.v, two_formulas(ours, theirs)) + 1e-6)
    for mine, g, p in zip(clipped, grads, model.parameters()):
        bound = (Err(g) * coef).e if coef.v < 1 else 0.0
        assert_close(mine, p.grad.numpy(), np.float64, 1, bound, "clipped gradient")
    new_norm = np.sqrt(sum((c**2).sum() for c in clipped))
    if norm > max_norm:
        # max_norm * norm / (norm + 1e-6) is below max_norm by ~1e-6 of it, far more than rounding
        assert new_norm <= max_norm
    else:
        assert_close(np.asarray(new_norm), norm, np.float64, 1, ours.e, "unclipped norm")


def test_clip_grad_norm_leaves_inputs_alone_and_handles_zero():
    g = [np.array([3.0, 4.0])]
    clip_grad_norm(g, 1.0)
    np.testing.assert_array_equal(g[0], [3.0, 4.0])
    clipped, norm = clip_grad_norm([np.zeros(3)], 1.0)
    assert norm == 0.0 and not clipped[0].any()


@pytest.mark.parametrize("call, exc, words", [
    (lambda: clip_grad_norm(np.ones(3), 1.0), TypeError, "grads"),
    (lambda: clip_grad_norm([np.ones(3)], -1.0), ValueError, "max_norm"),
])
def test_clip_grad_norm_bad_input_names_the_argument(call, exc, words):
    with pytest.raises(exc, match=words):
        call()


# ---------------------------------------------------------------- weighted bound and value clipping
def test_weighted_gradient_bound_scalar_chain_matches_autograd_at_zero():
    # one unit per layer, h_k = sigmoid(w_k h_{k-1} + b_k) with b_k = -w_k / 2: every h_{k-1} is 1/2,
    # so every z_k is 0, every sigmoid' is 1/4, and the bound prod |w_k| / 4 is reached exactly
    ws = [3.0, -2.0, 3.5, 1.5, -3.9]
    x = torch.tensor(0.5, dtype=torch.float64, requires_grad=True)
    h = x
    for w in ws:
        h = torch.sigmoid(w * h - w * 0.5)  # z = 0, sigma(0) = 0.5 feeds the next layer
    h.backward()
    # equality at z = 0: both sides multiply the factors |w_k| / 4 (exact: a power of 2 times w_k, and
    # sigmoid'(0) = 1/2 * 1/2 exactly), one rounding per product
    product = Err(1.0)
    for w in ws:
        product = product * (0.25 * abs(w))
    assert_close(np.asarray(abs(x.grad.numpy())), rg.weighted_gradient_bound(ws), np.float64, 1, product.e,
                 "|dh/dx| at z = 0")
    assert_close(np.asarray(rg.weighted_gradient_bound(ws)), np.prod(np.abs(ws)) * 0.25 ** len(ws), np.float64, 1,
                 product.e, "prod |w_k| / 4")


@pytest.mark.parametrize("scale", [0.5, 1.0, 4.0])
def test_weighted_gradient_bound_holds_for_a_deep_sigmoid_net(scale):
    torch.manual_seed(0)
    layers = [nn.Linear(6, 6, dtype=torch.float64) for _ in range(8)]
    for layer in layers:
        nn.init.normal_(layer.weight, 0.0, scale / 6**0.5)

    def net(v):
        for layer in layers:
            v = torch.sigmoid(layer(v))
        return v

    bound = rg.weighted_gradient_bound([layer.weight.detach().numpy() for layer in layers])
    # the inequality holds in real arithmetic; computed, the Jacobian is a product of 8 layers' 6 x 6
    # matrices (within 6 eps of its norm per layer), and each sigma_max comes from an SVD within
    # p(m, n) eps of itself (LAPACK Users' Guide, "Error Bounds for the Singular Value Decomposition";
    # p(m, n) = 6 taken here), on both sides of the inequality
    slack = 1 + 8 * (6 + 2 * 6) * eps(np.float64)
    for _ in range(5):
        jac = torch.autograd.functional.jacobian(net, torch.randn(6, dtype=torch.float64))
        assert torch.linalg.matrix_norm(jac, ord=2).item() <= bound * slack


def test_weighted_gradient_bound_uses_the_largest_singular_value():
    w = np.random.default_rng(0).standard_normal((5, 3))
    sv = torch.linalg.matrix_norm(torch.tensor(w), ord=2).item()
    # two SVDs' sigma_max, each within p(m, n) = 5 eps of it (LAPACK Users' Guide, as above), squared
    # (twice the relative error, one rounding; ours multiplies by 1.0 twice, exactly)
    assert_close(np.asarray(rg.weighted_gradient_bound([w, w], max_derivative=1.0)), sv**2, np.float64, 2 * 5 + 1,
                 what="sigma_max squared")
    assert rg.weighted_gradient_bound([]) == 1.0


@pytest.mark.parametrize("clip_value", [0.0, 0.05, 1.0, 100.0])
def test_clip_grad_value_matches_torch(clip_value):
    torch.manual_seed(0)
    model = make_mlp([5, 7, 2], nn.ReLU)
    model(torch.randn(9, 5, dtype=torch.float64)).pow(2).sum().backward()
    grads = [p.grad.numpy().copy() for p in model.parameters()]
    before = [g.copy() for g in grads]
    torch.nn.utils.clip_grad_value_(model.parameters(), clip_value)
    for mine, p in zip(rg.clip_grad_value(grads, clip_value), model.parameters()):
        np.testing.assert_array_equal(mine, p.grad.numpy())
    for g, b in zip(grads, before):
        np.testing.assert_array_equal(g, b)  # the inputs are not modified


@pytest.mark.parametrize("call, exc, words", [
    (lambda: rg.weighted_gradient_bound(np.ones((2, 2))), TypeError, "weights"),
    (lambda: rg.weighted_gradient_bound([np.ones((2, 2, 2))]), ValueError, r"weights\[0\]"),
    (lambda: rg.weighted_gradient_bound(["a"]), TypeError, r"weights\[0\]"),
    (lambda: rg.weighted_gradient_bound([1.0], max_derivative=-1), ValueError, "max_derivative"),
    (lambda: rg.clip_grad_value(np.ones(3), 1.0), TypeError, "grads"),
    (lambda: rg.clip_grad_value([np.ones(3)], -1.0), ValueError, "clip_value"),
])
def test_new_gradient_functions_name_bad_arguments(call, exc, words):
    with pytest.raises(exc, match=words):
        call()
