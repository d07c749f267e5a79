"""One presenter for both faces: what each command shows, in each format it offers.

A command of the CLI or the shell builds a `Shown` and hands it to `write` (or `text`); the
formats a command offers (its --format choices and --help) come from `FORMATS`, so every format
listed works. A json document is one object, the same from `newsdex CMD` and the shell.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, TextIO

from index.errors import UsageError
from search.format import Format, emit, trec_line
from search.results import RESULT_COLUMNS, Document, Hit, Results, Stats

if TYPE_CHECKING:
    from rich.console import Console

Record = dict[str, Any]
_RANKED = (Format.table, Format.json, Format.jsonl, Format.csv, Format.ids, Format.trec)

#: The formats of each command: what its --format accepts and its --help lists.
FORMATS: dict[str, tuple[Format, ...]] = {
    "search": _RANKED,  # trec: a ranked run (qid Q0 id rank score newsdex)
    "similar": _RANKED,
    "show": (Format.table, Format.json, Format.jsonl, Format.csv, Format.ids),
    "export": (Format.jsonl, Format.json, Format.csv, Format.ids),  # no table: it streams all
    "facets": (Format.table, Format.json, Format.jsonl, Format.csv),  # no ids: values, not articles
    "stats": (Format.table, Format.json, Format.jsonl, Format.csv),
    "aliases": (Format.table, Format.json, Format.jsonl, Format.csv),
    "saved": (Format.table, Format.json, Format.jsonl, Format.csv),
    "alerts": (Format.table, Format.json, Format.jsonl, Format.csv, Format.ids),
}

#: The columns of an article record (show, export), in order.
DOCUMENT_COLUMNS: tuple[str, ...] = tuple(Document("", "", "").record(with_body=True))


@dataclass(frozen=True)
class Shown:
    """What one command shows: records (a jsonl line, a csv row each), the json document
    around them, and the table people read."""

    command: str
    records: Iterable[Record]
    columns: Sequence[str]
    table: Callable[[Console], None]
    document: Callable[[list[Record]], Record] = field(default=lambda rows: {"results": rows})


def formats(command: str) -> tuple[Format, ...]:
    return FORMATS[command]


def check(command: str, fmt: Format) -> None:
    """UsageError, naming the formats there are, for a format the command does not offer."""
    if fmt not in FORMATS[command]:
        offered = ", ".join(f.value for f in FORMATS[command])
        raise UsageError(f"{command} has no {fmt.value} format: use one of {offered}")


def write(
    shown: Shown, fmt: Format, out: TextIO, color: bool = False, width: int | None = None
) -> int:
    """Write `shown` in `fmt` to `out`; how many records were written."""
    check(shown.command, fmt)
    if fmt is Format.table:
        from search.tables import console  # rich: only for people

        rows = list(shown.records)
        con = console(out, color, width)
        con.on_broken_pipe = _pipe_closed  # type: ignore[method-assign]
        shown.table(con)
        return len(rows)
    if fmt is Format.json:
        rows = list(shown.records)
        json.dump(shown.document(rows), out, ensure_ascii=False, indent=2)
        out.write("\n")
        return len(rows)
    if fmt is Format.trec:
        count = 0
        for record in shown.records:
            out.write(trec_line("1", record["id"], record["rank"], record["score"]))
            count += 1
        return count
    return emit(shown.records, fmt, out, columns=list(shown.columns))


def text(shown: Shown, fmt: Format, color: bool = False, width: int | None = None) -> str:
    """What `write` writes, as a string (the shell prints it, through its pager if long)."""
    buffer = io.StringIO()
    write(shown, fmt, buffer, color, width)
    return buffer.getvalue()


def _pipe_closed() -> None:
    # rich exits 1 on a closed pipe; here it is no error (ripgrep and sqlite-utils exit 0)
    raise BrokenPipeError


def results(page: Results, command: str = "search", messages: bool = True) -> Shown:
    """A page of ranked results; `messages` False leaves the note and suggestion out of the
    table (the CLI writes them on stderr)."""
    from search import tables

    people = page if messages else replace(page, note=None, suggestion=None)
    return Shown(
        command,
        (hit.record() for hit in page.hits),
        RESULT_COLUMNS,
        lambda con: tables.render_results(people, con),
        lambda rows: {**page.envelope(), "results": rows},
    )


def stream(hits: Iterable[Hit], command: str = "search") -> Shown:
    """Every match, one record at a time (jsonl, csv, ids, trec): nothing is held."""
    return Shown(command, (hit.record() for hit in hits), RESULT_COLUMNS, _no_table)


def _no_table(con: Console) -> None:
    raise AssertionError("a stream of matches has no table: present.results gives one")


def documents(
    docs: Iterable[Document], command: str = "show", columns: Sequence[str] = DOCUMENT_COLUMNS
) -> Shown:
    """Whole articles (show, export): their records hold `columns` only."""
    from search import tables

    kept = list(columns)
    listed = list(docs) if command == "show" else docs

    def table(con: Console) -> None:
        for doc in listed:
            tables.render_document(doc, con)

    records = (_only(doc.record(with_body=True), kept) for doc in listed)
    return Shown(command, records, kept, table, lambda rows: {"articles": rows})


def _only(record: Record, columns: list[str]) -> Record:
    return {k: record[k] for k in columns}


def counts(query: str, name: str, rows: Sequence[tuple[str, int]], bars: bool = False) -> Shown:
    """A field's values over the results of a query, with their article counts (facets);
    `bars` draws the table as a bar chart (facets --plot)."""
    from search import tables

    records = [{"value": value, "count": n} for value, n in rows]

    def table(con: Console) -> None:
        if bars:
            from search.charts import render_bars

            render_bars([(str(v), n) for v, n in rows], con, title=name)
        else:
            tables.render_counts((name, records), con)

    return Shown(
        "facets",
        records,
        ("value", "count"),
        table,
        lambda r: {"query": query, "field": name, "values": r},
    )


def stats(result: Stats) -> Shown:
    """The index's statistics: one record (a json object, one jsonl line, one csv row)."""
    from search import tables

    record = result.record()
    return Shown(
        "stats",
        [record],
        list(record),
        lambda con: tables.render_stats(result, con),
        lambda rows: rows[0],
    )


def aliases(files: Sequence[str], looked: str, rows: list[Record]) -> Shown:
    """The organization alias table in use, and the user files it was read from."""
    from search import tables

    where = ", ".join(files) or f"none; looked for {looked}"
    return Shown(
        "aliases",
        rows,
        ("name", "aliases"),
        lambda con: tables.render_aliases((where, rows), con),
        lambda r: {"files": list(files), "aliases": r},
    )
