#!/usr/bin/env python
"""Regenerate every figure of the ReLU 위키 from relu_docs, as deterministic SVG.

    python scripts/build_figures.py            # rebuild the figures whose code changed
    python scripts/build_figures.py --force    # rebuild all
    python scripts/build_figures.py --list     # names, and which are stale

Each figure is a function below decorated with ``@figure("name.svg")``. It
imports what it draws from relu_docs *inside its body*, so the builder can see
which package modules it depends on. The output is ``docs/figures/<name>``.

Deterministic: fixed seeds, ``svg.hashsalt``, no date or creator metadata, so
two runs on one machine write byte-identical files.

Readable in light and dark schemes: the background is transparent; text, axes
and grid use ``currentColor``, set by the file's ``<style>`` (the MkDocs hook
``docsite/relu_docsite/figures_hook.py`` serves a light and a dark variant of each
file with that colour pinned, and pages show the one matching Material's
toggle); data colours come from ``PALETTE``, each at least 3:1 against
both Material's white and its slate background. Text stays SVG ``<text>``
(``svg.fonttype: none``) in the browser's Korean-capable font stack.

Incremental: a figure's cache key hashes its function's source, the rest of
this file (shared style and helpers), the source files of every relu_docs
module it imports (transitively) and the numpy/matplotlib/torch versions.
Keys and output hashes live in ``.cache/figures.json``; a figure is rebuilt
when its key changed or its file is missing or was edited. Checking costs a
few milliseconds and imports neither matplotlib nor torch.
"""

from __future__ import annotations

import argparse
import ast
import hashlib
import io
import json
import os
import re
import sys
import time
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # draw with this checkout's relu_docs, installed or not
    sys.path.insert(0, str(ROOT))
OUT_DIR = ROOT / "docs" / "figures"
CACHE_PATH = ROOT / ".cache" / "figures.json"
PACKAGE = "relu_docs"
#: bump to invalidate every cached figure
FORMAT_VERSION = 1

#: name -> function that returns a matplotlib Figure
FIGURES: dict = {}


def figure(name: str):
    """Register a figure function under its output file name."""

    def register(func):
        if name in FIGURES:
            raise ValueError(f"figure {name!r} is defined twice")
        FIGURES[name] = func
        return func

    return register


# ============================================================ style
#: stands for "the text colour"; replaced by ``currentColor`` in the SVG
FOREGROUND = "#010203"
#: data colours, each >= 3:1 contrast on white and on Material's slate (#1e2129)
PALETTE = {
    "blue": "#2f7fd8",
    "orange": "#d9730d",
    "green": "#1f9d55",
    "purple": "#9b59d0",
    "pink": "#d6336c",
    "gray": "#808080",
}
#: the site's text font stack (docs/stylesheets/extra.css), for the SVG file viewed on its own
FONT_STACK = (
    "-apple-system, BlinkMacSystemFont, 'Apple SD Gothic Neo', 'Malgun Gothic', '맑은 고딕', "
    "'Noto Sans KR', 'Noto Sans CJK KR', NanumGothic, 'Segoe UI', Roboto, 'Helvetica Neue', "
    "Arial, sans-serif"
)
#: used by matplotlib only to measure text for the layout (first installed wins)
MEASURE_FONTS = ["NanumGothic", "Noto Sans CJK KR", "Noto Sans KR", "Malgun Gothic",
                 "Apple SD Gothic Neo", "DejaVu Sans"]
#: text colour of the SVG viewed on its own (a page that inlines it uses its own colour)
STANDALONE_COLORS = ("#1f2328", "#e6edf3")  # light, dark


def _rc() -> dict:
    from cycler import cycler
    from matplotlib import font_manager

    installed = {f.name for f in font_manager.fontManager.ttflist}
    fonts = [f for f in MEASURE_FONTS if f in installed] or ["DejaVu Sans"]
    return {
        "svg.fonttype": "none",
        "svg.hashsalt": "relu-docs",
        "svg.image_inline": True,
        "font.family": "sans-serif",
        "font.sans-serif": fonts,
        "font.size": 10.5,
        "axes.titlesize": 11.5,
        "figure.titlesize": 12.5,
        "axes.unicode_minus": True,
        "text.color": FOREGROUND,
        "axes.labelcolor": FOREGROUND,
        "axes.edgecolor": FOREGROUND,
        "axes.facecolor": "none",
        "figure.facecolor": "none",
        "savefig.facecolor": "none",
        "savefig.edgecolor": "none",
        "xtick.color": FOREGROUND,
        "ytick.color": FOREGROUND,
        "grid.color": FOREGROUND,
        "grid.alpha": 0.15,
        "grid.linewidth": 0.6,
        "axes.grid": True,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.prop_cycle": cycler(color=list(PALETTE.values())),
        "legend.frameon": False,
        "legend.labelcolor": FOREGROUND,
        "lines.linewidth": 2.0,
        "path.simplify": True,
    }


def _new_figure(width: float, height: float, **kwargs):
    """A figure not attached to pyplot (no global state), sized in inches."""
    from matplotlib.figure import Figure

    return Figure(figsize=(width, height), layout="constrained", **kwargs)


_ID = re.compile(r'\sid="([^"]+)"')
_SUPERSCRIPTS = "⁻⁰¹²³⁴⁵⁶⁷⁸⁹ⁿ"
_FROM_SUPERSCRIPT = str.maketrans(_SUPERSCRIPTS, "−0123456789n")
_TEXT_WITH_SUPERSCRIPT = re.compile(
    r'(<text [^>]*font-size: ([0-9.]+)px[^>]*>)([^<]*[' + _SUPERSCRIPTS + r'][^<]*)</text>')


def _raise_superscripts(match) -> str:
    """Draw Unicode superscripts (10⁻⁴, 0.25ⁿ) as raised, smaller digits.

    Fonts draw U+2070..U+2079 at very different sizes, and many Korean fonts
    lack some of them; a shifted ``<tspan>`` looks the same everywhere.
    """
    head, size, content = match.group(1), float(match.group(2)), match.group(3)
    shift = f"{0.42 * size:.2f}"
    out, raised = [], False
    for run in re.findall(f"[{_SUPERSCRIPTS}]+|[^{_SUPERSCRIPTS}]+", content):
        if run[0] in _SUPERSCRIPTS:
            out.append(f'<tspan dy="-{shift}" style="font-size: {0.72 * size:.2f}px">'
                       f"{run.translate(_FROM_SUPERSCRIPT)}</tspan>")
            raised = True
        else:
            out.append(f'<tspan dy="{shift}">{run}</tspan>' if raised else run)
            raised = False
    return head + "".join(out) + "</text>"
_REF = re.compile(r'(url\(#|href="#)([^)"]+)')


def postprocess(svg: str, slug: str) -> str:
    """Make matplotlib's SVG theme-aware, compact and safe to inline next to others.

    * the text colour stand-in becomes ``currentColor``;
    * matplotlib's ``<style>`` (a global ``*`` rule) and per-text font families
      give way to inherited properties on the root and one scoped ``<style>``
      that the figures hook drops when it inlines the figure;
    * ids that nothing references are dropped, the others get the figure's
      slug as prefix (two figures on one page never share an id);
    * metadata and comments are removed.
    """
    svg = svg.replace(FOREGROUND, "currentColor")
    svg = re.sub(r"\s*<metadata>.*?</metadata>", "", svg, flags=re.S)
    svg = re.sub(r"\s*<!--.*?-->", "", svg, flags=re.S)
    svg = re.sub(r"\s*<defs>\s*<style[^>]*>.*?</style>\s*</defs>", "", svg, count=1, flags=re.S)
    svg = re.sub(r"font-family:[^;\"]*;?\s*", "", svg)
    svg = re.sub(r'style="([^"]*?);?\s*"', lambda m: f'style="{m.group(1).strip()}"', svg)
    svg = svg.replace(' style=""', "")
    svg = _TEXT_WITH_SUPERSCRIPT.sub(_raise_superscripts, svg)
    referenced = {m.group(2) for m in _REF.finditer(svg)}
    svg = _ID.sub(lambda m: f' id="{slug}-{m.group(1)}"' if m.group(1) in referenced else "", svg)
    svg = _REF.sub(lambda m: f"{m.group(1)}{slug}-{m.group(2)}", svg)
    light, dark = STANDALONE_COLORS
    style = (
        f"<style>svg.relu-figure{{color:{light};font-family:{FONT_STACK}}}"
        f"@media (prefers-color-scheme: dark){{svg.relu-figure{{color:{dark}}}}}</style>"
    )
    svg, n = re.subn(
        r"<svg ([^>]*)>",
        lambda m: (f'<svg {m.group(1)} class="relu-figure" '
                   f'style="fill: currentColor; stroke-linejoin: round; stroke-linecap: butt">\n {style}'),
        svg,
        count=1,
    )
    if n != 1:
        raise ValueError("no <svg> root element in matplotlib's output")
    if FOREGROUND in svg or "#000000" in svg:
        raise ValueError(f"{slug}: a hard-coded black survived post-processing")
    return svg


def render(name: str) -> bytes:
    """Draw figure ``name`` and return its SVG bytes."""
    import warnings

    import matplotlib

    func = FIGURES[name]
    with matplotlib.rc_context(_rc()), warnings.catch_warnings():
        # Without a Korean font installed, matplotlib measures Hangul with a
        # fallback glyph; the browser still draws it with a Korean font.
        warnings.filterwarnings("ignore", message=r"Glyph \d+ .* missing from font")
        fig = func()
        buf = io.StringIO()
        fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": None}, transparent=True)
    return postprocess(buf.getvalue(), slug=Path(name).stem).encode("utf-8")


# ============================================================ shared drawing helpers
_SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def _log_axis(ax, axis: str = "y") -> None:
    """Log scale with plain-text tick labels such as 10⁻⁴ (no mathtext: it needs its own fonts)."""
    import math

    from matplotlib.ticker import FuncFormatter, LogLocator, NullFormatter

    def label(value, _pos):
        return f"10{str(round(math.log10(value))).translate(_SUPERSCRIPT)}" if value > 0 else ""

    target = ax.yaxis if axis == "y" else ax.xaxis
    (ax.set_yscale if axis == "y" else ax.set_xscale)("log")
    target.set_major_locator(LogLocator(base=10, numticks=12))
    target.set_major_formatter(FuncFormatter(label))
    target.set_minor_formatter(NullFormatter())
    ax.tick_params(axis=axis, which="major", labelsize=11.5)


def _num(value, spec: str = "g") -> str:
    """Format a number with a typographic minus sign, as the tick labels show it."""
    return format(value, spec).replace("-", "−")


def _sci(value: float, digits: int = 1) -> str:
    """``9.0 × 10⁻¹³``: scientific notation as a reader writes it."""
    mantissa, exponent = f"{value:.{digits}e}".split("e")
    return f"{_num(float(mantissa), f'.{digits}f')} × 10{str(int(exponent)).translate(_SUPERSCRIPT)}"


def _zero_lines(ax) -> None:
    ax.axhline(0, color=FOREGROUND, linewidth=0.8, alpha=0.5, zorder=1)
    ax.axvline(0, color=FOREGROUND, linewidth=0.8, alpha=0.5, zorder=1)


def _activation_figure(fn, grad, *, label: str, title: str, xlim, ylim, notes=()):
    """One activation with its derivative, the derivative's jump at 0 drawn honestly.

    If ``grad`` jumps at 0, it is drawn in two pieces with a filled dot at the
    value the code returns at exactly 0 and open dots at the one-sided limits.
    ``notes`` is a list of ``(text, (x, y))`` placed in data coordinates.
    """
    import numpy as np

    left = np.linspace(xlim[0], 0.0, 601)[:-1]
    right = np.linspace(0.0, xlim[1], 601)[1:]
    x = np.concatenate([left, [0.0], right])

    fig = _new_figure(6.4, 3.9)
    ax = fig.add_subplot()
    _zero_lines(ax)
    f_color, g_color = PALETTE["blue"], PALETTE["orange"]
    ax.plot(x, fn(x), color=f_color, label=f"{label}(x)", zorder=3)

    eps = 1e-9
    g_left, g_zero, g_right = (float(grad(np.array([v]))[0]) for v in (-eps, 0.0, eps))
    dash = dict(color=g_color, linestyle=(0, (5, 2.5)), zorder=4)
    if abs(g_left - g_right) > 1e-6:
        ax.plot(left, grad(left), label=f"{label}′(x) (도함수)", **dash)
        ax.plot(right, grad(right), **dash)
        for value in (g_left, g_right):
            if abs(value - g_zero) > 1e-6:
                ax.plot([0], [value], "o", ms=6, mfc="none", mec=g_color, mew=1.6, zorder=5)
        ax.plot([0], [g_zero], "o", ms=6, color=g_color, zorder=5)
        ax.annotate(f"x = 0에서의 값: {label}′(0) = {_num(g_zero)}", xy=(0, g_zero),
                    xytext=(0.03 * (xlim[1] - xlim[0]), g_zero - 0.06 * (ylim[1] - ylim[0])),
                    fontsize=9.5, va="top")
    else:
        ax.plot(x, grad(x), label=f"{label}′(x) (도함수)", **dash)
    for text, xy in notes:
        ax.annotate(text, xy=xy, fontsize=9.5)
    ax.set(xlim=xlim, ylim=ylim, xlabel="입력 x", ylabel="출력", title=title)
    ax.legend(loc="upper left")
    return fig


# ============================================================ figures
@figure("relu.svg")
def relu_figure():
    from relu_docs.functional import relu, relu_grad

    return _activation_figure(relu, relu_grad, label="ReLU", title="ReLU와 그 도함수",
                              xlim=(-3, 3), ylim=(-0.6, 3.0))


@figure("leaky-relu.svg")
def leaky_relu_figure():
    from relu_docs.functional import leaky_relu, leaky_relu_grad

    slope = float(leaky_relu_grad([-1.0])[0])
    return _activation_figure(
        leaky_relu, leaky_relu_grad, label="LeakyReLU",
        title=f"Leaky ReLU(음의 기울기 {slope:g})와 그 도함수", xlim=(-3, 3), ylim=(-0.6, 3.0),
        notes=[(f"x < 0에서 기울기 {slope:g}", (-2.9, 0.12))],
    )


@figure("elu.svg")
def elu_figure():
    from relu_docs.functional import elu, elu_grad

    floor = float(elu([-50.0])[0])
    return _activation_figure(
        elu, elu_grad, label="ELU", title="ELU(α = 1)와 그 도함수", xlim=(-4, 3), ylim=(-1.4, 3.0),
        notes=[(f"x → −∞에서 −α = {_num(floor)}에 수렴", (-3.9, -1.28))],
    )


@figure("sigmoid.svg")
def sigmoid_figure():
    import numpy as np

    from relu_docs.functional import sigmoid, sigmoid_grad

    x = np.linspace(-6, 6, 1201)
    i = int(np.argmax(sigmoid_grad(x)))
    peak = float(sigmoid_grad(x)[i])
    return _activation_figure(
        sigmoid, sigmoid_grad, label="σ", title="시그모이드 σ(x)와 그 도함수", xlim=(-6, 6),
        ylim=(-0.1, 1.15), notes=[(f"도함수의 최댓값 σ′({x[i]:g}) = {peak:g}", (0.4, peak + 0.03))],
    )


@figure("tanh.svg")
def tanh_figure():
    from relu_docs.functional import tanh, tanh_grad

    peak = float(tanh_grad([0.0])[0])
    return _activation_figure(
        tanh, tanh_grad, label="tanh", title="tanh와 그 도함수", xlim=(-4, 4), ylim=(-1.2, 1.45),
        notes=[(f"tanh′(0) = {peak:g}", (0.25, peak + 0.04))],
    )


@figure("gelu.svg")
def gelu_figure():
    import numpy as np

    from relu_docs.functional import gelu, gelu_grad

    x = np.linspace(-4, 0, 4001)
    i = int(np.argmin(gelu(x)))
    fig = _activation_figure(
        gelu, gelu_grad, label="GELU", title="GELU와 그 도함수", xlim=(-4, 3), ylim=(-0.6, 3.0),
        notes=[(f"최솟값 약 {_num(float(gelu(x)[i]), '.3f')} (x ≈ {_num(x[i], '.2f')})", (-3.9, -0.45))],
    )
    fig.axes[0].plot([x[i]], [gelu(x)[i]], "o", ms=5, color=PALETTE["blue"], zorder=5)
    return fig


@figure("relu-family.svg")
def relu_family_figure():
    import numpy as np

    from relu_docs.functional import elu, gelu, leaky_relu, leaky_relu_grad, prelu, relu

    slope = float(leaky_relu_grad([-1.0])[0])
    prelu_init = 0.25  # torch.nn.PReLU(init=0.25)
    x = np.linspace(-3, 3, 1201)
    curves = [
        ("ReLU", relu(x), PALETTE["blue"], "-"),
        (f"Leaky ReLU (a = {slope:g})", leaky_relu(x), PALETTE["orange"], (0, (5, 2))),
        (f"PReLU (초기 a = {prelu_init:g})", prelu(x, prelu_init), PALETTE["green"], (0, (1.5, 1.5))),
        ("ELU (α = 1)", elu(x), PALETTE["purple"], (0, (6, 2, 1.5, 2))),
        ("GELU", gelu(x), PALETTE["pink"], (0, (3, 1.5))),
    ]
    fig = _new_figure(8.4, 5.2)
    axes = fig.subplots(2, 3, sharex=True, sharey=True)
    for ax, (name, y, color, style) in zip(axes.flat, curves):
        _zero_lines(ax)
        if name != "ReLU":
            ax.plot(x, curves[0][1], color=PALETTE["gray"], linewidth=1.2, linestyle=(0, (2, 2)))
        ax.plot(x, y, color=color, linestyle="-")
        ax.set_title(name)
    overlay = axes.flat[5]
    _zero_lines(overlay)
    for name, y, color, style in curves:
        overlay.plot(x, y, color=color, linestyle=style, linewidth=1.6, label=name.split(" (")[0])
    overlay.set_title("한데 겹쳐 보기")
    overlay.legend(loc="upper left", fontsize=8.5, handlelength=2.6)
    for ax in axes.flat:
        ax.set(xlim=(-3, 3), ylim=(-1.2, 3.0))
    for ax in axes[1]:
        ax.set_xlabel("입력 x")
    for ax in axes[:, 0]:
        ax.set_ylabel("출력")
    fig.suptitle("ReLU 계열: 음수 쪽을 다루는 방식이 다릅니다 (회색 점선: ReLU)")
    return fig


@figure("gradient-depth.svg")
def gradient_depth_figure():
    import numpy as np
    import torch

    from relu_docs.gradients import vanishing_gradient_bound
    from relu_docs.init import init_weights

    depth, width, batch = 20, 64, 256

    def grad_norms(activation, kind):
        """Weight-gradient norm of each hidden layer, from the output side (n = 0) down."""
        rng = np.random.default_rng(0)
        layers = []
        for _ in range(depth):
            linear = torch.nn.Linear(width, width, dtype=torch.float64)
            with torch.no_grad():
                linear.weight.copy_(torch.from_numpy(init_weights(kind, (width, width), rng)))
                linear.bias.zero_()
            layers += [linear, activation()]
        head = torch.nn.Linear(width, 1, dtype=torch.float64)
        with torch.no_grad():
            head.weight.copy_(torch.from_numpy(init_weights("xavier", (1, width), rng)))
            head.bias.zero_()
        model = torch.nn.Sequential(*layers, head)
        torch.nn.functional.mse_loss(model(inputs), targets).backward()
        norms = np.array([float(layer.weight.grad.norm()) for layer in layers[::2]])[::-1]
        return norms / norms[0]

    threads = torch.get_num_threads()
    torch.set_num_threads(1)  # one thread: the same sums in the same order on every run
    try:
        torch.manual_seed(0)
        inputs = torch.randn(batch, width, dtype=torch.float64)
        targets = torch.randn(batch, 1, dtype=torch.float64)
        sigmoid_rel = grad_norms(torch.nn.Sigmoid, "xavier")
        relu_rel = grad_norms(torch.nn.ReLU, "he")
    finally:
        torch.set_num_threads(threads)

    n = np.arange(depth)
    bound = np.array([vanishing_gradient_bound(int(k)) for k in n])
    fig = _new_figure(7.2, 4.4)
    ax = fig.add_subplot()
    _log_axis(ax)
    ax.plot(n, bound, color=PALETTE["gray"], linestyle=(0, (5, 2.5)), linewidth=1.8,
                label="상한 0.25ⁿ (시그모이드 도함수 최댓값의 n제곱)")
    ax.plot(n, sigmoid_rel, "o-", color=PALETTE["orange"], ms=4.5,
                label="시그모이드 신경망, Xavier 초기화 (측정)")
    ax.plot(n, relu_rel, "s-", color=PALETTE["blue"], ms=4.5,
                label="ReLU 신경망, He 초기화 (측정)")
    ax.set(xlim=(-0.5, depth - 0.5), xticks=range(0, depth, 2),
           xlabel="출력 쪽 은닉층에서 거슬러 올라간 층 수 n",
           ylabel="가중치 기울기 노름 (n = 0 대비, 로그 축)",
           title=f"깊이에 따른 기울기 크기 ({depth}층 MLP, 폭 {width}, 배치 {batch})")
    ax.annotate(f"n = {depth - 1}: 시그모이드 {_sci(sigmoid_rel[-1])}, ReLU {relu_rel[-1]:.2f}",
                xy=(0.02, 0.04), xycoords="axes fraction", fontsize=9.5)
    ax.legend(loc="lower left", bbox_to_anchor=(0.0, 0.1))
    return fig


@figure("init-std-depth.svg")
def init_std_depth_figure():
    import math

    import numpy as np

    from relu_docs.functional import relu
    from relu_docs.init import he_std, init_weights, torch_default_linear_bound, xavier_std

    depth, width, batch = 20, 256, 512
    x = np.random.default_rng(0).standard_normal((batch, width))
    schemes = [
        ("he", "He", he_std(width) ** 2, PALETTE["blue"], "o"),
        ("xavier", "Xavier", xavier_std(width, width) ** 2, PALETTE["orange"], "s"),
        ("torch_default", "PyTorch 기본값", torch_default_linear_bound(width) ** 2 / 3,
         PALETTE["green"], "^"),
    ]
    layers = np.arange(1, depth + 1)
    fig = _new_figure(7.2, 4.4)
    ax = fig.add_subplot()
    _log_axis(ax)
    for kind, name, weight_var, color, marker in schemes:
        rng = np.random.default_rng(1)
        h, measured = x, []
        for _ in range(depth):
            h = relu(h @ init_weights(kind, (width, width), rng).T)
            measured.append(float(h.std()))
        # Var[z_1] = n Var[W] E[x^2]; Var[z_l] = n Var[W] Var[z_{l-1}] / 2 (half the mass is zeroed);
        # std of ReLU(z) for z ~ N(0, v) is sqrt(v (1/2 - 1/(2 pi))).
        q = width * weight_var
        var_z = q * np.power(q / 2, layers - 1)
        theory = np.sqrt(var_z * (0.5 - 1 / (2 * math.pi)))
        ax.plot(layers, theory, color=color, linestyle=(0, (4, 2.5)), linewidth=1.3)
        ax.plot(layers, measured, marker, color=color, ms=5,
                    label=f"{name}: Var[W] = {q:.2g}/n")
    ax.plot([], [], color=PALETTE["gray"], linestyle=(0, (4, 2.5)), linewidth=1.3,
            label="점선: 이론값")
    ax.set(xlim=(0.5, depth + 0.5), xticks=range(2, depth + 1, 2), xlabel="층 번호 l",
           ylabel="ReLU 출력의 표준편차 (로그 축)",
           title=f"초기화에 따른 층별 활성화 크기 (ReLU MLP, 폭 n = {width}, 입력 {batch}개)")
    ax.legend(loc="lower left")
    return fig


@figure("relu-sparsity.svg")
def relu_sparsity_figure():
    import numpy as np

    from relu_docs.functional import relu
    from relu_docs.init import init_weights

    batch, width = 4096, 256
    rng = np.random.default_rng(0)
    x = rng.standard_normal((batch, width))
    z = x @ init_weights("he", (width, width), rng).T
    h = relu(z)
    zero_fraction = float(np.mean(h == 0))
    weight = np.full(z.size, 1 / z.size)
    bins = np.linspace(-5, 5, 51)

    fig = _new_figure(8.0, 3.8)
    left, right = fig.subplots(1, 2, sharex=True)
    neg = z.ravel() < 0
    left.hist(z.ravel()[neg], bins=bins, weights=weight[neg], color=PALETTE["gray"],
              label=f"음수 {neg.mean():.1%}: ReLU가 0으로 만듦")
    left.hist(z.ravel()[~neg], bins=bins, weights=weight[~neg], color=PALETTE["blue"],
              label="양수: 그대로 통과")
    left.set(title="활성화 전 z = Wx", xlabel="값", ylabel="값의 비율")
    left.set_ylim(0, left.get_ylim()[1] * 1.3)  # room for the legend
    left.legend(loc="upper left", fontsize=9)

    pos = h.ravel() > 0
    right.bar([0.0], [zero_fraction], width=0.16, color=PALETTE["orange"],
              label=f"정확히 0: {zero_fraction:.1%}")
    right.hist(h.ravel()[pos], bins=bins, weights=weight[pos], color=PALETTE["blue"],
               label=f"양수: {pos.mean():.1%}")
    right.set(title="ReLU 출력 max(0, z)", xlabel="값", xlim=(-5, 5), ylim=(0, zero_fraction * 1.15))
    right.legend(loc="upper right", fontsize=9)
    fig.suptitle(f"He 초기화 직후 한 층({width}개 뉴런, 입력 {batch}개): "
                 f"ReLU 출력의 {zero_fraction:.1%}가 0")
    return fig


# ============================================================ incremental build
def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _module_file(module: str, root: Path) -> Path | None:
    base = root.joinpath(*module.split("."))
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def _package_imports(tree: ast.AST, module: str = "", is_package: bool = False) -> set[str]:
    """relu_docs modules imported anywhere in ``tree`` (relative imports resolved)."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.split(".")[0] == PACKAGE)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                parts = module.split(".")
                parts = parts if is_package else parts[:-1]
                parts = parts[: len(parts) - (node.level - 1)]
                base = ".".join(parts + ([node.module] if node.module else []))
            else:
                base = node.module or ""
            if base.split(".")[0] != PACKAGE:
                continue
            found.add(base)
            found.update(f"{base}.{a.name}" for a in node.names)  # `from pkg import module`
    return found


def _closure(modules: set[str], root: Path, parsed: dict) -> dict[str, Path]:
    """Source files of ``modules`` and of every relu_docs module they import, with parents.

    ``parsed`` memoises each module's own imports across calls.
    """
    files: dict[str, Path] = {}
    todo = list(modules)
    while todo:
        module = todo.pop()
        parts = module.split(".")
        for i in range(1, len(parts) + 1):  # importing a.b.c runs a/__init__ and a/b/__init__
            name = ".".join(parts[:i])
            if name in files:
                continue
            if name not in parsed:
                path = _module_file(name, root)
                imports = set() if path is None else _package_imports(
                    ast.parse(path.read_text("utf-8")), name, path.name == "__init__.py")
                parsed[name] = (path, imports)
            path, imports = parsed[name]
            if path is None:
                continue  # `from relu_docs.x import name`: name is not a module
            files[name] = path
            todo.extend(imports)
    return files


def _figure_nodes(source: str):
    """Map figure name -> FunctionDef node, read from the source text."""
    nodes = {}
    for node in ast.parse(source).body:
        if not isinstance(node, ast.FunctionDef):
            continue
        for dec in node.decorator_list:
            if (isinstance(dec, ast.Call) and isinstance(dec.func, ast.Name) and dec.func.id == "figure"
                    and dec.args and isinstance(dec.args[0], ast.Constant)):
                nodes[dec.args[0].value] = node
    return nodes


def _versions() -> str:
    out = []
    for dist in ("numpy", "matplotlib", "torch"):
        try:
            out.append(f"{dist}=={metadata.version(dist)}")
        except metadata.PackageNotFoundError:
            out.append(f"{dist}: none")
    return ";".join(out)


def _analyse(script: Path | None, root: Path):
    """Split the script into shared code and one segment per figure; find each figure's modules."""
    source = Path(script or __file__).read_text("utf-8")
    nodes = _figure_nodes(source)
    lines = source.splitlines(keepends=True)
    segments = {name: "".join(lines[n.decorator_list[0].lineno - 1: n.end_lineno])
                for name, n in nodes.items()}
    common = source
    for segment in segments.values():
        common = common.replace(segment, "")
    shared = _package_imports(ast.parse(common))  # helpers that import relu_docs affect all
    parsed: dict = {}
    deps = {name: _closure(_package_imports(node) | shared, root, parsed) for name, node in nodes.items()}
    return common, segments, deps


def figure_dependencies(script: Path | None = None, root: Path = ROOT) -> dict[str, dict[str, Path]]:
    """Map figure name -> {module: source file} of the relu_docs modules it uses."""
    return _analyse(script, root)[2]


def figure_keys(script: Path | None = None, root: Path = ROOT) -> dict[str, str]:
    """Map figure name -> cache key (see the module docstring)."""
    common, segments, deps = _analyse(script, root)
    base = hashlib.sha256(f"{FORMAT_VERSION}\n{_versions()}\n{common}".encode("utf-8"))
    contents = {}
    keys = {}
    for name, segment in segments.items():
        h = base.copy()
        h.update(segment.encode("utf-8"))
        for module, path in sorted(deps[name].items()):
            if module not in contents:
                contents[module] = path.read_bytes()
            h.update(f"\n--- {module}\n".encode("utf-8"))
            h.update(contents[module])
        keys[name] = h.hexdigest()
    return keys


def _load_cache(cache_path: Path | None) -> dict:
    if cache_path is None or not cache_path.is_file():
        return {}
    try:
        data = json.loads(cache_path.read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    return data.get("figures", {}) if data.get("version") == FORMAT_VERSION else {}


def _check_names(names) -> list[str]:
    names = list(FIGURES) if names is None else list(names)
    unknown = [n for n in names if n not in FIGURES]
    if unknown:
        raise ValueError(f"unknown figure(s) {unknown}; known: {sorted(FIGURES)}")
    return names


def stale(out_dir: Path = OUT_DIR, cache_path: Path | None = CACHE_PATH, only=None,
          keys: dict | None = None) -> list[str]:
    """Names of the figures to rebuild: code changed, or file missing or edited."""
    names = _check_names(only)
    keys = keys or figure_keys()
    cache = _load_cache(cache_path)
    result = []
    for name in names:
        path = Path(out_dir) / name
        entry = cache.get(name, {})
        if (not path.is_file() or entry.get("key") != keys[name]
                or entry.get("sha256") != _sha(path.read_bytes())):
            result.append(name)
    return result


def _write_if_changed(path: Path, data: bytes) -> None:
    if path.is_file() and path.read_bytes() == data:
        return  # leave the mtime alone: `mkdocs serve` would rebuild again
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def build(out_dir: Path = OUT_DIR, cache_path: Path | None = CACHE_PATH, only=None,
          force: bool = False, prune: bool | None = None, log=None) -> list[str]:
    """Regenerate stale figures (all of ``only`` if ``force``); return the names rebuilt.

    ``cache_path=None`` keeps no cache, so every requested figure is drawn.
    ``prune`` (default: when building every figure) deletes other ``*.svg``
    files in ``out_dir``, figures that no longer exist.
    """
    out_dir = Path(out_dir)
    names = _check_names(only)
    keys = figure_keys()
    todo = names if force or cache_path is None else stale(out_dir, cache_path, names, keys)
    out_dir.mkdir(parents=True, exist_ok=True)
    cache = _load_cache(cache_path)
    for name in todo:
        start = time.perf_counter()
        data = render(name)
        _write_if_changed(out_dir / name, data)
        cache[name] = {"key": keys[name], "sha256": _sha(data)}
        if log:
            log(f"  {name}: {time.perf_counter() - start:.2f} s")
    if prune if prune is not None else only is None:
        for path in sorted(out_dir.glob("*.svg")):
            if path.name not in FIGURES:
                path.unlink()
                if log:
                    log(f"  removed {path.name} (no figure of that name)")
    if cache_path is not None and todo:
        cache_path.parent.mkdir(parents=True, exist_ok=True)
        cache = {k: v for k, v in sorted(cache.items()) if k in FIGURES}
        cache_path.write_text(json.dumps({"version": FORMAT_VERSION, "figures": cache}, indent=1) + "\n",
                              "utf-8")
    return todo


def main(argv=None, *, out_dir=None, only=None, force=None, cache_path=None, quiet=False) -> list[str]:
    """Command line (``argv``) and function API; returns the names of the figures rebuilt.

    ``main(out_dir=tmp, only=["relu.svg"])`` draws into ``tmp`` without
    touching the repository's cache (it keeps a cache only for the default
    output directory, or when ``cache_path`` is given).
    """
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("names", nargs="*", help="figures to build (default: all)")
    parser.add_argument("--out", type=Path, help=f"output directory (default: {OUT_DIR.relative_to(ROOT)})")
    parser.add_argument("--cache", type=Path,
                        help=f"cache file (default: {CACHE_PATH.relative_to(ROOT)} for the default output, else none)")
    parser.add_argument("--force", action="store_true", help="rebuild even if up to date")
    parser.add_argument("--list", action="store_true", help="list the figures and whether each is stale")
    parser.add_argument("--quiet", action="store_true")
    args = parser.parse_args([] if argv is None else argv)

    out = Path(out_dir or args.out or OUT_DIR)
    cache_path = cache_path or args.cache
    if cache_path is None:
        cache_path = CACHE_PATH if out.resolve() == OUT_DIR.resolve() else None
    names = list(only or args.names) or None
    quiet = quiet or args.quiet
    if args.list:
        todo = set(stale(out, cache_path, names)) if cache_path else set(_check_names(names))
        for name in _check_names(names):
            print(f"{name:24s} {'stale' if name in todo else 'up to date'}")
        return []
    start = time.perf_counter()
    done = build(out, cache_path, names, force=bool(force or args.force),
                 log=None if quiet else print)
    if not quiet:
        total = len(_check_names(names))
        where = os.path.relpath(out, Path.cwd())
        if done:
            print(f"figures: drew {len(done)} of {total} into {where} in {time.perf_counter() - start:.1f} s")
        else:
            print(f"figures: all {total} up to date in {where}")
    return done


if __name__ == "__main__":
    main(sys.argv[1:])
