"""Lighthouse report for the built site (``make lighthouse``): not a test.

Scores swing with the machine's load (2 shared cores), so every score is read against a
reference measured in the same run: a stock mkdocs-material page (``theme: material``,
``font: false``, 30 paragraphs of Korean text; built here from scripts/lighthouse/stock/
with this checkout's MkDocs and Material) is audited in every round, interleaved with our
pages, and each page's row shows our median, the stock page's median, and the median of
the paired differences (ours minus stock within the same round).

Serves each site on 127.0.0.1 as GitHub Pages does (under site_url's path, gzip), and runs
the pinned Lighthouse (scripts/lighthouse/package.json) with Debian's chromium, mobile form
factor (Lighthouse's default: a simulated mid-range phone on a slow 4G link), all four
categories. Full reports go to .cache/lighthouse/.

Usage:
  python scripts/lighthouse/run.py [--runs N] [--site DIR] [--json FILE] [PAGE ...]
    PAGE     a page path relative to the site root ("" or "/" is the home page);
             default: every page of the site (every index.html)
    --runs   rounds (default 3); medians are over the rounds
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from relu_docsite.project import project_root

HERE = Path(__file__).resolve().parent
ROOT = project_root(HERE)
sys.path.insert(0, str(ROOT / "tests"))
from support import pages_server  # noqa: E402  (the test-suite's GitHub-Pages-like server)

LIGHTHOUSE = HERE / "node_modules" / ".bin" / "lighthouse"
REPORTS = ROOT / ".cache" / "lighthouse"
STOCK = HERE / "stock"  # mkdocs.yml + docs/index.md of the reference page
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
CHROME_FLAGS = (
    "--headless=new --no-sandbox --disable-gpu --disable-quic --no-first-run "
    "--disable-background-networking --disable-component-update --disable-sync --disable-dev-shm-usage"
)


def load() -> float:
    return os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")


def build_stock(out: Path) -> Path:
    """Build the stock mkdocs-material page with this checkout's MkDocs (the same Material version)."""
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "--quiet", "-f", str(STOCK / "mkdocs.yml"), "-d", str(out)],
                   check=True, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    return out


def all_pages(site: Path) -> list[str]:
    pages = sorted(p.parent.relative_to(site).as_posix() for p in site.rglob("index.html"))
    return ["" if p == "." else p + "/" for p in pages if not p.startswith("assets")]


def audit(url: str, name: str) -> dict:
    REPORTS.mkdir(parents=True, exist_ok=True)
    out = REPORTS / f"{name}.json"
    env = {**os.environ, "CHROME_PATH": os.environ.get("CHROME_PATH", "/usr/bin/chromium")}
    subprocess.run(
        [str(LIGHTHOUSE), url, "--quiet", f"--only-categories={','.join(CATEGORIES)}",
         f"--chrome-flags={CHROME_FLAGS}", "--output=json", f"--output-path={out}"],
        env=env, check=True,
    )
    return json.loads(out.read_text(encoding="utf-8"))


def summary(report: dict) -> dict:
    audits = report["audits"]
    scores = {c: round(100 * (report["categories"][c]["score"] or 0)) for c in CATEGORIES}
    return {
        **scores,
        "tbt": audits["total-blocking-time"]["numericValue"],
        "lcp": audits["largest-contentful-paint"]["numericValue"],
        "dom": audits["dom-size"].get("numericValue") or 0,
        "version": report.get("lighthouseVersion", "?"),
    }


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("pages", nargs="*")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--site", type=Path, default=ROOT / "site")
    parser.add_argument("--json", type=Path, help="write every run's summary here")
    args = parser.parse_args(argv)
    site = args.site.resolve()
    if not (site / "index.html").is_file():
        print(f"{site} has no index.html: build the site first (make build)", file=sys.stderr)
        return 1
    if not LIGHTHOUSE.exists():
        print("Lighthouse is not installed: cd scripts/lighthouse && npm ci", file=sys.stderr)
        return 1
    pages = ["" if p in ("", "/") else p.strip("/") + "/" for p in args.pages] or all_pages(site)
    loads = [load()]
    with tempfile.TemporaryDirectory() as tmp:
        stock_site = build_stock(Path(tmp) / "stock")
        servers = {"stock": pages_server.serve(stock_site, "/"),
                   "ours": pages_server.serve(site, pages_server.site_prefix(ROOT / "mkdocs.yml"))}
        targets = [("stock", "")] + [("ours", page) for page in pages]
        results: dict[tuple[str, str], list[dict]] = {t: [] for t in targets}
        try:
            for round_ in range(args.runs):
                # The stock page is audited in every round among ours, so that it sees the same
                # load; the order rotates so that no page always follows the same one.
                shift = round_ * max(1, len(targets) // args.runs)
                order = targets[shift % len(targets):] + targets[:shift % len(targets)]
                for name, page in order:
                    tag = f"{name}_{(page.strip('/') or 'home').replace('/', '_')}_{round_}"
                    s = summary(audit(servers[name][1] + page, tag))
                    s["load"] = load()
                    results[(name, page)].append(s)
                    print(f"  round {round_ + 1}: {name:>5} /{page:<34} {s['performance']:>3}  "
                          f"TBT {s['tbt']:>5.0f} ms  load {s['load']:.1f}", file=sys.stderr, flush=True)
                loads.append(load())
        finally:
            for server, _ in servers.values():
                server.shutdown()

    stock_runs = results[("stock", "")]
    stock = statistics.median(r["performance"] for r in stock_runs)
    print(f"\nLighthouse {stock_runs[0]['version']}, mobile, performance: median of {args.runs} rounds; the stock mkdocs-material "
          f"page in the same rounds: {stock:.0f} ({', '.join(str(r['performance']) for r in stock_runs)}); "
          f"load average {min(loads):.1f}-{max(loads):.1f}")
    width = max(len(p) for p in pages) + 3
    print(f"{'page':<{width}}{'ours':>5}{'stock':>6}{'paired':>7}{'TBT ms':>8}{'DOM':>6}  rounds      other categories")
    low = 0
    for page in pages:
        runs = results[("ours", page)]
        ours = statistics.median(r["performance"] for r in runs)
        paired = statistics.median(r["performance"] - s["performance"] for r, s in zip(runs, stock_runs))
        others = {c: min(r[c] for r in runs) for c in CATEGORIES[1:]}
        flag = "" if all(v == 100 for v in others.values()) else " ".join(f"{c} {v}" for c, v in others.items() if v < 100)
        meets = ours >= 95 or ours >= stock
        low += not meets
        print(f"{('/' + page):<{width}}{ours:>5.0f}{stock:>6.0f}{paired:>+7.0f}"
              f"{statistics.median(r['tbt'] for r in runs):>8.0f}{runs[0]['dom']:>6.0f}  "
              f"{','.join(str(r['performance']) for r in runs):<11} {flag or 'all 100'}{'' if meets else '  <- below 95 and below stock'}")
    print(f"\nGoal: performance >= 95, or (on a loaded machine) not below the stock page: "
          f"{len(pages) - low} of {len(pages)} pages meet it. Full reports: {REPORTS.relative_to(ROOT)}/")
    if args.json:
        args.json.write_text(json.dumps({f"{n}|{p}": r for (n, p), r in results.items()}, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
