"""What a ``mkdocs serve`` rebuild need not compute again: results kept from one build to the next.

``mkdocs serve`` loads the configuration and builds the whole site again after every change,
in the same Python process. The site's own steps that are pure functions of text (the
glossary file, a page's Markdown or HTML) keep their results in a :class:`Memo`, and the
theme's Jinja templates are compiled once (:data:`TEMPLATES`, a Jinja bytecode cache keyed by
each template's name and source). :func:`new_build` (the plugin's ``on_config``) starts a
build: a result not used by the last build is dropped, so memory stays at one site's worth.
"""

from __future__ import annotations

from typing import Callable

import jinja2

_memos: list["Memo"] = []


class Memo:
    """``function(*args)`` for hashable ``args``, remembered for the builds of this process.

    >>> calls = []
    >>> double = Memo(lambda s: calls.append(s) or s * 2)
    >>> double("a"), double("a"), calls
    ('aa', 'aa', ['a'])
    """

    def __init__(self, function: Callable | None = None):
        self.function = function
        self.previous: dict = {}
        self.current: dict = {}
        _memos.append(self)

    def __call__(self, *args):
        return self.get(args, lambda: self.function(*args))

    def get(self, key, compute: Callable):
        """The result remembered for ``key``, else ``compute()`` (remembered)."""
        if key in self.current:
            return self.current[key]
        value = self.previous[key] if key in self.previous else compute()
        self.current[key] = value
        return value

    def rotate(self) -> None:
        if self.current:
            self.previous, self.current = self.current, {}


class _TemplateCache(jinja2.BytecodeCache):
    """Compiled Jinja templates, in memory (the bucket key covers the template's name and source)."""

    def __init__(self):
        self.code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if bucket.key in self.code:
            bucket.bytecode_from_string(self.code[bucket.key])

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.code[bucket.key] = bucket.bytecode_to_string()


#: set as the theme environment's ``bytecode_cache`` (the plugin's ``on_env``)
TEMPLATES = _TemplateCache()


def new_build() -> None:
    """A build starts: keep what the last build used, drop the rest."""
    for memo in _memos:
        memo.rotate()
