"""Typeset TeX with KaTeX at build time, through one long-lived ``node`` process.

The reader's browser runs no math JavaScript: every formula reaches it as
KaTeX HTML (plus MathML for screen readers). Results are cached per
``(tex, display)`` for the life of the Python process, so ``mkdocs serve``
re-renders only formulas it has not seen.
"""

from __future__ import annotations

import atexit
import itertools
import json
import shutil
import subprocess
import threading
from pathlib import Path

RENDER_JS = Path(__file__).with_name("katex_render.js")


class KatexError(ValueError):
    """A formula KaTeX refused; the message is KaTeX's."""


class KatexRenderer:
    """Render TeX strings to HTML with the KaTeX package in ``katex_dir``."""

    def __init__(self, katex_dir: Path):
        self.katex_dir = Path(katex_dir)
        if not (self.katex_dir / "package.json").is_file():
            raise FileNotFoundError(
                f"KaTeX not found at {self.katex_dir}: run `npm ci` (the Makefile does)"
            )
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

    def render(self, tex: str, display: bool = False) -> str:
        """Render one formula, raising :class:`KatexError` if KaTeX refuses it."""
        html, error = self.render_many([(tex, display)])[0]
        if error:
            raise KatexError(error)
        return html

    def close(self) -> None:
        if self._proc.poll() is None:
            self._proc.stdin.close()
            self._proc.wait(timeout=10)


_renderers: dict[Path, KatexRenderer] = {}


def get_renderer(katex_dir: Path) -> KatexRenderer:
    """One renderer per KaTeX directory, shared by every build of this process."""
    katex_dir = Path(katex_dir).resolve()
    if katex_dir not in _renderers:
        _renderers[katex_dir] = KatexRenderer(katex_dir)
    return _renderers[katex_dir]


@atexit.register
def _close_all() -> None:
    for renderer in _renderers.values():
        renderer.close()
