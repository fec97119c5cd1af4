"""Gradient size layer by layer in a 10-layer sigmoid network and a 10-layer ReLU network.

Each network gets the initialisation made for its activation (Xavier for
sigmoid, He for ReLU), the same synthetic input and the same random gradient
arriving at the output, so the only difference is the activation and its
initialisation.

Run: python relu_gradient_depth.py
"""

import torch
import torch.nn as nn
import torch.nn.init as init

from relu_docs.gradients import vanishing_gradient_bound

torch.manual_seed(0)

DEPTH, WIDTH = 10, 256
x = torch.randn(512, WIDTH)  # 합성 데이터
upstream = torch.randn(512, WIDTH)  # 출력에 들어오는 임의의 기울기 (합성)


def deep_mlp(activation, init_weight):
    layers = []
    for _ in range(DEPTH):
        linear = nn.Linear(WIDTH, WIDTH)
        init_weight(linear.weight)
        init.zeros_(linear.bias)
        layers += [linear, activation()]
    return nn.Sequential(*layers)


networks = {
    "sigmoid + Xavier": deep_mlp(nn.Sigmoid, init.xavier_normal_),
    "ReLU + He": deep_mlp(nn.ReLU, lambda w: init.kaiming_normal_(w, nonlinearity="relu")),
}

for name, net in networks.items():
    (net(x) * upstream).sum().backward()
    norms = [m.weight.grad.norm().item() for m in net if isinstance(m, nn.Linear)]
    print(f"{name}")
    print("  층별 가중치 기울기 노름:", " ".join(f"{n:.1e}" for n in norms))
    print(f"  1층 / {DEPTH}층 = {norms[0] / norms[-1]:.1e}")

print(f"참고: 시그모이드 도함수 {DEPTH}개 곱의 상한 0.25^{DEPTH} = {vanishing_gradient_bound(DEPTH):.1e}")
