"""The glossary (용어집): one data file for the glossary page's tables and the abbreviations.

The file is ``docs/glossary.yml`` (mkdocs.yml: the plugin's ``glossary`` option; the plugin
keeps it out of the built site). Each entry has

* ``ko``: the Korean term, ``en``: the English term (both required);
* ``page``: the page that explains it (a file such as ``gradient.md``, or any page
  name a wiki link accepts) and optionally ``section``: a heading on that page;
* optionally ``abbr`` with ``expansion``: an abbreviation and the explanation
  shown when the reader hovers over it, on every page of the site;
* optionally ``aliases``: other forms a reader may type for the term (a transliteration
  such as 렐루, an informal or English form, the term without its spaces); the search
  finds the term's page for any of them;
* optionally ``avoid``: variants the site does not write in prose (파라미터 for
  매개변수); ``tests/test_content.py`` fails on one outside code and math. A reader may
  still type them, so the search treats them as aliases too (list each in one place).

The plugin renders the glossary page's tables from it (:func:`render_terms`,
:func:`render_abbreviations`) and hands :func:`abbreviations` to the ``abbr``
extension, so nothing is written twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from relu_docsite.wikilinks import PageIndex, Slugify, default_slugify, relative_url, short_title

TERMS_MARKER = "<!-- glossary-table -->"
ABBREVIATIONS_MARKER = "<!-- glossary-abbreviations -->"


@dataclass(frozen=True)
class Term:
    ko: str
    en: str
    page: str | None = None
    section: str | None = None
    abbr: str | None = None
    expansion: str | None = None
    aliases: tuple[str, ...] = ()
    avoid: tuple[str, ...] = ()


def load_glossary(path: str | Path) -> list[Term]:
    """Read and check the glossary file; raise ``ValueError`` naming the entry at fault."""
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise ValueError(f"{path}: not valid YAML: {exc}") from exc
    if not isinstance(data, list):
        raise ValueError(f"{path}: expected a list of terms")
    fields = set(Term.__dataclass_fields__)
    terms, seen_abbr = [], set()
    for number, entry in enumerate(data, 1):
        where = f"{path}: entry {number} ({entry.get('ko') if isinstance(entry, dict) else entry!r})"
        if not isinstance(entry, dict):
            raise ValueError(f"{where}: expected a mapping")
        unknown = set(entry) - fields
        if unknown:
            raise ValueError(f"{where}: unknown keys {sorted(unknown)}")
        lists = {}
        for key in ("aliases", "avoid"):
            value = entry.pop(key, None) or []
            if isinstance(value, str) or not all(isinstance(v, str) and v.strip() for v in value):
                raise ValueError(f"{where}: '{key}' must be a list of non-empty strings")
            lists[key] = tuple(v.strip() for v in value)
        entry = {k: (str(v).strip() if v is not None else None) for k, v in entry.items()}
        if not entry.get("ko") or not entry.get("en"):
            raise ValueError(f"{where}: 'ko' and 'en' are required")
        if bool(entry.get("abbr")) != bool(entry.get("expansion")):
            raise ValueError(f"{where}: 'abbr' and 'expansion' go together")
        if entry.get("section") and not entry.get("page"):
            raise ValueError(f"{where}: 'section' needs 'page'")
        if entry.get("abbr"):
            if entry["abbr"] in seen_abbr:
                raise ValueError(f"{where}: abbreviation {entry['abbr']!r} defined twice")
            seen_abbr.add(entry["abbr"])
        clash = set(lists["avoid"]) & ({entry["ko"]} | set(lists["aliases"]))
        if clash:
            raise ValueError(f"{where}: {sorted(clash)} both used and avoided")
        terms.append(Term(**entry, **lists))
    return terms


def abbreviations(terms: list[Term]) -> dict[str, str]:
    """``{abbreviation: explanation}`` for the ``abbr`` extension's ``glossary`` option."""
    return {t.abbr: t.expansion for t in sorted(terms, key=lambda t: t.abbr or "") if t.abbr}


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def _sort_key(term: Term) -> tuple[str, str]:
    return term.ko.casefold(), term.en.casefold()


def render_terms(
    terms: list[Term], src_uri: str, index: PageIndex, slugify: Slugify | None = None
) -> tuple[str, list[str]]:
    """The terms table (가나다 order) as Markdown, and the problems found (unknown pages)."""
    slugify = slugify or default_slugify()
    problems = []
    rows = ["| 한국어 | English | 약어 | 쓰지 않는 표기 | 설명하는 문서 |", "|---|---|---|---|---|"]
    for term in sorted(terms, key=_sort_key):
        where = "—"
        if term.page:
            found = index.lookup(term.page)
            if len(found) != 1:
                problems.append(f"glossary term '{term.ko}': page '{term.page}' "
                                f"{'not found' if not found else 'is ambiguous: ' + ', '.join(found)}")
            else:
                target = found[0]
                anchor = index.anchor(target, term.section, slugify) if term.section else None
                text = short_title(index.pages[target].title)
                if term.section:
                    text += f" › {term.section}"
                where = f"[{_cell(text)}]({relative_url(src_uri, target, anchor)})"
        avoid = ", ".join(term.avoid)
        rows.append(f"| {_cell(term.ko)} | {_cell(term.en)} | {_cell(term.abbr or '')} | {_cell(avoid)} | {where} |")
    return "\n".join(rows) + "\n", problems


def render_abbreviations(terms: list[Term]) -> str:
    """The abbreviations table (alphabetical) as Markdown."""
    rows = ["| 약어 | 풀이 |", "|---|---|"]
    for abbr, expansion in sorted(abbreviations(terms).items(), key=lambda item: item[0].casefold()):
        rows.append(f"| {_cell(abbr)} | {_cell(expansion)} |")
    return "\n".join(rows) + "\n"
