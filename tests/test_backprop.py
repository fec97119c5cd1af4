"""relu_docs.backprop against torch.autograd on nn.Linear-shaped weights."""

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from relu_docs.backprop import neuron_chain_rule, two_layer_backward, two_layer_forward, two_layer_loss

TORCH_ACT = {"relu": torch.relu, "sigmoid": torch.sigmoid, "tanh": torch.tanh}


def setup(n=6, d_in=4, hidden=5, d_out=3, seed=0):
    rng = np.random.default_rng(seed)
    return {
        "x": rng.normal(size=(n, d_in)),
        "W1": rng.normal(size=(hidden, d_in)),
        "b1": rng.normal(size=hidden),
        "W2": rng.normal(size=(d_out, hidden)),
        "b2": rng.normal(size=d_out),
    }


def torch_reference(params, y, activation, loss):
    t = {k: torch.tensor(v, requires_grad=True) for k, v in params.items()}
    h = TORCH_ACT[activation](F.linear(t["x"], t["W1"], t["b1"]))
    out = F.linear(h, t["W2"], t["b2"])
    if loss == "mse":
        value = F.mse_loss(out, torch.from_numpy(y))
    else:
        value = F.cross_entropy(out, torch.from_numpy(y))
    value.backward()
    return out.detach().numpy(), value.item(), {f"d{k}": v.grad.numpy() for k, v in t.items()}


@pytest.mark.parametrize("activation", ["relu", "sigmoid", "tanh"])
@pytest.mark.parametrize("loss", ["mse", "cross_entropy"])
def test_matches_autograd(activation, loss):
    params = setup()
    rng = np.random.default_rng(1)
    y = rng.normal(size=(6, 3)) if loss == "mse" else rng.integers(0, 3, size=6)
    out_ref, loss_ref, grads_ref = torch_reference(params, y, activation, loss)

    cache = two_layer_forward(**params, activation=activation)
    np.testing.assert_allclose(cache["out"], out_ref, rtol=1e-13, atol=1e-14)
    assert two_layer_loss(cache, y, loss) == pytest.approx(loss_ref, rel=1e-13)
    grads = two_layer_backward(cache, y, loss)
    assert set(grads) == {"dW1", "db1", "dW2", "db2", "dx"}
    for name, ref in grads_ref.items():
        assert grads[name].shape == params[name[1:]].shape
        np.testing.assert_allclose(grads[name], ref, rtol=1e-12, atol=1e-14, err_msg=name)


def test_relu_gate_at_zero_matches_torch():
    # z1 exactly 0 for one unit: torch's ReLU derivative there is 0, ours too
    params = setup(n=2, d_in=2, hidden=2, d_out=1)
    params["x"] = np.array([[1.0, 2.0], [0.5, -1.0]])
    params["W1"] = np.array([[0.0, 0.0], [1.0, 1.0]])
    params["b1"] = np.array([0.0, 0.1])
    y = np.zeros((2, 1))
    _, _, ref = torch_reference(params, y, "relu", "mse")
    grads = two_layer_backward(two_layer_forward(**params), y)
    np.testing.assert_array_equal(grads["dW1"][0], 0)
    for name, r in ref.items():
        np.testing.assert_allclose(grads[name], r, rtol=1e-13, atol=1e-15)


def test_float32_matches_torch_float32():
    params = {k: v.astype(np.float32) for k, v in setup().items()}
    y = np.random.default_rng(2).normal(size=(6, 3)).astype(np.float32)
    _, _, ref = torch_reference(params, y, "tanh", "mse")
    grads = two_layer_backward(two_layer_forward(**params, activation="tanh"), y)
    for name, r in ref.items():
        assert grads[name].dtype == np.float32
        np.testing.assert_allclose(grads[name], r, rtol=1e-4, atol=1e-6)


def test_forward_does_not_need_torch_tensors_but_accepts_them():
    params = setup()
    cache_np = two_layer_forward(**params)
    cache_t = two_layer_forward(**{k: torch.from_numpy(v) for k, v in params.items()})
    np.testing.assert_array_equal(cache_np["out"], cache_t["out"])
    labels = torch.tensor([0, 1, 2, 0, 1, 2])
    assert two_layer_loss(cache_t, labels, "cross_entropy") == two_layer_loss(cache_np, labels.numpy(),
                                                                              "cross_entropy")


@pytest.mark.parametrize(
    "change, exc, name",
    [
        ({"x": np.ones(4)}, ValueError, "x"),
        ({"W1": np.ones((5, 3))}, ValueError, "W1"),
        ({"b1": np.ones(4)}, ValueError, "b1"),
        ({"W2": np.ones((3, 4))}, ValueError, "W2"),
        ({"b2": np.ones(2)}, ValueError, "b2"),
        ({"W2": "w"}, TypeError, "W2"),
        ({"activation": "gelu"}, ValueError, "activation"),
    ],
)
def test_forward_bad_input(change, exc, name):
    with pytest.raises(exc, match=name):
        two_layer_forward(**(setup() | change))


@pytest.mark.parametrize(
    "y, loss, exc, name",
    [
        (np.zeros((6, 2)), "mse", ValueError, "y"),
        (np.zeros((6, 3)), "hinge", ValueError, "loss"),
        (np.zeros(6), "cross_entropy", TypeError, "y"),
        (np.zeros(5, dtype=int), "cross_entropy", ValueError, "y"),
        (np.full(6, 3), "cross_entropy", ValueError, "y"),
        ("abc", "cross_entropy", TypeError, "y"),
    ],
)
def test_backward_bad_targets(y, loss, exc, name):
    cache = two_layer_forward(**setup())
    with pytest.raises(exc, match=name):
        two_layer_backward(cache, y, loss)


def test_bad_cache():
    with pytest.raises(TypeError, match="cache"):
        two_layer_backward({"out": np.ones((1, 1))}, np.ones((1, 1)))


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


@pytest.mark.parametrize("call, exc, words", [
    (lambda: neuron_chain_rule([1.0, 2.0], [1.0], 0.0, 1.0), ValueError, "x and w"),
    (lambda: neuron_chain_rule(1.0, 1.0, None, 1.0), TypeError, "b"),
    (lambda: neuron_chain_rule(1.0, 1.0, 0.0, 1.0, activation="gelu"), ValueError, "activation"),
])
def test_neuron_chain_rule_bad_input_names_the_argument(call, exc, words):
    with pytest.raises(exc, match=words):
        call()
