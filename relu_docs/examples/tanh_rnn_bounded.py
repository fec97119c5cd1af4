"""RNN의 은닉 상태: tanh는 (−1, 1)에 묶여 있고, ReLU는 큰 가중치에서 끝없이 커질 수 있습니다."""

import torch
import torch.nn as nn

torch.manual_seed(0)

inputs = torch.randn(1, 50, 4)  # (배치, 시간 50단계, 특징 4)
for nonlinearity in ("tanh", "relu"):
    torch.manual_seed(1)
    rnn = nn.RNN(input_size=4, hidden_size=16, nonlinearity=nonlinearity, batch_first=True)
    with torch.no_grad():
        rnn.weight_hh_l0.mul_(3.0)  # 순환 가중치를 일부러 크게
        outputs, _ = rnn(inputs)
    peak = outputs.abs().amax(dim=(0, 2))  # 시간 단계별 |h|의 최댓값
    print(f"{nonlinearity:<5} |h| 최댓값: 1단계 {peak[0]:.3g}, 10단계 {peak[9]:.3g}, 50단계 {peak[49]:.3g}")

# nn.LSTM은 게이트에 시그모이드, 셀 후보와 출력에 tanh를 씁니다 (nonlinearity 인자가 없습니다).
lstm = nn.LSTM(input_size=4, hidden_size=16, batch_first=True)
with torch.no_grad():
    h, _ = lstm(inputs)
print(f"LSTM 은닉 상태 범위: [{h.min().item():.3f}, {h.max().item():.3f}]")
