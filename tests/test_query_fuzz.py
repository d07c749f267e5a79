"""Property-based: no query string, however hostile, gets anything out but results or the
documented QuerySyntaxError (and that one only with strict=True).

No time bound here (hypothesis' deadline is off): on a loaded machine one example can take
seconds, and timing claims live in the benchmarks.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from index.errors import QuerySyntaxError
from index.schema import known_fields
from search.engine import Engine, SearchOptions

FIELDS = st.sampled_from([*known_fields(), "foo", "PLACE", "Org", ""])
VALUES = st.one_of(
    st.text(max_size=30),
    st.from_regex(r"[<>=]{0,2}-?\d{1,12}(\.\d+)?(k|m|bn|e\d)?", fullmatch=True),
    st.from_regex(r"\[-?\d{0,20} TO -?\d{0,20}[\]}]", fullmatch=True),
    st.sampled_from(['"', "(", ")", "*", "?", "~", "^", "AND", "OR", "NOT", ":", "\\", "\x00"]),
)
CLAUSE = st.builds(lambda f, v: f"{f}:{v}" if f else v, FIELDS, VALUES)
QUERIES = st.one_of(
    st.text(max_size=200),
    st.lists(CLAUSE, max_size=8).map(" ".join),
    st.recursive(
        CLAUSE, lambda inner: st.builds(lambda a, b: f"({a} OR {b})", inner, inner), max_leaves=20
    ),
    st.integers(1, 10_000).map(lambda n: "a" * n),
    st.lists(st.text(alphabet="qwxzjk", min_size=30, max_size=60), max_size=100).map(" ".join),
    st.text(alphabet=st.characters(max_codepoint=0x1F), max_size=50),
)
SETTINGS = settings(
    max_examples=2500,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    derandomize=True,
)


@pytest.fixture(scope="module")
def engine(seed_index: Path) -> Engine:
    return Engine(seed_index)


@SETTINGS
@given(QUERIES)
def test_forgiving_queries_never_fail(engine: Engine, text: str) -> None:
    results = engine.search(text, SearchOptions(limit=5, suggest=False))
    assert results.total >= 0


@SETTINGS
@given(QUERIES)
def test_strict_queries_fail_only_with_the_documented_error(engine: Engine, text: str) -> None:
    try:
        engine.search(text, SearchOptions(limit=5, strict=True, suggest=False))
    except QuerySyntaxError as exc:
        assert 0 <= exc.position <= len(text)
        assert exc.hint


@settings(SETTINGS, max_examples=500)
@given(QUERIES)
def test_did_you_mean_never_fails(engine: Engine, text: str) -> None:
    """The suggestion path (taken when a query finds little) reads every kind of query too."""
    results = engine.search(text, SearchOptions(limit=3, suggest=True, snippets=False))
    assert results.suggestion is None or isinstance(results.suggestion, str)


@pytest.mark.parametrize(
    "text",
    [
        'place:" title:x title:12,000 tons:floods number:"',  # a phrase on a field with no positions
        'date:" "',  # a date that is no date
        'date:"" aleppo',
    ],
)
def test_what_bench_torture_found(engine: Engine, text: str) -> None:
    """Queries the 5,000 fuzzed queries of bench.torture broke: forgiving, they run; strict,
    they are the documented error."""
    assert engine.search(text, SearchOptions(limit=5, suggest=False)).total >= 0
    if text.startswith("date"):
        with pytest.raises(QuerySyntaxError, match="is no date"):
            engine.search(text, SearchOptions(limit=5, strict=True, suggest=False))
