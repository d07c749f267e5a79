"""Errors worded for a person at the command line or the shell: what is wrong, then the fix.

index/ raises errors with fields and no flags (index.errors); the fix names the commands and
flags, which only the faces know.
"""

from __future__ import annotations

import errno
from typing import TYPE_CHECKING

from index.errors import (
    ClusterError,
    DocumentNotFound,
    DuplicateIds,
    IndexBusy,
    IndexDamaged,
    IndexNotFound,
    IndexOutdated,
    MissingExtra,
    NewsdexError,
    NotAFolder,
    NotAnIndex,
    WriteRefused,
)

if TYPE_CHECKING:
    from index.check import CheckReport

_WRITE_FIX = "Give --index a folder you can write to"
_WRITE_FIXES = {
    errno.ENOSPC: "Free some space on that disk (or give --index a folder on another)",
    errno.EDQUOT: "Free some of your disk quota (or give --index a folder elsewhere)",
    errno.EROFS: "The file system is read-only: remount it writable (or give --index a folder "
    "elsewhere)",
    errno.EFBIG: "A file outgrew the size limit (ulimit -f): raise it",
    errno.EACCES: "Make the folder writable for you (or give --index a folder elsewhere)",
    errno.EPERM: "Make the folder writable for you (or give --index a folder elsewhere)",
}


def fix(exc: NewsdexError) -> str | None:
    """The command or flag that fixes `exc`, or None when its message already says it."""
    if isinstance(exc, IndexNotFound):
        return f"Create one with: newsdex index PATH --index {exc.directory}"
    if isinstance(exc, DuplicateIds):
        return f"Repair it with: newsdex index --index {exc.directory}"
    if isinstance(exc, IndexDamaged):
        return (
            f"Rebuild it with: newsdex index --index {exc.directory} --rebuild "
            "(it re-reads the folders the index recorded; add PATH if it recorded none)"
        )
    if isinstance(exc, IndexOutdated):
        return (
            f"Rebuild it with: newsdex index --index {exc.directory} --rebuild "
            "(it re-reads the folders the index recorded)"
        )
    if isinstance(exc, NotAFolder):
        return "Pass a folder with --index DIR"
    if isinstance(exc, NotAnIndex):
        return "Pass an empty or new folder with --index DIR"
    if isinstance(exc, ClusterError):
        return (
            "Give --cluster local:N (N workers here) or tcp://HOST:8786 (a running scheduler: "
            "start one with `dask scheduler`)"
        )
    if isinstance(exc, MissingExtra):
        return f"Install it with: pip install 'newsdex[{exc.extra}]'"
    if isinstance(exc, IndexBusy):
        return "Wait for it to finish, or pass --wait SECONDS"
    if isinstance(exc, WriteRefused):
        return f"{_WRITE_FIXES.get(exc.errno or 0, _WRITE_FIX)}, then run the same command again"
    if isinstance(exc, DocumentNotFound):
        return "List ids with: newsdex search QUERY --format ids"
    return None


def describe(exc: NewsdexError) -> str:
    """One line: the error, then its fix."""
    remedy = fix(exc)
    return f"{exc}. {remedy}" if remedy else str(exc)


def refused_write(exc: OSError) -> str | None:
    """One line for a write the file system refused outside the index's own writers (a saved
    search, an alias file), or None when `exc` is no such refusal."""
    if exc.errno not in (errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EFBIG):
        return None
    where = f" {exc.filename}" if exc.filename else ""
    return f"Cannot write{where}: {exc.strerror}. {_WRITE_FIXES[exc.errno]}, then run it again"


def checked(report: CheckReport) -> str:
    """`newsdex check`'s line for an index found sound."""
    orphans = f"; {len(report.orphans)} orphaned files (removed at the next commit)"
    return (
        f"Index OK: {report.documents:,} documents in {report.segments} segments, "
        f"{report.terms:,} terms" + (orphans if report.orphans else "")
    )
