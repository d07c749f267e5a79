"""`newsdex shell` started without typer: the hand parser reads what typer would, leaves every
other line to typer, and errors end the same way; the banner's count needs no open searcher."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
import typer.main

from index.errors import IndexDamaged
from index.pipeline import Summary
from index.writer import remove_documents
from search.cli import app
from search.engine import Engine
from search.repl.launch import (
    INDEX_FLAGS,
    NO_COLOR_FLAG,
    OPENSEARCH_FLAG,
    SHELL_COMMAND,
    TRACEBACK_FLAG,
    ShellLine,
    read_shell_line,
)
from search.repl.state import ShellState

NEWSDEX = [sys.executable, "-c", "from search.cli import main; main()"]


def _typer_shell_params(args: list[str]) -> dict[str, object]:
    """What typer's own `shell` command parses from `args` (without running it)."""
    command = typer.main.get_command(app).commands[SHELL_COMMAND]  # type: ignore[attr-defined]
    with command.make_context(SHELL_COMMAND, args) as ctx:
        return dict(ctx.params)


def test_shell_options_are_declared_once() -> None:
    group = typer.main.get_command(app)
    shell = group.commands[SHELL_COMMAND]  # type: ignore[attr-defined]
    flags = {flag for param in shell.params for flag in param.opts + param.secondary_opts}
    assert flags == {*INDEX_FLAGS, NO_COLOR_FLAG, OPENSEARCH_FLAG}, "teach launch.py the option"
    group_flags = {flag for param in group.params for flag in param.opts}
    assert TRACEBACK_FLAG in group_flags


@pytest.mark.parametrize(
    "args",
    [
        [],
        ["--index", "idx"],
        ["-i", "idx"],
        ["--index=idx"],
        ["--no-color"],
        ["--no-color", "-i", "some dir/with spaces"],
        ["--index", "idx", "--no-color"],
    ],
)
def test_fast_parser_reads_what_typer_reads(args: list[str]) -> None:
    line = read_shell_line([SHELL_COMMAND, *args])
    assert line is not None
    typer_read = {"index": line.index, "no_color": line.no_color, "opensearch": None}
    assert _typer_shell_params(args) == typer_read


def test_traceback_before_the_command() -> None:
    assert read_shell_line([TRACEBACK_FLAG, SHELL_COMMAND, "-i", "x"]) == ShellLine(
        Path("x"), False, True
    )


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["search", "aid"],
        ["shell", "--help"],
        ["--help", "shell"],
        ["shell", "--traceback"],
        ["shell", "--index"],
        ["shell", "--index", "--no-color"],
        ["shell", "--index="],
        ["shell", "-iidx"],
        ["shell", "--index", "a", "--index", "b"],
        ["shell", "--no-color", "--no-color"],
        ["shell", "--no-colour"],
        ["shell", "extra"],
        ["shell", OPENSEARCH_FLAG, "http://localhost:9200"],
        [TRACEBACK_FLAG, TRACEBACK_FLAG, "shell"],
    ],
)
def test_other_lines_are_left_to_typer(argv: list[str]) -> None:
    assert read_shell_line(argv) is None


def test_an_index_path_typer_rejects_is_left_to_typer(tmp_path: Path) -> None:
    a_file = tmp_path / "file.txt"
    a_file.write_text("not a folder", encoding="utf-8")
    assert read_shell_line(["shell", "--index", str(a_file)]) is None
    assert read_shell_line(["shell", "--index", str(tmp_path / "absent")]) is not None


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*NEWSDEX, *args], capture_output=True, text=True, timeout=60)


def test_errors_end_as_through_typer(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    fast = _run("shell", "--index", str(empty))
    slow = _run("shell", f"-i{empty}")  # an attached short option: typer reads this line
    assert fast.returncode == slow.returncode == 4
    assert fast.stderr == slow.stderr
    assert fast.stderr.startswith("Error: ") and "Traceback" not in fast.stderr
    raised = _run(TRACEBACK_FLAG, "shell", "--index", str(empty))
    assert raised.returncode == 1 and "IndexNotFound" in raised.stderr


def test_a_file_as_index_gets_typers_message(tmp_path: Path) -> None:
    a_file = tmp_path / "file.txt"
    a_file.write_text("x", encoding="utf-8")
    result = _run("shell", "--index", str(a_file))
    assert result.returncode == 2 and "is a file" in result.stderr


def test_shell_help_still_comes_from_typer() -> None:
    result = _run("shell", "--help")
    assert result.returncode == 0, result.stderr
    assert "--index" in result.stdout and "--no-color" in result.stdout


def test_fast_start_loads_no_pydantic(tmp_path: Path) -> None:
    """Typer coerces options with pydantic (about 90 ms): the shell's start must not load it."""
    code = (
        "import atexit, sys; atexit.register(lambda: print('pydantic' in sys.modules)); "
        "from search.cli import main; main()"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, "shell", "--index", str(tmp_path / "absent")],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 4, result.stderr
    assert result.stdout.strip() == "False"


def test_banner_count_matches_the_searcher_after_deletions(
    build_index: Callable[..., tuple[Path, Summary]],
) -> None:
    articles = [
        {"title": f"Aid convoy {n}", "text": f"Convoy {n} reached Aleppo with food."}
        for n in range(4)
    ]
    directory, _ = build_index(articles)
    with Engine(directory) as engine:
        victim = next(iter(engine.documents())).id
    assert remove_documents(directory, [victim]) == 1
    with Engine(directory) as engine:
        state = ShellState(engine)
        assert state.documents == 3 == engine.count()


def test_damaged_segment_is_reported_before_the_prompt(tmp_path: Path, seed_index: Path) -> None:
    damaged = tmp_path / "damaged"
    damaged.mkdir()
    for path in seed_index.iterdir():
        data = path.read_bytes()
        (damaged / path.name).write_bytes(data[:200] if path.suffix == ".seg" else data)
    with Engine(damaged) as engine, pytest.raises(IndexDamaged):
        ShellState(engine)
