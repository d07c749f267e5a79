"""One presenter (issue 17, point 1): every command in every format it lists, parsed; the same
json document from the CLI and the shell; `emit` refuses what it does not write; and every
example of every --help is a command line newsdex accepts."""

from __future__ import annotations

import csv
import io
import json
import re
import shlex
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from search import present
from search.cli import app
from search.engine import Engine
from search.format import Format, emit
from search.repl.app import handle_line
from search.repl.state import ShellState
from search.saved import SavedSearch, SavedStore
from tests.conftest import index_with_seed

runner = CliRunner()


@pytest.fixture(scope="module")
def seed_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shell tests' articles and the seed: similar finds something, aid several things."""
    from test_repl import ARTICLES

    directory, summary = index_with_seed(tmp_path_factory, "present", ARTICLES)
    assert summary.articles >= 3
    # A saved search never checked: its alerts (with --peek) report every match, every time.
    SavedStore(directory).add(SavedSearch("aid", "aid"))
    return directory


def invoke(*args: object) -> object:
    return runner.invoke(app, [str(a) for a in args])


def seed_id(seed_index: Path) -> str:
    return invoke("search", "-i", seed_index, "Khanaser", "-f", "ids").stdout.split()[0]


def command_line(name: str, seed_index: Path) -> list[object]:
    doc = seed_id(seed_index)
    return {
        "search": ["search", "aid"],
        "similar": ["similar", doc],
        "show": ["show", doc],
        "export": ["export"],
        "facets": ["facets", "*", "--field", "place"],
        "stats": ["stats"],
        "aliases": ["aliases"],
        "saved": ["saved", "list"],
        "alerts": ["alerts", "--peek"],
    }[name]


def help_of(name: str) -> str:
    """The --help of the command that writes `name`'s output ("saved" is `saved list`)."""
    words = {"saved": ["saved", "list"]}.get(name, [name])
    return " ".join(invoke(*words, "--help").stdout.split())


def parsed(fmt: Format, out: str) -> list[object]:
    """The output read back as its format says; one item per record."""
    lines = out.splitlines()
    if fmt is Format.json:
        document = json.loads(out)
        assert isinstance(document, dict)  # one object, never a bare array
        return [document]
    if fmt is Format.jsonl:
        return [json.loads(line) for line in lines]
    if fmt is Format.csv:
        rows = list(csv.DictReader(io.StringIO(out)))
        assert rows and all(None not in row for row in rows)
        return rows
    if fmt is Format.ids:
        assert all(re.fullmatch(r"[0-9a-f]{12,}", line) for line in lines), lines
        return lines
    if fmt is Format.trec:
        fields = [line.split() for line in lines]
        assert all(len(f) == 6 and f[1] == "Q0" and f[5] == "newsdex" for f in fields)
        return fields
    assert out.strip()
    return [out]


@pytest.mark.parametrize(
    ("name", "fmt"),
    [(name, fmt) for name, offered in present.FORMATS.items() for fmt in offered],
)
def test_every_command_in_every_format_it_lists(seed_index: Path, name: str, fmt: Format) -> None:
    result = invoke(*command_line(name, seed_index), "-i", seed_index, "-f", fmt.value)
    assert result.exit_code == 0, result.output
    assert parsed(fmt, result.stdout)
    offered = ", ".join(f.value for f in present.FORMATS[name])
    assert f"Output format: {offered}." in help_of(name)


@pytest.mark.parametrize(
    ("name", "fmt"),
    [(n, f) for n in present.FORMATS for f in Format if f not in present.FORMATS[n]],
)
def test_a_format_a_command_does_not_list_is_refused(
    seed_index: Path, name: str, fmt: Format
) -> None:
    result = invoke(*command_line(name, seed_index), "-i", seed_index, "-f", fmt.value)
    assert result.exit_code == 2
    offered = ", ".join(f.value for f in present.FORMATS[name])
    assert f"{fmt.value!r} is not accepted; use one of {offered}" in result.stderr


@pytest.mark.parametrize(
    ("line", "cli"),
    [(":stats", ["stats"]), ("aid", ["search", "aid"]), (":facets place", ["facets", "aid"])],
)
def test_a_json_document_is_the_same_from_the_cli_and_the_shell(
    seed_index: Path, line: str, cli: list[str]
) -> None:
    with Engine(seed_index) as engine:
        state = ShellState(engine, fmt=Format.json)
        handle_line(state, "aid")  # :facets counts the last search
        shell = json.loads(handle_line(state, line))
    result = invoke(*cli, "-i", seed_index, "-f", "json", *(["-n", "10"] if "aid" in cli else []))
    assert result.exit_code == 0, result.output
    assert shell == json.loads(result.stdout)


@pytest.mark.parametrize("fmt", [Format.table, Format.json, Format.trec])
def test_emit_refuses_a_format_it_does_not_write(fmt: Format) -> None:
    with pytest.raises(ValueError, match="emit writes jsonl, csv, ids"):
        emit([{"id": "x"}], fmt, io.StringIO())


def _examples() -> list[list[str]]:
    """Every `newsdex ...` line of the top-level and each command's --help."""
    lines = [invoke("--help").stdout]
    lines += [invoke(name, "--help").stdout for name in typer.main.get_command(app).commands]
    found = re.findall(r"^\s+newsdex (.+?)(?:\s+#.*)?$", "\n".join(lines), re.MULTILINE)
    commands = []
    for line in found:
        words = shlex.split(line)
        cut = next((i for i, w in enumerate(words) if w in ("|", ">")), len(words))
        commands.append(words[:cut])  # the newsdex part of a pipe or a redirection
    return commands


@pytest.mark.parametrize("args", _examples(), ids=" ".join)
def test_every_help_example_is_a_command_line_newsdex_accepts(args: list[str]) -> None:
    """Parsed as newsdex parses it (options, values and formats checked), not run: the examples
    name the reader's own folders and ids."""
    group = typer.main.get_command(app)
    parent = group.context_class(group, info_name="newsdex")
    command = group.get_command(parent, args[0])  # type: ignore[attr-defined]
    assert command is not None, args
    command.make_context(args[0], args[1:], parent=parent)
