"""Saved searches and alerts through the real CLI over real indexes: marks across runs, --peek,
exit codes, jsonl with the saved search's name, re-indexing unchanged and changed files."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from index.meta import MARKS_DIR, SAVED_FILE
from index.pipeline import run
from search.saved import SavedSearch, SavedStore

runner = CliRunner()


def newsdex(*args: str | Path) -> tuple[int, str]:
    from search.cli import app

    result = runner.invoke(app, [str(a) for a in args])
    return result.exit_code, result.output


def story(title: str, body: str, date: str | None = None) -> str:
    head = f"title: {title}\n" + (f"date: {date}\n" if date else "")
    return f"---\n{head}---\n{body}\n"


@pytest.fixture
def folder(tmp_path: Path) -> tuple[Path, Path]:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.md").write_text(
        story("Microsoft results", "Microsoft profits rose.", "2004-03-01")
    )
    (corpus / "b.md").write_text(story("Weather", "Rain in Leeds on Monday.", "2004-03-02"))
    directory = tmp_path / "idx"
    run([corpus], directory, workers=1)
    return corpus, directory


def reindex(corpus: Path, directory: Path, rebuild: bool = False) -> None:
    summary = run([corpus], directory, workers=1, rebuild=rebuild)
    assert not summary.interrupted


def test_saved_add_list_run_rm(folder: tuple[Path, Path]) -> None:
    _, idx = folder
    code, out = newsdex("saved", "add", "ms", "Microsoft", "--since", "2004", "--index", idx)
    assert code == 0, out
    saved = json.loads((idx / SAVED_FILE).read_text())
    assert saved["version"] == 1
    assert saved["searches"]["ms"]["query"] == "Microsoft"
    assert saved["searches"]["ms"]["since"] == "2004"
    code, out = newsdex("saved", "list", "--index", idx, "--format", "json")
    assert code == 0 and json.loads(out)["saved"][0]["name"] == "ms"
    code, out = newsdex("saved", "run", "ms", "--index", idx, "--format", "jsonl")
    assert code == 0
    assert [json.loads(line)["title"] for line in out.splitlines()] == ["Microsoft results"]
    # Any search option applies, and overrides the saved one.
    code, out = newsdex("saved", "run", "ms", "--index", idx, "--since", "2005", "-f", "ids")
    assert code == 1 and "No articles match" in out  # the notice, on stderr
    code, out = newsdex("saved", "rm", "ms", "--index", idx)
    assert code == 0
    assert not (idx / MARKS_DIR / "ms.txt").exists()
    code, out = newsdex("saved", "run", "ms", "--index", idx)
    assert code == 2 and "no saved search named 'ms'" in out


def test_saved_refuses_bad_names_and_queries(folder: tuple[Path, Path]) -> None:
    _, idx = folder
    code, out = newsdex("saved", "add", "../x", "Microsoft", "--index", idx)
    assert code == 2 and "not a usable name" in out
    code, out = newsdex("saved", "add", "x", "place:(", "--index", idx)
    assert code == 2 and "Query error" in out
    assert not (idx / SAVED_FILE).exists()


def test_saved_searches_travel_with_a_copied_index(
    folder: tuple[Path, Path], tmp_path: Path
) -> None:
    _, idx = folder
    assert newsdex("saved", "add", "ms", "Microsoft", "--index", idx)[0] == 0
    copy = tmp_path / "copy"
    shutil.copytree(idx, copy)
    assert [s.name for s in SavedStore(copy).all()] == ["ms"]
    assert newsdex("alerts", "--index", copy)[0] == 1


def test_alerts_report_new_articles_once(folder: tuple[Path, Path]) -> None:
    corpus, idx = folder
    assert newsdex("saved", "add", "ms", "Microsoft", "--index", idx)[0] == 0
    assert newsdex("saved", "add", "rain", "rain", "--index", idx)[0] == 0
    code, out = newsdex("alerts", "--index", idx)
    assert code == 1 and "ms: nothing new" in out
    (corpus / "c.md").write_text(story("Microsoft again", "Microsoft in Redmond.", "2004-04-01"))
    reindex(corpus, idx)
    code, out = newsdex("alerts", "--index", idx, "--peek", "--format", "jsonl")
    assert code == 0
    records = [json.loads(line) for line in out.splitlines()]
    assert [(r["saved"], r["title"]) for r in records] == [("ms", "Microsoft again")]
    code, out = newsdex("alerts", "ms", "--index", idx)  # --peek left it new
    assert code == 0 and "ms: 1 new" in out and "Microsoft again" in out
    code, out = newsdex("alerts", "--index", idx)
    assert code == 1 and "Microsoft again" not in out


def test_unchanged_files_never_new_changed_files_new_again(folder: tuple[Path, Path]) -> None:
    corpus, idx = folder
    assert newsdex("saved", "add", "ms", "Microsoft", "--index", idx)[0] == 0
    reindex(corpus, idx, rebuild=True)  # every article written again, none changed
    assert newsdex("alerts", "--index", idx)[0] == 1
    (corpus / "a.md").write_text(
        story("Microsoft results", "Microsoft profits fell.", "2004-03-01")
    )
    reindex(corpus, idx)
    code, out = newsdex("alerts", "--index", idx, "--format", "jsonl")
    assert code == 0 and json.loads(out)["title"] == "Microsoft results"
    (corpus / "a.md").unlink()  # deleted, then put back as it was: not new
    reindex(corpus, idx)
    (corpus / "a.md").write_text(
        story("Microsoft results", "Microsoft profits fell.", "2004-03-01")
    )
    reindex(corpus, idx)
    assert newsdex("alerts", "--index", idx)[0] == 1


def test_mark_moves_only_after_the_output(folder: tuple[Path, Path]) -> None:
    _corpus, idx = folder
    store = SavedStore(idx)
    store.add(SavedSearch("ms", "Microsoft"))  # no baseline: everything matching is new
    assert store.seen("ms") == set()
    code, out = newsdex("alerts", "--index", idx, "--peek")
    assert code == 0 and "Microsoft results" in out
    assert store.seen("ms") == set()
    assert newsdex("alerts", "--index", idx)[0] == 0
    assert len(store.seen("ms")) == 1
    assert newsdex("alerts", "--index", idx)[0] == 1


def test_alerts_without_saved_searches_say_how(folder: tuple[Path, Path]) -> None:
    _, idx = folder
    code, out = newsdex("alerts", "--index", idx)
    assert code == 2 and "saved add" in out and "Traceback" not in out
