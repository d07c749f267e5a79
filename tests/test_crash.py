"""A killed indexing process (SIGKILL) never loses or half-writes what was committed."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from whoosh import index as windex

from index.check import check_index
from search.engine import Engine, SearchOptions

NEWSDEX = [sys.executable, "-c", "from search.cli import main; main()"]
BODY = "Ministers met in Nairobi as 12,000 people fled floods, the Red Cross said. " * 4


def committed(directory: Path) -> int:
    try:
        with windex.open_dir(str(directory)).searcher() as searcher:
            return int(searcher.doc_count())
    except Exception:  # not created yet, or mid-commit: nothing to count yet
        return 0


def make_corpus(root: Path) -> int:
    """40 single-article files and 20 JSONL files of 5 articles: 140 articles."""
    root.mkdir()
    for i in range(40):
        (root / f"a{i:02}.txt").write_text(f"Story {i}\n\n{BODY}")
    for i in range(20):
        lines = [
            json.dumps({"id": str(j), "title": f"Item {i}-{j}", "body": BODY}) for j in range(5)
        ]
        (root / f"b{i:02}.jsonl").write_text("\n".join(lines) + "\n")
    return 140


@pytest.mark.parametrize("kill_after", [0, 5, 40, 90])  # documents committed before the kill
def test_sigkill_mid_run(tmp_path: Path, kill_after: int) -> None:
    total = make_corpus(tmp_path / "corpus")
    directory = tmp_path / "idx"
    args = [*NEWSDEX, "index", str(tmp_path / "corpus"), "--index", str(directory)]
    proc = subprocess.Popen(
        [*args, "--workers", "1", "--commit-every", "7"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 300
    while proc.poll() is None and time.monotonic() < deadline:
        if kill_after == 0 or committed(directory) >= kill_after:
            break
        time.sleep(0.01)
    if kill_after == 0:
        time.sleep(0.5)  # still starting: spaCy and its model alone take longer to load
    proc.send_signal(signal.SIGKILL)
    assert proc.wait(timeout=30) == -signal.SIGKILL, "the run ended before the kill"
    has_index = directory.exists() and any(directory.glob("_MAIN_*.toc"))
    assert has_index or kill_after == 0

    if has_index:  # the index opens whole (every segment) and holds whole files only
        report = check_index(directory)  # opens every segment; raises on damage
        with Engine(directory) as engine:
            found = engine.search("nairobi", SearchOptions(limit=1000, snippets=False))
            assert found.total == report.documents
            by_file: dict[str, int] = {}
            for hit in found.hits:
                by_file[hit.document.path] = by_file.get(hit.document.path, 0) + 1
            for path, count in by_file.items():  # nothing half-indexed: whole files only
                assert count == (5 if path.endswith(".jsonl") else 1), path

    rerun = subprocess.run(args, capture_output=True, text=True, timeout=300)
    assert rerun.returncode == 0, rerun.stderr
    assert committed(directory) == total
    again = subprocess.run(args, capture_output=True, text=True, timeout=300)
    assert "0 new, 0 updated, 0 removed, 60 unchanged" in again.stdout


def test_a_killed_writer_leaves_no_lock_behind(tmp_path: Path) -> None:
    make_corpus(tmp_path / "corpus")
    directory = tmp_path / "idx"
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            (
                "import sys, time; from index.writer import open_for_writing; from pathlib import Path;"
                "w = open_for_writing(Path(sys.argv[1])).writer(); print('locked', flush=True);"
                "time.sleep(60)"
            ),
            str(directory),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
    busy = subprocess.run(
        [*NEWSDEX, "index", str(tmp_path / "corpus"), "--index", str(directory), "--wait", "0.5"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert busy.returncode == 3
    assert busy.stderr.startswith(
        f"Error: Index busy: another newsdex process is writing to {directory}"
    )
    holder.send_signal(signal.SIGKILL)
    holder.wait(timeout=10)
    after = subprocess.run(
        [*NEWSDEX, "index", str(tmp_path / "corpus"), "--index", str(directory), "--wait", "0.5"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert after.returncode == 0, after.stderr
