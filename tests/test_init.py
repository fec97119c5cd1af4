"""relu_docs.init against torch.nn.init and nn.Linear's default initialisation."""

import math

import numpy as np
import pytest
import torch
from torch import nn

from relu_docs import init as ri


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
    assert ri.calculate_gain(name, param) == pytest.approx(nn.init.calculate_gain(name, param), rel=1e-15)


@pytest.mark.parametrize("shape", [(256, 784), (10, 3), (64, 3, 3, 3), (8, 4, 5)])
def test_fans_match_torch(shape):
    assert ri.fans(shape) == nn.init._calculate_fan_in_and_fan_out(torch.empty(shape))


@pytest.mark.parametrize("shape", [(256, 784), (10, 3), (64, 3, 3, 3)])
def test_he_normal_std_is_torch_kaiming_normal_std(captured, shape):
    nn.init.kaiming_normal_(torch.empty(shape), mode="fan_in", nonlinearity="relu")
    (kind, mean, std), = captured
    fan_in, _ = ri.fans(shape)
    assert kind == "normal" and mean == 0
    assert ri.he_std(fan_in) == pytest.approx(std, rel=1e-15)
    assert ri.he_std(fan_in) == pytest.approx(math.sqrt(2 / fan_in), rel=1e-15)


def test_he_std_with_leaky_gain_is_torch(captured):
    nn.init.kaiming_normal_(torch.empty(32, 50), a=0.2, nonlinearity="leaky_relu")
    (_, _, std), = captured
    assert ri.he_std(50, gain=ri.calculate_gain("leaky_relu", 0.2)) == pytest.approx(std, rel=1e-15)


@pytest.mark.parametrize("shape", [(256, 784), (64, 3, 3, 3)])
def test_he_uniform_bound_is_torch_kaiming_uniform_bound(captured, shape):
    nn.init.kaiming_uniform_(torch.empty(shape), nonlinearity="relu")
    (kind, low, high), = captured
    fan_in, _ = ri.fans(shape)
    assert kind == "uniform" and low == -high
    assert ri.he_uniform_bound(fan_in) == pytest.approx(high, rel=1e-15)
    assert ri.he_uniform_bound(fan_in) == pytest.approx(math.sqrt(6 / fan_in), rel=1e-15)


@pytest.mark.parametrize("shape", [(256, 784), (64, 3, 3, 3)])
def test_xavier_match_torch(captured, shape):
    nn.init.xavier_normal_(torch.empty(shape))
    nn.init.xavier_uniform_(torch.empty(shape), gain=2.0)
    (_, _, std), (_, low, high) = captured
    fan_in, fan_out = ri.fans(shape)
    assert ri.xavier_std(fan_in, fan_out) == pytest.approx(std, rel=1e-15)
    assert ri.xavier_uniform_bound(fan_in, fan_out, gain=2.0) == pytest.approx(high, rel=1e-15)
    assert low == -high


def test_xavier_is_not_lecun():
    # the seed page's "Xavier: N(0, 1/n_in)" is LeCun's rule; they differ unless fan_in == fan_out
    assert ri.xavier_std(784, 256) != pytest.approx(ri.lecun_std(784))
    assert ri.xavier_std(300, 300) == pytest.approx(ri.lecun_std(300), rel=1e-15)


@pytest.mark.parametrize("fan_in, fan_out", [(784, 256), (3, 10), (1, 1)])
def test_torch_default_linear_bound_is_nn_linear(captured, fan_in, fan_out):
    nn.Linear(fan_in, fan_out)
    (_, wlow, whigh), (_, blow, bhigh) = captured  # weight, then bias
    bound = ri.torch_default_linear_bound(fan_in)
    assert bound == pytest.approx(whigh, rel=1e-12) and wlow == pytest.approx(-bound, rel=1e-12)
    assert bound == pytest.approx(bhigh, rel=1e-12) and blow == pytest.approx(-bound, rel=1e-12)


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
    assert abs(w.mean()) < 0.01 * w.std()  # standard error is ~0.001 * std
    assert w.std() == pytest.approx(torch_std(theirs), rel=5e-3)


def test_nn_linear_default_empirical():
    torch.manual_seed(0)
    layer = nn.Linear(800, 1000)
    w = ri.torch_default_linear((1000, 800), rng=1)
    assert w.std() == pytest.approx(layer.weight.std().item(), rel=5e-3)
    bound = ri.torch_default_linear_bound(800)
    assert np.abs(w).max() <= bound
    assert layer.weight.abs().max().item() <= bound
    assert np.abs(w).max() == pytest.approx(bound, rel=1e-4)


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
    assert ri.he_std(fan) == pytest.approx(std, rel=1e-15)
    assert ri.he_uniform_bound(fan) == pytest.approx(high, rel=1e-15) and low == -high
    assert ri.he_normal(shape, rng=0, mode=mode).std() == pytest.approx(std, rel=0.02)
    w = ri.he_uniform(shape, rng=0, mode=mode)
    assert np.abs(w).max() <= high and w.std() == pytest.approx(std, rel=0.02)


def test_torch_kaiming_defaults_are_he_for_relu(captured):
    # kaiming_normal_'s defaults (a=0, nonlinearity="leaky_relu") give gain sqrt(2 / (1 + 0)) = sqrt(2)
    nn.init.kaiming_normal_(torch.empty(128, 300))
    (_, _, std), = captured
    assert std == pytest.approx(ri.he_std(300), rel=1e-15)


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
    # a normal sample has kurtosis 3, a uniform one 1.8 (200k samples: standard error ~0.01)
    assert kurtosis == pytest.approx(3.0 if default == "normal" else 1.8, abs=0.1), kurtosis


def test_uniform_bound_and_variance_match_torch(captured):
    nn.init.kaiming_uniform_(torch.empty(64, 100), nonlinearity="relu")
    (_, _, high), = captured
    assert ri.uniform_bound(ri.he_std(100)) == pytest.approx(high, rel=1e-15)
    assert ri.uniform_variance(high) == pytest.approx(2 / 100, rel=1e-14)
    torch.manual_seed(0)
    sample = torch.empty(1_000_000, dtype=torch.float64).uniform_(-2.0, 2.0)
    assert sample.var().item() == pytest.approx(ri.uniform_variance(2.0), rel=5e-3)


@pytest.mark.parametrize("slope", [0.0, 0.01, 0.2, 1.0])
def test_relu_second_moment_matches_monte_carlo(slope):
    torch.manual_seed(0)
    z = 3.0 * torch.randn(2_000_000, dtype=torch.float64)
    measured = torch.nn.functional.leaky_relu(z, slope).pow(2).mean().item()
    assert ri.relu_second_moment(9.0, slope) == pytest.approx(measured, rel=5e-3)


def test_preactivation_variance_matches_a_torch_layer():
    torch.manual_seed(0)
    n = 400
    x = torch.relu(torch.randn(4000, n, dtype=torch.float64))  # E[x^2] = 1/2, mean > 0
    layer = nn.Linear(n, 2000, bias=False, dtype=torch.float64)
    nn.init.normal_(layer.weight, 0.0, 0.07)
    with torch.no_grad():
        z = layer(x)
    expected = ri.preactivation_variance(n, 0.07**2, x.pow(2).mean().item())
    assert z.var().item() == pytest.approx(expected, rel=0.04)


@pytest.mark.parametrize("nonlinearity, param", [("relu", None), ("leaky_relu", None), ("leaky_relu", 0.3),
                                                 ("linear", None)])
def test_variance_ratio_is_fan_var_over_gain_squared(nonlinearity, param):
    for fan, var in [(256, 0.01), (3, 1.0)]:
        gain = nn.init.calculate_gain(nonlinearity, param)
        assert ri.variance_ratio(fan, var, nonlinearity, param) == pytest.approx(fan * var / gain**2, rel=1e-14)


@pytest.mark.parametrize("kind, expected", [("he", 1.0), ("xavier", 0.5), ("torch_default", 1 / 6)])
def test_variance_ratio_predicts_a_deep_torch_relu_stack(kind, expected):
    # measured geometric mean of Var[z_{l+1}] / Var[z_l] through 12 ReLU layers of nn.Linear
    width, depth = 512, 12
    init = {"he": lambda w: nn.init.kaiming_normal_(w, nonlinearity="relu"),
            "xavier": nn.init.xavier_normal_, "torch_default": lambda w: None}[kind]
    weight_var = {"he": ri.he_std(width) ** 2, "xavier": ri.xavier_std(width, width) ** 2,
                  "torch_default": ri.uniform_variance(ri.torch_default_linear_bound(width))}[kind]
    assert ri.variance_ratio(width, weight_var) == pytest.approx(expected, rel=1e-12)
    torch.manual_seed(0)
    z, variances = torch.randn(2000, width, dtype=torch.float64), []
    with torch.no_grad():
        for _ in range(depth):
            layer = nn.Linear(width, width, bias=False, dtype=torch.float64)
            init(layer.weight)
            z = layer(torch.relu(z))
            variances.append(z.var().item())
    measured = (variances[-1] / variances[0]) ** (1 / (depth - 1))
    assert measured == pytest.approx(expected, rel=0.05)


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
