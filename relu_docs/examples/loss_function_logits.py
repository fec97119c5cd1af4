"""분류 손실은 로짓으로 계산합니다. CrossEntropyLoss 앞에 Softmax를 두거나, BCELoss 앞에 Sigmoid를 두는 흔한 실수와 비교합니다."""

import torch
import torch.nn as nn

from relu_docs.losses import binary_cross_entropy, binary_cross_entropy_with_logits, cross_entropy

# 1. 다중 분류: 클래스 3개, 클래스마다 중심이 다른 2차원 점 600개
torch.manual_seed(0)
centers = torch.tensor([[0.0, 3.0], [-3.0, -2.0], [3.0, -2.0]], dtype=torch.float64)
labels = torch.randint(0, 3, (600,))
points = centers[labels] + torch.randn(600, 2, dtype=torch.float64)


def train(softmax_layer):
    torch.manual_seed(1)
    layers = [nn.Linear(2, 32), nn.ReLU(), nn.Linear(32, 3)]  # 마지막 층의 출력 = 로짓
    if softmax_layer:
        layers.append(nn.Softmax(dim=1))  # 실수: CrossEntropyLoss가 소프트맥스를 한 번 더 적용
    model = nn.Sequential(*layers).double()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.5)
    loss_fn = nn.CrossEntropyLoss()  # 안에서 log_softmax + 정답 클래스의 음의 로그 확률
    for step in range(200):
        optimizer.zero_grad()
        loss = loss_fn(model(points), labels)
        loss.backward()
        if step == 0:
            first_grad = model[2].weight.grad.norm().item()
        optimizer.step()
    with torch.no_grad():
        out = model(points)
        final = loss_fn(out, labels).item()
    assert abs(final - cross_entropy(out.numpy(), labels.numpy())) < 1e-12  # relu_docs와 같은 값
    return first_grad, final


for flag, name in [(False, "로짓 → CrossEntropyLoss"), (True, "Softmax → CrossEntropyLoss (실수)")]:
    first_grad, final = train(flag)
    print(f"{name}: 첫 단계 출력층 기울기 노름 {first_grad:.3f}, 200단계 뒤 손실 {final:.3f}")

floor = nn.CrossEntropyLoss()(torch.tensor([[1.0, 0.0, 0.0]]), torch.tensor([0])).item()
print(f"확률 [1, 0, 0]을 로짓 자리에 넣은 '손실': {floor:.4f}")

# 2. 이진 분류: 로짓 30으로 자신 있게 틀린 샘플 하나와 로짓 -30으로 맞힌 샘플 하나 (정답 0, 0), float32
logits = torch.tensor([30.0, -30.0], requires_grad=True)
targets = torch.zeros(2)
for name, fn in [("BCEWithLogitsLoss(로짓)", lambda z: nn.BCEWithLogitsLoss()(z, targets)),
                 ("BCELoss(Sigmoid(로짓)) (실수)", lambda z: nn.BCELoss()(torch.sigmoid(z), targets))]:
    logits.grad = None
    loss = fn(logits)
    loss.backward()
    print(f"{name}: 손실 {loss.item():.4f}, 틀린 샘플의 로짓 기울기 {logits.grad[0].item():.4f}")

z, y = logits.detach().numpy(), targets.numpy()
print("relu_docs:", float(binary_cross_entropy_with_logits(z, y)), float(binary_cross_entropy(torch.sigmoid(logits).detach().numpy(), y)))
