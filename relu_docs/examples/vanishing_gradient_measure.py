"""깊이에 따른 기울기의 크기: 소실(시그모이드), 유지(ReLU + He), 폭발(ReLU + He의 1.5배)."""

import torch
from torch import nn

from relu_docs.init import he_std, lecun_std

DEPTH, WIDTH = 20, 128
torch.set_num_threads(1)

print(f"층 {DEPTH}개, 폭 {WIDTH}: 각 층 출력에 도착한 기울기의 노름")
for name, activation, std in [("시그모이드, LeCun", nn.Sigmoid(), lecun_std(WIDTH)),
                              ("ReLU, He", nn.ReLU(), he_std(WIDTH)),
                              ("ReLU, He의 1.5배", nn.ReLU(), 1.5 * he_std(WIDTH))]:
    torch.manual_seed(0)
    linears = [nn.Linear(WIDTH, WIDTH) for _ in range(DEPTH)]
    for linear in linears:
        nn.init.normal_(linear.weight, 0.0, std)  # 가중치 ~ N(0, std²), 편향 0
        nn.init.zeros_(linear.bias)
    h, outputs = torch.randn(64, WIDTH), []  # 합성 입력
    for linear in linears:
        h = activation(linear(h))
        h.retain_grad()  # 중간 텐서의 .grad를 남김
        outputs.append(h)
    (h * torch.randn(64, WIDTH)).sum().backward()  # 맨 위 층에 기울기를 줌
    top, bottom = outputs[-1].grad.norm().item(), outputs[0].grad.norm().item()
    per_layer = (bottom / top) ** (1 / (DEPTH - 1))  # 층당 배율의 기하 평균
    print(f"  {name}: {DEPTH}층 {top:.2e}, 1층 {bottom:.2e}, 층당 배율 {per_layer:.2f}")
