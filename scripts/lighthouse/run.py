"""Lighthouse report for the built site (``make lighthouse``): not a test.

Serves ``site/`` on 127.0.0.1 under site_url's path (as GitHub Pages does),
runs the pinned Lighthouse (scripts/lighthouse/package.json) with Debian's
chromium on the home and ReLU pages, mobile form factor (Lighthouse's
default: a simulated mid-range phone on a slow 4G link), and prints the four
category scores. Scores vary from run to run on a busy 2-core machine.
Full reports go to .cache/lighthouse/.

Usage: python scripts/lighthouse/run.py [SITE_DIR] [PAGE ...]
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from relu_docsite.project import project_root

HERE = Path(__file__).resolve().parent
ROOT = project_root(HERE)
sys.path.insert(0, str(ROOT / "tests"))
from support import pages_server  # noqa: E402  (the test-suite's GitHub-Pages-like server)

LIGHTHOUSE = HERE / "node_modules" / ".bin" / "lighthouse"
REPORTS = ROOT / ".cache" / "lighthouse"
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
PAGES = ["", "relu/"]
CHROME_FLAGS = (
    "--headless=new --no-sandbox --disable-gpu --disable-quic --no-first-run "
    "--disable-background-networking --disable-component-update --disable-sync --disable-dev-shm-usage"
)


def site_prefix() -> str:
    return pages_server.site_prefix(ROOT / "mkdocs.yml")


def serve(site: Path):
    return pages_server.serve(site, site_prefix())


def audit(url: str, name: str) -> dict:
    REPORTS.mkdir(parents=True, exist_ok=True)
    out = REPORTS / name
    env = {**os.environ, "CHROME_PATH": os.environ.get("CHROME_PATH", "/usr/bin/chromium")}
    subprocess.run(
        [
            str(LIGHTHOUSE),
            url,
            "--quiet",
            f"--only-categories={','.join(CATEGORIES)}",
            f"--chrome-flags={CHROME_FLAGS}",
            "--output=json",
            "--output=html",
            f"--output-path={out}",
        ],
        env=env,
        check=True,
    )
    return json.loads(out.with_suffix(".report.json").read_text(encoding="utf-8"))


def main(argv: list[str]) -> int:
    site = Path(argv[0] if argv else ROOT / "site").resolve()
    pages = argv[1:] or PAGES
    if not (site / "index.html").is_file():
        print(f"{site} has no index.html: build the site first (make build)", file=sys.stderr)
        return 1
    if not LIGHTHOUSE.exists():
        print("Lighthouse is not installed: cd scripts/lighthouse && npm ci", file=sys.stderr)
        return 1
    server, base = serve(site)
    rows = []
    try:
        for page in pages:
            name = (page.strip("/") or "home").replace("/", "_")
            report = audit(base + page, name)
            scores = {c: round(100 * (report["categories"][c]["score"] or 0)) for c in CATEGORIES}
            rows.append((page or "(home)", scores, report))
    finally:
        server.shutdown()
    width = max(len(page) for page, _, _ in rows) + 2
    print(f"\nLighthouse {rows[0][2]['lighthouseVersion']}, mobile, {rows[0][2]['environment']['hostUserAgent'].split(')')[-1].strip()}")
    print("page".ljust(width) + "".join(c.rjust(16) for c in CATEGORIES))
    for page, scores, _ in rows:
        print(page.ljust(width) + "".join(str(scores[c]).rjust(16) for c in CATEGORIES))
    for page, scores, report in rows:
        for category in CATEGORIES:
            if scores[category] == 100:
                continue
            refs = report["categories"][category]["auditRefs"]
            failing = [
                report["audits"][ref["id"]]
                for ref in refs
                if ref.get("weight") and (report["audits"][ref["id"]]["score"] or 0) < 0.9
                and report["audits"][ref["id"]]["scoreDisplayMode"] not in {"notApplicable", "manual", "informative"}
            ]
            if failing:
                print(f"\n{page} {category}: " + "; ".join(
                    f"{a['title']} ({a.get('displayValue') or a['score']})" for a in failing))
    print(f"\nFull reports: {REPORTS.relative_to(ROOT)}/*.report.html")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
