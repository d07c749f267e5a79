"""The `saved` and `alerts` commands (following a story), registered on the main app by cli.py.

Thin: the store is search/saved.py, the alerts search/alerts.py. `saved run` hands the saved
query and options to the `search` command itself, so every search option applies to it.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from index.config import resolve_index_dir
from index.errors import ExitCode
from search import present
from search.format import Format
from search.options import IndexOpt, format_option
from search.results import Document

SAVED_COLUMNS = ("name", "query", "since", "until", "sort")
ALERT_COLUMNS = ("saved", *Document("", "", "").record())
TIMELINE_COLUMNS = ("period", "count")

saved_app = typer.Typer(
    help="Saved searches, kept in the index folder (newsdex-saved.json).",
    no_args_is_help=True,
    rich_markup_mode=None,
)


def _store(index: Path | None) -> Any:
    from search.saved import SavedStore

    return SavedStore(resolve_index_dir(index))


@saved_app.command(
    "add",
    epilog="Examples:\n\n\b\n  newsdex saved add microsoft 'org:Microsoft' --since 2004",
)
def saved_add(
    name: Annotated[str, typer.Argument(help="A short name: letters, digits, - _ .")],
    query: Annotated[str, typer.Argument(help="The query, as for `newsdex search`.")],
    index: IndexOpt = None,
    since: Annotated[str | None, typer.Option(help="Only articles dated from: 2016-09.")] = None,
    until: Annotated[str | None, typer.Option(help="Only articles dated until: 2016.")] = None,
    sort: Annotated[str, typer.Option(help="score, date or -date.")] = "score",
) -> None:
    """Save a query under NAME; its alerts then report only articles indexed from now on."""
    from search.alerts import baseline
    from search.engine import SORTS, Engine
    from search.saved import SavedSearch, check_name

    if sort not in SORTS:
        raise typer.BadParameter(f"use one of {', '.join(SORTS)}", param_hint="--sort")
    check_name(name)
    store = _store(index)
    with Engine(store.directory) as engine:
        engine.parse(query, strict=True)  # a query that cannot run is refused now, not at 3 am
        saved = store.add(SavedSearch(name, query, since, until, sort))
        matched = baseline(engine, store, saved)
    typer.echo(f"Saved {name!r}: {query} ({matched} file(s) match now; alerts report what comes).")


@saved_app.command("list", epilog="Examples:\n\n\b\n  newsdex saved list --format json")
def saved_list(
    index: IndexOpt = None, fmt: Annotated[Format, format_option("saved")] = Format.table
) -> None:
    """List the saved searches of the index."""
    searches = _store(index).all()
    records = [s.record() for s in searches]
    shown = present.Shown("saved", records, SAVED_COLUMNS, lambda _: _print_saved(records),
                          lambda rows: {"saved": rows})  # fmt: skip
    present.write(shown, fmt, sys.stdout)
    if not records:
        raise typer.Exit(int(ExitCode.NO_RESULTS))


def _print_saved(rows: list[dict[str, Any]]) -> None:
    if not rows:
        typer.echo("No saved searches. Add one: newsdex saved add NAME QUERY")
    for row in rows:
        dates = " ".join(f"--{k} {row[k]}" for k in ("since", "until") if row.get(k))
        sort = f" --sort {row['sort']}" if row.get("sort", "score") != "score" else ""
        typer.echo(f"{row['name']}\t{row['query']}{' ' + dates if dates else ''}{sort}")


@saved_app.command("rm", epilog="Examples:\n\n\b\n  newsdex saved rm microsoft")
def saved_rm(name: Annotated[str, typer.Argument()], index: IndexOpt = None) -> None:
    """Remove a saved search (and its alert mark)."""
    _store(index).remove(name)
    typer.echo(f"Removed saved search {name!r}.")


@saved_app.command(
    "run",
    context_settings={"allow_extra_args": True, "ignore_unknown_options": True},
    epilog="Examples:\n\n\b\n  newsdex saved run microsoft\n  newsdex saved run microsoft --sort -date --format jsonl",
)
def saved_run(
    ctx: typer.Context, name: Annotated[str, typer.Argument()], index: IndexOpt = None
) -> None:
    """Run a saved search; any `newsdex search` option may follow (it overrides the saved one)."""
    saved = _store(index).get(name)
    args = [saved.query]
    for option in ("since", "until"):
        if getattr(saved, option):
            args += [f"--{option}", str(getattr(saved, option))]
    args += ["--sort", saved.sort]
    if index is not None:
        args += ["--index", str(index)]
    raise typer.Exit(_invoke_search(ctx, [*args, *ctx.args]))


def _invoke_search(ctx: typer.Context, args: list[str]) -> int:
    """Run the `search` command with `args`, inside this process and its error boundary."""
    root = ctx.find_root()
    search_command = root.command.get_command(root, "search")  # type: ignore[attr-defined]
    code = search_command.main(
        args=args, prog_name="newsdex saved run", standalone_mode=False, obj=root.obj
    )
    return code if isinstance(code, int) else int(ExitCode.OK)


def alerts(
    names: Annotated[
        list[str] | None, typer.Argument(metavar="[NAME]...", help="Saved searches (default: all).")
    ] = None,
    index: IndexOpt = None,
    peek: Annotated[bool, typer.Option(help="Show what is new but leave it new.")] = False,
    fmt: Annotated[Format, format_option("alerts")] = Format.table,
) -> None:
    """Articles indexed since each saved search was last checked (exit 0: some, 1: none)."""
    found = report_alerts(resolve_index_dir(index), names or [], fmt, sys.stdout, peek=peek)
    if not found:
        raise typer.Exit(int(ExitCode.NO_RESULTS))


def report_alerts(
    directory: Path,
    names: list[str],
    fmt: Format,
    out: Any,
    peek: bool = False,
    quiet: bool = False,
) -> int:
    """Write what each saved search finds new, then advance the marks (unless `peek`); returns
    how many articles were new. `quiet`: write nothing when nothing is new (the watch's batches)."""
    from search.alerts import check_all
    from search.engine import Engine
    from search.saved import SavedStore

    store = SavedStore(directory)
    with Engine(directory) as engine:
        found = check_all(engine, store, names)
    if not found and not quiet:
        raise typer.BadParameter("no saved searches: add one with `newsdex saved add NAME QUERY`")
    records = [record for alert in found for record in alert.records()]
    if records or not quiet:
        shown = present.Shown("alerts", records, ALERT_COLUMNS,
                              lambda _: _print_alerts(found, out, quiet),
                              lambda rows: {"alerts": rows})  # fmt: skip
        present.write(shown, fmt, out)
        out.flush()  # the marks move only once the output is out
    if not peek:
        for alert in found:
            store.advance(alert.search.name, alert.keys)
    return len(records)


def _print_alerts(found: list[Any], out: Any, quiet: bool = False) -> None:
    for alert in found:
        count = len(alert.articles)
        if not count and quiet:
            continue
        head = f"{alert.search.name}: {count} new" if count else f"{alert.search.name}: nothing new"
        out.write(head + "\n")
        for doc in alert.articles:
            out.write(f"  {doc.date or '(undated)':<10}  {doc.id}  {doc.title or doc.path}\n")


def register(app: typer.Typer) -> None:
    """Add `saved` and `alerts` to the main command line."""
    app.add_typer(saved_app, name="saved")
    app.command(
        "alerts",
        epilog="Examples:\n\n\b\n  newsdex alerts\n  newsdex alerts microsoft --format jsonl   # for cron",
    )(alerts)


def print_timeline(
    index: Path | None, query: str, field: str, by: str, fmt: Format, no_color: bool
) -> int:
    """`facets --field date --by PERIOD`: bars on a terminal, records for scripts; exit code."""
    from index.schema import DATE
    from search.engine import Engine
    from search.timeline import check_period, timeline

    if field != DATE:
        raise typer.BadParameter("--by counts dates: use it with --field date", param_hint="--by")
    check_period(by)
    if fmt in (Format.ids, Format.trec):
        raise typer.BadParameter(
            "a timeline writes table, csv, json or jsonl", param_hint="--format"
        )
    with Engine(resolve_index_dir(index)) as engine:
        found = timeline(engine, query, by)
    shown = present.Shown("facets", found.records(), TIMELINE_COLUMNS,
                          lambda _: _draw_timeline(found, no_color),
                          lambda rows: {"query": query, "field": DATE, "by": by, "values": rows})  # fmt: skip
    present.write(shown, fmt, sys.stdout)
    return int(ExitCode.OK if found.dated or found.undated else ExitCode.NO_RESULTS)


def _draw_timeline(found: Any, no_color: bool) -> None:
    from search.charts import render_bars
    from search.format import use_color
    from search.tables import console

    con = console(sys.stdout, use_color(sys.stdout, no_color))
    footer = f"{found.dated:,} dated articles by {found.by}; {found.undated:,} undated"
    render_bars(found.periods, con, footer=footer)


def render_count_bars(counted: tuple[str, list[dict[str, Any]]], con: Any) -> None:
    """`facets --plot`: a field's value counts as bars."""
    from search.charts import render_bars

    field, rows = counted
    render_bars([(str(r["value"]), int(r["count"])) for r in rows], con, title=field)
