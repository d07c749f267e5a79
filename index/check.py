"""`newsdex check`: verify an index by reading all of it, and list files that belong to nothing.

Whoosh keeps no checksums, so the only way to find damage is to read every segment.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from whoosh import index as windex

from index import schema as S
from index.errors import WHOOSH_DAMAGE, IndexDamaged, IndexNotFound
from index.meta import META_FILE, is_index

# Reading every file for a check, an unreadable one counts as damage too.
DAMAGE: tuple[type[Exception], ...] = (*WHOOSH_DAMAGE, OSError)
KNOWN = {META_FILE, "MAIN_WRITELOCK"}


@dataclass
class CheckReport:
    directory: str
    segments: int = 0
    documents: int = 0
    deleted: int = 0
    terms: int = 0
    orphans: list[str] = field(default_factory=list)

    def line(self) -> str:
        orphans = f"; {len(self.orphans)} orphaned files (removed at the next commit)"
        return (
            f"Index OK: {self.documents} documents in {self.segments} segments, "
            f"{self.terms} terms" + (orphans if self.orphans else "")
        )


def check_index(directory: Path) -> CheckReport:
    """Open every segment, read every stored document and term; IndexDamaged on any failure."""
    if not is_index(directory):
        raise IndexNotFound(str(directory))
    report = CheckReport(str(directory))
    try:
        ix = windex.open_dir(str(directory))
        segments = ix._segments()  # whoosh has no public API for the segment list
        report.segments = len(segments)
        with ix.reader() as reader:
            for fields in reader.all_stored_fields():
                if S.ID not in fields:
                    raise ValueError("a stored document has no id")
                report.documents += 1
            report.deleted = reader.doc_count_all() - reader.doc_count()
            for name in reader.indexed_field_names():
                report.terms += sum(1 for _ in reader.lexicon(name))
        live = {f"{seg.make_filename('')}".rstrip(".") for seg in segments}
    except DAMAGE as exc:
        raise IndexDamaged(str(directory), f"{type(exc).__name__}: {exc}") from exc
    toc = f"_MAIN_{ix.latest_generation()}.toc"
    for path in sorted(directory.iterdir()):
        name = path.name
        if name in KNOWN or name == toc or any(name.startswith(seg) for seg in live):
            continue
        report.orphans.append(name)
    return report
