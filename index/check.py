"""`newsdex check`: verify an index by reading all of it, and list files that belong to nothing.

Whoosh keeps no checksums: newsdex records one per segment file at commit, and check reads
every segment besides.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from whoosh.index import Index

from index import schema as S
from index import whoosh_door as door
from index.errors import DuplicateIds
from index.lock import LOCK_FILE
from index.meta import META_FILE

KNOWN = {META_FILE, door.WRITELOCK, LOCK_FILE, door.SUMS_FILE, door.STAGING, door.TEMP_DIR}


@dataclass
class CheckReport:
    directory: str
    segments: int = 0
    documents: int = 0
    deleted: int = 0
    terms: int = 0
    orphans: list[str] = field(default_factory=list)


def check_index(directory: Path) -> CheckReport:
    """Open every segment, read every stored document and term, compare each segment file with
    the checksum recorded at its commit; IndexDamaged on any failure or duplicate id."""
    door.require_index(directory)
    # A writer's commit may remove a file between two reads: the check is then run once more.
    return door.retry_commits(directory, lambda: _check(directory))


def _check(directory: Path) -> CheckReport:
    report = CheckReport(str(directory))
    ix = door.open_index(directory)
    door.verify(directory, ix)  # first: a changed file is named, whatever reading it would raise
    with door.reading(directory):
        segments = door.segments(ix)
        report.segments = len(segments)
        _read_all(ix, report, directory)
        files = door.segment_files(directory, segments)
    live = {door.toc_name(ix.latest_generation()), *files}
    report.orphans = sorted(p.name for p in directory.iterdir() if p.name not in KNOWN | live)
    return report


def _read_all(ix: Index, report: CheckReport, directory: Path) -> None:
    ids: set[str] = set()
    with ix.reader() as reader:
        for fields in reader.all_stored_fields():
            if S.ID not in fields:
                raise ValueError("a stored document has no id")
            if fields[S.ID] in ids:
                raise DuplicateIds(str(directory), fields[S.ID])
            ids.add(fields[S.ID])
            report.documents += 1
        report.deleted = reader.doc_count_all() - reader.doc_count()
        for name in reader.indexed_field_names():
            report.terms += sum(1 for _ in reader.lexicon(name))
