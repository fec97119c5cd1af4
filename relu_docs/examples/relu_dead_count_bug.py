"""A common mistake in counting dead ReLU units, and what dead_relu_report measures instead.

count_dead_neurons below calls every nn.ReLU module on the *raw input batch*, not
on what that module receives inside the model. It therefore returns the share of
input elements <= 0, whatever the weights are: a healthy model and a model
whose ReLU units are all dead get the same number.

Run: python relu_dead_count_bug.py
"""

import torch
import torch.nn as nn

from relu_docs.diagnostics import dead_relu_report

torch.manual_seed(0)


def count_dead_neurons(model, dataloader):
    """Wrong: applies each nn.ReLU module to the input batch, not to what it receives in the model."""
    dead_count = 0
    total_count = 0
    with torch.no_grad():
        for data, _ in dataloader:
            for module in model.modules():
                if isinstance(module, nn.ReLU):
                    output = module(data)  # 버그: 모델 안의 입력이 아니라 원본 데이터에 ReLU를 적용
                    dead_count += (output == 0).sum().item()
                    total_count += output.numel()
    return dead_count / total_count


def make_model():
    return nn.Sequential(nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 1))


healthy = make_model()
broken = make_model()
with torch.no_grad():
    broken[2].bias.fill_(-100.0)  # 두 번째 ReLU 층의 유닛을 모두 죽인다

# 합성 데이터: (입력, 타깃) 쌍 8개 배치
loader = [(torch.randn(128, 64), torch.randn(128, 1)) for _ in range(8)]

for name, model in [("정상 모델", healthy), ("2층이 모두 죽은 모델", broken)]:
    print(f"{name}")
    print(f"  입력에 ReLU를 적용한 count_dead_neurons: {count_dead_neurons(model, loader):.3f}")
    for layer, r in dead_relu_report(model, loader).items():
        print(f"  dead_relu_report 층 {layer}: dead_fraction {r['dead_fraction']:.3f}, "
              f"zero_fraction {r['zero_fraction']:.3f}")
