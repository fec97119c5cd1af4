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
# # 기울기 소실 실험: 층별 기울기의 크기
#
# [기울기 소실 문서](../vanishing-gradient.md)는 시그모이드 신경망에서 입력 쪽 층으로 갈수록 기울기가 작아지고,
# ReLU 신경망에서는 그렇지 않다고 설명합니다. 이 노트북은 15층 다층 퍼셉트론에서 시그모이드, tanh, ReLU의 층별 가중치 기울기를 재고,
# 그 차이가 학습 속도에 어떻게 나타나는지 봅니다.
#
# 공정하게 비교하려면 활성화 함수마다 맞는 가중치 초기화를 써야 합니다. 표준편차는 `relu_docs.init`로 계산합니다.
#
# | 활성화 함수 | 초기화 | 표준편차 $\sigma$ |
# |---|---|---|
# | 시그모이드 | Xavier | $\sqrt{2 / (n_\text{in} + n_\text{out})}$ |
# | tanh | Xavier, 이득(gain) $5/3$ | $\tfrac53 \sqrt{2 / (n_\text{in} + n_\text{out})}$ |
# | ReLU | He | $\sqrt{2 / n_\text{in}}$ |
#
# tanh의 이득 5/3은 PyTorch의 `calculate_gain("tanh")`가 쓰는 관례값입니다(`relu_docs.init.calculate_gain`).

# %%

import matplotlib.pyplot as plt
import torch
from torch import nn

from relu_docs.gradients import vanishing_gradient_bound
from relu_docs.init import calculate_gain, he_std, xavier_std
from relu_docs.plotting import use_korean_font

# %config InlineBackend.figure_formats = ["svg"]
# 그림의 글꼴: 라틴 문자와 수식은 DejaVu Sans, 한글은 설치된 한글 글꼴로 그립니다.
use_korean_font()

torch.manual_seed(0)
torch.set_num_threads(1)
DEPTH, WIDTH, N_IN, N_CLASSES = 15, 64, 20, 4

# %% [markdown]
# ## 모델과 데이터
#
# 입력 20차원, 은닉층 15개(폭 64), 출력 4개 클래스인 신경망입니다. 편향은 0으로 초기화합니다.
# 데이터는 [죽은 ReLU 실험](dying_relu.py)과 같은 방식으로 만듭니다. 입력은 표준정규분포에서 뽑고, 레이블은 무작위 tanh 교사 신경망이 정합니다.

# %%
ACTIVATIONS = {"시그모이드": nn.Sigmoid, "tanh": nn.Tanh, "ReLU": nn.ReLU}


def weight_std(name: str, fan_in: int, fan_out: int) -> float:
    if name == "ReLU":
        return he_std(fan_in)
    gain = calculate_gain("tanh") if name == "tanh" else calculate_gain("sigmoid")
    return xavier_std(fan_in, fan_out, gain=gain)


def make_mlp(name: str, seed: int) -> nn.Sequential:
    torch.manual_seed(seed)
    layers, fan_in = [], N_IN
    for _ in range(DEPTH):
        linear = nn.Linear(fan_in, WIDTH)
        nn.init.normal_(linear.weight, 0.0, weight_std(name, fan_in, WIDTH))
        nn.init.zeros_(linear.bias)
        layers += [linear, ACTIVATIONS[name]()]
        fan_in = WIDTH
    layers.append(nn.Linear(fan_in, N_CLASSES))
    return nn.Sequential(*layers)


X = torch.randn(4096, N_IN)
teacher = nn.Sequential(nn.Linear(N_IN, 32), nn.Tanh(), nn.Linear(32, N_CLASSES))
with torch.no_grad():
    y = teacher(X).argmax(dim=1)
X_train, y_train, X_test, y_test = X[:3072], y[:3072], X[3072:], y[3072:]

# %% [markdown]
# ## 초기화 직후의 층별 기울기
#
# 배치 256개로 손실 함수(loss function)인 교차 엔트로피를 계산하고 역전파(backpropagation)한 뒤, 은닉층마다 가중치 기울기의 프로베니우스 노름 $\lVert \partial L / \partial W_l \rVert$을 잽니다.
# 무작위성의 영향을 줄이려고 시드 5개의 기하 평균을 씁니다.

# %%
def gradient_norms(model: nn.Sequential) -> torch.Tensor:
    idx = torch.randint(0, len(X_train), (256,))
    model.zero_grad()
    nn.functional.cross_entropy(model(X_train[idx]), y_train[idx]).backward()
    hidden = [m for m in model if isinstance(m, nn.Linear)][:DEPTH]
    return torch.stack([m.weight.grad.norm() for m in hidden])


SEEDS = range(5)
norms = {}
for name in ACTIVATIONS:
    per_seed = torch.stack([gradient_norms(make_mlp(name, s)) for s in SEEDS])
    norms[name] = per_seed.log().mean(dim=0).exp()  # 기하 평균
for name, g in norms.items():
    print(f"{name:6s} 1층 {g[0]:.1e}  8층 {g[7]:.1e}  15층 {g[-1]:.1e}"
          f"   1층/15층 = {g[0] / g[-1]:.1e}")

# %% alt="15층 신경망에서 은닉층마다 가중치 기울기 노름을 로그 눈금으로 그린 그래프. 시그모이드는 입력 쪽 층으로 갈수록 기울기가 몇 자릿수 작아지고, tanh와 ReLU는 층마다 비슷한 크기를 유지합니다. 점선은 시그모이드 도함수 곱의 상한 0.25의 거듭제곱입니다"
layers = torch.arange(1, DEPTH + 1)
fig, ax = plt.subplots(figsize=(7, 4))
for (name, g), marker in zip(norms.items(), "os^"):
    ax.semilogy(layers, g, marker + "-", ms=4, lw=1, label=name)
top = norms["시그모이드"][-1].item()
bound = [top * vanishing_gradient_bound(DEPTH - l) for l in layers.tolist()]
ax.semilogy(layers, bound, "k:", lw=1, label="시그모이드 도함수 곱의 상한 (15층 기준)")
ax.set_xlabel("층 (1 = 입력 쪽)")
ax.set_ylabel("가중치 기울기 노름")
ax.set_title("초기화 직후 층별 기울기")
ax.legend(fontsize=8)
ax.grid(True, which="major", alpha=0.3)
plt.show()

# %% [markdown]
# 시그모이드 신경망에서는 입력 쪽으로 한 층 내려갈 때마다 기울기가 몇 배씩 작아져서, 1층의 기울기는 15층보다 몇 자릿수 작습니다.
# 시그모이드의 도함수는 가장 커도 $\sigma'(0) = 1/4$이기 때문입니다. 점선은 도함수만 곱한 상한 $0.25^n$입니다.
# 측정한 기울기는 이 점선과 거의 같은 속도로 줄어듭니다. Xavier 초기화에서는 가중치 행렬을 곱해도 기울기의 크기가 대략 유지되므로,
# 줄어드는 몫은 거의 다 활성화 함수의 도함수에서 옵니다. 사전 활성값이 모두 0에 있지는 않으니 실제 도함수는 1/4보다 조금 작고, 그만큼 점선보다 조금 더 빨리 줄어듭니다.
#
# tanh(0 근처에서 도함수가 1)와 ReLU(양수 쪽에서 도함수가 1)는 알맞은 초기화와 함께 쓰면 층마다 기울기의 크기가 거의 같습니다.

# %% [markdown]
# ## 학습 속도에 미치는 영향
#
# 같은 신경망을 Adam(학습률 0.001)으로 300단계 학습시키며 학습용 손실을 기록합니다.

# %%
def train(name: str, steps: int = 300, seed: int = 0):
    model = make_mlp(name, seed)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    losses = []
    for _ in range(steps):
        idx = torch.randint(0, len(X_train), (64,))
        loss = nn.functional.cross_entropy(model(X_train[idx]), y_train[idx])
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    with torch.no_grad():
        accuracy = (model(X_test).argmax(dim=1) == y_test).float().mean().item()
    return torch.tensor(losses), accuracy


training = {name: train(name) for name in ACTIVATIONS}
majority = torch.bincount(y_test).max().item() / len(y_test)
for name, (losses, accuracy) in training.items():
    print(f"{name:6s} 마지막 50단계 평균 손실 {losses[-50:].mean():.3f}   평가 정확도 {accuracy:.1%}")
print(f"(가장 많은 클래스만 답하면 정확도 {majority:.1%})")

# %% alt="시그모이드, tanh, ReLU 15층 신경망을 Adam으로 300단계 학습시킨 손실 곡선. tanh와 ReLU는 손실이 빠르게 줄고, 시그모이드는 거의 줄지 않습니다"
fig, ax = plt.subplots(figsize=(7, 3.6))
kernel = torch.ones(20) / 20  # 20단계 이동 평균
for name, (losses, _) in training.items():
    smooth = nn.functional.conv1d(losses.view(1, 1, -1), kernel.view(1, 1, -1)).flatten()
    ax.plot(range(20, len(losses) + 1), smooth, label=name)
ax.set_xlabel("학습 단계")
ax.set_ylabel("학습용 손실 (20단계 이동 평균)")
ax.legend()
ax.grid(True, alpha=0.3)
plt.show()

# %% [markdown]
# 입력 쪽 층의 기울기가 사라진 시그모이드 신경망은 같은 학습 단계 동안 손실을 거의 줄이지 못하고, 가장 많은 클래스만 답하는 수준의 정확도에 머뭅니다.
# ReLU와 tanh 신경망은 같은 단계 수 안에 손실이 뚜렷하게 줄어듭니다.
#
# ## 확인
#
# 위 문단의 주장을 코드로 확인합니다. 이 셀이 실패하면 사이트 빌드도 실패합니다.

# %%
ratio = {name: (g[0] / g[-1]).item() for name, g in norms.items()}
assert ratio["시그모이드"] < 1e-3, ratio  # 1층 기울기가 15층의 1000분의 1보다 작음
per_layer = ratio["시그모이드"] ** (1 / (DEPTH - 1))
assert 0.15 < per_layer <= 0.25, per_layer  # 층마다 1/4 남짓, 상한보다 조금 빠르게
assert 0.1 < ratio["ReLU"] < 10, ratio
assert 0.1 < ratio["tanh"] < 10, ratio
sig = norms["시그모이드"]
assert all(sig[l] < sig[l + 1] for l in range(DEPTH - 1)), sig  # 입력 쪽으로 갈수록 작아짐
final = {name: losses[-50:].mean().item() for name, (losses, _) in training.items()}
assert final["시그모이드"] > max(final["ReLU"], final["tanh"]) + 0.2, final
assert min(training["ReLU"][1], training["tanh"][1]) > majority + 0.2, training
assert training["시그모이드"][1] < majority + 0.05, training
print("확인 완료")
