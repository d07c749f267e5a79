"""A query that needs a field an older newsdex's index lacks (person:, counted nouns) says to
rebuild, in one line with the usage exit code, in a one-shot search and in the shell; what the
old index holds is still searched."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from index import schema as S
from index.errors import ExitCode
from search.cli import app
from search.engine import Engine
from search.repl.app import handle_line
from search.repl.state import ShellState
from tests.conftest import older_index

runner = CliRunner()
# Before counted nouns (schema 5) and people and organization kinds (schema 6).
ADDED_SINCE_4 = (S.COUNTED, S.PERSON, S.PERSON_ALIAS, S.ORG_KIND)


@pytest.fixture
def old_index(tmp_path: Path) -> Path:
    return older_index(tmp_path / "old", ADDED_SINCE_4, 4)


def _advice(directory: Path, field: str) -> str:
    return (
        f"Error: The index at {directory} was built by another version of newsdex (schema 4, "
        f"this one writes {S.SCHEMA_VERSION}) and has no {field} field. Rebuild it with: newsdex "
        f"index --index {directory} --rebuild (it re-reads the folders the index recorded)"
    )


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("person:Blair", "person"),
        ('Basra person:"Tony Blair"', "person"),
        ("homes:>1000", "counted-noun"),
        ("civilians:5000 Basra", "counted-noun"),
    ],
)
def test_a_one_shot_search_asks_for_a_rebuild(old_index: Path, query: str, field: str) -> None:
    result = runner.invoke(app, ["search", query, "--index", str(old_index)])
    assert result.exit_code == int(ExitCode.USAGE), result.output
    assert result.stdout == ""
    assert result.stderr == _advice(old_index, field) + "\n"


def test_the_shell_asks_for_a_rebuild(old_index: Path) -> None:
    with Engine(old_index) as engine:
        state = ShellState(engine)
        assert handle_line(state, "person:Blair") == _advice(old_index, "person")
        assert handle_line(state, "homes:>1000") == _advice(old_index, "counted-noun")
        assert "Blair in Iraq" in handle_line(state, "Basra")  # the session goes on


def test_what_the_old_index_holds_is_still_searched(old_index: Path) -> None:
    result = runner.invoke(app, ["search", "Basra", "--index", str(old_index), "--format", "ids"])
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == "a1"
    # A field name that is no field at all is still read as words, not as a missing field.
    typo = runner.invoke(app, ["search", "persn:Blair", "--index", str(old_index)])
    assert "Rebuild" not in typo.output
