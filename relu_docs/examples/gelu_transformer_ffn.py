"""Transformer의 위치별 피드포워드 층(FFN): 원 논문은 ReLU, BERT·GPT는 GELU를 씁니다."""

import inspect

import torch
import torch.nn as nn

torch.manual_seed(0)


class FeedForward(nn.Module):
    """FFN(x) = W2 · act(W1 x + b1) + b2, 은닉 폭은 보통 d_model의 4배."""

    def __init__(self, d_model, d_ff, activation):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(d_model, d_ff), activation, nn.Linear(d_ff, d_model))

    def forward(self, x):
        return self.net(x)


d_model, d_ff = 64, 256
x = torch.randn(2, 10, d_model)  # (배치, 토큰 10개, d_model)

exact = FeedForward(d_model, d_ff, nn.GELU())  # 정확한 GELU: x Φ(x)
approx = FeedForward(d_model, d_ff, nn.GELU(approximate="tanh"))  # tanh 근사
relu = FeedForward(d_model, d_ff, nn.ReLU())  # 원 논문의 Transformer
approx.load_state_dict(exact.state_dict())  # 같은 가중치
relu.load_state_dict(exact.state_dict())

with torch.no_grad():
    y_exact, y_approx, y_relu = exact(x), approx(x), relu(x)
print("출력 모양:", tuple(y_exact.shape))
print(f"정확한 GELU vs tanh 근사, 출력 최대 차이: {(y_exact - y_approx).abs().max().item():.1e}")
print(f"정확한 GELU vs ReLU,      출력 최대 차이: {(y_exact - y_relu).abs().max().item():.1e}")

# PyTorch의 Transformer 층은 activation 인자로 고릅니다. 기본값은 함수 torch.nn.functional.relu입니다.
default = inspect.signature(nn.TransformerEncoderLayer).parameters["activation"].default
print("TransformerEncoderLayer의 activation 기본값:", default.__name__)
layer = nn.TransformerEncoderLayer(d_model=d_model, nhead=4, dim_feedforward=d_ff,
                                   activation="gelu", batch_first=True)
layer.eval()
with torch.no_grad():
    print("TransformerEncoderLayer(activation='gelu') 출력 모양:", tuple(layer(x).shape))
