"""Rich renderings for people: result tables, one article, index statistics.

The only module of the one-shot commands that imports rich; plain (no ANSI) when not colouring.
"""

from __future__ import annotations

from typing import TextIO

from rich.console import Console
from rich.table import Table
from rich.text import Text

from search.format import format_number
from search.results import Document, Marked, Results, Stats

MATCH_STYLE = "bold yellow"


def console(out: TextIO, color: bool, width: int | None = None) -> Console:
    return Console(
        file=out,
        color_system="auto" if color else None,
        force_terminal=color,
        no_color=not color,
        highlight=False,
        width=width,
        soft_wrap=False,
    )


def marked(snippet: Marked, style: str = MATCH_STYLE) -> Text:
    """A snippet with its match spans styled (plain text when not colouring: the style drops)."""
    text = Text(snippet.text)
    for start, end in snippet.spans:
        text.stylize(style, start, end)
    return text


def _names(values: tuple[str, ...], limit: int = 4) -> str:
    shown = ", ".join(values[:limit])
    return shown + (f" +{len(values) - limit}" if len(values) > limit else "")


def render_results(results: Results, con: Console) -> None:
    if not results.hits:
        con.print(f"No articles match {results.query!r}.")
        if results.note:
            con.print(Text(f"Note: {results.note}", style="dim"))
        if results.suggestion:
            con.print(Text.assemble(("Did you mean: ", "bold"), (results.suggestion, "yellow")))
        return
    table = Table(show_lines=True, expand=True, header_style="bold")
    table.add_column("#", justify="right", no_wrap=True)
    by_date = results.sort != "score"  # the date takes the score's place
    table.add_column("date" if by_date else "score", justify="right", no_wrap=True)
    table.add_column("article", ratio=3)
    table.add_column("places / organizations", ratio=1)
    for hit in results.hits:
        doc = hit.document
        head = Text(doc.title or doc.path, style="bold")
        shown = (doc.date or "", doc.section, doc.id) if not by_date else (doc.section, doc.id)
        meta = " · ".join(x for x in shown if x)
        cell = Text.assemble(head, "\n", (meta, "dim"), "\n", marked(hit.snippet))
        ents = Text.assemble(
            (_names(doc.places), "green"), "\n", (_names(doc.organizations), "cyan")
        )
        value = (doc.date or "undated") if by_date or hit.score is None else f"{hit.score:.2f}"
        table.add_row(str(hit.rank), value, cell, ents)
    con.print(table)
    if results.suggestion:
        con.print(Text.assemble(("Did you mean: ", "bold"), (results.suggestion, "yellow")))
    first = results.hits[0].rank
    last = results.hits[-1].rank
    more = "" if results.total_exact else "+"
    footer = f"{first}-{last} of {results.shown_total} (page {results.page}/{results.pages}{more})"
    if results.note:
        footer += f"; {results.note}"
    con.print(Text(footer, style="dim"))


def render_document(doc: Document, con: Console) -> None:
    con.print(Text(doc.title or doc.path, style="bold"))
    for label, value in (
        ("id", doc.id),
        ("path", doc.path),
        ("section", doc.section),
        ("date", doc.date or ""),
        ("url", doc.url),
        ("places", ", ".join(doc.places)),
        ("countries", ", ".join(doc.countries)),
        ("organizations", ", ".join(doc.organizations)),
        ("people", ", ".join(doc.persons)),
    ):
        if value:
            con.print(Text.assemble((f"{label:>14}: ", "dim"), value))
    if doc.numbers:
        con.print(Text("       numbers:", style="dim"))
        for n in doc.numbers:
            con.print(
                Text.assemble("  ", (format_number(n), "magenta"), f"  ← {n.get('text', '')!r}")
            )
    con.print()
    con.print(doc.body)


def render_counts(counted: tuple[str, list[dict[str, object]]], con: Console) -> None:
    """Facet counts: a field's values and how many articles have each."""
    field, rows = counted
    if not rows:
        con.print(f"No {field} values in these results.")
        return
    table = Table(header_style="bold")
    table.add_column(field)
    table.add_column("articles", justify="right")
    for row in rows:
        table.add_row(str(row["value"]), str(row["count"]))
    con.print(table)


def render_aliases(listing: tuple[str, list[dict[str, object]]], con: Console) -> None:
    """The organization alias table: canonical name and the other names that mean it."""
    path, rows = listing
    table = Table(header_style="bold", title=f"organization aliases (user file: {path})")
    table.add_column("name")
    table.add_column("also written")
    for row in rows:
        names = row["aliases"]
        table.add_row(
            str(row["name"]), ", ".join(map(str, names)) if isinstance(names, list) else ""
        )
    con.print(table)


def render_stats(stats: Stats, con: Console) -> None:
    con.print(Text.assemble(("index: ", "dim"), stats.directory))
    con.print(Text.assemble(("documents: ", "dim"), f"{stats.documents:,}"))
    con.print(Text.assemble(("size on disk: ", "dim"), _size(stats.size_bytes)))
    con.print(Text.assemble(("last indexed: ", "dim"), stats.last_indexed or "never"))
    con.print(Text.assemble(("dated: ", "dim"), _dates(stats)))
    for root in stats.roots:
        con.print(Text.assemble(("indexed root: ", "dim"), root))
    table = Table(header_style="bold")
    table.add_column("top places")
    table.add_column("articles", justify="right")
    table.add_column("top organizations")
    table.add_column("articles", justify="right")
    rows = max(len(stats.top_places), len(stats.top_organizations))
    for i in range(rows):
        place = stats.top_places[i] if i < len(stats.top_places) else ("", "")
        org = stats.top_organizations[i] if i < len(stats.top_organizations) else ("", "")
        table.add_row(str(place[0]), str(place[1]), str(org[0]), str(org[1]))
    if rows:
        con.print(table)


def _dates(stats: Stats) -> str:
    counts = f"{stats.dated:,} articles, {stats.undated:,} without a date"
    if stats.first_date and stats.last_date:
        counts += f"; from {stats.first_date} to {stats.last_date}"
    return counts


def _size(n: int) -> str:
    size = float(n)
    for unit in ("B", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{n} B"
