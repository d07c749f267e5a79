"""Ranking behaviour on tiny real indexes: pasted questions, short AND queries, qtf, idf, BM25F.

The measured quality on Cranfield and CISI is bench/ranking.py's job (bench/results/ranking.md).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest
from whoosh import query as wq

from index import schema as S
from search import feedback, ranking
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


def test_one_quoted_phrase_is_a_phrase_however_long(engine: Engine) -> None:
    # Found trying the seed as a new user: '"Back to top button"' said "read as a question".
    assert not engine.parse('"farmers lost their crops to drought"').any_word
    assert engine.parse('farmers lost their "crops" to drought').any_word  # prose with a quote
    assert _titles(engine, '"kansas wheat harvest drought"') == []  # its words, not in that order


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


# --- pseudo-relevance feedback (RM3) for questions --------------------------------------------
HARVEST = [
    {
        "id": "silos",
        "title": "Wheat harvest fills the grain silos",
        "body": "The wheat harvest filled every grain silo at the cooperative elevator. Farmers "
        "trucked wheat to the elevator, and the cooperative stored the grain in silos.",
    },
    {
        "id": "record",
        "title": "Grain silos store a record wheat harvest",
        "body": "At the cooperative elevator, farmers stored wheat grain in new silos after the "
        "harvest. The elevator cooperative expects more grain.",
    },
    # Two articles with one question word each, of the same length: without feedback they tie,
    # and index order puts the moon first.
    {
        "id": "moon",
        "title": "Monday: moon",
        "body": "Stargazers watched the harvest moon in a telescope on Monday.",
    },
    {
        "id": "elevator",
        "title": "Monday: elevator",
        "body": "Farmers brought the harvest to the cooperative elevator on Monday.",
    },
]
HARVEST_QUESTION = "how was the wheat harvest stored in the grain silos"


@pytest.fixture
def harvest(build_index: Callable[..., tuple[Path, object]]) -> Engine:
    directory, _ = build_index(HARVEST)
    return Engine(directory)


def _ids(engine: Engine, text: str, **options: object) -> list[str]:
    results = engine.search(text, SearchOptions(limit=10, snippets=False, **options))  # type: ignore[arg-type]
    return [hit.document.title.split()[-1] for hit in results.hits]


def test_feedback_lifts_the_article_that_shares_the_top_articles_words(harvest: Engine) -> None:
    ids = _ids(harvest, HARVEST_QUESTION)
    assert ids.index("elevator") < ids.index("moon")
    # Without feedback the two tie on the question's words alone.
    schema = harvest.searcher().schema
    plain = ranking.RankingModel(feedback_docs=0)
    searcher = harvest.searcher()
    query = parse(HARVEST_QUESTION, schema, model=plain).query
    scores = {hit["title"].split()[-1]: hit.score for hit in searcher.search(query, limit=None)}
    assert scores["elevator"] == pytest.approx(scores["moon"])


def test_feedback_never_changes_what_matches_nor_the_total(harvest: Engine) -> None:
    by_score = harvest.search(HARVEST_QUESTION, SearchOptions(limit=1, snippets=False))
    by_date = harvest.search(HARVEST_QUESTION, SearchOptions(limit=1, snippets=False, sort="date"))
    assert by_score.total == by_date.total == 4 and by_score.total_exact
    assert sorted(_ids(harvest, HARVEST_QUESTION)) == sorted(
        _ids(harvest, HARVEST_QUESTION, sort="date")
    )
    streamed = [
        hit.document.title.split()[-1] for hit in harvest.hits(HARVEST_QUESTION, SearchOptions())
    ]
    assert streamed == _ids(harvest, HARVEST_QUESTION)


def test_feedback_words_are_the_top_articles_content_words(harvest: Engine) -> None:
    question = harvest.parse(HARVEST_QUESTION).query
    words = feedback.feedback_words(harvest.searcher(), question)
    assert {"grain", "cooper", "elev"} <= set(words)
    assert not {"wa", "the", "at"} & set(words)  # function words, as indexed, are not kept
    assert sum(words.values()) == pytest.approx(1.0)
    every = ranking.RankingModel(feedback_terms=100)
    assert "after" not in feedback.feedback_words(harvest.searcher(), question, every)
    kept = replace(every, feedback_stopwords=True)
    assert "after" in feedback.feedback_words(harvest.searcher(), question, kept)


def test_short_queries_and_keyword_queries_get_no_feedback(harvest: Engine) -> None:
    for text in ("wheat harvest", "title:wheat OR grain OR elevator"):
        assert "feedback" not in harvest.explain(text)
        parsed = harvest.parse(text)
        plain = {hit["title"]: hit.score for hit in harvest.searcher().search(parsed.query)}
        found = harvest.search(text, SearchOptions(snippets=False))
        assert {hit.document.title: hit.score for hit in found.hits} == pytest.approx(plain)


def test_explain_lists_the_feedback_words(harvest: Engine) -> None:
    described = harvest.explain(HARVEST_QUESTION)
    assert "ranked with feedback from the top 10 articles (RM3): " in described
    assert "grain" in described.splitlines()[-1]
    assert "feedback" not in harvest.explain("wheat harvest")
    assert "feedback" not in harvest.explain(HARVEST_QUESTION, SearchOptions(sort="date"))


@pytest.mark.parametrize("depth", [1, 100])
def test_pages_of_a_reranked_question_follow_one_order(
    harvest: Engine, monkeypatch: pytest.MonkeyPatch, depth: int
) -> None:
    """Pages inside the re-ranked depth come from the first pass, pages past it from the
    Reranked query; both agree with the streamed order, and every page has the same total."""
    model = replace(ranking.DEFAULT, feedback_docs=min(depth, 10), feedback_depth=depth)
    monkeypatch.setattr(ranking, "DEFAULT", model)
    pages = [
        harvest.search(HARVEST_QUESTION, SearchOptions(limit=2, page=n, snippets=False))
        for n in (1, 2, 3)
    ]
    assert pages[2].hits == pages[1].hits  # past the end: the last page, as Whoosh pages
    paged = [hit.document.title for page in pages[:2] for hit in page.hits]
    streamed = [hit.document.title for hit in harvest.hits(HARVEST_QUESTION, SearchOptions())]
    assert paged == streamed and len(set(paged)) == 4
    assert {page.total for page in pages} == {4}
    scores = [hit.score for page in pages[:2] for hit in page.hits]
    assert scores == sorted(scores, reverse=True)


def test_a_question_gets_no_spliced_did_you_mean(harvest: Engine) -> None:
    # "silos" and "stored" are known; "wartime" is not: a keyword query would be corrected,
    # a question (any word may match) is left as typed rather than spliced with stems.
    question = "how was the wheat harvest stored in the grain silos in wartime"
    assert harvest.parse(question).any_word
    assert harvest.search(question, SearchOptions(suggest=True)).suggestion is None
    assert harvest.search("wheet", SearchOptions(suggest=True)).suggestion == "wheat"
