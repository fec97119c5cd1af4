"""The site's math font: STIX Two Math, subset to the characters the built formulas use.

MathML in the browser needs a font with an OpenType MATH table; the font comes from npm
(``@fontsource/stix-two-math``, SIL OFL 1.1), so a fresh clone needs no system package, and
fontTools (``fonttools[woff]``: brotli for WOFF2) subsets it at build time, keeping the MATH
table and closing the glyph set over it (the size variants and assembly parts of every
stretchy character stay in). The full font is 400 kB; the site's subset about 30 kB.

The subset is made at build time because which characters it needs depends on the formulas:
a committed subset would silently lose a glyph the day a page gains a symbol. It is cached
by its inputs, in this process (a ``mkdocs serve`` rebuild whose formulas use no new
character costs nothing) and on disk (``.cache/math-font/``).
"""

from __future__ import annotations

import hashlib
import html
import re
from pathlib import Path

_TAG = re.compile(r"<[^>]+>")
# Glyphs the browser draws that are not characters of the MathML: the radical of <msqrt>
# and <mroot> is U+221A of the math font (its size variants come with the MATH closure).
_IMPLICIT = {"<msqrt": 0x221A, "<mroot": 0x221A}
# Left to the page's text font (Korean inside \text{}; math.css), never looked up in the math font.
_TEXT_FONT = re.compile("[\u1100-\u11ff\u3130-\u318f\uac00-\ud7a3\\s]")
#: the fontTools version is part of the cache key: another version may subset differently
CACHE_VERSION = "1"

# The subset of the last build of this process: (key, WOFF2 bytes).
_last: tuple[str, bytes] | None = None


def _math_italic(cp: int) -> int | None:
    """The character a browser draws for a one-letter ``<mi>`` (CSS ``text-transform: math-auto``)."""
    if 0x41 <= cp <= 0x5A:
        return 0x1D434 + cp - 0x41
    if 0x61 <= cp <= 0x7A:
        return 0x210E if cp == 0x68 else 0x1D44E + cp - 0x61
    if 0x391 <= cp <= 0x3A9:
        return 0x1D6E2 + cp - 0x391
    if 0x3B1 <= cp <= 0x3C9:
        return 0x1D6FC + cp - 0x3B1
    return {0x131: 0x1D6A4, 0x237: 0x1D6A5, 0x2207: 0x1D6FB, 0x2202: 0x1D715, 0x3F5: 0x1D716,
            0x3D1: 0x1D717, 0x3F0: 0x1D718, 0x3D5: 0x1D719, 0x3F1: 0x1D71A, 0x3D6: 0x1D71B}.get(cp)


def used_codepoints(mathml: str) -> set[int]:
    """Every character the math font draws for ``mathml`` (one or more ``<math>`` elements).

    The characters of the text, their math-italic forms (a one-letter ``<mi>`` is drawn
    italic) and the radical of a square root; Hangul and spaces are left to the text font.

    >>> [hex(c) for c in sorted(used_codepoints('<math><msqrt><mi>x</mi></msqrt><mtext>한글 a</mtext></math>'))]
    ['0x61', '0x78', '0x221a', '0x1d44e', '0x1d465']
    """
    cps = {cp for tag, cp in _IMPLICIT.items() if tag in mathml}
    for ch in set(_TEXT_FONT.sub("", html.unescape(_TAG.sub("", mathml)))):
        cps.add(ord(ch))
        if (italic := _math_italic(ord(ch))) is not None:
            cps.add(italic)
    return cps


def subset(font: Path, codepoints: set[int]) -> tuple[bytes, set[int]]:
    """WOFF2 bytes of ``font`` cut to ``codepoints`` (MATH table kept), and the code points it lacks."""
    from fontTools import subset as ft_subset
    from fontTools.ttLib import TTFont

    ttf = TTFont(str(font))
    cmap = ttf.getBestCmap()
    options = ft_subset.Options()
    options.layout_features = ["*"]  # ssty (script-size glyphs), flac, dtls, ...
    options.name_IDs = ["*"]  # keep the copyright and licence strings (OFL)
    options.notdef_outline = True
    options.drop_tables = [t for t in options.drop_tables if t != "MATH"]
    subsetter = ft_subset.Subsetter(options)
    subsetter.populate(unicodes=sorted(codepoints & set(cmap)))
    subsetter.subset(ttf)
    if "MATH" not in ttf:
        raise RuntimeError(f"fontTools dropped the MATH table of {font}")
    ttf.flavor = "woff2"
    from io import BytesIO

    out = BytesIO()
    ttf.save(out)
    return out.getvalue(), {cp for cp in codepoints if cp not in cmap}


def write_subset(font: Path, codepoints: set[int], target: Path, cache_dir: Path) -> set[int]:
    """Write the subset of ``font`` for ``codepoints`` to ``target``; return the code points the font lacks."""
    global _last
    import fontTools

    stat = font.stat()
    key = hashlib.sha256(repr((str(font), stat.st_size, stat.st_mtime_ns, sorted(codepoints),
                               fontTools.version, CACHE_VERSION)).encode()).hexdigest()[:20]
    missing_file = Path(cache_dir) / f"math-{key}.missing"
    cached = Path(cache_dir) / f"math-{key}.woff2"
    if _last is not None and _last[0] == key:
        data = _last[1]
    elif cached.is_file() and missing_file.is_file():
        data = cached.read_bytes()
    else:
        data, missing = subset(font, codepoints)
        cached.parent.mkdir(parents=True, exist_ok=True)
        cached.write_bytes(data)
        missing_file.write_text(" ".join(map(str, sorted(missing))), encoding="utf-8")
    _last = (key, data)
    target.parent.mkdir(parents=True, exist_ok=True)
    if not target.is_file() or target.read_bytes() != data:
        target.write_bytes(data)
    return {int(cp) for cp in missing_file.read_text(encoding="utf-8").split()} if missing_file.is_file() else set()
