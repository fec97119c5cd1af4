"""Test collection for the whole repository.

Besides tests/ and the package's doctests, every Python code block in
docs/**/*.md is executed: ``python``/``py`` blocks (titled or not, with
``--8<--`` snippet includes expanded) run in a fresh namespace, and
``pycon`` transcripts are checked with doctest.
"""

import os
import sys
from pathlib import Path

os.environ.setdefault("MPLBACKEND", "Agg")
# The test-suite's helpers (tests/support/) are imported as ``support``, here as in tests/.
sys.path.insert(0, str(Path(__file__).resolve().parent / "tests"))

from sybil import Sybil, Region  # noqa: E402
from sybil.parsers.markdown.lexers import RawFencedCodeBlockLexer  # noqa: E402
from sybil.parsers.markdown import SkipParser  # noqa: E402

from support.codeblocks import (  # noqa: E402
    INFO,
    expand_snippets,
    run_pycon_block,
    run_python_block,
)

collect_ignore_glob = ["docs/**/*.py", "docs/*.py", "relu_docs/examples/*", "site/*", "scripts/*"]

_LEXER = RawFencedCodeBlockLexer(info_pattern=INFO)


def _evaluate(example):
    language, source = example.parsed
    name = f"{example.path}:{example.line}"
    source = expand_snippets(str(source))
    if language == "pycon":
        run_pycon_block(source, name)
    else:
        run_python_block(source, name)


def code_block_parser(document):
    for region in _LEXER(document):
        yield Region(
            region.start,
            region.end,
            parsed=(region.lexemes["language"], region.lexemes["source"]),
            evaluator=_evaluate,
        )


pytest_collect_file = Sybil(
    parsers=[code_block_parser, SkipParser()],
    patterns=["*.md"],
    path="docs",
).pytest()
