"""Page-weight budgets of the built site: the numbers that do not vary from run to run.

Readers are on phones: every page stays at most 3,000 HTML elements, the ReLU page (the site's
front door) at most 200 kB of HTML, and no page ships math JavaScript (formulas are MathML,
typeset at build time: relu_docsite/math.py). A page over budget is too long for one page:
move a topic to its home page. Lighthouse scores, which vary with the machine's load, are
``make lighthouse``'s (scripts/lighthouse/run.py), not a test.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

MAX_ELEMENTS = 3_000
MAX_RELU_BYTES = 200_000
# Client-side math: a script or stylesheet of one of these, or a file of theirs in the site.
MATH_JS = re.compile(r"katex|temml|mathjax|mathml-polyfill|tex-mml|tex-chtml", re.IGNORECASE)


class Elements(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.count = 0
        self.scripts: list[str] = []  # src of each <script>, or its text
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        self.count += 1
        if tag == "script":
            src = dict(attrs).get("src")
            self.scripts.append(src or "")
            self._in_script = src is None

    def handle_startendtag(self, tag, attrs):
        self.count += 1

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False

    def handle_data(self, data):
        if self._in_script:
            self.scripts[-1] += data


def parse(path: Path) -> Elements:
    parser = Elements()
    parser.feed(path.read_text(encoding="utf-8"))
    parser.close()
    return parser


def pages(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("*.html") if p.name == "index.html" or p.name == "404.html")


def test_elements_are_counted_as_a_browser_would():
    parser = Elements()
    parser.feed('<p>a<br>b<img src="x"><svg><path d=""/></svg></p><script src="s.js"></script><script>var k=1</script>')
    assert parser.count == 7 and parser.scripts == ["s.js", "var k=1"]


def test_every_page_has_at_most_3000_elements(built_site):
    counts = {p.relative_to(built_site).as_posix(): parse(p).count for p in pages(built_site)}
    assert len(counts) > 20
    over = {page: n for page, n in counts.items() if n > MAX_ELEMENTS}
    assert not over, (f"pages over {MAX_ELEMENTS} elements (too long for one page: move a topic to its "
                      f"home page): " + ", ".join(f"{p} {n} (+{n - MAX_ELEMENTS})" for p, n in sorted(over.items())))


def test_relu_page_is_at_most_200_kb(built_site):
    size = (built_site / "relu" / "index.html").stat().st_size
    assert size <= MAX_RELU_BYTES, f"relu/index.html is {size:,} bytes, over {MAX_RELU_BYTES:,}"


def test_no_page_ships_math_javascript(built_site):
    shipped = []
    for page in pages(built_site):
        html = page.read_text(encoding="utf-8")
        parser = parse(page)
        shipped += [f"{page.relative_to(built_site)}: script {s[:80]!r}" for s in parser.scripts if MATH_JS.search(s)]
        shipped += [f"{page.relative_to(built_site)}: stylesheet {href}"
                    for href in re.findall(r'<link\b[^>]*href="([^"]*)"', html) if MATH_JS.search(href)]
    shipped += [f"file {p.relative_to(built_site)}" for p in built_site.rglob("*")
                if p.is_file() and MATH_JS.search(p.name)]
    assert not shipped, "math JavaScript reaches the reader:\n" + "\n".join(shipped[:20])
    assert "<math" in (built_site / "relu" / "index.html").read_text(encoding="utf-8"), "formulas are MathML"
