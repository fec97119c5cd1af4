"""다중 분류: nn.CrossEntropyLoss에는 로짓을 넣습니다. 앞에 Softmax를 두는 흔한 실수와 비교합니다."""

import torch
import torch.nn as nn

torch.manual_seed(0)

# 합성 데이터: 3개 클래스, 클래스마다 중심이 다른 2차원 점
centers = torch.tensor([[0.0, 3.0], [-3.0, -2.0], [3.0, -2.0]])
labels = torch.randint(0, 3, (600,))
points = centers[labels] + torch.randn(600, 2)


def train(with_softmax_layer):
    torch.manual_seed(1)
    layers = [nn.Linear(2, 32), nn.ReLU(), nn.Linear(32, 3)]  # 마지막 출력 = 로짓
    if with_softmax_layer:
        layers.append(nn.Softmax(dim=1))  # 실수: CrossEntropyLoss가 소프트맥스를 한 번 더 적용
    model = nn.Sequential(*layers)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.5)
    loss_fn = nn.CrossEntropyLoss()  # 내부에서 log_softmax + 음의 로그 가능도
    history = {}
    for step in range(1, 101):
        optimizer.zero_grad()
        loss = loss_fn(model(points), labels)
        loss.backward()
        if step == 1:
            history["first_grad"] = model[2].weight.grad.norm().item()
        optimizer.step()
        if step in (10, 100):
            with torch.no_grad():
                accuracy = (model(points).argmax(dim=1) == labels).float().mean().item()
            history[step] = (loss.item(), accuracy)
    return history


for flag, name in [(False, "로짓 → CrossEntropyLoss"), (True, "Softmax → CrossEntropyLoss (실수)")]:
    h = train(flag)
    print(f"{name}\n  첫 스텝 출력층 기울기 노름 {h['first_grad']:.3f}"
          f"\n  10 스텝: 손실 {h[10][0]:.3f}, 정확도 {h[10][1]:.1%}"
          f"\n  100 스텝: 손실 {h[100][0]:.3f}, 정확도 {h[100][1]:.1%}")

# 확률을 넣으면 손실이 결코 작아질 수 없습니다: 완벽한 확률 [1, 0, 0]도 손실이 log(1 + 2/e) ≈ 0.55.
perfect = torch.tensor([[1.0, 0.0, 0.0]])
print(f"완벽한 확률을 넣었을 때의 '손실': {nn.CrossEntropyLoss()(perfect, torch.tensor([0])).item():.4f}")
