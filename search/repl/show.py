"""One article as `:show N` prints it: metadata as `newsdex show` does, then the full text with
the query's matches (the one highlighter's spans), places, organizations and numbers styled."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import replace

from rich.console import Console
from rich.text import Text

from search.results import Document, Span
from search.tables import render_document

MATCH_STYLE = "bold reverse yellow"
PLACE_STYLE = "green"
ORG_STYLE = "cyan"
PERSON_STYLE = "yellow"
NUMBER_STYLE = "magenta"


def body_text(doc: Document, marks: tuple[Span, ...]) -> Text:
    """The article's text with the query's matches and the extracted entities styled."""
    text = Text(doc.body)
    _style_names(text, doc.places, PLACE_STYLE)
    _style_names(text, doc.countries, PLACE_STYLE)
    _style_names(text, doc.organizations, ORG_STYLE)
    _style_names(text, doc.persons, PERSON_STYLE)
    _style_names(text, [str(n.get("text", "")) for n in doc.numbers], NUMBER_STYLE)
    for start, end in marks:  # last, so that a match shows over an entity's colour
        text.stylize(MATCH_STYLE, start, end)
    return text


def _style_names(text: Text, names: Iterable[str], style: str) -> None:
    for name in {n for n in names if n}:
        text.highlight_regex(rf"(?<!\w){re.escape(name)}(?!\w)", style)


def render_article(doc: Document, marks: tuple[Span, ...], con: Console) -> None:
    """The article: its metadata, then its highlighted text."""
    render_document(replace(doc, body=""), con)
    con.print(body_text(doc, marks))
