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

import os
from pathlib import Path

import pytest

from support import pages_server

from site_pages import (
    CHROMIUM,
    CHROMIUM_ARGS,
    INSTALL_HINT,
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
# A local web server, like GitHub Pages (tests/support/pages_server.py): the
# site lives under site_url's path (/relu-wiki/), a missing file gets 404.html.


@pytest.fixture(scope="session")
def site_server(site_dir):
    """Serve the built site on 127.0.0.1 (a free port); yields the base URL."""
    server, base_url = pages_server.serve(site_dir, site_prefix())
    yield base_url
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


# --------------------------------------------------------------------------
# A skipped browser test is never silent: the run ends with one line that says how many and how to run them.

_SKIPPED_BROWSER_TESTS = pytest.StashKey[int]()


def pytest_terminal_summary(terminalreporter, config):
    skipped = [r for r in terminalreporter.stats.get("skipped", []) if "browser tests need" in str(r.longrepr)]
    config.stash[_SKIPPED_BROWSER_TESTS] = len(skipped)


@pytest.hookimpl(trylast=True)
def pytest_unconfigure(config):
    count = config.stash.get(_SKIPPED_BROWSER_TESTS, 0)
    if count:
        config.get_terminal_writer().line(
            f"{count} browser tests SKIPPED: no chromium at {CHROMIUM}. To run them: {INSTALL_HINT}, "
            "or CHROME_PATH=/path/to/chromium (README: What the browser tests check); "
            "under CI=true a missing browser fails instead.",
            yellow=True, bold=True,
        )
