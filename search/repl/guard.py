"""The shell's last guard: an exception that is not newsdex's own ends one line, not the session.

Like litecli and pgcli, the shell prints one line, writes the traceback to a log file it names and
goes on with the same session (index, last results, settings, history). A bug in newsdex is never
reported as damage, and a rebuild is never advised for it.
"""

from __future__ import annotations

import traceback
from datetime import UTC, datetime
from pathlib import Path

from index.config import user_data_dir

LOG_NAME = "shell-errors.log"
MAX_LOG_BYTES = 2**20  # past this the log starts over: only recent tracebacks are of use


def error_log() -> Path:
    """Where the shell writes the tracebacks of its bugs (next to its history)."""
    return user_data_dir() / LOG_NAME


def report_bug(line: str, exc: BaseException) -> str:
    """Log `exc`'s traceback with the line that raised it; return the one line the shell prints."""
    path = error_log()
    summary = " ".join(f"{type(exc).__name__}: {exc}".split())[:200]
    try:
        _append(path, line, exc)
    except OSError as err:
        return (
            f"Error: a bug in newsdex ({summary}); the shell goes on. "
            f"Its traceback could not be written to {path}: {err.strerror}"
        )
    return (
        f"Error: a bug in newsdex ({summary}); the shell goes on. "
        f"Please report it with the traceback written to {path}"
    )


def _append(path: Path, line: str, exc: BaseException) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    mode = "w" if path.exists() and path.stat().st_size > MAX_LOG_BYTES else "a"
    with path.open(mode, encoding="utf-8", errors="backslashreplace") as log:
        log.write(f"--- {datetime.now(UTC).isoformat(timespec='seconds')} newsdex {_version()}\n")
        log.write(f"line: {line!r}\n")
        log.write("".join(traceback.format_exception(exc)))


def _version() -> str:
    # Only a bug report needs it: importlib.metadata is 10 ms of the shell's start-up.
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("newsdex")
    except PackageNotFoundError:
        return "(not installed)"
