"""The experiment notebooks as pages: executed by us (cached), converted by mkdocs-jupyter.

``docs/notebooks/*.py`` (the plugin's ``notebooks`` glob) are jupytext notebooks. Before
mkdocs-jupyter sees the files, each gets an executed copy in ``.cache/notebooks/<name>.ipynb``
(executed with nbclient only when the notebook, a ``relu_docs`` module it imports, or a
library version changed: :mod:`relu_docsite.notebooks`) and the page's file points at that
copy. mkdocs-jupyter then only converts (``execute: false``), and its own HTML cache, keyed on
the file it reads, is keyed on the executed copy.

What this answers, trap by trap:

* a failing cell fails the build: execution raises :class:`~relu_docsite.notebooks.NotebookError`
  naming the notebook and the cell, and :meth:`NotebookPages.check_settings` refuses
  mkdocs-jupyter's ``execute: true`` and ``allow_errors: true``;
* stale outputs: the cache key covers the imported ``relu_docs`` modules;
* stray pages: mkdocs-jupyter's ``include`` must match the executed copies only, never a
  ``.py`` or ``.md`` under ``docs/`` (checked with its own ``should_include``);
* Korean anchors, CDN scripts, inlined CSS and figure alt text: :mod:`relu_docsite.notebook_html`;
  links to other pages: resolved and checked as MkDocs does for Markdown
  (:func:`relu_docsite.internals.resolve_links`).

Each notebook page links its ``.ipynb`` (mkdocs-jupyter's ``include_source`` copies the executed
copy next to the page).
"""

from __future__ import annotations

import html
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path, PurePosixPath

from mkdocs.plugins import get_plugin_logger
from mkdocs.structure.files import File
from mkdocs.structure.toc import get_toc
from mkdocs.utils import get_relative_url

from relu_docsite.internals import resolve_links
from relu_docsite.notebook_html import postprocess
from relu_docsite.notebooks import NotebookCache, Result

log = get_plugin_logger(__name__)

#: where the notebook pages' shared CSS is written in the site
CSS_DIR = "assets/notebooks"


class NotebookSettingsError(ValueError):
    """mkdocs-jupyter is configured in a way that would execute, hide errors or render stray files."""


def _download_note(filename: str) -> str:
    name = html.escape(filename)
    return (
        '<p class="notebook-download">'
        f'<a href="{name}" download>{name}</a>을(를) 내려받아 Jupyter에서 직접 실행할 수 있습니다. '
        "저장소에서 <code>pip install -e .</code>로 프로젝트를 설치한 Python 환경이면 충분합니다. "
        "아래 출력은 사이트를 빌드할 때 실제로 실행한 결과입니다.</p>"
    )


class NotebookPages:
    """The notebooks of one build: ``glob`` under docs/, executed copies in ``cache_dir``."""

    def __init__(self, glob: str, cache_dir: Path, package_dir: Path):
        self.glob = PurePosixPath(glob)
        self.cache = NotebookCache(cache_dir, package_dir)
        self.results: dict[str, Result] = {}  # src_uri -> what execution gave
        self.stylesheets: dict[str, str] = {}  # file name -> CSS
        self._started = None  # (sources, future) of start()

    def is_notebook(self, src_uri: str) -> bool:
        path = PurePosixPath(src_uri)
        return len(path.parts) == len(self.glob.parts) and path.match(str(self.glob))

    def check_settings(self, plugin, config) -> None:
        """Refuse mkdocs-jupyter settings that would execute, allow errors or render stray files."""
        settings = plugin.config
        if settings["execute"]:
            raise NotebookSettingsError("set mkdocs-jupyter's execute: false (the relu-wiki plugin executes, with a cache)")
        if settings["allow_errors"]:
            raise NotebookSettingsError("set mkdocs-jupyter's allow_errors: false (a failing cell must fail the build)")

        def renders(path: str, src_dir: Path) -> bool:
            return plugin.should_include(File(path, str(src_dir), config.site_dir, config.use_directory_urls))

        if not renders("example.ipynb", self.cache.cache_dir):
            raise NotebookSettingsError(f"mkdocs-jupyter's include must match the executed copies ({self.cache.cache_dir}/*.ipynb)")
        for stray in ("example.py", "notebooks/example.py", "example.md", "a/b.ipynb"):
            if renders(stray, Path(config.docs_dir)):
                raise NotebookSettingsError(f"mkdocs-jupyter's include/ignore would render docs/{stray} as a notebook")

    def start(self, docs_dir: Path) -> None:
        """Start executing the notebooks under ``docs_dir`` in the background (``on_pre_build``).

        A clean build then draws the figures while the kernels run; :meth:`execute` waits.
        """
        sources = sorted(p for p in Path(docs_dir).glob(str(self.glob)) if p.is_file())
        pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="notebooks")
        self._started = (tuple(p.resolve() for p in sources), pool.submit(self.cache.ensure, sources))
        pool.shutdown(wait=False)

    def wait(self) -> None:
        """Wait for what :meth:`start` started (a build that fails before ``on_files`` leaves no kernel running)."""
        if self._started is not None:
            self._started[1].exception()

    def execute(self, files) -> None:
        """Execute the notebooks among ``files`` (cached) and point each file at its executed copy.

        Before mkdocs-jupyter's ``on_files``: it wraps exactly the files its ``include`` matches,
        the executed copies. Raises ``NotebookError`` naming the notebook and the cell.
        """
        notebooks = sorted((f for f in files if self.is_notebook(f.src_uri)), key=lambda f: f.src_uri)
        sources = tuple(Path(f.abs_src_path).resolve() for f in notebooks)
        started, self._started = self._started, None
        if started is not None and started[0] == sources:
            results = started[1].result()  # raises the NotebookError of a failing notebook
        else:
            if started is not None:
                started[1].exception()
            results = self.cache.ensure(Path(f.abs_src_path) for f in notebooks)
        executed = [r.name for r in results if r.executed]
        log.info("Notebooks: %d executed (%s), %d from cache", len(executed), ", ".join(executed) or "none",
                 len(results) - len(executed))
        for file, result in zip(notebooks, results):
            file.abs_src_path = str(result.executed_path)
            self.results[file.src_uri] = result

    def point(self, page) -> None:
        """Point a notebook page's file at the executed copy (before mkdocs-jupyter's ``on_pre_page``).

        mkdocs-jupyter wraps each File in a ``NotebookFile`` that computes its own
        ``abs_src_path`` from ``src_dir`` and ``src_uri`` (the ``.py``); setting it on the
        wrapper too makes every later reader (mkdocs-jupyter's conversion, its cache key,
        ``include_source``) see the executed copy.
        """
        result = self.results.get(page.file.src_uri)
        if result is not None:
            page.file.abs_src_path = str(result.executed_path)

    def fix_html(self, content: str, page, config, files) -> tuple[str, list[str]]:
        """A notebook page's HTML made to fit the site (unchanged for other pages); and the problems found."""
        result = self.results.get(page.file.src_uri)
        if result is None:
            return content, []
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
        problems = list(processed.problems)
        if "</h1>" not in processed.html:
            problems.append("the notebook has no '# title' heading")
        self.stylesheets.update(processed.stylesheets)
        page.toc = get_toc(processed.toc_tokens)
        content = resolve_links(processed.html, page, config, files, processed.anchor_ids)
        return content.replace("</h1>", "</h1>" + _download_note(result.executed_path.name), 1), problems

    def write_css(self, site_dir: Path) -> None:
        """Write the notebook pages' shared stylesheets (content-addressed, once per build)."""
        for name, css in self.stylesheets.items():
            path = Path(site_dir) / CSS_DIR / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(css, encoding="utf-8")
