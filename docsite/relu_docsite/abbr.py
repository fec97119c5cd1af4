"""Abbreviations that also match before a Korean particle ("ReLU는", "BN을"), first use only.

Python-Markdown's ``abbr`` extension finds abbreviations with ``\\b``, and in Python's regular
expressions Hangul is a word character: ``\\bReLU\\b`` never matches in "ReLU는", which is how
Korean writes it almost every time. :class:`KoreanAbbrExtension` is the stock extension (same
options: ``glossary``, and ``*[X]: ...`` definitions on a page) with its own tree processor,
registered in the stock one's place (name ``abbr``, priority 7, as the extension documents):

* word boundaries are ASCII letters and digits, so "ReLU는" matches while "PReLU" does not
  match "ReLU";
* code and math are left alone (their text is an ``AtomicString``), and so are headings: a
  heading is a label (and the page title), the explanation belongs to the text under it;
* only the first use of each abbreviation on a page is marked, in document order: the
  explanation is there at first use, and a long page does not carry a hundred identical
  ``<abbr>`` elements (and their tooltips), which slowed the browser down.

>>> import markdown
>>> md = markdown.Markdown(extensions=[KoreanAbbrExtension(glossary={"ReLU": "Rectified Linear Unit"})])
>>> md.convert("ReLU는 PReLU와 다르고 `ReLU`는 코드입니다.")
'<p><abbr title="Rectified Linear Unit">ReLU</abbr>는 PReLU와 다르고 <code>ReLU</code>는 코드입니다.</p>'
>>> md.convert("# ReLU *ReLU*")
'<h1>ReLU <em>ReLU</em></h1>'
>>> md.convert("ReLU와 *ReLU*, 그리고 ReLU와 PReLU.")
'<p><abbr title="Rectified Linear Unit">ReLU</abbr>와 <em>ReLU</em>, 그리고 ReLU와 PReLU.</p>'
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree

from markdown.extensions.abbr import AbbrExtension
from markdown.treeprocessors import Treeprocessor
from markdown.util import AtomicString

HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})


class KoreanAbbrTreeprocessor(Treeprocessor):
    """Wrap the first use of each abbreviation in ``<abbr title=...>``, outside headings, code and math."""

    def __init__(self, md, abbrs: dict[str, str]):
        super().__init__(md)
        self.abbrs = abbrs  # the extension's: the glossary plus this page's ``*[X]: ...`` lines

    def run(self, root: etree.Element) -> None:
        known = sorted((key for key, title in self.abbrs.items() if title), key=len, reverse=True)
        if not known:
            return
        pattern = re.compile(rf"(?<![A-Za-z0-9_])(?:{'|'.join(map(re.escape, known))})(?![A-Za-z0-9_])")
        self._walk(root, pattern, set())

    def _walk(self, el: etree.Element, pattern: re.Pattern, marked: set[str]) -> None:
        """Mark ``el``'s text, then each child and the text after it: document order."""
        if el.tag in HEADINGS:
            return
        children = list(el)
        el.text, new = self._mark(el.text, pattern, marked)
        for position, abbr in enumerate(new):
            el.insert(position, abbr)
        for child in children:
            self._walk(child, pattern, marked)
            child.tail, new = self._mark(child.tail, pattern, marked)
            position = list(el).index(child) + 1
            for offset, abbr in enumerate(new):
                el.insert(position + offset, abbr)

    def _mark(self, text: str | None, pattern: re.Pattern, marked: set[str]) -> tuple[str | None, list]:
        """``text`` up to its first new abbreviation, and the ``<abbr>`` elements (with their tails) after it."""
        if not text or isinstance(text, AtomicString):
            return text, []
        head, elements, last = None, [], 0
        for m in pattern.finditer(text):
            word = m.group(0)
            if word in marked:
                continue
            marked.add(word)
            if elements:
                elements[-1].tail = text[last:m.start()]
            else:
                head = text[:m.start()]
            abbr = etree.Element("abbr", {"title": self.abbrs[word]})
            abbr.text = AtomicString(word)
            elements.append(abbr)
            last = m.end()
        if not elements:
            return text, []
        elements[-1].tail = text[last:]
        return head, elements


class KoreanAbbrExtension(AbbrExtension):
    """Drop-in replacement for ``abbr`` (same options) with :class:`KoreanAbbrTreeprocessor`."""

    def extendMarkdown(self, md):
        super().extendMarkdown(md)
        md.treeprocessors.register(KoreanAbbrTreeprocessor(md, self.abbrs), "abbr", 7)


def use_korean_abbr(config, glossary: dict[str, str]) -> None:
    """Put :class:`KoreanAbbrExtension` in place of mkdocs.yml's ``abbr``, explaining ``glossary`` on every page.

    Abbreviations given in mkdocs.yml's own ``abbr: glossary:`` are kept (and win).
    """
    own = dict((config.mdx_configs.pop("abbr", None) or {}).get("glossary") or {})
    extensions = [e for e in config.markdown_extensions if e != "abbr"]
    config.markdown_extensions[:] = [*extensions, KoreanAbbrExtension(glossary={**glossary, **own})]


ABBR = re.compile(r"<abbr\b[^>]*>([^<]*)</abbr>")


def first_use_only(html: str) -> str:
    """Unwrap every ``<abbr>`` after the first of its abbreviation in a page's HTML.

    The tree processor marks first uses per Markdown conversion; a page that mkdocstrings
    assembles from many docstrings (the API reference) is many conversions, so the page's
    HTML is where "first use on the page" can be enforced.

    >>> first_use_only('<abbr title="x">ReLU</abbr>와 <abbr title="x">ReLU</abbr>, <abbr title="y">BN</abbr>')
    '<abbr title="x">ReLU</abbr>와 ReLU, <abbr title="y">BN</abbr>'
    """
    seen: set[str] = set()

    def keep_first(m: re.Match) -> str:
        if m.group(1) in seen:
            return m.group(1)
        seen.add(m.group(1))
        return m.group(0)

    return ABBR.sub(keep_first, html)
