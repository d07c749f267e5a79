"""What a shell session holds between lines, and running a query through the one search path.

Every query line and the paging commands go through `run_query`, which calls `Engine.search`.
"""

from __future__ import annotations

import io
import threading
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from prompt_toolkit.history import History, InMemoryHistory
from whoosh.filedb.filestore import FileStorage
from whoosh.index import TOC

from index.config import default_index_dir
from index.errors import NewsdexError
from index.meta import IndexMeta
from search.engine import DAMAGE, Engine, SearchOptions
from search.format import Format, emit
from search.repl.values import FieldValues
from search.results import Results

if TYPE_CHECKING:
    from rich.console import Console

WHOOSH_INDEX_NAME = "MAIN"  # Whoosh's default, which newsdex never changes


@dataclass
class ShellState:
    """A shell session: the open index, the current settings, and the last results."""

    engine: Engine
    options: SearchOptions = field(default_factory=SearchOptions)
    fmt: Format = Format.table
    color: bool = False
    width: int = 100
    height: int = 40
    history: History = field(default_factory=InMemoryHistory)
    last: Results | None = None
    done: bool = False
    documents: int = 0  # for the toolbar; refreshed after each line, not on every redraw
    # The toolbar's counting thread and the main loop share the engine's searcher.
    lock: threading.Lock = field(default_factory=threading.Lock)
    values: FieldValues = field(init=False)
    name: str = field(init=False)  # for the prompt

    def __post_init__(self) -> None:
        self.values = FieldValues(self.engine.directory)
        self.name = index_name(self.engine.directory)
        # Counted from the table of contents: opening the searcher (every segment's term index,
        # 60 ms on BBC, 300 ms on 50k articles) waits until the first prompt is on the screen.
        self.documents = committed_count(self.engine)

    @property
    def directory(self) -> Path:
        return self.engine.directory

    def refresh(self) -> None:
        with self.lock:
            self.documents = self.engine.count()

    def open_searcher(self) -> None:
        """Open the engine's searcher ahead of the first query (for a thread); damage found
        here is left for the first query to report."""
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


def committed_count(engine: Engine) -> int:
    """The undeleted documents of the last commit, from the table of contents, once each segment
    file's own directory has been read: a missing or truncated segment fails there (0.1 ms)."""
    storage = FileStorage(str(engine.directory))
    try:
        segments = TOC.read(storage, WHOOSH_INDEX_NAME).segments
        for segment in segments:
            if not segment.is_compound():
                return engine.count()
            segment.open_compound_file(storage).close()
    except DAMAGE:  # the long way opens every segment, and reports damage as every command does
        return engine.count()
    except OSError:  # an unreadable file: the same error, raised where it always was
        return engine.count()
    return sum(segment.doc_count() for segment in segments)


def index_name(directory: Path) -> str:
    """A short name for the prompt: the folder's, or for the default index what it indexed."""
    if directory != default_index_dir():
        return directory.name or str(directory)
    roots = IndexMeta.load(directory).roots
    return Path(roots[0]).name if len(roots) == 1 else "default"


def render(state: ShellState, draw: Callable[[Console], None]) -> str:
    """What a rich renderer prints, as text sized to the terminal (ANSI codes only in colour)."""
    from search.tables import console  # rich: imported after the prompt is up, not before

    buffer = io.StringIO()
    draw(console(buffer, state.color, state.width))
    return buffer.getvalue()


def run_query(state: ShellState, text: str, page: int = 1) -> str:
    """Search as `newsdex search` does, remember the results, and render them in the format."""
    options = replace(state.options, page=page)
    with state.lock:
        results = state.engine.search(text, options)
    state.last = results
    return format_results(state, results)


def format_results(state: ShellState, results: Results) -> str:
    if state.fmt is Format.table:
        from search.tables import render_results

        return render(state, lambda con: render_results(results, con))
    envelope: dict[str, Any] = results.envelope()
    buffer = io.StringIO()
    emit((hit.record() for hit in results.hits), state.fmt, buffer, envelope=envelope)
    return buffer.getvalue()
