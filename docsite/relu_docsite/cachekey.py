"""Cache keys of what the build computes from code: the executed notebooks and the figures.

A key is the SHA-256 of

* the code that makes the output (a notebook's source; a figure's function, the code the
  figures share and the drawing machinery),
* the source of every ``relu_docs`` module that code imports, followed transitively
  (``relu_docs.functional`` brings ``relu_docs.validation``; importing ``relu_docs.a.b`` runs
  ``relu_docs/__init__.py`` too), and
* the versions of Python and of the libraries that shape the outputs (:data:`DISTRIBUTIONS`).

Imports are read from the source (``ast``), never executed, so checking every key costs
milliseconds. Editing a Markdown page changes no key; editing ``relu_docs/init.py`` changes
the keys of exactly the notebooks and figures whose code imports it.
"""

from __future__ import annotations

import ast
import hashlib
import platform
from functools import lru_cache
from importlib import metadata
from pathlib import Path

#: the package whose modules are followed
PACKAGE = "relu_docs"
#: distributions whose versions are part of every key
DISTRIBUTIONS = ("numpy", "torch", "matplotlib", "ipykernel", "nbclient", "nbformat", "jupytext")


def _module_file(module: str, package_dir: Path) -> Path | None:
    """Source file of ``relu_docs[.a.b]`` under ``package_dir``, or None."""
    parts = module.split(".")
    if parts[0] != PACKAGE:
        return None
    base = package_dir.joinpath(*parts[1:])
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def _imports(tree: ast.AST, current: str | None, is_package: bool) -> set[str]:
    """Absolute module names imported in ``tree`` (relative imports resolved against ``current``)."""
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                if current is None:
                    continue
                package = current if is_package else current.rpartition(".")[0]
                for _ in range(node.level - 1):
                    package = package.rpartition(".")[0]
                base = f"{package}.{node.module}" if node.module else package
            else:
                base = node.module or ""
            found.add(base)
            # ``from relu_docs import functional`` imports a submodule
            found.update(f"{base}.{alias.name}" for alias in node.names if alias.name != "*")
    return found


@lru_cache(maxsize=512)
def _module_imports(path: str, module: str, mtime_ns: int, size: int) -> frozenset:
    """Imports of one package module; cached on its modification time (``mkdocs serve`` asks on every rebuild)."""
    tree = ast.parse(Path(path).read_text(encoding="utf-8"))
    return frozenset(_imports(tree, module, Path(path).name == "__init__.py"))


@lru_cache(maxsize=256)
def _source_imports(source: str) -> frozenset:
    """Imports of a piece of code (figure segments and the shared code are asked again on every rebuild)."""
    return frozenset(_imports(ast.parse(source), None, False))


def imported_modules(source: str, package_dir: Path) -> dict[str, Path]:
    """``relu_docs`` modules that running ``source`` imports, transitively, with their files.

    >>> from relu_docsite.project import project_root
    >>> package = project_root(__file__) / "relu_docs"
    >>> sorted(imported_modules("from relu_docs.functional import relu", package))
    ['relu_docs', 'relu_docs.functional', 'relu_docs.validation']
    >>> imported_modules("import numpy as np", package)
    {}
    """
    seen: dict[str, Path] = {}
    todo = [_source_imports(source)]
    while todo:
        for name in sorted(todo.pop()):
            parts = name.split(".")
            for i in range(1, len(parts) + 1):
                module = ".".join(parts[:i])
                if module in seen:
                    continue
                path = _module_file(module, Path(package_dir))
                if path is None:
                    continue  # not ours, or ``from relu_docs.x import name`` where name is no module
                seen[module] = path
                stat = path.stat()
                todo.append(_module_imports(str(path), module, stat.st_mtime_ns, stat.st_size))
    return dict(sorted(seen.items()))


@lru_cache(maxsize=1)
def environment() -> str:
    """Python and library versions that are part of every key (read once per process)."""
    versions = [f"python={platform.python_version()}", f"machine={platform.machine()}"]
    for dist in DISTRIBUTIONS:
        try:
            versions.append(f"{dist}={metadata.version(dist)}")
        except metadata.PackageNotFoundError:
            versions.append(f"{dist}=missing")
    return ";".join(versions)


def cache_key(*code: str | bytes, package_dir: Path, version: str = "1") -> tuple[str, list[str]]:
    """``(sha256 hex, imported relu_docs modules)`` for an output made by ``code``.

    ``code`` is every piece of source the output depends on; the ``relu_docs`` modules any of
    them imports are followed and hashed too. ``version`` belongs to the cache that stores the
    key: bump it to invalidate every entry (a change of layout or policy).
    """
    h = hashlib.sha256(f"format={version}\n{environment()}\n".encode())
    modules: dict[str, Path] = {}
    for piece in code:
        raw = piece.encode("utf-8") if isinstance(piece, str) else piece
        h.update(b"code\n" + raw + b"\n")
        modules.update(imported_modules(raw.decode("utf-8"), package_dir))
    for name, path in sorted(modules.items()):
        h.update(f"module {name}\n".encode() + path.read_bytes() + b"\n")
    return h.hexdigest(), sorted(modules)
