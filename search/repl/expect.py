"""What kind of word the shell expects at the cursor: a pure function of the text before it.

The completer asks `expected(text)` and then fetches candidates of that kind (litecli's split).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum

from index import schema as S

COMMAND_PREFIX = ":"
# Leading characters that belong to the syntax, not to the word: grouping and required/excluded.
_PREFIX_SYNTAX = "(+-"
_FIELD_WORD = re.compile(r"^(\w+):(.*)$", re.DOTALL)


class Kind(Enum):
    NOTHING = "nothing"  # inside a range, after a field without values, ...
    FIELD = "field"  # a bare word: a field name (or a search word)
    VALUE = "value"  # the value of `field`
    COMMAND = "command"  # `:na`
    ARGUMENT = "argument"  # the argument of `command`


@dataclass(frozen=True)
class Expected:
    """The kind of word at the cursor and the text of it typed so far (replaced on completion)."""

    kind: Kind
    word: str = ""
    field: str | None = None  # canonical schema field, for VALUE
    command: str | None = None  # command name as typed, for ARGUMENT
    quoted: bool = False  # the value was started with a double quote


def expected(text: str) -> Expected:
    """The kind of word being typed at the end of `text` (the text before the cursor)."""
    stripped = text.lstrip()
    if stripped.startswith(COMMAND_PREFIX):
        return _command(stripped[len(COMMAND_PREFIX) :])
    return expected_in_query(text)


def _command(text: str) -> Expected:
    name, space, argument = text.partition(" ")
    if not space:
        return Expected(Kind.COMMAND, word=name)
    return Expected(Kind.ARGUMENT, word=argument.lstrip(), command=name.lower())


def expected_in_query(text: str) -> Expected:
    """The kind of word at the end of a (possibly half-typed) query."""
    if _inside_range(text):
        return Expected(Kind.NOTHING)
    word = current_word(text)
    match = _FIELD_WORD.match(word.lstrip(_PREFIX_SYNTAX))
    if match is None:
        if word.startswith('"'):  # a phrase of search words
            return Expected(Kind.NOTHING, word=word)
        return Expected(Kind.FIELD, word=word.lstrip(_PREFIX_SYNTAX))
    field = S.canonical_field(match.group(1))
    value = match.group(2)
    if field not in valued_fields():
        return Expected(Kind.NOTHING, word=value)
    return Expected(Kind.VALUE, word=value, field=field, quoted=value.startswith('"'))


def valued_fields() -> tuple[str, ...]:
    """Fields whose values the completer offers from the index."""
    return (*S.ENTITY_FIELDS, S.SECTION, *S.UNITS)


def current_word(text: str) -> str:
    """The last word of `text`: from the last space that is not inside double quotes."""
    start = 0
    in_quotes = False
    for i, char in enumerate(text):
        if char == '"':
            in_quotes = not in_quotes
        elif char.isspace() and not in_quotes:
            start = i + 1
    return text[start:]


def _inside_range(text: str) -> bool:
    """Whether the cursor is inside an unclosed [a TO b] or {a TO b} range."""
    depth = 0
    in_quotes = False
    for char in text:
        if char == '"':
            in_quotes = not in_quotes
        elif not in_quotes and char in "[{":
            depth += 1
        elif not in_quotes and char in "]}":
            depth = max(0, depth - 1)
    return depth > 0
