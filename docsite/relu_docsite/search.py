"""Korean search: Material's search index, made to find Korean words inside compounds.

Material for MkDocs searches with lunr.js in the reader's browser, and lunr matches a query
term only against the *beginning* of an indexed token (``전파*``). Korean glues words
together: 역전파 (backpropagation) holds 전파, 정규분포 holds 분포, and particles stick to
nouns (뉴런이, ReLU는). A reader typing 전파 or 분포 would find nothing. So:

* every Hangul run of two or more syllables also contributes its *suffixes* (역전파 → 전파;
  정규분포를 → 규분포를, 분포를, 포를). lunr's prefix match on a suffix is a substring match,
  so 분포 finds 정규분포를. Suffixes go to two extra lunr fields, ``title_parts`` and
  ``text_parts``, which Material's result list never displays;
* a page's front-matter ``aliases`` (``aliases: [Dying ReLU, 죽은 뉴런]``) are indexed with
  the page's top entry in an ``aliases`` field, with their own suffixes;
* each formula is indexed once, as text: the text of its MathML (the page carries no other
  copy), with a space between table cells and text runs, without invisible operators, and
  NFKC-folded (``\\mathcal{N}`` is typeset as U+1D4A9; the index gets the N a reader types).

The token separator (it also splits at brackets, punctuation and ``nn.ReLU``-style dots)
and the boosts of the three extra fields are Material's own ``separator`` and ``fields``
settings, in mkdocs.yml. The rest goes through public means only, around Material's search
plugin, which indexes each page in its ``on_page_context`` and writes the index after the
build:

* :meth:`SearchIndex.before_indexing` (just before Material indexes a page) hands Material the
  page's HTML with its formulas as text, or -- for a page whose entries an earlier build of
  this process already made -- marks it ``search: exclude`` (Material's front-matter switch),
  so it is not parsed again: parsing the formula-heavy pages was most of a ``mkdocs serve``
  rebuild. :meth:`SearchIndex.after_indexing` gives the page back its HTML and front matter;
* :meth:`SearchIndex.rewrite` (after Material has written ``search/search_index.json``)
  puts the reused entries back in page order, keeps the new ones for the next build, and
  adds the Korean fields and the aliases.
"""

from __future__ import annotations

import copy
import hashlib
import json
import re
import unicodedata
from html import unescape
from pathlib import Path

# Hangul syllables U+AC00..U+D7A3 (what Korean prose is written in).
HANGUL_RUN = re.compile("[\uac00-\ud7a3]+")
# Shortest suffix worth indexing: one syllable would match far too much.
MIN_SUFFIX = 2

_TAG = re.compile(r"<[^>]+>")
_WORD_CHAR = re.compile(r"\w")

# A formula (MathML), where its text needs a space, and the invisible operators (U+2061-U+2064).
_MATH_ELEMENT = re.compile(r"<math\b.*?</math>", re.DOTALL)
_MATH_BREAK = re.compile(r"(</(?:mtd|mtr|mtext)>)")
_INVISIBLE = re.compile("[\u2061-\u2064]")

# Index entries per page key, from the previous build of this Python process (``mkdocs serve``
# builds again after every change; a plugin instance lives for one build only).
_entries: dict[str, list[dict]] = {}


def hangul_suffixes(text: str) -> list[str]:
    """Return the Hangul sub-word tokens that ``text`` adds to the index.

    For every run of Hangul syllables, each suffix of at least two syllables
    that does not already start a token (lunr indexes those itself). A run
    glued to a preceding letter or digit (``He초기화``) contributes itself too.

    >>> hangul_suffixes("역전파(backpropagation)는 정규분포를 따릅니다")
    ['전파', '규분포를', '분포를', '포를', '릅니다', '니다']
    >>> hangul_suffixes("He초기화, ReLU의 x축")
    ['초기화', '기화']
    >>> hangul_suffixes("no Hangul here")
    []
    """
    out: list[str] = []
    for match in HANGUL_RUN.finditer(text):
        run, start = match.group(), match.start()
        glued = start > 0 and _WORD_CHAR.match(text[start - 1]) is not None
        first = 0 if glued else 1
        out.extend(run[i:] for i in range(first, len(run) - MIN_SUFFIX + 1))
    return out


def plain_text(fragment: str) -> str:
    """Strip tags from an index entry's HTML text.

    >>> plain_text("<p>기울기 &lt;소실&gt;</p>")
    ' 기울기 <소실> '
    """
    return unescape(_TAG.sub(" ", fragment))


def add_korean_fields(data: dict, aliases: dict[str, list[str]] | None = None) -> dict:
    """Return the Material search index ``data`` with Korean sub-word fields and page aliases.

    >>> index = {"config": {"fields": {"title": {"boost": 1000.0}}},
    ...          "docs": [{"location": "backprop/", "title": "역전파", "text": "<p>순전파와 역전파</p>"},
    ...                   {"location": "backprop/#x", "title": "연쇄 법칙", "text": ""}]}
    >>> out = add_korean_fields(index, {"backprop/": ["Backpropagation", "오차역전파"]})
    >>> out["docs"][0]["title_parts"], out["docs"][0]["text_parts"], out["docs"][0]["aliases"]
    ('전파', '전파와 파와 전파', 'Backpropagation 오차역전파 차역전파 역전파 전파')
    >>> "aliases" in out["docs"][1]
    False
    """
    aliases = aliases or {}
    docs = []
    for doc in data.get("docs", []):
        doc = dict(doc)
        title_parts = hangul_suffixes(plain_text(doc.get("title", "")))
        text_parts = hangul_suffixes(plain_text(doc.get("text", "")))
        if title_parts:
            doc["title_parts"] = " ".join(title_parts)
        if text_parts:
            doc["text_parts"] = " ".join(text_parts)
        location = doc.get("location", "")
        names = aliases.get(location) if "#" not in location else None
        if names:
            words = [str(name) for name in names]
            doc["aliases"] = " ".join(words + [s for w in words for s in hangul_suffixes(w)])
        docs.append(doc)
    return {**data, "docs": docs}


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

    def rewrite(self, site_dir: Path) -> None:
        """Complete ``search/search_index.json`` as Material wrote it (nothing to do if it did not)."""
        path = Path(site_dir) / "search" / "search_index.json"
        if not path.is_file():
            return
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
        data = add_korean_fields({**data, "docs": docs}, self.aliases)
        path.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
