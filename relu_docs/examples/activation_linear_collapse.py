"""활성화 함수 없이 쌓은 선형층은 선형층 하나와 똑같습니다."""

import torch
import torch.nn as nn

torch.manual_seed(0)

deep = nn.Sequential(nn.Linear(4, 32), nn.Linear(32, 32), nn.Linear(32, 3)).double()

# W = W3 W2 W1, b = W3 (W2 b1 + b2) + b3 로 한 층에 합칩니다.
weight = torch.eye(4, dtype=torch.float64)
bias = torch.zeros(4, dtype=torch.float64)
for layer in deep:
    weight = layer.weight @ weight
    bias = layer.weight @ bias + layer.bias

single = nn.Linear(4, 3).double()
with torch.no_grad():
    single.weight.copy_(weight)
    single.bias.copy_(bias)

x = torch.randn(1000, 4, dtype=torch.float64)
with torch.no_grad():
    gap = (deep(x) - single(x)).abs().max().item()
print("매개변수 수: 3층", sum(p.numel() for p in deep.parameters()),
      "/ 1층", sum(p.numel() for p in single.parameters()))
print(f"두 모델 출력의 최대 차이가 1e-12 미만인가? {gap < 1e-12}")  # 부동소수점 반올림 수준

# 사이에 ReLU를 넣으면 더 이상 한 층으로 합쳐지지 않습니다.
nonlinear = nn.Sequential(deep[0], nn.ReLU(), deep[1], nn.ReLU(), deep[2])
with torch.no_grad():
    print(f"ReLU를 넣은 모델과의 최대 차이: {(nonlinear(x) - single(x)).abs().max().item():.2f}")
