"""The private parts of pinned libraries the site relies on (relu_docsite/internals.py), and the
library behaviour that the plugin works around, checked against the installed versions.

Each test fails with a message naming the library and what changed, so an upgrade that breaks
one is found here, not in a puzzling build.
"""

from __future__ import annotations

import logging
import re
from importlib import metadata
from pathlib import Path

import pytest
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from relu_docsite.internals import resolve_links

PINNED = {"mkdocs": "1.6.1", "mkdocs-jupyter": "0.26.3", "mkdocs-material": "9.8.2", "Markdown": "3.11.3"}


@pytest.mark.parametrize("dist", PINNED)
def test_the_versions_these_checks_were_written_for(dist):
    """When this fails, re-read relu_docsite/internals.py and the tests below against the new version."""
    assert metadata.version(dist) == PINNED[dist], (
        f"{dist} is {metadata.version(dist)}, not {PINNED[dist]}: check the private parts the site uses")


@pytest.fixture
def site(tmp_path):
    """Two pages: a notebook page (HTML made outside MkDocs' Markdown) and a Markdown page with an anchor."""
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "relu.md").write_text("# ReLU\n\n## 정의\n", encoding="utf-8")
    (docs / "nb.md").write_text("# 노트북\n", encoding="utf-8")
    from pymdownx.slugs import slugify

    config = MkDocsConfig()
    config.load_dict({"site_name": "t", "docs_dir": str(docs), "site_dir": str(tmp_path / "site"),
                      "validation": {"anchors": "warn"},
                      "markdown_extensions": [{"toc": {"slugify": slugify(case="lower")}}]})
    assert config.validate() == ([], [])
    files = Files([File(name, str(docs), str(tmp_path / "site"), True) for name in ("relu.md", "nb.md")])
    relu = Page("ReLU", files.get_file_from_path("relu.md"), config)
    relu.read_source(config)
    relu.render(config, files)
    notebook = Page("노트북", files.get_file_from_path("nb.md"), config)
    return config, files, notebook, relu


def test_mkdocs_resolves_a_notebook_pages_links_as_on_a_markdown_page(site):
    config, files, notebook, relu = site
    assert "정의" in relu.present_anchor_ids, "mkdocs: Page.present_anchor_ids no longer holds a page's ids"
    html = resolve_links('<a href="relu.md#%EC%A0%95%EC%9D%98">정의</a> <a href="relu.md#없음">x</a>',
                         notebook, config, files, {"노트북"})
    assert 'href="../relu/#정의"' in html, f"mkdocs: _RelativePathTreeprocessor.path_to_url changed: {html}"
    assert notebook.present_anchor_ids == {"노트북"}
    assert set(notebook.links_to_anchors[files.get_file_from_path("relu.md")]) == {"정의", "없음"}, (
        "mkdocs: _RelativePathTreeprocessor.links_to_anchors changed shape")


def test_mkdocs_checks_the_anchors_recorded_for_a_notebook_page(site, caplog):
    config, files, notebook, relu = site
    resolve_links('<a href="relu.md#정의">ok</a> <a href="relu.md#없음">broken</a>', notebook, config, files, set())
    with caplog.at_level(logging.WARNING, logger="mkdocs"):
        notebook.validate_anchor_links(files=files, log_level=logging.WARNING)
    messages = [r.getMessage() for r in caplog.records]
    assert messages == ["Doc file 'nb.md' contains a link 'relu.md#없음', but the doc 'relu.md' "
                        "does not contain an anchor '#없음'."], (
        f"mkdocs: Page.validate_anchor_links no longer reads links_to_anchors/present_anchor_ids: {messages}")


def test_mkdocs_reports_a_link_to_a_missing_page(site, caplog):
    config, files, notebook, _ = site
    with caplog.at_level(logging.WARNING, logger="mkdocs"):
        resolve_links('<a href="nope.md">x</a>', notebook, config, files, set())
    assert any("nope.md" in r.getMessage() and "not found" in r.getMessage() for r in caplog.records), (
        "mkdocs: _RelativePathTreeprocessor no longer warns about a missing target")


def test_mkdocs_jupyter_wrapper_computes_its_own_source_path(tmp_path):
    """Why NotebookPages.point sets abs_src_path on mkdocs-jupyter's wrapper as well as on the File."""
    from mkdocs_jupyter.plugin import NotebookFile

    executed = str(tmp_path / "cache" / "x.ipynb")
    file = File("notebooks/x.py", str(tmp_path / "docs"), str(tmp_path / "site"), True)
    file.abs_src_path = executed
    wrapper = NotebookFile(file, use_directory_urls=True, site_dir=str(tmp_path / "site"))
    assert Path(wrapper.abs_src_path) == tmp_path / "docs" / "notebooks" / "x.py", (
        "mkdocs-jupyter: NotebookFile now takes abs_src_path from the wrapped file; NotebookPages.point "
        "may no longer be needed")
    wrapper.abs_src_path = executed
    assert wrapper.abs_src_path == executed, "mkdocs-jupyter: NotebookFile's abs_src_path can no longer be set"
    assert wrapper.src_uri == "notebooks/x.py" and wrapper.url == "notebooks/x/"


def test_mkdocs_page_render_sets_what_the_render_cache_restores(site):
    """relu_docsite/render_cache.py restores these attributes instead of rendering an unchanged page."""
    from relu_docsite.render_cache import RENDERED

    config, files, _, _ = site
    page = Page("ReLU", files.get_file_from_path("relu.md"), config)
    page.read_source(config)
    before = dict(vars(page))
    page.render(config, files)
    changed = {k for k, v in vars(page).items() if k not in before or before[k] is not v}
    assert changed == set(RENDERED), (
        f"mkdocs: Page.render now sets {sorted(changed)}, the render cache restores {sorted(RENDERED)}")
    assert page._title_from_render == "ReLU" and page.title == "ReLU", "mkdocs: the title from the first heading moved"


# --------------------------------------------------------------------------- Material for MkDocs

MATERIAL = Path(__import__("material").__file__).parent / "templates"
OVERRIDES = Path(__file__).resolve().parents[1] / "docsite" / "overrides"


def _template(path: Path) -> str:
    """A template without its leading {#- ... -#} comment."""
    text = path.read_text(encoding="utf-8")
    return re.sub(r"^\{#-.*?-#\}\n", "", text, count=1, flags=re.DOTALL).strip()


def _asset(pattern: str) -> str:
    [path] = (MATERIAL / "assets").glob(pattern)
    return path.read_text(encoding="utf-8")


def test_material_palette_form_is_what_the_override_copied():
    ours = _template(OVERRIDES / "partials" / "palette.html")
    theirs = _template(MATERIAL / "partials" / "palette.html")
    assert ours.replace("data-relu-palette", 'data-md-component="palette"', 1) == theirs, (
        "mkdocs-material: partials/palette.html changed; re-copy it into docsite/overrides/partials/ "
        "(keeping data-relu-palette) and check partials/javascripts/palette.html against the new one")


def test_material_header_includes_the_palette_script_right_after_the_form():
    header = (MATERIAL / "partials" / "header.html").read_text(encoding="utf-8")
    form, script = header.find('include "partials/palette.html"'), header.find('include "partials/javascripts/palette.html"')
    assert 0 <= form < script, "mkdocs-material: the header no longer includes the palette form, then its script"


def test_material_mounts_the_palette_by_its_component_attribute_and_stores_it_under_palette():
    bundle = _asset("javascripts/bundle.*.min.js")
    assert '"palette").map(' in bundle and "[data-md-component=${e}]" in bundle, (
        "mkdocs-material: the bundle no longer mounts the palette from [data-md-component=palette]")
    assert '__md_get("__palette")' in bundle and '__md_set("__palette",' in bundle, (
        "mkdocs-material: the palette choice is no longer stored under __palette")
    assert re.search(r"index:e\.indexOf\(o\),color:\{media:.*?scheme:.*?primary:.*?accent:", bundle), (
        "mkdocs-material: the stored palette is no longer {index, color: {media, scheme, primary, accent}}")
    base = (MATERIAL / "partials" / "javascripts" / "base.html").read_text(encoding="utf-8")
    assert "__md_get=" in base and "__md_set=" in base, "mkdocs-material: __md_get/__md_set are gone"
    assert "[data-md-color-switching] *" in _asset("stylesheets/palette.*.min.css"), (
        "mkdocs-material: data-md-color-switching no longer turns transitions off")


def test_material_draws_pygments_names_and_whitespace_as_plain_code():
    css = _asset("stylesheets/main.*.min.css")
    assert "--md-code-hl-name-color:var(--md-code-fg-color)" in css, (
        "mkdocs-material: names in code (.n) are no longer the plain code colour; lean_code.py must keep them")
    assert ".highlight .n{color:var(--md-code-hl-name-color)}" in css
    assert not re.search(r"\.highlight \.w\b", css), "mkdocs-material: whitespace in code (.w) now has a style"


# --------------------------------------------------------------------------------------------
# Material for MkDocs' search in the browser (relu_docsite/internals.py, last item): what the
# search worker of docsite/overrides relies on, read in the installed Material's template and in
# the sources its bundle and worker ship (the TypeScript and lunr.js inside their source maps).


def _material(what: str) -> str:
    return f"mkdocs-material {metadata.version('mkdocs-material')}: {what} (docsite/overrides/main.html, relu-search.js)"


def _shipped(bundle: str, source: str) -> str:
    """The source file ``source`` as shipped inside Material's ``bundle`` (``bundle`` or ``workers/search``)."""
    import json

    maps = sorted((MATERIAL / "assets" / "javascripts").glob(f"{bundle}.*.min.js.map"))
    assert len(maps) == 1, _material(f"expected one {bundle}.*.min.js.map, found {maps}")
    data = json.loads(maps[0].read_text(encoding="utf-8"))
    found = [text for name, text in zip(data["sources"], data["sourcesContent"]) if name.endswith(source)]
    assert len(found) == 1, _material(f"{source} is no longer part of {bundle}")
    return found[0]


def _squeeze(text: str) -> str:
    return " ".join(text.split())


def test_material_config_block_names_the_search_worker_before_the_bundle_loads():
    base = (MATERIAL / "base.html").read_text(encoding="utf-8")
    block = base[base.index("{% block config %}"):base.index("{% endblock %}", base.index("{% block config %}"))]
    assert '<script id="__config" type="application/json">' in block, _material("#__config moved out of block config")
    assert '"search": "assets/javascripts/workers/search.' in block, _material("the worker URL is no longer __config's 'search'")
    assert base.index("{% block config %}") < base.index("{% block scripts %}") < base.index("bundle."), (
        _material("the config block no longer comes before the bundle"))
    config = _shipped("bundle", "javascripts/_/index.ts")
    assert 'getElement("#__config")' in config and "search: string" in config, _material("the bundle reads __config differently")


def test_material_fetches_the_index_at_load_and_highlights_with_its_configuration_only():
    bundle = _squeeze(_shipped("bundle", "javascripts/bundle.ts"))
    assert 'new URL("search/search_index.json", config.base)' in bundle, _material("the index URL changed")
    assert "mountSearchHiglight(el, { index$, location$ })" in bundle, _material("page highlighting changed")
    highlight = _squeeze(_shipped("bundle", "components/search/highlight/index.ts"))
    assert "setupSearchHighlighter(index.config)" in highlight, _material("page highlighting reads more than the configuration")
    worker = _squeeze(_shipped("bundle", "integrations/search/worker/_/index.ts"))
    assert "type: SearchMessageType.SETUP, data: { config, docs, options: {" in worker, _material("SETUP changed shape")


def test_material_search_worker_protocol():
    message = _squeeze(_shipped("bundle", "integrations/search/worker/message/index.ts"))
    assert "export const enum SearchMessageType { SETUP, /* Search index setup */ READY, /* Search index ready */ " \
           "QUERY, /* Search query */ RESULT /* Search results */ }" in message, _material("message types renumbered")
    query = _squeeze(_shipped("bundle", "components/search/query/index.ts"))
    assert "combineLatest([ worker$.pipe(first(isSearchReadyMessage)), push$ ], (_, query) => query)" in query, (
        _material("queries are no longer held until the worker is READY"))
    search = _squeeze(_shipped("workers/search", "integrations/search/_/index.ts"))
    assert "item.push({ ...doc, score: score * (1 + boost ** 2), terms })" in search, _material("result items changed")
    assert "items.push({ ...doc, score: 0, terms: {} })" in search, _material("a group's page entry changed")


def test_material_renders_terms_as_highlight_words_and_marks_inside_words():
    render = _squeeze(_shipped("bundle", "templates/search/index.tsx"))
    assert 'url.searchParams.set("h", Object.entries(document.terms) .filter(([, match]) => match)' in render, (
        _material("?h= is no longer made of the terms found"))
    assert 'return !l.includes("#")' in render, _material("a group's page entry is found differently")
    highlighter = _shipped("bundle", "search/highlighter/index.ts")
    assert "new RegExp(`(^|${config.separator}|)(${" in highlighter, (
        _material("page highlighting no longer marks a word inside a compound"))


def test_material_worker_script_and_its_lunr():
    main = _squeeze(_shipped("workers/search", "integrations/search/worker/main/index.ts"))
    assert 'addEventListener("message", async ev => { postMessage(await handler(ev.data)) })' in main, (
        _material("the worker no longer answers through one message listener and postMessage"))
    assert "self.lunr = lunr" in main, _material("lunr is no longer exposed on self")
    lunr = _shipped("workers/search", "node_modules/lunr/lunr.js")
    assert 'lunr.version = "2.3.9"' in lunr, _material("lunr is no longer 2.3.9: re-check relu-search.js")
    assert "lunr.Builder.prototype.build = function () {" in lunr, _material("lunr.Builder#build is gone")
    assert "str = str + label + node.id" in lunr, (
        _material("lunr's TokenSet key changed: relu-search.js may no longer need to replace it"))
