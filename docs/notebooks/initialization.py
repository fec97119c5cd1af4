# ---
# jupyter:
#   jupytext:
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.6
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 초기화 실험: 깊이에 따른 분산
#
# 깊은 ReLU 신경망에서 [가중치 초기화(weight initialization)](../weight-initialization.md)가 왜 중요한지 직접 확인합니다.
# 폭이 같은 완전 연결층 30개를 쌓고, 표준정규분포에서 뽑은 입력을 통과시키면서
# 층마다 사전 활성값(pre-activation)의 분산(variance)을 잽니다.
# 비교하는 초기화는 세 가지입니다.
#
# | 이름 | 분산 $\operatorname{Var}[W]$ | 구현 |
# |---|---|---|
# | He | $2 / n_\text{in}$ | `relu_docs.init.he_std` |
# | Xavier | $2 / (n_\text{in} + n_\text{out})$ | `relu_docs.init.xavier_std` |
# | PyTorch 기본값 | $1 / (3 n_\text{in})$ | `relu_docs.init.torch_default_linear_bound` |
#
# 편향(bias)은 모두 0으로 둡니다. 데이터는 난수로 만들므로 내려받을 것이 없고, 시드(seed)를 고정해 매번 같은 결과가 나옵니다.

# %%
import math

import matplotlib.pyplot as plt
import numpy as np
import torch

from relu_docs.functional import relu
from relu_docs.init import he_std, init_weights, torch_default_linear_bound, xavier_std
from relu_docs.plotting import use_korean_font

# %config InlineBackend.figure_formats = ["svg"]
# 그림의 글꼴: 라틴 문자와 수식은 DejaVu Sans, 한글은 설치된 한글 글꼴로 그립니다.
use_korean_font()

torch.manual_seed(0)
rng = np.random.default_rng(0)
DEPTH, WIDTH, BATCH = 30, 256, 1024

# %% [markdown]
# ## 이론이 예측하는 것
#
# 층 $l$의 사전 활성값을 $y_l = W_l x_l$, ReLU를 지난 값을 $x_{l+1} = \max(0, y_l)$라고 합시다.
# $y_l$이 0을 중심으로 대칭이면 ReLU는 두 번째 모멘트의 절반을 남기므로 $\mathbb{E}[x_{l+1}^2] = \operatorname{Var}[y_l] / 2$이고,
# 따라서 한 층을 지날 때마다 분산에 다음 비율이 곱해집니다 [(He 외, 2015)](../references.md#he2015).
#
# $$
# \frac{\operatorname{Var}[y_{l+1}]}{\operatorname{Var}[y_l]} = \frac{n_\text{in} \operatorname{Var}[W]}{2}
# $$
#
# 이 비율이 He에서는 1, Xavier에서는 ($n_\text{in} = n_\text{out}$일 때) 1/2, PyTorch 기본값에서는 1/6입니다.

# %%
def weight_variance(kind: str, n: int) -> float:
    """Var[W] of a square n x n layer under each scheme, from relu_docs.init."""
    if kind == "he":
        return he_std(n) ** 2
    if kind == "xavier":
        return xavier_std(n, n) ** 2
    return torch_default_linear_bound(n) ** 2 / 3  # U(-b, b)의 분산은 b²/3


KINDS = {"he": "He", "xavier": "Xavier", "torch_default": "PyTorch 기본값"}
for kind, label in KINDS.items():
    ratio = WIDTH * weight_variance(kind, WIDTH) / 2
    print(f"{label:14s} 층당 분산 비율 {ratio:.4f}")

# %% [markdown]
# ## 측정: NumPy로 30층 순전파
#
# `relu_docs.init.init_weights`로 가중치를 뽑고 `relu_docs.functional.relu`로 활성화합니다.

# %%
def forward_variances(kind: str, depth: int = DEPTH) -> np.ndarray:
    """Variance of the pre-activations of each layer of a WIDTH-wide ReLU network."""
    x = rng.standard_normal((BATCH, WIDTH))
    variances = []
    for _ in range(depth):
        w = init_weights(kind, (WIDTH, WIDTH), rng=rng)  # (fan_out, fan_in)
        y = x @ w.T
        variances.append(y.var())
        x = relu(y)
    return np.array(variances)


measured = {kind: forward_variances(kind) for kind in KINDS}
for kind, label in KINDS.items():
    v = measured[kind]
    print(f"{label:14s} 1층 {v[0]:.3g}  10층 {v[9]:.3g}  30층 {v[-1]:.3g}")

# %% [markdown]
# 같은 실험을 PyTorch의 `nn.Linear`로도 합니다. 가중치를 직접 건드리지 않으므로 PyTorch가 실제로 쓰는 기본 초기화가 그대로 들어갑니다.
# 위의 "PyTorch 기본값" 곡선과 같은 기울기로 줄어들면, `relu_docs.init`의 공식이 PyTorch의 동작과 맞는다는 뜻입니다.

# %%
with torch.no_grad():
    x = torch.randn(BATCH, WIDTH)
    torch_variances = []
    for _ in range(DEPTH):
        y = torch.nn.Linear(WIDTH, WIDTH, bias=False)(x)
        torch_variances.append(y.var().item())
        x = torch.relu(y)
torch_variances = np.array(torch_variances)
print(f"nn.Linear 기본값: 1층 {torch_variances[0]:.3g}  30층 {torch_variances[-1]:.3g}")

# %% alt="ReLU 신경망 30층에서 층마다 사전 활성값의 분산을 로그 눈금으로 그린 그래프. He 초기화는 분산이 거의 일정하고, Xavier는 층마다 절반으로, PyTorch 기본값은 6분의 1로 줄어들며, 측정점이 이론 직선 위에 놓입니다"
layers = np.arange(1, DEPTH + 1)
fig, ax = plt.subplots(figsize=(7, 4.2))
for (kind, label), marker in zip(KINDS.items(), "osD"):
    v = measured[kind]
    line, = ax.semilogy(layers, v, marker, ms=4, label=f"{label} (측정)")
    ratio = WIDTH * weight_variance(kind, WIDTH) / 2
    theory = v[0] * ratio ** (layers - 1)
    ax.semilogy(layers, theory, "-", color=line.get_color(), lw=1, label=f"{label} (이론)")
ax.semilogy(layers, torch_variances, "x", color="k", label="nn.Linear 기본값 (PyTorch)")
ax.set_xlabel("층")
ax.set_ylabel("사전 활성값의 분산")
ax.set_title("ReLU 신경망: 초기화별 분산의 변화")
ax.legend(fontsize=8, ncol=2)
ax.grid(True, which="major", alpha=0.3)
plt.show()

# %% [markdown]
# He 초기화만 분산을 30층 내내 같은 크기로 유지합니다. Xavier는 층마다 분산이 절반이 되고, PyTorch 기본값은 6분의 1이 되어
# 30층을 지나면 신호가 사실상 사라집니다. 측정점은 이론 직선을 따르고, 실제 `nn.Linear`(검은 ×)도 "PyTorch 기본값" 직선 위에 있습니다.
#
# Xavier 초기화는 0 근처에서 선형에 가까운 tanh나 시그모이드를 가정하고 만든 공식이라, 음수 절반을 버리는 ReLU에서는 분산이 절반씩 줄어듭니다.
# PyTorch의 기본값(`kaiming_uniform_(a=√5)`)은 ReLU를 가정하지 않은 값입니다. 깊은 ReLU 신경망에서는 `nn.init.kaiming_normal_`로
# He 초기화를 직접 지정하거나, [배치 정규화](../batch-normalization.md)로 층마다 크기를 되돌립니다.
#
# ## 확인
#
# 위 문단의 주장을 코드로 확인합니다. 이 셀이 실패하면 사이트 빌드도 실패합니다.

# %%
def per_layer_ratio(v: np.ndarray) -> float:
    """Geometric mean of Var[y_{l+1}] / Var[y_l] over the depth."""
    return math.exp(np.mean(np.diff(np.log(v))))


for kind in KINDS:
    expected = WIDTH * weight_variance(kind, WIDTH) / 2
    got = per_layer_ratio(measured[kind])
    assert abs(got / expected - 1) < 0.1, (kind, got, expected)
    print(f"{KINDS[kind]:14s} 층당 비율: 측정 {got:.3f}, 이론 {expected:.3f}")
assert abs(per_layer_ratio(torch_variances) / (1 / 6) - 1) < 0.1
assert 0.5 < measured["he"][-1] / measured["he"][0] < 2
