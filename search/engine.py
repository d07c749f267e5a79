"""The search engine: one opened index, one reused searcher, and every read operation over it.

The one-shot commands, the shell and the tests all go through `Engine.search`.
"""

from __future__ import annotations

import pickle
import struct
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from whoosh import highlight
from whoosh import index as windex
from whoosh.searching import Searcher

from index import schema as S
from index.errors import DocumentNotFound, IndexDamaged, IndexNotFound
from index.meta import IndexMeta, is_index
from search.query import ParsedQuery, parse
from search.results import Document, Hit, Results, Stats

SORTS = ("score", "date", "-date")
# How Whoosh damage shows up: no checksums, so a truncated file fails when it is read.
DAMAGE = (EOFError, pickle.UnpicklingError, struct.error, FileNotFoundError, ValueError, KeyError)


@dataclass(frozen=True)
class SearchOptions:
    limit: int = 10
    page: int = 1
    sort: str = "score"
    strict: bool = False
    snippets: bool = True


class HighlightFormatter(highlight.Formatter):
    """Matched terms wrapped in ** **: readable as plain text, turned into colour on a terminal."""

    between = " … "

    def format_token(self, text: str, token: Any, replace: bool = False) -> str:
        return f"**{highlight.get_text(text, token, replace)}**"


class Engine:
    """Read access to one newsdex index."""

    def __init__(self, directory: Path):
        self.directory = directory
        if not is_index(directory):
            raise IndexNotFound(str(directory))
        with self._guard():
            self._ix = windex.open_dir(str(directory))
        self._searcher: Searcher | None = None

    @contextmanager
    def _guard(self) -> Iterator[None]:
        """The one place where Whoosh's symptoms of a damaged index become IndexDamaged."""
        try:
            yield
        except DAMAGE as exc:
            raise IndexDamaged(str(self.directory), f"{type(exc).__name__}: {exc}") from exc

    def searcher(self) -> Searcher:
        """The reused searcher, reopened when a writer has committed since (never refresh())."""
        with self._guard():
            if self._searcher is not None and not self._searcher.up_to_date():
                self._searcher.close()
                self._searcher = None
            if self._searcher is None:
                self._searcher = self._ix.searcher()
        return self._searcher

    def close(self) -> None:
        if self._searcher is not None:
            self._searcher.close()
            self._searcher = None

    def __enter__(self) -> Engine:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def schema(self) -> Any:
        return self._ix.schema

    def parse(self, text: str, strict: bool = False) -> ParsedQuery:
        return parse(text, self._ix.schema, strict=strict)

    def search(self, text: str, options: SearchOptions = SearchOptions()) -> Results:
        """Run a query and return one page of results, converted before the searcher moves on."""
        parsed = self.parse(text, strict=options.strict)
        searcher = self.searcher()
        sortedby, reverse = _sorting(options.sort)
        with self._guard():
            page = searcher.search_page(
                parsed.query,
                max(1, options.page),
                pagelen=max(1, options.limit),
                sortedby=sortedby,
                reverse=reverse,
                terms=options.snippets,
            )
            page.results.fragmenter = highlight.ContextFragmenter(maxchars=240, surround=70)
            page.results.formatter = HighlightFormatter()
            hits = (
                tuple(
                    Hit(
                        rank=page.offset + i + 1,
                        score=float(hit.score or 0.0),
                        document=_document(hit.fields()),
                        snippet=_snippet(hit, options.snippets),
                    )
                    for i, hit in enumerate(page)
                )
                if page.offset < page.total
                else ()
            )
            total = page.total
        note = "no article has every word: ranked by how many match" if parsed.any_word else None
        return Results(text, total, options.page, options.limit, hits, note)

    def get(self, doc_id: str) -> Document:
        """An article by id, or by a unique prefix of its id."""
        searcher = self.searcher()
        with self._guard():
            fields = searcher.document(**{S.ID: doc_id})
            if fields is None and len(doc_id) >= 4:
                fields = self._by_prefix(searcher, doc_id)
        if fields is None:
            raise DocumentNotFound(doc_id)
        return _document(fields, with_body=True)

    def _by_prefix(self, searcher: Searcher, prefix: str) -> dict[str, Any] | None:
        """The article whose id starts with `prefix`, when exactly one does."""
        ids = list(searcher.reader().expand_prefix(S.ID, prefix))
        if len(ids) != 1:
            return None
        found: dict[str, Any] | None = searcher.document(**{S.ID: ids[0].decode()})
        return found

    def documents(self) -> Iterator[Document]:
        """Every article, streamed in index order (for export)."""
        searcher = self.searcher()
        with self._guard():
            for fields in searcher.reader().all_stored_fields():
                yield _document(fields, with_body=True)

    def count(self) -> int:
        return self.searcher().doc_count()

    def stats(self, top: int = 10) -> Stats:
        searcher = self.searcher()
        files = [p for p in self.directory.iterdir() if p.is_file()]
        tocs = [p.stat().st_mtime for p in files if p.suffix == ".toc"]
        last = (
            datetime.fromtimestamp(max(tocs), UTC).isoformat(timespec="seconds") if tocs else None
        )
        with self._guard():
            return Stats(
                directory=str(self.directory),
                documents=searcher.doc_count(),
                size_bytes=sum(p.stat().st_size for p in files),
                last_indexed=last,
                roots=tuple(IndexMeta.load(self.directory).roots),
                top_places=self.top_values(S.PLACE, top),
                top_organizations=self.top_values(S.ORGANIZATION, top),
            )

    def top_values(self, field: str, limit: int) -> tuple[tuple[str, int], ...]:
        """The most frequent values of an entity field, by number of articles, as written."""
        reader = self.searcher().reader()
        if field not in reader.indexed_field_names():
            return ()
        counts = [(reader.doc_frequency(field, term), term) for term in reader.field_terms(field)]
        counts.sort(key=lambda pair: (-pair[0], pair[1]))
        return tuple((self._display(field, term), n) for n, term in counts[:limit])

    def _display(self, field: str, term: str) -> str:
        """A lowercased index term in the spelling an article used for it."""
        searcher = self.searcher()
        docnum = next(iter(searcher.reader().postings(field, term).all_ids()), None)
        if docnum is None:
            return term
        stored = searcher.stored_fields(docnum).get(S.ENTITIES) or {}
        for key in ("places", "countries", "regions", "organizations", "organization_terms"):
            for name in stored.get(key, []):
                if name.lower() == term:
                    return str(name)
        return term


def _sorting(sort: str) -> tuple[str | None, bool]:
    if sort == "score":
        return None, False
    return S.DATE, sort == "-date"


def _snippet(hit: Any, enabled: bool) -> str:
    if not enabled:
        return ""
    text = hit.highlights(S.BODY, top=2) or hit.highlights(S.TITLE, top=1)
    if not text:
        body = str(hit.get(S.BODY, ""))
        text = body[:200].rsplit(" ", 1)[0] + ("…" if len(body) > 200 else "")
    return " ".join(text.split())


def _document(fields: dict[str, Any], with_body: bool = False) -> Document:
    ents = fields.get(S.ENTITIES) or {}
    date = fields.get(S.DATE)
    return Document(
        id=str(fields.get(S.ID, "")),
        path=str(fields.get(S.PATH, "")),
        title=str(fields.get(S.TITLE, "")),
        section=str(fields.get(S.SECTION, "") or ""),
        date=date.date().isoformat()
        if isinstance(date, datetime) and _date_only(date)
        else (date.isoformat() if isinstance(date, datetime) else None),
        url=str(fields.get(S.URL, "") or ""),
        body=str(fields.get(S.BODY, "")) if with_body else "",
        places=tuple(ents.get("places", [])),
        countries=tuple(ents.get("countries", [])),
        organizations=tuple(ents.get("organizations", [])),
        numbers=tuple(ents.get("numbers", [])),
    )


def _date_only(value: datetime) -> bool:
    return (value.hour, value.minute, value.second, value.microsecond) == (0, 0, 0, 0)
