"""Batch search throughput: `newsdex search --batch` against one process per query.

Run: python -m bench.batch --index DIR [--queries FILE] [--singles N]
Writes bench/results/batch.json and batch.md. DIR is a newsdex index of the BBC corpus (for
example the one `python -m bench.speed` leaves in bench/work/bbc/index-newsdex).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

QUERIES = Path(__file__).resolve().parents[2] / "shared" / "data" / "news" / "bbc-queries.tsv"
RESULTS = Path(__file__).resolve().parent / "results"
NEWSDEX = [sys.executable, "-c", "from search.cli import main; main()"]


def read_queries(path: Path) -> list[str]:
    lines = path.read_text(encoding="utf-8").splitlines()[1:]  # kind<TAB>query, with a header
    return [line.split("\t", 1)[1] for line in lines if "\t" in line]


def batch_seconds(index: Path, queries: list[str]) -> float:
    lines = "".join(f"q{i}\t{q}\n" for i, q in enumerate(queries))
    started = time.perf_counter()
    subprocess.run(
        [*NEWSDEX, "search", "--index", str(index), "--batch", "-", "--format", "trec"],
        input=lines,
        capture_output=True,
        text=True,
        check=False,
    )
    return time.perf_counter() - started


def single_seconds(index: Path, queries: list[str]) -> list[float]:
    times = []
    for query in queries:
        started = time.perf_counter()
        subprocess.run(
            [*NEWSDEX, "search", "--index", str(index), query, "--format", "ids"],
            capture_output=True,
            text=True,
            check=False,
        )
        times.append(time.perf_counter() - started)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--index", type=Path, required=True)
    parser.add_argument("--queries", type=Path, default=QUERIES)
    parser.add_argument("--singles", type=int, default=30, help="one-shot processes timed")
    args = parser.parse_args()
    if not args.queries.exists():
        sys.exit(f"queries not found at {args.queries} (see ../shared/data/README.md)")
    queries = read_queries(args.queries)
    batch = statistics.median(batch_seconds(args.index, queries) for _ in range(3))
    singles = single_seconds(args.index, queries[: args.singles])
    per_single = statistics.median(singles)
    result = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "queries": len(queries),
        "batch_seconds": round(batch, 3),
        "batch_qps": round(len(queries) / batch, 1),
        "single_process_seconds_median": round(per_single, 3),
        "single_qps": round(1 / per_single, 2),
        "speedup": round((len(queries) / batch) * per_single, 1),
    }
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "batch.json").write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    table = (
        f"# Batch search throughput ({result['date']}, {result['cores']} cores)\n\n"
        "| mode | queries/s |\n| --- | ---: |\n"
        f"| `newsdex search --batch` ({len(queries)} queries, one process, median of 3) "
        f"| {result['batch_qps']} |\n"
        f"| one `newsdex search` process per query (median of {len(singles)}) "
        f"| {result['single_qps']} |\n\nBatch is {result['speedup']}x faster.\n"
    )
    (RESULTS / "batch.md").write_text(table, encoding="utf-8")
    print(table)


if __name__ == "__main__":
    main()
