"""The machinery that runs the pages' code blocks (conftest.py) does what it says."""

import textwrap

import pytest
from sybil import Document

from support import ROOT
from support.codeblocks import (
    INFO,
    expand_snippets,
    run_pycon_block,
    run_python_block,
)
from sybil.parsers.markdown.lexers import RawFencedCodeBlockLexer


def _blocks(markdown: str):
    doc = Document(textwrap.dedent(markdown), "page.md")
    return [
        (r.lexemes["language"], str(r.lexemes["source"]))
        for r in RawFencedCodeBlockLexer(info_pattern=INFO)(doc)
    ]


def test_titled_and_pycon_fences_are_found():
    blocks = _blocks(
        '''
        ```python title="example.py"
        x = 1
        ```

        ```pycon
        >>> 1 + 1
        2
        ```

        ```bash
        echo not python
        ```
        '''
    )
    assert [lang for lang, _ in blocks] == ["python", "pycon"]


def test_snippet_lines_are_expanded_from_the_file(tmp_path):
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "ex.py").write_text("import math\nprint(math.tau)\n", encoding="utf-8")
    expanded = expand_snippets('--8<-- "pkg/ex.py"\n', base=tmp_path)
    assert expanded == "import math\nprint(math.tau)\n"


def test_the_default_base_is_the_repository_root():
    assert (ROOT / "mkdocs.yml").is_file()


def test_a_missing_snippet_file_is_an_error():
    with pytest.raises(Exception, match="nope.py"):
        expand_snippets('--8<-- "relu_docs/examples/nope.py"\n')


def test_a_block_runs_in_a_fresh_namespace():
    run_python_block("x = 1\n", "first")
    with pytest.raises(NameError):  # nothing leaks from the previous block
        run_python_block("print(x)\n", "second")


def test_a_block_without_its_imports_fails():
    # The seed's blocks used nn without importing it.
    with pytest.raises(NameError, match="nn"):
        run_python_block("layer = nn.Linear(2, 2)\n", "seed-style")


def test_a_wrong_pycon_output_fails():
    with pytest.raises(AssertionError, match="Expected"):
        run_pycon_block(">>> 1 + 1\n3\n", "wrong")
    run_pycon_block(">>> 1 + 1\n2\n", "right")
