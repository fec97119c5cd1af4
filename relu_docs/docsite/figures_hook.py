"""MkDocs hook: keep ``docs/figures/`` up to date and inline each figure into its page.

* ``on_pre_build``: asks ``scripts/build_figures.py`` which figures are stale
  (their code, or a relu_docs module they use, changed; or a file is missing)
  and redraws only those, in a fresh interpreter so that ``mkdocs serve`` sees
  the edited package, not the one it imported at start-up.
* ``on_serve``: also watches ``scripts/`` and ``relu_docs/``, so that editing
  a formula redraws its figures while serving.
* ``on_page_content``: replaces ``<img src=".../figures/NAME.svg" alt="...">``
  with the SVG itself (``role="img"``, the alt text as ``aria-label``). Inline,
  the figure's ``currentColor`` is the page's text colour, so text and axes
  follow Material's light/dark toggle, and its text uses the page's font. The
  SVG's own ``<style>`` (colours and fonts for viewing the file alone) is dropped.
  The inlined figure is excluded from the search index (``data-search-exclude``).
"""

from __future__ import annotations

import html
import importlib.util
import logging
import re
import subprocess
import sys
from pathlib import Path

from mkdocs.exceptions import PluginError

log = logging.getLogger("mkdocs.hooks.figures")

SCRIPT = Path("scripts") / "build_figures.py"
FIGURES_DIR = "figures"
_IMG = re.compile(r"<img\b[^>]*>")
_ATTR = re.compile(r'([\w:-]+)="([^"]*)"')
_SRC = re.compile(r'(?:^|/)' + FIGURES_DIR + r'/([\w.-]+\.svg)$')


def _root(config) -> Path:
    return Path(config.config_file_path).resolve().parent


def load_builder(root: Path):
    """Import ``scripts/build_figures.py`` afresh (it may have changed since the last build)."""
    path = root / SCRIPT
    spec = importlib.util.spec_from_file_location("_relu_docs_build_figures", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def update_figures(root: Path) -> list[str]:
    """Redraw the stale figures; return their names. Raises PluginError if drawing fails."""
    if not (root / SCRIPT).is_file():
        return []
    builder = load_builder(root)
    todo = builder.stale()
    if not todo:
        return []
    log.info("figures: redrawing %s", ", ".join(todo))
    result = subprocess.run(
        [sys.executable, str(root / SCRIPT), "--quiet", *todo],
        cwd=root, capture_output=True, text=True,
    )
    if result.returncode != 0:
        raise PluginError(f"scripts/build_figures.py failed:\n{result.stderr.strip()}")
    return todo


def on_pre_build(config):
    update_figures(_root(config))


def on_serve(server, config, builder):
    root = _root(config)
    for name in ("scripts", "relu_docs"):
        if (root / name).is_dir():
            server.watch(str(root / name))
    return server


def inline_svg(svg: str, alt: str) -> str:
    """The markup of a figure file, ready to sit inside an HTML page."""
    svg = re.sub(r"<\?xml[^>]*\?>\s*|<!DOCTYPE[^>]*>\s*", "", svg)
    svg = re.sub(r"\s*<style>.*?</style>", "", svg, flags=re.S)

    def root(match):
        attrs = dict(_ATTR.findall(match.group(1)))
        width = _px(attrs.pop("width", None))
        height = _px(attrs.pop("height", None))
        style = attrs.pop("style", "").rstrip("; ")
        style = f"{style}; max-width: 100%; height: auto".lstrip("; ")
        kept = " ".join(f'{k}="{v}"' for k, v in attrs.items())
        size = f' width="{width}" height="{height}"' if width and height else ""
        label = html.escape(alt, quote=True)
        return f'<svg {kept}{size} style="{style}" role="img" aria-label="{label}" data-search-exclude>'

    svg, n = re.subn(r"<svg\b([^>]*)>", root, svg, count=1)
    if n != 1:
        raise ValueError("not an SVG document")
    return svg.strip()


def _px(length: str | None) -> str | None:
    """``'460.8pt'`` -> ``'614'`` (CSS pixels, 96 per inch)."""
    if not length:
        return None
    m = re.fullmatch(r"([0-9.]+)(pt|px)?", length)
    if not m:
        return None
    value = float(m.group(1)) * (96 / 72 if m.group(2) == "pt" else 1)
    return f"{value:.0f}"


def inline_figures(content: str, figures_dir: Path, page: str = "") -> str:
    """Replace every ``<img>`` of ``figures/*.svg`` in ``content`` by the inline SVG."""

    def replace(match):
        tag = match.group(0)
        attrs = dict(_ATTR.findall(tag))
        src = _SRC.search(attrs.get("src", ""))
        if not src:
            return tag
        path = figures_dir / src.group(1)
        if not path.is_file():
            log.warning("%s: figure %s does not exist (is it drawn by %s?)", page, src.group(1), SCRIPT)
            return tag
        return inline_svg(path.read_text("utf-8"), html.unescape(attrs.get("alt", "")))

    return _IMG.sub(replace, content)


def on_page_content(html_content, page, config, files):
    figures_dir = Path(config.docs_dir) / FIGURES_DIR
    return inline_figures(html_content, figures_dir, page.file.src_uri)
