"""nn.Dropout의 학습 모드(마스크 + 1/(1-p) 배율)와 평가 모드(항등 함수) (합성 데이터)."""

import torch
from torch import nn

torch.manual_seed(0)
drop = nn.Dropout(p=0.5)       # p = 끌 확률
x = torch.ones(10)

drop.train()
y = drop(x)
print("학습 모드:", y.tolist())          # 약 절반이 0, 나머지는 1/(1-0.5) = 2
mask = y != 0
print("남은 원소 = x / (1 - p):", torch.equal(y[mask], x[mask] / (1 - 0.5)))

# 기댓값이 보존됨: 많은 원소에서 평균을 재면 원래 값 1에 가까움
big = torch.ones(1_000_000)
print(f"p=0.5, 원소 100만 개의 평균: {drop(big).mean().item():.4f}")
print(f"p=0.2, 원소 100만 개의 평균: {nn.Dropout(0.2)(big).mean().item():.4f}")

drop.eval()
print("평가 모드:", drop(x).tolist())     # 그대로 통과 (배율도 없음)

# 흔한 실수: 평가 전에 model.eval()을 잊으면 예측이 매번 달라짐
model = nn.Sequential(nn.Linear(4, 16), nn.ReLU(), nn.Dropout(0.5), nn.Linear(16, 1))
sample = torch.randn(1, 4)
model.train()
print("train 모드로 두 번 예측:", [round(model(sample).item(), 4) for _ in range(2)])
model.eval()
print("eval  모드로 두 번 예측:", [round(model(sample).item(), 4) for _ in range(2)])
