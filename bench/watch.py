"""`newsdex index --watch` as a user runs it: CPU at rest, and time from a file written to it
being searchable.

    python -m bench.watch [--rest 20] [--writes 10]

Starts `newsdex index FOLDER --index IDX --watch` on a folder of 50 articles and waits for
"Watching". Then
- CPU at rest: the watch process's user+system CPU over REST seconds with nothing written
  (/proc/PID/stat), as a percentage of one core;
- write to searchable: WRITES new articles, one at a time; for each, the seconds from the file
  closed to a fresh Engine finding its unique word (polled every 50 ms). The product's figure
  includes the settle time (index/watch.py SETTLE_S), the re-scan, extraction and the commit.
Writes bench/results/watch.json and .md with the load average of the run.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"
NEWSDEX = [sys.executable, "-c", "from search.cli import main; main()"]
STORY = "{title}\n\nOfficials in Nairobi said {word} talks on the {n} flood relief plan resumed."
POLL_S = 0.05
BOUND_S = 120.0


def _cpu_s(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _found(index: Path, word: str) -> bool:
    from search.engine import Engine, SearchOptions

    with Engine(index) as engine:
        return engine.search(word, SearchOptions(limit=1, snippets=False, suggest=False)).total > 0


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rest", type=float, default=20.0, help="seconds at rest measured")
    parser.add_argument("--writes", type=int, default=10, help="articles written one at a time")
    parser.add_argument("--out", type=Path, default=RESULTS / "watch")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        os.environ["HOME"] = str(work)  # no user cache or config
        folder, index = work / "articles", work / "idx"
        folder.mkdir()
        for n in range(50):
            text = STORY.format(title=f"Story {n}", word=f"seed{n}", n=n)
            (folder / f"s{n}.txt").write_text(text, encoding="utf-8")
        proc = subprocess.Popen(
            [*NEWSDEX, "index", str(folder), "--index", str(index), "--watch", "--workers", "1"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        started = threading.Event()

        def read() -> None:
            for line in proc.stderr or []:
                if "Watching" in line:
                    started.set()

        threading.Thread(target=read, daemon=True).start()
        try:
            if not started.wait(BOUND_S):
                raise SystemExit("the watcher did not start")
            time.sleep(2.0)  # the first batch's aftermath (model loaded, caches warm)
            before, t0 = _cpu_s(proc.pid), time.monotonic()
            time.sleep(args.rest)
            rest_pct = 100 * (_cpu_s(proc.pid) - before) / (time.monotonic() - t0)
            latencies = []
            for n in range(args.writes):
                word = f"fresh{n}word"
                path = folder / f"new{n}.txt"
                path.write_text(STORY.format(title=f"New {n}", word=word, n=n), encoding="utf-8")
                written = time.monotonic()
                while not _found(index, word):
                    if time.monotonic() - written > BOUND_S:
                        raise SystemExit(f"{path.name} not searchable within {BOUND_S:.0f} s")
                    time.sleep(POLL_S)
                latencies.append(time.monotonic() - written)
        finally:
            proc.terminate()
            proc.wait(timeout=60)
    result = {
        "rest_s": args.rest,
        "cpu_at_rest_pct": round(rest_pct, 2),
        "writes": args.writes,
        "searchable_median_s": round(statistics.median(latencies), 2),
        "searchable_max_s": round(max(latencies), 2),
        "searchable_s": [round(x, 2) for x in latencies],
        "loadavg_1min": os.getloadavg()[0],
        "cpus": os.cpu_count(),
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.with_suffix(".json").write_text(json.dumps(result, indent=2) + "\n")
    md = (
        "# `newsdex index --watch` (`python -m bench.watch`)\n\n"
        "| measure | value |\n| --- | --- |\n"
        f"| CPU at rest over {args.rest:.0f} s | {result['cpu_at_rest_pct']}% of a core |\n"
        f"| write to searchable, median of {args.writes} | {result['searchable_median_s']} s |\n"
        f"| write to searchable, slowest | {result['searchable_max_s']} s |\n\n"
        f"Load average during the run: {result['loadavg_1min']:.2f} on {result['cpus']} cores.\n"
    )
    args.out.with_suffix(".md").write_text(md)
    print(md)
    return result


if __name__ == "__main__":
    main()
