#!/usr/bin/env python
"""Measure the site's search as a reader meets it, in Debian's chromium (the figures of README, "Korean search").

    .venv/bin/python scripts/search_eval.py [SITE_DIR] [--runs N] [--json OUT]
    .venv/bin/python scripts/search_eval.py [SITE_DIR] --first-query [--trials N]

Quality and latency (default): each query of ``tests/browser/search_queries.py`` typed into the
search box of the built site (``site/``, served on 127.0.0.1 as GitHub Pages serves it); prints
the top-1 / top-3 rates per set and per kind of query, every query whose target is not first,
and the time from the last key-up (Material searches on key-up) to the first result group in the
list, measured inside the page with ``performance.now()`` (``--runs`` repeats the whole set).

``--first-query``: what a reader meets on a fresh page. The index is fetched when the reader
first points at, focuses or opens the search box; each trial opens a page, checks that no index
request was made at load, clicks the box, types a query after a pause (0, 300, 500 and 1000 ms), and
measures key-up -> first result and click -> index ready. The same is measured with the index
fetched at page load (the box is pointed at as soon as the page starts: Material's own timing),
for comparison.

The load average is printed with the figures: the machine is shared, and latency follows load.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "tests" / "browser"), str(ROOT / "tests")]

from playwright.sync_api import sync_playwright  # noqa: E402

import search_queries  # noqa: E402
from search_box import LATENCY_PROBE, satisfied, search  # noqa: E402
from site_pages import CHROMIUM, CHROMIUM_ARGS  # noqa: E402
from support import pages_server  # noqa: E402

FIRST_QUERIES = ["활성화함수", "렐루", "역전파를", "카이밍 초기화", "경사하강법", "리키 렐루"]
FIRST_PAGES = ["", "relu/", "softmax/", "weight-initialization/", "backpropagation/", "dropout/"]
PAUSES_MS = [0, 300, 500, 1000]
# Points at the search box as soon as the page starts: the index is fetched at load, as Material does.
EAGER = "addEventListener('DOMContentLoaded', () => document.querySelector('.md-search')" \
        ".dispatchEvent(new PointerEvent('pointerover', {bubbles: true})));"


def pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, round(q * (len(values) - 1)))]


def stats(values: list[float]) -> dict:
    if not values:
        return {}
    return {"n": len(values), "median": round(statistics.median(values), 1), "p95": round(pct(values, 0.95), 1),
            "max": round(max(values), 1), "within_100ms": round(sum(v <= 100 for v in values) / len(values), 3)}


def new_context(browser, outside: list[str], init: str = LATENCY_PROBE):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.route("**/*", lambda r: (outside.append(r.request.url), r.abort())
                  if not r.request.url.startswith("http://127.0.0.1") else r.continue_())
    context.add_init_script(init)
    return context


def quality(browser, base: str, runs: int) -> dict:
    outside: list[str] = []
    context = new_context(browser, outside)
    page = context.new_page()
    page.goto(base)
    rows, latencies, ours, material = [], [], [], []
    for run in range(runs):
        for name, queries in search_queries.SETS.items():
            for query, (kind, targets) in queries.items():
                groups = search(page, base, query)
                lat, worker = page.evaluate("() => [window.__relu.first ? window.__relu.first - window.__relu.key : null,"
                                            " window.__relu.worker]")
                if lat is not None:
                    latencies.append(lat)
                if worker and len(worker) == 3:
                    ours.append(worker[0] + worker[2])
                    material.append(worker[1])
                if run == 0:
                    rows.append({"set": name, "query": query, "kind": kind, "targets": targets,
                                 "top1": satisfied(groups, targets, 1), "top3": satisfied(groups, targets, 3),
                                 "shown": [g[:2] for g in groups[:3]], "latency_ms": lat})
    context.close()
    by_set, by_kind = defaultdict(list), defaultdict(list)
    for r in rows:
        by_set[r["set"]].append(r)
        by_kind[r["kind"]].append(r)

    def rate(rs):
        return {"n": len(rs), "top1": round(sum(r["top1"] for r in rs) / len(rs), 3),
                "top3": round(sum(r["top3"] for r in rs) / len(rs), 3)}

    return {"all": rate(rows), "sets": {k: rate(v) for k, v in by_set.items()},
            "kinds": {k: rate(v) for k, v in by_kind.items()},
            "issue_misses": {q: next(r["top3"] for r in rows if r["query"] == q) for q in search_queries.ISSUE_MISSES},
            "latency_ms": stats(latencies), "worker_ms": {"ours": stats(ours), "material_search": stats(material)},
            "rows": rows, "outside_requests": outside}


def first_query(browser, base: str, trials: int) -> dict:
    out = {}
    for mode, init in (("lazy", LATENCY_PROBE), ("eager", LATENCY_PROBE + EAGER)):
        results = defaultdict(list)
        ready_after_click, index_at_load = [], []
        for trial in range(trials):
            for pause in PAUSES_MS:
                outside: list[str] = []
                context = new_context(browser, outside, init)
                page = context.new_page()
                requested = []
                page.on("request", lambda r: requested.append(r.url))
                url = FIRST_PAGES[(trial + pause) % len(FIRST_PAGES)]
                page.goto(base + url, wait_until="load")
                page.wait_for_timeout(500)  # the page settles, as a reader reads before searching
                index_at_load.append(any(u.endswith("search/full_index.json") for u in requested))
                box = page.locator("input.md-search__input")
                box.hover()
                box.click()
                clicked = page.evaluate("() => performance.now()")
                page.wait_for_timeout(pause)
                query = FIRST_QUERIES[(trial * len(PAUSES_MS) + PAUSES_MS.index(pause)) % len(FIRST_QUERIES)]
                box.fill(query)
                box.press("End")
                page.wait_for_function("() => window.__relu.first", timeout=30_000)
                key, first, ready = page.evaluate("() => [window.__relu.key, window.__relu.first, window.__relu.ready]")
                results[pause].append(first - key)
                if mode == "lazy":
                    ready_after_click.append(ready - clicked)
                assert not outside, outside
                context.close()
        out[mode] = {"keyup_to_first_result_ms": {f"typed {p} ms after the click": stats(v) for p, v in results.items()},
                     "index_fetched_at_page_load": f"{sum(index_at_load)}/{len(index_at_load)}"}
        if mode == "lazy":
            out[mode]["click_to_index_ready_ms"] = stats(ready_after_click)
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("site", nargs="?", default=str(ROOT / "site"))
    ap.add_argument("--runs", type=int, default=1, help="repeat the query set (latency figures)")
    ap.add_argument("--first-query", action="store_true", help="fresh pages: the first query, lazy and eager index")
    ap.add_argument("--trials", type=int, default=3)
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    server, base = pages_server.serve(Path(args.site), pages_server.site_prefix(ROOT / "mkdocs.yml"))
    load_before = os.getloadavg()
    started = time.time()
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            report = first_query(browser, base, args.trials) if args.first_query else quality(browser, base, args.runs)
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
    report["load_average"] = {"before": [round(x, 2) for x in load_before],
                              "after": [round(x, 2) for x in os.getloadavg()]}
    report["seconds"] = round(time.time() - started, 1)
    if args.json:
        args.json.write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
    rows = report.pop("rows", [])
    for r in rows:
        if not r["top1"]:
            flag = "MISS" if not r["top3"] else "top3"
            print(f"{flag} {r['set']:15} {r['kind']:9} {r['query']!r:28} want {r['targets'][0]}  got {r['shown']}")
    print(json.dumps(report, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
