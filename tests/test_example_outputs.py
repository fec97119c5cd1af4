"""Outputs shown on the pages are what the included examples really print.

A page may follow an included example with its output:

    ```python title="relu_docs/examples/x.py"
    --8<-- "relu_docs/examples/x.py"
    ```

    ```text title="출력 (torch 2.13.0, CPU)"
    ...
    ```

This test runs each such example in a fresh interpreter and compares its
output with the block: the words must match exactly (whitespace collapsed),
each number within two units of its last shown digit or 2 % (BLAS and CPU
differences can move the last digits of float sums). The example runs in a
reader's bare environment, except that a rerun under a forced CPU kernel
(``tests/test_cpu_capabilities.py``) reaches the example too.
"""

from __future__ import annotations

import math
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"

PAIR = re.compile(
    r'^```python[^\n]*\n--8<-- "(?P<path>relu_docs/examples/[^"]+\.py)"\n```\s*\n'
    r'```text title="출력[^"]*"\n(?P<output>.*?)^```',
    re.MULTILINE | re.DOTALL,
)
NUMBER = re.compile(r"[-+]?(?:\d+\.\d*|\.\d+|\d+)(?:[eE][-+]?\d+)?")
# What a rerun under one CPU kernel sets (tests/test_cpu_capabilities.py); the examples must see it too.
KERNEL_CHOICE = ("ATEN_CPU_CAPABILITY", "NPY_DISABLE_CPU_FEATURES")


def example_env() -> dict[str, str]:
    """The environment an example runs in: a reader's bare one, plus the CPU-kernel choice of a rerun."""
    env = {"PATH": "/usr/bin:/bin", "MPLBACKEND": "Agg", "PYTHONDONTWRITEBYTECODE": "1"}
    return env | {k: os.environ[k] for k in KERNEL_CHOICE if k in os.environ}


def shown_outputs():
    for page in sorted(DOCS.glob("**/*.md")):
        text = page.read_text(encoding="utf-8")
        for m in PAIR.finditer(text):
            line = text.count("\n", 0, m.start()) + 1
            yield pytest.param(m.group("path"), m.group("output"), id=f"{page.name}:{line}")


def split(text: str):
    words = [" ".join(part.split()) for part in NUMBER.split(text)]
    return words, NUMBER.findall(text)


def close(shown: str, actual: str) -> bool:
    mantissa = re.split(r"[eE]", shown)[0]
    decimals = len(mantissa.split(".")[1]) if "." in mantissa else 0
    exponent = int(re.split(r"[eE]", shown)[1]) if re.search(r"[eE]", shown) else 0
    unit = 10.0 ** (exponent - decimals)
    a, b = float(shown), float(actual)
    return math.isclose(a, b, rel_tol=0.02, abs_tol=2 * unit)


CASES = list(shown_outputs())


def test_some_page_shows_an_output():
    assert CASES, "no page shows an example's output"


@pytest.mark.parametrize("path, shown", CASES)
def test_shown_output_is_real(path, shown, tmp_path):
    result = subprocess.run(
        [sys.executable, str(ROOT / path)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
        env=example_env(),
    )
    assert result.returncode == 0, result.stderr
    shown_words, shown_numbers = split(shown)
    actual_words, actual_numbers = split(result.stdout)
    assert shown_words == actual_words, f"{path}: the page shows different text than the example prints:\n{result.stdout}"
    bad = [(s, a) for s, a in zip(shown_numbers, actual_numbers) if not close(s, a)]
    assert not bad, f"{path}: numbers on the page differ from the example's output (shown, actual): {bad}"
