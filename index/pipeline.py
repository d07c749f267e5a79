"""The indexing run: discover files, skip unchanged ones, read, clean, extract and write the rest.

Steps before the writer are pure functions over picklable records, run on a process pool.
"""

from __future__ import annotations

import multiprocessing
import os
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from index.clean import Rule, load_rules
from index.config import config_file
from index.model import Skipped, SourceFile

# Below this many files the pool's start-up (a model load per worker) costs more than it saves.
POOL_MIN_FILES = 48
CHUNK_FILES = 8

ProgressCallback = Callable[[int, int], None]


@dataclass(frozen=True)
class FileResult:
    """One file read and extracted: its documents ready for the writer, and what was skipped."""

    source: SourceFile
    docs: list[dict[str, Any]]
    skipped: list[Skipped]


@dataclass
class Summary:
    new: int = 0
    updated: int = 0
    removed: int = 0
    unchanged: int = 0
    articles: int = 0
    skipped: list[Skipped] = field(default_factory=list)
    elapsed: float = 0.0
    interrupted: bool = False

    @property
    def rate(self) -> float:
        return self.articles / self.elapsed if self.elapsed > 0 else 0.0

    def line(self) -> str:
        """The one summary line a run ends with."""
        reasons: dict[str, int] = {}
        for item in self.skipped:
            key = item.reason.split(":")[0]
            reasons[key] = reasons.get(key, 0) + 1
        why = ", ".join(f"{n} {reason}" for reason, n in sorted(reasons.items()))
        skipped = f"{len(self.skipped)} skipped" + (f" ({why})" if why else "")
        head = "Interrupted: committed so far" if self.interrupted else "Indexed"
        return (
            f"{head}: {self.new} new, {self.updated} updated, {self.removed} removed, "
            f"{self.unchanged} unchanged, {skipped}; {self.articles} articles "
            f"in {self.elapsed:.1f} s ({self.rate:.1f} articles/s)"
        )


def prepare_files(files: Sequence[SourceFile], rules: Sequence[Rule]) -> list[FileResult]:
    """Read, clean, extract and convert a chunk of files: the unit of work of a worker process."""
    from index.extract import extract_batch
    from index.fields import to_document
    from index.read import read_source

    read = [read_source(src, rules) for src in files]
    articles = [a for arts, _ in read for a in arts]
    extracted = iter(extract_batch(articles))
    results = []
    for src, (arts, skipped) in zip(files, read, strict=True):
        docs = [to_document(next(extracted)) for _ in arts]
        results.append(FileResult(src, docs, skipped))
    return results


def _chunks(files: Sequence[SourceFile], size: int) -> Iterator[list[SourceFile]]:
    for start in range(0, len(files), size):
        yield list(files[start : start + size])


def prepared(
    files: Sequence[SourceFile], rules: Sequence[Rule], workers: int | None = None
) -> Iterator[FileResult]:
    """Results in input order; on all cores when there are enough files to pay for the pool."""
    workers = workers or os.cpu_count() or 1
    chunks = _chunks(files, CHUNK_FILES)
    if workers <= 1 or len(files) < POOL_MIN_FILES:
        for chunk in chunks:
            yield from prepare_files(chunk, rules)
        return
    method = "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"
    with multiprocessing.get_context(method).Pool(workers) as pool:
        try:
            for results in pool.imap(_PrepareTask(tuple(rules)), chunks):
                yield from results
        except BaseException:
            pool.terminate()
            raise


@dataclass(frozen=True)
class _PrepareTask:
    rules: tuple[Rule, ...]

    def __call__(self, files: list[SourceFile]) -> list[FileResult]:
        return prepare_files(files, self.rules)


def run(
    paths: Sequence[Path],
    index_dir: Path,
    *,
    rebuild: bool = False,
    wait: float = 0.0,
    workers: int | None = None,
    progress: ProgressCallback | None = None,
) -> Summary:
    """Bring the index at `index_dir` up to date with `paths` (or with its recorded roots)."""
    from index.read import discover
    from index.writer import BatchWriter, IndexMeta, indexed_fingerprints, open_for_writing

    started = time.monotonic()
    rules = load_rules(config_file())
    ix = open_for_writing(index_dir, rebuild=rebuild)
    meta = IndexMeta.load(index_dir)
    roots = [p.expanduser().resolve() for p in paths] or [Path(r) for r in meta.roots]
    state = indexed_fingerprints(ix)
    summary = Summary()
    todo: list[SourceFile] = []
    seen: set[str] = set()
    for found in discover(roots):
        if isinstance(found, Skipped):
            summary.skipped.append(found)
            seen.add(found.path)
        elif state.get(found.path) == found.fingerprint:
            summary.unchanged += 1
            seen.add(found.path)
        else:
            todo.append(found)
            seen.add(found.path)
    gone = [s for s in state if s not in seen and _under(s, roots) and not os.path.exists(s)]
    writer = BatchWriter(ix, index_dir, wait=wait)
    try:
        for source in gone:
            writer.remove_source(source)
            summary.removed += 1
        for done, result in enumerate(prepared(todo, rules, workers), start=1):
            writer.replace_source(result.source.path, result.docs)
            summary.skipped.extend(result.skipped)
            summary.articles += len(result.docs)
            if result.source.path in state:
                summary.updated += 1
            else:
                summary.new += 1
            if progress:
                progress(done, len(todo))
        writer.commit()
    except KeyboardInterrupt:
        writer.cancel()
        summary.interrupted = True
    meta.roots = sorted({*meta.roots, *(str(r) for r in roots)})
    meta.save(index_dir)
    summary.elapsed = time.monotonic() - started
    return summary


def _under(source: str, roots: Sequence[Path]) -> bool:
    path = Path(source)
    return any(path == root or root in path.parents for root in roots)
