"""No broken internal link or #anchor anywhere in the built site.

Every ``href``/``src``/``srcset`` of every HTML file that points inside the
site (relative, root-relative, or absolute under ``site_url``) must name a
file that exists, and a ``#fragment`` must be an ``id`` (or ``name``) in the
target page. No browser needed.
"""

from __future__ import annotations

import os
import re
from functools import lru_cache
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

from site_pages import ROOT, site_prefix

LINK_ATTRS = {"href", "src", "srcset", "poster", "data"}
SITE_URL = re.search(r"^site_url:\s*['\"]?([^'\"\s#]+)", (ROOT / "mkdocs.yml").read_text(encoding="utf-8"), re.M)


class _Page(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links: list[tuple[str, str]] = []  # (tag, url)
        self.anchors: set[str] = set()

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if value is None:
                continue
            if name in {"id", "name"} and (name == "id" or tag == "a"):
                self.anchors.add(value)
            if name in LINK_ATTRS:
                urls = [part.strip().split()[0] for part in value.split(",") if part.strip()] if name == "srcset" else [value]
                self.links.extend((tag, url) for url in urls)


@lru_cache(maxsize=None)
def _parse(path: Path) -> _Page:
    parser = _Page()
    parser.feed(path.read_text(encoding="utf-8", errors="replace"))
    parser.close()
    return parser


def _local_path(site: Path, page: Path, url: str) -> tuple[Path | None, str] | None:
    """The file a link points to, and its fragment; None for a link off the site."""
    parts = urlsplit(url)
    if parts.scheme in {"mailto", "tel", "javascript", "data", "blob"}:
        return None
    prefix = site_prefix()
    if parts.scheme or parts.netloc:
        base = SITE_URL.group(1) if SITE_URL else None
        if not base or not url.startswith(base.rstrip("/")):
            return None  # an external link
        path = urlsplit(base).path.rstrip("/") + "/" + url[len(base.rstrip("/")) :].lstrip("/")
        parts = urlsplit(path + (f"#{parts.fragment}" if parts.fragment else ""))
    path = unquote(parts.path)
    if not path:
        target = page
    elif path.startswith("/"):
        if not path.startswith(prefix):
            return (site / "__outside_site_url_path__" / path.lstrip("/"), parts.fragment)
        target = site / path[len(prefix) :]
    else:
        target = page.parent / path
    target = Path(os.path.normpath(target))
    if path.endswith("/") or target.is_dir():
        target = target / "index.html"
    return target, unquote(parts.fragment)


def test_no_broken_internal_links(site_dir):
    site = Path(site_dir).resolve()
    broken: list[str] = []
    checked = 0
    for page in sorted(site.rglob("*.html")):
        for tag, url in _parse(page).links:
            resolved = _local_path(site, page, url)
            if resolved is None:
                continue
            target, fragment = resolved
            checked += 1
            try:
                target = target.resolve()
                target.relative_to(site)
            except ValueError:
                broken.append(f"{page.relative_to(site)}: {url} leaves the site")
                continue
            if not target.is_file():
                broken.append(f"{page.relative_to(site)}: {url} -> missing {target.relative_to(site)}")
            elif fragment and target.suffix == ".html" and fragment not in _parse(target).anchors:
                broken.append(f"{page.relative_to(site)}: {url} -> no id {fragment!r} in {target.relative_to(site)}")
    assert checked > 0, "no internal link found: is the site built?"
    assert not broken, f"{len(broken)} broken internal links:\n" + "\n".join(broken)
