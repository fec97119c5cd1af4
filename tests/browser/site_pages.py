"""Shared helpers of the browser tests: which pages the site has, where
chromium is, and what a page may and may not do in the browser."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from support import ROOT, pages_server

DOCS = ROOT / "docs"

# Debian's chromium; CHROME_PATH (as Lighthouse reads it) points elsewhere.
CHROMIUM = os.environ.get("CHROME_PATH") or "/usr/bin/chromium"
# Headless, and no background traffic: on a closed network chromium's own
# update/sync/field-trial requests would only fail (and slow every start).
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    # CI containers often have a 64 MB /dev/shm, too small for long pages.
    "--disable-dev-shm-usage",
]
INSTALL_HINT = "sudo apt-get install chromium fonts-nanum"


def require_chromium(executable: str = CHROMIUM, environ: Mapping[str, str] | None = None) -> None:
    """Skip the calling test when ``executable`` is missing, fail under CI.

    A reader's machine without chromium skips the browser tests with a
    reason; CI (``CI=true``, as GitHub Actions and most CI services set it)
    must run them, so there a missing browser is a failure.
    """
    environ = os.environ if environ is None else environ
    if os.path.isfile(executable) and os.access(executable, os.X_OK):
        return
    reason = f"browser tests need Debian's chromium at {executable} ({INSTALL_HINT})"
    if environ.get("CI", "").strip().lower() in {"true", "1", "yes"}:
        pytest.fail(f"CI=true and {reason}", pytrace=False)
    pytest.skip(reason)


def site_prefix(mkdocs_yml: Path = ROOT / "mkdocs.yml") -> str:
    """The URL path the site is published under (site_url's path), e.g. ``/relu-wiki/``.

    The test server serves the site under the same path, so root-relative
    links (the 404 page has them) resolve as they do on GitHub Pages.
    """
    return pages_server.site_prefix(mkdocs_yml)


def _source_url(rel: Path) -> str:
    """URL (relative to the site root) of the page built from docs/``rel``."""
    parts = list(rel.with_suffix("").parts)
    if parts[-1] in {"index", "README"}:
        parts = parts[:-1]
    return "/".join(parts) + "/" if parts else ""


def page_ids(docs: Path = DOCS) -> list[str]:
    """Every page of the site, as a URL relative to the site root.

    Read from the sources (collection happens before the site is built):
    each Markdown page, each notebook (``docs/notebooks/*.py`` jupytext files
    and ``*.ipynb``) and the theme's ``404.html``. ``test_every_built_page_is_tested``
    checks this list against the built site, both ways.
    """
    urls = {_source_url(p.relative_to(docs)) for p in docs.rglob("*.md")}
    urls |= {_source_url(p.relative_to(docs)) for p in docs.rglob("*.ipynb")}
    notebooks = docs / "notebooks"
    if notebooks.is_dir():
        urls |= {_source_url(p.relative_to(docs)) for p in notebooks.glob("*.py")}
    return sorted(urls) + ["404.html"]


def built_pages(site: Path) -> list[str]:
    """Every HTML page of the built site, as URLs relative to the site root."""
    pages = []
    for path in site.rglob("*.html"):
        rel = path.relative_to(site)
        if rel.parts[0] == "assets":
            continue
        if rel.name == "index.html":
            pages.append("/".join(rel.parts[:-1]) + "/" if len(rel.parts) > 1 else "")
        else:
            pages.append(rel.as_posix())
    return sorted(pages)


class PageWatch:
    """Record what a browser context does that a page must not do.

    * every request to a host other than 127.0.0.1 is aborted and recorded;
    * console errors and uncaught page errors are recorded.
    """

    def __init__(self, context):
        self.foreign: list[str] = []
        self.errors: list[str] = []
        context.route("**/*", self._route)
        context.on("page", self.attach)
        for page in context.pages:
            self.attach(page)

    def _route(self, route):
        url = route.request.url
        if urlsplit(url).hostname == "127.0.0.1":
            route.continue_()
        else:
            self.foreign.append(url)
            route.abort()

    def attach(self, page):
        page.on("console", lambda msg: msg.type == "error" and self.errors.append(f"console: {msg.text}"))
        page.on("pageerror", lambda exc: self.errors.append(f"page error: {exc}"))

    def check(self):
        problems = []
        if self.foreign:
            problems.append("requests left 127.0.0.1:\n  " + "\n  ".join(sorted(set(self.foreign))))
        if self.errors:
            problems.append("browser console errors:\n  " + "\n  ".join(self.errors))
        assert not problems, "\n".join(problems)
