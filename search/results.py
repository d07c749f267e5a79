"""Plain records the engine returns: hits, result pages, whole documents and index statistics.

They outlive the Whoosh searcher that produced them, and every output format reads them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


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
    numbers: tuple[dict[str, Any], ...] = ()

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
            "numbers": [dict(n) for n in self.numbers],
        }
        if with_body:
            rec["body"] = self.body
        return rec


#: The columns of a search result record, in order (csv headers need them with no results too).
RESULT_COLUMNS = [
    "rank", "score", "id", "path", "title", "section", "date", "url",
    "places", "countries", "organizations", "numbers", "snippet",
]  # fmt: skip


@dataclass(frozen=True)
class Hit:
    rank: int
    score: float
    document: Document
    snippet: str  # matched terms wrapped in ** **

    def record(self) -> dict[str, Any]:
        return (
            {"rank": self.rank, "score": round(self.score, 4)}
            | self.document.record()
            | {"snippet": self.snippet}
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
    # False when `total` is a lower bound: Whoosh's collector skipped matches that could not
    # reach the top N (engine.Engine._total); `pages` is then a lower bound too.
    total_exact: bool = True

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
            "note": self.note,
            "suggestion": self.suggestion,
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
    extra: dict[str, Any] = field(default_factory=dict)

    def record(self) -> dict[str, Any]:
        return {
            "directory": self.directory,
            "documents": self.documents,
            "size_bytes": self.size_bytes,
            "last_indexed": self.last_indexed,
            "roots": list(self.roots),
            "top_places": [{"name": n, "count": c} for n, c in self.top_places],
            "top_organizations": [{"name": n, "count": c} for n, c in self.top_organizations],
        }
