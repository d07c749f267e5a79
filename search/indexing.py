"""Indexing as the command line and the shell show it: a progress bar on a terminal, a summary.

The work itself is index.pipeline.run; this module only reports on it.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TextIO

from index.cluster import ClusterSpec, connect, resolve_cluster
from index.config import COMMIT_EVERY
from index.pipeline import ProgressCallback, Summary, run

# Skipped files listed one per line before the summary; past this many, only a count.
LIST_SKIPPED = 20


@contextmanager
def progress_bar(stream: TextIO) -> Iterator[ProgressCallback | None]:
    """A rich progress bar on a terminal; nothing when the output is piped."""
    if not stream.isatty():
        yield None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

    with Progress(
        "[progress.description]{task.description}",
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=Console(file=stream),
        transient=True,
    ) as bar:
        task = bar.add_task("indexing files", total=None)

        def update(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        yield update


def index_paths(
    paths: Sequence[Path],
    index_dir: Path,
    rebuild: bool = False,
    wait: float = 10.0,
    workers: int | None = None,
    commit_every: int = COMMIT_EVERY,
    use_cache: bool = True,
    out: TextIO | None = None,
    err: TextIO | None = None,
    cluster: str | None = None,
) -> Summary:
    """Run the indexer, then report skipped files on `err` and the summary line on `out`."""
    out = out or sys.stdout
    err = err or sys.stderr
    spec = resolve_cluster(cluster)
    with progress_bar(err) as progress, _cluster_client(spec) as client:
        summary = run(
            list(paths),
            index_dir,
            rebuild=rebuild,
            wait=wait,
            workers=workers,
            progress=progress,
            commit_every=commit_every,
            use_cache=use_cache,
            cluster=client,
        )
    for item in summary.skipped[:LIST_SKIPPED]:
        err.write(f"skipped {item.path}: {item.reason}\n")
    if len(summary.skipped) > LIST_SKIPPED:
        err.write(f"... and {len(summary.skipped) - LIST_SKIPPED} more skipped\n")
    out.write(summary.line() + "\n")
    if (notice := summary.notice()) is not None:
        err.write(notice + "\n")
    out.flush()
    return summary


@contextmanager
def _cluster_client(spec: ClusterSpec | None) -> Iterator[Any]:
    """A Dask client when a cluster is asked for (--cluster, NEWSDEX_CLUSTER, config), else None."""
    if spec is None:
        yield None
        return
    with connect(spec) as client:
        yield client
