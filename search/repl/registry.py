"""The shell's command registry: a decorator fills it, `:help` and completion read it.

A command is a function (state, argument) -> output text whose docstring is its help.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from typing import TYPE_CHECKING

from index.errors import UsageError

if TYPE_CHECKING:
    from search.repl.state import ShellState

Handler = Callable[["ShellState", str], str]
# Completion candidates for an argument: (value, meta text) pairs.
Choices = Callable[["ShellState"], list[tuple[str, str]]]


class Arg(Enum):
    """What a command's argument is, for the completer."""

    NONE = "none"
    CHOICE = "choice"  # one of `choices(state)`
    PATH = "path"  # a file or folder
    QUERY = "query"  # a search query (completed like the prompt itself)


@dataclass(frozen=True)
class Command:
    name: str
    handler: Handler
    usage: str
    summary: str
    details: str = ""
    aliases: tuple[str, ...] = ()
    arg: Arg = Arg.NONE
    choices: Choices | None = None


COMMANDS: dict[str, Command] = {}
ALIASES: dict[str, str] = {}


def command(
    name: str,
    usage: str = "",
    aliases: tuple[str, ...] = (),
    arg: Arg = Arg.NONE,
    choices: Choices | None = None,
) -> Callable[[Handler], Handler]:
    """Register the decorated function as the command `:name`; its docstring is its help."""

    def register(handler: Handler) -> Handler:
        doc = (handler.__doc__ or "").strip()
        summary, _, details = doc.partition("\n")
        COMMANDS[name] = Command(
            name=name,
            handler=handler,
            usage=f":{name} {usage}".strip(),
            summary=summary.strip(),
            details=" ".join(details.split()),
            aliases=aliases,
            arg=arg,
            choices=choices,
        )
        ALIASES.update(dict.fromkeys(aliases, name))
        return handler

    return register


def lookup(name: str) -> Command | None:
    """The command called `name` (or by one of its aliases), case-insensitively."""
    name = name.lower()
    return COMMANDS.get(ALIASES.get(name, name))


def closest(name: str) -> str | None:
    """The registered command name nearest to a mistyped one, if any is near."""
    names = list(COMMANDS) + list(ALIASES)
    near = difflib.get_close_matches(name.lower(), names, n=1, cutoff=0.5)
    if near:
        return ALIASES.get(near[0], near[0])
    starting = [n for n in COMMANDS if n.startswith(name.lower()[:2])] if name else []
    return starting[0] if len(starting) == 1 else None


def unknown(name: str) -> UsageError:
    """The error for an unknown command, naming the closest one."""
    near = closest(name)
    hint = f" Did you mean :{near}?" if near else ""
    return UsageError(f"Unknown command :{name}.{hint} Type :help for the list.")


def dispatch(state: ShellState, line: str) -> str:
    """Run a `:command argument` line."""
    name, _, argument = line.strip().removeprefix("\\").lstrip(":").partition(" ")
    found = lookup(name)
    if found is None:
        raise unknown(name)
    return found.handler(state, argument.strip())
