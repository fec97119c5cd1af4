"""수치 기울기(중앙 차분)로 autograd의 기울기를 검사하기."""

import numpy as np
import torch

from relu_docs.gradients import gradient_check, numerical_gradient

torch.manual_seed(0)
W = torch.randn(3, 4, dtype=torch.float64)  # float64: 수치 기울기는 float32로는 부정확


def f(x):
    """스칼라 함수 f(x) = sum(tanh(W x)^2), NumPy 배열을 받아 float을 돌려줌."""
    return torch.tanh(W @ torch.from_numpy(x)).pow(2).sum().item()


def grad_autograd(x):
    """같은 함수의 기울기를 autograd(역전파)로."""
    xt = torch.tensor(x, requires_grad=True)
    torch.tanh(W @ xt).pow(2).sum().backward()
    return xt.grad.numpy()


x0 = np.random.default_rng(0).normal(size=4)
print("autograd    :", grad_autograd(x0).round(6))
print("중앙 차분   :", numerical_gradient(f, x0).round(6))
print(f"최대 상대 오차: {gradient_check(f, grad_autograd, x0):.1e}")

# 일부러 틀린 기울기(계수 2를 빠뜨린 경우)는 바로 드러남
print(f"틀린 기울기의 상대 오차: {gradient_check(f, lambda x: grad_autograd(x) / 2, x0):.2f}")

# ε이 너무 크면 절단 오차, 너무 작으면 반올림 오차가 커짐
for eps in [1e-2, 1e-4, 1e-6, 1e-8, 1e-10]:
    print(f"eps={eps:.0e}  상대 오차 {gradient_check(f, grad_autograd, x0, eps=eps):.1e}")

# PyTorch 내장 검사: torch.autograd.gradcheck (float64 입력 필요)
x_t = torch.tensor(x0, requires_grad=True)
print("torch.autograd.gradcheck:", torch.autograd.gradcheck(lambda x: torch.tanh(W @ x).pow(2).sum(), (x_t,)))
