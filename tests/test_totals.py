"""The "N articles" total where Whoosh's collector skips matches to keep its top N cheaply (an OR
of a frequent and a rare word, on a real index): exact, or flagged "at least" and never above."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from typer.testing import CliRunner

from search.cli import app
from search.engine import NO_SKIPPING, Engine, SearchOptions
from search.fastmatch import Counted, accelerate, match_bounds

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
    searcher = engine.searcher()
    found = set(searcher.docs_for_query(engine.parse(text).query))
    date_filter = engine._date_filter(since, None)
    if date_filter is not None:
        found &= set(searcher.docs_for_query(date_filter))
    return len(found)


@pytest.mark.parametrize("text", CUT)
def test_whoosh_alone_undercounts_these_queries(engine: Engine, text: str) -> None:
    """The situation the engine must correct: the collector's own count is short, and the
    wrapper notices that a replacement cut the matcher."""
    counted = Counted(accelerate(engine.parse(text).query))
    page = engine.searcher().search_page(counted, 1, pagelen=5, optimize=NO_SKIPPING)
    assert counted.pruned
    assert page.total < RIVERS < _truth(engine, text)


@pytest.mark.parametrize(
    "text", [*CUT, "body:heron OR body:river", "heron", "river OR heron", "river heron", "council"]
)
@pytest.mark.parametrize("limit", [1, 5, 100])
def test_total_is_exact_or_flagged_and_never_above_the_truth(
    engine: Engine, text: str, limit: int
) -> None:
    results = engine.search(text, SearchOptions(limit=limit, snippets=False, suggest=False))
    truth = _truth(engine, text)
    assert results.total <= truth
    if results.total_exact:
        assert results.total == truth
    assert len(results.hits) == min(limit, truth)


@pytest.mark.parametrize("text", CUT)
def test_a_cut_query_reports_what_the_word_counts_guarantee(engine: Engine, text: str) -> None:
    """The body's 70 river articles are known from the index without reading them: the lower
    bound says at least that many, where the collector had counted far fewer."""
    results = engine.search(text, SearchOptions(limit=5, snippets=False, suggest=False))
    assert not results.total_exact
    assert results.total == RIVERS
    assert results.shown_total == f"at least {RIVERS}"
    assert results.envelope()["total_exact"] is False


def test_word_counts_make_a_cut_total_exact(engine: Engine) -> None:
    """The council is in every body: the collector cut its count to the heron articles, but
    the word's article count pins the total down, so it is reported as exact."""
    text = "body:council OR body:heron"
    counted = Counted(accelerate(engine.parse(text).query))
    page = engine.searcher().search_page(counted, 1, pagelen=5, optimize=NO_SKIPPING)
    assert counted.pruned and page.total == HERONS
    results = engine.search(text, SearchOptions(limit=5, snippets=False, suggest=False))
    assert (results.total, results.total_exact, results.shown_total) == (ARTICLES, True, "80")


def test_word_counts_pin_down_a_total(engine: Engine) -> None:
    searcher = engine.searcher()
    council = engine.parse("council").query  # in every body: its title part adds nothing
    assert match_bounds(searcher, council) == (ARTICLES, ARTICLES)
    assert match_bounds(searcher, engine.parse(QUERY).query) == (RIVERS, RIVERS + HERONS)
    assert match_bounds(searcher, engine.parse("river heron").query) == (0, HERONS)


def test_no_cut_keeps_the_collector_count(engine: Engine) -> None:
    """A query whose top N never fills is not flagged, and the first pass's count stands."""
    counted = Counted(accelerate(engine.parse("heron").query))
    page = engine.searcher().search_page(counted, 1, pagelen=10, optimize=NO_SKIPPING)
    assert not counted.pruned
    assert page.total == HERONS
    assert engine.search("heron", SearchOptions(limit=10)).total_exact


def test_total_with_a_date_filter_and_later_pages(engine: Engine) -> None:
    since = "2010"
    truth = _truth(engine, QUERY, since)
    assert 0 < truth < ARTICLES
    for page in (1, 3):
        options = SearchOptions(limit=5, page=page, snippets=False, suggest=False, since=since)
        results = engine.search(QUERY, options)
        assert results.total <= truth
        assert results.total == truth or not results.total_exact
        assert results.total >= page * 5  # a later page's bigger top N counts at least to it
        assert [h.rank for h in results.hits] == list(range(page * 5 - 4, page * 5 + 1))


def test_cli_says_at_least(index_dir: Path) -> None:
    runner = CliRunner()
    args = ["search", "--index", str(index_dir), QUERY, "--limit", "5"]
    as_json = runner.invoke(app, [*args, "--format", "json"])
    assert as_json.exit_code == 0, as_json.output
    envelope = json.loads(as_json.stdout)
    assert (envelope["total"], envelope["total_exact"]) == (RIVERS, False)
    table = runner.invoke(app, args)
    assert table.exit_code == 0, table.output
    assert f"1-5 of at least {RIVERS} (page 1/{RIVERS // 5}+)" in table.stdout
    exact = runner.invoke(app, ["search", "--index", str(index_dir), "heron", "--format", "json"])
    assert json.loads(exact.stdout)["total_exact"] is True
    ids = runner.invoke(app, [*args, "--format", "ids"])
    assert ids.stdout.split() == [h["id"] for h in envelope["results"]]


def test_shell_says_at_least_and_pages_past_the_lower_bound(engine: Engine) -> None:
    from search.repl.app import handle_line
    from search.repl.state import ShellState

    state = ShellState(engine, width=100, height=40)
    state.options = SearchOptions(limit=5)
    out = handle_line(state, QUERY)
    assert f"1-5 of at least {RIVERS} (page 1/14+)" in out
    first = state.last
    assert first is not None and (first.pages, first.total_exact) == (14, False)
    # On the 14th page of a total of "at least 70", :next still looks for more ...
    state.last = replace(first, page=14)
    assert "71-71 of 71 (page 15/15)" in handle_line(state, ":next")
    # ... and stops on the 14th page of an exact 70.
    state.last = replace(first, page=14, total_exact=True)
    assert handle_line(state, ":next") == "Already on the last page (14 of 14)."
    # Result 71 can be opened past "at least 70"; result 72 does not exist.
    state.last = first
    assert "No result" not in handle_line(state, ":show 71")
    assert "No result 72" in handle_line(state, ":show 72")
