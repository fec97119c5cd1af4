"""입력이 늘 음수인 뉴런: ReLU는 기울기가 0이라 되살아나지 못하고, Leaky ReLU는 되살아납니다."""

import torch
import torch.nn as nn

torch.manual_seed(0)

x = torch.randn(256, 4)
target = x.sum(dim=1, keepdim=True).abs()  # 양수 목표값

for name, act in [("ReLU", nn.ReLU()), ("LeakyReLU(0.01)", nn.LeakyReLU(0.01))]:
    torch.manual_seed(1)
    hidden = nn.Linear(4, 1)
    with torch.no_grad():
        hidden.weight.fill_(0.1)
        hidden.bias.fill_(-2.0)  # 모든 입력에서 사전 활성값이 음수: "죽은" 상태로 시작
    model = nn.Sequential(hidden, act, nn.Linear(1, 1))
    optimizer = torch.optim.Adam(model.parameters(), lr=0.01)

    loss = nn.functional.mse_loss(model(x), target)
    loss.backward()
    print(f"{name:<16} 첫 단계의 은닉층 편향 기울기: {hidden.bias.grad.item():+.2e}")

    for step in range(500):
        optimizer.zero_grad()
        loss = nn.functional.mse_loss(model(x), target)
        loss.backward()
        optimizer.step()
    with torch.no_grad():
        active = (hidden(x) > 0).float().mean().item()
    print(f"{name:<16} 500단계 뒤: 편향 {hidden.bias.item():+.2f}, "
          f"양수 입력을 받는 비율 {active:.0%}, 손실 {loss.item():.3f}")
