"""The shell's side of following a story: `:timeline`, `:save`, `:saved`, and the toolbar's
"+N new" when another process (`newsdex index --watch`) commits articles while the shell is open.

Registered by importing this module (search/repl/app.py does).
"""

from __future__ import annotations

import time
from dataclasses import replace

from index import whoosh_door as door
from index.errors import WHOOSH_DAMAGE, UsageError
from search import present
from search.repl.registry import Arg, command
from search.repl.state import ShellState, format_results, shown_text

# The toolbar is redrawn every few seconds; the table of contents is read at most this often.
NEW_CHECK_S = 1.0
_checked: dict[str, tuple[float, int | None]] = {}
UNREADABLE: tuple[type[Exception], ...] = (*WHOOSH_DAMAGE, OSError)


def _periods(state: ShellState) -> list[tuple[str, str]]:
    from search.timeline import PERIODS

    return [(p, "") for p in PERIODS]


def _current_query(state: ShellState) -> str:
    if state.last is None or state.last.query.startswith("similar:"):
        raise UsageError("run a query first: :timeline draws the current query's dates")
    return state.last.query


@command("timeline", "[day|week|month|year]", arg=Arg.CHOICE, choices=_periods)
def timeline(state: ShellState, argument: str) -> str:
    """Draw the current query's articles per month (or day, week, year) in the terminal's width.

    Every period from the first dated match to the last is drawn, empty ones included; the
    undated matches are counted below the bars.
    """
    from search.charts import render_bars
    from search.timeline import check_period
    from search.timeline import timeline as count

    engine = state.local(":timeline")
    by = check_period(argument.strip() or "month")
    query = _current_query(state)
    with state.lock:
        found = count(engine, query, by, state.options.since, state.options.until)
    footer = f"{query}: {found.dated:,} dated articles by {by}; {found.undated:,} undated"
    shown = present.Shown(
        "facets", found.records(), ("period", "count"),
        lambda con: render_bars(found.periods, con, footer=footer),
    )  # fmt: skip
    return shown_text(state, shown)


def _saved_names(state: ShellState) -> list[tuple[str, str]]:
    from search.saved import SavedStore

    if state.directory is None:
        return []
    return [(s.name, s.query) for s in SavedStore(state.directory).all()]


@command("save", "NAME")
def save(state: ShellState, argument: str) -> str:
    """Save the current query (with its --since, --until and sort) as a saved search NAME.

    Its alerts (`newsdex alerts NAME`) then report the articles indexed from now on.
    """
    from search.alerts import baseline
    from search.saved import SavedSearch, SavedStore

    engine = state.local(":save")
    name = argument.strip()
    if not name:
        raise UsageError("usage: :save NAME (a short name for the current query)")
    query = _current_query(state)
    store = SavedStore(engine.directory)
    options = state.options
    saved = store.add(SavedSearch(name, query, options.since, options.until, options.sort))
    with state.lock:
        baseline(engine, store, saved)
    return f"Saved {name!r}: {query}"


@command("saved", "[NAME]", arg=Arg.CHOICE, choices=_saved_names)
def saved(state: ShellState, argument: str) -> str:
    """List the saved searches, or run the one named."""
    from search.saved import SavedStore

    store = SavedStore(state.local(":saved").directory)
    name = argument.strip()
    if not name:
        searches = store.all()
        if not searches:
            return "No saved searches yet: run a query, then :save NAME"
        width = max(len(s.name) for s in searches)
        return "\n".join(f"  {s.name:<{width}}  {s.query}" for s in searches)
    search = store.get(name)
    options = replace(
        state.options, page=1, since=search.since, until=search.until, sort=search.sort
    )
    with state.lock:
        results = state.engine.search(search.query, options)
    state.last = results
    return format_results(state, results)


def committed_documents(state: ShellState) -> int | None:
    """Articles in the last commit, from the table of contents alone (None when unreadable,
    e.g. while a writer replaces it); read at most once a second. None on OpenSearch."""
    if state.directory is None:
        return None
    key = str(state.directory)
    now = time.monotonic()
    cached = _checked.get(key)
    if cached is not None and now - cached[0] < NEW_CHECK_S:
        return cached[1]
    try:
        count: int | None = door.toc_doc_count(state.directory)
    except UNREADABLE:  # a TOC being replaced: the next redraw reads it again
        count = None
    _checked[key] = (now, count)
    return count


def new_articles(state: ShellState) -> str:
    """The toolbar's " +3 new" when articles were committed since the shell last ran a line."""
    count = committed_documents(state)
    if count is None or count <= state.documents:
        return ""
    return f" +{count - state.documents:,} new"
