"""Commands that compose (issue 17): streams, exit codes, several ids, stdin, export of a query."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from itertools import count
from pathlib import Path

import pytest
from typer.testing import CliRunner

from index.errors import ExitCode
from index.pipeline import run
from index.read import article_id
from search.cli import app

runner = CliRunner()
NEWSDEX = [sys.executable, "-c", "from search.cli import main; main()"]
STORY = "{title}\n\nOfficials in Geneva said the talks on {topic} would resume on Monday."


def invoke(*args: str | Path, stdin: str | None = None) -> object:
    return runner.invoke(app, [str(a) for a in args], input=stdin)


@pytest.fixture(scope="module")
def corpus_index(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """Three stories in two folders, indexed: (index, corpus root)."""
    root = tmp_path_factory.mktemp("compose") / "corpus"
    for name, topic in (("world/iraq-001.txt", "Iraq"), ("world/iraq-002.txt", "Iraq war")):
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(STORY.format(title=f"On {topic}", topic=topic), encoding="utf-8")
    (root / "business-001.txt").write_text(
        STORY.format(title="Trade", topic="trade"), encoding="utf-8"
    )
    directory = root.parent / "idx"
    run([root], directory, workers=1)
    return directory, root


def test_short_help_and_version() -> None:
    assert invoke("-h").exit_code == 0 and "Usage" in invoke("-h").stdout
    assert invoke("search", "-h").exit_code == 0
    version = invoke("--version")
    assert version.exit_code == 0 and version.stdout.startswith("newsdex ")


def test_index_option_before_or_after_the_command(corpus_index: tuple[Path, Path]) -> None:
    idx, _ = corpus_index
    before = invoke("--index", idx, "search", "trade", "--format", "ids")
    after = invoke("search", "trade", "--index", idx, "--format", "ids")
    assert before.exit_code == 0, before.output
    assert before.stdout == after.stdout and before.stdout.strip()


def test_search_joins_words_and_reads_stdin(corpus_index: tuple[Path, Path]) -> None:
    idx, _ = corpus_index
    joined = invoke("search", "-i", idx, "Iraq", "war", "-f", "json")
    quoted = invoke("search", "-i", idx, "Iraq war", "-f", "json")
    piped = invoke("search", "-i", idx, "-", "-f", "json", stdin="Iraq war\n")
    assert joined.exit_code == 0, joined.output
    assert json.loads(joined.stdout) == json.loads(quoted.stdout) == json.loads(piped.stdout)
    assert json.loads(piped.stdout)["query"] == "Iraq war"


@pytest.mark.parametrize("fmt", ["table", "json", "jsonl", "csv", "ids"])
def test_messages_go_to_stderr_in_every_format(corpus_index: tuple[Path, Path], fmt: str) -> None:
    idx, _ = corpus_index
    typo = invoke("search", "-i", idx, "Genva", "-f", fmt)
    assert typo.exit_code == ExitCode.NO_RESULTS
    assert "Did you mean: Geneva" in typo.stderr and "Did you mean" not in typo.stdout
    assert "No articles match 'Genva'." in typo.stderr
    field = invoke("search", "-i", idx, "plce:Geneva", "-f", fmt)
    assert "Note: plce: is no field (did you mean place:?)" in field.stderr
    if fmt != "json":  # json carries the note as data, in its envelope
        assert "plce" not in field.stdout


def test_page_past_the_end_says_so_and_exits_1(corpus_index: tuple[Path, Path]) -> None:
    idx, _ = corpus_index
    result = invoke("search", "-i", idx, "Geneva", "--page", "100")
    assert result.exit_code == ExitCode.NO_RESULTS
    assert result.stdout == ""
    assert result.stderr.strip() == (
        "Page 100 is past the last page (1 page of 3 articles). Use --page 1 or less"
    )


@pytest.mark.parametrize("fmt", ["table", "json", "jsonl", "csv", "ids"])
@pytest.mark.parametrize("command", [["search", "Geneva"], ["show", "-"], ["export"], ["stats"]])
def test_a_closed_pipe_exits_0_silently(
    corpus_index: tuple[Path, Path], fmt: str, command: list[str]
) -> None:
    idx, _ = corpus_index
    if command == ["export"] and fmt == "table":
        return  # export writes no table (its --help says which formats it writes)
    ids = invoke("search", "-i", idx, "Geneva", "-f", "ids").stdout
    args = [*NEWSDEX, *command, "--index", str(idx), "--format", fmt]
    proc = subprocess.Popen(
        args, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    assert proc.stdout is not None and proc.stdin is not None and proc.stderr is not None
    proc.stdout.close()  # the reader is gone before newsdex writes a byte (`| head -0`)
    proc.stdin.write(ids.encode())
    proc.stdin.close()
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=120) == 0, err
    assert err == ""


def test_show_takes_several_ids_prefixes_paths_and_stdin(
    corpus_index: tuple[Path, Path],
) -> None:
    idx, root = corpus_index
    ids = invoke("search", "-i", idx, "Iraq", "--sort", "date", "-f", "ids").stdout.split()
    assert len(ids) == 2
    several = invoke("show", "-i", idx, ids[0], ids[1][:8], "-f", "jsonl")
    assert several.exit_code == 0, several.output
    assert [json.loads(line)["id"] for line in several.stdout.splitlines()] == ids
    piped = invoke("show", "-i", idx, "-", "-f", "ids", stdin="\n".join(ids) + "\n")
    assert piped.stdout.split() == ids
    printed = json.loads(invoke("show", "-i", idx, ids[0], "-f", "json").stdout)[0]["path"]
    by_path = invoke("show", "-i", idx, printed, "-f", "ids")
    assert by_path.stdout.split() == [ids[0]]
    absolute = invoke("show", "-i", idx, root / printed, "-f", "ids")
    assert absolute.stdout.split() == [ids[0]]
    missing = invoke("show", "-i", idx, "nope/none.txt")
    assert missing.exit_code == ExitCode.NO_RESULTS
    assert "No article with id 'nope/none.txt'" in missing.stderr


def test_an_ambiguous_prefix_lists_the_candidates(tmp_path: Path) -> None:
    root = (tmp_path / "corpus").resolve()
    root.mkdir()
    seen: dict[str, str] = {}
    for i in count():  # two file names whose ids share their first three characters
        name = f"a{i}.txt"
        prefix = article_id(str(root / name), None)[:3]
        if prefix in seen:
            break
        seen[prefix] = name
    for chosen in (seen[prefix], name):
        (root / chosen).write_text(STORY.format(title=chosen, topic="aid"), encoding="utf-8")
    run([root], tmp_path / "idx", workers=1)
    result = invoke("show", "-i", tmp_path / "idx", prefix)
    assert result.exit_code == ExitCode.USAGE
    ids = sorted(article_id(str(root / n), None) for n in (seen[prefix], name))
    assert result.stderr.strip() == (
        f"Error: 2 articles have an id starting with {prefix!r}: {', '.join(ids)}. "
        "Give more characters of the id"
    )


def test_export_a_query_with_chosen_fields(corpus_index: tuple[Path, Path]) -> None:
    idx, _ = corpus_index
    result = invoke("export", "-i", idx, "Iraq", "--fields", "id,title,body", "-f", "csv")
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len(rows) == 2 and set(rows[0]) == {"id", "title", "body"}
    assert all("Geneva" in row["body"] for row in rows)
    everything = invoke("export", "-i", idx, "-f", "jsonl").stdout.splitlines()
    assert len(everything) == 3 and "body" not in json.loads(everything[0])
    wrong = invoke("export", "-i", idx, "--fields", "id,colour")
    assert wrong.exit_code == ExitCode.USAGE
    assert "colour is not a column; use some of id, path, title" in wrong.stderr


def test_option_errors_name_the_accepted_values(corpus_index: tuple[Path, Path]) -> None:
    idx, _ = corpus_index
    fmt = invoke("search", "-i", idx, "aid", "-f", "yaml")
    assert fmt.exit_code == ExitCode.USAGE
    assert "Value error" not in fmt.stderr
    assert "'yaml' is not accepted; use one of table, json, jsonl, csv, ids" in fmt.stderr
    date = invoke("search", "-i", idx, "aid", "--since", "2004-13")
    assert date.exit_code == ExitCode.USAGE
    assert date.stderr.strip() == (
        "Error: --since/--until '2004-13' is not a date (month must be in 1..12): "
        "write it as 2016, 2016-02 or 2016-02-10"
    )
