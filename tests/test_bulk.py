"""Bulk scoring (search/bulk.py) against Whoosh's own collector, on real indexes: the same top N
with the same scores to the last bit, and the exact count, across segments (one of over 5,000
articles, where Whoosh ORs with a tree of matchers), deletions, postings inlined in the term
info, boosts and every boolean operator."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from whoosh import index
from whoosh import query as wq
from whoosh.searching import Searcher

from search import bulk, ranking
from search.engine import Engine, SearchOptions
from search.fastmatch import Counted, accelerate
from tests.conftest import index_with_seed, words_index

WORDS = ["prime", "minister", "year", "but", "more", "than", "said", "comp", "company", "common"]


def _text(rng: random.Random, low: int, high: int) -> str:
    words = rng.choices(WORDS, k=rng.randint(low, high))
    if rng.random() < 0.05:
        words.append(f"unique{rng.randrange(10**9)}")  # a word of one article: inlined postings
    return " ".join(words)


@pytest.fixture(scope="module")
def searcher(tmp_path_factory: pytest.TempPathFactory) -> Searcher:
    """A segment of 5,200 articles and two of 300, some deleted in each, newsdex's weighting."""
    directory = tmp_path_factory.mktemp("bulk-index")
    ix = words_index(directory)
    rng = random.Random(12)
    for segment, size in enumerate((5200, 300, 300)):
        writer = ix.writer()
        for n in range(size):
            writer.add_document(
                id=f"{segment}-{n}",
                title=_text(rng, 1, 4),
                body=_text(rng, 3, 40),
                number=[rng.randint(0, 500) for _ in range(rng.randint(0, 2))],
            )
        writer.commit(merge=False)
    writer = ix.writer()
    for n in range(0, 300, 11):
        writer.delete_by_term("id", f"0-{n}")
        writer.delete_by_term("id", f"2-{n}")
    writer.commit(merge=False)
    return index.open_dir(str(directory)).searcher(weighting=ranking.weighting())


def _word(rng: random.Random) -> wq.Query:
    word = rng.choice(WORDS)
    kind = rng.random()
    if kind < 0.5:  # a word over title and body, as newsdex parses it
        return wq.Or([wq.Term("title", word), wq.Term("body", word)])
    if kind < 0.7:
        return wq.Term(rng.choice(["title", "body"]), word, boost=rng.choice([1.0, 2.5]))
    if kind < 0.8:
        return wq.Phrase("body", rng.sample(WORDS, 2))
    if kind < 0.9:
        return wq.Prefix(rng.choice(["title", "body"]), "comp")
    return wq.NumericRange("number", rng.randint(0, 250), None)


def _query(rng: random.Random, depth: int = 0) -> wq.Query:
    if depth >= 2 or rng.random() < 0.3:
        return _word(rng)
    parts = [_query(rng, depth + 1) for _ in range(rng.randint(2, 4))]
    kind = rng.random()
    if kind < 0.35:
        return wq.And(parts)
    if kind < 0.7:
        return wq.Or(parts, boost=rng.choice([1.0, 1.5]))
    if kind < 0.85:
        return wq.AndNot(parts[0], parts[1])
    return wq.AndMaybe(parts[0], parts[1])


def _top(searcher: Searcher, q: wq.Query, limit: int) -> tuple[list[tuple[float, int]], int]:
    collector = bulk.BulkTopCollector(limit=limit)
    counted = Counted(accelerate(q))
    searcher.search_with_collector(counted, collector)
    assert not counted.pruned  # nothing cut, on segments scored in bulk or one at a time
    return [(score, docnum) for score, docnum in collector.results().top_n], collector.count()


def _every(searcher: Searcher, q: wq.Query) -> list[tuple[float, int]]:
    """Every match of Whoosh's own matchers (the fast twins of fastmatch, checked against plain
    Whoosh in test_query_tail), best first, ties by document number. (Its top-N
    collector is no reference: given the tenth score, it "replaces" an AND MAYBE by its first
    side when the second alone cannot reach it, and so drops the second side's scores.)"""
    found = searcher.search(accelerate(q), limit=None, optimize=False)
    return [(score, docnum) for score, docnum in found.top_n]


QUERIES = [_query(random.Random(seed)) for seed in range(100)]


def test_the_index_has_what_the_comparison_needs(searcher: Searcher) -> None:
    sizes = [s.doc_count_all() for s, _ in searcher.leaf_searchers()]
    assert max(sizes) > 5000 and len(sizes) == 3
    assert searcher.reader().has_deletions()
    covered = [
        bulk.supported(Counted(accelerate(q)).matcher(s, s.context()))
        for q in QUERIES
        for s, _ in searcher.leaf_searchers()
    ]
    assert all(covered)  # the bulk path is what these tests exercise, on every segment


def test_bulk_top_n_and_count_are_whooshs_to_the_last_bit(searcher: Searcher) -> None:
    for q in QUERIES:
        expected = _every(searcher, q)
        for limit in (1, 10):
            assert _top(searcher, q, limit) == (expected[:limit], len(expected)), repr(q)


def test_and_not_leaves_out_every_article_with_the_excluded_word(searcher: Searcher) -> None:
    # Whoosh 2.7's AndNotMatcher let the first article through when the excluded word's
    # postings began before it: SafeAndNotMatcher, one document at a time or in bulk, does not.
    q = wq.AndNot(
        wq.And([wq.Term("body", "but"), wq.Term("title", "minister")]), wq.Term("title", "but")
    )
    every = searcher.search(accelerate(q), limit=None, optimize=False)
    titles = [searcher.stored_fields(docnum) for _, docnum in every.top_n]
    assert len(titles) > 100
    with_but = searcher.search(wq.Term("title", "but"), limit=None).docs()
    assert not with_but & {docnum for _, docnum in every.top_n}
    assert _top(searcher, q, 10)[1] == len(every.top_n)


def test_a_word_in_no_article_and_an_empty_tree_find_nothing(searcher: Searcher) -> None:
    for q in (wq.Term("body", "zebra"), wq.And([wq.Term("body", "said"), wq.Term("body", "x")])):
        assert _top(searcher, q, 10) == ([], 0)


@pytest.fixture(scope="module")
def articles(tmp_path_factory: pytest.TempPathFactory) -> Path:
    rng = random.Random(3)
    files = {
        f"a{n:02}.txt": f"{_text(rng, 2, 5).title()}\n\n{_text(rng, 20, 60)}." for n in range(40)
    }
    directory, summary = index_with_seed(tmp_path_factory, "bulk", files)
    assert summary.articles == 41
    return directory


def test_engine_pages_and_totals_agree_with_whoosh(articles: Path) -> None:
    with Engine(articles) as engine:
        searcher = engine.searcher()
        texts = ("said", "prime OR company", "more than", "comp* year", '"prime minister" but')
        for text in texts:
            every = searcher.search(engine.parse(text).query, limit=None, optimize=False)
            ids = [hit["id"] for hit in every]
            assert len(ids) > 6, text
            for page in (1, 2, 3):
                results = engine.search(text, SearchOptions(limit=3, page=page, suggest=False))
                assert results.total == len(ids) and results.total_exact, text
                first = (page - 1) * 3
                assert [h.document.id for h in results.hits] == ids[first : first + 3], text
