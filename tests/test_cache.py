"""The extraction cache: unchanged text is not extracted again, after --rebuild or a move."""

from __future__ import annotations

import shutil
from pathlib import Path

from index.cache import ExtractionCache, extraction_fingerprint
from index.model import Article, Entities
from index.pipeline import Settings, run
from search.engine import Engine
from search.indexing import summary_line

BODY = "Talks in Geneva between Russia and the United States ended, the United Nations said."


def test_rebuild_and_moved_files_reuse_extraction(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for i in range(5):
        (corpus / f"{i}.txt").write_text(f"Report {i}\n\n{BODY} Day {i}.\n")
    cached = Settings(cache_file=tmp_path / "cache" / "extract-cache.sqlite")
    first = run([corpus], tmp_path / "idx", workers=1, settings=cached)
    assert (first.articles, first.cached) == (5, 0)

    rebuilt = run([corpus], tmp_path / "idx", rebuild=True, workers=1, settings=cached)
    assert (rebuilt.articles, rebuilt.cached) == (5, 5)
    assert "5 from cache" in summary_line(rebuilt)

    moved = tmp_path / "moved"
    shutil.copytree(corpus, moved)
    elsewhere = run([moved], tmp_path / "idx2", workers=1, settings=cached)
    assert elsewhere.cached == 5
    with Engine(tmp_path / "idx2") as engine:
        assert engine.search("place:Geneva org:UN").total == 5

    no_cache = run([corpus], tmp_path / "idx3", workers=1)  # no cache file: none used
    assert no_cache.cached == 0


def test_changed_text_or_tables_miss(tmp_path: Path) -> None:
    article = Article("x", "/x", "/", "x", "f", "T", BODY)
    cache = ExtractionCache(tmp_path / "c.sqlite", "one")
    cache.put_many([(BODY, Entities(places=("Geneva",)))])
    assert cache.get(article) == Entities(places=("Geneva",))
    assert cache.get(Article("x", "/x", "/", "x", "f", "T", BODY + " More.")) is None
    other = ExtractionCache(tmp_path / "c.sqlite", "two")  # extraction code or tables changed
    assert other.get(article) is None
    cache.close()
    other.close()


def test_fingerprint_follows_the_alias_file(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text('[aliases]\n"Acme Corp" = ["ACME"]\n')
    before = extraction_fingerprint(config)
    config.write_text('[aliases]\n"Acme Corporation" = ["ACME"]\n')
    extraction_fingerprint.cache_clear()
    assert extraction_fingerprint(config) != before
