"""Run one benchmark task in a child process and measure its wall time and peak memory.

Peak memory, two ways (psutil-free): the child's own ru_maxrss from os.wait4 (the largest single
process of its tree that was waited for), and the peak over samples every SAMPLE_S of the summed
RSS and PSS (/proc/PID/smaps_rollup) of the child and all its descendants (pool workers, the
forkserver), which counts memory shared between workers once in PSS.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.corpus import ROOT
from bench.tasks import results_in

SAMPLE_S = 0.2


@dataclass(frozen=True)
class Measured:
    result: dict[str, Any]
    wall_s: float  # the whole process, interpreter start-up included
    maxrss_mb: float  # largest single process (ru_maxrss of wait4)
    tree_rss_mb: float  # peak of the summed RSS of the process tree (sampled)
    tree_pss_mb: float  # peak of the summed PSS of the process tree (sampled)


@dataclass
class _Peaks:
    rss_kb: int = 0
    pss_kb: int = 0
    stop: threading.Event = field(default_factory=threading.Event)


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for name in os.listdir("/proc"):
        if name.isdigit():
            try:
                stat = Path(f"/proc/{name}/stat").read_text()
            except OSError:
                continue
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            tree.setdefault(ppid, []).append(int(name))
    return tree


def _descendants(root: int) -> list[int]:
    tree, found, todo = _children(), [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo.extend(tree.get(pid, []))
    return found


def _kb(path: str, key: str) -> int:
    try:
        for line in Path(path).read_text().splitlines():
            if line.startswith(key):
                return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return 0


def _sample(root: int, peaks: _Peaks) -> None:
    while not peaks.stop.is_set():
        pids = _descendants(root)
        rss = sum(_kb(f"/proc/{p}/status", "VmRSS:") for p in pids)
        pss = sum(_kb(f"/proc/{p}/smaps_rollup", "Pss:") for p in pids)
        peaks.rss_kb, peaks.pss_kb = max(peaks.rss_kb, rss), max(peaks.pss_kb, pss)
        peaks.stop.wait(SAMPLE_S)


def child_env(work: Path, cache: Path | None = None) -> dict[str, str]:
    """The environment of measured children: the user's newsdex config, data and extraction
    cache left out (a run's cache is `cache`, so a first run really extracts everything)."""
    env = dict(os.environ)
    env["XDG_CONFIG_HOME"] = str(work / "xdg-config")
    env["XDG_DATA_HOME"] = str(work / "xdg-data")
    env["XDG_CACHE_HOME"] = str(cache or work / "xdg-cache")
    env.pop("NEWSDEX_CONFIG", None)
    env.pop("NEWSDEX_INDEX", None)
    return env


def measure(
    task: str, corpus: Path, out: Path, work: Path, workers: int, cache: Path | None = None
) -> Measured:
    """Run `python -m bench.tasks TASK CORPUS OUT` and measure it (OUT must not exist)."""
    command: Sequence[str] = [sys.executable, "-m", "bench.tasks", task, str(corpus), str(out),
                              "--workers", str(workers)]  # fmt: skip
    with tempfile.TemporaryFile("w+") as stdout:
        started = time.perf_counter()
        proc = subprocess.Popen(command, stdout=stdout, cwd=ROOT, env=child_env(work, cache))
        peaks = _Peaks()
        sampler = threading.Thread(target=_sample, args=(proc.pid, peaks), daemon=True)
        sampler.start()
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        peaks.stop.set()
        sampler.join()
        stdout.seek(0)
        if proc.returncode != 0:
            raise RuntimeError(f"{' '.join(command)} failed ({proc.returncode})")
        result = results_in(iter(stdout.read().splitlines()))
    return Measured(result, wall, usage.ru_maxrss / 1024, peaks.rss_kb / 1024, peaks.pss_kb / 1024)


def disk_mb(directory: Path) -> float:
    return sum(p.stat().st_size for p in directory.rglob("*") if p.is_file()) / 2**20


def measure_kept(
    task: str, corpus: Path, out: Path, work: Path, workers: int, warm: Path | None = None
) -> Measured:
    """`measure` into a fresh OUT, with a fresh extraction cache beside it (or the `warm` cache
    of an earlier run), and the figures saved next to OUT: a later run with --reuse reads them
    back instead of indexing again (the 50k newsdex index takes about 20 minutes to build)."""
    import json
    import shutil
    from dataclasses import asdict

    saved = out.with_name(out.name + ".measured.json")
    shutil.rmtree(out, ignore_errors=True)
    saved.unlink(missing_ok=True)
    cache = warm or out.with_name(out.name + ".cache")
    if warm is None:
        shutil.rmtree(cache, ignore_errors=True)
    found = measure(task, corpus, out, work, workers, cache)
    saved.write_text(json.dumps(asdict(found), indent=2) + "\n")
    return found


def kept(out: Path) -> Measured | None:
    """The figures `measure_kept` saved for OUT, if OUT is complete."""
    import json

    saved = out.with_name(out.name + ".measured.json")
    if not saved.exists() or not out.exists():
        return None
    return Measured(**json.loads(saved.read_text()))
