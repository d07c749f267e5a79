"""Alerts: the articles a saved search matches that its last check did not report.

`check` returns what is new without touching the mark; the caller writes its output and only
then calls `SavedStore.advance` (so a failed write or a Ctrl-C reports the same articles again).
Matches are keyed by file version (path and content hash, read from columns: no stored bodies),
see search/saved.py.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from index import schema as S
from search.engine import Engine
from search.results import Document
from search.saved import SavedSearch, SavedStore
from search.stored import document


@dataclass(frozen=True)
class Alert:
    """What one saved search finds new: articles newest first, and the keys to mark as seen."""

    search: SavedSearch
    articles: tuple[Document, ...]
    keys: frozenset[str]

    def records(self) -> list[dict[str, Any]]:
        """One record per new article, with the saved search's name (the jsonl of `alerts`)."""
        return [{"saved": self.search.name, **doc.record()} for doc in self.articles]


def file_key(source: str, fingerprint: str) -> str:
    digest = hashlib.blake2b(f"{source}\0{fingerprint}".encode(), digest_size=10)
    return digest.hexdigest()


def matches(engine: Engine, search: SavedSearch) -> dict[int, str]:
    """Every article the saved search matches now: document number -> file-version key."""
    columns = (S.SOURCE, S.FINGERPRINT)
    docnums, values = engine.matching_values(
        search.query, search.since, search.until, columns, raw=False
    )
    keys = map(file_key, values[S.SOURCE], values[S.FINGERPRINT])
    return dict(zip(docnums, keys, strict=True))


def check(engine: Engine, store: SavedStore, search: SavedSearch) -> Alert:
    """What `search` matches that its mark has not seen (the mark itself is left as it is)."""
    current = matches(engine, search)
    seen = store.seen(search.name)
    new = [n for n, key in current.items() if key not in seen]
    searcher = engine.searcher()
    with engine._guard():
        docs = [document(searcher.stored_fields(n)) for n in new]
    docs.sort(key=lambda d: (d.date or "", d.title), reverse=True)
    return Alert(search, tuple(docs), frozenset(current.values()))


def baseline(engine: Engine, store: SavedStore, search: SavedSearch) -> int:
    """Mark everything the search matches now as seen: alerts report only what comes later."""
    keys = set(matches(engine, search).values())
    store.advance(search.name, keys)
    return len(keys)


def check_all(engine: Engine, store: SavedStore, names: Iterable[str] = ()) -> list[Alert]:
    """The alerts of the named saved searches (all of them when none is named)."""
    wanted = list(names)
    searches = [store.get(n) for n in wanted] if wanted else store.all()
    return [check(engine, store, s) for s in searches]
