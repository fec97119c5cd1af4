"""relu_docs.residual against torch.autograd: forward, backward, the identity path, bad input.

Values and gradients are compared in units of eps (``tests/tolerance.py``) with running error bounds
(``Err``) of the forward and backward pass; how gradient norms shrink or keep through a random stack is
a statistical question, compared in standard errors.
"""

import math

import numpy as np
import pytest
import torch
from tolerance import Err, assert_close, assert_within_se, eps

from relu_docs.init import he_normal, torch_default_linear
from relu_docs.residual import layer_gradient_norms, residual_mlp_backward, residual_mlp_forward


def make(depth=6, width=5, batch=4, seed=0, scale=1.0):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((batch, width))
    weights = [scale * he_normal((width, width), rng) for _ in range(depth)]
    biases = [0.1 * rng.standard_normal(width) for _ in range(depth)]
    grad_out = rng.standard_normal((batch, width))
    return x, weights, biases, grad_out


def torch_run(x, weights, biases, grad_out, skip):
    """The same stack in PyTorch (float64); returns output, dL/dx, dW, db and dL/dh_k for k = 1..L."""
    xt = torch.tensor(x, requires_grad=True)
    Ws = [torch.tensor(w, requires_grad=True) for w in weights]
    bs = [torch.tensor(b, requires_grad=True) for b in biases]
    h, hs = xt, []
    for W, b in zip(Ws, bs):
        f = torch.relu(torch.nn.functional.linear(h, W, b))
        h = h + f if skip else f
        h.retain_grad()
        hs.append(h)
    (h * torch.tensor(grad_out)).sum().backward()
    return (h.detach().numpy(), xt.grad.numpy(), [W.grad.numpy() for W in Ws],
            [b.grad.numpy() for b in bs], [t.grad.norm().item() for t in hs])


def stack_err(x, weights, biases, grad_out, skip):
    """Bounds (Err) on the output, dx, dW, db and the norms of dL/dh_k, as both sides evaluate them."""
    h, hs, zs = Err(x), [], []
    for w, b in zip(weights, biases):
        hs.append(h)
        z = h @ w.T + b
        zs.append(z)
        h = h + z.relu() if skip else z.relu()
    out = h
    g, dW, db, dh = Err(grad_out), [], [], [Err(grad_out)]
    for w, z, h_prev in zip(weights[::-1], zs[::-1], hs[::-1]):
        # the gates 1[z > 0] agree on both sides only if no z lies within its bound of 0
        assert np.all(np.abs(z.v) > z.e * eps(np.float64)), "a pre-activation too close to 0 to share its gate"
        delta = g * (z.v > 0)
        dW.insert(0, delta.T @ h_prev)
        db.insert(0, delta.sum(axis=0))
        g = g + delta @ w if skip else delta @ w
        dh.insert(0, g)
    norms = [(d * d).sum().sqrt() for d in dh[1:]]
    return out, g, dW, db, norms


@pytest.mark.parametrize("skip", [True, False])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_forward_and_backward_match_autograd(skip, seed):
    x, weights, biases, grad_out = make(seed=seed)
    out, dx, dW, db, norms = torch_run(x, weights, biases, grad_out, skip)
    cache = residual_mlp_forward(x, weights, biases, skip=skip)
    grads = residual_mlp_backward(cache, grad_out)
    b_out, b_dx, b_dW, b_db, b_norms = stack_err(x, weights, biases, grad_out, skip)
    assert_close(cache["out"], out, np.float64, 1, b_out.e, "out")
    assert_close(grads["dx"], dx, np.float64, 1, b_dx.e, "dx")
    for mine, theirs, bound in zip(grads["dW"] + grads["db"], dW + db, b_dW + b_db):
        assert mine.shape == theirs.shape
        assert_close(mine, theirs, np.float64, 1, bound.e, "dW, db")
    assert_close(layer_gradient_norms(x, weights, grad_out, biases, skip=skip), norms, np.float64, 1,
                 np.array([n.e for n in b_norms]), "norms of dL/dh_k")


def test_block_jacobian_is_identity_plus_branch_jacobian():
    # one residual block y = x + ReLU(W x + b) for a single sample: dy/dx = I + diag(1[z > 0]) W
    rng = np.random.default_rng(3)
    x, W, b = rng.standard_normal(4), rng.standard_normal((4, 4)), rng.standard_normal(4)
    jac = torch.autograd.functional.jacobian(
        lambda v: v + torch.relu(torch.tensor(W) @ v + torch.tensor(b)), torch.tensor(x))
    z = W @ x + b
    # delta_ij + 1[z_i > 0] W_ij: one addition, one rounding on each side (none where an addend is 0)
    expected = np.eye(4) + (z > 0)[:, None] * W
    assert_close(jac.numpy(), expected, np.float64, 1, what="autograd's Jacobian")
    # the same Jacobian, row by row, from residual_mlp_backward (one-hot output gradients): e_i + (e_i 1[z > 0]) W,
    # a product with one nonzero term (exact), then the same addition
    cache = residual_mlp_forward(x[None, :], [W], [b])
    rows = [residual_mlp_backward(cache, np.eye(4)[i][None, :])["dx"][0] for i in range(4)]
    assert_close(np.array(rows), jac.numpy(), np.float64, 1, what="rows from residual_mlp_backward")


def test_identity_path_keeps_the_gradient_with_small_weights():
    # PyTorch's default Linear init (variance 1/(3n)): plain gradients shrink by ~sqrt(6) per block
    rng = np.random.default_rng(0)
    x, g = rng.standard_normal((64, 32)), rng.standard_normal((64, 32))
    W = [torch_default_linear((32, 32), rng) for _ in range(30)]
    plain = layer_gradient_norms(x, W, g, skip=False)
    residual = layer_gradient_norms(x, W, g, skip=True)
    per_block = (plain[0] / plain[-1]) ** (1 / 29)
    # each block draws fresh weights, so the 29 per-block log-ratios of the norms are close to independent:
    # the standard error of their mean is their spread over sqrt(29)
    log_ratios = np.diff(np.log(plain))
    se = log_ratios.std(ddof=1) / math.sqrt(log_ratios.size)
    assert_within_se(math.log(per_block), math.log(1 / math.sqrt(6)), se, 5, "log of the per-block factor")
    assert residual[0] / residual[-1] > 1  # g_{k-1} = g_k + delta_k W_k: the identity path is never cut off


def test_he_init_plain_stack_keeps_the_gradient_size():
    x, weights, _, grad_out = make(depth=20, width=256, batch=64, seed=4)
    norms = layer_gradient_norms(x, weights, grad_out, skip=False)
    # He's n Var[w] / 2 = 1: the log of the norm's change through the stack is a sum of 19 nearly
    # independent per-layer log-ratios of mean 0; its standard error is their spread times sqrt(19)
    log_ratios = np.diff(np.log(norms))
    se = log_ratios.std(ddof=1) * math.sqrt(log_ratios.size)
    assert_within_se(math.log(norms[0] / norms[-1]), 0.0, se, 5, "log of the norm's change")


def test_zero_weights_make_a_residual_stack_the_identity():
    x, weights, _, grad_out = make()
    zeros = [np.zeros_like(w) for w in weights]
    cache = residual_mlp_forward(x, zeros)
    np.testing.assert_array_equal(cache["out"], x)
    np.testing.assert_array_equal(residual_mlp_backward(cache, grad_out)["dx"], grad_out)


def test_float32_stays_float32():
    x, weights, biases, grad_out = make()
    cache = residual_mlp_forward(x.astype(np.float32), [w.astype(np.float32) for w in weights],
                                 [b.astype(np.float32) for b in biases])
    assert cache["out"].dtype == np.float32
    assert residual_mlp_backward(cache, grad_out.astype(np.float32))["dx"].dtype == np.float32


@pytest.mark.parametrize(
    "call, exc, name",
    [
        (lambda: residual_mlp_forward(np.ones(3), [np.eye(3)]), ValueError, "x must be a 2-D"),
        (lambda: residual_mlp_forward("x", [np.eye(3)]), TypeError, "x must"),
        (lambda: residual_mlp_forward(np.ones((2, 3)), np.eye(3)), TypeError, "weights"),
        (lambda: residual_mlp_forward(np.ones((2, 3)), []), ValueError, "weights"),
        (lambda: residual_mlp_forward(np.ones((2, 3)), [np.eye(3), np.eye(2)]), ValueError, r"weights\[1\]"),
        (lambda: residual_mlp_forward(np.ones((2, 3)), [np.eye(3)], [np.ones(2)]), ValueError, r"biases\[0\]"),
        (lambda: residual_mlp_forward(np.ones((2, 3)), [np.eye(3)], []), ValueError, "biases"),
        (lambda: residual_mlp_forward(np.ones((2, 3)), [np.eye(3)], np.ones(3)), TypeError, "biases"),
        (lambda: residual_mlp_forward(np.ones((2, 3)), [np.eye(3)], skip=1), TypeError, "skip"),
        (lambda: residual_mlp_backward({}, np.ones((2, 3))), TypeError, "cache"),
        (lambda: residual_mlp_backward(residual_mlp_forward(np.ones((2, 3)), [np.eye(3)]), np.ones((3, 3))),
         ValueError, "grad_out"),
    ],
)
def test_bad_input_names_the_argument(call, exc, name):
    with pytest.raises(exc, match=name):
        call()
