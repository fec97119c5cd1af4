"""Matplotlib set-up shared by the experiment notebooks."""

from __future__ import annotations

import warnings

#: Korean fonts matplotlib may find on a reader's machine, in order of preference.
KOREAN_FONTS = ("NanumGothic", "Noto Sans CJK KR", "Malgun Gothic", "AppleGothic")


def use_korean_font() -> str | None:
    """Draw Latin text and math in DejaVu Sans and Hangul in an installed Korean font.

    Returns the Korean font used, or ``None`` when none is installed: then
    Hangul shows as boxes, and matplotlib's missing-glyph warnings are
    silenced so a notebook does not fill with them.
    """
    import matplotlib.pyplot as plt
    from matplotlib import font_manager

    installed = {f.name for f in font_manager.fontManager.ttflist}
    korean = next((name for name in KOREAN_FONTS if name in installed), None)
    plt.rcParams["font.family"] = ["DejaVu Sans", *([korean] if korean else [])]
    if korean is None:
        warnings.filterwarnings("ignore", message="Glyph .* missing from font")
    return korean
