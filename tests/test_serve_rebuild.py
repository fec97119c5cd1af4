"""``mkdocs serve``'s rebuilds reuse what did not change, and give the same site as a clean build.

Two builds in one process, as ``mkdocs serve`` makes them (a fresh configuration each time):
after a page edit, only that page is converted again (relu_docsite/render_cache.py), and
every file of the rebuilt site is byte-identical to a clean ``mkdocs build`` of the same
sources in a new process; a warning that an unchanged page causes is reported by every
build (so the strict checks still run), and cross-references into the API reference resolve.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

import pytest
from support.sitebuild import copy_project, mkdocs_build


class _Messages(logging.Handler):
    def __init__(self):
        super().__init__(logging.INFO)
        self.messages: list[tuple[int, str]] = []

    def emit(self, record):
        self.messages.append((record.levelno, record.getMessage()))


def serve_build(project: Path, site: Path) -> list[tuple[int, str]]:
    """One build the way ``mkdocs serve`` makes it; returns ``(level, message)`` of what was logged."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort

    handler = _Messages()
    logger = logging.getLogger("mkdocs")
    logger.addHandler(handler)
    level = logger.level
    logger.setLevel(logging.INFO)
    cwd = os.getcwd()
    os.chdir(project)  # as make runs it (pymdownx.snippets' base path is ".")
    try:
        config = load_config(config_file=str(project / "mkdocs.yml"), site_dir=str(site))
        build(config, dirty=False)
    except Abort as exc:  # strict: true (mkdocs.yml); the site is written by then
        handler.messages.append((logging.ERROR, f"aborted: {exc}"))
    finally:
        os.chdir(cwd)
        logger.removeHandler(handler)
        logger.setLevel(level)
    return handler.messages


def files_of(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def rebuilt(tmp_path_factory, figures_built):
    """A copy of the project built twice in this process with an edit in between, and built clean."""
    tmp = tmp_path_factory.mktemp("serve")
    project = copy_project(tmp / "project")
    unchanged = project / "docs" / "tanh.md"  # not edited between the builds; MkDocs warns about its link
    unchanged.write_text(unchanged.read_text(encoding="utf-8") + "\n[없는 문서](nope.md)\n", encoding="utf-8")
    first = serve_build(project, tmp / "site")
    edited = project / "docs" / "relu.md"
    edited.write_text(edited.read_text(encoding="utf-8") + "\n\n새 문단: $\\frac{a}{b}$, [[Sigmoid]].\n", encoding="utf-8")
    second = serve_build(project, tmp / "site")
    clean = mkdocs_build(project, tmp / "clean")  # not --strict-failing on purpose: the link warns
    return first, second, files_of(tmp / "site"), files_of(tmp / "clean"), clean


def test_a_rebuild_converts_only_the_edited_page(rebuilt):
    first, second, *_ = rebuilt
    assert not any("unchanged" in m for _, m in first if m.startswith("relu_docsite: Pages:"))
    summary = [m for _, m in second if m.startswith("relu_docsite: Pages:")]
    assert summary and summary[0].startswith("relu_docsite: Pages: 1 rendered,"), second


def test_a_rebuild_reports_the_warnings_of_unchanged_pages(rebuilt):
    first, second, *_ = rebuilt
    for messages in (first, second):
        warnings = [m for level, m in messages if level >= logging.WARNING]
        assert any("tanh.md" in m and "nope.md" in m for m in warnings), warnings
        assert any(m.startswith("aborted: Aborted with 1 warnings in strict mode") for _, m in messages), messages
        assert not any("cross-reference" in m for m in warnings), warnings


def test_the_rebuilt_site_is_the_clean_build(rebuilt):
    *_, served, clean, result = rebuilt
    assert "nope.md" in result.output
    assert served.keys() == clean.keys()
    different = [name for name in served if served[name] != clean[name]]
    assert not different, f"differ from a clean build: {different[:10]}"
    assert "<math><mfrac><mi>a</mi><mi>b</mi></mfrac></math>" in served["relu/index.html"].decode("utf-8")
