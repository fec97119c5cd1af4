"""relu_docsite: how the ReLU 위키 is built. Not part of the relu_docs package.

One MkDocs plugin (:mod:`relu_docsite.plugin`, ``relu-wiki`` in mkdocs.yml) runs the pipeline;
each step is a small module: wiki links and backlinks (:mod:`~relu_docsite.wikilinks`,
:mod:`~relu_docsite.wiki`), the glossary and abbreviations (:mod:`~relu_docsite.glossary`,
:mod:`~relu_docsite.abbr`), the concept map, math (:mod:`~relu_docsite.math`, :mod:`~relu_docsite.math_font`,
:mod:`~relu_docsite.tex`), figures (:mod:`~relu_docsite.figure_build` draws,
:mod:`~relu_docsite.figures` shows), notebooks (:mod:`~relu_docsite.notebooks` executes,
:mod:`~relu_docsite.notebook_pages` and :mod:`~relu_docsite.notebook_html` make the pages),
Korean search (:mod:`~relu_docsite.search`). :mod:`~relu_docsite.cachekey` keys the figures and
notebooks alike; :mod:`~relu_docsite.project` finds the project and writes outputs;
:mod:`~relu_docsite.internals` holds the one private MkDocs part the site relies on.
"""
