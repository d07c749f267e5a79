"""Highlighting of the line being typed: fields, operators, phrases, ranges, numbers, commands.

`tokens(line)` is a pure function of the text, so tests read the styles without a terminal.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from prompt_toolkit.document import Document
from prompt_toolkit.formatted_text import StyleAndTextTuples
from prompt_toolkit.lexers import Lexer

from index import schema as S
from search import counted

# Order matters: the first alternative that matches at a position wins. A field name may end
# in ":=" (place:=Aleppo, that name only), but "=>" and "=<" after the colon are comparisons.
_TOKEN = re.compile(
    r"""
    (?P<phrase>"[^"]*"?)
  | (?P<range>[\[{][^\]}]*[\]}]?)
  | (?P<field>\w+:(?:=(?![<>=]))?)
  | (?P<operator>\b(?:AND|OR|NOT|ANDNOT|ANDMAYBE|TO)\b|[<>]=?|[+-](?=\S))
  | (?P<paren>[()])
  | (?P<number>\b\d[\d,.]*(?:[kKmM]|bn|mn)?\b)
  | (?P<wildcard>\S*[*?~]\S*)
  | (?P<word>[^\s"()\[{:<>]+)
  | (?P<space>\s+)
  | (?P<other>.)
    """,
    re.VERBOSE,
)
_COMMAND = re.compile(r"^(\s*)(:\S*)(.*)$", re.DOTALL)


def tokens(line: str) -> StyleAndTextTuples:
    """The line split into (style class, text) pieces that join back into the line."""
    command = _COMMAND.match(line)
    if command:
        lead, name, rest = command.groups()
        return [("", lead), ("class:command", name), ("class:argument", rest)]
    pieces: StyleAndTextTuples = []
    for match in _TOKEN.finditer(line):
        kind = match.lastgroup or "other"
        text = match.group()
        if kind == "field" and counted.is_noun_query(text[:-1], line, match.end()):
            kind = "noun"  # homes:>1000 counts homes: a field, though no schema field
        pieces.append((_style(kind, text), text))
    return pieces


def _style(kind: str, text: str) -> str:
    if kind == "noun":
        return "class:field"
    if kind == "field":
        known = text.partition(":")[0].lower() in S.known_fields()
        return "class:field" if known else "class:field.unknown"
    if kind in ("space", "other", "word"):
        return ""
    return f"class:{kind}"


class QueryLexer(Lexer):
    def lex_document(self, document: Document) -> Callable[[int], StyleAndTextTuples]:
        lines = document.lines

        def line(lineno: int) -> StyleAndTextTuples:
            return tokens(lines[lineno]) if lineno < len(lines) else []

        return line
