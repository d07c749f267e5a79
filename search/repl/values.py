"""The values an index holds for its entity, section and unit fields, with document counts.

Read from the index's own term lists once per index generation; matched by prefix, then fuzzily.
"""

from __future__ import annotations

import difflib
import threading
from dataclasses import dataclass
from typing import Any

from index import schema as S
from search.engine import Engine

# Where the spelling an article used for a lowercased term is stored (the ENTITIES record keys).
_DISPLAY_KEYS: dict[str, tuple[str, ...]] = {
    S.PLACE: ("places", "regions", "countries"),
    S.COUNTRY: ("countries",),
    S.REGION: ("regions",),
    S.ORGANIZATION: ("organizations", "organization_terms"),
}
# Candidates offered at most; a menu longer than this is not read by anyone.
MAX_CANDIDATES = 60
# Below this many prefix/word matches, close spellings (typos) are looked for too.
FUZZY_BELOW = 5


@dataclass(frozen=True)
class Value:
    """One value of a field: the term as indexed (lowercased) and how many articles hold it."""

    term: str
    count: int


class FieldValues:
    """Candidate values per field, cached until the index changes (a new generation)."""

    def __init__(self, engine: Engine, lock: threading.Lock) -> None:
        self._engine = engine
        self._lock = lock  # the shell's lock around every use of the shared searcher
        self._generation: Any = None
        self._values: dict[str, tuple[Value, ...]] = {}
        self._spelling: dict[tuple[str, str], str] = {}

    def refresh(self) -> None:
        """Forget every cached value (after `:index`)."""
        self._generation = None
        self._values.clear()
        self._spelling.clear()

    def values(self, field: str) -> tuple[Value, ...]:
        """Every value of `field`, most frequent first."""
        with self._lock:
            searcher = self._engine.searcher()
            generation = searcher.reader().generation()
            if generation != self._generation:
                self.refresh()
                self._generation = generation
            if field not in self._values:
                self._values[field] = _read_values(searcher, field)
            return self._values[field]

    def matches(self, field: str, typed: str, limit: int = MAX_CANDIDATES) -> list[Value]:
        """Values of `field` for what was typed: prefix, then a word's prefix, then close spellings."""
        values = self.values(field)
        typed = typed.strip().lower()
        if not typed:
            return list(values[:limit])
        first = [v for v in values if v.term.startswith(typed)]
        words = [v for v in values if _word_starts(v.term, typed) and v not in first]
        found = (first + words)[:limit]
        if len(found) < FUZZY_BELOW:
            found += _close(values, typed, found, limit - len(found))
        return found

    def display(self, field: str, term: str) -> str:
        """The spelling an article used for a lowercased term (memoised; one stored-field read)."""
        key = (field, term)
        if key not in self._spelling:
            with self._lock:
                self._spelling[key] = _spelling(self._engine, field, term)
        return self._spelling[key]


def _read_values(searcher: Any, field: str) -> tuple[Value, ...]:
    reader = searcher.reader()
    if field not in reader.indexed_field_names():
        return ()
    if field in S.NUMERIC_FIELDS:
        fieldtype = searcher.schema[field]
        pairs = [
            (_number(fieldtype.from_bytes(t)), reader.doc_frequency(field, t))
            for t in fieldtype.sortable_terms(reader, field)
        ]
    else:
        pairs = [(term, reader.doc_frequency(field, term)) for term in reader.field_terms(field)]
    values = [Value(term, count) for term, count in pairs]
    values.sort(key=lambda v: (-v.count, v.term))
    return tuple(values)


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(value)


def _word_starts(term: str, typed: str) -> bool:
    """Whether a later word of `term` starts with `typed` ("food" in "world food program")."""
    return any(word.startswith(typed) for word in term.replace("-", " ").split()[1:])


def _close(values: tuple[Value, ...], typed: str, taken: list[Value], limit: int) -> list[Value]:
    """Values spelled close to `typed` (a typo, or a prefix with a typo in it)."""
    if limit <= 0 or len(typed) < 3:
        return []
    by_term = {v.term: v for v in values}
    heads = {v.term[: len(typed) + 1]: v.term for v in values}
    close = difflib.get_close_matches(typed, list(by_term), n=limit, cutoff=0.75)
    close += [heads[h] for h in difflib.get_close_matches(typed, list(heads), n=limit, cutoff=0.8)]
    found: list[Value] = []
    for term in close:
        value = by_term[term]
        if value not in taken and value not in found:
            found.append(value)
    found.sort(key=lambda v: -v.count)
    return found[:limit]


def _spelling(engine: Engine, field: str, term: str) -> str:
    """How the first article holding `term` in `field` wrote it."""
    if field in S.NUMERIC_FIELDS:
        return term
    searcher = engine.searcher()
    docnum = next(iter(searcher.reader().postings(field, term).all_ids()), None)
    if docnum is None:
        return term
    stored = searcher.stored_fields(docnum)
    if field == S.SECTION:
        return _matching([stored.get(S.SECTION) or ""], term)
    entities = stored.get(S.ENTITIES) or {}
    names = [name for key in _DISPLAY_KEYS.get(field, ()) for name in entities.get(key, [])]
    return _matching(names, term)


def _matching(names: list[str], term: str) -> str:
    for name in names:
        # The writer replaces commas inside a name (the KEYWORD separator) with spaces.
        if name.replace(",", " ").lower().strip() == term:
            return name
    return term
