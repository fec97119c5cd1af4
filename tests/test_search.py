"""Korean search around Material's own search plugin: what it is handed, what is reused, what is added.

The plugin's search step (relu_docsite/search.py) uses public means only: Material indexes
each page between ``before_indexing`` and ``after_indexing``, and ``rewrite`` completes the
index file Material wrote. These tests run the real Material search plugin in between, for
two builds in one process as ``mkdocs serve`` does.
"""

from __future__ import annotations

import json
from types import SimpleNamespace

import pytest
from mkdocs.config import load_config
from mkdocs.structure.toc import get_toc

from relu_docsite import search

# Temml's MathML for \mathcal{N}(x): the page's only copy of the formula.
FORMULA = ('<math><mrow><mi class="mathcal">\U0001d4a9</mi><mo fence="true" form="prefix" stretchy="false">(</mo>'
           '<mi>x</mi><mo fence="true" form="postfix" stretchy="false">)</mo></mrow></math>')


def page(url="relu/", title="ReLU", content=None, meta=None):
    content = content or f'<h1 id="relu">ReLU</h1><p>죽은 뉴런과 {FORMULA} 역전파</p><h2 id="정의">정의</h2><p>정규분포</p>'
    toc = get_toc([{"level": 1, "id": "relu", "name": title, "children": [
        {"level": 2, "id": "정의", "name": "정의", "children": []}]}])
    return SimpleNamespace(url=url, title=title, meta=dict(meta or {"aliases": ["Dying ReLU", "죽은 뉴런"]}),
                           toc=toc, content=content)


@pytest.fixture
def material(tmp_path):
    """A build's worth of Material's search plugin, configured like the site."""
    (tmp_path / "docs").mkdir()
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: t\ntheme: {name: material, language: ko}\n"
        "plugins:\n  - search:\n      fields: {aliases: {boost: 500}}\n", encoding="utf-8")

    def new_build():
        config = load_config(str(tmp_path / "mkdocs.yml"), site_dir=str(tmp_path / "site"))
        plugin = config.plugins["material/search"]
        plugin.on_startup(command="build", dirty=False)
        plugin.on_config(config)
        return config, plugin

    return new_build


def build(material, pages):
    """One build: each page indexed by Material between our two steps; returns the index and what Material saw."""
    config, plugin = material()
    index = search.SearchIndex()
    seen = []
    for p in pages:
        index.before_indexing(p)
        seen.append((p.url, p.content, dict(p.meta)))
        plugin.on_page_context({}, page=p, config=config, nav=None)
        index.after_indexing(p)
    plugin.on_post_build(config=config)
    index.rewrite(config.site_dir)
    data = json.loads((search.Path(config.site_dir) / "search" / "search_index.json").read_text(encoding="utf-8"))
    return data, seen


@pytest.fixture(autouse=True)
def fresh_process_cache():
    search._entries.clear()
    yield
    search._entries.clear()


def test_material_indexes_each_formula_once_and_the_page_keeps_its_html(material):
    pages = [page(), page("gelu/", "GELU", "<h1 id=\"gelu\">GELU</h1><p>가우스 오차</p>", {})]
    original = pages[0].content
    data, seen = build(material, pages)
    handed = seen[0][1]
    assert "<mi class=\"mathcal\">N</mi>" in handed and "\U0001d4a9" not in handed  # NFKC: the N a reader types
    assert pages[0].content == original and "\U0001d4a9" in pages[0].content
    text = " ".join(doc["text"] for doc in data["docs"])
    assert text.count("N(x)") == 1 and "\U0001d4a9" not in text
    top = data["docs"][0]
    assert top["location"] == "relu/" and top["aliases"].startswith("Dying ReLU 죽은 뉴런")
    assert "전파" in top["text_parts"].split()
    assert [doc["location"] for doc in data["docs"]] == ["relu/", "relu/#정의", "gelu/"]
    assert data["config"]["fields"]["aliases"] == {"boost": 500}


def test_a_second_build_reuses_unchanged_pages_and_gives_the_same_index(material):
    first, _ = build(material, [page(), page("gelu/", "GELU", "<h1 id=\"gelu\">GELU</h1><p>가우스</p>", {})])
    pages = [page(), page("gelu/", "GELU", "<h1 id=\"gelu\">GELU</h1><p>가우스 오차 선형 유닛</p>", {})]
    second, seen = build(material, pages)
    # the unchanged page was skipped by Material (front-matter switch), the edited one indexed again
    assert seen[0][2]["search"] == {"exclude": True} and "search" not in seen[1][2]
    assert "search" not in pages[0].meta, "the page gets its front matter back"
    assert second["docs"][:2] == first["docs"][:2]
    assert len(second["docs"]) == len(first["docs"]) == 3, "Material honours search: exclude (nothing indexed twice)"
    assert "선형" in second["docs"][2]["text"]
    third, _ = build(material, pages)
    assert third == second


def test_an_edited_page_is_never_reused(material):
    build(material, [page()])
    _, seen = build(material, [page(content='<h1 id="relu">ReLU</h1><p>바뀐 본문</p>')])
    assert "search" not in seen[0][2]


def test_the_store_keeps_materials_entries_as_material_made_them(material):
    build(material, [page()])
    build(material, [page()])
    stored = [entry for entries in search._entries.values() for entry in entries]
    assert stored and not any({"title_parts", "text_parts", "aliases"} & set(entry) for entry in stored)


def test_key_follows_what_entries_are_made_of():
    key = search.page_key(page())
    assert key == search.page_key(page())
    assert key != search.page_key(page(content="<h1>ReLU</h1><p>기울기 소실</p>"))
    assert key != search.page_key(page(title="ReLU 변형"))
    assert key != search.page_key(page(meta={"aliases": ["Dying ReLU"]}))
