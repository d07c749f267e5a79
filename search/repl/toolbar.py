"""The bottom toolbar: index, settings and a live verdict on the line being typed.

The verdict (parse problem with its position, or how many articles match) is computed on a
worker thread, so typing never waits for the index; `verdict()` itself never raises.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from prompt_toolkit.formatted_text import StyleAndTextTuples

from index.errors import NewsdexError, QuerySyntaxError
from search.repl.registry import closest, lookup
from search.repl.state import ShellState
from search.text import plural

# Verdicts remembered, so that deleting back to an earlier text shows its verdict at once.
CACHED = 256


def verdict(state: ShellState, text: str) -> tuple[str, str]:
    """(style class, message) for `text`: a command's usage, a query problem, or a count."""
    if not text.strip():
        return "", "type a query, or :help"
    if text.lstrip().startswith(":"):
        return _command_verdict(text.strip()[1:])
    try:
        with state.lock:
            return _query_verdict(state, text)
    except NewsdexError as exc:
        return "class:toolbar.error", str(exc)
    except (OSError, ValueError) as exc:  # the index changing under a background reader
        return "class:toolbar.error", f"cannot count now ({type(exc).__name__})"


def _command_verdict(line: str) -> tuple[str, str]:
    name = line.partition(" ")[0]
    found = lookup(name)
    if found is not None:
        return "class:toolbar.ok", f"{found.usage}: {found.summary}"
    near = closest(name)
    return "class:toolbar.error", f"unknown command :{name}" + (f" (:{near}?)" if near else "")


def _query_verdict(state: ShellState, text: str) -> tuple[str, str]:
    engine = state.engine
    problem = ""
    try:
        engine.parse(text, strict=True)
    except QuerySyntaxError as exc:
        problem = f"character {exc.position + 1}: {exc.problem}; "
    parsed = engine.parse(text)
    searcher = engine.searcher()
    matching = sum(1 for _ in searcher.docs_for_query(parsed.query))
    found = f"{matching:,} matching article{'s' if matching != 1 else ''}"
    if problem:
        return "class:toolbar.warning", f"{problem}read as repaired: {found}"
    return "class:toolbar.ok", found


class LiveStatus:
    """Verdicts computed off the typing thread, the latest text first; `on_ready` redraws."""

    def __init__(self, state: ShellState, on_ready: Callable[[], None]) -> None:
        self.state = state
        self.on_ready = on_ready
        self._cache: OrderedDict[str, tuple[str, str]] = OrderedDict()
        self._wanted = ""
        self._busy = False
        self._guard = threading.Lock()
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="newsdex-toolbar")
        self._shown: tuple[str, str] = ("", "")

    def status(self, text: str) -> tuple[str, str]:
        """The verdict for `text` if known; otherwise the previous one while it is computed."""
        with self._guard:
            if text in self._cache:
                self._shown = self._cache[text]
                return self._shown
            self._wanted = text
            if not self._busy:
                self._busy = True
                self._pool.submit(self._work)
        return self._shown

    def forget(self) -> None:
        """Drop cached verdicts (after a line ran: the index or its counts may have changed)."""
        with self._guard:
            self._cache.clear()

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)

    def _work(self) -> None:
        """Compute verdicts until the wanted text has one; `_busy` ends under the same lock."""
        try:
            while (text := self._next()) is not None:
                result = verdict(self.state, text)
                with self._guard:
                    self._cache[text] = result
                    while len(self._cache) > CACHED:
                        self._cache.popitem(last=False)
        except BaseException:
            with self._guard:
                self._busy = False
            raise
        self.on_ready()

    def _next(self) -> str | None:
        with self._guard:
            if self._wanted in self._cache:
                self._busy = False
                return None
            return self._wanted


def toolbar(
    state: ShellState, status: LiveStatus, text: str, width: int = 1000
) -> StyleAndTextTuples:
    """The toolbar's pieces: index name and size, settings, then the verdict. The verdict is
    what the line being typed needs, so on a narrow terminal the settings go first, then the
    size, then the name: it is never the verdict that gets cut."""
    style, message = status.status(text)
    return [
        ("class:toolbar", static_fields(state, width - len(message) - 2)),
        ("class:toolbar.sep", "│ "),
        (style, message),
    ]


def static_fields(state: ShellState, room: int) -> str:
    """As many of the static fields as fit in `room` columns, least needed dropped first."""
    fields = [
        state.name,
        plural(state.documents, "article"),
        f"limit {state.options.limit}",
        state.fmt.value,
        f"sort {state.options.sort}",
    ]
    while fields:
        shown = f" {' · '.join(fields)} "
        if len(shown) <= room:
            return shown
        fields.pop()
    return ""
