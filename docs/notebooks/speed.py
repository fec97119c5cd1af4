# ---
# jupyter:
#   jupytext:
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.6
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 속도 실험: 활성화 함수의 처리량
#
# "시그모이드와 tanh는 ReLU보다 약 10배 느리다"는 말이 자주 보이지만, 출처를 찾을 수 없는 숫자입니다. 그래서 직접 잽니다.
# ReLU, Leaky ReLU, ELU, 시그모이드, tanh, GELU를 NumPy와 PyTorch에서 실행하고, 걸린 시간을 **같은 배열을 복사하는 시간**으로 나눕니다.
#
# - 복사는 메모리를 한 번 읽고 한 번 쓰는 일이라, 원소별 연산이 낼 수 있는 가장 빠른 속도에 가깝습니다.
#   배율이 1이면 그 함수는 메모리 복사만큼 싸고, 10이면 복사보다 10배 오래 걸립니다.
# - NumPy 쪽은 이 위키의 구현인 `relu_docs.functional`을, PyTorch 쪽은 `torch`와 `torch.nn.functional`을 잽니다.
# - 입력은 float32 원소 $2^{20}$개(4 MiB)입니다.
# - PyTorch는 스레드 1개로 잽니다. NumPy의 원소별 연산도 스레드 하나로 돌기 때문에 조건이 같아지고, 다른 프로세스와 코어를 나눠 쓰는 기계에서도 숫자가 덜 흔들립니다.
# - 같은 측정을 여러 번 반복해 가장 짧은 시간을 씁니다. 더 긴 시간은 대개 다른 프로세스의 간섭 때문이라는 것이 [Python `timeit` 문서](https://docs.python.org/3/library/timeit.html#timeit.Timer.repeat)의 권고입니다.
#
# 표의 숫자는 이 페이지를 빌드한 기계에서 잰 값입니다. 다른 기계에서는 달라집니다.

# %%
import os
import platform
import timeit

import matplotlib.pyplot as plt
import numpy as np
import torch
import torch.nn.functional as F
from IPython.display import Markdown, display

from relu_docs.functional import ACTIVATIONS
from relu_docs.plotting import use_korean_font

# %config InlineBackend.figure_formats = ["svg"]
# 그림의 글꼴: 라틴 문자와 수식은 DejaVu Sans, 한글은 설치된 한글 글꼴로 그립니다.
use_korean_font()

torch.manual_seed(0)
torch.set_num_threads(1)
N = 2**20

# %% [markdown]
# ## 측정한 기계

# %%
def cpu_model() -> str:
    """The CPU's model name from /proc/cpuinfo (Linux), else what platform knows."""
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


if hasattr(os, "sched_getaffinity"):
    cores = len(os.sched_getaffinity(0))  # 이 프로세스가 쓸 수 있는 코어
else:
    cores = os.cpu_count()
MACHINE = {
    "CPU": cpu_model(),
    "코어": f"{cores}개 사용 가능 (논리 코어 {os.cpu_count()}개)",
    "운영체제": f"{platform.system()} {platform.machine()}",
    "Python": platform.python_version(),
    "NumPy": np.__version__,
    "PyTorch": f"{torch.__version__} (스레드 {torch.get_num_threads()}개)",
}
for key, value in MACHINE.items():
    print(f"{key:6s} {value}")

# %% [markdown]
# ## 측정
#
# `best_times`는 한 번 실행에 걸리는 시간을 초 단위로 돌려줍니다. 한 묶음이 10 ms 이상 걸리도록 반복 횟수를 정하고, 묶음 여러 개 가운데 가장 빠른 것을 씁니다.
# 복사와 함수는 번갈아 잽니다. 측정 도중 기계가 바빠져도 두 쪽이 같은 영향을 받게 하기 위해서입니다.

# %%
def batch_size(fn, min_seconds: float = 0.01) -> int:
    """Calls per timed batch, so that a batch takes at least `min_seconds` (as timeit does)."""
    fn()  # 첫 호출(메모리 할당, 지연 초기화)은 재지 않습니다
    number = 1
    while timeit.timeit(fn, number=number) < min_seconds:
        number *= 2
    return number


def best_times(fn, base, rounds: int = 7) -> tuple[float, float]:
    """Seconds per call of fn() and of base(), the fastest batch of each over interleaved rounds."""
    n_fn, n_base = batch_size(fn), batch_size(base)
    t_fn = t_base = float("inf")
    for _ in range(rounds):
        t_fn = min(t_fn, timeit.timeit(fn, number=n_fn) / n_fn)
        t_base = min(t_base, timeit.timeit(base, number=n_base) / n_base)
    return t_fn, t_base


x_np = np.random.default_rng(0).standard_normal(N).astype(np.float32)
x_torch = torch.from_numpy(x_np.copy())

TORCH_FUNCTIONS = {
    "relu": torch.relu,
    "leaky_relu": F.leaky_relu,
    "elu": F.elu,
    "sigmoid": torch.sigmoid,
    "tanh": torch.tanh,
    "gelu": F.gelu,
}
NAMES = {
    "relu": "ReLU",
    "leaky_relu": "Leaky ReLU",
    "elu": "ELU",
    "sigmoid": "시그모이드",
    "tanh": "tanh",
    "gelu": "GELU",
}

ratios = {}  # 이름 -> (NumPy 배율, PyTorch 배율)
for name in NAMES:
    numpy_fn, torch_fn = ACTIVATIONS[name][0], TORCH_FUNCTIONS[name]
    t_np, copy_np = best_times(lambda: numpy_fn(x_np), lambda: x_np.copy())
    t_torch, copy_torch = best_times(lambda: torch_fn(x_torch), lambda: x_torch.clone())
    ratios[name] = (t_np / copy_np, t_torch / copy_torch)
    print(f"{NAMES[name]:10s} NumPy {t_np * 1e6:8.0f} µs (복사 {copy_np * 1e6:4.0f} µs)"
          f"   PyTorch {t_torch * 1e6:6.0f} µs (복사 {copy_torch * 1e6:4.0f} µs)")

# %% [markdown]
# ## 결과: 복사 대비 배율
#
# 아래 표는 [ReLU 문서](../relu.md#계산이-간단합니다)에도 그대로 실립니다.

# %% export="speed_ratios.md"
rows = [
    "| 함수 | NumPy (`relu_docs`) | PyTorch | PyTorch, ReLU 대비 |",
    "|---|---:|---:|---:|",
    "| 메모리 복사 (기준) | 1.0배 | 1.0배 | |",
]
for name, (r_np, r_torch) in ratios.items():
    r_relu = r_torch / ratios["relu"][1]
    rows.append(f"| {NAMES[name]} | {r_np:.1f}배 | {r_torch:.1f}배 | {r_relu:.1f}배 |")
caption = (
    "float32 원소 $2^{20}$개에 함수를 한 번 적용하는 시간을 같은 배열을 복사하는 시간으로 나눈 값입니다. "
    f"측정 기계: {MACHINE['CPU']} (코어 {cores}개), Python {MACHINE['Python']}, "
    f"NumPy {MACHINE['NumPy']}, PyTorch {MACHINE['PyTorch']}."
)
display(Markdown("\n".join(rows) + "\n\n" + caption))

# %% alt="활성화 함수마다 메모리 복사 대비 실행 시간 배율을 NumPy(relu_docs 구현)와 PyTorch로 나란히 그린 가로 막대그래프, 로그 눈금. PyTorch의 ReLU와 Leaky ReLU는 배율이 1 근처입니다"
labels = [NAMES[n] for n in NAMES]
y = np.arange(len(labels))
fig, ax = plt.subplots(figsize=(7, 3.6))
ax.barh(y - 0.2, [ratios[n][0] for n in NAMES], height=0.4, label="NumPy (relu_docs)")
ax.barh(y + 0.2, [ratios[n][1] for n in NAMES], height=0.4, label="PyTorch")
ax.axvline(1, color="k", lw=1, ls="--")
ax.set_xscale("log")
ax.set_yticks(y, labels)
ax.invert_yaxis()
ax.set_xlabel("메모리 복사 대비 배율 (로그 눈금)")
ax.legend(loc="lower right")
ax.grid(True, axis="x", which="both", alpha=0.3)
plt.show()

# %% [markdown]
# ## 읽는 법
#
# - **PyTorch의 ReLU와 Leaky ReLU**는 비교와 선택만 하므로 계산이 메모리 읽기·쓰기에 가려집니다. 복사와 거의 같은 시간이 걸립니다.
# - **시그모이드, tanh, ELU, GELU**는 지수 함수나 오차 함수(error function)를 계산해야 해서 복사보다 오래 걸립니다. 얼마나 오래 걸리는지는 라이브러리가 그 함수를 얼마나 잘 벡터화했는지에 크게 좌우됩니다.
# - **NumPy 열**은 이 위키의 참조 구현입니다. `relu_docs.functional`은 속도보다 정확성을 우선합니다. 입력 검사와 자료형 처리를 하고, 시그모이드는 넘침(overflow)이 없는 두 갈래 식으로 계산하며, GELU의 오차 함수는 원소마다 Python의 `math.erfc`를 부릅니다. 그래서 NumPy 열의 배율은 공식의 비용보다 구현 방식의 비용을 보여 줍니다.
#
# 흔히 말하는 "약 10배"를 이 기계의 PyTorch 숫자와 비교하면 다음과 같습니다.

# %%
for name in ("sigmoid", "tanh", "gelu"):
    print(f"{NAMES[name]}: ReLU의 {ratios[name][1] / ratios['relu'][1]:.1f}배 (PyTorch, 스레드 1개)")

# %% [markdown]
# 한 가지 숫자로 "몇 배 느리다"고 말하기 어렵다는 것이 결론입니다. 배율은 함수, 라이브러리, 텐서 크기, CPU에 따라 달라집니다.
#
# ## 층 하나에서 차지하는 몫
#
# 신경망의 층은 활성화 함수만 계산하지 않습니다. 폭 1024인 완전 연결층(`nn.Linear(1024, 1024)`)에 배치 256개를 넣는 순전파에서
# 행렬 곱과 활성화 함수가 각각 얼마나 걸리는지 잽니다.

# %%
layer = torch.nn.Linear(1024, 1024)
batch = torch.randn(256, 1024)
with torch.no_grad():
    z = layer(batch)
    for name in ("relu", "sigmoid", "tanh", "gelu"):
        act = TORCH_FUNCTIONS[name]
        t_act, t_linear = best_times(lambda: act(z), lambda: layer(batch), rounds=3)
        share = t_act / (t_linear + t_act)
        print(f"{NAMES[name]:6s} 행렬 곱 {t_linear * 1e6:6.0f} µs, 활성화 {t_act * 1e6:5.0f} µs"
              f" → 층 시간의 {share:.0%}")

# %% [markdown]
# 이 크기에서는 행렬 곱이 층 시간의 대부분을 차지합니다. 활성화 함수 사이의 배율 차이가 크더라도, 학습 전체 시간에 미치는 영향은 그보다 훨씬 작습니다.
