"""What gets indexed (issue 17): index folders never, .newsdexignore and --exclude keep files
out, and `newsdex rm PATH` sticks."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from index.ignore import IGNORE_FILE, Ignore
from index.pipeline import run
from search.cli import app

runner = CliRunner()
STORY = "{0}\n\nOfficials in Geneva said the talks on {0} would resume on Monday."


def paths_in(directory: Path) -> list[str]:
    out = runner.invoke(app, ["export", "-i", str(directory), "--fields", "path", "-f", "jsonl"])
    return sorted(json.loads(line)["path"] for line in out.stdout.splitlines())


def write(root: Path, *names: str) -> None:
    for name in names:
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(STORY.format(Path(name).stem), encoding="utf-8")


@pytest.mark.parametrize(
    ("line", "relative", "is_dir", "ignored"),
    [
        ("SOURCE.md", "SOURCE.md", False, True),
        ("SOURCE.md", "world/SOURCE.md", False, True),  # no slash: at any depth
        ("/SOURCE.md", "world/SOURCE.md", False, False),  # a leading slash anchors it
        ("*.TXT", "ORIGINAL_README.TXT", False, True),
        ("*.TXT", "story.txt", False, False),  # case counts, as in git
        ("drafts/", "drafts", True, True),
        ("drafts/", "drafts", False, False),  # a trailing slash: folders only
        ("business-*", "business-001.txt", False, True),
        ("world/*.txt", "world/a.txt", False, True),
        ("world/*.txt", "world/x/a.txt", False, False),  # * stays within a folder
        ("world/**/a.txt", "world/x/y/a.txt", False, True),
        ("# a comment", "# a comment", False, False),
    ],
)
def test_gitignore_lines(line: str, relative: str, is_dir: bool, ignored: bool) -> None:
    assert Ignore([line]).ignored(relative, is_dir) is ignored


def test_a_later_negation_brings_a_file_back() -> None:
    rules = Ignore(["*.md", "!README.md"])
    assert rules.ignored("notes.md", False) and not rules.ignored("README.md", False)


def test_the_index_folder_is_never_read_as_articles(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    write(corpus, "a.txt")
    directory = corpus / "idx"  # the index inside the folder it indexes
    run([corpus], directory, workers=1)
    again = run([corpus], directory, workers=1)
    assert paths_in(directory) == ["a.txt"]
    assert again.new == 0 and not again.skipped
    direct = run([directory], tmp_path / "other", workers=1)
    assert direct.articles == 0
    assert [s.reason for s in direct.skipped] == [
        "a newsdex index folder, not articles: give its corpus"
    ]


def test_an_ignore_file_and_exclude_globs_keep_files_out(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    write(corpus, "ORIGINAL_README.TXT", "SOURCE.md", "drafts/x.txt", "business-001.txt", "a.txt")
    (corpus / IGNORE_FILE).write_text("# not news\nORIGINAL_README.TXT\nSOURCE.md\ndrafts/\n")
    directory = tmp_path / "idx"
    result = runner.invoke(
        app, ["index", str(corpus), "-i", str(directory), "--exclude", "business-*"]
    )
    assert result.exit_code == 0, result.output
    assert paths_in(directory) == ["a.txt"]


def test_rm_of_a_path_as_printed_sticks_and_says_so(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    write(corpus, "world/iraq-001.txt", "world/iraq-002.txt", "a.txt")
    directory = tmp_path / "idx"
    run([corpus], directory, workers=1)
    result = runner.invoke(app, ["rm", "-i", str(directory), "world/iraq-001.txt"])
    assert result.exit_code == 0, result.output
    ignore = corpus.resolve() / IGNORE_FILE
    assert result.stdout.splitlines() == [
        "Removed 1 article.",
        f"Added world/iraq-001.txt to {ignore}.",
    ]
    assert ignore.read_text() == "/world/iraq-001.txt\n"
    rerun = runner.invoke(app, ["index", "-i", str(directory)])
    assert rerun.exit_code == 0, rerun.output
    assert paths_in(directory) == ["a.txt", "world/iraq-002.txt"]
