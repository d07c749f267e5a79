"""The shell's completion candidates: the values an index holds for its entity, section and
unit fields, with document counts.

Read from a local index's own term lists once per index generation, or from an engine's most
frequent values (a terms aggregation on OpenSearch); matched by prefix, then fuzzily.
"""

from __future__ import annotations

import difflib
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from whoosh import index as windex
from whoosh.searching import Searcher

from index.errors import WHOOSH_DAMAGE, NewsdexError
from search.values import Value, read_values, spelling

if TYPE_CHECKING:
    from search.backends import QueryEngine

# Candidates offered at most; a menu longer than this is not read by anyone.
MAX_CANDIDATES = 60
# Values per field whose spellings are read ahead by the warm-up thread.
WARM_TOP = MAX_CANDIDATES
# Below this many prefix/word matches, close spellings (typos) are looked for too.
FUZZY_BELOW = 5
#: Values per field read from a remote engine: one terms aggregation each, kept for the session.
REMOTE_TOP = 1000


class ValueSource(Protocol):
    """Where the completer finds a field's values (FieldValues, EngineValues)."""

    def matches(self, field: str, typed: str, limit: int = MAX_CANDIDATES) -> list[Value]: ...

    def spelled(self, field: str, term: str) -> str: ...

    def warm(self, fields: tuple[str, ...], top: int = WARM_TOP) -> None: ...

    def refresh(self) -> None: ...

    def close(self) -> None: ...


class FieldValues:
    """Candidate values per field, cached until the index changes (a new generation).

    It reads through a searcher of its own, so completing (on prompt_toolkit's completion
    thread, or the warm-up thread) never waits for a search running on the main thread.
    """

    def __init__(self, directory: Path) -> None:
        self._directory = directory
        self._lock = threading.Lock()
        self._searcher: Searcher | None = None
        self._values: dict[str, tuple[Value, ...]] = {}
        self._spelling: dict[tuple[str, str], str] = {}
        self._closed = False

    def refresh(self) -> None:
        """Forget every cached value (after `:index`); the next use reopens the index."""
        with self._lock:
            self._forget()

    def _forget(self) -> None:
        if self._searcher is not None:
            self._searcher.close()
        self._searcher = None
        self._values.clear()
        self._spelling.clear()

    def _current(self) -> Searcher:
        """The private searcher, reopened (and the caches dropped) when the index has changed."""
        if self._closed:
            raise ValueError("the shell has closed its index")
        if self._searcher is not None and not self._searcher.up_to_date():
            self._forget()
        if self._searcher is None:
            self._searcher = windex.open_dir(str(self._directory)).searcher()
        return self._searcher

    def values(self, field: str) -> tuple[Value, ...]:
        """Every value of `field`, most frequent first (nothing if the index cannot be read)."""
        with self._lock:
            try:
                searcher = self._current()
                if field not in self._values:
                    self._values[field] = read_values(searcher, field)
            except WHOOSH_DAMAGE:
                return ()
            return self._values[field]

    def matches(self, field: str, typed: str, limit: int = MAX_CANDIDATES) -> list[Value]:
        return matching(self.values(field), typed, limit)

    def spelled(self, field: str, term: str) -> str:
        """The spelling an article used for a lowercased term (memoised; one stored-field read)."""
        key = (field, term)
        with self._lock:
            if key not in self._spelling:
                try:
                    self._spelling[key] = spelling(self._current(), field, term)
                except WHOOSH_DAMAGE:
                    return term
            return self._spelling[key]

    def warm(self, fields: tuple[str, ...], top: int = WARM_TOP) -> None:
        """Read the fields' values and the spellings of the most frequent ones (for a thread)."""
        for field in fields:
            for value in self.values(field)[:top]:
                self.spelled(field, value.term)

    def close(self) -> None:
        """Close the private searcher; a warm-up still running then finds nothing more."""
        with self._lock:
            self._closed = True
            self._forget()


class EngineValues:
    """Candidate values from an engine's most frequent values per field (a terms aggregation
    on OpenSearch), read once per field and session; a field that cannot be read offers none."""

    def __init__(self, engine: QueryEngine, top: int = REMOTE_TOP) -> None:
        self._engine = engine
        self._top = top
        self._lock = threading.Lock()
        self._values: dict[str, tuple[Value, ...]] = {}
        self._spelling: dict[tuple[str, str], str] = {}

    def values(self, field: str) -> tuple[Value, ...]:
        with self._lock:
            if field not in self._values:
                try:
                    counted = self._engine.top_values(field, self._top)
                except NewsdexError:  # the server is away: the query line will say so
                    return ()
                for shown, _ in counted:
                    self._spelling[(field, shown.lower())] = shown
                self._values[field] = tuple(Value(shown.lower(), n) for shown, n in counted)
            return self._values[field]

    def matches(self, field: str, typed: str, limit: int = MAX_CANDIDATES) -> list[Value]:
        return matching(self.values(field), typed, limit)

    def spelled(self, field: str, term: str) -> str:
        with self._lock:
            return self._spelling.get((field, term), term)

    def warm(self, fields: tuple[str, ...], top: int = WARM_TOP) -> None:
        for field in fields:
            self.values(field)

    def refresh(self) -> None:
        with self._lock:
            self._values.clear()
            self._spelling.clear()

    def close(self) -> None:
        self.refresh()


def matching(values: tuple[Value, ...], typed: str, limit: int = MAX_CANDIDATES) -> list[Value]:
    """Values for what was typed: prefix, then a word's prefix, then close spellings."""
    typed = typed.strip().lower()
    if not typed:
        return list(values[:limit])
    first = [v for v in values if v.term.startswith(typed)][:limit]
    taken = {v.term for v in first}
    words = [v for v in values if v.term not in taken and _word_starts(v.term, typed)]
    found = (first + words)[:limit]
    if len(found) < FUZZY_BELOW:
        found += _close(values, typed, found, limit - len(found))
    return found


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
