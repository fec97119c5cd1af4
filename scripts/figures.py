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


def _vec(v) -> str:
    """``(24, 10)``: a 2-vector as the text writes it."""
    return "(" + ", ".join(_num(float(c)) for c in v) + ")"


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


@figure("clip-norm-vs-value.svg")
def clip_norm_vs_value_figure():
    import math

    import numpy as np
    from matplotlib.patches import Circle, Rectangle

    from relu_docs.gradients import clip_grad_norm, clip_grad_value

    g, c = np.array([24.0, 10.0]), 13.0
    (by_norm,), norm = clip_grad_norm([g], max_norm=c)
    (by_value,) = clip_grad_value([g], clip_value=c)
    turn = math.degrees(math.atan2(by_value[1], by_value[0]) - math.atan2(g[1], g[0]))

    fig = new_figure(6.0, 4.0)
    ax = fig.add_subplot()
    ax.add_patch(Circle((0, 0), c, fill=False, edgecolor=PALETTE["blue"], linewidth=1.3,
                        linestyle=(0, (4, 2)), label=f"노름이 {c:g}인 원"))
    ax.add_patch(Rectangle((-c, -c), 2 * c, 2 * c, fill=False, edgecolor=PALETTE["orange"], linewidth=1.3,
                           linestyle=(0, (1.5, 1.5)), label=f"성분마다 −{c:g}…{c:g}인 정사각형"))
    arrows = [  # (vector, colour, label, label position relative to the tip, alignment)
        (g, PALETTE["gray"], f"원래 기울기 {_vec(g)}\n노름 {norm:g}", (0.0, -1.2), "center", "top"),
        (by_norm, PALETTE["blue"], f"노름 클리핑 {_vec(by_norm)}\n방향 그대로", (1.2, -0.6), "left", "top"),
        (by_value, PALETTE["orange"], f"값 클리핑 {_vec(by_value)}\n방향이 {turn:.0f}° 바뀜", (-0.4, 3.3), "right",
         "bottom"),
    ]
    for vector, color, text, offset, ha, va in arrows:
        ax.annotate("", xy=vector, xytext=(0, 0),
                    arrowprops=dict(arrowstyle="-|>", color=color, linewidth=2.2, mutation_scale=16))
        ax.annotate(text, xy=vector + np.array(offset), ha=ha, va=va, fontsize=10)
    ax.set_aspect("equal")
    ax.set(xlim=(-2, 28), ylim=(-2, 17), xlabel="첫째 성분", ylabel="둘째 성분",
           title=f"기울기 g = {_vec(g)}, 임계값 c = {c:g}: 두 가지 클리핑")
    ax.legend(loc="upper right", fontsize=9.5)
    return fig


@figure("relu-half-second-moment.svg")
def relu_half_second_moment_figure():
    import math

    import numpy as np

    from relu_docs.functional import relu
    from relu_docs.init import relu_second_moment

    var = 9.0
    z = math.sqrt(var) * np.random.default_rng(0).standard_normal(200_000)
    kept = float(np.mean(relu(z) ** 2))
    bins = np.linspace(-12, 12, 49)
    neg = z < 0
    fig = new_figure(5.8, 5.0)
    top, bottom = fig.subplots(2, 1, sharex=True)
    share = np.full(z.size, 1 / z.size)  # each sample's share of the count
    square = z**2 / z.size  # each sample's share of E[z²]
    for ax, weights in ((top, share), (bottom, square)):
        ax.hist(z[neg], bins=bins, weights=weights[neg], color=PALETTE["gray"])
        ax.hist(z[~neg], bins=bins, weights=weights[~neg], color=PALETTE["blue"])
    top.set(title=f"z의 분포 (Var[z] = {var:g}): 음수 {neg.mean():.1%}는 ReLU가 0으로 만듭니다",
            ylabel="샘플의 비율")
    bottom.set(title=f"E[z²] = {float(np.mean(z**2)):.2f}의 구간별 몫: 양수 쪽 몫의 합이 E[ReLU(z)²]",
               ylabel="E[z²]에 대한 몫", xlabel="사전 활성값 z")
    height = bottom.get_ylim()[1] * 1.3
    bottom.set_ylim(0, height)  # room for the two sums above the bars
    bottom.annotate(f"0이 됨: {float(np.sum(square[neg])):.2f}", xy=(-4.5, 0.97 * height), ha="center", va="top")
    bottom.annotate(f"남음: {kept:.2f}\n(Var[z]/2 = {relu_second_moment(var):g})", xy=(4.5, 0.97 * height),
                    ha="center", va="top")
    return fig


@figure("residual-gradient-depth.svg")
def residual_gradient_depth_figure():
    import numpy as np

    from relu_docs.init import torch_default_linear, torch_default_linear_bound, uniform_variance, variance_ratio
    from relu_docs.residual import layer_gradient_norms

    blocks, width, batch = 30, 64, 128
    rng = np.random.default_rng(0)  # the page's example: the same weights and gradients
    x, g = rng.standard_normal((batch, width)), rng.standard_normal((batch, width))
    W = [torch_default_linear((width, width), rng) for _ in range(blocks)]
    plain = layer_gradient_norms(x, W, g, skip=False)[::-1]  # n = 0: the top block
    residual = layer_gradient_norms(x, W, g, skip=True)[::-1]
    n = np.arange(blocks)
    ratio = variance_ratio(width, uniform_variance(torch_default_linear_bound(width)))
    fig = new_figure(6.4, 4.0)
    ax = fig.add_subplot()
    _log_axis(ax)
    ax.plot(n, ratio ** (n / 2), color=PALETTE["gray"], linestyle=(0, (5, 2.5)), linewidth=1.6,
            label=f"이론: 블록마다 1/√{1 / ratio:g} ≈ {ratio ** 0.5:.2f}배")
    ax.plot(n, plain / plain[0], "o-", color=PALETTE["orange"], ms=4, label="plain 신경망 (측정)")
    ax.plot(n, residual / residual[0], "s-", color=PALETTE["blue"], ms=4, label="잔차 신경망 (측정)")
    ax.set(xlim=(-0.5, blocks - 0.5), xticks=range(0, blocks, 5),
           xlabel="맨 위 블록에서 거슬러 내려간 블록 수 n",
           ylabel="블록 출력의 기울기 노름 (n = 0 대비)",
           title=f"PyTorch 기본 초기화, 폭 {width}인 블록 {blocks}개")
    ax.annotate(f"n = {blocks - 1}: plain {_sci(plain[-1] / plain[0], 0)}, 잔차 {residual[-1] / residual[0]:.0f}",
                xy=(0.02, 0.04), xycoords="axes fraction", fontsize=10)
    ax.legend(loc="lower left", bbox_to_anchor=(0.0, 0.1))
    return fig


@figure("loss-vs-probability.svg")
def loss_vs_probability_figure():
    import numpy as np

    from relu_docs.losses import binary_cross_entropy

    p = np.linspace(0.004, 1.0, 997)
    loss = binary_cross_entropy(p, np.ones_like(p), reduction="none")  # target 1: −log p
    marked = np.array([0.99, 0.9, 0.5, 0.1, 0.01])
    marked_loss = binary_cross_entropy(marked, np.ones_like(marked), reduction="none")
    step = float(marked_loss[-1] - marked_loss[-2])  # p ten times smaller
    fig = new_figure(6.0, 3.7)
    ax = fig.add_subplot()
    ax.plot(p, loss, color=PALETTE["blue"])
    ax.plot(marked, marked_loss, "o", color=PALETTE["orange"], ms=6, zorder=4)
    offsets = {0.99: (0, 44), 0.9: (-8, 22)}  # the two points near p = 1: labels stacked above them
    for q, value in zip(marked, marked_loss):
        dx, dy = offsets.get(float(q), (8, 4))
        ax.annotate(f"p = {q:g}: {value:.2f}", xy=(q, value), xytext=(dx, dy), textcoords="offset points",
                    fontsize=10, ha="right" if q in offsets else "left",
                    arrowprops=dict(arrowstyle="-", color=PALETTE["gray"], linewidth=0.8) if q in offsets else None)
    ax.annotate(f"p가 10분의 1이 될 때마다 손실 +{step:.2f}", xy=(0.35, 4.4), fontsize=10)
    ax.set(xlim=(0, 1.02), ylim=(-0.15, 5.6), xlabel="정답 클래스에 준 확률 p", ylabel="손실",
           title="정답 클래스의 확률과 교차 엔트로피")
    return fig


@figure("bce-vs-mse-gradient.svg")
def bce_vs_mse_gradient_figure():
    import numpy as np

    from relu_docs.functional import sigmoid, sigmoid_grad
    from relu_docs.losses import binary_cross_entropy_with_logits_grad, mse_loss_grad

    def grads(z):
        """Gradients with respect to the logit, target 1, one sample at a time."""
        y = np.ones_like(z)
        bce = binary_cross_entropy_with_logits_grad(z, y, reduction="none")
        mse = mse_loss_grad(sigmoid(z), y, reduction="none") * sigmoid_grad(z)  # chain rule through σ
        return bce, mse

    z = np.linspace(-8, 8, 801)
    bce, mse = grads(z)
    z0 = np.array([-5.0])
    bce0, mse0 = (float(v[0]) for v in grads(z0))
    fig = new_figure(6.0, 3.8)
    ax = fig.add_subplot()
    _zero_lines(ax)
    ax.plot(z, bce, color=PALETTE["blue"], label="BCE: σ(z) − 1")
    ax.plot(z, mse, color=PALETTE["orange"], linestyle=(0, (5, 2.5)), label="MSE: 2(σ(z) − 1)·σ′(z)")
    ax.plot([z0[0]] * 2, [bce0, mse0], "o", color=PALETTE["gray"], ms=6, zorder=4)
    ax.annotate(f"z = {_num(z0[0])}: BCE {_num(bce0, '.3f')}", xy=(z0[0], bce0), xytext=(8, -4),
                textcoords="offset points", va="top", fontsize=10)
    ax.annotate(f"MSE {_num(mse0, '.4f')} (약 {bce0 / mse0:.0f}분의 1)", xy=(z0[0], mse0), xytext=(8, -6),
                textcoords="offset points", va="top", fontsize=10)
    ax.set(xlim=(-8, 8), ylim=(-1.15, 0.25), xlabel="로짓 z (정답 y = 1)", ylabel="로짓의 기울기 ∂L/∂z",
           title="정답이 1인 샘플에서 두 손실의 로짓 기울기")
    ax.legend(loc="lower right")
    return fig


def _table(ax, values, title: str, vmax: float) -> None:
    """A samples × features table: each cell coloured by sign (opacity by size) and labelled."""
    from matplotlib.patches import Rectangle

    rows, cols = values.shape
    for i in range(rows):
        for j in range(cols):
            v = float(values[i, j])
            ax.add_patch(Rectangle((j, i), 1, 1, facecolor=PALETTE["blue" if v < 0 else "orange"],
                                   alpha=0.08 + 0.45 * min(abs(v) / vmax, 1.0), edgecolor="none"))
            ax.text(j + 0.5, i + 0.5, _num(v, ".1f"), ha="center", va="center", fontsize=10)
    ax.set(xlim=(0, cols), ylim=(rows, 0), title=title)
    ax.set_xticks([j + 0.5 for j in range(cols)], [f"특성 {j + 1}" for j in range(cols)], fontsize=9)
    ax.set_yticks([i + 0.5 for i in range(rows)], [f"샘플 {i + 1}" for i in range(rows)], fontsize=9)
    ax.tick_params(length=0)
    ax.grid(False)
    for side in ("left", "bottom"):
        ax.spines[side].set_visible(False)


@figure("layer-vs-batch-norm.svg")
def layer_vs_batch_norm_figure():
    import numpy as np
    from matplotlib.patches import Rectangle

    from relu_docs.normalization import batch_norm, layer_norm

    rng = np.random.default_rng(3)
    scale = np.array([[1.0], [4.0], [0.5], [2.0]])  # samples of different size
    offset = np.array([2.0, -1.0, 0.0, 3.0, 1.0, -2.0])  # features of different level
    x = np.round(scale * rng.standard_normal((4, 6)) + offset, 1)
    bn = batch_norm(x)[0]
    ln = layer_norm(x, x.shape[1])
    fig = new_figure(5.6, 6.4)
    axes = fig.subplots(3, 1)
    col, row = 3, 1  # the column and the row outlined
    _table(axes[0], x, f"입력 x (샘플 {x.shape[0]}개 × 특성 {x.shape[1]}개)", float(np.abs(x).max()))
    _table(axes[1], bn, f"배치 정규화: 열마다 평균 0, 분산 1 (특성 {col + 1}: 평균 "
           f"{abs(bn[:, col].mean()):.2f}, 분산 {bn[:, col].var():.2f})", 2.0)
    _table(axes[2], ln, f"층 정규화: 행마다 평균 0, 분산 1 (샘플 {row + 1}: 평균 "
           f"{abs(ln[row].mean()):.2f}, 분산 {ln[row].var():.2f})", 2.0)
    axes[1].add_patch(Rectangle((col, 0), 1, x.shape[0], fill=False, edgecolor=PALETTE["purple"], linewidth=2.2))
    axes[2].add_patch(Rectangle((0, row), x.shape[1], 1, fill=False, edgecolor=PALETTE["purple"], linewidth=2.2))
    return fig


@figure("softmax-temperature.svg")
def softmax_temperature_figure():
    import numpy as np

    from relu_docs.functional import softmax_with_temperature

    logits = [2.0, 1.0, 0.0]
    temperatures = [0.1, 0.5, 1.0, 10.0]  # not 2: exercise 2 on the page asks for it
    probs = np.array([softmax_with_temperature(logits, temperature=t) for t in temperatures])
    colors = [PALETTE["blue"], PALETTE["orange"], PALETTE["green"]]
    fig = new_figure(6.0, 3.7)
    ax = fig.add_subplot()
    width = 0.26
    for k, (logit, color) in enumerate(zip(logits, colors)):
        xs = np.arange(len(temperatures)) + (k - 1) * width
        bars = ax.bar(xs, probs[:, k], width=width * 0.92, color=color, label=f"로짓 {logit:g}")
        ax.bar_label(bars, labels=[f"{v:.2f}" for v in probs[:, k]], fontsize=8.5, padding=2)
    ax.axhline(1 / len(logits), color=PALETTE["gray"], linestyle=(0, (4, 2.5)), linewidth=1.2,
               label=f"균등분포 1/{len(logits)}")
    ax.set_xticks(range(len(temperatures)), [f"T = {t:g}" for t in temperatures])
    ax.set(ylim=(0, 1.12), yticks=np.linspace(0, 1, 6), ylabel="확률",
           title=f"로짓 {_vec(logits)}의 소프트맥스, 온도 T에 따라")
    ax.grid(axis="x", visible=False)
    ax.legend(loc="upper right", fontsize=9.5)
    return fig


@figure("dead-vs-zero.svg")
def dead_vs_zero_figure():
    import numpy as np
    import torch
    from matplotlib.patches import Rectangle

    from relu_docs.diagnostics import dead_relu_report
    from relu_docs.functional import relu

    samples, units, dead = 12, 8, 5
    z = np.random.default_rng(1).standard_normal((samples, units))
    z[:, dead] -= 4.0  # one unit's bias pushed far below 0
    a = relu(z)
    report = dead_relu_report(torch.nn.Sequential(torch.nn.ReLU()), [torch.from_numpy(z)])["0"]
    total = report["samples"] * report["units"]
    fig = new_figure(4.6, 5.6)
    ax = fig.add_subplot()
    for n in range(samples):
        for j in range(units):
            value = float(a[n, j])
            if value > 0:  # blue, darker for a larger output
                color, alpha = PALETTE["blue"], 0.45 + 0.55 * min(value / 2.0, 1.0)
            else:  # grey, marked 0
                color, alpha = PALETTE["gray"], 0.3
                ax.text(j + 0.5, n + 0.5, "0", ha="center", va="center", fontsize=8.5)
            ax.add_patch(Rectangle((j + 0.06, n + 0.06), 0.88, 0.88, facecolor=color, alpha=alpha, edgecolor="none"))
    ax.add_patch(Rectangle((dead, 0), 1, samples, fill=False, edgecolor=PALETTE["orange"], linewidth=2.4))
    ax.annotate("죽은 유닛", xy=(dead + 0.5, -0.15), ha="center", va="bottom", fontsize=10)
    ax.set(xlim=(0, units), ylim=(samples, -1.0), xlabel="유닛 j", ylabel="샘플 n")
    zeros = round(report["zero_fraction"] * total)
    ax.set_title(f"zero_fraction = {zeros}/{total} = {report['zero_fraction']:.2f} (0인 칸)\n"
                 f"dead_fraction = {report['dead_units']}/{report['units']} = {report['dead_fraction']:.3f} "
                 "(모든 칸이 0인 열)", fontsize=10.5)
    ax.set_xticks([j + 0.5 for j in range(units)], [str(j + 1) for j in range(units)])
    ax.set_yticks([n + 0.5 for n in range(samples)], [str(n + 1) for n in range(samples)])
    ax.tick_params(length=0)
    ax.grid(False)
    ax.set_aspect("equal")
    return fig


def _bowl(theta):
    """The long bowl L(θ) = θ₁² + 10 θ₂² of the gradient and optimizer pages (θ: 2 numbers or 2 grids)."""
    return theta[0] ** 2 + 10 * theta[1] ** 2


def _bowl_contours(ax, xlim, ylim, levels) -> None:
    import numpy as np

    grid = np.meshgrid(np.linspace(*xlim, 241), np.linspace(*ylim, 241))
    ax.contour(*grid, _bowl(grid), levels=levels, colors=PALETTE["gray"], linewidths=0.9)
    ax.plot([0], [0], "+", color=PALETTE["gray"], ms=9, mew=1.5)
    ax.set_aspect("equal")
    ax.set(xlim=xlim, ylim=ylim, xlabel="θ₁", ylabel="θ₂")
    ax.grid(False)


@figure("gradient-field.svg")
def gradient_field_figure():
    import numpy as np

    from relu_docs.gradients import numerical_gradient

    points = np.array([(a, b) for a in np.arange(-2.0, 2.01, 0.5) for b in np.arange(-0.8, 0.81, 0.4)
                       if (a, b) != (0.0, 0.0)])
    grads = np.array([numerical_gradient(_bowl, p) for p in points])
    lengths = np.linalg.norm(grads, axis=1)
    fig = new_figure(6.0, 3.7)
    ax = fig.add_subplot()
    _bowl_contours(ax, (-2.5, 2.9), (-1.3, 1.3), levels=[0.25, 1, 2.25, 4, 6.25])
    ax.quiver(points[:, 0], points[:, 1], grads[:, 0], grads[:, 1], angles="xy", scale_units="xy",
              scale=lengths.max() / 0.42, color=PALETTE["orange"], width=0.006, zorder=3)
    for p in ((2.0, 0.0), (0.0, 0.8)):  # the shortest and the longest arrow
        i = int(np.argmin(np.linalg.norm(points - p, axis=1)))
        ax.annotate(f"크기 {lengths[i]:.0f}", xy=points[i], xytext=(10, -3 if p[1] == 0 else 6),
                    textcoords="offset points", fontsize=10, va="top" if p[1] == 0 else "bottom")
    ax.set_title("L(θ) = θ₁² + 10θ₂²의 등고선과 기울기 ∇L")
    return fig


@figure("optimizer-paths.svg")
def optimizer_paths_figure():
    import numpy as np

    from relu_docs.gradients import numerical_gradient
    from relu_docs.optim import adam_step, momentum_step, sgd_step

    steps, start, shown = 30, np.array([1.0, 1.0]), 3  # the page's example prints step 3
    lr, beta, adam_lr = 0.04, 0.9, 0.1  # the example's settings

    def gradient(theta):
        return numerical_gradient(_bowl, theta)

    sgd = [start]
    for _ in range(steps):
        sgd.append(sgd_step(sgd[-1], gradient(sgd[-1]), lr=lr))
    momentum, velocity = [start], None
    for _ in range(steps):
        theta, velocity = momentum_step(momentum[-1], gradient(momentum[-1]), velocity, lr=lr, momentum=beta)
        momentum.append(theta)
    adam, m, v = [start], None, None
    for t in range(1, steps + 1):
        theta, m, v = adam_step(adam[-1], gradient(adam[-1]), m, v, t, lr=adam_lr)
        adam.append(theta)

    runs = [(f"SGD (lr {lr:g})", PALETTE["blue"], "o", "-", sgd),
            (f"모멘텀 (lr {lr:g}, momentum {beta:g})", PALETTE["orange"], "s", (0, (4, 2)), momentum),
            (f"Adam (lr {adam_lr:g})", PALETTE["green"], "^", (0, (1.5, 1.5)), adam)]
    fig = new_figure(5.4, 5.4)
    ax = fig.add_subplot()
    _bowl_contours(ax, (-0.85, 1.25), (-1.1, 1.25), levels=[0.02, 0.1, 0.3, 1, 2.5, 5, 11])
    for name, color, marker, style, p in runs:
        p = np.array(p)
        ax.plot(p[:, 0], p[:, 1], linestyle=style, marker=marker, ms=3.5, linewidth=1.4, color=color,
                label=f"{name}: {steps}단계 뒤 L = {_bowl(p[-1]):.3f}")
        ax.plot(*p[shown], marker=marker, ms=10, color=color, mec=FOREGROUND, mew=0.8, zorder=4)
    ax.annotate(f"출발 {_vec(start)}", xy=start, xytext=(-6, 6), textcoords="offset points", ha="right", fontsize=10)
    ax.plot([], [], "o", ms=10, color=PALETTE["gray"], mec=FOREGROUND, mew=0.8,
            label=f"큰 표시: {shown}단계 뒤 (위 예제의 출력)")
    ax.set_title("L(θ) = θ₁² + 10θ₂²에서 세 옵티마이저의 경로")
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.12), fontsize=9.5)
    return fig


@figure("overfitting-curves.svg")
def overfitting_curves_figure():
    import numpy as np

    from relu_docs.backprop import two_layer_backward, two_layer_forward, two_layer_loss
    from relu_docs.init import torch_default_linear
    from relu_docs.optim import adam_step
    from relu_docs.regularization import early_stopping

    n_train, hidden, epochs, lr, patience = 12, 128, 2000, 0.003, 100
    rng = np.random.default_rng(0)
    x = rng.uniform(-1, 1, (n_train, 1))
    y = np.sin(np.pi * x) + 0.3 * rng.standard_normal((n_train, 1))
    x_val = np.linspace(-1, 1, 200)[:, None]
    y_val = np.sin(np.pi * x_val) + 0.3 * rng.standard_normal((200, 1))
    # nn.Linear's default: weights and biases U(−1/√fan_in, 1/√fan_in)
    params = {"W1": torch_default_linear((hidden, 1), rng), "b1": torch_default_linear((hidden, 1), rng)[:, 0],
              "W2": torch_default_linear((1, hidden), rng), "b2": torch_default_linear((1, hidden), rng)[:, 0]}
    moments = {name: (None, None) for name in params}
    train, val = [], []
    for t in range(1, epochs + 1):  # full batch: one step per epoch
        grads = two_layer_backward(two_layer_forward(x, **params), y)
        for name in params:
            m, v = moments[name]
            params[name], m, v = adam_step(params[name], grads["d" + name], m, v, t, lr=lr)
            moments[name] = (m, v)
        train.append(two_layer_loss(two_layer_forward(x, **params), y))
        val.append(two_layer_loss(two_layer_forward(x_val, **params), y_val))
    best, stop = early_stopping(val, patience=patience)

    fig = new_figure(6.4, 3.9)
    ax = fig.add_subplot()
    epoch = np.arange(epochs)
    ax.plot(epoch, train, color=PALETTE["blue"], label=f"학습 손실 (샘플 {n_train}개)")
    ax.plot(epoch, val, color=PALETTE["orange"], linestyle=(0, (5, 2.5)), label=f"검증 손실 (샘플 {len(x_val)}개)")
    ax.plot([best], [val[best]], "o", color=PALETTE["orange"], ms=7, zorder=4)
    ax.annotate(f"검증 손실 최저: 에포크 {best} ({val[best]:.3f})", xy=(best, val[best]), xytext=(450, 0.1),
                fontsize=10, va="center", arrowprops=dict(arrowstyle="-", color=PALETTE["gray"], linewidth=0.8))
    ax.axvline(stop, color=PALETTE["gray"], linestyle=(0, (2, 2)), linewidth=1.3,
               label=f"patience {patience}인 조기 종료가 멈추는 에포크 {stop}")
    ax.annotate(f"에포크 {epochs - 1}: 학습 {train[-1]:.3f}, 검증 {val[-1]:.3f}", xy=(epochs - 30, 0.2),
                ha="right", fontsize=10)
    ax.set(xlim=(0, epochs), ylim=(0, 0.45), xlabel="에포크 (전체 배치, 한 에포크에 한 단계)", ylabel="MSE 손실",
           title=f"은닉층 하나(유닛 {hidden}개)의 ReLU 신경망, 잡음 섞인 sin 회귀")
    ax.legend(loc="upper center", fontsize=9.5)
    return fig


@figure("dropout-variance-shift.svg")
def dropout_variance_shift_figure():
    import numpy as np

    from relu_docs.dropout import dropout, dropout_variance_shift
    from relu_docs.normalization import batch_norm

    ps = np.round(np.arange(0.1, 0.91, 0.1), 1)
    mean_in, var_in = 0.0, 1.0
    theory = np.array([dropout_variance_shift(p, mean=mean_in, var=var_in) for p in ps])
    rng = np.random.default_rng(0)
    running_var, eval_var = [], []
    for p in ps:  # dropout → batch norm: train 200 steps, then evaluate
        mean, var = np.zeros(16), np.ones(16)
        for _ in range(200):
            x = mean_in + np.sqrt(var_in) * rng.standard_normal((256, 16))
            _, mean, var = batch_norm(dropout(x, p=p, rng=rng), running_mean=mean, running_var=var)
        x = mean_in + np.sqrt(var_in) * rng.standard_normal((4096, 16))  # evaluation: dropout off
        y = batch_norm(dropout(x, p=p, training=False), running_mean=mean, running_var=var, training=False)[0]
        running_var.append(float(var.mean()))
        eval_var.append(float(y.var(axis=0).mean()))
    half = int(np.argmin(np.abs(ps - 0.5)))

    fig = new_figure(6.2, 4.0)
    ax = fig.add_subplot()
    ax.set_yscale("log")
    ticks = [0.1, 0.2, 0.5, 1, 2, 5, 10]
    ax.set_yticks(ticks, [f"{t:g}" for t in ticks])
    ax.yaxis.set_minor_formatter("")
    ax.plot(ps, theory[:, 0], color=PALETTE["orange"], label="드롭아웃 출력의 분산, 학습 모드 (식)")
    ax.plot(ps, running_var, "o", color=PALETTE["orange"], ms=6, label="배치 정규화의 러닝 분산 (측정)")
    ax.plot(ps, theory[:, 1], color=PALETTE["blue"], linestyle=(0, (5, 2.5)),
            label="드롭아웃 출력의 분산, 평가 모드 (식)")
    ax.plot(ps, eval_var, "s-", color=PALETTE["purple"], ms=5, linewidth=1.4,
            label="평가 때 배치 정규화 출력의 분산 (측정)")
    ax.annotate(f"p = {ps[half]:g}: 러닝 분산 {running_var[half]:.2f}, 출력 분산 {eval_var[half]:.2f}",
                xy=(ps[half], eval_var[half]), xytext=(-8, -14), textcoords="offset points", fontsize=10,
                va="top", ha="right")
    ax.set(xlim=(0.05, 0.95), ylim=(0.08, 13), xlabel="드롭아웃 확률 p",
           ylabel="분산 (로그 축)", title=f"드롭아웃 → 배치 정규화: 평균 {mean_in:g}, 분산 {var_in:g}인 입력")
    ax.set_xticks(ps)
    ax.legend(loc="upper left", fontsize=9.5)
    return fig


@figure("batchnorm-running-stats.svg")
def batchnorm_running_stats_figure():
    import numpy as np

    from relu_docs.normalization import batch_norm

    true_mean, true_var, batch, steps, momentum = 5.0, 4.0, 32, 60, 0.1
    rng = np.random.default_rng(0)
    mean, var = np.zeros(1), np.ones(1)  # PyTorch's initial running statistics
    history = [(0.0, 1.0)]
    for _ in range(steps):
        x = true_mean + np.sqrt(true_var) * rng.standard_normal((batch, 1))
        _, mean, var = batch_norm(x, running_mean=mean, running_var=var, momentum=momentum)
        history.append((float(mean[0]), float(var[0])))
    history = np.array(history)

    fig = new_figure(6.2, 3.7)
    ax = fig.add_subplot()
    step = np.arange(steps + 1)
    ax.axhline(true_mean, color=PALETTE["blue"], linewidth=1.0, alpha=0.6, linestyle=(0, (4, 2.5)))
    ax.axhline(true_var, color=PALETTE["orange"], linewidth=1.0, alpha=0.6, linestyle=(0, (4, 2.5)))
    ax.plot(step, history[:, 0], color=PALETTE["blue"], marker="o", ms=3,
            label=f"러닝 평균 (실제 평균 {true_mean:g})")
    ax.plot(step, history[:, 1], color=PALETTE["orange"], marker="s", ms=3,
            label=f"러닝 분산 (실제 분산 {true_var:g})")
    ax.annotate("\n".join(f"{k}단계 뒤: 평균 {history[k, 0]:.2f}, 분산 {history[k, 1]:.2f}" for k in (10, 30, steps)),
                xy=(14, 0.5), fontsize=10)
    ax.set(xlim=(0, steps), ylim=(0, 6.5), xlabel="학습 단계", ylabel="러닝 통계",
           title=f"momentum {momentum:g}, 배치 {batch}: 평균 {history[0, 0]:g}, 분산 {history[0, 1]:g}에서 출발")
    ax.legend(loc="lower right", bbox_to_anchor=(1.0, 0.28))
    return fig
