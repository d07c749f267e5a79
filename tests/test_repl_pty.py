"""`newsdex shell` in a real pseudo-terminal (pexpect): Tab completion from the index, a query,
paging, a result opened in the pager, and Ctrl-D, as a person would type them."""

from __future__ import annotations

import os
import re
import shutil
import sys
from pathlib import Path

import pexpect
import pytest

from tests.conftest import index_with_seed
from tests.shell_articles import ARTICLES as SHELL_ARTICLES

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pseudo-terminal")

# Three of the shell tests' articles next to the seed, so that "aid" has results on several pages.
ARTICLES = {name: text for name, text in SHELL_ARTICLES.items() if name != "aid-convoy-aleppo.txt"}
PROMPT = "newsdex:pty-index0> "
TIMEOUT = 120  # generous: a loaded machine may take many seconds to load and answer


@pytest.fixture(scope="module")
def index_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory, summary = index_with_seed(tmp_path_factory, "pty", ARTICLES)
    assert summary.articles == 4, summary
    return directory


def spawn_shell(
    index_dir: Path, home: Path, flags: list[str] | None = None, extra: dict[str, str] | None = None
) -> pexpect.spawn:
    """`newsdex shell --index DIR` in a 40x120 terminal, with a private history and `less`."""
    env = {
        **os.environ,
        "TERM": "xterm-256color",
        "XDG_DATA_HOME": str(home / "data"),
        "NEWSDEX_PAGER": "less" if shutil.which("less") else "",
        "LESS": "-RXF",
        "PROMPT_TOOLKIT_NO_CPR": "1",  # pexpect does not answer cursor position requests
    }
    env.pop("NO_COLOR", None)
    env.update(extra or {})
    command = ["-c", "from search.cli import main; main()", "shell", "--index", str(index_dir)]
    command += flags or []
    return pexpect.spawn(
        sys.executable,
        command,
        env=env,
        dimensions=(40, 120),
        encoding="utf-8",
        timeout=TIMEOUT,
    )


def test_tab_query_page_show_and_ctrl_d(index_dir: Path, tmp_path: Path) -> None:
    shell = spawn_shell(index_dir, tmp_path)
    try:
        shell.expect_exact("4 articles. Type :help for commands")
        shell.expect_exact(PROMPT)

        shell.send("place:Al")
        shell.send("\t")  # the menu lists the index's values with their counts
        shell.expect_exact("Aleppo")
        shell.expect_exact("2 articles")
        shell.send("\r")  # the first candidate is inserted; Enter runs the query
        shell.expect_exact("1-2 of 2 (page 1/1)")
        shell.expect_exact(PROMPT)

        shell.send(":limit 1\r")
        shell.expect_exact("limit: 1 results per page")
        shell.send("aid\r")
        shell.expect_exact("1-1 of 4 (page 1/4)")
        shell.send(":next\r")
        shell.expect_exact("2-2 of 4 (page 2/4)")
        shell.expect_exact(PROMPT)

        shell.send("Khanaser\r")  # the seed article: longer than the terminal
        shell.expect_exact("1-1 of 1 (page 1/1)")
        shell.send(":show 1\r")
        shell.expect_exact("organizations:")
        if shutil.which("less"):
            shell.expect_exact("\n:")  # less's prompt at the foot of the first screen
            shell.send("q")
        shell.expect_exact(PROMPT)

        shell.sendcontrol("d")
        shell.expect(pexpect.EOF)
    finally:
        shell.close(force=True)
    assert shell.exitstatus == 0
    history = (tmp_path / "data" / "newsdex" / "history").read_text(encoding="utf-8")
    assert "+place:Aleppo" in history and "+:show 1" in history
    assert "+:next" in history


def test_ctrl_c_cancels_the_line_and_keeps_the_shell(index_dir: Path, tmp_path: Path) -> None:
    shell = spawn_shell(index_dir, tmp_path)
    try:
        shell.expect_exact(PROMPT)
        shell.send("place:Ale")
        shell.expect_exact("Aleppo")  # the menu is open
        shell.sendcontrol("c")
        # Keys sent before the cancelled prompt has let go of the terminal would go to it:
        # wait for it to turn bracketed paste off, then for the new prompt.
        shell.expect_exact("\x1b[?2004l")
        shell.expect_exact(PROMPT)
        shell.send(":quit\r")
        shell.expect(pexpect.EOF)
    finally:
        shell.close(force=True)
    assert shell.exitstatus == 0


def test_missing_index_exits_4_with_the_fix(tmp_path: Path) -> None:
    shell = spawn_shell(tmp_path / "none", tmp_path)
    shell.expect_exact("No index at")
    shell.expect_exact("Create one with: newsdex index PATH --index")
    shell.expect(pexpect.EOF)
    shell.close()
    assert shell.exitstatus == 4


@pytest.mark.parametrize(("flags", "env"), [(["--no-color"], {}), ([], {"NO_COLOR": "1"})])
def test_no_color_flag_and_variable(
    index_dir: Path, tmp_path: Path, flags: list[str], env: dict[str, str]
) -> None:
    shell = spawn_shell(index_dir, tmp_path, flags, env)
    try:
        shell.expect_exact(PROMPT)
        shell.send("place:Aleppo\r")
        shell.expect_exact("1-2 of 2 (page 1/1)")
        shown = shell.before
        shell.expect_exact(PROMPT)
        shell.sendcontrol("d")
        shell.expect(pexpect.EOF)
    finally:
        shell.close(force=True)
    assert "Syrian army recaptures strategic town" in shown
    # Bold may remain (the prompt); no foreground or background colour at all.
    assert colours(shown) == set()


def colours(text: str) -> set[int]:
    """The colour parameters (30-49, 90-107) of the SGR escape sequences in `text`."""
    params = {int(p) for seq in re.findall(r"\x1b\[([0-9;]*)m", text) for p in seq.split(";") if p}
    return {p for p in params if 30 <= p <= 49 or 90 <= p <= 107}


def test_colours_are_detected() -> None:
    assert colours("\x1b[0;36;1mprompt\x1b[0m \x1b[32mAleppo\x1b[0m") == {36, 32}
    assert colours("\x1b[0;1mprompt\x1b[0m") == set()


PAGER = """import os, select, sys
text = sys.stdin.read()
sys.stdout.write(text)
tty = os.open("/dev/tty", os.O_RDONLY)
ready = select.select([tty], [], [], 0)[0]
with open(sys.argv[1], "a", encoding="utf-8") as out:
    out.write(repr(os.read(tty, 1024) if ready else b"") + "\\n")
"""


def test_keys_typed_before_the_pager_opens_go_to_the_next_prompt(
    index_dir: Path, tmp_path: Path
) -> None:
    """A pager that records what it could read from the terminal: nothing typed ahead of it."""
    (tmp_path / "pager.py").write_text(PAGER, encoding="utf-8")
    got = tmp_path / "pager-got"
    pager = f"{sys.executable} {tmp_path / 'pager.py'} {got}"
    shell = spawn_shell(index_dir, tmp_path, extra={"NEWSDEX_PAGER": pager})
    try:
        shell.expect_exact(PROMPT)
        shell.send("Khanaser\r")
        shell.expect_exact("1-1 of 1 (page 1/1)")
        shell.expect_exact(PROMPT)
        shell.send(":show 1\rplace:Aleppo\r")  # typed on, while the article is paged
        shell.expect_exact("1-2 of 2 (page 1/1)")
        shell.expect_exact(PROMPT)
        shell.send(":quit\r")
        shell.expect(pexpect.EOF)
    finally:
        shell.close(force=True)
    assert got.read_text(encoding="utf-8") == "b''\n"


def test_keep_typeahead_reads_keys_not_yet_ended_by_enter() -> None:
    """In a real terminal, while a line runs: keys are held (no echo, no line editing) and
    read for the next prompt before a pager could take them."""
    from prompt_toolkit.input.typeahead import get_typeahead
    from prompt_toolkit.input.vt100 import Vt100Input

    from search.repl.typeahead import holding_keys, keep_typeahead

    master, slave = os.openpty()
    with open(slave, encoding="utf-8", closefd=True) as tty:
        keys = Vt100Input(tty)
        with holding_keys(slave):
            os.write(master, b"trade")  # no Enter yet: a line-editing terminal would hold it
            assert keep_typeahead(keys) == 5
        assert "".join(k.data for k in get_typeahead(keys)) == "trade"
    os.close(master)
