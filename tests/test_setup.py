"""The set-up installs anywhere, and nothing is published untested.

These read the project's own files: pins, the CI entry point, the Pages workflow.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
PIN_FILES = [ROOT / "constraints.txt", ROOT / "pyproject.toml"]


def test_torch_is_pinned_exactly_without_a_local_label():
    """`+cpu` exists only on PyTorch's own index: a pin with it cannot install on a laptop."""
    text = "\n".join(p.read_text(encoding="utf-8") for p in PIN_FILES)
    assert re.findall(r"torch==[\w.+]+", text) and set(re.findall(r"torch==[\w.+]+", text)) == {"torch==2.13.0"}
    labelled = re.findall(r"^[\w.-]+==[^\s;]*\+\S*", text, flags=re.M)
    assert not labelled, f"pins with a local version label: {labelled}"


def test_makefile_pins_pip():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    installs = re.findall(r"pip install[^\n]*", makefile)
    assert installs, "the Makefile installs nothing?"
    for line in installs:
        assert "--upgrade pip" not in line, f"unpinned pip upgrade: {line}"
    assert re.search(r"pip install[^\n]*\bpip==\d+(\.\d+)+", makefile), "pip is not pinned in the Makefile"


def test_ci_installs_what_a_minimal_debian_lacks_and_nothing_unused():
    run = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    for package in ("make", "nodejs", "npm", "python3-venv", "chromium", "fonts-nanum"):
        assert re.search(rf"need\+=\({re.escape(package)}\)", run), f".ci/run does not install {package} when missing"
    assert "chromium-driver" not in run, "nothing uses chromedriver (the browser tests drive chromium through Playwright)"
    assert run.rstrip().endswith("make test"), ".ci/run must end by running the README's test command"


def test_pages_workflow_tests_before_it_publishes():
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "pages.yml").read_text(encoding="utf-8"))
    steps = workflow["jobs"]["build"]["steps"]
    runs = [step.get("run", "") for step in steps]
    uses = [step.get("uses", "") for step in steps]
    test_at = next(i for i, r in enumerate(runs) if r.strip() == "make test")
    build_at = next(i for i, r in enumerate(runs) if r.strip() == "make build")
    upload_at = next(i for i, u in enumerate(uses) if u.startswith("actions/upload-pages-artifact"))
    assert test_at < build_at < upload_at
    assert steps[test_at]["env"].get("CI") == "true", "the published build must run the browser tests, not skip them"
    deploy = workflow["jobs"]["deploy"]
    assert deploy["needs"] == "build"
