"""Snippets mark the words, numbers and names a query matched, in the article's own text."""

from __future__ import annotations

from pathlib import Path

import pytest

from search.engine import Engine


@pytest.fixture(scope="module")
def engine(seed_index: Path) -> Engine:
    return Engine(seed_index)


@pytest.mark.parametrize(
    ("query", "marked"),
    [
        ("airdrop aid", ["**airdrop**", "**aid**"]),
        ("airdr*", ["**airdropped**", "**airdrops**"]),
        ('"humanitarian aid"', ["**humanitarian**", "**aid**"]),
        ("tons:>=20", ["**21 tons**"]),
        ("number:>1000000", ["**1.9 million injured**", "**12.2 million people**"]),
        ("km:[40 TO 60]", ["**some 50 kilometers**"]),
        ("place:Aleppo", ["**Aleppo**"]),
        ('org:"World Food Program"', ["**World Food Program**"]),
    ],
)
def test_matches_are_marked(engine: Engine, query: str, marked: list[str]) -> None:
    hit = engine.search(query).hits[0]
    for mark in marked:
        assert mark in hit.snippet, hit.snippet
    assert len(hit.snippet) < 300


def test_a_title_only_match_shows_the_opening(engine: Engine) -> None:
    hit = engine.search("title:recaptures").hits[0]
    assert hit.snippet.startswith("Syrian army forces and their allies")
    assert "**" not in hit.snippet
