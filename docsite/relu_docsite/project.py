"""Where the project is, and how the build writes what it makes.

* :func:`project_root` -- the project's directory (the one holding ``mkdocs.yml``), for the
  plugin, the figure builder, the scripts and the tests alike;
* :func:`write_atomic` -- every generated file (figures, executed notebooks, their records and
  exports) is written through a temporary file, and not at all when it already holds the same
  bytes: ``mkdocs serve`` watches these paths, and a rewrite of an unchanged file would start
  another rebuild.
"""

from __future__ import annotations

import os
from pathlib import Path

CONFIG_FILE = "mkdocs.yml"


def project_root(start: str | os.PathLike) -> Path:
    """The project's directory: the nearest one holding ``mkdocs.yml``, from ``start`` upward.

    ``start`` is a file or a directory inside the project; a YAML file is taken as the site's
    configuration itself (MkDocs' ``config.config_file_path``), so its directory is the root.

    >>> (project_root(__file__) / "mkdocs.yml").is_file()
    True
    """
    here = Path(start).resolve()
    if here.suffix in (".yml", ".yaml") and here.is_file():
        return here.parent
    for directory in [here, *here.parents] if here.is_dir() else list(here.parents):
        if (directory / CONFIG_FILE).is_file():
            return directory
    raise FileNotFoundError(f"no {CONFIG_FILE} in {here} or any directory above it")


def write_atomic(path: str | os.PathLike, data: str | bytes) -> bool:
    """Write ``data`` (text as UTF-8) to ``path`` unless it already holds exactly that; say whether it wrote.

    The bytes go to a temporary file beside ``path`` first, then replace it in one step, so
    no reader (a browser, a second build) ever sees half a file.
    """
    path = Path(path)
    raw = data.encode("utf-8") if isinstance(data, str) else data
    if path.is_file() and path.read_bytes() == raw:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_bytes(raw)
    os.replace(tmp, path)
    return True
