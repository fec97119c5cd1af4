"""The wiki of one build: the page index, wiki links, backlinks, the glossary page, the concept map.

* :meth:`Wiki.index` reads every page's Markdown and builds the page index and the link
  graph (on every build: a ``mkdocs serve`` rebuild recomputes it);
* :meth:`Wiki.remember_sections` keeps the navigation sections (the concept map's columns);
* :meth:`Wiki.page_markdown` fills the glossary page's markers from the glossary file, turns
  wiki links into Markdown links to ``.md`` files (so MkDocs validates link and anchor) and
  appends the backlinks section; an unresolved or ambiguous link, or a glossary term whose page
  does not exist, is a problem naming the link;
* :meth:`Wiki.concept_map` replaces ``<!-- concept-map -->`` (the home page) with the map.
"""

from __future__ import annotations

import hashlib
import re
from fnmatch import fnmatch

from mkdocs.structure.nav import Section
from mkdocs.structure.pages import Page

from relu_docsite import wikilinks as wl
from relu_docsite.memo import Memo
from relu_docsite.conceptmap import CONCEPT_MAP_MARKER, Node, render_concept_map
from relu_docsite.glossary import ABBREVIATIONS_MARKER, TERMS_MARKER, Term, render_abbreviations, render_terms


# A page's Markdown after this step, for the same Markdown and the same wiki around it
# (mkdocs serve: an edit elsewhere that changes no title, alias, heading or link reuses it).
_page_markdown = Memo()
_HEADING_LINE = re.compile(r"^[ \t]{0,3}#{1,6}[ \t].*$", re.MULTILINE)


class Wiki:
    def __init__(self, terms: list[Term], hub_pages: list[str], backlinks_heading: str, slugify: wl.Slugify):
        self.terms = terms
        self.hub_patterns = tuple(hub_pages)  # file names or globs (api/*.md)
        self.hubs: frozenset[str] = frozenset()
        self.heading = backlinks_heading
        self.slugify = slugify
        self.pages = wl.PageIndex()
        self.graph: dict[str, set[str]] = {}
        self.backlinks: dict[str, list[str]] = {}
        self.sections: list[tuple[str, list[str]]] = []
        self.state_key = ""

    def index(self, files, config_key: str = "") -> None:
        sources = {f.src_uri: f.content_string for f in files.documentation_pages() if f.src_uri.endswith(".md")}
        self.pages = wl.PageIndex.from_sources(sources)
        self.hubs = frozenset(s for s in sources if any(fnmatch(s, p) for p in self.hub_patterns))
        self.graph = wl.link_graph(self.pages)
        self.backlinks = wl.backlinks(self.graph, self.hubs)
        # What page_markdown reads of the other pages: titles, aliases, headings (a superset:
        # every line that looks like one), backlinks; and the glossary and settings.
        outline = [(src, info.title, info.aliases, _HEADING_LINE.findall(info.body)) for src, info in sorted(self.pages.pages.items())]
        self.state_key = hashlib.sha256(repr((config_key, outline, sorted(self.backlinks.items()), self.terms,
                                              sorted(self.hubs), self.heading)).encode("utf-8")).hexdigest()

    def remember_sections(self, nav) -> None:
        self.sections = [
            (item.title, [c.file.src_uri for c in item.children if isinstance(c, Page)])
            for item in nav.items if isinstance(item, Section)
        ]

    def page_markdown(self, markdown: str, src: str) -> tuple[str, list[str]]:
        if not src.endswith(".md"):
            return markdown, []
        markdown, problems = _page_markdown.get((markdown, src, self.state_key), lambda: self._page_markdown(markdown, src))
        return markdown, list(problems)

    def _page_markdown(self, markdown: str, src: str) -> tuple[str, tuple[str, ...]]:
        problems = []
        if TERMS_MARKER in markdown:
            table, found = render_terms(self.terms, src, self.pages, self.slugify)
            problems += found
            markdown = markdown.replace(TERMS_MARKER, table)
        if ABBREVIATIONS_MARKER in markdown:
            markdown = markdown.replace(ABBREVIATIONS_MARKER, render_abbreviations(self.terms))
        markdown, found = wl.convert_wikilinks(markdown, src, self.pages, self.slugify)
        problems += found
        if src not in self.hubs and src in self.pages.pages:
            section = wl.render_backlinks(src, self.backlinks.get(src, []), self.pages, self.heading)
            markdown = markdown.rstrip("\n") + section
        return markdown, tuple(problems)

    def concept_map(self, html: str, page, files) -> str:
        if CONCEPT_MAP_MARKER not in html:
            return html
        columns = []
        for title, pages in self.sections:
            nodes = []
            for src in pages:
                info = self.pages.pages.get(src)
                file = files.get_file_from_path(src)
                if info is None or file is None or src in self.hubs:
                    continue
                nodes.append(Node(src, wl.short_title(info.title), info.title, file.url_relative_to(page.file)))
            columns.append((title, nodes))
        edges = {(a, b) for a, targets in self.graph.items() for b in targets}
        return html.replace(CONCEPT_MAP_MARKER, render_concept_map(columns, edges))
