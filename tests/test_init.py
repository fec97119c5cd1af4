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
