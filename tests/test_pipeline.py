"""Indexing runs end to end: incremental add, change and delete, rebuild, numbers, locks."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from whoosh import index as windex

from index import whoosh_door as door
from index.errors import IndexBusy, UsageError
from index.meta import IndexMeta
from index.pipeline import run
from search.engine import Engine, SearchOptions
from search.indexing import index_paths, stale_notice, summary_line

ARTICLES = [
    {
        "id": "a1",
        "title": "Floods in Bangladesh",
        "body": "Floods in Dhaka displaced 1.2 million people, the World Health Organization said.",
        "date": "2016-08-01",
        "section": "Asia",
    },
    {
        "id": "a2",
        "title": "Budget talks in Brussels",
        "body": "The European Union agreed a budget of $1.2bn after talks in Brussels and Paris.",
    },
]


def titles(directory: Path, query: str) -> list[str]:
    with Engine(directory) as engine:
        results = engine.search(query, SearchOptions(limit=50))
    return sorted(hit.document.title for hit in results.hits)


def test_jsonl_items_become_articles_with_entities(build_index: Callable) -> None:
    directory, summary = build_index(ARTICLES)
    assert (summary.new, summary.articles) == (1, 2)
    assert titles(directory, "place:Dhaka") == ["Floods in Bangladesh"]
    assert titles(directory, "number:>1000000") == [
        "Budget talks in Brussels",
        "Floods in Bangladesh",
    ]
    assert titles(directory, "people:[1m TO 2m]") == ["Floods in Bangladesh"]
    assert titles(directory, "usd:>1e9") == ["Budget talks in Brussels"]
    assert titles(directory, "section:asia") == ["Floods in Bangladesh"]
    assert titles(directory, "date:2016") == ["Floods in Bangladesh"]


def test_multi_valued_numbers_match_any_value(build_index: Callable) -> None:
    body = "Officials counted 12 trucks, 4,500 tents and 300,000 meals for the camp near Mosul."
    directory, _ = build_index([{"title": "Aid counted", "body": body}])
    for query in ("number:12", "number:4500", "number:[250000 TO 350000]", "number:<13"):
        assert titles(directory, query) == ["Aid counted"], query
    assert titles(directory, "number:[13 TO 4000]") == []


def test_close_values_and_another_clause(build_index: Callable) -> None:
    """Two close values share tiered terms; an AND with a word must still work (was a crash)."""
    body = "The road is 48.3 km long, about 50 km from Aleppo, and 30 km from the border."
    directory, _ = build_index([{"title": "Road", "body": body}])
    assert titles(directory, "km:<100 road") == ["Road"]
    assert titles(directory, "number:>40 road aleppo") == ["Road"]


def test_incremental_runs_skip_change_and_remove(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "one.txt").write_text("Rain in Cairo\n\nHeavy rain fell on Cairo on Monday.\n")
    (corpus / "two.txt").write_text("Snow in Moscow\n\nSnow closed roads around Moscow.\n")
    directory = tmp_path / "idx"
    first = run([corpus], directory, workers=1)
    assert (first.new, first.updated, first.removed, first.unchanged) == (2, 0, 0, 0)

    again = run([corpus], directory, workers=1)
    assert (again.new, again.updated, again.unchanged, again.articles) == (0, 0, 2, 0)

    (corpus / "one.txt").write_text("Sun in Cairo\n\nThe sun came out over Cairo again.\n")
    (corpus / "two.txt").unlink()
    (corpus / "three.md").write_text("# Wind in Lima\n\nWind hit Lima.\n")
    third = run([corpus], directory, workers=1)
    assert (third.new, third.updated, third.removed, third.unchanged) == (1, 1, 1, 0)
    assert titles(directory, "cairo") == ["Sun in Cairo"]
    assert titles(directory, "moscow") == []
    assert titles(directory, "lima") == ["Wind in Lima"]
    with Engine(directory) as engine:
        assert engine.count() == 2

    # No paths: the roots indexed before are brought up to date.
    assert run([], directory, workers=1).unchanged == 2


def test_rebuild_starts_over(build_index: Callable, tmp_path: Path) -> None:
    directory, _ = build_index(ARTICLES)
    summary = run([tmp_path / "corpus"], directory, rebuild=True, workers=1)
    assert (summary.new, summary.unchanged) == (1, 0)
    with Engine(directory) as engine:
        assert engine.count() == 2


def test_an_index_extracted_by_an_earlier_newsdex_says_how_to_refresh(
    build_index: Callable, tmp_path: Path
) -> None:
    directory, _ = build_index(ARTICLES)
    current = IndexMeta.load(directory).extraction
    assert current  # a new index records the extraction its entities came from
    assert stale_notice(run([tmp_path / "corpus"], directory, workers=1)) is None
    meta = IndexMeta.load(directory)
    meta.extraction = "an earlier newsdex"
    meta.save(directory)
    again = run([tmp_path / "corpus"], directory, workers=1)
    assert again.stale == 1
    assert "newsdex index --rebuild" in (stale_notice(again) or "")
    assert IndexMeta.load(directory).extraction == ""  # mixed until rebuilt
    rebuilt = run([tmp_path / "corpus"], directory, rebuild=True, workers=1)
    assert stale_notice(rebuilt) is None
    assert IndexMeta.load(directory).extraction == current


def test_changed_jsonl_drops_items_that_disappeared(build_index: Callable, tmp_path: Path) -> None:
    directory, _ = build_index(ARTICLES)
    (tmp_path / "corpus" / "articles.jsonl").write_text(json.dumps(ARTICLES[0]) + "\n")
    summary = run([tmp_path / "corpus"], directory, workers=1)
    assert summary.updated == 1
    assert titles(directory, "brussels") == []
    assert titles(directory, "dhaka") == ["Floods in Bangladesh"]


def test_bad_files_are_reported_and_skipped(build_index: Callable, tmp_path: Path) -> None:
    directory, summary = build_index(
        files={"empty.txt": "", "ok.txt": "Title\n\nA body about Beirut.\n"}
    )
    (tmp_path / "corpus" / "binary.txt").write_bytes(b"\x00\x01\x02" * 100)
    summary = run([tmp_path / "corpus"], directory, workers=1)
    reasons = {Path(s.path).name: s.reason for s in summary.skipped}
    assert "binary.txt" in reasons and "empty.txt" in reasons
    assert titles(directory, "beirut") == ["Title"]
    assert "skipped" in summary_line(summary)


def test_a_second_writer_waits_then_reports_busy(build_index: Callable, tmp_path: Path) -> None:
    directory, _ = build_index(ARTICLES)
    (tmp_path / "corpus" / "new.txt").write_text("Late news\n\nSomething happened in Oslo.\n")
    holder = windex.open_dir(str(directory)).writer()
    try:
        with pytest.raises(IndexBusy, match="Index busy: another newsdex process is writing"):
            run([tmp_path / "corpus"], directory, wait=0.3, workers=1)
    finally:
        holder.cancel()
    assert run([tmp_path / "corpus"], directory, workers=1).new == 1


def test_a_folder_that_is_not_an_index_is_refused(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("my notes")
    with pytest.raises(UsageError, match="holds no newsdex index"):
        run([tmp_path], tmp_path, workers=1)


def test_pool_path_gives_the_same_documents(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    lines = [
        json.dumps({"id": str(i), "title": f"Report {i}", "body": f"Talks in Geneva on day {i}."})
        for i in range(60)
    ]
    (corpus / "many.jsonl").write_text("\n".join(lines) + "\n")
    (corpus / "empty.json").write_text("[]")
    summary = run([corpus], tmp_path / "idx", workers=2)
    assert summary.articles == 60
    assert len(titles(tmp_path / "idx", "place:Geneva")) == 50  # limit of the helper
    with Engine(tmp_path / "idx") as engine:
        assert engine.search("place:Geneva").total == 60


def _segments(directory: Path) -> int:
    return len(door.segments(windex.open_dir(str(directory))))


def test_a_large_run_ends_in_one_segment_and_a_small_one_does_not(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for n in range(12):
        (corpus / f"a{n:02}.txt").write_text(f"Storm number {n}\n\nA storm reached Lima today.\n")
    directory = tmp_path / "idx"
    first = run([corpus], directory, workers=1, commit_every=4)
    assert first.merged and first.committed == 12
    assert _segments(directory) == 1  # three batches, merged by the last commit

    (corpus / "late.txt").write_text("Late storm\n\nAnother storm reached Lima.\n")
    second = run([corpus], directory, workers=1, commit_every=4)
    assert (second.new, second.merged) == (1, False)
    assert _segments(directory) == 2  # one small batch: left to Whoosh's merge policy
    assert len(titles(directory, "storm")) == 13

    for n in range(3):  # removals are changes to commit, but no article written
        (corpus / f"a{n:02}.txt").unlink()
    third = run([corpus], directory, workers=1, commit_every=4)
    assert (third.removed, third.committed) == (3, 0)
    assert len(titles(directory, "storm")) == 10


def test_the_library_reads_no_config_file_the_face_does(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """index.pipeline.run takes its rules and alias files as arguments; search.indexing reads the
    user's config file for it (here a broken one, so reading it at all would fail)."""
    config = tmp_path / "config.toml"
    config.write_text("[[boilerplate]\n", encoding="utf-8")
    monkeypatch.setenv("NEWSDEX_CONFIG", str(config))
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text("Title\n\nA body about Beirut.\n", encoding="utf-8")
    assert run([corpus], tmp_path / "idx", workers=1).articles == 1
    with pytest.raises(UsageError, match="not valid TOML"):
        index_paths([corpus], tmp_path / "idx2", workers=1, out=io.StringIO())
