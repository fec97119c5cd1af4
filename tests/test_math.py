"""Math typeset at build time as MathML (relu_docsite/math.py, math_font.py).

The renderer with the site's own options (mkdocs.yml) refuses what LaTeX refuses, naming the
formula; its results are cached for the whole process; the built site carries each formula
once (MathML, no TeX copy, no math JavaScript), serves the math font subset with its licence,
and the subset has a glyph for every character the formulas use. Formulas in headings, and the
strict build failing on an invalid formula, are checked by tests/test_build.py; formulas drawn
and read by the browser (axe-core, both schemes, phone width) by tests/browser/.
"""

from __future__ import annotations

import json
import re
from io import BytesIO
from pathlib import Path

import pytest
from support.sitebuild import ROOT, plugin_options

from relu_docsite import math as site_math
from relu_docsite import math_font
from relu_docsite.search import FULL_INDEX

OPTIONS = plugin_options().math


@pytest.fixture(scope="module")
def math():
    return site_math.Math(ROOT, OPTIONS.package, OPTIONS.options, OPTIONS.font, OPTIONS.font_licence, OPTIONS.cache)


def arithmatex(tex: str, display: bool = False) -> str:
    return f'<div class="arithmatex">\\[{tex}\\]</div>' if display else f'<span class="arithmatex">\\({tex}\\)</span>'


def test_the_site_typesets_with_temml_strict_and_no_tex_copy():
    assert OPTIONS.package == "node_modules/temml"
    assert OPTIONS.options["strict"] is True and OPTIONS.options["throwOnError"] is True
    assert OPTIONS.options["annotate"] is False, "a TeX annotation would put every formula twice in the page"


def test_a_formula_becomes_mathml_and_a_display_formula_a_scrolling_block(math):
    html, problems = math.typeset("<p>" + arithmatex(r"\frac{1}{2}") + "</p>" + arithmatex(r"\sum_i x_i", True))
    assert problems == []
    assert html.startswith("<p><math><mfrac><mn>1</mn><mn>2</mn></mfrac></math></p>")
    assert '<div class="arithmatex math-display"><math display="block"><mrow><mrow><munder>' in html
    assert "xmlns" not in html and "annotation" not in html and "style=" not in html


@pytest.mark.parametrize("tex, message", [
    (r"\frac{1}{", "Unexpected end of input"),
    (r"\foo x", "Unsupported function name: \\foo"),
    (r"x_1_2", "Double subscript"),
    (r"\left( x", "Expected '\\right'"),
    (r"\begin{cases} a & b \end{matrix}", "Mismatch"),
    ("가", "Unicode text character \"가\" used in math mode"),  # Hangul belongs in \text{}
    (r"\large x", "Command \\large is invalid in math mode"),  # Temml only logs this one: captured
])
def test_an_invalid_formula_is_a_problem_naming_it(math, tex, message):
    html, problems = math.typeset("<p>" + arithmatex(tex) + "</p>")
    assert len(problems) == 1 and problems[0].startswith(f"invalid formula ${tex}$: "), problems
    assert message in problems[0] and "\n" not in problems[0]
    assert '<code class="math-error"' in html


def test_hangul_text_and_the_constructs_the_site_uses_pass(math):
    formulas = [r"\text{ReLU}(x) = \begin{cases} x & \text{if } x > 0 \\ 0 & \text{그 외} \end{cases}",
                r"\left( \frac{\partial L}{\partial x} \right)", r"\mathcal{N}(0, \sigma^2)", r"\mathbb{E}[x]",
                r"\operatorname{Var}[W] = \frac{2}{n_\text{in}}", r"f'(x)", r"\sqrt{2 / n}", r"\hat{x}"]
    _, problems = math.typeset("".join(arithmatex(f) for f in formulas))
    assert problems == []


def test_results_are_cached_for_the_process_and_the_renderer_is_shared(math):
    again = site_math.Math(ROOT, OPTIONS.package, OPTIONS.options, OPTIONS.font, OPTIONS.font_licence, OPTIONS.cache)
    assert again.renderer is math.renderer, "one node process for every build of this Python process"
    math.typeset(arithmatex(r"e^{i\pi} + 1 = 0"))
    sent = []
    real = math.renderer._proc.stdin.write
    math.renderer._proc.stdin.write = lambda data: sent.append(data) or real(data)
    try:
        html, _ = again.typeset(arithmatex(r"e^{i\pi} + 1 = 0"))
    finally:
        math.renderer._proc.stdin.write = real
    assert sent == [] and "<math>" in html, "a formula seen before is not sent to node again"
    other = site_math.Math(ROOT, OPTIONS.package, {**OPTIONS.options, "strict": False}, OPTIONS.font,
                           OPTIONS.font_licence, OPTIONS.cache)
    assert other.renderer is not math.renderer, "other options, other renderer (and cache)"


def test_used_codepoints_cover_italic_letters_and_the_radical():
    cps = math_font.used_codepoints("<math><msqrt><mi>x</mi></msqrt><mo>∑</mo><mtext>그 외</mtext></math>")
    assert cps == {ord("x"), 0x1D465, 0x221A, ord("∑")}


def test_font_subset_keeps_the_math_table_and_reports_what_the_font_lacks(math, tmp_path):
    from fontTools.ttLib import TTFont

    wanted = {ord(c) for c in "x=∑√("} | {0x1D465}
    data, missing = math_font.subset(math.font, wanted | {0x10FFFD})
    assert missing == {0x10FFFD}
    font = TTFont(BytesIO(data))
    assert "MATH" in font and font.flavor == "woff2"
    assert wanted <= set(font.getBestCmap())
    assert len(data) < 40_000


# --------------------------------------------------------------------------- the built site


def test_the_site_serves_the_font_subset_with_its_licence(built_site):
    from fontTools.ttLib import TTFont

    assets = built_site / site_math.ASSET_DIR
    assert "SIL Open Font License" in (assets / "OFL.txt").read_text(encoding="utf-8")
    font = TTFont(str(assets / site_math.FONT_NAME))
    used = set()
    for page in built_site.rglob("*.html"):
        for mathml in re.findall(r"<math\b.*?</math>", page.read_text(encoding="utf-8"), re.DOTALL):
            used |= math_font.used_codepoints(mathml)
    cmap = set(font.getBestCmap())
    assert used and not used - cmap, f"characters without a glyph: {sorted(map(hex, used - cmap))}"
    assert "MATH" in font
    css = (assets / "math.css").read_text(encoding="utf-8")
    assert 'url("relu-math.woff2")' in css


def test_each_formula_is_in_the_page_once(built_site):
    for page in built_site.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        assert "katex" not in html.lower(), page
        assert "<annotation" not in html and "<semantics" not in html, page
        assert '<span class="arithmatex">' not in html and '<div class="arithmatex">' not in html, page


def test_search_indexes_a_formula_once_as_text(built_site):
    index = json.loads((built_site / FULL_INDEX).read_text(encoding="utf-8"))
    home = next(doc for doc in index["docs"] if doc["location"] == "")
    assert home["text"].count("ReLU (x)=max(0,x)") == 1  # \text{ReLU}(x) = \max(0, x)
    everything = " ".join(doc["text"] for doc in index["docs"])
    assert "\\frac" not in everything and "\\text" not in everything and "<math" not in everything
