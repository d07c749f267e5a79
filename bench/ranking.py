"""Ranking quality on Cranfield and CISI: newsdex's default query path against its peers.

Run: python -m bench.ranking [--work DIR] [--quick]. Writes bench/results/ranking.{json,md}.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

from bench import ranking_newsdex as nx
from bench.ranking_data import (
    COLLECTIONS,
    DATA,
    Collection,
    Ranking,
    Scores,
    Search,
    available,
    evaluate,
    load,
    run_all,
    short_query,
)
from bench.ranking_peers import PEERS

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results"
WORK = HERE / "work" / "ranking"
NEWSDEX = "newsdex (Engine.search, default)"
CAPITALS = "newsdex, the same questions in capitals"


@dataclass(frozen=True)
class Row:
    system: str
    scores: dict[str, Scores]  # collection name -> scores
    # collection name -> median ms per question (variant rows: parse, feedback, top 1000)
    ms: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class Report:
    systems: list[Row]  # long questions, as pasted
    changes: list[Row]  # newsdex variants, one change per row
    short: list[Row]  # the first three content words of each question
    seconds: float


def measure(collections: Sequence[Collection], work: Path, quick: bool) -> Report:
    started = time.monotonic()
    folders = {c.name: nx.index_dir(c, work) for c in collections}
    paths: dict[str, dict[str, Search]] = {c.name: {} for c in collections}
    for c in collections:
        paths[c.name][NEWSDEX] = nx.default_path(folders[c.name])
        for label, peer in PEERS.items():
            paths[c.name][label] = peer(c, work)
    systems = [_row(label, collections, paths, short=False) for label in paths[COLLECTIONS[0]]]
    short = [_row(label, collections, paths, short=True) for label in paths[COLLECTIONS[0]]]
    systems.append(_capitals_row(collections, paths))
    variants = nx.VARIANTS if quick else (*nx.VARIANTS, *nx.departures())
    changes = [_variant_row(v, collections, folders) for v in variants]
    return Report(systems, changes, short, time.monotonic() - started)


def _row(
    label: str, collections: Sequence[Collection], paths: dict[str, dict[str, Search]], short: bool
) -> Row:
    scores = {}
    for c in collections:
        queries = {q: short_query(t) for q, t in c.queries.items()} if short else c.queries
        scores[c.name] = evaluate(run_all(paths[c.name][label], queries), c.qrels)
    _progress(label + (" (short queries)" if short else ""), scores)
    return Row(label, scores)


def _capitals_row(collections: Sequence[Collection], paths: dict[str, dict[str, Search]]) -> Row:
    """newsdex on the questions typed in capitals, as wire copy and telex archives write them
    (issue 14): AND, OR, NOT and TO in them must stay words, so the scores equal lower case."""
    scores = {}
    for c in collections:
        queries = {q: t.upper() for q, t in c.queries.items()}
        scores[c.name] = evaluate(run_all(paths[c.name][NEWSDEX], queries), c.qrels)
    _progress(CAPITALS, scores)
    return Row(CAPITALS, scores)


def _variant_row(
    variant: nx.Variant, collections: Sequence[Collection], folders: dict[str, Path]
) -> Row:
    scores, ms = {}, {}
    for c in collections:
        search, times = _timed(nx.variant_path(folders[c.name], variant))
        scores[c.name] = evaluate(run_all(search, c.queries), c.qrels)
        ms[c.name] = round(statistics.median(times), 2)
    _progress(variant.label, scores)
    return Row(variant.label, scores, ms)


def _timed(search: Search) -> tuple[Search, list[float]]:
    """`search`, noting the milliseconds each call takes."""
    times: list[float] = []

    def timed(text: str) -> Ranking:
        started = time.perf_counter()
        ranking = search(text)
        times.append((time.perf_counter() - started) * 1000)
        return ranking

    return timed, times


def _progress(label: str, scores: dict[str, Scores]) -> None:
    cells = "  ".join(f"{name} {' '.join(s.row())}" for name, s in scores.items())
    print(f"{label:70.70s} {cells}", file=sys.stderr, flush=True)


def markdown(report: Report) -> str:
    names = list(report.systems[0].scores)
    head = "| system | " + " | ".join(f"{n} MAP | {n} nDCG@10 | {n} P@10" for n in names) + " |"
    rule = "| --- |" + " ---: |" * (3 * len(names))
    out = ["# Ranking on Cranfield and CISI", "", _ABOUT, ""]
    title = "Pasted questions (the queries as written), top 1000"
    out += [f"## {title}", "", head, rule, *(_cells(r, names, Scores.row) for r in report.systems)]
    title = "One change at a time (newsdex index, same parse(), varied RankingModel)"
    timed_head = head + "".join(f" {n} ms/question |" for n in names)
    timed_rule = rule + " ---: |" * len(names)
    rows = [_cells(r, names, Scores.row) + _ms(r, names) for r in report.changes]
    out += ["", f"## {title}", "", _TIMED, "", timed_head, timed_rule, *rows, ""]
    cols = " | ".join(f"{n} P@10 | {n} P@10 of shown | {n} answered" for n in names)
    out += [f"## {_SHORT}", "", f"| system | {cols} |", rule]
    out += [_cells(r, names, Scores.precision_row) for r in report.short]
    out += ["", f"Measured in {report.seconds:.0f} s (indexes cached in bench/work/ranking/)."]
    return "\n".join(out) + "\n"


def _ms(row: Row, names: list[str]) -> str:
    return "".join(f" {row.ms[n]:.1f} |" if n in row.ms else " |" for n in names)


def _cells(row: Row, names: list[str], cells: Callable[[Scores], tuple[str, ...]]) -> str:
    return f"| {row.system} | " + " | ".join(c for n in names for c in cells(row.scores[n])) + " |"


_TIMED = (
    "ms/question: the median time of one question on that row's path (parse, RM3 feedback where "
    "on, the top 1000 ranked), measured in the same run as its neighbours: compare rows, not runs."
)
_SHORT = (
    "Short keyword queries: the first 3 content words of each question (AND in newsdex); "
    "'P@10 of shown' divides by the results shown when there are fewer than 10"
)
_ABOUT = (
    "Cranfield: 225 queries, graded judgments (rel = 5 - Cleverdon code; the -1 'source paper' "
    "lines are rel 0). CISI: the 76 judged of 112 queries, binary. MAP over the top 1000, "
    "nDCG@10 with linear gains, P@10 with grade >= 1 as relevant. Every system indexes the same "
    "files: title = first line, body = the rest."
)


def main(argv: Sequence[str] | None = None) -> int:
    args = _arguments(argv)
    if not available(args.data):
        print(f"ranking bench: no IR collections under {args.data}; nothing measured")
        return 0
    args.work.mkdir(parents=True, exist_ok=True)
    collections = [load(name, args.data) for name in COLLECTIONS]
    report = measure(collections, args.work, args.quick)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "ranking.json").write_text(json.dumps(asdict(report), indent=2) + "\n")
    (RESULTS / "ranking.md").write_text(markdown(report))
    print(markdown(report))
    return 0


def _arguments(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.ranking", description=__doc__)
    parser.add_argument("--data", type=Path, default=DATA, help="folder holding cranfield/, cisi/")
    parser.add_argument("--work", type=Path, default=WORK, help="cached indexes (outside git)")
    parser.add_argument("--quick", action="store_true", help="skip the one-at-a-time departures")
    return parser.parse_args(argv)


if __name__ == "__main__":
    sys.exit(main())
