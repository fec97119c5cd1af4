"""시그모이드의 포화: 도함수는 0에서 최대 1/4이고, 층을 지날 때마다 기울기가 줄어듭니다."""

import torch
import torch.nn as nn

torch.manual_seed(0)

# 1) 한 점에서의 도함수: σ'(x) = σ(x)(1 − σ(x))
x = torch.tensor([0.0, 2.0, 5.0, 10.0], requires_grad=True)
torch.sigmoid(x).sum().backward()
for xi, gi in zip(x.tolist(), x.grad.tolist()):
    print(f"σ'({xi:>4}) = {gi:.2e}")


# 2) 깊이에 따른 기울기: 같은 구조에서 활성화 함수만 바꿉니다.
#    초기화는 각 함수에 권장되는 것을 씁니다 (시그모이드·tanh는 Xavier, ReLU는 He).
def first_layer_grad_norm(act, depth, width=64):
    torch.manual_seed(1)
    layers = []
    for _ in range(depth):
        linear = nn.Linear(width, width)
        if act is nn.ReLU:
            nn.init.kaiming_normal_(linear.weight, nonlinearity="relu")
        else:
            gain = nn.init.calculate_gain("sigmoid" if act is nn.Sigmoid else "tanh")
            nn.init.xavier_normal_(linear.weight, gain=gain)
        nn.init.zeros_(linear.bias)
        layers += [linear, act()]
    model = nn.Sequential(*layers, nn.Linear(width, 1))
    inputs = torch.randn(128, width)
    model(inputs).pow(2).mean().backward()
    return model[0].weight.grad.norm().item()


print("\n깊이   첫 층 가중치 기울기의 노름")
print("       Sigmoid     Tanh        ReLU")
for depth in (2, 4, 8, 16):
    norms = [first_layer_grad_norm(act, depth) for act in (nn.Sigmoid, nn.Tanh, nn.ReLU)]
    print(f"{depth:>4}   " + "  ".join(f"{n:.2e}" for n in norms))
