"""The shell's settings that outlive a session (`:limit`, `:format`, `:sort`), kept in the
`[shell]` table of the user's config file (~/.config/newsdex/config.toml, or $NEWSDEX_CONFIG).
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from index.config import config_file
from search.engine import SORTS
from search.format import Format

if TYPE_CHECKING:
    from search.repl.state import ShellState

TABLE = "shell"
MAX_LIMIT = 1000
_TABLE_HEADER = re.compile(r"^\s*\[")


def load(state: ShellState, path: Path | None = None) -> str | None:
    """Apply the saved settings to `state`; a warning to show when the file cannot be used."""
    path = path or config_file()
    try:
        saved = tomllib.loads(path.read_text(encoding="utf-8")).get(TABLE, {})
    except FileNotFoundError:
        return None
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        return f"Warning: settings not read from {path} ({exc}); the defaults are used"
    limit, fmt, sort = saved.get("limit"), saved.get("format"), saved.get("sort")
    if isinstance(limit, int) and 1 <= limit <= MAX_LIMIT:
        state.options = replace(state.options, limit=limit)
    if fmt in {f.value for f in Format}:
        state.fmt = Format(fmt)
    if sort in SORTS:
        state.options = replace(state.options, sort=sort)
    return None


def current(state: ShellState) -> dict[str, Any]:
    return {"limit": state.options.limit, "format": state.fmt.value, "sort": state.options.sort}


def save(state: ShellState, path: Path | None = None) -> str | None:
    """Write the settings into the `[shell]` table, keeping the rest of the file as it was;
    a warning when the file cannot be written (the setting still holds for this session)."""
    path = path or config_file()
    try:
        text = path.read_text(encoding="utf-8") if path.exists() else ""
        lines = _without_table(text.splitlines())
        table = [f"[{TABLE}]"] + [f"{k} = {_toml(v)}" for k, v in current(state).items()]
        body = "\n".join(lines).rstrip("\n")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text((body + "\n\n" if body else "") + "\n".join(table) + "\n", "utf-8")
    except OSError as exc:
        return f"Warning: settings not saved to {path} ({exc.strerror or exc})"
    return None


def _without_table(lines: list[str]) -> list[str]:
    """The file's lines without the `[shell]` table (its header up to the next header)."""
    kept: list[str] = []
    inside = False
    for line in lines:
        if _TABLE_HEADER.match(line):
            inside = line.strip() == f"[{TABLE}]"
        if not inside:
            kept.append(line)
    return kept


def _toml(value: object) -> str:
    return str(value) if isinstance(value, int) else f'"{value}"'
