"""PyTorch의 ReLU 변형 모듈: 같은 입력에 대한 출력과 학습/평가 모드의 차이."""

import torch
import torch.nn as nn

torch.manual_seed(0)

x = torch.tensor([-3.0, -1.0, 0.0, 2.0])
modules = {
    "ReLU": nn.ReLU(),
    "LeakyReLU(0.01)": nn.LeakyReLU(negative_slope=0.01),  # 기본값 0.01
    "PReLU": nn.PReLU(),  # 학습되는 기울기 a 하나, 초깃값 0.25
    "RReLU (평가)": nn.RReLU(lower=1 / 8, upper=1 / 3).eval(),  # 기울기 (1/8 + 1/3) / 2
    "ELU(1.0)": nn.ELU(alpha=1.0),
}
with torch.no_grad():
    for name, module in modules.items():
        print(f"{name:<16}", [round(v, 4) for v in module(x).tolist()])

# RReLU는 학습 모드에서 음수 원소마다 기울기를 U(1/8, 1/3)에서 새로 뽑습니다.
rrelu = nn.RReLU().train()
negatives = -torch.ones(100_000)
slopes = -rrelu(negatives)  # 입력이 -1이므로 출력의 부호를 바꾸면 기울기
print(f"RReLU 학습 모드 기울기: 최소 {slopes.min():.4f}, 최대 {slopes.max():.4f}, 평균 {slopes.mean():.4f}")
twice = [[round(v, 4) for v in rrelu(torch.tensor([-1.0, -1.0])).tolist()] for _ in range(2)]
print("같은 입력 [-1, -1]을 두 번 넣은 출력:", *twice)

# PReLU: 채널마다 기울기를 하나씩 둘 수도 있습니다 (채널 축은 1번 축).
prelu = nn.PReLU(num_parameters=8)
features = torch.randn(4, 8, 5, 5)  # (배치, 채널, 높이, 너비)
print("채널별 PReLU 파라미터 모양:", tuple(prelu.weight.shape), "출력 모양:", tuple(prelu(features).shape))
