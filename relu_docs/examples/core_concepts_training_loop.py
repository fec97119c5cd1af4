"""딥러닝의 다섯 단계: 순전파 → 손실 → 기울기 초기화 → 역전파 → 갱신 (합성 데이터, CPU 몇 초)."""

import torch
from torch import nn

torch.manual_seed(0)

# 합성 데이터: 원점에서의 거리로 나뉘는 두 클래스 (0: 반지름 1.2 안, 1: 밖)
def make_data(n):
    x = torch.randn(n, 2)
    y = (x.norm(dim=1) > 1.2).long()
    return x, y

x_train, y_train = make_data(512)
x_test, y_test = make_data(512)

# 다층 퍼셉트론(MLP): 은닉층 2개(각 32개 유닛, ReLU), 출력층은 로짓 2개
model = nn.Sequential(
    nn.Linear(2, 32), nn.ReLU(),
    nn.Linear(32, 32), nn.ReLU(),
    nn.Linear(32, 2),
)
loss_fn = nn.CrossEntropyLoss()
optimizer = torch.optim.Adam(model.parameters(), lr=1e-2)
print("매개변수 수:", sum(p.numel() for p in model.parameters()))

for step in range(301):
    model.train()
    logits = model(x_train)            # 1. 순전파
    loss = loss_fn(logits, y_train)    # 2. 손실 계산
    optimizer.zero_grad()              # 3. 이전 기울기 지우기
    loss.backward()                    # 4. 역전파: 모든 매개변수의 기울기
    optimizer.step()                   # 5. 옵티마이저가 매개변수 갱신
    if step % 100 == 0:
        print(f"step {step:3d}  train loss {loss.item():.4f}")

model.eval()                           # 평가 모드 (Dropout/BatchNorm이 있으면 동작이 바뀜)
with torch.no_grad():                  # 평가에는 기울기가 필요 없음
    train_acc = (model(x_train).argmax(dim=1) == y_train).float().mean().item()
    test_acc = (model(x_test).argmax(dim=1) == y_test).float().mean().item()
print(f"train accuracy {train_acc:.3f}  test accuracy {test_acc:.3f}")
