"""Did you mean: the corrected query is built as a query object and its text from the same
corrections; the text, read back, is the query that was checked (no parse in between)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from search import didyoumean
from search.engine import Engine, SearchOptions

HARVEST = [
    {"id": "w1", "title": "Wheat harvest", "body": "The wheat harvest in Kansas was early."},
    {"id": "w2", "title": "Grain silos", "body": "Farmers stored wheat in silos after the rain."},
    # "add-ons" indexes the stem "on", a stopword a typed query drops.
    {"id": "a1", "title": "Software add-ons", "body": "Browser add-ons and plug-ons sold well."},
]


@pytest.fixture
def harvest(build_index: Callable[..., tuple[Path, object]]) -> Engine:
    directory, _ = build_index(HARVEST)
    return Engine(directory)


def _suggested(engine: Engine, text: str) -> didyoumean.Suggestion | None:
    return didyoumean.suggest(engine.searcher(), engine.parse(text), engine.spelled)


def _offered(engine: Engine, text: str) -> str | None:
    return engine.search(text, SearchOptions(suggest=True, snippets=False)).suggestion


@pytest.mark.parametrize(
    ("typed", "fixed"),
    [
        ("wheet", "wheat"),
        ("Wheet", "Wheat"),
        ("wheet silos", "wheat silos"),
        ("title:wheet", "title:wheat"),
    ],
)
def test_a_keyword_typo_is_corrected(harvest: Engine, typed: str, fixed: str) -> None:
    assert _offered(harvest, typed) == fixed


def test_the_checked_query_is_the_query_its_text_reads_as(harvest: Engine) -> None:
    for typed in ("wheet", "Wheet silos", "title:wheet AND silos"):
        suggestion = _suggested(harvest, typed)
        assert suggestion is not None, typed
        assert suggestion.query == harvest.parse(suggestion.text).query, typed


def test_a_correction_to_a_word_the_analyzer_drops_is_no_correction(harvest: Engine) -> None:
    # The index's own words offer the stopword: "on" is the stem of "add-ons".
    searcher = harvest.searcher()
    assert searcher.suggest("body", "onn", limit=1, maxdist=2, prefix=2) == ["on"]
    # Shown as the index holds it (what Whoosh's Correction.string does), "on" is a word the
    # typed query drops: no correction. Shown as the article wrote it, "ons" reads as "on".
    as_indexed = didyoumean.suggest(searcher, harvest.parse("onn"), lambda field, term: term)
    assert as_indexed is None
    written = _suggested(harvest, "onn")
    assert written is not None and written.text == "ons"
    assert written.query == harvest.parse("ons").query
    # The other corrections of a query stand; the dropped one is left as typed.
    mixed = didyoumean.suggest(searcher, harvest.parse("wheet onn"), lambda field, term: term)
    assert mixed is not None and mixed.text == "wheat onn"
    assert mixed.query == harvest.parse("wheat onn").query


def test_a_stem_is_shown_as_the_articles_write_it(seed_index: Path) -> None:
    with Engine(seed_index) as engine:
        assert engine.searcher().suggest("body", "khanasr", limit=1, prefix=2) == ["khanas"]
        assert _offered(engine, "Khanasr") == "Khanaser"  # not "Khanas", which reads as khana


def test_bonk_is_not_corrected_to_a_stopword(harvest: Engine) -> None:
    # Whoosh's correct_query drops its `prefix` argument: every term within two edits was a
    # candidate, and "bonk" came back as "on". Corrections now keep the first two letters.
    assert _offered(harvest, "bonk") is None


def test_a_question_gets_no_suggestion(harvest: Engine) -> None:
    question = "how was the wheet harvest stored in the grain silos in wartime"
    assert harvest.parse(question).any_word
    assert _suggested(harvest, question) is None
    assert _offered(harvest, question) is None


@pytest.mark.parametrize(
    ("typed", "fixed"),
    [
        ("place:Alepo", "place:Aleppo"),
        ("place:alepo", "place:Aleppo"),  # a name as the articles write it
        ('place:"Deir al-Zr"', 'place:"Deir al-Zor"'),
        ('org:"Red Cresent"', 'org:"Red Crescent"'),
        ("place:Alepo Khanasr", "place:Aleppo Khanaser"),
    ],
)
def test_a_fielded_typo_is_corrected_in_its_field(seed_index: Path, typed: str, fixed: str) -> None:
    with Engine(seed_index) as engine:
        assert _offered(engine, typed) == fixed
        suggestion = _suggested(engine, typed)
        assert suggestion is not None
        assert suggestion.query == engine.parse(fixed).query


def test_a_repaired_query_is_corrected_as_it_was_read(harvest: Engine) -> None:
    # The unmatched quote is dropped by the forgiving reading; the spans index the repaired text.
    assert _offered(harvest, 'wheet"') == "wheat"
