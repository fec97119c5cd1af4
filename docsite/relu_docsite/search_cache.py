"""Search-index entries per page, kept for the life of the Python process.

MkDocs re-imports hook files on every ``mkdocs serve`` rebuild, so state
that must survive a rebuild lives in this ordinary module. The search hook
stores the entries Material's search plugin made for a page under a key of
everything they depend on; an unchanged page is not parsed again.
"""

from __future__ import annotations

import copy
import hashlib

_entries: dict[str, list[dict]] = {}


def page_key(page) -> str:
    """Hash of what a page's search entries are computed from."""
    def toc(items):
        return [(i.title, i.url, toc(i.children)) for i in items]

    parts = (page.url, page.title, repr(page.meta.get("title")), repr(page.meta.get("search")),
             repr(toc(page.toc)), page.content or "")
    return hashlib.sha256("\x00".join(parts).encode("utf-8")).hexdigest()


def get(key: str) -> list[dict] | None:
    entries = _entries.get(key)
    return copy.deepcopy(entries) if entries is not None else None


def put(key: str, entries: list[dict]) -> None:
    _entries[key] = copy.deepcopy(entries)
