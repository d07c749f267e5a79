"""Warm query latency: one searcher per tool, opened once, every query run ROUNDS times.

Per query the median of its rounds is kept; p50/p95/p99 are taken over those medians, and
queries/s is the number of queries over the median total time of a round.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from bench.corpus import Query
from bench.peers import SEARCHERS, Searcher

ROUNDS = 3


@dataclass(frozen=True)
class Latency:
    queries: int
    rounds: int
    p50_ms: float
    p95_ms: float
    p99_ms: float
    mean_ms: float
    qps: float
    slowest: tuple[tuple[str, float], ...]  # the five slowest queries (text, ms)
    no_hits: int  # queries that found nothing (a translation check)
    # The median of each kind's queries (term_frequent, and2, phrase, ...): where a gap lies.
    p50_by_kind: dict[str, float] | None = None


def percentile(values: Sequence[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100) of a non-empty sequence."""
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * q // 100))
    return ordered[int(rank) - 1]


def time_queries(
    search: Callable[[str], Sequence[object]], queries: Sequence[Query], rounds: int = ROUNDS
) -> Latency:
    """Warm up with one pass, then time every query `rounds` times."""
    return time_together({"tool": search}, queries, rounds)["tool"]


def time_together(
    searches: dict[str, Callable[[str], Sequence[object]]],
    queries: Sequence[Query],
    rounds: int = ROUNDS,
) -> dict[str, Latency]:
    """Every tool warmed up with one pass, then each query run by every tool back to back,
    `rounds` times: a slow stretch of the machine (other tenants, a frequency change) falls on
    all the tools alike, where timing one tool after another moved the ratios by a third."""
    empty = {
        tool: sum(1 for q in queries if not search(q.text)) for tool, search in searches.items()
    }
    samples: dict[str, list[list[float]]] = {tool: [[] for _ in queries] for tool in searches}
    totals: dict[str, list[float]] = {tool: [] for tool in searches}
    for _ in range(rounds):
        spent = dict.fromkeys(searches, 0.0)
        for i, query in enumerate(queries):
            for tool, search in searches.items():
                started = time.perf_counter()
                search(query.text)
                took = time.perf_counter() - started
                samples[tool][i].append(took * 1000)
                spent[tool] += took
        for tool in searches:
            totals[tool].append(spent[tool])
    return {tool: _latency(queries, rounds, samples[tool], totals[tool], empty[tool])
            for tool in searches}  # fmt: skip


def _latency(
    queries: Sequence[Query],
    rounds: int,
    samples: list[list[float]],
    totals: list[float],
    empty: int,
) -> Latency:
    medians = [statistics.median(s) for s in samples]
    slowest = sorted(zip(medians, (q.text for q in queries), strict=True), reverse=True)[:5]
    return Latency(
        queries=len(queries),
        rounds=rounds,
        p50_ms=percentile(medians, 50),
        p95_ms=percentile(medians, 95),
        p99_ms=percentile(medians, 99),
        mean_ms=statistics.fmean(medians),
        qps=len(queries) / statistics.median(totals),
        slowest=tuple((text, round(ms, 2)) for ms, text in slowest),
        no_hits=empty,
        p50_by_kind=_by_kind(queries, medians),
    )


def _by_kind(queries: Sequence[Query], medians: Sequence[float]) -> dict[str, float]:
    kinds: dict[str, list[float]] = {}
    for query, ms in zip(queries, medians, strict=True):
        kinds.setdefault(query.kind, []).append(ms)
    return {kind: round(statistics.median(times), 2) for kind, times in kinds.items()}


class NewsdexSearcher:
    """newsdex's own search path, as the CLI and the shell call it (snippets on by default)."""

    def __init__(self, directory: Path, snippets: bool = True, suggest: bool = True):
        from search.engine import Engine, SearchOptions

        self._engine = Engine(directory)
        self._options = SearchOptions(limit=10, snippets=snippets)
        if not suggest:  # an option added after this benchmark was written: set it if present
            self._options = replace(self._options, suggest=False)

    def search(self, text: str) -> list[str]:
        return [hit.document.id for hit in self._engine.search(text, self._options).hits]

    def close(self) -> None:
        self._engine.close()


def open_searcher(tool: str, directory: Path) -> Searcher:
    if tool == "newsdex":
        return NewsdexSearcher(directory)
    if tool == "newsdex-nosuggest":
        return NewsdexSearcher(directory, suggest=False)
    if tool == "newsdex-plain":
        return NewsdexSearcher(directory, snippets=False, suggest=False)
    return SEARCHERS[tool](directory)


def latency(tool: str, directory: Path, queries: Sequence[Query], rounds: int) -> Latency:
    searcher = open_searcher(tool, directory)
    try:
        return time_queries(searcher.search, queries, rounds)
    finally:
        searcher.close()


def latencies(
    tools: dict[str, tuple[str, Path]], queries: Sequence[Query], rounds: int
) -> dict[str, Latency]:
    """Each label's latency (its tool on its index), every query timed by all of them together
    (time_together)."""
    opened = {label: open_searcher(tool, directory) for label, (tool, directory) in tools.items()}
    try:
        return time_together({label: s.search for label, s in opened.items()}, queries, rounds)
    finally:
        for searcher in opened.values():
            searcher.close()
