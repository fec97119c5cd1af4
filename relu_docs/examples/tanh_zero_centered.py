"""출력이 0 중심이 아니면 (시그모이드) 한 뉴런의 가중치 기울기가 모두 같은 부호가 됩니다.

뉴런 z = w · a + b 의 가중치 기울기는 ∂L/∂w_i = (∂L/∂z) · a_i 입니다.
앞 층 출력 a_i가 모두 양수면 (시그모이드), 모든 i에 대해 부호가 ∂L/∂z의 부호와 같습니다.
"""

import torch
import torch.nn as nn

torch.manual_seed(0)

x = torch.randn(1, 16)  # 샘플 하나 (배치 크기 1)
for name, act in [("Sigmoid", nn.Sigmoid()), ("Tanh", nn.Tanh())]:
    torch.manual_seed(1)
    first, second = nn.Linear(16, 32), nn.Linear(32, 10)
    a = act(first(x))
    second(a).pow(2).sum().backward()
    grad = second.weight.grad  # (10, 32): 다음 층 뉴런 10개 각각의 가중치 기울기
    same_sign = ((grad > 0).all(dim=1) | (grad < 0).all(dim=1)).float().mean().item()
    print(f"{name:<8} 앞 층 출력 평균 {a.mean().item():+.3f}, "
          f"가중치 기울기가 모두 같은 부호인 뉴런 {same_sign:.0%}")
