"""The only code that writes to a Whoosh index: create or open it, read what it holds, write batches.

Each batch is one commit, so an interrupted run keeps every batch committed before it.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from whoosh import index as windex
from whoosh.index import Index, LockError
from whoosh.writing import IndexWriter

from index import schema as S
from index import whoosh_door as door
from index.config import COMMIT_EVERY
from index.errors import (
    WRITE_ERRNOS,
    IndexBusy,
    IndexOutdated,
    NotAFolder,
    NotAnIndex,
    WriteRefused,
)
from index.lock import LOCK_FILE, run_lock
from index.meta import KEPT_FILES, META_FILE, IndexMeta, is_index

# Whoosh's in-memory pool per writer before it spills to disk; larger means fewer segment merges.
LIMIT_MB = 256
# A run that wrote at least this share of the index, over more than one batch, ends by merging
# the index into one segment: every segment costs each query a look-up per word. Measured on the
# 50k corpus (bench/results/speed-50k-merge.md): a 288 s merge, a sixth of the indexing run,
# took the p50 from 1.02x to 0.70x raw Whoosh. Smaller runs leave it to Whoosh's merge policy.
MERGE_SHARE = 0.25


def should_merge(written: int, before: int, batch_docs: int = COMMIT_EVERY) -> bool:
    """Whether a run that wrote `written` articles into an index of `before` ends with a merge."""
    return written > batch_docs and written >= MERGE_SHARE * (before + written)


def open_for_writing(directory: Path) -> Index:
    """Open the index at `directory`, creating it in a new or empty folder. The caller holds the
    run lock (index.lock), so leftovers of killed runs can go first."""
    if directory.exists() and not directory.is_dir():
        raise NotAFolder(str(directory))
    if directory.is_dir():
        door.clean_leftovers(directory)
    if not is_index(directory):
        if (directory / META_FILE).is_file():
            door.require_index(directory)  # newsdex's folder, its TOC gone: damage, not new
        refuse_foreign(directory)
        directory.mkdir(parents=True, exist_ok=True)
        ix = windex.create_in(str(directory), S.build_schema())
        IndexMeta().save(directory)
        return ix
    meta = IndexMeta.load(directory)
    if meta.schema_version != S.SCHEMA_VERSION:
        raise IndexOutdated(str(directory), meta.schema_version, S.SCHEMA_VERSION)
    ix = door.open_index(directory)
    door.verify(directory, ix)  # never write on top of a segment whose bytes changed
    return ix


def refuse_foreign(directory: Path) -> None:
    """NotAnIndex for a folder that holds files newsdex did not write and no index: an index
    folder is never one where other files could be lost."""
    if is_index(directory) or not directory.is_dir():
        return
    if any(not _is_ours(child.name) for child in directory.iterdir()):
        raise NotAnIndex(str(directory))


def _is_ours(name: str) -> bool:
    """Files a newsdex run (perhaps a killed one) leaves in an index folder that holds no TOC."""
    return name in {
        LOCK_FILE,
        META_FILE,
        door.SUMS_FILE,
        door.WRITELOCK,
        *KEPT_FILES,
    } or name.startswith(("_MAIN_", "MAIN_", "newsdex."))


def indexed_fingerprints(ix: Index) -> dict[str, str]:
    """source path -> fingerprint of every file in the index, read from columns (no stored bodies)."""
    state: dict[str, str] = {}
    with door.reading(Path(ix.storage.folder)), ix.reader() as reader:
        if reader.doc_count() == 0:
            return state
        sources = reader.column_reader(S.SOURCE)
        prints = reader.column_reader(S.FINGERPRINT)
        for docnum in reader.all_doc_ids():
            state[sources[docnum]] = prints[docnum]
        for source in _duplicated_sources(reader, sources):
            state[source] = ""  # planned as changed: its copies go, it is written once again
    return state


def _duplicated_sources(reader: Any, sources: Any) -> set[str]:
    """Sources of articles the index holds twice (`check` reports them; `index` repairs them)."""
    found: set[str] = set()
    for term, info in reader.iter_field(S.ID):
        if info.doc_frequency() > 1:  # counts deleted copies too: the postings do not
            docs = list(reader.postings(S.ID, term).all_ids())
            if len(docs) > 1:
                found.update(sources[docnum] for docnum in docs)
    return found


class BatchWriter:
    """Writes documents in batches, one commit each; waits politely for another writer's lock."""

    def __init__(
        self, ix: Index, directory: Path, wait: float = 0.0, batch_docs: int = COMMIT_EVERY
    ):
        self._ix = ix
        self._directory = directory
        self._wait = wait
        self._batch_docs = batch_docs
        self._writer: IndexWriter | None = None
        self._pending = 0  # changes in the open batch (documents added, deleted, sources removed)
        self._pending_articles = 0  # of which documents added
        self.committed_articles = 0  # documents added by this writer's commits

    def _open(self) -> IndexWriter:
        if self._writer is None:
            deadline = time.monotonic() + self._wait
            while True:
                try:
                    self._writer = self._ix.writer(limitmb=LIMIT_MB)
                    break
                except LockError as exc:
                    if time.monotonic() >= deadline:
                        raise IndexBusy(str(self._directory)) from exc
                    time.sleep(0.1)
        return self._writer

    def replace_source(
        self, source: str, docs: Iterable[S.IndexDocument], indexed: bool = True
    ) -> None:
        """All documents of one file: the old ones go, the new ones come, in the same commit.

        Ids derive from the source path, so deleting the source's documents is the update by
        stable id, done once per file: Whoosh's update_document opens a searcher for every
        document, which made writing 20 times slower than adding. `indexed=False` (a file the
        index has never held) skips even that one delete.
        """
        writer = self._open()
        if indexed:
            writer.delete_by_term(S.SOURCE, source)
        for doc in docs:
            writer.add_document(**doc.fields())
            self._pending += 1
            self._pending_articles += 1
        if self._pending >= self._batch_docs:
            self.commit()

    def delete(self, query: Any) -> int:
        """Delete the documents matching a query; returns how many."""
        count = int(self._open().delete_by_query(query))
        self._pending += count
        return count

    def remove_source(self, source: str) -> None:
        self._open().delete_by_term(S.SOURCE, source)
        self._pending += 1

    def commit(self, merge: bool = False) -> None:
        """Commit the batch; with `merge`, also merge the whole index into one segment."""
        if merge:
            self._open()
        if self._writer is not None:
            # Forgotten before it commits: a Ctrl-C from here on must not cancel a closed writer.
            writer, self._writer = self._writer, None
            writer.commit(optimize=merge)
            self.committed_articles += self._pending_articles
            self._pending = self._pending_articles = 0
            door.record_checksums(self._directory, self._ix)

    def cancel(self) -> None:
        """Drop the uncommitted batch; everything committed before stays."""
        if self._writer is not None:
            writer, self._writer = self._writer, None
            self._pending = self._pending_articles = 0
            # Interrupted mid-commit, cancel can fail: the previous commit is intact regardless,
            # and the lock is released when this process ends.
            with contextlib.suppress(OSError):
                writer.cancel()


def remove_documents(
    directory: Path, ids: Iterable[str] = (), paths: Iterable[Path] = (), wait: float = 10.0
) -> int:
    """Delete articles by id, and every article of the given files or folders; one commit.

    Returns how many were removed. A later `newsdex index` of a folder that still holds a
    removed file indexes it again.
    """
    from whoosh import query as wq

    door.require_index(directory)  # none: IndexNotFound; newsdex's with its TOC gone: damaged
    # Deleting reads every segment: what fails there is damage, reported as every command does.
    try:
        with run_lock(directory, wait), door.reading(directory):
            writer = BatchWriter(open_for_writing(directory), directory, wait=wait)
            removed = 0
            for doc_id in ids:
                removed += writer.delete(wq.Term(S.ID, doc_id))
            for path in paths:
                removed += writer.delete(wq.Or([_under(source) for source in _sources_of(path)]))
            writer.commit()
    except OSError as exc:
        if exc.errno not in WRITE_ERRNOS:
            raise
        raise WriteRefused(str(directory), exc, "nothing was removed") from exc
    return removed


def _sources_of(path: Path) -> set[str]:
    """The source paths a file or folder may be stored under: as found inside an indexed folder
    (its parent folders resolved, the name itself kept, so a symbolic link is the link), and with
    every link resolved (the file it points to, indexed on its own)."""
    given = path.expanduser().absolute()
    return {str(given.parent.resolve() / given.name), str(given.resolve())}


def _under(source: str) -> Any:
    from whoosh import query as wq

    return wq.Or([wq.Term(S.SOURCE, source), wq.Prefix(S.SOURCE, source + "/")])
