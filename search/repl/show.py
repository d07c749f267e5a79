"""One article as `:show N` prints it: metadata as `newsdex show` does, then the full text with
the query's matched words, the places, the organizations and the numbers highlighted."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import replace

from rich.console import Console
from rich.text import Text

from index import schema as S
from search.query import ParsedQuery
from search.results import Document
from search.tables import render_document

MATCH_STYLE = "bold reverse yellow"
PLACE_STYLE = "green"
ORG_STYLE = "cyan"
NUMBER_STYLE = "magenta"


def matched_terms(parsed: ParsedQuery) -> frozenset[str]:
    """The analysed words of the query that search title and body (stems, lowercased)."""
    terms: set[str] = set()
    for field, term in parsed.query.iter_all_terms():
        if field in S.TEXT_FIELDS:
            terms.add(term.decode() if isinstance(term, bytes) else str(term))
    return frozenset(terms)


def body_text(doc: Document, terms: frozenset[str]) -> Text:
    """The article's text with matched words and extracted entities styled."""
    text = Text(doc.body)
    _style_names(text, doc.places, PLACE_STYLE)
    _style_names(text, doc.countries, PLACE_STYLE)
    _style_names(text, doc.organizations, ORG_STYLE)
    _style_names(text, [str(n.get("text", "")) for n in doc.numbers], NUMBER_STYLE)
    # The text analyzer finds the words a stemmed query term matched, as the index saw them.
    for token in S.text_analyzer()(doc.body, chars=True, mode="index"):
        if token.text in terms:
            text.stylize(MATCH_STYLE, token.startchar, token.endchar)
    return text


def _style_names(text: Text, names: Iterable[str], style: str) -> None:
    for name in {n for n in names if n}:
        text.highlight_regex(rf"(?<!\w){re.escape(name)}(?!\w)", style)


def render_article(doc: Document, parsed: ParsedQuery | None, con: Console) -> None:
    """The article: its metadata, then its highlighted text."""
    render_document(replace(doc, body=""), con)
    terms = matched_terms(parsed) if parsed is not None else frozenset()
    con.print(body_text(doc, terms))
