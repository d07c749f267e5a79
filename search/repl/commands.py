"""The shell's `:commands`, each registered with its help by the `command` decorator.

Each takes the session state and the argument text, and returns what the shell prints.
"""

from __future__ import annotations

import io
import textwrap
from dataclasses import replace
from pathlib import Path

from index import schema as S
from index.config import config_file
from index.errors import UsageError
from index.ignore import is_index_folder
from search import present
from search.engine import SORTS
from search.repl import settings
from search.repl.registry import COMMANDS, Arg, command, lookup, unknown
from search.repl.state import ShellState, format_results, run_query, shown_text, switch_index
from search.results import Hit, Results
from search.text import plural

MAX_LIMIT = settings.MAX_LIMIT
HISTORY_SHOWN = 20


def _command_names(state: ShellState) -> list[tuple[str, str]]:
    return [(name, cmd.summary) for name, cmd in COMMANDS.items()]


def _formats(state: ShellState) -> list[tuple[str, str]]:
    return [(f.value, "current" if f is state.fmt else "") for f in present.formats("search")]


def _sorts(state: ShellState) -> list[tuple[str, str]]:
    return [(s, "current" if s == state.options.sort else "") for s in SORTS]


def _ranks(state: ShellState) -> list[tuple[str, str]]:
    hits = state.last.hits if state.last else ()
    return [(str(hit.rank), hit.document.title[:50]) for hit in hits]


@command("help", "[COMMAND]", aliases=("h", "?"), arg=Arg.CHOICE, choices=_command_names)
def help_(state: ShellState, argument: str) -> str:
    """List the commands, or explain one.

    Anything that does not start with ':' is a search query, e.g. place:Aleppo org:"World Food
    Program" number:>1000. Tab completes fields, values and commands; Ctrl-R searches history;
    PageDown/PageUp page through results; Ctrl-D quits.
    """
    if argument:
        found = lookup(argument.lstrip(":"))
        if found is None:
            raise unknown(argument.lstrip(":"))
        aliases = (
            f"\n  aliases: {', '.join(':' + a for a in found.aliases)}" if found.aliases else ""
        )
        details = f"\n  {found.details}" if found.details else ""
        return f"{found.usage}\n  {found.summary}{details}{aliases}"
    width = max(len(cmd.usage) for cmd in COMMANDS.values())
    indent = " " * (width + 4)
    lines = [
        textwrap.fill(
            f"  {cmd.usage:<{width}}  {cmd.summary}",
            width=max(state.width, width + 30),
            subsequent_indent=indent,
        )
        for cmd in COMMANDS.values()
    ]
    intro = "Type a query to search (place:Aleppo org:UN number:>1000), or a command:"
    return "\n".join([intro, *lines, "Tab completes, Ctrl-R searches history, Ctrl-D quits."])


@command("quit", aliases=("q", "exit"))
def quit_(state: ShellState, argument: str) -> str:
    """Leave the shell (as Ctrl-D does)."""
    state.done = True
    return ""


def _last(state: ShellState) -> Results:
    if state.last is None:
        raise UsageError("No search yet: type a query first, e.g. place:Aleppo")
    return state.last


@command("next", aliases=("n",))
def next_(state: ShellState, argument: str) -> str:
    """The next page of the last search's results (also PageDown)."""
    last = _last(state)
    if last.page >= last.pages and last.total_exact:
        return f"Already on the last page ({last.page} of {last.pages})."
    return run_query(state, last.query, last.page + 1)


@command("prev", aliases=("p", "previous"))
def prev(state: ShellState, argument: str) -> str:
    """The previous page of the last search's results (also PageUp)."""
    last = _last(state)
    if last.page <= 1:
        return "Already on the first page."
    return run_query(state, last.query, last.page - 1)


@command("show", "N", aliases=("s",), arg=Arg.CHOICE, choices=_ranks)
def show(state: ShellState, argument: str) -> str:
    """Open result N of the last search: full text, matched words and entities highlighted."""
    from search.repl.show import render_article  # rich, only when an article is opened

    hit = _hit(state, _whole_number(argument, ":show N (the # column of the results)"))
    with state.lock:
        doc, marks = state.engine.marks(hit.document.id, _last(state).query)
    shown = replace(present.documents([doc]), table=lambda con: render_article(doc, marks, con))
    return shown_text(state, shown)


def _hit(state: ShellState, rank: int) -> Hit:
    """Result `rank` of the last search, fetched when it is not on the page shown."""
    last = _last(state)
    if rank < 1 or (rank > last.total and last.total_exact):
        raise UsageError(f"No result {rank}: the last search has {last.total}.")
    hits = last.hits
    if not any(hit.rank == rank for hit in hits):
        page = (rank - 1) // last.limit + 1
        options = replace(state.options, limit=last.limit, page=page, snippets=False)
        with state.lock:
            hits = state.engine.search(last.query, options).hits
    found = next((hit for hit in hits if hit.rank == rank), None)
    if found is None:  # past a total that was only a lower bound
        raise UsageError(f"No result {rank}: the last search has fewer.")
    return found


def _whole_number(argument: str, usage: str, low: int = 1, high: int | None = None) -> int:
    try:
        value = int(argument)
    except ValueError:
        raise UsageError(f"Usage: {usage}") from None
    if value < low or (high is not None and value > high):
        raise UsageError(f"Usage: {usage}")
    return value


def _facet_fields(state: ShellState) -> list[tuple[str, str]]:
    return [(name, "") for name in S.FACET_FIELDS]


@command("facets", "FIELD [N]", arg=Arg.CHOICE, choices=_facet_fields)
def facets(state: ShellState, argument: str) -> str:
    """The most frequent values of FIELD (place, org, country, ...) over the last search."""
    name, _, count = argument.partition(" ")
    field = S.canonical_field(name)
    if field not in S.FACET_FIELDS:
        raise UsageError(f"Usage: :facets {'|'.join(S.FACET_FIELDS)} [N]")
    limit = _whole_number(count, ":facets FIELD [N]", high=MAX_LIMIT) if count else 10
    query = _last(state).query
    with state.lock:
        counts = state.engine.facets(query, field, limit)
    return shown_text(state, present.counts(query, field, counts))


@command("similar", "N", arg=Arg.CHOICE, choices=_ranks)
def similar(state: ShellState, argument: str) -> str:
    """Articles like result N of the last search (:show still opens the last search's results)."""
    engine = state.local(":similar")
    hit = _hit(state, _whole_number(argument, ":similar N (the # column of the results)"))
    with state.lock:
        results = engine.similar(hit.document.id, state.options.limit)
    return format_results(state, results, "similar")


@command("limit", "N")
def limit(state: ShellState, argument: str) -> str:
    """Set how many results a page shows (shows the current limit without N)."""
    if argument:
        n = _whole_number(argument, f":limit N (1 to {MAX_LIMIT})", high=MAX_LIMIT)
        state.options = replace(state.options, limit=n)
        return _saved(state, f"limit: {state.options.limit} results per page")
    return f"limit: {state.options.limit} results per page"


def _saved(state: ShellState, said: str) -> str:
    """A setting's answer, once it is written to the config file for the next session."""
    warning = settings.save(state)
    return f"{said}\n{warning}" if warning else said


@command("format", "FMT", aliases=("f",), arg=Arg.CHOICE, choices=_formats)
def format_(state: ShellState, argument: str) -> str:
    """Set the output format: table, json, jsonl, csv, ids or trec, as `newsdex search
    --format`; :show, :facets and :stats use it where they have it (else a table)."""
    offered = present.formats("search")
    if argument:
        fmt = next((f for f in offered if f.value == argument.lower()), None)
        if fmt is None:
            raise UsageError(f"Usage: :format {'|'.join(f.value for f in offered)}")
        state.fmt = fmt
        return _saved(state, f"format: {state.fmt.value}")
    return f"format: {state.fmt.value}"


@command("sort", "score|date|-date", arg=Arg.CHOICE, choices=_sorts)
def sort(state: ShellState, argument: str) -> str:
    """Order results by relevance (score), oldest first (date) or newest first (-date)."""
    if argument:
        if argument.lower() not in SORTS:
            raise UsageError(f"Usage: :sort {'|'.join(SORTS)}")
        state.options = replace(state.options, sort=argument.lower())
        return _saved(state, f"sort: {state.options.sort}")
    return f"sort: {state.options.sort}"


@command("set")
def set_(state: ShellState, argument: str) -> str:
    """The settings that carry over to the next session, and the file that keeps them."""
    lines = [f"{name}: {_shown(value)}" for name, value in settings.current(state).items()]
    return "\n".join([*lines, f"(kept in {config_file()})"])


def _shown(value: object) -> str:
    if isinstance(value, bool):
        return "on" if value else "off"
    return str(value)


@command("multiline", "[on|off]")
def multiline(state: ShellState, argument: str) -> str:
    """Multi-line mode (F3 toggles it): Enter opens a new line, Enter on an empty line or
    Alt-Enter runs the query. In either mode Alt-Enter opens a new line in a one-line query,
    and an unclosed quote or bracket continues on the next line."""
    if argument.lower() not in ("", "on", "off"):
        raise UsageError("Usage: :multiline on|off")
    if argument:
        state.multiline = argument.lower() == "on"
        return _saved(state, f"multiline: {_shown(state.multiline)}")
    return f"multiline: {_shown(state.multiline)}"


@command("open", "DIR", aliases=("c",), arg=Arg.PATH)
def open_(state: ShellState, argument: str) -> str:
    """Switch to the index in DIR (also \\c DIR, as in psql)."""
    if not argument:
        return f"index: {state.directory or state.name}"
    directory = Path(argument.strip("'\"")).expanduser()
    if not is_index_folder(directory):
        raise UsageError(
            f"No index at {directory}: give an index folder, or build one with :index PATH "
            "(into this index) or newsdex index PATH --index DIR"
        )
    switch_index(state, directory)
    return f"index: {directory}: {plural(state.documents, 'article')}"


@command("stats")
def stats(state: ShellState, argument: str) -> str:
    """Documents, size on disk, last indexed, top places and organizations."""
    engine = state.local(":stats")
    with state.lock:
        result = engine.stats()
    return shown_text(state, present.stats(result))


@command("explain", "[QUERY]", arg=Arg.QUERY)
def explain_(state: ShellState, argument: str) -> str:
    """Show how a query is read (the last search's, without QUERY)."""
    query = argument or _last(state).query
    with state.lock:
        return state.engine.explain(query, state.options)


@command("index", "PATH", arg=Arg.PATH)
def index(state: ShellState, argument: str) -> str:
    """Index new or changed articles under PATH into this index (completion refreshed after)."""
    directory = state.local(":index").directory
    if not argument:
        raise UsageError("Usage: :index PATH (a file or folder of articles)")
    # Imported here: indexing loads spaCy, which the shell never needs until now.
    from search.indexing import index_paths

    path = Path(argument.strip("'\"")).expanduser()
    if not path.exists():
        raise UsageError(f"No such file or folder: {path}")
    if path.is_dir() and is_index_folder(path):
        raise UsageError(f"{path} is an index, not articles: open it with :open {path}")
    out = io.StringIO()
    with state.lock:
        summary = index_paths([path], directory, out=out)
    state.values.refresh()
    state.last = None
    ending = (
        "\nInterrupted: what was committed before stays searchable." if summary.interrupted else ""
    )
    return out.getvalue().rstrip("\n") + ending


@command("history", "[N]")
def history(state: ShellState, argument: str) -> str:
    """The last N lines typed (20 without N); Ctrl-R searches them."""
    count = _whole_number(argument, ":history [N]") if argument else HISTORY_SHOWN
    lines = list(state.history.get_strings())
    start = max(0, len(lines) - count)
    return "\n".join(f"{i + 1:>5}  {line}" for i, line in enumerate(lines[start:], start))
