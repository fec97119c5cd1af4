"""드롭아웃의 위치: ReLU 앞이든 뒤든 같은 마스크면 출력이 같고, BN 앞에 두면 분산이 어긋남 (합성 데이터)."""

import torch
from torch import nn

torch.manual_seed(0)
x = torch.randn(64, 32)
linear = nn.Linear(32, 32)

# 1) ReLU와의 순서: relu(c*z) = c*relu(z) (c >= 0) 이므로 같은 마스크면 결과가 같음
relu_then_drop = nn.Sequential(linear, nn.ReLU(), nn.Dropout(0.5)).train()
drop_then_relu = nn.Sequential(linear, nn.Dropout(0.5), nn.ReLU()).train()
torch.manual_seed(1)
a = relu_then_drop(x)
torch.manual_seed(1)            # 같은 난수 상태 → 같은 마스크
b = drop_then_relu(x)
print("ReLU→Dropout 과 Dropout→ReLU 가 같은가:", torch.equal(a, b))

# 2) BN과의 순서: Dropout → BN 이면 BN의 러닝 분산은 학습 때의 (더 큰) 분산
torch.manual_seed(0)
drop, bn = nn.Dropout(0.5), nn.BatchNorm1d(32, momentum=None)  # momentum=None: 누적 평균
for _ in range(200):            # 학습: 드롭아웃이 켜진 채 러닝 통계 수집
    bn(drop.train()(torch.randn(256, 32)))
drop.eval()
bn.eval()
test = torch.randn(4096, 32)
print(f"BN의 running_var 평균 (학습 때 본 분산): {bn.running_var.mean().item():.3f}")
print(f"평가 때 BN에 들어오는 입력의 분산     : {drop(test).var(dim=0).mean().item():.3f}")
print(f"평가 때 BN 출력의 분산 (이상적으로는 1): {bn(drop(test)).var(dim=0).mean().item():.3f}")
