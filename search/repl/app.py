"""`newsdex shell`: the prompt, its loop, and `handle_line`, which runs one line without a terminal.

Queries go through the same `Engine.search` and table as `newsdex search`; `:lines` are commands.
"""

from __future__ import annotations

import contextlib
import os
import sys
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from prompt_toolkit import PromptSession
from prompt_toolkit.application import Application
from prompt_toolkit.auto_suggest import AutoSuggestFromHistory
from prompt_toolkit.formatted_text import StyleAndTextTuples
from prompt_toolkit.output import ColorDepth
from prompt_toolkit.styles import Style

from index import schema as S
from index.config import INDEX_ENV, history_file, resolve_index_dir, seeds_dir
from index.errors import IndexNotFound, NewsdexError
from index.meta import is_index
from search.backends import QueryEngine
from search.engine import Engine
from search.format import use_color
from search.messages import describe
from search.repl import commands as _commands  # noqa: F401  (registers the :commands)
from search.repl import follow as _follow  # noqa: F401  (:timeline, :save, :saved)
from search.repl import settings
from search.repl.completer import ShellCompleter
from search.repl.guard import report_bug
from search.repl.history import open_history
from search.repl.keybindings import shell_bindings
from search.repl.lexer import QueryLexer
from search.repl.pager import show_paged
from search.repl.registry import dispatch
from search.repl.state import ShellState, run_query
from search.repl.toolbar import LiveStatus, toolbar
from search.repl.typeahead import holding_keys, keep_typeahead

# Seconds between redraws of an idle prompt, so the toolbar shows articles committed meanwhile.
REFRESH_S = 2.0
WARM_FIELDS = (S.PLACE, S.ORGANIZATION, S.COUNTRY, S.SECTION, S.REGION)
STYLE = Style.from_dict(
    {
        "prompt": "bold ansicyan",
        "field": "bold ansiblue",
        "field.unknown": "ansired",
        "operator": "bold ansimagenta",
        "phrase": "ansigreen",
        "range": "ansiyellow",
        "number": "ansiyellow",
        "wildcard": "ansicyan",
        "paren": "bold",
        "command": "bold ansicyan",
        "bottom-toolbar": "noreverse bg:#262626 #bcbcbc",
        "toolbar.sep": "#6c6c6c",
        "toolbar.ok": "ansigreen",
        "toolbar.warning": "ansiyellow",
        "toolbar.error": "ansired",
    }
)


def handle_line(state: ShellState, line: str) -> str:
    """Run one line typed at the prompt and return what the shell prints for it."""
    line = line.strip()
    if not line:
        return ""
    try:
        command = line.startswith((":", "\\"))  # \c DIR, as in psql
        text = dispatch(state, line) if command else run_query(state, line)
    except NewsdexError as exc:
        text = f"Error: {describe(exc)}"
    except Exception as exc:  # a bug in newsdex: one line and a logged traceback, session kept
        text = report_bug(line, exc)
    try:
        state.refresh()
    except NewsdexError as exc:  # e.g. the index was damaged or removed under the shell
        text = f"{text}\nError: {describe(exc)}"
    except Exception as exc:
        text = f"{text}\n{report_bug(line, exc)}"
    return text


@dataclass
class Shell:
    """A state with its prompt session and the toolbar's live status."""

    state: ShellState
    session: PromptSession[str]
    status: LiveStatus
    warmed: bool = False

    def _warm_up(self, app: Application[str]) -> None:
        """Once the first prompt is on the screen, open the searcher and read the term lists
        ahead, so that the first query and the first Tab after `place:` answer at once."""
        if not self.warmed:  # (a handler removing itself would skip the next one of this event)
            self.warmed = True
            threading.Thread(target=self._read_ahead, daemon=True).start()

    def _read_ahead(self) -> None:
        self.state.open_searcher()
        self.state.values.warm(WARM_FIELDS)

    def run(self, out: TextIO) -> None:
        """Read, run and print lines until :quit or Ctrl-D; Ctrl-C only cancels a line."""
        # Not started before the first draw: on 2 cores its reads would slow the drawing.
        self.session.app.after_render += self._warm_up
        while not self.state.done:
            try:
                line = self.session.prompt()
            except KeyboardInterrupt:
                continue
            except EOFError:
                break
            size = self.session.output.get_size()
            self.state.width, self.state.height = size.columns, size.rows
            with holding_keys(self._fd()):  # what is typed now is for the next prompt
                self._run_line(line, out)
        self.status.close()
        self.state.values.close()

    def _run_line(self, line: str, out: TextIO) -> None:
        try:
            text = handle_line(self.state, line)
        except KeyboardInterrupt:
            text = "Interrupted."
        self.status.forget()
        keys = self.session.input
        show_paged(text, out, self.state.height, before_pager=lambda: keep_typeahead(keys))

    def _fd(self) -> int:
        try:
            return self.session.input.fileno()
        except (NotImplementedError, ValueError, OSError):  # a pipe input in tests
            return -1


def make_shell(state: ShellState) -> Shell:
    """The prompt session: completion, history suggestions, highlighting and the toolbar."""
    session: PromptSession[str] = PromptSession(
        message=lambda: prompt_text(state),
        history=state.history,
        completer=ShellCompleter(state),
        complete_in_thread=True,
        complete_while_typing=True,
        auto_suggest=AutoSuggestFromHistory(),
        lexer=QueryLexer(),
        style=STYLE,
        include_default_pygments_style=False,
        key_bindings=shell_bindings(lambda: state.multiline, lambda: _toggle_multiline(state)),
        prompt_continuation=continuation,
        color_depth=None if state.color else ColorDepth.MONOCHROME,
        refresh_interval=REFRESH_S,  # the toolbar's "+N new" while `index --watch` runs
    )
    status = LiveStatus(state, on_ready=session.app.invalidate)
    session.bottom_toolbar = lambda: toolbar(
        state, status, session.default_buffer.text, session.app.output.get_size().columns
    )
    return Shell(state, session, status)


def _toggle_multiline(state: ShellState) -> None:
    state.multiline = not state.multiline
    settings.save(state)  # a warning would break the prompt's drawing; the toolbar shows the mode


def continuation(width: int, line_number: int, wrapped: int) -> StyleAndTextTuples:
    """The prompt of a query's second and later lines, as wide as the first (as pgcli)."""
    return [("class:prompt", "." * (width - 1) + " ")]


def prompt_text(state: ShellState) -> StyleAndTextTuples:
    return [("class:prompt", f"newsdex:{state.name}> ")]


def prepare_index(index: Path | None, out: TextIO) -> Path:
    """The index to open; the default one is built from the sample corpus on first use."""
    directory = resolve_index_dir(index)
    if is_index(directory):
        return directory
    if index is not None or os.environ.get(INDEX_ENV):
        raise IndexNotFound(str(directory))
    # Imported here: indexing loads spaCy, which a shell on an existing index never needs.
    from search.indexing import index_paths

    out.write(f"No index yet: indexing the sample corpus {seeds_dir()} into {directory}\n")
    index_paths([seeds_dir()], directory, out=out)
    return directory


def run_shell(index: Path | None, no_color: bool = False, url: str | None = None) -> None:
    """The interactive shell on the index at `index` (or $NEWSDEX_INDEX, or the default), or
    on OpenSearch at `url` (search.backends.resolve_url: --opensearch, its env, config)."""
    engine, where, name = _open_engine(index, url)
    with contextlib.closing(engine):
        history = open_history(history_file(), sys.stderr)
        color = use_color(sys.stdout, no_color)
        state = ShellState(engine, color=color, history=history, name=name)
        warning = settings.load(state)
        if warning:
            sys.stderr.write(warning + "\n")
        sys.stdout.write(f"newsdex shell on {where}: {state.documents:,} articles. ")
        sys.stdout.write("Type :help for commands, Ctrl-D to quit.\n")
        make_shell(state).run(sys.stdout)
        state.engine.close()  # the one :open switched to, if any


def _open_engine(index: Path | None, url: str | None) -> tuple[QueryEngine, str, str]:
    """The engine the shell searches, how its banner names it, and the prompt's name for it
    ("" for a local index: the folder's)."""
    if url:
        from search.opensearch.search import remote_engine

        remote = remote_engine(url)
        return remote, f"OpenSearch at {url} (alias {remote.name})", f"opensearch/{remote.name}"
    directory = prepare_index(index, sys.stdout)
    return Engine(directory), str(directory), ""
