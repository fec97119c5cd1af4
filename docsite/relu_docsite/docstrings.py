"""relu_docs' docstrings on the site: the API reference's Markdown, and links to it from every page.

Two small steps, both public extension points:

* :class:`SphinxToMarkdown`, a Griffe extension (mkdocs.yml: ``mkdocstrings`` ->
  ``extensions``), renders relu_docs' Sphinx-flavoured docstrings as the site's Markdown.
* :func:`link_api_names`, run by the plugin on every page's Markdown, turns inline code that
  names a ``relu_docs`` object (`` `relu_docs.functional.relu` ``) into a cross-reference
  that mkdocs-autorefs resolves to its entry in the API reference. A name that does not
  exist (a typo, a rename) is an unresolved reference, which fails ``mkdocs build --strict``.
  :func:`link_api_names_html` does the same in HTML that no Markdown of ours produced (the
  notebooks' Markdown cells, converted by mkdocs-jupyter), with autorefs' ``<autoref>`` element.

Docstrings:

The docstrings are written once, for ``help()`` and for PyTorch-style readers:
``.. math::`` blocks, ``:math:`x```, ``:func:`name```, ````code````, ``>>>``
examples. mkdocstrings renders Markdown, so this extension rewrites each
docstring when Griffe loads it: math to ``$...$``/``$$...$$`` (typeset by
the site's math renderer like every formula), roles to cross-references that
mkdocs-autorefs resolves (a wrong name fails the strict build), doctest
examples to ``pycon`` code blocks.
"""

from __future__ import annotations

import re
import textwrap

import griffe

API_NAME = re.compile(r"`(relu_docs(?:\.[A-Za-z_]\w*)+)`")
API_NAME_HTML = re.compile(r"(<(?:a|autoref)\b[^>]*>)?<code>(relu_docs(?:\.[A-Za-z_]\w*)+)</code>")
ROLE = re.compile(r":(func|class|mod|data|attr|meth):`~?([\w.]+)`")
MATH_ROLE = re.compile(r":math:`([^`]+)`")
LITERAL = re.compile(r"(?<!`)``([^`]+)``(?!`)")
ENVIRONMENT = re.compile(r"\\begin\{(\w+\*?)\}.*?\\end\{\1\}", re.S)


def _target(role: str, name: str, module: str, cls: str | None) -> str | None:
    if name.startswith("relu_docs"):
        return name
    if role in ("meth", "attr") and cls and "." not in name:  # a member of the class being documented
        return f"{cls}.{name}"
    if "." in name:  # numpy.random.Generator, torch.nn.ReLU: outside this reference
        return None
    return f"{module}.{name}"


def _math_block(lines: list[str]) -> str:
    tex = textwrap.dedent("\n".join(lines)).strip()
    top_level = ENVIRONMENT.sub("", tex)  # & and \\ inside cases, pmatrix... belong to them
    if "&" in top_level:
        tex = "\\begin{aligned}\n" + tex + "\n\\end{aligned}"
    return "$$\n" + tex + "\n$$"


def to_markdown(text: str, module: str, cls: str | None = None) -> str:
    """Rewrite one docstring (already dedented) from Sphinx flavour to the site's Markdown."""
    out: list[str] = []
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.strip() == ".. math::":
            indent = len(line) - len(line.lstrip())
            i += 1
            block: list[str] = []
            while i < len(lines) and (not lines[i].strip() or len(lines[i]) - len(lines[i].lstrip()) > indent):
                block.append(lines[i])
                i += 1
            while block and not block[-1].strip():
                block.pop()
            out.append(" " * indent + _math_block(block).replace("\n", "\n" + " " * indent))
            out.append("")
            continue
        if line.lstrip().startswith(">>> "):
            indent = len(line) - len(line.lstrip())
            block = []
            while i < len(lines) and lines[i].strip():
                block.append(lines[i][indent:])
                i += 1
            out.extend([" " * indent + "```pycon", *(" " * indent + b for b in block), " " * indent + "```"])
            continue
        out.append(line)
        i += 1
    md = "\n".join(out)
    md = MATH_ROLE.sub(lambda m: f"${m.group(1)}$", md)

    def role(m: re.Match) -> str:
        target = _target(m.group(1), m.group(2), module, cls)
        label = m.group(2).rsplit(".", 1)[-1] if m.group(1) != "mod" else m.group(2)
        return f"[`{label}`][{target}]" if target else f"`{m.group(2)}`"

    md = ROLE.sub(role, md)
    return LITERAL.sub(lambda m: f"`{m.group(1)}`", md)


class SphinxToMarkdown(griffe.Extension):
    """Griffe extension: every loaded docstring of relu_docs in the site's Markdown."""

    def on_object(self, *, obj: griffe.Object, loader: griffe.GriffeLoader, **kwargs) -> None:
        if obj.docstring is not None:
            cls = obj.path if obj.is_class else obj.parent.path if obj.parent is not None and obj.parent.is_class else None
            obj.docstring.value = to_markdown(obj.docstring.value, obj.module.path, cls)


def link_api_names(markdown: str) -> str:
    """Make every inline-code ``relu_docs.*`` name a cross-reference to the API reference.

    Only inline code that is exactly a dotted name, outside fenced code and math, and not
    already a link's text:

    >>> link_api_names("구현: `relu_docs.functional.relu`, `relu(x)`")
    '구현: [`relu_docs.functional.relu`][relu_docs.functional.relu], `relu(x)`'
    >>> link_api_names("[`relu_docs.losses`](api/losses.md)")
    '[`relu_docs.losses`](api/losses.md)'
    """
    from relu_docsite.wikilinks import split_protected  # the same protection as wiki links

    out: list[str] = []
    for protected, text in split_protected(markdown):
        m = API_NAME.fullmatch(text) if protected else None
        previous = out[-1] if out else ""
        if m and not previous.endswith("["):
            text = f"[{text}][{m.group(1)}]"
        out.append(text)
    return "".join(out)


def link_api_names_html(html: str) -> str:
    """:func:`link_api_names` for HTML: ``<code>relu_docs.x</code>`` not already in a link.

    >>> link_api_names_html("<p><code>relu_docs.init.he_std</code></p>")
    '<p><autoref identifier="relu_docs.init.he_std"><code>relu_docs.init.he_std</code></autoref></p>'
    >>> link_api_names_html('<a href="x"><code>relu_docs.init</code></a>')
    '<a href="x"><code>relu_docs.init</code></a>'
    """
    def link(m: re.Match) -> str:
        if m.group(1):
            return m.group(0)
        return f'<autoref identifier="{m.group(2)}"><code>{m.group(2)}</code></autoref>'

    return API_NAME_HTML.sub(link, html)
