"""Abbreviations that also match before a Korean particle ("ReLU는", "BN을").

Python-Markdown's ``abbr`` extension finds abbreviations with ``\\b``, and in
Python's regular expressions Hangul is a word character: ``\\bReLU\\b`` never
matches in "ReLU는", which is how Korean writes it almost every time. This
subclass only changes the boundaries to ASCII letters and digits, so
"ReLU는" matches while "PReLU" does not match "ReLU". Everything else (no
change inside code or math, ``*[X]: ...`` definitions on a page, the
``glossary`` option) is the stock extension's, except that headings are left
alone: a heading is a label (and the page title), the explanation belongs to
the text under it. And only the first occurrence of each abbreviation on a
page is marked (in document order, outside headings): the explanation is there
at first use, and a long page does not carry a hundred identical ``<abbr>``
elements (and their tooltips), which slowed the browser down.

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

from markdown.extensions.abbr import AbbrExtension, AbbrTreeprocessor
from markdown.util import AtomicString

HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})


class KoreanAbbrTreeprocessor(AbbrTreeprocessor):
    """``AbbrTreeprocessor`` with ASCII-only word boundaries, skipping headings, first use only."""

    def run(self, root):
        if not self.abbrs:
            return
        keys = sorted(self.abbrs, key=len, reverse=True)
        alternatives = "|".join(re.escape(key) for key in keys)
        self.RE = re.compile(rf"(?<![A-Za-z0-9_])(?:{alternatives})(?![A-Za-z0-9_])")
        for heading in (el for el in root.iter() if el.tag in HEADINGS):
            for el in heading.iter():
                if el.text:
                    el.text = AtomicString(el.text)
                if el is not heading and el.tail:
                    el.tail = AtomicString(el.tail)
        self.iter_element(root)
        keep_first_only(root)


def keep_first_only(root) -> None:
    """Unwrap every ``<abbr>`` whose text was already marked earlier in ``root`` (document order)."""
    seen, later = set(), []
    for el in root.iter("abbr"):
        if el.text in seen:
            later.append(el)
        seen.add(el.text)
    parents = {child: parent for parent in root.iter() for child in parent}
    for el in later:
        parent = parents[el]
        index = list(parent).index(el)
        text = (el.text or "") + (el.tail or "")
        if index == 0:
            parent.text = (parent.text or "") + text
        else:
            previous = parent[index - 1]
            previous.tail = (previous.tail or "") + text
        parent.remove(el)


class KoreanAbbrExtension(AbbrExtension):
    """Drop-in replacement for ``abbr`` (same options) with :class:`KoreanAbbrTreeprocessor`."""

    def extendMarkdown(self, md):
        super().extendMarkdown(md)
        md.treeprocessors.register(KoreanAbbrTreeprocessor(md, self.abbrs), "abbr", 7)
