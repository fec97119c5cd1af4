"""The home page's concept map: an inline SVG drawn from the wiki's link graph.

Pages sit in columns, one per navigation section, in navigation order; a line
joins two pages when either links to the other. Every node is a link to its
page. The SVG takes its colours from Material's CSS variables (light and dark
schemes alike), needs no JavaScript and requests nothing. Pointing at a page
(or focusing it with the keyboard) brings out its lines and its neighbours,
with CSS ``:has`` alone; where ``:has`` is missing, the map simply stays still.
A ``<details>`` list after it says the same in text, for screen readers and keyboards.

The output depends only on its arguments (no randomness, sorted edges), so two
builds of the same pages give the same bytes.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

CONCEPT_MAP_MARKER = "<!-- concept-map -->"

COLUMN_WIDTH = 150
COLUMN_GAP = 44
NODE_HEIGHT = 36
NODE_GAP = 14
MARGIN = 12
LABEL_SIZE = 15  # px, as in STYLE
HEADER = 34

STYLE = """
.cm-svg{max-width:100%;height:auto;display:block;margin:0 auto;font-family:var(--md-text-font-family,inherit)}
.cm-head{fill:var(--md-default-fg-color--light);font-size:14px;font-weight:700}
.cm-edge{fill:none;stroke:var(--md-default-fg-color--lighter);stroke-width:1.4}
.cm-node rect{fill:var(--md-default-bg-color);stroke:var(--md-typeset-a-color);stroke-width:1.5}
.cm-node text{fill:var(--md-default-fg-color);font-size:15px}
.cm-node:hover rect,.cm-node:focus rect{fill:var(--md-accent-fg-color--transparent)}
.cm-node:focus{outline:none}
.cm-node:focus-visible rect{stroke:var(--md-accent-fg-color);stroke-width:3}
""".strip()


@dataclass(frozen=True)
class Node:
    key: str  # page src_uri
    label: str  # short label drawn in the box
    title: str  # full page title (tooltip, accessible name)
    url: str  # link from the page that shows the map


def _esc(text: str) -> str:
    return html.escape(text, quote=True)


def _fit(label: str) -> str:
    """A ``textLength`` attribute squeezing a label that would overflow its box (rough estimate:
    a Hangul syllable is 1 em wide, other characters 0.6 em)."""
    em = sum(1.0 if "\uac00" <= ch <= "\ud7a3" else 0.6 for ch in label)
    room = COLUMN_WIDTH - 14
    return f' textLength="{room}" lengthAdjust="spacingAndGlyphs"' if em * LABEL_SIZE > room else ""


def _highlight_rules(count: int) -> str:
    """CSS only (``:has``): pointing at or focusing node *i* brings out its lines and neighbours."""
    rules = [".cm-svg:has(.cm-node:hover,.cm-node:focus-visible) .cm-edge{stroke-opacity:.35}"]
    for i in range(count):
        on = f".cm-svg:has(.cm-n{i}:hover,.cm-n{i}:focus-visible)"
        rules.append(f"{on} .cm-e{i}{{stroke:var(--md-accent-fg-color);stroke-opacity:1;stroke-width:2.4}}")
        rules.append(f"{on} .cm-m{i} rect{{stroke-width:3}}")
    return "\n" + "\n".join(rules)


def render_concept_map(
    columns: list[tuple[str, list[Node]]], edges: set[tuple[str, str]] | set[frozenset[str]]
) -> str:
    """HTML (a ``<figure>`` with the SVG, then the text list) for ``columns`` of nodes and ``edges``.

    ``edges`` holds pairs of node keys; direction and pairs with unknown keys are ignored.
    """
    columns = [(name, nodes) for name, nodes in columns if nodes]
    position: dict[str, tuple[int, int]] = {}
    for c, (_, nodes) in enumerate(columns):
        for r, node in enumerate(nodes):
            position[node.key] = (c, r)
    pairs = sorted(
        {tuple(sorted(edge, key=lambda k: position[k])) for edge in map(frozenset, edges)
         if len(edge) == 2 and all(k in position for k in edge)}
    )
    rows = max((len(nodes) for _, nodes in columns), default=0)
    width = 2 * MARGIN + len(columns) * COLUMN_WIDTH + max(len(columns) - 1, 0) * COLUMN_GAP + COLUMN_GAP // 2
    height = 2 * MARGIN + HEADER + rows * (NODE_HEIGHT + NODE_GAP) - NODE_GAP

    def box(key: str) -> tuple[float, float]:
        c, r = position[key]
        return MARGIN + c * (COLUMN_WIDTH + COLUMN_GAP), MARGIN + HEADER + r * (NODE_HEIGHT + NODE_GAP)

    number = {key: i for i, key in enumerate(position)}
    neighbours: dict[str, list[str]] = {key: [] for key in position}
    for a, b in pairs:
        neighbours[a].append(b)
        neighbours[b].append(a)

    paths = []
    for a, b in pairs:
        (xa, ya), (xb, yb) = box(a), box(b)
        ya, yb = ya + NODE_HEIGHT / 2, yb + NODE_HEIGHT / 2
        if position[a][0] == position[b][0]:  # same column: an arc in the gap to the right
            x = xa + COLUMN_WIDTH
            bulge = min(14 + 7 * abs(position[a][1] - position[b][1]), COLUMN_GAP // 2 + 8)
            d = f"M{x:g} {ya:g}C{x + bulge:g} {ya:g} {x + bulge:g} {yb:g} {x:g} {yb:g}"
        else:
            x1, x2 = xa + COLUMN_WIDTH, xb
            mid = (x1 + x2) / 2
            d = f"M{x1:g} {ya:g}C{mid:g} {ya:g} {mid:g} {yb:g} {x2:g} {yb:g}"
        paths.append(f'<path class="cm-edge cm-e{number[a]} cm-e{number[b]}" d="{d}"/>')

    parts = []
    for c, (name, nodes) in enumerate(columns):
        x = MARGIN + c * (COLUMN_WIDTH + COLUMN_GAP)
        parts.append(f'<text class="cm-head" x="{x + COLUMN_WIDTH / 2:g}" y="{MARGIN + 16}" '
                     f'text-anchor="middle">{_esc(name)}</text>')
        for node in nodes:
            bx, by = box(node.key)
            marks = "".join(f" cm-m{number[k]}" for k in sorted(neighbours[node.key], key=number.__getitem__))
            parts.append(
                f'<a class="cm-node cm-n{number[node.key]}{marks}" href="{_esc(node.url)}" aria-label="{_esc(node.title)}">'
                f"<title>{_esc(node.title)}</title>"
                f'<rect x="{bx:g}" y="{by:g}" width="{COLUMN_WIDTH}" height="{NODE_HEIGHT}" rx="6"/>'
                f'<text x="{bx + COLUMN_WIDTH / 2:g}" y="{by + NODE_HEIGHT / 2:g}" text-anchor="middle" '
                f'dominant-baseline="central"{_fit(node.label)}>{_esc(node.label)}</text></a>'
            )

    n_pages = len(position)
    section_names = ", ".join(name for name, _ in columns)
    description = (f"문서 {n_pages}개를 학습 순서에 따라 {len(columns)}개 묶음({section_names})으로 "
                   f"나누어 놓고, 서로 링크하는 두 문서를 선 {len(pairs)}개로 이었습니다. "
                   "상자를 누르면 그 문서로 갑니다.")
    svg = (
        f'<svg class="cm-svg" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" aria-labelledby="concept-map-title concept-map-desc">'
        f'<title id="concept-map-title">개념 지도: 문서 사이의 링크</title>'
        f'<desc id="concept-map-desc">{_esc(description)}</desc>'
        f"<style>{STYLE}{_highlight_rules(len(position))}</style>"
        f'<g aria-hidden="true">{"".join(paths)}</g>'
        f'{"".join(parts)}</svg>'
    )

    by_key = {node.key: node for _, nodes in columns for node in nodes}
    order = {key: position[key] for key in position}
    items = []
    for name, nodes in columns:
        entries = []
        for node in nodes:
            linked = sorted(neighbours[node.key], key=order.__getitem__)
            tail = f" — 연결: {', '.join(_esc(by_key[k].label) for k in linked)}" if linked else ""
            entries.append(f'<li><a href="{_esc(node.url)}">{_esc(node.title)}</a>{tail}</li>')
        items.append(f"<li>{_esc(name)}<ul>{''.join(entries)}</ul></li>")
    text_list = (
        '<details class="concept-map-list"><summary>개념 지도를 목록으로 보기</summary>'
        f'<ul>{"".join(items)}</ul></details>'
    )
    return f'<figure class="concept-map">{svg}</figure>\n{text_list}'
