"""The content rules of the site, checked on every page's Markdown source.

* **No history voice**: a reader never meets the project's past ("이전 판", "원래 문서", "초안").
* **One term per concept**: no discouraged variant (the glossary's ``avoid:`` lists) in prose
  outside code, math and link targets.
* **Sources that render everywhere**: rendered by a CommonMark parser (as GitHub and Obsidian
  do), no page shows a literal ``**`` — the sign of ``**용어(term)**는``, which only
  Python-Markdown makes bold.
* **Exercises with checked answers**: every concept page ends with 연습 문제 (2–4 problems,
  each with a collapsed 풀이); a solution that states a decimal number computes it with relu_docs
  in a ``pycon`` block (which the doctest run of the pages checks).
* **PyTorch at a glance**: each activation, normalisation and loss page has a "PyTorch 한눈에"
  box whose signatures match the installed torch, defaults included.
"""

from __future__ import annotations

import ast
import inspect
import re
from pathlib import Path

import pytest
import yaml
from markdown_it import MarkdownIt

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
PAGES = sorted(p for p in DOCS.rglob("*.md"))
NOTEBOOKS = sorted((DOCS / "notebooks").glob("*.py"))
NOT_CONCEPT_PAGES = {"index.md", "glossary.md", "references.md"}
CONCEPT_PAGES = [p for p in PAGES if p.relative_to(DOCS).as_posix() not in NOT_CONCEPT_PAGES
                 and p.relative_to(DOCS).parts[0] not in ("api", "notebooks")]
# The pages that must carry a "PyTorch 한눈에" box: activations, normalisations, losses.
BOX_PAGES = ["relu.md", "relu-variants.md", "sigmoid.md", "tanh.md", "gelu.md", "softmax.md",
             "batch-normalization.md", "layer-normalization.md", "loss-function.md"]


def rel(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


# ------------------------------------------------------------------ reading the sources

FRONT_MATTER = re.compile(r"\A---\n.*?\n---\n", re.S)
FENCE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})[^\n]*\n.*?^(?P=indent)(?P=fence)[ \t]*$", re.S | re.M)
MATH = re.compile(r"\$\$.*?\$\$|\$[^$\n]+\$", re.S)
INLINE_CODE = re.compile(r"(`+)(?!`).+?(?<!`)\1", re.S)
LINK_TARGET = re.compile(r"\]\([^)]*\)|\{#[^}]*\}|<[^>]+>")
SNIPPET = re.compile(r"^[ \t]*-{1,3}8<-{1,3}.*$", re.M)
BLOCK_MARKER = re.compile(r'^(?P<indent>[ \t]*)(?:!!!|\?\?\?\+?|===)[^\n]*$')


def markdown_cells(notebook: Path) -> str:
    """The Markdown cells of a jupytext percent notebook, comment markers removed."""
    out, inside = [], False
    for line in notebook.read_text(encoding="utf-8").splitlines():
        if line.startswith("# %%"):
            inside = "[markdown]" in line
            continue
        if inside:
            out.append(line[2:] if line.startswith("# ") else line.lstrip("#"))
    return "\n".join(out)


def source(path: Path) -> str:
    text = markdown_cells(path) if path.suffix == ".py" else path.read_text(encoding="utf-8")
    return FRONT_MATTER.sub("", text)


def dedent_blocks(text: str) -> str:
    """Turn pymdownx admonitions, details and tabs into plain paragraphs: drop the marker line and
    dedent its body, so a CommonMark parser reads the body as prose (not as an indented code block)."""
    lines, out, depth = text.splitlines(), [], []
    for line in lines:
        indent = len(line) - len(line.lstrip(" "))
        while depth and line.strip() and indent < depth[-1]:
            depth.pop()
        m = BLOCK_MARKER.match(line)
        if m:
            depth.append(len(m.group("indent")) + 4)
            out.append("")
            continue
        cut = depth[-1] if depth else 0
        out.append(line[min(cut, indent):] if line.strip() else "")
    return "\n".join(out)


def prose(text: str) -> str:
    """Only what a reader reads as running text: no code, math, snippet lines or link targets."""
    text = FENCE.sub("\n", dedent_blocks(text))
    text = SNIPPET.sub("", text)
    text = MATH.sub(" ", text)
    text = INLINE_CODE.sub(" ", text)
    return LINK_TARGET.sub("]", text)


def line_of(text: str, needle: str) -> str:
    for number, line in enumerate(text.splitlines(), 1):
        if needle in line:
            return f"{number}: {line.strip()[:100]}"
    return "?"


# ------------------------------------------------------------------ history voice

HISTORY = ["이전 판", "이 문서의 이전", "원래 문서", "원래 ReLU 문서", "초안", "seed 문서", "시드 문서", "개정 전"]


@pytest.mark.parametrize("path", PAGES + NOTEBOOKS, ids=rel)
def test_no_history_voice(path):
    text = prose(source(path))
    found = [f"{phrase!r} at line {line_of(source(path), phrase)}" for phrase in HISTORY if phrase in text]
    assert not found, f"{rel(path)} tells the project's history instead of what is true: {found}"


# ------------------------------------------------------------------ one term per concept


def glossary_path() -> Path:
    config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
    for plugin in config.get("plugins", []):
        if isinstance(plugin, dict):
            for options in plugin.values():
                if isinstance(options, dict) and "glossary" in options:
                    return ROOT / options["glossary"]
    for candidate in (DOCS / "glossary.yml", ROOT / "relu_docs" / "docsite" / "glossary.yml"):
        if candidate.is_file():
            return candidate
    raise AssertionError("no glossary file found")


def discouraged() -> dict[str, str]:
    """Discouraged variant -> the term to write instead, from the glossary's ``avoid:`` lists."""
    entries = yaml.safe_load(glossary_path().read_text(encoding="utf-8"))
    return {bad: entry["ko"] for entry in entries for bad in entry.get("avoid", [])}


def test_glossary_lists_discouraged_variants():
    avoid = discouraged()
    assert len(avoid) >= 10, "the glossary records too few discouraged variants"
    for bad, good in avoid.items():
        assert bad != good and bad.strip() == bad and bad, f"bad avoid entry {bad!r} for {good!r}"


@pytest.mark.parametrize("path", PAGES + NOTEBOOKS, ids=rel)
def test_one_term_per_concept(path):
    text = prose(source(path))
    found = [f"{bad!r} (write {good!r}) at line {line_of(source(path), bad)}"
             for bad, good in discouraged().items() if bad in text]
    assert not found, f"{rel(path)} uses discouraged variants: {found}"


# ------------------------------------------------------------------ CommonMark

COMMONMARK = MarkdownIt("commonmark").enable("table")


@pytest.mark.parametrize("path", PAGES, ids=rel)
def test_renders_in_commonmark_without_literal_asterisks(path):
    text = MATH.sub(" ", dedent_blocks(source(path)))
    tokens = COMMONMARK.parse(text)
    literal = []
    for token in tokens:
        for child in token.children or []:
            if child.type == "text" and "**" in child.content:
                literal.append(f"line {token.map[0] + 1 if token.map else '?'}: {child.content.strip()[:80]!r}")
    assert not literal, (
        f"{rel(path)}: CommonMark (GitHub, Obsidian) shows a literal ** — write **용어**(term)는, "
        f"not **용어(term)**는: {literal}"
    )


# ------------------------------------------------------------------ exercises

EXERCISES = "## 연습 문제"
DECIMAL = re.compile(r"(?<![\w.])\d+\.\d+")


def sections(text: str, level: str) -> list[tuple[str, str]]:
    parts = re.split(rf"^({re.escape(level)} .*)$", text, flags=re.M)
    return [(parts[i].strip(), parts[i + 1]) for i in range(1, len(parts) - 1, 2)]


@pytest.mark.parametrize("path", CONCEPT_PAGES, ids=rel)
def test_concept_page_ends_with_checked_exercises(path):
    text = FENCE.sub(lambda m: m.group(0).replace("## ", "#\u200b# "), source(path))  # headings in code don't count
    h2 = [title for title, _ in sections(text, "##")]
    assert EXERCISES in h2, f"{rel(path)} has no '{EXERCISES}' section"
    after = h2[h2.index(EXERCISES) + 1:]
    assert after in ([], ["## 참고문헌"]), f"{rel(path)}: '{EXERCISES}' must be the last section before 참고문헌, found {after}"
    body = dict(sections(text, "##"))[EXERCISES]
    problems = [(t, b) for t, b in sections(body, "###") if t.startswith("### 문제")]
    assert 2 <= len(problems) <= 4, f"{rel(path)}: {len(problems)} problems (2–4 expected, headed '### 문제 N. …')"
    for title, problem in problems:
        assert re.search(r'^\?\?\?\+? success "풀이"', problem, re.M), f"{rel(path)} {title}: no collapsed ??? success \"풀이\""
        solution = problem[re.search(r'^\?\?\?\+? success "풀이"', problem, re.M).start():]
        numbers = DECIMAL.findall(MATH.sub(lambda m: m.group(0), FENCE.sub(" ", solution)))
        checked = re.search(r"```pycon\n(?:.*\n)*?\s*>>> (?:from relu_docs|import relu_docs)", solution)
        if numbers:
            assert checked, (f"{rel(path)} {title}: the solution states {numbers[:3]} but computes nothing with "
                             "relu_docs in a pycon block")


# ------------------------------------------------------------------ PyTorch at a glance

BOX = re.compile(r'^!!! abstract "PyTorch 한눈에"\n((?:[ \t]*\n|    .*\n)+)', re.M)
CALL = re.compile(r"`(torch\.[\w.]+\(.*?\))`")


def resolve(dotted: str):
    import importlib

    parts = dotted.split(".")
    obj = importlib.import_module(parts[0])
    for i, name in enumerate(parts[1:], 1):
        try:
            obj = getattr(obj, name)
        except AttributeError:
            obj = importlib.import_module(".".join(parts[: i + 1]))
    return obj


def signature(obj) -> inspect.Signature:
    """``inspect.signature``, or for a C builtin the signature its docstring's first line gives
    (``prelu(input, weight) -> Tensor``), as PyTorch documents its builtins."""
    try:
        return inspect.signature(obj)
    except ValueError:
        first = (obj.__doc__ or "").strip().splitlines()[0]
        args = re.match(r"[\w.]+\((.*)\)", first).group(1)
        namespace: dict = {}
        exec(f"def f({args}): pass", {"None": None, "True": True, "False": False}, namespace)
        return inspect.signature(namespace["f"])


def check_call(text: str) -> list[str]:
    """Problems of one ``torch.x.Y(a, b=1)`` signature line against the installed torch."""
    call = ast.parse(text, mode="eval").body
    assert isinstance(call, ast.Call), text
    name = ast.unparse(call.func)
    try:
        obj = resolve(name)
    except (ImportError, AttributeError):
        return [f"{name} does not exist in the installed torch"]
    params = [p for p in signature(obj).parameters.values() if p.name != "self"]
    by_name = {p.name: p for p in params}
    problems, order = [], []
    for arg in call.args:
        arg_name = ast.unparse(arg)
        if arg_name not in by_name:
            problems.append(f"{name}: no parameter {arg_name!r} (torch has {[p.name for p in params]})")
            continue
        if by_name[arg_name].default is not inspect.Parameter.empty:
            problems.append(f"{name}: {arg_name} has a default, write {arg_name}={by_name[arg_name].default!r}")
        order.append(arg_name)
    for kw in call.keywords:
        if kw.arg not in by_name:
            problems.append(f"{name}: no parameter {kw.arg!r} (torch has {[p.name for p in params]})")
            continue
        default = by_name[kw.arg].default
        try:
            written = ast.literal_eval(kw.value)
        except ValueError:
            written = ast.unparse(kw.value)
        if default is inspect.Parameter.empty or written != default or type(written) is not type(default):
            problems.append(f"{name}: {kw.arg}={ast.unparse(kw.value)}, but torch's default is {default!r}")
        order.append(kw.arg)
    positions = [list(by_name).index(n) for n in order if n in by_name]
    if positions != sorted(positions):
        problems.append(f"{name}: parameters not in torch's order {[p.name for p in params]}")
    return problems


def boxes(path: Path) -> list[str]:
    return BOX.findall(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", BOX_PAGES)
def test_pytorch_at_a_glance_box_matches_installed_torch(name):
    path = DOCS / name
    if not path.exists():
        pytest.fail(f"docs/{name} is missing")
    found = boxes(path)
    assert found, f"docs/{name} has no '!!! abstract \"PyTorch 한눈에\"' box"
    calls = [c for box in found for c in CALL.findall(box)]
    assert calls, f"docs/{name}: the box names no torch signature"
    problems = [p for c in calls for p in check_call(c)]
    assert not problems, f"docs/{name}: " + "; ".join(problems)


def test_signature_checker_catches_wrong_defaults_names_and_order():
    assert check_call("torch.nn.PReLU(num_parameters=1, init=0.25)") == []
    assert check_call("torch.nn.functional.prelu(input, weight)") == []
    assert check_call("torch.nn.PReLU(num_parameters=1, init=0.3)")  # wrong default
    assert check_call("torch.nn.PReLU(init=0.25, num_parameters=1)")  # wrong order
    assert check_call("torch.nn.PReLU(slope=0.25)")  # no such parameter
    assert check_call("torch.nn.NoSuchModule()")
    assert check_call("torch.nn.LeakyReLU(negative_slope=0.01, inplace=0)")  # 0 is not False


def test_the_checks_catch_what_they_are_for():
    """Each rule above, on a small source that breaks it (so a rule that silently stops working fails here)."""
    def literal_asterisks(text):
        return [c.content for t in COMMONMARK.parse(dedent_blocks(text)) for c in t.children or []
                if c.type == "text" and "**" in c.content]

    assert literal_asterisks("**역전파(backpropagation)**는 기울기를 구합니다.")
    assert not literal_asterisks("**역전파**(backpropagation)는 기울기를 구합니다.")
    assert literal_asterisks('!!! note "제목"\n    **희소 활성화(sparse activation)**를 만듭니다.\n')
    text = prose("매개변수와 `model.parameters()`, 그리고 $파라미터$와\n```python\n파라미터 = 1\n```\n파라미터")
    assert text.count("파라미터") == 1  # only the last, in prose
    assert "이전 판" in prose("이 문서의 이전 판은 틀렸습니다.")
    exercises = "## 연습 문제\n\n### 문제 1. 값\n\n??? success \"풀이\"\n    답은 0.25입니다.\n"
    problems = dict(sections(dict(sections(exercises, "##"))[EXERCISES], "###"))
    assert DECIMAL.findall(problems["### 문제 1. 값"]) == ["0.25"]
