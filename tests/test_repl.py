"""The shell without a terminal: the completer's pure parts, every command through handle_line,
the lexer, the toolbar's verdicts, history, and a whole session through a pipe input."""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from prompt_toolkit.completion import CompleteEvent
from prompt_toolkit.document import Document
from prompt_toolkit.history import FileHistory, InMemoryHistory

from index import schema as S
from index.errors import IndexNotFound
from search.engine import Engine, SearchOptions
from search.repl.app import handle_line, prepare_index
from search.repl.candidates import FieldValues, Value
from search.repl.completer import ShellCompleter
from search.repl.expect import Expected, Kind, expected
from search.repl.history import open_history
from search.repl.lexer import tokens
from search.repl.registry import COMMANDS
from search.repl.state import ShellState
from search.repl.toolbar import verdict
from tests.conftest import index_with_seed, run_session
from tests.shell_articles import ARTICLES


@pytest.fixture(scope="module")
def index_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seed article and four more, indexed once for this module with the real pipeline."""
    directory, summary = index_with_seed(tmp_path_factory, "repl", ARTICLES)
    assert summary.articles == 5, summary
    return directory


@pytest.fixture
def state(index_dir: Path) -> Iterator[ShellState]:
    with Engine(index_dir) as engine:
        yield ShellState(engine, width=100, height=40)


def complete(state: ShellState, text: str, tab: bool = True) -> list[tuple[str, int, str]]:
    event = CompleteEvent(completion_requested=tab)
    found = ShellCompleter(state).get_completions(Document(text), event)
    return [(c.text, c.start_position, c.display_meta_text) for c in found]


# --- what kind of word is expected ------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("", Expected(Kind.FIELD, "")),
        ("pla", Expected(Kind.FIELD, "pla")),
        ("aid (pla", Expected(Kind.FIELD, "pla")),
        ("-org", Expected(Kind.FIELD, "org")),
        ("place:Al", Expected(Kind.VALUE, "Al", field="place")),
        ("aid org:food", Expected(Kind.VALUE, "food", field="organization")),
        ('org:"World F', Expected(Kind.VALUE, '"World F', field="organization", quoted=True)),
        ("PLACE:ale", Expected(Kind.VALUE, "ale", field="place")),
        ("tons:2", Expected(Kind.VALUE, "2", field="ton")),
        ("title:ai", Expected(Kind.NOTHING, "ai")),
        ("number:[400000 TO 5", Expected(Kind.NOTHING)),
        ('"humanitarian ai', Expected(Kind.NOTHING, '"humanitarian ai')),
        (":he", Expected(Kind.COMMAND, "he")),
        (":format js", Expected(Kind.ARGUMENT, "js", command="format")),
        (":explain place:Al", Expected(Kind.ARGUMENT, "place:Al", command="explain")),
    ],
)
def test_expected_kind_of_word(text: str, want: Expected) -> None:
    assert expected(text) == want


# --- candidates -------------------------------------------------------------------------------


def test_place_values_ranked_by_count_with_counts_as_meta(state: ShellState) -> None:
    found = complete(state, "place:Al")
    names = [text for text, _, _ in found]
    assert names[0] == "Aleppo"
    assert found[0][1:] == (-2, "3 articles")
    assert names.index("Aleppo") < names.index("Alexandria")
    assert '"Deir al-Zor"' in names  # a later word of the name starts with "al"


def test_values_match_fuzzily_and_multi_word_values_are_quoted(state: ShellState) -> None:
    assert complete(state, "place:alep")[0][0] == "Aleppo"
    assert complete(state, "place:Alpepo")[0][0] == "Aleppo"  # a typo
    food = [text for text, _, _ in complete(state, "org:food")]
    assert food[0] == '"World Food Programme"'
    started = complete(state, 'org:"World F')
    assert started[0][:2] == ('"World Food Programme"', -len('"World F'))


def test_unit_and_section_values(state: ShellState) -> None:
    assert ("21", 0, "2 articles") in complete(state, "ton:")
    assert complete(state, "section:mid")[0][0] == '"Middle East"'


def test_field_names_with_aliases(state: ShellState) -> None:
    found = complete(state, "pla")
    assert found[0] == ("place:", -3, "field")
    assert ("places:", -3, "= place") in found
    assert ("org:", -1, "= organization") in complete(state, "o")


def test_typing_an_empty_word_offers_nothing_but_tab_offers_every_field(
    state: ShellState,
) -> None:
    assert complete(state, "aid ", tab=False) == []
    assert len(complete(state, "aid ", tab=True)) >= 10
    assert complete(state, "number:[1 TO 5") == []


def test_commands_and_their_arguments(state: ShellState) -> None:
    assert complete(state, ":he")[0][:2] == ("help", -2)
    assert [t for t, _, _ in complete(state, ":format j")] == ["json", "jsonl"]
    assert [t for t, _, _ in complete(state, ":sort ")] == ["score", "date", "-date"]
    assert complete(state, ":explain place:Ale")[0][0] == "Aleppo"
    handle_line(state, "place:Aleppo")
    ranks = complete(state, ":show ")
    assert [t for t, _, _ in ranks] == ["1", "2", "3"]
    assert ranks[0][2]  # the title as meta


def test_path_argument_of_index(state: ShellState, tmp_path: Path) -> None:
    (tmp_path / "articles").mkdir()
    assert [t for t, _, _ in complete(state, f":index {tmp_path}/art")] == ["icles"]


# --- every command through handle_line --------------------------------------------------------


def test_query_renders_the_search_table(state: ShellState) -> None:
    out = handle_line(state, "place:Aleppo")
    assert "Syrian army recaptures strategic town" in out
    assert "1-3 of 3 (page 1/1)" in out
    assert "\x1b[" not in out  # colourless when not colouring
    assert max(len(line) for line in out.splitlines()) <= 100


def test_no_results_and_malformed_queries_never_raise(state: ShellState) -> None:
    assert handle_line(state, "zzzunknownword") == "No articles match 'zzzunknownword'.\n"
    for text in ("U.S.", "20.04", "POL-358", '"', "(", "aid AND", "place:"):
        assert isinstance(handle_line(state, text), str)


def test_paging_with_next_and_prev(state: ShellState) -> None:
    assert handle_line(state, ":next") == (
        "Error: No search yet: type a query first, e.g. place:Aleppo"
    )
    handle_line(state, ":limit 2")
    first = handle_line(state, "aid")
    assert "1-2 of 5 (page 1/3)" in first
    assert "3-4 of 5 (page 2/3)" in handle_line(state, ":next")
    assert "5-5 of 5 (page 3/3)" in handle_line(state, ":next")
    assert handle_line(state, ":next") == "Already on the last page (3 of 3)."
    assert "3-4 of 5 (page 2/3)" in handle_line(state, ":prev")
    handle_line(state, ":prev")
    assert handle_line(state, ":prev") == "Already on the first page."


def test_show_opens_a_result_of_the_last_search(state: ShellState) -> None:
    handle_line(state, ":limit 2")
    handle_line(state, "aid")
    shown = handle_line(state, ":show 1")
    assert "id:" in shown and "places:" in shown
    # A result on another page is fetched too: the same article as rank 5 of one long page.
    fifth = state.engine.search("aid", SearchOptions(limit=10)).hits[4].document
    assert handle_line(state, ":show 5").startswith(fifth.title)
    assert handle_line(state, ":show 9") == "Error: No result 9: the last search has 5."
    assert handle_line(state, ":show x").startswith("Error: Usage: :show N")


def test_show_highlights_matched_words_in_colour(index_dir: Path) -> None:
    with Engine(index_dir) as engine:
        state = ShellState(engine, color=True, width=100)
        handle_line(state, "airdrop")
        shown = handle_line(state, ":show 1")
    assert "\x1b[" in shown
    assert "airdrop" in shown.lower()


def test_facets_over_the_last_search(state: ShellState) -> None:
    assert handle_line(state, ":facets place").startswith("Error: No search yet")
    handle_line(state, "aid")
    table = handle_line(state, ":facets org")
    rows = [line for line in table.splitlines() if "World Food Programme" in line]
    assert rows and rows[0].split("│")[2].strip() == "3"
    assert handle_line(state, ":facets title") == (
        "Error: Usage: :facets place|country|region|organization|person|section [N]"
    )
    rows = [ln for ln in handle_line(state, ":facets place 2").splitlines() if "│" in ln]
    assert len(rows) == 2  # data rows only: the header is drawn with heavier lines


def test_similar_finds_articles_like_a_result(state: ShellState) -> None:
    handle_line(state, "airdrop")
    assert state.last is not None
    first, second = (hit.document for hit in state.last.hits)
    like = handle_line(state, ":similar 1")
    assert second.id in like  # the other airdrop article shares places and organizations
    assert first.id not in like  # the article itself is left out
    assert state.last.query == "airdrop"  # :show still refers to the last search
    assert handle_line(state, ":similar 7") == "Error: No result 7: the last search has 2."


def test_settings_commands(state: ShellState) -> None:
    assert handle_line(state, ":limit 5") == "limit: 5 results per page"
    assert handle_line(state, ":limit") == "limit: 5 results per page"
    assert handle_line(state, ":limit 0") == "Error: Usage: :limit N (1 to 1000)"
    assert handle_line(state, ":sort -date") == "sort: -date"
    assert handle_line(state, ":sort size") == "Error: Usage: :sort score|date|-date"
    assert handle_line(state, ":format ids") == "format: ids"
    ids = handle_line(state, "place:Aleppo").split()
    assert len(ids) == 3 and all(state.engine.get(i).id == i for i in ids)
    assert handle_line(state, ":format xml").startswith("Error: Usage: :format table|json")


def test_json_format_carries_the_envelope(state: ShellState) -> None:
    handle_line(state, ":format json")
    data = json.loads(handle_line(state, "place:Aleppo"))
    assert data["query"] == "place:Aleppo" and data["total"] == 3
    assert {r["rank"] for r in data["results"]} == {1, 2, 3}


def test_stats_explain_history_help(state: ShellState) -> None:
    assert "documents: 5" in handle_line(state, ":stats")
    explained = handle_line(state, ":explain org:UN")
    assert explained.endswith("tree:\n  organization:un") and "org_alias" not in explained
    handle_line(state, "place:Aleppo")
    assert "place:aleppo" in handle_line(state, ":explain")
    state.history.append_string("place:Aleppo")
    state.history.append_string(":stats")
    assert handle_line(state, ":history") == "    1  place:Aleppo\n    2  :stats"
    assert handle_line(state, ":history 1") == "    2  :stats"


def test_help_is_generated_from_the_registry(state: ShellState) -> None:
    text = handle_line(state, ":help")
    flat = " ".join(text.split())
    for cmd in COMMANDS.values():
        assert f"{cmd.usage} {cmd.summary}" in flat
    assert max(len(line) for line in text.splitlines()) <= state.width
    assert handle_line(state, ":help show").startswith(":show N\n  Open result N")
    assert handle_line(state, ":help :limit").startswith(":limit N")


def test_unknown_command_suggests_the_closest(state: ShellState) -> None:
    assert handle_line(state, ":shw 1") == (
        "Error: Unknown command :shw. Did you mean :show? Type :help for the list."
    )
    assert handle_line(state, ":zzz") == "Error: Unknown command :zzz. Type :help for the list."


def test_quit(state: ShellState) -> None:
    assert handle_line(state, ":quit") == ""
    assert state.done


def test_index_command_adds_articles_and_refreshes_completion(
    tmp_path: Path, index_dir: Path
) -> None:
    copy = tmp_path / "index"
    shutil.copytree(index_dir, copy)
    extra = tmp_path / "more"
    extra.mkdir()
    (extra / "beirut.txt").write_text(
        "Port blast in Beirut\n\nA blast at the port of Beirut, Lebanon, damaged 300 homes.",
        encoding="utf-8",
    )
    with Engine(copy) as engine:
        state = ShellState(engine)
        assert complete(state, "place:Beir") == []
        out = handle_line(state, f":index {extra}")
        assert out.startswith("Indexed: 1 new"), out
        assert state.documents == 6
        assert complete(state, "place:Beir")[0][0] == "Beirut"
    assert (
        handle_line(state, ":index /no/such/dir") == "Error: No such file or folder: /no/such/dir"
    )


# --- lexer and toolbar ------------------------------------------------------------------------


def test_lexer_styles_fields_operators_phrases_ranges_numbers() -> None:
    line = 'place:Aleppo AND "food aid" number:[400k TO 500000] ton:>20 bogus:x'
    pieces = tokens(line)
    assert "".join(piece[1] for piece in pieces) == line
    styled = {piece[1]: piece[0] for piece in pieces}
    assert styled["place:"] == "class:field"
    assert styled["AND"] == "class:operator"
    assert styled['"food aid"'] == "class:phrase"
    assert styled["[400k TO 500000]"] == "class:range"
    assert styled[">"] == "class:operator"
    assert styled["20"] == "class:number"
    assert styled["bogus:"] == "class:field.unknown"
    assert tokens(":show 3") == [("", ""), ("class:command", ":show"), ("class:argument", " 3")]


def test_toolbar_verdicts(state: ShellState) -> None:
    assert verdict(state, "place:Aleppo") == ("class:toolbar.ok", "3 matching articles")
    style, message = verdict(state, 'place:"Aleppo')
    assert style == "class:toolbar.warning"
    assert message.startswith("character 7: unmatched quote")
    assert message.endswith("3 matching articles")
    assert verdict(state, ":show 1")[1].startswith(":show N: Open result N")
    assert verdict(state, ":shw") == ("class:toolbar.error", "unknown command :shw (:show?)")
    for text in ("U.S.", "(", "aid AND", "place:", "number:>", "[", "*", "a:b:c"):
        assert isinstance(verdict(state, text)[1], str)


# --- history ----------------------------------------------------------------------------------


def test_history_file_created_in_its_folder(tmp_path: Path) -> None:
    err = io.StringIO()
    history = open_history(tmp_path / "data" / "newsdex" / "history", err)
    assert isinstance(history, FileHistory) and err.getvalue() == ""
    history.append_string("place:Aleppo")
    assert "+place:Aleppo" in (tmp_path / "data" / "newsdex" / "history").read_text()


def test_unwritable_history_warns_once_and_keeps_history_in_memory(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    err = io.StringIO()
    history = open_history(blocker / "history", err)
    assert isinstance(history, InMemoryHistory)
    assert err.getvalue().startswith(f"Warning: cannot write the history file {blocker}/history")
    assert err.getvalue().count("\n") == 1


# --- the index the shell opens ----------------------------------------------------------------


def test_missing_explicit_index_raises(tmp_path: Path) -> None:
    with pytest.raises(IndexNotFound, match="No index at") as raised:
        prepare_index(tmp_path / "none", io.StringIO())
    assert raised.value.directory == str(tmp_path / "none")  # a field: the faces word the fix


def test_default_index_is_built_from_the_seeds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.delenv("NEWSDEX_INDEX", raising=False)
    out = io.StringIO()
    directory = prepare_index(None, out)
    assert directory == tmp_path / "data" / "newsdex" / "index"
    assert out.getvalue().startswith("No index yet: indexing the sample corpus")
    with Engine(directory) as engine:
        assert engine.count() == 1
        assert ShellState(engine).name == "seeds"


# --- a whole session through a pipe -----------------------------------------------------------


def test_whole_session_through_a_pipe(state: ShellState) -> None:
    out = run_session(state, ":limit 2\raid\r:next\r:show 3\r", "\x03", ":quit\r")
    assert "limit: 2 results per page" in out
    assert "1-2 of 5 (page 1/3)" in out
    assert "3-4 of 5 (page 2/3)" in out
    assert "id:" in out
    assert state.done


def test_page_down_and_up_page_without_writing_history(state: ShellState) -> None:
    pagedown, pageup = "\x1b[6~", "\x1b[5~"
    out = run_session(state, ":limit 2\r", "aid\r", pagedown, pageup, "\x04")
    pages = re.findall(r"\d-\d of 5 \(page \d/3\)", out)
    assert pages == ["1-2 of 5 (page 1/3)", "3-4 of 5 (page 2/3)", "1-2 of 5 (page 1/3)"]
    assert list(state.history.get_strings()) == [":limit 2", "aid"]


def test_session_ends_with_ctrl_d_and_ctrl_r_finds_history(state: ShellState) -> None:
    # Ctrl-R, typed text, Enter accepts the found line, Enter runs it.
    out = run_session(state, "place:Aleppo\r:limit 1\r", "\x12", "Alep", "\r", "\r", "\x04")
    assert out.count("(page 1/1)") == 1 and "1-1 of 3 (page 1/3)" in out
    assert list(state.history.get_strings()) == ["place:Aleppo", ":limit 1", "place:Aleppo"]


def test_reaches_the_prompt_without_importing_spacy(index_dir: Path) -> None:
    script = (
        "import io, sys\n"
        "from pathlib import Path\n"
        "from prompt_toolkit.application import create_app_session\n"
        "from prompt_toolkit.input import create_pipe_input\n"
        "from prompt_toolkit.output import DummyOutput\n"
        "from search.engine import Engine\n"
        "from search.repl.app import make_shell\n"
        "from search.repl.state import ShellState\n"
        "state = ShellState(Engine(Path(sys.argv[1])))\n"
        "with create_pipe_input() as p, create_app_session(input=p, output=DummyOutput()):\n"
        "    p.send_text('place:Al\\t\\rplace:Aleppo\\r:show 1\\r:quit\\r')\n"
        "    make_shell(state).run(io.StringIO())\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('spacy', 'thinc', 'torch')))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, str(index_dir)],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])},
    )
    assert done.stdout.strip() == "[]", done.stderr


def test_values_are_read_ahead_and_closed_with_the_shell(index_dir: Path) -> None:
    values = FieldValues(index_dir)
    values.warm((S.PLACE, S.ORGANIZATION))
    assert values.values(S.PLACE)[0] in {Value("aleppo", 3)}
    assert values.spelled(S.ORGANIZATION, "world food programme") == "World Food Programme"
    values.close()
    assert values.values(S.PLACE) == ()  # closed: nothing, and no exception
