"""Execute the site's jupytext notebooks, with a cache keyed on what they import.

The experiment notebooks live in ``docs/notebooks/*.py`` (jupytext "percent"
format, no outputs). The build executes each one with nbclient and renders
the executed copy with mkdocs-jupyter (which then only converts, never
executes). This module is the execution half:

* the cache key (:func:`relu_docsite.cachekey.cache_key`, the same as the figures') is a
  SHA-256 of the notebook source, of the source of every ``relu_docs`` module it imports
  (transitively) and of the library versions. Editing one Markdown page changes no key;
  editing ``relu_docs/init.py`` changes the keys of the notebooks that import it, and only those.
* :class:`NotebookCache` -- ``.cache/notebooks/<name>.ipynb`` (the executed
  notebook, also the file readers download) with ``<name>.json`` beside it
  (key, modules, execution time). A notebook whose key matches is not run; the others run in
  parallel, one kernel per core.
* :func:`execute_notebook` -- runs every cell in a fresh ``python3`` kernel.
  A cell that raises, or writes to stderr (a warning), fails the notebook
  with :class:`NotebookError`, whose message names the notebook and the cell
  (index, first line, error). Only a cell tagged ``raises-exception`` may
  raise, and only a cell tagged ``stderr-ok`` may warn. Nothing is cached
  for a failed notebook.
* Exports: a code cell with the metadata ``export="name.md"`` (jupytext:
  ``# %% export="speed_ratios.md"``) has its ``text/markdown`` output written
  to ``.cache/notebooks/name.md`` after every build, so a page can include a
  measured table with pymdownx.snippets.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import jupytext
import nbformat
from mkdocs.plugins import get_plugin_logger

from relu_docsite.cachekey import cache_key
from relu_docsite.project import write_atomic

log = get_plugin_logger(__name__)

#: bump to invalidate every cached notebook (change of cache layout or execution policy)
CACHE_FORMAT = "1"
#: per-cell timeout, seconds (a notebook is meant to take < 30 s in total)
CELL_TIMEOUT = 300
#: environment variables set in the kernel: figures inline, as in Jupyter
#: (no .pyc files: ``mkdocs serve`` watches relu_docs/, and a write there would trigger a rebuild)
KERNEL_ENV = {"MPLBACKEND": "module://matplotlib_inline.backend_inline", "PYTHONDONTWRITEBYTECODE": "1"}
EXPORT_NAME = re.compile(r"^[A-Za-z0-9_-]+\.md$")


class NotebookError(Exception):
    """A notebook could not be executed; the message names the notebook and the cell."""


# ------------------------------------------------------------------ execution
def read_notebook(path: Path) -> nbformat.NotebookNode:
    """Read a jupytext notebook, as a plain ``.ipynb`` would open in Jupyter.

    Cell ids are made deterministic (``cell-0``, ``cell-1``, ...) and the
    jupytext metadata is dropped, so the executed copy is an ordinary notebook.
    """
    nb = jupytext.read(path)
    nb.metadata.pop("jupytext", None)
    nb.metadata.setdefault("kernelspec", {"name": "python3", "display_name": "Python 3", "language": "python"})
    for index, cell in enumerate(nb.cells):
        cell["id"] = f"cell-{index}"
    return nb


def _first_line(cell) -> str:
    for line in cell.source.splitlines():
        if line.strip():
            return line.strip()[:80]
    return "(empty)"


def _describe(name: str, index: int, cell) -> str:
    return f"notebook {name}, cell {index + 1} ({cell.cell_type}, starting {_first_line(cell)!r})"


def _strip_ansi(text: str) -> str:
    return re.sub(r"\x1b\[[0-9;]*m", "", text)


def check_outputs(nb, name: str) -> None:
    """Raise :class:`NotebookError` for an error output or a stderr output in an untagged cell."""
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        tags = set(cell.metadata.get("tags", []))
        for output in cell.get("outputs", []):
            if output.output_type == "error" and "raises-exception" not in tags:
                tb = _strip_ansi("\n".join(output.get("traceback", [])[-3:]))
                raise NotebookError(
                    f"{_describe(name, index, cell)} raised {output.ename}: {output.evalue}\n{tb}"
                )
            if output.output_type == "stream" and output.name == "stderr" and "stderr-ok" not in tags:
                raise NotebookError(
                    f"{_describe(name, index, cell)} wrote to stderr (tag the cell 'stderr-ok' "
                    f"if that is intended):\n{output.text.strip()[:2000]}"
                )


def execute_notebook(nb, name: str, log_path: Path | None = None, timeout: int = CELL_TIMEOUT):
    """Run every cell of ``nb`` in place in a fresh ``python3`` kernel; return ``nb``.

    The kernel starts in an empty temporary directory (a notebook must not
    depend on the build's working directory) with inline figures. Any cell
    error or unexpected stderr output raises :class:`NotebookError` naming
    ``name`` and the cell. The kernel's own stderr goes to ``log_path``.
    """
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

    env = {**os.environ, **KERNEL_ENV}
    with tempfile.TemporaryDirectory(prefix="relu-docs-nb-") as cwd:
        stderr = open(log_path, "wb") if log_path else subprocess.DEVNULL
        failure = None
        try:
            client = NotebookClient(
                nb,
                timeout=timeout,
                kernel_name="python3",
                allow_errors=False,
                resources={"metadata": {"path": cwd}},
            )
            client.execute(env=env, stderr=stderr)
        except CellTimeoutError as exc:
            failure = f"notebook {name}: a cell ran longer than {timeout} s: {exc}"
        except CellExecutionError:
            failure = f"notebook {name}: a cell failed"  # check_outputs below names it
        except DeadKernelError as exc:
            tail = log_path.read_text(errors="replace")[-2000:] if log_path and log_path.exists() else ""
            failure = f"notebook {name}: the kernel died: {exc}\n{tail}"
        finally:
            if log_path:
                stderr.close()
    check_outputs(nb, name)
    if failure:
        raise NotebookError(failure)
    return nb


# ------------------------------------------------------------------ cache
@dataclass
class Result:
    """What :meth:`NotebookCache.ensure` did for one notebook."""

    name: str
    source: Path
    executed_path: Path
    key: str
    modules: list[str]
    executed: bool  # False: cache hit
    seconds: float  # execution time (of the run that produced the cached copy)
    exports: dict[str, Path] = field(default_factory=dict)
    alt_text: dict[str, str] = field(default_factory=dict)  # cell id -> the cell's "alt" metadata


class NotebookCache:
    """Executed notebooks in ``cache_dir``, re-executed only when their key changes."""

    def __init__(self, cache_dir: Path, package_dir: Path, executor=execute_notebook):
        self.cache_dir = Path(cache_dir)
        self.package_dir = Path(package_dir)
        self.executor = executor

    def paths(self, name: str) -> tuple[Path, Path]:
        return self.cache_dir / f"{name}.ipynb", self.cache_dir / f"{name}.json"

    def key(self, source: Path) -> tuple[str, list[str]]:
        """``(cache key, imported relu_docs modules)`` of notebook ``source``."""
        return cache_key(Path(source).read_bytes(), package_dir=self.package_dir, version=CACHE_FORMAT)

    def lookup(self, source: Path) -> tuple[str, list[str], dict | None]:
        """Return ``(key, modules, cached record or None)``; a record is valid only for the same key."""
        key, modules = self.key(source)
        ipynb, record_path = self.paths(source.stem)
        try:
            record = json.loads(record_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return key, modules, None
        if record.get("key") != key or not ipynb.is_file():
            return key, modules, None
        return key, modules, record

    def ensure(self, sources, workers: int | None = None) -> list[Result]:
        """Make sure every notebook in ``sources`` has an executed copy for its current key.

        The stale ones are executed in parallel, one kernel per core (``workers``, default: the
        cores this process may use), each in its own fresh kernel; results come back in the
        order given. A failing notebook raises :class:`NotebookError` once the others are done.
        """
        self.cache_dir.mkdir(parents=True, exist_ok=True)
        sources = [Path(source) for source in sources]
        looked_up = [(source, *self.lookup(source)) for source in sources]
        stale = [(source, key, modules) for source, key, modules, record in looked_up if record is None]
        records: dict[Path, dict] = {source: record for source, _, _, record in looked_up if record is not None}
        executed: dict[Path, nbformat.NotebookNode] = {}
        if stale:
            _warm_matplotlib()
            workers = max(1, min(len(stale), workers or _cores()))
            with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="notebook") as pool:
                futures = {source: pool.submit(self._execute, source, key, modules) for source, key, modules in stale}
                failures = []
                for source, future in futures.items():
                    try:
                        executed[source], records[source] = future.result()
                    except NotebookError as exc:
                        failures.append(exc)
            if failures:
                raise failures[0]
        results = []
        for source, key, modules, _ in looked_up:
            name = source.stem
            ipynb, _ = self.paths(name)
            nb = executed.get(source)
            if nb is None:  # plain JSON: validating ~200 kB on every serve rebuild costs more than the rest
                nb = nbformat.v4.nbjson.reads(ipynb.read_text(encoding="utf-8"))
            exports = self.write_exports(nb, source.name)
            alt = {cell.get("id"): cell.metadata["alt"] for cell in nb.cells if cell.metadata.get("alt")}
            results.append(Result(name, source, ipynb, key, modules, source in executed, records[source]["seconds"],
                                  exports, alt))
        return results

    def _execute(self, source: Path, key: str, modules: list[str]) -> tuple[nbformat.NotebookNode, dict]:
        """Execute one notebook and cache it; return it and its record."""
        name = source.stem
        ipynb, record_path = self.paths(name)
        nb = read_notebook(source)
        log.info("Executing notebook %s (imports %s)", source.name, ", ".join(modules) or "no relu_docs module")
        start = time.perf_counter()
        self.executor(nb, source.name, log_path=self.cache_dir / f"{name}.kernel.log")
        seconds = time.perf_counter() - start
        nbformat.validate(nb)
        write_atomic(ipynb, nbformat.writes(nb))
        record = {"key": key, "modules": modules, "seconds": round(seconds, 3), "source": source.name}
        write_atomic(record_path, json.dumps(record, indent=1))
        log.info("Executed notebook %s in %.1f s", source.name, seconds)
        return nb, record

    def write_exports(self, nb, notebook_name: str) -> dict[str, Path]:
        """Write each ``export``-tagged cell's Markdown output to the cache directory."""
        written = {}
        for index, cell in enumerate(nb.cells):
            target = cell.metadata.get("export")
            if not target:
                continue
            if not EXPORT_NAME.match(str(target)):
                raise NotebookError(f"{_describe(notebook_name, index, cell)}: export name {target!r} must look like name.md")
            texts = [o.data["text/markdown"] for o in cell.get("outputs", [])
                     if o.output_type in ("display_data", "execute_result") and "text/markdown" in o.get("data", {})]
            if len(texts) != 1:
                raise NotebookError(
                    f"{_describe(notebook_name, index, cell)}: export {target!r} needs exactly one "
                    f"text/markdown output, found {len(texts)}"
                )
            path = self.cache_dir / target
            write_atomic(path, texts[0].rstrip("\n") + "\n")
            written[target] = path
        return written


def _cores() -> int:
    """The cores this process may run on (a container's CPU set, not the machine's)."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


@lru_cache(maxsize=1)
def _warm_matplotlib() -> None:
    """Build matplotlib's font cache here, not in a kernel.

    On a machine where it does not exist yet, the first ``import matplotlib``
    logs "Matplotlib is building the font cache" to stderr, which would fail
    the first notebook that plots. Kernels share this process's environment,
    hence the same cache directory.
    """
    try:
        import matplotlib.font_manager  # noqa: F401
    except ImportError:
        pass
