"""`newsdex search --opensearch`: the request newsdex sends, and what it makes of a response.

No OpenSearch server runs here (tests/test_opensearch_live.py runs the same examples against a
real one when NEWSDEX_OPENSEARCH is set). The responses below are built from the documents
`push` sends for the seed index, in the order Whoosh ranks them, so the conversion is checked
against the Whoosh engine's own Results, field for field and snippet for snippet.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from index import schema as S
from search.cli import app
from search.engine import Engine, SearchOptions
from search.opensearch import push
from search.opensearch.search import request_body, results_from

QUERIES = ["place:Aleppo", "org:UN number:>400000", '"humanitarian aid"', "tons:>=20", "airdr*"]


def _sources(index: Path) -> dict[str, dict[str, Any]]:
    with Engine(index) as engine:
        stored = list(engine.searcher().reader().all_stored_fields())
    return {a["_id"]: a["_source"] for a in push.actions(stored, "newsdex")}


@pytest.mark.parametrize("query", QUERIES)
def test_response_renders_as_whoosh_results(seed_index: Path, query: str) -> None:
    sources = _sources(seed_index)
    options = SearchOptions(limit=5)
    with Engine(seed_index) as engine:
        whoosh = engine.search(query, options)
        parsed = engine.parse(query)
    response = {
        "hits": {
            "total": {"value": whoosh.total, "relation": "eq"},
            "hits": [
                {"_id": h.document.id, "_score": h.score, "_source": sources[h.document.id]}
                for h in whoosh.hits
            ],
        }
    }
    remote = results_from(response, parsed, options)
    assert whoosh.hits, query
    assert [h.record() for h in remote.hits] == [h.record() for h in whoosh.hits]
    assert (remote.total, remote.total_exact, remote.page) == (whoosh.total, True, 1)


def test_request_pages_sorts_and_filters() -> None:
    from search.query import parse

    parsed = parse("place:Aleppo", S.build_schema())
    options = SearchOptions(limit=20, page=3, sort="-date", since="2016-09", until="2017")
    body = request_body(parsed, options)
    assert (body["from"], body["size"], body["track_total_hits"]) == (40, 20, True)
    assert body["sort"][0] == {S.DATE: {"order": "desc", "missing": "_last"}}
    assert body["query"]["bool"]["filter"] == [
        {"range": {S.DATE: {"gte": "2016-09||/M", "lte": "2017||/y"}}}
    ]
    assert "query_string" not in str(body)


def test_unreachable_opensearch_is_one_line(tmp_path: Path) -> None:
    pytest.importorskip("opensearchpy", reason="the scale extra is not installed")
    result = CliRunner().invoke(app, ["search", "aid", "--opensearch", "http://127.0.0.1:9"])
    assert result.exit_code == 2, result.output
    assert "No OpenSearch answers at http://127.0.0.1:9" in result.output
    assert "Traceback" not in result.output


def test_url_from_flag_env_or_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from search.backends import resolve_url

    config = tmp_path / "config.toml"
    monkeypatch.setenv("NEWSDEX_CONFIG", str(config))
    assert resolve_url(None) is None  # no config file: the Whoosh index
    config.write_text('opensearch_url = "http://config:9200"\n', encoding="utf-8")
    assert resolve_url(None) == "http://config:9200"
    monkeypatch.setenv("NEWSDEX_OPENSEARCH", "http://env:9200")
    assert resolve_url(None) == "http://env:9200"
    assert resolve_url("http://flag:9200") == "http://flag:9200"


def test_cluster_from_flag_env_or_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from search.indexing import resolve_cluster

    config = tmp_path / "config.toml"
    monkeypatch.setenv("NEWSDEX_CONFIG", str(config))
    assert resolve_cluster(None) is None  # the process pool
    config.write_text('cluster = "tcp://sched:8786"\n', encoding="utf-8")
    assert str(resolve_cluster(None)) == "tcp://sched:8786"
    monkeypatch.setenv("NEWSDEX_CLUSTER", "local:3")
    assert str(resolve_cluster(None)) == "local:3"
    assert str(resolve_cluster("local:1")) == "local:1"


@pytest.mark.parametrize(
    ("query", "field"), [("*", "place"), ("aid", "country"), ("*", "org"), ("*", "person")]
)
def test_facet_buckets_render_as_whoosh_facets(seed_index: Path, query: str, field: str) -> None:
    """A terms aggregation's buckets (keys as the normalizer folds them, one article each to
    show the value as written) give the Whoosh engine's facets, value for value."""
    from search.opensearch.search import _folded, facet_aggs, facets_from

    name = S.canonical_field(field)
    sources = list(_sources(seed_index).values())
    with Engine(seed_index) as engine:
        whoosh = engine.facets(query, name, 10)
    assert whoosh, (query, field)
    buckets = []
    for value, count in whoosh:
        key = _folded(value)
        holder = next(s for s in sources if key in map(_folded, s.get(name, [])))
        hit = {"_source": {name: holder[name]}}
        buckets.append({"key": key, "doc_count": count, "shown": {"hits": {"hits": [hit]}}})
    assert facets_from({"aggregations": {"values": {"buckets": buckets}}}, name) == whoosh
    terms = facet_aggs(name, 10)["values"]["terms"]
    assert terms["field"] == name and terms["order"][0] == {"_count": "desc"}


def test_a_kind_facet_aggregates_the_kind_prefixed_terms_only() -> None:
    from search.opensearch.search import facet_aggs

    terms = facet_aggs(S.ORG_KIND, 10, "company:.*")["values"]["terms"]
    assert terms["field"] == "org_kind" and terms["include"] == "company:.*"
    assert "include" not in facet_aggs(S.ORGANIZATION, 10)["values"]["terms"]


def test_folding_is_the_keyword_normalizer() -> None:
    from search.opensearch.search import _folded

    assert _folded("Zürich") == "zurich" and _folded("Deir al-Zor") == "deir al-zor"


def test_facets_and_batch_reach_opensearch(tmp_path: Path) -> None:
    """`facets --opensearch` and `search --batch` with $NEWSDEX_OPENSEARCH go to the server
    (none answers here: the one-line message shows where they went)."""
    pytest.importorskip("opensearchpy", reason="the scale extra is not installed")
    runner = CliRunner()
    result = runner.invoke(app, ["facets", "aid", "--opensearch", "http://127.0.0.1:9"])
    assert result.exit_code == 2 and "No OpenSearch answers at http://127.0.0.1:9" in result.output
    queries = tmp_path / "q.tsv"
    queries.write_text("q1\tplace:Aleppo\n", encoding="utf-8")
    result = runner.invoke(
        app, ["search", "--batch", str(queries)], env={"NEWSDEX_OPENSEARCH": "http://127.0.0.1:9"}
    )
    assert "No OpenSearch answers at http://127.0.0.1:9" in result.output, result.output
