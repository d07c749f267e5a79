"""The `newsdex` command line: thin typer commands over the index and search libraries.

Errors become a one-line message and an exit code in one place, `NewsdexGroup.invoke`.
"""

from __future__ import annotations

import os
import re
import sys
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from index.config import COMMIT_EVERY, resolve_index_dir
from index.errors import ExitCode, NewsdexError, is_utf8
from search import present
from search.follow_cli import register as register_follow
from search.format import STREAMED, Format, use_color
from search.messages import describe, refused_write
from search.opensearch.cli import app as opensearch_app
from search.options import IndexOpt, format_option
from search.repl.launch import (
    NO_COLOR_FLAG,
    TRACEBACK_FLAG,
    ShellLine,
    read_shell_line,
)
from search.text import plural

EXPORT_FIELDS = present.DOCUMENT_COLUMNS

EXIT_CODES = """Exit codes:

\b
  0 ok (results found)
  1 no results
  2 usage or query error
  3 index busy (another process is writing)
  4 index missing, damaged or unreadable
  5 a bug in newsdex (report it; --traceback shows it)
  6 the system refused a write (disk full, read-only); what was committed is kept
  130 interrupted"""

EXAMPLES = """Examples:

  newsdex index ~/articles --index ./idx

  newsdex search --index ./idx 'place:Aleppo org:UN'

  newsdex search 'number:>400000' --format jsonl

  newsdex search Iraq War --format ids | newsdex show -

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
        _refuse_undecodable(sys.argv[1:] if args is None else args)
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


def _refuse_undecodable(args: Any) -> None:
    """Exit 2 naming an argument whose bytes are not UTF-8 (Python keeps them as surrogates), before
    it can reach the index, where it would fail like damage."""
    for arg in args:
        if not is_utf8(str(arg)):
            shown = str(arg).encode("utf-8", "surrogateescape").decode("utf-8", "replace")
            typer.echo(
                f"Error: argument {shown!r} is not valid UTF-8 text (\ufffd marks the bad bytes); "
                "set your terminal to UTF-8 or retype it",
                err=True,
            )
            sys.exit(int(ExitCode.USAGE))


def _report_usage(exc: Any) -> None:
    """One line for a bad option or value; help for a bare command; click's own text else."""
    ctx = getattr(exc, "ctx", None)
    if ctx is None or type(exc).__name__ == "NoArgsIsHelpError":
        exc.show()
    else:
        message = _own_words(exc.format_message())
        typer.echo(f"Error: {message} (see {ctx.command_path} --help)", err=True)
    sys.exit(exc.exit_code)


_NOT_ONE_OF = re.compile(r"Value error, '([^']*)' is not one of (.*?)\.?$")


def _own_words(message: str) -> str:
    """click/pydantic's wording of a choice made plain: "'yaml' is not one of: use table, ..."."""
    found = _NOT_ONE_OF.search(message)
    if found is None:
        return message
    accepted = found.group(2).replace("'", "")
    return f"{message[: found.start()]}{found.group(1)!r} is not accepted; use one of {accepted}"


def _reported(exc: NewsdexError | KeyboardInterrupt | OSError, show_traceback: bool) -> int | None:
    """Write the one-line message for an error and return its exit code (None: re-raise it)."""
    if isinstance(exc, BrokenPipeError):  # `newsdex export | head`: the reader has all it wanted
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return int(ExitCode.OK)
    if show_traceback:
        return None
    if isinstance(exc, NewsdexError):
        typer.echo(f"Error: {describe(exc)}", err=True)
        return int(exc.exit_code)
    if isinstance(exc, KeyboardInterrupt):
        typer.echo("Interrupted.", err=True)
        return int(ExitCode.INTERRUPTED)
    refused = refused_write(exc)
    if refused is not None:
        typer.echo(f"Error: {refused}", err=True)
        return int(ExitCode.WRITE_REFUSED)
    # The system refused something: say what, without a traceback.
    typer.echo(f"Error: {exc} (run again with --traceback for details)", err=True)
    return int(ExitCode.USAGE)


app = typer.Typer(
    cls=NewsdexGroup,
    context_settings={"help_option_names": ["-h", "--help"]},
    help=f"Search folders of news articles by words, places, organizations and numbers.\n\n"
    f"{EXAMPLES}\n\n{EXIT_CODES}",
    no_args_is_help=True,
    add_completion=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
)

NoColorOpt = Annotated[
    bool, typer.Option(NO_COLOR_FLAG, help="No colour (also when NO_COLOR is set).")
]
OpenSearchOpt = Annotated[
    str | None,
    typer.Option(
        help="Search OpenSearch at URL instead (also $NEWSDEX_OPENSEARCH; docs/scale.md)."
    ),
]


def _version(value: bool) -> None:
    if value:
        from importlib.metadata import version

        typer.echo(f"newsdex {version('newsdex')}")
        raise typer.Exit()


@app.callback()
def _main(
    ctx: typer.Context,
    show_traceback: Annotated[
        bool, typer.Option(TRACEBACK_FLAG, help="Show the full traceback of an error.")
    ] = False,
    index: IndexOpt = None,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Print the version."),
    ] = False,
) -> None:
    ctx.obj = {"traceback": show_traceback}
    if index is not None:  # `newsdex --index DIR CMD`: the default of every command's --index
        ctx.default_map = {name: {"index": index} for name in getattr(ctx.command, "commands", {})}


def _engine(index: Path | None) -> Any:
    from search.engine import Engine

    return Engine(resolve_index_dir(index))


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
    watch: Annotated[
        bool, typer.Option("--watch", help="Then follow the folders, indexing what changes.")
    ] = False,
    alerts: Annotated[
        bool, typer.Option("--alerts", help="With --watch: print what saved searches find new.")
    ] = False,
    exclude: Annotated[
        list[str] | None,
        typer.Option(
            metavar="GLOB",
            help="Leave matching files or folders out (gitignore syntax, repeatable); a root's "
            ".newsdexignore does the same for every run.",
        ),
    ] = None,
    cluster: Annotated[
        str | None,
        typer.Option(help="Extract on Dask: local:N or tcp://HOST:8786 (also $NEWSDEX_CLUSTER)."),
    ] = None,
    accurate: Annotated[
        bool | None,
        typer.Option(
            "--accurate/--stock",
            help="Organizations checked by a second, larger model: fewer wrong ones, about half "
            "the extraction speed; needs pip install 'newsdex[accurate]' (default: the index's "
            "last mode, else `accurate = true` in the config file, else --stock).",
            show_default=False,
        ),
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
    if alerts and not watch:
        raise typer.BadParameter(
            "goes with --watch; else run `newsdex alerts`", param_hint="--alerts"
        )
    summary = index_paths(
        paths or [],
        resolve_index_dir(index),
        rebuild,
        wait,
        workers or None,
        commit_every,
        cache,
        exclude=exclude or (),
        cluster=cluster,
        accurate=accurate,
    )
    if summary.interrupted:
        raise typer.Exit(int(ExitCode.INTERRUPTED))
    if watch:  # search/watching.py
        from search.watching import WatchOptions, watch_paths

        options = WatchOptions(
            wait, workers or None, commit_every, cache, alerts, exclude=tuple(exclude or ())
        )
        raise typer.Exit(watch_paths(paths or [], resolve_index_dir(index), options))


@app.command(
    epilog="Examples:\n\n\b\n  newsdex search 'place:Aleppo org:UN'\n  newsdex search 'number:>400k' --format jsonl\n  newsdex search --batch queries.tsv --format trec"
)
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
    query = _query_text(words)
    if query is None:
        raise typer.BadParameter("give a QUERY, or --batch FILE", param_hint="QUERY")
    with _search_engine(index, opensearch) as engine:
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


def _query_text(words: list[str] | None) -> str | None:
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


def _search_engine(index: Path | None, opensearch: str | None) -> Any:
    """OpenSearch when a URL is given (--opensearch, $NEWSDEX_OPENSEARCH, config), else Whoosh."""
    from search.backends import resolve_url

    url = resolve_url(opensearch)
    if not url:
        return _engine(index)
    from search.opensearch.search import remote_engine

    return remote_engine(url)


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
    with _search_engine(index, opensearch) as engine:
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


@app.command(epilog="Examples:\n\n\b\n  newsdex similar b92f7a217b0d --limit 5")
def similar(
    doc_id: Annotated[str, typer.Argument(metavar="ID", help="Article id (or a unique prefix).")],
    index: IndexOpt = None,
    limit: Annotated[int, typer.Option("--limit", "-n", min=1)] = 10,
    fmt: Annotated[Format, format_option("similar")] = Format.table,
    no_color: NoColorOpt = False,
) -> None:
    """Articles like this one: shared key words, places and organizations."""
    with _engine(index) as engine:
        results = engine.similar(doc_id, limit)
    if not _print_results(results, fmt, no_color):
        raise typer.Exit(int(ExitCode.NO_RESULTS))


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
    fmt: Annotated[Format, format_option("facets")] = Format.table,
    no_color: NoColorOpt = False,
    by: Annotated[
        str | None, typer.Option(help="With --field date: day, week, month or year.")
    ] = None,
    plot: Annotated[bool, typer.Option("--plot", help="Draw the counts as bars.")] = False,
    opensearch: OpenSearchOpt = None,
    kind: Annotated[
        str | None,
        typer.Option(
            help="With --field org: only organizations of this kind (company, party, "
            "government, media, club, international, ngo)."
        ),
    ] = None,
) -> None:
    """Count a field's values over every result of a query (not only the first page), or with
    --field date the articles per period (a timeline)."""
    from index.schema import DATE, FACET_FIELDS, canonical_field

    name = canonical_field(field)
    if name == DATE or by is not None:
        from search.follow_cli import print_timeline

        raise typer.Exit(print_timeline(index, query, name, by or "month", fmt, no_color))
    if name not in FACET_FIELDS:
        raise typer.BadParameter(f"use one of {', '.join(FACET_FIELDS)}", param_hint="--field")
    wanted = _org_kind(kind, name) if kind is not None else None
    with _search_engine(index, opensearch) as engine:
        counts = engine.facets(query, name, limit, kind=wanted)
    _write(present.counts(query, name, counts, bars=plot), fmt, no_color)
    if not counts:
        raise typer.Exit(int(ExitCode.NO_RESULTS))


def _org_kind(word: str, field: str) -> str:
    """The organization kind `--kind` names; a usage error for another field or an unknown kind."""
    from index.orgkinds import KINDS, kind_of
    from index.schema import ORGANIZATION

    if field != ORGANIZATION:
        raise typer.BadParameter("--kind needs --field org", param_hint="--kind")
    found = kind_of(word)
    if found is None:
        raise typer.BadParameter(f"use one of {', '.join(KINDS)}", param_hint="--kind")
    return found


def _write(shown: present.Shown, fmt: Format, no_color: bool = False) -> int:
    return present.write(shown, fmt, sys.stdout, use_color(sys.stdout, no_color))


@app.command(
    epilog="Examples:\n\n\b\n  newsdex show b92f7a217b0d\n  newsdex show b92f --format json"
)
def show(
    refs: Annotated[
        list[str],
        typer.Argument(
            metavar="ID|PATH...",
            help="Article ids, unique id prefixes, or paths as results print them ('-': read "
            "them from stdin, one a line).",
        ),
    ],
    index: IndexOpt = None,
    fmt: Annotated[Format, format_option("show")] = Format.table,
    no_color: NoColorOpt = False,
) -> None:
    """Show articles with their places, organizations and numbers."""
    from search.lookup import find

    if refs == ["-"]:
        refs = [line.strip() for line in sys.stdin if line.strip()]
    with _engine(index) as engine:
        docs = list(find(engine, refs))
    _write(present.documents(docs), fmt, no_color)


@app.command(epilog="Examples:\n\n\b\n  newsdex stats --format json")
def stats(
    index: IndexOpt = None,
    fmt: Annotated[Format, format_option("stats")] = Format.table,
    no_color: NoColorOpt = False,
) -> None:
    """Documents, size on disk, last indexed, top places and organizations."""
    with _engine(index) as engine:
        result = engine.stats()
    _write(present.stats(result), fmt, no_color)


@app.command(
    epilog="Examples:\n\n\b\n  newsdex export --format jsonl > articles.jsonl\n  newsdex export --format csv --body"
)
def export(
    words: Annotated[
        list[str] | None,
        typer.Argument(metavar="[QUERY...]", help="Export only the matches (default: all)."),
    ] = None,
    index: IndexOpt = None,
    fmt: Annotated[Format, format_option("export")] = Format.jsonl,
    body: Annotated[bool, typer.Option(help="Include each article's text.")] = False,
    fields: Annotated[
        str | None,
        typer.Option(help=f"Columns to write, comma-separated, from: {', '.join(EXPORT_FIELDS)}."),
    ] = None,
) -> None:
    """Articles with their entities, streamed (no cap): all, or the matches of a query."""
    from search.lookup import matching

    chosen = _export_fields(fields, body)
    query = _query_text(words)
    with _engine(index) as engine:
        _write(present.documents(matching(engine, query), "export", chosen), fmt)


def _export_fields(fields: str | None, body: bool) -> tuple[str, ...]:
    if fields is None:
        return tuple(f for f in EXPORT_FIELDS if body or f != "body")
    chosen = tuple(f.strip() for f in fields.split(",") if f.strip())
    wrong = [f for f in chosen if f not in EXPORT_FIELDS]
    if wrong or not chosen:
        raise typer.BadParameter(
            f"{', '.join(wrong) or 'nothing'} is not a column; use some of "
            f"{', '.join(EXPORT_FIELDS)}",
            param_hint="--fields",
        )
    return chosen


@app.command(epilog="Examples:\n\n\b\n  newsdex rm b92f7a217b0d\n  newsdex rm ~/articles/old")
def rm(
    targets: Annotated[
        list[str], typer.Argument(metavar="ID|PATH...", help="Article ids, files or folders.")
    ],
    index: IndexOpt = None,
    wait: Annotated[float, typer.Option(help="Seconds to wait for another writer.")] = 10.0,
) -> None:
    """Remove articles from the index (by id, or every article of a file or folder, given as
    results print it or as a path); a removed path is added to its root's .newsdexignore, so
    that the next `newsdex index` leaves it out."""
    from index.ignore import add_to_ignore, as_path, owning_root
    from index.meta import IndexMeta
    from index.writer import remove_documents

    directory = resolve_index_dir(index)
    roots = IndexMeta.load(directory).roots
    found = {t: as_path(t, roots) for t in targets}
    paths = [p for p in found.values() if p is not None]
    ids = [t for t, p in found.items() if p is None]
    removed = remove_documents(directory, ids, paths, wait)
    typer.echo(f"Removed {plural(removed, 'article')}.")
    for path in paths:  # so that the next `newsdex index` does not bring it back
        root = owning_root(path, roots)
        if root is not None and path != root:
            ignore = add_to_ignore(root, path.relative_to(root).as_posix())
            typer.echo(f"Added {path.relative_to(root).as_posix()} to {ignore}.")
    if not removed:
        raise typer.Exit(int(ExitCode.NO_RESULTS))


@app.command(epilog="Examples:\n\n\b\n  newsdex check --index ./idx")
def check(index: IndexOpt = None) -> None:
    """Verify the index: read every segment and document, report orphaned files (exit 4 on damage)."""
    from index.check import check_index
    from search.messages import checked

    typer.echo(checked(check_index(resolve_index_dir(index))))


@app.command(
    epilog="Examples:\n\n\b\n  newsdex aliases --format json\n  newsdex aliases --index ./idx"
)
def aliases(
    index: IndexOpt = None,
    fmt: Annotated[Format, format_option("aliases")] = Format.table,
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
    shown = present.aliases([str(f.path) for f in files], looked, records)
    _write(shown, fmt, no_color)


# The OpenSearch group lives in its own module; its commands import lazily.
app.add_typer(opensearch_app, name="opensearch")


@app.command(
    epilog="Examples:\n\n\b\n  newsdex shell --index ./idx\n"
    "  newsdex shell --opensearch http://localhost:9200"
)
def shell(
    index: IndexOpt = None, no_color: NoColorOpt = False, opensearch: OpenSearchOpt = None
) -> None:
    """The interactive search shell (indexes the bundled sample corpus on first use)."""
    from search.backends import resolve_url
    from search.repl.app import run_shell

    run_shell(index, no_color=no_color, url=resolve_url(opensearch))


register_follow(app)  # saved, alerts (search/follow_cli.py)


def main() -> None:
    """The console script. A bug ends in one line (and exit 5) unless --traceback is given.

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
        print(internal_error(exc), file=sys.stderr)
        sys.exit(int(ExitCode.INTERNAL))


def internal_error(exc: BaseException) -> str:
    """The line for a bug in newsdex: not the user's input, not the index (no rebuild advice)."""
    return (
        f"Error: newsdex bug ({type(exc).__name__}: {exc}). Your index is not at fault; please "
        f"report it with the output of: newsdex {TRACEBACK_FLAG} {' '.join(sys.argv[1:])}"
    )


def _shell_without_typer(line: ShellLine) -> None:
    try:
        shell(line.index, line.no_color)
    except (NewsdexError, KeyboardInterrupt, OSError) as exc:
        code = _reported(exc, line.traceback)
        if code is None:
            raise
        sys.exit(code)
