"""The `path:` field and the section read from a file's place (issue 17, point 4)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from index.sections import path_section
from search.cli import app

runner = CliRunner()
STORY = "{0}\n\nOfficials in Geneva said the talks on {0} would resume on Monday."
FILES = {
    "business-001.txt": "Markets",
    "business-002.txt": "Shares",
    "politics/vote.txt": "Vote",
    "politics/drafts/memo.txt": "Memo",
    "00/story.txt": "Story",
}


@pytest.fixture
def corpus_index(build_index: Callable[..., tuple[Path, object]]) -> Path:
    files = {name: STORY.format(title) for name, title in FILES.items()}
    files["politics/dated.json"] = json.dumps(
        {"title": "Budget", "section": "Economy", "text": STORY.format("Budget")}
    )
    directory, _ = build_index(files=files)
    return directory


def paths(directory: Path, query: str) -> list[str]:
    result = runner.invoke(app, ["search", query, "-i", str(directory), "-f", "jsonl"])
    assert result.exit_code in (0, 1), result.output
    return sorted(json.loads(line)["path"] for line in result.stdout.splitlines())


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("path:politics", ["politics/dated.json", "politics/drafts/memo.txt", "politics/vote.txt"]),
        ("path:politics/*.txt", ["politics/drafts/memo.txt", "politics/vote.txt"]),  # * crosses /
        ("path:/politics/vote.txt", ["politics/vote.txt"]),  # a leading / is the root
        ("path:Business-*", ["business-001.txt", "business-002.txt"]),  # case folded
        ("path:business-00?.txt", ["business-001.txt", "business-002.txt"]),
        ("path:*.json", ["politics/dated.json"]),
        ("talks NOT path:politics", ["00/story.txt", "business-001.txt", "business-002.txt"]),
        ("path:polit", []),  # a folder is named whole, not by a prefix
    ],
)
def test_path_is_a_glob_on_the_path_relative_to_its_root(
    corpus_index: Path, query: str, expected: list[str]
) -> None:
    assert paths(corpus_index, query) == expected


def test_sections_fall_back_to_the_file_name_then_the_folder(corpus_index: Path) -> None:
    result = runner.invoke(
        app, ["facets", "*", "--field", "section", "-i", str(corpus_index), "-f", "json"]
    )
    assert result.exit_code == 0, result.output
    counts = {row["value"]: row["count"] for row in json.loads(result.stdout)["values"]}
    # the article's own section wins (Economy); 00/ holds no letter, so no section
    assert counts == {"business": 2, "politics": 1, "drafts": 1, "Economy": 1}
    assert paths(corpus_index, "section:business") == ["business-001.txt", "business-002.txt"]


@pytest.mark.parametrize(
    ("relpath", "section"),
    [
        ("business-001.txt", "business"),
        ("docs/business-001.txt", "business"),  # the file name before the folder
        ("world news_004.html", "world news"),
        ("politics/story.txt", "politics"),
        ("a/Middle East/x.md", "Middle East"),
        ("00/story.txt", ""),  # a folder of digits is no section
        ("story.txt", ""),
        ("000_822e10b602b157a7.txt", ""),
        ("covid-19.txt", ""),  # -NN is not a numbered series
    ],
)
def test_path_section_rule(relpath: str, section: str) -> None:
    assert path_section(relpath) == section


def test_an_unknown_field_hint_names_path(corpus_index: Path) -> None:
    result = runner.invoke(app, ["search", "pth:x", "--strict", "-i", str(corpus_index)])
    assert result.exit_code == 2
    assert "did you mean path:?" in result.stderr


@pytest.mark.parametrize(
    ("query", "shown"),
    [
        ("org:UN place:Syria", ["organization:un", "place:syria"]),
        ("aid NOT org:UN", ["aid", "NOT", "organization:un"]),
        ("number:>400k tons:[10 TO 30]", ["number:>400000", "ton:[10 TO 30]"]),
        ("path:Politics/*.txt", ["path:politics/*.txt"]),
        ('"deir al-zor" date:>2016-09', ['"deir al zor"', "date:>=2016-09-01"]),
    ],
)
def test_explain_shows_only_fields_a_user_can_type(query: str, shown: list[str]) -> None:
    """--explain writes the parsed query back in the query language: no internal field
    (within, org_alias), no Whoosh class names."""
    from index import schema as S
    from search.query import explain, parse

    text = explain(parse(query, S.build_schema()))
    tree = [line.strip() for line in text.split("tree:\n")[1].splitlines()]
    assert all(value in tree for value in shown), text
    internal = [S.WITHIN, S.ORG_ALIAS, "Term(", "Or(", "NumericRange"]
    assert not any(name in text for name in internal), text
