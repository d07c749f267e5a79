"""The "N articles" total where Whoosh's collector skips matches to keep its top N cheaply (an OR
of a frequent and a rare word, on a real index): exact (search.totals), the same at every page
size, in the table, the JSON and the shell; checked against a brute-force count."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from search.cli import app
from search.datefilter import date_filter
from search.engine import QUALITY_SKIPPING, Engine, SearchOptions
from search.fastmatch import Counted, accelerate
from search.totals import bounds

# Seven articles in eight mention the river; the first eight, early in index order, the heron,
# each more often than the one before, so that each raises the lowest score of a full top 5.
# Then no river-only article can reach the top 5, and Whoosh's collector turns "river OR heron"
# into "heron, and river if present", counting few of the 71 matches. (On a segment of fewer
# than 5,000 articles Whoosh preloads an OR of more than two words, which cuts nothing: hence
# the field names, which make it an OR of two.) The word "river" alone is cut the same way: it
# is an OR of the title, where it is rare (the first eight titles, each shorter), and the body.
ARTICLES = 80
HERONS = 8
RIVERS = 70  # articles with the river in their body
QUERY = "body:river OR body:heron"
CUT = [QUERY, "river"]


def _articles() -> list[dict[str, str]]:
    out = []
    for n in range(ARTICLES):
        early = n < HERONS
        bird = " A grey heron stood in the shallows." * (n + 1) if early else ""
        title = "River" + " report" * (HERONS - n) if early else f"Council report number {n}"
        water = "river" if n % 8 != 7 else "canal"
        out.append(
            {
                "id": f"a{n:03d}",
                "title": title,
                "date": f"{2000 + n % 20}-03-01",
                "body": f"The {water} rose again this week.{bird} "
                + f"Residents asked the council about the {water} banks. " * (1 + n % 3),
            }
        )
    return out


@pytest.fixture(scope="module")
def index_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from index.pipeline import run

    corpus = tmp_path_factory.mktemp("totals-corpus")
    lines = "\n".join(json.dumps(a) for a in _articles())
    (corpus / "articles.jsonl").write_text(lines + "\n", encoding="utf-8")
    directory = tmp_path_factory.mktemp("totals-index") / "idx"
    summary = run([corpus], directory, workers=1)
    assert summary.articles == ARTICLES, summary
    return directory


@pytest.fixture
def engine(index_dir: Path) -> Iterator[Engine]:
    with Engine(index_dir) as opened:
        yield opened


def _truth(engine: Engine, text: str, since: str | None = None) -> int:
    """The true count: every match of the query walked by Whoosh's own matchers, with no
    collector to cut them and none of search.totals' counting."""
    searcher = engine.searcher()
    found = set(searcher.docs_for_query(engine.parse(text).query))
    dates = date_filter(since, None)
    if dates is not None:
        found &= set(searcher.docs_for_query(dates.query))
    return len(found)


@pytest.mark.parametrize("text", CUT)
def test_whoosh_alone_undercounts_these_queries(engine: Engine, text: str) -> None:
    """The situation the engine must correct: the collector's own count is short, and the
    wrapper notices that a replacement cut the matcher."""
    counted = Counted(accelerate(engine.parse(text).query))
    page = engine.searcher().search_page(counted, 1, pagelen=5, optimize=QUALITY_SKIPPING)
    assert counted.pruned
    assert page.total < RIVERS < _truth(engine, text)


QUERIES = [*CUT, "body:heron OR body:river", "heron", "river OR heron", "river heron", "council"]


@pytest.mark.parametrize("text", QUERIES)
def test_total_is_exact_at_every_page_size(engine: Engine, text: str) -> None:
    truth = _truth(engine, text)
    for limit in (1, 5, 20, 100):
        results = engine.search(text, SearchOptions(limit=limit, snippets=False, suggest=False))
        assert (results.total, results.total_exact) == (truth, True), limit
        assert len(results.hits) == min(limit, truth)


def test_word_counts_bound_a_total(engine: Engine) -> None:
    searcher = engine.searcher()
    council = engine.parse("council").query  # in every body: its title part adds nothing
    assert bounds(searcher, council) == (ARTICLES, ARTICLES)
    assert bounds(searcher, engine.parse(QUERY).query) == (RIVERS, RIVERS + HERONS)
    assert bounds(searcher, engine.parse("river heron").query) == (0, HERONS)


def test_total_with_a_date_filter_and_later_pages(engine: Engine) -> None:
    since = "2010"
    truth = _truth(engine, QUERY, since)
    assert 0 < truth < ARTICLES
    for page in (1, 3):
        options = SearchOptions(limit=5, page=page, snippets=False, suggest=False, since=since)
        results = engine.search(QUERY, options)
        assert (results.total, results.total_exact) == (truth, True)
        assert [h.rank for h in results.hits] == list(range(page * 5 - 4, page * 5 + 1))


def test_cli_total_is_exact_in_table_and_json(index_dir: Path) -> None:
    runner = CliRunner()
    truth = RIVERS + 1  # the river in 70 bodies and the heron-only article's title
    args = ["search", "--index", str(index_dir), QUERY]
    for limit in ("5", "20"):
        as_json = runner.invoke(app, [*args, "--limit", limit, "--format", "json"])
        assert as_json.exit_code == 0, as_json.output
        envelope = json.loads(as_json.stdout)
        table = runner.invoke(app, [*args, "--limit", limit])
        assert f"of {envelope['total']} " in table.stdout
        assert "at least" not in table.stdout
    assert envelope["total_exact"] is True
    ids = runner.invoke(app, [*args, "--format", "ids"])  # not a terminal: every match
    assert len(ids.stdout.split()) == envelope["total"] >= truth - 1


def test_shell_footer_and_toolbar_agree(engine: Engine) -> None:
    from search.repl.app import handle_line
    from search.repl.state import ShellState

    state = ShellState(engine, width=100, height=40)
    state.options = SearchOptions(limit=5)
    out = handle_line(state, QUERY)
    truth = _truth(engine, QUERY)
    assert f"1-5 of {truth} (page 1/{-(-truth // 5)})" in out
    first = state.last
    assert first is not None and first.total_exact and first.total == truth
    from search.repl.toolbar import verdict

    assert verdict(state, QUERY) == ("class:toolbar.ok", f"{truth} matching articles")
    state.options = SearchOptions(limit=5, since="2010")
    dated = _truth(engine, QUERY, "2010")
    assert verdict(state, QUERY)[1] == f"{dated} matching articles"
    assert f"of {dated} " in handle_line(state, QUERY)
    state.options = SearchOptions(limit=5)
    state.last = replace(first, page=first.pages)
    assert handle_line(state, ":next").startswith("Already on the last page")


# Generated queries: words, fields, ranges (ORs of ranges included), AND/OR/NOT, against a
# brute-force count over every article.
_WORD = st.sampled_from(["river", "heron", "council", "canal", "report", "banks", "grey"])
_FIELDED = st.builds(lambda f, w: f"{f}:{w}", st.sampled_from(["title", "body"]), _WORD)
_RANGE = st.builds(
    lambda lo, hi: f"date:[{lo} TO {hi}]",
    st.integers(2000, 2019).map(str),
    st.integers(2000, 2019).map(str),
)
_ATOM = st.one_of(_WORD, _FIELDED, _RANGE)
_QUERY = st.recursive(
    _ATOM,
    lambda inner: st.builds(
        lambda a, op, b: f"({a} {op} {b})", inner, st.sampled_from(["AND", "OR", "NOT"]), inner
    ),
    max_leaves=5,
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=_QUERY, limit=st.sampled_from([1, 5, 10]))
def test_generated_totals_equal_a_brute_force_count(engine: Engine, text: str, limit: int) -> None:
    results = engine.search(text, SearchOptions(limit=limit, snippets=False, suggest=False))
    assert (results.total, results.total_exact) == (_truth(engine, text), True)
