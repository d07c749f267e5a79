"""The shell's :timeline, :save and :saved in a real 60-column pseudo-terminal (pexpect), and its
toolbar saying "+N new" when another process commits articles while it is open."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pexpect
import pytest

from index.pipeline import run
from search.saved import SavedStore

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pseudo-terminal")
TIMEOUT = 120  # a loaded 2-core machine
ARTICLES = [
    {"title": "Microsoft results", "text": "Microsoft profits rose.", "date": "2004-01-15"},
    {"title": "Microsoft hires", "text": "Microsoft hired staff.", "date": "2004-03-02"},
    {"title": "Microsoft again", "text": "Microsoft and Seattle.", "date": "2004-03-20"},
    {"title": "Microsoft undated", "text": "Microsoft, with no date."},
]


@pytest.fixture
def corpus_index(tmp_path: Path) -> tuple[Path, Path]:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.jsonl").write_text("\n".join(json.dumps(a) for a in ARTICLES) + "\n")
    idx = tmp_path / "follow-idx"
    run([corpus], idx, workers=1)
    return corpus, idx


def spawn(idx: Path, home: Path, toolbar: bool = False) -> pexpect.spawn:
    """The shell in a 60-column terminal. prompt_toolkit draws its toolbar only once the terminal
    has told it the cursor's row (a cursor position report); `toolbar` lets `answer_cpr` do so."""
    env = {
        **os.environ,
        "TERM": "xterm-256color",
        "XDG_DATA_HOME": str(home / "data"),
        "NEWSDEX_PAGER": "",
        "PROMPT_TOOLKIT_NO_CPR": "0" if toolbar else "1",
    }
    command = ["-c", "from search.cli import main; main()", "shell", "--index", str(idx)]
    return pexpect.spawn(
        sys.executable, command, env=env, dimensions=(30, 60), encoding="utf-8", timeout=TIMEOUT
    )


def answer_cpr(shell: pexpect.spawn) -> None:
    """Answer the shell's cursor position request as a terminal would: row 1, column 1."""
    shell.expect_exact("\x1b[6n")
    shell.send("\x1b[1;1R")


def line(shell: pexpect.spawn, text: str) -> None:
    shell.expect_exact("newsdex:follow-idx> ")
    shell.sendline(text)


def test_timeline_save_and_saved_at_60_columns(
    corpus_index: tuple[Path, Path], tmp_path: Path
) -> None:
    _, idx = corpus_index
    shell = spawn(idx, tmp_path)
    try:
        line(shell, ":timeline")
        shell.expect_exact("run a query first")
        line(shell, "Microsoft")
        shell.expect_exact("Microsoft results")
        line(shell, ":timeline")
        for label, count in (("2004-01", 1), ("2004-02", 0), ("2004-03", 2)):
            shell.expect(rf"{label}\s+{count}\b")
        shell.expect_exact("3 dated articles by month; 1 undated")
        line(shell, ":save ms")
        shell.expect_exact("Saved 'ms': Microsoft")
        line(shell, ":saved")
        shell.expect(r"ms\s+Microsoft")
        line(shell, ":saved ms")
        shell.expect_exact("Microsoft hires")
        shell.expect_exact("newsdex:follow-idx> ")
        shell.sendcontrol("d")
        shell.expect(pexpect.EOF)
    finally:
        shell.close(force=True)
    assert [s.query for s in SavedStore(idx).all()] == ["Microsoft"]


def test_toolbar_counts_articles_committed_meanwhile(
    corpus_index: tuple[Path, Path], tmp_path: Path
) -> None:
    corpus, idx = corpus_index
    shell = spawn(idx, tmp_path, toolbar=True)
    try:
        answer_cpr(shell)
        line(shell, "Redmond")
        shell.expect_exact("No articles match")
        answer_cpr(shell)
        shell.expect_exact("newsdex:follow-idx> ")
        shell.expect_exact("4 articles")  # the toolbar is up
        (corpus / "new.md").write_text("---\ntitle: Redmond news\n---\nMicrosoft in Redmond.\n")
        (corpus / "new2.md").write_text("---\ntitle: More Redmond\n---\nRedmond campus.\n")
        run([corpus], idx, workers=1)  # as `newsdex index --watch` would, in another process
        shell.expect_exact("+2 new")  # the idle prompt's toolbar, redrawn every few seconds
        shell.sendline("Redmond")
        shell.expect_exact("Redmond news")  # the next query sees them
        answer_cpr(shell)
        shell.expect_exact("newsdex:follow-idx> ")
        shell.expect_exact("6 articles")  # and the toolbar counts them as read
        shell.sendcontrol("d")
        shell.expect(pexpect.EOF)
    finally:
        shell.close(force=True)
