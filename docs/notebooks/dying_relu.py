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
# # 죽은 ReLU 실험: 학습률과 죽은 유닛
#
# [죽은 ReLU 문서](../dying-relu.md#원인)는 큰 학습률(learning rate)이 죽은 ReLU(dying ReLU)의 원인이 된다고 설명합니다.
# 이 노트북은 작은 다층 퍼셉트론을 세 가지 학습률로 학습시키면서, 층마다 죽은 유닛의 비율을 학습 내내 잽니다.
# 그다음 가장 큰 학습률에서 ReLU를 Leaky ReLU, ELU, 배치 정규화(batch normalization)를 넣은 ReLU와 비교합니다.
#
# 죽은 유닛은 `relu_docs.diagnostics.dead_relu_report`로 셉니다. 이 함수는 두 숫자를 구분합니다.
#
# - **죽은 비율**(`dead_fraction`): 평가 데이터의 **어떤 입력에서도** 출력이 양수가 아니었던 유닛의 비율입니다. ReLU에서 이런 유닛은 기울기도 항상 0이라 다시 살아나기 어렵습니다.
# - **0의 비율**(`zero_fraction`): 모든 출력 가운데 정확히 0인 것의 비율입니다. 건강한 ReLU 층에서도 절반쯤 됩니다([희소성 실험](sparsity.py) 참고).

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
torch.set_num_threads(1)  # 작은 모델은 스레드 하나가 더 빠르고, 결과도 기계에 덜 좌우됩니다

# %% [markdown]
# ## 데이터와 모델
#
# 데이터는 난수로 만듭니다. 입력은 20차원 표준정규분포에서 뽑고, 레이블은 무작위로 만든 작은 tanh 신경망(교사 신경망)의 출력 가운데
# 가장 큰 것의 번호(4개 클래스)입니다. 학습용 3072개, 평가용 1024개입니다.
#
# 모델은 폭 64인 은닉층(hidden layer) 세 개에 ReLU를 쓰는 다층 퍼셉트론이고, 옵티마이저(optimizer)는 Adam, 배치 크기는 64, 학습은 300단계입니다.

# %%
X = torch.randn(4096, 20)
teacher = nn.Sequential(nn.Linear(20, 32), nn.Tanh(), nn.Linear(32, 4))
with torch.no_grad():
    y = teacher(X).argmax(dim=1)
X_train, y_train, X_test, y_test = X[:3072], y[:3072], X[3072:], y[3072:]
print("클래스별 개수:", torch.bincount(y).tolist())


def make_mlp(activation=nn.ReLU, batch_norm: bool = False, width: int = 64):
    """20 -> 3 hidden layers of `width` -> 4 logits; activations named act1..act3."""
    layers, fan_in = [], 20
    for i in (1, 2, 3):
        layers.append((f"fc{i}", nn.Linear(fan_in, width)))
        if batch_norm:
            layers.append((f"bn{i}", nn.BatchNorm1d(width)))
        layers.append((f"act{i}", activation()))
        fan_in = width
    layers.append(("out", nn.Linear(fan_in, 4)))
    return nn.Sequential(OrderedDict(layers))


def train(lr: float, activation=nn.ReLU, batch_norm: bool = False, seed: int = 1,
          steps: int = 300, every: int = 20):
    """Train with Adam; return (model, dead fractions per layer over time, test accuracy)."""
    torch.manual_seed(seed)
    model = make_mlp(activation, batch_norm)
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    history = {"step": [], "dead": []}
    for step in range(1, steps + 1):
        idx = torch.randint(0, len(X_train), (64,))
        loss = nn.functional.cross_entropy(model(X_train[idx]), y_train[idx])
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        if step % every == 0 or step == 1:
            report = dead_relu_report(model, [X_test])  # 평가 모드로 재고, 학습 모드로 되돌립니다
            history["step"].append(step)
            history["dead"].append([r["dead_fraction"] for r in report.values()])
    model.eval()
    with torch.no_grad():
        accuracy = (model(X_test).argmax(dim=1) == y_test).float().mean().item()
    return model, history, accuracy

# %% [markdown]
# ## 학습률에 따른 죽은 유닛
#
# 학습률 0.001은 Adam의 기본값이고, 0.01과 0.1은 그보다 10배, 100배 큽니다.

# %%
LEARNING_RATES = [0.001, 0.01, 0.1]
runs = {lr: train(lr) for lr in LEARNING_RATES}
for lr, (model, history, accuracy) in runs.items():
    final = ", ".join(f"{i}층 {d:.0%}" for i, d in enumerate(history["dead"][-1], 1))
    print(f"학습률 {lr:<6} 죽은 비율: {final}   평가 정확도 {accuracy:.1%}")

# %% alt="학습률 0.001, 0.01, 0.1로 학습시킨 ReLU 다층 퍼셉트론에서 은닉층 세 개의 죽은 유닛 비율을 학습 단계에 따라 그린 세 개의 그래프. 학습률 0.1에서는 2층과 3층의 죽은 비율이 학습 초반에 크게 올라가 끝까지 높게 남습니다"
fig, axes = plt.subplots(1, 3, figsize=(10, 3.2), sharey=True)
for ax, (lr, (_, history, accuracy)) in zip(axes, runs.items()):
    dead = torch.tensor(history["dead"])
    for layer in range(dead.shape[1]):
        ax.plot(history["step"], dead[:, layer], marker=".", label=f"{layer + 1}층")
    ax.set_title(f"학습률 {lr} (정확도 {accuracy:.0%})")
    ax.set_xlabel("학습 단계")
    ax.set_ylim(-0.03, 1.03)
    ax.grid(True, alpha=0.3)
axes[0].set_ylabel("죽은 유닛 비율")
axes[0].legend()
fig.tight_layout()
plt.show()

# %% [markdown]
# 학습률이 클수록 죽은 유닛이 많아집니다. 학습률 0.1에서는 2층과 3층의 죽은 비율이 학습 초반부터 치솟아, 유닛의 대부분이 죽은 채로 학습이 끝납니다.
# 죽은 유닛은 신경망의 용량을 그만큼 줄이므로 평가 정확도도 낮아집니다.
#
# 1층은 거의 죽지 않습니다. 1층의 입력은 0을 중심으로 퍼진 원본 데이터라서, 편향이 크게 밀려도 어떤 입력에서는 양수가 되기 쉽기 때문입니다.
# 2층부터는 입력이 앞 층의 ReLU 출력(모두 0 이상)이라 가중치와 편향이 한쪽으로 밀리면 모든 입력에서 음수가 될 수 있습니다.

# %% [markdown]
# ## 변형과 비교: 학습률 0.1
#
# 같은 큰 학습률에서 활성화 함수를 바꾸거나 배치 정규화를 넣습니다. 시드 3개로 학습해 평균을 냅니다.
#
# Leaky ReLU와 ELU에서 "죽은 비율"은 ReLU와 같은 기준(출력이 한 번도 양수가 아님)으로 잰 숫자지만 뜻이 다릅니다.
# 이 함수들은 음수 입력에서도 기울기가 0이 아니므로, 그런 유닛도 계속 학습되고 다시 살아날 수 있습니다.

# %%
VARIANTS = {
    "ReLU": {},
    "Leaky ReLU": {"activation": nn.LeakyReLU},
    "ELU": {"activation": nn.ELU},
    "ReLU + 배치 정규화": {"batch_norm": True},
}
SEEDS = (1, 2, 3)
comparison = {}
for name, options in VARIANTS.items():
    results = [train(0.1, seed=seed, **options) for seed in SEEDS]
    dead = torch.tensor([history["dead"][-1] for _, history, _ in results]).mean(dim=0)
    accuracy = sum(acc for *_, acc in results) / len(results)
    comparison[name] = (dead.tolist(), accuracy)

print(f"{'':18s} {'1층':>6s} {'2층':>6s} {'3층':>6s}   평가 정확도")
for name, (dead, accuracy) in comparison.items():
    print(f"{name:18s} " + " ".join(f"{d:6.0%}" for d in dead) + f"   {accuracy:8.1%}")

# %% [markdown]
# 학습률 0.1에서는 배치 정규화를 넣은 ReLU가 가장 높은 정확도를 냅니다. 배치 정규화는 배치마다 사전 활성값을 평균 0 근처로 되돌리므로,
# 유닛이 모든 입력에서 음수 쪽에 머물기 어렵습니다. 그래도 죽은 비율이 0이 되지는 않았습니다. 2층과 3층에서는 ReLU만 쓸 때보다 훨씬 낮지만, 1층에서는 오히려 조금 생겼습니다.
#
# Leaky ReLU는 한 번도 양수가 아닌 유닛이 ReLU보다 적고, 그런 유닛도 작은 기울기로 계속 학습됩니다. 다만 이 실험에서 정확도는 ReLU보다 높지 않았습니다.
# ELU는 이 학습률에서 학습 자체가 불안정해져 정확도가 가장 낮았습니다.
#
# 어떤 변형도 지나치게 큰 학습률을 완전히 보완하지는 못합니다. 가장 확실한 처방은 여전히 적절한 학습률입니다(이 실험에서는 0.001이 가장 좋았습니다).
# 실제 학습에서는 [죽은 ReLU 문서의 예제](../dying-relu.md#재는-법)처럼 `dead_relu_report`를 주기적으로 불러 죽은 비율을 지켜보면 됩니다.
#
# ## 확인
#
# 위 문단의 주장을 코드로 확인합니다. 이 셀이 실패하면 사이트 빌드도 실패합니다.

# %%
final_dead = {lr: history["dead"][-1] for lr, (_, history, _) in runs.items()}
accuracy = {lr: acc for lr, (*_, acc) in runs.items()}
assert min(final_dead[0.1][1:]) > 0.5, final_dead  # 큰 학습률: 2, 3층의 절반 넘게 죽음
dead_sum = {lr: sum(d[1:]) for lr, d in final_dead.items()}
assert dead_sum[0.001] < dead_sum[0.01] < dead_sum[0.1], dead_sum  # 학습률이 클수록 더 많이
assert max(final_dead[0.001]) < 0.3, final_dead  # 기본 학습률: 대부분 살아 있음
assert final_dead[0.1][0] < 0.1, final_dead  # 1층은 거의 죽지 않음
assert accuracy[0.1] < accuracy[0.001], accuracy
best = max(comparison, key=lambda name: comparison[name][1])
assert best == "ReLU + 배치 정규화", comparison
relu_dead = comparison["ReLU"][0]
bn_dead = comparison["ReLU + 배치 정규화"][0]
leaky_dead = comparison["Leaky ReLU"][0]
assert all(b < r for b, r in zip(bn_dead[1:], relu_dead[1:])), comparison
assert sum(leaky_dead[1:]) < sum(relu_dead[1:]), comparison
worst = min(comparison, key=lambda name: comparison[name][1])
assert worst == "ELU", comparison
assert accuracy[0.001] >= max(acc for _, acc in comparison.values()), comparison
print("확인 완료")
