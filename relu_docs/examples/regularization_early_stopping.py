"""과적합과 조기 종료: 작은 잡음 데이터에서 검증 손실이 가장 낮은 에포크를 찾고, 그때의 매개변수로 되돌립니다."""

import copy

import torch
import torch.nn as nn

from relu_docs.regularization import EarlyStopping, early_stopping

torch.set_num_threads(1)  # 아주 작은 신경망은 스레드 하나가 더 빠릅니다

# 데이터: y = sin(x) + 잡음(표준편차 0.3). 학습용 20개, 검증용 200개
torch.manual_seed(0)
x_train = torch.rand(20, 1, dtype=torch.float64) * 6 - 3
y_train = torch.sin(x_train) + 0.3 * torch.randn(20, 1, dtype=torch.float64)
x_val = torch.linspace(-3, 3, 200, dtype=torch.float64).unsqueeze(1)
y_val = torch.sin(x_val) + 0.3 * torch.randn(200, 1, dtype=torch.float64)
loss_fn = nn.MSELoss()


def make_model_and_optimizer():
    torch.manual_seed(1)
    model = nn.Sequential(nn.Linear(1, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 1)).double()
    return model, torch.optim.Adam(model.parameters(), lr=1e-2)


def train_one_epoch(model, optimizer):
    optimizer.zero_grad()
    loss_fn(model(x_train), y_train).backward()
    optimizer.step()
    with torch.no_grad():
        return loss_fn(model(x_train), y_train).item(), loss_fn(model(x_val), y_val).item()


# 1. 규제 없이 2000 에포크: 학습 손실은 계속 줄지만 검증 손실은 어느 순간부터 늘어납니다.
model, optimizer = make_model_and_optimizer()
history = [train_one_epoch(model, optimizer) for _ in range(2000)]
for epoch in (0, 20, 100, 500, 1999):
    train_loss, val_loss = history[epoch]
    print(f"에포크 {epoch:4d}  학습 손실 {train_loss:.3f}  검증 손실 {val_loss:.3f}")
val_losses = [val for _, val in history]
print("2000 에포크 중 검증 손실이 가장 낮은 에포크:", val_losses.index(min(val_losses)))
print("patience 100이면 (가장 좋은 에포크, 멈춘 에포크):", early_stopping(val_losses, patience=100))

# 2. 조기 종료: 검증 손실이 좋아질 때마다 매개변수를 보관하고, 멈춘 뒤 되돌립니다.
model, optimizer = make_model_and_optimizer()
stopper = EarlyStopping(patience=100)
for epoch in range(2000):
    _, val_loss = train_one_epoch(model, optimizer)
    if stopper.improved(val_loss):
        best_state = copy.deepcopy(model.state_dict())
    if stopper.step(val_loss):
        break
model.load_state_dict(best_state)
with torch.no_grad():
    restored = loss_fn(model(x_val), y_val).item()
print(f"조기 종료: 에포크 {stopper.epoch}에서 멈추고 에포크 {stopper.best_epoch}의 매개변수로 되돌림, 검증 손실 {restored:.3f}")
