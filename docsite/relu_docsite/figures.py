"""Figures on the pages: drawn when stale, shown as a light/dark pair of images.

* :func:`redraw_stale` (before each build): asks :class:`~relu_docsite.figure_build.FigureBuild`
  which figures are stale (their code, or a relu_docs module they use, changed; or a file is
  missing) and draws only those, in a fresh interpreter, so that ``mkdocs serve`` draws with
  the edited package, not the one it imported at start-up.
* :func:`show_figures` (each page's HTML): replaces ``<img src=".../figures/NAME.svg" alt="...">``
  with two images, ``figures/light/NAME.svg`` with Material's ``#only-light`` suffix and
  ``figures/dark/NAME.svg`` with ``#only-dark``. Material shows the one that matches its
  light/dark toggle (``display: none`` on the other, which is then neither loaded nor read by
  screen readers). Both keep the alt text, carry the figure's ``width``/``height`` (no layout
  shift) and load lazily. (Inlined as ``<svg>``, the figures added thousands of elements to a
  page, which made the browser's style and layout work slow.)
"""

from __future__ import annotations

import html
import re
import subprocess
import sys
from pathlib import Path

from relu_docsite.figure_build import FIGURES_DIR, SCHEMES, FigureBuild

_IMG = re.compile(r"<img\b[^>]*>")
_ATTR = re.compile(r'([\w:-]+)="([^"]*)"')
_SRC = re.compile(r"(?:^|/)" + FIGURES_DIR + r"/([\w.-]+\.svg)$")


class FigureError(Exception):
    """Drawing a figure failed; the message is the figure build's output."""


def redraw_stale(registry: Path) -> list[str]:
    """Draw the stale figures of ``registry`` into the project's docs/figures/; return their names."""
    todo = FigureBuild(registry).stale()
    if todo:
        result = subprocess.run(
            [sys.executable, "-m", "relu_docsite.figure_build", "--registry", str(registry), "--quiet", *todo],
            capture_output=True, text=True,
        )
        if result.returncode != 0:
            raise FigureError(f"drawing {', '.join(todo)} failed:\n{result.stderr.strip()}")
    return todo


def _px(length: str | None) -> str | None:
    """``'460.8pt'`` -> ``'614'`` (CSS pixels, 96 per inch)."""
    m = re.fullmatch(r"([0-9.]+)(pt|px)?", length or "")
    if not m:
        return None
    return f"{float(m.group(1)) * (96 / 72 if m.group(2) == 'pt' else 1):.0f}"


def _size(svg: str) -> tuple[str, str] | None:
    """The figure's ``(width, height)`` in CSS pixels, from its root element."""
    root = re.search(r"<svg\b([^>]*)>", svg)
    attrs = dict(_ATTR.findall(root.group(1))) if root else {}
    width, height = _px(attrs.get("width")), _px(attrs.get("height"))
    return (width, height) if width and height else None


def figure_pair(src: str, alt: str, svg: str) -> str:
    """The light/dark ``<img>`` pair that shows figure ``src`` (as written in the page); ``svg`` gives its size."""
    folder, name = src.rsplit("/", 1) if "/" in src else ("", src)
    prefix = f"{folder}/" if folder else ""
    size = _size(svg)
    dims = f' width="{size[0]}" height="{size[1]}"' if size else ""
    label = html.escape(alt, quote=True)
    return "".join(
        f'<img class="relu-figure" src="{prefix}{scheme}/{name}#only-{scheme}" alt="{label}"{dims} '
        f'loading="lazy" decoding="async">'
        for scheme in SCHEMES
    )


def show_figures(content: str, figures_dir: Path) -> tuple[str, list[str]]:
    """``content`` with every ``<img>`` of ``figures/*.svg`` replaced by its pair; and the figures not found."""
    missing: list[str] = []

    def replace(match: re.Match) -> str:
        tag = match.group(0)
        attrs = dict(_ATTR.findall(tag))
        src = attrs.get("src", "")
        found = _SRC.search(src)
        if not found:
            return tag
        path = Path(figures_dir) / SCHEMES[0] / found.group(1)
        if not path.is_file():
            missing.append(f"figure {found.group(1)} does not exist (is it drawn by scripts/figures.py?)")
            return tag
        return figure_pair(src, html.unescape(attrs.get("alt", "")), path.read_text("utf-8"))

    return _IMG.sub(replace, content), missing
