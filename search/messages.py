"""Errors worded for a person at the command line or the shell: what is wrong, then the fix.

index/ raises errors with fields and no flags (index.errors); the fix names the commands and
flags, which only the faces know.
"""

from __future__ import annotations

from index.errors import (
    DocumentNotFound,
    DuplicateIds,
    IndexBusy,
    IndexDamaged,
    IndexNotFound,
    NewsdexError,
)


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
    if isinstance(exc, IndexBusy):
        return "Wait for it to finish, or pass --wait SECONDS"
    if isinstance(exc, DocumentNotFound):
        return "List ids with: newsdex search QUERY --format ids"
    return None


def describe(exc: NewsdexError) -> str:
    """One line: the error, then its fix."""
    remedy = fix(exc)
    return f"{exc}. {remedy}" if remedy else str(exc)
