"""MkDocs hook: make Material's search find Korean words inside compounds.

Material for MkDocs searches with lunr.js in the reader's browser, and lunr
matches a query term only against the *beginning* of an indexed token
(``전파*``). Korean glues words together: 역전파 (backpropagation) holds
전파, 정규분포 holds 분포, and particles stick to nouns (뉴런이, ReLU는). A
reader typing 전파 or 분포 would find nothing.

This hook rewrites ``site/search/search_index.json`` after the search plugin
has written it, deterministically:

* every Hangul run of two or more syllables also contributes its *suffixes*
  (역전파 → 전파; 정규분포를 → 규분포를, 분포를, 포를). lunr's prefix match on
  a suffix is a substring match, so 분포 finds 정규분포를. Suffixes go to two
  extra lunr fields, ``title_parts`` and ``text_parts``, which Material's
  result list never displays; the visible title and text stay as they were;
* a page's front-matter ``aliases`` (``aliases: [Dying ReLU, 죽은 뉴런]``) are
  indexed with the page's top entry in an ``aliases`` field, with their own
  suffixes;
* the token separator also splits at brackets, punctuation and ``nn.ReLU``
  style dots, so ``역전파(backpropagation)는`` is three tokens, not one.

It also keeps KaTeX's visual duplicate of each formula (``.katex-html``) and
its TeX annotation out of the index, so a formula is indexed once, as text.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from mkdocs.plugins import event_priority

from relu_docsite import search_cache

# Hangul syllables U+AC00..U+D7A3 (what Korean prose is written in).
HANGUL_RUN = re.compile("[\uac00-\ud7a3]+")
# Shortest suffix worth indexing: one syllable would match far too much.
MIN_SUFFIX = 2

# lunr token separator (a JavaScript RegExp; Python reads it the same way).
# Material's default is [\s\-]+; this one also splits at punctuation and
# brackets, at "." not followed by a digit (nn.ReLU), at camelCase joins
# (LeakyReLU → Leaky ReLU) and at escaped < and >.
SEPARATOR = (
    r"[\s\-,:;!?=\[\](){}\"'/|·“”‘’「」『』《》〈〉…]+"
    r"|(?!\b)(?=[A-Z][a-z])|\.(?!\d)|&[lg]t;|&amp;"
)

# Extra lunr fields and their boosts (Material's own: title 1000, text 1).
FIELDS = {
    "aliases": {"boost": 500.0},
    "title_parts": {"boost": 100.0},
    "text_parts": {"boost": 1.0},
}

_TAG = re.compile(r"<[^>]+>")
_WORD_CHAR = re.compile(r"\w")

# KaTeX output that duplicates a formula: the visual HTML (aria-hidden) and
# the TeX source annotation inside the MathML. (Material's data-search-exclude
# doesn't work there: its parser un-skips at the first nested </span>.)
_KATEX_HTML = re.compile(r'<span class="katex-html"[^>]*>')
_SPAN_TAG = re.compile(r"<span\b[^>]*>|</span>")
_TEX_ANNOTATION = re.compile(r'<annotation encoding="application/x-tex">.*?</annotation>', re.DOTALL)

# Page URL (as in the search index, e.g. "relu/") -> aliases from front matter.
_aliases: dict[str, list[str]] = {}


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
    from html import unescape

    return unescape(_TAG.sub(" ", fragment))


def rewrite_index(data: dict, aliases: dict[str, list[str]] | None = None) -> dict:
    """Return the Material search index ``data`` with Korean sub-word fields.

    >>> index = {"config": {"fields": {"title": {"boost": 1000.0}}},
    ...          "docs": [{"location": "backprop/", "title": "역전파", "text": "<p>순전파와 역전파</p>"},
    ...                   {"location": "backprop/#x", "title": "연쇄 법칙", "text": ""}]}
    >>> out = rewrite_index(index, {"backprop/": ["Backpropagation", "오차역전파"]})
    >>> out["docs"][0]["title_parts"], out["docs"][0]["text_parts"], out["docs"][0]["aliases"]
    ('전파', '전파와 파와 전파', 'Backpropagation 오차역전파 차역전파 역전파 전파')
    >>> "aliases" in out["docs"][1], sorted(out["config"]["fields"])
    (False, ['aliases', 'text_parts', 'title', 'title_parts'])
    """
    aliases = aliases or {}
    config = dict(data.get("config", {}))
    config["separator"] = SEPARATOR
    config["fields"] = {**config.get("fields", {}), **FIELDS}
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
    return {**data, "config": config, "docs": docs}


def on_config(config):
    _aliases.clear()
    return config


def strip_katex_duplicates(html: str) -> str:
    """Remove KaTeX's ``.katex-html`` spans and TeX annotations from ``html``.

    >>> strip_katex_duplicates('<span class="katex"><span class="katex-mathml"><math><mi>x</mi>'
    ...     '<annotation encoding="application/x-tex">x</annotation></math></span>'
    ...     '<span class="katex-html" aria-hidden="true"><span class="base">'
    ...     '<span class="mord">x</span></span></span></span> 뒤')
    '<span class="katex"><span class="katex-mathml"><math><mi>x</mi></math></span></span> 뒤'
    """
    html = _TEX_ANNOTATION.sub("", html)
    out, pos = [], 0
    while (start := _KATEX_HTML.search(html, pos)) is not None:
        out.append(html[pos : start.start()])
        depth, end = 1, start.end()
        for tag in _SPAN_TAG.finditer(html, start.end()):
            depth += -1 if tag.group().startswith("</") else 1
            if depth == 0:
                end = tag.end()
                break
        else:
            end = len(html)
        pos = end
    out.append(html[pos:])
    return "".join(out)


def on_pre_build(config):
    """Let the search plugin index each page without KaTeX's duplicates.

    The plugin indexes ``page.content`` in its ``on_page_context``; its
    ``add_entry_from_context`` is wrapped so that it sees the stripped HTML,
    while the page itself keeps (and renders) its full HTML.
    """
    plugin = config.plugins.get("material/search") or config.plugins.get("search")
    index = getattr(plugin, "search_index", None)
    add = getattr(index, "add_entry_from_context", None)
    if add is None or getattr(add, "relu_docs_wrapped", False):
        return

    def add_entry_from_context(page):
        # An unchanged page reuses its entries: parsing a formula-heavy page
        # is most of a `mkdocs serve` rebuild otherwise.
        key = search_cache.page_key(page)
        cached = search_cache.get(key)
        if cached is not None:
            index.entries.extend(cached)
            return
        full = page.content
        if full and "katex" in full:
            page.content = strip_katex_duplicates(full)
        start = len(index.entries)
        try:
            add(page)
        finally:
            page.content = full
        search_cache.put(key, index.entries[start:])

    add_entry_from_context.relu_docs_wrapped = True
    index.add_entry_from_context = add_entry_from_context


def on_page_context(context, page, config, nav):
    names = page.meta.get("aliases")
    if isinstance(names, str):
        names = [names]
    if isinstance(names, list) and names:
        _aliases[page.url] = [str(name) for name in names if name]
    return context


@event_priority(-100)  # after the search plugin has written its index
def on_post_build(config):
    path = Path(config.site_dir) / "search" / "search_index.json"
    if not path.is_file():
        return
    data = json.loads(path.read_text(encoding="utf-8"))
    data = rewrite_index(data, _aliases)
    path.write_text(
        json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=False),
        encoding="utf-8",
    )
