#!/usr/bin/env python
"""Benchmark the site build: a clean build, the notebooks, and the rebuilds of ``mkdocs serve``.

    python scripts/bench.py            # what `make bench` runs
    python scripts/bench.py --json out.json

Everything runs in a throw-away copy of the working tree (the files git would
see: tracked and untracked-but-not-ignored, so no ``.cache/``, ``site/`` or
generated figures), with ``PYTHONPATH`` pointing at the copy so that MkDocs,
the relu-wiki plugin and the notebook kernels all import the copy's
``relu_docs`` and ``relu_docsite``. The repository itself is not touched.

The machine is shared, so each timing is printed next to a **reference measured in
the same run**: stock mkdocs-material (no plugin of ours, the standard Markdown
extensions, Material's search) building the same Markdown pages. A timing that misses
its target while the reference is slow too says the machine was busy, not the site.

1. **Clean build**, as ``make build`` does it: ``mkdocs build --strict``, which draws
   the figures while it executes every notebook (in parallel, one kernel per core).
   Prints the wall and CPU time and each notebook's execution time (kernel start
   included); reference: a clean stock build of the same pages.
2. **During serve**: MkDocs' ``build()`` called the way ``mkdocs serve`` calls
   it on each change (a fresh ``load_config`` with a temporary ``site_dir``,
   ``serve_url`` set, ``strict: true`` as in mkdocs.yml), after editing one Markdown
   page (the median of several edits, each checked to convert that page alone and
   execute no notebook), a ``relu_docs`` module that no notebook imports, and
   ``relu_docs/init.py``; reference: the stock site rebuilt after the same page edit,
   interleaved with ours.
3. ``scripts/bench_figures.py``'s ``run()``.

This prints numbers; it is not a test (tests/test_notebooks.py and
tests/test_serve_rebuild.py assert the behaviour: cache hits, which notebooks
re-execute, which pages are converted again, the rebuilt site equal to a clean
build). The targets: clean build <= 60 s, each notebook <= 30 s, a Markdown edit
rebuilt in <= 1 s (median) with no notebook executed.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import platform
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import bench_figures
from relu_docsite.project import project_root

ROOT = project_root(__file__)
TARGETS = {"clean_build_s": 60.0, "notebook_s": 30.0, "page_edit_s": 1.0}
PAGE = "docs/relu.md"
PAGE_EDITS = 5
# The reference: stock mkdocs-material building the same pages (written into the copy).
STOCK_CONFIG = """\
site_name: stock reference
docs_dir: docs
theme: {name: material, language: ko, font: false}
plugins: [search]
markdown_extensions:
  - abbr
  - admonition
  - attr_list
  - def_list
  - footnotes
  - md_in_html
  - tables
  - toc: {permalink: true}
  - pymdownx.arithmatex: {generic: true}
  - pymdownx.details
  - pymdownx.highlight
  - pymdownx.inlinehilite
  - pymdownx.snippets: {base_path: ["."]}
  - pymdownx.superfences
  - pymdownx.tabbed: {alternate_style: true}
"""
UNUSED_MODULE = "relu_docs/dropout.py"  # imported by no notebook
USED_MODULE = "relu_docs/init.py"


def _env(project: Path) -> dict:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONDONTWRITEBYTECODE": "1"}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(project), str(project / "docsite"), env.get("PYTHONPATH")]))
    return env


def copy_worktree(dest: Path) -> Path:
    """Copy the files git would commit (tracked + untracked, not ignored) into ``dest``."""
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
        cwd=ROOT, check=True, capture_output=True,
    ).stdout.decode().split("\0")
    for rel in filter(None, listed):
        src = ROOT / rel
        if src.is_file():
            (dest / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dest / rel)
    (dest / "node_modules").symlink_to(ROOT / "node_modules", target_is_directory=True)
    return dest


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _run(cmd: list[str], project: Path) -> tuple[float, float]:
    """Wall and CPU seconds of ``cmd`` (CPU: user + system, its kernels and node included)."""
    cpu, start = _children_cpu(), time.perf_counter()
    proc = subprocess.run(cmd, cwd=project, env=_env(project), capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if proc.returncode:
        sys.exit(f"bench: {' '.join(cmd)} failed:\n{proc.stdout}\n{proc.stderr}")
    return seconds, _children_cpu() - cpu


def write_stock_config(project: Path) -> Path:
    path = project / "stock-mkdocs.yml"
    path.write_text(STOCK_CONFIG, encoding="utf-8")
    return path


def clean_build(project: Path) -> dict:
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else None
    # What `make build` runs: the plugin draws the figures while the notebooks' kernels run.
    site_s, site_cpu = _run([sys.executable, "-m", "mkdocs", "build", "--strict"], project)
    stock = write_stock_config(project)
    stock_s, stock_cpu = _run([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(stock),
                               "-d", str(project / "stock-site")], project)
    notebooks = {}
    for record in sorted((project / ".cache" / "notebooks").glob("*.json")):
        data = json.loads(record.read_text(encoding="utf-8"))
        notebooks[record.stem] = data["seconds"]
    return {"total_s": site_s, "cpu_s": site_cpu, "notebooks_s": notebooks,
            "stock_s": stock_s, "stock_cpu_s": stock_cpu, "load_before": load}


# ----------------------------------------------------------------- serve worker (runs inside the copy)
def serve_worker(project: Path) -> dict:
    """Rebuild the way ``mkdocs serve`` does after each edit; report times and executed notebooks."""
    os.chdir(project)
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    from relu_docsite.cachekey import imported_modules

    messages: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record):
            messages.append(record.getMessage())

    logging.getLogger("mkdocs").setLevel(logging.INFO)
    logging.getLogger("mkdocs.plugins.relu_docsite").addHandler(Collect())
    site_dir = tempfile.mkdtemp(prefix="bench-serve-")
    serve_url = "http://127.0.0.1:8000/"

    stock_dir = tempfile.mkdtemp(prefix="bench-stock-")
    stock_config = write_stock_config(project)

    cpu_times: list[float] = []

    def rebuild(config_file: Path = project / "mkdocs.yml", where: str = site_dir) -> tuple[float, list[str]]:
        messages.clear()
        start, cpu = time.perf_counter(), time.process_time()
        config = load_config(config_file=str(config_file), site_dir=where)
        config.site_url = serve_url
        build(config, serve_url=serve_url, dirty=False)
        seconds = time.perf_counter() - start
        cpu_times.append(time.process_time() - cpu)
        if config_file != project / "mkdocs.yml":
            return seconds, []
        names = next(m for m in map(re.compile(r"Notebooks: \d+ executed \(([^)]*)\)").search, messages) if m).group(1)
        return seconds, [] if names == "none" else names.split(", ")

    def converted() -> str:
        found = [m[m.index("Pages: "):] for m in messages if "Pages: " in m]
        return found[0] if found else "every page converted"

    def edit(rel: str, line: str) -> None:
        with open(project / rel, "a", encoding="utf-8") as f:
            f.write(line)

    result: dict = {}
    result["first_build_s"], result["first_build_executed"] = rebuild()
    result["stock_first_build_s"], _ = rebuild(stock_config, stock_dir)
    result["page_edits_s"], result["page_edits_executed"], result["page_edits_converted"] = [], [], []
    result["stock_page_edits_s"] = []
    for i in range(PAGE_EDITS):
        # Interleaved with the reference, so that both see the same load.
        edit(PAGE, f"\n새 문단 {i}: $x_{i} = \\max(0, z)$.\n")
        seconds, executed = rebuild()
        result["page_edits_s"].append(seconds)
        result.setdefault("page_edits_cpu_s", []).append(cpu_times[-1])
        result["page_edits_executed"].append(executed)
        result["page_edits_converted"].append(converted())
        result["stock_page_edits_s"].append(rebuild(stock_config, stock_dir)[0])
        result.setdefault("stock_page_edits_cpu_s", []).append(cpu_times[-1])
    edit(UNUSED_MODULE, "\n# bench edit\n")
    result["unused_module_s"], result["unused_module_executed"] = rebuild()
    module = USED_MODULE[: -len(".py")].replace("/", ".")
    result["used_module_expected"] = sorted(
        p.stem for p in (project / "docs" / "notebooks").glob("*.py")
        if module in imported_modules(p.read_text(encoding="utf-8"), project / "relu_docs")
    )
    edit(USED_MODULE, "\n# bench edit\n")
    result["used_module_s"], result["used_module_executed"] = rebuild()
    shutil.rmtree(site_dir, ignore_errors=True)
    shutil.rmtree(stock_dir, ignore_errors=True)
    return result


def serve_rebuilds(project: Path) -> dict:
    proc = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), "--serve-worker", str(project)],
        cwd=project, env=_env(project), capture_output=True, text=True,
    )
    if proc.returncode:
        sys.exit(f"bench: serve rebuilds failed:\n{proc.stdout}\n{proc.stderr}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


# ----------------------------------------------------------------- report
def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            cpu = next((line.split(":", 1)[1].strip() for line in f if line.startswith("model name")), cpu)
    except OSError:
        pass
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    load = ", load average %.1f" % os.getloadavg()[0] if hasattr(os, "getloadavg") else ""
    return f"{cpu}, {cores} cores{load}, Python {platform.python_version()}"


def _mark(ok: bool) -> str:
    return "ok" if ok else "OVER TARGET"


def report(clean: dict, serve: dict, figures: dict | None) -> None:
    t = TARGETS
    ran = lambda names: ", ".join(names) or "none"  # noqa: E731
    row = lambda label, seconds, rest="": print(f"  {label:52s} {seconds:6.2f} s  {rest}".rstrip())  # noqa: E731
    print(f"Machine: {machine()}")
    if clean.get("load_before") is not None:
        print(f"Load average (1 min) at the start: {clean['load_before']:.1f}")

    print("\nClean build (fresh copy of the working tree: no .cache/, no site/, no figures)")
    ok = clean["total_s"] <= t["clean_build_s"]
    row("make build: mkdocs build --strict (figures, notebooks)", clean["total_s"],
        f"target <= {t['clean_build_s']:.0f} s: {_mark(ok)}")
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    row("  its CPU time (user + system, kernels included)", clean["cpu_s"],
        f"/ {cores} cores = {clean['cpu_s'] / cores:.1f} s: the wall time of an idle machine, at best")
    row("reference: stock Material, same pages, clean build", clean["stock_s"], f"CPU {clean['stock_cpu_s']:.2f} s")
    print("  notebook execution, in parallel (kernel start included):")
    for name, seconds in clean["notebooks_s"].items():
        row(f"  {name}", seconds, f"target <= {t['notebook_s']:.0f} s: {_mark(seconds <= t['notebook_s'])}")
    row("  all notebooks, one after another", sum(clean["notebooks_s"].values()))

    print("\nDuring serve (MkDocs' build() as `mkdocs serve` calls it after a change)")
    row("first build (notebook cache warm)", serve["first_build_s"], f"executed: {ran(serve['first_build_executed'])}")
    row("reference: stock Material, same pages, first build", serve["stock_first_build_s"])
    for i, (seconds, executed, converted, stock) in enumerate(zip(
            serve["page_edits_s"], serve["page_edits_executed"], serve["page_edits_converted"],
            serve["stock_page_edits_s"]), 1):
        row(f"edit {PAGE} (#{i})", seconds, f"stock {stock:.2f} s; executed: {ran(executed)}; {converted}")
    median = statistics.median(serve["page_edits_s"])
    stock = statistics.median(serve["stock_page_edits_s"])
    ok = median <= t["page_edit_s"] and not any(serve["page_edits_executed"])
    row(f"edit {PAGE}: median of {len(serve['page_edits_s'])}", median,
        f"target <= {t['page_edit_s']:.1f} s and no notebook: {_mark(ok)}")
    row("  its CPU time, median", statistics.median(serve["page_edits_cpu_s"]),
        "(this process; the wall time of an idle machine, about)")
    row("reference: stock Material rebuild, same edits, median", stock,
        f"CPU {statistics.median(serve['stock_page_edits_cpu_s']):.2f} s; ours / stock = {median / stock:.2f}")
    row(f"edit {UNUSED_MODULE} (no notebook imports it)", serve["unused_module_s"],
        f"executed: {ran(serve['unused_module_executed'])}")
    ok = serve["used_module_executed"] == serve["used_module_expected"]
    row(f"edit {USED_MODULE}", serve["used_module_s"], f"executed: {ran(serve['used_module_executed'])}")
    print(f"  {'':52s}           expected (they import it): {ran(serve['used_module_expected'])}: {_mark(ok)}")
    if hasattr(os, "getloadavg"):
        print(f"\nLoad average (1 min) at the end: {os.getloadavg()[0]:.1f}")

    if figures is not None:
        print("\nscripts/bench_figures.py run():")
        for key, value in figures.items():
            print(f"  {key:28s} {value}")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="Time the clean build, the notebooks and serve's rebuilds.")
    parser.add_argument("--json", type=Path, help="also write the numbers to this JSON file")
    parser.add_argument("--serve-worker", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.serve_worker:
        print(json.dumps(serve_worker(args.serve_worker.resolve())))
        return 0
    with tempfile.TemporaryDirectory(prefix="bench-site-") as tmp:
        project = copy_worktree(Path(tmp) / "project")
        clean = clean_build(project)
        serve = serve_rebuilds(project)
    figures = bench_figures.run()
    report(clean, serve, figures)
    if args.json:
        args.json.write_text(json.dumps({"machine": machine(), "clean": clean, "serve": serve, "figures": figures},
                                        indent=1, ensure_ascii=False), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
