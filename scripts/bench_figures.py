#!/usr/bin/env python
"""Benchmark the figure build: a clean full build and a no-change rebuild.

    python scripts/bench_figures.py [--runs N]

Each timing is the median wall time of ``--runs`` runs of the real command
(a fresh interpreter: imports of matplotlib, NumPy and torch included), drawing
into a temporary directory with its own cache; the repository's docs/figures/
and .cache/ are left alone. Also reported: the in-process staleness check that
the MkDocs plugin runs before every build of ``mkdocs serve``, and the redraw of
one figure (what ``mkdocs serve`` pays after an edit to one figure's code).

The target: all figures in at most 20 s on the 2-core machine.
``run()`` returns the numbers as a dict for scripts/bench.py.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from relu_docsite.figure_build import FigureBuild
from relu_docsite.project import project_root

ROOT = project_root(__file__)
SCRIPT = ROOT / "scripts" / "build_figures.py"
REGISTRY = ROOT / "scripts" / "figures.py"
LIMIT_FULL_S = 20.0


def _timed(args: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, str(SCRIPT), "--quiet", *args], cwd=ROOT, check=True)
    return time.perf_counter() - start


def run(runs: int = 3) -> dict:
    """Time the figure build; return seconds (medians) and the figure count."""
    with tempfile.TemporaryDirectory(prefix="bench-figures-") as tmp:
        out, cache = Path(tmp) / "figures", Path(tmp) / "figures.json"
        common = ["--out", str(out), "--cache", str(cache)]
        full = [_timed([*common, "--force"]) for _ in range(runs)]
        nochange = [_timed(common) for _ in range(max(runs, 5))]
        checks = []
        for _ in range(max(runs, 5)):
            start = time.perf_counter()
            assert FigureBuild(REGISTRY, out, cache).stale() == [], "figures should be up to date"
            checks.append(time.perf_counter() - start)
        one = [_timed([*common, "--force", "relu.svg"]) for _ in range(runs)]
    full_s = statistics.median(full)
    return {
        "figures": len(FigureBuild(REGISTRY).names()),
        "runs": runs,
        "full_s": round(full_s, 2),
        "full_limit_s": LIMIT_FULL_S,
        "full_within_limit": full_s <= LIMIT_FULL_S,
        "incremental_nochange_s": round(statistics.median(nochange), 3),
        "hook_check_s": round(statistics.median(checks), 4),
        "one_figure_s": round(statistics.median(one), 2),
    }


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(description="Time the figure build (scripts/build_figures.py).")
    parser.add_argument("--runs", type=int, default=3, help="runs per timing (median)")
    args = parser.parse_args(argv)
    result = run(args.runs)
    print(f"figures: {result['figures']} figures, median of {result['runs']} runs")
    print(f"  clean full build:        {result['full_s']:.2f} s "
          f"(limit {result['full_limit_s']:.0f} s: {'ok' if result['full_within_limit'] else 'OVER'})")
    print(f"  no-change rebuild:       {result['incremental_nochange_s']:.3f} s (command line)")
    print(f"  hook staleness check:    {result['hook_check_s'] * 1000:.1f} ms (in mkdocs, per build)")
    print(f"  redraw one figure:       {result['one_figure_s']:.2f} s (relu.svg, command line)")
    return result


if __name__ == "__main__":
    main(sys.argv[1:])
