"""The one-shot commands through typer's CliRunner: the seed story, formats, errors, exit codes."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from search.cli import app

runner = CliRunner()
SEED_TITLE = "Syrian army recaptures strategic town southeast of Aleppo"


def invoke(*args: str | Path) -> object:
    return runner.invoke(app, [str(a) for a in args])


@pytest.mark.parametrize(
    "query",
    [
        "place:Aleppo",
        'place:"Deir al-Zor"',
        "place:Syria",
        'org:"World Food Program"',
        "org:UN",
        'org:"United Nations"',
        "number:[400000 TO 500000]",
        "number:[1e6 TO 2e6]",
        "number:>1000000",
        "number:>400000",
        "tons:>=20",
        "km:<100",
        'section:"Middle East"',
        "airdrop aid",
        '"humanitarian aid"',
    ],
)
def test_seed_story_finds_the_seed_article(seed_index: Path, query: str) -> None:
    result = invoke("search", "--index", seed_index, query, "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["total"] == 1
    assert data["results"][0]["title"] == SEED_TITLE


@pytest.mark.parametrize(
    "query",
    ["Adblock", '"Back to top"', "Related Articles", "ad blocker", '"disabling your"', "consider"],
)
def test_boilerplate_is_never_indexed(seed_index: Path, query: str) -> None:
    result = invoke("search", "--index", seed_index, query, "--format", "jsonl")
    assert result.exit_code == 1, result.output
    assert result.stdout == ""


def test_search_table_is_plain_when_piped(seed_index: Path) -> None:
    result = invoke("search", "--index", seed_index, "airdrop")
    assert result.exit_code == 0, result.output
    assert "\x1b[" not in result.stdout
    assert "Syrian army recaptures" in result.stdout  # the title, wrapped at the table's width
    assert "**" not in result.stdout  # highlight marks become style, or vanish when plain
    assert "airdrop" in result.stdout.lower()


def test_search_formats_carry_the_export_fields(seed_index: Path) -> None:
    result = invoke("search", "--index", seed_index, "aid", "--format", "jsonl")
    assert result.exit_code == 0, result.output
    record = json.loads(result.stdout.splitlines()[0])
    for key in ("id", "path", "title", "section", "date", "places", "countries", "organizations"):
        assert key in record
    assert {"rank", "score", "snippet"} <= set(record)
    marks = [record["snippet"][start:end].lower() for start, end in record["match_spans"]]
    assert "aid" in marks
    assert record["section"] == "Middle East"
    assert record["path"] == "000_822e10b602b157a7.txt"

    ids = invoke("search", "--index", seed_index, "aid", "--format", "ids")
    assert ids.stdout.strip() == record["id"]

    table = invoke("search", "--index", seed_index, "aid", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(table.stdout)))
    assert rows[0]["id"] == record["id"]
    assert "Aleppo" in rows[0]["places"]


def test_show_lists_entities_and_numbers(seed_index: Path) -> None:
    doc_id = invoke("search", "--index", seed_index, "Khanaser", "--format", "ids").stdout.strip()
    result = invoke("show", "--index", seed_index, doc_id, "--format", "json")
    assert result.exit_code == 0, result.output
    [doc] = json.loads(result.stdout)["articles"]
    assert "Aleppo" in doc["places"]
    assert (
        "World Food Programme" in doc["organizations"]
        or "World Food Program" in doc["organizations"]
    )
    values = {(n["value"], n["unit"]) for n in doc["numbers"]}
    assert (470000.0, "people") in values
    assert (21.0, "ton") in values
    assert "Related Articles" not in doc["body"]

    table = invoke("show", "--index", seed_index, doc_id[:6])
    assert table.exit_code == 0, table.output
    assert "Aleppo" in table.stdout and "21" in table.stdout


def test_stats_and_export(seed_index: Path) -> None:
    stats = invoke("stats", "--index", seed_index, "--format", "json")
    assert stats.exit_code == 0, stats.output
    data = json.loads(stats.stdout)  # one object, as the shell writes it
    assert data["documents"] == 1
    assert data["size_bytes"] > 0
    assert any(p["name"] == "Aleppo" for p in data["top_places"])

    export = invoke("export", "--index", seed_index)
    assert export.exit_code == 0, export.output
    lines = [json.loads(line) for line in export.stdout.splitlines()]
    assert len(lines) == 1
    assert set(lines[0]) >= {
        "id",
        "path",
        "title",
        "section",
        "date",
        "places",
        "countries",
        "organizations",
        "numbers",
    }
    assert all({"value", "unit", "text"} <= set(n) for n in lines[0]["numbers"])


def test_missing_index_says_how_to_create_one(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere"
    result = invoke("search", "--index", missing, "aid")
    assert result.exit_code == 4
    assert result.stderr.strip() == (
        f"Error: No index at {missing}. Create one with: newsdex index PATH --index {missing}"
    )
    assert "Traceback" not in result.output


@pytest.mark.parametrize(
    "query", ["U.S.", "20.04", "POL-358", '"', "(", "aid AND", "place:", "O'Brien", "al-Nusra", ")"]
)
def test_punctuation_never_crashes_a_query(seed_index: Path, query: str) -> None:
    result = invoke("search", "--index", seed_index, query, "--format", "json")
    assert result.exit_code in (0, 1), result.output
    json.loads(result.stdout)


def test_strict_names_position_and_hint(seed_index: Path) -> None:
    result = invoke("search", "--index", seed_index, '"humanitarian aid', "--strict")
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: Query error at character 1: unmatched quote")
    assert "Quote phrases" in result.stderr


def test_explain_prints_the_parsed_query(seed_index: Path) -> None:
    result = invoke(
        "search", "--index", seed_index, "place:Aleppo tons:>=20", "--explain", "--format", "ids"
    )
    assert result.exit_code == 0, result.output
    assert "place" in result.stderr and "ton" in result.stderr
    assert "fields searched" in result.stderr


def test_explain_and_the_search_read_the_query_once(
    seed_index: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """--explain prints the ParsedQuery the search then runs: the text is parsed once."""
    import search.engine

    texts: list[str] = []
    real = search.engine.parse

    def counted(text: str, *args: object, **kwargs: object) -> object:
        texts.append(text)
        return real(text, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(search.engine, "parse", counted)
    result = invoke("search", "--index", seed_index, "place:Aleppo", "--explain", "-f", "json")
    assert result.exit_code == 0, result.output
    assert "fields searched" in result.stderr and json.loads(result.stdout)["total"] >= 1
    assert texts == ["place:Aleppo"]


def test_help_documents_exit_codes_and_index_default() -> None:
    result = invoke("--help")
    assert result.exit_code == 0
    assert "Exit codes" in result.stdout and "130 interrupted" in result.stdout
    search_help = invoke("search", "--help")
    assert "NEWSDEX_INDEX" in search_help.stdout


@pytest.mark.parametrize(
    "command",
    [
        "index",
        "search",
        "similar",
        "facets",
        "show",
        "stats",
        "export",
        "rm",
        "check",
        "aliases",
        "shell",
    ],
)
def test_every_command_help_shows_examples(command: str) -> None:
    result = invoke(command, "--help")
    assert result.exit_code == 0, result.output
    assert "Examples:" in result.stdout and f"newsdex {command}" in result.stdout


def test_index_a_missing_path_is_a_usage_error(tmp_path: Path) -> None:
    result = invoke("index", tmp_path / "nowhere", "--index", tmp_path / "idx")
    assert result.exit_code == 2
    assert "no such file or folder" in result.output
    assert not (tmp_path / "idx").exists()


def test_a_file_that_yields_nothing_is_skipped_not_new(tmp_path: Path) -> None:
    (tmp_path / "bin.txt").write_bytes(b"\x00\x01\x02binary")
    result = invoke("index", tmp_path / "bin.txt", "--index", tmp_path / "idx")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("Indexed: 0 new, 0 updated, 0 removed, 0 unchanged, 1 skipped")
    assert "skipped" in result.stderr and "binary file" in result.stderr


def test_csv_has_its_header_even_without_results(seed_index: Path) -> None:
    empty = invoke("search", "--index", seed_index, "Adblock", "--format", "csv")
    full = invoke("search", "--index", seed_index, "aid", "--format", "csv")
    assert empty.exit_code == 1
    assert empty.stdout.splitlines() == full.stdout.splitlines()[:1]


def test_a_bad_option_or_value_is_one_line(tmp_path: Path) -> None:
    for args in (
        ["search", "x", "--limit", "abc"],
        ["serch", "x"],
        ["index", str(tmp_path / "no")],
    ):
        result = CliRunner().invoke(app, args)
        assert result.exit_code == 2, (args, result.output)
        lines = result.output.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("Error: "), (args, lines)
        assert "--help)" in lines[0]


@pytest.mark.parametrize("fmt", ["table", "json", "ids"])
def test_a_part_left_out_of_the_search_is_said(seed_index: Path, fmt: str) -> None:
    # `number:>abc` cannot be read: the search runs without it, so it is wider than asked, and
    # says so with the fix (--strict stops on it instead).
    result = invoke("search", "--index", seed_index, "airdrop number:>abc", "--format", fmt)
    assert result.exit_code == 0
    note = (
        "left out of the search: Range start 'abc' is not a valid number "
        "(numbers as 400000, 400,000 or 400k)"
    )
    assert f"Note: {note}" in result.stderr
    if fmt == "json":
        assert json.loads(result.stdout)["note"] == note
    strict = invoke("search", "--index", seed_index, "airdrop number:>abc", "--strict")
    assert strict.exit_code == 2 and "'abc' is not a valid number" in strict.stderr
