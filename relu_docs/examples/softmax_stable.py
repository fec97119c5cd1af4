"""소프트맥스를 그대로 계산하면 큰 로짓에서 넘칩니다. 최댓값을 빼면 안전합니다."""

import torch

torch.manual_seed(0)

logits = torch.tensor([1000.0, 1000.0, -1000.0])


def naive_softmax(z):
    e = torch.exp(z)  # exp(1000) = inf (float32 최댓값은 약 3.4e38)
    return e / e.sum()


def stable_softmax(z):
    e = torch.exp(z - z.max())  # 모든 지수가 0 이하: 넘칠 수 없음
    return e / e.sum()


print("그대로 계산  :", naive_softmax(logits).tolist())  # inf / inf = nan
print("최댓값을 뺌  :", stable_softmax(logits).tolist())
print("torch.softmax:", torch.softmax(logits, dim=0).tolist())

# 로그 확률이 필요하면 log(softmax(z)) 대신 log_softmax를 씁니다.
z = torch.tensor([0.0, -200.0])
print("log(softmax):", torch.log(torch.softmax(z, dim=0)).tolist())  # exp(-200)이 float32에서 0 → -inf
print("log_softmax :", torch.log_softmax(z, dim=0).tolist())

# 모든 로짓에 같은 상수를 더해도 결과는 같습니다.
z = torch.randn(5)
print("상수 불변성:", torch.allclose(torch.softmax(z, 0), torch.softmax(z + 123.0, 0)))
