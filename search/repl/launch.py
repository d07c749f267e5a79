"""Reading a plain `newsdex shell` command line without typer, whose pydantic-based option coercion
costs about 90 ms, a third of the shell's time-to-prompt; any other line is left to typer.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

# The shell's options, declared once: search/cli.py builds its typer options from these names, and
# tests/test_startup_fast.py checks that typer's `shell` command has exactly these.
INDEX_FLAGS = ("--index", "-i")
NO_COLOR_FLAG = "--no-color"
# Left to typer: a shell on OpenSearch pays for its client anyway (the fast parser returns None).
OPENSEARCH_FLAG = "--opensearch"
TRACEBACK_FLAG = "--traceback"  # the group's option, before the command name
SHELL_COMMAND = "shell"


@dataclass(frozen=True)
class ShellLine:
    """The options of a `newsdex shell` line, as typer would have passed them."""

    index: Path | None = None
    no_color: bool = False
    traceback: bool = False


def read_shell_line(argv: Sequence[str]) -> ShellLine | None:
    """The options of `[--traceback] shell [--index DIR | --index=DIR | -i DIR] [--no-color]`, or
    None for any other line: typer then reads it, with its own --help, errors and edge cases
    (repeated options, a value that looks like an option, an index path that is a file)."""
    args = list(argv)
    traceback = bool(args) and args[0] == TRACEBACK_FLAG
    if traceback:
        args.pop(0)
    if not args or args.pop(0) != SHELL_COMMAND:
        return None
    index: Path | None = None
    no_color = False
    while args:
        arg = args.pop(0)
        if arg == NO_COLOR_FLAG and not no_color:
            no_color = True
            continue
        name, equals, value = arg.partition("=")
        if not equals and arg in INDEX_FLAGS and args:
            value = args.pop(0)
        elif not (equals and name == INDEX_FLAGS[0]):
            return None
        if index is not None or not _plain_directory(value):
            return None
        index = Path(value)
    return ShellLine(index, no_color, traceback)


def _plain_directory(value: str) -> bool:
    """Whether typer would take `value` for --index without a word: not empty, not option-like,
    and either absent or a readable directory (typer rejects a file or an unreadable folder)."""
    if not value or value.startswith("-") or "\0" in value:
        return False
    try:
        mode = os.stat(value).st_mode
    except OSError:
        return True
    return stat.S_ISDIR(mode) and os.access(value, os.R_OK)
