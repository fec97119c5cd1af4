"""PReLU의 기울기 a는 가중치처럼 학습됩니다. 가중치 감쇠는 a에서 빼 두는 것이 원 논문의 방식입니다."""

import torch
import torch.nn as nn

torch.manual_seed(0)

x = torch.randn(512, 8)
target = (x @ torch.randn(8, 1)).abs()  # 음수 쪽 정보도 필요한 목표: |선형 결합|


def train(exclude_prelu_from_decay):
    torch.manual_seed(1)
    model = nn.Sequential(nn.Linear(8, 32), nn.PReLU(num_parameters=32, init=0.25), nn.Linear(32, 1))
    prelu_params = list(model[1].parameters())
    other_params = [p for p in model.parameters() if all(p is not q for q in prelu_params)]
    decay = 0.05
    groups = [
        {"params": other_params, "weight_decay": decay},
        {"params": prelu_params, "weight_decay": 0.0 if exclude_prelu_from_decay else decay},
    ]
    optimizer = torch.optim.SGD(groups, lr=0.05, momentum=0.9)
    for step in range(400):
        optimizer.zero_grad()
        loss = nn.functional.mse_loss(model(x), target)
        loss.backward()
        optimizer.step()
    a = model[1].weight.detach()
    return loss.item(), a


for exclude in (True, False):
    loss, a = train(exclude)
    label = "a는 감쇠 제외" if exclude else "a도 감쇠 적용"
    near_zero = (a.abs() < 0.05).sum().item()
    print(f"{label}: 손실 {loss:.4f}, a 범위 [{a.min():.2f}, {a.max():.2f}], "
          f"|a| < 0.05 인 채널 {near_zero}/32 (ReLU와 거의 같음)")
