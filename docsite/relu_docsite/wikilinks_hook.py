"""MkDocs hook: the wiki machinery (wiki links, backlinks, glossary, concept map).

* ``on_config``: the ``abbr`` extension becomes :class:`~relu_docsite.abbr.KoreanAbbrExtension`
  loaded with the abbreviations of ``glossary.yml``, so every page explains
  ReLU, BN, GELU... on hover (``content.tooltips``) without a line added to it.
* ``on_files``: reads every page's Markdown and builds the page index and the
  link graph, on every build (``mkdocs serve`` rebuilds recompute it).
* ``on_nav``: remembers the navigation sections (the concept map's columns).
* ``on_page_markdown``: fills the glossary markers, turns wiki links into
  Markdown links to ``.md`` files (so MkDocs validates link and anchor), and
  appends "이 문서를 언급한 문서". Problems (an unresolved or ambiguous link,
  a glossary page that does not exist) are WARNINGs naming the page, so
  ``mkdocs build --strict`` fails on them.
* ``on_page_content``: replaces ``<!-- concept-map -->`` with the SVG map.

Backlinks: a page is listed under another when its Markdown links to it by a
wiki link or an ordinary ``.md`` link. The hub pages ``index.md``,
``glossary.md`` and ``references.md`` (see ``wikilinks.HUB_PAGES``) link to
every page by construction, so they are neither counted as mentions nor
given a backlinks section.
"""

from __future__ import annotations

import logging
from types import SimpleNamespace

from mkdocs.exceptions import PluginError
from mkdocs.structure.nav import Section
from mkdocs.structure.pages import Page

from relu_docsite import wikilinks as wl
from relu_docsite.abbr import KoreanAbbrExtension
from relu_docsite.conceptmap import CONCEPT_MAP_MARKER, Node, render_concept_map
from relu_docsite.glossary import (
    ABBREVIATIONS_MARKER,
    TERMS_MARKER,
    abbreviations,
    load_glossary,
    render_abbreviations,
    render_terms,
)

log = logging.getLogger("mkdocs.hooks.wikilinks")

_state = SimpleNamespace(index=wl.PageIndex(), graph={}, backlinks={}, sections=[], slugify=None, terms=[])


def on_config(config):
    toc = config.mdx_configs.get("toc") or {}
    _state.slugify = toc.get("slugify") or wl.default_slugify()
    try:
        _state.terms = load_glossary()
    except (OSError, ValueError) as exc:
        raise PluginError(f"glossary: {exc}") from exc
    glossary = dict((config.mdx_configs.pop("abbr", None) or {}).get("glossary") or {})
    glossary = {**abbreviations(_state.terms), **glossary}
    extensions = [e for e in config.markdown_extensions if e != "abbr"]
    config.markdown_extensions[:] = [*extensions, KoreanAbbrExtension(glossary=glossary)]
    return config


def on_files(files, config):
    sources = {}
    for file in files.documentation_pages():
        if file.src_uri.endswith(".md"):
            sources[file.src_uri] = file.content_string
    _state.index = wl.PageIndex.from_sources(sources)
    _state.graph = wl.link_graph(_state.index)
    _state.backlinks = wl.backlinks(_state.graph)
    return files


def on_nav(nav, config, files):
    sections = []
    for item in nav.items:
        if isinstance(item, Section):
            pages = [c.file.src_uri for c in item.children if isinstance(c, Page)]
            sections.append((item.title, pages))
    _state.sections = sections
    return nav


def on_page_markdown(markdown, page, config, files):
    src = page.file.src_uri
    if not src.endswith(".md"):
        return markdown
    problems = []
    if TERMS_MARKER in markdown:
        table, found = render_terms(_state.terms, src, _state.index, _state.slugify)
        problems += found
        markdown = markdown.replace(TERMS_MARKER, table)
    if ABBREVIATIONS_MARKER in markdown:
        markdown = markdown.replace(ABBREVIATIONS_MARKER, render_abbreviations(_state.terms))
    markdown, found = wl.convert_wikilinks(markdown, src, _state.index, _state.slugify)
    problems += found
    for problem in problems:
        log.warning("Doc file '%s': %s", src, problem)
    if src not in wl.HUB_PAGES and src in _state.index.pages:
        markdown = markdown.rstrip("\n") + wl.render_backlinks(src, _state.backlinks.get(src, []), _state.index)
    return markdown


def on_page_content(html, page, config, files):
    if CONCEPT_MAP_MARKER not in html:
        return html
    columns = []
    for title, pages in _state.sections:
        nodes = []
        for src in pages:
            info = _state.index.pages.get(src)
            file = files.get_file_from_path(src)
            if info is None or file is None or src in wl.HUB_PAGES:
                continue
            nodes.append(Node(src, wl.short_title(info.title), info.title, file.url_relative_to(page.file)))
        columns.append((title, nodes))
    edges = {(a, b) for a, targets in _state.graph.items() for b in targets}
    return html.replace(CONCEPT_MAP_MARKER, render_concept_map(columns, edges))
