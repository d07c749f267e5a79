"""Plain records the engine returns: hits, result pages, whole documents and index statistics.

They outlive the Whoosh searcher that produced them, and every output format reads them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from index.schema import StoredNumber

Span = tuple[int, int]  # [start, end) character offsets into a text


@dataclass(frozen=True)
class Marked:
    """A text and where a query matched in it (the highlighter's output, search.highlight)."""

    text: str
    spans: tuple[Span, ...] = ()


@dataclass(frozen=True)
class Document:
    """One article as stored in the index, with what extraction found in it."""

    id: str
    path: str
    title: str
    section: str = ""
    date: str | None = None
    url: str = ""
    body: str = ""
    places: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    organizations: tuple[str, ...] = ()
    numbers: tuple[StoredNumber, ...] = ()
    persons: tuple[str, ...] = ()

    def record(self, with_body: bool = False) -> dict[str, Any]:
        """The export record: the JSONL line of `newsdex export`."""
        rec: dict[str, Any] = {
            "id": self.id,
            "path": self.path,
            "title": self.title,
            "section": self.section,
            "date": self.date,
            "url": self.url,
            "places": list(self.places),
            "countries": list(self.countries),
            "organizations": list(self.organizations),
            "persons": list(self.persons),
            "numbers": [dict(n) for n in self.numbers],
        }
        if with_body:
            rec["body"] = self.body
        return rec


#: The columns of a search result record, in order (csv headers need them with no results too).
RESULT_COLUMNS = [
    "rank", "score", "id", "path", "title", "section", "date", "url",
    "places", "countries", "organizations", "persons", "numbers", "snippet", "match_spans",
]  # fmt: skip


@dataclass(frozen=True)
class Hit:
    rank: int
    score: float | None  # None when the results are sorted by date, not by score
    document: Document
    snippet: Marked = Marked("")  # the passage shown, and where the query matched in it

    def record(self) -> dict[str, Any]:
        """The result record: `snippet` is plain text (an article's own asterisks are text),
        `match_spans` the [start, end) character offsets of the matches in it."""
        score = None if self.score is None else round(self.score, 4)
        return (
            {"rank": self.rank, "score": score}
            | self.document.record()
            | {"snippet": self.snippet.text, "match_spans": [list(s) for s in self.snippet.spans]}
        )


@dataclass(frozen=True)
class Results:
    query: str
    total: int
    page: int
    limit: int
    hits: tuple[Hit, ...]
    note: str | None = None  # how the query was read, when that is not the plain reading
    suggestion: str | None = None  # "did you mean", when the query found little
    # False when `total` is a lower bound: past engine.EXACT_UP_TO matches (search.totals);
    # `pages` is then a lower bound too.
    total_exact: bool = True
    sort: str = "score"  # score, date or -date: what the score column shows
    # With --since/--until: the articles matching the query that were left out for having no
    # date (None without a date filter).
    undated_left_out: int | None = None

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.limit)) if self.limit else 1

    @property
    def shown_total(self) -> str:
        """The total for people: "5,706", or "at least 5,706" when it is a lower bound."""
        return f"{self.total:,}" if self.total_exact else f"at least {self.total:,}"

    def envelope(self) -> dict[str, Any]:
        """What the json format puts around the hits."""
        return {
            "query": self.query,
            "total": self.total,
            "total_exact": self.total_exact,
            "page": self.page,
            "sort": self.sort,
            "note": self.note,
            "suggestion": self.suggestion,
            "undated_left_out": self.undated_left_out,
        }


@dataclass(frozen=True)
class Stats:
    directory: str
    documents: int
    size_bytes: int
    last_indexed: str | None
    roots: tuple[str, ...]
    top_places: tuple[tuple[str, int], ...] = ()
    top_organizations: tuple[tuple[str, int], ...] = ()
    dated: int = 0  # articles with a date
    first_date: str | None = None  # the earliest and latest dates, ISO 8601
    last_date: str | None = None

    @property
    def undated(self) -> int:
        return self.documents - self.dated

    def record(self) -> dict[str, Any]:
        return {
            "directory": self.directory,
            "documents": self.documents,
            "size_bytes": self.size_bytes,
            "last_indexed": self.last_indexed,
            "roots": list(self.roots),
            "dated": self.dated,
            "undated": self.undated,
            "first_date": self.first_date,
            "last_date": self.last_date,
            "top_places": [{"name": n, "count": c} for n, c in self.top_places],
            "top_organizations": [{"name": n, "count": c} for n, c in self.top_organizations],
        }
