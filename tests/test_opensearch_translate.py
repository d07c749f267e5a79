"""The query language on OpenSearch: golden Query DSL for every documented example and the 200
benchmark queries, and the invariants every translation keeps.

Regenerate the golden files after an intended change with:
    NEWSDEX_GOLDEN=update pytest tests/test_opensearch_translate.py
and review the diff.
"""

from __future__ import annotations

import json
import os
import shlex
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from typer.testing import CliRunner
from whoosh import query as wq

from index.mapping import mapping
from search.cli import app
from search.opensearch.translate import UnsupportedQuery, request_query, translate
from tests.conftest import shared_data
from tests.test_docs import readme_examples
from tests.test_query_fuzz import QUERIES

GOLDEN = Path(__file__).parent / "fixtures" / "opensearch"
PROPERTIES = mapping()["mappings"]["properties"]


def documented_queries() -> list[str]:
    """The QUERY of every `newsdex search QUERY` example in the README and docs/."""
    found: dict[str, None] = {}
    for line, _ in readme_examples():
        words = shlex.split(line, comments=True)
        if words[:2] == ["newsdex", "search"] and len(words) > 2:
            found.setdefault(words[2])
    return list(found)


def bench_queries() -> list[str]:
    path = shared_data("news/bbc-queries.tsv")
    lines = path.read_text(encoding="utf-8").splitlines()
    return [line.split("\t", 1)[1] for line in lines if line and not line.startswith("#")]


def _fields(dsl: Any) -> set[str]:
    """Every field name a DSL body searches."""
    found: set[str] = set()
    if isinstance(dsl, dict):
        for key, value in dsl.items():
            if key in {"term", "prefix", "wildcard", "fuzzy", "range", "span_term"}:
                found.update(value)
            elif key == "combined_fields":
                found.update(f.split("^")[0] for f in value["fields"])
            else:
                found |= _fields(value)
    elif isinstance(dsl, list):
        for item in dsl:
            found |= _fields(item)
    return found


def check_golden(name: str, queries: list[str]) -> None:
    translated = {q: request_query(q) for q in queries}
    path = GOLDEN / f"{name}.json"
    if os.environ.get("NEWSDEX_GOLDEN") == "update":
        path.write_text(json.dumps(translated, indent=1, ensure_ascii=False) + "\n", "utf-8")
    golden = json.loads(path.read_text(encoding="utf-8"))
    assert list(golden) == queries, f"queries changed: regenerate {path}"
    for query, dsl in translated.items():
        assert dsl == golden[query], query
        text = json.dumps(dsl)
        assert "query_string" not in text, query
        assert _fields(dsl) <= set(PROPERTIES), query


def test_documented_examples_golden() -> None:
    queries = documented_queries()
    assert len(queries) >= 30  # README's first look and docs/query-language.md
    check_golden("documented", queries)


@pytest.mark.data
def test_benchmark_queries_golden() -> None:
    queries = bench_queries()
    assert len(queries) == 200
    check_golden("bbc-queries", queries)


def test_readings_of_the_language() -> None:
    """What each construct becomes, written out (the golden files hold the rest)."""
    assert request_query("tons:>=20") == {"range": {"ton": {"gte": 20.0}}}
    assert request_query("number:[1e6 TO 2e6]") == {"range": {"number": {"gte": 1e6, "lte": 2e6}}}
    assert request_query("miles:30") == {"term": {"mile": {"value": 30.0}}}
    assert request_query("title:Aleppo") == {"term": {"title": {"value": "aleppo", "boost": 2.0}}}
    place = request_query("place:Syria")["bool"]["should"]
    assert {"term": {"place": {"value": "syria"}}} in place
    assert {"term": {"within": {"value": "syria"}}} in place
    assert request_query("place:=Syria") == {"term": {"place": {"value": "syria"}}}
    org = json.dumps(request_query("org:UN"))
    assert '"org_alias"' in org and '"organization"' in org
    phrase = request_query('"humanitarian aid"')["bool"]["should"][1]["span_near"]
    assert phrase["slop"] == 0 and phrase["in_order"] is True
    slop = request_query('"humanitarian aid"~3')["bool"]["should"][1]["span_near"]
    assert slop["slop"] == 2  # Whoosh counts distance (1 = adjacent), Lucene words between
    excluded = request_query("aid NOT Yemen")["bool"]
    assert "yemen" in json.dumps(excluded["must_not"]) and "yemen" not in json.dumps(
        excluded["must"]
    )
    assert request_query("date:2016")["range"]["date"] == {
        "gte": "2016-01-01T00:00:00",
        "lte": "2016-12-31T23:59:59.999999",
    }
    question = request_query("what did the united nations say about aid to the people of aleppo")
    clauses = question["bool"]["should"]
    assert all("combined_fields" in c for c in clauses[:3])


def test_unsupported_node_named() -> None:
    class Unknown(wq.Term):
        pass

    with pytest.raises(UnsupportedQuery, match=r"^Unknown \(.*\) is not supported on OpenSearch"):
        translate(wq.And([wq.Term("body", "aid"), Unknown("body", "x")]))


def test_cli_query_prints_dsl() -> None:
    result = CliRunner().invoke(app, ["opensearch", "query", "place:Aleppo org:UN number:>1000000"])
    assert result.exit_code == 0, result.output
    body = json.loads(result.output)
    assert set(body) == {"query"} and {"place", "within", "number"} <= _fields(body)


def test_cli_query_strict_refuses_repairs() -> None:
    result = CliRunner().invoke(app, ["opensearch", "query", '"humanitarian aid', "--strict"])
    assert result.exit_code == 2


@settings(
    max_examples=600,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    derandomize=True,
)
@given(QUERIES)
def test_every_parsed_query_translates(text: str) -> None:
    """Whatever the parser makes of any string (the fuzz suite's strategies), the tree has a
    translation: valid JSON, only mapped fields, never query_string."""
    from index.schema import build_schema
    from search.query import parse

    dsl = translate(parse(text, build_schema()).query)
    body = json.dumps(dsl)
    assert "query_string" not in body
    assert _fields(dsl) <= set(PROPERTIES), text
