"""The `search` and `similar` commands, registered on the main app by search/cli.py: a page of
results or every match streamed, what to tell people on stderr, and --batch."""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path
from typing import Annotated, Any

import typer

from index.errors import ExitCode
from search import present
from search.format import STREAMED, Format, use_color
from search.options import (
    IndexOpt,
    NoColorOpt,
    OpenSearchOpt,
    format_option,
    open_engine,
    search_engine,
)
from search.text import plural

SEARCH_EPILOG = "Examples:\n\n\b\n  newsdex search 'place:Aleppo org:UN'\n  newsdex search 'number:>400k' --format jsonl\n  newsdex search --batch queries.tsv --format trec"


def search(
    words: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="QUERY...",
            help="Query, e.g. place:Aleppo org:UN number:>1000 (several words are joined; "
            "'-' reads it from stdin).",
        ),
    ] = None,
    index: IndexOpt = None,
    limit: Annotated[
        int | None,
        typer.Option(
            "--limit",
            "-n",
            min=0,
            show_default=False,
            help="Results per page, 0 for all. Default: 10; ids, jsonl, csv and trec written "
            "to a pipe or a file give every match.",
        ),
    ] = None,
    page: Annotated[int, typer.Option(min=1, help="Page of results.")] = 1,
    fmt: Annotated[Format, format_option("search")] = Format.table,
    sort: Annotated[str, typer.Option(help="score, date or -date.")] = "score",
    since: Annotated[str | None, typer.Option(help="Only articles dated from: 2016-09.")] = None,
    until: Annotated[str | None, typer.Option(help="Only articles dated until: 2016.")] = None,
    strict: Annotated[
        bool, typer.Option(help="Fail on malformed queries; capitals keep their operators.")
    ] = False,
    explain: Annotated[bool, typer.Option(help="Print the parsed query.")] = False,
    suggest: Annotated[bool, typer.Option(help="Offer a corrected query (did you mean).")] = True,
    batch: Annotated[
        Path | None, typer.Option(help="Run one query per line of FILE ('-': stdin).")
    ] = None,
    no_color: NoColorOpt = False,
    opensearch: OpenSearchOpt = None,
) -> None:
    """Search the index. Words match title and body, and all of them must match."""
    from search.engine import SORTS, SearchOptions

    if sort not in SORTS:
        raise typer.BadParameter(f"use one of {', '.join(SORTS)}", param_hint="--sort")
    every = _every_match(fmt, limit, page)
    snippets = fmt not in (Format.ids, Format.trec)
    options = SearchOptions(
        limit=limit or 10,
        page=page,
        sort=sort,
        strict=strict,
        snippets=snippets,
        suggest=suggest,
        since=since,
        until=until,
    )
    if batch is not None:
        raise typer.Exit(_batch(index, batch, options, fmt, opensearch))
    query = query_text(words)
    if query is None:
        raise typer.BadParameter("give a QUERY, or --batch FILE", param_hint="QUERY")
    with search_engine(index, opensearch) as engine:
        if explain:
            typer.echo(engine.explain(query, options), err=True)
        if every:
            found = _stream(engine, query, options, fmt)
            left_out = engine.undated_left_out(query, options)
        else:
            results = engine.search(query, options)
            found, left_out = _print_results(results, fmt, no_color), results.undated_left_out
        if left_out:
            _report_undated(left_out, engine.all_undated())
    if not found:
        raise typer.Exit(int(ExitCode.NO_RESULTS))


def query_text(words: list[str] | None) -> str | None:
    """The query of `search`: its words joined, or stdin's text for `-`."""
    if not words:
        return None
    if words == ["-"]:
        return sys.stdin.read().strip() or None
    return " ".join(words)


def _every_match(fmt: Format, limit: int | None, page: int) -> bool:
    """Whether to write every match: `--limit 0`, or a script's format written to a pipe or a
    file with no --limit (as ripgrep does); a terminal gets a page."""
    if limit == 0:
        return True
    return limit is None and page == 1 and fmt in STREAMED and not sys.stdout.isatty()


def _stream(engine: Any, query: str, options: Any, fmt: Format) -> int:
    """Every match, written as it is read: memory holds the ranking, not the articles."""
    from search.results import Results

    if fmt in (Format.json, Format.table):  # --limit 0: one page holding every match
        shown = tuple(engine.hits(query, options))
        page = Results(query, len(shown), 1, max(1, len(shown)), shown, sort=options.sort)
        return _print_results(page, fmt, False)
    written = present.write(present.stream(engine.hits(query, options)), fmt, sys.stdout)
    # What a page would have said (how the query was read, did you mean) goes to stderr too.
    suggest = options.suggest and not written
    first = replace(options, limit=1, page=1, snippets=False, suggest=suggest)
    for line in _messages(engine.search(query, first), written):
        typer.echo(line, err=True)
    return written


def _report_undated(left_out: int, everywhere: bool) -> None:
    """On stderr: how many matching articles --since/--until left out for having no date."""
    where = " (no article in this index has a date)" if everywhere else ""
    typer.echo(
        f"Note: --since/--until left out {plural(left_out, 'matching article')} without a "
        f"date{where}.",
        err=True,
    )


def _print_results(results: Any, fmt: Format, no_color: bool) -> int:
    """One page of results on stdout, what to tell people on stderr; how many were written
    (none for a page past the last one, which says so)."""
    if results.page > results.pages:  # Whoosh answers a page past the end with the last one
        results = replace(results, hits=())
    if fmt is not Format.table or results.hits:
        shown = present.results(results, messages=False)
        present.write(shown, fmt, sys.stdout, use_color(sys.stdout, no_color))
    for line in _messages(results, len(results.hits)):
        typer.echo(line, err=True)
    return len(results.hits)


def _messages(results: Any, written: int) -> list[str]:
    """What a search tells people besides the `written` results: never on stdout."""
    lines = []
    if results.total and results.page > results.pages:
        lines.append(
            f"Page {results.page} is past the last page ({plural(results.pages, 'page')} of "
            f"{plural(results.total, 'article')}). Use --page {results.pages} or less"
        )
    elif not written:
        lines.append(f"No articles match {results.query!r}.")
    if results.note:
        lines.append(f"Note: {results.note}")
    if results.suggestion:
        lines.append(f"Did you mean: {results.suggestion}")
    return lines


def _batch(
    index: Path | None, source: Path, options: Any, fmt: Format, opensearch: str | None
) -> int:
    from search.batch import read_queries, run_batch

    if fmt not in (Format.jsonl, Format.trec, Format.table):
        raise typer.BadParameter("--batch writes jsonl or trec", param_hint="--format")
    lines = _stdin_lines() if str(source) == "-" else _open_text(source)
    with search_engine(index, opensearch) as engine:
        found = run_batch(engine, read_queries(lines), options, sys.stdout, sys.stderr, fmt)
    return int(ExitCode.OK if found else ExitCode.NO_RESULTS)


def _stdin_lines() -> Any:
    """Standard input as text that keeps a non-UTF-8 byte for read_queries to report by line."""
    import io

    return io.TextIOWrapper(sys.stdin.buffer, encoding="utf-8", errors="surrogateescape")


def _open_text(path: Path) -> Any:
    try:
        return path.open(encoding="utf-8", errors="surrogateescape")  # read_queries reports them
    except OSError as exc:
        message = f"cannot read {path}: {exc.strerror}"
        raise typer.BadParameter(message, param_hint="--batch") from None


SIMILAR_EPILOG = "Examples:\n\n\b\n  newsdex similar b92f7a217b0d --limit 5"


def similar(
    doc_id: Annotated[str, typer.Argument(metavar="ID", help="Article id (or a unique prefix).")],
    index: IndexOpt = None,
    limit: Annotated[int, typer.Option("--limit", "-n", min=1)] = 10,
    fmt: Annotated[Format, format_option("similar")] = Format.table,
    no_color: NoColorOpt = False,
) -> None:
    """Articles like this one: shared key words, places and organizations."""
    with open_engine(index) as engine:
        results = engine.similar(doc_id, limit)
    if not _print_results(results, fmt, no_color):
        raise typer.Exit(int(ExitCode.NO_RESULTS))


def register(app: typer.Typer) -> None:
    """Add `search` and `similar` to the main command line."""
    app.command(epilog=SEARCH_EPILOG)(search)
    app.command(epilog=SIMILAR_EPILOG)(similar)
