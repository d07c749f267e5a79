"""The search engine: one opened index, one reused searcher, and every read operation over it.

The one-shot commands, the shell and the tests all go through `Engine.search`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from whoosh.searching import Searcher

from index import schema as S
from index import whoosh_door as door
from index.errors import (
    WHOOSH_DAMAGE,
    DocumentNotFound,
    QuerySyntaxError,
    UsageError,
)
from index.meta import IndexMeta
from search import ranking
from search.fastmatch import Counted, accelerate, match_bounds
from search.query import ParsedQuery, parse
from search.results import Document, Hit, Results, Stats
from search.snippets import HighlightSpec, snippet, spec_for
from search.values import read_values, spelling

SORTS = ("score", "date", "-date")
# Whoosh's block-quality skipping is off: with BM25F scoring it loops forever on some prefix
# queries (`econ*` on a one-segment BBC index), and without it the collector counts every match
# in the same pass, where `total` otherwise ran the whole query a second time.
NO_SKIPPING = False
# How much a shared place or organization counts, next to a key body term, in `similar`.
SHARED_ENTITY_BOOST = 0.5
DAMAGE = WHOOSH_DAMAGE


@dataclass(frozen=True)
class SearchOptions:
    limit: int = 10
    page: int = 1
    sort: str = "score"
    strict: bool = False
    snippets: bool = True
    suggest: bool = True  # offer a corrected query when this one finds little
    since: str | None = None  # date filter, as typed: 2016, 2016-09, 2016-09-01
    until: str | None = None


# Fields whose unknown words a "did you mean" may correct.
CORRECTABLE = frozenset({S.TITLE, S.BODY, S.PLACE, S.ORGANIZATION, S.COUNTRY, S.REGION, S.SECTION})
# A corrected query is offered when a search finds fewer articles than this.
SUGGEST_BELOW = 3
# What --since and --until take: a year, a month or a day, with an optional time of day.
_DATE = re.compile(r"^\d{4}(?:-\d\d?(?:-\d\d?(?:[T ]\d\d?(?::\d\d){0,2})?)?)?$")


class Engine:
    """Read access to one newsdex index."""

    def __init__(self, directory: Path):
        self.directory = directory
        self._ix = door.open_index(directory)  # IndexNotFound, IndexDamaged; retries a commit
        with self._guard():
            # FileIndex.schema re-reads the table of contents at every access (0.5 ms a query).
            self._schema = self._ix.schema
        self._searcher: Searcher | None = None

    @contextmanager
    def _guard(self) -> Iterator[None]:
        """The one place where Whoosh's symptoms of a damaged index become IndexDamaged."""
        # Only an error raised inside Whoosh reading the files is damage; newsdex's own are bugs.
        with door.reading(self.directory):
            yield

    def searcher(self) -> Searcher:
        """The reused searcher, reopened when a writer has committed since (never refresh())."""
        with self._guard():
            if self._searcher is not None and not self._searcher.up_to_date():
                self._searcher.close()
                self._searcher = None
            if self._searcher is None:
                self._searcher = door.retry_once(  # a commit may remove a file as it opens
                    self.directory, lambda: self._ix.searcher(weighting=ranking.weighting())
                )
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
        return self._schema

    def parse(self, text: str, strict: bool = False) -> ParsedQuery:
        return parse(text, self._schema, strict=strict)

    def search(self, text: str, options: SearchOptions = SearchOptions()) -> Results:
        """Run a query and return one page of results, converted before the searcher moves on."""
        parsed = self.parse(text, strict=options.strict)
        searcher = self.searcher()
        sortedby, reverse = _sorting(options.sort)
        date_filter = self._date_filter(options.since, options.until)
        counted = Counted(accelerate(parsed.query))
        with self._guard():
            page = searcher.search_page(  # see NO_SKIPPING
                counted,
                max(1, options.page),
                pagelen=max(1, options.limit),
                filter=date_filter,
                optimize=NO_SKIPPING,
                sortedby=sortedby,
                reverse=reverse,
            )
            spec = spec_for(parsed.query) if options.snippets else None
            hits = (
                tuple(
                    Hit(
                        rank=page.offset + i + 1,
                        score=float(hit.score or 0.0),
                        document=_document(fields := hit.fields()),
                        snippet=_snippet(fields, spec),
                    )
                    for i, hit in enumerate(page)
                )
                if page.offset < page.total
                else ()
            )
            total, exact = self._total(page.total, counted, date_filter is not None)
        notes = [*parsed.unknown]
        if parsed.any_word:
            notes.append("read as a question: any word may match, best matches first")
        note = "; ".join(notes) or None
        suggestion = self.suggest(parsed) if options.suggest and total < SUGGEST_BELOW else None
        return Results(
            text, total, options.page, options.limit, hits, note, suggestion, total_exact=exact
        )

    def _total(self, counted: int, query: Counted, filtered: bool) -> tuple[int, bool]:
        """(total, exact): the collector's own count, exact unless it skipped matches to keep
        its top N cheaply. Then the total is a lower bound, raised to what the words' article
        counts alone guarantee (exact when they pin it down). Counting the skipped matches
        again would cost 50k queries 1.2-1.4x raw Whoosh at the median (README, Output)."""
        if not query.pruned:
            return counted, True
        if filtered:  # the word counts ignore the date filter: only the count itself is sure
            return counted, False
        least, most = match_bounds(self.searcher(), query.child)
        total = max(counted, least)
        return total, total >= most

    def _date_filter(self, since: str | None, until: str | None) -> Any:
        if not since and not until:
            return None
        for option, value in (("--since", since), ("--until", until)):
            if value and not _DATE.match(value):
                raise UsageError(
                    f"{option} {value!r} is not a date: write it as 2016, 2016-02 or 2016-02-10"
                )
        bounds = f"[{since or ''} TO {until or ''}]".replace("[ ", "[").replace(" ]", "]")
        try:
            parsed = parse(f"{S.DATE}:{bounds}", self._schema, strict=True)
        except QuerySyntaxError as exc:  # 2004-13: the shape of a date, not on the calendar
            raise UsageError(
                f"--since/--until {' / '.join(v for v in (since, until) if v)!r} is not a date "
                f"({exc.problem}): "
                "write it as 2016, 2016-02 or 2016-02-10"
            ) from None
        return parsed.query

    def suggest(self, parsed: ParsedQuery) -> str | None:
        """A corrected query from the index's own words and entity values, if it finds more."""
        searcher = self.searcher()
        with self._guard():
            reader = searcher.reader()
            # Only words and names are corrected (Whoosh's corrector fails on numeric terms);
            # title words are checked against the body's words, or every word found in some
            # body but in no title would be "corrected" (forum -> firm), slowly.
            unknown = [
                (S.BODY if field == S.TITLE else field, text)
                for field, text in parsed.query.iter_all_terms()
                if field in CORRECTABLE
                and isinstance(text, str)
                and (S.BODY if field == S.TITLE else field, text) not in reader
            ]
            if not unknown:
                return None
            try:
                correction = searcher.correct_query(
                    parsed.query, parsed.text, terms=unknown, prefix=2, aliases={S.TITLE: S.BODY}
                )
            except (AttributeError, TypeError, ValueError):
                return None  # Whoosh's corrector cannot rebuild some queries (term ranges)
            fixed = correction.string
            if not fixed or fixed.lower() == parsed.text.lower():
                return None
            fixed = _match_case(parsed.text, fixed)
            better = searcher.search(
                accelerate(self.parse(fixed).query), limit=1, optimize=NO_SKIPPING
            )
            return fixed if better.scored_length() > 0 else None

    def facets(self, text: str, field: str, limit: int = 10) -> tuple[tuple[str, int], ...]:
        """Counts of `field`'s values over the whole result set of a query, most frequent first."""
        from whoosh import sorting

        parsed = self.parse(text)
        searcher = self.searcher()
        facet = sorting.FieldFacet(field, allow_overlap=True, maptype=sorting.Count)
        with self._guard():
            results = searcher.search(
                accelerate(parsed.query), limit=None, groupedby=facet, scored=False
            )
            counts = results.groups(field)
        # Whoosh groups the articles without a value under None: they are no value to count.
        valued = ((term, n) for term, n in counts.items() if term is not None)
        ranked = sorted(valued, key=lambda kv: (-kv[1], str(kv[0])))[:limit]
        return tuple((self.display(field, _text(term)), int(n)) for term, n in ranked)

    def similar(self, doc_id: str, limit: int = 10) -> Results:
        """Articles like this one: its key body terms, boosted by shared places and organizations."""
        from whoosh import query as wq

        doc = self.get(doc_id)
        searcher = self.searcher()
        with self._guard():
            docnum = searcher.document_number(**{S.ID: doc.id})
            terms = searcher.key_terms([docnum], S.BODY, numterms=12)
            clauses: list[wq.Query] = [wq.Term(S.BODY, t, boost=w) for t, w in terms]
            for field, names in ((S.PLACE, doc.places), (S.ORGANIZATION, doc.organizations)):
                clauses += [wq.Term(field, n.lower(), boost=SHARED_ENTITY_BOOST) for n in names]
            query = wq.Or(clauses) if clauses else wq.NullQuery
            found = searcher.search(
                query, limit=limit, mask=wq.Term(S.ID, doc.id), optimize=NO_SKIPPING
            )
            hits = tuple(
                Hit(i + 1, float(h.score or 0.0), _document(h.fields()), "")
                for i, h in enumerate(found)
            )
            total = found.scored_length()
        return Results(f"similar:{doc.id}", total, 1, limit, hits)

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
        searcher = self.searcher()
        with self._guard():
            values = read_values(searcher, field)[:limit]
            return tuple((spelling(searcher, field, v.term), v.count) for v in values)

    def display(self, field: str, term: str) -> str:
        """A lowercased index term in the spelling an article used for it."""
        return spelling(self.searcher(), field, term)


def _text(term: Any) -> str:
    return term.decode("utf-8") if isinstance(term, bytes) else str(term)


def _match_case(original: str, fixed: str) -> str:
    """Give the corrected words the capitals the user typed: Alepo -> Aleppo, not aleppo."""
    typed = original.split()
    words = fixed.split()
    if len(typed) != len(words):
        return fixed
    out = []
    for before, after in zip(typed, words, strict=True):
        head, sep, tail = after.partition(":")
        value = tail if sep else head
        mark = before.partition(":")[2] if sep else before
        mark = mark.lstrip('"')
        if mark[:1].isupper() and value.lstrip('"')[:1].islower():
            q = '"' if value.startswith('"') else ""
            value = q + value.lstrip('"')[:1].upper() + value.lstrip('"')[1:]
        out.append(f"{head}:{value}" if sep else value)
    return " ".join(out)


def _sorting(sort: str) -> tuple[str | None, bool]:
    if sort == "score":
        return None, False
    return S.DATE, sort == "-date"


def _snippet(fields: dict[str, Any], spec: HighlightSpec | None) -> str:
    if spec is None:
        return ""
    return snippet(str(fields.get(S.BODY, "")), spec, fields.get(S.ENTITIES) or {})


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
