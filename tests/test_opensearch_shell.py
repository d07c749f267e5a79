"""`newsdex shell --opensearch`: the shell over the OpenSearch engine, through the one seam
(search.backends.QueryEngine), against a real HTTP server that evaluates the translated queries
over the pushed documents (tests/mini_opensearch.py), side by side with the shell on Whoosh.

The live suite (tests/test_opensearch_live.py) runs the same shell cases on a real OpenSearch.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from prompt_toolkit.completion import CompleteEvent
from prompt_toolkit.document import Document
from typer.testing import CliRunner

from search.cli import app
from search.engine import Engine
from search.opensearch import push
from search.repl.app import handle_line
from search.repl.completer import ShellCompleter
from search.repl.state import ShellState
from search.repl.toolbar import verdict
from tests.conftest import index_with_seed, run_session
from tests.mini_opensearch import MiniOpenSearch, serving
from tests.shell_articles import ARTICLES

pytest.importorskip("opensearchpy", reason="the scale extra is not installed")
ALIAS = "newsdex-shell-test"


@pytest.fixture(scope="module")
def local_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory, summary = index_with_seed(tmp_path_factory, "os-shell", ARTICLES)
    assert summary.articles == 5, summary
    return directory


@pytest.fixture(scope="module")
def server(local_index: Path) -> Iterator[MiniOpenSearch]:
    """The index's articles as `push` sends them, served under the alias."""
    with Engine(local_index) as engine:
        stored = list(engine.searcher().reader().all_stored_fields())
    docs = [action["_source"] for action in push.actions(stored, ALIAS)]
    with serving({ALIAS: docs}) as running:
        yield running


@pytest.fixture
def remote(server: MiniOpenSearch) -> Iterator[ShellState]:
    from search.opensearch.search import OpenSearchEngine

    with OpenSearchEngine(server.url, ALIAS) as engine:
        yield ShellState(engine, width=100, height=40, name=f"opensearch/{ALIAS}")


@pytest.fixture
def local(local_index: Path) -> Iterator[ShellState]:
    with Engine(local_index) as engine:
        yield ShellState(engine, width=100, height=40)


FOOTER = re.compile(r"\d+-\d+ of \d+ \(page \d+/\d+\)")


def test_session_pages_and_shows_as_on_whoosh(remote: ShellState, local: ShellState) -> None:
    keys = (":limit 2\r", "aid\r", ":next\r", ":show 3\r", ":quit\r")
    there, here = run_session(remote, *keys), run_session(local, *keys)
    assert (
        FOOTER.findall(there)
        == FOOTER.findall(here)
        == ["1-2 of 5 (page 1/3)", "3-4 of 5 (page 2/3)"]
    )
    assert "id:" in there and "Traceback" not in there
    assert remote.documents == local.documents == 5


def test_every_page_holds_the_same_articles(remote: ShellState, local: ShellState) -> None:
    """Scores differ between BM25 and the server's, so the order may; the set may not."""
    for query in ("aid", "place:Aleppo", "org:UN", "tons:>=20", "airdr*", "aid -place:Aleppo"):
        found = []
        for state in (remote, local):
            handle_line(state, ":limit 1000")
            handle_line(state, query)
            assert state.last is not None, query
            found.append(sorted(h.document.id for h in state.last.hits))
        assert found[0] == found[1], query
        assert found[0], query


def test_facets_totals_and_toolbar_as_on_whoosh(remote: ShellState, local: ShellState) -> None:
    for state in (remote, local):
        handle_line(state, "aid")
    assert handle_line(remote, ":facets place") == handle_line(local, ":facets place")
    assert handle_line(remote, ":facets org 3") == handle_line(local, ":facets org 3")
    for text in ("aid", "place:Aleppo", "place:Aleppo AND", "nothingmatcheshere"):
        assert verdict(remote, text) == verdict(local, text), text


def _completions(state: ShellState, text: str) -> list[tuple[str, str]]:
    found = ShellCompleter(state).get_completions(Document(text), CompleteEvent(True))
    return [(c.text, c.display_meta_text) for c in found]


@pytest.mark.parametrize("text", ["place:Ale", "place:", "org:world", "country:Eg", "ton:"])
def test_field_values_complete_from_terms_aggregations(
    remote: ShellState, local: ShellState, text: str
) -> None:
    there = _completions(remote, text)
    assert there, text
    assert there == _completions(local, text)


def test_explain_shows_the_reading_and_the_dsl(remote: ShellState) -> None:
    shown = handle_line(remote, ":explain place:Aleppo tons:>=20")
    assert "place" in shown and "OpenSearch query" in shown
    assert '"term"' in shown and '"range"' in shown and "query_string" not in shown


@pytest.mark.parametrize(
    "line", [":similar 1", ":stats", ":timeline", ":save mine", ":saved", ":index ."]
)
def test_local_only_commands_say_so_in_one_line(remote: ShellState, line: str) -> None:
    handle_line(remote, "aid")
    shown = handle_line(remote, line)
    command = line.split()[0]
    assert shown.startswith(f"Error: {command} needs a local index"), shown
    assert "newsdex shell --index DIR" in shown and "\n" not in shown


def test_open_switches_from_opensearch_to_a_local_index(
    remote: ShellState, local_index: Path
) -> None:
    assert handle_line(remote, ":open") == f"index: opensearch/{ALIAS}"
    assert handle_line(remote, f":open {local_index}").endswith("5 articles")
    assert handle_line(remote, ":stats").startswith(f"index: {local_index}")


def test_unreachable_or_unpushed_opensearch_is_one_line(server: MiniOpenSearch) -> None:
    runner = CliRunner()
    result = runner.invoke(app, ["shell", "--opensearch", "http://127.0.0.1:9"])
    assert result.exit_code == 2, result.output
    assert "No OpenSearch answers at http://127.0.0.1:9" in result.output
    result = runner.invoke(app, ["shell"], env={"NEWSDEX_OPENSEARCH": server.url})
    assert result.exit_code == 4, result.output  # the default alias was never pushed here
    assert "newsdex opensearch push" in result.output and "Traceback" not in result.output


@pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pseudo-terminal")
def test_shell_in_a_terminal_on_opensearch(server: MiniOpenSearch, tmp_path: Path) -> None:
    """`newsdex shell --opensearch URL` as a person runs it: banner, Tab completion of a
    place from the server's terms aggregation, a query with its footer, :timeline's one line."""
    import pexpect

    env = {
        **os.environ,
        "TERM": "xterm-256color",
        "XDG_DATA_HOME": str(tmp_path / "data"),
        "NEWSDEX_CONFIG": str(tmp_path / "config.toml"),
        "NEWSDEX_OPENSEARCH_ALIAS": ALIAS,
        "NEWSDEX_PAGER": "",
        "PROMPT_TOOLKIT_NO_CPR": "1",  # pexpect does not answer cursor position requests
    }
    command = ["-c", "from search.cli import main; main()", "shell", "--opensearch", server.url]
    shell = pexpect.spawn(
        sys.executable, command, env=env, dimensions=(40, 120), encoding="utf-8", timeout=120
    )
    try:
        shell.expect_exact(f"newsdex shell on OpenSearch at {server.url} (alias {ALIAS}): 5")
        shell.expect_exact(f"newsdex:opensearch/{ALIAS}> ")
        shell.send("place:Ale")
        shell.send("\t")
        shell.expect_exact("Aleppo")
        shell.expect_exact("3 articles")
        shell.send("\r")
        shell.expect_exact("1-3 of 3 (page 1/1)")
        shell.send(":timeline\r")
        shell.expect_exact(":timeline needs a local index")
        shell.send("\x04")
        shell.expect(pexpect.EOF)
    finally:
        shell.close(force=True)
    assert shell.exitstatus == 0, shell.before
