"""relu_docs.normalization.layer_norm and rms_norm against torch.nn.functional and torch.nn.LayerNorm.

Tolerances in units of eps (``tests/tolerance.py``), from running error bounds (``Err``) of both
formulas: ours ``(x - mean) / sqrt(var + eps)``, PyTorch's ``x * rstd - rstd * mean`` (its CPU kernel),
which cancels when the mean is large against the spread; the statistics' rounding (two passes for ours,
Welford's updates for PyTorch, both within the two-pass bound used here) enters through x - mean.
"""

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from tolerance import Err, assert_close, eps, two_formulas
from torch import nn

from relu_docs.normalization import batch_norm, layer_norm, rms_norm


def ln_err(x, ndim, weight=None, bias=None, eps=1e-5):
    """Bounds on layer normalisation over the last ``ndim`` axes: {"ours": Err, "bound": both formulas}."""
    x = Err.lift(x)
    axes = tuple(range(x.v.ndim - ndim, x.v.ndim))
    mean = x.mean(axis=axes, keepdims=True)
    d = x - mean
    var = (d * d).mean(axis=axes, keepdims=True)
    root = (var + eps).sqrt()
    rstd = 1 / root
    ours, theirs = d / root, x * rstd - rstd * mean
    if weight is not None:
        ours, theirs = ours * weight, theirs * weight
    if bias is not None:
        ours, theirs = ours + bias, theirs + bias
    return {"ours": ours, "bound": two_formulas(ours, theirs)}


def rms_err(x, ndim, weight=None, eps=None):
    """Bound on RMS normalisation: ours ``x / sqrt(mean(x**2) + eps)``, PyTorch's ``x * rsqrt(...)``."""
    axes = tuple(range(x.ndim - ndim, x.ndim))
    root = ((Err(x) * x).mean(axis=axes, keepdims=True) + eps).sqrt()
    ours, theirs = x / root, x * (1 / root)
    if weight is not None:
        ours, theirs = ours * weight, theirs * weight
    return two_formulas(ours, theirs)


def rand(shape, dtype, seed=0, loc=0.0, scale=1.0):
    return (np.random.default_rng(seed).normal(loc, scale, size=shape)).astype(dtype)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("shape, normalized_shape", [
    ((4, 6), 6),
    ((4, 6), (6,)),
    ((2, 5, 8), [8]),            # transformer-like (N, L, D): per token
    ((2, 3, 4, 5), (3, 4, 5)),   # an image sample as a whole
    ((7,), 7),                   # a single sample, no batch axis
])
@pytest.mark.parametrize("affine", [False, True])
def test_matches_functional_layer_norm(dtype, shape, normalized_shape, affine):
    x = rand(shape, dtype, loc=3.0, scale=2.0)
    ns = (normalized_shape,) if isinstance(normalized_shape, int) else tuple(normalized_shape)
    w = rand(ns, dtype, seed=1) if affine else None
    b = rand(ns, dtype, seed=2) if affine else None
    ref = F.layer_norm(torch.from_numpy(x), list(ns),
                       None if w is None else torch.from_numpy(w),
                       None if b is None else torch.from_numpy(b))
    y = layer_norm(x, normalized_shape, w, b)
    assert y.dtype == dtype and y.shape == shape
    bound = ln_err(x.astype(np.float64), len(ns), w, b)["bound"]  # in the eps of the dtype both compute in
    assert_close(y, ref.numpy(), dtype, 1, bound, "layer_norm")


@pytest.mark.parametrize("eps", [1e-12, 1e-5, 0.1, 10.0])
def test_eps_matches_torch(eps):
    x = rand((3, 4), np.float64, seed=3, scale=0.01)  # small variance: eps matters
    ref = F.layer_norm(torch.from_numpy(x), [4], eps=eps)
    assert_close(layer_norm(x, 4, eps=eps), ref.numpy(), np.float64, 1, ln_err(x, 1, eps=eps)["bound"], "layer_norm")


def test_default_eps_is_torchs():
    x = rand((3, 4), np.float64, seed=4, scale=0.003)   # variance ~1e-5: eps = 1e-5 changes the output a lot
    ref = F.layer_norm(torch.from_numpy(x), [4])
    assert_close(layer_norm(x, 4), ref.numpy(), np.float64, 1, ln_err(x, 1)["bound"], "layer_norm")
    # not a tolerance: eps = 1e-5 against 1e-8 changes the output by far more than 1 %
    assert not np.allclose(layer_norm(x, 4), layer_norm(x, 4, eps=1e-8), rtol=1e-2)


def test_module_with_learned_parameters_train_and_eval_identical():
    torch.manual_seed(0)
    ln = nn.LayerNorm(5).double()
    with torch.no_grad():
        ln.weight.normal_()
        ln.bias.normal_()
    x = torch.randn(4, 5, dtype=torch.float64) * 3 + 1
    y_train = ln.train()(x).detach().numpy()
    y_eval = ln.eval()(x).detach().numpy()
    np.testing.assert_array_equal(y_train, y_eval)
    w, b = ln.weight.detach().numpy(), ln.bias.detach().numpy()
    ours = layer_norm(x.numpy(), 5, w, b, eps=ln.eps)
    assert_close(ours, y_train, np.float64, 1, ln_err(x.numpy(), 1, w, b)["bound"], "nn.LayerNorm")


def test_constant_sample_gives_beta():
    beta = np.array([0.5, -1.0, 2.0])
    y = layer_norm(np.full((2, 3), 7.0), 3, weight=np.array([3.0, 3.0, 3.0]), bias=beta)
    np.testing.assert_array_equal(y, np.stack([beta, beta]))
    ref = F.layer_norm(torch.full((2, 3), 7.0, dtype=torch.float64), [3], torch.full((3,), 3.0, dtype=torch.float64),
                       torch.from_numpy(beta))
    np.testing.assert_array_equal(ref.numpy(), y)


def test_eps_zero_on_constant_sample_is_nan_like_torch():
    ref = F.layer_norm(torch.ones(1, 4, dtype=torch.float64), [4], eps=0.0)
    assert torch.isnan(ref).all()
    assert np.isnan(layer_norm(np.ones((1, 4)), 4, eps=0.0)).all()


def test_sample_output_independent_of_batch_unlike_batch_norm():
    x = rand((8, 6), np.float64, seed=5, loc=2.0, scale=3.0)
    alone = layer_norm(x[:1], 6)
    in_batch = layer_norm(x, 6)[:1]
    np.testing.assert_array_equal(alone, in_batch)
    # batch normalisation of the same sample changes with its batch-mates
    bn_a = batch_norm(x[:4])[0][0]
    bn_b = batch_norm(np.concatenate([x[:1], x[4:]]))[0][0]
    assert not np.allclose(bn_a, bn_b)


def test_invariant_to_shifting_and_scaling_a_sample():
    x = rand((3, 10), np.float64, seed=6)
    # equal in real arithmetic: 5 x + 2 rounds twice, then each side normalises its input
    shifted = ln_err(Err(x[:1]) * 5.0 + 2.0, 1, eps=0.0)["ours"]
    plain = ln_err(x[:1], 1, eps=0.0)["ours"]
    assert_close(layer_norm(5.0 * x[:1] + 2.0, 10, eps=0.0), layer_norm(x[:1], 10, eps=0.0), np.float64, 1,
                 two_formulas(shifted, plain), "shifted and scaled")


def test_output_of_each_sample_has_mean_0_and_biased_variance_close_to_1():
    x = rand((5, 64), np.float64, seed=7, loc=4.0, scale=2.0)
    y = layer_norm(x, 64)
    ours = ln_err(x, 1)["ours"]
    # 0 in real arithmetic: our y's bound, summed, on one side
    assert_close(y.mean(axis=1), np.zeros(5), np.float64, 1, ours.mean(axis=1).e / 2, "mean")
    # sigma**2 / (sigma**2 + eps) in real arithmetic (eps / (sigma**2 + eps) below 1). A sum of squared
    # deviations does not feel an error in the mean to first order (the deviations sum to 0), so each
    # deviation carries only its own rounding; y = (x - mean) / r has two roundings per element and r's
    # relative error on every element, twice that on var(y)
    def variance(v, rounded):
        d = v - v.mean(axis=1, keepdims=True)
        d = Err(d, np.abs(d) + rounded)
        return (d * d).mean(axis=1)

    var_x = variance(x, 0.0)
    root = (var_x + 1e-5).sqrt()
    var_y = variance(y, 2 * np.abs(y))
    var_y = Err(var_y.v, var_y.e + 2 * var_y.v * root.e / root.v)
    assert_close(y.var(axis=1), x.var(axis=1) / (x.var(axis=1) + 1e-5), np.float64, 1,
                 two_formulas(var_y, var_x / (var_x + 1e-5)), "variance")


def test_float16_computed_in_float32_like_torch():
    x = rand((3, 8), np.float16, seed=8, loc=1.0, scale=2.0)
    y = layer_norm(x, 8)
    assert y.dtype == np.float16
    ref = F.layer_norm(torch.from_numpy(x), [8])
    # both compute in float32 (the bound in float32's eps), then round once to float16 (|y| in float16's)
    in_float32 = ln_err(x.astype(np.float64), 1)["bound"] * eps(np.float32) / eps(np.float16)
    assert_close(y, ref.numpy(), np.float16, 1, in_float32 + np.abs(ref.numpy().astype(np.float64)), "float16")


def test_integer_input_gives_float64():
    assert layer_norm([[1, 2, 3]], 3).dtype == np.float64


@pytest.mark.parametrize("kwargs, exc, name", [
    ({"x": "abc"}, TypeError, "x"),
    ({"x": np.ones((2, 4))}, ValueError, "x must end with normalized_shape"),
    ({"normalized_shape": 0}, ValueError, "normalized_shape"),
    ({"normalized_shape": ()}, ValueError, "normalized_shape"),
    ({"normalized_shape": 2.5}, TypeError, "normalized_shape"),
    ({"normalized_shape": (3, 1.0)}, ValueError, "normalized_shape"),
    ({"normalized_shape": True}, TypeError, "normalized_shape"),
    ({"normalized_shape": (3, 3)}, ValueError, "x must end with"),
    ({"weight": np.ones(4)}, ValueError, "weight"),
    ({"bias": [[0.0, 0.0, 0.0]]}, ValueError, "bias"),
    ({"weight": "w"}, TypeError, "weight"),
    ({"eps": -1e-5}, ValueError, "eps"),
    ({"eps": None}, TypeError, "eps"),
])
def test_bad_input_names_the_argument(kwargs, exc, name):
    args = {"x": np.ones((2, 3)), "normalized_shape": 3} | kwargs
    with pytest.raises(exc, match=name):
        layer_norm(**args)


# ------------------------------------------------------------ RMS normalisation


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("eps", [None, 1e-6])
@pytest.mark.parametrize("affine", [False, True])
def test_rms_norm_matches_torch(dtype, eps, affine):
    x = rand((2, 5, 8), dtype, seed=9, loc=0.5)
    w = rand((8,), dtype, seed=10) if affine else None
    ref = F.rms_norm(torch.from_numpy(x), [8], None if w is None else torch.from_numpy(w), eps=eps)
    y = rms_norm(x, 8, w, eps=eps)
    assert y.dtype == dtype
    bound = rms_err(x.astype(np.float64), 1, w, float(np.finfo(dtype).eps) if eps is None else eps)
    assert_close(y, ref.numpy(), dtype, 1, bound, "rms_norm")


def test_rms_norm_default_eps_matters_only_near_zero():
    tiny = np.full((1, 4), 1e-5)  # mean square 1e-10: eps = 2.2e-16 (float64) barely matters
    ref = F.rms_norm(torch.from_numpy(tiny), [4])
    assert_close(rms_norm(tiny, 4), ref.numpy(), np.float64, 1, rms_err(tiny, 1, eps=eps(np.float64)), "rms_norm")


@pytest.mark.parametrize("kwargs, exc, name", [
    ({"x": None}, TypeError, "x"),
    ({"normalized_shape": 4}, ValueError, "x must end with"),
    ({"weight": np.ones(2)}, ValueError, "weight"),
    ({"eps": -1.0}, ValueError, "eps"),
])
def test_rms_norm_bad_input_names_the_argument(kwargs, exc, name):
    args = {"x": np.ones((2, 3)), "normalized_shape": 3} | kwargs
    with pytest.raises(exc, match=name):
        rms_norm(**args)
