"""Indexing as the command line and the shell show it: a progress bar on a terminal, a summary.

The work itself is index.pipeline.run, which returns data (progress events, a Summary) and reads
no user file: this module reads the user's config for it and words what it returns.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TextIO

from index.cache import CACHE_FILE
from index.clean import load_rules
from index.cluster import CLUSTER_ENV, ClusterSpec, connect, parse_cluster
from index.config import COMMIT_EVERY, config_file, config_flag, config_value, user_cache_dir
from index.meta import IndexMeta
from index.ner_agree import ACCURATE_MODEL
from index.pipeline import Progress, ProgressCallback, Settings, Summary, run

# Skipped files listed one per line before the summary; past this many, only a count.
LIST_SKIPPED = 20


@contextmanager
def progress_bar(stream: TextIO) -> Iterator[ProgressCallback | None]:
    """A rich progress bar on a terminal; nothing when the output is piped."""
    if not stream.isatty():
        yield None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, TimeRemainingColumn
    from rich.progress import Progress as Bar

    with Bar(
        "[progress.description]{task.description}",
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=Console(file=stream),
        transient=True,
    ) as bar:
        task = bar.add_task("indexing files", total=None)

        def update(event: Progress) -> None:
            bar.update(task, completed=event.done, total=event.total)

        yield update


def user_settings(
    index_dir: Path, use_cache: bool = True, accurate: bool | None = None
) -> Settings:
    """The user's boilerplate rules and alias files (the config file, then the index's own alias
    file), read and checked once here so a mistake is one clear error, the shared cache, and
    the extraction mode (resolve_accurate)."""
    from index.orgs import read_alias_files

    return Settings(
        rules=tuple(load_rules(config_file())),
        alias_files=read_alias_files(index_dir),
        cache_file=user_cache_dir() / CACHE_FILE if use_cache else None,
        second_model=resolve_accurate(index_dir, accurate),
    )


def resolve_accurate(index_dir: Path, flag: bool | None) -> str:
    """The --accurate pipeline to extract with, "" for the stock model: --accurate/--stock >
    the mode the index recorded (so an update, a rebuild or --watch keeps its mode) >
    `accurate = true` in the config file (new indexes) > the stock model."""
    if flag is None:
        recorded = IndexMeta.load(index_dir)
        if recorded.schema_version:  # an index newsdex wrote
            return recorded.second_model
        flag = config_flag("accurate") or False
    return ACCURATE_MODEL if flag else ""


def mode_notice(index_dir: Path, second: str) -> str | None:
    """A line when this run extracts in another mode than the index recorded: the files it
    does not re-read keep their entities (stale_notice counts them)."""
    recorded = IndexMeta.load(index_dir)
    if not recorded.schema_version or recorded.second_model == second:
        return None
    now, before = ("--accurate", "--stock") if second else ("--stock", "--accurate")
    return (
        f"Note: this index was built with {before}; this run extracts with {now} "
        f"(newsdex index --rebuild {now} makes every article alike)"
    )


def summary_line(summary: Summary) -> str:
    """The one summary line a run ends with."""
    if summary.dropped:
        return "Interrupted: the rebuild was dropped; the index is as it was before"
    if summary.interrupted:
        return (
            f"Interrupted: {summary.committed} articles committed and searchable; "
            "run the same command again to finish"
        )
    reasons: dict[str, int] = {}
    for item in (item for item in summary.skipped if not item.cut):  # notes: listed, not counted
        key = re.sub(r" on line \d+", "", item.reason.split(":")[0])
        reasons[key] = reasons.get(key, 0) + 1
    why = ", ".join(f"{n} {reason}" for reason, n in sorted(reasons.items()))
    skipped = f"{sum(reasons.values())} skipped" + (f" ({why})" if why else "")
    cached = f", {summary.cached} from cache" if summary.cached else ""
    return (
        f"Indexed: {summary.new} new, {summary.updated} updated, {summary.removed} removed, "
        f"{summary.unchanged} unchanged, {skipped}; {summary.articles} articles "
        f"in {summary.elapsed:.1f} s ({summary.rate:.1f} articles/s{cached})"
    )


def stale_notice(summary: Summary) -> str | None:
    """A second line when the index mixes in entities from an earlier extraction."""
    if not summary.stale:
        return None
    return (
        f"Note: {summary.stale} unchanged files keep the entities an earlier version of newsdex "
        "(or other alias files) extracted; newsdex index --rebuild extracts them again"
    )


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
    exclude: Sequence[str] = (),
    cluster: str | None = None,
    accurate: bool | None = None,
) -> Summary:
    """Run the indexer, then report skipped files on `err` and the summary line on `out`;
    `accurate` is --accurate/--stock, None for the index's recorded mode (resolve_accurate)."""
    out = out or sys.stdout
    err = err or sys.stderr
    spec = resolve_cluster(cluster)
    settings = user_settings(index_dir, use_cache, accurate)
    if not rebuild and (notice := mode_notice(index_dir, settings.second_model)) is not None:
        err.write(notice + "\n")
    with progress_bar(err) as progress, _cluster_client(spec) as client:
        summary = run(
            list(paths),
            index_dir,
            rebuild=rebuild,
            wait=wait,
            workers=workers,
            progress=progress,
            commit_every=commit_every,
            settings=settings,
            exclude=exclude,
            cluster=client,
        )
    for item in summary.skipped[:LIST_SKIPPED]:
        err.write(f"{'note' if item.cut else 'skipped'} {item.path}: {item.reason}\n")
    if len(summary.skipped) > LIST_SKIPPED:
        err.write(f"... and {len(summary.skipped) - LIST_SKIPPED} more skipped\n")
    out.write(summary_line(summary) + "\n")
    if (notice := stale_notice(summary)) is not None:
        err.write(notice + "\n")
    out.flush()
    return summary


def resolve_cluster(flag: str | None) -> ClusterSpec | None:
    """--cluster > $NEWSDEX_CLUSTER > `cluster = "..."` in the config file > none (the pool)."""
    text = flag or os.environ.get(CLUSTER_ENV) or config_value("cluster")
    return parse_cluster(text) if text else None


@contextmanager
def _cluster_client(spec: ClusterSpec | None) -> Iterator[Any]:
    """A Dask client when a cluster is asked for (--cluster, NEWSDEX_CLUSTER, config), else None."""
    if spec is None:
        yield None
        return
    with connect(spec) as client:
        yield client
