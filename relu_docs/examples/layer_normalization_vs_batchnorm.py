"""층 정규화와 배치 정규화: 통계를 내는 축, 학습·평가 모드, 배치 크기 1, 트랜스포머 모양의 입력."""

import torch
import torch.nn as nn

from relu_docs.normalization import layer_norm

torch.manual_seed(0)
x = torch.randn(4, 6, dtype=torch.float64) * 3 + 5  # 샘플 4개, 특성 6개

ln = nn.LayerNorm(6).double()
bn = nn.BatchNorm1d(6).double()

# 1. 어느 축으로 정규화하는가: LN은 샘플(행)마다, BN은 특성(열)마다 평균 0
with torch.no_grad():
    y_ln, y_bn = ln(x), bn(x)
print("LN 출력의 샘플별 평균:", y_ln.mean(dim=1).abs().max().item() < 1e-12,
      "| 특성별 평균:", y_ln.mean(dim=0).abs().max().item() < 1e-12)
print("BN 출력의 샘플별 평균:", y_bn.mean(dim=1).abs().max().item() < 1e-12,
      "| 특성별 평균:", y_bn.mean(dim=0).abs().max().item() < 1e-12)

# 2. 학습 모드와 평가 모드: LN은 같은 계산, BN은 러닝 통계로 바뀜
with torch.no_grad():
    print("LN 학습 모드 = 평가 모드:", torch.equal(ln.train()(x), ln.eval()(x)))
    print("BN 학습 모드 = 평가 모드:", torch.allclose(bn.train()(x), bn.eval()(x)))

# 3. 샘플 하나: LN은 배치와 무관, BN은 학습 모드에서 오류
with torch.no_grad():
    print("LN, 샘플 하나 = 배치 안의 같은 샘플:", torch.equal(ln(x[:1]), ln(x)[:1]))
try:
    bn.train()(x[:1])
except ValueError:
    print("BN 학습 모드, 샘플 하나: ValueError")

# 4. 저장하는 것: LN은 학습되는 γ, β뿐, BN은 러닝 통계도
print("LN 매개변수:", [tuple(p.shape) for p in ln.parameters()], "버퍼:", [n for n, _ in ln.named_buffers()])
print("BN 매개변수:", [tuple(p.shape) for p in bn.parameters()], "버퍼:", [n for n, _ in bn.named_buffers()])

# 5. 트랜스포머 모양 (배치, 토큰, 특성) = (2, 5, 8): 토큰마다 따로 정규화
tokens = torch.randn(2, 5, 8, dtype=torch.float64) * 2 + 1
with torch.no_grad():
    out = nn.LayerNorm(8).double()(tokens)
print("토큰마다 평균 0:", out.mean(dim=-1).abs().max().item() < 1e-12,
      "| 토큰마다 분산 1:", torch.allclose(out.var(dim=-1, unbiased=False), torch.ones(2, 5, dtype=torch.float64), atol=1e-4))
print("relu_docs와 같은가:", torch.allclose(out, torch.from_numpy(layer_norm(tokens.numpy(), 8)), atol=1e-12))
