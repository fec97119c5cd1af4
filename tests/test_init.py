"""relu_docs.init against torch.nn.init and nn.Linear's default initialisation.

Two kinds of comparison:

* **Formulas** (gains, standard deviations, bounds) in units of eps (``tests/tolerance.py``): each is a
  handful of correctly rounded operations (``math.sqrt`` included) on each side, counted where it is made.
* **Draws** (means, standard deviations, kurtosis, Monte Carlo moments) in standard errors: their spread
  is sampling, not rounding. The standard error of a sample standard deviation of n draws is
  ``sigma sqrt((kurtosis - 1) / 4n)``, of a sample variance ``sigma**2 sqrt((kurtosis - 1) / n)``.
"""

import math

import numpy as np
import pytest
import torch
from tolerance import assert_close, assert_within_se, eps
from torch import nn

from relu_docs import init as ri

NORMAL_KURTOSIS, UNIFORM_KURTOSIS = 3.0, 9 / 5


def std_se(sigma, n, kurtosis):
    """Standard error of the sample standard deviation of n independent draws."""
    return sigma * math.sqrt((kurtosis - 1) / (4 * n))


def close(ours, theirs, ulps, what):
    """Two Python floats within ``ulps`` eps of ``theirs``."""
    assert_close(np.asarray(float(ours)), float(theirs), np.float64, ulps, what=what)


# ---------------------------------------------------------------- exact parameters
@pytest.fixture
def captured(monkeypatch):
    """Record the arguments torch passes to Tensor.normal_ / Tensor.uniform_."""
    calls = []
    real_normal, real_uniform = torch.Tensor.normal_, torch.Tensor.uniform_

    def normal_(self, mean=0.0, std=1.0, *args, **kwargs):
        calls.append(("normal", mean, std))
        return real_normal(self, mean, std, *args, **kwargs)

    def uniform_(self, a=0.0, b=1.0, *args, **kwargs):
        calls.append(("uniform", a, b))
        return real_uniform(self, a, b, *args, **kwargs)

    monkeypatch.setattr(torch.Tensor, "normal_", normal_)
    monkeypatch.setattr(torch.Tensor, "uniform_", uniform_)
    return calls


@pytest.mark.parametrize(
    "name, param",
    [("linear", None), ("conv2d", None), ("sigmoid", None), ("tanh", None), ("relu", None),
     ("leaky_relu", None), ("leaky_relu", 0.2), ("leaky_relu", 0), ("selu", None)],
)
def test_calculate_gain_matches_torch(name, param):
    # sqrt(2 / (1 + slope**2)) at most: a square, a sum, a quotient and a square root on each side
    close(ri.calculate_gain(name, param), nn.init.calculate_gain(name, param), 4, name)


@pytest.mark.parametrize("shape", [(256, 784), (10, 3), (64, 3, 3, 3), (8, 4, 5)])
def test_fans_match_torch(shape):
    assert ri.fans(shape) == nn.init._calculate_fan_in_and_fan_out(torch.empty(shape))


@pytest.mark.parametrize("shape", [(256, 784), (10, 3), (64, 3, 3, 3)])
def test_he_normal_std_is_torch_kaiming_normal_std(captured, shape):
    nn.init.kaiming_normal_(torch.empty(shape), mode="fan_in", nonlinearity="relu")
    (kind, mean, std), = captured
    fan_in, _ = ri.fans(shape)
    assert kind == "normal" and mean == 0
    # gain / sqrt(fan_in) on both sides, gain = sqrt(2): three roundings each
    close(ri.he_std(fan_in), std, 3, "he_std")
    # against sqrt(2 / fan_in): three roundings and two, 2.5 eps
    close(ri.he_std(fan_in), math.sqrt(2 / fan_in), 2.5, "sqrt(2 / fan_in)")


def test_he_std_with_leaky_gain_is_torch(captured):
    nn.init.kaiming_normal_(torch.empty(32, 50), a=0.2, nonlinearity="leaky_relu")
    (_, _, std), = captured
    # the gain's four roundings, then gain / sqrt(50): six on each side
    close(ri.he_std(50, gain=ri.calculate_gain("leaky_relu", 0.2)), std, 6, "he_std with a leaky gain")


@pytest.mark.parametrize("shape", [(256, 784), (64, 3, 3, 3)])
def test_he_uniform_bound_is_torch_kaiming_uniform_bound(captured, shape):
    nn.init.kaiming_uniform_(torch.empty(shape), nonlinearity="relu")
    (kind, low, high), = captured
    fan_in, _ = ri.fans(shape)
    assert kind == "uniform" and low == -high
    # sqrt(3) * gain / sqrt(fan_in) on both sides: five roundings each
    close(ri.he_uniform_bound(fan_in), high, 5, "he_uniform_bound")
    # against sqrt(6 / fan_in): five roundings and two, 3.5 eps
    close(ri.he_uniform_bound(fan_in), math.sqrt(6 / fan_in), 3.5, "sqrt(6 / fan_in)")


@pytest.mark.parametrize("shape", [(256, 784), (64, 3, 3, 3)])
def test_xavier_match_torch(captured, shape):
    nn.init.xavier_normal_(torch.empty(shape))
    nn.init.xavier_uniform_(torch.empty(shape), gain=2.0)
    (_, _, std), (_, low, high) = captured
    fan_in, fan_out = ri.fans(shape)
    # gain * sqrt(2 / (fan_in + fan_out)) on both sides: three roundings
    close(ri.xavier_std(fan_in, fan_out), std, 3, "xavier_std")
    # ours gain * sqrt(6 / n) (three), torch's sqrt(3) * gain * sqrt(2 / n) (five): 4 eps
    close(ri.xavier_uniform_bound(fan_in, fan_out, gain=2.0), high, 4, "xavier_uniform_bound")
    assert low == -high


def test_xavier_is_not_lecun():
    # the seed page's "Xavier: N(0, 1/n_in)" is LeCun's rule; they differ unless fan_in == fan_out
    # sqrt(2 fan_in / (fan_in + fan_out)) = 1.23 times apart: a difference of formula, not of rounding
    assert ri.xavier_std(784, 256) > 1.2 * ri.lecun_std(784)
    # 2 / 600 and 1 / 300 are the same real number, each rounded once to the same double: exactly equal
    assert ri.xavier_std(300, 300) == ri.lecun_std(300)


@pytest.mark.parametrize("fan_in, fan_out", [(784, 256), (3, 10), (1, 1)])
def test_torch_default_linear_bound_is_nn_linear(captured, fan_in, fan_out):
    nn.Linear(fan_in, fan_out)
    (_, wlow, whigh), (_, blow, bhigh) = captured  # weight, then bias
    bound = ri.torch_default_linear_bound(fan_in)
    # weight: torch's sqrt(3) * sqrt(2 / (1 + sqrt(5)**2)) / sqrt(fan_in), nine roundings, against our
    # 1 / sqrt(fan_in), two: 5.5 eps
    close(bound, whigh, 5.5, "weight bound")
    assert wlow == -whigh
    # bias: 1 / math.sqrt(fan_in) on both sides, two roundings
    close(bound, bhigh, 2, "bias bound")
    assert blow == -bhigh


# ---------------------------------------------------------------- empirical statistics
SHAPE = (1000, 800)  # 800k samples: relative standard error of a std ~ 0.08 %


def torch_std(fill):
    torch.manual_seed(0)
    return fill(torch.empty(SHAPE, dtype=torch.float64)).std().item()


@pytest.mark.parametrize(
    "ours, theirs",
    [
        (ri.he_normal, lambda t: nn.init.kaiming_normal_(t, nonlinearity="relu")),
        (ri.he_uniform, lambda t: nn.init.kaiming_uniform_(t, nonlinearity="relu")),
        (ri.xavier_normal, nn.init.xavier_normal_),
        (ri.xavier_uniform, nn.init.xavier_uniform_),
        (ri.lecun_normal, lambda t: nn.init.kaiming_normal_(t, nonlinearity="linear")),
        (ri.lecun_uniform, lambda t: nn.init.kaiming_uniform_(t, nonlinearity="linear")),
        (ri.torch_default_linear, lambda t: nn.init.kaiming_uniform_(t, a=math.sqrt(5))),
    ],
)
def test_empirical_std_matches_torch(ours, theirs):
    w = ours(SHAPE, rng=0)
    assert w.shape == SHAPE and w.dtype == np.float64
    assert_within_se(w.mean(), 0.0, w.std() / math.sqrt(w.size), 5, "mean")
    kurtosis = NORMAL_KURTOSIS if ours.__name__.endswith("normal") else UNIFORM_KURTOSIS
    # two independent samples: the difference of their stds has sqrt(2) times one's standard error
    se = math.sqrt(2) * std_se(w.std(), w.size, kurtosis)
    assert_within_se(w.std(), torch_std(theirs), se, 5, "std against torch's")


def test_nn_linear_default_empirical():
    torch.manual_seed(0)
    layer = nn.Linear(800, 1000)
    w = ri.torch_default_linear((1000, 800), rng=1)
    se = math.sqrt(2) * std_se(w.std(), w.size, UNIFORM_KURTOSIS)
    assert_within_se(w.std(), layer.weight.std().item(), se, 5, "std against nn.Linear's")
    bound = ri.torch_default_linear_bound(800)
    assert np.abs(w).max() <= bound
    # float32 weights: torch draws between the bounds rounded to float32, up to half an ulp above them
    assert layer.weight.abs().max().item() <= bound * (1 + eps(np.float32) / 2)
    # the largest |w| of n uniform draws falls short of the bound by more than k bound / n with
    # probability (1 - k/n)**n < e**-k: k = 20, 2e-9
    assert bound - np.abs(w).max() <= 20 * bound / w.size


@pytest.mark.parametrize("kind", sorted(ri.INIT_KINDS))
def test_init_weights_dispatch(kind):
    for dist in ri.INIT_KINDS[kind]:
        a = ri.init_weights(kind, (20, 30), rng=3, distribution=dist)
        b = ri._DRAWS[kind, dist]((20, 30), rng=3)
        np.testing.assert_array_equal(a, b)


def test_rng_generator_is_used_and_advances():
    g = np.random.default_rng(0)
    a, b = ri.he_normal((4, 4), g), ri.he_normal((4, 4), g)
    assert not np.array_equal(a, b)
    np.testing.assert_array_equal(a, ri.he_normal((4, 4), 0))


# ---------------------------------------------------------------- bad input
@pytest.mark.parametrize("func", [ri.he_std, ri.lecun_std, ri.torch_default_linear_bound, ri.he_uniform_bound])
@pytest.mark.parametrize("bad, exc", [(0, ValueError), (-3, ValueError), (2.5, TypeError), ("8", TypeError),
                                      (None, TypeError), (True, TypeError)])
def test_bad_fan_in(func, bad, exc):
    with pytest.raises(exc, match="fan_in"):
        func(bad)


def test_bad_fan_out():
    with pytest.raises(ValueError, match="fan_out"):
        ri.xavier_std(3, 0)


@pytest.mark.parametrize("bad, exc", [((3,), ValueError), (5, TypeError), ((3, 0), ValueError),
                                      ((3, 2.0), TypeError), ("ab", TypeError)])
def test_bad_shape(bad, exc):
    with pytest.raises(exc, match="shape"):
        ri.he_normal(bad, rng=0)


def test_bad_rng_gain_kind():
    with pytest.raises(TypeError, match="rng"):
        ri.he_normal((2, 2), rng="seed")
    with pytest.raises(ValueError, match="gain"):
        ri.he_std(4, gain=0)
    with pytest.raises(ValueError, match="kind"):
        ri.init_weights("kaiming", (2, 2))
    with pytest.raises(ValueError, match="distribution"):
        ri.init_weights("he", (2, 2), distribution="laplace")
    with pytest.raises(ValueError, match="nonlinearity"):
        ri.calculate_gain("swish")


# ---------------------------------------------------------------- additions: modes, defaults, variance through a layer
@pytest.mark.parametrize("name", ["conv_transpose1d", "conv_transpose2d", "conv_transpose3d"])
def test_calculate_gain_conv_transpose_matches_torch(name):
    assert ri.calculate_gain(name) == nn.init.calculate_gain(name) == 1


@pytest.mark.parametrize("shape", [(256, 784), (64, 3, 3, 3)])
@pytest.mark.parametrize("mode", ["fan_in", "fan_out"])
def test_he_modes_match_torch_kaiming(captured, shape, mode):
    nn.init.kaiming_normal_(torch.empty(shape), mode=mode, nonlinearity="relu")
    nn.init.kaiming_uniform_(torch.empty(shape), mode=mode, nonlinearity="relu")
    (_, _, std), (_, low, high) = captured
    fan = ri.fans(shape)[0 if mode == "fan_in" else 1]
    close(ri.he_std(fan), std, 3, "he_std")  # gain / sqrt(fan) on both sides
    close(ri.he_uniform_bound(fan), high, 5, "he_uniform_bound")  # sqrt(3) * gain / sqrt(fan)
    assert low == -high
    w = ri.he_normal(shape, rng=0, mode=mode)
    assert_within_se(w.std(), std, std_se(std, w.size, NORMAL_KURTOSIS), 5, "he_normal's std")
    w = ri.he_uniform(shape, rng=0, mode=mode)
    assert np.abs(w).max() <= high
    assert_within_se(w.std(), std, std_se(std, w.size, UNIFORM_KURTOSIS), 5, "he_uniform's std")


def test_torch_kaiming_defaults_are_he_for_relu(captured):
    # kaiming_normal_'s defaults (a=0, nonlinearity="leaky_relu") give gain sqrt(2 / (1 + 0)) = sqrt(2)
    nn.init.kaiming_normal_(torch.empty(128, 300))
    (_, _, std), = captured
    close(ri.he_std(300), std, 3, "he_std")  # sqrt(2.0 / 1) / sqrt(300) against sqrt(2) / sqrt(300)


def test_bad_mode_is_named():
    with pytest.raises(ValueError, match="mode"):
        ri.he_normal((2, 3), rng=0, mode="fan_avg")


@pytest.mark.parametrize("kind, default", [("he", "normal"), ("xavier", "normal"), ("lecun", "normal"),
                                           ("torch_default", "uniform")])
def test_init_weights_default_distribution(kind, default):
    """Pins init_weights' documented default: normal, except torch_default (uniform only)."""
    shape = (400, 500)
    np.testing.assert_array_equal(ri.init_weights(kind, shape, rng=7), ri._DRAWS[kind, default](shape, rng=7))
    w = ri.init_weights(kind, shape, rng=7)
    kurtosis = float(np.mean((w - w.mean()) ** 4) / w.var() ** 2)
    # a normal sample has kurtosis 3, a uniform one 1.8. The sample kurtosis of n draws of a symmetric
    # distribution has variance (m8 - m4**2 - 4 m4 m6 + 4 m4**3) / n in standardised moments (delta
    # method): 24 / n for the normal (m4, m6, m8 = 3, 15, 105), 1.317 / n for the uniform (9/5, 27/7, 9)
    expected, spread = (3.0, 24.0) if default == "normal" else (1.8, 9 - 1.8**2 - 4 * 1.8 * 27 / 7 + 4 * 1.8**3)
    assert_within_se(kurtosis, expected, math.sqrt(spread / w.size), 5, "kurtosis")


def test_uniform_bound_and_variance_match_torch(captured):
    nn.init.kaiming_uniform_(torch.empty(64, 100), nonlinearity="relu")
    (_, _, high), = captured
    close(ri.uniform_bound(ri.he_std(100)), high, 5, "uniform_bound")  # sqrt(3) * sqrt(2) / sqrt(100), both
    # torch's high is within five roundings of sqrt(6) / 10; squared (twice that), squared and divided by
    # 3 (two more): twelve, against 2 / 100 rounded once: 6.5 eps
    close(ri.uniform_variance(high), 2 / 100, 6.5, "uniform_variance")
    torch.manual_seed(0)
    sample = torch.empty(1_000_000, dtype=torch.float64).uniform_(-2.0, 2.0)
    var = ri.uniform_variance(2.0)
    se = var * math.sqrt((UNIFORM_KURTOSIS - 1) / sample.numel())
    assert_within_se(sample.var().item(), var, se, 5, "variance of U(-2, 2)")


@pytest.mark.parametrize("slope", [0.0, 0.01, 0.2, 1.0])
def test_relu_second_moment_matches_monte_carlo(slope):
    torch.manual_seed(0)
    z = 3.0 * torch.randn(2_000_000, dtype=torch.float64)
    measured = torch.nn.functional.leaky_relu(z, slope).pow(2).mean().item()
    # f = leaky_relu(z)**2: E f = (1 + s**2) / 2 * 9, E f**2 = (1 + s**4) / 2 * 3 * 81 (half-normal moments)
    var_f = (1 + slope**4) / 2 * 3 * 81 - ((1 + slope**2) / 2 * 9) ** 2
    assert_within_se(measured, ri.relu_second_moment(9.0, slope), math.sqrt(var_f / z.numel()), 5, "E[f(z)**2]")


def test_preactivation_variance_matches_a_torch_layer():
    torch.manual_seed(0)
    n = 400
    x = torch.relu(torch.randn(4000, n, dtype=torch.float64))  # E[x^2] = 1/2, mean > 0
    layer = nn.Linear(n, 2000, bias=False, dtype=torch.float64)
    nn.init.normal_(layer.weight, 0.0, 0.07)
    with torch.no_grad():
        z = layer(x)
    expected = ri.preactivation_variance(n, 0.07**2, x.pow(2).mean().item())
    # given the inputs, the 2000 output units are independent (independent rows of W) and each unit's mean
    # of z**2 has expectation ``expected``: their mean's standard error is their spread over sqrt(2000)
    per_unit = z.pow(2).mean(dim=0).numpy()
    se = per_unit.std(ddof=1) / math.sqrt(per_unit.size)
    assert_within_se(z.var().item(), expected, se, 5, "Var[z]")


@pytest.mark.parametrize("nonlinearity, param", [("relu", None), ("leaky_relu", None), ("leaky_relu", 0.3),
                                                 ("linear", None)])
def test_variance_ratio_is_fan_var_over_gain_squared(nonlinearity, param):
    for fan, var in [(256, 0.01), (3, 1.0)]:
        gain = nn.init.calculate_gain(nonlinearity, param)
        # ours: fan * var * (1 + s**2) / 2, four roundings; the reference: the gain's four, its square,
        # fan * var and the quotient, seven: 5.5 eps
        close(ri.variance_ratio(fan, var, nonlinearity, param), fan * var / gain**2, 5.5, "variance_ratio")


@pytest.mark.parametrize("kind, expected", [("he", 1.0), ("xavier", 0.5), ("torch_default", 1 / 6)])
def test_variance_ratio_predicts_a_deep_torch_relu_stack(kind, expected):
    # measured geometric mean of Var[z_{l+1}] / Var[z_l] through 12 ReLU layers of nn.Linear
    width, depth = 512, 12
    init = {"he": lambda w: nn.init.kaiming_normal_(w, nonlinearity="relu"),
            "xavier": nn.init.xavier_normal_, "torch_default": lambda w: None}[kind]
    weight_var = {"he": ri.he_std(width) ** 2, "xavier": ri.xavier_std(width, width) ** 2,
                  "torch_default": ri.uniform_variance(ri.torch_default_linear_bound(width))}[kind]
    # at most seven roundings of ours (he: three for the std, squared), one for the literal 1/6: 4 eps
    close(ri.variance_ratio(width, weight_var), expected, 4, "variance_ratio")
    torch.manual_seed(0)
    z, variances = torch.randn(2000, width, dtype=torch.float64), []
    with torch.no_grad():
        for _ in range(depth):
            layer = nn.Linear(width, width, bias=False, dtype=torch.float64)
            init(layer.weight)
            z = layer(torch.relu(z))
            variances.append(z.var().item())
    measured = (variances[-1] / variances[0]) ** (1 / (depth - 1))
    # the geometric mean of the 11 per-layer ratios; layers draw independent weights, so the standard
    # error of the mean log-ratio is the ratios' spread over sqrt(11)
    log_ratios = np.diff(np.log(variances))
    se = log_ratios.std(ddof=1) / math.sqrt(log_ratios.size)
    assert_within_se(math.log(measured), math.log(expected), se, 5, "log of the per-layer variance ratio")


@pytest.mark.parametrize("call, exc, name", [
    (lambda: ri.uniform_bound(-1.0), ValueError, "std"),
    (lambda: ri.uniform_variance("1"), TypeError, "bound"),
    (lambda: ri.preactivation_variance(0, 1.0), ValueError, "fan_in"),
    (lambda: ri.preactivation_variance(3, -1.0), ValueError, "weight_var"),
    (lambda: ri.preactivation_variance(3, 1.0, -0.5), ValueError, "input_second_moment"),
    (lambda: ri.relu_second_moment(-1.0), ValueError, "variance"),
    (lambda: ri.relu_second_moment(1.0, None), TypeError, "negative_slope"),
    (lambda: ri.variance_ratio(2.5, 1.0), TypeError, "fan"),
    (lambda: ri.variance_ratio(3, 1.0, "tanh"), ValueError, "nonlinearity"),
    (lambda: ri.variance_ratio(3, 1.0, "leaky_relu", "x"), TypeError, "param"),
])
def test_new_functions_name_bad_arguments(call, exc, name):
    with pytest.raises(exc, match=name):
        call()
