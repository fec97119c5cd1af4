"""MkDocs hook: keep ``docs/figures/`` up to date and inline each figure into its page.

* ``on_pre_build``: asks ``scripts/build_figures.py`` which figures are stale
  (their code, or a relu_docs module they use, changed; or a file is missing)
  and redraws only those, in a fresh interpreter so that ``mkdocs serve`` sees
  the edited package, not the one it imported at start-up.
* ``on_serve``: also watches ``scripts/`` and ``relu_docs/``, so that editing
  a formula redraws its figures while serving.
* ``on_files``: adds two variants of every ``figures/NAME.svg`` to the site,
  ``figures/light/NAME.svg`` and ``figures/dark/NAME.svg``: the same drawing
  with the text colour (the figure's ``currentColor``) pinned to the light or
  the dark scheme's colour from the figure's own ``<style>``.
* ``on_page_content``: replaces ``<img src=".../figures/NAME.svg" alt="...">``
  with a pair of images, the light variant with Material's ``#only-light``
  suffix and the dark one with ``#only-dark``: Material shows the one that
  matches its light/dark toggle (``display: none`` on the other, which is then
  neither loaded nor read by screen readers). Both keep the alt text, carry
  the figure's ``width``/``height`` (no layout shift) and load lazily. The
  figures used to be inlined as ``<svg>``; as images they no longer add
  thousands of elements to a page (the ReLU page had ~2,100), which made the
  browser's style and layout work slow.
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


SCHEMES = ("light", "dark")


def themed_svg(svg: str, scheme: str) -> str:
    """The figure file with its text colour pinned to ``scheme`` ("light" or "dark").

    The file's ``<style>`` gives ``svg.relu-figure`` a light colour and, under
    ``@media (prefers-color-scheme: dark)``, a dark one: keep the one asked for,
    drop the media query (inside an ``<img>`` it would follow the system, not
    Material's toggle).
    """
    match = re.search(r"<style>(.*?)</style>", svg, flags=re.S)
    if not match or scheme not in SCHEMES:
        raise ValueError(f"not a themed figure, or unknown scheme {scheme!r}")
    rules = match.group(1)
    dark = re.search(r"@media\s*\(prefers-color-scheme:\s*dark\)\s*\{.*?color:\s*([^;}]+)", rules, flags=re.S)
    base = re.sub(r"@media[^{]*\{.*\}\s*\}?$", "", rules, flags=re.S).strip()
    if not dark or "color:" not in base:
        raise ValueError("the figure's <style> has no light and dark colours")
    if scheme == "dark":
        base = re.sub(r"(?<![-\w])color:\s*[^;}]+", f"color:{dark.group(1).strip()}", base, count=1)
    return svg[: match.start(1)] + base + svg[match.end(1):]


def _size(svg: str) -> tuple[str, str] | None:
    root = re.search(r"<svg\b([^>]*)>", svg)
    attrs = dict(_ATTR.findall(root.group(1))) if root else {}
    width, height = _px(attrs.get("width")), _px(attrs.get("height"))
    return (width, height) if width and height else None


def _px(length: str | None) -> str | None:
    """``'460.8pt'`` -> ``'614'`` (CSS pixels, 96 per inch)."""
    if not length:
        return None
    m = re.fullmatch(r"([0-9.]+)(pt|px)?", length)
    if not m:
        return None
    value = float(m.group(1)) * (96 / 72 if m.group(2) == "pt" else 1)
    return f"{value:.0f}"


def figure_images(src: str, alt: str, svg: str) -> str:
    """The light/dark ``<img>`` pair that shows figure ``src`` (as written in the page)."""
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


def inline_figures(content: str, figures_dir: Path, page: str = "") -> str:
    """Replace every ``<img>`` of ``figures/*.svg`` in ``content`` by its light/dark pair."""

    def replace(match):
        tag = match.group(0)
        attrs = dict(_ATTR.findall(tag))
        src = attrs.get("src", "")
        found = _SRC.search(src)
        if not found:
            return tag
        path = figures_dir / found.group(1)
        if not path.is_file():
            log.warning("%s: figure %s does not exist (is it drawn by %s?)", page, found.group(1), SCRIPT)
            return tag
        return figure_images(src, html.unescape(attrs.get("alt", "")), path.read_text("utf-8"))

    return _IMG.sub(replace, content)


def on_files(files, config):
    from mkdocs.structure.files import File

    figures_dir = Path(config.docs_dir) / FIGURES_DIR
    for path in sorted(figures_dir.glob("*.svg")):
        svg = path.read_text("utf-8")
        for scheme in SCHEMES:
            files.append(File.generated(config, f"{FIGURES_DIR}/{scheme}/{path.name}", content=themed_svg(svg, scheme)))
    return files


def on_page_content(html_content, page, config, files):
    figures_dir = Path(config.docs_dir) / FIGURES_DIR
    return inline_figures(html_content, figures_dir, page.file.src_uri)
