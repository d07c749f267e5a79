"""The shell keeps its state like pgcli (issue 17): :open switches index, :index refuses an index
folder, :limit/:format/:sort outlive the session in the config file, :set shows them."""

from __future__ import annotations

import threading
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest

from index.config import config_file
from index.pipeline import run
from search.engine import Engine
from search.format import Format
from search.repl import settings
from search.repl.app import handle_line
from search.repl.state import ShellState
from search.repl.toolbar import LiveStatus, static_fields, toolbar, verdict

STORY = "{0}\n\nOfficials in Geneva said the talks on {0} would resume on Monday."


def build(root: Path, *titles: str) -> Path:
    corpus = root / "corpus"
    corpus.mkdir(parents=True)
    for title in titles:
        (corpus / f"{title}.txt").write_text(STORY.format(title), encoding="utf-8")
    run([corpus], root / "idx", workers=1)
    return root / "idx"


@pytest.fixture
def two(tmp_path: Path) -> tuple[Path, Path]:
    return build(tmp_path / "one", "trade"), build(tmp_path / "two", "drought", "harvest")


@pytest.fixture
def state(two: tuple[Path, Path]) -> Iterator[ShellState]:
    with Engine(two[0]) as engine:
        shell = ShellState(engine)
        yield shell
        shell.engine.close()


def test_open_switches_index_also_as_backslash_c(state: ShellState, two: tuple[Path, Path]) -> None:
    assert "1-1 of 1 " in handle_line(state, "trade")
    said = handle_line(state, f":open {two[1]}")
    assert said == f"index: {two[1]}: 2 articles"
    assert state.directory == two[1] and state.name == "idx" and state.last is None
    assert "harvest" in handle_line(state, "harvest").lower()
    assert handle_line(state, f"\\c {two[0]}") == f"index: {two[0]}: 1 article"
    missing = handle_line(state, f":open {two[0].parent / 'corpus'}")
    assert missing.startswith(f"Error: No index at {two[0].parent / 'corpus'}")
    assert state.directory == two[0]  # a failed :open keeps the index that was open


def test_index_refuses_an_index_folder(state: ShellState, two: tuple[Path, Path]) -> None:
    said = handle_line(state, f":index {two[1]}")
    assert said == f"Error: {two[1]} is an index, not articles: open it with :open {two[1]}"
    assert state.documents == 1


def test_settings_outlive_the_session_and_keep_the_rest_of_the_file(
    state: ShellState, two: tuple[Path, Path]
) -> None:
    config_file().parent.mkdir(parents=True, exist_ok=True)
    config_file().write_text('[aliases]\n"World Food Programme" = ["WFP"]\n', encoding="utf-8")
    assert handle_line(state, ":limit 7") == "limit: 7 results per page"
    assert handle_line(state, ":format jsonl") == "format: jsonl"
    assert handle_line(state, ":sort -date") == "sort: -date"
    saved = tomllib.loads(config_file().read_text(encoding="utf-8"))
    assert saved["shell"] == {"limit": 7, "format": "jsonl", "sort": "-date"}
    assert saved["aliases"] == {"World Food Programme": ["WFP"]}
    assert handle_line(state, ":set").splitlines() == [
        "limit: 7",
        "format: jsonl",
        "sort: -date",
        f"(kept in {config_file()})",
    ]
    with Engine(two[1]) as engine:
        later = ShellState(engine)
        assert settings.load(later) is None
    assert (later.options.limit, later.fmt, later.options.sort) == (7, Format.jsonl, "-date")


def test_a_broken_config_file_warns_and_keeps_defaults(state: ShellState) -> None:
    config_file().parent.mkdir(parents=True, exist_ok=True)
    config_file().write_text("[shell\nlimit = ", encoding="utf-8")
    warning = settings.load(state)
    assert warning is not None and warning.startswith(
        f"Warning: settings not read from {config_file()}"
    )
    assert state.options.limit == 10


@pytest.mark.parametrize("width", [60, 140])
@pytest.mark.parametrize("line", ["trade", "trade AND (", ":open"])
def test_the_toolbar_drops_static_fields_before_the_verdict(
    state: ShellState, width: int, line: str
) -> None:
    ready = threading.Event()
    status = LiveStatus(state, on_ready=ready.set)
    status.status(line)
    assert ready.wait(60), "the toolbar's verdict never came"
    pieces = toolbar(state, status, line, width)
    shown = "".join(text for _, text, *_ in pieces)
    message = verdict(state, line)[1]
    full = " idx · 1 article · limit 10 · table · sort score "
    assert shown.endswith(message), shown  # the verdict is never cut for the static fields
    assert len(shown) <= max(width, len(message) + 2), shown
    assert (full in shown) == (len(full) + 2 + len(message) <= width)
    status.close()


def test_static_fields_go_least_needed_first(state: ShellState) -> None:
    assert static_fields(state, 200) == " idx · 1 article · limit 10 · table · sort score "
    assert static_fields(state, 30) == " idx · 1 article · limit 10 "
    assert static_fields(state, 3) == ""
