"""Stored fields of an article as the library returns it: a Document, and its marked snippet."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from index import schema as S
from search.highlight import Highlighter
from search.results import Document, Marked
from search.snippets import snippet


def marked_snippet(fields: dict[str, Any], marker: Highlighter | None) -> Marked:
    if marker is None:
        return Marked("")
    body = str(fields.get(S.BODY, ""))
    return snippet(body, marker.marks(body, S.BODY, S.stored_entities(fields)))


def document(fields: dict[str, Any], with_body: bool = False) -> Document:
    ents = S.stored_entities(fields)
    date = fields.get(S.DATE)
    return Document(
        id=str(fields.get(S.ID, "")),
        path=str(fields.get(S.PATH, "")),
        title=str(fields.get(S.TITLE, "")),
        section=str(fields.get(S.SECTION, "") or ""),
        date=date.date().isoformat()
        if isinstance(date, datetime) and _date_only(date)
        else (date.isoformat() if isinstance(date, datetime) else None),
        url=str(fields.get(S.URL, "") or ""),
        body=str(fields.get(S.BODY, "")) if with_body else "",
        places=tuple(ents.get("places", [])),
        countries=tuple(ents.get("countries", [])),
        organizations=tuple(ents.get("organizations", [])),
        numbers=tuple(ents.get("numbers", [])),
        persons=tuple(ents.get("persons", [])),
    )


def _date_only(value: datetime) -> bool:
    return (value.hour, value.minute, value.second, value.microsecond) == (0, 0, 0, 0)
