"""Unit tests of the wiki machinery: wiki links, backlinks, glossary, abbreviations, concept map."""

from __future__ import annotations

import re
import textwrap

import markdown
import pytest

from relu_docsite import wikilinks as wl
from relu_docsite.abbr import KoreanAbbrExtension
from relu_docsite.conceptmap import Node, render_concept_map
from relu_docsite.glossary import (
    Term,
    abbreviations,
    load_glossary,
    render_abbreviations,
    render_terms,
)

from support import ROOT
from support.sitebuild import plugin_options

DOCS = ROOT / "docs"
GLOSSARY_FILE = plugin_options().glossary
HUBS = ["index.md", "glossary.md", "references.md"]


def page(aliases=None, title=None, body=""):
    front = f"---\naliases: [{', '.join(aliases)}]\n---\n" if aliases else ""
    head = f"# {title}\n\n" if title else ""
    return front + head + textwrap.dedent(body)


# The eleven link names of the first pages, as their front matter declares them.
SEED_PAGES = {
    "activation-function.md": page(["Activation Function", "활성화 함수"], "활성화 함수 (Activation Function)"),
    "sigmoid.md": page(["Sigmoid"], "시그모이드 (Sigmoid)"),
    "gradient.md": page(["Gradient"], "기울기 (Gradient)", "## 기울기 소실 (Vanishing Gradient)\n"),
    "backpropagation.md": page(["Backpropagation"], "역전파 (Backpropagation)"),
    "batch-normalization.md": page(["BatchNormalization", "Batch Normalization"], "배치 정규화"),
    "deep-learning-core-concepts.md": page(["Deep Learning Core Concepts"], "딥러닝 핵심 개념"),
    "softmax.md": page(["Softmax"], "소프트맥스 (Softmax)"),
    "chain-rule.md": page(["Chain rule"], "연쇄 법칙 (Chain Rule)"),
    "optimizer.md": page(["Optimizer(Data Science)", "Optimizer"], "옵티마이저 (Optimizer)"),
    "dropout.md": page(["Dropout"], "드롭아웃 (Dropout)"),
    "forward-pass.md": page(["Forward Pass"], "순전파 (Forward Pass)"),
    "relu.md": page(
        ["ReLU"],
        "ReLU",
        """
        ## 정의

        [[Activation Function]]입니다.

        ## 죽은 ReLU (Dying ReLU)

        ## Leaky ReLU { #leaky }

        ## ReLU의 장점 & 단점
        """,
    ),
    "index.md": page(["Home", "홈"], "ReLU 위키", "[ReLU](relu.md) [[Sigmoid]]"),
}


@pytest.fixture
def index():
    return wl.PageIndex.from_sources(SEED_PAGES)


def convert(text, index, src="relu.md"):
    return wl.convert_wikilinks(text, src, index)


# --------------------------------------------------------------------------- wiki links


SEED_LINKS = {
    "Activation Function": "activation-function.md",
    "Sigmoid": "sigmoid.md",
    "Gradient": "gradient.md",
    "Backpropagation": "backpropagation.md",
    "BatchNormalization": "batch-normalization.md",
    "Deep Learning Core Concepts": "deep-learning-core-concepts.md",
    "Softmax": "softmax.md",
    "Chain rule": "chain-rule.md",
    "Optimizer(Data Science)": "optimizer.md",
    "Dropout": "dropout.md",
    "Forward Pass": "forward-pass.md",
}


@pytest.mark.parametrize("name, target", SEED_LINKS.items())
def test_seed_link_names_resolve(index, name, target):
    assert convert(f"[[{name}]]", index) == (f"[{name}]({target})", [])


def test_all_four_forms(index):
    text = "[[Sigmoid]] [[Sigmoid|시그모이드]] [[ReLU#죽은 ReLU (Dying ReLU)]] [[ReLU#정의|정의 보기]]"
    out, problems = convert(text, index, "gradient.md")
    assert problems == []
    assert out == (
        "[Sigmoid](sigmoid.md) [시그모이드](sigmoid.md) "
        "[ReLU > 죽은 ReLU (Dying ReLU)](relu.md#죽은-relu-dying-relu) [정의 보기](relu.md#정의)"
    )


def test_lookup_is_case_insensitive_by_alias_title_and_stem(index):
    assert index.lookup("sigmoid") == ["sigmoid.md"]  # alias, any case
    assert index.lookup("시그모이드 (SIGMOID)") == ["sigmoid.md"]  # title
    assert index.lookup("batch-normalization") == ["batch-normalization.md"]  # stem
    assert index.lookup("batch normalization") == ["batch-normalization.md"]  # alias
    assert index.lookup("forward-pass.md") == ["forward-pass.md"]
    assert index.lookup("nothing") == []


def test_front_matter_alias_may_be_a_string():
    index = wl.PageIndex.from_sources({"a.md": "---\naliases: Alpha\ntitle: 알파\n---\nbody"})
    assert index.lookup("alpha") == ["a.md"] and index.lookup("알파") == ["a.md"]
    assert index.pages["a.md"].body == "body"


@pytest.mark.parametrize(
    "section, anchor",
    [
        ("죽은 ReLU", "죽은-relu-dying-relu"),  # Korean part of "Korean (English)"
        ("Dying ReLU", "죽은-relu-dying-relu"),  # English part
        ("죽은 relu (dying relu)", "죽은-relu-dying-relu"),  # whole heading, any case
        ("Leaky ReLU", "leaky"),  # explicit { #id }
        ("leaky", "leaky"),
        ("ReLU의 장점 & 단점", "relu의-장점--단점"),  # the site's slugify keeps Hangul
        ("없는 절", "없는-절"),  # not a heading: slugified, MkDocs then checks the anchor
    ],
)
def test_section_anchor_uses_site_slugify(index, section, anchor):
    out, problems = convert(f"[[ReLU#{section}|x]]", index, "gradient.md")
    assert (out, problems) == (f"[x](relu.md#{anchor})", [])


def test_same_page_section_and_subdirectory_paths():
    index = wl.PageIndex.from_sources(
        {"a/one.md": "# One\n## 둘째 절\n", "b/two.md": "# Two\n", "top.md": "# Top\n"}
    )
    assert wl.convert_wikilinks("[[#둘째 절]]", "a/one.md", index)[0] == "[둘째 절](#둘째-절)"
    assert wl.convert_wikilinks("[[Two]]", "a/one.md", index)[0] == "[Two](../b/two.md)"
    assert wl.convert_wikilinks("[[One#둘째 절]]", "top.md", index)[0] == "[One > 둘째 절](a/one.md#둘째-절)"


def test_escaped_pipe_in_tables(index):
    out, problems = convert("| [[Sigmoid\\|시그모이드]] | x |", index)
    assert (out, problems) == ("| [시그모이드](sigmoid.md) | x |", [])


def test_unresolved_ambiguous_and_embed_are_problems(index):
    two = wl.PageIndex.from_sources({"a.md": page(["Same"], "A"), "b.md": page(["Same"], "B")})
    out, problems = wl.convert_wikilinks("[[Same]]", "a.md", two)
    assert out == "[[Same]]" and "ambiguous wiki link [[Same]]" in problems[0] and "b.md" in problems[0]

    out, problems = convert("앞 [[Nope Page|별칭]] 뒤 ![[Sigmoid]]", index)
    assert out == "앞 [[Nope Page|별칭]] 뒤 ![[Sigmoid]]"
    assert problems[0].startswith("unresolved wiki link [[Nope Page|별칭]]") and "'Nope Page'" in problems[0]
    assert "embed ![[Sigmoid]]" in problems[1]


PROTECTED = textwrap.dedent(
    """\
    ```python
    a[[0, 1]]  # [[Sigmoid]]
    ```

    ~~~~
    ```
    b[[2]]
    ```
    ~~~~

    1. 목록 안의 코드:

        ```py title="x.py"
        c[[0, 1]]
        ```

    !!! tip "팁"

        ````pycon
        >>> d[[0]]
        ```
        still code [[Sigmoid]]
        ````

    인라인 `a[[0, 1]]`, ``e[[`1`]]``, 수식 $x_{[[1]]}$ 과 $$[[y]]$$, <!-- [[comment]] -->
    --8<-- "relu_docs/examples/[[x]].py"
    """
)


def test_code_math_comments_and_snippets_are_never_touched(index):
    out, problems = convert(PROTECTED, index)
    assert (out, problems) == (PROTECTED, [])
    assert wl.find_wikilinks(PROTECTED) == []


def test_text_between_protected_pieces_is_converted(index):
    text = "`a[[0]]` [[Sigmoid]] `b[[1]]`\n```\n[[x]]\n```\n[[Softmax]]\n"
    out, problems = convert(text, index)
    assert out == "`a[[0]]` [Sigmoid](sigmoid.md) `b[[1]]`\n```\n[[x]]\n```\n[Softmax](softmax.md)\n"
    assert problems == []


def test_unclosed_fence_protects_to_the_end(index):
    text = "[[Sigmoid]]\n```\n[[x]]\n"
    assert convert(text, index)[0] == "[Sigmoid](sigmoid.md)\n```\n[[x]]\n"


def test_split_protected_roundtrips():
    pieces = wl.split_protected(PROTECTED)
    assert "".join(text for _, text in pieces) == PROTECTED


def test_titles_and_headings():
    assert wl.page_title({}, "```\n# not a title\n```\n# 제목 { #t }\n", "stem") == "제목"
    assert wl.page_title({"title": "메타"}, "# 제목", "stem") == "메타"
    assert wl.page_title({}, "본문", "stem") == "stem"
    assert wl.short_title("활성화 함수 (Activation Function)") == "활성화 함수"
    assert wl.short_title("ReLU") == "ReLU"
    found = wl.headings("## `nn.ReLU` 와 [[Sigmoid|시그]] ##\n", wl.default_slugify())
    assert found == [wl.Heading(2, "`nn.ReLU` 와 [[Sigmoid|시그]]", "nnrelu-와-시그")]


# --------------------------------------------------------------------------- backlinks


def test_link_graph_counts_wiki_and_markdown_links():
    sources = {
        "a.md": "# A\n[[B]] [to c](c.md#x) [self](a.md) [ext](https://x.org/d.md) ![img](c.png)\n"
        "```\n[[D]]\n```\n[ref]: sub/d.md\n",
        "b.md": "# B\n[[A|에이]]\n",
        "c.md": "# C\n",
        "sub/d.md": "# D\n[up](../c.md)\n",
        "index.md": "# Home\n[[A]] [[B]] [[C]]\n",
    }
    index = wl.PageIndex.from_sources(sources)
    graph = wl.link_graph(index)
    assert graph == {
        "a.md": {"b.md", "c.md", "sub/d.md"},
        "b.md": {"a.md"},
        "c.md": set(),
        "sub/d.md": {"c.md"},
        "index.md": {"a.md", "b.md", "c.md"},
    }
    back = wl.backlinks(graph, HUBS)
    assert back == {"a.md": ["b.md"], "b.md": ["a.md"], "c.md": ["a.md", "sub/d.md"], "sub/d.md": ["a.md"]}


def test_render_backlinks_sorted_by_title_and_never_empty():
    index = wl.PageIndex.from_sources({"x.md": "# 하\n", "y.md": "# 가\n", "z/t.md": "# Target\n"})
    section = wl.render_backlinks("z/t.md", ["x.md", "y.md"], index, "이 문서를 언급한 문서")
    assert section == "\n\n## 이 문서를 언급한 문서\n\n- [가](../y.md)\n- [하](../x.md)\n"
    assert wl.render_backlinks("z/t.md", [], index, "이 문서를 언급한 문서") == ""


# --------------------------------------------------------------------------- glossary


def test_glossary_file_is_valid_and_has_the_style_vocabulary():
    terms = load_glossary(GLOSSARY_FILE)
    ko = {t.ko for t in terms}
    for word in ["활성화 함수", "기울기", "기울기 소실", "순전파", "역전파", "연쇄 법칙", "학습률",
                 "확률적 경사 하강법", "배치 정규화", "드롭아웃", "과적합", "로짓"]:
        assert word in ko
    abbr = abbreviations(terms)
    for short in ["ReLU", "BN", "GELU", "MLP", "SGD", "ELU", "PReLU", "RReLU", "CNN", "RNN"]:
        assert abbr[short]


def test_glossary_pages_exist_in_docs():
    for term in load_glossary(GLOSSARY_FILE):
        if term.page and term.page.endswith(".md"):
            assert (DOCS / term.page).is_file(), term


def test_render_terms_links_pages_and_reports_unknown_ones(index):
    terms = [
        Term("기울기 소실", "vanishing gradient", "gradient.md", "기울기 소실"),
        Term("가", "a|b", avoid=("카", "까")),
        Term("없음", "none", "missing.md"),
        Term("ReLU", "rectified linear unit", "ReLU", abbr="ReLU", expansion="Rectified Linear Unit"),
    ]
    table, problems = render_terms(terms, "glossary.md", index)
    lines = table.splitlines()
    assert lines[0] == "| 한국어 | English | 약어 | 쓰지 않는 표기 | 설명하는 문서 |"
    assert lines[2] == "| ReLU | rectified linear unit | ReLU |  | [ReLU](relu.md) |"
    assert lines[3] == "| 가 | a\\|b |  | 카, 까 | — |"
    assert lines[4] == (
        "| 기울기 소실 | vanishing gradient |  |  | "
        "[기울기 › 기울기 소실](gradient.md#기울기-소실-vanishing-gradient) |"
    )
    assert problems == ["glossary term '없음': page 'missing.md' not found"]
    assert render_abbreviations(terms) == "| 약어 | 풀이 |\n|---|---|\n| ReLU | Rectified Linear Unit |\n"


@pytest.mark.parametrize(
    "yaml_text, message",
    [
        ("- ko: 가\n", "'ko' and 'en' are required"),
        ("- {ko: 가, en: a, abbr: A}\n", "'abbr' and 'expansion' go together"),
        ("- {ko: 가, en: a, pgae: x.md}\n", "unknown keys ['pgae']"),
        ("- {ko: 가, en: a, abbr: A, expansion: x}\n- {ko: 나, en: b, abbr: A, expansion: y}\n", "defined twice"),
        ("ko: 가\n", "expected a list"),
        ("- ko: 가\n  en: a\n  section: 가: 나\n", "not valid YAML"),
        ("- {ko: 가, en: a, aliases: 나}\n", "'aliases' must be a list"),
        ("- {ko: 가, en: a, avoid: [\"\"]}\n", "'avoid' must be a list of non-empty strings"),
        ("- {ko: 가, en: a, aliases: [나], avoid: [나]}\n", "['나'] both used and avoided"),
    ],
)
def test_load_glossary_names_the_bad_entry(tmp_path, yaml_text, message):
    path = tmp_path / "g.yml"
    path.write_text(yaml_text, encoding="utf-8")
    with pytest.raises(ValueError, match=re.escape(message)):
        load_glossary(path)


# --------------------------------------------------------------------------- abbreviations


def render_abbr(text, glossary=None):
    md = markdown.Markdown(
        extensions=[KoreanAbbrExtension(glossary=glossary or {"ReLU": "Rectified Linear Unit", "BN": "Batch Norm"}),
                    "pymdownx.arithmatex", "pymdownx.superfences"],
        extension_configs={"pymdownx.arithmatex": {"generic": True}},
    )
    return md.convert(text)


def test_abbr_matches_before_korean_particles_only_whole_words():
    out = render_abbr("ReLU는 BN을 쓰고, PReLU와 ReLU6과 BNs는 다릅니다.")
    assert out.count("<abbr") == 2
    assert '<abbr title="Rectified Linear Unit">ReLU</abbr>는' in out
    assert '<abbr title="Batch Norm">BN</abbr>을' in out
    assert "PReLU와 ReLU6과 BNs는" in out


def test_abbr_leaves_code_math_and_headings_alone():
    text = "## ReLU 절\n\n`ReLU(x)` $\\text{ReLU}(x)$\n\n$$\\text{ReLU}(x)$$\n\n```python\nReLU = 1\n```\n"
    out = render_abbr(text)
    assert "<abbr" not in out
    assert "\\text{ReLU}(x)" in out and "<code>ReLU(x)</code>" in out


def test_abbr_marks_only_the_first_use_on_a_page_in_document_order():
    text = (
        "# ReLU\n\n"
        "앞의 *강조된 ReLU*와 BN, 그다음 ReLU와 BN.\n\n"
        "- ReLU 목록\n    - 안쪽 BN\n\n"
        "| ReLU | BN |\n|---|---|\n| ReLU | BN |\n"
    )
    out = render_abbr(text)
    assert out.count("<abbr") == 2
    # the first use is inside <em>, before the plain "ReLU" later in the same paragraph
    assert '<em>강조된 <abbr title="Rectified Linear Unit">ReLU</abbr></em>와 <abbr title="Batch Norm">BN</abbr>, 그다음 ReLU와 BN.' in out
    assert "<h1>ReLU</h1>" in out  # a heading does not count as the first use
    # the unwrapped occurrences keep their text and their neighbours
    assert re.sub(r"<[^>]+>", "", out).count("ReLU") == text.count("ReLU")
    assert re.sub(r"<[^>]+>", "", out).count("BN") == text.count("BN")


def test_abbr_first_use_is_per_page():
    md = markdown.Markdown(extensions=[KoreanAbbrExtension(glossary={"ReLU": "Rectified Linear Unit"})])
    assert md.convert("ReLU와 ReLU").count("<abbr") == 1
    assert md.convert("다시 ReLU").count("<abbr") == 1  # the next page explains it again


def test_page_level_definitions_still_work():
    out = render_abbr("MLP입니다.\n\n*[MLP]: Multilayer Perceptron\n")
    assert '<abbr title="Multilayer Perceptron">MLP</abbr>입니다.' in out


# --------------------------------------------------------------------------- concept map

COLUMNS = [
    ("기초", [Node("a.md", "가", "가 (A)", "a/"), Node("b.md", "나", "나 (B)", "b/")]),
    ("활성화", [Node("c.md", "다 & <라>", "다 (C)", "c/")]),
    ("빈 묶음", []),
]


def test_concept_map_is_deterministic_accessible_and_script_free():
    edges = {("a.md", "c.md"), ("c.md", "a.md"), ("a.md", "b.md"), ("a.md", "zzz.md")}
    out = render_concept_map(COLUMNS, edges)
    assert out == render_concept_map(COLUMNS, set(reversed(sorted(edges))))
    assert out.count('<path class="cm-edge ') == 2  # a-b, a-c; direction and unknown pages ignored
    assert out.count('<a class="cm-node ') == 3
    # Pointing at a (node 0) brings out its two lines and its neighbours b and c, with CSS only.
    assert '<path class="cm-edge cm-e0 cm-e1"' in out and '<path class="cm-edge cm-e0 cm-e2"' in out
    assert '<a class="cm-node cm-n0 cm-m1 cm-m2"' in out and '<a class="cm-node cm-n2 cm-m0"' in out
    assert ".cm-svg:has(.cm-n0:hover,.cm-n0:focus-visible) .cm-e0{" in out
    assert 'href="c/"' in out and "다 &amp; &lt;라&gt;" in out
    assert '<title id="concept-map-title">' in out and 'aria-labelledby="concept-map-title concept-map-desc"' in out
    assert "빈 묶음" not in out  # empty columns are dropped
    assert "<script" not in out and "http://" not in out.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert "var(--md-default-fg-color)" in out
    text_list = out.split("<details", 1)[1]
    assert '<a href="a/">가 (A)</a> — 연결: 나, 다 &amp; &lt;라&gt;' in text_list


def test_concept_map_squeezes_only_labels_that_would_overflow():
    columns = [("묶음", [Node("a.md", "ReLU", "ReLU", "a/"), Node("b.md", "아주 길고 긴 문서의 이름입니다", "긴", "b/")])]
    out = render_concept_map(columns, set())
    assert out.count("textLength=") == 1
    assert re.search(r'textLength="\d+"[^>]*>아주 길고', out)
