"""Obsidian wiki links, page names and backlinks.

Pure Python on Markdown text (no MkDocs objects), so it is unit-tested on its own.

* :func:`split_protected` cuts a Markdown source into text and *protected* pieces:
  fenced code blocks (backticks or tildes, any length, at any indentation),
  inline code spans, ``$...$``/``$$...$$`` math, HTML comments and
  ``--8<--`` snippet lines. Nothing here ever rewrites a protected piece, so
  NumPy's ``a[[0, 1]]`` in code survives. (Four-space indented code blocks are
  not recognised, since admonition and list bodies are indented the same way:
  the site writes code in fences.)
* :class:`PageIndex` finds a page by name, case-insensitively: a front-matter
  ``aliases:`` entry, its title (``title:`` or first H1) or its file stem.
* :func:`convert_wikilinks` turns ``[[Page]]``, ``[[Page|별칭]]``,
  ``[[Page#Section]]``, ``[[Page#Section|별칭]]`` and ``[[#Section]]`` into
  ordinary Markdown links to the target ``.md`` file, so MkDocs checks the link
  and its anchor and writes the relative URL. The link text is the alias, or
  the name as written (``Page > Section`` when a section is given).
* :func:`link_graph`, :func:`backlinks` and :func:`render_backlinks` compute each page's
  backlinks section ("이 문서를 언급한 문서", the heading set in mkdocs.yml) from wiki links
  and ordinary ``.md`` links. Hub pages (mkdocs.yml's ``hub_pages``: the home page, the
  glossary, the references) link to every page by construction, so they are neither counted
  as mentions nor given a backlinks section.
"""

from __future__ import annotations

import functools
import posixpath
import re
from dataclasses import dataclass, field
from typing import Callable, Iterable, Iterator

import yaml

from relu_docsite.tex import MATH_PATTERN

Slugify = Callable[[str, str], str]


def default_slugify() -> Slugify:
    """The site's heading slugify (mkdocs.yml: toc ``pymdownx.slugs.slugify(case="lower")``)."""
    from pymdownx.slugs import slugify

    return slugify(case="lower")


# --------------------------------------------------------------------------- #
# Front matter, protected regions
# --------------------------------------------------------------------------- #

# Same shape as mkdocs.utils.meta.YAML_RE.
FRONT_MATTER = re.compile(r"\A-{3}[ \t]*\n(.*?\n)(?:\.{3}|-{3})[ \t]*(?:\n|\Z)", re.DOTALL)


def split_front_matter(source: str) -> tuple[dict, str]:
    """Return ``(meta, body)``; ``meta`` is ``{}`` when there is no (valid) YAML front matter."""
    m = FRONT_MATTER.match(source)
    if not m:
        return {}, source
    try:
        meta = yaml.safe_load(m.group(1))
    except yaml.YAMLError:
        return {}, source
    if not isinstance(meta, dict):
        return {}, source
    return meta, source[m.end():]


@functools.lru_cache(maxsize=1024)  # mkdocs serve reads every page before each build: parse each version once
def _front_matter(source: str) -> tuple[dict, str]:
    return split_front_matter(source)  # (the index only reads the dict)


FENCE_OPEN = re.compile(r"^(?P<prefix>[ \t>]*)(?P<fence>`{3,}|~{3,})(?P<info>.*)$")
FENCE_CLOSE = re.compile(r"^[ \t>]*(?P<fence>`{3,}|~{3,})[ \t]*$")

# Protected inline pieces inside text (never across a blank line, except comments).
_NO_BLANK = r"(?:(?!\n[ \t]*\n).)"
INLINE_PROTECTED = re.compile(
    r"<!--.*?-->"  # HTML comment
    rf"|(?<![\\`])(?P<ticks>`+)(?!`){_NO_BLANK}+?(?<!`)(?P=ticks)(?!`)"  # code span
    rf"|{MATH_PATTERN}",  # math
    re.DOTALL,
)


def _line_pieces(markdown: str) -> Iterator[tuple[bool, str]]:
    """Yield ``(protected, text)`` line groups: fenced blocks and ``--8<--`` lines are protected."""
    fence: str | None = None
    for line in markdown.splitlines(keepends=True):
        bare = line.rstrip("\r\n")
        if fence is not None:
            m = FENCE_CLOSE.match(bare)
            if m and m.group("fence")[0] == fence[0] and len(m.group("fence")) >= len(fence):
                fence = None
            yield True, line
            continue
        m = FENCE_OPEN.match(bare)
        if m and not (m.group("fence")[0] == "`" and "`" in m.group("info")):
            fence = m.group("fence")
            yield True, line
        elif "--8<--" in bare:
            yield True, line
        else:
            yield False, line


def split_protected(markdown: str) -> list[tuple[bool, str]]:
    """Cut ``markdown`` into ``(protected, text)`` pieces whose concatenation is ``markdown``.

    >>> [p for p in split_protected("a [[X]] `a[[0]]` b") if p[0]]
    [(True, '`a[[0]]`')]
    """
    merged: list[tuple[bool, str]] = []
    for protected, text in _line_pieces(markdown):
        if merged and merged[-1][0] == protected:
            merged[-1] = (protected, merged[-1][1] + text)
        else:
            merged.append((protected, text))
    pieces: list[tuple[bool, str]] = []
    for protected, text in merged:
        if protected:
            pieces.append((True, text))
            continue
        last = 0
        for m in INLINE_PROTECTED.finditer(text):
            if m.start() > last:
                pieces.append((False, text[last:m.start()]))
            pieces.append((True, m.group(0)))
            last = m.end()
        if last < len(text):
            pieces.append((False, text[last:]))
    return pieces


def transform_text(markdown: str, function: Callable[[str], str]) -> str:
    """Apply ``function`` to every unprotected piece of ``markdown``; keep code and math as is."""
    return "".join(text if protected else function(text) for protected, text in split_protected(markdown))


def unprotected_text(markdown: str) -> Iterator[str]:
    """The unprotected pieces of ``markdown``."""
    return (text for protected, text in split_protected(markdown) if not protected)


# --------------------------------------------------------------------------- #
# Headings and titles
# --------------------------------------------------------------------------- #

ATX_HEADING = re.compile(r"^(?P<level>#{1,6})[ \t]+(?P<text>.+?)[ \t]*#*[ \t]*$")
HEADING_ATTRS = re.compile(r"[ \t]*\{:?(?P<attrs>[^{}]*)\}[ \t]*$")
MD_LINK = re.compile(r"!?\[(?P<text>[^\]]*)\]\([^)]*\)")


@dataclass(frozen=True)
class Heading:
    level: int
    text: str  # as written, attribute list removed
    anchor: str


def _plain(text: str) -> str:
    """Heading Markdown as the toc extension sees it: link targets and markup dropped."""
    text = WIKILINK.sub(lambda m: _split_link(m.group("inner"))[2] or _split_link(m.group("inner"))[0], text)
    text = MD_LINK.sub(lambda m: m.group("text"), text)
    return text.replace("`", "").replace("$", "")


def headings(markdown: str, slugify: Slugify) -> list[Heading]:
    """ATX headings outside fenced code, with the anchor the site gives them.

    An explicit ``{ #id }`` wins; otherwise the site's slugify of the heading text.
    (Repeated headings get ``_1``... suffixes from the toc extension; the first one is found.)
    """
    found = []
    for protected, line in _line_pieces(markdown):
        m = None if protected else ATX_HEADING.match(line.rstrip("\r\n"))
        if not m:
            continue
        text, anchor = m.group("text"), None
        attrs = HEADING_ATTRS.search(text)
        if attrs:
            ids = re.findall(r"#([\w-]+)", attrs.group("attrs"))
            anchor = ids[0] if ids else None
            text = text[: attrs.start()].rstrip()
        found.append(Heading(len(m.group("level")), text, anchor or slugify(_plain(text), "-")))
    return found


def page_title(meta: dict, body: str, stem: str) -> str:
    """``title:`` from the front matter, else the first H1, else the file stem."""
    if isinstance(meta.get("title"), str) and meta["title"].strip():
        return meta["title"].strip()
    for protected, line in _line_pieces(body):
        m = None if protected else ATX_HEADING.match(line.rstrip("\r\n"))
        if m and len(m.group("level")) == 1:
            return HEADING_ATTRS.sub("", m.group("text")).strip()
    return stem


def short_title(title: str) -> str:
    """The title without a trailing English gloss: ``활성화 함수 (Activation Function)`` -> ``활성화 함수``."""
    short = re.sub(r"\s*\([^()]*\)\s*$", "", title).strip()
    return short or title


# --------------------------------------------------------------------------- #
# The page index
# --------------------------------------------------------------------------- #


def name_key(name: str) -> str:
    """Case-insensitive page-name key; runs of spaces, ``-`` and ``_`` count as one space."""
    return re.sub(r"[\s_-]+", " ", name.strip()).casefold()


@dataclass
class PageInfo:
    src_uri: str  # path under docs/, POSIX, e.g. "relu.md"
    title: str
    aliases: list[str]
    body: str  # Markdown without front matter


@dataclass
class PageIndex:
    """Every page of the site, found by alias, title or file stem."""

    pages: dict[str, PageInfo] = field(default_factory=dict)
    _names: dict[str, set[str]] = field(default_factory=dict)  # aliases and titles
    _stems: dict[str, set[str]] = field(default_factory=dict)

    @classmethod
    def from_sources(cls, sources: dict[str, str]) -> "PageIndex":
        """Build the index from ``{src_uri: raw Markdown (front matter included)}``."""
        index = cls()
        for src_uri in sorted(sources):
            meta, body = _front_matter(sources[src_uri])
            stem = posixpath.splitext(posixpath.basename(src_uri))[0]
            aliases = meta.get("aliases") or []
            if isinstance(aliases, str):
                aliases = [aliases]
            aliases = [str(a).strip() for a in aliases if str(a).strip()]
            info = PageInfo(src_uri, page_title(meta, body, stem), aliases, body)
            index.pages[src_uri] = info
            for name in [*aliases, info.title]:
                index._names.setdefault(name_key(name), set()).add(src_uri)
            for name in {stem, posixpath.splitext(src_uri)[0]}:
                index._stems.setdefault(name_key(name), set()).add(src_uri)
        return index

    def lookup(self, name: str) -> list[str]:
        """Pages called ``name``: aliases and titles first, file stems only if no name matches.

        More than one result means the name is ambiguous.
        """
        name = re.sub(r"\.md$", "", name.strip(), flags=re.IGNORECASE)
        key = name_key(name)
        return sorted(self._names.get(key) or self._stems.get(key) or ())

    def anchor(self, src_uri: str, section: str, slugify: Slugify) -> str:
        """The anchor of ``section`` on page ``src_uri``, first match wins, in this order:

        1. a heading with that text (any case, Markdown markup ignored);
        2. a heading with an explicit id (``{ #id }``) equal to it;
        3. a heading ``Korean (English)`` whose Korean or English part is ``section``
           (``[[ReLU#죽은 ReLU]]`` finds ``## 죽은 ReLU (Dying ReLU)``);
        4. else the slug of ``section``, which MkDocs then checks like any anchor.
        """
        wanted = name_key(section)
        found = headings(self.pages[src_uri].body, slugify)
        for heading in found:
            if wanted in (name_key(heading.text), name_key(_plain(heading.text))):
                return heading.anchor
        for heading in found:
            if heading.anchor == section.strip():
                return heading.anchor
        for heading in found:
            plain = _plain(heading.text)
            gloss = re.search(r"\(([^()]*)\)\s*$", plain)
            if wanted == name_key(short_title(plain)) or (gloss and wanted == name_key(gloss.group(1))):
                return heading.anchor
        return slugify(section.strip(), "-")


# --------------------------------------------------------------------------- #
# Wiki links
# --------------------------------------------------------------------------- #

WIKILINK = re.compile(r"(?<!\\)(?P<embed>!?)\[\[(?P<inner>[^\[\]\n]+?)\]\]")


def _split_link(inner: str) -> tuple[str, str | None, str | None]:
    """``"Page#Section|alias"`` -> ``("Page", "Section", "alias")``; ``\\|`` (in tables) is a ``|``."""
    target, _, alias = re.sub(r"\\\|", "|", inner).partition("|")
    page, hash_, section = target.partition("#")
    return page.strip(), (section.strip() or None) if hash_ else None, alias.strip() or None


def relative_url(from_src: str, to_src: str, anchor: str | None = None) -> str:
    """Relative path from page ``from_src`` to file ``to_src`` (both under docs/), plus ``#anchor``."""
    if to_src == from_src and anchor:
        url = ""
    else:
        url = posixpath.relpath(to_src, posixpath.dirname(from_src) or ".")
    if anchor:
        url += "#" + anchor
    if re.search(r"[\s()<>]", url):
        url = f"<{url}>"
    return url


@dataclass(frozen=True)
class WikiLink:
    page: str
    section: str | None
    alias: str | None
    embed: bool
    raw: str


def find_wikilinks(markdown: str) -> list[WikiLink]:
    """Every wiki link outside protected pieces, in order."""
    links = []
    for text in unprotected_text(markdown):
        for m in WIKILINK.finditer(text):
            page, section, alias = _split_link(m.group("inner"))
            links.append(WikiLink(page, section, alias, bool(m.group("embed")), m.group(0)))
    return links


def convert_wikilinks(
    markdown: str, src_uri: str, index: PageIndex, slugify: Slugify | None = None
) -> tuple[str, list[str]]:
    """Replace wiki links by Markdown links; return ``(markdown, problems)``.

    Each problem is a message naming the link (``unresolved wiki link [[X]]``...);
    an unresolved link is left as written so the reader still sees it.

    >>> index = PageIndex.from_sources({"relu.md": "# ReLU", "sigmoid.md": "---\\naliases: [Sigmoid]\\n---\\n# 시그모이드"})
    >>> convert_wikilinks("[[Sigmoid]]와 [[ReLU|렐루]], `a[[0, 1]]`", "relu.md", index)
    ('[Sigmoid](sigmoid.md)와 [렐루](relu.md), `a[[0, 1]]`', [])
    """
    slugify = slugify or default_slugify()
    problems: list[str] = []

    def replace(m: re.Match) -> str:
        raw = m.group(0)
        if m.group("embed"):
            problems.append(f"wiki embed {raw} is not supported")
            return raw
        page, section, alias = _split_link(m.group("inner"))
        if not page and not section:
            problems.append(f"empty wiki link {raw}")
            return raw
        if page:
            targets = index.lookup(page)
            if not targets:
                problems.append(f"unresolved wiki link {raw}: no page has the name, alias or file name '{page}'")
                return raw
            if len(targets) > 1:
                problems.append(f"ambiguous wiki link {raw}: '{page}' names {', '.join(targets)}")
                return raw
            target = targets[0]
        else:
            target = src_uri
        anchor = None
        if section:
            anchor = index.anchor(target, section, slugify) if target in index.pages else slugify(section, "-")
        text = alias or (f"{page} > {section}" if page and section else page or section)
        return f"[{text}]({relative_url(src_uri, target, anchor)})"

    return transform_text(markdown, lambda text: WIKILINK.sub(replace, text)), problems


# --------------------------------------------------------------------------- #
# Link graph and backlinks
# --------------------------------------------------------------------------- #

INLINE_LINK = re.compile(r"(?<!!)\[(?:[^\[\]]|\[[^\[\]]*\])*\]\(\s*<?(?P<url>[^)\s>]+)>?(?:\s+[\"'][^)]*)?\)")
REFERENCE_DEF = re.compile(r"^[ ]{0,3}\[[^\]]+\]:[ \t]*<?(?P<url>[^\s>]+)>?", re.MULTILINE)


def markdown_link_targets(markdown: str, src_uri: str) -> set[str]:
    """``.md`` files (as src_uri) that ordinary Markdown links of page ``src_uri`` point to."""
    targets = set()
    for text in unprotected_text(markdown):
        for m in [*INLINE_LINK.finditer(text), *REFERENCE_DEF.finditer(text)]:
            url = m.group("url").split("#", 1)[0].split("?", 1)[0]
            if not url.lower().endswith(".md") or re.match(r"^[a-z][a-z0-9+.-]*:|^/", url, re.I):
                continue
            targets.add(posixpath.normpath(posixpath.join(posixpath.dirname(src_uri), url)))
    return targets


def link_graph(index: PageIndex) -> dict[str, set[str]]:
    """``{page: pages it links to}`` by wiki link or Markdown link; self-links and unknown targets dropped."""
    graph: dict[str, set[str]] = {}
    for src_uri, info in index.pages.items():
        targets = markdown_link_targets(info.body, src_uri)
        for link in find_wikilinks(info.body):
            found = index.lookup(link.page) if link.page else []
            if len(found) == 1:
                targets.add(found[0])
        graph[src_uri] = {t for t in targets if t in index.pages and t != src_uri}
    return graph


def backlinks(graph: dict[str, set[str]], hubs: Iterable[str] = ()) -> dict[str, list[str]]:
    """``{page: sorted pages that link to it}``, hub pages neither counted nor listed."""
    hubs = set(hubs)
    result: dict[str, list[str]] = {}
    for source in sorted(graph):
        if source in hubs:
            continue
        for target in graph[source]:
            if target not in hubs:
                result.setdefault(target, []).append(source)
    return {target: sorted(sources) for target, sources in sorted(result.items())}


def render_backlinks(src_uri: str, sources: list[str], index: PageIndex, heading: str) -> str:
    """The backlinks section (``## heading`` and a list) for ``src_uri``, or ``""`` when nothing links to it.

    Entries are sorted by title (then file name) and link to the ``.md`` files,
    so MkDocs checks and relativises them.
    """
    if not sources:
        return ""
    ordered = sorted(sources, key=lambda s: (index.pages[s].title.casefold(), s))
    items = "\n".join(f"- [{index.pages[s].title}]({relative_url(src_uri, s)})" for s in ordered)
    return f"\n\n## {heading}\n\n{items}\n"
