"""잔차 연결의 효과를 작게 재현합니다: 같은 데이터, 같은 옵티마이저, 같은 단계 수로
얕은 plain MLP, 깊은 plain MLP, 같은 깊이의 잔차 MLP를 학습시키고 학습용 손실을 비교합니다.

Run: python residual_degradation.py   (CPU 2코어에서 몇 초)
"""

import math

import torch
from torch import nn

from relu_docs.init import he_std

torch.set_num_threads(1)  # 실행마다 같은 결과
WIDTH, STEPS = 32, 200

# 합성 데이터: 입력 8차원, 클래스 4개. 레이블은 무작위 sin 특성의 선형 결합 중 가장 큰 것.
g = torch.Generator().manual_seed(0)
X = torch.randn(512, 8, generator=g)
features = torch.sin(X @ (2 * torch.randn(8, 64, generator=g)))
y = (features @ torch.randn(64, 4, generator=g)).argmax(dim=1)


class MLP(nn.Module):
    """입력층 → 블록 depth개 → 출력층. 블록 F(h) = ReLU(W h + b), 잔차면 h ← h + F(h)."""

    def __init__(self, depth: int, residual: bool):
        super().__init__()
        self.residual = residual
        self.inp = nn.Linear(8, WIDTH)
        self.blocks = nn.ModuleList(nn.Linear(WIDTH, WIDTH) for _ in range(depth))
        self.out = nn.Linear(WIDTH, 4)
        # 블록의 가중치: He 초기화. 잔차 신경망은 블록 depth개의 출력이 계속 더해지므로
        # 표준편차를 sqrt(depth)로 나눠, 더해진 분산이 깊이와 함께 커지지 않게 합니다.
        std = he_std(WIDTH) / (math.sqrt(depth) if residual else 1.0)
        for block in self.blocks:
            nn.init.normal_(block.weight, 0.0, std)
            nn.init.zeros_(block.bias)

    def forward(self, x):
        h = self.inp(x)
        for block in self.blocks:
            f = torch.relu(block(h))
            h = h + f if self.residual else f  # 차이는 이 한 줄뿐
        return self.out(h)


def final_training_loss(depth: int, residual: bool) -> float:
    """Adam(학습률 0.001)으로 전체 배치 STEPS단계 학습, 마지막 20단계의 평균 학습용 손실."""
    torch.manual_seed(0)
    model = MLP(depth, residual)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    losses = []
    for _ in range(STEPS):
        loss = nn.functional.cross_entropy(model(X), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    return sum(losses[-20:]) / 20


results = {
    "plain, 블록 4개": final_training_loss(4, residual=False),
    "plain, 블록 48개": final_training_loss(48, residual=False),
    "잔차, 블록 48개": final_training_loss(48, residual=True),
}
print(f"학습용 손실 (교차 엔트로피, {STEPS}단계 뒤; 처음은 약 ln 4 = {math.log(4):.2f})")
for name, loss in results.items():
    print(f"  {name:12s} {loss:.2f}")

shallow, plain, residual = results.values()
# 주장을 넉넉한 여유로 확인합니다(CPU 커널이 바뀌어 숫자가 조금 달라져도 성립해야 합니다).
assert plain > shallow, results             # 열화: 깊은 plain이 얕은 plain보다 학습용 손실이 큼
assert residual < 0.5 * plain, results      # 같은 깊이의 잔차 신경망은 손실을 훨씬 더 줄임
assert residual < shallow, results
