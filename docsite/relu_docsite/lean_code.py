"""Fewer elements in highlighted code, same look.

Pygments wraps every name (``.n``) and every run of whitespace (``.w``) of a code block in its
own ``<span>``. Material colours ``.n`` with the plain code colour and gives ``.w`` no style
(checked against the pinned Material: docsite/relu_docsite/internals.py,
tests/test_internals.py), so both spans can go and the text stays: on the ReLU page that is
about one element in six of its code. Only pymdownx.highlight's blocks (Material's colours) are
touched; a notebook's cells keep nbconvert's markup.
"""

from __future__ import annotations

import re

_PLAIN_SPAN = re.compile(r'<span class="(?:n|w)">([^<]*)</span>')
_BLOCK = re.compile(r'<div class="(?:language-\w+ )?highlight">.*?</pre>', re.DOTALL)


def unwrap_plain_tokens(html: str) -> str:
    """``html`` with the name and whitespace spans of its highlighted code blocks unwrapped.

    >>> unwrap_plain_tokens('<div class="highlight"><pre><span></span><code><span class="kn">import</span>'
    ...                     '<span class="w"> </span><span class="nn">torch</span><span class="n">x</span></code></pre>'
    ...                     '</div><p><span class="n">kept outside code</span></p>')
    '<div class="highlight"><pre><span></span><code><span class="kn">import</span> <span class="nn">torch</span>x</code></pre></div><p><span class="n">kept outside code</span></p>'
    """
    if "highlight" not in html:
        return html
    return _BLOCK.sub(lambda m: _PLAIN_SPAN.sub(r"\1", m.group()), html)
