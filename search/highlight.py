"""The one highlighter: where a query matched in an article's text, as character spans.

A word is marked where the field's analyzer turns a whole token of the text into a term the query
matched (`convoy` marks "convoys", `org:UN` never marks part of "Council"); a place or an
organization where the article names the entity asked for, under any name it uses for it; a
number where the article wrote a value a range asked for. Snippets and `:show` both use it, and
marks travel as spans: an article's own asterisks stay text.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from whoosh import query as wq

from index import schema as S
from index import whoosh_door as door
from search import counted
from search.results import Span

# The analyzer's stem of a word shares all but at most its last two letters with the word:
# Porter's rules rewrite only a suffix, and the one that reaches furthest back, "biliti" ->
# "ble", keeps its first letter ("employability" -> "employable"); over the 47,000 words of
# BBC, Cranfield, CISI and the 50k corpus none differs earlier. Candidate words are found by
# the stem less two letters, and each is confirmed by the analyzer itself.
STEM_SLACK = 2
MAX_EXPANSIONS = 2000  # words a prefix or wildcard expands to, for marking
MAX_SPANS = 400  # marks found in one text (a snippet shows a window of them)
# Word characters continuing a token after its first letters, as the text tokenizer reads them
# (RegexTokenizer's default expression `\w+(\.?\w+)*`): a token starts after no word character
# and after no "x." (there the token before would have continued).
_TOKEN_TAIL = r"\w*(?:\.\w+)*"
_TOKEN_START = r"(?<!\w)(?<!\w\.)"
TOKEN = re.compile(_TOKEN_START + r"\w" + _TOKEN_TAIL)
_WORD_CHAR = re.compile(r"\w")


class AliasLookup(Protocol):
    """What marking an organization needs of the alias table (index.orgs.AliasTable)."""

    @property
    def aliases(self) -> Mapping[str, tuple[str, ...]]: ...

    def canonical(self, name: str) -> str: ...

    def parents(self, name: str) -> tuple[str, ...]: ...


@dataclass(frozen=True)
class NumberRange:
    field: str
    low: float | None
    high: float | None

    def holds(self, unit: str | None, value: float) -> bool:
        if self.field != S.NUMBER and self.field != unit:
            return False
        return (self.low is None or value >= self.low) and (self.high is None or value <= self.high)


class Forms:
    """A text field's analyzer applied to single tokens, remembered: the terms a token indexes
    as (none for a stopword). The analyzer's filters (lowercase, stopwords, stemming) read one
    token at a time, so a token alone gives what it gave inside the whole text."""

    def __init__(self, analyzer: Any):
        self.analyzer = analyzer
        self._known: dict[str, frozenset[str]] = {}

    def of(self, token: str) -> frozenset[str]:
        found = self._known.get(token)
        if found is None:
            found = frozenset(t.text for t in self.analyzer(token))
            if len(self._known) < 200_000:
                self._known[token] = found
        return found


@dataclass(frozen=True)
class HighlightSpec:
    """What to mark for one query, worked out once and used for every hit."""

    terms: dict[str, frozenset[str]] = field(default_factory=dict)  # text field -> its terms
    ranges: tuple[NumberRange, ...] = ()
    places: frozenset[str] = frozenset()  # lowercased names asked of the place fields
    orgs: frozenset[str] = frozenset()  # lowercased names asked of the organization fields
    # Prefixes and wildcards with no index to expand them (OpenSearch hits): text field -> a
    # pattern a token's indexed form must match whole.
    globs: dict[str, re.Pattern[str]] = field(default_factory=dict)

    @property
    def empty(self) -> bool:
        marks = any(self.terms.values()) or self.globs
        return not (marks or self.ranges or self.places or self.orgs)


_PLACE_FIELDS = frozenset({S.PLACE, S.WITHIN, S.COUNTRY, S.REGION})
_ORG_FIELDS = frozenset({S.ORGANIZATION, S.ORG_ALIAS})


def spec_for(q: wq.Query, reader: Any = None) -> HighlightSpec:
    """The words (as the index holds them), number ranges and entity names `q` asks for; a
    prefix or wildcard is expanded to the words of `reader` it matches."""
    terms: dict[str, set[str]] = {}
    ranges: list[NumberRange] = []
    places: set[str] = set()
    orgs: set[str] = set()
    globs: dict[str, list[str]] = {}
    for leaf in [q] if q.is_leaf() else q.leaves():
        name = leaf.field()
        if name in S.TEXT_FIELDS and reader is None and isinstance(leaf, wq.MultiTerm):
            globs.setdefault(name, []).extend(_glob(leaf))
        elif name in S.TEXT_FIELDS:
            terms.setdefault(name, set()).update(_words(leaf, reader))
        elif name in S.NUMERIC_FIELDS:
            ranges.extend(_number_range(leaf, name))
        elif name == S.COUNTED:
            ranges.extend(_counted_range(leaf))
        elif name in _PLACE_FIELDS and isinstance(getattr(leaf, "text", None), str):
            places.add(leaf.text.lower())
        elif name in _ORG_FIELDS and isinstance(getattr(leaf, "text", None), str):
            orgs.add(leaf.text.lower())
    frozen = {k: frozenset(v) for k, v in terms.items()}
    patterns = {k: re.compile("|".join(v)) for k, v in globs.items() if v}
    return HighlightSpec(frozen, tuple(ranges), frozenset(places), frozenset(orgs), patterns)


def _glob(leaf: wq.MultiTerm) -> list[str]:
    """A prefix or wildcard as a regular expression over indexed words."""
    if isinstance(leaf, wq.Prefix):
        return [re.escape(str(leaf.text)) + ".*"]
    if isinstance(leaf, wq.Wildcard):
        return [fnmatch.translate(str(leaf.text))]
    return []


def _words(leaf: wq.Query, reader: Any) -> Iterator[str]:
    if isinstance(leaf, wq.Phrase):
        yield from (str(w) for w in leaf.words)
    elif isinstance(leaf, wq.MultiTerm):
        if reader is None or leaf.field() not in reader.schema:
            return
        for count, (_, btext) in enumerate(leaf.expanded_terms(reader)):
            if count >= MAX_EXPANSIONS:
                return
            yield door.text(btext)
    elif isinstance(leaf, wq.Term) and isinstance(leaf.text, str):
        yield leaf.text


def _number_range(leaf: wq.Query, name: str) -> list[NumberRange]:
    if isinstance(leaf, wq.NumericRange):
        return [NumberRange(name, _float(leaf.start), _float(leaf.end))]
    if isinstance(leaf, wq.Term) and isinstance(leaf.text, int | float):
        return [NumberRange(name, float(leaf.text), float(leaf.text))]
    return []


def _counted_range(leaf: wq.Query) -> list[NumberRange]:
    """homes:>1000 marks "5,000 homes": the range is on the noun, the mention's unit."""
    term = isinstance(leaf, wq.Term) and isinstance(leaf.text, str)
    if term or (isinstance(leaf, wq.TermRange) and isinstance(leaf.start, str)):
        return [NumberRange(*counted.decoded(leaf))]
    return []


def _float(value: Any) -> float | None:
    return None if value is None else float(value)


def spans(
    text: str,
    spec: HighlightSpec,
    field_name: str,
    forms: Forms,
    stored: S.StoredEntities | None = None,
    aliases: AliasLookup | None = None,
    pattern: re.Pattern[str] | None = None,
) -> tuple[Span, ...]:
    """Where `spec` matched in `text` (one field of an article whose stored entities are
    `stored`): sorted, never overlapping, whole tokens and whole names only."""
    terms = spec.terms.get(field_name, frozenset())
    found = list(word_spans(text, terms, forms, pattern or _candidates(terms)))
    glob = spec.globs.get(field_name)
    if glob is not None:
        found += _glob_spans(text, glob, forms)
    if stored:
        found += _name_spans(text, _entity_names(spec, stored, text, aliases))
        found += _name_spans(text, _number_texts(spec, stored), ignore_case=False)
    return _disjoint(found)


def word_spans(
    text: str, terms: frozenset[str], forms: Forms, pattern: re.Pattern[str] | None
) -> Iterator[Span]:
    """The tokens of `text` that the analyzer turns into one of `terms` (`pattern`: the
    candidate tokens, _candidates(terms))."""
    if pattern is None:
        return
    count = 0
    for match in pattern.finditer(text):
        if not _token_start(text, match.start()):
            continue  # inside a word: the rest of that word was consumed, no token starts there
        count += 1
        if count > 4 * MAX_SPANS:
            return
        if not terms.isdisjoint(forms.of(match.group())):
            yield match.span()


def _token_start(text: str, at: int) -> bool:
    """Whether a token starts at `at` (_TOKEN_START, checked on a match: a pattern that begins
    with a lookbehind is tried at every position of the text, twice as slow on news bodies)."""
    if at == 0:
        return True
    before = text[at - 1]
    if _WORD_CHAR.match(before):
        return False
    return not (before == "." and at > 1 and _WORD_CHAR.match(text[at - 2]))


def _glob_spans(text: str, glob: re.Pattern[str], forms: Forms) -> Iterator[Span]:
    """The tokens of `text` whose indexed form `glob` matches whole."""
    for count, match in enumerate(TOKEN.finditer(text)):
        if count >= 50 * MAX_SPANS:
            return
        if any(glob.fullmatch(form) for form in forms.of(match.group())):
            yield match.span()


def _candidates(terms: frozenset[str]) -> re.Pattern[str] | None:
    heads = sorted({t[: max(1, len(t) - STEM_SLACK)] for t in terms if t})
    kept: list[str] = []
    for head in heads:  # sorted: a head that extends a kept one finds nothing more
        if not kept or not head.startswith(kept[-1]):
            kept.append(head)
    if not kept:
        return None
    alternatives = "|".join(re.escape(h) for h in kept)
    return re.compile(f"(?:{alternatives}){_TOKEN_TAIL}", re.IGNORECASE)


def _entity_names(
    spec: HighlightSpec, stored: S.StoredEntities, text: str, aliases: AliasLookup | None
) -> set[str]:
    names: set[str] = set()
    if spec.places:
        names |= _place_names(spec.places, stored)
    if spec.orgs:
        names |= _org_names(spec.orgs, stored, text, aliases)
    return names


_PLACE_KEYS: tuple[S.NameKey, ...] = ("places", "countries", "regions")
_ORG_KEYS: tuple[S.NameKey, ...] = ("organizations", "organization_terms")


def _place_names(wanted: frozenset[str], stored: S.StoredEntities) -> set[str]:
    """The article's own names for the places asked for: the place itself, and the places
    it names inside an asked-for country or region (place:Syria marks "Aleppo")."""
    names = {str(n) for key in _PLACE_KEYS for n in stored.get(key, []) if str(n).lower() in wanted}
    for place in stored.get("resolved_places", []):
        keys = (place.get(k) for k in ("name", "canonical", "country", "region"))
        if any(k and str(k).lower() in wanted for k in keys):
            names.add(str(place.get("name", "")))
    return names


def _org_names(
    wanted: frozenset[str], stored: S.StoredEntities, text: str, aliases: AliasLookup | None
) -> set[str]:
    """Every name the article may use for the organizations asked for: its canonical name,
    its aliases, its article's acronyms for it, and those of the bodies inside an asked-for
    parent (org:UN marks "World Food Programme" in an article that names only the WFP)."""
    written = [str(n) for key in _ORG_KEYS for n in stored.get(key, [])]
    names = {n for n in written if n.lower().rstrip(".") in {w.rstrip(".") for w in wanted}}
    if aliases is None:
        return names
    from index.orgs import article_acronyms

    acronyms = article_acronyms(text)
    for org in stored.get("organizations", []):
        family = [org, *aliases.parents(org)]
        known = {n.lower() for f in family for n in (f, *aliases.aliases.get(f, ()))}
        if known & wanted:
            names |= {org, *aliases.aliases.get(org, ())}
            names |= {short for short, full in acronyms.items() if aliases.canonical(full) == org}
    return names


def _number_texts(spec: HighlightSpec, stored: S.StoredEntities) -> set[str]:
    if not spec.ranges:
        return set()
    return {
        str(n.get("text", ""))
        for n in stored.get("numbers", [])
        if any(r.holds(n.get("unit"), float(n.get("value", 0))) for r in spec.ranges)
    }


def _name_spans(text: str, names: Iterable[str], ignore_case: bool = True) -> Iterator[Span]:
    """Where `text` writes one of `names` whole. A name in capitals ("UN", "WHO") matches only
    in capitals, so that the words "un" or "who" never do."""
    for name in sorted({n for n in names if n.strip()}, key=len, reverse=True):
        flags = re.IGNORECASE if ignore_case and not name.isupper() else 0
        pattern = re.compile(rf"(?<!\w){re.escape(name)}(?!\w)", flags)
        for count, match in enumerate(pattern.finditer(text)):
            if count >= MAX_SPANS:
                break
            yield match.span()


def _disjoint(found: list[Span]) -> tuple[Span, ...]:
    """Sorted spans without overlaps: at one start the longest wins, then the earlier one."""
    out: list[Span] = []
    for start, end in sorted(found, key=lambda s: (s[0], -s[1])):
        if end <= start:
            continue
        if out and start < out[-1][1]:
            continue
        out.append((start, end))
        if len(out) >= MAX_SPANS:
            break
    return tuple(out)


class Highlighter:
    """One query's marks in any text of any article; the alias table is read only when an
    organization is asked for."""

    def __init__(
        self,
        spec: HighlightSpec,
        forms: Forms,
        aliases: Callable[[], AliasLookup | None] = lambda: None,
    ):
        self.spec, self.forms = spec, forms
        self._aliases = aliases
        self._candidates = {name: _candidates(terms) for name, terms in spec.terms.items()}

    def marks(
        self, text: str, field_name: str, stored: S.StoredEntities | None = None
    ) -> tuple[Span, ...]:
        if self.spec.empty or not text:
            return ()
        table = self._aliases() if self.spec.orgs else None
        pattern = self._candidates.get(field_name)
        return spans(text, self.spec, field_name, self.forms, stored, table, pattern)
