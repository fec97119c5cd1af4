"""The ReLU 위키's MkDocs plugin: the site's whole build pipeline, in the order MkDocs runs it.

mkdocs.yml lists it as ``relu-wiki`` (options: :class:`ReluWikiConfig`) after Material's
``search`` and before ``typeset`` and ``mkdocs-jupyter``. For plugins of equal priority MkDocs
runs an event in that order, which puts each step below where it must be relative to theirs;
the one step that needs a priority says why.

============== ================================================================================
config         read the glossary; ``abbr`` becomes Korean-aware and explains the glossary's
               abbreviations on every page; start the math typesetter (its CSS joins
               ``extra_css``); check mkdocs-jupyter's settings
pre_build      start executing the notebooks (cached; in the background, one kernel per core)
               and draw the stale figures meanwhile (scripts/figures.py -> docs/figures/)
files          wait for the notebooks and point their files at the executed copies,
               before mkdocs-jupyter wraps them; read every page for the page index and link
               graph; find each glossary term's home (for search); add the math CSS and font
               licence; keep the glossary file out of the site
nav            remember the navigation sections (the concept map's columns)
pre_page       point a notebook page at its executed copy, before mkdocs-jupyter converts it;
               any other page renders through the render cache (mkdocs serve: a page whose
               Markdown and inputs did not change is not converted again)
page_markdown  glossary tables; wiki links become Markdown links; the backlinks section
page_content   fit a notebook's HTML to the site; typeset the math and report TeX left over;
               show figures as light/dark pairs; draw the concept map; one <abbr> per
               abbreviation; drop the code spans Material draws as plain text -- all before
               Material's typeset copies the headings (formulas included) into the table of contents
page_context   Material's search indexes the page between our two steps: it gets each formula
               as text, or skips a page whose entries an earlier build made
post_build     complete the search index (Korean sub-words, the glossary's forms and best bets)
               into search/full_index.json, which the search worker fetches when the reader
               first opens the search; write the notebook CSS and the math font (subset to the
               characters the formulas use)
serve          also watch relu_docs/ and the figures' folder: a formula edit redraws the
               figures and re-executes the notebooks that use it
============== ================================================================================

Each problem (a broken wiki link, an invalid formula, TeX that was not typeset, a missing
figure, a notebook figure without alt text...) is a warning naming the page, so
``mkdocs build --strict`` fails on it; a failing notebook cell or figure fails the build at once.
"""

from __future__ import annotations

from pathlib import Path

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority, get_plugin_logger
from mkdocs.structure.files import File

from relu_docsite import memo, wikilinks
from relu_docsite.abbr import first_use_only, use_korean_abbr
from relu_docsite.cachekey import PACKAGE
from relu_docsite.docstrings import link_api_names, link_api_names_html
from relu_docsite.figure_build import FIGURES_DIR
from relu_docsite.figures import FigureError, redraw_stale, show_figures
from relu_docsite.glossary import abbreviations, load_glossary
from relu_docsite.lean_code import unwrap_plain_tokens
from relu_docsite.math import Math
from relu_docsite.notebook_pages import NotebookPages, NotebookSettingsError
from relu_docsite.notebooks import NotebookError
from relu_docsite.project import project_root
from relu_docsite.render_cache import RenderCache
from relu_docsite.search import SearchIndex, term_homes
from relu_docsite.tex import stray_tex
from relu_docsite.wiki import Wiki

log = get_plugin_logger(__name__)

# Pure functions of text whose results a mkdocs serve rebuild reuses (relu_docsite/memo.py).
_glossary = memo.Memo(lambda path, _content: load_glossary(path))
_link_api_names = memo.Memo(link_api_names)
_link_api_names_html = memo.Memo(link_api_names_html)


class MathConfig(base.Config):
    #: an npm package with KaTeX's renderToString(tex, options) (installed by ``npm ci``)
    package = c.Type(str, default="node_modules/temml")
    #: its options; displayMode is set per formula
    options = c.Type(dict, default={})
    #: the math font (with an OpenType MATH table), subset at build time, and its licence
    font = c.Type(str)
    font_licence = c.Type(str)
    #: where font subsets are cached, under the project directory
    cache = c.Type(str, default=".cache/math-font")


class ReluWikiConfig(base.Config):
    #: terms and abbreviations (docs/glossary.yml); kept out of the built site
    glossary = c.File(exists=True)
    #: pages that link to every page by construction, or are a reference (globs allowed): no backlinks
    #: section, not counted as mentions, not on the concept map
    hub_pages = c.ListOfItems(c.Type(str), default=[])
    #: the heading of each page's backlinks section
    backlinks_heading = c.Type(str)
    #: the notebooks: a glob under docs_dir
    notebooks = c.Type(str)
    #: executed notebooks and their exports, under the project directory
    notebook_cache = c.Type(str, default=".cache/notebooks")
    #: the figure functions (drawn into docs/figures/)
    figures = c.File(exists=True)
    #: the math typesetter and its font (relu_docsite/math.py), all under the project directory
    math = c.SubConfig(MathConfig)


class ReluWikiPlugin(BasePlugin[ReluWikiConfig]):
    def on_config(self, config):
        self.root = project_root(config.config_file_path)
        memo.new_build()
        try:
            terms = list(_glossary(self.config.glossary, Path(self.config.glossary).read_bytes()))
        except (OSError, ValueError) as exc:
            raise PluginError(f"glossary: {exc}") from exc
        use_korean_abbr(config, abbreviations(terms))
        slugify = (config.mdx_configs.get("toc") or {}).get("slugify") or wikilinks.default_slugify()
        self.wiki = Wiki(terms, self.config.hub_pages, self.config.backlinks_heading, slugify)
        try:
            m = self.config.math
            self.math = Math(self.root, m.package, m.options, m.font, m.font_licence, m.cache)
        except FileNotFoundError as exc:
            raise PluginError(str(exc)) from exc
        config.extra_css.insert(0, self.math.stylesheet)
        self.notebooks = NotebookPages(self.config.notebooks, self.root / self.config.notebook_cache,
                                       self.root / PACKAGE)
        jupyter = config.plugins.get("mkdocs-jupyter")
        if jupyter is None:
            raise PluginError("relu-wiki: the mkdocs-jupyter plugin is not configured")
        try:
            self.notebooks.check_settings(jupyter, config)
        except NotebookSettingsError as exc:
            raise PluginError(f"relu-wiki: {exc}") from exc
        self.search = SearchIndex()
        self.render_cache = RenderCache(self.root, config, self.root / PACKAGE, [Path(self.config.glossary)])
        self.term_homes = []
        return config

    def on_pre_build(self, config):
        self.notebooks.start(Path(config.docs_dir))  # the kernels run while the figures are drawn
        try:
            drawn = redraw_stale(Path(self.config.figures))
        except FigureError as exc:
            self.notebooks.wait()
            raise PluginError(str(exc)) from None
        if drawn:
            log.info("Figures drawn: %s", ", ".join(drawn))

    def on_files(self, files, config):
        try:
            self.notebooks.execute(files)  # before mkdocs-jupyter (listed after us) wraps them
        except NotebookError as exc:
            raise PluginError(str(exc)) from None
        self.wiki.index(files, config_key=self.render_cache.site_key(files))
        self.term_homes = term_homes(self.wiki.terms, self.wiki.pages, self.wiki.slugify,
                                     lambda src: (file := files.get_file_from_path(src)) and file.url)
        for uri, path in self.math.assets():
            files.append(File.generated(config, uri, abs_src_path=str(path)))
        glossary = Path(self.config.glossary).resolve()
        docs = Path(config.docs_dir).resolve()
        if glossary.is_relative_to(docs) and (file := files.get_file_from_path(glossary.relative_to(docs).as_posix())):
            files.remove(file)
        return files

    def on_env(self, env, config, files):
        env.bytecode_cache = memo.TEMPLATES  # mkdocs serve: the theme's templates are compiled once
        return env

    def on_nav(self, nav, config, files):
        self.wiki.remember_sections(nav)
        return nav

    def on_pre_page(self, page, config, files):
        if self.notebooks.is_notebook(page.file.src_uri):
            self.notebooks.point(page)  # before mkdocs-jupyter (listed after us) converts it
        elif page.file.src_uri.endswith(".md"):
            self.render_cache.install(page)  # mkdocs serve: an unchanged page is not converted again
        return page

    def on_page_markdown(self, markdown, page, config, files):
        markdown, problems = self.wiki.page_markdown(markdown, page.file.src_uri)
        self._report(page, problems)
        return _link_api_names(markdown)  # mkdocs-autorefs resolves them (listed after us)

    def on_page_content(self, html, page, config, files):
        # Material's typeset (listed after us) then copies the headings into the table of contents.
        html, problems = self.notebooks.fix_html(html, page, config, files)
        html, found = self.math.typeset(html, page.file.src_uri)
        problems += found
        problems += [f"TeX not recognised as math (check the $ delimiters): {tex}" for tex in stray_tex(html)]
        html, found = show_figures(html, Path(config.docs_dir) / FIGURES_DIR)
        problems += found
        html = self.wiki.concept_map(html, page, files)
        html = _link_api_names_html(html)  # the notebooks' Markdown cells; autorefs resolves them
        html = first_use_only(html)  # one <abbr> per abbreviation, also on pages of many docstrings
        html = unwrap_plain_tokens(html)  # fewer elements in code, same look
        self._report(page, problems)
        return html

    # Material's search indexes the page in its own on_page_context. It is listed before us,
    # so our second step follows it; the first needs a higher priority to come before it.
    @event_priority(10)
    def _before_search_indexes(self, context, page, config, nav):
        self.search.before_indexing(page)
        return context

    def _after_search_indexed(self, context, page, config, nav):
        self.search.after_indexing(page)
        return context

    on_page_context = CombinedEvent(_before_search_indexes, _after_search_indexed)

    def on_post_build(self, config):
        if self.render_cache.reused:
            log.info("Pages: %d rendered, %d unchanged (rendered by an earlier build)",
                     len(self.render_cache.rendered), len(self.render_cache.reused))
        # Material's search (listed before us) has written its index
        for problem in self.search.rewrite(Path(config.site_dir), self.term_homes):
            log.warning(problem)
        self.notebooks.write_css(Path(config.site_dir))
        for page, problem in self.math.write_font(Path(config.site_dir)):
            log.warning("Doc file '%s': %s", page, problem)

    def on_serve(self, server, config, builder):
        for folder in (self.root / PACKAGE, Path(self.config.figures).parent):
            server.watch(str(folder))
        return server

    def _report(self, page, problems: list[str]) -> None:
        for problem in problems:
            log.warning("Doc file '%s': %s", page.file.src_uri, problem)
