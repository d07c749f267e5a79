"""Saved searches and their alert marks, kept in the index folder (copying an index keeps them).

Two things are written next to the Whoosh files (docs/follow.md documents both):

- ``newsdex-saved.json``: ``{"version": 1, "searches": {NAME: {"query": ..., "since": ...,
  "until": ..., "sort": ..., "created": ISO time}}}``, small and hand-editable;
- ``newsdex-marks/NAME.txt``: what the alerts of NAME have already reported, one key a line.
  A key stands for one version of one file (its path and the hash of its bytes), so re-indexing
  an unchanged file never makes its articles new, and a changed file is new again.

Both are replaced atomically (write a temporary file, then rename): a crash leaves the old one.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

from index.errors import NewsdexError, UsageError
from index.meta import MARKS_DIR, SAVED_FILE

FORMAT_VERSION = 1
# Names become file names (the marks): letters, digits, '-', '_' and '.', not starting with '.'.
_NAME = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}$")


class SavedSearchNotFound(NewsdexError):
    def __init__(self, name: str, known: Iterable[str]) -> None:
        names = ", ".join(sorted(known)) or "none yet"
        super().__init__(
            f"no saved search named {name!r} (saved: {names}); add one with "
            "`newsdex saved add NAME QUERY`"
        )


@dataclass(frozen=True)
class SavedSearch:
    name: str
    query: str
    since: str | None = None
    until: str | None = None
    sort: str = "score"
    created: str = ""

    def record(self) -> dict[str, str | None]:
        return asdict(self)


def check_name(name: str) -> str:
    if not _NAME.match(name):
        raise UsageError(
            f"{name!r} is not a usable name: use letters, digits, '-', '_' or '.' "
            "(at most 64, not starting with '.')"
        )
    return name


def _write_atomic(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)


class SavedStore:
    """The saved searches of one index folder, and the marks of their alerts."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.path = directory / SAVED_FILE
        self.marks = directory / MARKS_DIR

    def _read(self) -> dict[str, SavedSearch]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        except (OSError, ValueError) as exc:
            raise UsageError(f"cannot read {self.path}: {exc}; fix or delete the file") from None
        searches = data.get("searches", {}) if isinstance(data, dict) else {}
        fields = set(SavedSearch.__dataclass_fields__) - {"name"}
        return {
            name: SavedSearch(name, **{k: v for k, v in entry.items() if k in fields})
            for name, entry in searches.items()
            if isinstance(entry, dict) and isinstance(entry.get("query"), str)
        }

    def _write(self, searches: dict[str, SavedSearch]) -> None:
        entries = {
            name: {k: v for k, v in s.record().items() if k != "name"}
            for name, s in sorted(searches.items())
        }
        body = {"version": FORMAT_VERSION, "searches": entries}
        _write_atomic(self.path, json.dumps(body, indent=2, ensure_ascii=False) + "\n")

    def all(self) -> list[SavedSearch]:
        return sorted(self._read().values(), key=lambda s: s.name)

    def get(self, name: str) -> SavedSearch:
        searches = self._read()
        if name not in searches:
            raise SavedSearchNotFound(name, searches)
        return searches[name]

    def add(self, search: SavedSearch) -> SavedSearch:
        """Save (or replace) a search. Replacing one keeps its marks: the same story, re-worded."""
        check_name(search.name)
        searches = self._read()
        created = search.created or datetime.now(UTC).isoformat(timespec="seconds")
        saved = SavedSearch(
            search.name, search.query, search.since, search.until, search.sort, created
        )
        searches[search.name] = saved
        self._write(searches)
        return saved

    def remove(self, name: str) -> None:
        searches = self._read()
        if name not in searches:
            raise SavedSearchNotFound(name, searches)
        del searches[name]
        self._write(searches)
        self._mark_path(name).unlink(missing_ok=True)

    def _mark_path(self, name: str) -> Path:
        return self.marks / f"{check_name(name)}.txt"

    def has_mark(self, name: str) -> bool:
        return self._mark_path(name).exists()

    def seen(self, name: str) -> set[str]:
        """The keys the alerts of `name` have already reported (empty before the first check)."""
        try:
            text = self._mark_path(name).read_text(encoding="utf-8")
        except FileNotFoundError:
            return set()
        return {line for line in text.split() if line}

    def advance(self, name: str, keys: Iterable[str]) -> None:
        """Add keys to the mark of `name`. Keys are never dropped: a file deleted and put back
        unchanged stays old."""
        merged = self.seen(name) | set(keys)
        self.marks.mkdir(exist_ok=True)
        _write_atomic(self._mark_path(name), "".join(f"{k}\n" for k in sorted(merged)))
