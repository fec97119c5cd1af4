"""Figures: drawn from scripts/figures.py, byte-identical on rerun, legible in both colour
schemes, redrawn only when their code changes, and each one used by a page with Korean alt
text and a caption (no orphans either way).

The pages are read at test time, so a page that adds or drops a figure is
checked as it is now. Figures are drawn into a temporary directory; the
repository's docs/figures/ and .cache/ are not touched.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from support import ROOT
from support.sitebuild import plugin_options

from relu_docsite import figure_build as fb
from relu_docsite.figures import show_figures

REGISTRY = Path(plugin_options().figures)
CLI = ROOT / "scripts" / "build_figures.py"
DOCS = ROOT / "docs"
FIGURES = fb.load_registry(REGISTRY)
NAMES = sorted(FIGURES)
HANGUL = re.compile(r"[\uac00-\ud7a3]")


def figures_in(out: Path, cache: Path | None = None) -> fb.FigureBuild:
    """The site's figures, drawn into ``out`` (with ``cache``, or none)."""
    return fb.FigureBuild(REGISTRY, out_dir=out, cache=cache)


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """Every figure, drawn once through the function API."""
    out = tmp_path_factory.mktemp("figures")
    done = figures_in(out).build()
    assert sorted(done) == NAMES
    return out


def _svg(built: Path, name: str) -> str:
    return (built / name).read_text("utf-8")


def _without_style(svg: str) -> str:
    return re.sub(r"<style>.*?</style>", "", svg, flags=re.S)


# ------------------------------------------------------------------ determinism
def test_every_registered_figure_is_drawn_with_its_two_variants(built):
    assert NAMES, "scripts/figures.py registers no figure"
    assert NAMES == sorted(fb.FigureBuild(REGISTRY).names()), "the registry read and imported agree"
    for folder in (built, built / "light", built / "dark"):
        assert sorted(p.name for p in folder.glob("*.svg")) == NAMES, folder


def test_rerun_in_a_fresh_interpreter_is_byte_identical(built, tmp_path):
    """The command line, in a new process, writes exactly the same bytes."""
    result = subprocess.run(
        [sys.executable, str(CLI), "--out", str(tmp_path), "--force", "--quiet"],
        cwd=tmp_path, capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stderr
    for name in NAMES:
        for path in fb.outputs(name):
            assert (tmp_path / path).read_bytes() == (built / path).read_bytes(), f"{path} differs between runs"


def test_rerun_in_the_same_process_is_byte_identical(built, tmp_path):
    """No state left over from a first drawing (matplotlib, torch threads, RNGs) changes a second."""
    some = ["relu.svg", "gradient-depth.svg", "relu-sparsity.svg"]
    figures_in(tmp_path).build(some)
    for name in some:
        assert (tmp_path / name).read_bytes() == (built / name).read_bytes(), name


def test_no_date_or_creator_metadata(built):
    for name in NAMES:
        svg = _svg(built, name)
        assert "<metadata" not in svg and "dc:date" not in svg and "Matplotlib v" not in svg, name


# ------------------------------------------------------------------ legible in light and dark
def _luminance(hex_color: str) -> float:
    channels = [int(hex_color[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    lin = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def _contrast(a: str, b: str) -> float:
    hi, lo = sorted([_luminance(a), _luminance(b)], reverse=True)
    return (hi + 0.05) / (lo + 0.05)


# Material 9.8's backgrounds: default scheme white; slate hsl(225, 15%, 14%).
LIGHT_BG, DARK_BG = "#ffffff", "#1e2129"


@pytest.mark.parametrize("color", sorted(fb.PALETTE.values()))
def test_palette_colours_are_readable_on_both_backgrounds(color):
    # WCAG 2.1 SC 1.4.11: graphical objects need 3:1 against what is next to them.
    assert _contrast(color, LIGHT_BG) >= 3.0, f"{color} on white: {_contrast(color, LIGHT_BG):.2f}"
    assert _contrast(color, DARK_BG) >= 3.0, f"{color} on slate: {_contrast(color, DARK_BG):.2f}"


@pytest.mark.parametrize("name", NAMES)
def test_figure_is_theme_aware(built, name):
    svg = _svg(built, name)
    body = re.sub(r"<style>.*?</style>", "", svg, flags=re.S)
    # transparent: the first path, the figure's background rectangle, is not filled
    assert 'style="fill: none"' in re.search(r"<path [^>]*>", body).group(0)
    # every hard-coded colour is a palette colour; text, axes and grid use currentColor
    used = {c.lower() for c in re.findall(r"(?:fill|stroke):\s*(#[0-9a-fA-F]{3,6})", body)}
    assert used <= set(fb.PALETTE.values()), f"colours outside the palette: {used - set(fb.PALETTE.values())}"
    assert "currentColor" in body
    assert not re.search(r"(?:fill|stroke):\s*(?:black|white)\b", body)
    for text in re.findall(r"<text [^>]*>", body):
        fill = re.search(r"fill:\s*([^;\"]+)", text)
        assert fill is None or fill.group(1).strip() == "currentColor", text
    # the root paints undeclared fills in currentColor too
    root = re.search(r"<svg [^>]*>", svg).group(0)
    assert "fill: currentColor" in root and 'class="relu-figure"' in root
    # seen on its own (not inlined), the file follows the reader's colour scheme
    style = re.search(r"<style>(.*?)</style>", svg, flags=re.S).group(1)
    assert "prefers-color-scheme: dark" in style


@pytest.mark.parametrize("name", NAMES)
def test_text_stays_text_with_korean_labels(built, name):
    svg = _svg(built, name)
    texts = re.findall(r"<text\b[^>]*>(.*?)</text>", svg, flags=re.S)
    assert texts, "no <text>: svg.fonttype must be 'none'"
    assert any(HANGUL.search(t) for t in texts), "no Korean label"
    assert "glyph" not in svg.lower() and "DejaVuSans-" not in svg, "text was drawn as glyph paths"
    # no per-element font-family: inlined, the text takes the page's font; alone, the <style>'s stack
    body = re.sub(r"<style>.*?</style>", "", svg, flags=re.S)
    assert "font-family" not in body
    assert "Malgun Gothic" in svg and "Apple SD Gothic Neo" in svg


def test_superscripts_are_raised_text(built):
    """10⁻⁴ on a log axis, 0.25ⁿ in a legend: written with superscript(), drawn as a raised, smaller <tspan>."""
    assert fb.superscript("-13") == "⁻¹³" and fb.superscript("n") == "ⁿ"
    for name in NAMES:
        assert not re.search("[⁻⁰¹²³⁴⁵⁶⁷⁸⁹ⁿ]", _svg(built, name)), name
    svg = _svg(built, "gradient-depth.svg")
    assert re.search(r'>10<tspan dy="-[0-9.]+" style="font-size: [0-9.]+px">−4</tspan></text>', svg)
    assert re.search(r'0\.25<tspan dy="-[0-9.]+" style="font-size: [0-9.]+px">n</tspan><tspan dy="[0-9.]+"> \(', svg)


def test_subscripts_are_lowered_text(built):
    """θ₁ on the bowl figures: written with subscript() (or the character), drawn as a lowered, smaller <tspan>."""
    assert fb.subscript("12") == "₁₂"
    for name in NAMES:
        assert not re.search("[₀-₉]", _svg(built, name)), name
    svg = _svg(built, "gradient-field.svg")
    assert re.search(r'>θ<tspan dy="[0-9.]+" style="font-size: [0-9.]+px">1</tspan></text>', svg)


def test_mixed_scripts_return_to_the_baseline():
    """θ₁² + 10θ₂²: down, up, back to the baseline; the dy shifts of a finished run add up to 0."""
    text = '<text style="font-size: 10px">θ₁² + 10θ₂²의 곡선</text>'
    out = fb._TEXT_WITH_SUPERSCRIPT.sub(fb._raise_superscripts, text)
    shifts = [float(dy) for dy in re.findall(r'dy="(-?[0-9.]+)"', out)]
    assert shifts == [2.2, -6.4, 4.2, 2.2, -6.4, 4.2]
    assert sum(shifts) == pytest.approx(0.0)
    assert re.sub(r"<[^>]+>", "", out) == "θ12 + 10θ22의 곡선"


def test_numbers_the_alt_text_states_are_the_figures(built):
    """The pages' alt text repeats some computed numbers: they must be what the figure shows."""
    def text(name):
        return re.sub(r"<[^>]+>", "", _svg(built, name))

    clip = text("clip-norm-vs-value.svg")
    assert "(24, 10)" in clip and "노름 클리핑 (12, 5)" in clip and "값 클리핑 (13, 10)" in clip
    assert "방향이 15° 바뀜" in clip
    loss = text("loss-vs-probability.svg")
    for label in ("p = 0.99: 0.01", "p = 0.9: 0.11", "p = 0.5: 0.69", "p = 0.1: 2.30", "p = 0.01: 4.61"):
        assert label in loss, label
    gradients = text("bce-vs-mse-gradient.svg")
    assert "z = −5: BCE −0.993" in gradients and "MSE −0.0132" in gradients
    assert "dead_fraction = 1/8" in text("dead-vs-zero.svg")
    assert "plain 2 × 10−12" in text("residual-gradient-depth.svg")  # the page's example: '2e-12'


def test_ids_are_unique_across_figures(built):
    """Several figures inlined in one page must not share an id."""
    seen = {}
    for name in NAMES:
        for ident in re.findall(r'\sid="([^"]+)"', _svg(built, name)):
            assert ident.startswith(Path(name).stem + "-"), (name, ident)
            assert ident not in seen, f"id {ident} in both {seen.get(ident)} and {name}"
            seen[ident] = name
        for ref in re.findall(r'(?:url\(#|href="#)([^)"]+)', _svg(built, name)):
            assert ref in seen and seen[ref] == name, f"{name}: dangling reference #{ref}"


def test_sparsity_title_states_the_measured_fraction(built):
    svg = _svg(built, "relu-sparsity.svg")
    title = re.search(r"ReLU 출력의 ([0-9.]+)%가 0", svg)
    assert title, "the title states the zero fraction"
    assert 45.0 < float(title.group(1)) < 55.0  # about half, at initialisation


# ------------------------------------------------------------------ light and dark variants, shown as a pair
@pytest.mark.parametrize("name", NAMES)
def test_scheme_variants_pin_a_legible_text_colour(built, name):
    """The light and dark variants the site shows: text colour fixed, readable on the scheme's background."""
    svg = _svg(built, name)
    variants = {scheme: _svg(built, f"{scheme}/{name}") for scheme in fb.SCHEMES}
    for scheme, background in (("light", LIGHT_BG), ("dark", DARK_BG)):
        style = re.search(r"<style>(.*?)</style>", variants[scheme], flags=re.S).group(1)
        assert "@media" not in style and "prefers-color-scheme" not in style, (scheme, style)
        colours = re.findall(r"(?<![-\w])color:\s*(#[0-9a-fA-F]{6})", style)
        assert len(colours) == 1, (scheme, style)
        # WCAG 2.1 SC 1.4.3: the labels are text, 4.5:1
        assert _contrast(colours[0], background) >= 4.5, (scheme, colours[0], _contrast(colours[0], background))
        assert "font-family:" in style and "Malgun Gothic" in style
        # only the <style> differs: the drawing is the same
        assert _without_style(variants[scheme]) == _without_style(svg)
    assert variants["light"] != variants["dark"]


def test_the_site_serves_both_variants_of_every_figure(built_site):
    for name in NAMES:
        for path in fb.outputs(name):
            assert (built_site / "figures" / path).is_file(), path


def test_a_figure_shows_as_a_light_and_a_dark_image_with_its_alt_text(built):
    page = ('<p>앞</p><figure><img alt="ReLU 그래프 &amp; 도함수" src="../figures/relu.svg" />'
            '<figcaption>캡션</figcaption></figure><img alt="x" src="../assets/logo.svg" />')
    out, missing = show_figures(page, built)
    assert not missing
    assert '<img alt="x" src="../assets/logo.svg" />' in out, "other images are left alone"
    assert 'src="../figures/relu.svg"' not in out and "<svg" not in out
    images = re.findall(r"<img\b[^>]*>", out)
    pair = [tag for tag in images if 'class="relu-figure"' in tag]
    assert len(pair) == 2
    # Material hides #only-dark in the light scheme and #only-light in the dark one
    assert 'src="../figures/light/relu.svg#only-light"' in pair[0]
    assert 'src="../figures/dark/relu.svg#only-dark"' in pair[1]
    for tag in pair:
        assert 'alt="ReLU 그래프 &amp; 도함수"' in tag
        assert 'loading="lazy"' in tag
        # the intrinsic size in CSS pixels (no layout shift while it loads)
        width, height = re.search(r'width="(\d+)" height="(\d+)"', tag).groups()
        viewbox = [float(v) for v in re.search(r'viewBox="([^"]+)"', _svg(built, "relu.svg")).group(1).split()]
        assert abs(int(width) / int(height) - viewbox[2] / viewbox[3]) < 0.01
    assert '<figcaption>캡션</figcaption>' in out


def test_a_missing_figure_stays_an_image_and_is_reported(tmp_path):
    page = '<img alt="없는 그림" src="figures/nothing.svg" />'
    out, missing = show_figures(page, tmp_path)
    assert out == page
    assert missing and "nothing.svg" in missing[0]


def test_mkdocs_yml_points_the_plugin_at_the_registry():
    assert REGISTRY == ROOT / "scripts" / "figures.py"


# ------------------------------------------------------------------ incremental
def test_incremental_build_redraws_only_what_changed(tmp_path):
    out, cache = tmp_path / "out", tmp_path / "cache.json"
    figures = figures_in(out, cache)
    some = ["relu.svg", "tanh.svg"]
    assert figures.build(some) == some
    assert figures.build(some) == []
    # an edited output is redrawn, and so is a deleted one, in either variant
    (out / "dark" / "tanh.svg").write_text("edited", "utf-8")
    assert figures.stale(some) == ["tanh.svg"]
    (out / "tanh.svg").unlink()
    assert figures.build(some) == ["tanh.svg"]
    # an unchanged file keeps its modification time (mkdocs serve would rebuild again)
    mtime = (out / "light" / "relu.svg").stat().st_mtime_ns
    assert figures.build(["relu.svg"], force=True) == ["relu.svg"]
    assert (out / "light" / "relu.svg").stat().st_mtime_ns == mtime


def _changed(old: dict, new: dict) -> set:
    return {name for name in old if old[name] != new[name]}


def test_editing_one_figure_function_changes_only_its_key(tmp_path, monkeypatch):
    source = REGISTRY.read_text("utf-8")
    keys = fb.FigureBuild(REGISTRY).keys()
    edited = tmp_path / "figures.py"
    marker = 'title="tanh와 그 도함수"'
    assert marker in source
    package = ROOT / "relu_docs"
    edited.write_text(source.replace(marker, 'title="tanh와 그 도함수 (수정)"'), "utf-8")
    assert _changed(keys, fb.FigureBuild(edited, tmp_path, package_dir=package).keys()) == {"tanh.svg"}
    # a change to shared code (the drawing helpers) changes every key
    marker = "linewidth=0.8, alpha=0.5, zorder=1)"
    assert marker in source
    edited.write_text(source.replace(marker, "linewidth=0.9, alpha=0.5, zorder=1)"), "utf-8")
    assert _changed(keys, fb.FigureBuild(edited, tmp_path, package_dir=package).keys()) == set(NAMES)
    # and so does a change to the house style
    machinery = tmp_path / "figure_build.py"
    machinery.write_text(Path(fb.__file__).read_text("utf-8").replace('"grid.alpha": 0.15', '"grid.alpha": 0.2'), "utf-8")
    monkeypatch.setattr(fb, "__file__", str(machinery))
    assert _changed(keys, fb.FigureBuild(REGISTRY).keys()) == set(NAMES)


def test_editing_a_package_module_changes_the_keys_of_the_figures_using_it(tmp_path):
    keys = fb.FigureBuild(REGISTRY).keys()
    shutil.copytree(ROOT / "relu_docs", tmp_path / "relu_docs", ignore=shutil.ignore_patterns("__pycache__", "examples"))
    copy = fb.FigureBuild(REGISTRY, tmp_path / "out", package_dir=tmp_path / "relu_docs")
    assert copy.keys() == keys  # a copy hashes the same
    init = tmp_path / "relu_docs" / "init.py"
    init.write_text(init.read_text("utf-8") + "\n# edited\n", "utf-8")
    using_init = {name for name, deps in fb.FigureBuild(REGISTRY).dependencies().items() if "relu_docs.init" in deps}
    assert using_init == {"gradient-depth.svg", "init-std-depth.svg", "relu-sparsity.svg", "relu-half-second-moment.svg",
                          "residual-gradient-depth.svg", "overfitting-curves.svg"}
    assert _changed(keys, copy.keys()) == using_init
    # a module every relu_docs module imports (the validation helpers) reaches all that use the package
    validation = tmp_path / "relu_docs" / "validation.py"
    validation.write_text(validation.read_text("utf-8") + "\n# edited\n", "utf-8")
    assert _changed(keys, copy.keys()) == set(NAMES)


def test_dependencies_are_read_from_the_figure_functions():
    deps = fb.FigureBuild(REGISTRY).dependencies()
    assert set(deps) == set(NAMES)
    assert {"relu_docs", "relu_docs.functional", "relu_docs.validation"} <= set(deps["relu.svg"])
    assert "relu_docs.init" not in deps["relu.svg"] and "relu_docs.gradients" not in deps["relu.svg"]
    assert {"relu_docs.gradients", "relu_docs.init"} <= set(deps["gradient-depth.svg"])


def test_stale_files_are_pruned_on_a_full_build(tmp_path):
    out = tmp_path / "out"
    (out / "dark").mkdir(parents=True)
    (out / "old-name.svg").write_text("<svg/>", "utf-8")
    (out / "dark" / "old-name.svg").write_text("<svg/>", "utf-8")
    figures = figures_in(out, tmp_path / "cache.json")
    figures.build(["relu.svg"])
    assert (out / "old-name.svg").exists(), "a partial build deletes nothing"
    figures.build(["relu.svg"], prune=True)
    assert not (out / "old-name.svg").exists() and not (out / "dark" / "old-name.svg").exists()
    assert (out / "dark" / "relu.svg").exists()


# ------------------------------------------------------------------ pages: no orphans, alt text, captions
FENCE = re.compile(r"^(```|~~~).*?^\1\s*$", re.S | re.M)
INLINE_CODE = re.compile(r"`[^`\n]+`")
REFERENCE = re.compile(r"(?:\.\./)*figures/([\w.-]+\.svg)")
MD_IMAGE = re.compile(r"!\[([^\]]*)\]\(\s*<?((?:\.\./)*figures/[\w.-]+\.svg)>?(?:\s+\"[^\"]*\")?\s*\)")
FIGURE_BLOCK = re.compile(r"<figure\b[^>]*\bmarkdown\b[^>]*>(.*?)</figure>", re.S)
CAPTION = re.compile(r"<figcaption>(.*?)</figcaption>", re.S)


def _pages() -> dict[Path, str]:
    pages = {}
    for path in sorted(DOCS.rglob("*.md")):
        text = path.read_text("utf-8")
        pages[path] = INLINE_CODE.sub("", FENCE.sub("", text))  # code shows paths, it does not use them
    return pages


def _references() -> dict[str, list[str]]:
    refs: dict[str, list[str]] = {}
    for path, text in _pages().items():
        for name in REFERENCE.findall(text):
            refs.setdefault(name, []).append(str(path.relative_to(ROOT)))
    return refs


def test_every_figure_a_page_references_is_drawn_by_the_script():
    missing = {name: pages for name, pages in _references().items() if name not in FIGURES}
    assert not missing, f"pages reference figures that scripts/figures.py does not draw: {missing}"


def test_every_figure_the_script_draws_is_used_by_a_page():
    unused = sorted(set(FIGURES) - set(_references()))
    assert not unused, f"figures no page uses (add them to a page or delete their function): {unused}"


def test_every_figure_on_a_page_has_korean_alt_text_and_a_caption():
    problems = []
    for path, text in _pages().items():
        where = path.relative_to(ROOT)
        blocks = [(m.start(), m.end(), m.group(1)) for m in FIGURE_BLOCK.finditer(text)]
        images = list(MD_IMAGE.finditer(text))
        if len(images) != len(REFERENCE.findall(text)):
            problems.append(f"{where}: reference a figure as a Markdown image ![alt](figures/name.svg), "
                            f"not as a link or raw <img>")
        for image in images:
            alt, target = image.group(1).strip(), image.group(2)
            if not HANGUL.search(alt):
                problems.append(f"{where}: {target} needs Korean alt text saying what it shows")
            block = next((b for b in blocks if b[0] <= image.start() < b[1]), None)
            if block is None:
                problems.append(f'{where}: {target} is not inside <figure markdown="span">')
                continue
            caption = CAPTION.search(block[2])
            if not caption or not re.sub(r"<[^>]+>", "", caption.group(1)).strip():
                problems.append(f"{where}: {target} has no <figcaption> text")
    assert not problems, "\n".join(problems)
