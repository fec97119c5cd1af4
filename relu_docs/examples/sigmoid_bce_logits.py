"""이진 분류의 출력층: 로짓을 BCEWithLogitsLoss에 바로 넣습니다. 흔한 두 가지 실수와 비교합니다."""

import torch
import torch.nn as nn

torch.manual_seed(0)

# 아주 자신 있게 틀린 예측 하나와 맞힌 예측 하나 (로짓 ±30, 정답 [0, 0])
logits = torch.tensor([30.0, -30.0], requires_grad=True)
targets = torch.tensor([0.0, 0.0])


def report(name, loss):
    logits.grad = None
    loss.backward()
    print(f"{name:<34} 손실 {loss.item():8.4f}   로짓 기울기 {[f'{g:+.3g}' for g in logits.grad.tolist()]}")


# 올바른 방법: 시그모이드를 손실 함수 안에서 안정적으로 계산
report("BCEWithLogitsLoss(로짓)", nn.BCEWithLogitsLoss()(logits, targets))

# 실수 1: 시그모이드를 따로 적용한 뒤 BCELoss. float32에서 σ(30)이 정확히 1.0으로 반올림되어
# log(1 − 1) = −inf가 되고, BCELoss는 로그를 −100으로 잘라 냅니다. 손실값이 틀리고 기울기도 사라집니다.
report("BCELoss(sigmoid(로짓))", nn.BCELoss()(torch.sigmoid(logits), targets))

# 실수 2: 시그모이드를 두 번 (모델 끝에 nn.Sigmoid를 두고 BCEWithLogitsLoss 사용)
report("BCEWithLogitsLoss(sigmoid(로짓))", nn.BCEWithLogitsLoss()(torch.sigmoid(logits), targets))

# 추론할 때 확률이 필요하면 그때 시그모이드를 적용합니다.
with torch.no_grad():
    print("예측 확률:", torch.sigmoid(logits).tolist())
