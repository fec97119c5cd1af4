"""Math: the TeX that pymdownx.arithmatex marks is typeset when the site is built, as MathML.

The reader's browser runs no math JavaScript and gets each formula once: a ``<math>``
element that the browser lays out itself (MathML Core) and screen readers read. The
typesetter is an npm package with KaTeX's API (``renderToString(tex, options)``), Temml as
the site is configured (mkdocs.yml, relu-wiki's ``math`` options: the package, its options,
the font). One long-lived ``node`` process (``math_render.js``) renders for the whole Python
process, and every result is kept in a process-level cache keyed by the formula, display
mode, package and options: a ``mkdocs serve`` rebuild renders only formulas it has not
seen, and the first page that needs the renderer does not wait for ``node`` to start twice.

MathML needs a font with an OpenType MATH table (stretchy brackets, big operators, script
sizes); the system fonts a browser picks for ``lang="ko"`` have none. The site serves STIX
Two Math (npm, SIL OFL 1.1, its licence served beside it as ``OFL.txt``), subset at build
time by fontTools to the characters the built formulas use (:mod:`relu_docsite.math_font`),
so a new symbol on a page is in the font the day it appears, and a symbol the font lacks is
a warning naming the page (``--strict`` fails on it).

What the plugin uses:

* :class:`Math` ``(root, options)``: starts the renderer, or raises ``FileNotFoundError``
  saying what is missing;
* :attr:`Math.stylesheet` and :meth:`Math.assets`: the CSS (for ``extra_css``) and the
  files to serve (``(site path, file)`` pairs);
* :meth:`Math.typeset`: a page's HTML with every formula typeset, and a message for each
  formula the typesetter refused (it stays visible as ``<code class="math-error">``);
* :meth:`Math.write_font`: after the build, the font subset; a message for each character
  the font has no glyph for, with the page it is on.
"""

from __future__ import annotations

import atexit
import html
import itertools
import json
import re
import shutil
import subprocess
import threading
from pathlib import Path

from relu_docsite import math_font
from relu_docsite.memo import Memo

RENDER_JS = Path(__file__).with_name("math_render.js")
MATH_CSS = Path(__file__).with_name("math.css")
#: where the math stylesheet, font and font licence are served in the site
ASSET_DIR = "assets/math"
FONT_NAME = "relu-math.woff2"

# pymdownx.arithmatex's output (generic: true).
ARITHMATEX = re.compile(
    r'<(?P<tag>span|div) class="arithmatex">\s*'
    r"(?:\\\((?P<inline>.*?)\\\)|\\\[(?P<display>.*?)\\\])\s*</(?P=tag)>",
    re.DOTALL,
)
# What a display formula's <math> carries that the site's CSS does instead: the block
# around it centres it and scrolls it sideways when it is wider than the column.
_DISPLAY_ATTRS = re.compile(r'^<math display="block"(?: class="tml-display")?(?: style="display:block math;")?')
_XMLNS = ' xmlns="http://www.w3.org/1998/Math/MathML"'


class MathRenderer:
    """Render TeX with the npm package in ``package_dir`` and ``options``, in one ``node`` process."""

    def __init__(self, package_dir: Path, options: dict):
        self.package_dir = Path(package_dir)
        if not (self.package_dir / "package.json").is_file():
            raise FileNotFoundError(f"math typesetter not found at {self.package_dir}: run `npm ci` (the Makefile does)")
        node = shutil.which("node")
        if node is None:
            raise FileNotFoundError("node is not on PATH: the math typesetter needs Node.js to render formulas")
        self._proc = subprocess.Popen(
            [node, str(RENDER_JS), str(self.package_dir), json.dumps(options, sort_keys=True)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            encoding="utf-8",
        )
        self._ids = itertools.count()
        self._lock = threading.Lock()
        self._cache: dict[tuple[str, bool], tuple[str | None, str | None]] = {}

    def render_many(self, items: list[tuple[str, bool]]) -> list[tuple[str | None, str | None]]:
        """Return ``(html, error)`` for each ``(tex, display)``, exactly one of them set."""
        todo = list(dict.fromkeys(item for item in items if item not in self._cache))
        if todo:
            with self._lock:
                request_id = next(self._ids)
                self._proc.stdin.write(json.dumps({"id": request_id, "items": todo}) + "\n")
                self._proc.stdin.flush()
                line = self._proc.stdout.readline()
            if not line:
                raise RuntimeError(f"the math renderer ({RENDER_JS.name}) exited: see its error above")
            answer = json.loads(line)
            if answer["id"] != request_id:
                raise RuntimeError("the math renderer answered out of order")
            for item, result in zip(todo, answer["results"]):
                self._cache[item] = (result.get("html"), result.get("error"))
        return [self._cache[item] for item in items]

    def close(self) -> None:
        if self._proc.poll() is None:
            self._proc.stdin.close()
            self._proc.wait(timeout=10)


# A page's HTML with its formulas typeset, for the builds of this process (relu_docsite/memo.py).
_pages = Memo()

# One renderer (and its cache) per package and options, for every build of this process.
_renderers: dict[tuple[Path, str], MathRenderer] = {}


@atexit.register
def _close_all() -> None:
    for renderer in _renderers.values():
        renderer.close()


def renderer_for(package_dir: Path, options: dict) -> MathRenderer:
    key = (Path(package_dir).resolve(), json.dumps(options, sort_keys=True))
    if key not in _renderers:
        _renderers[key] = MathRenderer(*key[:1], options)
    return _renderers[key]


def bare_math(rendered: str, display: bool) -> str:
    """The typesetter's ``<math>`` as the page shows it: a display formula in a scrolling block.

    >>> bare_math('<math display="block" class="tml-display" style="display:block math;"><mi>x</mi></math>', True)
    '<div class="arithmatex math-display"><math display="block"><mi>x</mi></math></div>'
    >>> bare_math('<math><mi>x</mi></math>', False)
    '<math><mi>x</mi></math>'
    """
    rendered = rendered.replace(_XMLNS, "")
    if not display:
        return rendered
    rendered = _DISPLAY_ATTRS.sub('<math display="block"', rendered)
    return f'<div class="arithmatex math-display">{rendered}</div>'


class Math:
    """The math of one build; the renderer process and its cache are shared by every build of this process."""

    stylesheet = f"{ASSET_DIR}/math.css"

    def __init__(self, root: Path, package: str, options: dict, font: str, font_licence: str, cache_dir: str):
        self.package_dir = (Path(root) / package).resolve()
        self.font = (Path(root) / font).resolve()
        self.font_licence = (Path(root) / font_licence).resolve()
        for path, what in ((self.font, "font"), (self.font_licence, "font licence")):
            if not path.is_file():
                raise FileNotFoundError(f"math {what} not found at {path}: run `npm ci` (the Makefile does)")
        self.cache_dir = Path(root) / cache_dir
        self.renderer = renderer_for(self.package_dir, dict(options))
        self.used: dict[int, str] = {}  # character -> first page whose formulas use it

    def assets(self) -> list[tuple[str, Path]]:
        """The stylesheet and the font's licence, as ``(site path, file)`` (the font comes after the build)."""
        return [(self.stylesheet, MATH_CSS), (f"{ASSET_DIR}/OFL.txt", self.font_licence)]

    def typeset(self, content: str, page: str = "") -> tuple[str, list[str]]:
        """``content`` with every arithmatex formula typeset, and a problem for each invalid one."""
        if "arithmatex" not in content:
            return content, []
        key = (content, id(self.renderer))  # mkdocs serve: an unchanged page is typeset once
        html, problems, used = _pages.get(key, lambda: self._typeset(content))
        for cp in used:
            self.used.setdefault(cp, page)
        return html, list(problems)

    def _typeset(self, content: str) -> tuple[str, tuple[str, ...], frozenset[int]]:
        matches = list(ARITHMATEX.finditer(content))
        if not matches:
            return content, (), frozenset()
        items = []
        for m in matches:
            display = m.group("display") is not None
            tex = html.unescape(m.group("display") if display else m.group("inline")).strip()
            items.append((tex, display))
        out, last, problems, used = [], 0, [], set()
        for m, (tex, display), (rendered, error) in zip(matches, items, self.renderer.render_many(items)):
            out.append(content[last:m.start()])
            if error:
                # the first line: Temml adds a second one, the formula with the fault underlined
                problems.append(f"invalid formula ${tex}$: {error.strip().splitlines()[0]}")
                rendered = f'<code class="math-error" title="{html.escape(error)}">{html.escape(tex)}</code>'
            else:
                rendered = bare_math(rendered, display)
                used |= math_font.used_codepoints(rendered)
            out.append(rendered)
            last = m.end()
        out.append(content[last:])
        return "".join(out), tuple(problems), frozenset(used)

    def write_font(self, site_dir: Path) -> list[tuple[str, str]]:
        """Write the font subset into the site; ``(page, problem)`` for each character it lacks."""
        target = Path(site_dir) / ASSET_DIR / FONT_NAME
        missing = math_font.write_subset(self.font, set(self.used), target, self.cache_dir)
        return [(self.used[cp], f"the math font has no glyph for U+{cp:04X} {chr(cp)!r}") for cp in sorted(missing)]
