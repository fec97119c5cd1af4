"""The build is a test: ``mkdocs build --strict`` passes, and fails loudly on each kind of fault.

Positive checks read the session's clean build (``built_site``, tests/conftest.py).
Each fault-injection test copies the project into a temporary directory,
breaks one thing on the home page and asserts that the strict build exits
non-zero with a message naming the page and the fault. They need the clean
build to pass first (otherwise a failure would prove nothing), so they ask for
``built_site`` too.
"""

from __future__ import annotations

import re
from fnmatch import fnmatch
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest
from support.sitebuild import ROOT, copy_project, mkdocs_build, plugin_options

from relu_docsite.glossary import abbreviations, load_glossary

DOCS = ROOT / "docs"
FAULT_PAGE = "index.md"
OPTIONS = plugin_options()
HUB_PAGES = {p.relative_to(DOCS).as_posix() for p in DOCS.rglob("*.md")
             if any(fnmatch(p.relative_to(DOCS).as_posix(), hub) for hub in OPTIONS.hub_pages)}
GLOSSARY = load_glossary(OPTIONS.glossary)


def page_path(site: Path, src_uri: str) -> Path:
    """Built HTML file of a docs/ page (use_directory_urls: relu.md -> relu/index.html)."""
    stem = src_uri[: -len(".md")]
    if stem == "index" or stem.endswith("/index"):
        return site / f"{stem}.html"
    return site / stem / "index.html"


def md_pages() -> list[str]:
    return sorted(p.relative_to(DOCS).as_posix() for p in DOCS.rglob("*.md"))


class TextOutsideCode(HTMLParser):
    """Text nodes and attribute values outside <code>, <pre>, <script>, <style> and TeX annotations;
    and the text of each <code>/<pre> element."""

    CODE = {"code", "pre", "script", "style", "annotation"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.depth = 0
        self.outside: list[str] = []
        self.code_texts: list[str] = []
        self._code: list[list[str]] = []

    def handle_starttag(self, tag, attrs):
        if self.depth == 0:
            self.outside.extend(value for _, value in attrs if value)
        if tag in self.CODE:
            self.depth += 1
            self._code.append([])

    def handle_endtag(self, tag):
        if tag in self.CODE and self.depth:
            self.depth -= 1
            self.code_texts.append("".join(self._code.pop()))

    def handle_data(self, data):
        if self.depth:
            for chunk in self._code:
                chunk.append(data)
        else:
            self.outside.append(data)


def parse(html: str) -> TextOutsideCode:
    parser = TextOutsideCode()
    parser.feed(html)
    parser.close()
    return parser


def article(html: str) -> str:
    """The page's own content (Material's <article>), without the navigation around it."""
    m = re.search(r"<article\b.*?</article>", html, re.DOTALL)
    assert m, "no <article> in page"
    return m.group(0)


def internal_targets(html: str, src_uri: str, pages: list[str]) -> set[str]:
    """docs/ pages that the links of ``html`` (a page built from ``src_uri``) point to."""
    base = "https://site/" + page_path(Path(), src_uri).as_posix()
    by_url = {"https://site/" + page_path(Path(), p).as_posix(): p for p in pages}
    found = set()
    for href in re.findall(r'<a\b[^>]*\bhref="([^"]*)"', html):
        url = unquote(urlsplit(urljoin(base, href))._replace(fragment="", query="").geturl())
        if url.endswith("/"):
            url += "index.html"
        if url in by_url:
            found.add(by_url[url])
    return found


# --------------------------------------------------------------------------- the real site


def test_strict_build_of_the_site_passes(built_site):
    assert (built_site / "index.html").is_file()
    for src in md_pages():
        assert page_path(built_site, src).is_file(), src


def test_no_page_keeps_material_search_attributes(built_site):
    """The search step hands pages back as they were (relu_docsite/search.py): none has data-search-* to drop."""
    assert not [p for p in built_site.rglob("*.html") if "data-search-" in p.read_text(encoding="utf-8")]


def test_no_wiki_link_syntax_survives_outside_code(built_site):
    leftovers = []
    for html_file in sorted(built_site.rglob("*.html")):
        for text in parse(html_file.read_text(encoding="utf-8")).outside:
            if "[[" in text:
                leftovers.append(f"{html_file.relative_to(built_site)}: {text.strip()[:80]!r}")
    assert leftovers == []


def test_math_is_typeset_and_untouched_by_abbreviations(built_site):
    html = (built_site / "index.html").read_text(encoding="utf-8")
    assert re.search(r"<math[^>]*><mrow><mtext>ReLU</mtext>.*?<mi>max</mi>", html)  # \text{ReLU}(x) = \max(0, x)
    for html_file in built_site.rglob("*.html"):
        text = html_file.read_text(encoding="utf-8")
        assert "math-error" not in text, html_file
        for mathml in re.findall(r"<math\b.*?</math>", text, re.DOTALL):
            assert "<abbr" not in mathml, (html_file, mathml[:200])


class ProseWords(HTMLParser):
    """Prose text of an article in document order, as ``(text, inside_abbr_title)`` pieces;
    headings, code, math (KaTeX's HTML and MathML), figures and scripts are left out (a
    <figcaption> is raw HTML in the Markdown, which the abbr extension does not enter)."""

    SKIP = {"h1", "h2", "h3", "h4", "h5", "h6", "code", "pre", "script", "style", "math", "svg", "figcaption"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, bool]] = []  # (tag, skipped)
        self.abbr: str | None = None
        self.pieces: list[tuple[str, str | None]] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        skip = tag in self.SKIP or "katex-html" in (attrs.get("class") or "").split()
        if tag == "abbr":
            self.abbr = attrs.get("title")
        if tag not in {"br", "img", "hr", "input", "meta", "link", "wbr", "source", "col"}:
            self.stack.append((tag, skip))

    def handle_endtag(self, tag):
        if tag == "abbr":
            self.abbr = None
        while self.stack:
            if self.stack.pop()[0] == tag:
                break

    def handle_data(self, data):
        if not any(skipped for _, skipped in self.stack):
            self.pieces.append((data, self.abbr))


def test_abbreviations_explained_on_pages(built_site):
    """Every page explains each abbreviation it uses on hover at its first use in the prose
    (a heading is a label, not a use), and only there: one <abbr> per abbreviation per page."""
    glossary = abbreviations(GLOSSARY)
    word = re.compile(r"(?<![A-Za-z0-9_])(" + "|".join(map(re.escape, sorted(glossary, key=len, reverse=True))) + r")(?![A-Za-z0-9_])")
    explained_somewhere = set()
    for src in md_pages():
        html = article(page_path(built_site, src).read_text(encoding="utf-8"))
        marked = re.findall(r"<abbr\b[^>]*>([^<]*)</abbr>", html)
        assert sorted(marked) == sorted(set(marked)), (src, "abbreviation marked more than once", marked)
        parser = ProseWords()
        parser.feed(html)
        first: dict[str, str | None] = {}
        for text, title in parser.pieces:
            for m in word.finditer(text):
                first.setdefault(m.group(1), title)
        for abbr, title in first.items():
            assert title == glossary[abbr], (src, abbr, "first use in the prose is not explained")
            explained_somewhere.add(abbr)
    assert {"ReLU", "BN"} <= explained_somewhere
    home = article((built_site / "index.html").read_text(encoding="utf-8"))
    assert '<abbr title="Rectified Linear Unit (정류 선형 유닛), max(0, x)">ReLU</abbr>' in home
    assert '<abbr title="Batch Normalization (배치 정규화)">BN</abbr>' in home
    assert "<h1" in home and "<abbr" not in re.search(r"<h1.*?</h1>", home, re.DOTALL).group(0)


def test_glossary_page_is_generated_from_the_data_file(built_site):
    html = article((built_site / "glossary" / "index.html").read_text(encoding="utf-8"))
    assert "<!-- glossary" not in html
    text = re.sub(r"<[^>]+>", "", html)
    for term in GLOSSARY:
        assert f"{term.ko}</td>" in html or term.ko in text, term
        assert term.en in text, term
    assert html.count("<tr>") == len(GLOSSARY) + 2 + sum(1 for t in GLOSSARY if t.abbr)
    assert not list(built_site.rglob("glossary.yml")), "the data file stays out of the site"


def test_backlinks_are_exactly_the_pages_that_link(built_site):
    """From the built HTML alone: page P lists Q under 이 문서를 언급한 문서 iff Q's content links to P."""
    pages = md_pages()
    linked_from: dict[str, set[str]] = {p: set() for p in pages}
    listed: dict[str, set[str]] = {}
    heading = re.compile(rf"<h2 id=\"[^\"]*\">{OPTIONS.backlinks_heading}.*?</h2>", re.DOTALL)
    for src in pages:
        content = article(page_path(built_site, src).read_text(encoding="utf-8"))
        parts = heading.split(content)
        assert len(parts) <= 2, f"{src}: more than one backlinks section"
        if len(parts) == 2:
            listed[src] = internal_targets(parts[1], src, pages)
            assert listed[src], f"{src}: empty backlinks section"
        if src not in HUB_PAGES:
            for target in internal_targets(parts[0], src, pages) - {src}:
                linked_from[target].add(src)
    for src in pages:
        expected = set() if src in HUB_PAGES else linked_from[src] - HUB_PAGES
        assert listed.get(src, set()) == expected, src


def test_concept_map_links_every_learning_page(built_site):
    html = (built_site / "index.html").read_text(encoding="utf-8")
    assert "<!-- concept-map -->" not in html
    figure = re.search(r'<figure class="concept-map">.*?</figure>', html, re.DOTALL).group(0)
    assert "<script" not in figure and "<title id=\"concept-map-title\">" in figure
    nav = re.findall(r"^\s+- ([\w./-]+\.md)$", (ROOT / "mkdocs.yml").read_text(encoding="utf-8"), re.MULTILINE)
    learning = [p for p in nav if p not in HUB_PAGES]
    assert internal_targets(figure, "index.md", md_pages()) == set(learning)
    for href in re.findall(r'href="([^"]*)"', figure):
        assert (built_site / unquote(href)).joinpath("index.html").is_file(), href


# --------------------------------------------------------------------------- fault injection


def build_with(tmp_path: Path, addition: str) -> tuple[int, str]:
    project = copy_project(tmp_path / "project")
    page = project / "docs" / FAULT_PAGE
    page.write_text(page.read_text(encoding="utf-8") + "\n\n" + addition + "\n", encoding="utf-8")
    result = mkdocs_build(project, tmp_path / "site")
    return result.returncode, result.output


FAULTS = {
    "broken formula": (
        r"분수 $\frac{1}{$ 입니다.",
        [r"Doc file 'index.md': invalid formula $\frac{1}{$", "Unexpected end of input"],
    ),
    "formula with a space after $": (
        r"선형 층을 이으면 $ W_2 W_1 x + \mathbf{b}$ 입니다.",
        [r"Doc file 'index.md': TeX not recognised as math", r"\mathbf{b}"],
    ),
    "missing snippet file": (
        '```python\n--8<-- "relu_docs/examples/nope.py"\n```',
        ["'index.md'", "relu_docs/examples/nope.py", "could not be found"],
    ),
    "broken internal link": (
        "[없는 문서](nope.md)",
        ["Doc file 'index.md' contains a link 'nope.md', but the target is not found"],
    ),
    "broken anchor": (
        "[없는 절](glossary.md#없는-절)",
        ["Doc file 'index.md' contains a link 'glossary.md#없는-절'", "does not contain an anchor '#없는-절'"],
    ),
    "figure that no function draws": (
        '<figure markdown="span">\n  ![없는 그림](figures/nothing.svg)\n  <figcaption>캡션</figcaption>\n</figure>',
        ["Doc file 'index.md': figure nothing.svg does not exist"],
    ),
    "unresolved wiki link": (
        "[[없는 개념|별칭]]을 링크합니다.",
        ["Doc file 'index.md': unresolved wiki link [[없는 개념|별칭]]"],
    ),
    "relu_docs name that does not exist": (
        "구현: `relu_docs.functional.reluu`",
        ["index.md: Could not find cross-reference target 'relu_docs.functional.reluu'"],
    ),
}


@pytest.mark.parametrize("fault", FAULTS)
def test_strict_build_fails_naming_page_and_fault(built_site, tmp_path, fault):
    addition, messages = FAULTS[fault]
    returncode, output = build_with(tmp_path, addition)
    assert returncode != 0, output
    for message in messages:
        assert message in output, output


TORTURE = r"""
## 코드와 수식은 그대로

```python
a[[0, 1]]  # [[Sigmoid]]
```

- 목록 안

    ~~~~pycon
    >>> b[[1]]
    ~~~~

!!! note "상자 안"

    ```py
    c[[0, 1]]
    ```

인라인 `a[[0, 1]]` 와 ``d[[`2`]]``, 수식 $\text{ReLU}(x)$, [[Glossary#약어]], [[용어집#용어|용어 표]].
### 제목 속 수식 $\sigma(x)$

문단.
"""


def test_code_is_left_unchanged_and_links_resolve(built_site, tmp_path):
    returncode, output = build_with(tmp_path, TORTURE)
    assert returncode == 0, output
    html = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    parsed = parse(html)
    for code in ["a[[0, 1]]  # [[Sigmoid]]", ">>> b[[1]]", "c[[0, 1]]", "a[[0, 1]]", "d[[`2`]]"]:
        assert any(code in text for text in parsed.code_texts), code
    assert not [text for text in parsed.outside if "[[" in text]
    hrefs = [unquote(h) for h in re.findall(r'href="([^"]*)"', article(html))]
    assert "glossary/#약어" in hrefs and "glossary/#용어" in hrefs
    assert '<math><mrow><mtext>ReLU</mtext><mrow><mo fence="true" form="prefix" stretchy="false">(</mo><mi>x</mi>' in html
    # A formula in a heading is typeset in the heading and in the table of contents.
    heading = re.search(r"<h3 id=\"([^\"]*)\">제목 속 수식 (<math>.*?</math>)", html)
    assert heading and "<mi>σ</mi>" in heading.group(2), html[-3000:]
    toc = re.search(r'<nav class="md-nav md-nav--secondary".*?</nav>', html, re.DOTALL).group(0)
    assert heading.group(2) in toc and "\\sigma" not in toc
    # The concept map depends on the pages only: the same bytes as in the session's clean build.
    figure = re.compile(r'<figure class="concept-map">.*?</details>', re.DOTALL)
    clean = (built_site / "index.html").read_text(encoding="utf-8")
    assert figure.search(html).group(0) == figure.search(clean).group(0)


def test_every_relu_docs_name_on_a_page_links_into_the_api_reference(built_site):
    """A `relu_docs.*` name in a page's text is a link to its entry in the API reference (the strict
    build resolves each one, so a rename breaks the build)."""
    unlinked = []
    for html in sorted(built_site.rglob("*.html")):
        if "api" in html.relative_to(built_site).parts:
            continue
        for code in re.findall(r"(<a [^>]*>)?<code>(relu_docs(?:\.\w+)+)</code>", html.read_text(encoding="utf-8")):
            if not code[0]:
                unlinked.append(f"{html.relative_to(built_site)}: {code[1]}")
            elif "/api/" not in code[0] and "api/" not in code[0]:
                unlinked.append(f"{html.relative_to(built_site)}: {code[1]} links elsewhere: {code[0]}")
    assert not unlinked, unlinked[:20]
    assert (built_site / "api" / "functional" / "index.html").is_file()
