"""relu_docs.layers against torch.nn."""

import numpy as np
import pytest
import torch
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


def test_linear_matches_torch():
    rng = np.random.default_rng(0)
    x, W, b = rng.normal(size=(4, 3)), rng.normal(size=(5, 3)), rng.normal(size=5)
    ref = torch.nn.functional.linear(*(torch.from_numpy(a) for a in (x, W, b))).numpy()
    np.testing.assert_allclose(linear(x, W, b), ref, rtol=1e-13)
    np.testing.assert_allclose(linear(x, W), x @ W.T, rtol=1e-13)


@pytest.mark.parametrize("name, act", [("relu", nn.ReLU), ("sigmoid", nn.Sigmoid), ("tanh", nn.Tanh),
                                       ("identity", nn.Identity)])
def test_mlp_forward_matches_sequential(name, act):
    sizes = [6, 8, 7, 3]
    model = make_mlp(sizes, act)
    linears = [m for m in model if isinstance(m, nn.Linear)]
    x = torch.randn(10, 6, dtype=torch.float64, generator=torch.Generator().manual_seed(1))
    result = mlp_forward(x.numpy(), [m.weight.detach().numpy() for m in linears],
                         [m.bias.detach().numpy() for m in linears], activation=name)
    np.testing.assert_allclose(result["out"], model(x).detach().numpy(), rtol=1e-12, atol=1e-14)
    # intermediate values: each pre-activation is the output of a Linear module
    seen = []
    hooks = [m.register_forward_hook(lambda mod, inp, out: seen.append(out.detach().numpy())) for m in linears]
    model(x)
    for h in hooks:
        h.remove()
    assert len(result["z"]) == len(seen) == 3
    for mine, theirs in zip(result["z"], seen):
        np.testing.assert_allclose(mine, theirs, rtol=1e-12, atol=1e-14)
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
    torch.testing.assert_close(one(x), net(x), rtol=1e-12, atol=1e-12)


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
