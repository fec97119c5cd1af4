"""Dying ReLU monitor: how many ReLU units are dead after training with a small and a large learning rate.

Run: python relu_docs/examples/dead_relu_monitor.py
"""

import torch
from torch import nn

from relu_docs.diagnostics import dead_relu_report


def make_model():
    model = nn.Sequential(
        nn.Linear(20, 64), nn.ReLU(),
        nn.Linear(64, 64), nn.ReLU(),
        nn.Linear(64, 1),
    )
    for m in model:
        if isinstance(m, nn.Linear):
            nn.init.kaiming_normal_(m.weight, nonlinearity="relu")  # He 초기화
            nn.init.zeros_(m.bias)
    return model


def train(model, X, y, lr, epochs=5, batch_size=128):
    opt = torch.optim.SGD(model.parameters(), lr=lr)
    for _ in range(epochs):
        for i in range(0, len(X), batch_size):
            opt.zero_grad()
            loss = ((model(X[i:i + batch_size]) - y[i:i + batch_size]) ** 2).mean()
            loss.backward()
            opt.step()
    return loss.item()


def print_table(title, report):
    print(title)
    print(f"  {'layer':>5}  {'type':<5}  {'units':>5}  {'dead':>4}  {'dead_fraction':>13}  {'zero_fraction':>13}")
    for name, r in report.items():
        print(f"  {name:>5}  {r['type']:<5}  {r['units']:>5}  {r['dead_units']:>4}  "
              f"{r['dead_fraction']:>13.3f}  {r['zero_fraction']:>13.3f}")


def main():
    # 합성 회귀 데이터: y = X w + 잡음
    torch.manual_seed(0)
    X = torch.randn(1024, 20)
    y = X @ torch.randn(20, 1) + 0.1 * torch.randn(1024, 1)
    batches = [X[i:i + 128] for i in range(0, len(X), 128)]

    for lr in (0.01, 0.1):
        torch.manual_seed(1)  # 두 실험이 같은 초기 가중치에서 출발
        model = make_model()
        print_table(f"lr={lr}: before training", dead_relu_report(model, batches))
        loss = train(model, X, y, lr)
        print_table(f"lr={lr}: after 5 epochs of SGD (last batch loss {loss:.0f})",
                    dead_relu_report(model, batches))
        print()


if __name__ == "__main__":
    main()
