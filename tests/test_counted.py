"""Counted nouns (issue 15, point 5): "5,000 homes" is 5000 home, searchable as homes:>1000.

A real index in tmp_path, searched through the CLI, the shell's pipe input, --explain and the
OpenSearch translation; the encoding round trip; NewsQuant halves where ../shared/data is present.
"""

from __future__ import annotations

import io
import json
import math
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from prompt_toolkit.application import create_app_session
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput
from typer.testing import CliRunner

from index import counted
from index.pipeline import Summary
from index.schema import build_schema
from search.cli import app
from search.engine import Engine
from search.opensearch.translate import request_query
from search.query import parse
from search.repl.app import make_shell
from search.repl.state import ShellState
from tests.conftest import shared_data

ARTICLES = [
    {"id": "homes", "title": "Council plans new estate",
     "body": "The council will build 5,000 homes on the old airfield by 2030."},
    {"id": "few-homes", "title": "Village approves small scheme",
     "body": "Planners approved 40 homes at the edge of the village."},
    {"id": "students", "title": "College opens campus",
     "body": "About 300 students enrolled in the first term, the college said."},
    {"id": "rugby", "title": "Wales edge Ireland",
     "body": "Wales beat Ireland 19-13 in Cardiff, and Chelsea won 8-1 in London."},
    {"id": "phones", "title": "Phones for all",
     "body": "By 2006 two billion people will own a mobile phone, analysts said."},
]  # fmt: skip


@pytest.fixture
def index_dir(build_index: Callable[..., tuple[Path, Summary]]) -> Path:
    directory, _ = build_index(ARTICLES)
    return directory


def search(index: Path, *args: str) -> tuple[int, dict[str, object]]:
    result = CliRunner().invoke(app, ["search", "--index", str(index), *args, "-f", "json"])
    return result.exit_code, json.loads(result.stdout) if result.stdout.strip() else {}


def ids(payload: dict[str, object]) -> set[str]:
    """The ARTICLES ids of the hits (the index names articles by its own ids: matched by title)."""
    titles = {hit["title"] for hit in payload["results"]}  # type: ignore[attr-defined,index]
    return {a["id"] for a in ARTICLES if a["title"] in titles}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("homes:>1000", {"homes"}),
        ("homes:>=40", {"homes", "few-homes"}),
        ("home:<100", {"few-homes"}),
        ("homes:5000", {"homes"}),
        ("homes:5k", {"homes"}),
        ("students:[100 TO 500]", {"students"}),
        ("students:[400 TO 500]", set()),
        ("homes:>1000 OR students:>100", {"homes", "students"}),
        ("people:>1bn", {"phones"}),  # two billion people, not 2,006 people
        ("number:2006", set()),  # the year is no number
        ("number:19 OR number:13 OR number:8", set()),  # scores are not numbers
    ],
)
def test_counted_queries_through_the_cli(index_dir: Path, query: str, expected: set[str]) -> None:
    code, payload = search(index_dir, query)
    assert code == (0 if expected else 1)
    assert ids(payload) == expected


def test_explain_shows_the_counted_noun(index_dir: Path) -> None:
    result = CliRunner().invoke(
        app, ["search", "--index", str(index_dir), "homes:>1000", "--explain"]
    )
    assert result.exit_code == 0, result.output
    assert "home:>1000" in result.output
    assert "counted: a noun's values as counted in the text" in result.output


def test_a_noun_no_article_counts_is_said(index_dir: Path) -> None:
    code, payload = search(index_dir, "hoems:>5")
    assert code == 1 and payload["total"] == 0
    assert "no article in this index counts hoem" in str(payload["note"])
    strict = CliRunner().invoke(app, ["search", "--index", str(index_dir), "hoems:>5", "--strict"])
    assert strict.exit_code == 2
    assert "no article in this index counts hoem" in strict.output
    assert "Traceback" not in strict.output


def test_a_typo_of_a_field_stays_an_unknown_field() -> None:
    parsed = parse("numbr:>5", build_schema())
    assert parsed.unknown and "did you mean number:" in parsed.unknown[0]


def test_words_after_a_noun_field_are_words() -> None:
    parsed = parse("homes:abc", build_schema())
    assert parsed.unknown  # not a number: the usual unknown-field reading


def test_shell_searches_a_counted_noun(index_dir: Path) -> None:
    out = io.StringIO()
    with Engine(index_dir) as engine:
        state = ShellState(engine, width=100, height=40)
        with create_pipe_input() as pipe, create_app_session(input=pipe, output=DummyOutput()):

            def typist() -> None:
                for chunk in ("homes:>1000\r", ":quit\r"):
                    time.sleep(0.1)
                    pipe.send_text(chunk)

            threading.Thread(target=typist, daemon=True).start()
            make_shell(state).run(out)
    assert "Council plans new estate" in out.getvalue()
    assert "Village approves" not in out.getvalue()


def test_opensearch_translation_is_a_keyword_range() -> None:
    dsl = request_query("homes:>1000")
    body = json.dumps(dsl)
    assert '"range"' in body and '"counted"' in body
    start, end = counted.bounds("home", 1000, None)
    assert start in body and end in body


@given(
    st.floats(allow_nan=False, allow_infinity=False),
    st.floats(allow_nan=False, allow_infinity=False),
)
def test_terms_sort_as_their_values(a: float, b: float) -> None:
    ta, tb = counted.term("home", a), counted.term("home", b)
    assert math.isclose(counted.value_of(ta), a) or counted.value_of(ta) == a
    if a < b:
        assert ta < tb
    assert counted.bounds("home", None, None)[0] < ta < counted.bounds("home", None, None)[1]


@pytest.mark.data
def test_newsquant_halves_meet_the_value_target() -> None:
    """Value F1 >= 0.93 and unit accuracy >= 0.92 on both halves (bench/results/numbers.md)."""
    from bench import numbers as N

    folder = shared_data("entities/newsquant-dev")
    scores = N.bench_newsquant(folder, {"newsdex": N.newsdex, "spacy-naive": N.baseline})
    by = {(s.system, s.corpus): s for s in scores}
    for half in ("A", "B"):
        ours, plain = (
            by[("newsdex", f"newsquant-dev/{half}")],
            by[("spacy-naive", f"newsquant-dev/{half}")],
        )
        assert ours.f1 >= 0.93 and ours.f1 > plain.f1
        assert ours.unit_accuracy >= 0.92 and ours.unit_accuracy > plain.unit_accuracy


def test_the_shell_colours_a_counted_noun_as_a_field() -> None:
    from search.repl.lexer import tokens

    styles = dict((text, style) for style, text, *_ in tokens("homes:>1000 plce:Aleppo"))
    assert styles["homes:"] == "class:field"
    assert styles["plce:"] == "class:field.unknown"


def test_the_snippet_marks_the_counted_phrase(index_dir: Path) -> None:
    with Engine(index_dir) as engine:
        hit = engine.search("homes:>1000").hits[0]
        marked = [hit.snippet.text[start:end] for start, end in hit.snippet.spans]
        assert "5,000 homes" in marked
        few = engine.search("homes:<100").hits[0]
        assert [few.snippet.text[s:e] for s, e in few.snippet.spans] == ["40 homes"]
