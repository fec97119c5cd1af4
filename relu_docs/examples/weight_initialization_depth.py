"""폭 512인 ReLU 층 20개(편향 0)를 지난 신호의 크기: 초기화마다 측정값과 이론값."""

import torch
from torch import nn

from relu_docs.init import he_std, torch_default_linear_bound, uniform_variance, variance_ratio, xavier_std

torch.manual_seed(0)
torch.set_num_threads(1)
DEPTH, n = 20, 512
schemes = [  # (이름, 가중치를 채우는 함수, 그 분산 Var[W])
    ("He, kaiming_normal_", lambda w: nn.init.kaiming_normal_(w, nonlinearity="relu"), he_std(n) ** 2),
    ("He, kaiming_uniform_", lambda w: nn.init.kaiming_uniform_(w, nonlinearity="relu"), he_std(n) ** 2),
    ("Xavier, xavier_normal_", nn.init.xavier_normal_, xavier_std(n, n) ** 2),
    ("PyTorch 기본값", lambda w: None, uniform_variance(torch_default_linear_bound(n))),
]
print(f"입력 RMS 1, ReLU 층 {DEPTH}개 뒤: 층당 E[x²] 배율과 출력의 RMS")
with torch.no_grad():
    x0 = torch.randn(1000, n)
    for name, fill, weight_var in schemes:
        x = x0
        for _ in range(DEPTH):
            layer = nn.Linear(n, n, bias=False)  # 생성자가 PyTorch 기본 초기화를 적용하고
            fill(layer.weight)  # 그 위에 덮어씀(기본값이면 그대로)
            x = torch.relu(layer(x))
        rms = x.pow(2).mean().sqrt().item()  # 제곱평균제곱근 √E[x²]
        ratio = variance_ratio(n, weight_var)  # 이론: 층당 배율 n·Var[W]/2
        print(f"  {name}: 층당 배율 측정 {rms ** (2 / DEPTH):.3f}, 이론 {ratio:.3f} | "
              f"RMS 측정 {rms:.2g}, 이론 {ratio ** (DEPTH / 2):.2g}")
