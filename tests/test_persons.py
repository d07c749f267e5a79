"""People (person:) and organization kinds (facets --field org --kind): crafted sentences
through the real model, the CLI on a real index, the shell's completion, and BBC cases."""

from __future__ import annotations

import io
import json
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from index.errors import ExitCode, UsageError
from index.extract import default_resources, entities_from_doc, load_model
from index.model import Entities
from index.orgkinds import kind_of, org_kind
from index.orgs import AliasFile, load_aliases
from index.persons import clean_person, merge_people
from search.cli import app
from tests.conftest import older_index, shared_data

runner = CliRunner()


def extract(text: str) -> Entities:
    return entities_from_doc(load_model()(text), text, default_resources())


# --- names --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "name"),
    [
        ("Mr Allard", "Allard"),
        ("President George W. Bush", "George W. Bush"),
        ("Prime Minister Tony Blair's", "Tony Blair"),
        ("Dr Rowan Williams", "Rowan Williams"),
        ("Allard’s", "Allard"),
        ("the Mr", None),
        ("GDC", None),
        ("2004", None),
        ("j smith", None),
    ],
)
def test_titles_and_possessives_are_cut(written: str, name: str | None) -> None:
    assert clean_person(written) == name


def test_a_surname_alone_joins_the_full_name() -> None:
    names = ["J. Allard", "Allard", "Tony Blair", "blair", "Blair", "Cherie Blair", "Madonna"]
    assert merge_people(names) == ("J. Allard", "Tony Blair", "Cherie Blair", "Madonna")


def test_mr_allard_and_allard_are_one_person_in_an_article() -> None:
    found = extract(
        "Xbox frontman J. Allard said the console was ready. During his speech at the Game "
        "Developers Conference Mr Allard took swipes at rivals. Mr Allard said Microsoft had "
        "to work hard, and Prime Minister Tony Blair's office said nothing. Mr Blair was away."
    )
    assert "J. Allard" in found.persons
    assert "Tony Blair" in found.persons
    assert not {"Allard", "Mr Allard", "Blair", "Tony Blair's"} & set(found.persons)


def test_a_person_is_no_organization_and_an_organization_no_person() -> None:
    found = extract("Labour leader Tony Blair met executives of BP Plc in London on Monday.")
    assert "Tony Blair" in found.persons
    assert "BP" not in found.persons
    assert "company:BP" in found.organization_kinds


# --- organization kinds -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("canonical", "written", "kind"),
    [
        ("BP", (), "company"),  # the alias table's [kinds]
        ("United Nations", ("UN",), "international"),
        ("Oxfam", (), "ngo"),
        ("Open Text", ("Open Text Corp.",), "company"),  # a legal form as written
        ("Scottish Widows Group", (), "company"),
        ("Green Party", (), "party"),
        ("Ministry of Defence", (), "government"),
        ("Daily Mail", (), "media"),
        ("Sunday Times", (), "media"),
        ("Leeds United", (), "club"),
        ("Chelsea FC", (), "club"),
        ("Wellcome Foundation", (), "ngo"),
        ("Apple", (), None),  # no evidence, no kind
        ("Microsoft", (), None),
        ("Islamic State", (), None),  # an armed group has no kind
    ],
)
def test_a_kind_only_where_there_is_evidence(
    canonical: str, written: tuple[str, ...], kind: str | None
) -> None:
    assert org_kind(canonical, written, load_aliases().kinds) == kind


def test_words_for_kinds() -> None:
    assert kind_of("Companies") == "company"
    assert kind_of("sports  club") == "club"
    assert kind_of("banana") is None


def test_an_alias_file_gives_kinds_and_refuses_an_unknown_kind(tmp_path: Path) -> None:
    good = AliasFile(tmp_path / "a.toml", '[kinds]\ncompany = ["Apple"]\n')
    assert load_aliases([good]).kinds["Apple"] == "company"
    bad = AliasFile(tmp_path / "b.toml", '[kinds]\nbank = ["Apple"]\n')
    with pytest.raises(UsageError, match=r"b\.toml, line 2: unknown kind 'bank' in \[kinds\]"):
        load_aliases([bad])


# --- the CLI on a real index ---------------------------------------------------------------------

ARTICLES = [
    {
        "id": "a1",
        "title": "Oil firms return to Iraq",
        "body": "BP Plc and Royal Dutch Shell signed contracts in Baghdad, Iraq, on Monday. "
        "Iraqi oil minister Hussain al-Shahristani met Tony Blair. Mr Blair praised the deal, "
        "and the Labour Party welcomed it. The BBC reported the signing.",
    },
    {
        "id": "a2",
        "title": "Iraq talks",
        "body": "Halliburton Co. won a contract in Basra, Iraq. Tony Blair said the Labour Party "
        "backed the plan, and Prime Minister Tony Blair's spokesman told the BBC so.",
    },
    {
        "id": "a3",
        "title": "Games show",
        "body": "Xbox frontman J. Allard said at the Game Developers Conference in San "
        "Francisco that Microsoft was ready. Mr Allard said the console was fast.",
    },
]


@pytest.fixture
def people_index(build_index: Callable[..., tuple[Path, object]]) -> Path:
    directory, _ = build_index(ARTICLES)
    return directory


def test_facets_count_people(people_index: Path) -> None:
    result = runner.invoke(
        app, ["facets", "*", "--field", "person", "--index", str(people_index), "--format", "csv"]
    )
    assert result.exit_code == 0, result.output
    rows = dict(line.rsplit(",", 1) for line in result.output.splitlines()[1:])
    assert rows["Tony Blair"] == "2"
    assert rows["J. Allard"] == "1"
    assert not {"Blair", "Allard", "Mr Allard"} & set(rows)


def test_facets_kind_company_answers_which_companies(people_index: Path) -> None:
    where = ["--index", str(people_index), "--format", "csv"]
    result = runner.invoke(
        app, ["facets", "place:Iraq", "--field", "org", "--kind", "company", *where]
    )
    assert result.exit_code == 0, result.output
    names = {line.rsplit(",", 1)[0] for line in result.output.splitlines()[1:]}
    assert {"BP", "Halliburton"} <= names
    assert not {"Labour Party", "BBC"} & names


def test_kind_needs_the_org_field_and_a_known_kind(people_index: Path) -> None:
    where = ["--index", str(people_index)]
    wrong_field = runner.invoke(
        app, ["facets", "*", "--field", "place", "--kind", "company", *where]
    )
    assert wrong_field.exit_code == int(ExitCode.USAGE), wrong_field.output
    assert "--kind needs --field org" in wrong_field.output
    unknown = runner.invoke(app, ["facets", "*", "--field", "org", "--kind", "bank", *where])
    assert unknown.exit_code == int(ExitCode.USAGE), unknown.output
    assert "use one of company, party, government, media, club, international, ngo" in (
        unknown.output
    )


def test_person_query_and_show(people_index: Path) -> None:
    where = ["--index", str(people_index)]
    blair = runner.invoke(app, ["search", 'person:"tony blair"', *where, "--format", "ids"])
    assert blair.exit_code == 0, blair.output
    assert len(blair.output.split()) == 2
    surname = runner.invoke(app, ["search", "person:Blair", *where, "--format", "ids"])
    assert sorted(surname.output.split()) == sorted(blair.output.split())  # the surname alone
    literal = runner.invoke(app, ["search", "person:=Blair", *where, "--format", "ids"])
    assert literal.exit_code == int(ExitCode.NO_RESULTS), literal.output  # := the full name only
    allard = runner.invoke(app, ["search", 'person:"J. Allard"', *where, "--format", "ids"])
    (doc_id,) = allard.output.split()
    shown = runner.invoke(app, ["show", doc_id, *where, "--no-color"])
    assert shown.exit_code == 0, shown.output
    assert "people: J. Allard" in shown.output
    as_json = runner.invoke(app, ["show", doc_id, *where, "--format", "json"])
    assert json.loads(as_json.output)["articles"][0]["persons"] == ["J. Allard"]


# --- BBC, where ../shared/data is present ---------------------------------------------------------


@pytest.mark.data
def test_bbc_allard_is_a_person_not_an_organization(
    tmp_path: Path, build_index: Callable[..., tuple[Path, object]]
) -> None:
    article = shared_data("news/bbc/docs/tech-348.txt")
    directory, _ = build_index(files={"tech-348.txt": article.read_text(encoding="utf-8")})
    where = ["--index", str(directory), "--format", "csv"]
    people = runner.invoke(app, ["facets", "*", "--field", "person", *where])
    assert people.exit_code == 0, people.output
    names = {line.rsplit(",", 1)[0] for line in people.output.splitlines()[1:]}
    assert "J. Allard" in names
    assert not {"Allard", "Mr Allard"} & names
    orgs = runner.invoke(app, ["facets", "*", "--field", "org", *where])
    assert "Allard" not in orgs.output


# --- the shell ----------------------------------------------------------------------------------


def test_shell_completes_person_values_and_shows_people(people_index: Path) -> None:
    from prompt_toolkit.completion import CompleteEvent
    from prompt_toolkit.document import Document

    from search.engine import Engine
    from search.repl.app import handle_line
    from search.repl.completer import ShellCompleter
    from search.repl.state import ShellState

    with Engine(people_index) as engine:
        state = ShellState(engine, width=100, height=40)
        event = CompleteEvent(completion_requested=True)
        offered = [
            c.text for c in ShellCompleter(state).get_completions(Document("person:to"), event)
        ]
        assert offered[:1] == ['"Tony Blair"'], offered
        out = _typed_with_tab(state, "person:J.")
        assert "Games show" in out and "1-1 of 1" in out, out  # person:J. matches nothing
        shown = handle_line(state, ":show 1")
        assert "people: J. Allard" in shown
        facets = handle_line(state, ":facets person")
        assert "J. Allard" in facets


def _typed_with_tab(state: object, text: str) -> str:
    """Type `text` and Tab into the shell through a pipe, press Enter once the completion menu
    holds the candidates (a condition, waited on with a generous bound), then :quit."""
    from prompt_toolkit.application import create_app_session
    from prompt_toolkit.input import create_pipe_input
    from prompt_toolkit.output import DummyOutput

    from search.repl.app import make_shell

    out = io.StringIO()
    with create_pipe_input() as pipe, create_app_session(input=pipe, output=DummyOutput()):
        shell = make_shell(state)  # type: ignore[arg-type]

        def typist() -> None:
            time.sleep(0.2)
            pipe.send_text(text)
            time.sleep(0.2)
            pipe.send_text("\t")
            buffer = shell.session.default_buffer
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline and not (
                buffer.complete_state and buffer.complete_state.current_completion
            ):
                time.sleep(0.05)
            pipe.send_text("\r")
            time.sleep(0.3)
            pipe.send_text(":quit\r")

        threading.Thread(target=typist, daemon=True).start()
        shell.run(out)
    return out.getvalue()


def test_an_index_without_the_new_fields_asks_for_a_rebuild(tmp_path: Path) -> None:
    from index import schema as S

    # As newsdex wrote it before people and kinds.
    directory = older_index(tmp_path / "old", (S.PERSON, S.PERSON_ALIAS, S.ORG_KIND), 4)
    for field in (["--field", "person"], ["--field", "org", "--kind", "company"]):
        result = runner.invoke(app, ["facets", "*", *field, "--index", str(directory)])
        assert result.exit_code == int(ExitCode.USAGE), result.output
        assert result.output.startswith(
            f"Error: The index at {directory} was built by another version of newsdex "
            f"(schema 4, this one writes {S.SCHEMA_VERSION}). Rebuild it with: newsdex index --index"
        ), result.output
