"""torch.optim의 한 단계 = 수식 한 줄: SGD, 모멘텀, Adam을 relu_docs.optim(NumPy)과 나란히."""

import numpy as np
import torch

from relu_docs.optim import adam_step, momentum_step, sgd_step


def grad_of(theta):
    """손실 L(θ) = θ1² + 10 θ2² 의 기울기 (길쭉한 그릇 모양)."""
    return np.array([2.0, 20.0]) * theta


def run_torch(make_optimizer, steps=3):
    theta = torch.tensor([1.0, 1.0], dtype=torch.float64, requires_grad=True)
    optimizer = make_optimizer([theta])
    for _ in range(steps):
        optimizer.zero_grad()
        (theta[0] ** 2 + 10 * theta[1] ** 2).backward()
        optimizer.step()
    return theta.detach().numpy()


steps = 3
theta, state = np.array([1.0, 1.0]), None
for _ in range(steps):
    theta = sgd_step(theta, grad_of(theta), lr=0.04)
print("SGD     식:", theta.round(6), " torch:", run_torch(lambda p: torch.optim.SGD(p, lr=0.04)).round(6))

theta, velocity = np.array([1.0, 1.0]), None
for _ in range(steps):
    theta, velocity = momentum_step(theta, grad_of(theta), velocity, lr=0.04, momentum=0.9)
print("모멘텀  식:", theta.round(6), " torch:",
      run_torch(lambda p: torch.optim.SGD(p, lr=0.04, momentum=0.9)).round(6))

theta, m, v = np.array([1.0, 1.0]), None, None
for t in range(1, steps + 1):
    theta, m, v = adam_step(theta, grad_of(theta), m, v, t, lr=0.1)
print("Adam    식:", theta.round(6), " torch:", run_torch(lambda p: torch.optim.Adam(p, lr=0.1)).round(6))
