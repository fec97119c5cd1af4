"""같은 weight_decay=0.1이라도 Adam(L2)과 AdamW(분리된 감쇠)는 매개변수를 다르게 줄입니다."""

import torch

torch.set_num_threads(1)  # 아주 작은 텐서는 스레드 하나가 더 빠릅니다

# 매개변수 4개, 모두 1에서 시작. 손실의 기울기 크기만 다릅니다: 0, 0.01, 1, 100배의 잡음.
torch.manual_seed(0)
scales = torch.tensor([0.0, 0.01, 1.0, 100.0], dtype=torch.float64)
noise = torch.randn(200, 4, dtype=torch.float64)  # 모든 옵티마이저에 같은 기울기 열


def run(make_optimizer, steps=200):
    p = torch.ones(4, dtype=torch.float64, requires_grad=True)
    optimizer = make_optimizer([p])
    for t in range(steps):
        optimizer.zero_grad()
        p.grad = scales * noise[t]  # 손실의 기울기 (감쇠는 옵티마이저가 더함)
        optimizer.step()
    return p.detach()


plain = run(lambda ps: torch.optim.Adam(ps, lr=1e-3))
l2 = run(lambda ps: torch.optim.Adam(ps, lr=1e-3, weight_decay=0.1))
decoupled = run(lambda ps: torch.optim.AdamW(ps, lr=1e-3, weight_decay=0.1))

print("기울기 크기            ", "  ".join(f"{s:>8g}" for s in scales.tolist()))
print("감쇠가 줄인 양, Adam+L2 ", "  ".join(f"{d:8.5f}" for d in (plain - l2).tolist()))
print("감쇠가 줄인 양, AdamW   ", "  ".join(f"{d:8.5f}" for d in (plain - decoupled).tolist()))

