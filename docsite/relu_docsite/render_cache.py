"""Reuse, across the builds of one ``mkdocs serve``, the Markdown rendering of pages that did not change.

``mkdocs serve`` rebuilds the whole site after every change, and converting the pages'
Markdown to HTML (Python-Markdown with its extensions: highlighting, mkdocstrings' API pages,
...) was most of a rebuild. A page's HTML is a function of its final Markdown (after the wiki
links, glossary and backlinks steps, which see the whole site) and of a few things around it;
when none of them changed, the previous build's result is used again:

* **the key** (:meth:`RenderCache.key`): the page's final Markdown, its URL and front matter;
  the site's files and their URLs (a link to a page that disappeared must warn again); the
  configuration file and the glossary (Markdown extensions, abbreviations); the files the page
  includes with ``--8<--`` (their contents); for an API page (``:::``), the source of the
  package it documents. A page whose ``--8<--`` lines are not the simple ``--8<-- "path"``
  form is always rendered.
* **the result**: what ``Page.render`` sets (the HTML, the table of contents, the title from
  the first heading, the anchors the page has, the anchors it links to), the warnings logged
  while rendering (replayed, so ``--strict`` and ``mkdocs serve`` still report them every
  build), and what the Markdown extensions registered elsewhere while rendering: the anchors
  mkdocs-autorefs learnt (``register_anchor``) and mkdocstrings' inventory entries. Those are
  replayed on the current build's plugins, so cross-references keep resolving.

The cache lives in this process (``mkdocs build`` renders everything once, as before); the
page's own steps after rendering (math, figures, the checks of tex.py) run every build. The
plugin installs it per page the way mkdocs-jupyter installs its notebook renderer, as an
instance-level ``render`` (``on_pre_page``); which attributes ``Page.render`` sets is a part of
MkDocs this relies on (docsite/relu_docsite/internals.py, tests/test_internals.py).
"""

from __future__ import annotations

import copy
import hashlib
import logging
import re
import types
from dataclasses import dataclass, field
from pathlib import Path

from mkdocs.structure.pages import Page

#: bump when what is cached changes
CACHE_VERSION = "1"
#: ``--8<-- "path"`` (pymdownx.snippets, one file per line; ``path:1:5`` selects lines)
SNIPPET = re.compile(r'^[ \t]*-{1,}8<-{1,}[ \t]+"([^"\n]+)"[ \t]*$', re.MULTILINE)
_ANY_SNIPPET = re.compile(r"-{1,}8<-{1,}")
_API_BLOCK = re.compile(r"^:::[ \t]+\S", re.MULTILINE)
#: the attributes ``Page.render`` sets (checked against MkDocs by tests/test_internals.py)
RENDERED = ("content", "toc", "_title_from_render", "present_anchor_ids", "links_to_anchors")


@dataclass
class Rendered:
    content: str
    toc: object
    title: str | None
    anchors: set[str] | None
    links: dict[str, dict[str, str]] | None  # target src_uri -> {anchor: link as written}
    calls: list[tuple[str, tuple, dict]] = field(default_factory=list)  # (what, args, kwargs); page as None
    records: list[logging.LogRecord] = field(default_factory=list)


# key -> result, for every build of this process
_cache: dict[str, Rendered] = {}
_PAGE = object()  # stands for the page in a recorded call


def _digest(*parts) -> str:
    h = hashlib.sha256()
    for part in parts:
        h.update(part if isinstance(part, bytes) else str(part).encode("utf-8"))
        h.update(b"\x00")
    return h.hexdigest()


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError:
        return b"<missing>"


class _Collect(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record):
        self.records.append(record)


class RenderCache:
    """The render cache for one build (the entries themselves are kept for the process)."""

    def __init__(self, root: Path, config, package_dir: Path, extra_inputs: list[Path]):
        self.root = Path(root)
        self.config = config
        self.package_dir = Path(package_dir)
        self.extra_inputs = [Path(p) for p in extra_inputs]
        self._site_key: str | None = None
        self._package_key: str | None = None
        self.reused: list[str] = []
        self.rendered: list[str] = []

    # ------------------------------------------------------------------ the key
    def site_key(self, files) -> str:
        """The configuration, the glossary and the site's files with their URLs (once per build)."""
        if self._site_key is None:
            listing = sorted((f.src_uri, f.url) for f in files)
            self._site_key = _digest(
                CACHE_VERSION, self.config.site_url, self.config.use_directory_urls,
                _read(Path(self.config.config_file_path)), *(_read(p) for p in self.extra_inputs), listing)
        return self._site_key

    def package_key(self) -> str:
        """The source of the documented package (an API page renders it)."""
        if self._package_key is None:
            sources = sorted(self.package_dir.rglob("*.py"))
            self._package_key = _digest(*((p.relative_to(self.package_dir).as_posix(), _read(p)) for p in sources))
        return self._package_key

    def key(self, page, files) -> str | None:
        """The key of ``page``'s rendering, or None when it cannot be cached."""
        markdown = page.markdown or ""
        snippets = SNIPPET.findall(markdown)
        if len(snippets) != len(_ANY_SNIPPET.findall(markdown)):
            return None  # a form of --8<-- this module does not follow
        included = [(s, self._snippet(s.split(":", 1)[0])) for s in snippets]
        if any(_ANY_SNIPPET.search(content.decode("utf-8", "replace")) for _, content in included):
            return None  # nested snippets: not followed
        api = self.package_key() if _API_BLOCK.search(markdown) else ""
        meta = repr(sorted((str(k), repr(v)) for k, v in page.meta.items()))
        return _digest(self.site_key(files), page.file.src_uri, page.url, meta, markdown, api, *included)

    def _snippet(self, name: str) -> bytes:
        """The file ``--8<-- "name"`` includes: found as pymdownx.snippets finds it, in its base paths."""
        options = self.config.mdx_configs.get("pymdownx.snippets") or {}
        bases = options.get("base_path", ["."])
        for base in [bases] if isinstance(bases, str) else bases:
            path = Path(base) / name
            if path.is_file():
                return _read(path)
        return b"<missing>"

    # ------------------------------------------------------------------ rendering
    def install(self, page) -> None:
        """Make ``page.render`` go through the cache (before MkDocs renders it)."""
        cache = self

        def render(self_page, config, files):
            cache.render(self_page, config, files)

        page.render = types.MethodType(render, page)

    def render(self, page, config, files) -> None:
        key = self.key(page, files)
        hit = _cache.get(key) if key else None
        if hit is not None:
            self._restore(page, hit, config, files)
            self.reused.append(page.file.src_uri)
            return
        result = self._render(page, config, files)
        self.rendered.append(page.file.src_uri)
        if key and result is not None:
            _cache[key] = result

    def _side_effects(self, config):
        """``(object, method name, kind)`` of what the Markdown extensions register outside the page."""
        targets = []
        autorefs = config.plugins.get("autorefs")
        if autorefs is not None:
            targets.append((autorefs, "register_anchor", "anchor"))
        mkdocstrings = config.plugins.get("mkdocstrings")
        if mkdocstrings is not None:
            try:
                targets.append((mkdocstrings.handlers.inventory, "register", "inventory"))
            except RuntimeError:
                pass
        return targets

    def _render(self, page, config, files) -> Rendered | None:
        calls: list[tuple[str, tuple, dict]] = []
        patched = []
        for obj, name, kind in self._side_effects(config):
            original = getattr(obj, name)

            def recorder(*args, _original=original, _kind=kind, **kwargs):
                calls.append((_kind, tuple(_PAGE if a is page else a for a in args),
                              {k: (_PAGE if v is page else v) for k, v in kwargs.items()}))
                return _original(*args, **kwargs)

            patched.append((obj, name, vars(obj).get(name)))
            setattr(obj, name, recorder)
        collect = _Collect()
        logger = logging.getLogger("mkdocs")
        logger.addHandler(collect)
        try:
            Page.render(page, config, files)
        finally:
            logger.removeHandler(collect)
            for obj, name, own in reversed(patched):
                if own is None:
                    delattr(obj, name)  # the method is the class's again
                else:
                    setattr(obj, name, own)
        links = None
        if page.links_to_anchors is not None:
            links = {f.src_uri: dict(anchors) for f, anchors in page.links_to_anchors.items()}
        return Rendered(page.content, copy.deepcopy(page.toc), page._title_from_render,
                        set(page.present_anchor_ids or ()) if page.present_anchor_ids is not None else None,
                        links, calls, collect.records)

    def _restore(self, page, hit: Rendered, config, files) -> None:
        page.content = hit.content
        page.toc = copy.deepcopy(hit.toc)
        page._title_from_render = hit.title
        page.present_anchor_ids = set(hit.anchors) if hit.anchors is not None else None
        if hit.links is not None:
            page.links_to_anchors = {files.get_file_from_path(uri): dict(anchors) for uri, anchors in hit.links.items()
                                     if files.get_file_from_path(uri) is not None}
        targets = {kind: (obj, name) for obj, name, kind in self._side_effects(config)}
        for kind, args, kwargs in hit.calls:
            if kind in targets:
                obj, name = targets[kind]
                getattr(obj, name)(*(page if a is _PAGE else a for a in args),
                                   **{k: (page if v is _PAGE else v) for k, v in kwargs.items()})
        for record in hit.records:
            logging.getLogger(record.name).handle(record)
