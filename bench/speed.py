"""The speed benchmark: newsdex against raw Whoosh, SQLite FTS5 and tantivy on the same corpus and
queries in the same run. Writes bench/results/speed-<corpus>.json and .md (see bench/README.md).

Run: python -m bench.speed [--corpus bbc|50k|both] [--quick] [--runs N] [--reuse] [--work DIR]
     [--only cold|queries] [--merge-check] [--recheck] [--render FILE.json]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import statistics
import sys
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

from bench import cold, make_corpus
from bench.corpus import BBC_DOCS, RESULTS, ROOT, WORK, Query, field_queries, load_queries, subset
from bench.measure import Measured, disk_mb, kept, measure, measure_kept
from bench.queries import latencies, latency
from bench.report import markdown, ratios, targets

PEERS = ("whoosh", "fts5", "tantivy")
QUICK_ARTICLES = 200


@dataclass(frozen=True)
class Plan:
    """What one corpus's run measures, and how many times."""

    name: str  # bbc, 50k, or either with -quick
    folder: Path
    work: Path
    runs: int  # repetitions of the cheap figures (peer indexing, cold starts)
    newsdex_runs: int
    ner: bool
    split: bool
    reuse: bool  # take the 50k newsdex index and its figures from an earlier run
    query_rounds: int
    workers: int


def plans(args: argparse.Namespace) -> list[Plan]:
    workers = os.cpu_count() or 1
    names = ["bbc", "50k"] if args.corpus == "both" else [args.corpus]
    found = []
    for name in names:
        folder = (
            BBC_DOCS if name == "bbc" else make_corpus.generate(BBC_DOCS, args.work / "corpus-50k")
        )
        if args.quick:
            folder = subset(folder, QUICK_ARTICLES, args.work)
        label = name + ("-quick" if args.quick else "")
        big = name == "50k" and not args.quick
        found.append(Plan(
            name=label, folder=folder, work=args.work / label, runs=1 if big else args.runs,
            newsdex_runs=1 if big or args.quick else args.runs, ner=not big, split=not big,
            reuse=args.reuse, query_rounds=args.rounds, workers=workers,
        ))  # fmt: skip
    return found


def _summary(tool: str, runs: Sequence[Measured], out: Path) -> dict[str, Any]:
    seconds = statistics.median(m.result["seconds"] for m in runs)
    articles = runs[0].result["articles"]
    return {
        "runs": len(runs),
        "articles": articles,
        "seconds": round(seconds, 3),
        "seconds_all": [round(m.result["seconds"], 3) for m in runs],
        "articles_per_s": round(articles / seconds, 2),
        "process_wall_s": round(statistics.median(m.wall_s for m in runs), 3),
        "maxrss_mb": round(max(m.maxrss_mb for m in runs), 1),
        "tree_rss_mb": round(max(m.tree_rss_mb for m in runs), 1),
        "tree_pss_mb": round(max(m.tree_pss_mb for m in runs), 1),
        "disk_mb": round(disk_mb(out), 2) if out.exists() else None,
    }


def index_all(plan: Plan) -> dict[str, dict[str, Any]]:
    """Build every tool's index (kept for the query figures), `runs` times each."""
    found: dict[str, dict[str, Any]] = {}
    for tool in ("newsdex", *PEERS):
        out = plan.work / f"index-{tool}"
        previous = kept(out) if tool == "newsdex" and plan.reuse else None
        if previous is not None:
            found[tool] = {**_summary(tool, [previous], out), "reused": previous.result}
            continue
        count = plan.newsdex_runs if tool == "newsdex" else plan.runs
        runs = [measure_kept(tool, plan.folder, out, plan.work, plan.workers) for _ in range(count)]
        found[tool] = _summary(tool, runs, out)
        print(f"  indexed with {tool}: {found[tool]['articles_per_s']} articles/s", flush=True)
        if tool == "newsdex":  # right after, so that the extraction code cannot change between
            found["newsdex-rerun"] = reindex(plan)
    return found


def reindex(plan: Plan) -> dict[str, Any]:
    """The same articles into a new index with the extraction cache the last run filled
    (what --rebuild or moved files cost)."""
    warm = plan.work / "index-newsdex.cache"
    out = plan.work / "index-newsdex-rerun"
    runs = [measure_kept("newsdex", plan.folder, out, plan.work, plan.workers, warm=warm)
            for _ in range(plan.runs)]  # fmt: skip
    found = {**_summary("newsdex-rerun", runs, out), "cached": runs[-1].result.get("cached")}
    print(f"  re-indexed with the cache: {found['articles_per_s']} articles/s", flush=True)
    return found


def extraction_reference(plan: Plan) -> dict[str, Any]:
    """Bare spaCy NER on one process and on all cores, and newsdex's stages timed one by one."""
    found: dict[str, Any] = {}
    if plan.ner:
        for task, count in (("ner1", 1), ("ner_all", plan.runs)):
            runs = [measure(task, plan.folder, plan.work / "none", plan.work, plan.workers)
                    for _ in range(count)]  # fmt: skip
            found[task] = _summary(task, runs, plan.work / "none")
            print(f"  {task}: {found[task]['articles_per_s']} articles/s", flush=True)
    if plan.split:
        out = plan.work / "index-split"
        shutil.rmtree(out, ignore_errors=True)
        split = measure("split", plan.folder, out, plan.work, plan.workers)
        found["split"] = {k: round(v, 3) if isinstance(v, float) else v
                          for k, v in split.result.items()}  # fmt: skip
    return found


def query_figures(plan: Plan, queries: list[Query]) -> dict[str, Any]:
    tools = {t: (t, plan.work / f"index-{t.split('-')[0]}")
             for t in ("newsdex", "newsdex-nosuggest", "newsdex-plain", *PEERS)}  # fmt: skip
    found: dict[str, Any] = {}
    for tool, measured in latencies(tools, queries, plan.query_rounds).items():
        found[tool] = asdict(measured)
        print(f"  {tool}: p50 {found[tool]['p50_ms']:.2f} ms", flush=True)
    fields = field_queries()
    found["newsdex-fields"] = asdict(
        latency("newsdex", plan.work / "index-newsdex", fields, plan.query_rounds)
    )
    return found


def cold_figures(plan: Plan) -> dict[str, Any]:
    directory = plan.work / "index-newsdex"
    runs = max(cold.RUNS, plan.runs + 2)
    search = cold.one_shot(directory, plan.work, runs)
    shell = cold.shell_prompt(directory, plan.work, runs)
    return {
        "search": {
            **asdict(search),
            "ratio": round(search.ratio, 3),
            "query": cold.COLD_QUERY,
            "top": cold.TOP,
        },
        "shell": {**asdict(shell), "ratio": round(shell.ratio, 3)},
        "imports_ms": cold.import_costs(directory, plan.work),
    }


def _git(*args: str) -> str:
    import subprocess

    done = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, check=False)
    return done.stdout.strip()


def code_state() -> dict[str, Any]:
    """The commit measured, and how many product files had uncommitted edits at that moment."""
    dirty = _git("status", "--porcelain", "--", "index", "search").splitlines()
    return {"commit": _git("rev-parse", "--short", "HEAD"), "uncommitted_product_files": len(dirty)}


def machine() -> dict[str, Any]:
    load = os.getloadavg()
    return {
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "load_average_at_start": [round(x, 2) for x in load],
        "note": "2 cores shared with other engineers running tests: figures are noisy; "
        "ratios between tools measured in the same run are the meaningful numbers",
    }


def run_plan(plan: Plan, results: Path) -> dict[str, Any]:
    plan.work.mkdir(parents=True, exist_ok=True)
    print(f"{plan.name}: {plan.folder}", flush=True)
    report: dict[str, Any] = {"corpus": plan.name, "folder": str(plan.folder),
                              "machine": machine(), "plan": {**asdict(plan)},
                              "code_at_start": code_state()}  # fmt: skip
    report["plan"] = {k: str(v) if isinstance(v, Path) else v for k, v in report["plan"].items()}
    report["indexing"] = index_all(plan)
    report["extraction"] = extraction_reference(plan)
    report["queries"] = query_figures(plan, load_queries())
    report["queries_together"] = True  # each query timed by every tool back to back
    report["cold"] = cold_figures(plan)
    report["code_at_end"] = code_state()
    report["ratios"] = ratios(report)
    report["targets"] = targets(report)
    results.mkdir(parents=True, exist_ok=True)
    (results / f"speed-{plan.name}.json").write_text(json.dumps(report, indent=2) + "\n")
    (results / f"speed-{plan.name}.md").write_text(markdown(report))
    return report


def recheck(plan: Plan, results: Path) -> dict[str, Any]:
    """The key ratios once more, back to back: newsdex indexing, the cached re-index, bare NER on
    all cores, and warm queries of newsdex and raw Whoosh (peer indexes of the last full run)."""
    report: dict[str, Any] = {"corpus": plan.name, "machine": machine(), "code": code_state()}
    out = plan.work / "index-newsdex"
    first = _summary(
        "newsdex", [measure_kept("newsdex", plan.folder, out, plan.work, plan.workers)], out
    )
    report["newsdex"], report["newsdex-rerun"] = first, reindex(plan)
    ner = measure("ner_all", plan.folder, plan.work / "none", plan.work, plan.workers)
    report["ner_all"] = _summary("ner_all", [ner], plan.work / "none")
    queries = load_queries()
    for tool in ("newsdex", "newsdex-plain", "whoosh"):
        directory = plan.work / f"index-{tool.split('-')[0]}"
        report[f"queries-{tool}"] = asdict(latency(tool, directory, queries, plan.query_rounds))
    report["ratios"] = {
        "indexing_vs_bare_ner_all_cores": round(
            first["articles_per_s"] / report["ner_all"]["articles_per_s"], 3
        ),
        "reindex_speedup": round(
            report["newsdex-rerun"]["articles_per_s"] / first["articles_per_s"], 3
        ),
        "p50_vs_whoosh": round(
            report["queries-newsdex"]["p50_ms"] / report["queries-whoosh"]["p50_ms"], 3
        ),
        "p95_vs_whoosh": round(
            report["queries-newsdex"]["p95_ms"] / report["queries-whoosh"]["p95_ms"], 3
        ),
    }
    (results / f"speed-{plan.name}-recheck.json").write_text(json.dumps(report, indent=2) + "\n")
    return report


def render(path: Path) -> None:
    """Recompute ratios and targets of a saved run and rewrite its markdown table."""
    _rewrite(path, json.loads(path.read_text()))


def _rewrite(path: Path, report: dict[str, Any]) -> None:
    report["ratios"] = ratios(report)
    report["targets"] = targets(report)
    path.write_text(json.dumps(report, indent=2) + "\n")
    notes = [f"**{part} measured again** on {m['date']} (load {m['load_average_at_start']}, "
             f"commit {m['commit']}): the other figures are the first run's."
             for part, m in report.get("remeasured", {}).items()]  # fmt: skip
    path.with_suffix(".md").write_text(markdown(report) + "".join(f"\n{n}\n" for n in notes))


def remeasure(plan: Plan, results: Path, part: str) -> dict[str, Any]:
    """Measure one part of a saved run again on its kept indexes (`cold`: the cold starts,
    `queries`: warm latency of every tool) and rewrite the run's ratios, targets and tables."""
    path = results / f"speed-{plan.name}.json"
    report = json.loads(path.read_text())
    report[part] = cold_figures(plan) if part == "cold" else query_figures(plan, load_queries())
    if part == "queries":
        report["queries_together"] = True  # each query timed by every tool back to back
    report.setdefault("remeasured", {})[part] = {**machine(), **code_state()}
    _rewrite(path, report)
    return report


def merge_check(plan: Plan, results: Path) -> dict[str, Any]:
    """Would merging the newsdex index into one segment at the end of a run pay? Times a Whoosh
    optimize of a copy of the kept index (`plan.runs` times), then warm queries of newsdex on both
    indexes and of raw Whoosh, in `plan.runs` interleaved passes (ratios taken within a pass).
    Every one of the queries must finish: prefix queries once looped forever on one segment."""
    source, merged = plan.work / "index-newsdex", plan.work / "index-newsdex-merged"
    seconds = [_merge_copy(source, merged) for _ in range(plan.runs)]
    runs = {  # label: (tool, index)
        "newsdex": ("newsdex", source),
        "newsdex-merged": ("newsdex", merged),
        "newsdex-plain": ("newsdex-plain", source),
        "newsdex-plain-merged": ("newsdex-plain", merged),
        "whoosh": ("whoosh", plan.work / "index-whoosh"),
    }
    queries = load_queries()
    passes = [
        {label: asdict(latency(tool, folder, queries, plan.query_rounds))
         for label, (tool, folder) in runs.items()}
        for _ in range(plan.runs)
    ]  # fmt: skip
    ratio = {name: {k: round(statistics.median(p[name][k] / p["whoosh"][k] for p in passes), 3)
                    for k in ("p50_ms", "p95_ms")} for name in passes[0]}  # fmt: skip
    saved = json.loads((results / f"speed-{plan.name}.json").read_text())["indexing"]["newsdex"]
    report = {"corpus": plan.name, "machine": machine(), "code": code_state(),
              "segments": {"before": len(list(source.glob("*.seg"))),
                           "after": len(list(merged.glob("*.seg")))},
              "merge_seconds": [round(x, 2) for x in seconds],
              "merge_seconds_median": round(statistics.median(seconds), 2),
              "indexing_seconds_last_full_run": saved["seconds"], "passes": passes,
              "ratios": {"latency_vs_whoosh": ratio}}  # fmt: skip
    out = results / f"speed-{plan.name}-merge.json"
    out.write_text(json.dumps(report, indent=2) + "\n")
    out.with_suffix(".md").write_text(_merge_markdown(report))
    return report


def _merge_copy(source: Path, target: Path) -> float:
    """Seconds to merge a fresh copy of `source` into one segment, as a last commit would."""
    from whoosh import index as windex

    from index.writer import LIMIT_MB

    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(source, target)
    started = time.perf_counter()
    windex.open_dir(str(target)).writer(limitmb=LIMIT_MB).commit(optimize=True)
    return time.perf_counter() - started


def _merge_markdown(report: dict[str, Any]) -> str:
    m, seg = report["machine"], report["segments"]
    rows = [f"| {name} | {statistics.median(p[name]['p50_ms'] for p in report['passes']):.2f} | "
            f"{statistics.median(p[name]['p95_ms'] for p in report['passes']):.2f} | "
            f"{r['p50_ms']:.2f} | {r['p95_ms']:.2f} |"
            for name, r in report["ratios"]["latency_vs_whoosh"].items()]  # fmt: skip
    return "\n".join([
        f"# Merging the newsdex {report['corpus']} index into one segment", "",
        f"{m['date']}, {m['cores']} cores, load average at start {m['load_average_at_start']}; "
        f"commit {report['code']['commit']}. {m['note']}.", "",
        f"Segments: {seg['before']} before, {seg['after']} after. Merge (Whoosh optimize, as one "
        f"more commit): {report['merge_seconds_median']} s median of {report['merge_seconds']}, "
        f"next to {report['indexing_seconds_last_full_run']:.1f} s for the whole indexing run in "
        f"speed-{report['corpus']}.json.", "",
        f"Warm queries, {len(report['passes'])} interleaved passes (medians; ratios to raw Whoosh "
        "within each pass, then the median):", "",
        "| index | p50 ms | p95 ms | p50 / Whoosh | p95 / Whoosh |", "|---|---|---|---|---|",
        *rows, "",
        "-merged: the same index after the merge. newsdex-plain: without snippets and did-you-mean.",
    ]) + "\n"  # fmt: skip


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", choices=("bbc", "50k", "both"), default="bbc")
    parser.add_argument("--quick", action="store_true", help=f"first {QUICK_ARTICLES} articles")
    parser.add_argument("--runs", type=int, default=3, help="repetitions (median reported)")
    parser.add_argument("--rounds", type=int, default=3, help="timed passes over the queries")
    parser.add_argument("--reuse", action="store_true", help="reuse a kept newsdex index")
    parser.add_argument("--work", type=Path, default=WORK, help="corpora and indexes (not git)")
    parser.add_argument("--results", type=Path, default=RESULTS)
    parser.add_argument("--render", type=Path, help="only rewrite the .md (and targets) of a JSON")
    parser.add_argument("--recheck", action="store_true", help="only the key ratios, once more")
    parser.add_argument("--only", choices=("cold", "queries"),
                        help="measure one part of a saved run again, on its kept indexes")  # fmt: skip
    parser.add_argument("--merge-check", action="store_true",
                        help="time merging the kept newsdex index into one segment, and its queries")  # fmt: skip
    args = parser.parse_args(argv)
    if args.render:
        render(args.render)
        return 0
    from bench.corpus import require_data

    require_data()
    for plan in plans(args):
        if args.recheck:
            print(json.dumps(recheck(plan, args.results)["ratios"]))
        elif args.only:
            remeasure(replace(plan, runs=args.runs), args.results, args.only)
        elif args.merge_check:
            print(json.dumps(merge_check(plan, args.results)["ratios"]))
        else:
            run_plan(plan, args.results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
