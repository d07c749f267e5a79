"""The output formats, and the writing of records one by one (jsonl, csv, ids) by `emit`.

Which command offers which format, tables and json documents: search.present.
"""

from __future__ import annotations

import csv
import json
import os
from collections.abc import Iterable, Mapping
from enum import StrEnum
from typing import Any, TextIO


class Format(StrEnum):
    table = "table"
    json = "json"
    jsonl = "jsonl"
    csv = "csv"
    ids = "ids"
    trec = "trec"  # qid Q0 id rank score newsdex, for IR evaluation tools


#: The formats a script reads: written to a pipe or a file, a search streams every match.
STREAMED = frozenset({Format.ids, Format.jsonl, Format.csv, Format.trec})


def trec_line(qid: str, doc_id: str, rank: int, score: float | None) -> str:
    """One TREC run line; sorted by date there is no score, and the rank decides (as -rank)."""
    value = float(-rank) if score is None else score
    return f"{qid} Q0 {doc_id} {rank} {value:.4f} newsdex\n"


def use_color(stream: TextIO, no_color: bool = False) -> bool:
    """Colour only on a terminal, and never with --no-color or the NO_COLOR variable."""
    if no_color or os.environ.get("NO_COLOR"):
        return False
    return bool(getattr(stream, "isatty", lambda: False)())


def format_number(n: Mapping[str, Any]) -> str:
    """A number mention for people: "21 ton", "over 100 people"."""
    value = float(n.get("value", 0))
    shown = f"{int(value):,}" if value.is_integer() else f"{value:,.4g}"
    parts = [n.get("qualifier") or "", shown, n.get("unit") or ""]
    return " ".join(p for p in parts if p)


def flat(value: Any) -> str:
    """A record value as one CSV cell: lists joined with "; ", numbers as "value unit"."""
    if isinstance(value, list):
        return "; ".join(_cell(v) for v in value)
    if value is None:
        return ""
    return str(value)


def _cell(value: Any) -> str:
    if isinstance(value, dict) and "name" in value:  # a counted name (stats): "Aleppo (3)"
        return f"{value['name']} ({value.get('count', 0)})"
    if isinstance(value, dict):
        return format_number(value)
    if isinstance(value, list | tuple):  # a match span: start-end
        return "-".join(str(v) for v in value)
    return str(value)


def emit(
    records: Iterable[dict[str, Any]],
    fmt: Format,
    out: TextIO,
    columns: list[str] | None = None,
) -> int:
    """Write records as jsonl, csv (a header, even with no records when `columns` are given)
    or ids, as they come; returns how many. Tables, json documents and trec runs are the
    presenter's (search.present); any other format is refused."""
    if fmt not in _RECORD_FORMATS:
        raise ValueError(f"emit writes {', '.join(_RECORD_FORMATS)}, not {fmt}")
    count = 0
    writer = None
    for record in records:
        count += 1
        if fmt is Format.jsonl:
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
        elif fmt is Format.ids:
            out.write(f"{record.get('id', '')}\n")
        else:
            if writer is None:
                writer = csv.DictWriter(out, fieldnames=list(record), extrasaction="ignore")
                writer.writeheader()
            writer.writerow({k: flat(v) for k, v in record.items()})
    if fmt is Format.csv and writer is None and columns:
        csv.writer(out).writerow(columns)
    return count


_RECORD_FORMATS = (Format.jsonl, Format.csv, Format.ids)
