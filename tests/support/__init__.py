"""What the tests share: building the site, serving it like GitHub Pages, running the pages' code blocks.

``ROOT`` is the project's directory (:func:`relu_docsite.project.project_root`).
"""

from relu_docsite.project import project_root

ROOT = project_root(__file__)
