"""relu_docs is the formula package and nothing else.

Its wheel holds relu_docs alone (no site machinery, which is docsite/'s), requires numpy,
torch and matplotlib alone, and none of its modules imports the docs toolchain; every module
imports, and every doctest passes, in an interpreter where that toolchain cannot be imported.
"""

from __future__ import annotations

import ast
import importlib.util
import os
import shutil
import subprocess
import sys
import zipfile
from email.parser import Parser
from pathlib import Path

import pytest
from support import ROOT

#: what builds the site and tests it in a browser, never needed by the formulas
SITE_TOOLCHAIN = ("mkdocs", "mkdocs_jupyter", "material", "markdown", "pymdownx", "yaml", "jupytext",
                  "nbclient", "nbformat", "nbconvert", "playwright", "sybil", "relu_docsite")

# Makes every SITE_TOOLCHAIN package unimportable, then runs the code given after it.
BLOCKER = f"""
import importlib.abc, sys
BLOCKED = {set(SITE_TOOLCHAIN)!r}
class Blocker(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.partition(".")[0] in BLOCKED:
            raise ModuleNotFoundError(f"No module named {{name!r}} (the docs toolchain is blocked)", name=name)
        return None
sys.meta_path.insert(0, Blocker())
"""


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> zipfile.ZipFile:
    """The relu_docs wheel, built from a copy of what the root pyproject.toml packages."""
    tmp = tmp_path_factory.mktemp("wheel")
    source = tmp / "source"
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, source / name)
    shutil.copytree(ROOT / "relu_docs", source / "relu_docs", ignore=shutil.ignore_patterns("__pycache__"))
    command = [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "--wheel-dir", str(tmp / "dist")]
    if importlib.util.find_spec("setuptools"):  # build with what is installed, no download
        command.append("--no-build-isolation")
    proc = subprocess.run([*command, str(source)], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    (built,) = (tmp / "dist").glob("relu_docs-*.whl")
    with zipfile.ZipFile(built) as archive:
        yield archive


def test_the_wheel_holds_relu_docs_alone(wheel):
    names = wheel.namelist()
    top = {name.split("/")[0] for name in names if ".dist-info/" not in name}
    assert top == {"relu_docs"}, top
    assert not [name for name in names if "docsite" in name or name.endswith((".yml", ".js"))]
    assert "relu_docs/functional.py" in names and any(n.startswith("relu_docs/examples/") for n in names)


def test_the_wheel_requires_numpy_torch_and_matplotlib_alone(wheel):
    (metadata,) = [name for name in wheel.namelist() if name.endswith(".dist-info/METADATA")]
    fields = Parser().parsestr(wheel.read(metadata).decode("utf-8"))
    required = {r.split(";")[0].split("=")[0].strip() for r in fields.get_all("Requires-Dist") or []
                if "extra ==" not in r}
    assert required == {"numpy", "torch", "matplotlib"}


def test_no_module_of_the_wheel_imports_the_docs_toolchain(wheel):
    found = []
    for name in wheel.namelist():
        if not name.endswith(".py"):
            continue
        for node in ast.walk(ast.parse(wheel.read(name).decode("utf-8"))):
            modules = ([a.name for a in node.names] if isinstance(node, ast.Import)
                       else [node.module or ""] if isinstance(node, ast.ImportFrom) and not node.level else [])
            found += [f"{name}: {m}" for m in modules if m.partition(".")[0] in SITE_TOOLCHAIN]
    assert not found, found


def _blocked_python(code: str, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "MPLBACKEND": "Agg", "PYTHONDONTWRITEBYTECODE": "1", "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1"}
    return subprocess.run([sys.executable, "-c", BLOCKER + code, *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=600)


def test_the_blocker_blocks():
    proc = _blocked_python("import yaml")
    assert proc.returncode != 0 and "the docs toolchain is blocked" in proc.stderr


def test_every_module_imports_without_the_docs_toolchain():
    proc = _blocked_python(
        "import importlib, pkgutil, relu_docs\n"
        "names = [m.name for m in pkgutil.walk_packages(relu_docs.__path__, 'relu_docs.')]\n"
        "for name in names: importlib.import_module(name)\n"
        "print(len(names))\n"
    )
    assert proc.returncode == 0, proc.stderr
    assert int(proc.stdout.split()[-1]) >= 10


def test_the_doctests_pass_without_the_docs_toolchain():
    proc = _blocked_python(
        "import pytest, sys\n"
        "sys.exit(pytest.main(['--noconftest', '-p', 'no:cacheprovider', '-q', '--doctest-modules', 'relu_docs']))\n"
    )
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    assert " passed" in proc.stdout
