"""MkDocs hook: execute the experiment notebooks (cached) and render them with mkdocs-jupyter.

``docs/notebooks/*.py`` are jupytext notebooks. Before mkdocs-jupyter sees
the files, this hook makes sure each has an executed copy in
``.cache/notebooks/<name>.ipynb`` (executing it with nbclient only when the
notebook, a ``relu_docs`` module it imports, or a library version changed;
see :mod:`relu_docsite.notebooks`) and points the page's source at that
copy. mkdocs-jupyter then only converts (``execute: false``), and its own HTML
cache, keyed on the file it reads, is keyed on the executed copy.

What this answers, trap by trap:

* a failing cell fails the build: the hook executes with ``allow_errors``
  off and raises :class:`~mkdocs.exceptions.PluginError` naming the notebook
  and the cell; :func:`on_config` refuses ``execute: true`` and
  ``allow_errors: true`` in mkdocs-jupyter's own settings;
* stale outputs: the cache key covers the imported ``relu_docs`` modules;
* stray pages: mkdocs-jupyter's ``include`` must match the executed copies
  only, never a ``.py`` or ``.md`` under ``docs/`` (checked here too);
* Korean anchors, CDN scripts, inlined CSS and figure alt text: see
  :mod:`relu_docsite.notebook_html`.

Each notebook page links its ``.ipynb`` (mkdocs-jupyter's ``include_source``
copies the executed copy next to the page). During ``mkdocs serve`` the
``relu_docs`` package is watched, so editing it rebuilds the site and
re-executes the notebooks that import the edited module.
"""

from __future__ import annotations

import html
import logging
import re
from pathlib import Path, PurePosixPath
from urllib.parse import unquote

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.pages import _RelativePathTreeprocessor
from mkdocs.structure.toc import get_toc
from mkdocs.utils import get_relative_url

from relu_docsite.notebook_html import postprocess
from relu_docsite.notebooks import PACKAGE_DIR, NotebookCache, NotebookError

log = logging.getLogger("mkdocs.hooks.notebooks")

#: the notebooks, relative to ``docs_dir``
NOTEBOOK_GLOB = "notebooks/*.py"
#: executed copies and exports, relative to the directory of mkdocs.yml
CACHE_SUBDIR = ".cache/notebooks"
#: where the notebook pages' shared CSS is written in the site
CSS_DIR = "assets/notebooks"

LINK = re.compile(r'(<a\b[^>]*?\bhref=")([^"]*)(")')

# Per build: the hook module is loaded afresh with each configuration.
_results: dict = {}
_stylesheets: dict[str, str] = {}


def project_root(config) -> Path:
    return Path(config.config_file_path).resolve().parent


def cache_dir(config) -> Path:
    return project_root(config) / CACHE_SUBDIR


def is_notebook(src_uri: str) -> bool:
    path = PurePosixPath(src_uri)
    return len(path.parts) == 2 and path.match(NOTEBOOK_GLOB)


def on_config(config):
    plugin = config.plugins.get("mkdocs-jupyter")
    if plugin is None:
        raise PluginError("notebooks hook: the mkdocs-jupyter plugin is not configured")
    settings = plugin.config
    if settings["execute"]:
        raise PluginError("notebooks hook: set mkdocs-jupyter's execute: false (the hook executes, with a cache)")
    if settings["allow_errors"]:
        raise PluginError("notebooks hook: set mkdocs-jupyter's allow_errors: false (a failing cell must fail)")
    docs = Path(config.docs_dir)
    executed = cache_dir(config) / "example.ipynb"
    if not any(executed.match(p) for p in settings["include"]):
        raise PluginError(f"notebooks hook: mkdocs-jupyter's include must match the executed copies ({CACHE_SUBDIR}/*.ipynb)")
    for stray in (docs / "example.py", docs / "notebooks" / "example.py", docs / "example.md", docs / "a" / "b.ipynb"):
        if plugin.should_include(_Path(stray)):
            raise PluginError(f"notebooks hook: mkdocs-jupyter's include/ignore would render {stray.name} under docs/")
    return config


class _Path:
    """The one attribute of a File that mkdocs-jupyter's ``should_include`` reads."""

    def __init__(self, path: Path):
        self.abs_src_path = str(path)


@event_priority(100)  # before mkdocs-jupyter wraps the files
def on_files(files, config):
    _results.clear()
    _stylesheets.clear()
    notebooks = sorted((f for f in files if is_notebook(f.src_uri)), key=lambda f: f.src_uri)
    cache = NotebookCache(cache_dir(config))
    try:
        results = cache.ensure(Path(f.abs_src_path) for f in notebooks)
    except NotebookError as exc:
        raise PluginError(str(exc)) from None
    executed = [r.name for r in results if r.executed]
    log.info("Notebooks: %d executed (%s), %d from cache", len(executed), ", ".join(executed) or "none",
             len(results) - len(executed))
    for file, result in zip(notebooks, results):
        file.abs_src_path = str(result.executed_path)  # mkdocs-jupyter's on_files wraps the file
        _results[file.src_uri] = result
    return files


@event_priority(100)  # before mkdocs-jupyter decides whether to convert the page
def on_pre_page(page, config, files):
    """Point the page's file at the executed copy.

    mkdocs-jupyter wraps the File in a ``NotebookFile`` whose ``abs_src_path``
    is computed afresh from ``src_dir`` and ``src_uri`` (the ``.py``);
    setting it on the wrapper too makes every later reader (mkdocs-jupyter's
    conversion, its cache key, ``include_source``) see the executed copy.
    """
    result = _results.get(page.file.src_uri)
    if result is not None:
        page.file.__dict__["abs_src_path"] = str(result.executed_path)
        if type(page.file).__name__ != "NotebookFile":
            raise PluginError(f"notebooks hook: mkdocs-jupyter did not take {page.file.src_uri} (check its include)")
    return page


def _download_note(filename: str) -> str:
    name = html.escape(filename)
    return (
        '<p class="notebook-download">'
        f'<a href="{name}" download>{name}</a>을(를) 내려받아 Jupyter에서 직접 실행할 수 있습니다. '
        "저장소에서 <code>pip install -e .</code>로 프로젝트를 설치한 Python 환경이면 충분합니다. "
        "아래 출력은 사이트를 빌드할 때 실제로 실행한 결과입니다.</p>"
    )


@event_priority(50)  # before the KaTeX hook typesets the formulas this produces
def on_page_content(content, page, config, files):
    result = _results.get(page.file.src_uri)
    if result is None:
        return content
    toc_config = config.mdx_configs.get("toc", {})
    slugify = toc_config.get("slugify")
    if slugify is None:
        from markdown.extensions.toc import slugify
    processed = postprocess(
        content,
        slugify=slugify,
        permalink_title=toc_config.get("permalink_title", "Permanent link"),
        alt_by_cell=result.alt_text,
        css_href_prefix=get_relative_url(f"{CSS_DIR}/x.css", page.url)[: -len("x.css")],
    )
    for problem in processed.problems:
        log.warning("notebook %s: %s", result.source.name, problem)
    if "</h1>" not in processed.html:
        log.warning("notebook %s: no '# title' heading", result.source.name)
    _stylesheets.update(processed.stylesheets)
    page.toc = get_toc(processed.toc_tokens)
    page.present_anchor_ids = processed.anchor_ids
    content = resolve_links(processed.html, page, config, files)
    return content.replace("</h1>", "</h1>" + _download_note(result.executed_path.name), 1)


def resolve_links(content: str, page, config, files) -> str:
    """Resolve ``../relu.md#anchor`` links as MkDocs does for a Markdown page.

    MkDocs' own link processor rewrites each href to the target page's URL,
    warns (so ``--strict`` fails) on a missing target, and records links to
    anchors, which MkDocs then checks against the target page's ids.
    """
    processor = _RelativePathTreeprocessor(page.file, files, config)

    def replace(m: re.Match) -> str:
        # nbconvert percent-encodes the href; MkDocs compares anchors as written
        url = processor.path_to_url(unquote(html.unescape(m.group(2))))
        return m.group(1) + html.escape(url) + m.group(3)

    content = LINK.sub(replace, content)
    page.links_to_anchors = processor.links_to_anchors
    return content


def on_post_build(config):
    out = Path(config.site_dir) / CSS_DIR
    if _stylesheets:
        out.mkdir(parents=True, exist_ok=True)
    for name, css in _stylesheets.items():
        (out / name).write_text(css, encoding="utf-8")


def on_serve(server, config, builder):
    """Rebuild when relu_docs changes: notebooks importing the edited module re-execute."""
    server.watch(str(PACKAGE_DIR))
    return server
