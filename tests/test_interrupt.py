"""Interrupting an indexing run: everything committed before Ctrl-C stays searchable."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from whoosh import index as windex

from index.errors import ExitCode
from search.engine import Engine, SearchOptions
from tests.conftest import interruptible

PARAGRAPH = (
    "Negotiators met in Geneva on Tuesday to discuss the ceasefire, officials said, "
    "while aid agencies warned that 40,000 people still lacked food and clean water. "
)
ARTICLES = 600  # the same text as 300 articles of twice the length, in twice the batches
NEWSDEX = [sys.executable, "-c", "from search.cli import main; main()"]


def committed(directory: Path) -> int:
    if not windex.exists_in(str(directory)):
        return 0
    try:
        with windex.open_dir(str(directory)).searcher() as searcher:
            return int(searcher.doc_count())
    except (OSError, EOFError):
        return 0


@pytest.mark.parametrize("workers", ["1", "2"])
def test_ctrl_c_keeps_committed_batches_and_a_rerun_finishes(tmp_path: Path, workers: str) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for i in range(ARTICLES):
        (corpus / f"a{i:03}.txt").write_text(f"Report {i}\n\n" + PARAGRAPH * 3, encoding="utf-8")
    directory = tmp_path / "idx"
    args = [*NEWSDEX, "index", str(corpus), "--index", str(directory), "--workers", workers]
    proc = subprocess.Popen(
        [*args, "--commit-every", "10"], stdout=subprocess.PIPE, text=True, preexec_fn=interruptible
    )
    deadline = time.monotonic() + 300
    while committed(directory) < 10 and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)
    # Frozen the moment the condition holds, so the Ctrl-C lands mid-run however fast the machine
    # (hundreds of articles are still to go); it is delivered when the process resumes.
    proc.send_signal(signal.SIGSTOP)
    assert proc.poll() is None and committed(directory) >= 10, "the run failed before 10 commits"
    proc.send_signal(signal.SIGINT)
    proc.send_signal(signal.SIGCONT)
    out, _ = proc.communicate(timeout=60)
    assert proc.returncode == ExitCode.INTERRUPTED, out
    assert "Interrupted:" in out and "run the same command again" in out

    kept = committed(directory)
    assert 10 <= kept < ARTICLES
    with Engine(directory) as engine:
        results = engine.search("geneva", SearchOptions(limit=500))
        assert results.total == kept  # every committed article is whole and searchable

    rerun = subprocess.run(args, capture_output=True, text=True, timeout=300)
    assert rerun.returncode == 0, rerun.stderr
    assert f"{ARTICLES - kept} new" in rerun.stdout
    final = subprocess.run(args, capture_output=True, text=True, timeout=300)
    assert f"0 new, 0 updated, 0 removed, {ARTICLES} unchanged" in final.stdout


def test_ctrl_c_in_a_terminal_prints_one_line_and_no_worker_traceback(tmp_path: Path) -> None:
    """Ctrl-C in a terminal reaches every process of its group, the pool's workers too."""
    import pexpect

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for i in range(400):  # bodies differ, so that no cache hit keeps the work off the pool
        text = f"Report {i}\n\nDispatch {i}. " + PARAGRAPH * 6
        (corpus / f"a{i:03}.txt").write_text(text, encoding="utf-8")
    directory = tmp_path / "idx"
    args = ["index", str(corpus), "--index", str(directory), "--workers", "2", "--commit-every"]
    child = pexpect.spawn(
        NEWSDEX[0],
        [*NEWSDEX[1:], *args, "10"],
        encoding="utf-8",
        codec_errors="replace",
        preexec_fn=interruptible,
    )
    deadline = time.monotonic() + 120
    while committed(directory) < 10 and child.isalive() and time.monotonic() < deadline:
        child.expect([pexpect.TIMEOUT, pexpect.EOF], timeout=0.1)  # drain the progress line
    assert child.isalive(), "the run ended before it could be interrupted"
    child.sendintr()
    child.expect(pexpect.EOF, timeout=120)
    child.close()
    after = child.before
    assert child.exitstatus == ExitCode.INTERRUPTED, after
    assert "Traceback" not in after and "KeyboardInterrupt" not in after, after
    assert len([line for line in after.splitlines() if "Interrupted" in line]) == 1, after
