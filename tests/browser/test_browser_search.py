"""Korean search, the way a reader searches: typing into the site's own search box in chromium.

Material's search (lunr.js, in the reader's browser) with the site's index
(``docsite/relu_docsite/search.py``, ``search_index.py``) and search worker
(``docsite/overrides/assets/javascripts/workers/relu-search.js``): spacing left out
(활성화함수), particles (역전파를), transliterations and synonyms from the glossary (렐루),
matches inside compounds (전파 in 역전파), marked in the result list and on the page.

* ``EXPECTED``: queries each of which must bring its page or section into the top three
  result groups (the table to adjust when pages move);
* ``search_queries.py``: the measured query set (fitted, study held-out, held-out), over
  which issue #13's rates must hold: a target in the top 3 for >= 95 %, first for >= 80 %;
  each of the misses the issue names in the top 3.

A target ``"relu/"`` is satisfied by that page (any section of it) in a result group;
``"relu/#죽은-relu"`` needs that very section linked there. Every test also checks that no
request left 127.0.0.1 and that the console stayed clean.
"""

from __future__ import annotations

import json

import pytest

from search_box import relative, satisfied, search, shown
from search_queries import ALL, ISSUE_MISSES, SETS
from site_pages import PageWatch

EXPECTED: dict[str, list[str]] = {
    # dying ReLU
    "죽은 뉴런": ["dying-relu/", "relu/#죽은-relu"],
    "죽은 ReLU": ["dying-relu/", "relu/#죽은-relu", "notebooks/dying_relu/"],
    "죽은 유닛": ["dying-relu/", "relu-variants/#죽은-유닛이-되살아나는가", "notebooks/dying_relu/"],
    # gradients
    "기울기 소실": ["vanishing-gradient/", "notebooks/vanishing_gradient/"],
    "기울기 폭발": ["vanishing-gradient/"],
    "기울기 클리핑": ["vanishing-gradient/#기울기-클리핑"],
    "연쇄 법칙": ["chain-rule/"],
    "역전파": ["backpropagation/"],
    "전파": ["backpropagation/", "forward-pass/"],  # only inside 역전파 / 순전파
    "순전파": ["forward-pass/"],
    # initialisation and distributions
    "He 초기화": ["weight-initialization/#한-층의-배율과-he-초기화", "notebooks/initialization/"],
    "가중치 초기화": ["weight-initialization/", "notebooks/initialization/"],
    "정규분포": ["weight-initialization/#정규분포와-균등분포", "gelu/#정의"],  # also inside 표준정규분포
    "분포": ["softmax/#1-출력은-확률-분포", "weight-initialization/#정규분포와-균등분포", "gelu/#정의"],
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
    "교차 엔트로피": ["loss-function/#교차-엔트로피-로짓에서"],
    # training
    "학습률": ["optimizer/#학습률"],
    "옵티마이저": ["optimizer/"],
    "모멘텀": ["optimizer/#모멘텀-pytorch-형태"],
    "Adam": ["optimizer/#adam"],
    "배치 정규화": ["batch-normalization/"],
    "드롭아웃 순서": ["dropout/#다른-층과의-순서", "dropout/#relu와의-순서"],
    "과적합": ["deep-learning-core-concepts/#과적합과-일반화", "regularization/"],
}


def test_query_tables_are_large_enough():
    assert len(EXPECTED) >= 20 and len(ALL) >= 60 and len(SETS["held-out"]) >= 20


def test_expected_targets_exist(site_dir):
    """Every target of EXPECTED and of the measured query set is a built page, and every #anchor an id on it."""
    missing = []
    measured = {query: targets for query, (_kind, targets) in ALL.items()}
    for query, targets in [*EXPECTED.items(), *measured.items()]:
        for target in targets:
            path, _, anchor = target.partition("#")
            page = site_dir / path / "index.html"
            if not page.is_file():
                missing.append(f"{query}: {target} (no page)")
            elif anchor and f'id="{anchor}"' not in page.read_text(encoding="utf-8"):
                missing.append(f"{query}: {target} (no such id)")
    assert not missing, "the query tables name targets the site no longer has:\n" + "\n".join(missing)


def test_index_has_korean_subwords(site_dir):
    """The plugin's fields are in the index the worker fetches: 전파 is indexed inside 역전파, 렐루 is a best bet."""
    index = json.loads((site_dir / "search" / "full_index.json").read_text(encoding="utf-8"))
    assert {"title_parts", "text_parts", "aliases", "page"} <= set(index["config"]["fields"])
    parts = " ".join(doc.get("text_parts", "") + " " + doc.get("title_parts", "") for doc in index["docs"]).split()
    assert "전파" in parts
    bets = index["config"]["relu"]
    assert bets["terms"][bets["keys"]["렐루"]][0] == "relu/"


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
    assert satisfied(groups, targets), f"{query!r}: none of {targets} in the top three results:\n{shown(groups)}"
    watch.check()


@pytest.mark.parametrize("query", ISSUE_MISSES)
def test_the_misses_of_the_issue_find_their_page(search_page, site_server, query):
    page, watch = search_page
    groups = search(page, site_server, query)
    targets = ALL[query][1]
    assert satisfied(groups, targets), f"{query!r}: none of {targets} in the top three results:\n{shown(groups)}"
    watch.check()


def test_search_quality(search_page, site_server):
    """Issue #13 over the whole query set: the target in the top three for >= 95 %, first for >= 80 %."""
    page, watch = search_page
    top1, top3, lines = {}, {}, []
    for name, queries in SETS.items():
        for query, (_kind, targets) in queries.items():
            groups = search(page, site_server, query)
            top1[query], top3[query] = satisfied(groups, targets, 1), satisfied(groups, targets, 3)
            if not top1[query]:
                lines.append(f"  [{name}] {query!r}: want {targets[0]}, got {[g[0] for g in groups[:3]]}")
    n = len(ALL)
    rates = [f"{name}: top-1 {sum(top1[q] for q in qs) / len(qs):.1%}, top-3 {sum(top3[q] for q in qs) / len(qs):.1%}"
             for name, qs in SETS.items()]
    report = (f"top-1 {sum(top1.values()) / n:.1%}, top-3 {sum(top3.values()) / n:.1%} of {n} queries "
              f"({'; '.join(rates)}); not first:\n" + "\n".join(lines))
    assert sum(top3.values()) >= 0.95 * n and sum(top1.values()) >= 0.80 * n, report
    watch.check()


def _marks(page, scope: str = ".md-search-result__list > li:nth-child(-n+3)"):
    """Each <mark> in ``scope``: [its text, the text right before it, the text right after it]."""
    return page.eval_on_selector_all(f"{scope} mark", """ms => ms.map(m => [m.textContent,
        (m.previousSibling && m.previousSibling.textContent || '').slice(-1),
        (m.nextSibling && m.nextSibling.textContent || '').slice(0, 1)])""")


def _inside_a_word(marks, word):
    """Whether ``word`` is marked glued to Hangul before or after it (전파 inside 역전파)."""
    hangul = lambda c: "\uac00" <= c <= "\ud7a3"  # noqa: E731
    return any(text == word and (hangul(before) or hangul(after)) for text, before, after in marks)


def test_matches_inside_compounds_are_marked_in_the_results(search_page, site_server):
    """전파 is marked inside 역전파 or 순전파; 역전파를 finds and marks 역전파; 활성화함수 marks 활성화 and 함수."""
    page, watch = search_page
    search(page, site_server, "전파")
    marks = _marks(page)
    assert _inside_a_word(marks, "전파"), marks[:20]
    groups = search(page, site_server, "역전파를")
    assert groups[0][0] == "backpropagation/"
    assert _marks(page)[0][0] == "역전파"
    groups = search(page, site_server, "활성화함수")
    assert groups[0][0] == "activation-function/"
    assert {"활성화", "함수"} <= {text for text, _, _ in _marks(page, ".md-search-result__list > li:first-child")}
    watch.check()


@pytest.mark.parametrize(("query", "marked", "compound"), [
    ("렐루", "ReLU", False),  # the page's own form of the synonym the reader typed
    ("활성화함수", "활성화", False),  # a glued compound, searched in parts
    ("역전파를", "역전파", False),  # a particle taken off
    ("전파", "전파", True),  # inside 역전파
])
def test_the_page_marks_what_matched_after_the_click(open_page, site_server, query, marked, compound):
    """The reader clicks the first result: search.highlight marks on that page what the reader meant."""
    page, watch = open_page("")
    groups = search(page, site_server, query)
    link = page.locator(".md-search-result__list > li:first-child a.md-search-result__link").first
    with page.expect_navigation():
        link.click()
    assert relative(page.url, site_server).split("#")[0] == groups[0][0].split("#")[0]
    page.wait_for_selector("article mark[data-md-highlight]")
    marks = _marks(page, "article")
    texts = [text for text, _, _ in marks]
    assert marked in texts, texts[:10]
    if compound:
        assert _inside_a_word(marks, marked), marks[:20]
    watch.check()


def test_the_index_loads_when_the_reader_reaches_for_the_search(open_page, site_server):
    """No page fetches the index at load; the first reach for the search box fetches it once, and search works."""
    requests: list[str] = []
    page, watch = open_page("relu/", wait_until="load")
    page.on("request", lambda r: requests.append(r.url))
    page.wait_for_timeout(500)
    assert not [u for u in requests if u.endswith("/search/full_index.json")], "the index was fetched at page load"
    groups = search(page, site_server, "렐루")
    assert groups[0][0] == "relu/"
    assert len([u for u in requests if u.endswith("/search/full_index.json")]) == 1
    watch.check()


def test_a_shared_search_link_finds_at_once(open_page, site_server):
    """Material's ?q= deep link opens the search with the query: the index loads without a reach for the box."""
    page, watch = open_page("?q=리키렐루")
    page.wait_for_selector(".md-search-result__list > li")
    links = page.eval_on_selector_all(".md-search-result__list > li:first-child a.md-search-result__link",
                                      "as => as.map(a => a.href)")
    assert "relu-variants/#leaky-relu" in [relative(link, site_server) for link in links], links[:3]
    watch.check()
