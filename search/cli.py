"""The `newsdex` command line: thin typer commands over the index and search libraries.

Errors become a one-line message and an exit code in one place, `NewsdexGroup.invoke`.
"""

from __future__ import annotations

import os
import sys
from functools import partial
from pathlib import Path
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from index.config import COMMIT_EVERY, INDEX_ENV, default_index_dir, resolve_index_dir
from index.errors import ExitCode, NewsdexError
from search.format import Format, emit, use_color
from search.opensearch.cli import app as opensearch_app
from search.repl.launch import (
    INDEX_FLAGS,
    NO_COLOR_FLAG,
    TRACEBACK_FLAG,
    ShellLine,
    read_shell_line,
)
from search.results import RESULT_COLUMNS

EXIT_CODES = """Exit codes: 0 ok (results found), 1 no results, 2 usage or query error,
3 index busy (another process is writing), 4 index missing, damaged or unreadable,
130 interrupted."""

EXAMPLES = """Examples:

  newsdex index ~/articles --index ./idx

  newsdex search --index ./idx 'place:Aleppo org:UN'

  newsdex search 'number:>400000' --format jsonl

  newsdex show ID

  newsdex shell"""


class NewsdexGroup(TyperGroup):
    """The one boundary where library errors become a message and an exit code."""

    def main(
        self,
        args: Any = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        windows_expand_args: bool = True,
        **extra: Any,
    ) -> Any:
        """click's main, with a usage error (a bad option or value) as one line, exit 2."""
        run = partial(super().main, args, prog_name, complete_var, False, windows_expand_args)
        if not standalone_mode:
            return run(**extra)
        try:
            code = run(**extra)
        except Exception as exc:  # click's exceptions: typer vendors its own copy of click
            if not (hasattr(exc, "format_message") and hasattr(exc, "exit_code")):
                raise
            _report_usage(exc)
        except typer.Abort:
            typer.echo("Aborted.", err=True)
            sys.exit(int(ExitCode.INTERRUPTED))
        sys.exit(code if isinstance(code, int) else int(ExitCode.OK))

    def invoke(self, ctx: Any) -> Any:  # click's Context (typer vendors click)
        try:
            return super().invoke(ctx)
        except (NewsdexError, KeyboardInterrupt, OSError) as exc:
            code = _reported(exc, bool((ctx.obj or {}).get("traceback")))
            if code is None:
                raise
            ctx.exit(code)


def _report_usage(exc: Any) -> None:
    """One line for a bad option or value; help for a bare command; click's own text else."""
    ctx = getattr(exc, "ctx", None)
    if ctx is None or type(exc).__name__ == "NoArgsIsHelpError":
        exc.show()
    else:
        typer.echo(f"Error: {exc.format_message()} (see {ctx.command_path} --help)", err=True)
    sys.exit(exc.exit_code)


def _reported(exc: NewsdexError | KeyboardInterrupt | OSError, show_traceback: bool) -> int | None:
    """Write the one-line message for an error and return its exit code (None: re-raise it)."""
    if isinstance(exc, BrokenPipeError):  # `newsdex export | head`: the reader has all it wanted
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return int(ExitCode.OK)
    if show_traceback:
        return None
    if isinstance(exc, NewsdexError):
        typer.echo(f"Error: {exc}", err=True)
        return int(exc.exit_code)
    if isinstance(exc, KeyboardInterrupt):
        typer.echo("Interrupted.", err=True)
        return int(ExitCode.INTERRUPTED)
    # The system refused something: say what, without a traceback.
    typer.echo(f"Error: {exc} (run again with --traceback for details)", err=True)
    return int(ExitCode.USAGE)


app = typer.Typer(
    cls=NewsdexGroup,
    help=f"Search folders of news articles by words, places, organizations and numbers.\n\n"
    f"{EXAMPLES}\n\n{EXIT_CODES}",
    no_args_is_help=True,
    add_completion=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
)

IndexOpt = Annotated[
    Path | None,
    typer.Option(
        *INDEX_FLAGS,
        help=f"Index folder. Default: ${INDEX_ENV}, else {default_index_dir()}",
        show_default=False,
        file_okay=False,
    ),
]
FormatOpt = Annotated[Format, typer.Option("--format", "-f", help="Output format.")]
NoColorOpt = Annotated[
    bool, typer.Option(NO_COLOR_FLAG, help="No colour (also when NO_COLOR is set).")
]
OpenSearchOpt = Annotated[
    str | None,
    typer.Option(
        help="Search OpenSearch at URL instead (also $NEWSDEX_OPENSEARCH; docs/scale.md)."
    ),
]


@app.callback()
def _main(
    ctx: typer.Context,
    show_traceback: Annotated[
        bool, typer.Option(TRACEBACK_FLAG, help="Show the full traceback of an error.")
    ] = False,
) -> None:
    ctx.obj = {"traceback": show_traceback}


def _engine(index: Path | None) -> Any:
    from search.engine import Engine

    return Engine(resolve_index_dir(index))


def _console(no_color: bool) -> Any:
    from search.tables import console

    return console(sys.stdout, use_color(sys.stdout, no_color))


@app.command(
    epilog="Examples:\n\n\b\n  newsdex index ~/articles --index ./idx\n  newsdex index                 # bring every indexed folder up to date\n  newsdex index ~/articles --rebuild"
)
def index(
    paths: Annotated[
        list[Path] | None, typer.Argument(help="Files or folders (default: those indexed before).")
    ] = None,
    index: IndexOpt = None,
    rebuild: Annotated[bool, typer.Option(help="Start over: drop the index's contents.")] = False,
    wait: Annotated[
        float, typer.Option(help="Seconds to wait for another process's write lock.")
    ] = 10.0,
    workers: Annotated[int, typer.Option(help="Extraction processes (0: all cores).")] = 0,
    commit_every: Annotated[
        int, typer.Option(min=1, help="Articles per commit: what an interruption keeps.")
    ] = COMMIT_EVERY,
    cache: Annotated[bool, typer.Option(help="Reuse entities extracted before.")] = True,
    cluster: Annotated[
        str | None,
        typer.Option(help="Extract on Dask: local:N or tcp://HOST:8786 (also $NEWSDEX_CLUSTER)."),
    ] = None,
) -> None:
    """Index articles (.txt .md .html .json .jsonl): only new or changed files are read."""
    from search.indexing import index_paths

    missing = [str(p) for p in paths or [] if not p.exists()]
    if missing:
        raise typer.BadParameter(
            f"{', '.join(missing)}: no such file or folder. Check the path, or give no PATH "
            "to bring the folders indexed before up to date",
            param_hint="PATH",
        )
    summary = index_paths(
        paths or [],
        resolve_index_dir(index),
        rebuild,
        wait,
        workers or None,
        commit_every,
        cache,
        cluster=cluster,
    )
    if summary.interrupted:
        raise typer.Exit(int(ExitCode.INTERRUPTED))


@app.command(
    epilog="Examples:\n\n\b\n  newsdex search 'place:Aleppo org:UN'\n  newsdex search 'number:>400k' --format jsonl\n  newsdex search --batch queries.tsv --format trec"
)
def search(
    query: Annotated[
        str | None, typer.Argument(help="Query, e.g. 'place:Aleppo org:UN number:>1000'.")
    ] = None,
    index: IndexOpt = None,
    limit: Annotated[int, typer.Option("--limit", "-n", min=1, help="Results per page.")] = 10,
    page: Annotated[int, typer.Option(min=1, help="Page of results.")] = 1,
    fmt: FormatOpt = Format.table,
    sort: Annotated[str, typer.Option(help="score, date or -date.")] = "score",
    since: Annotated[str | None, typer.Option(help="Only articles dated from: 2016-09.")] = None,
    until: Annotated[str | None, typer.Option(help="Only articles dated until: 2016.")] = None,
    strict: Annotated[bool, typer.Option(help="Fail on malformed queries.")] = False,
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
    options = SearchOptions(limit, page, sort, strict, True, suggest, since, until)
    if batch is not None:
        raise typer.Exit(_batch(index, batch, options, fmt, opensearch))
    if query is None:
        raise typer.BadParameter("give a QUERY, or --batch FILE", param_hint="QUERY")
    with _search_engine(index, opensearch) as engine:
        if explain:
            from search.query import explain as explain_query

            typer.echo(explain_query(engine.parse(query, strict=strict)))
        results = engine.search(query, options)
    _print_results(results, fmt, no_color)


def _print_results(results: Any, fmt: Format, no_color: bool) -> None:
    """One page of results in any format; exit code 1 when there are none."""
    if fmt is Format.trec:
        raise typer.BadParameter("trec is for --batch", param_hint="--format")
    envelope = results.envelope()
    emit(
        (hit.record() for hit in results.hits),
        fmt,
        sys.stdout,
        table=lambda _: _render("render_results", results, no_color),
        envelope=envelope,
        columns=RESULT_COLUMNS,
    )
    if not results.hits:
        raise typer.Exit(int(ExitCode.NO_RESULTS))


def _search_engine(index: Path | None, opensearch: str | None) -> Any:
    """OpenSearch when a URL is given (--opensearch, $NEWSDEX_OPENSEARCH, config), else Whoosh."""
    from search.opensearch.search import remote_engine, resolve_url

    url = resolve_url(opensearch)
    return remote_engine(url) if url else _engine(index)


def _batch(
    index: Path | None, source: Path, options: Any, fmt: Format, opensearch: str | None
) -> int:
    from search.batch import read_queries, run_batch

    if fmt not in (Format.jsonl, Format.trec, Format.table):
        raise typer.BadParameter("--batch writes jsonl or trec", param_hint="--format")
    lines = sys.stdin if str(source) == "-" else _open_text(source)
    with _search_engine(index, opensearch) as engine:
        found = run_batch(engine, read_queries(lines), options, sys.stdout, sys.stderr, fmt)
    return int(ExitCode.OK if found else ExitCode.NO_RESULTS)


def _open_text(path: Path) -> Any:
    try:
        return path.open(encoding="utf-8")
    except OSError as exc:
        message = f"cannot read {path}: {exc.strerror}"
        raise typer.BadParameter(message, param_hint="--batch") from None


@app.command(epilog="Examples:\n\n\b\n  newsdex similar b92f7a217b0d --limit 5")
def similar(
    doc_id: Annotated[str, typer.Argument(metavar="ID", help="Article id (or a unique prefix).")],
    index: IndexOpt = None,
    limit: Annotated[int, typer.Option("--limit", "-n", min=1)] = 10,
    fmt: FormatOpt = Format.table,
    no_color: NoColorOpt = False,
) -> None:
    """Articles like this one: shared key words, places and organizations."""
    with _engine(index) as engine:
        results = engine.similar(doc_id, limit)
    _print_results(results, fmt, no_color)


@app.command(
    epilog="Examples:\n\n\b\n  newsdex facets 'aid' --field country\n  newsdex facets '*' --field organization --format csv"
)
def facets(
    query: Annotated[str, typer.Argument(help="Query whose results are counted ('*': all).")],
    field: Annotated[
        str, typer.Option("--field", help="place, country, organization, ...")
    ] = "place",
    index: IndexOpt = None,
    limit: Annotated[int, typer.Option("--limit", "-n", min=1)] = 20,
    fmt: FormatOpt = Format.table,
    no_color: NoColorOpt = False,
    opensearch: OpenSearchOpt = None,
) -> None:
    """Count a field's values over every result of a query (not only the first page)."""
    from index.schema import FACET_FIELDS, canonical_field

    name = canonical_field(field)
    if name not in FACET_FIELDS:
        raise typer.BadParameter(f"use one of {', '.join(FACET_FIELDS)}", param_hint="--field")
    with _search_engine(index, opensearch) as engine:
        counts = engine.facets(query, name, limit)
    records = [{"value": value, "count": n} for value, n in counts]
    emit(records, fmt, sys.stdout, lambda r: _render("render_counts", (name, r), no_color))
    if not records:
        raise typer.Exit(int(ExitCode.NO_RESULTS))


def _render(name: str, value: Any, no_color: bool) -> None:
    from search import tables

    getattr(tables, name)(value, _console(no_color))


@app.command(
    epilog="Examples:\n\n\b\n  newsdex show b92f7a217b0d\n  newsdex show b92f --format json"
)
def show(
    doc_id: Annotated[str, typer.Argument(metavar="ID", help="Article id (or a unique prefix).")],
    index: IndexOpt = None,
    fmt: FormatOpt = Format.table,
    no_color: NoColorOpt = False,
) -> None:
    """Show one article with its places, organizations and numbers."""
    with _engine(index) as engine:
        doc = engine.get(doc_id)
    emit(
        [doc.record(with_body=True)],
        fmt,
        sys.stdout,
        lambda _: _render("render_document", doc, no_color),
    )


@app.command(epilog="Examples:\n\n\b\n  newsdex stats --format json")
def stats(
    index: IndexOpt = None, fmt: FormatOpt = Format.table, no_color: NoColorOpt = False
) -> None:
    """Documents, size on disk, last indexed, top places and organizations."""
    with _engine(index) as engine:
        result = engine.stats()
    emit([result.record()], fmt, sys.stdout, lambda _: _render("render_stats", result, no_color))


@app.command(
    epilog="Examples:\n\n\b\n  newsdex export --format jsonl > articles.jsonl\n  newsdex export --format csv --body"
)
def export(
    index: IndexOpt = None,
    fmt: FormatOpt = Format.jsonl,
    body: Annotated[bool, typer.Option(help="Include each article's text.")] = False,
) -> None:
    """Every article with its entities, streamed (no cap)."""
    if fmt is Format.table:
        raise typer.BadParameter("export writes jsonl, json, csv or ids", param_hint="--format")
    with _engine(index) as engine:
        emit((doc.record(with_body=body) for doc in engine.documents()), fmt, sys.stdout)


@app.command(epilog="Examples:\n\n\b\n  newsdex rm b92f7a217b0d\n  newsdex rm ~/articles/old")
def rm(
    targets: Annotated[
        list[str], typer.Argument(metavar="ID|PATH...", help="Article ids, files or folders.")
    ],
    index: IndexOpt = None,
    wait: Annotated[float, typer.Option(help="Seconds to wait for another writer.")] = 10.0,
) -> None:
    """Remove articles from the index (by id, or every article of a file or folder)."""
    from index.writer import remove_documents

    paths = [Path(t) for t in targets if Path(t).exists()]
    ids = [t for t in targets if not Path(t).exists()]
    removed = remove_documents(resolve_index_dir(index), ids, paths, wait)
    typer.echo(f"Removed {removed} articles.")
    if not removed:
        raise typer.Exit(int(ExitCode.NO_RESULTS))


@app.command(epilog="Examples:\n\n\b\n  newsdex check --index ./idx")
def check(index: IndexOpt = None) -> None:
    """Verify the index: read every segment and document, report orphaned files (exit 4 on damage)."""
    from index.check import check_index

    typer.echo(check_index(resolve_index_dir(index)).line())


@app.command(
    epilog="Examples:\n\n\b\n  newsdex aliases --format json\n  newsdex aliases --index ./idx"
)
def aliases(
    index: IndexOpt = None,
    fmt: FormatOpt = Format.table,
    no_color: NoColorOpt = False,
) -> None:
    """List the organization aliases in use, checking the user files: built-in, then the config
    file's [aliases], then the index's own file beside its folder, ./idx.aliases.toml for ./idx
    (a later file wins)."""
    from index.orgs import alias_paths, load_aliases, read_alias_files

    directory = resolve_index_dir(index)
    files = read_alias_files(directory)
    records = [{"name": name, "aliases": list(names)} for name, names in load_aliases(files)]
    looked = " or ".join(map(str, alias_paths(directory)))
    where = ", ".join(str(f.path) for f in files) or f"none; looked for {looked}"
    emit(records, fmt, sys.stdout, lambda r: _render("render_aliases", (where, r), no_color))


# The OpenSearch group lives in its own module (issue 19); its commands import lazily.
app.add_typer(opensearch_app, name="opensearch")


@app.command(epilog="Examples:\n\n\b\n  newsdex shell --index ./idx")
def shell(index: IndexOpt = None, no_color: NoColorOpt = False) -> None:
    """The interactive search shell (indexes the bundled sample corpus on first use)."""
    from search.repl.app import run_shell

    run_shell(index, no_color=no_color)


def main() -> None:
    """The console script. A bug still ends in one line (and exit 2) unless --traceback is given.

    A plain `newsdex shell` line skips typer's parsing (its pydantic coercion costs about 90 ms
    before the prompt) and calls the `shell` command behind the same error boundary.
    """
    line = read_shell_line(sys.argv[1:])
    try:
        if line is None:
            app()
        else:
            _shell_without_typer(line)
    except Exception as exc:
        if TRACEBACK_FLAG in sys.argv:
            raise
        message = f"Error: {type(exc).__name__}: {exc} (run again with --traceback to report it)"
        print(message, file=sys.stderr)
        sys.exit(int(ExitCode.USAGE))


def _shell_without_typer(line: ShellLine) -> None:
    try:
        shell(line.index, line.no_color)
    except (NewsdexError, KeyboardInterrupt, OSError) as exc:
        code = _reported(exc, line.traceback)
        if code is None:
            raise
        sys.exit(code)
