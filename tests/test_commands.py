"""The commands beyond search: facets, similar, did-you-mean, dates, batch, rm, check, aliases."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from search.cli import app

runner = CliRunner()

ARTICLES = [
    {
        "id": "1",
        "title": "Shelling in Aleppo",
        "date": "2016-02-10",
        "section": "Middle East",
        "body": "Shelling hit Aleppo and Idlib as the United Nations called for a truce in Syria.",
    },
    {
        "id": "2",
        "title": "Aid reaches Damascus",
        "date": "2016-09-15",
        "section": "Middle East",
        "body": "A UN convoy brought food to Damascus and to Aleppo, the World Food Programme said.",
    },
    {
        "id": "3",
        "title": "Markets rally in London",
        "date": "2015-05-01",
        "section": "Business",
        "body": "Shares rose in London and Frankfurt after the European Central Bank kept rates.",
    },
]


def invoke(*args: str | Path, stdin: str | None = None) -> object:
    return runner.invoke(app, [str(a) for a in args], input=stdin)


@pytest.fixture
def idx(build_index: Callable) -> Path:
    directory, _ = build_index(ARTICLES)
    return directory


def test_facets_count_the_whole_result_set(idx: Path) -> None:
    result = invoke("facets", "--index", idx, "*", "--field", "place", "--format", "json")
    assert result.exit_code == 0, result.output
    counts = {r["value"]: r["count"] for r in json.loads(result.stdout)}
    assert counts["Aleppo"] == 2
    assert counts["London"] == 1
    one = invoke("facets", "--index", idx, "*", "--field", "org", "-n", "1", "--format", "jsonl")
    assert len(one.stdout.splitlines()) == 1
    section = invoke("facets", "--index", idx, "aleppo", "--field", "section", "--format", "csv")
    assert section.stdout.splitlines() == ["value,count", "Middle East,2"]
    bad = invoke("facets", "--index", idx, "*", "--field", "body")
    assert bad.exit_code == 2


def test_facets_skip_articles_without_a_value(build_index: Callable) -> None:
    bare = {"id": "4", "title": "Quarterly results", "body": "Profits rose twelve percent."}
    directory, _ = build_index([*ARTICLES, {**ARTICLES[0], "id": "5", "section": ""}, bare])
    for field in ("place", "section", "region", "organization"):
        result = invoke("facets", "--index", directory, "*", "--field", field, "--format", "json")
        assert result.exit_code == 0, (field, result.output)
        assert all(r["value"] and r["value"] != "None" for r in json.loads(result.stdout))
    places = invoke("facets", "--index", directory, "*", "--field", "place", "--format", "json")
    assert {r["value"]: r["count"] for r in json.loads(places.stdout)}["Aleppo"] == 3


def test_did_you_mean(idx: Path) -> None:
    result = invoke("search", "--index", idx, "Alepo", "--format", "json")
    assert result.exit_code == 1
    assert json.loads(result.stdout)["suggestion"] == "Aleppo"
    field = invoke("search", "--index", idx, "place:Damscus", "--format", "json")
    assert json.loads(field.stdout)["suggestion"] == "place:Damascus"
    table = invoke("search", "--index", idx, "Alepo")
    assert "Did you mean: Aleppo" in table.stderr
    off = invoke("search", "--index", idx, "Alepo", "--no-suggest", "--format", "json")
    assert json.loads(off.stdout)["suggestion"] is None


def test_similar_prefers_shared_places_and_words(idx: Path) -> None:
    first = invoke("search", "--index", idx, "title:Shelling", "--format", "ids").stdout.strip()
    result = invoke("similar", "--index", idx, first, "--format", "json")
    assert result.exit_code == 0, result.output
    titles = [r["title"] for r in json.loads(result.stdout)["results"]]
    assert titles[0] == "Aid reaches Damascus"
    assert "Shelling in Aleppo" not in titles


def test_dates_filter_and_sort(idx: Path) -> None:
    def titles(*args: str) -> list[str]:
        out = invoke("search", "--index", idx, *args, "--format", "json").stdout
        return [r["title"] for r in json.loads(out)["results"]]

    assert titles("date:2016", "--sort", "date") == ["Shelling in Aleppo", "Aid reaches Damascus"]
    assert titles("date:>2016-09-01") == ["Aid reaches Damascus"]
    assert titles("date:[2016-01 TO 2016-06]") == ["Shelling in Aleppo"]
    assert titles("*", "--since", "2016-03", "--sort", "-date") == ["Aid reaches Damascus"]
    assert titles("*", "--until", "2015", "--sort", "date") == ["Markets rally in London"]
    bad = invoke("search", "--index", idx, "*", "--since", "notadate")
    assert bad.exit_code == 2
    assert bad.output.strip().splitlines()[-1].startswith("Error: --since 'notadate' is not a date")


def test_batch_runs_every_line_and_reports_bad_ones(idx: Path) -> None:
    lines = "q1\tplace:Aleppo\nq2\tLondon\n\n# comment\nq3\tnumber:abc\n"
    result = invoke("search", "--index", idx, "--batch", "-", "--strict", stdin=lines)
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["qid"] for r in rows] == ["q1", "q1", "q2"]
    assert set(rows[0]) == {"qid", "rank", "id", "path", "score", "title"}
    assert "line 5: Query error" in result.stderr
    trec = invoke("search", "--index", idx, "--batch", "-", "--format", "trec", stdin="London\n")
    qid, q0, _doc, rank, _score, tag = trec.stdout.split()
    assert (qid, q0, rank, tag) == ("1", "Q0", "1", "newsdex")


def test_rm_and_check(idx: Path, tmp_path: Path) -> None:
    doc = invoke("search", "--index", idx, "London", "--format", "ids").stdout.strip()
    assert invoke("rm", "--index", idx, doc).stdout.strip() == "Removed 1 article."
    assert invoke("search", "--index", idx, "London").exit_code == 1
    assert invoke("rm", "--index", idx, "no-such-id").exit_code == 1
    check = invoke("check", "--index", idx)
    assert check.exit_code == 0, check.output
    assert check.stdout.startswith("Index OK: 2 documents")
    removed = invoke("rm", "--index", idx, tmp_path / "corpus")
    assert removed.stdout.strip() == "Removed 2 articles."


def test_damaged_index_says_how_to_fix(idx: Path) -> None:
    for seg in idx.glob("*.seg"):
        seg.write_bytes(seg.read_bytes()[:200])
    for command in (("check",), ("search", "aleppo"), ("stats",)):
        result = invoke(command[0], "--index", idx, *command[1:])
        assert result.exit_code == 4, (command, result.output)
        assert "is damaged" in result.stderr and "--rebuild" in result.stderr
        assert "Traceback" not in result.output


def test_not_an_index_and_empty_dir(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    result = invoke("search", "--index", tmp_path / "empty", "aid")
    assert result.exit_code == 4
    assert "No index at" in result.stderr


def test_aliases_lists_and_checks_the_user_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "config.toml"
    config.write_text('[aliases]\n"Syrian Observatory for Human Rights" = ["SOHR"]\n')
    monkeypatch.setenv("NEWSDEX_CONFIG", str(config))
    result = invoke("aliases", "--format", "json")
    assert result.exit_code == 0, result.output
    table = {r["name"]: r["aliases"] for r in json.loads(result.stdout)}
    assert "SOHR" in table["Syrian Observatory for Human Rights"]
    assert "UN" in table["United Nations"]
    config.write_text("[aliases\n")
    bad = invoke("aliases")
    assert bad.exit_code == 2
    assert str(config) in bad.stderr


def test_dateline_dates_from_the_text(build_index: Callable) -> None:
    body = "BEIRUT, Feb. 22, 2016 (AP) — Talks resumed in Geneva. In 2011 the war began."
    directory, _ = build_index(files={"story.txt": f"Talks resume\n\n{body}\n"})
    result = invoke("search", "--index", directory, "date:2016-02", "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["results"][0]["date"] == "2016-02-22"


def test_regions_outside_the_us_are_searchable(build_index: Callable) -> None:
    directory, _ = build_index(
        [
            {"id": "m", "title": "Rain", "body": "Heavy rain flooded streets in Manchester."},
            {"id": "b", "title": "Beer", "body": "Crowds filled the beer tents of Munich."},
        ]
    )
    england = invoke("search", "--index", directory, "region:England", "--format", "json")
    assert england.exit_code == 0, england.output
    assert [h["title"] for h in json.loads(england.stdout)["results"]] == ["Rain"]
    bavaria = invoke("search", "--index", directory, "place:Bavaria", "--format", "json")
    [hit] = json.loads(bavaria.stdout)["results"]
    assert hit["title"] == "Beer"


def test_an_organization_is_found_with_or_without_its_final_dot(build_index: Callable) -> None:
    firm = {
        "id": "9",
        "title": "Software deal",
        "body": "Shares rose after the deal was signed by Open Text Corp. On Tuesday analysts "
        "said Open Text would gain.",
    }
    directory, _ = build_index([firm])
    for query in ('org:"Open Text Corp."', 'org:"Open Text Corp"', 'org:"Open Text"'):
        result = invoke("search", "--index", directory, query, "--format", "ids")
        assert len(result.stdout.split()) == 1, (query, result.output)


def test_an_unknown_field_is_named_and_refused_under_strict(idx: Path) -> None:
    loose = invoke("search", "--index", idx, "plce:Aleppo", "--format", "json")
    assert (
        json.loads(loose.stdout)["note"]
        == "plce: is no field (did you mean place:?); read as words"
    )
    table = invoke("search", "--index", idx, "plce:Aleppo")
    assert "did you mean place:?" in table.stderr
    strict = invoke("search", "--index", idx, "plce:Aleppo", "--strict")
    assert strict.exit_code == 2
    assert "plce: is no field (did you mean place:?)" in strict.output
    fine = invoke("search", "--index", idx, "place:Aleppo", "--strict", "--format", "json")
    assert fine.exit_code == 0 and json.loads(fine.stdout)["note"] is None


def test_a_country_is_found_by_any_of_its_names(idx: Path) -> None:
    def ids(query: str) -> list[str]:
        return invoke("search", "--index", idx, query, "--format", "ids").stdout.split()

    london = ids('country:"United Kingdom"')
    assert len(london) == 1
    for query in ("country:UK", "country:Britain", "place:UK", "place:Britain", "country:U.K."):
        assert ids(query) == london, query
    assert ids("place:=UK") == []  # literal: the name as the article wrote it
    assert len(ids("country:USA")) == 0 and len(ids("country:Syria")) == 2
