"""Draw the site's figures: the house style, SVG for the light and the dark scheme, incremental builds.

The figures are small functions in ``scripts/figures.py`` (the registry), each decorated with
:func:`figure` and returning a matplotlib ``Figure``; ``scripts/build_figures.py`` is the
command line (``--list``, ``--force``). For figure ``NAME.svg`` this module writes

* ``docs/figures/NAME.svg``: the file a page references (``![…](figures/NAME.svg)``; MkDocs
  checks the link, GitHub and Obsidian show it), its text colour following the reader's system
  scheme (``prefers-color-scheme``);
* ``docs/figures/light/NAME.svg`` and ``docs/figures/dark/NAME.svg``: the same drawing with the
  text colour fixed for Material's light and dark scheme. The site shows these two as a pair
  that follows Material's toggle (:mod:`relu_docsite.figures`).

The three files differ only in their ``<style>``, which is written here once per variant.

* **Theme-aware**: the background is transparent; text, axes and grid take the text colour
  (matplotlib draws them in :data:`FOREGROUND`, which becomes ``currentColor``); data colours
  come from :data:`PALETTE`, each at least 3:1 against both Material's white and its slate
  background; the text colours of :data:`TEXT_COLOURS`, 4.5:1.
* **Korean text stays text** (``svg.fonttype: none``) in the site's font stack; matplotlib
  measures it with the first Korean font installed. No font is embedded or downloaded.
* **Superscripts** (10⁻⁴, 0.25ⁿ): a figure writes them with :func:`superscript`, as Unicode
  superscript characters, which matplotlib measures about right. In the SVG each run of them
  becomes a raised, smaller ``<tspan>``: fonts draw U+2070..U+2079 at very different sizes, and
  many Korean fonts lack some. (Matplotlib cannot write a ``<tspan>`` from plain text, and its
  mathtext would draw the Hangul of a mixed label with its own math font, which has none.)
  Subscripts (θ₁, written with :func:`subscript`) become lowered, smaller ``<tspan>`` elements
  the same way.
* **Deterministic**: fixed seeds, ``svg.hashsalt``, no date or creator metadata, one torch
  thread where it matters: two runs write byte-identical files.
* **Incremental**: a figure's cache key (:func:`relu_docsite.cachekey.cache_key`) covers its
  function's source, the registry's shared code, this module, the ``relu_docs`` modules the
  function imports and the library versions. Keys and file hashes live in
  ``.cache/figures.json``; a figure is drawn again when its key changed or one of its files is
  missing or was edited. Checking costs a few milliseconds and imports neither matplotlib nor
  torch (the registry is read, not imported).
"""

from __future__ import annotations

import argparse
import ast
import functools
import hashlib
import importlib.util
import io
import json
import os
import re
import time
from pathlib import Path
from typing import Callable

from relu_docsite.cachekey import cache_key
from relu_docsite.project import project_root, write_atomic

#: where the figures go, under docs/
FIGURES_DIR = "figures"
#: the two colour schemes, each a sub-directory of docs/figures/
SCHEMES = ("light", "dark")
#: bump to redraw every figure (a change of cache layout)
FORMAT_VERSION = "2"


# ============================================================ the registry
def figure(name: str) -> Callable:
    """Register the decorated function as the drawing of ``docs/figures/<name>``."""

    def register(func):
        func.figure_name = name
        return func

    return register


def load_registry(path: str | os.PathLike) -> dict[str, Callable]:
    """Import the registry file afresh and return ``{figure name: function}`` in file order."""
    spec = importlib.util.spec_from_file_location("relu_figure_registry", Path(path))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    found: dict[str, Callable] = {}
    for value in vars(module).values():
        name = getattr(value, "figure_name", None)
        if callable(value) and name:
            if name in found:
                raise ValueError(f"figure {name!r} is defined twice in {path}")
            found[name] = value
    return found


# ============================================================ the house style
#: stands for "the text colour"; becomes ``currentColor`` in the SVG
FOREGROUND = "#010203"
#: data colours, each >= 3:1 contrast on white and on Material's slate (#1e2129)
PALETTE = {
    "blue": "#2f7fd8",
    "orange": "#d9730d",
    "green": "#1f9d55",
    "purple": "#9b59d0",
    "pink": "#d6336c",
    "gray": "#808080",
}
#: the text colour of each scheme's variant (>= 4.5:1 on white, on slate)
TEXT_COLOURS = {"light": "#1f2328", "dark": "#e6edf3"}
#: the site's text font stack (docs/stylesheets/extra.css)
FONT_STACK = (
    "-apple-system, BlinkMacSystemFont, 'Apple SD Gothic Neo', 'Malgun Gothic', '맑은 고딕', "
    "'Noto Sans KR', 'Noto Sans CJK KR', NanumGothic, 'Segoe UI', Roboto, 'Helvetica Neue', "
    "Arial, sans-serif"
)
#: used by matplotlib only to measure text for the layout (first installed wins)
MEASURE_FONTS = ["NanumGothic", "Noto Sans CJK KR", "Noto Sans KR", "Malgun Gothic",
                 "Apple SD Gothic Neo", "DejaVu Sans"]
#: what :func:`superscript` writes, and what the SVG raises
_SUPERSCRIPTS = "⁻⁰¹²³⁴⁵⁶⁷⁸⁹ⁿ"
_PLAIN = "-0123456789n"


#: what :func:`subscript` writes, and what the SVG lowers
_SUBSCRIPTS = "₀₁₂₃₄₅₆₇₈₉"
_SUBSCRIPT_PLAIN = "0123456789"


def subscript(text: str) -> str:
    """``text`` (digits) as a subscript: ``"θ" + subscript("1")`` reads θ₁."""
    return text.translate(str.maketrans(_SUBSCRIPT_PLAIN, _SUBSCRIPTS))


def superscript(text: str) -> str:
    """``text`` (digits, ``-``, ``n``) as a superscript: ``"10" + superscript("-4")`` reads 10⁻⁴."""
    return text.translate(str.maketrans(_PLAIN, _SUPERSCRIPTS))


def rc() -> dict:
    """matplotlib settings of every figure."""
    from cycler import cycler
    from matplotlib import font_manager

    installed = {f.name for f in font_manager.fontManager.ttflist}
    fonts = [f for f in MEASURE_FONTS if f in installed] or ["DejaVu Sans"]
    return {
        "svg.fonttype": "none",
        "svg.hashsalt": "relu-docs",
        "svg.image_inline": True,
        "font.family": "sans-serif",
        "font.sans-serif": fonts,
        "font.size": 10.5,
        "axes.titlesize": 11.5,
        "figure.titlesize": 12.5,
        "axes.unicode_minus": True,
        "text.color": FOREGROUND,
        "axes.labelcolor": FOREGROUND,
        "axes.edgecolor": FOREGROUND,
        "axes.facecolor": "none",
        "figure.facecolor": "none",
        "savefig.facecolor": "none",
        "savefig.edgecolor": "none",
        "xtick.color": FOREGROUND,
        "ytick.color": FOREGROUND,
        "grid.color": FOREGROUND,
        "grid.alpha": 0.15,
        "grid.linewidth": 0.6,
        "axes.grid": True,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.prop_cycle": cycler(color=list(PALETTE.values())),
        "legend.frameon": False,
        "legend.labelcolor": FOREGROUND,
        "lines.linewidth": 2.0,
        "path.simplify": True,
    }


def new_figure(width: float, height: float, **kwargs):
    """A figure not attached to pyplot (no global state), sized in inches."""
    from matplotlib.figure import Figure

    return Figure(figsize=(width, height), layout="constrained", **kwargs)


# ============================================================ SVG
_ID = re.compile(r'\sid="([^"]+)"')
_REF = re.compile(r'(url\(#|href="#)([^)"]+)')
_SCRIPTS = _SUPERSCRIPTS + _SUBSCRIPTS
_TEXT_WITH_SUPERSCRIPT = re.compile(
    rf'(<text [^>]*font-size: ([0-9.]+)px[^>]*>)([^<]*[{_SCRIPTS}][^<]*)</text>')


def _raise_superscripts(match: re.Match) -> str:
    """One ``<text>``'s runs of superscript (subscript) characters as raised (lowered), smaller ``<tspan>``s."""
    head, size, content = match.group(1), float(match.group(2)), match.group(3)
    # baseline offset of each kind of run, in px (SVG y grows downwards)
    offset = {"sup": -float(f"{0.42 * size:.2f}"), "sub": float(f"{0.22 * size:.2f}"), "plain": 0.0}
    out, current = [], 0.0
    for run in re.findall(f"[{_SUPERSCRIPTS}]+|[{_SUBSCRIPTS}]+|[^{_SCRIPTS}]+", content):
        kind = "sup" if run[0] in _SUPERSCRIPTS else "sub" if run[0] in _SUBSCRIPTS else "plain"
        dy = f' dy="{offset[kind] - current:.2f}"' if offset[kind] != current else ""
        current = offset[kind]
        if kind == "plain":
            out.append(f"<tspan{dy}>{run}</tspan>" if dy else run)
        else:
            digits = run.translate(str.maketrans(_SCRIPTS, (_PLAIN + _SUBSCRIPT_PLAIN).replace("-", "−")))
            out.append(f'<tspan{dy} style="font-size: {0.72 * size:.2f}px">{digits}</tspan>')
    return head + "".join(out) + "</text>"


def clean_svg(svg: str, slug: str) -> str:
    """matplotlib's SVG made theme-aware and compact, without a ``<style>`` yet.

    * the text colour stand-in becomes ``currentColor``, which the root's ``fill`` uses too;
    * matplotlib's ``<style>`` (a global ``*`` rule), per-text font families, metadata and
      comments are dropped;
    * superscript (subscript) characters become raised (lowered) ``<tspan>``\\ s;
    * ids that nothing references are dropped, the others get the figure's slug as prefix
      (two figures on one page never share an id).
    """
    svg = svg.replace(FOREGROUND, "currentColor")
    svg = re.sub(r"\s*<metadata>.*?</metadata>", "", svg, flags=re.S)
    svg = re.sub(r"\s*<!--.*?-->", "", svg, flags=re.S)
    svg = re.sub(r"\s*<defs>\s*<style[^>]*>.*?</style>\s*</defs>", "", svg, count=1, flags=re.S)
    svg = re.sub(r"font-family:[^;\"]*;?\s*", "", svg)
    svg = re.sub(r'style="([^"]*?);?\s*"', lambda m: f'style="{m.group(1).strip()}"', svg)
    svg = svg.replace(' style=""', "")
    svg = _TEXT_WITH_SUPERSCRIPT.sub(_raise_superscripts, svg)
    referenced = {m.group(2) for m in _REF.finditer(svg)}
    svg = _ID.sub(lambda m: f' id="{slug}-{m.group(1)}"' if m.group(1) in referenced else "", svg)
    svg = _REF.sub(lambda m: f"{m.group(1)}{slug}-{m.group(2)}", svg)
    svg, n = re.subn(
        r"<svg ([^>]*)>",
        lambda m: (f'<svg {m.group(1)} class="relu-figure" '
                   'style="fill: currentColor; stroke-linejoin: round; stroke-linecap: butt">'),
        svg,
        count=1,
    )
    if n != 1:
        raise ValueError("no <svg> root element in matplotlib's output")
    if FOREGROUND in svg or "#000000" in svg:
        raise ValueError(f"{slug}: a hard-coded black survived post-processing")
    return svg


def style(scheme: str | None) -> str:
    """The ``<style>`` of a variant: ``scheme`` "light" or "dark", or None to follow the reader's system."""
    rule = "svg.relu-figure{{color:{};font-family:" + FONT_STACK + "}}"
    if scheme is None:
        return (f"<style>{rule.format(TEXT_COLOURS['light'])}"
                f"@media (prefers-color-scheme: dark){{svg.relu-figure{{color:{TEXT_COLOURS['dark']}}}}}</style>")
    return f"<style>{rule.format(TEXT_COLOURS[scheme])}</style>"


def outputs(name: str) -> list[str]:
    """The files written for figure ``name``, relative to docs/figures/."""
    return [name, *(f"{scheme}/{name}" for scheme in SCHEMES)]


def variants(svg: str, name: str) -> dict[str, str]:
    """``{file: text}`` of figure ``name``: the cleaned SVG with each variant's ``<style>``."""
    root = re.search(r"<svg [^>]*>", svg).end()
    return {path: f"{svg[:root]}\n {style(scheme)}{svg[root:]}" for path, scheme in zip(outputs(name), (None, *SCHEMES))}


def render(func: Callable, name: str) -> dict[str, bytes]:
    """Draw ``func`` and return ``{file: bytes}`` of its three SVG files."""
    import warnings

    import matplotlib

    with matplotlib.rc_context(rc()), warnings.catch_warnings():
        # Without a Korean font installed, matplotlib measures Hangul with a
        # fallback glyph; the browser still draws it with a Korean font.
        warnings.filterwarnings("ignore", message=r"Glyph \d+ .* missing from font")
        fig = func()
        buf = io.StringIO()
        fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": None}, transparent=True)
    svg = clean_svg(buf.getvalue(), slug=Path(name).stem)
    return {path: text.encode("utf-8") for path, text in variants(svg, name).items()}


# ============================================================ incremental build
def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _figure_nodes(tree: ast.Module) -> dict[str, ast.FunctionDef]:
    """Map figure name -> FunctionDef node (``@figure("name.svg")``), read from the source."""
    nodes = {}
    for node in tree.body:
        if not isinstance(node, ast.FunctionDef):
            continue
        for dec in node.decorator_list:
            if (isinstance(dec, ast.Call) and isinstance(dec.func, ast.Name) and dec.func.id == "figure"
                    and dec.args and isinstance(dec.args[0], ast.Constant)):
                nodes[dec.args[0].value] = node
    return nodes


@functools.lru_cache(maxsize=4)  # mkdocs serve checks the figures before every build: parse once
def _split_registry(source: str) -> tuple[str, dict[str, str]]:
    nodes = _figure_nodes(ast.parse(source))
    lines = source.splitlines(keepends=True)
    segments = {name: "".join(lines[n.decorator_list[0].lineno - 1: n.end_lineno]) for name, n in nodes.items()}
    shared = source
    for segment in segments.values():
        shared = shared.replace(segment, "")
    return shared, segments


class FigureBuild:
    """The figures of ``registry`` drawn into ``out_dir``, by default the project's docs/figures/.

    ``cache`` is the cache file: by default the project's ``.cache/figures.json`` when drawing
    into the project's docs/figures/, else none (every requested figure is drawn).
    ``package_dir`` is the relu_docs whose modules the keys follow (default: the project's).
    """

    def __init__(self, registry: str | os.PathLike, out_dir: str | os.PathLike | None = None,
                 cache=..., package_dir: str | os.PathLike | None = None):
        self.registry = Path(registry).resolve()
        project = project_root(self.registry) if out_dir is None or package_dir is None else None
        self.out_dir = Path(out_dir) if out_dir is not None else project / "docs" / FIGURES_DIR
        if cache is ...:
            cache = project / ".cache" / "figures.json" if out_dir is None else None
        self.cache_path = Path(cache) if cache is not None else None
        self.package_dir = Path(package_dir) if package_dir is not None else project / "relu_docs"

    # ------------------------------------------------------------ keys
    def _analyse(self):
        """Shared code, each figure's source segment, and its relu_docs modules."""
        shared, segments = _split_registry(self.registry.read_text("utf-8"))
        return shared, dict(segments)

    def names(self) -> list[str]:
        return list(self._analyse()[1])

    def keys(self) -> dict[str, str]:
        """``{figure name: cache key}``."""
        shared, segments = self._analyse()
        machinery = Path(__file__).read_text("utf-8")
        return {name: cache_key(segment, shared, machinery, package_dir=self.package_dir, version=FORMAT_VERSION)[0]
                for name, segment in segments.items()}

    def dependencies(self) -> dict[str, list[str]]:
        """``{figure name: the relu_docs modules it uses}``."""
        shared, segments = self._analyse()
        return {name: cache_key(segment, shared, package_dir=self.package_dir)[1] for name, segment in segments.items()}

    # ------------------------------------------------------------ cache
    def check_names(self, only=None) -> list[str]:
        known = self.names()
        names = known if only is None else list(only)
        unknown = [n for n in names if n not in known]
        if unknown:
            raise ValueError(f"unknown figure(s) {unknown}; known: {sorted(known)}")
        return names

    def _records(self) -> dict:
        if self.cache_path is None or not self.cache_path.is_file():
            return {}
        try:
            data = json.loads(self.cache_path.read_text("utf-8"))
        except (OSError, ValueError):
            return {}
        return data.get("figures", {}) if data.get("version") == FORMAT_VERSION else {}

    def stale(self, only=None, keys: dict | None = None) -> list[str]:
        """Names of the figures to draw: code changed, or a file missing or edited."""
        names = self.check_names(only)
        keys = keys or self.keys()
        records = self._records()
        result = []
        for name in names:
            record = records.get(name, {})
            files = record.get("files", {})
            if record.get("key") != keys[name] or any(
                    not (self.out_dir / path).is_file() or files.get(path) != _sha((self.out_dir / path).read_bytes())
                    for path in outputs(name)):
                result.append(name)
        return result

    def build(self, only=None, force: bool = False, prune: bool | None = None, log=None) -> list[str]:
        """Draw the stale figures (all of ``only`` if ``force`` or without a cache); return their names.

        ``prune`` (default: when building every figure) deletes the other ``*.svg`` files of the
        output directory: figures that no longer exist.
        """
        names = self.check_names(only)
        keys = self.keys()
        todo = names if force or self.cache_path is None else self.stale(names, keys)
        functions = load_registry(self.registry) if todo else {}
        records = self._records()
        for name in todo:
            start = time.perf_counter()
            files = render(functions[name], name)
            for path, data in files.items():
                write_atomic(self.out_dir / path, data)
            records[name] = {"key": keys[name], "files": {path: _sha(data) for path, data in files.items()}}
            if log:
                log(f"  {name}: {time.perf_counter() - start:.2f} s")
        if prune if prune is not None else only is None:
            wanted = {path for name in self.names() for path in outputs(name)}
            for folder in (self.out_dir, *(self.out_dir / scheme for scheme in SCHEMES)):
                for path in sorted(folder.glob("*.svg")):
                    if path.relative_to(self.out_dir).as_posix() not in wanted:
                        path.unlink()
                        if log:
                            log(f"  removed {path.relative_to(self.out_dir)} (no figure of that name)")
        if self.cache_path is not None and todo:
            known = set(self.names())
            records = {k: v for k, v in sorted(records.items()) if k in known}
            write_atomic(self.cache_path, json.dumps({"version": FORMAT_VERSION, "figures": records}, indent=1) + "\n")
        return todo


# ============================================================ command line
def main(argv=None, registry: str | os.PathLike | None = None) -> list[str]:
    """``scripts/build_figures.py``; returns the names of the figures drawn."""
    parser = argparse.ArgumentParser(description="Draw the figures of the ReLU 위키 into docs/figures/.")
    parser.add_argument("names", nargs="*", help="figures to draw (default: all)")
    parser.add_argument("--registry", type=Path, default=registry, required=registry is None,
                        help="the file of figure functions (scripts/figures.py)")
    parser.add_argument("--out", type=Path, help="output directory (default: docs/figures)")
    parser.add_argument("--cache", type=Path, help="cache file (default: .cache/figures.json for the default output, else none)")
    parser.add_argument("--force", action="store_true", help="draw even if up to date")
    parser.add_argument("--list", action="store_true", help="list the figures and whether each is stale")
    parser.add_argument("--quiet", action="store_true")
    args = parser.parse_args(argv)

    figures = FigureBuild(args.registry, args.out, args.cache or ...)
    names = args.names or None
    if args.list:
        todo = set(figures.stale(names)) if figures.cache_path else set(figures.check_names(names))
        for name in figures.check_names(names):
            print(f"{name:24s} {'stale' if name in todo else 'up to date'}")
        return []
    start = time.perf_counter()
    done = figures.build(names, force=args.force, log=None if args.quiet else print)
    if not args.quiet:
        total = len(figures.check_names(names))
        where = os.path.relpath(figures.out_dir, Path.cwd())
        if done:
            print(f"figures: drew {len(done)} of {total} into {where} in {time.perf_counter() - start:.1f} s")
        else:
            print(f"figures: all {total} up to date in {where}")
    return done


if __name__ == "__main__":
    main()
