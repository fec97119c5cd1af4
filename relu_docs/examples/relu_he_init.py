"""He initialisation for ReLU layers, and what it does to the signal through depth.

Run: python relu_he_init.py
"""

import torch
import torch.nn as nn
import torch.nn.init as init

from relu_docs.init import he_std

torch.manual_seed(0)

# 1) He 초기화: W ~ N(0, 2 / n_in), 즉 표준편차 sqrt(2 / n_in)
layer = nn.Linear(784, 256)
init.kaiming_normal_(layer.weight, mode="fan_in", nonlinearity="relu")
init.zeros_(layer.bias)
print(f"He 표준편차: 측정 {layer.weight.std().item():.4f}, 공식 sqrt(2/784) = {he_std(784):.4f}")


# 2) 깊이에 따른 활성값의 크기: ReLU 층 20개를 쌓고 마지막 층 출력의 표준편차를 본다
def last_layer_std(init_fn, depth=20, width=512):
    h = torch.randn(1000, width)  # 합성 입력, 표준편차 1
    for _ in range(depth):
        linear = nn.Linear(width, width)  # 생성자는 PyTorch 기본 초기화를 적용
        init_fn(linear)
        h = torch.relu(linear(h))
    return h.std().item()


def he(linear):
    init.kaiming_normal_(linear.weight, nonlinearity="relu")
    init.zeros_(linear.bias)


def xavier(linear):
    init.xavier_normal_(linear.weight)
    init.zeros_(linear.bias)


def pytorch_default(linear):
    pass  # nn.Linear의 기본값: U(-1/sqrt(n_in), 1/sqrt(n_in))


with torch.no_grad():
    for name, fn in [("He", he), ("Xavier", xavier), ("PyTorch 기본값", pytorch_default)]:
        print(f"ReLU 20층 뒤 활성값 표준편차 ({name}): {last_layer_std(fn):.3g}")
