"""The results do not depend on the CPU: every torch comparison passes under each of torch's CPU kernels.

PyTorch picks its CPU kernels at start-up by the CPU's instruction sets
(``default``, ``avx2``, ``avx512``); ``ATEN_CPU_CAPABILITY`` forces a lower
one, so one machine can run the code paths that other machines take. NumPy
dispatches the same way (``NPY_DISABLE_CPU_FEATURES`` turns its AVX2/AVX-512
paths off). This test reruns, in a fresh interpreter per capability, the tests
that compare with torch, the package's doctests and every example on the site
(page code blocks, the examples' shown output and their asserts), so a number
printed on a page, or a claim asserted by an example, that only holds on one
kernel fails here.

The suite itself already ran under the machine's best capability; a
capability the CPU does not have is skipped, saying so.
"""

from __future__ import annotations

import os
import platform
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

CAPABILITIES = ("default", "avx2", "avx512")

# What reruns: everything that compares with torch or shows a float a reader will compare with.
RERUN = [
    "tests/test_functional.py", "tests/test_losses.py", "tests/test_layers.py", "tests/test_backprop.py",
    "tests/test_gradients.py", "tests/test_dropout.py", "tests/test_init.py", "tests/test_optim.py",
    "tests/test_normalization.py", "tests/test_layer_norm.py", "tests/test_regularization.py", "tests/test_residual.py", "tests/test_diagnostics.py", "tests/test_example_outputs.py",
    "tests/test_examples.py",
    "relu_docs", "docs",
]

# NumPy's dispatch groups above each torch capability (x86-64 only; NumPy's baseline is x86-64-v2).
NUMPY_DISABLE = {"default": "X86_V3 X86_V4 AVX512_ICL AVX512_SPR", "avx2": "X86_V4 AVX512_ICL AVX512_SPR",
                 "avx512": ""}


def _env(capability: str) -> dict[str, str]:
    env = {**os.environ, "ATEN_CPU_CAPABILITY": capability}
    if platform.machine() in ("x86_64", "AMD64") and NUMPY_DISABLE[capability]:
        env["NPY_DISABLE_CPU_FEATURES"] = NUMPY_DISABLE[capability]
    return env


def _capability_in_effect(capability: str | None) -> str:
    """The capability torch runs with when asked for ``capability`` (it falls back if unsupported);
    ``None``: the machine's own choice, the one this suite runs under."""
    env = _env(capability) if capability else {k: v for k, v in os.environ.items() if k != "ATEN_CPU_CAPABILITY"}
    out = subprocess.run(
        [sys.executable, "-c", "import torch; print(torch.backends.cpu.get_cpu_capability())"],
        env=env, capture_output=True, text=True, check=True,
    )
    return out.stdout.strip().lower()


def test_rerun_list_exists():
    missing = [p for p in RERUN if not (ROOT / p).exists()]
    assert not missing, f"tests/test_cpu_capabilities.py names paths that do not exist: {missing}"


@pytest.mark.skipif(bool(os.environ.get("ATEN_CPU_CAPABILITY")),
                    reason="ATEN_CPU_CAPABILITY is set: this run already is a rerun under one capability")
@pytest.mark.parametrize("capability", CAPABILITIES)
def test_torch_comparisons_pass_under_each_cpu_capability(capability):
    in_effect = _capability_in_effect(capability)
    if in_effect != capability:
        pytest.skip(f"this CPU has no {capability} kernels (torch falls back to {in_effect})")
    if in_effect == _capability_in_effect(None):
        pytest.skip(f"{capability} is this machine's own capability: the suite itself ran under it")
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-x", *RERUN],
        cwd=ROOT, env=_env(capability), capture_output=True, text=True,
    )
    assert proc.returncode == 0, (
        f"under ATEN_CPU_CAPABILITY={capability} the torch comparisons fail "
        f"(reproduce: ATEN_CPU_CAPABILITY={capability} python -m pytest {' '.join(RERUN)}):\n"
        + "\n".join(proc.stdout.splitlines()[-40:])
    )
