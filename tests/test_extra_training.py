"""relu_docs.extra_training against torch.nn, torch.autograd and torch.nn.utils."""

import numpy as np
import pytest
import torch
from torch import nn

from relu_docs.extra_training import (
    clip_grad_norm,
    count_parameters,
    dropout_variance_shift,
    linear,
    mlp_forward,
    neuron_chain_rule,
)


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


@pytest.mark.parametrize("activation", ["sigmoid", "relu", "tanh"])
@pytest.mark.parametrize("vector", [False, True])
def test_neuron_chain_rule_matches_autograd(activation, vector):
    rng = np.random.default_rng(2)
    x = rng.normal(size=4) if vector else 1.3
    w = rng.normal(size=4) if vector else -0.7
    b, y = 0.4, 0.25
    xt = torch.tensor(x, dtype=torch.float64, requires_grad=True)
    wt = torch.tensor(w, dtype=torch.float64, requires_grad=True)
    bt = torch.tensor(b, dtype=torch.float64, requires_grad=True)
    phi = {"sigmoid": torch.sigmoid, "relu": torch.relu, "tanh": torch.tanh}[activation]
    loss = (phi((wt * xt).sum() + bt) - y) ** 2
    loss.backward()
    r = neuron_chain_rule(x, w, b, y, activation=activation)
    assert r["loss"] == pytest.approx(loss.item(), rel=1e-13)
    np.testing.assert_allclose(r["dL_dw"], wt.grad.numpy(), rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(r["dL_dx"], xt.grad.numpy(), rtol=1e-12, atol=1e-15)
    assert r["dL_db"] == pytest.approx(bt.grad.item(), rel=1e-12, abs=1e-15)
    assert r["dL_dz"] == pytest.approx(r["dL_da"] * r["da_dz"])


@pytest.mark.parametrize("max_norm", [0.1, 1.0, 100.0])
def test_clip_grad_norm_matches_torch(max_norm):
    torch.manual_seed(0)
    model = make_mlp([5, 7, 2], nn.ReLU)
    model(torch.randn(9, 5, dtype=torch.float64)).pow(2).sum().backward()
    grads = [p.grad.numpy().copy() for p in model.parameters()]
    total = torch.nn.utils.clip_grad_norm_(model.parameters(), max_norm)
    clipped, norm = clip_grad_norm(grads, max_norm)
    assert norm == pytest.approx(total.item(), rel=1e-13)
    for mine, p in zip(clipped, model.parameters()):
        np.testing.assert_allclose(mine, p.grad.numpy(), rtol=1e-13, atol=1e-16)
    new_norm = np.sqrt(sum((c**2).sum() for c in clipped))
    assert new_norm <= max_norm * (1 + 1e-12) or new_norm == pytest.approx(norm)


def test_clip_grad_norm_leaves_inputs_alone_and_handles_zero():
    g = [np.array([3.0, 4.0])]
    clip_grad_norm(g, 1.0)
    np.testing.assert_array_equal(g[0], [3.0, 4.0])
    clipped, norm = clip_grad_norm([np.zeros(3)], 1.0)
    assert norm == 0.0 and not clipped[0].any()


@pytest.mark.parametrize("p, mean, var", [(0.5, 0.0, 1.0), (0.1, 1.0, 1.0), (0.3, -2.0, 0.5)])
def test_dropout_variance_shift_matches_nn_dropout(p, mean, var):
    torch.manual_seed(0)
    x = mean + var**0.5 * torch.randn(2_000_000, dtype=torch.float64)
    drop = nn.Dropout(p)
    var_train_expected, var_eval_expected = dropout_variance_shift(p, mean, var)
    drop.train()
    var_train = drop(x).var().item()
    drop.eval()
    var_eval = drop(x).var().item()
    assert var_train == pytest.approx(var_train_expected, rel=0.01)
    assert var_eval == pytest.approx(var_eval_expected, rel=0.01)


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
        (lambda: neuron_chain_rule([1.0, 2.0], [1.0], 0.0, 1.0), ValueError, "x and w"),
        (lambda: neuron_chain_rule(1.0, 1.0, None, 1.0), TypeError, "b"),
        (lambda: clip_grad_norm(np.ones(3), 1.0), TypeError, "grads"),
        (lambda: clip_grad_norm([np.ones(3)], -1.0), ValueError, "max_norm"),
        (lambda: dropout_variance_shift(1.0, 0.0, 1.0), ValueError, "p"),
        (lambda: dropout_variance_shift(0.5, 0.0, -1.0), ValueError, "var"),
    ],
)
def test_bad_input_names_the_argument(call, exc, words):
    with pytest.raises(exc, match=words):
        call()
