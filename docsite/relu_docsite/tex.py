r"""TeX in the site's text: where a formula is, and where one was left untypeset.

The pages write math as ``$…$`` and ``$$…$$``, with pymdownx.arithmatex's rules: an inline
formula starts with a non-space after its ``$`` and ends with a non-space before its ``$``,
neither kind spans a blank line, and ``\$`` is a dollar sign. Everything that must know
where formulas are uses this one definition:

* :data:`MATH` finds formulas in Markdown (wiki links leave them alone) and in the HTML that
  nbconvert makes of a notebook's Markdown cells (they are marked up for the typesetter);
* :func:`stray_tex` finds TeX left in a page's final HTML, outside code and typeset formulas:
  math that was never typeset (``$ x$``, a ``\(`` that no extension took), which the strict
  build reports.
"""

from __future__ import annotations

import re

# Any character but the start of a blank line.
_NO_BLANK = r"(?:(?!\n[ \t]*\n).)"
#: ``$$…$$``; the formula is the ``display`` group
DISPLAY = rf"(?<!\\)\$\$(?P<display>{_NO_BLANK}+?)(?<!\\)\$\$"
#: ``$…$``; the formula is the ``inline`` group
INLINE = rf"(?<![\\$])\$(?=\S)(?P<inline>(?:\\.|[^\\$\n]|\n(?![ \t]*\n))+?)(?<![\\\s])\$(?!\$)"
#: a formula, display or inline (compile your own pattern around it with re.DOTALL)
MATH_PATTERN = f"{DISPLAY}|{INLINE}"
MATH = re.compile(MATH_PATTERN, re.DOTALL)

# What is not prose in a page's HTML: code, scripts, styles, and the TeX source that
# MathML keeps of each typeset formula.
_NOT_PROSE = re.compile(r"<(pre|code|script|style|annotation)\b.*?</\1>", re.DOTALL)
_STRAY = re.compile(r"\$[^$<>\n]*\$|\\\(|\\\[")


def stray_tex(html: str) -> list[str]:
    r"""TeX left in a page's HTML outside code and typeset formulas: math that was never typeset.

    >>> stray_tex('<p>$ x^\\top W$ and <code>$\\alpha$</code>, 비율은 $1 - $ 입니다, US$ 5</p>')
    ['$ x^\\top W$', '$1 - $']
    >>> stray_tex('<p>\\(x\\) <math><annotation encoding="application/x-tex">\\(y\\)</annotation></math></p>')
    ['\\(']
    """
    return [m.group(0) for m in _STRAY.finditer(_NOT_PROSE.sub("", html))]
