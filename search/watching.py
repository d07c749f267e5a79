"""`newsdex index PATH --watch`: index, then follow the folders and index each settled batch of
changes (index/watch.py), printing the summary line of each batch and, with --alerts, what the
saved searches find new. Ctrl-C stops with one line and exit 130; every batch is committed when
its line is printed.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from index.errors import ExitCode, IndexBusy, UsageError
from index.meta import IndexMeta
from index.watch import SETTLE_S, follow

# While another process writes, a batch waits for it (and says so once) rather than failing:
# the watch outlives a concurrent `newsdex index`.
BUSY_RETRY_S = 1.0


@dataclass(frozen=True)
class WatchOptions:
    wait: float = 10.0
    workers: int | None = None
    commit_every: int = 1000
    use_cache: bool = True
    alerts: bool = False
    settle: float = SETTLE_S
    exclude: tuple[str, ...] = ()


class _Stop(Exception):
    """A batch was interrupted: its own line said what was committed."""


def watch_roots(paths: Sequence[Path], index_dir: Path) -> list[Path]:
    roots = [p.expanduser().resolve() for p in paths]
    roots = roots or [Path(r) for r in IndexMeta.load(index_dir).roots]
    if not roots:
        raise UsageError("nothing to watch: give the folders, newsdex index PATH --watch")
    return roots


def watch_paths(
    paths: Sequence[Path],
    index_dir: Path,
    options: WatchOptions,
    out: TextIO | None = None,
    err: TextIO | None = None,
) -> int:
    """Follow the roots until Ctrl-C; returns the exit code (130)."""
    out, err = out or sys.stdout, err or sys.stderr
    roots = watch_roots(paths, index_dir)
    batches = 0

    def on_batch(changed: list[str]) -> None:
        nonlocal batches
        batches += 1
        _index_batch(roots, index_dir, options, out, err)
        if options.alerts:
            from search.follow_cli import report_alerts
            from search.format import Format

            report_alerts(index_dir, [], Format.table, out, quiet=True)
        out.flush()

    def ready() -> None:
        shown = ", ".join(map(str, roots))
        err.write(f"Watching {shown} for new, changed and deleted articles (Ctrl-C stops).\n")
        err.flush()

    try:
        follow(roots, on_batch, ignore=[index_dir], settle=options.settle, on_ready=ready)
    except _Stop:
        return int(ExitCode.INTERRUPTED)
    except KeyboardInterrupt:
        err.write(f"Stopped watching after {batches} batch(es); everything indexed is committed.\n")
        return int(ExitCode.INTERRUPTED)
    return int(ExitCode.OK)


def _index_batch(
    roots: list[Path], index_dir: Path, options: WatchOptions, out: TextIO, err: TextIO
) -> None:
    from search.indexing import index_paths

    told = False
    while True:
        try:
            summary = index_paths(
                roots,
                index_dir,
                False,
                options.wait,
                options.workers,
                options.commit_every,
                options.use_cache,
                out,
                err,
                exclude=options.exclude,
            )
            break
        except IndexBusy:
            if not told:
                err.write("Another newsdex is writing to the index: this batch waits for it.\n")
                told = True
            time.sleep(BUSY_RETRY_S)
    if summary.interrupted:
        raise _Stop
