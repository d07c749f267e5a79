"""Ranking behaviour on tiny real indexes: pasted questions, short AND queries, qtf, idf, BM25F.

The measured quality on Cranfield and CISI is bench/ranking.py's job (bench/results/ranking.md).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from whoosh import query as wq

from index import schema as S
from search import ranking
from search.engine import Engine, SearchOptions
from search.query import parse

FILLER = "The council met on Tuesday and the report was published later in the week."

ARTICLES = [
    {
        "id": "drought",
        "title": "Drought ruins the wheat harvest in Kansas",
        "body": "Farmers in Kansas lost most of their wheat to the drought this summer. "
        "Wheat prices rose as the drought spread across the plains. " + FILLER,
    },
    {
        "id": "wheat-exports",
        "title": "Wheat exports from Ukraine resume",
        "body": "Ships carrying wheat left Odesa after months of blockade. " + FILLER,
    },
    {
        "id": "flood",
        "title": "Floods close roads in Kansas City",
        "body": "Heavy rain flooded streets and closed schools in Kansas City. " + FILLER,
    },
    {
        "id": "solar",
        "title": "Town plans a solar farm",
        "body": "The solar farm would cover forty hectares with solar panels near the river. "
        + FILLER,
    },
    {
        "id": "wind",
        "title": "Town plans a wind farm",
        "body": "The wind farm would put forty wind turbines on the ridge near the river. "
        + FILLER,
    },
]


@pytest.fixture
def engine(build_index: Callable[..., tuple[Path, object]]) -> Engine:
    directory, _ = build_index(ARTICLES)
    return Engine(directory)


def _titles(engine: Engine, text: str, limit: int = 5) -> list[str]:
    results = engine.search(text, SearchOptions(limit=limit, snippets=False))
    return [hit.document.title for hit in results.hits]


def test_pasted_question_finds_the_relevant_article_first(engine: Engine) -> None:
    question = "What has the drought done to the wheat farmers of Kansas this summer?"
    assert engine.parse(question).any_word
    assert _titles(engine, question)[0] == "Drought ruins the wheat harvest in Kansas"


def test_question_with_brackets_and_question_marks_is_read_as_prose(engine: Engine) -> None:
    question = "Which towns (near a river) are planning a solar farm? Any wind farm plans?"
    parsed = engine.parse(question)
    assert parsed.any_word
    assert not [leaf for leaf in parsed.query.leaves() if isinstance(leaf, wq.Wildcard)]
    assert set(_titles(engine, question)[:2]) == {
        "Town plans a solar farm",
        "Town plans a wind farm",
    }


def test_two_word_query_keeps_and_semantics(engine: Engine) -> None:
    assert not engine.parse("kansas wheat").any_word
    assert _titles(engine, "kansas wheat") == ["Drought ruins the wheat harvest in Kansas"]


def test_three_word_query_keeps_and_semantics(engine: Engine) -> None:
    assert not engine.parse("kansas city floods").any_word
    assert _titles(engine, "kansas city floods") == ["Floods close roads in Kansas City"]


def test_query_syntax_is_never_read_as_a_question(engine: Engine) -> None:
    assert not engine.parse("title:wheat farmers lost their crops").any_word
    assert not engine.parse("wheat* farmers lost their crops").any_word


def test_repeated_question_word_counts_more(engine: Engine) -> None:
    solar_first = "Solar, solar and wind: which town farm plans are there?"
    wind_first = "Wind, wind and solar: which town farm plans are there?"
    assert _titles(engine, solar_first)[0] == "Town plans a solar farm"
    assert _titles(engine, wind_first)[0] == "Town plans a wind farm"


def test_repeated_word_becomes_one_boosted_clause() -> None:
    parsed = parse("solar panels and solar farms and solar roofs", S.build_schema())
    words = {sub.subqueries[0].text: sub.boost for sub in parsed.query.subqueries}
    assert words == {"solar": 3.0, "panel": 1.0, "farm": 1.0, "roof": 1.0}


def test_qtf_off_counts_a_word_once() -> None:
    model = ranking.RankingModel(qtf=False)
    parsed = parse("solar panels and solar farms and solar roofs", S.build_schema(), model=model)
    assert all(sub.boost == 1.0 for sub in parsed.query.subqueries)


def test_word_in_every_article_weighs_almost_nothing(engine: Engine) -> None:
    searcher = engine.searcher()
    common = searcher.idf(S.BODY, b"council")  # in every article's filler sentence
    rare = searcher.idf(S.BODY, b"odesa")
    assert common < 0.2 < 1.0 < rare
    whoosh = ranking.RankingModel(rsj_idf=False)
    assert ranking.weighting(whoosh).idf(searcher, S.BODY, b"council") > 0.8  # log(5/6) + 1


def test_each_question_word_is_scored_over_title_and_body_as_one(engine: Engine) -> None:
    query = engine.parse("Which town plans a solar farm near the river?").query
    assert isinstance(query, wq.Or)
    assert all(isinstance(sub, ranking.FieldsTerm) for sub in query.subqueries)
    assert {t.fieldname for t in query.subqueries[0].subqueries} == set(S.TEXT_FIELDS)


def test_keyword_query_keeps_whoosh_fields(engine: Engine) -> None:
    query = engine.parse("solar farm").query
    assert isinstance(query, wq.And)
    assert not [sub for sub in query.subqueries if isinstance(sub, ranking.FieldsTerm)]


def test_bm25f_saturates_title_and_body_together(engine: Engine) -> None:
    """'solar' is in the solar article's title once and body twice: BM25F sums the weighted,
    length-normalised counts, then saturates once, so the score stays under idf * (k1 + 1)."""
    searcher = engine.searcher()
    word = ranking.FieldsTerm([wq.Term(S.TITLE, "solar"), wq.Term(S.BODY, "solar")])
    hits = searcher.search(word, limit=5)
    idf = searcher.idf(S.BODY, b"solar")
    assert [hit["title"] for hit in hits] == ["Town plans a solar farm"]
    assert 0 < hits[0].score < idf * (ranking.DEFAULT.k1 + 1)


def test_question_text_drops_function_words_and_syntax() -> None:
    text = 'What is the "slip" effect (in boundary-layer flows)? And "heat transfer" rates:'
    assert ranking.question_text(text) == '"heat transfer" slip effect boundary layer flows rates'


def test_question_of_only_stopwords_still_searches() -> None:
    assert ranking.question_text("what is it that they were") == "what is it that they were"


def test_explain_shows_each_question_word_once(engine: Engine) -> None:
    from search.query import explain

    tree = explain(engine.parse("What did the drought do to the wheat harvest in Kansas?"))
    assert "any word (question)" in tree
    # each word on title and body (a FieldsTerm) is shown once, as typed
    assert "tree:\n  OR\n    drought\n" in tree and "FieldsTerm" not in tree
