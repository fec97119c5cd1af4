"""Searching the way a reader does, in a real browser: type into Material's search box, read the results.

Shared by tests/browser/test_browser_search.py and scripts/search_eval.py (which measures the
rates and the latency the README reports).
"""

from __future__ import annotations

from urllib.parse import unquote, urlsplit

# Material's result meta line while the index loads.
WAITING = "검색 초기화"

# Stamps, inside the page, the last key-up in the search box (Material searches on key-up) and
# the first result group that follows it; and when the worker reports the index ready.
LATENCY_PROBE = """
window.__relu = {key: 0, first: 0, ready: 0, requests: []};
const NativeWorker = window.Worker;
window.Worker = function (url, options) {
  const worker = new NativeWorker(url, options);
  worker.addEventListener('message', ev => {
    if (ev.data && ev.data.type === 1 && !window.__relu.ready) window.__relu.ready = performance.now();
    if (ev.data && ev.data.type === 3 && window.__relu.key && !window.__relu.message) {
      window.__relu.message = performance.now();
      window.__relu.worker = (ev.data.data.relu || {}).ms || null;
    }
  });
  return worker;
};
window.Worker.prototype = NativeWorker.prototype;
addEventListener('keyup', e => {
  if (e.target.matches && e.target.matches('input.md-search__input')) {
    Object.assign(window.__relu, {key: performance.now(), first: 0, message: 0, worker: null});
  }
}, true);
new MutationObserver(() => {
  const r = window.__relu;
  if (r.key && !r.first && document.querySelector('.md-search-result__list > li')) r.first = performance.now();
}).observe(document, {childList: true, subtree: true});
"""


def relative(url: str, base: str) -> str:
    """``http://127.0.0.1:p/relu-wiki/relu/?h=x#y`` -> ``relu/#y`` (decoded).

    >>> relative("http://127.0.0.1:8000/relu-wiki/relu/?h=x#%EC%A0%95", "http://127.0.0.1:8000/relu-wiki/")
    'relu/#정'
    """
    parts = urlsplit(url)
    path = unquote(parts.path)[len(urlsplit(base).path):]
    return path + (f"#{unquote(parts.fragment)}" if parts.fragment else "")


def search(page, base: str, query: str) -> list[list[str]]:
    """Type ``query`` into the search box; return the result groups' links (relative to ``base``)."""
    box = page.locator("input.md-search__input")
    box.click()
    page.wait_for_function(
        "w => !document.querySelector('.md-search-result__meta').textContent.includes(w)", arg=WAITING
    )
    if box.input_value():
        box.fill("")
        box.press("End")
        page.wait_for_function("() => !document.querySelector('.md-search-result__list > li')")
    # The whole query at once, as an IME commits Hangul: no half-typed query runs first, so
    # the first results shown are this query's.
    box.fill(query)
    box.press("End")  # typed Hangul sends no key-up, and Material searches on key-up
    page.wait_for_function(
        """() => document.querySelector('.md-search-result__list > li') ||
                 /없습니다/.test(document.querySelector('.md-search-result__meta').textContent)"""
    )
    groups = page.eval_on_selector_all(
        ".md-search-result__list > li",
        "items => items.map(li => [...li.querySelectorAll('a.md-search-result__link')].map(a => a.href))",
    )
    return [[relative(href, base) for href in group] for group in groups]


def satisfied(groups: list[list[str]], targets: list[str], top: int = 3) -> bool:
    """Whether any target is among the first ``top`` result groups.

    >>> groups = [["relu/", "relu/#죽은-relu"], ["gelu/"]]
    >>> satisfied(groups, ["relu/#죽은-relu"]), satisfied(groups, ["gelu/"]), satisfied(groups, ["tanh/"])
    (True, True, False)
    >>> satisfied([["a/"], ["b/"], ["c/"], ["relu/"]], ["relu/"])
    False
    """
    for group in groups[:top]:
        pages = {link.split("#")[0] for link in group}
        for target in targets:
            if ("#" in target and target in group) or ("#" not in target and target in pages):
                return True
    return False


def shown(groups: list[list[str]], n: int = 3) -> str:
    """The first ``n`` result groups, one line each, for a failure message."""
    return "\n".join(f"  {i + 1}. {' | '.join(group[:4])}" for i, group in enumerate(groups[:n])) or "  (no result)"
