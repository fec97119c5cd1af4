"""relu_docs.diagnostics.dead_relu_report and the dead_relu_monitor example."""

import math
import runpy
import subprocess
import sys
from pathlib import Path

import pytest
import torch
from tolerance import assert_within_se
from torch import nn

from relu_docs.diagnostics import ACTIVATION_TYPES, dead_relu_report

EXAMPLE = Path(__file__).resolve().parents[1] / "relu_docs" / "examples" / "dead_relu_monitor.py"


def he_mlp(widths=(32, 256, 256), act=nn.ReLU):
    layers = []
    for d_in, d_out in zip(widths[:-1], widths[1:]):
        lin = nn.Linear(d_in, d_out)
        nn.init.kaiming_normal_(lin.weight, nonlinearity="relu")
        nn.init.zeros_(lin.bias)
        layers += [lin, act()]
    return nn.Sequential(*layers)


def data(n_batches=4, n=128, d=32, seed=0):
    g = torch.Generator().manual_seed(seed)
    return [torch.randn(n, d, generator=g) for _ in range(n_batches)]


def test_negative_bias_kills_every_unit():
    torch.manual_seed(0)
    model = he_mlp()
    nn.init.constant_(model[2].bias, -1e3)
    report = dead_relu_report(model, data())
    assert report["3"]["dead_fraction"] == 1.0
    assert report["3"]["dead_units"] == report["3"]["units"] == 256
    assert report["3"]["zero_fraction"] == 1.0
    assert report["1"]["dead_fraction"] == 0.0


def test_fresh_he_net_has_no_dead_units_but_half_zeros():
    torch.manual_seed(0)
    model, batches = he_mlp(), data()
    report = dead_relu_report(model, batches)
    with torch.no_grad():
        outputs = {"1": torch.cat([model[:2](b) for b in batches]), "3": torch.cat([model(b) for b in batches])}
    for name, r in report.items():
        assert r["type"] == "ReLU" and r["samples"] == 512
        assert r["dead_fraction"] <= 0.01  # dead: all 512 samples <= 0, for a fresh unit next to impossible
        # zero half the time: given the layer's input, its units are independent (independent rows of W, zero
        # bias) and each is <= 0 with probability 1/2 averaged over its weights (w and -w are equally likely),
        # so the fraction's standard error is the units' spread of zero fractions over sqrt(units)
        per_unit = (outputs[name] == 0).double().mean(dim=0).numpy()
        se = per_unit.std(ddof=1) / math.sqrt(per_unit.size)
        assert_within_se(r["zero_fraction"], 0.5, se, 5, f"zero fraction of layer {name}")
        assert r["nan_fraction"] == 0.0


def test_fractions_match_direct_computation():
    torch.manual_seed(1)
    model = he_mlp((32, 16, 8))
    nn.init.constant_(model[0].bias, -0.8)  # some, not all, units of layer 1 die
    batches = data(3, 20)
    report = dead_relu_report(model, batches)
    with torch.no_grad():
        a1 = torch.cat([model[:2](b) for b in batches])
        a2 = torch.cat([model(b) for b in batches])
    for name, a in (("1", a1), ("3", a2)):
        assert report[name]["units"] == a.shape[1]
        assert report[name]["samples"] == a.shape[0]
        assert report[name]["dead_fraction"] == (a <= 0).all(0).double().mean().item()
        assert report[name]["zero_fraction"] == (a == 0).double().mean().item()


def count_dead_neurons_seed(model, dataloader):
    """The miscounting function that the dying-ReLU page shows, from its example file."""
    example = Path(__file__).resolve().parents[1] / "relu_docs" / "examples" / "relu_dead_count_bug.py"
    return runpy.run_path(str(example), run_name="seed_example")["count_dead_neurons"](model, dataloader)


def test_seed_function_measured_the_input_not_the_model():
    torch.manual_seed(0)
    healthy, broken = he_mlp(), he_mlp()
    nn.init.constant_(broken[0].bias, -1e3)
    nn.init.constant_(broken[2].bias, -1e3)
    loader = [(b, None) for b in data()]
    # the seed's number is the same for both models: the zero fraction of relu(input)
    assert count_dead_neurons_seed(healthy, loader) == count_dead_neurons_seed(broken, loader)
    inputs = torch.cat([b for b, _ in loader])
    assert count_dead_neurons_seed(broken, loader) == (inputs <= 0).double().mean().item()
    assert dead_relu_report(broken, loader)["3"]["dead_fraction"] == 1.0
    assert dead_relu_report(healthy, loader)["3"]["dead_fraction"] <= 0.01


def test_hooks_removed_and_modes_restored():
    model = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Dropout(0.5), nn.Linear(8, 8), nn.LeakyReLU())
    model.train()
    model[3].eval()  # a mixed state must come back exactly
    before = {name: m.training for name, m in model.named_modules()}
    seen_modes = []
    model[2].register_forward_pre_hook(lambda m, i: seen_modes.append(m.training))
    dead_relu_report(model, data(2, 8, 4))
    assert seen_modes == [False, False]  # dropout ran in eval mode
    assert {name: m.training for name, m in model.named_modules()} == before
    assert not model[1]._forward_hooks and not model[4]._forward_hooks
    # eval_mode=False leaves dropout active
    seen_modes.clear()
    dead_relu_report(model, data(1, 8, 4), eval_mode=False)
    assert seen_modes == [True]


def test_cleanup_when_the_model_raises():
    class Boom(nn.Module):
        def forward(self, x):
            raise RuntimeError("boom")

    model = nn.Sequential(nn.Linear(4, 4), nn.ReLU(), Boom()).train()
    with pytest.raises(RuntimeError, match="boom"):
        dead_relu_report(model, data(1, 8, 4))
    assert model.training and all(m.training for m in model.modules())
    assert not model[1]._forward_hooks


def test_input_target_pairs_and_dataloader():
    torch.manual_seed(0)
    ds = torch.utils.data.TensorDataset(torch.randn(100, 32), torch.randn(100, 1))
    loader = torch.utils.data.DataLoader(ds, batch_size=32)
    report = dead_relu_report(he_mlp(), loader)
    assert report["1"]["samples"] == 100


def test_conv_units_are_channel_positions():
    torch.manual_seed(0)
    model = nn.Sequential(nn.Conv2d(3, 4, 3, padding=1), nn.ReLU())
    report = dead_relu_report(model, [torch.randn(8, 3, 5, 5)])
    assert report["1"]["units"] == 4 * 5 * 5


def test_all_activation_types_are_watched():
    layers = [nn.Linear(4, 4)]
    for t in ACTIVATION_TYPES:
        layers += [t(), nn.Linear(4, 4)]
    model = nn.Sequential(*layers)
    report = dead_relu_report(model, data(1, 16, 4))
    assert [r["type"] for r in report.values()] == [t.__name__ for t in ACTIVATION_TYPES]
    assert report["3"]["zero_fraction"] == 0.0  # LeakyReLU: negative, not zero


def test_functional_relu_is_invisible():
    class Functional(nn.Module):
        def __init__(self):
            super().__init__()
            self.fc = nn.Linear(4, 4)

        def forward(self, x):
            return torch.relu(self.fc(x))

    with pytest.raises(ValueError, match="model has no activation modules"):
        dead_relu_report(Functional(), data(1, 8, 4))


def test_unused_module_and_nan_outputs():
    class WithSpare(nn.Module):
        def __init__(self):
            super().__init__()
            self.body = nn.Sequential(nn.Linear(4, 4), nn.ReLU())
            self.spare = nn.ReLU()  # registered but never called

        def forward(self, x):
            return self.body(x)

    model = WithSpare()
    nn.init.constant_(model.body[0].bias, float("nan"))
    report = dead_relu_report(model, data(1, 8, 4))
    assert list(report) == ["body.1", "spare"]
    assert report["body.1"]["nan_fraction"] == 1.0 and report["body.1"]["dead_fraction"] == 1.0
    assert report["spare"]["samples"] == 0 and math.isnan(report["spare"]["dead_fraction"])


@pytest.mark.parametrize(
    "model, batches, exc, match",
    [
        ("not a model", [torch.ones(2, 4)], TypeError, "model"),
        (nn.Linear(4, 4), [torch.ones(2, 4)], ValueError, "model"),
        (nn.Sequential(nn.Linear(4, 4), nn.ReLU()), [], ValueError, "batches"),
        (nn.Sequential(nn.Linear(4, 4), nn.ReLU()), iter([]), ValueError, "batches"),
        (nn.Sequential(nn.Linear(4, 4), nn.ReLU()), torch.ones(2, 4), TypeError, "batches"),
        (nn.Sequential(nn.Linear(4, 4), nn.ReLU()), [[1.0, 2.0]], TypeError, "batches"),
        (nn.Sequential(nn.Flatten(), nn.ReLU()), [torch.ones(2, 4), torch.ones(2, 5)], ValueError, "batches"),
    ],
)
def test_bad_input_names_argument(model, batches, exc, match):
    with pytest.raises(exc, match=match):
        dead_relu_report(model, batches)
    if isinstance(model, nn.Module):
        assert all(not m._forward_hooks for m in model.modules())


def test_example_runs():
    result = subprocess.run([sys.executable, str(EXAMPLE)], capture_output=True, text=True, timeout=300,
                            cwd=EXAMPLE.parent)
    assert result.returncode == 0, result.stderr
    assert "dead_fraction" in result.stdout and "lr=0.1: after" in result.stdout
