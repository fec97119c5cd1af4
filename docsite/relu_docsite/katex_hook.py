"""MkDocs hook: replace pymdownx.arithmatex's TeX with KaTeX HTML at build time.

An invalid formula is logged as a warning naming the page and the formula,
so ``mkdocs build --strict`` fails on it. KaTeX's CSS and fonts are served
from the same npm package that renders, so their versions always agree.
"""

from __future__ import annotations

import html
import logging
import re
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File

from relu_docsite.katex import get_renderer

log = logging.getLogger("mkdocs.hooks.katex")

# pymdownx.arithmatex (generic: true) output.
MATH = re.compile(
    r'<(?P<tag>span|div) class="arithmatex">\s*'
    r"(?:\\\((?P<inline>.*?)\\\)|\\\[(?P<display>.*?)\\\])\s*</(?P=tag)>",
    re.DOTALL,
)
ASSET_DIR = "assets/katex"
# TeX that arithmatex did not recognise as math (e.g. "$ x$" with a space after the "$").
CODE = re.compile(r"<(pre|code)\b.*?</\1>", re.DOTALL)
KATEX_SPAN = re.compile(r'<span class="katex(?:-display)?">.*?</annotation>', re.DOTALL)
STRAY_TEX = re.compile(r"\$[^$<>\n]*\\[A-Za-z]+[^$<>\n]*\$|\\\(|\\\[")


def _katex_dir(config) -> Path:
    return Path(config.config_file_path).parent / "node_modules" / "katex"


def on_config(config):
    try:
        get_renderer(_katex_dir(config))
    except FileNotFoundError as exc:
        raise PluginError(str(exc)) from exc
    return config


def on_files(files, config):
    """Serve katex.min.css and every font file it refers to."""
    dist = _katex_dir(config) / "dist"
    for path in [dist / "katex.min.css", *sorted((dist / "fonts").iterdir())]:
        uri = f"{ASSET_DIR}/{path.relative_to(dist).as_posix()}"
        files.append(File.generated(config, uri, abs_src_path=str(path)))
    return files


def render_page_math(content: str, page_name: str, katex_dir: Path) -> str:
    """Return ``content`` with every arithmatex formula typeset by KaTeX."""
    matches = list(MATH.finditer(content))
    if not matches:
        return content
    items = []
    for m in matches:
        display = m.group("display") is not None
        tex = html.unescape(m.group("display") if display else m.group("inline")).strip()
        items.append((tex, display))
    results = get_renderer(katex_dir).render_many(items)
    out, last = [], 0
    for m, (tex, display), (rendered, error) in zip(matches, items, results):
        out.append(content[last : m.start()])
        if error:
            log.warning("%s: invalid formula $%s$: %s", page_name, tex, error)
            rendered = f'<code class="katex-error" title="{html.escape(error)}">{html.escape(tex)}</code>'
        elif display:
            rendered = f'<div class="arithmatex katex-display-block">{rendered}</div>'
        out.append(rendered)
        last = m.end()
    out.append(content[last:])
    return "".join(out)


def stray_tex(content: str) -> list[str]:
    r"""TeX left in rendered HTML outside code and formulas: math that was never typeset.

    >>> stray_tex('<p>$ x^\\top W$ and <code>$\\alpha$</code></p>')
    ['$ x^\\top W$']
    """
    text = KATEX_SPAN.sub("", CODE.sub("", content))
    return [m.group(0) for m in STRAY_TEX.finditer(text)]


# After the notebooks hook (50) has produced a notebook page's HTML, before Material's
# typeset plugin (0) copies each heading's HTML into the table of contents.
@event_priority(40)
def on_page_content(content, page, config, files):
    content = render_page_math(content, page.file.src_uri, _katex_dir(config))
    for stray in stray_tex(content):
        log.warning("%s: TeX not recognised as math (check the $ delimiters): %s", page.file.src_uri, stray)
    return content
