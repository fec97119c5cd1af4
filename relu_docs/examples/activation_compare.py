"""같은 MLP를 활성화 함수만 바꿔 가며 학습해, 비선형성이 하는 일을 봅니다.

데이터: 두 개의 동심원(안쪽 원 = 클래스 0, 바깥쪽 고리 = 클래스 1).
직선 하나로는 나눌 수 없는 문제입니다.
"""

import math

import torch
import torch.nn as nn

torch.manual_seed(0)


def make_circles(n):
    """반지름 0~1의 원판(0)과 반지름 1.5~2.5의 고리(1)에서 점을 뽑습니다."""
    label = torch.randint(0, 2, (n,))
    radius = torch.where(label == 0, torch.rand(n), 1.5 + torch.rand(n))
    angle = 2 * math.pi * torch.rand(n)
    x = torch.stack([radius * torch.cos(angle), radius * torch.sin(angle)], dim=1)
    return x, label.float()


x_train, y_train = make_circles(512)
x_test, y_test = make_circles(512)

activations = {
    "없음 (항등 함수)": nn.Identity,
    "Sigmoid": nn.Sigmoid,
    "Tanh": nn.Tanh,
    "ReLU": nn.ReLU,
    "GELU": nn.GELU,
}

for name, act in activations.items():
    torch.manual_seed(1)  # 모든 모델이 같은 초기 가중치에서 출발
    model = nn.Sequential(
        nn.Linear(2, 16), act(),
        nn.Linear(16, 16), act(),
        nn.Linear(16, 1),  # 출력층: 로짓 하나
    )
    optimizer = torch.optim.Adam(model.parameters(), lr=0.01)
    loss_fn = nn.BCEWithLogitsLoss()  # 로짓을 받습니다 (시그모이드를 따로 붙이지 않음)
    for step in range(200):
        optimizer.zero_grad()
        loss = loss_fn(model(x_train).squeeze(1), y_train)
        loss.backward()
        optimizer.step()
    with torch.no_grad():
        accuracy = ((model(x_test).squeeze(1) > 0).float() == y_test).float().mean().item()
    print(f"{name:<14} 학습 손실 {loss.item():.3f}   테스트 정확도 {accuracy:.1%}")
