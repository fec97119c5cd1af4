"""Build the site with ``mkdocs build --strict``, from the checkout or from a throw-away copy.

Shared by tests/conftest.py (the ``built_site`` fixture) and the tests that build copies
(fault injection). A plain module, not a conftest, so that tests can import it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from support import ROOT

MKDOCS = [sys.executable, "-m", "mkdocs"]
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONDONTWRITEBYTECODE": "1"}
NOT_COPIED = {".git", ".venv", "node_modules", "site", ".pytest_cache", "__pycache__"}


@dataclass
class BuildResult:
    returncode: int
    output: str  # stdout and stderr together
    site_dir: Path


def mkdocs_build(project: Path, site_dir: Path) -> BuildResult:
    """``mkdocs build --strict`` of ``project`` into ``site_dir`` (run from ``project``, as make does)."""
    proc = subprocess.run(
        [*MKDOCS, "build", "--strict", "--site-dir", str(site_dir), "--config-file", str(project / "mkdocs.yml")],
        cwd=project,
        env=ENV,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    return BuildResult(proc.returncode, proc.stdout, site_dir)


def copy_project(dest: Path) -> Path:
    """Copy the project into ``dest`` for a build that must not touch the checkout."""

    def ignore(directory, names):
        return {n for n in names if n in NOT_COPIED or n.endswith(".egg-info")}

    shutil.copytree(ROOT, dest, ignore=ignore, symlinks=True)
    (dest / "node_modules").symlink_to(ROOT / "node_modules", target_is_directory=True)
    return dest


@lru_cache(maxsize=None)
def site_config(project: Path = ROOT):
    """mkdocs.yml of ``project``, loaded and validated as MkDocs does (no plugin event runs)."""
    from mkdocs.config import load_config

    return load_config(str(project / "mkdocs.yml"))


def plugin_options(project: Path = ROOT):
    """The relu-wiki plugin's options in mkdocs.yml (glossary file, hub pages, notebooks, figures...)."""
    return site_config(project).plugins["relu-wiki"].config
