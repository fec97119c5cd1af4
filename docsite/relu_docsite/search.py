"""Korean search: Material's search index, made to find what a Korean reader types.

Material for MkDocs searches with lunr.js in the reader's browser; lunr matches a query term
only against the *beginning* of an indexed token and knows nothing of Korean: spacing (활성화함수
for 활성화 함수), particles (역전파를), transliterations (렐루). Two parts of ours fix that:

* at build time, this module and :mod:`relu_docsite.search_index` (what is added to the index:
  Hangul suffixes, the glossary's forms of every term on the term's home, best bets);
* in the reader's browser, the search worker
  ``docsite/overrides/assets/javascripts/workers/relu-search.js``, which Material loads through
  the worker URL of its application config (``docsite/overrides/main.html``, block ``config``):
  it takes particles off the query, splits glued compounds, puts a best bet's home first and
  marks matches inside compounds.

This module goes through public means only, around Material's search plugin, which indexes
each page in its ``on_page_context`` and writes the index after the build:

* :meth:`SearchIndex.before_indexing` (just before Material indexes a page) hands Material the
  page's HTML with each formula as text (the text of its MathML, the page's only copy of it:
  a space between table cells and text runs, no invisible operators, NFKC-folded so that
  ``\\mathcal{N}``, typeset as U+1D4A9, is indexed as the N a reader types), or -- for a page
  whose entries an earlier build of this process already made -- marks it ``search: exclude``
  (Material's front-matter switch), so it is not parsed again: parsing the formula-heavy pages
  was most of a ``mkdocs serve`` rebuild. :meth:`SearchIndex.after_indexing` gives the page
  back its HTML and front matter;
* :meth:`SearchIndex.rewrite` (after Material has written ``search/search_index.json``) puts
  the reused entries back in page order, keeps the new ones for the next build, completes the
  index with :func:`relu_docsite.search_index.build_index` and writes it to
  :data:`FULL_INDEX`. Material's ``search/search_index.json`` keeps only the configuration:
  every page fetches that file at load (Material's bundle; the page needs the token separator
  to highlight ``?h=`` words after a click), while the index itself is fetched by the worker
  when the reader first focuses or opens the search box.

The token separator (it also splits at brackets, punctuation and ``nn.ReLU``-style dots) and
the boosts of the extra fields are Material's own ``separator`` and ``fields`` settings, in
mkdocs.yml.
"""

from __future__ import annotations

import copy
import hashlib
import json
import re
import unicodedata
from collections.abc import Callable, Sequence
from pathlib import Path

from relu_docsite.glossary import Term
from relu_docsite.search_index import best_bets, build_index, missing_fields
from relu_docsite.wikilinks import PageIndex, Slugify

# Where the completed index goes (under site_dir); the worker's URL names it (main.html).
FULL_INDEX = "search/full_index.json"
# What Material writes and every page fetches at load: after the build, the configuration only.
MATERIAL_INDEX = "search/search_index.json"

# A formula (MathML), where its text needs a space, and the invisible operators (U+2061-U+2064).
_MATH_ELEMENT = re.compile(r"<math\b.*?</math>", re.DOTALL)
_MATH_BREAK = re.compile(r"(</(?:mtd|mtr|mtext)>)")
_INVISIBLE = re.compile("[\u2061-\u2064]")

# Index entries per page key, from the previous build of this Python process (``mkdocs serve``
# builds again after every change; a plugin instance lives for one build only).
_entries: dict[str, list[dict]] = {}
# The index builder's memo of each text's Hangul suffixes, kept between builds the same way.
_suffixes: dict = {}


def math_as_text(html: str) -> str:
    r"""``html`` with each formula's MathML made searchable text (the formula is indexed once, from it).

    >>> math_as_text('<math><mi>\U0001d4a9</mi><mi>max</mi><mo>\u2061</mo><mtd><mi>x</mi></mtd>'
    ...              '<mtd><mtext>if</mtext></mtd></math> 뒤')
    '<math><mi>N</mi><mi>max</mi><mo></mo><mtd><mi>x</mi> </mtd><mtd><mtext>if </mtext> </mtd></math> 뒤'
    """

    def fold(m: re.Match) -> str:
        return unicodedata.normalize("NFKC", _INVISIBLE.sub("", _MATH_BREAK.sub(r" \1", m.group())))

    return _MATH_ELEMENT.sub(fold, html)


def page_key(page) -> str:
    """Hash of everything a page's index entries are computed from (URL, titles, front matter, headings, HTML)."""

    def toc(items):
        return [(i.title, i.url, toc(i.children)) for i in items]

    parts = (page.url, page.title, repr(sorted(page.meta.items(), key=lambda kv: str(kv[0]))),
             repr(toc(page.toc)), page.content or "")
    return hashlib.sha256("\x00".join(map(str, parts)).encode("utf-8")).hexdigest()


def page_location(location: str) -> str:
    """The page URL of an index entry's location (``relu/#정의`` -> ``relu/``)."""
    return location.partition("#")[0]


def term_homes(terms: Sequence[Term], pages: PageIndex, slugify: Slugify,
               url_of: Callable[[str], str | None]) -> list[tuple[str, Term]]:
    """Each glossary term that names a page, with its home as an index location (``relu/``, ``relu-variants/#elu``).

    ``url_of`` maps a page's source (``relu.md``) to its URL (``relu/``). A term whose page is
    unknown or ambiguous is left out (the glossary page reports it, failing the strict build).
    """
    homes = []
    for term in terms:
        found = pages.lookup(term.page) if term.page else []
        url = url_of(found[0]) if len(found) == 1 else None
        if url is None:
            continue
        anchor = pages.anchor(found[0], term.section, slugify) if term.section else None
        homes.append((f"{url}#{anchor}" if anchor else url, term))
    return homes


class SearchIndex:
    """The search index of one build (see the module docstring)."""

    def __init__(self):
        self.pages: list[tuple[str, str, bool]] = []  # (page URL, key, entries reused) in build order
        self.aliases: dict[str, list[str]] = {}
        self._restore: dict[str, tuple[str, object]] = {}

    def before_indexing(self, page) -> None:
        names = page.meta.get("aliases")
        names = [names] if isinstance(names, str) else names
        if isinstance(names, list) and names:
            self.aliases[page.url] = [str(name) for name in names if name]
        key = page_key(page)
        reused = key in _entries
        self.pages.append((page.url, key, reused))
        if reused:
            self._restore[page.url] = ("meta", page.meta.get("search"))
            page.meta["search"] = {**(page.meta.get("search") or {}), "exclude": True}
        elif page.content and "<math" in page.content:
            self._restore[page.url] = ("content", page.content)
            page.content = math_as_text(page.content)

    def after_indexing(self, page) -> None:
        # (Material also drops data-search-* attributes from the HTML it indexed; the site's
        # pages have none, so the HTML given back is the page's own.)
        what, value = self._restore.pop(page.url, (None, None))
        if what == "meta":
            if value is None:
                page.meta.pop("search", None)
            else:
                page.meta["search"] = value
        elif what == "content":
            page.content = value

    def rewrite(self, site_dir: Path, homes: Sequence[tuple[str, Term]] = ()) -> list[str]:
        """Complete the index Material wrote into :data:`FULL_INDEX`, leaving Material's file the configuration.

        ``homes`` are the glossary's terms with their index locations (:func:`term_homes`).
        Returns the problems found (a field mkdocs.yml gives no boost, a home that is no entry
        of the index); nothing to do if Material wrote no index.
        """
        path = Path(site_dir) / MATERIAL_INDEX
        if not path.is_file():
            return []
        data = json.loads(path.read_text(encoding="utf-8"))
        fresh: dict[str, list[dict]] = {}
        for doc in data.get("docs", []):
            fresh.setdefault(page_location(doc.get("location", "")), []).append(doc)
        docs, kept = [], {}
        for url, key, reused in self.pages:
            entries = _entries[key] if reused else fresh.pop(url, [])
            kept[key] = copy.deepcopy(entries)
            docs.extend(copy.deepcopy(entries))
        docs.extend(doc for entries in fresh.values() for doc in entries)  # none expected: not from a page
        _entries.clear()
        _entries.update(kept)
        problems = [f"search: the index field '{f}' has no boost in mkdocs.yml (plugins: search: fields:)"
                    for f in missing_fields(data.get("config", {}))]
        locations = {doc.get("location") for doc in docs}
        problems += [f"search: glossary term '{term.ko}' has its home at '{home}', which is no entry of the index"
                     for home, term in homes if home not in locations]
        problems += [f"search: glossary alias {clash}: give it to one term" for clash in best_bets(homes)[2]]
        full = build_index({**data, "docs": docs}, homes, self.aliases, memo=_suffixes)
        (Path(site_dir) / FULL_INDEX).write_text(_dumps(full), encoding="utf-8")
        path.write_text(_dumps({"config": data.get("config", {}), "docs": []}), encoding="utf-8")
        return problems


def _dumps(data: dict) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))
