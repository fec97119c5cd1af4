"""순전파를 층별로 들여다보기: 출력 모양, 손으로 계산한 값, 추론 모드."""

import torch
from torch import nn

torch.manual_seed(0)
model = nn.Sequential(
    nn.Linear(4, 8),   # 은닉층: z1 = x W1^T + b1
    nn.ReLU(),         # a1 = ReLU(z1)
    nn.Linear(8, 3),   # 출력층: 로짓 = a1 W2^T + b2
)
x = torch.randn(5, 4)  # 샘플 5개, 특성 4개

# 1) forward hook으로 각 층의 출력 모양과 0의 비율 확인
def show(module, inputs, output):
    zero = (output == 0).float().mean().item()
    print(f"{type(module).__name__:7s} {tuple(inputs[0].shape)} -> {tuple(output.shape)}  0의 비율 {zero:.2f}")

handles = [m.register_forward_hook(show) for m in model]
logits = model(x)
for h in handles:
    h.remove()

# 2) 같은 계산을 식 그대로: 행렬 곱, 편향 더하기, ReLU
W1, b1, W2, b2 = model[0].weight, model[0].bias, model[2].weight, model[2].bias
manual = torch.relu(x @ W1.T + b1) @ W2.T + b2
print("식으로 계산한 값과 같은가:", torch.allclose(manual, logits))

# 3) 추론: 기울기 그래프를 만들지 않음
with torch.no_grad():
    out = model(x)
print("학습용 순전파 requires_grad:", logits.requires_grad, "/ no_grad:", out.requires_grad)
print("예측 클래스:", out.argmax(dim=1).tolist())
