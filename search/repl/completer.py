"""Completion for the shell: `expected()` says what kind of word is at the cursor, this module
offers candidates of that kind (schema fields, the index's values with counts, commands)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from prompt_toolkit.completion import CompleteEvent, Completer, Completion, PathCompleter
from prompt_toolkit.document import Document

from index import schema as S
from search.repl.expect import Expected, Kind, expected, valued_fields
from search.repl.registry import COMMANDS, Arg, Command, lookup
from search.repl.state import ShellState

_PLAIN_VALUE = re.compile(r"^[\w.]+$")


def field_meta(name: str) -> str:
    """What a field name means, for the completion menu."""
    canonical = S.canonical_field(name)
    if canonical != name:
        return f"= {canonical}"
    if canonical in S.UNITS:
        return f"number in {S.UNITS[canonical].label}"
    return "field"


def quoted(value: str) -> str:
    """A value as typed into a query: quoted unless it is one plain word."""
    return value if _PLAIN_VALUE.match(value) else '"' + value.replace('"', "") + '"'


class ShellCompleter(Completer):
    """Fields, index values, commands and command arguments."""

    def __init__(self, state: ShellState) -> None:
        self.state = state
        self._paths = PathCompleter(expanduser=True)

    def get_completions(self, document: Document, event: CompleteEvent) -> Iterator[Completion]:
        want = expected(document.text_before_cursor)
        # While typing, an empty word offers nothing; Tab on an empty word lists everything.
        if not want.word and not event.completion_requested and want.kind is not Kind.VALUE:
            return
        yield from self._by_kind(want, document, event)

    def _by_kind(
        self, want: Expected, document: Document, event: CompleteEvent
    ) -> Iterable[Completion]:
        if want.kind is Kind.FIELD:
            return fields(want.word)
        if want.kind is Kind.VALUE and want.field is not None:
            return self.values(want.field, want)
        if want.kind is Kind.COMMAND:
            return commands(want.word)
        if want.kind is Kind.ARGUMENT:
            found = lookup(want.command or "")
            return self._argument(found, want, event) if found else ()
        return ()

    def values(self, field: str, want: Expected) -> Iterator[Completion]:
        # `place:=Ale`: the "=" that reads the field literally stays in front of the value.
        literal = (
            "=" if want.word.startswith("=") and not want.word.startswith(("=<", "=>")) else ""
        )
        word = want.word[len(literal) :]
        typed = word.lstrip('"')
        for value in self.state.values.matches(field, typed):
            shown = self.state.values.spelled(field, value.term)
            if field in S.NUMERIC_FIELDS:
                text = shown
            else:
                text = f'"{shown}"' if word.startswith('"') else quoted(shown)
            yield Completion(
                literal + text,
                start_position=-len(want.word),
                display=shown,
                display_meta=f"{value.count:,} article{'s' if value.count != 1 else ''}",
            )

    def _argument(
        self, found: Command, want: Expected, event: CompleteEvent
    ) -> Iterable[Completion]:
        if found.arg is Arg.QUERY:
            return self.get_completions(Document(want.word), event)
        if found.arg is Arg.PATH:
            return self._paths.get_completions(Document(want.word), event)
        if found.arg is Arg.CHOICE and found.choices is not None:
            return choices(found.choices(self.state), want.word)
        return ()


def fields(word: str) -> Iterator[Completion]:
    """Field names and aliases starting with `word`, completed with their colon."""
    lowered = word.lower()
    names = [n for n in S.known_fields() if n.startswith(lowered)]
    # Canonical names first, then aliases; each group in schema order.
    names.sort(key=lambda n: (S.canonical_field(n) != n, n not in valued_fields(), n))
    for name in names:
        yield Completion(name + ":", start_position=-len(word), display_meta=field_meta(name))


def commands(word: str) -> Iterator[Completion]:
    lowered = word.lower()
    for name, cmd in COMMANDS.items():
        if name.startswith(lowered):
            yield Completion(
                name, start_position=-len(word), display=":" + name, display_meta=cmd.summary
            )


def choices(options: list[tuple[str, str]], word: str) -> Iterator[Completion]:
    for value, meta in options:
        if value.lower().startswith(word.lower()):
            yield Completion(value, start_position=-len(word), display_meta=meta)
