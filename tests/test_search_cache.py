"""The search hook's per-page cache: reused only for an identical page, never shared mutably."""

from types import SimpleNamespace

from relu_docsite import search_cache


def _page(content="<h1>ReLU</h1><p>죽은 뉴런</p>", title="ReLU"):
    heading = SimpleNamespace(title=title, url="#relu", children=[])
    return SimpleNamespace(url="relu/", title=title, meta={}, toc=[heading], content=content)


def test_key_changes_with_content_and_headings():
    key = search_cache.page_key(_page())
    assert key == search_cache.page_key(_page())
    assert key != search_cache.page_key(_page(content="<h1>ReLU</h1><p>기울기 소실</p>"))
    assert key != search_cache.page_key(_page(title="ReLU 변형"))


def test_cached_entries_are_copies():
    key = search_cache.page_key(_page())
    entries = [{"location": "relu/", "title": "ReLU", "text": "죽은 뉴런"}]
    search_cache.put(key, entries)
    entries[0]["text"] = "changed after put"
    got = search_cache.get(key)
    assert got == [{"location": "relu/", "title": "ReLU", "text": "죽은 뉴런"}]
    got[0]["text"] = "changed after get"
    assert search_cache.get(key)[0]["text"] == "죽은 뉴런"


def test_unknown_page_is_a_miss():
    assert search_cache.get("0" * 64) is None
