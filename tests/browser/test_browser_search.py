"""Korean search, the way a reader searches: typing into Material's search box.

Each query must bring its page, or a named section of it, into the top three
results (result groups: Material shows one group per page, its matching
sections inside). The Hangul sub-word index of
``docsite/relu_docsite/search.py`` is what makes queries such as 전파 (inside
역전파) or 분포 (inside 정규분포) find anything at all.

EXPECTED is the table to adjust when pages move: query -> acceptable targets.
A target ``"relu/"`` is satisfied by that page (any section of it) in the top
three groups; ``"relu/#죽은-relu"`` needs that very section linked there.
"""

from __future__ import annotations

import json
from urllib.parse import unquote, urlsplit

import pytest

from site_pages import PageWatch

EXPECTED: dict[str, list[str]] = {
    # dying ReLU
    "죽은 뉴런": ["relu/#죽은-relu"],
    "죽은 ReLU": ["relu/#죽은-relu", "notebooks/dying_relu/"],
    "죽은 유닛": ["relu-variants/#죽은-유닛이-되살아나는가", "notebooks/dying_relu/"],
    # gradients
    "기울기 소실": ["gradient/#기울기-소실과-기울기-폭발", "notebooks/vanishing_gradient/"],
    "기울기 폭발": ["gradient/#기울기-소실과-기울기-폭발"],
    "기울기 클리핑": ["gradient/#기울기-클리핑"],
    "연쇄 법칙": ["chain-rule/"],
    "역전파": ["backpropagation/"],
    "전파": ["backpropagation/", "forward-pass/"],  # only inside 역전파 / 순전파
    "순전파": ["forward-pass/"],
    # initialisation and distributions
    "He 초기화": ["relu/#he-초기화", "notebooks/initialization/"],
    "가중치 초기화": ["relu/#가중치-초기화", "notebooks/initialization/"],
    "정규분포": ["gelu/#정의", "glossary/"],  # also inside 표준정규분포
    "분포": ["softmax/#1-출력은-확률-분포", "gelu/#정의", "relu/#he-초기화", "glossary/"],
    "분포함수": ["gelu/"],  # only inside 누적분포함수
    # activation functions
    "활성화 함수": ["activation-function/"],
    "소프트맥스": ["softmax/"],
    "시그모이드": ["sigmoid/"],
    "Leaky ReLU": ["relu-variants/#leaky-relu"],
    "GELU": ["gelu/"],
    "희소성": ["relu/#희소성", "notebooks/sparsity/"],
    "로짓": ["sigmoid/#역함수-로짓", "softmax/"],
    "야코비": ["softmax/#미분-야코비-행렬"],
    "교차 엔트로피": ["softmax/"],
    # training
    "학습률": ["optimizer/#학습률"],
    "옵티마이저": ["optimizer/"],
    "모멘텀": ["optimizer/#모멘텀-pytorch-형태"],
    "Adam": ["optimizer/#adam"],
    "배치 정규화": ["batch-normalization/"],
    "드롭아웃 순서": ["relu/#4-드롭아웃과의-순서", "dropout/#relu와의-순서"],
    "과적합": ["deep-learning-core-concepts/#학습-데이터에-맞추는-것과-일반화는-다릅니다", "dropout/"],
}

# Material's result meta line while the index loads / before a query.
_WAITING = "검색 초기화"


def _relative(url: str, base: str) -> str:
    """``http://127.0.0.1:p/relu-wiki/relu/?h=x#y`` -> ``relu/#y`` (decoded)."""
    parts = urlsplit(url)
    path = unquote(parts.path)[len(urlsplit(base).path) :]
    return path + (f"#{unquote(parts.fragment)}" if parts.fragment else "")


def search(page, base: str, query: str) -> list[list[str]]:
    """Type ``query`` into the search box; return the result groups' links."""
    box = page.locator("input.md-search__input")
    box.click()
    page.wait_for_function(
        "w => !document.querySelector('.md-search-result__meta').textContent.includes(w)", arg=_WAITING
    )
    if box.input_value():
        box.fill("")
        box.press("End")
        page.wait_for_function("() => !document.querySelector('.md-search-result__list > li')")
    # The whole query at once, as an IME commits Hangul: no half-typed query
    # runs first, so the first results shown are this query's.
    box.fill(query)
    box.press("End")  # typed Hangul sends no key-up, and Material searches on key-up
    page.wait_for_function(
        """() => document.querySelector('.md-search-result__list > li') ||
                 /없습니다/.test(document.querySelector('.md-search-result__meta').textContent)"""
    )
    groups = page.eval_on_selector_all(
        ".md-search-result__list > li",
        "items => items.map(li => [...li.querySelectorAll('a.md-search-result__link')].map(a => a.href))",
    )
    return [[_relative(href, base) for href in group] for group in groups]


def satisfied(groups: list[list[str]], targets: list[str], top: int = 3) -> bool:
    """Whether any target is among the first ``top`` result groups.

    >>> groups = [["relu/", "relu/#죽은-relu"], ["gelu/"]]
    >>> satisfied(groups, ["relu/#죽은-relu"]), satisfied(groups, ["gelu/"]), satisfied(groups, ["tanh/"])
    (True, True, False)
    >>> satisfied([["a/"], ["b/"], ["c/"], ["relu/"]], ["relu/"])
    False
    """
    for group in groups[:top]:
        pages = {link.split("#")[0] for link in group}
        for target in targets:
            if ("#" in target and target in group) or ("#" not in target and target in pages):
                return True
    return False


def test_query_table_is_large_enough():
    assert len(EXPECTED) >= 20


def test_expected_targets_exist(site_dir):
    """Every target of EXPECTED is a built page, and every #anchor an id on it."""
    missing = []
    for query, targets in EXPECTED.items():
        for target in targets:
            path, _, anchor = target.partition("#")
            page = site_dir / path / "index.html"
            if not page.is_file():
                missing.append(f"{query}: {target} (no page)")
            elif anchor and f'id="{anchor}"' not in page.read_text(encoding="utf-8"):
                missing.append(f"{query}: {target} (no such id)")
    assert not missing, "EXPECTED names targets the site no longer has:\n" + "\n".join(missing)


def test_index_has_korean_subwords(site_dir):
    """The plugin's fields are in the built index: 전파 is indexed inside 역전파."""
    index = json.loads((site_dir / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert {"title_parts", "text_parts", "aliases"} <= set(index["config"]["fields"])
    parts = " ".join(doc.get("text_parts", "") + " " + doc.get("title_parts", "") for doc in index["docs"]).split()
    assert "전파" in parts


@pytest.fixture(scope="module")
def search_page(browser, site_server):
    """One page for all queries: the search index loads once."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    watch = PageWatch(context)
    page = context.new_page()
    page.goto(site_server)
    yield page, watch
    context.close()


@pytest.mark.parametrize("query", list(EXPECTED))
def test_search_finds(search_page, site_server, query):
    page, watch = search_page
    groups = search(page, site_server, query)
    targets = EXPECTED[query]
    shown = "\n".join(f"  {i + 1}. {' | '.join(group[:4])}" for i, group in enumerate(groups[:5]))
    assert satisfied(groups, targets), f"{query!r}: none of {targets} in the top three results:\n{shown or '  (no result)'}"
    watch.check()
