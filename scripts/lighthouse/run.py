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

import functools
import gzip
import http.server
import io
import json
import os
import re
import subprocess
import sys
import threading
from pathlib import Path
from urllib.parse import unquote, urlsplit

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
LIGHTHOUSE = HERE / "node_modules" / ".bin" / "lighthouse"
REPORTS = ROOT / ".cache" / "lighthouse"
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
PAGES = ["", "relu/"]
COMPRESSIBLE = ("text/", "application/javascript", "application/json", "image/svg+xml", "application/xml")
CHROME_FLAGS = (
    "--headless=new --no-sandbox --disable-gpu --disable-quic --no-first-run "
    "--disable-background-networking --disable-component-update --disable-sync --disable-dev-shm-usage"
)


def site_prefix() -> str:
    text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    match = re.search(r"^site_url:\s*['\"]?([^'\"\s#]+)", text, re.M)
    path = urlsplit(match.group(1)).path.strip("/") if match else ""
    return f"/{path}/" if path else "/"


class Handler(http.server.SimpleHTTPRequestHandler):
    prefix = "/"

    def translate_path(self, path):
        path = unquote(urlsplit(path).path)
        if not path.startswith(self.prefix):
            return str(Path(self.directory) / "__outside_the_site__")
        return super().translate_path("/" + path[len(self.prefix) :])

    def send_head(self):
        target = Path(self.translate_path(self.path))
        if target.is_dir():
            if not urlsplit(self.path).path.endswith("/"):
                return super().send_head()  # redirect to the slash URL
            target = target / "index.html"
        status = 200
        if not target.is_file():
            target, status = Path(self.directory) / "404.html", 404
        body = target.read_bytes()
        kind = self.guess_type(str(target))
        # GitHub Pages compresses text; so does this server, or Lighthouse
        # would measure transfers the hosted site never makes.
        gzipped = kind.startswith(COMPRESSIBLE) and "gzip" in self.headers.get("Accept-Encoding", "")
        if gzipped:
            body = gzip.compress(body, mtime=0)
        self.send_response(status)
        self.send_header("Content-Type", kind + ("; charset=utf-8" if kind.startswith("text/") else ""))
        if gzipped:
            self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "max-age=600")  # GitHub Pages' caching
        self.end_headers()
        return io.BytesIO(body)

    def log_message(self, format, *args):
        pass


def serve(site: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    prefix = site_prefix()
    handler = type("SiteHandler", (Handler,), {"prefix": prefix})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}{prefix}"


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
