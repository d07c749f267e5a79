"""Counted nouns on BBC: index size and query cost of the two ways to index them.

- encoded (shipped): one KEYWORD field `counted`, one term per noun and value
  (index.counted: ``home=<order-preserving hex>``); `homes:>1000` is a TermRange.
- dynamic: a Whoosh dynamic field per noun (Schema.add("count_*", NUMERIC, glob=True), the
  product's MultiNumeric with shift_step 8); `homes:>1000` is a NumericRange on count_home.

Both are built from the same extracted mentions (the product's number extraction over spaCy's
entity spans), each beside an id field, in one merged segment as `newsdex index` leaves it; an
index of the ids alone is the baseline the sizes are measured from. Queries: for each of the 30
most counted nouns, values above its median, the best of 5 runs each (all matching documents,
unscored, as a filter). Run: python -m bench.counted [--data DIR] [--limit N] [--runs N].
Writes bench/results/counted.json and counted.md.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path

from whoosh import fields, index
from whoosh import query as wq

from bench.numbers import DATA, spans_of
from index import counted
from index import schema as S
from index.numbers import extract_numbers

RESULTS = Path(__file__).resolve().parent / "results"
TOP_NOUNS = 30
Docs = list[tuple[str, list[tuple[str, float]]]]  # (id, [(noun, value)])


def mentions(folder: Path, limit: int) -> Docs:
    """(article id, counted (noun, value) pairs) for the first ``limit`` BBC articles."""
    paths = sorted(folder.glob("*.txt"))[:limit]
    texts = [p.read_text(encoding="utf-8") for p in paths]
    docs = []
    for path, text, spans in zip(paths, texts, spans_of(texts), strict=True):
        numbers = extract_numbers(text, spans)
        found = [(m.unit, m.value) for m in numbers if m.unit and m.kind in ("count", "people")]
        docs.append((path.stem, found))
    return docs


def _size(directory: Path) -> int:
    return sum(p.stat().st_size for p in directory.iterdir() if p.is_file())


def _build(directory: Path, schema: fields.Schema, docs: Docs, fill: Callable[..., dict]) -> int:
    ix = index.create_in(str(directory), schema)
    with ix.writer() as writer:
        for doc_id, found in docs:
            writer.add_document(id=doc_id, **fill(found))
    ix.writer().commit(optimize=True)  # one segment, as `newsdex index` leaves it
    return _size(directory)


def _encoded(found: list[tuple[str, float]]) -> dict[str, str]:
    terms = sorted({counted.term(noun, value) for noun, value in found})
    return {S.COUNTED: ",".join(terms)} if terms else {}


def _dynamic(found: list[tuple[str, float]]) -> dict[str, list[float]]:
    values: dict[str, set[float]] = {}
    for noun, value in found:
        values.setdefault(f"count_{noun}", set()).add(value)
    return {name: sorted(v) for name, v in values.items()}


def _schemas() -> dict[str, fields.Schema]:
    base = fields.Schema(id=fields.ID(stored=True, unique=True))
    encoded = fields.Schema(
        id=fields.ID(stored=True, unique=True), counted=S.build_schema()[S.COUNTED]
    )
    dynamic = fields.Schema(id=fields.ID(stored=True, unique=True))
    dynamic.add("count_*", S.number_field(), glob=True)
    return {"ids only": base, "encoded": encoded, "dynamic": dynamic}


def _queries(docs: Docs) -> list[tuple[str, float]]:
    """(noun, threshold): the most counted nouns, each above its median value."""
    per_noun: dict[str, list[float]] = {}
    for _, found in docs:
        for noun, value in found:
            per_noun.setdefault(noun, []).append(value)
    top = Counter({noun: len(v) for noun, v in per_noun.items()}).most_common(TOP_NOUNS)
    return [(noun, statistics.median(per_noun[noun])) for noun, _ in top]


def _query(kind: str, noun: str, low: float) -> wq.Query:
    if kind == "encoded":
        start, end = counted.bounds(noun, low, None)
        return wq.TermRange(S.COUNTED, start, end, True, True)
    return wq.NumericRange(f"count_{noun}", low, None, startexcl=True)


def _cost(directory: Path, kind: str, queries: list[tuple[str, float]], runs: int) -> dict:
    ix = index.open_dir(str(directory))
    with ix.searcher() as searcher:
        times, matches = [], []
        for noun, low in queries:
            q = _query(kind, noun, low)
            best = float("inf")
            for _ in range(runs):
                started = time.perf_counter()
                found = sum(1 for _ in q.docs(searcher))
                best = min(best, time.perf_counter() - started)
            times.append(best * 1e6)
            matches.append(found)
    return {"median_us": round(statistics.median(times), 1), "max_us": round(max(times), 1),
            "matches": matches}  # fmt: skip


def run(folder: Path, limit: int, runs: int) -> dict:
    docs = mentions(folder, limit)
    queries = _queries(docs)
    fills: dict[str, Callable[..., dict]] = {"ids only": lambda f: {}, "encoded": _encoded,
                                             "dynamic": _dynamic}  # fmt: skip
    report: dict = {"articles": len(docs), "load_average": list(os.getloadavg())}
    report["nouns"] = len({noun for _, found in docs for noun, _ in found})
    report["mentions"] = sum(len(found) for _, found in docs)
    report["queries"] = [{"noun": n, "above": v} for n, v in queries]
    with tempfile.TemporaryDirectory() as tmp:
        for kind, schema in _schemas().items():
            directory = Path(tmp) / kind.replace(" ", "-")
            directory.mkdir()
            entry: dict = {"bytes": _build(directory, schema, docs, fills[kind])}
            if kind != "ids only":
                entry |= _cost(directory, kind, queries, runs)
            report[kind] = entry
    for kind in ("encoded", "dynamic"):
        report[kind]["bytes_over_ids"] = report[kind]["bytes"] - report["ids only"]["bytes"]
    same = report["encoded"]["matches"] == report["dynamic"]["matches"]
    report["same_matches"] = same
    return report


def markdown(report: dict) -> str:
    enc, dyn = report["encoded"], report["dynamic"]
    return "\n".join([
        "# Counted nouns: one encoded field or a field per noun (BBC)",
        "",
        f"{report['articles']} BBC articles, {report['mentions']} counted mentions of "
        f"{report['nouns']} nouns; load average at start {report['load_average']} (2 shared "
        "cores: times are noisy, sizes and matches are not). Queries: the "
        f"{len(report['queries'])} most counted nouns, each above its median value, best of "
        "runs, all matching documents.",
        "",
        "| encoding | index bytes over ids alone | query median µs | query max µs |",
        "|---|---|---|---|",
        f"| encoded `counted` field (shipped) | {enc['bytes_over_ids']:,} | {enc['median_us']} "
        f"| {enc['max_us']} |",
        f"| dynamic field per noun | {dyn['bytes_over_ids']:,} | {dyn['median_us']} "
        f"| {dyn['max_us']} |",
        "",
        f"Same documents matched by both for every query: {report['same_matches']}.",
        "",
    ])  # fmt: skip


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=DATA, help="the shared data folder")
    parser.add_argument("--limit", type=int, default=2225, help="BBC articles")
    parser.add_argument("--runs", type=int, default=5, help="runs of each query (best kept)")
    args = parser.parse_args(argv)
    folder = args.data / "news" / "bbc" / "docs"
    if not folder.is_dir():
        print(f"No BBC articles under {folder}: nothing to measure.", file=sys.stderr)
        return 2
    report = run(folder, args.limit, args.runs)
    (RESULTS / "counted.json").write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    page = markdown(report)
    (RESULTS / "counted.md").write_text(page, encoding="utf-8")
    print(page)
    return 0


if __name__ == "__main__":
    sys.exit(main())
