"""Batch normalisation before ReLU keeps a unit from going silent when its bias drifts negative.

Run: python relu_batchnorm.py
"""

import torch
import torch.nn as nn

torch.manual_seed(0)

x = torch.randn(256, 784)  # 합성 데이터: 256개 샘플

linear = nn.Linear(784, 256)
with torch.no_grad():
    linear.bias.fill_(-5.0)  # 큰 갱신 한 번으로 편향이 음수 쪽으로 밀려났다고 가정

plain = nn.Sequential(linear, nn.ReLU())
with_bn = nn.Sequential(linear, nn.BatchNorm1d(256), nn.ReLU())  # 같은 Linear 층 + BN


def silent_units(model):
    """Fraction of hidden units whose output is 0 for every sample of the batch."""
    with torch.no_grad():
        h = model(x)
    return (h <= 0).all(dim=0).float().mean().item()


print(f"BN 없음: 배치 전체에서 한 번도 양수를 내지 않은 유닛 {silent_units(plain):.0%}")
print(f"BN 있음: 배치 전체에서 한 번도 양수를 내지 않은 유닛 {silent_units(with_bn):.0%}")
