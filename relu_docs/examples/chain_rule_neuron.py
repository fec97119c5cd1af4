"""뉴런 하나의 연쇄 법칙: autograd가 중간 변수마다 남긴 기울기 = 국소 미분의 곱."""

import torch

from relu_docs.backprop import neuron_chain_rule

# z = w x + b,  a = sigmoid(z),  L = (a - y)^2
x, y = torch.tensor(1.5), torch.tensor(1.0)
w = torch.tensor(0.8, requires_grad=True)
b = torch.tensor(-0.2, requires_grad=True)

z = w * x + b
z.retain_grad()          # 중간 변수의 기울기도 보관
a = torch.sigmoid(z)
a.retain_grad()
L = (a - y) ** 2
L.backward()             # 역전파: 출력에서 입력 쪽으로 국소 미분을 곱해 나감

r = neuron_chain_rule(x=1.5, w=0.8, b=-0.2, y=1.0)  # 같은 식을 인수별로 계산 (NumPy)
print(f"L = {L.item():.4f}")
print(f"dL/da = 2(a - y)               autograd {a.grad.item():+.4f}  식 {r['dL_da']:+.4f}")
print(f"da/dz = a(1 - a)               autograd {z.grad.item() / a.grad.item():+.4f}  식 {r['da_dz']:+.4f}  (z.grad / a.grad)")
print(f"dL/dz = dL/da * da/dz          autograd {z.grad.item():+.4f}  식 {r['dL_dz']:+.4f}")
print(f"dL/dw = dL/dz * x              autograd {w.grad.item():+.4f}  식 {r['dL_dw']:+.4f}")
print(f"dL/db = dL/dz * 1              autograd {b.grad.item():+.4f}  식 {r['dL_db']:+.4f}")
