"""The `newsdex` command line: thin typer commands over the index and search libraries.

Errors become a one-line message and an exit code in one place (search/cli_boundary.py);
`search` and `similar` live in search/search_cli.py, `saved` and `alerts` in search/follow_cli.py.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from index.config import COMMIT_EVERY, resolve_index_dir
from index.errors import ExitCode, NewsdexError
from search import present
from search.cli_boundary import NewsdexGroup, internal_error, reported
from search.follow_cli import register as register_follow
from search.format import Format, use_color
from search.opensearch.cli import app as opensearch_app
from search.options import (
    IndexOpt,
    NoColorOpt,
    OpenSearchOpt,
    format_option,
    open_engine,
    search_engine,
)
from search.repl.launch import TRACEBACK_FLAG, ShellLine, read_shell_line
from search.search_cli import query_text
from search.search_cli import register as register_search
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


register_search(app)  # search, similar (search/search_cli.py)


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
    with search_engine(index, opensearch) as engine:
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
    with open_engine(index) as engine:
        docs = list(find(engine, refs))
    _write(present.documents(docs), fmt, no_color)


@app.command(epilog="Examples:\n\n\b\n  newsdex stats --format json")
def stats(
    index: IndexOpt = None,
    fmt: Annotated[Format, format_option("stats")] = Format.table,
    no_color: NoColorOpt = False,
) -> None:
    """Documents, size on disk, last indexed, top places and organizations."""
    with open_engine(index) as engine:
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
    query = query_text(words)
    with open_engine(index) as engine:
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


def _shell_without_typer(line: ShellLine) -> None:
    try:
        shell(line.index, line.no_color)
    except (NewsdexError, KeyboardInterrupt, OSError) as exc:
        code = reported(exc, line.traceback)
        if code is None:
            raise
        sys.exit(code)
