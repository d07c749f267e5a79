"""What indexing leaves out: `.newsdexignore` files (gitignore syntax), `--exclude` globs, and
any newsdex index folder, which is never read as articles (its newsdex.json is no news).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from index.meta import META_FILE, is_index

IGNORE_FILE = ".newsdexignore"


@dataclass(frozen=True)
class Pattern:
    regex: re.Pattern[str]
    negated: bool
    dir_only: bool


def _compile(line: str) -> Pattern | None:
    """One gitignore line: `#` comments, `!` negation, `/` anchoring, a trailing `/` for
    folders only, `*` and `?` within a name, `**` across folders."""
    line = line.rstrip("\n").rstrip()
    if not line or line.startswith("#"):
        return None
    negated = line.startswith("!")
    line = line[1:] if negated else line
    dir_only = line.endswith("/")
    line = line.rstrip("/")
    anchored = "/" in line  # gitignore: a slash anywhere but the end anchors to the root
    line = line.lstrip("/")
    out = ""
    for part in re.split(r"(\*\*/|/\*\*|\*|\?)", line):
        out += {"**/": "(?:.*/)?", "/**": "(?:/.*)?", "*": "[^/]*", "?": "[^/]"}.get(
            part, re.escape(part)
        )
    head = "" if anchored else "(?:.*/)?"
    return Pattern(re.compile(f"^{head}{out}$"), negated, dir_only)


class Ignore:
    """The patterns of one indexed root: its `.newsdexignore`, then `--exclude` globs."""

    def __init__(self, lines: Sequence[str]) -> None:
        self.patterns = [p for p in map(_compile, lines) if p is not None]

    @classmethod
    def load(cls, root: Path, exclude: Sequence[str] = ()) -> Ignore:
        try:
            lines = (root / IGNORE_FILE).read_text(encoding="utf-8").splitlines()
        except OSError:  # no ignore file (or an unreadable one): nothing is left out by it
            lines = []
        return cls([*lines, *exclude])

    def ignored(self, relative: str, is_dir: bool) -> bool:
        """Whether a path relative to the root is left out (the last matching line decides)."""
        verdict = False
        for pattern in self.patterns:
            if pattern.dir_only and not is_dir:
                continue
            if pattern.regex.match(relative):
                verdict = not pattern.negated
        return verdict


def is_index_folder(folder: Path) -> bool:
    """A newsdex (or Whoosh) index: never a folder of articles."""
    return (folder / META_FILE).is_file() or is_index(folder)


def add_to_ignore(root: Path, relative: str) -> Path:
    """Append an anchored line for `relative` to the root's ignore file (once); its path."""
    path = root / IGNORE_FILE
    line = "/" + relative.lstrip("/")
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        lines = []
    if line not in lines:
        prefix = "" if not lines or path.read_text(encoding="utf-8").endswith("\n") else "\n"
        with path.open("a", encoding="utf-8") as out:
            out.write(f"{prefix}{line}\n")
    return path


def owning_root(path: Path, roots: Sequence[str]) -> Path | None:
    """The indexed folder that holds `path` (the innermost one), if any."""
    folders = [Path(r) for r in roots if Path(r).is_dir()]
    holding = [r for r in folders if path == r or r in path.parents]
    return max(holding, key=lambda r: len(r.parts)) if holding else None


def as_path(target: str, roots: Sequence[str]) -> Path | None:
    """A file or folder, as given or as results print it (relative to an indexed root)."""
    given = Path(target).expanduser()
    if given.exists():
        return given.resolve()
    for root in roots:
        candidate = Path(root) / target
        if not given.is_absolute() and candidate.exists():
            return candidate.resolve()
    return None
