"""The rule for a missing chromium: skip on a reader's machine, fail under CI."""

from __future__ import annotations

import pytest

from site_pages import page_ids, require_chromium, site_prefix


def test_present_browser_runs(tmp_path):
    browser = tmp_path / "chromium"
    browser.write_text("#!/bin/sh\n")
    browser.chmod(0o755)
    assert require_chromium(str(browser), {"CI": "true"}) is None


@pytest.mark.parametrize("ci", [None, "", "false", "0"])
def test_missing_browser_skips_on_a_readers_machine(tmp_path, ci):
    environ = {} if ci is None else {"CI": ci}
    with pytest.raises(pytest.skip.Exception, match="chromium"):
        require_chromium(str(tmp_path / "absent"), environ)


@pytest.mark.parametrize("ci", ["true", "True", "1"])
def test_missing_browser_fails_under_ci(tmp_path, ci):
    with pytest.raises(pytest.fail.Exception, match="CI=true"):
        require_chromium(str(tmp_path / "absent"), {"CI": ci})


def test_non_executable_file_is_missing(tmp_path):
    browser = tmp_path / "chromium"
    browser.write_text("not a program")
    with pytest.raises(pytest.skip.Exception):
        require_chromium(str(browser), {})


def test_site_prefix_follows_site_url(tmp_path):
    config = tmp_path / "mkdocs.yml"
    config.write_text("site_name: x\nsite_url: https://example.org/relu-wiki/\n")
    assert site_prefix(config) == "/relu-wiki/"
    config.write_text("site_name: x\nsite_url: https://example.org\n")
    assert site_prefix(config) == "/"
    config.write_text("site_name: x\n")
    assert site_prefix(config) == "/"


def test_page_ids_from_sources(tmp_path):
    (tmp_path / "notebooks").mkdir()
    for name in ["index.md", "relu.md", "notebooks/dead_relu.py", "sub/index.md"]:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("")
    assert page_ids(tmp_path) == ["", "notebooks/dead_relu/", "relu/", "sub/", "404.html"]
