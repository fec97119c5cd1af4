"""Find and run the Python code blocks of the site's Markdown pages.

Used by the test-suite (through Sybil, see ``conftest.py``) to check that
every block a reader can copy runs on its own in a fresh interpreter
namespace. Blocks that include a file with pymdownx.snippets
(``--8<-- "relu_docs/examples/x.py"``) are expanded by pymdownx.snippets
itself, with the site's configuration, so the test sees what the reader sees.
"""

from __future__ import annotations

import doctest
import re
from functools import lru_cache
from pathlib import Path

import markdown

from support import ROOT


# The opening fence's info string: a language, then optional attributes (title="...").
INFO = re.compile(r"(?P<language>python|py|pycon)\b(?P<attributes>[^\n]*)$\n", re.MULTILINE)


@lru_cache(maxsize=None)
def _snippet_preprocessor(base: str):
    md = markdown.Markdown(
        extensions=["pymdownx.snippets"],
        extension_configs={"pymdownx.snippets": {"base_path": [base], "check_paths": True}},
    )
    return md.preprocessors["snippet"]


def expand_snippets(source: str, base: Path = ROOT) -> str:
    """Replace ``--8<--`` lines by the files they include, as the site build does."""
    if "--8<--" not in source:
        return source
    lines = _snippet_preprocessor(str(base)).run(source.splitlines())
    return "\n".join(lines).rstrip("\n") + "\n"


def run_python_block(source: str, name: str) -> None:
    """Execute ``source`` as a reader's fresh ``python`` would: an empty namespace."""
    code = compile(source, name, "exec")
    exec(code, {"__name__": "__main__", "__file__": name})


def run_pycon_block(source: str, name: str, optionflags: int = 0) -> None:
    """Check a ``>>>`` transcript with doctest in an empty namespace; raise on mismatch."""
    parser = doctest.DocTestParser()
    test = parser.get_doctest(source, {"__name__": "__main__"}, name, name, 0)
    flags = optionflags | doctest.NORMALIZE_WHITESPACE
    runner = doctest.DocTestRunner(optionflags=flags)
    report: list[str] = []
    runner.run(test, out=report.append)
    if runner.failures:
        raise AssertionError("".join(report))
