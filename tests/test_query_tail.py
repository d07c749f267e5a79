"""The fast phrase and prefix matchers (search/fastmatch.py) against Whoosh's own, on real indexes:
the same documents with the same scores, across segments, deletions and long posting lists."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from whoosh import index
from whoosh import query as wq
from whoosh.query.compound import DefaultOr
from whoosh.searching import Searcher

from search import ranking
from search.engine import Engine, SearchOptions
from search.fastmatch import FastPhrase, FastPrefix, FastRange, ScoredIds, accelerate
from tests.conftest import words_index

# A small vocabulary, so that common words have posting lists of many blocks (Whoosh writes
# 128 postings a block) and phrases of them occur by chance as well as on purpose.
WORDS = [
    "comp",
    "company",
    "compare",
    "computer",
    "complete",
    "common",
    "prime",
    "minister",
    "year",
    "but",
    "more",
    "than",
    "said",
]


def _article(rng: random.Random) -> str:
    words = rng.choices(WORDS, k=rng.randint(3, 60))
    if rng.random() < 0.3:
        words[rng.randrange(len(words)) :] = ["prime", "minister", "prime", "minister"]
    return " ".join(words)


@pytest.fixture(scope="module")
def whoosh_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Three segments of 400 articles each, some deleted, built with newsdex's weighting."""
    directory = tmp_path_factory.mktemp("tail-index")
    ix = words_index(directory)
    rng = random.Random(8)
    for segment in range(3):
        writer = ix.writer()
        for n in range(400):
            title = " ".join(rng.choices(WORDS, k=3))
            values = [rng.choice([rng.uniform(0, 2e6), rng.randint(0, 500)]) for _ in range(3)]
            number = values[: rng.randint(0, 3)]
            writer.add_document(id=f"{segment}-{n}", title=title, body=_article(rng), number=number)
        writer.commit(merge=False)
    writer = ix.writer()
    for n in range(0, 400, 7):
        writer.delete_by_term("id", f"1-{n}")
    writer.commit(merge=False)
    return directory


@pytest.fixture(scope="module")
def searcher(whoosh_dir: Path) -> Searcher:
    return index.open_dir(str(whoosh_dir)).searcher(weighting=ranking.weighting())


def _all(searcher: Searcher, q: wq.Query) -> list[tuple[str, float]]:
    """Every match with its score, best first (ties by document number, as Whoosh orders)."""
    hits = searcher.search(q, limit=None, optimize=False)
    return [(hit["id"], round(hit.score, 9)) for hit in hits]


def test_index_has_segments_deletions_and_long_postings(searcher: Searcher) -> None:
    assert len(searcher.subsearchers) >= 3
    assert searcher.reader().has_deletions()
    assert searcher.doc_frequency("body", "said") > 300


@pytest.mark.parametrize(
    "words",
    [["prime", "minister"], ["year", "but"], ["more", "than", "said"], ["prime", "prime"],
     ["minister", "prime", "minister"], ["said", "said", "said"]],
)  # fmt: skip
@pytest.mark.parametrize("field", ["title", "body"])
def test_phrase_matches_and_scores_like_whoosh(
    searcher: Searcher, field: str, words: list[str]
) -> None:
    plain = wq.Phrase(field, words)
    expected = _all(searcher, plain)
    assert _all(searcher, FastPhrase(field, words)) == expected
    if words == ["prime", "minister"] and field == "body":
        assert len(expected) > 100  # the case that matters: many candidates, many matches


def test_phrase_with_a_word_the_index_lacks_matches_nothing(searcher: Searcher) -> None:
    assert _all(searcher, FastPhrase("body", ["prime", "zebra"])) == []


def test_phrase_with_slop_is_left_to_whoosh_and_still_matches_like_it(searcher: Searcher) -> None:
    plain = wq.Phrase("body", ["prime", "year"], slop=3)
    assert _all(searcher, FastPhrase("body", ["prime", "year"], slop=3)) == _all(searcher, plain)


def test_phrase_boost_multiplies_the_score(searcher: Searcher) -> None:
    plain = _all(searcher, wq.Phrase("body", ["prime", "minister"], boost=2.5))
    assert _all(searcher, FastPhrase("body", ["prime", "minister"], boost=2.5)) == plain


def _scored_prefix(searcher: Searcher, field: str, prefix: str) -> wq.Query:
    """Whoosh's Prefix as it runs on a segment of over 5,000 articles: an OR of its words, each
    scored. (On smaller segments Whoosh preloads the OR and every match scores 1.0.)"""
    words = [w.decode() for w in searcher.reader().expand_prefix(field, prefix)]
    return DefaultOr([wq.Term(field, w) for w in words]) if words else wq.NullQuery


def _same(got: list[tuple[str, float]], expected: list[tuple[str, float]]) -> None:
    """The same documents with the same scores. Whoosh adds a prefix's word scores in a tree
    ordered by document frequency, FastPrefix word by word: sums may differ in the last bit,
    which may order two equally scored documents the other way round."""
    assert dict(got) == pytest.approx(dict(expected), rel=1e-12)
    scores = [score for _, score in got]
    assert scores == sorted(scores, reverse=True)


@pytest.mark.parametrize("prefix", ["comp", "compa", "pri", "computer", "zzz"])
@pytest.mark.parametrize("field", ["title", "body"])
def test_prefix_matches_and_scores_like_whoosh(searcher: Searcher, field: str, prefix: str) -> None:
    expected = _all(searcher, _scored_prefix(searcher, field, prefix))
    _same(_all(searcher, FastPrefix(field, prefix)), expected)
    plain = searcher.search(wq.Prefix(field, prefix), limit=None)
    assert {i for i, _ in expected} == {hit["id"] for hit in plain}
    if prefix == "comp":
        assert len(expected) > 300


def test_accelerate_swaps_only_phrases_and_prefixes(searcher: Searcher) -> None:
    q = wq.And([wq.Or([wq.Phrase("title", ["prime", "minister"]), wq.Prefix("body", "comp")]),
                wq.Term("body", "year"), wq.Not(wq.Prefix("title", "compa"))])  # fmt: skip
    fast = accelerate(q)
    assert repr(fast) == repr(q).replace("Phrase(", "FastPhrase(").replace("Prefix(", "FastPrefix(")
    expected = wq.And([wq.Or([wq.Phrase("title", ["prime", "minister"]),
                              _scored_prefix(searcher, "body", "comp")]),
                       wq.Term("body", "year"), wq.Not(wq.Prefix("title", "compa"))])  # fmt: skip
    _same(_all(searcher, fast), _all(searcher, expected))


def test_top_ten_and_count_of_an_or_of_fast_parts_are_exact(searcher: Searcher) -> None:
    # An OR of two fast parts is never pruned into an AND by Whoosh's collector, so the count
    # of a page is the number of matching articles.
    q = accelerate(wq.Or([wq.Prefix("title", "comp"), wq.Prefix("body", "comp")]))
    page = searcher.search_page(q, 1, pagelen=10, optimize=False)
    everything = searcher.search(q, limit=None, optimize=False)
    assert page.total == len(everything)
    assert [h.docnum for h in page] == [h.docnum for h in everything][:10]


def test_scored_ids_skip_to_lands_on_the_next_id_at_or_after() -> None:
    m = ScoredIds([2, 5, 9, 14], [1.0, 2.0, 3.0, 4.0])
    m.skip_to(6)
    assert (m.id(), m.score()) == (9, 3.0)
    m.skip_to(3)  # never backwards
    assert m.id() == 9
    m.skip_to(15)
    assert not m.is_active()


def test_engine_search_gives_whoosh_results_for_phrases_and_prefixes(seed_index: Path) -> None:
    with Engine(seed_index) as engine:
        searcher = engine.searcher()
        for text in ('"food programme"', "aid*", '"world food" aleppo', "air* OR deir*"):
            results = engine.search(text, SearchOptions(limit=5, suggest=False))
            plain = searcher.search(engine.parse(text).query, limit=None, optimize=False)
            assert results.total == len(plain), text
            assert [h.document.id for h in results.hits] == [h["id"] for h in plain][:5], text


@pytest.mark.parametrize(
    ("start", "end", "startexcl", "endexcl"),
    [(1e6, None, True, False), (None, 250, False, True), (100, 200, False, False),
     (0, 0, False, False), (3e6, None, False, False), (-5, 1e7, False, False)],
)  # fmt: skip
def test_numeric_range_matches_and_scores_like_whoosh(
    searcher: Searcher, start: float | None, end: float | None, startexcl: bool, endexcl: bool
) -> None:
    for boost in (1.0, 2.5):
        plain = wq.NumericRange("number", start, end, startexcl, endexcl, boost=boost)
        fast = FastRange("number", start, end, startexcl, endexcl, boost=boost)
        assert _all(searcher, fast) == _all(searcher, plain)
    if start == 1e6:
        assert len(_all(searcher, plain)) > 100  # many values at every precision


def test_accelerate_swaps_a_numeric_range_inside_a_query(searcher: Searcher) -> None:
    q = wq.And([wq.NumericRange("number", 1000, None), wq.Term("body", "year")])
    fast = accelerate(q)
    assert isinstance(fast.subqueries[0], FastRange)
    assert _all(searcher, fast) == _all(searcher, q)
