"""잔차 연결의 효과를 작게 재현합니다: 얕은 plain, 깊은 plain, 같은 깊이의 잔차 MLP를
같은 데이터, 같은 옵티마이저, 같은 단계 수로 학습시키고 학습용 손실을 비교합니다."""

import math

import torch
from torch import nn

from relu_docs.init import he_std

torch.set_num_threads(1)  # 실행마다 같은 결과
g = torch.Generator().manual_seed(0)  # 합성 데이터: 입력 8차원, 클래스 4개
X = torch.randn(512, 8, generator=g)
y = (torch.sin(X @ (2 * torch.randn(8, 64, generator=g))) @ torch.randn(64, 4, generator=g)).argmax(dim=1)


def final_loss(depth, residual, width=32, steps=200):
    """블록 F(h) = ReLU(W h + b)를 depth개 쌓아 Adam으로 학습; 마지막 20단계의 평균 학습용 손실."""
    torch.manual_seed(0)
    inp = nn.Linear(8, width)
    blocks = [nn.Linear(width, width) for _ in range(depth)]
    out = nn.Linear(width, 4)
    for block in blocks:  # He 초기화. 잔차 신경망은 블록 출력이 계속 더해지므로 표준편차를 √depth로 나눔
        nn.init.normal_(block.weight, 0.0, he_std(width) / (math.sqrt(depth) if residual else 1.0))
        nn.init.zeros_(block.bias)
    optimizer = torch.optim.Adam([p for m in [inp, *blocks, out] for p in m.parameters()], lr=1e-3)
    losses = []
    for _ in range(steps):
        h = inp(X)
        for block in blocks:
            h = h + torch.relu(block(h)) if residual else torch.relu(block(h))  # 차이는 이 한 줄
        loss = nn.functional.cross_entropy(out(h), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    return sum(losses[-20:]) / 20


shallow, plain, residual = final_loss(4, False), final_loss(48, False), final_loss(48, True)
print(f"학습용 손실(처음 약 ln 4 = {math.log(4):.2f}): plain 4블록 {shallow:.2f}, "
      f"plain 48블록 {plain:.2f}, 잔차 48블록 {residual:.2f}")
# 넉넉한 여유로 확인합니다(CPU 커널이 바뀌어 숫자가 달라져도 성립해야 합니다).
assert plain > shallow          # 열화: 깊은 plain이 얕은 plain보다 학습용 손실이 큼
assert residual < 0.5 * plain   # 같은 깊이의 잔차 신경망은 손실을 훨씬 더 줄임
assert residual < shallow
