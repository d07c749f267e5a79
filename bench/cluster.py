"""Extraction on a Dask LocalCluster against the default process pool, in the same run.

Run: python -m bench.cluster [--workers 2] [--rounds 3] [--quick [N]]
Writes bench/results/cluster-bbc.{json,md} (issue 19 asks `--cluster local:2` >= 0.9x the
articles/s of the default pool); the lead's run at a quiet time is
`python -m bench.cluster --workers 2 --rounds 3`. --quick [N] indexes the first N (96) BBC
articles, prints the table and writes only under bench/work/: it proves the code runs, and its
figures are not published.
Needs the scale extra (pip install -e '.[scale]').
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from bench.corpus import BBC_DOCS, WORK, require_data, write_results
from bench.speed import code_state, machine

QUICK_ARTICLES = 96
_ARTICLES = re.compile(r"; (\d+) articles in")


def _corpus(quick: int, work: Path) -> Path:
    """All of BBC, or its first `quick` articles (a check that the code runs)."""
    if not quick:
        return BBC_DOCS
    folder = work / f"cluster-quick-corpus-{quick}"
    if not folder.is_dir():
        folder.mkdir(parents=True)
        for path in sorted(BBC_DOCS.iterdir())[:quick]:
            shutil.copy(path, folder / path.name)
    return folder


def index_once(corpus: Path, out: Path, home: Path, extra: list[str]) -> dict[str, Any]:
    """One cold `newsdex index` run (no extraction cache), timed from outside the process."""
    shutil.rmtree(out, ignore_errors=True)
    env = {**os.environ, "XDG_CACHE_HOME": str(home / "cache"), "XDG_DATA_HOME": str(home)}
    env.pop("NEWSDEX_CLUSTER", None)
    newsdex = Path(sys.executable).with_name("newsdex")
    command = [str(newsdex), "index", str(corpus), "--index", str(out)]
    started = time.monotonic()
    done = subprocess.run(
        [*command, "--no-cache", *extra], capture_output=True, text=True, env=env, check=False
    )
    seconds = time.monotonic() - started
    if done.returncode != 0:
        raise SystemExit(f"newsdex index {' '.join(extra)} failed: {done.stderr.strip()}")
    match = _ARTICLES.search(done.stdout)
    articles = int(match.group(1)) if match else 0
    return {"articles": articles, "seconds": round(seconds, 1), "rate": articles / seconds}


def run(workers: int, rounds: int, quick: int, work: Path) -> dict[str, Any]:
    corpus = _corpus(quick, work)
    home = work / "cluster-home"
    runs: dict[str, list[dict[str, Any]]] = {"pool": [], "cluster": []}
    for _ in range(rounds):  # alternated, so load drifts hit both alike
        pool = ["--workers", str(workers)]
        runs["pool"].append(index_once(corpus, work / "cluster-pool", home, pool))
        local = ["--cluster", f"local:{workers}"]
        runs["cluster"].append(index_once(corpus, work / "cluster-dask", home, local))
    best = {name: max(r["rate"] for r in found) for name, found in runs.items()}
    return {
        "corpus": f"bbc-first-{quick}" if quick else "bbc",
        "workers": workers,
        "machine": machine(),
        "code": code_state(),
        "runs": runs,
        "ratio": round(best["cluster"] / best["pool"], 3),
        "target": 0.9,
    }


def markdown(report: dict[str, Any]) -> str:
    rows = [
        f"| {name} | {r['articles']} | {r['seconds']} | {r['rate']:.2f} |"
        for name, found in report["runs"].items()
        for r in found
    ]
    return "\n".join(
        [
            f"# Extraction on Dask, {report['corpus']}",
            "",
            f"Written by `python -m bench.cluster --workers {report['workers']}`; "
            f"{report['machine']['cores']} cores, load average at start "
            f"{report['machine'].get('load_average_at_start')}, commit {report['code']['commit']}.",
            "",
            "| run | articles | seconds | articles/s |",
            "| --- | ---: | ---: | ---: |",
            *rows,
            "",
            f"best local:{report['workers']} / best pool: {report['ratio']} "
            f"(target >= {report['target']})",
            "",
        ]
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument(
        "--quick",
        nargs="?",
        type=int,
        const=QUICK_ARTICLES,
        default=0,
        metavar="N",
        help=f"the first N articles ({QUICK_ARTICLES} if not given); prints, publishes nothing",
    )
    args = parser.parse_args(argv)
    require_data()
    WORK.mkdir(parents=True, exist_ok=True)
    report = run(args.workers, args.rounds, args.quick, WORK)
    if args.quick:
        print(markdown(report))
        return
    write_results("cluster-bbc", report, markdown(report))


if __name__ == "__main__":
    main()
