"""The shell survives any exception on one line: it prints one line naming the log file, writes the
traceback there, and keeps its session (index, last results, settings). The fault is injected by
replacing the query runner with one that fails on a marked query, as a newsdex bug would."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from search.engine import Engine
from search.repl import app
from search.repl.guard import LOG_NAME, error_log
from search.repl.state import ShellState, run_query
from tests.conftest import run_session

ARTICLES = [
    {"title": f"Aid convoy {n} reaches Aleppo", "body": f"Convoy {n} brought flour to Aleppo."}
    for n in range(1, 6)
]
BUG_LINE = "place:Aleppo trigger-bug"


def buggy(state: ShellState, line: str) -> str:
    if "trigger-bug" in line:
        return {}["no such key"]  # the KeyError of the probe's snippet bug, raised for real
    return run_query(state, line)


@pytest.fixture
def state(build_index: Callable, monkeypatch: pytest.MonkeyPatch) -> Iterator[ShellState]:
    directory, _ = build_index(ARTICLES)
    monkeypatch.setattr(app, "run_query", buggy)
    with Engine(directory) as engine:
        yield ShellState(engine, width=100, height=40)


def test_a_bug_on_one_line_prints_one_line_and_logs_its_traceback(state: ShellState) -> None:
    text = app.handle_line(state, BUG_LINE)
    log = error_log()
    assert text == (
        "Error: a bug in newsdex (KeyError: 'no such key'); the shell goes on. "
        f"Please report it with the traceback written to {log}"
    )
    assert log.name == LOG_NAME and log.is_file()
    written = log.read_text(encoding="utf-8")
    assert f"line: {BUG_LINE!r}" in written
    assert "Traceback (most recent call last)" in written and "KeyError: 'no such key'" in written
    assert "damaged" not in text and "rebuild" not in text.lower()


def test_the_session_goes_on_with_its_results_and_settings(state: ShellState) -> None:
    assert "1-2 of 5 (page 1/3)" in app.handle_line(state, ":limit 2") + app.handle_line(
        state, "aleppo"
    )
    assert app.handle_line(state, BUG_LINE).startswith("Error: a bug in newsdex")
    assert "3-4 of 5 (page 2/3)" in app.handle_line(state, ":next")  # same results, same limit
    assert "1-2 of 5 (page 1/3)" in app.handle_line(state, "convoy")
    assert app.handle_line(state, BUG_LINE).startswith("Error: a bug in newsdex")
    assert error_log().read_text(encoding="utf-8").count("Traceback") == 2


def test_a_log_that_cannot_be_written_is_named_too(
    state: ShellState, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the data folder would be", encoding="utf-8")
    monkeypatch.setenv("XDG_DATA_HOME", str(blocker))
    text = app.handle_line(state, BUG_LINE)
    assert text.startswith("Error: a bug in newsdex (KeyError: 'no such key'); the shell goes on.")
    assert f"could not be written to {blocker}" in text and "\n" not in text


def test_a_whole_session_through_a_pipe_keeps_going_after_a_bug(state: ShellState) -> None:
    shown = run_session(state, ":limit 2\r", f"{BUG_LINE}\r", "aleppo\r", ":next\r", ":quit\r")
    assert shown.count("Error: a bug in newsdex") == 1
    assert shown.index("a bug in newsdex") < shown.index("1-2 of 5 (page 1/3)")
    assert "3-4 of 5 (page 2/3)" in shown
    assert state.done
    assert list(state.history.get_strings()) == [":limit 2", BUG_LINE, "aleppo", ":next", ":quit"]


INJECTED = """
import search.repl.app as app
from search.repl.state import run_query

def buggy(state, line):
    if "trigger-bug" in line:
        raise KeyError("no such key")
    return run_query(state, line)

app.run_query = buggy
from search.cli import main
main()
"""


@pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pseudo-terminal")
def test_in_a_real_terminal_the_shell_survives_a_bug(build_index: Callable, tmp_path: Path) -> None:
    import pexpect

    directory, _ = build_index(ARTICLES)
    env = {**os.environ, "TERM": "xterm-256color", "PROMPT_TOOLKIT_NO_CPR": "1"}
    env |= {"XDG_DATA_HOME": str(tmp_path / "data"), "NEWSDEX_PAGER": ""}
    command = ["-c", INJECTED, "shell", "--index", str(directory)]
    child = pexpect.spawn(
        sys.executable, command, env=env, dimensions=(40, 200), encoding="utf-8", timeout=120
    )
    try:
        child.expect_exact("newsdex:idx> ")
        child.send(BUG_LINE + "\r")
        child.expect_exact("Error: a bug in newsdex (KeyError: 'no such key'); the shell goes on.")
        child.expect_exact("newsdex:idx> ")
        child.send("aleppo\r")
        child.expect(r"1-5 of 5")
        child.expect_exact("newsdex:idx> ")
        child.sendcontrol("d")
        child.expect(pexpect.EOF)
    finally:
        child.close(force=True)
    assert child.exitstatus == 0
    log = tmp_path / "data" / "newsdex" / LOG_NAME
    assert "KeyError: 'no such key'" in log.read_text(encoding="utf-8")
