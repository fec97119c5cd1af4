"""Fixtures for the real-browser tests: the built site, served on 127.0.0.1,
and Debian's chromium driven by pytest-playwright.

One browser is launched for the whole session (pytest-playwright's
``browser``), every test gets its own context (``new_context``/``page``), and
tests that look at pages are parametrized by ``site_page`` (every page of the
site, see ``site_pages.py``).

Chromium is never downloaded: without /usr/bin/chromium the browser tests are
skipped with a reason, except under CI (``CI=true``), where that is a failure.
"""

from __future__ import annotations

import functools
import http.server
import io
import os
import threading
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from site_pages import (
    CHROMIUM,
    CHROMIUM_ARGS,
    PageWatch,
    page_ids,
    require_chromium,
    site_prefix,
)

# --------------------------------------------------------------------------
# The built site


@pytest.fixture(scope="session")
def site_dir(request) -> Path:
    """The site of this checkout: the suite-wide ``built_site`` (tests/conftest.py,
    ``mkdocs build --strict`` once per session).

    ``RELU_SITE_DIR=site`` tests an already built site instead (quicker when
    working on the tests themselves).
    """
    if os.environ.get("RELU_SITE_DIR"):
        return Path(os.environ["RELU_SITE_DIR"]).resolve()
    return Path(request.getfixturevalue("built_site"))


# --------------------------------------------------------------------------
# A local web server, like GitHub Pages: the site lives under site_url's path
# (/relu-wiki/), and a missing file gets 404.html with status 404.


class _SiteHandler(http.server.SimpleHTTPRequestHandler):
    prefix = "/"

    def translate_path(self, path):
        path = unquote(urlsplit(path).path)
        if not path.startswith(self.prefix):
            return str(Path(self.directory) / "__outside_the_site__")
        return super().translate_path("/" + path[len(self.prefix) :])

    def send_head(self):
        target = Path(self.translate_path(self.path))
        if target.is_dir():
            target = target / "index.html"
        if not target.exists():
            body = (Path(self.directory) / "404.html").read_bytes()
            self.send_response(404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            return io.BytesIO(body)
        return super().send_head()

    def log_message(self, format, *args):  # keep pytest's output readable
        pass


@pytest.fixture(scope="session")
def site_server(site_dir):
    """Serve the built site on 127.0.0.1 (a free port); yields the base URL."""
    prefix = site_prefix()
    handler = type("Handler", (_SiteHandler,), {"prefix": prefix})
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(handler, directory=str(site_dir))
    )
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    host, port = server.server_address[:2]
    yield f"http://{host}:{port}{prefix}"
    server.shutdown()
    server.server_close()


# --------------------------------------------------------------------------
# The browser (pytest-playwright's fixtures, pointed at Debian's chromium)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    require_chromium()
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


def pytest_generate_tests(metafunc):
    if "site_page" in metafunc.fixturenames:
        ids = page_ids()
        metafunc.parametrize("site_page", ids, ids=[i or "index" for i in ids])


@pytest.fixture
def open_page(new_context, site_server):
    """``open_page(url, **context_args) -> (page, watch)``.

    A fresh context (pytest-playwright closes it after the test) whose every
    request to a host other than 127.0.0.1 is aborted and recorded, and whose
    console errors are recorded (``watch.check()`` asserts there were none).
    ``url`` is relative to the site root, e.g. ``"relu/"``.
    """

    def _open(url: str, wait_until: str = "load", **context_args):
        context = new_context(**context_args)
        watch = PageWatch(context)
        page = context.new_page()
        page.goto(site_server + url, wait_until=wait_until)
        return page, watch

    return _open
