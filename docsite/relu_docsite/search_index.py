"""Korean search index: what the site adds to the index Material's search plugin wrote.

:func:`build_index` is pure: Material's ``search_index.json`` (as a dict), the glossary's terms
with their homes, and the pages' front-matter aliases in; the completed index out. The plugin
calls it after the build (``relu_docsite/search.py``); nothing of Material's Python is patched.

What it adds, in extra lunr fields that the result list never shows (their boosts are
Material's own ``fields`` setting of the ``search`` plugin in mkdocs.yml; :data:`FIELDS`
lists them and :func:`missing_fields` says which mkdocs.yml lacks):

* ``text_parts`` / ``title_parts``: the Hangul *suffixes* of every word once its particle is
  taken off (정규분포를 -> 정규분포 -> 규분포, 분포), so lunr's prefix match becomes a
  substring match: 분포 finds 표준정규분포, 전파 finds 역전파. Predicates (따릅니다,
  없습니다) add nothing.
* ``page``: on every section, its page's title, so ``ReLU 단점`` finds the 단점 section of
  the ReLU page (the search worker ranks entries that match every word of a query first).
* ``aliases``: on the *home* of every glossary term (its page, or the section the glossary
  names) every form a reader may type -- Korean, English, abbreviation, the term's
  ``aliases`` and its ``avoid`` forms (a reader still types 그래디언트) -- each spaced form
  also without its spaces (리키 렐루 -> 리키렐루). A page's front-matter ``aliases`` go
  to the page's top entry.

and ``config.relu``, read by the search worker
(``docsite/overrides/assets/javascripts/workers/relu-search.js``):

* ``keys`` and ``terms``, the glossary's *best bets*: every form of a term, reduced by
  :func:`glue` (리키 렐루 -> 리키렐루, nn.ReLU -> nnrelu), -> the term's home and the forms
  the page shows. A query that is one of those forms has the home first, and ReLU is
  highlighted when the reader typed 렐루.
* ``particles``: :data:`PARTICLES`, which the worker takes off the words of a query, so
  the index and the query side use one list.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from html import unescape

from relu_docsite.glossary import Term

HANGUL_RUN = re.compile("[\uac00-\ud7a3]+")
_HANGUL = re.compile("^[\uac00-\ud7a3]+$")
_TAG = re.compile(r"<[^>]+>")
_WORD_CHAR = re.compile(r"\w")

# Shortest suffix worth indexing: one syllable would match far too much.
MIN_SUFFIX = 2

# Particles and copula endings a reader glues to a noun, longest first. The search worker
# strips the same list (config.relu.particles) from the words of a query.
PARTICLES = tuple(sorted({
    "이", "가", "은", "는", "을", "를", "의", "에", "와", "과", "도", "만", "로", "으로",
    "에서", "에게", "까지", "부터", "보다", "처럼", "마다", "이나", "나", "랑", "이랑",
    "에는", "에서는", "에서도", "으로는", "로는", "으로서", "로서", "으로써", "로써",
    "과의", "와의", "과는", "와는", "에의", "이란", "란", "이라는", "라는", "이라고", "라고",
    "이다", "입니다", "이며", "이고", "이지만", "이에요", "예요",
}, key=lambda p: (-len(p), p)))

_PARTICLE_SET = frozenset(PARTICLES)
_PARTICLE_SIZES = sorted({len(p) for p in PARTICLES}, reverse=True)

# Endings of predicates (verbs, adjectives, copula): such a word adds no suffixes.
PREDICATE_ENDINGS = (
    "니다", "니까", "세요", "어요", "아요", "해요", "었다", "았다", "했다", "한다", "된다", "는다",
    "지만", "는데", "으면", "려면", "도록", "면서", "어서", "아서", "해서", "하고", "하며", "하면", "하여",
    "하는", "되는", "되어", "되고", "되며", "하지", "되지", "있는", "없는", "있다", "없다", "같은", "같이",
)

# The lunr fields this module writes (Material's are title, text, tags). Each needs a boost
# in mkdocs.yml's search ``fields``, or Material's worker would not index it.
FIELDS = ("aliases", "page", "title_parts", "text_parts")


def plain_text(fragment: str) -> str:
    """Text of an index entry's HTML.

    >>> plain_text("<p>기울기 &lt;소실&gt;</p>")
    ' 기울기 <소실> '
    """
    return unescape(_TAG.sub(" ", fragment))


def strip_particle(word: str, known: Iterable[str] | None = None) -> str:
    """``word`` without a trailing particle or copula, if what is left is a word.

    What is left must be two Hangul syllables or more, or end in a letter or digit
    (ReLU는 -> ReLU). With ``known`` (a set of words), the stem must also be one of
    them: 역효과 keeps its 과 unless 역효 is a word.

    >>> [strip_particle(w) for w in ["역전파를", "ReLU는", "드롭아웃이란", "결과", "정규화입니다", "평가"]]
    ['역전파', 'ReLU', '드롭아웃', '결과', '정규화', '평가']
    >>> strip_particle("역효과", known={"효과"}), strip_particle("정규분포를", known={"정규분포"})
    ('역효과', '정규분포')
    """
    for size in _PARTICLE_SIZES:  # longest first, as PARTICLES; one particle per length can match
        if len(word) > size and word[-size:] in _PARTICLE_SET:
            stem = word[:-size]
            if _HANGUL.match(stem) and len(stem) < 2:
                continue
            if known is not None and stem not in known:
                continue
            return stem
    return word


def is_predicate(word: str) -> bool:
    """Whether a Hangul word looks like an inflected verb or adjective.

    >>> [is_predicate(w) for w in ["따릅니다", "없습니다", "정규분포를", "줄이는데"]]
    [True, True, False, True]
    """
    return word.endswith(PREDICATE_ENDINGS)


def corpus_stems(texts: Iterable[str]) -> set[str]:
    """The words of ``texts`` that also occur bare: the stems that taking a particle off may leave.

    A stem is trusted when the corpus writes it without a particle somewhere (역전파 in a
    title) or with two different particles (역전파를, 역전파는).

    >>> sorted(corpus_stems(["역전파를 보면 역전파는", "결과와 효과", "정규분포 정규분포를"]))
    ['역전파', '정규분포']
    """
    words = Counter(w for t in texts for w in HANGUL_RUN.findall(t))
    endings: dict[str, set[str]] = {}
    for word in words:
        for size in _PARTICLE_SIZES:
            if len(word) > size + 1 and word[-size:] in _PARTICLE_SET:
                endings.setdefault(word[:-size], set()).add(word[-size:])
    return {stem for stem, ps in endings.items() if stem in words or len(ps) >= 2}


def hangul_suffixes(text: str, known: set[str] | None = None) -> list[str]:
    """The Hangul sub-word tokens ``text`` adds to the index.

    Each Hangul word loses its particle; a predicate adds nothing; every suffix of at
    least two syllables that does not already start the word is a token. A word glued to
    a preceding letter or digit (He초기화) adds itself too.

    >>> hangul_suffixes("역전파(backpropagation)는 정규분포를 따릅니다")
    ['전파', '규분포', '분포']
    >>> hangul_suffixes("He초기화, ReLU의 x축")
    ['초기화', '기화']
    >>> hangul_suffixes("no Hangul here")
    []
    """
    out: list[str] = []
    for match in HANGUL_RUN.finditer(text):
        run, start = match.group(), match.start()
        stem = strip_particle(run, known)
        if stem == run and is_predicate(run):
            continue
        glued = start > 0 and _WORD_CHAR.match(text[start - 1]) is not None
        first = 0 if glued else 1
        out.extend(stem[i:] for i in range(first, len(stem) - MIN_SUFFIX + 1))
    return out


def term_forms(text: str | None) -> list[str]:
    """The forms one glossary cell holds: ``미분 / 도함수``, ``옵티마이저 (최적화 알고리즘)``,
    ``He (Kaiming) initialization``.

    >>> term_forms("옵티마이저 (최적화 알고리즘)"), term_forms("weight / bias"), term_forms(None)
    (['옵티마이저', '최적화 알고리즘'], ['weight', 'bias'], [])
    >>> term_forms("He (Kaiming) initialization")
    ['He initialization', 'Kaiming initialization']
    """
    forms = []
    for part in re.split(r"\s+/\s+", text or ""):
        m = re.fullmatch(r"(.*?)\s*\(([^()]*)\)\s*(.*)", part.strip())
        if m and m.group(3):
            forms += [f"{m.group(1)} {m.group(3)}", f"{m.group(2)} {m.group(3)}"]
        elif m:
            forms += [m.group(1), m.group(2)]
        else:
            forms.append(part)
    return [f.strip() for f in forms if f.strip()]


def spacing_variants(form: str) -> list[str]:
    """``form`` and, when it has spaces and Hangul, the same without spaces.

    >>> spacing_variants("리키 렐루"), spacing_variants("leaky relu"), spacing_variants("He 초기화")
    (['리키 렐루', '리키렐루'], ['leaky relu'], ['He 초기화', 'He초기화'])
    """
    out = [form]
    if " " in form and HANGUL_RUN.search(form):
        out.append(form.replace(" ", ""))
    return out


def glue(form: str) -> str:
    """A form reduced to lower-case letters, digits and Hangul: what a reader's query is compared on.

    The search worker computes the same key from the query (after taking particles off).

    >>> glue("리키 렐루"), glue("nn.ReLU"), glue("Leaky-ReLU"), glue("model.eval()")
    ('리키렐루', 'nnrelu', 'leakyrelu', 'modeleval')
    """
    return re.sub("[^0-9a-z\uac00-\ud7a3]", "", form.casefold())


def reader_forms(term: Term) -> tuple[list[str], list[str], list[str]]:
    """For ``term``: the forms its home page shows, its names, and the other forms a reader may type.

    >>> t = Term(ko="Leaky ReLU", en="leaky rectified linear unit", aliases=("리키 렐루",), avoid=("누수 ReLU",))
    >>> reader_forms(t)
    (['Leaky ReLU'], ['Leaky ReLU', 'leaky rectified linear unit'], ['리키 렐루', '누수 ReLU'])
    """
    shown = list(dict.fromkeys(term_forms(term.ko) + ([term.abbr] if term.abbr else [])))
    names = list(dict.fromkeys(shown + term_forms(term.en)))
    others = [f for f in dict.fromkeys([*term.aliases, *term.avoid]) if f not in names]
    return shown, names, others


def best_bets(homes: Sequence[tuple[str, Term]]) -> tuple[dict[str, list[str]], dict, list[str]]:
    """Per home location, the reader's forms to index there; the glossary's *best bets*; the clashes.

    ``homes`` pairs each term with its home as an index location (``relu-variants/#elu``,
    ``relu/``). The best bets are ``{"keys": {glued form: n}, "terms": [[home, [forms the
    page shows]], ...]}``: a query whose glued form is a key has that home first. A term's
    names (Korean, English, abbreviation) come before the aliases of other terms (AdamW is a
    term of its own and an alias of Adam); two terms with different homes that list the
    same alias are a clash, reported in the glossary's words.

    >>> adam = Term(ko="Adam", en="Adam", aliases=("AdamW", "아담"))
    >>> adamw = Term(ko="AdamW", en="decoupled weight decay", aliases=("아담",))
    >>> _, bets, clashes = best_bets([("opt/#adam", adam), ("reg/#adamw", adamw)])
    >>> bets["terms"][bets["keys"]["adamw"]][0], clashes
    ('reg/#adamw', ["'아담' is listed for 'Adam' (opt/#adam) and for 'AdamW' (reg/#adamw)"])
    """
    forms: dict[str, list[str]] = {}
    claims: dict[str, tuple[int, bool]] = {}  # glued form -> (term number, is a name of that term)
    terms: list[list] = []
    clashes = []
    for n, (home, term) in enumerate(homes):
        shown, names, others = reader_forms(term)
        forms.setdefault(home, []).extend(v for f in names + others for v in spacing_variants(f))
        terms.append([home, shown])
        for form, is_name in [(f, True) for f in names] + [(f, False) for f in others]:
            key = glue(form)
            if not key:
                continue
            if key not in claims or (is_name and not claims[key][1]):
                claims[key] = (n, is_name)
            elif not is_name and not claims[key][1] and homes[claims[key][0]][0] != home:
                first_home, first = homes[claims[key][0]]
                clashes.append(f"'{form}' is listed for '{first.ko}' ({first_home}) and for '{term.ko}' ({home})")
    keys = {key: n for key, (n, _) in claims.items()}
    return {k: list(dict.fromkeys(v)) for k, v in forms.items()}, {"keys": keys, "terms": terms}, clashes


def missing_fields(config: Mapping) -> list[str]:
    """The fields of :data:`FIELDS` that Material's search configuration (``config.fields``) lacks.

    >>> missing_fields({"fields": {"title": {}, "aliases": {"boost": 800}}})
    ['page', 'title_parts', 'text_parts']
    """
    return [f for f in FIELDS if f not in (config.get("fields") or {})]


def build_index(index: dict, homes: Sequence[tuple[str, Term]] = (),
                page_aliases: Mapping[str, Sequence[str]] | None = None, memo: dict | None = None) -> dict:
    """Return Material's search index ``index`` with the Korean fields and the best bets added.

    ``memo`` (a dict the caller keeps between builds, as ``mkdocs serve`` builds again after
    every change) remembers each text's suffixes while the corpus's stems stay the same: an
    edit recomputes only the edited page's.

    >>> index = {"config": {"fields": {"title": {"boost": 1000.0}}},
    ...          "docs": [{"location": "init/", "title": "가중치 초기화", "text": ""},
    ...                   {"location": "init/#he-초기화", "title": "He 초기화", "text": "<p>역전파를 봅니다. 역전파는 빠릅니다</p>"}]}
    >>> terms = [("init/#he-초기화", Term(ko="He 초기화", en="He initialization", aliases=("카이밍 초기화",)))]
    >>> out = build_index(index, terms, {"init/": ["Weight Initialization"]})
    >>> out["docs"][0]["aliases"], out["docs"][1]["aliases"]
    ('Weight Initialization', 'He 초기화 He초기화 He initialization 카이밍 초기화 카이밍초기화')
    >>> out["docs"][1]["page"], out["docs"][1]["title_parts"], out["docs"][1]["text_parts"]
    ('가중치 초기화', '기화', '전파 전파')
    >>> out["config"]["relu"]["keys"], out["config"]["relu"]["terms"]
    ({'he초기화': 0, 'heinitialization': 0, '카이밍초기화': 0}, [['init/#he-초기화', ['He 초기화']]])
    """
    docs_in = index.get("docs", [])
    known = corpus_stems(plain_text(d.get("title", "") + " " + d.get("text", "")) for d in docs_in)
    memo = {} if memo is None else memo
    before = memo.get("parts", {}) if memo.get("known") == known else {}
    memo["known"], memo["parts"] = known, {}

    def parts_of(fragment: str) -> list[str]:
        if fragment not in before:
            before[fragment] = hangul_suffixes(plain_text(fragment), known)
        memo["parts"][fragment] = before[fragment]
        return before[fragment]

    forms, bets, _ = best_bets(homes)
    for url, names in (page_aliases or {}).items():
        forms[url] = list(dict.fromkeys([v for n in names for v in spacing_variants(str(n))] + forms.get(url, [])))
    config = {**index.get("config", {}), "relu": {**bets, "particles": list(PARTICLES)}}
    page_titles = {d["location"]: plain_text(d.get("title", "")).strip() for d in docs_in if "#" not in d["location"]}
    docs = []
    for doc in docs_in:
        doc = dict(doc)
        location = doc.get("location", "")
        page, _, section = location.partition("#")
        if section and page_titles.get(page):
            doc["page"] = page_titles[page]
        for field, source in (("title_parts", "title"), ("text_parts", "text")):
            parts = parts_of(doc.get(source, ""))
            if parts:
                doc[field] = " ".join(parts)
        if forms.get(location):
            doc["aliases"] = " ".join(forms[location])
        docs.append(doc)
    return {**index, "config": config, "docs": docs}
