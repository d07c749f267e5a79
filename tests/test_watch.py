"""`newsdex index PATH --watch --alerts` in a subprocess over a real folder: files written,
changed, renamed, deleted, written in several steps and renamed from .part; Ctrl-C. Every wait is
on a condition with a generous bound; nothing asserts a duration."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from index.pipeline import run
from search.alerts import baseline
from search.engine import Engine, SearchOptions
from search.saved import SavedSearch, SavedStore
from tests.conftest import interruptible

BOUND_S = 180.0  # a loaded 2-core machine with a spaCy model to load in the watcher


def story(title: str, body: str) -> str:
    return f"---\ntitle: {title}\n---\n{body}\n"


class Lines:
    """A stream's lines, collected by a thread as the process writes them."""

    def __init__(self, stream: object) -> None:
        self.lines: list[str] = []
        self._thread = threading.Thread(target=self._read, args=(stream,), daemon=True)
        self._thread.start()

    def _read(self, stream: object) -> None:
        for line in stream:  # type: ignore[attr-defined]
            self.lines.append(line.rstrip("\n"))

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


def wait_for(condition: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + BOUND_S
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"not within {BOUND_S:.0f} s: {what}")
        time.sleep(0.2)


def paths_matching(idx: Path, query: str) -> list[str]:
    with Engine(idx) as engine:
        results = engine.search(query, SearchOptions(limit=50, suggest=False, snippets=False))
    return sorted(hit.document.path for hit in results.hits)


@pytest.fixture
def watching(tmp_path: Path) -> Iterator[tuple[Path, Path, subprocess.Popen[str], Lines, Lines]]:
    corpus, idx = tmp_path / "corpus", tmp_path / "idx"
    corpus.mkdir()
    (corpus / "a.md").write_text(story("First", "Microsoft opened an office in Seattle."))
    run([corpus], idx, workers=1)
    store = SavedStore(idx)
    with Engine(idx) as engine:
        baseline(engine, store, store.add(SavedSearch("ms", "Microsoft")))
    code = "from search.cli import main; main()"
    args = ["index", str(corpus), "--index", str(idx), "--watch", "--alerts", "--workers", "1"]
    proc = subprocess.Popen(
        [sys.executable, "-c", code, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "COLUMNS": "100"},
        preexec_fn=interruptible,
    )
    out, err = Lines(proc.stdout), Lines(proc.stderr)
    try:
        wait_for(lambda: "Watching" in err.text or proc.poll() is not None, "the watcher started")
        assert proc.poll() is None, f"the watcher exited {proc.returncode}: {err.text}"
        yield corpus, idx, proc, out, err
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait(timeout=60)


def test_watch_follows_a_folder(
    watching: tuple[Path, Path, subprocess.Popen[str], Lines, Lines],
) -> None:
    corpus, idx, _proc, out, _err = watching
    (corpus / "b.md").write_text(story("Second", "Microsoft hired staff in Redmond."))
    wait_for(lambda: paths_matching(idx, "Redmond") == ["b.md"], "a new file is searchable")
    wait_for(lambda: "Second" in out.text, "--alerts printed the new article")

    (corpus / "a.md").write_text(story("First", "Microsoft moved its office to Tacoma."))
    wait_for(lambda: paths_matching(idx, "Tacoma") == ["a.md"], "a changed file is re-read")
    assert paths_matching(idx, "Seattle") == []

    (corpus / "b.md").rename(corpus / "e.md")
    wait_for(lambda: paths_matching(idx, "Redmond") == ["e.md"], "a renamed file follows its name")

    (corpus / "e.md").unlink()
    wait_for(lambda: paths_matching(idx, "Redmond") == [], "a deleted file leaves the index")


def test_partial_writes_are_indexed_once_complete(
    watching: tuple[Path, Path, subprocess.Popen[str], Lines, Lines],
) -> None:
    corpus, idx, _proc, out, _err = watching
    with (corpus / "c.md").open("w") as file:  # a scraper writing in two steps, a pause between
        file.write(story("Partial", "Microsoft part one,"))
        file.flush()
        time.sleep(3.0)  # longer than the watch's settle time: only the open file holds it back
        file.write("and the zebra in part two.\n")
    wait_for(lambda: paths_matching(idx, "zebra") == ["c.md"], "the completed file is searchable")

    part = corpus / "d.md.part"
    part.write_text(story("Renamed", "Microsoft and the giraffe."))
    part.rename(corpus / "d.md")
    wait_for(lambda: "Renamed" in out.text, "the renamed .part file was indexed and alerted")
    # Each article was new once: never in an earlier, partial version.
    alerted = [line for line in out.lines if line.strip().endswith(("Partial", "Renamed"))]
    assert len(alerted) == 2, out.text
    assert paths_matching(idx, "giraffe") == ["d.md"]
    assert "updated" not in "".join(line for line in out.lines if "Indexed:" in line).replace(
        "0 updated", ""
    )


def test_ctrl_c_stops_with_one_line_and_exit_130(
    watching: tuple[Path, Path, subprocess.Popen[str], Lines, Lines],
) -> None:
    corpus, idx, proc, _out, err = watching
    (corpus / "f.md").write_text(story("Third", "Microsoft in Dublin."))
    wait_for(lambda: paths_matching(idx, "Dublin") == ["f.md"], "a new file is searchable")
    proc.send_signal(signal.SIGINT)
    assert proc.wait(timeout=BOUND_S) == 130
    wait_for(lambda: "Stopped watching" in err.text, "the closing line")
    assert err.lines[-1].startswith("Stopped watching")
    assert "Traceback" not in err.text
    assert paths_matching(idx, "Dublin") == ["f.md"]  # committed
