"""2층 신경망의 역전파를 손으로(relu_docs.backprop, NumPy) 계산하고 torch.autograd와 비교."""

import torch
from torch import nn

from relu_docs.backprop import two_layer_backward, two_layer_forward, two_layer_loss

torch.manual_seed(0)
x = torch.randn(8, 4, dtype=torch.float64)  # 합성 데이터: 배치 8, 특성 4
y = torch.randint(0, 3, (8,))                # 클래스 레이블 3종

model = nn.Sequential(nn.Linear(4, 5), nn.ReLU(), nn.Linear(5, 3)).double()

# PyTorch: 순전파 → 손실 → loss.backward()
loss = nn.functional.cross_entropy(model(x), y)
loss.backward()

# 손으로: 같은 가중치로 순전파 캐시를 만들고, 연쇄 법칙으로 역전파
params = [p.detach().numpy() for p in model.parameters()]  # W1, b1, W2, b2
cache = two_layer_forward(x.numpy(), *params, activation="relu")
grads = two_layer_backward(cache, y.numpy(), loss="cross_entropy")

print(f"손실: autograd {loss.item():.6f}, 손 계산 {two_layer_loss(cache, y.numpy(), loss='cross_entropy'):.6f}")
names = ["dW1", "db1", "dW2", "db2"]
for name, p in zip(names, model.parameters()):
    diff = abs(grads[name] - p.grad.numpy()).max()
    # 차이는 부동소수점 반올림 수준이라 값 대신 허용 오차로 비교합니다
    print(f"{name}: 모양 {tuple(p.grad.shape)}, autograd와 일치(최대 차이 < 1e-12): {diff < 1e-12}")
print("ReLU가 막은 (샘플, 은닉 유닛) 쌍의 비율:", (cache["z1"] <= 0).mean().round(3))
