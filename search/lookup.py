"""Finding articles by what a user holds: an id, a unique id prefix, or a path as results print it.

`newsdex show` and the shell's `:show` go through `find`, so both read references the same way.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from whoosh import query as wq

from index import schema as S
from index import whoosh_door as door
from index.errors import AmbiguousId, DocumentNotFound
from index.meta import IndexMeta
from search.engine import Engine
from search.results import Document
from search.stored import document


def find(engine: Engine, refs: Iterable[str]) -> Iterator[Document]:
    """The articles of each reference in order: a path may name a file of several articles."""
    for ref in refs:
        yield from find_one(engine, ref.strip())


def find_one(engine: Engine, ref: str) -> list[Document]:
    """An id, a unique id prefix, or a file (relative to an indexed root, or absolute)."""
    searcher = engine.searcher()
    with engine._guard():
        fields = searcher.document(**{S.ID: ref})
        if fields is not None:
            return [document(fields, with_body=True)]
        by_path = _by_path(engine, ref)
        if by_path:
            return by_path
        if ref:
            ids = sorted(door.text(t) for t in searcher.reader().expand_prefix(S.ID, ref))
            if len(ids) > 1:
                raise AmbiguousId(ref, ids)
            if ids:
                return [document(searcher.document(**{S.ID: ids[0]}), with_body=True)]
    raise DocumentNotFound(ref)


def _by_path(engine: Engine, ref: str) -> list[Document]:
    """Every article read from the file `ref`, tried against each indexed root in turn."""
    path = Path(ref).expanduser()
    if path.is_absolute():
        candidates = [path.resolve()]
    else:
        roots = IndexMeta.load(engine.directory).roots
        candidates = [Path(root) / path for root in roots] + [path.resolve()]
    searcher = engine.searcher()
    for candidate in candidates:
        hits = searcher.search(wq.Term(S.SOURCE, str(candidate)), limit=None)
        if len(hits):
            return [document(hit.fields(), with_body=True) for hit in hits]
    return []


def matching(engine: Engine, query: str | None) -> Iterator[Document]:
    """Every article matching `query` in rank order, or every article without one (export)."""
    if not query:
        yield from engine.documents()
        return
    from search.engine import SearchOptions

    limit = max(1, engine.count())
    options = SearchOptions(limit=limit, snippets=False, suggest=False)
    results = engine.search(query, options)
    searcher = engine.searcher()
    with engine._guard():
        for hit in results.hits:
            yield document(searcher.document(**{S.ID: hit.document.id}), with_body=True)
