"""The read operations the shell runs on an engine, as a Protocol: the Whoosh `Engine` and the
`OpenSearchEngine` both satisfy it, so the shell has one code path over either (issue 19).

What only a local index can do (similar articles, stats of its files, timelines, saved searches,
`:index`) stays on `Engine`; `local_engine` hands it out or says, in one line, how to get one.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from index.config import config_value
from index.errors import UsageError

if TYPE_CHECKING:
    from search.engine import Engine, SearchOptions
    from search.query import ParsedQuery
    from search.results import Document, Results, Span
    from search.totals import Total

OPENSEARCH_ENV = "NEWSDEX_OPENSEARCH"
CONFIG_KEY = "opensearch_url"


def resolve_url(flag: str | None) -> str | None:
    """--opensearch URL > $NEWSDEX_OPENSEARCH > `opensearch_url = "..."` in the config file >
    none (search the Whoosh index). Here, not in search.opensearch: a local search decides
    without importing the OpenSearch engine."""
    return flag or os.environ.get(OPENSEARCH_ENV) or config_value(CONFIG_KEY)


class QueryEngine(Protocol):
    """An index that answers newsdex queries: parsed and ranked by newsdex on Whoosh, parsed by
    newsdex and translated to Query DSL on OpenSearch."""

    @property
    def directory(self) -> Path | None:
        """The local index folder; None for a remote engine (there is no folder to write)."""
        ...

    def parse(self, text: str, strict: bool = False) -> ParsedQuery: ...

    def explain(self, text: str, options: SearchOptions = ...) -> str: ...

    def search(self, text: str, options: SearchOptions = ...) -> Results: ...

    def total(self, text: str, options: SearchOptions = ...) -> Total: ...

    def facets(
        self, text: str, field: str, limit: int = 10, kind: str | None = None
    ) -> tuple[tuple[str, int], ...]: ...

    def top_values(self, field: str, limit: int) -> tuple[tuple[str, int], ...]: ...

    def marks(self, doc_id: str, text: str) -> tuple[Document, tuple[Span, ...]]: ...

    def count(self) -> int: ...

    def close(self) -> None: ...


class LocalOnly(UsageError):
    def __init__(self, command: str) -> None:
        super().__init__(
            f"{command} needs a local index and this shell searches OpenSearch: run it in "
            "newsdex shell --index DIR (or switch here with :open DIR)"
        )


def local_engine(engine: QueryEngine, command: str) -> Engine:
    """The Whoosh engine behind `engine`, or LocalOnly naming `command` and the fix."""
    from search.engine import Engine

    if isinstance(engine, Engine):
        return engine
    raise LocalOnly(command)
