"""깊이에 따른 기울기 크기: 소실(sigmoid), 유지(ReLU + He), 폭발(ReLU + 큰 초기값), 그리고 노름 클리핑."""

import torch
from torch import nn

DEPTH, WIDTH = 20, 128


def deep_mlp(activation, std_scale):
    """DEPTH개의 (Linear → 활성화) 층. 가중치 표준편차 = std_scale / sqrt(fan_in), 편향 0."""
    layers = []
    for _ in range(DEPTH):
        linear = nn.Linear(WIDTH, WIDTH)
        nn.init.normal_(linear.weight, std=std_scale / WIDTH**0.5)
        nn.init.zeros_(linear.bias)
        layers += [linear, activation()]
    return nn.Sequential(*layers)


settings = {
    "sigmoid, std 1/sqrt(n)": (nn.Sigmoid, 1.0),
    "ReLU, He: std sqrt(2/n)": (nn.ReLU, 2**0.5),
    "ReLU, He의 1.5배": (nn.ReLU, 1.5 * 2**0.5),
}

print(f"각 층 출력에 도착한 기울기의 노름 (층 {DEPTH}개, 폭 {WIDTH})")
for name, (activation, scale) in settings.items():
    torch.manual_seed(0)
    model = deep_mlp(activation, scale)
    x = torch.randn(64, WIDTH)         # 합성 데이터
    upstream = torch.randn(64, WIDTH)  # 맨 위에 도착하는 같은 기울기

    h, outputs = x, []
    for module in model:
        h = module(h)
        if not isinstance(module, nn.Linear):
            h.retain_grad()            # 중간 텐서의 .grad를 남김
            outputs.append(h)
    (h * upstream).sum().backward()

    top, bottom = outputs[-1].grad.norm().item(), outputs[0].grad.norm().item()
    print(f"  {name:24s} {DEPTH}층 {top:8.2e}  1층 {bottom:8.2e}  1층/{DEPTH}층 {bottom / top:8.2e}")

    if scale > 2**0.5:  # 폭발하는 경우: 파라미터 기울기 전체의 노름을 1로 자르기
        total = nn.utils.clip_grad_norm_(model.parameters(), max_norm=1.0)
        after = torch.sqrt(sum(p.grad.pow(2).sum() for p in model.parameters()))
        print(f"  clip_grad_norm_(max_norm=1.0): 전체 노름 {total.item():.2e} -> {after.item():.3f}")
