"""분류 손실은 로짓으로 계산합니다. 모델 끝에 Softmax나 Sigmoid를 두는 흔한 실수와 비교합니다."""

import torch
import torch.nn as nn

torch.set_num_threads(1)  # 아주 작은 텐서는 스레드 하나가 더 빠릅니다

# 1. 다중 분류: 클래스 3개, 클래스마다 중심이 다른 2차원 점 600개
torch.manual_seed(0)
centers = torch.tensor([[0.0, 3.0], [-3.0, -2.0], [3.0, -2.0]], dtype=torch.float64)
labels = torch.randint(0, 3, (600,))
points = centers[labels] + torch.randn(600, 2, dtype=torch.float64)

for softmax_layer in (False, True):
    torch.manual_seed(1)
    layers = [nn.Linear(2, 32), nn.ReLU(), nn.Linear(32, 3)]  # 마지막 층의 출력 = 로짓
    if softmax_layer:
        layers.append(nn.Softmax(dim=1))  # 실수: CrossEntropyLoss가 소프트맥스를 한 번 더 적용
    model = nn.Sequential(*layers).double()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.5)
    for step in range(200):
        optimizer.zero_grad()
        loss = nn.CrossEntropyLoss()(model(points), labels)
        loss.backward()
        if step == 0:
            first_grad = model[2].weight.grad.norm().item()
        optimizer.step()
    name = "Softmax → CrossEntropyLoss (실수)" if softmax_layer else "로짓 → CrossEntropyLoss"
    print(f"{name}: 첫 단계 출력층 기울기 노름 {first_grad:.3f}, 200번째 단계의 손실 {loss.item():.3f}")

# 2. 이진 분류(float32): 로짓 30으로 자신 있게 틀린 샘플과 로짓 -30으로 맞힌 샘플, 정답은 둘 다 0
logits = torch.tensor([30.0, -30.0], requires_grad=True)
targets = torch.zeros(2)
for name, probs_first in [("BCEWithLogitsLoss(로짓)", False), ("BCELoss(Sigmoid(로짓)) (실수)", True)]:
    logits.grad = None
    if probs_first:
        loss = nn.BCELoss()(torch.sigmoid(logits), targets)
    else:
        loss = nn.BCEWithLogitsLoss()(logits, targets)
    loss.backward()
    print(f"{name}: 손실 {loss.item():.4f}, 틀린 샘플의 로짓 기울기 {logits.grad[0].item():.4f}")
