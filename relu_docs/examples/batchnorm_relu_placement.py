"""BN → ReLU 와 ReLU → BN: 블록 출력의 통계, 그리고 BN 앞 Linear의 편향이 하는 일 (합성 데이터)."""

import torch
from torch import nn

torch.manual_seed(0)
x = torch.randn(256, 20) + 1.0   # 합성 입력 (평균 1)

linear = nn.Linear(20, 64)
blocks = {
    "Linear → BN → ReLU (원 논문의 배치)": nn.Sequential(linear, nn.BatchNorm1d(64), nn.ReLU()),
    "Linear → ReLU → BN": nn.Sequential(linear, nn.ReLU(), nn.BatchNorm1d(64)),
}
for name, block in blocks.items():
    block.train()
    with torch.no_grad():
        out = block(x)
    print(f"{name:34s} 출력 평균 {out.mean().item():+.3f}  표준편차 {out.std().item():.3f}  "
          f"0의 비율 {(out == 0).float().mean().item():.2f}")

# 학습 모드의 BN은 채널 평균을 빼므로 앞 층의 편향이 결과에 영향을 주지 않음
bn = nn.BatchNorm1d(64).train()
with torch.no_grad():
    a = bn(linear(x))
    linear.bias.add_(3.0)        # 편향을 크게 바꿔도
    b = bn(linear(x))
print("편향을 바꾼 뒤에도 BN 출력이 같은가:", torch.allclose(a, b, atol=1e-5))
print("그래서 흔히 nn.Linear(20, 64, bias=False) 다음에 BN을 둠; 매개변수",
      sum(p.numel() for p in nn.Linear(20, 64).parameters()), "->",
      sum(p.numel() for p in nn.Linear(20, 64, bias=False).parameters()))
