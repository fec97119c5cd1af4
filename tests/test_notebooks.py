"""The experiment notebooks: executed at build time, cached on what they import, rendered by mkdocs-jupyter.

Each of mkdocs-jupyter's traps has a test here:

* ``allow_errors`` defaults to true -- ``test_failing_cell_fails_the_strict_build``
  (a real build of a copy of the project) and ``test_execution_error_names_notebook_and_cell``;
* its cache is keyed on the notebook alone -- ``test_cache_key_follows_imported_relu_docs_modules``
  and ``test_editing_a_module_reexecutes_only_the_notebooks_importing_it``;
* ``include`` defaults to every ``.py`` under ``docs/`` -- ``test_only_docs_notebooks_become_pages``
  and ``test_stray_python_files_under_docs_stay_static_files``;
* Korean headings get empty ids -- ``test_korean_headings_get_the_same_anchors_as_markdown_pages``.

Tests assert behaviour (what ran, what was cached, what the HTML says), never seconds;
``make bench`` measures the times.
"""

from __future__ import annotations

import ast
import json
import re
import shutil
import sys
from html import unescape
from pathlib import Path
from types import SimpleNamespace

import markdown
import nbformat
import pytest
from mkdocs.config import load_config
from mkdocs_jupyter.plugin import Plugin as JupyterPlugin
from support.sitebuild import ROOT, copy_project, mkdocs_build, plugin_options

from relu_docsite.cachekey import imported_modules
from relu_docsite.notebook_html import postprocess
from relu_docsite.notebook_pages import NotebookPages, NotebookSettingsError
from relu_docsite.tex import stray_tex
from relu_docsite.notebooks import (
    NotebookCache,
    NotebookError,
    execute_notebook,
    read_notebook,
)

NOTEBOOK_DIR = ROOT / "docs" / "notebooks"
PACKAGE = ROOT / "relu_docs"
NOTEBOOKS = ["dying_relu", "vanishing_gradient", "initialization", "speed", "sparsity"]


@pytest.fixture(scope="module")
def site_config():
    return load_config(str(ROOT / "mkdocs.yml"))


def notebook_pages(project: Path = ROOT) -> NotebookPages:
    options = plugin_options(project)
    return NotebookPages(options.notebooks, project / options.notebook_cache, project / "relu_docs")


def page_html(site: Path, name: str) -> str:
    return (site / "notebooks" / name / "index.html").read_text(encoding="utf-8")


# --------------------------------------------------------------------------- the notebooks
def test_the_five_notebooks_are_in_the_nav_under_experiments(site_config):
    sections = {next(iter(item)): item[next(iter(item))] for item in site_config.nav if isinstance(item, dict)}
    names = list(sections)
    # the experiments follow the concept groups: ... 정규화, 규제, 실험, 참고
    assert "실험" in sections and names.index("실험") == names.index("규제") + 1 == names.index("정규화") + 2
    listed = [next(iter(entry.values())) if isinstance(entry, dict) else entry for entry in sections["실험"]]
    assert sorted(listed) == sorted(f"notebooks/{n}.py" for n in NOTEBOOKS)
    assert sorted(p.stem for p in NOTEBOOK_DIR.glob("*.py")) == sorted(NOTEBOOKS)


# Modules a notebook may import: the standard library, the project's own
# dependencies (pyproject.toml), and IPython, which every Jupyter kernel has.
ALLOWED_TOP_LEVEL = {"relu_docs", "numpy", "torch", "matplotlib", "IPython"} | set(sys.stdlib_module_names)


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_notebook_runs_with_only_the_project_installed(name):
    """Valid notebook, python3 kernel, imports nothing beyond the project's dependencies, seeded."""
    source = (NOTEBOOK_DIR / f"{name}.py").read_text(encoding="utf-8")
    nb = read_notebook(NOTEBOOK_DIR / f"{name}.py")
    nbformat.validate(nb)
    assert nb.metadata.kernelspec.name == "python3"
    assert "jupytext" not in nb.metadata  # the download is a plain .ipynb
    imported = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            imported |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            imported.add(node.module.split(".")[0])
    assert imported <= ALLOWED_TOP_LEVEL, imported - ALLOWED_TOP_LEVEL
    assert any(m.startswith("relu_docs.") for m in imported_modules(source, PACKAGE)), "uses the package"
    assert "torch.manual_seed(" in source
    first = nb.cells[0]
    assert first.cell_type == "markdown" and re.match(r"# \S", first.source)
    assert re.search(r"[가-힣]", first.source.splitlines()[0])


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_every_figure_cell_has_korean_alt_text(name):
    nb = read_notebook(NOTEBOOK_DIR / f"{name}.py")
    for cell in nb.cells:
        if cell.cell_type == "code" and "plt.show()" in cell.source:
            assert re.search(r"[가-힣]", cell.metadata.get("alt", "")), cell.source.splitlines()[0]


# --------------------------------------------------------------------------- the built site
@pytest.mark.parametrize("name", NOTEBOOKS)
def test_notebook_page_shows_outputs_and_offers_the_ipynb(built_site, name):
    html = page_html(built_site, name)
    assert "jp-OutputArea-output" in html  # executed: outputs are on the page
    assert f'<a href="{name}.ipynb" download>' in html
    nb = nbformat.read(built_site / "notebooks" / name / f"{name}.ipynb", as_version=4)
    nbformat.validate(nb)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert sum(bool(c.outputs) for c in code) >= 3
    assert not [o for c in code for o in c.outputs if o.output_type == "error"]


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_notebook_page_has_working_anchors_and_no_remote_scripts(built_site, name):
    html = page_html(built_site, name)
    ids = re.findall(r'<h[1-6] id="([^"]*)"', html)
    assert ids and all(ids), "every heading has a non-empty id"
    toc = re.search(r'<nav class="md-nav md-nav--secondary".*?</nav>', html, re.DOTALL).group(0)
    for anchor in re.findall(r'href="#([^"]+)"', toc):
        assert unescape(anchor) in ids
    assert not re.search(r"<script[^>]*src=\"https?://", html)
    assert "mathjax" not in html.lower()
    assert '<span class="arithmatex">' not in html  # every formula was typeset (MathML)
    assert "No description has been provided" not in html
    assert len(re.findall(r"<img alt=\"[^\"]*[가-힣]", html)) == html.count("<img ")


def test_speed_table_is_exported_for_the_relu_page(built_site):
    table = (ROOT / ".cache" / "notebooks" / "speed_ratios.md").read_text(encoding="utf-8")
    assert table.startswith("| 함수 |")
    for row in ("메모리 복사", "ReLU", "Leaky ReLU", "ELU", "시그모이드", "tanh", "GELU"):
        assert f"| {row}" in table
    assert "측정 기계:" in table and "PyTorch" in table


# --------------------------------------------------------------------------- trap: allow_errors
def _tiny_notebook(tmp_path: Path, name: str, cells: list[str]) -> Path:
    path = tmp_path / f"{name}.py"
    path.write_text("\n\n".join(cells) + "\n", encoding="utf-8")
    return path


def test_execution_error_names_notebook_and_cell(tmp_path):
    path = _tiny_notebook(tmp_path, "broken", ["# %% [markdown]\n# # 제목", "# %%\nx = 1", "# %%\nx / 0"])
    with pytest.raises(NotebookError, match=r"notebook broken\.py, cell 3 \(code, starting 'x / 0'\) raised ZeroDivisionError"):
        execute_notebook(read_notebook(path), path.name)


def test_stderr_fails_unless_tagged_and_tagged_errors_are_allowed(tmp_path):
    path = _tiny_notebook(tmp_path, "warns", [
        '# %% tags=["raises-exception"]\nraise ValueError("shown on purpose")',
        "# %%\nimport warnings\nwarnings.warn('a stray warning')",
    ])
    with pytest.raises(NotebookError, match=r"notebook warns\.py, cell 2 .* wrote to stderr"):
        execute_notebook(read_notebook(path), path.name)


def test_mkdocs_jupyter_never_executes_and_never_allows_errors(site_config):
    settings = site_config.plugins["mkdocs-jupyter"].config
    assert settings["execute"] is False and settings["allow_errors"] is False
    assert settings["include_source"] is True
    notebook_pages().check_settings(site_config.plugins["mkdocs-jupyter"], site_config)
    for bad, message in (({"execute": True}, "execute: false"), ({"allow_errors": True}, "allow_errors: false"),
                         ({"include": ["*.ipynb", "*.py"], "ignore": []}, "would render docs/example.py"),
                         ({"include": ["*.py"], "ignore": []}, "must match the executed copies")):
        plugin = JupyterPlugin()
        errors, _ = plugin.load_config({**settings, **bad})
        assert not errors
        with pytest.raises(NotebookSettingsError, match=re.escape(message)):
            notebook_pages().check_settings(plugin, site_config)


# --------------------------------------------------------------------------- trap: include
def test_only_docs_notebooks_become_pages(site_config):
    plugin = site_config.plugins["mkdocs-jupyter"]
    docs = Path(site_config.docs_dir)
    probe = lambda path: plugin.should_include(SimpleNamespace(abs_src_path=str(path)))  # noqa: E731
    assert probe(ROOT / ".cache" / "notebooks" / "speed.ipynb")  # the executed copy is rendered
    for stray in (docs / "example.py", docs / "snippets" / "helper.py", docs / "relu.md",
                  docs / "notebooks" / "speed.py", docs / "data" / "other.ipynb"):
        assert not probe(stray), stray
    pages = notebook_pages()
    assert pages.is_notebook("notebooks/speed.py")
    assert not pages.is_notebook("example.py") and not pages.is_notebook("notebooks/a/b.py")


# --------------------------------------------------------------------------- trap: stale cache
def _package_copy(tmp_path: Path) -> Path:
    package = tmp_path / "relu_docs"
    shutil.copytree(ROOT / "relu_docs", package, ignore=shutil.ignore_patterns("__pycache__", "examples"))
    return package


def test_imports_are_followed_transitively():
    assert set(imported_modules("from relu_docs.functional import relu", PACKAGE)) == {
        "relu_docs", "relu_docs.functional", "relu_docs.validation"}
    assert "relu_docs.init" in imported_modules("from relu_docs import init", PACKAGE)
    assert imported_modules("import numpy, torch", PACKAGE) == {}


def test_cache_key_follows_imported_relu_docs_modules(tmp_path):
    package = _package_copy(tmp_path)
    uses_functional = _tiny_notebook(tmp_path, "a", ["# %%\nfrom relu_docs.functional import relu"])
    uses_init = _tiny_notebook(tmp_path, "b", ["# %%\nfrom relu_docs.init import he_std"])
    cache = NotebookCache(tmp_path / "cache", package)
    before = {p.stem: cache.key(p)[0] for p in (uses_functional, uses_init)}

    with open(package / "functional.py", "a", encoding="utf-8") as f:
        f.write("\n# an edit\n")
    after = {p.stem: cache.key(p)[0] for p in (uses_functional, uses_init)}
    assert after["a"] != before["a"] and after["b"] == before["b"]

    with open(package / "validation.py", "a", encoding="utf-8") as f:
        f.write("\n# shared by both\n")
    again = {p.stem: cache.key(p)[0] for p in (uses_functional, uses_init)}
    assert again["a"] != after["a"] and again["b"] != after["b"]


class FakeKernel:
    """Stands in for execute_notebook: records what ran and gives each code cell an output."""

    def __init__(self):
        self.ran: list[str] = []

    def __call__(self, nb, name, log_path=None):
        self.ran.append(name)
        for cell in nb.cells:
            if cell.cell_type == "code":
                data = {"text/markdown": "| a |\n|---|\n| 1 |"} if cell.metadata.get("export") else {"text/plain": "1"}
                cell.outputs = [nbformat.v4.new_output("display_data", data=data)]
        return nb


def test_editing_a_module_reexecutes_only_the_notebooks_importing_it(tmp_path):
    package = _package_copy(tmp_path)
    notebooks = [
        _tiny_notebook(tmp_path, "a", ["# %%\nfrom relu_docs.functional import relu"]),
        _tiny_notebook(tmp_path, "b", ["# %%\nfrom relu_docs.init import he_std"]),
        _tiny_notebook(tmp_path, "c", ["# %%\nimport numpy"]),
    ]
    kernel = FakeKernel()
    cache = NotebookCache(tmp_path / "cache", package, executor=kernel)

    results = cache.ensure(notebooks)
    assert sorted(kernel.ran) == ["a.py", "b.py", "c.py"] and all(r.executed for r in results)
    assert [r.name for r in results] == ["a", "b", "c"]  # in the order given, whatever ran first
    assert results[0].modules == ["relu_docs", "relu_docs.functional", "relu_docs.validation"]

    kernel.ran.clear()
    assert not any(r.executed for r in cache.ensure(notebooks))  # unchanged: all from the cache
    assert kernel.ran == []

    (package / "functional.py").write_text((package / "functional.py").read_text() + "\n# edit\n")
    cache.ensure(notebooks)
    assert kernel.ran == ["a.py"]

    kernel.ran.clear()
    (tmp_path / "cache" / "b.json").write_text("{not json")  # a damaged record is a miss, not a crash
    cache.ensure(notebooks)
    assert kernel.ran == ["b.py"]


def test_stale_notebooks_run_in_parallel_one_per_core(tmp_path):
    import threading

    notebooks = [_tiny_notebook(tmp_path, name, ["# %%\n1"]) for name in "abc"]
    lock, running, most = threading.Lock(), [0], [0]
    both_started = threading.Barrier(2, timeout=30)

    def kernel(nb, name, log_path=None):
        with lock:
            running[0] += 1
            most[0] = max(most[0], running[0])
        if name != "c.py":
            both_started.wait()  # a and b run at the same time, or this times out
        with lock:
            running[0] -= 1
        return FakeKernel()(nb, name)

    results = NotebookCache(tmp_path / "cache", PACKAGE, executor=kernel).ensure(notebooks, workers=2)
    assert most[0] == 2 and all(r.executed for r in results)
    assert [r.name for r in results] == ["a", "b", "c"]


def test_a_failed_notebook_leaves_no_cache_entry(tmp_path):
    path = _tiny_notebook(tmp_path, "a", ["# %%\n1"])

    def failing(nb, name, log_path=None):
        raise NotebookError(f"notebook {name}, cell 1 raised")

    with pytest.raises(NotebookError):
        NotebookCache(tmp_path / "cache", PACKAGE, executor=failing).ensure([path])
    assert not (tmp_path / "cache" / "a.json").exists()
    assert not (tmp_path / "cache" / "a.ipynb").exists()


def test_export_cells_write_their_markdown_output(tmp_path):
    path = _tiny_notebook(tmp_path, "a", ['# %% export="table.md"\nprint("table")'])
    results = NotebookCache(tmp_path / "cache", PACKAGE, executor=FakeKernel()).ensure([path])
    assert results[0].exports == {"table.md": tmp_path / "cache" / "table.md"}
    assert (tmp_path / "cache" / "table.md").read_text() == "| a |\n|---|\n| 1 |\n"


# --------------------------------------------------------------------------- trap: Korean anchors
def test_korean_headings_get_the_same_anchors_as_markdown_pages(site_config):
    headings = ["죽은 ReLU 실험", "학습률에 따른 죽은 유닛", "변형과 비교: 학습률 0.1", "확인", "확인"]
    toc = site_config.mdx_configs["toc"]
    md = markdown.Markdown(extensions=["toc"], extension_configs={"toc": toc})
    expected = re.findall(r'id="([^"]*)"', md.convert("\n\n".join(f"## {h}" for h in headings)))
    # what nbconvert produces for a Korean heading: an empty id
    notebook = "".join(f'<h2 id="">{h}<a class="anchor-link" href="#">¶</a></h2>' for h in headings)
    out = postprocess(notebook, slugify=toc["slugify"], permalink_title=toc["permalink_title"])
    got = re.findall(r'<h2 id="([^"]*)"', out.html)
    assert got == expected and all(got) and got[-1] == "확인_1"
    assert [t["id"] for t in out.toc_tokens] == expected
    assert re.findall(r'href="#([^"]*)"', out.html) == expected


def test_postprocess_removes_remote_scripts_and_inlined_css():
    html = (
        '<script src="https://cdnjs.cloudflare.com/ajax/libs/mathjax/2.7.7/latest.js"> </script>'
        '<script type="text/x-mathjax-config">init_mathjax()</script>'
        '<style type="text/css">.jp-Cell{color:red}</style>'
        '<div class="jp-Cell" id="cell-id=cell-1"><img src="data:image/svg+xml;base64,AA"></div>'
    )
    out = postprocess(html, slugify=lambda text, sep: text, css_href_prefix="../../assets/notebooks/",
                      alt_by_cell={"cell-1": "그림 설명"})
    assert "https://" not in out.html and "mathjax" not in out.html
    (name, css), = out.stylesheets.items()
    assert css.strip() == ".jp-Cell{color:red}" and f'href="../../assets/notebooks/{name}"' in out.html
    assert '<img alt="그림 설명"' in out.html and not out.problems
    assert postprocess('<div id="cell-id=x"><img src="a"></div>', slugify=lambda t, s: t).problems
    # a '$' pair nbconvert's Markdown left as text is reported by the build, as on any page
    out = postprocess('<div class="jp-RenderedMarkdown"><p>비율은 $1 - $ 입니다.</p></div>', slugify=lambda t, s: t)
    assert stray_tex(out.html) == ["$1 - $"]


# --------------------------------------------------------------------------- builds of a copy
PROBE = '''# %% [markdown]
# # 탐침 노트북
#
# 수식 $y = \\max(0, x)$와 [ReLU의 정의](../relu.md#정의)로 가는 링크가 있습니다.
#
# ## 정의
#
# ## 같은 제목
#
# ## 같은 제목

# %%
print("출력")
'''


def _add_to_nav(project: Path, src_uri: str) -> None:
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    line = re.search(r"^(?P<indent>\s*)- [^\n]*notebooks/sparsity\.py\n", text, re.MULTILINE)
    text = text[: line.end()] + f"{line.group('indent')}- {src_uri}\n" + text[line.end():]
    config.write_text(text, encoding="utf-8")


@pytest.fixture(scope="module")
def probe_project(built_site, tmp_path_factory):
    """A copy of the project with one more notebook and stray .py files under docs/, built once."""
    project = copy_project(tmp_path_factory.mktemp("notebooks") / "project")
    (project / "docs" / "notebooks" / "probe.py").write_text(PROBE, encoding="utf-8")
    (project / "docs" / "example.py").write_text('print("a static file, not a page")\n', encoding="utf-8")
    (project / "docs" / "snippets").mkdir(exist_ok=True)
    (project / "docs" / "snippets" / "helper.py").write_text("HELPER = 1\n", encoding="utf-8")
    _add_to_nav(project, "notebooks/probe.py")
    first = mkdocs_build(project, project / "site")
    assert first.returncode == 0, first.output
    return SimpleNamespace(project=project, first=first)


def test_probe_notebook_is_rendered_with_site_anchors_and_links(probe_project):
    site = probe_project.project / "site"
    html = page_html(site, "probe")
    relu = (site / "relu" / "index.html").read_text(encoding="utf-8")
    assert 'id="정의"' in html and 'id="정의"' in relu  # the same slug as the Markdown page's
    assert 'id="같은-제목"' in html and 'id="같은-제목_1"' in html
    assert 'href="../../relu/#정의"' in html
    assert "<math>" in html
    assert (site / "notebooks" / "probe" / "probe.ipynb").is_file()
    assert "Notebooks: 1 executed (probe)" in probe_project.first.output


def test_stray_python_files_under_docs_stay_static_files(probe_project):
    site = probe_project.project / "site"
    assert (site / "example.py").is_file() and (site / "snippets" / "helper.py").is_file()
    assert not (site / "example" / "index.html").exists()
    assert not (site / "snippets" / "helper" / "index.html").exists()


def test_editing_a_markdown_page_executes_no_notebook(probe_project):
    page = probe_project.project / "docs" / "index.md"
    page.write_text(page.read_text(encoding="utf-8") + "\n\n한 줄 더.\n", encoding="utf-8")
    second = mkdocs_build(probe_project.project, probe_project.project / "site")
    assert second.returncode == 0, second.output
    assert "Notebooks: 0 executed (none), 6 from cache" in second.output


def test_failing_cell_fails_the_strict_build(probe_project):
    notebook = probe_project.project / "docs" / "notebooks" / "probe.py"
    original = notebook.read_text(encoding="utf-8")
    notebook.write_text(original + '\n# %%\nraise RuntimeError("실패하는 셀")\n', encoding="utf-8")
    try:
        result = mkdocs_build(probe_project.project, probe_project.project / "site-broken")
    finally:
        notebook.write_text(original, encoding="utf-8")
    assert result.returncode != 0
    assert "notebook probe.py, cell 3 (code, starting 'raise RuntimeError(\"실패하는 셀\")') raised RuntimeError" in result.output
    assert not (probe_project.project / "site-broken" / "notebooks" / "probe" / "index.html").exists()
    record = probe_project.project / ".cache" / "notebooks" / "probe.json"
    good = notebook_pages(probe_project.project).cache.key(notebook)[0]
    assert json.loads(record.read_text())["key"] == good  # the good run stays cached
