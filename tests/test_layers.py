"""relu_docs.layers against torch.nn.

Tolerances in units of eps (``tests/tolerance.py``): a layer x W^T + b is a matrix product of inner size
k plus a bias, within k |x| |W|^T + |z| on each side's rounding; through a network the earlier layers'
bounds propagate (``Err``).
"""

import numpy as np
import pytest
import torch
from tolerance import Err, assert_close, two_formulas
from torch import nn

from relu_docs.layers import compose_affine, count_parameters, linear, mlp_forward


def make_mlp(sizes, act):
    torch.manual_seed(0)
    layers = []
    for i, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:])):
        layers.append(nn.Linear(n_in, n_out, dtype=torch.float64))
        if i < len(sizes) - 2:
            layers.append(act())
    return nn.Sequential(*layers)


ACT_ERR = {"relu": Err.relu, "sigmoid": Err.sigmoid, "tanh": Err.tanh, "identity": lambda z: z}


def linear_err(x, W, b=None):
    """x W^T (+ b): inner size k, then one rounding for the bias."""
    z = Err.lift(x) @ Err.lift(W).T
    return z if b is None else z + b


def test_linear_matches_torch():
    rng = np.random.default_rng(0)
    x, W, b = rng.normal(size=(4, 3)), rng.normal(size=(5, 3)), rng.normal(size=5)
    ref = torch.nn.functional.linear(*(torch.from_numpy(a) for a in (x, W, b))).numpy()
    assert_close(linear(x, W, b), ref, np.float64, 1, linear_err(x, W, b).e, "linear")
    assert_close(linear(x, W), x @ W.T, np.float64, 1, linear_err(x, W).e, "linear without bias")


@pytest.mark.parametrize("name, act", [("relu", nn.ReLU), ("sigmoid", nn.Sigmoid), ("tanh", nn.Tanh),
                                       ("identity", nn.Identity)])
def test_mlp_forward_matches_sequential(name, act):
    sizes = [6, 8, 7, 3]
    model = make_mlp(sizes, act)
    linears = [m for m in model if isinstance(m, nn.Linear)]
    x = torch.randn(10, 6, dtype=torch.float64, generator=torch.Generator().manual_seed(1))
    result = mlp_forward(x.numpy(), [m.weight.detach().numpy() for m in linears],
                         [m.bias.detach().numpy() for m in linears], activation=name)
    # each layer's rounding, and the earlier layers' through W and the activation's slope
    a, bounds = Err(x.numpy()), []
    for i, m in enumerate(linears):
        z = linear_err(a, m.weight.detach().numpy(), m.bias.detach().numpy())
        bounds.append(z.e)
        a = ACT_ERR[name](z) if i < len(linears) - 1 else z
    assert_close(result["out"], model(x).detach().numpy(), np.float64, 1, bounds[-1], "output")
    # intermediate values: each pre-activation is the output of a Linear module
    seen = []
    hooks = [m.register_forward_hook(lambda mod, inp, out: seen.append(out.detach().numpy())) for m in linears]
    model(x)
    for h in hooks:
        h.remove()
    assert len(result["z"]) == len(seen) == 3
    for mine, theirs, bound in zip(result["z"], seen, bounds):
        assert_close(mine, theirs, np.float64, 1, bound, "pre-activation")
    assert len(result["a"]) == 3 and result["a"][0] is not None


@pytest.mark.parametrize("sizes", [[784, 256, 10], [2, 16, 16, 1], [3, 1]])
def test_count_parameters_matches_torch(sizes):
    model = make_mlp(sizes, nn.ReLU)
    assert count_parameters(sizes) == sum(p.numel() for p in model.parameters())


def test_compose_affine_equals_two_linear_layers():
    torch.manual_seed(0)
    net = torch.nn.Sequential(torch.nn.Linear(4, 8), torch.nn.Linear(8, 3)).double()
    w, b = compose_affine(net[0].weight.detach(), net[0].bias.detach(),
                             net[1].weight.detach(), net[1].bias.detach())
    one = torch.nn.Linear(4, 3).double()
    with torch.no_grad():
        one.weight.copy_(torch.from_numpy(w))
        one.bias.copy_(torch.from_numpy(b))
    x = torch.randn(16, 4, dtype=torch.float64)
    # two formulas of one map: x (W2 W1)^T + (W2 b1 + b2) against (x W1^T + b1) W2^T + b2
    w1, b1, w2, b2 = (t.detach().numpy() for t in (net[0].weight, net[0].bias, net[1].weight, net[1].bias))
    composed = linear_err(x.numpy(), Err(w2) @ w1, Err(w2) @ b1 + b2)
    stacked = linear_err(linear_err(x.numpy(), w1, b1), w2, b2)
    assert_close(one(x).detach().numpy(), net(x).detach().numpy(), np.float64, 1, two_formulas(composed, stacked),
                 "one layer vs two")


def test_compose_affine_float32_keeps_dtype():
    w, b = compose_affine(np.ones((2, 3), np.float32), np.zeros(2, np.float32),
                          np.ones((1, 2), np.float32), np.zeros(1, np.float32))
    assert w.dtype == b.dtype == np.float32


@pytest.mark.parametrize(
    "call, exc, words",
    [
        (lambda: linear("x", [[1.0]]), TypeError, "x"),
        (lambda: linear([[1.0]], [[1.0]], [1.0, 2.0]), ValueError, "bias"),
        (lambda: mlp_forward([[1.0]], [np.eye(1)], [np.zeros(1)], activation="gelu"), ValueError, "activation"),
        (lambda: mlp_forward([[1.0]], [np.eye(1)], []), ValueError, "weights"),
        (lambda: mlp_forward([[1.0]], [np.eye(1), np.eye(2)], [np.zeros(1), np.zeros(2)]), ValueError, "layer 2"),
        (lambda: count_parameters([3]), ValueError, "layer_sizes"),
        (lambda: count_parameters(5), TypeError, "layer_sizes"),
        (lambda: count_parameters([3, 0]), ValueError, "layer_sizes"),
        (lambda: compose_affine([1.0], [1.0], [[1.0]], [1.0]), ValueError, "w1 must be 2-D"),
        (lambda: compose_affine([[1.0]], [1.0], [[1.0, 1.0]], [1.0]), ValueError, "w2 must have"),
        (lambda: compose_affine([[1.0]], [1.0, 2.0], [[1.0]], [1.0]), ValueError, "b1 must have"),
        (lambda: compose_affine([[1.0]], [1.0], [[1.0]], [1.0, 2.0]), ValueError, "b2 must have"),
    ],
)
def test_bad_input_names_the_argument(call, exc, words):
    with pytest.raises(exc, match=words):
        call()
