"""relu_docs.dropout against torch.nn.functional.dropout.

Values are compared in units of eps (``tests/tolerance.py``): a kept element is x times the scale
1 / (1 - p), and each side rounds that scale and the product. Keep rates, means and variances are
random: they are compared in standard errors.
"""

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from tolerance import assert_close, assert_within_se
from torch import nn

# out / x against 1 / (1 - p). torch may form the scale in the dtype from p rounded to it (p, 1 - p, the
# reciprocal: three roundings), then x * scale and the test's out / x: five, 2.5 eps.
TORCH_RATIO = 2.5
# Ours: 1 / (1 - p) in float64 (negligible) rounded to the dtype, x * scale, y / x: three roundings,
# 1.5 eps. The count is tight: among 2048 elements some reach it (1.3 eps measured in float32).
OUR_RATIO = 1.5
# Two products x * scale: torch's scale within three roundings, ours within one, a rounding for each
# product: six, 3 eps.
PRODUCT = 3

from relu_docs.dropout import dropout, dropout_variance_shift


@pytest.mark.parametrize("p", [0.1, 0.5, 0.8])
@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
def test_same_mask_gives_torchs_output(p, dtype):
    torch.manual_seed(0)
    x = torch.rand(64, 32, dtype=dtype) + 0.5  # no zeros, so torch's mask is readable from its output
    out = F.dropout(x, p=p, training=True)
    torch_mask = (out != 0).numpy()
    # torch scales the kept elements by 1 / (1 - p)
    np_dtype = x.numpy().dtype
    scale = np.full(int(torch_mask.sum()), 1 / (1 - p))
    assert_close((out / x).numpy()[torch_mask], scale, np_dtype, TORCH_RATIO, what="torch's out / x")

    y, mask = dropout(x.numpy(), p=p, rng=0, return_mask=True)
    assert y.dtype == x.numpy().dtype and mask.dtype == bool
    np.testing.assert_array_equal(y[~mask], 0)
    assert_close(y[mask] / x.numpy()[mask], np.full(int(mask.sum()), 1 / (1 - p)), np_dtype, OUR_RATIO,
                 what="our y / x")
    # on the positions both kept, the values agree with torch's
    both = mask & torch_mask
    assert_close(y[both], out.numpy()[both], np_dtype, PRODUCT, what="kept by both")
    # and given torch's mask, our formula m * x / (1 - p) reproduces torch's output
    ours_with_torch_mask = np.where(torch_mask, x.numpy() * x.numpy().dtype.type(1 / (1 - p)), 0)
    assert_close(ours_with_torch_mask, out.numpy(), np_dtype, PRODUCT, what="our formula on torch's mask")


@pytest.mark.parametrize("p", [0.2, 0.5, 0.9])
def test_expectation_and_keep_rate_statistically(p):
    n = 1_000_000
    x = np.full(n, 3.0)
    y, mask = dropout(x, p=p, rng=42, return_mask=True)
    keep_se = np.sqrt(p * (1 - p) / n)  # a binomial proportion's standard error
    assert_within_se(mask.mean(), 1 - p, keep_se, 5, "keep rate")
    mean_se = 3.0 * np.sqrt(p / ((1 - p) * n))  # std of one y is 3 * sqrt(p / (1 - p))
    assert_within_se(y.mean(), 3.0, mean_se, 5, "mean of y")
    # torch's keep rate agrees with ours: two independent proportions, their difference's se is sqrt(2) keep_se
    torch.manual_seed(0)
    kept_torch = (F.dropout(torch.ones(n, dtype=torch.float64), p=p) != 0).double().mean().item()
    assert_within_se(kept_torch, mask.mean(), np.sqrt(2) * keep_se, 5, "torch's keep rate vs ours")


def test_eval_and_p_zero_are_identity_like_torch():
    x = np.random.default_rng(0).normal(size=(5, 4))
    for kwargs in ({"training": False}, {"p": 0.0}):
        y, mask = dropout(x, return_mask=True, **kwargs)
        np.testing.assert_array_equal(y, x)
        assert y is not x and mask.all()
    np.testing.assert_array_equal(F.dropout(torch.from_numpy(x), p=0.5, training=False).numpy(), x)


def test_rng_reproducible_and_input_untouched():
    x = np.arange(1.0, 11.0)
    a, b = dropout(x, rng=7), dropout(x, rng=7)
    np.testing.assert_array_equal(a, b)
    np.testing.assert_array_equal(x, np.arange(1.0, 11.0))
    g = np.random.default_rng(0)
    assert not np.array_equal(dropout(np.ones(50), rng=g), dropout(np.ones(50), rng=g))


def test_integer_input_becomes_float64():
    assert dropout([1, 2, 3], p=0.5, rng=0).dtype == np.float64


@pytest.mark.parametrize("p", [-0.1, 1.0, 1.5])
def test_p_outside_range(p):
    with pytest.raises(ValueError, match="p must be in"):
        dropout(np.ones(3), p=p)


@pytest.mark.parametrize(
    "kwargs, exc, name",
    [({"p": "0.5"}, TypeError, "p"), ({"x": "abc"}, TypeError, "x"), ({"training": 1}, TypeError, "training"),
     ({"rng": "seed"}, TypeError, "rng")],
)
def test_bad_input_names_argument(kwargs, exc, name):
    args = {"x": np.ones(3)} | kwargs
    with pytest.raises(exc, match=name):
        dropout(**args)


@pytest.mark.parametrize("p, mean, var", [(0.5, 0.0, 1.0), (0.1, 1.0, 1.0), (0.3, -2.0, 0.5)])
def test_dropout_variance_shift_matches_nn_dropout(p, mean, var):
    torch.manual_seed(0)
    x = mean + var**0.5 * torch.randn(2_000_000, dtype=torch.float64)
    drop = nn.Dropout(p)
    var_train_expected, var_eval_expected = dropout_variance_shift(p, mean, var)
    drop.train()
    y_train = drop(x).numpy()
    drop.eval()
    y_eval = drop(x).numpy()
    # the standard error of a sample variance of n draws is sqrt((m4 - s**4) / n), m4 the fourth central
    # moment (estimated from the sample itself)
    for y, expected, what in ((y_train, var_train_expected, "training"), (y_eval, var_eval_expected, "evaluation")):
        d = y - y.mean()
        s2, m4 = (d**2).mean(), (d**4).mean()
        assert_within_se(y.var(ddof=1), expected, np.sqrt((m4 - s2**2) / y.size), 5, f"variance in {what} mode")


@pytest.mark.parametrize("call, exc, words", [
    (lambda: dropout_variance_shift(1.0, 0.0, 1.0), ValueError, "p"),
    (lambda: dropout_variance_shift(0.5, 0.0, -1.0), ValueError, "var"),
])
def test_dropout_variance_shift_bad_input_names_the_argument(call, exc, words):
    with pytest.raises(exc, match=words):
        call()
