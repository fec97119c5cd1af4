"""Every example file is shown on a page, runs on its own as a reader would run it, and is never run-only.

An example teaches something, so what it claims must be checked, in one of three ways:

1. a page shows its output right after including it (a ```` ```text title="출력 …" ```` block),
   which ``tests/test_example_outputs.py`` compares with a real run;
2. the example states its claim as code, with ``assert`` (``residual_degradation.py``);
3. a test in ``tests/`` names the file and checks it (``tests/test_diagnostics.py``).

``test_no_example_is_run_only`` fails for an example that does none of these.
"""

import ast
import subprocess
import sys
from pathlib import Path

import pytest

from test_example_outputs import example_env, shown_outputs

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = sorted((ROOT / "relu_docs" / "examples").glob("*.py"))
# Tests that run every example alike; naming an example here checks nothing about its claim.
GENERIC = {"test_examples.py", "test_example_outputs.py"}


def included_by_pages() -> dict[str, list[str]]:
    """Example path -> the pages that include it with ``--8<--``."""
    pages: dict[str, list[str]] = {}
    for page in sorted((ROOT / "docs").glob("**/*.md")):
        text = page.read_text(encoding="utf-8")
        for path in EXAMPLES:
            if f'--8<-- "relu_docs/examples/{path.name}"' in text:
                pages.setdefault(path.name, []).append(page.name)
    return pages


def how_checked(path: Path) -> list[str]:
    """The ways the claim of the example at ``path`` is checked (empty: run-only)."""
    ways = []
    shown = [p.id for p in shown_outputs() if p.values[0] == f"relu_docs/examples/{path.name}"]
    if shown:
        ways.append("shown output: " + ", ".join(shown))
    if any(isinstance(node, ast.Assert) for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))):
        ways.append("assert")
    tests = sorted(t.name for t in (ROOT / "tests").glob("**/*.py")
                   if t.name not in GENERIC and path.name in t.read_text(encoding="utf-8"))
    if tests:
        ways.append("named by " + ", ".join(tests))
    return ways


def test_there_are_examples():
    assert EXAMPLES, "relu_docs/examples/ holds no example file"


def test_every_example_is_included_by_a_page():
    pages = included_by_pages()
    orphans = [p.name for p in EXAMPLES if p.name not in pages]
    assert not orphans, (
        f"no page includes {orphans}: include each on the page it belongs to "
        '(```python title="relu_docs/examples/x.py" with --8<-- "relu_docs/examples/x.py" inside), or delete it'
    )


def test_no_example_is_run_only():
    run_only = [p.name for p in EXAMPLES if not how_checked(p)]
    assert not run_only, (
        f"{run_only} only need to exit 0: check what each claims, by showing its output on the page right after "
        'the include (```text title="출력 (torch …, CPU)"```, compared by tests/test_example_outputs.py), '
        "by an assert in the example, or by a test in tests/ that names the file"
    )


def test_the_run_only_check_sees_each_way(tmp_path):
    """The three ways are told apart, and a file with none of them is run-only."""
    shown = next(iter(shown_outputs())).values[0]
    assert how_checked(ROOT / shown)[0].startswith("shown output: ")
    assert "assert" in how_checked(ROOT / "relu_docs" / "examples" / "residual_degradation.py")
    assert "named by test_diagnostics.py" in how_checked(ROOT / "relu_docs" / "examples" / "dead_relu_monitor.py")
    quiet = tmp_path / "quiet_example.py"
    quiet.write_text('print("assert nothing")  # an assert in a comment or a string is no check\n')
    assert how_checked(quiet) == []



def test_examples_run_under_the_cpu_kernel_of_a_rerun(monkeypatch, tmp_path):
    """A rerun under a forced CPU kernel (tests/test_cpu_capabilities.py) forces it on the examples too."""
    monkeypatch.setenv("ATEN_CPU_CAPABILITY", "default")
    probe = "import torch; print(torch.backends.cpu.get_cpu_capability())"
    out = subprocess.run([sys.executable, "-c", probe], cwd=tmp_path, env=example_env(),
                         capture_output=True, text=True, check=True).stdout
    assert out.strip().lower() == "default"
    monkeypatch.delenv("ATEN_CPU_CAPABILITY")
    assert "ATEN_CPU_CAPABILITY" not in example_env()


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_example_runs_in_a_fresh_interpreter(path, tmp_path):
    result = subprocess.run(
        [sys.executable, str(path)],
        cwd=tmp_path,  # no access to the repository's files by relative path
        capture_output=True,
        text=True,
        timeout=300,
        env=example_env(),
    )
    assert result.returncode == 0, result.stderr
