"""The shell's persistent history: a file in the user data dir, or memory when it cannot be written.

A history file that cannot be written gives one warning, never a crash (litecli does the same).
"""

from __future__ import annotations

from pathlib import Path
from typing import TextIO

from prompt_toolkit.history import FileHistory, History, InMemoryHistory


class SafeFileHistory(FileHistory):
    """A FileHistory that, when a write fails later (disk full, file removed), warns once."""

    def __init__(self, filename: Path, err: TextIO) -> None:
        super().__init__(str(filename))
        self._err = err
        self._failed = False

    def store_string(self, string: str) -> None:
        if self._failed:
            return
        try:
            super().store_string(string)
        except OSError as exc:
            self._failed = True
            self._err.write(warning(Path(str(self.filename)), exc))


def warning(path: Path, exc: OSError) -> str:
    reason = exc.strerror or type(exc).__name__
    return (
        f"Warning: cannot write the history file {path} ({reason}); "
        "history is kept for this session only.\n"
    )


def open_history(path: Path, err: TextIO) -> History:
    """The history at `path` (its folder created), or an in-memory one after one warning."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8"):
            pass
    except OSError as exc:
        err.write(warning(path, exc))
        return InMemoryHistory()
    return SafeFileHistory(path, err)
