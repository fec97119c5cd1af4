r"""Post-process the HTML that mkdocs-jupyter makes of a notebook, to fit the site.

mkdocs-jupyter (through nbconvert) gives every heading an ASCII-only slug, so
a Korean heading gets ``id=""`` and its table-of-contents link points
nowhere; it loads MathJax and mermaid from a CDN; it inlines about 600 kB of
CSS into every notebook page; and a figure output has no ``alt`` text.
:func:`postprocess` fixes all of these:

* headings get the ids the site's own ``toc`` extension would give them
  (``pymdownx.slugs.slugify``, lower case, ``_1``-style de-duplication), a
  Material-style permalink, and a matching table of contents;
* ``$...$`` and ``$$...$$`` in Markdown cells (found by :data:`relu_docsite.tex.MATH`,
  as on the Markdown pages) become pymdownx.arithmatex markup, which the site's typesetter
  then typesets at build time;
* every ``<script>`` is removed: nbconvert's MathJax and mermaid loaders
  (which fetch from a CDN) and the clipboard helper, together with the copy
  buttons and the hidden copy of each cell's source it uses (a notebook cell
  does not run on its own; readers download the ``.ipynb`` instead, and the
  search index no longer sees every cell twice);
* ``<style>`` blocks are replaced by ``<link>``\ s to content-addressed CSS
  files (written once per build, shared by every notebook page);
* code is coloured by Material's theme (contrast in both colour schemes) and
  scrollable from the keyboard;
* each figure gets the ``alt`` text of its cell's ``alt`` metadata
  (jupytext: ``# %% alt="..."``); a figure without one is reported.

>>> import re
>>> from pymdownx.slugs import slugify
>>> html = ('<div class="jp-Cell jp-MarkdownCell" id="cell-id=cell-0">'
...         '<div class="jp-RenderedMarkdown">'
...         '<h1 id="">죽은 ReLU<a class="anchor-link" href="#">¶</a></h1>'
...         '<p>$x &lt; 0$ 이면 0입니다.</p></div></div>')
>>> out = postprocess(html, slugify=slugify(case="lower"))
>>> print(out.html)
<div class="jp-Cell jp-MarkdownCell" id="cell-id=cell-0"><div class="jp-RenderedMarkdown"><h1 id="죽은-relu">죽은 ReLU<a class="headerlink" href="#죽은-relu" title="Permanent link">¶</a></h1><p><span class="arithmatex">\(x &lt; 0\)</span> 이면 0입니다.</p></div></div>
>>> out.toc_tokens[0]["id"], out.toc_tokens[0]["name"]
('죽은-relu', '죽은 ReLU')
"""

from __future__ import annotations

import hashlib
import html as html_lib
import re
from dataclasses import dataclass, field

from markdown.extensions.toc import unique

from relu_docsite.tex import DISPLAY, MATH_PATTERN

HEADING = re.compile(
    r'<h(?P<level>[1-6]) id="[^"]*">(?P<inner>.*?)<a class="anchor-link" href="#[^"]*">¶</a></h(?P=level)>',
    re.DOTALL,
)
SCRIPT = re.compile(r"<script\b.*?</script>", re.DOTALL)
CLIPBOARD_BUTTON = re.compile(r'<div class="zeroclipboard-container">.*?</clipboard-copy>\s*</div>\s*', re.DOTALL)
CLIPBOARD_TEXT = re.compile(r'<div class="clipboard-copy-txt" id="[^"]*">[^<]*</div>\s*')
LOADER_COMMENT = re.compile(
    r"<!-- (?:Load mathjax|MathJax configuration|End of mathjax configuration|End of mermaid configuration) -->"
)
MARKDOWN_DIV = re.compile(r'(<div class="[^"]*\bjp-RenderedMarkdown\b[^"]*"[^>]*>)(.*?)(</div>)', re.DOTALL)
DISPLAY_PARAGRAPH = re.compile(rf"<p>\s*{DISPLAY}\s*</p>", re.DOTALL)
MATH_OR_CODE = re.compile(rf"(?P<skip><pre\b.*?</pre>|<code\b.*?</code>)|{MATH_PATTERN}", re.DOTALL)
HIGHLIGHT_BLOCK = re.compile(r'<div class="highlight-ipynb ([^"]*)"><pre>')
CELL_START = re.compile(r'id="cell-id=(?P<id>[^"]+)"')
#: an ``<img>`` with no ``alt``, or with nbconvert's placeholder
IMG_WITHOUT_ALT = re.compile(r'<img(?:(?![^>]*\balt=)| alt="No description has been provided for this image")(?=[\s>])')
TAG = re.compile(r"<[^>]+>")


@dataclass
class Processed:
    html: str
    toc_tokens: list = field(default_factory=list)
    anchor_ids: set = field(default_factory=set)
    stylesheets: dict = field(default_factory=dict)  # file name -> CSS text
    problems: list = field(default_factory=list)  # figures without alt text, ...


def _nest(flat: list[dict]) -> list[dict]:
    """Nest flat heading tokens by level, as Markdown's toc extension does."""
    root: list[dict] = []
    stack: list[dict] = []
    for token in flat:
        while stack and stack[-1]["level"] >= token["level"]:
            stack.pop()
        (stack[-1]["children"] if stack else root).append(token)
        stack.append(token)
    return root


def fix_headings(html: str, slugify, permalink_title: str = "Permanent link"):
    """Give every notebook heading the site's slug; return ``(html, nested toc tokens, ids)``."""
    used: set[str] = set()
    flat: list[dict] = []

    def replace(m: re.Match) -> str:
        inner = m.group("inner").strip()
        text = html_lib.unescape(TAG.sub("", inner)).strip()
        anchor = unique(slugify(text, "-"), used)
        used.add(anchor)
        flat.append({"level": int(m.group("level")), "id": anchor, "name": html_lib.escape(text, quote=False),
                     "children": []})
        link = f'<a class="headerlink" href="#{anchor}" title="{html_lib.escape(permalink_title)}">¶</a>'
        return f'<h{m.group("level")} id="{anchor}">{inner}{link}</h{m.group("level")}>'

    out = HEADING.sub(replace, html)
    return out, _nest(flat), used


def _math_in_markdown(fragment: str) -> str:
    fragment = DISPLAY_PARAGRAPH.sub(
        lambda m: f'<div class="arithmatex">\\[{m.group("display").strip()}\\]</div>', fragment
    )

    def replace(m: re.Match) -> str:
        if m.group("skip"):
            return m.group("skip")
        if m.group("display") is not None:
            return f'<span class="arithmatex">\\[{m.group("display").strip()}\\]</span>'
        return f'<span class="arithmatex">\\({m.group("inline")}\\)</span>'

    return MATH_OR_CODE.sub(replace, fragment)


def convert_math(html: str) -> str:
    """Turn ``$...$``/``$$...$$`` inside rendered Markdown into arithmatex markup."""
    return MARKDOWN_DIV.sub(lambda m: m.group(1) + _math_in_markdown(m.group(2)) + m.group(3), html)


def strip_scripts(html: str) -> str:
    """Remove every script, and the clipboard buttons and texts."""
    for pattern in (SCRIPT, CLIPBOARD_BUTTON, CLIPBOARD_TEXT, LOADER_COMMENT):
        html = pattern.sub("", html)
    return html


def extract_styles(html: str, href_prefix: str) -> tuple[str, dict[str, str]]:
    """Replace ``<style>`` blocks by ``<link>`` tags to ``{href_prefix}<sha>.css`` files.

    A plain scan rather than a regular expression: the blocks hold ~600 kB of CSS.
    """
    sheets: dict[str, str] = {}
    out, pos = [], 0
    while (start := html.find("<style", pos)) != -1:
        open_end = html.find(">", start) + 1
        close = html.find("</style>", open_end)
        if open_end == 0 or close == -1:
            break
        out.append(html[pos:start])
        css = html[open_end:close].strip()
        pos = close + len("</style>")
        if css.startswith(".jp-Mermaid:not"):
            continue  # the mermaid loader's style; the loader is removed
        if not css or css.startswith("["):  # mkdocs-jupyter appends a Python list repr for .ipynb input
            continue
        if "td.linenos" in css and ".highlight-ipynb" in css:
            continue  # nbconvert's Pygments colours: Material's own (see highlight_like_material) replace them
        name = hashlib.sha256(css.encode()).hexdigest()[:16] + ".css"
        sheets[name] = css + "\n"
        out.append(f'<link rel="stylesheet" href="{href_prefix}{name}">')
    out.append(html[pos:])
    return "".join(out), sheets


def highlight_like_material(html: str) -> str:
    """Let Material colour notebook code as it colours the site's code blocks, and make it keyboard-scrollable.

    Adding Material's ``highlight`` class to nbconvert's ``highlight-ipynb``
    blocks applies the theme's token colours, which meet contrast in both
    colour schemes (nbconvert's Pygments colours do not); ``tabindex="0"`` on
    the ``<pre>`` lets a keyboard user scroll a long line (axe: scrollable-region-focusable;
    nbconvert already gives output areas one).
    """
    return HIGHLIGHT_BLOCK.sub(r'<div class="highlight-ipynb highlight \1"><pre tabindex="0">', html)


def add_alt_text(html: str, alt_by_cell: dict[str, str]) -> tuple[str, list[str]]:
    """Give every ``<img>`` without ``alt`` the ``alt`` of its cell; list the cells that have none."""
    problems: list[str] = []
    starts = list(CELL_START.finditer(html))
    if not starts:
        return html, problems
    pieces = [html[: starts[0].start()]]
    for i, m in enumerate(starts):
        end = starts[i + 1].start() if i + 1 < len(starts) else len(html)
        piece = html[m.start():end]
        if IMG_WITHOUT_ALT.search(piece):
            alt = alt_by_cell.get(m.group("id"))
            if alt:
                piece = IMG_WITHOUT_ALT.sub(f'<img alt="{html_lib.escape(alt)}"', piece)
            else:
                problems.append(f"{m.group('id')} shows a figure but has no 'alt' metadata")
        pieces.append(piece)
    return "".join(pieces), problems


def postprocess(html: str, slugify, permalink_title: str = "Permanent link", alt_by_cell=None,
                css_href_prefix: str = "") -> Processed:
    """Apply every fix listed in the module docstring; see :class:`Processed` for the results."""
    html, sheets = extract_styles(html, css_href_prefix)
    html = strip_scripts(html)
    html, tokens, ids = fix_headings(html, slugify, permalink_title)
    html = convert_math(html)
    html = highlight_like_material(html)
    html, problems = add_alt_text(html, alt_by_cell or {})
    ids |= {f"cell-id={m.group('id')}" for m in CELL_START.finditer(html)}
    return Processed(html, tokens, ids, sheets, problems)
