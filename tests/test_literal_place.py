"""`field:=value` reads a place or an organization literally: place:=Syria leaves out articles that
mention only places inside Syria, org:="United Nations" those that name only one of its agencies."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from prompt_toolkit.completion import CompleteEvent
from prompt_toolkit.document import Document
from typer.testing import CliRunner

from index import schema as S
from index.errors import QuerySyntaxError
from search.cli import app
from search.engine import Engine, SearchOptions
from search.query import explain, parse
from search.repl.completer import ShellCompleter
from search.repl.lexer import tokens
from search.repl.state import ShellState

# One article names only Aleppo (a city in Syria), one names Syria itself, one names only WFP
# (a body of the United Nations), one names the United Nations.
ARTICLES = [
    {
        "title": "Bread prices double in Aleppo",
        "body": "Bakers in Aleppo said on Monday that the price of flour had doubled since May. "
        "The World Food Programme said it would send more flour to the city.",
    },
    {
        "title": "Talks on Syria open in Geneva",
        "body": "Envoys met in Geneva on Tuesday to discuss a ceasefire in Syria. "
        "The United Nations said the talks would last three days.",
    },
]
ALEPPO, SYRIA = "Bread prices double in Aleppo", "Talks on Syria open in Geneva"
runner = CliRunner()


@pytest.fixture
def index_dir(build_index: Callable[..., tuple[Path, object]]) -> Path:
    directory, _ = build_index(ARTICLES)
    return directory


def titles(index_dir: Path, query: str) -> set[str]:
    result = runner.invoke(app, ["search", "--index", str(index_dir), query, "--format", "jsonl"])
    assert result.exit_code in (0, 1), result.output
    assert "Traceback" not in result.output
    return {json.loads(line)["title"] for line in result.stdout.splitlines()}


def test_place_finds_containment_and_literal_place_does_not(index_dir: Path) -> None:
    assert titles(index_dir, "place:Syria") == {ALEPPO, SYRIA}
    assert titles(index_dir, "place:=Syria") == {SYRIA}
    assert titles(index_dir, "place:=Aleppo") == {ALEPPO}
    assert titles(index_dir, "location:=syria") == {SYRIA}  # aliases and case as elsewhere


def test_literal_organization_leaves_out_member_bodies(index_dir: Path) -> None:
    assert titles(index_dir, 'org:"United Nations"') == {ALEPPO, SYRIA}  # WFP is in the UN
    assert titles(index_dir, 'org:="United Nations"') == {SYRIA}
    assert titles(index_dir, 'org:="World Food Programme"') == {ALEPPO}
    assert titles(index_dir, "org:=WFP") == set()  # canonical names only, as results show them


def test_literal_composes_with_groups_and_other_clauses(index_dir: Path) -> None:
    assert titles(index_dir, "place:=(Syria OR Aleppo)") == {ALEPPO, SYRIA}
    assert titles(index_dir, 'place:=Syria OR org:="World Food Programme"') == {ALEPPO, SYRIA}
    assert titles(index_dir, "place:Syria NOT place:=Syria") == {ALEPPO}
    assert titles(index_dir, "flour place:=Syria") == set()


def test_exit_code_one_when_only_a_place_inside_is_named(index_dir: Path) -> None:
    result = runner.invoke(app, ["search", "--index", str(index_dir), "flour place:=Syria"])
    assert result.exit_code == 1, result.output
    assert "No articles" in result.stderr  # a message, not data


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("place:=Syria", "Term('place', 'syria')"),
        ("place:Syria", "Or([Term('place', 'syria'), Term('within', 'syria')])"),
        ('place:="Deir al-Zor"', "Term('place', 'deir al-zor')"),
        ("org:=UN", "Term('organization', 'un')"),
        ("places:=(Aleppo OR Idlib)", "Or([Term('place', 'aleppo'), Term('place', 'idlib')])"),
        # A value with its own field name inside the group keeps its own reading.
        (
            "place:=(Aleppo OR org:UN)",
            "Or([Term('place', 'aleppo'), Term('organization', 'un'), Term('org_alias', 'un')])",
        ),
        (
            "number:=>5",
            "NumericRange('number', 5.0, None, False, False, boost=1.0, constantscore=True)",
        ),
    ],
)
def test_parsed_query(query: str, expected: str) -> None:
    assert repr(parse(query, S.build_schema()).query) == expected


def test_explain_names_the_literal_fields() -> None:
    text = explain(parse('place:=Syria org:="United Nations" aid', S.build_schema()))
    assert "literal: place:= the name as written (not the places inside it" in text
    assert "literal: organization:= the canonical name only" in text
    assert "literal: place" not in explain(parse("place:Syria", S.build_schema()))


def test_explain_on_the_command_line(index_dir: Path) -> None:
    args = ["search", "--index", str(index_dir), "place:=Syria", "--explain", "--format", "ids"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "literal: place:=" in result.output


@pytest.mark.parametrize("query", ["place:=", "place:= Syria", "aid org:="])
def test_an_empty_literal_value_is_repaired_or_refused_with_strict(query: str) -> None:
    parsed = parse(query, S.build_schema())
    assert "field name with no value ignored" in parsed.repairs
    with pytest.raises(QuerySyntaxError) as raised:
        parse(query, S.build_schema(), strict=True)
    assert "place:=Aleppo" in raised.value.hint


def test_strict_error_on_the_command_line(index_dir: Path) -> None:
    result = runner.invoke(app, ["search", "--index", str(index_dir), "place:=", "--strict"])
    assert result.exit_code == 2, result.output
    assert "field name with no value." in result.stderr  # refused, not ignored
    assert "Traceback" not in result.output


def test_shell_highlights_the_literal_field_name() -> None:
    assert tokens("place:=Aleppo")[0] == ("class:field", "place:=")
    assert tokens("foo:=x")[0] == ("class:field.unknown", "foo:=")
    assert tokens("number:=>5")[0] == ("class:field", "number:")


def test_shell_completes_a_literal_value_keeping_the_equals_sign(index_dir: Path) -> None:
    with Engine(index_dir) as engine:
        completer = ShellCompleter(ShellState(engine))
        event = CompleteEvent(completion_requested=True)
        found = list(completer.get_completions(Document("place:=Ale"), event))
        quoted = list(completer.get_completions(Document('org:="United'), event))
    assert found and found[0].text == "=Aleppo" and found[0].start_position == -4
    assert quoted and quoted[0].text == '="United Nations"'


LITERAL = st.builds(
    lambda f, v: f"{f}:={v}",
    st.sampled_from(["place", "org", "PLACES", "number", "title", "foo", ""]),
    st.one_of(
        st.text(max_size=20),
        st.sampled_from(['"', "(", ")", "=", "=>", "<", "*", "[a TO", ":", '"Deir al-Zor']),
    ),
)


@settings(
    max_examples=400,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(st.lists(st.one_of(LITERAL, st.text(max_size=10)), max_size=5).map(" ".join))
def test_literal_syntax_never_fails_but_with_the_documented_error(
    seed_index: Path, text: str
) -> None:
    with Engine(seed_index) as engine:
        assert engine.search(text, SearchOptions(limit=3, suggest=False)).total >= 0
        try:
            engine.search(text, SearchOptions(limit=3, strict=True, suggest=False))
        except QuerySyntaxError as exc:
            assert 0 <= exc.position <= len(text) and exc.hint
