"""같은 모델, 같은 초기값, 같은 데이터에서 SGD, 모멘텀, Adam을 200 스텝씩 (합성 데이터)."""

import torch
from torch import nn

torch.manual_seed(0)
x = torch.randn(256, 10)                                  # 합성 회귀 데이터
y = torch.sin(x[:, :1]) + 0.5 * x[:, 1:2] ** 2 + 0.1 * torch.randn(256, 1)

init = nn.Sequential(nn.Linear(10, 64), nn.ReLU(), nn.Linear(64, 1))
initial_state = {k: v.clone() for k, v in init.state_dict().items()}

optimizers = {
    "SGD (lr=0.01)": lambda ps: torch.optim.SGD(ps, lr=0.01),
    "SGD + 모멘텀 0.9 (lr=0.01)": lambda ps: torch.optim.SGD(ps, lr=0.01, momentum=0.9),
    "Adam (lr=0.001, 기본값)": lambda ps: torch.optim.Adam(ps),
}

for name, make in optimizers.items():
    model = nn.Sequential(nn.Linear(10, 64), nn.ReLU(), nn.Linear(64, 1))
    model.load_state_dict(initial_state)                  # 모두 같은 출발점
    optimizer = make(model.parameters())
    losses = []
    for step in range(200):
        loss = nn.functional.mse_loss(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    print(f"{name:28s} 손실: 시작 {losses[0]:.3f} -> 50스텝 {losses[49]:.3f} -> 200스텝 {losses[-1]:.3f}")
