"""ReLU, Leaky ReLU, PReLU: the same two-layer MLP with three activations.

Run: python relu_models.py
"""

import torch
import torch.nn as nn

torch.manual_seed(0)


def mlp(activation: nn.Module) -> nn.Sequential:
    # 784 -> 256 -> 10: MNIST 크기의 입력을 가정한 2층 MLP
    return nn.Sequential(
        nn.Linear(784, 256),
        activation,
        nn.Linear(256, 10),
    )


models = {
    "ReLU": mlp(nn.ReLU()),
    "LeakyReLU(0.01)": mlp(nn.LeakyReLU(negative_slope=0.01)),
    "PReLU (a 1개)": mlp(nn.PReLU()),  # 모든 채널이 기울기 a 하나를 공유, 초깃값 0.25
    "PReLU (채널별 a)": mlp(nn.PReLU(num_parameters=256)),  # 은닉 유닛마다 a 하나
}

x = torch.randn(32, 784)  # 합성 데이터: 32개 샘플
for name, model in models.items():
    logits = model(x)
    n_params = sum(p.numel() for p in model.parameters())
    print(f"{name}: 출력 크기 {tuple(logits.shape)}, 매개변수 {n_params:,}개")
