"""ReLU then Dropout, or Dropout then ReLU: with the same mask the outputs are identical.

Inverted dropout multiplies each element by m / (1 - p) with m in {0, 1}, a
non-negative number, and relu(c * x) == c * relu(x) for every c >= 0.

Run: python relu_dropout_order.py
"""

import torch
import torch.nn as nn

torch.manual_seed(0)

linear1 = nn.Linear(784, 256)
linear2 = nn.Linear(256, 10)
relu_then_dropout = nn.Sequential(linear1, nn.ReLU(), nn.Dropout(0.5), linear2)
dropout_then_relu = nn.Sequential(linear1, nn.Dropout(0.5), nn.ReLU(), linear2)  # 같은 가중치

x = torch.randn(64, 784)  # 합성 데이터

for mode in ["train", "eval"]:
    relu_then_dropout.train(mode == "train")
    dropout_then_relu.train(mode == "train")
    torch.manual_seed(1)  # 두 모델이 같은 드롭아웃 마스크를 뽑도록 같은 시드
    a = relu_then_dropout(x)
    torch.manual_seed(1)
    b = dropout_then_relu(x)
    print(f"{mode:5s} 모드: 두 순서의 출력이 같은가? {torch.equal(a, b)}")
