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
# # 희소성 실험: 활성화된 유닛의 비율
#
# [ReLU 문서](../relu.md#희소성)는 사전 활성값이 0을 중심으로 대칭이면 ReLU 유닛의 약 절반이 0을 낸다고 설명합니다.
# 이 노트북은 ReLU 다층 퍼셉트론에서 **활성화된 유닛**(출력이 0보다 큰 유닛)의 비율을 초기화 직후와 학습 뒤에 잽니다.
# 희소 활성화(sparse activation)를 일부러 키우는 방법으로, 활성값에 L1 벌점을 더해 학습한 경우도 함께 봅니다 [(Glorot 외, 2011)](../references.md#glorot2011).
#
# 비율은 `relu_docs.diagnostics.dead_relu_report`의 `zero_fraction`(출력이 정확히 0인 비율)으로 셉니다. 활성화된 비율은 1에서 `zero_fraction`을 뺀 값입니다.

# %%
from collections import OrderedDict

import matplotlib.pyplot as plt
import torch
from torch import nn

from relu_docs.diagnostics import dead_relu_report
from relu_docs.plotting import use_korean_font

# %config InlineBackend.figure_formats = ["svg"]
# 그림의 글꼴: 라틴 문자와 수식은 DejaVu Sans, 한글은 설치된 한글 글꼴로 그립니다.
use_korean_font()

torch.manual_seed(0)
torch.set_num_threads(1)

# %% [markdown]
# ## 데이터와 모델
#
# 데이터는 [죽은 ReLU 실험](dying_relu.py)과 같은 방식으로 난수로 만듭니다(20차원 입력, 교사 신경망이 정한 4개 클래스).
# 모델은 폭 128인 은닉층 세 개에 ReLU를 쓰고, 가중치는 PyTorch 기본값으로 초기화합니다.

# %%
X = torch.randn(4096, 20)
teacher = nn.Sequential(nn.Linear(20, 32), nn.Tanh(), nn.Linear(32, 4))
with torch.no_grad():
    y = teacher(X).argmax(dim=1)
X_train, y_train, X_test, y_test = X[:3072], y[:3072], X[3072:], y[3072:]


def make_mlp(width: int = 128, seed: int = 1) -> nn.Sequential:
    torch.manual_seed(seed)
    layers, fan_in = [], 20
    for i in (1, 2, 3):
        layers += [(f"fc{i}", nn.Linear(fan_in, width)), (f"act{i}", nn.ReLU())]
        fan_in = width
    layers.append(("out", nn.Linear(fan_in, 4)))
    return nn.Sequential(OrderedDict(layers))


def hidden_outputs(model: nn.Sequential, x: torch.Tensor) -> dict:
    """Outputs of act1..act3 for input x (no gradient)."""
    outputs = {}
    with torch.no_grad():
        for name, module in model.named_children():
            x = module(x)
            if name.startswith("act"):
                outputs[name] = x
    return outputs


def active_fraction(model: nn.Sequential) -> list[float]:
    report = dead_relu_report(model, [X_test])
    return [1 - r["zero_fraction"] for r in report.values()]

# %% [markdown]
# ## 학습
#
# 같은 초기 가중치에서 두 번 학습합니다. 한 번은 교차 엔트로피만으로, 한 번은 은닉층 활성값의 평균 절댓값에 $\lambda = 0.3$을 곱한 L1 벌점을 더해서 학습합니다.
# 옵티마이저는 Adam(학습률 0.001), 배치 크기 64, 600단계입니다.

# %%
def train(l1: float = 0.0, steps: int = 600) -> nn.Sequential:
    model = make_mlp()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    for _ in range(steps):
        idx = torch.randint(0, len(X_train), (64,))
        x = X_train[idx]
        penalty = 0.0
        for name, module in model.named_children():
            x = module(x)
            if name.startswith("act"):
                penalty = penalty + x.abs().mean()
        loss = nn.functional.cross_entropy(x, y_train[idx]) + l1 * penalty
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    return model


def accuracy(model: nn.Sequential) -> float:
    with torch.no_grad():
        return (model(X_test).argmax(dim=1) == y_test).float().mean().item()


models = {"초기화 직후": make_mlp(), "학습 뒤": train(), "학습 뒤 (L1 벌점)": train(l1=0.3)}
fractions = {name: active_fraction(model) for name, model in models.items()}
print(f"{'':16s} {'1층':>6s} {'2층':>6s} {'3층':>6s}   평가 정확도")
for name, model in models.items():
    cells = " ".join(f"{f:6.1%}" for f in fractions[name])
    print(f"{name:16s} {cells}   {accuracy(model):8.1%}")

# %% [markdown]
# 초기화 직후에는 층마다 유닛 출력의 절반쯤이 0이 아닙니다. 사전 활성값이 0을 중심으로 거의 대칭이기 때문입니다.
# 학습 뒤에는 이 비율이 층마다 달라집니다(이 실험에서는 2층이 더 자주 켜졌습니다). L1 벌점을 더하면 활성화된 비율이 모든 층에서 줄어들고, 정확도는 거의 그대로입니다.
#
# ## 유닛마다 얼마나 자주 켜지는가
#
# 평균 비율이 같아도 속사정은 다를 수 있습니다. 모든 유닛이 입력의 절반에서 켜질 수도 있고, 절반의 유닛은 늘 켜지고 나머지는 늘 꺼질 수도 있습니다.
# 2층의 유닛 128개 각각에 대해, 평가 입력 1024개 가운데 몇 퍼센트에서 켜졌는지를 히스토그램으로 그립니다.

# %% alt="2층 유닛 128개가 평가 입력 가운데 몇 퍼센트에서 활성화되었는지를 초기화 직후, 학습 뒤, L1 벌점을 더한 학습 뒤로 나눠 그린 히스토그램 세 개. 초기화 직후에는 대부분의 유닛이 30에서 70퍼센트 사이에 모여 있고, 학습 뒤에는 넓게 퍼지며, L1 벌점을 더하면 0퍼센트 근처로 몰립니다"
fig, axes = plt.subplots(1, 3, figsize=(10, 3), sharey=True)
unit_frequency = {}
for ax, (name, model) in zip(axes, models.items()):
    freq = (hidden_outputs(model, X_test)["act2"] > 0).float().mean(dim=0)
    unit_frequency[name] = freq
    ax.hist(freq.numpy(), bins=20, range=(0, 1))
    ax.set_title(name)
    ax.set_xlabel("유닛이 켜진 입력의 비율")
    ax.grid(True, alpha=0.3)
axes[0].set_ylabel("유닛 수")
fig.tight_layout()
plt.show()

# %% [markdown]
# 초기화 직후에는 대부분의 유닛이 입력의 절반 안팎에서 켜집니다. 학습은 유닛마다 역할을 나눠, 자주 켜지는 유닛과 드물게 켜지는 유닛이 생깁니다.
# L1 벌점은 많은 유닛을 대부분의 입력에서 꺼 둡니다. 한 번도 켜지지 않는 유닛은 [죽은 ReLU](dying_relu.py)이므로, 벌점이 지나치면 희소성과 죽은 유닛의 경계가 흐려집니다.

# %%
for name, model in models.items():
    report = dead_relu_report(model, [X_test])
    dead = ", ".join(f"{r['dead_fraction']:.0%}" for r in report.values())
    print(f"{name:16s} 죽은 비율(1, 2, 3층): {dead}")

# %% [markdown]
# ## 확인
#
# 위 문단의 주장을 코드로 확인합니다. 이 셀이 실패하면 사이트 빌드도 실패합니다.

# %%
init, trained, sparse = (fractions[k] for k in models)
assert all(0.4 < f < 0.6 for f in init), init  # 초기화 직후: 약 절반
assert all(s < t for s, t in zip(sparse, trained)), (sparse, trained)  # L1 벌점: 더 희소
assert accuracy(models["학습 뒤 (L1 벌점)"]) > accuracy(models["학습 뒤"]) - 0.05
middle = lambda f: ((f > 0.3) & (f < 0.7)).float().mean().item()
assert middle(unit_frequency["초기화 직후"]) > 0.5  # 대부분 절반 안팎
assert middle(unit_frequency["학습 뒤"]) < middle(unit_frequency["초기화 직후"])  # 학습 뒤 퍼짐
assert unit_frequency["학습 뒤 (L1 벌점)"].median() < unit_frequency["학습 뒤"].median()
# hidden_outputs와 dead_relu_report가 같은 숫자를 셉니다
act2 = hidden_outputs(models["학습 뒤"], X_test)["act2"]
assert abs((act2 > 0).float().mean().item() - fractions["학습 뒤"][1]) < 1e-6
print("확인 완료")
