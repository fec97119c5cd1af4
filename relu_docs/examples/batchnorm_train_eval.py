"""nn.BatchNorm1d의 학습 모드와 평가 모드, 그리고 러닝 통계가 쌓이는 방식 (합성 데이터)."""

import torch
from torch import nn

from relu_docs.normalization import batch_norm

torch.manual_seed(0)
bn = nn.BatchNorm1d(3)                       # momentum=0.1, eps=1e-5 (PyTorch 기본값)
batch = 5.0 + 2.0 * torch.randn(8, 3)        # 평균 5, 표준편차 2 근처의 합성 배치

# 학습 모드: 배치 통계로 정규화하고, 러닝 통계를 갱신
bn.train()
y = bn(batch)
print("학습 모드 출력의 채널별 평균:", y.mean(dim=0).detach().numpy().round(4) + 0.0)
print("학습 모드 출력의 채널별 표준편차(편향):", y.std(dim=0, unbiased=False).detach().numpy().round(4))
print("배치 평균              :", batch.mean(dim=0).numpy().round(4))
print("running_mean (1단계 뒤):", bn.running_mean.numpy().round(4), "= 0.9*0 + 0.1*배치 평균")
print("running_var  (1단계 뒤):", bn.running_var.numpy().round(4),
      "= 0.9*1 + 0.1*불편 분산", batch.var(dim=0, unbiased=True).numpy().round(4))

# 같은 계산을 relu_docs.normalization.batch_norm(NumPy)으로
y_np, rm, rv = batch_norm(batch.numpy(), running_mean=torch.zeros(3).numpy(), running_var=torch.ones(3).numpy())
print("relu_docs와 같은가:", torch.allclose(y, torch.from_numpy(y_np), atol=1e-6),
      torch.allclose(bn.running_mean, torch.from_numpy(rm)), torch.allclose(bn.running_var, torch.from_numpy(rv)))

# 배치를 더 보여 주면 러닝 통계가 데이터의 평균 5, 분산 4 쪽으로 다가감
for _ in range(100):
    bn(5.0 + 2.0 * torch.randn(64, 3))
print("running_mean (101단계 뒤):", bn.running_mean.numpy().round(2))
print("running_var  (101단계 뒤):", bn.running_var.numpy().round(2))

# 평가 모드: 러닝 통계로 정규화하므로 샘플 하나도 처리 가능하고, 결과가 배치 구성과 무관
bn.eval()
single = batch[:1]
print("평가 모드, 샘플 1개:", bn(single).detach().numpy().round(3))
print("평가 모드, 배치 안의 같은 샘플:", bn(batch)[:1].detach().numpy().round(3))

# 학습 모드에서 샘플 하나는 분산을 정의할 수 없어 오류
bn.train()
try:
    bn(single)
except ValueError as err:
    print("학습 모드, 샘플 1개:", type(err).__name__)
