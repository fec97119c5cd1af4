#!/usr/bin/env python
"""Draw every figure of the ReLU 위키 (scripts/figures.py) into docs/figures/.

    python scripts/build_figures.py            # draw the figures whose code changed
    python scripts/build_figures.py --force    # draw all
    python scripts/build_figures.py --list     # names, and which are stale

Each figure is written three times: ``NAME.svg`` (what pages reference), ``light/NAME.svg``
and ``dark/NAME.svg`` (what the site shows in each colour scheme). The machinery (house
style, SVG, incremental cache in .cache/figures.json) is relu_docsite.figure_build; the
MkDocs plugin runs the same build before every ``mkdocs build`` and ``mkdocs serve`` rebuild.
"""

import sys
from pathlib import Path

from relu_docsite.figure_build import main

if __name__ == "__main__":
    main(sys.argv[1:], registry=Path(__file__).with_name("figures.py"))
