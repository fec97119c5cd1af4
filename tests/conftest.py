"""Suite-wide fixtures: the site, built once per session.

``built_site`` (session scope) is *the* clean build every positive check reads:
``scripts/build_figures.py`` first, then
``mkdocs build --strict`` of the real project into a temporary directory. It
returns that directory (a :class:`pathlib.Path`). A build failure is a test
error that shows MkDocs' output. Browser, figure and link tests all reuse it,
so the site is built once per test session.

The fault-injection tests (tests/test_build.py) build throw-away copies of the
project instead, with the helpers of tests/support/sitebuild.py.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from support.sitebuild import ENV, ROOT, mkdocs_build

# --doctest-modules would import this file a second time as a module named
# "conftest", which tests/browser/conftest.py already is: skip it (it has no doctests).
collect_ignore = ["conftest.py"]


@pytest.fixture(scope="session")
def figures_built() -> None:
    """Run ``scripts/build_figures.py`` once per session, as ``make test`` does before pytest."""
    script = ROOT / "scripts" / "build_figures.py"
    proc = subprocess.run([sys.executable, str(script)], cwd=ROOT, env=ENV, capture_output=True, text=True)
    if proc.returncode:
        pytest.fail(f"scripts/build_figures.py failed:\n{proc.stdout}\n{proc.stderr}", pytrace=False)


@pytest.fixture(scope="session")
def built_site(figures_built, tmp_path_factory) -> Path:
    """The site of this checkout, built once per session with ``mkdocs build --strict``.

    Returns the site directory (``.../index.html``, ``.../relu/index.html``, ...).
    Read it, never write to it: every test of the session shares it.
    """
    site = tmp_path_factory.mktemp("built_site") / "site"
    result = mkdocs_build(ROOT, site)
    if result.returncode:
        pytest.fail(f"mkdocs build --strict failed (exit {result.returncode}):\n{result.output}", pytrace=False)
    return site
