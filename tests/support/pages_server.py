"""Serve a built site on 127.0.0.1 the way GitHub Pages serves it.

Used by the browser tests and by ``make lighthouse``: the site lives under
``site_url``'s path (``/relu-wiki/``), a directory URL without its slash is
redirected, a missing file gets ``404.html`` with status 404, and text is
gzip-compressed when the client accepts it (Lighthouse would otherwise
measure transfers the hosted site never makes).
"""

from __future__ import annotations

import functools
import gzip
import http.server
import io
import re
import threading
from pathlib import Path
from urllib.parse import unquote, urlsplit

COMPRESSIBLE = ("text/", "application/javascript", "application/json", "image/svg+xml", "application/xml")


def site_prefix(mkdocs_yml: Path) -> str:
    """The URL path the site is published under (site_url's path), e.g. ``/relu-wiki/``.

    >>> import tempfile, pathlib
    >>> config = pathlib.Path(tempfile.mkdtemp()) / "mkdocs.yml"
    >>> _ = config.write_text("site_url: https://example.org/wiki/\\n")
    >>> site_prefix(config)
    '/wiki/'
    """
    match = re.search(r"^site_url:\s*['\"]?([^'\"\s#]+)", Path(mkdocs_yml).read_text(encoding="utf-8"), re.M)
    path = urlsplit(match.group(1)).path.strip("/") if match else ""
    return f"/{path}/" if path else "/"


class PagesHandler(http.server.SimpleHTTPRequestHandler):
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

    def log_message(self, format, *args):  # keep test and report output readable
        pass


def serve(site_dir: Path, prefix: str) -> tuple[http.server.ThreadingHTTPServer, str]:
    """Start a server in a daemon thread on a free port; return it and the site's base URL."""
    handler = type("SiteHandler", (PagesHandler,), {"prefix": prefix})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(site_dir)))
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    host, port = server.server_address[:2]
    return server, f"http://{host}:{port}{prefix}"
