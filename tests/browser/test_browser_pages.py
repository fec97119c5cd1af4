"""Every page of the built site, in a real browser (Debian's chromium).

On each page: formulas typeset, images loaded with alt text, no console
error, no request leaving 127.0.0.1, ``lang="ko"``, the light/dark toggle
working, no horizontal overflow on a phone, copy buttons copying exactly the
block's code (and copied Python running in a fresh interpreter), and no
axe-core violation in either colour scheme.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from site_pages import ROOT, built_pages, page_ids

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 740}
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
# The rules whose outcome depends on the colour scheme (run again in dark).
COLOUR_RULES = ["color-contrast", "link-in-text-block"]
# The rules whose outcome depends on the width (run again on the phone).
PHONE_RULES = ["scrollable-region-focusable", "target-size"]
# Python blocks run per page; RELU_RUN_ALL_BLOCKS=1 runs every one.
BLOCKS_PER_PAGE = 3

MATH_PROBLEMS = r"""() => {
  const problems = [];
  for (const el of document.querySelectorAll('.arithmatex'))
    if (!el.querySelector('math'))
      problems.push('formula not typeset: ' + el.textContent.trim().slice(0, 80));
  for (const el of document.querySelectorAll('.math-error'))
    problems.push('math error: ' + (el.getAttribute('title') || el.textContent).slice(0, 120));
  // MathML is laid out as math (MathML Core), not as unknown inline elements.
  for (const el of document.querySelectorAll('math'))
    if (!getComputedStyle(el).display.includes('math'))
      problems.push('formula not laid out as MathML: ' + el.textContent.trim().slice(0, 80));
  if (document.querySelector('math') && !document.fonts.check('16px "ReLU Math"', 'x'))
    problems.push('the math font did not load');
  const skip = 'code, pre, kbd, samp, script, style, textarea, math';
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT, {
    acceptNode: n => n.parentElement && n.parentElement.closest(skip)
      ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT
  });
  const tex = /\$\$|\$[^$\n]+\$|\\[()\[\]]|\\(?:frac|begin|end|math[a-z]*|text|left|right|sum|prod|max|min|cdot|partial|sigma|alpha|beta|lambda|mu|sqrt|exp|log|tanh|leq?|geq?|infty|quad)\b/;
  for (let n; (n = walker.nextNode());) {
    const m = n.data.match(tex);
    const where = n.parentElement.closest('nav.md-nav--secondary, nav, header, footer, article');
    const place = where ? `<${where.tagName.toLowerCase()} class="${where.className}">` : 'the page';
    if (m) problems.push(`raw TeX ${JSON.stringify(m[0])} in ${place}: ${n.data.trim().slice(0, 100)}`);
  }
  return problems;
}"""

IMAGES = r"""async () => {
  const images = [...document.images];
  for (const img of images) img.loading = 'eager';
  await Promise.all(images.map(img => img.complete ? null : new Promise(done => {
    img.addEventListener('load', done); img.addEventListener('error', done);
  })));
  return images.map(img => ({
    src: img.getAttribute('src'),
    loaded: img.complete && img.naturalWidth > 0,
    alt: (img.getAttribute('alt') || '').trim(),
  }));
}"""

# Figures drawn inline as <svg> need an accessible name as <img> needs alt.
UNNAMED_SVG_FIGURES = r"""() => [...document.querySelectorAll('figure svg, svg[role="img"]')]
  .filter(svg => !svg.closest('math') && !svg.parentElement.closest('svg'))
  .filter(svg => !(svg.getAttribute('aria-label') || '').trim() && !svg.getAttribute('aria-labelledby')
                 && !(svg.querySelector(':scope > title')?.textContent || '').trim())
  .map(svg => svg.outerHTML.slice(0, 120))"""

# Each figure is a light/dark pair of images (docsite/relu_docsite/figures.py): in either
# scheme exactly one of the pair is shown, the variant drawn for that scheme, and it has loaded.
FIGURE_VARIANTS = r"""() => {
  const scheme = document.body.getAttribute('data-md-color-scheme') === 'slate' ? 'dark' : 'light';
  const problems = [];
  for (const figure of document.querySelectorAll('figure:has(img.relu-figure)')) {
    const shown = [...figure.querySelectorAll('img.relu-figure')].filter(img => img.getClientRects().length);
    const srcs = shown.map(img => img.getAttribute('src'));
    if (shown.length !== 1 || !srcs[0].includes(`/${scheme}/`))
      problems.push(`${scheme} scheme shows ${JSON.stringify(srcs)}`);
    else if (!(shown[0].complete && shown[0].naturalWidth > 0))
      problems.push(`${scheme} scheme: ${srcs[0]} did not load`);
  }
  return problems;
}"""

OVERFLOW = r"""() => {
  const width = window.innerWidth, scroll = document.scrollingElement.scrollWidth;
  if (scroll <= width) return null;
  const name = e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') +
    (typeof e.className === 'string' && e.className.trim() ? '.' + e.className.trim().split(/\s+/).join('.') : '');
  const wide = [...document.body.querySelectorAll('*')]
    .filter(e => e.getBoundingClientRect().right > width + 0.5)
    .slice(0, 10).map(name);
  return {scrollWidth: scroll, innerWidth: width, widest: wide};
}"""

# pymdownx.highlight: <div class="language-python highlight"><pre><code>
LANGUAGE = r"""e => (e.closest('.highlight')?.className.match(/language-(\w+)/) || [])[1] || ''"""
# The palette's colour transitions would let axe read colours half-way.
NO_TRANSITIONS = "*, *::before, *::after { transition: none !important; animation: none !important; }"

SCHEME = "() => document.body.getAttribute('data-md-color-scheme')"


def _toggle_scheme(page) -> str:
    """Click the visible light/dark toggle; return the scheme it switched to."""
    before = page.evaluate(SCHEME)
    page.locator("form[data-relu-palette] label:visible").first.click()
    page.wait_for_function(f"s => ({SCHEME})() !== s", arg=before)
    return page.evaluate(SCHEME)


def test_every_built_page_is_tested(site_dir):
    """The parametrized page list (from the sources) is exactly the built site's pages."""
    built, tested = set(built_pages(site_dir)), set(page_ids())
    assert not built - tested, f"built pages the browser tests miss (see site_pages.page_ids): {sorted(built - tested)}"
    assert not tested - built, f"pages expected from docs/ but not built: {sorted(tested - built)}"


def test_page_renders(open_page, site_page):
    """Formulas, images, alt text, lang, console, network and the colour toggle."""
    page, watch = open_page(site_page, wait_until="networkidle", viewport=DESKTOP)
    problems = []
    lang = page.evaluate("document.documentElement.lang")
    if lang != "ko":
        problems.append(f'<html lang="{lang}">, expected "ko"')
    problems += page.evaluate(MATH_PROBLEMS)
    for img in page.evaluate(IMAGES):
        if not img["loaded"]:
            problems.append(f"image did not load: {img['src']}")
        if not img["alt"]:
            problems.append(f"image without alt text: {img['src']}")
    for svg in page.evaluate(UNNAMED_SVG_FIGURES):
        problems.append(f"figure <svg> without aria-label or <title>: {svg}")
    first = page.evaluate(SCHEME)
    problems += page.evaluate(FIGURE_VARIANTS)
    second = _toggle_scheme(page)
    problems += page.evaluate(FIGURE_VARIANTS)
    third = _toggle_scheme(page)
    if not (first != second and third == first):
        problems.append(f"colour toggle: {first} -> {second} -> {third}")
    assert not problems, "\n".join(problems)
    watch.check()


def test_phone_width_has_no_horizontal_overflow(open_page, site_page):
    page, watch = open_page(site_page, viewport=PHONE, is_mobile=True, has_touch=True)
    page.wait_for_load_state("networkidle")
    overflow = page.evaluate(OVERFLOW)
    assert overflow is None, f"at {PHONE['width']} px the page scrolls sideways: {overflow}"
    # What only a narrow screen shows: boxes that scroll sideways, small targets.
    violations = _axe(page, PHONE_RULES)
    assert not violations, f"axe-core at {PHONE['width']} px:\n" + "\n".join(violations)
    watch.check()


def _axe(page, rules: list[str] | None = None) -> list[str]:
    if not page.evaluate("typeof axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    options = {"runOnly": {"type": "rule", "values": rules}} if rules else {}
    violations = page.evaluate("async options => (await axe.run(document, options)).violations", options)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} -> "
        + "; ".join(" ".join(node["target"]) for node in v["nodes"][:5])
        for v in violations
    ]


def test_accessibility(open_page, site_page):
    """axe-core (pinned in package.json) finds no violation; colours checked light and dark."""
    assert AXE.is_file(), f"{AXE} missing: run `npm ci` (make test does)"
    page, watch = open_page(site_page, wait_until="networkidle", viewport=DESKTOP)
    page.add_style_tag(content=NO_TRANSITIONS)
    light = _axe(page)
    scheme = _toggle_scheme(page)
    dark = _axe(page, COLOUR_RULES)
    report = [f"[default] {v}" for v in light] + [f"[{scheme}] {v}" for v in dark]
    assert not report, "axe-core violations:\n" + "\n".join(report)
    watch.check()


def _python() -> str:
    venv = ROOT / ".venv" / "bin" / "python"
    return str(venv) if venv.is_file() else sys.executable


def _pick(blocks: list, n: int) -> list:
    """``n`` blocks spread over the page (first and last included), or all."""
    if os.environ.get("RELU_RUN_ALL_BLOCKS") == "1" or len(blocks) <= n:
        return blocks
    step = (len(blocks) - 1) / (n - 1)
    return [blocks[round(i * step)] for i in range(n)]


def test_copy_buttons(open_page, site_page, tmp_path):
    """Each copy button copies exactly its block's code; copied Python runs."""
    page, watch = open_page(site_page, viewport=DESKTOP, permissions=["clipboard-read", "clipboard-write"])
    page.wait_for_load_state("networkidle")
    # Code inside a collapsed block (an exercise's 풀이) is copied after the reader opens it: open each.
    while page.locator("details:not([open]) > summary").count():
        summary = page.locator("details:not([open]) > summary").first
        summary.scroll_into_view_if_needed()
        summary.click()
    blocks = page.locator("pre > code")
    buttons = page.locator("button.md-code__button[data-md-type='copy'], button.md-clipboard")
    if blocks.count() == 0:
        pytest.skip("no code block on this page")
    assert buttons.count() == blocks.count(), "every code block has a copy button"
    problems, python_blocks = [], []
    for i in range(buttons.count()):
        button = buttons.nth(i)
        target = button.get_attribute("data-clipboard-target")
        code = page.locator(target)
        expected = code.evaluate("e => e.textContent").rstrip()
        language = code.evaluate(LANGUAGE)
        page.evaluate("navigator.clipboard.writeText('')")
        button.scroll_into_view_if_needed()
        button.click()
        page.wait_for_function("async () => (await navigator.clipboard.readText()) !== ''")
        copied = page.evaluate("navigator.clipboard.readText()")
        if copied != expected:
            problems.append(f"block {i} ({target}): copied text differs from the code\n"
                            f"  copied:   {copied[:120]!r}\n  expected: {expected[:120]!r}")
        elif language in {"python", "py"}:
            python_blocks.append((i, copied))
    for i, source in _pick(python_blocks, BLOCKS_PER_PAGE):
        script = tmp_path / f"block_{i}.py"
        script.write_text(source + "\n", encoding="utf-8")
        run = subprocess.run(
            [_python(), script.name],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            env={**os.environ, "MPLBACKEND": "Agg"},
            timeout=900,  # a hang guard, not a timing check
        )
        if run.returncode != 0:
            problems.append(f"python block {i} copied from {site_page} fails in a fresh python:\n"
                            f"{source[:300]}\n--- stderr ---\n{run.stderr[-1500:]}")
    assert not problems, "\n".join(problems)
    watch.check()


def test_colour_scheme_follows_the_system_until_chosen_and_the_choice_persists(open_page):
    """The site's toggle (docsite/overrides/partials/javascripts/palette.html, in place of Material's
    palette component): the system's scheme while nothing is saved, followed live; a click saves
    the choice under Material's key, and the next page opens in it, before its content is drawn."""
    page, watch = open_page("relu/", viewport=DESKTOP, color_scheme="dark")
    assert page.evaluate(SCHEME) == "slate"
    assert page.evaluate("document.querySelector('meta[name=color-scheme]').content") == "dark"
    page.emulate_media(color_scheme="light")
    page.wait_for_function(f"() => ({SCHEME})() === 'default'")
    assert page.evaluate("localStorage.length") == 0, "following the system saves nothing"
    assert _toggle_scheme(page) == "slate"
    saved = page.evaluate("Object.entries(localStorage).find(([k]) => k.endsWith('.__palette'))")
    assert saved and '"scheme":"slate"' in saved[1] and '"index":1' in saved[1], saved
    page.goto(page.url.replace("relu/", "softmax/"))  # the system is light: the saved choice wins
    first_paint = page.evaluate("document.body.getAttribute('data-md-color-scheme')")
    assert first_paint == "slate" and page.locator("form[data-relu-palette] label:visible").count() == 1
    assert not page.locator("[data-md-component=palette]").count(), "Material's palette component stays unmounted"
    watch.check()


def test_missing_page_gets_the_styled_404(open_page):
    """A missing URL, nested deep, answers 404 with the theme's styled page."""
    page, watch = open_page("no/such/page/", viewport=DESKTOP)
    assert page.locator("h1").first.inner_text().strip() == "404 - Not found"
    # Root-relative links resolve from any depth: the stylesheet applied.
    assert page.evaluate("getComputedStyle(document.querySelector('.md-header')).position") in {"sticky", "fixed"}
    assert not watch.foreign
    # The only error the console may show is the 404 of the document itself.
    assert all("404" in error for error in watch.errors), watch.errors
