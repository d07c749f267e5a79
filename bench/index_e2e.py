"""End-to-end indexing of a corpus by newsdex alone: time, articles/s, peak memory, size, segments.

Run: python -m bench.index_e2e [--corpus 50k|bbc] [--workers N]. Writes bench/results/index-e2e-<corpus>.*
The index is kept where `python -m bench.speed --corpus 50k --reuse` looks for it (with its
figures beside it), so that the 50k query figures are measured on what `newsdex index` builds.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from bench.corpus import BBC_DOCS, WORK, require_data, write_results
from bench.measure import disk_mb, measure_kept
from bench.speed import code_state, machine

MEMORY_TARGET_MB = 1536  # issue 8: peak memory under 1.5 GB on the 50k corpus


def corpus_folder(name: str, work: Path) -> Path:
    if name == "bbc":
        return BBC_DOCS
    folder = work / "corpus-50k"
    if not folder.is_dir():
        raise SystemExit(f"{folder} is missing: build it with python -m bench.make_corpus")
    return folder


def run(name: str, workers: int, work: Path) -> dict[str, Any]:
    from whoosh import index as windex

    from index import whoosh_door as door

    folder = corpus_folder(name, work)
    out = work / name / "index-newsdex"
    out.parent.mkdir(parents=True, exist_ok=True)
    report: dict[str, Any] = {"corpus": name, "machine": machine(), "code": code_state()}
    found = measure_kept("newsdex", folder, out, work, workers)
    result = found.result
    report["newsdex"] = {
        "articles": result["articles"],
        "seconds": round(result["seconds"], 1),
        "articles_per_s": round(result["articles"] / result["seconds"], 2),
        "process_wall_s": round(found.wall_s, 1),
        "tree_pss_mb": round(found.tree_pss_mb, 1),
        "tree_rss_mb": round(found.tree_rss_mb, 1),
        "maxrss_mb": round(found.maxrss_mb, 1),
        "disk_mb": round(disk_mb(out), 1),
        "segments": len(door.segments(windex.open_dir(str(out)))),
        "workers": workers,
    }
    report["memory_target_mb"] = MEMORY_TARGET_MB
    return report


def markdown(report: dict[str, Any]) -> str:
    n, m = report["newsdex"], report["machine"]
    return "\n".join(
        [
            f"# End-to-end indexing, {report['corpus']}",
            "",
            f"Written by `python -m bench.index_e2e --corpus {report['corpus']}` on {m['date']}, "
            f"{m['cores']} cores, load average at start {m['load_average_at_start']}, "
            f"commit {report['code']['commit']}.",
            "",
            "| articles | seconds | articles/s | peak memory PSS (all processes) | peak RSS | "
            "index size | segments |",
            "| ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
            f"| {n['articles']} | {n['seconds']} | {n['articles_per_s']} | {n['tree_pss_mb']} MB "
            f"(target < {report['memory_target_mb']} MB) | {n['tree_rss_mb']} MB | "
            f"{n['disk_mb']} MB | {n['segments']} |",
            "",
        ]
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--corpus", choices=("50k", "bbc"), default="50k")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--work", type=Path, default=WORK, help="corpora and indexes (not git)")
    args = parser.parse_args(argv)
    require_data()
    report = run(args.corpus, args.workers, args.work)
    write_results(f"index-e2e-{args.corpus}", report, markdown(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
