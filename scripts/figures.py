"""Every figure of the ReLU 위키, one small function each, drawn from relu_docs.

Each function is decorated with ``@figure("name.svg")``, imports what it draws from
``relu_docs`` *inside its body* (that is how the build knows which package modules a figure
depends on) and returns a matplotlib ``Figure``. A page shows it as

    <figure markdown="span">
      ![그림이 보여 주는 내용을 한국어로](figures/name.svg)
      <figcaption>캡션</figcaption>
    </figure>

``python scripts/build_figures.py`` draws them into ``docs/figures/``; the house style (fonts,
colours, the light and dark variants) and the incremental build are
:mod:`relu_docsite.figure_build`'s. Numbers in titles and notes (a zero fraction, a derivative's
value at 0) are computed when the figure is drawn.
"""

from __future__ import annotations

from relu_docsite.figure_build import FOREGROUND, PALETTE, figure, new_figure, superscript


# ============================================================ shared drawing helpers
def _log_axis(ax, axis: str = "y") -> None:
    """Log scale with plain-text tick labels such as 10⁻⁴ (no mathtext: it needs its own fonts)."""
    import math

    from matplotlib.ticker import FuncFormatter, LogLocator, NullFormatter

    def label(value, _pos):
        return f"10{superscript(str(round(math.log10(value))))}" if value > 0 else ""

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
    return f"{_num(float(mantissa), f'.{digits}f')} × 10{superscript(str(int(exponent)))}"


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

    fig = new_figure(6.4, 3.9)
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
    fig = new_figure(8.4, 5.2)
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
    fig = new_figure(7.2, 4.4)
    ax = fig.add_subplot()
    _log_axis(ax)
    ax.plot(n, bound, color=PALETTE["gray"], linestyle=(0, (5, 2.5)), linewidth=1.8,
                label=f"상한 0.25{superscript('n')} (시그모이드 도함수 최댓값의 n제곱)")
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
    fig = new_figure(7.2, 4.4)
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

    fig = new_figure(8.0, 3.8)
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
