"""Issue 14's problem list, case by case: questions in capitals, every match for scripts, and
dates that say what they left out (totals: test_totals.py; highlights: test_snippets.py)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from index import schema as S
from index.dates import dateline_date
from search.cli import app
from search.query import parse
from tests.conftest import shared_data

runner = CliRunner()

QUESTION = "TALKS BETWEEN SECRETARY OF STATE RUSK AND PRESIDENT TITO CONCERNING TRADE"
TITO = {
    "id": "t",
    "title": "Rusk meets Tito",
    "body": "Secretary of State Dean Rusk held talks with President Tito on trade and aid.",
}
ARTICLES = [
    TITO,
    {"id": "o", "title": "Oil prices", "body": "Oil prices rose on Monday in London trading."},
    {"id": "w", "title": "Weather", "body": "Rain is expected across the north tomorrow."},
]


def invoke(*args: object) -> object:
    return runner.invoke(app, [str(a) for a in args])


# --- capitals -----------------------------------------------------------------------------------


def test_a_question_in_capitals_reads_its_operators_as_words(build_index: Callable) -> None:
    directory, _ = build_index(ARTICLES)
    found = invoke("search", "--index", directory, QUESTION, "--format", "json")
    assert found.exit_code == 0, found.output
    envelope = json.loads(found.stdout)
    assert envelope["results"][0]["title"] == "Rusk meets Tito"
    assert "question in capitals" in envelope["note"]
    explained = invoke("search", "--index", directory, QUESTION, "--explain", "--format", "ids")
    assert "question in capitals" in explained.stderr  # not data: never in the ids stream
    strict = invoke("search", "--index", directory, QUESTION, "--strict", "--format", "json")
    assert strict.exit_code == 1  # AND kept an operator: no article has every word
    assert not parse(QUESTION, S.build_schema(), strict=True).capitals


@pytest.mark.parametrize(
    "text", ["IRAQ AND OIL", "IRAQ AND (OIL OR GAS) NEAR BASRA", '"OIL PRICES" OR GAS IN IRAQ']
)
def test_short_or_bracketed_capitals_keep_their_operators(text: str) -> None:
    assert not parse(text, S.build_schema()).capitals


@pytest.mark.data
@pytest.mark.parametrize("collection", ["cranfield", "cisi"])
def test_ir_questions_in_capitals_read_as_in_lower_case(collection: str) -> None:
    """Every judged Cranfield and CISI question, typed in capitals, becomes the very query its
    lower-case form does: the same ranking, so the same MAP (bench.ranking shows both)."""
    from bench.ranking_data import load

    root = shared_data("ir")
    schema = S.build_schema()
    questions = load(collection, root).queries
    for qid, text in questions.items():
        upper, lower = parse(text.upper(), schema), parse(text.lower(), schema)
        assert upper.query == lower.query, qid
    assert sum(parse(t.upper(), schema).capitals for t in questions.values()) > 50


# --- every match for scripts ----------------------------------------------------------------


def test_machine_formats_stream_every_match(build_index: Callable) -> None:
    many = [{"id": f"n{i}", "title": f"Note {i}", "body": f"Market note {i}."} for i in range(25)]
    directory, _ = build_index(many)
    ids = invoke("search", "--index", directory, "market", "--format", "ids")
    assert ids.exit_code == 0, ids.output
    assert len(set(ids.stdout.split())) == len(many)
    jsonl = invoke("search", "--index", directory, "market", "--format", "jsonl")
    assert len(jsonl.stdout.splitlines()) == 25
    limited = invoke("search", "--index", directory, "market", "--format", "ids", "-n", "3")
    assert len(limited.stdout.split()) == 3
    everything = invoke("search", "--index", directory, "market", "--format", "json", "-n", "0")
    assert len(json.loads(everything.stdout)["results"]) == 25
    trec = invoke("search", "--index", directory, "market", "--format", "trec")
    assert len(trec.stdout.splitlines()) == 25 and trec.stdout.split()[1] == "Q0"


# --- dates --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "date"),
    [
        ("BEIRUT, Feb. 22, 2016 (AP) - Talks resumed in Geneva.", "2016-02-22"),
        ("22 February 2016\n\nTalks resumed.", "2016-02-22"),
        ("Published: 2016-02-22 10:30 GMT\nTalks resumed.", "2016-02-22"),
        ("Profits rose in the three months to 31 December 2004, the firm said.", None),
        ("The deal, signed on 3 March 2005, lapsed.", None),
    ],
)
def test_a_date_comes_from_a_dateline_never_a_sentence(body: str, date: str | None) -> None:
    assert dateline_date(body) == date


@pytest.mark.data
def test_bbc_business_004_takes_no_date_from_its_body(build_index: Callable) -> None:
    """ "Reporting its results for the three months to 31 December 2004" is not its date."""
    path = shared_data("news/bbc") / "docs" / "business-004.txt"
    directory, _ = build_index(files={path.name: path.read_text(encoding="utf-8")})
    found = invoke("search", "--index", directory, "fuel", "--format", "json")
    assert found.exit_code == 0, found.output
    assert json.loads(found.stdout)["results"][0]["date"] in (None, "")


def test_a_date_filter_on_undated_articles_says_what_it_left_out(build_index: Callable) -> None:
    directory, _ = build_index(ARTICLES)
    args = ("search", "--index", directory, "oil OR rain", "--since", "2004", "--until", "2005")
    empty = invoke(*args)
    assert empty.exit_code == 1
    assert "left out 2 matching articles without a date" in empty.stderr
    assert "no article in this index has a date" in empty.stderr
    explained = invoke(*args, "--explain")
    assert "date filter: date from 2004 until 2005" in explained.stderr


def test_stats_and_sort_by_date_show_dates(build_index: Callable) -> None:
    dated = [{**a, "date": f"2016-0{i + 1}-10"} for i, a in enumerate(ARTICLES[:2])]
    directory, _ = build_index([*dated, ARTICLES[2]])
    stats = invoke("stats", "--index", directory, "--format", "json")
    record = json.loads(stats.stdout)
    assert (record["dated"], record["undated"]) == (2, 1)
    assert (record["first_date"], record["last_date"]) == ("2016-01-10", "2016-02-10")
    table = invoke("stats", "--index", directory)
    assert "2 articles, 1 without a date; from 2016-01-10 to 2016-02-10" in table.stdout
    by_date = invoke("search", "--index", directory, "oil OR talks", "--sort", "date", "-n", "5")
    assert by_date.exit_code == 0, by_date.output
    assert "2016-01-10" in by_date.stdout and "18446744073709551616" not in by_date.stdout
    as_json = invoke("search", "--index", directory, "oil OR talks", "--sort", "-date", "-n", "5")
    assert as_json.exit_code == 0
    records = json.loads(
        invoke(
            "search", "--index", directory, "oil OR talks", "--sort", "-date", "--format", "json"
        ).stdout
    )["results"]
    assert [r["date"] for r in records] == ["2016-02-10", "2016-01-10"]
    assert all(r["score"] is None for r in records)


def test_stats_json_field_names_are_documented(seed_index: Path) -> None:
    record = json.loads(invoke("stats", "--index", seed_index, "--format", "json").stdout)
    assert record["dated"] + record["undated"] == record["documents"]
