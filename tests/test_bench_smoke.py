"""Smoke test of the speed benchmark's code paths on ~20 BBC articles (nothing here is timed).

Builds the generated corpus, every peer's index, newsdex's stages, the query timers and the report.
"""

from __future__ import annotations

import json
import random
import shutil
from pathlib import Path
from typing import Any

import pytest

from bench import completion, make_corpus
from bench.corpus import Query, article_files, field_queries, load_queries, read_doc
from bench.peers import BUILDERS, fts5_query
from bench.queries import latency, percentile
from bench.report import markdown, ratios, targets
from bench.tasks import stage_split
from tests.conftest import shared_data

ARTICLES = 20


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    docs = shared_data("news/bbc/docs")
    folder = tmp_path_factory.mktemp("bbc20")
    for path in sorted(docs.glob("*.txt"))[:: 2225 // ARTICLES][:ARTICLES]:
        shutil.copy(path, folder / path.name)
    return folder


@pytest.mark.data
def test_generated_copies_are_varied_and_deterministic(corpus: Path, tmp_path: Path) -> None:
    first = make_corpus.generate(corpus, tmp_path / "a", articles=45, seed=3)
    again = make_corpus.generate(corpus, tmp_path / "b", articles=45, seed=3)
    files = article_files(first)
    assert len(files) == 45 and [f.name for f in files] == [f.name for f in article_files(again)]
    assert all(f.read_bytes() == (again / f.relative_to(first)).read_bytes() for f in files)
    texts = [f.read_text() for f in files]
    assert len(set(texts)) == 45  # no copy is an exact duplicate of another
    original = (corpus / files[0].name).read_text()
    assert texts[0] != original and texts[0].split("\n")[0].startswith(original.split("\n")[0])


def test_numbers_keep_their_format_and_years_stay() -> None:
    rng = random.Random(1)
    assert make_corpus.perturb_number("2004", rng) == "2004"
    assert "," in make_corpus.perturb_number("1,250,000", rng)
    assert len(make_corpus.perturb_number("1.13", rng).split(".")[1]) == 2


def test_fts5_translation() -> None:
    assert fts5_query("example OR absorbed") == '"example" OR "absorbed"'
    assert fts5_query('"prime minister" econ*') == '"prime minister" "econ"*'
    assert fts5_query("NOT and") == '"NOT" "and"'


def test_percentile_is_nearest_rank() -> None:
    values = [float(v) for v in range(1, 101)]
    assert (percentile(values, 50), percentile(values, 95), percentile(values, 99)) == (50, 95, 99)


@pytest.mark.data
def test_query_set_has_every_kind() -> None:
    kinds = {q.kind for q in load_queries(shared_data("news/bbc-queries.tsv"))}
    assert {"term_rare", "and2", "or", "phrase", "prefix"} <= kinds
    assert {q.kind for q in field_queries()} == {"place", "org", "number"}


@pytest.mark.data
@pytest.mark.parametrize("tool", sorted(BUILDERS))
def test_peer_builds_and_finds_a_title_word(corpus: Path, tmp_path: Path, tool: str) -> None:
    if tool == "tantivy":
        pytest.importorskip(
            "tantivy", reason="tantivy comes with the bench extras: pip install '.[bench]'"
        )
    docs = [read_doc(p) for p in article_files(corpus)]
    assert BUILDERS[tool](docs, tmp_path / tool) == ARTICLES
    word = max(docs[0].title.split(), key=len)
    found = latency(tool, tmp_path / tool, [Query("term", word)], rounds=1)
    assert found.no_hits == 0 and found.queries == 1


@pytest.mark.data
def test_stage_split_and_newsdex_queries(corpus: Path, tmp_path: Path) -> None:
    split = stage_split(corpus, tmp_path / "idx", workers=1)
    assert split["articles"] == ARTICLES and split["extract"] > 0
    queries = [Query("term", "said"), Query("place", "place:London")]
    found = latency("newsdex", tmp_path / "idx", queries, rounds=1)
    assert found.queries == 2 and found.no_hits < 2
    typed = completion.measure(tmp_path / "idx")
    assert typed["keystrokes"] == len(completion.keystrokes()) > 50
    assert 0 <= typed["p50_ms"] <= typed["p95_ms"] <= typed["max_ms"]


def test_report_renders_ratios_and_targets() -> None:
    lat = {"queries": 1, "rounds": 1, "p50_ms": 2.0, "p95_ms": 4.0, "p99_ms": 5.0, "mean_ms": 2.0,
           "qps": 100.0, "slowest": [], "no_hits": 0}  # fmt: skip
    idx = {"runs": 1, "articles": 10, "seconds": 1.0, "articles_per_s": 10.0, "maxrss_mb": 1.0,
           "tree_pss_mb": 1.0, "disk_mb": 1.0}  # fmt: skip
    cold = {"runs": 1, "newsdex_ms": 13.0, "minimal_ms": 10.0, "ratio": 1.3}
    report: dict[str, Any] = {"corpus": "t", "machine": {"date": "d", "cores": 2, "python": "3", "platform": "p",
              "load_average_at_start": [0], "note": "n"},
              "indexing": {t: idx for t in ("newsdex", "whoosh", "fts5", "tantivy")},
              "extraction": {}, "queries": {t: lat for t in ("newsdex", "whoosh", "fts5", "tantivy")},
              "cold": {"search": cold, "shell": cold, "imports_ms": {"typer": 1.0}}}  # fmt: skip
    report["ratios"] = ratios(report)
    report["targets"] = targets(report)
    assert report["ratios"]["latency_vs"]["whoosh"]["p95_ms"] == 1.0
    assert {t["target"]: t["holds"] for t in report["targets"]}["query p95 <= 1.0x raw Whoosh"]
    assert "| newsdex | 1 |" in markdown(report)
    json.dumps(report)
