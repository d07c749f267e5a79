"""The indexing run: discover files, skip unchanged ones, read, clean, extract and write the rest.

Steps before the writer are pure functions over picklable records, run on a process pool or a
Dask cluster; what a worker returns is one extraction record per article (index/record.py).
"""

from __future__ import annotations

import contextlib
import functools
import itertools
import multiprocessing
import os
import shutil
import signal
import sqlite3
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from index import schema as S
from index.cache import ExtractionCache, extraction_fingerprint
from index.clean import DEFAULT_RULES, Rule
from index.config import COMMIT_EVERY
from index.errors import WRITE_ERRNOS, WriteRefused
from index.model import Skipped, SourceFile
from index.ner_agree import require_pipeline
from index.record import Done, Work, documents, extract_records

if TYPE_CHECKING:
    from index.meta import IndexMeta
    from index.orgs import AliasFile

# Below this many articles the pool's start-up (a model load per worker) costs more than it saves.
POOL_MIN_ARTICLES = 48
# Articles per unit of work sent to an extraction worker.
BATCH_ARTICLES = 16


@dataclass(frozen=True)
class Progress:
    """A progress event: `done` of the `total` files to read are indexed."""

    done: int
    total: int


ProgressCallback = Callable[[Progress], None]


@dataclass(frozen=True)
class Settings:
    """What a run takes from outside the corpus. The library never reads the user's config
    file: the faces (search.indexing) read it and pass the rules, alias files and cache in."""

    rules: tuple[Rule, ...] = DEFAULT_RULES
    # User alias files, already read and checked (index.orgs.read_alias_files).
    alias_files: tuple[AliasFile, ...] = ()
    # The shared extraction cache's file; None runs without one.
    cache_file: Path | None = None
    # The pipeline whose ORG spans the stock model's must agree with (index.ner_agree,
    # `newsdex index --accurate`); "" extracts with the stock model alone.
    second_model: str = ""


@dataclass(frozen=True)
class FileResult:
    """One file read and extracted: its documents ready for the writer, and what was skipped."""

    source: SourceFile
    docs: list[S.IndexDocument]
    skipped: list[Skipped]


@dataclass
class Summary:
    """What a run did, as data; search.indexing words it."""

    new: int = 0
    updated: int = 0
    removed: int = 0
    unchanged: int = 0
    articles: int = 0
    skipped: list[Skipped] = field(default_factory=list)
    elapsed: float = 0.0
    interrupted: bool = False
    committed: int = 0  # articles written and committed (all of them, unless interrupted)
    cached: int = 0  # articles whose entities came from the extraction cache
    merged: bool = False  # the run ended by merging the index into one segment
    # Unchanged files whose entities an earlier newsdex (or other alias files) extracted.
    stale: int = 0
    dropped: bool = False  # an interrupted --rebuild: nothing changed, the old index answers
    cluster: dict[str, int] = field(default_factory=dict)  # tasks sent, most_in_flight (Dask)

    @property
    def rate(self) -> float:
        return self.articles / self.elapsed if self.elapsed > 0 else 0.0


def _extracted(
    imap: Callable[[Iterable[list[Work]]], Iterable[list[str]]],
    batches: Iterable[list[Work]],
    extraction: str | None,
) -> Iterator[list[Done]]:
    """Run the extraction job over the batches with `imap` (index.cluster.distributed_map) and
    turn each batch's records (index/record.py, the unit of work) into documents, in order."""
    sent: deque[list[Work]] = deque()  # handed out in order, so results pair with them in order

    def remembered() -> Iterator[list[Work]]:
        for batch in batches:
            sent.append(batch)
            yield batch

    for texts in imap(remembered()):
        yield documents(sent.popleft(), texts, extraction)


def extract_documents(
    items: Sequence[Work], alias_files: tuple[AliasFile, ...] = (), second: str = ""
) -> list[Done]:
    """The pool worker's job: the batch's records (the same job a Dask worker runs), turned into
    documents here in the worker, so the parent's feeder thread hands out batches unwatched."""
    return documents(items, extract_records(items, alias_files, second), None)


@dataclass
class _Pending:
    """A file read in the feeder, waiting for its articles to come back extracted."""

    source: SourceFile
    expected: int
    skipped: list[Skipped]
    docs: list[S.IndexDocument] = field(default_factory=list)


def _batches(
    files: Sequence[SourceFile],
    rules: Sequence[Rule],
    pending: deque[_Pending],
    cache: ExtractionCache | None,
) -> Iterator[list[Work]]:
    """Read files in order and cut their articles into batches, noting each file in `pending`
    before any batch that holds its articles is handed out."""
    from index.read import read_source

    batch: list[Work] = []
    for src in files:
        articles, skipped = read_source(src, rules)
        pending.append(_Pending(src, len(articles), skipped))
        for article in articles:
            batch.append((article, cache.get(article) if cache else None))
            if len(batch) >= BATCH_ARTICLES:
                yield batch
                batch = []
    if batch:
        yield batch


def prepared(
    files: Sequence[SourceFile],
    rules: Sequence[Rule],
    workers: int | None = None,
    cache: ExtractionCache | None = None,
    alias_files: tuple[AliasFile, ...] = (),
    cluster: Any = None,
    stats: dict[str, int] | None = None,
    second: str = "",
) -> Iterator[FileResult]:
    """Files read, extracted and converted, in input order; on a process pool (all cores by
    default) when enough articles miss the cache to pay for it, or on a Dask `cluster` client
    (index/cluster.py). Reading overlaps extraction."""
    workers = workers or os.cpu_count() or 1
    # The alias files travel with each batch: forkserver workers share no state with the parent.
    extract = functools.partial(extract_documents, alias_files=alias_files, second=second)
    pending: deque[_Pending] = deque()
    batches = _batches(files, rules, pending, cache)
    if cluster is not None:
        from index.cluster import distributed_map

        # A worker elsewhere may run another newsdex: its records must name this extraction.
        here = extraction_fingerprint(*alias_files, second=second)
        imap = functools.partial(
            distributed_map, cluster, alias_files=alias_files, stats=stats, second=second
        )
        yield from _assemble(_extracted(imap, batches, here), pending, cache)
        return
    first = list(itertools.islice(batches, POOL_MIN_ARTICLES // BATCH_ARTICLES + 1))
    misses = sum(1 for batch in first for _, cached in batch if cached is None)
    stream = itertools.chain(first, batches)
    if workers <= 1 or misses < POOL_MIN_ARTICLES:
        yield from _assemble(map(extract, stream), pending, cache)
        return
    method = "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"
    with multiprocessing.get_context(method).Pool(workers, _ignore_interrupts) as pool:
        try:
            yield from _assemble(pool.imap(extract, stream), pending, cache)
        except BaseException:
            pool.terminate()
            raise


def _ignore_interrupts() -> None:
    """Ctrl-C reaches every process of the terminal: the parent stops the pool and says so in
    one line, so a worker must not die printing its own KeyboardInterrupt traceback."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _assemble(
    results: Iterable[list[Done]], pending: deque[_Pending], cache: ExtractionCache | None
) -> Iterator[FileResult]:
    """Regroup batches of documents into whole files, in order; remember fresh extractions."""
    for done in itertools.chain(results, [[]]):
        if cache is not None:
            cache.put_many((doc.body, ents) for doc, ents in done if ents is not None)
        queue = [doc for doc, _ in done]
        while pending:
            head = pending[0]
            take = head.expected - len(head.docs)
            head.docs.extend(queue[:take])
            queue = queue[take:]
            if len(head.docs) < head.expected:
                break
            pending.popleft()
            yield FileResult(head.source, head.docs, head.skipped)


def run(
    paths: Sequence[Path],
    index_dir: Path,
    *,
    rebuild: bool = False,
    wait: float = 0.0,
    workers: int | None = None,
    progress: ProgressCallback | None = None,
    commit_every: int = COMMIT_EVERY,
    settings: Settings = Settings(),
    exclude: Sequence[str] = (),
    cluster: Any = None,
) -> Summary:
    """Bring the index at `index_dir` up to date with `paths` (or with its recorded roots);
    `exclude` globs leave files out as lines of a .newsdexignore would; `cluster`, a Dask client,
    extracts there instead of on the process pool (index/cluster.py)."""
    from index.lock import run_lock

    started = time.monotonic()
    # Planning, writing and the recorded roots all happen under the run lock: a second writer
    # plans from what the first one committed.
    summary = Summary()
    try:
        with run_lock(index_dir, wait):
            _run_locked(
                _Run(
                    paths,
                    index_dir,
                    rebuild,
                    wait,
                    workers,
                    progress,
                    commit_every,
                    settings,
                    exclude,
                    cluster,
                ),
                summary,
            )
    except OSError as exc:  # the file system refused a write: say so, keep what was committed
        if exc.errno not in WRITE_ERRNOS:
            raise
        if rebuild:
            kept = "the index is as it was before the rebuild"
        else:
            kept = f"{summary.committed:,} article(s) of this run were committed and are kept"
        raise WriteRefused(str(index_dir), exc, kept) from exc
    summary.elapsed = time.monotonic() - started
    return summary


@dataclass(frozen=True)
class _Run:
    paths: Sequence[Path]
    index_dir: Path
    rebuild: bool
    wait: float
    workers: int | None
    progress: ProgressCallback | None
    commit_every: int
    settings: Settings
    exclude: Sequence[str]
    cluster: Any = None


def _run_locked(job: _Run, summary: Summary) -> None:
    """The run, under the lock. A rebuild writes a new index into a staging folder and swaps it
    in only when complete (index.whoosh_door.publish): interrupted, the old index stays."""
    from index import whoosh_door as door
    from index.writer import (
        BatchWriter,
        IndexMeta,
        indexed_fingerprints,
        open_for_writing,
        refuse_foreign,
        should_merge,
    )

    rules, alias_files = job.settings.rules, job.settings.alias_files
    second = job.settings.second_model
    if second:
        require_pipeline(second)  # one line now, not a worker's error midway
    target = job.index_dir / door.STAGING if job.rebuild else job.index_dir
    if job.rebuild:
        refuse_foreign(job.index_dir)
        door.clean_leftovers(job.index_dir)
    ix = open_for_writing(target)
    meta = IndexMeta.load(job.index_dir)
    roots = [p.expanduser().resolve() for p in job.paths] or [Path(r) for r in meta.roots]
    state = indexed_fingerprints(ix)
    before = ix.doc_count()
    todo, gone = _plan(roots, state, summary, job.exclude)
    if job.progress:
        job.progress(Progress(0, len(todo)))
    writer = BatchWriter(ix, target, wait=job.wait, batch_docs=job.commit_every)
    cache = _open_cache(job.settings) if todo else None
    if not job.rebuild and (todo or gone):  # so that a run killed midway leaves a true record
        extraction = _extraction_before(meta, job.settings, state)
        _record_before_writing(meta, job.index_dir, roots, extraction, second)
    try:
        for source in gone:
            writer.remove_source(source)
            summary.removed += 1
        results = prepared(
            todo, rules, job.workers, cache, alias_files, job.cluster, summary.cluster, second
        )
        for done, result in enumerate(results, start=1):
            indexed = result.source.path in state
            writer.replace_source(result.source.path, result.docs, indexed)
            summary.skipped.extend(result.skipped)
            summary.articles += len(result.docs)
            _count(summary, indexed, bool(result.docs))
            summary.committed = writer.committed_articles
            if job.progress:
                job.progress(Progress(done, len(todo)))
        summary.merged = should_merge(summary.articles, before, job.commit_every)
        writer.commit(merge=summary.merged)
    except KeyboardInterrupt:
        writer.cancel()
        summary.interrupted = True
    except OSError:  # a refused write: what was committed stays; a rebuild's staging goes
        summary.committed = writer.committed_articles
        _cancel_quietly(writer)
        if job.rebuild:
            shutil.rmtree(target, ignore_errors=True)
        raise
    finally:
        if cache is not None:
            summary.cached = cache.hits
            cache.close()
    summary.committed = writer.committed_articles
    kept = [] if job.rebuild else meta.roots
    meta.roots = sorted({*kept, *(str(r) for r in roots)})
    meta.extraction = _extraction_now(meta.extraction, job.settings, state, summary)
    meta.second_model = second
    meta.schema_version = S.SCHEMA_VERSION
    if job.rebuild:
        _finish_rebuild(target, job.index_dir, meta, summary)
    else:
        meta.save(job.index_dir)


def _cancel_quietly(writer: Any) -> None:
    """Drop the uncommitted batch after a refused write; cancelling may be refused too (its
    files are then leftovers that the next run cleans under the lock)."""
    with contextlib.suppress(OSError):
        writer.cancel()


def _finish_rebuild(staging: Path, index_dir: Path, meta: Any, summary: Summary) -> None:
    """Swap the rebuilt index in; an interrupted rebuild is dropped and the old index stays."""
    from index import whoosh_door as door

    if summary.interrupted:
        shutil.rmtree(staging, ignore_errors=True)
        summary.committed, summary.dropped = 0, True
        return
    meta.save(index_dir)
    door.publish(staging, index_dir)


def _record_before_writing(
    meta: IndexMeta, index_dir: Path, roots: Sequence[Path], extraction: str, second: str
) -> None:
    meta.roots = sorted({*meta.roots, *(str(r) for r in roots)})
    meta.extraction, meta.second_model = extraction, second
    meta.save(index_dir)


def _fingerprint(settings: Settings) -> str:
    return extraction_fingerprint(*settings.alias_files, second=settings.second_model)


def _extraction_before(meta: IndexMeta, settings: Settings, state: dict[str, str]) -> str:
    """What the index's entities come from while this run writes: without it, a killed first run
    left no record and every later run printed a false "earlier version" note."""
    current = _fingerprint(settings)
    return current if not state or meta.extraction == current else ""


def _extraction_now(
    recorded: str, settings: Settings, state: dict[str, str], summary: Summary
) -> str:
    """The extraction the index's entities now come from: this run's when it extracted every
    file the index holds, else the recorded one if it still matches, else unknown ("")."""
    current = _fingerprint(settings)
    if not state or recorded == current:
        return current  # a new (or rebuilt) index, or one extracted alike throughout
    if summary.interrupted:
        return ""  # some files extracted now, some before
    if summary.unchanged == 0:
        return current
    summary.stale = summary.unchanged
    return ""


def _count(summary: Summary, indexed: bool, has_articles: bool) -> None:
    """A file read is new or updated; one that now yields nothing (skipped) only loses its old
    articles, if it had any."""
    if has_articles:
        if indexed:
            summary.updated += 1
        else:
            summary.new += 1
    elif indexed:
        summary.removed += 1


def _plan(
    roots: Sequence[Path], state: dict[str, str], summary: Summary, exclude: Sequence[str] = ()
) -> tuple[list[SourceFile], list[str]]:
    """Files to (re)index, and indexed files that are gone; counts unchanged and skipped."""
    from index.read import discover

    todo: list[SourceFile] = []
    seen: set[str] = set()
    for found in discover(roots, exclude):
        seen.add(found.path)
        if isinstance(found, Skipped):
            summary.skipped.append(found)
        elif state.get(found.path) == found.fingerprint:
            summary.unchanged += 1
        else:
            todo.append(found)
    gone = [s for s in state if s not in seen and _under(s, roots) and not os.path.exists(s)]
    return todo, gone


def _open_cache(settings: Settings) -> ExtractionCache | None:
    """The shared extraction cache at `path`, or none when there is no path or its folder cannot
    be written (a warning-free fallback: the run is only slower)."""
    if settings.cache_file is None:
        return None
    try:
        return ExtractionCache(settings.cache_file, _fingerprint(settings))
    except (OSError, sqlite3.Error):
        return None


def _under(source: str, roots: Sequence[Path]) -> bool:
    path = Path(source)
    return any(path == root or root in path.parents for root in roots)
