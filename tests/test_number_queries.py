"""Number queries: every literal form parses, and the seed story of issue 5 holds through the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from index.schema import build_schema
from search.cli import app
from search.parser import parse_number
from search.query import parse


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("400000", 4e5),
        ("400,000", 4e5),
        ("4e5", 4e5),
        ("400k", 4e5),
        ("400K", 4e5),
        ("1.5m", 1.5e6),
        ("2bn", 2e9),
        ("1e9", 1e9),
        ("12.2", 12.2),
        ("-3", -3.0),
        ("3tn", 3e12),
        ("1,234,567.5", 1234567.5),
    ],
)
def test_number_literals(text: str, value: float) -> None:
    assert parse_number(text) == value


@pytest.mark.parametrize("text", ["abc", "1,2,3", "k", "", "12 apples"])
def test_not_numbers(text: str) -> None:
    assert parse_number(text) is None


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("tons:>=20", "ton:[20.0 TO ]"),
        ("km:<100", "km:[ TO 100.0}"),
        ("usd:>1e9", "usd:{1000000000.0 TO ]"),
        ("people:[1m TO 2m]", "people:[1000000.0 TO 2000000.0]"),
        ("number:>400k", "number:{400000.0 TO ]"),
        ("dollars:>=2bn", "usd:[2000000000.0 TO ]"),
        ("pct:[5 TO 10]", "percent:[5.0 TO 10.0]"),
        ("Miles:<=30", "mile:[ TO 30.0]"),
        ("number:[400,000 TO 500,000]", "number:[400000.0 TO 500000.0]"),
    ],
)
def test_number_queries_parse(query: str, expected: str) -> None:
    assert str(parse(query, build_schema(), strict=True).query) == expected


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("number:>400000", True),
        ("number:[1e6 TO 2e6]", True),
        ("people:>400k", True),
        ("tons:>=20", True),
        ("km:<100", True),
        ("km:[40 TO 60]", True),
        ("miles:30", True),
        ("people:[5e6 TO 6e6]", True),  # more than 5.6 million children
        ("percent:>0", False),  # the seed gives no percentage
        ("tons:>100", False),
        ("number:>1e8", False),
        ("number:2011", False),  # a year is not a number
    ],
)
def test_seed_number_story(seed_index: Path, query: str, found: bool) -> None:
    result = CliRunner().invoke(app, ["search", "--index", str(seed_index), query, "-f", "json"])
    assert result.exit_code == (0 if found else 1), result.output
    assert json.loads(result.stdout)["total"] == (1 if found else 0)
