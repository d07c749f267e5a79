"""Which file watcher `newsdex index --watch` uses: watchfiles or watchdog, measured.

    python -m bench.watch_choice [--rest 20] [--writes 20] [--files 2000]

For each library, a child process watches a folder of FILES small files (recursively, as the
watch does) and prints each event with its time. The parent measures
- CPU at rest: the child's user+system CPU seconds over REST seconds with nothing written
  (from /proc/PID/stat), as a percentage of one core;
- latency: from the end of a write (file closed) to the child's event for it, over WRITES files
  written one at a time, median and maximum.
Writes bench/results/watch-choice.json and .md, with the load average: a QUICK measurement on
a shared machine, to choose between two libraries, not a product figure.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"
LIBRARIES = ("watchfiles", "watchdog")


def child(library: str, folder: str) -> None:
    """Watch `folder`, print 'ready', then one 'time path' line per event."""
    if library == "watchfiles":
        from watchfiles import watch

        print("ready", flush=True)
        for changes in watch(folder, debounce=1600, step=50, recursive=True):
            now = time.time()
            for _, path in changes:
                print(f"{now} {path}", flush=True)
        return
    from watchdog.events import FileSystemEvent, FileSystemEventHandler
    from watchdog.observers import Observer

    class Printer(FileSystemEventHandler):
        def on_any_event(self, event: FileSystemEvent) -> None:
            print(f"{time.time()} {event.src_path}", flush=True)

    observer = Observer()
    observer.schedule(Printer(), folder, recursive=True)
    observer.start()
    print("ready", flush=True)
    while True:
        time.sleep(3600)


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def measure(library: str, rest: float, writes: int, files: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for i in range(files):
            sub = folder / f"d{i % 20}"
            sub.mkdir(exist_ok=True)
            (sub / f"old{i}.txt").write_text("old article\n")
        proc = subprocess.Popen(
            [sys.executable, "-m", "bench.watch_choice", "--child", library, str(folder)],
            stdout=subprocess.PIPE,
            text=True,
        )
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == "ready"
        time.sleep(2.0)  # let it settle before the resting window
        before = cpu_seconds(proc.pid)
        time.sleep(rest)
        at_rest = (cpu_seconds(proc.pid) - before) / rest * 100
        latencies = []
        for i in range(writes):
            path = folder / f"d{i % 20}" / f"new{i}.txt"
            path.write_text("a new article\n")
            written = time.time()
            while True:
                line = proc.stdout.readline()
                if line.rstrip().endswith(str(path)):
                    latencies.append(float(line.split()[0]) - written)
                    break
            time.sleep(0.3)
        proc.kill()
        proc.wait()
    return {
        "cpu_at_rest_percent": round(at_rest, 3),
        "latency_median_s": round(statistics.median(latencies), 3),
        "latency_max_s": round(max(latencies), 3),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--child", nargs=2, metavar=("LIBRARY", "FOLDER"))
    parser.add_argument("--rest", type=float, default=20.0)
    parser.add_argument("--writes", type=int, default=20)
    parser.add_argument("--files", type=int, default=2000)
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return
    load = os.getloadavg()
    figures = {lib: measure(lib, args.rest, args.writes, args.files) for lib in LIBRARIES}
    report = {
        "quick": True,
        "machine": f"{os.cpu_count()} cores, {platform.platform()}, Python {platform.python_version()}",
        "load_average_at_start": [round(x, 2) for x in load],
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "settings": vars(args) | {"child": None},
        "figures": figures,
    }
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "watch-choice.json").write_text(json.dumps(report, indent=2) + "\n")
    rows = "\n".join(
        f"| {lib} | {f['cpu_at_rest_percent']} | {f['latency_median_s']} | {f['latency_max_s']} |"
        for lib, f in figures.items()
    )
    (RESULTS / "watch-choice.md").write_text(
        f"# File watcher choice (QUICK measurement, shared machine)\n\n"
        f"`python -m bench.watch_choice --rest {args.rest:g} --writes {args.writes} "
        f"--files {args.files}`; {report['machine']}; load average {report['load_average_at_start']} "
        f"at start; {report['date']}.\n\n"
        "| library | CPU at rest, % of a core | write-to-event median, s | max, s |\n"
        "|---|---|---|---|\n"
        f"{rows}\n\n"
        "watchfiles' latency includes its own 50 ms quiet step; watchdog reports each raw event.\n"
    )
    print(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
