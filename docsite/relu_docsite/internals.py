"""The private parts of pinned libraries that the site relies on: all of them, here only.

Everything else the plugin does goes through public extension points (plugin events and their
priorities, ``File``/``Files``/``Page`` attributes, Markdown extensions and tree processors,
Material's search settings and front-matter switches, template blocks, the files the build
writes). These could not; tests/test_internals.py checks each against the installed version
and fails, naming the library and what changed, when an upgrade breaks one.

* **MkDocs' link resolution for a page that did not come from Markdown.** A notebook page's
  HTML is made by mkdocs-jupyter (nbconvert), so MkDocs never resolves its links
  (``../relu.md#정의``) or records its anchors. :func:`resolve_links` runs MkDocs' own
  ``_RelativePathTreeprocessor`` over the notebook's links, so they are rewritten, reported
  and anchor-checked exactly as on a Markdown page, and sets the two ``Page`` attributes that
  MkDocs' anchor validation reads (``links_to_anchors``: the links this page makes;
  ``present_anchor_ids``: the ids other pages may link to), which MkDocs otherwise sets only
  while rendering Markdown. MkDocs has no public API for either.

* **What ``Page.render`` sets.** ``mkdocs serve`` rebuilds every page after each change; the
  render cache (relu_docsite/render_cache.py) gives an unchanged page its previous rendering
  instead, by setting what ``Page.render`` sets: ``content``, ``toc``, ``present_anchor_ids``,
  ``links_to_anchors`` and the private ``_title_from_render`` (the title taken from the first
  heading, which ``Page.title`` reads). It is installed per page as an instance-level
  ``render``, the way mkdocs-jupyter installs its notebook renderer. What rendering registers
  outside the page is replayed through mkdocs-autorefs' public ``register_anchor`` and
  mkdocstrings' ``handlers.inventory.register``, the two calls their Markdown extensions make
  (tests/test_serve_rebuild.py: the rebuilt site is byte for byte a clean build's).

* **Material for MkDocs' search in the browser (mkdocs-material 9.8.2, its bundled lunr 2.3.9).**
  Korean search (``relu_docsite/search.py``) keeps Material's search and adds a search worker
  of ours, ``docsite/overrides/assets/javascripts/workers/relu-search.js``, plugged in where
  Material says a custom search goes: the worker URL of its application config, changed in
  the documented ``config`` template block (``docsite/overrides/main.html``). What that relies on:

  1. ``base.html``'s ``config`` block writes ``<script id="__config">`` (JSON, the worker URL
     under ``"search"``) before the ``scripts`` block loads the bundle, which reads it then;
  2. the bundle fetches ``search/search_index.json`` at every page load, posts it to the
     worker as SETUP ``{config, docs, options}``, and highlights a page's ``?h=`` words with
     that file's ``config.separator`` only (so the file can hold the configuration alone, and
     the worker fetches the index itself: ``search.MATERIAL_INDEX``, ``search.FULL_INDEX``);
  3. the worker protocol: message types SETUP 0, READY 1, QUERY 2, RESULT 3; the bundle sends
     a query only after READY (the last one typed while the index loads); a RESULT is
     ``{items: [[item, ...], ...]}``, one group per page, each item a copy of its index entry
     (our extra fields included) with ``score`` and ``terms`` (query word -> found);
  4. rendering: a group's page entry is the one without ``#``; a result link's ``?h=`` is the
     words of ``terms`` found, the words not found are listed as missing; on the page,
     ``search.highlight`` marks each ``?h=`` word wherever it occurs, inside a word too;
  5. Material's worker script registers one ``message`` listener on ``self``, answers with the
     global ``postMessage``, and exposes ``self.lunr``: ours loads it with ``importScripts``,
     keeps that listener and wraps ``postMessage``;
  6. lunr 2.3.9: ``lunr.Builder.prototype.build`` (wrapped to keep the index's inverted index,
     the words a glued query is split against) and ``lunr.TokenSet.prototype.toString``
     (replaced: its key runs labels and node ids together, so digit labels make two nodes
     look equal and the merged token set holds words no page has; a query reaching one fails).

  tests/test_internals.py reads each of these in the installed Material's template and the
  sources its bundle and worker ship (their source maps), and fails naming what changed.

Material for MkDocs (templates and assets; no Python): what the site's page weight relies on.

* **The light/dark toggle without Material's palette component.** Material's bundle mounts
  its palette component on ``[data-md-component=palette]`` after the whole page is parsed; it
  then sets the scheme on ``<body>`` with colour transitions switched off and on again
  (``data-md-color-switching``), which restyles every element of a long page twice. The
  site's copy of ``partials/palette.html`` (docsite/overrides/) drops that attribute, so the
  component is never mounted, and ``partials/javascripts/palette.html`` (which Material's
  header includes right after the form) sets the scheme while the header is parsed, with
  Material's own storage: ``__md_get``/``__md_set`` and the ``__palette`` key holding
  ``{index, color: {media, scheme, primary, accent}}``, so a choice saved by either survives.
* **Code spans that Material draws as plain text** (relu_docsite/lean_code.py): Material
  colours Pygments' ``.n`` (names) with ``--md-code-hl-name-color``, which is the plain code
  colour ``--md-code-fg-color``, and gives ``.w`` (whitespace) no rule; unwrapping them leaves
  the look unchanged.

tests/test_internals.py reads the installed Material's files and fails, naming the part, if
an upgrade changes one of these.
"""

from __future__ import annotations

import html
import re
from urllib.parse import unquote

from mkdocs.structure.pages import _RelativePathTreeprocessor

_LINK = re.compile(r'(<a\b[^>]*?\bhref=")([^"]*)(")')


def resolve_links(content: str, page, config, files, anchor_ids: set[str]) -> str:
    """``content`` (a page's HTML) with ``../relu.md#anchor`` links resolved as MkDocs does for Markdown.

    A missing target is a warning (``--strict`` fails on it); links to anchors are checked
    by MkDocs after the build, against each target page's ids. ``anchor_ids`` are this page's.
    """
    processor = _RelativePathTreeprocessor(page.file, files, config)

    def replace(m: re.Match) -> str:
        # nbconvert percent-encodes the href; MkDocs compares anchors as written
        url = processor.path_to_url(unquote(html.unescape(m.group(2))))
        return m.group(1) + html.escape(url) + m.group(3)

    content = _LINK.sub(replace, content)
    page.links_to_anchors = processor.links_to_anchors
    page.present_anchor_ids = anchor_ids
    return content
