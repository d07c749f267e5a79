"""The domain exceptions of newsdex, each with the exit code the command line turns it into.

They carry fields (the folder, the id) and say what is wrong, never which command or flag fixes
it: that is the faces' wording (search.messages), since the library has no flags.
"""

from __future__ import annotations

import errno
import pickle
import struct
from enum import IntEnum

#: How a damaged Whoosh index shows up when it is read: Whoosh keeps no checksums, so a truncated
#: or zeroed file fails in the unpickling or unpacking of whatever read it.
WHOOSH_DAMAGE: tuple[type[Exception], ...] = (
    EOFError,
    pickle.UnpicklingError,
    struct.error,
    FileNotFoundError,
    ValueError,
    KeyError,
    IndexError,
)


def is_utf8(text: str) -> bool:
    """False for text holding bytes that are not UTF-8 (Python keeps them as lone surrogates,
    from a file name, a command-line argument or a line read with surrogateescape)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


class ExitCode(IntEnum):
    """Exit codes of every newsdex command (documented in the README and in --help)."""

    OK = 0
    NO_RESULTS = 1
    USAGE = 2
    INDEX_BUSY = 3
    INDEX_UNAVAILABLE = 4
    INTERNAL = 5  # a bug in newsdex: never the index's fault, never fixed by a rebuild
    WRITE_REFUSED = 6  # the system refused a write (disk full, read-only): committed work kept
    INTERRUPTED = 130


class NewsdexError(Exception):
    """Base of the errors that end a command with a one-line message."""

    exit_code: ExitCode = ExitCode.USAGE


class UsageError(NewsdexError):
    exit_code = ExitCode.USAGE


class QuerySyntaxError(NewsdexError):
    """A query that cannot be read; ``position`` is a 0-based character offset."""

    exit_code = ExitCode.USAGE

    def __init__(self, query: str, position: int, problem: str, hint: str) -> None:
        self.query = query
        self.position = position
        self.problem = problem
        self.hint = hint
        super().__init__(f"Query error at character {position + 1}: {problem}. {hint}")


class IndexNotFound(NewsdexError):
    exit_code = ExitCode.INDEX_UNAVAILABLE

    def __init__(self, directory: str) -> None:
        self.directory = directory
        super().__init__(f"No index at {directory}")


class IndexDamaged(NewsdexError):
    exit_code = ExitCode.INDEX_UNAVAILABLE

    def __init__(self, directory: str, detail: str) -> None:
        self.directory = directory
        self.detail = detail
        super().__init__(f"Index at {directory} is damaged ({detail})")


class DuplicateIds(IndexDamaged):
    """Two copies of one article (written by two runs before the run lock existed)."""

    def __init__(self, directory: str, doc_id: str) -> None:
        NewsdexError.__init__(
            self, f"Index at {directory} is damaged (article {doc_id} is there twice)"
        )
        self.directory = directory
        self.detail = f"article {doc_id} is there twice"
        self.doc_id = doc_id


class WriteRefused(NewsdexError):
    """The file system refused a write of the index (full, read-only, over quota, not ours).
    Nothing committed is lost; `kept` says what of the run is in the index."""

    exit_code = ExitCode.WRITE_REFUSED

    def __init__(self, directory: str, error: OSError, kept: str) -> None:
        self.directory, self.errno, self.kept = directory, error.errno, kept
        reason = error.strerror or str(error)
        super().__init__(f"Cannot write to {directory}: {reason}; {kept}")


# What a refused write looks like: errno values that say the file system, not newsdex, stopped.
WRITE_ERRNOS = frozenset(
    {errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EFBIG, errno.EACCES, errno.EPERM}
)


class NotAFolder(UsageError):
    """The index path names a file."""

    def __init__(self, directory: str) -> None:
        self.directory = directory
        super().__init__(f"{directory} is a file, not a folder")


class NotAnIndex(UsageError):
    """A folder with files newsdex did not write and no index: never written into."""

    def __init__(self, directory: str) -> None:
        self.directory = directory
        super().__init__(f"{directory} is not empty and holds no newsdex index")


class IndexOutdated(UsageError):
    """An index another version of newsdex built (another schema): readable, not writable."""

    def __init__(self, directory: str, found: int, wanted: int, field: str = "") -> None:
        self.directory, self.found, self.wanted, self.field = directory, found, wanted, field
        lacks = f" and has no {field} field" if field else ""
        super().__init__(
            f"The index at {directory} was built by another version of newsdex "
            f"(schema {found}, this one writes {wanted}){lacks}"
        )


class ClusterError(UsageError):
    """A Dask cluster that cannot be used: `spec` as given, `problem` what is wrong with it."""

    def __init__(self, spec: str, problem: str) -> None:
        self.spec, self.problem = spec, problem
        super().__init__(f"cluster {spec!r}: {problem}")


class MissingExtra(UsageError):
    """An optional feature whose dependency group is not installed."""

    def __init__(self, feature: str, extra: str) -> None:
        self.feature, self.extra = feature, extra
        super().__init__(f"{feature} needs the {extra} extra")


class IndexBusy(NewsdexError):
    exit_code = ExitCode.INDEX_BUSY

    def __init__(self, directory: str) -> None:
        self.directory = directory
        super().__init__(f"Index busy: another newsdex process is writing to {directory}")


class DocumentNotFound(NewsdexError):
    exit_code = ExitCode.NO_RESULTS

    def __init__(self, doc_id: str) -> None:
        self.doc_id = doc_id
        super().__init__(f"No article with id {doc_id!r}")


class UnreadableDocument(NewsdexError):
    """A file that cannot be indexed; the pipeline reports it and goes on."""

    def __init__(self, path: str, reason: str) -> None:
        self.path = path
        self.reason = reason
        super().__init__(f"{path}: {reason}")


class AmbiguousId(NewsdexError):
    """An id prefix that more than one article starts with."""

    exit_code = ExitCode.USAGE

    def __init__(self, prefix: str, candidates: list[str]) -> None:
        self.prefix = prefix
        self.candidates = candidates
        shown = ", ".join(candidates[:10]) + (" ..." if len(candidates) > 10 else "")
        super().__init__(
            f"{len(candidates)} articles have an id starting with {prefix!r}: {shown}. "
            "Give more characters of the id"
        )
