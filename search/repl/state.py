"""What a shell session holds between lines, and running a query through the one search path.

Every query line and the paging commands go through `run_query`, which calls `Engine.search`.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from prompt_toolkit.history import History, InMemoryHistory

from index import whoosh_door as door
from index.config import default_index_dir
from index.errors import NewsdexError
from index.meta import IndexMeta
from search import present
from search.backends import QueryEngine, local_engine
from search.engine import Engine, SearchOptions
from search.format import Format
from search.repl.candidates import EngineValues, FieldValues, ValueSource
from search.results import Results

if TYPE_CHECKING:
    pass


@dataclass
class ShellState:
    """A shell session: the open index (a local one, or OpenSearch), the current settings, and
    the last results."""

    engine: QueryEngine
    options: SearchOptions = field(default_factory=SearchOptions)
    fmt: Format = Format.table
    color: bool = False
    width: int = 100
    height: int = 40
    multiline: bool = False  # F3: Enter opens a new line, an empty line runs the query
    history: History = field(default_factory=InMemoryHistory)
    last: Results | None = None
    done: bool = False
    documents: int = 0  # for the toolbar; refreshed after each line, not on every redraw
    # The toolbar's counting thread and the main loop share the engine's searcher.
    lock: threading.Lock = field(default_factory=threading.Lock)
    values: ValueSource = field(init=False)
    name: str = ""  # for the prompt: the index folder's name unless given

    def __post_init__(self) -> None:
        directory = self.engine.directory
        self.values = FieldValues(directory) if directory else EngineValues(self.engine)
        self.name = self.name or (index_name(directory) if directory else "opensearch")
        # Counted from the table of contents: opening the searcher (every segment's term index,
        # 60 ms on BBC, 300 ms on 50k articles) waits until the first prompt is on the screen.
        self.documents = committed_count(self.engine)

    @property
    def directory(self) -> Path | None:
        """The local index folder; None when the shell searches OpenSearch."""
        return self.engine.directory

    def local(self, command: str) -> Engine:
        """The local index's engine for `command`, or the one-line error naming the fix."""
        return local_engine(self.engine, command)

    def refresh(self) -> None:
        with self.lock:
            self.documents = self.engine.count()

    def open_searcher(self) -> None:
        """Open the engine's searcher ahead of the first query (for a thread); damage found
        here is left for the first query to report."""
        if not isinstance(self.engine, Engine):
            return  # a remote engine has no searcher to open
        try:
            with self.lock:
                self.engine.searcher()
        except (NewsdexError, OSError):
            pass


def switch_index(state: ShellState, directory: Path) -> None:
    """Open another index in this session: its engine, completion values, name and count."""
    engine = Engine(directory)  # raises IndexNotFound before anything of the old one is lost
    with state.lock:
        state.engine.close()
        state.values.close()
        state.engine = engine
        state.values = FieldValues(directory)
        state.name = index_name(directory)
        state.documents = committed_count(engine)
        state.last = None


def committed_count(engine: QueryEngine) -> int:
    """The undeleted documents of the last commit, from the table of contents, once each segment
    file's own directory has been read: a missing or truncated segment fails there (0.1 ms)."""
    if engine.directory is None:
        return engine.count()
    try:
        documents = door.committed_doc_count(engine.directory)
    except door.READ_ERRORS:  # the long way opens every segment and reports damage (or the
        return engine.count()  # unreadable file) as every command does
    return engine.count() if documents is None else documents


def index_name(directory: Path) -> str:
    """A short name for the prompt: the folder's, or for the default index what it indexed."""
    if directory != default_index_dir():
        return directory.name or str(directory)
    roots = IndexMeta.load(directory).roots
    return Path(roots[0]).name if len(roots) == 1 else "default"


def run_query(state: ShellState, text: str, page: int = 1) -> str:
    """Search as `newsdex search` does, remember the results, and render them in the format."""
    options = replace(state.options, page=page)
    with state.lock:
        results = state.engine.search(text, options)
    state.last = results
    return format_results(state, results)


def format_results(state: ShellState, results: Results, command: str = "search") -> str:
    return shown_text(state, present.results(results, command))


def shown_text(state: ShellState, shown: present.Shown) -> str:
    """What a command shows, through the one presenter, in the session's format (as a table
    when the command has no such format: `:stats` after `:format ids`)."""
    fmt = state.fmt if state.fmt in present.formats(shown.command) else Format.table
    return present.text(shown, fmt, state.color, state.width)
