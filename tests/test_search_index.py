"""The Korean search index (relu_docsite/search_index.py), the glossary's part in it, and its size budget.

Around Material's search plugin: tests/test_search.py; in the browser: tests/browser/test_browser_search.py.
"""

from __future__ import annotations

import copy
import gzip
import json
import re

import pytest

from relu_docsite.glossary import Term, load_glossary
from relu_docsite.search import FULL_INDEX, MATERIAL_INDEX
from relu_docsite.search_index import PARTICLES, best_bets, build_index, glue, hangul_suffixes, reader_forms
from support import ROOT

WORKER = ROOT / "docsite" / "overrides" / "assets" / "javascripts" / "workers" / "relu-search.js"
GLOSSARY = ROOT / "docs" / "glossary.yml"

# Issue #13: the index the reader's browser fetches stays under 250 KB gzipped.
INDEX_BUDGET_GZ = 250_000
# What every page fetches at load (Material's search_index.json): the configuration only.
PAGE_LOAD_BUDGET_GZ = 2_000


def gz(data: bytes) -> int:
    """Gzipped size, deterministic (level 9, no timestamp), as a static host would serve it."""
    return len(gzip.compress(data, compresslevel=9, mtime=0))


def index():
    return {
        "config": {"lang": ["en"], "separator": "[\\s\\-]+", "pipeline": [], "fields": {"title": {"boost": 1000.0}}},
        "docs": [
            {"location": "relu-variants/", "title": "ReLU 변형", "text": ""},
            {"location": "relu-variants/#elu", "title": "ELU (Exponential Linear Unit)", "text": "<p>지수 함수를 씁니다</p>"},
            {"location": "relu-variants/#단점", "title": "단점", "text": "<p>정규분포를 따릅니다. 정규분포는 역효과</p>"},
        ],
    }


def test_particles_come_off_and_predicates_add_nothing():
    docs = {d["location"]: d for d in build_index(index())["docs"]}
    # 정규분포 is written with two particles: a known stem. 역효과 keeps its 과 (역효 is no word).
    assert docs["relu-variants/#단점"]["text_parts"].split() == ["규분포", "분포", "규분포", "분포", "효과"]
    assert hangul_suffixes("따릅니다 없습니다") == []


def test_sections_carry_their_pages_title():
    docs = {d["location"]: d for d in build_index(index())["docs"]}
    assert docs["relu-variants/#단점"]["page"] == "ReLU 변형" and "page" not in docs["relu-variants/"]


def test_a_terms_home_gets_every_form_a_reader_types():
    elu = Term(ko="ELU", en="exponential linear unit", abbr="ELU", expansion="…",
               aliases=("엘루", "지수 선형 유닛"), avoid=("일루",))
    out = build_index(index(), [("relu-variants/#elu", elu)], {"relu-variants/": ["ReLU variants"]})
    docs = {d["location"]: d for d in out["docs"]}
    assert docs["relu-variants/#elu"]["aliases"] == "ELU exponential linear unit 엘루 지수 선형 유닛 지수선형유닛 일루"
    assert docs["relu-variants/"]["aliases"] == "ReLU variants"
    bets = out["config"]["relu"]
    assert bets["terms"][bets["keys"]["일루"]] == ["relu-variants/#elu", ["ELU"]], "an avoided form is searchable"
    assert bets["terms"][bets["keys"]["지수선형유닛"]][0] == "relu-variants/#elu"
    assert bets["particles"] == list(PARTICLES)


def test_the_builder_is_deterministic_and_leaves_its_input_alone():
    before = index()
    given = copy.deepcopy(before)
    homes = [("relu-variants/#elu", Term(ko="ELU", en="exponential linear unit", aliases=("엘루",)))]
    first = json.dumps(build_index(given, homes), ensure_ascii=False)
    assert given == before
    assert json.dumps(build_index(given, homes), ensure_ascii=False) == first


def test_glue_is_the_workers():
    assert glue("Leaky ReLU") == glue("leaky-relu") == glue("LeakyReLU") == "leakyrelu"
    assert 'replace(/[^0-9a-z\\uac00-\\ud7a3]/g, "")' in WORKER.read_text(encoding="utf-8"), (
        "the worker's glue() must reduce a query exactly as relu_docsite.search_index.glue reduces a form")


# ---- the glossary, the one source of the synonyms ----

def glossary_homes():
    """Each term of docs/glossary.yml that names a page, with a home standing for its page and section."""
    return [(f"{t.page}#{t.section or ''}", t) for t in load_glossary(GLOSSARY) if t.page]


def test_each_name_of_a_term_finds_its_own_home():
    """A term's Korean, English and abbreviation are best bets for its own home, never another term's."""
    homes = glossary_homes()
    _, bets, _ = best_bets(homes)
    wrong = []
    for home, term in homes:
        for name in reader_forms(term)[1]:
            got = bets["terms"][bets["keys"][glue(name)]][0]
            if got != home and glue(name) not in {glue(f) for h, t in homes if h == got for f in reader_forms(t)[1]}:
                wrong.append(f"{name!r} ({term.ko}) -> {got}")
    assert not wrong, "docs/glossary.yml: a name leads to another term's home:\n" + "\n".join(wrong)


def test_no_alias_is_listed_for_two_terms():
    clashes = best_bets(glossary_homes())[2]
    assert not clashes, "docs/glossary.yml: " + "\n".join(clashes)


# ---- the built site ----

def test_the_index_stays_under_budget(built_site):
    """Issue #13: the index stays under 250 KB gzipped; what every page fetches at load is the configuration."""
    full = (built_site / FULL_INDEX).read_bytes()
    at_load = (built_site / MATERIAL_INDEX).read_bytes()
    assert gz(full) < INDEX_BUDGET_GZ, (
        f"{FULL_INDEX}: {len(full):,} bytes, {gz(full):,} gzipped: over the {INDEX_BUDGET_GZ:,} budget")
    assert gz(at_load) < PAGE_LOAD_BUDGET_GZ and json.loads(at_load)["docs"] == [], (
        f"{MATERIAL_INDEX} (fetched by every page) holds {len(at_load):,} bytes")


def test_every_glossary_home_is_in_the_built_index(built_site):
    data = json.loads((built_site / FULL_INDEX).read_text(encoding="utf-8"))
    locations = {d["location"] for d in data["docs"]}
    bets = data["config"]["relu"]
    with_page = [t for t in load_glossary(GLOSSARY) if t.page]
    assert len(bets["terms"]) == len(with_page)
    assert not [home for home, _ in bets["terms"] if home not in locations]
    for form, home in [("렐루", "relu/"), ("리키렐루", "relu-variants/#leaky-relu"),
                       ("카이밍초기화", "weight-initialization/#한-층의-배율과-he-초기화"),
                       ("경사하강법", "deep-learning-core-concepts/#학습-경사-하강법")]:
        assert bets["terms"][bets["keys"][form]][0] == home, form


@pytest.mark.parametrize("word", ["전파", "분포", "드롭아웃"])
def test_the_built_index_finds_words_inside_compounds(built_site, word):
    data = json.loads((built_site / FULL_INDEX).read_text(encoding="utf-8"))
    parts = {p for d in data["docs"] for f in ("title_parts", "text_parts") for p in d.get(f, "").split()}
    assert word in parts
    assert not [p for p in parts if not re.fullmatch("[\uac00-\ud7a3]{2,}", p)]


def test_a_rebuild_reuses_the_suffixes_of_unchanged_texts():
    memo = {}
    first = build_index(index(), memo=memo)
    remembered = dict(memo["parts"])
    edited = index()
    edited["docs"][1]["text"] = "<p>지수 함수를 씁니다. 역전파</p>"
    second = build_index(edited, memo=memo)
    assert second["docs"][2] == first["docs"][2] and second["docs"][1]["text_parts"] == "수를 전파"
    assert set(memo["parts"]) == {d[f] for d in edited["docs"] for f in ("title", "text")}, "no stale text kept"
    assert all(memo["parts"][k] is remembered[k] for k in remembered if k in memo["parts"] and k != edited["docs"][1]["text"])
    assert build_index(edited, memo={}) == second
