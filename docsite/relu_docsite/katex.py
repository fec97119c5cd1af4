"""Math: the TeX that pymdownx.arithmatex marks is typeset by KaTeX when the site is built.

The reader's browser runs no math JavaScript: every formula reaches it as KaTeX HTML (plus
MathML for screen readers). KaTeX is the npm package pinned in package-lock.json; one
long-lived ``node`` process (``katex_render.js``) renders for the whole Python process, and
results are cached per ``(tex, display)``, so a ``mkdocs serve`` rebuild renders only formulas
it has not seen. KaTeX's CSS and fonts are served from the same package, so their versions
always agree.

What the plugin uses (a typesetter with the same three would replace this module):

* :class:`Katex` ``(katex_dir)``: starts the renderer, or raises ``FileNotFoundError`` saying
  what is missing;
* :attr:`Katex.stylesheet` and :meth:`Katex.assets`: the CSS (for ``extra_css``) and the
  files to serve (``(site path, file)`` pairs);
* :meth:`Katex.typeset`: a page's HTML with every formula typeset, and a message for each
  formula KaTeX refused.
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

RENDER_JS = Path(__file__).with_name("katex_render.js")
#: where KaTeX's CSS and fonts are served in the site
ASSET_DIR = "assets/katex"

# pymdownx.arithmatex's output (generic: true).
ARITHMATEX = re.compile(
    r'<(?P<tag>span|div) class="arithmatex">\s*'
    r"(?:\\\((?P<inline>.*?)\\\)|\\\[(?P<display>.*?)\\\])\s*</(?P=tag)>",
    re.DOTALL,
)


class KatexRenderer:
    """Render TeX strings to HTML with the KaTeX package in ``katex_dir``."""

    def __init__(self, katex_dir: Path):
        self.katex_dir = Path(katex_dir)
        if not (self.katex_dir / "package.json").is_file():
            raise FileNotFoundError(f"KaTeX not found at {self.katex_dir}: run `npm ci` (the Makefile does)")
        node = shutil.which("node")
        if node is None:
            raise FileNotFoundError("node is not on PATH: KaTeX needs Node.js to render formulas")
        self._proc = subprocess.Popen(
            [node, str(RENDER_JS), str(self.katex_dir)],
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
                answer = json.loads(self._proc.stdout.readline())
            if answer["id"] != request_id:
                raise RuntimeError("KaTeX renderer answered out of order")
            for item, result in zip(todo, answer["results"]):
                self._cache[item] = (result.get("html"), result.get("error"))
        return [self._cache[item] for item in items]

    def close(self) -> None:
        if self._proc.poll() is None:
            self._proc.stdin.close()
            self._proc.wait(timeout=10)


_renderers: dict[Path, KatexRenderer] = {}


@atexit.register
def _close_all() -> None:
    for renderer in _renderers.values():
        renderer.close()


class Katex:
    """KaTeX for one build; the renderer process is shared by every build of this Python process."""

    stylesheet = f"{ASSET_DIR}/katex.min.css"

    def __init__(self, katex_dir: Path):
        self.katex_dir = Path(katex_dir).resolve()
        if self.katex_dir not in _renderers:
            _renderers[self.katex_dir] = KatexRenderer(self.katex_dir)
        self.renderer = _renderers[self.katex_dir]

    def assets(self) -> list[tuple[str, Path]]:
        """``katex.min.css`` and every font file it refers to, as ``(site path, file)``."""
        dist = self.katex_dir / "dist"
        return [(f"{ASSET_DIR}/{path.relative_to(dist).as_posix()}", path)
                for path in [dist / "katex.min.css", *sorted((dist / "fonts").iterdir())]]

    def typeset(self, content: str) -> tuple[str, list[str]]:
        """``content`` with every arithmatex formula typeset, and a problem for each invalid one.

        An invalid formula stays visible as ``<code class="katex-error">`` with KaTeX's message.
        """
        matches = list(ARITHMATEX.finditer(content))
        if not matches:
            return content, []
        items = []
        for m in matches:
            display = m.group("display") is not None
            tex = html.unescape(m.group("display") if display else m.group("inline")).strip()
            items.append((tex, display))
        out, last, problems = [], 0, []
        for m, (tex, display), (rendered, error) in zip(matches, items, self.renderer.render_many(items)):
            out.append(content[last:m.start()])
            if error:
                problems.append(f"invalid formula ${tex}$: {error}")
                rendered = f'<code class="katex-error" title="{html.escape(error)}">{html.escape(tex)}</code>'
            elif display:
                rendered = f'<div class="arithmatex katex-display-block">{rendered}</div>'
            out.append(rendered)
            last = m.end()
        out.append(content[last:])
        return "".join(out), problems
