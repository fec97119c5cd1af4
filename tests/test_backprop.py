"""relu_docs.backprop against torch.autograd on nn.Linear-shaped weights.

Tolerances in units of eps (``tests/tolerance.py``): ``backprop_err`` runs the forward and backward pass
of the two-layer network on running error bounds (``Err``), as torch.autograd evaluates them: matrix
products of inner size k within k |A| |B| on each side, the activation's derivative from its saved output
(``(1 - h) h`` for the sigmoid, ``1 - h**2`` for tanh: cancellation as h -> 1 is counted), the loss's
gradient from its own formula (softmax - onehot cancels as p -> 1).
"""

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from tolerance import Err, assert_close, two_formulas

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


def activation_err(z: Err, activation):
    """(h, dh/dz): the derivative as autograd computes it from the saved output h."""
    if activation == "relu":
        return z.relu(), Err((z.v > 0).astype(np.float64))  # 0 or 1, exactly (no z sits at the kink)
    if activation == "sigmoid":
        h = z.sigmoid()
        return h, (1 - h) * h
    h = z.tanh()
    return h, 1 - h * h


def backprop_err(params, y, activation, loss):
    """Bounds (Err) on the output, the loss and every gradient of the two-layer network."""
    x, W1, b1, W2, b2 = (np.asarray(params[k], np.float64) for k in ("x", "W1", "b1", "W2", "b2"))
    z1 = Err(x) @ W1.T + b1
    h, dh = activation_err(z1, activation)
    out = h @ W2.T + b2
    if loss == "mse":
        d = out - y
        value = (d * d).mean()
        delta2 = d * (Err(2.0) / d.v.size)  # torch: (out - y) * (2 / M); ours the same
    else:
        n = len(y)
        rows, onehot = np.arange(n), np.eye(out.v.shape[1])[y]
        t = out - out.max(axis=1, keepdims=True)
        e = t.exp()
        s = e.sum(axis=1, keepdims=True)
        logp = t - s.log()
        value = (-logp[rows, y]).mean()
        g = Err(-onehot / n, onehot / n)  # nll's backward: -1/N at the label, rounded
        theirs = g - logp.exp() * g.sum(axis=1, keepdims=True)  # log_softmax's backward
        ours = (e / s - onehot) / n
        delta2 = Err(theirs.v, two_formulas(ours, theirs))
    delta1 = (delta2 @ W2) * dh
    grads = {"dW2": delta2.T @ h, "db2": delta2.sum(axis=0), "dW1": delta1.T @ x, "db1": delta1.sum(axis=0),
             "dx": delta1 @ W1}
    return out, value, grads


@pytest.mark.parametrize("activation", ["relu", "sigmoid", "tanh"])
@pytest.mark.parametrize("loss", ["mse", "cross_entropy"])
def test_matches_autograd(activation, loss):
    params = setup()
    rng = np.random.default_rng(1)
    y = rng.normal(size=(6, 3)) if loss == "mse" else rng.integers(0, 3, size=6)
    out_ref, loss_ref, grads_ref = torch_reference(params, y, activation, loss)

    out_bound, loss_bound, grad_bounds = backprop_err(params, y, activation, loss)
    cache = two_layer_forward(**params, activation=activation)
    assert_close(cache["out"], out_ref, np.float64, 1, out_bound.e, "out")
    assert_close(np.asarray(two_layer_loss(cache, y, loss)), loss_ref, np.float64, 1, loss_bound.e, "loss")
    grads = two_layer_backward(cache, y, loss)
    assert set(grads) == {"dW1", "db1", "dW2", "db2", "dx"}
    for name, ref in grads_ref.items():
        assert grads[name].shape == params[name[1:]].shape
        assert_close(grads[name], ref, np.float64, 1, grad_bounds[name].e, name)


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
    _, _, bounds = backprop_err(params, y, "relu", "mse")
    for name, r in ref.items():
        assert_close(grads[name], r, np.float64, 1, bounds[name].e, name)


def test_float32_matches_torch_float32():
    params = {k: v.astype(np.float32) for k, v in setup().items()}
    y = np.random.default_rng(2).normal(size=(6, 3)).astype(np.float32)
    _, _, ref = torch_reference(params, y, "tanh", "mse")
    grads = two_layer_backward(two_layer_forward(**params, activation="tanh"), y)
    _, _, bounds = backprop_err(params, y, "tanh", "mse")  # in float32's eps: both sides compute in float32
    for name, r in ref.items():
        assert grads[name].dtype == np.float32
        assert_close(grads[name], r, np.float32, 1, bounds[name].e, name)


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
    # z = sum(w x) + b, a = phi(z), (a - y)**2; backward: 2 (a - y) phi'(z) (phi' from the saved a), then
    # times x or w
    z = (Err(np.atleast_1d(w)) * np.atleast_1d(x)).sum() + b
    a, da = activation_err(z, activation)
    dz = 2 * (a - y) * da
    assert_close(np.asarray(r["loss"]), loss.detach().numpy(), np.float64, 1, ((a - y) * (a - y)).e, "loss")
    assert_close(np.asarray(r["dL_dw"]), wt.grad.numpy(), np.float64, 1, (dz * x).e.reshape(np.shape(x)), "dL_dw")
    assert_close(np.asarray(r["dL_dx"]), xt.grad.numpy(), np.float64, 1, (dz * w).e.reshape(np.shape(w)), "dL_dx")
    assert_close(np.asarray(r["dL_db"]), bt.grad.numpy(), np.float64, 1, dz.e, "dL_db")
    assert r["dL_dz"] == r["dL_da"] * r["da_dz"]  # the same product, computed the same way


@pytest.mark.parametrize("call, exc, words", [
    (lambda: neuron_chain_rule([1.0, 2.0], [1.0], 0.0, 1.0), ValueError, "x and w"),
    (lambda: neuron_chain_rule(1.0, 1.0, None, 1.0), TypeError, "b"),
    (lambda: neuron_chain_rule(1.0, 1.0, 0.0, 1.0, activation="gelu"), ValueError, "activation"),
])
def test_neuron_chain_rule_bad_input_names_the_argument(call, exc, words):
    with pytest.raises(exc, match=words):
        call()
