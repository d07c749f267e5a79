"""Hostile input never stops a run: each bad file or line is skipped with its reason (file and
line), everything else is indexed, and the run exits 0. The cases are issue 13's probe findings,
each of which used to end the whole run with exit 2 and index nothing."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from search.cli import app

runner = CliRunner()
DEPTH = 100_000  # the probe's depth: far past Python's recursion limit
GOOD = {"title": "Flour reaches Aleppo", "body": "Trucks carried 21 tons of flour to Aleppo."}


def invoke(*args: str | Path, stdin: str | bytes | None = None) -> object:
    return runner.invoke(app, [str(a) for a in args], input=stdin)


def good_line(n: int) -> str:
    return json.dumps({"title": f"Good {n}", "body": f"Aid convoy {n} reached Aleppo today."})


# Each file: (name, bytes, the reason the run gives for it).
HOSTILE_FILES = {
    "deep-array": ("deep-array.json", b"[" * DEPTH + b"]" * DEPTH, "JSON nested too deeply"),
    "deep-object": (
        "deep-object.json",
        b'{"a":' * DEPTH + b"1" + b"}" * DEPTH,
        "JSON nested too deeply",
    ),
    "huge-integer": (
        "huge-int.json",
        b'{"title": "Big", "body": "Text.", "n": ' + b"9" * 100_000 + b"}",
        "bad JSON value: a number over 4,300 digits long",
    ),
}


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "good.json").write_text(json.dumps(GOOD), encoding="utf-8")
    return folder


def index(corpus: Path, tmp_path: Path) -> object:
    return invoke("index", corpus, "--index", tmp_path / "idx", "--workers", "1")


def titles(tmp_path: Path, query: str = "aleppo") -> list[str]:
    result = invoke("search", "--index", tmp_path / "idx", query, "--format", "json", "-n", "50")
    assert result.exit_code == 0, result.output
    return sorted(hit["title"] for hit in json.loads(result.stdout)["results"])


@pytest.mark.parametrize("case", sorted(HOSTILE_FILES))
def test_a_hostile_json_file_is_skipped_and_the_rest_indexed(
    corpus: Path, tmp_path: Path, case: str
) -> None:
    name, content, why = HOSTILE_FILES[case]
    (corpus / name).write_bytes(content)
    result = index(corpus, tmp_path)
    assert result.exit_code == 0, result.output
    [line] = [line for line in result.stderr.splitlines() if line.startswith("skipped")]
    assert line.startswith(f"skipped {corpus / name}: ") and why in line
    assert "1 skipped" in result.stdout
    assert titles(tmp_path) == ["Flour reaches Aleppo"]


@pytest.mark.parametrize("case", sorted(HOSTILE_FILES))
def test_a_hostile_jsonl_line_is_skipped_by_number_and_the_other_lines_indexed(
    corpus: Path, tmp_path: Path, case: str
) -> None:
    _, content, why = HOSTILE_FILES[case]
    lines = [good_line(1).encode(), content, good_line(3).encode()]
    (corpus / "feed.jsonl").write_bytes(b"\n".join(lines) + b"\n")
    result = index(corpus, tmp_path)
    assert result.exit_code == 0, result.output
    [line] = [line for line in result.stderr.splitlines() if line.startswith("skipped")]
    where = why.replace("JSON value", "JSON value on line 2").replace("deeply", "deeply on line 2")
    assert line.startswith(f"skipped {corpus / 'feed.jsonl'}: ") and where in line
    assert titles(tmp_path) == ["Flour reaches Aleppo", "Good 1", "Good 3"]


def test_a_lone_surrogate_escape_is_one_bad_character_not_a_bad_article(
    corpus: Path, tmp_path: Path
) -> None:
    # Like an invalid UTF-8 byte in a text file: replaced by U+FFFD, the article indexed.
    (corpus / "surrogate.json").write_text(
        '{"title": "Broken \\ud800 escape", "body": "Aleppo text \\udfff here."}', encoding="utf-8"
    )
    (corpus / "feed.jsonl").write_text('{"title": "Line \\udc80", "body": "Aleppo."}\n')
    result = index(corpus, tmp_path)
    assert result.exit_code == 0, result.output
    assert "0 skipped" in result.stdout
    assert titles(tmp_path) == ["Broken \ufffd escape", "Flour reaches Aleppo", "Line \ufffd"]
    shown = invoke("search", "--index", tmp_path / "idx", "escape", "--format", "jsonl")
    assert json.loads(shown.stdout)["snippet"] == "Aleppo text \ufffd here."


def test_a_file_name_that_is_not_utf8_is_skipped_and_the_folder_indexed(
    corpus: Path, tmp_path: Path
) -> None:
    bad = os.path.join(os.fsencode(corpus), b"caf\xe9.txt")  # Latin-1 "café": not UTF-8
    with open(bad, "wb") as file:
        file.write(b"Aleppo cafe\n\nA cafe in Aleppo reopened.")
    result = index(corpus, tmp_path)
    assert result.exit_code == 0, result.output
    assert (
        f"skipped {corpus}/caf\ufffd.txt: file name not UTF-8: rename the file "
        "(its bad bytes show as \ufffd), e.g. with `convmv -f latin1 -t utf8`"
    ) in result.stderr
    assert titles(tmp_path) == ["Flour reaches Aleppo"]
    again = index(corpus, tmp_path)  # the folder stays indexable while the file is there
    assert again.exit_code == 0 and "1 skipped" in again.stdout


def test_a_file_name_with_control_characters_is_skipped_and_never_printed_raw(
    corpus: Path, tmp_path: Path
) -> None:
    (corpus / "evil\x1b[2J\x07.txt").write_text("Aleppo\n\nText about Aleppo.", encoding="utf-8")
    result = index(corpus, tmp_path)
    assert result.exit_code == 0, result.output
    assert "\x1b" not in result.output and "\x07" not in result.output
    assert f"skipped {corpus}/evil\ufffd[2J\ufffd.txt: control characters" in result.stderr
    assert titles(tmp_path) == ["Flour reaches Aleppo"]


def test_every_hostile_file_at_once_leaves_the_good_ones_indexed(
    corpus: Path, tmp_path: Path
) -> None:
    for name, content, _ in HOSTILE_FILES.values():
        (corpus / name).write_bytes(content)
    with open(os.path.join(os.fsencode(corpus), b"\xff.txt"), "wb") as file:
        file.write(b"Title\n\nBody.")
    (corpus / "feed.jsonl").write_text(good_line(1) + "\n" + "[" * DEPTH + "\n", encoding="utf-8")
    result = index(corpus, tmp_path)
    assert result.exit_code == 0, result.output
    assert "5 skipped" in result.stdout
    assert titles(tmp_path) == ["Flour reaches Aleppo", "Good 1"]


# --- batch queries ----------------------------------------------------------------------------


@pytest.fixture
def idx(corpus: Path, tmp_path: Path) -> Path:
    assert index(corpus, tmp_path).exit_code == 0
    return tmp_path / "idx"


BATCH = b"q1\taleppo\nq2\tcaf\xe9 aleppo\nq3\tflour\n"  # line 2 holds a Latin-1 byte


def test_a_batch_from_stdin_goes_on_past_a_line_that_is_not_utf8(idx: Path) -> None:
    result = invoke("search", "--index", idx, "--batch", "-", stdin=BATCH)
    assert result.exit_code == 0, result.output
    assert [json.loads(line)["qid"] for line in result.stdout.splitlines()] == ["q1", "q3"]
    assert "line 2: not valid UTF-8 text; save the file as UTF-8" in result.stderr
    assert "damaged" not in result.output and "report it" not in result.output


def test_a_batch_file_goes_on_past_a_line_that_is_not_utf8(idx: Path, tmp_path: Path) -> None:
    queries = tmp_path / "queries.tsv"
    queries.write_bytes(BATCH)
    result = invoke("search", "--index", idx, "--batch", queries, "--format", "trec")
    assert result.exit_code == 0, result.output
    assert [line.split()[0] for line in result.stdout.splitlines()] == ["q1", "q3"]
    assert "line 2: not valid UTF-8 text" in result.stderr


def test_a_query_argument_that_is_not_utf8_is_a_usage_error_not_damage(idx: Path) -> None:
    result = invoke("search", "--index", idx, os.fsdecode(b"caf\xe9"))
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        "Error: argument 'caf\ufffd' is not valid UTF-8 text (\ufffd marks the bad bytes); "
        "set your terminal to UTF-8 or retype it"
    )


# --- hostile queries: bounded cost ------------------------------------------------------------


def test_did_you_mean_leaves_words_over_its_limit_alone(seed_index: Path) -> None:
    from search.didyoumean import MAX_CHARS
    from search.engine import Engine, SearchOptions

    long_word = "x" * 2000  # took 24 s through the corrector; now it is never looked up
    with Engine(seed_index) as engine:
        fixed = engine.search(f"Alepo OR {long_word}", SearchOptions(suggest=True)).suggestion
        edge = "alepp" + "o" * (MAX_CHARS - 5)  # at the limit: still corrected
        at_limit = engine.search(f"Alepo OR {edge}", SearchOptions(suggest=True)).suggestion
    assert fixed == f"Aleppo OR {long_word}"
    assert at_limit is not None and at_limit.startswith("Aleppo OR ")


def test_a_10000_letter_word_is_parsed_in_one_pass(seed_index: Path) -> None:
    """Whoosh tries its field-name taggers at every position no tagger takes; anchored at a word's
    start they fail at once inside one, so the regex engine's work is linear in the query."""
    from search.parser import _FIELD_TAG, LiteralFieldPlugin

    word = "a" * 10_000
    for pattern, field in ((_FIELD_TAG, "place:x"), (LiteralFieldPlugin.expr, "place:=x")):
        expr = re.compile(pattern)
        assert expr.match(word + ":", 5_000) is None and expr.match(field)
    from search.engine import Engine, SearchOptions

    with Engine(seed_index) as engine:
        assert engine.search(f"place:{word} {word}:x", SearchOptions(suggest=True)).total == 0


# --- issue 13's smaller findings --------------------------------------------------------------

CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def test_no_stored_field_brings_control_characters_to_the_terminal(
    corpus: Path, tmp_path: Path
) -> None:
    evil = "\x1b]0;owned\x07\x1b[2J\x9b31m"
    article = {
        "id": f"x{evil}",
        "title": f"Aleppo {evil} title",
        "section": f"World{evil}",
        "url": f"https://example.org/a{evil}b",
        "date": f"2016-02-25{evil}",
        "body": f"Aid reached Aleppo {evil} on Monday.\n\nThe UN sent 21 tons of flour{evil}.",
    }
    (corpus / "evil.json").write_text(json.dumps(article), encoding="utf-8")
    assert index(corpus, tmp_path).exit_code == 0
    idx = tmp_path / "idx"
    records = [json.loads(line) for line in invoke("export", "--index", idx).stdout.splitlines()]
    [record] = [r for r in records if r["title"].startswith("Aleppo")]
    assert not CONTROL.search(json.dumps(record, ensure_ascii=False))
    assert record["url"] == "https://example.org/a]0;owned[2J31mb"
    doc = record["id"]
    for args in (
        ("show", doc),
        ("search", "title"),
        ("search", "title", "--format", "csv"),
        ("search", "title", "--format", "jsonl"),
    ):
        result = invoke(*args, "--index", idx)
        assert result.exit_code == 0, result.output
        assert not CONTROL.search(result.stdout.replace("\n", "").replace("\t", "")), args


def test_rm_of_a_symbolic_link_inside_an_indexed_folder_removes_its_articles(
    corpus: Path, tmp_path: Path
) -> None:
    elsewhere = tmp_path / "elsewhere.txt"
    elsewhere.write_text("Damascus convoy\n\nA convoy reached Damascus.", encoding="utf-8")
    (corpus / "linked.txt").symlink_to(elsewhere)
    assert index(corpus, tmp_path).exit_code == 0
    idx = tmp_path / "idx"
    assert titles(tmp_path, "damascus") == ["Damascus convoy"]
    removed = invoke("rm", "--index", idx, corpus / "linked.txt")
    assert removed.exit_code == 0, removed.output
    assert removed.stdout.startswith("Removed 1 article.")
    assert invoke("search", "--index", idx, "damascus").exit_code == 1
    assert titles(tmp_path) == ["Flour reaches Aleppo"]


class _Payload:
    """Unpickled, it would create the marker file: the cache must never unpickle."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, tuple[str, str]]:
        return (open, (str(self.marker), "w"))


def test_the_extraction_cache_is_never_unpickled(corpus: Path, tmp_path: Path) -> None:
    import pickle
    import sqlite3

    from index.cache import CACHE_FILE
    from index.config import user_cache_dir

    assert index(corpus, tmp_path).exit_code == 0
    marker = tmp_path / "unpickled"
    payload = pickle.dumps(_Payload(marker))
    with sqlite3.connect(user_cache_dir() / CACHE_FILE) as db:
        assert db.execute("SELECT count(*) FROM entities_json").fetchone()[0] >= 1
        json.loads(db.execute("SELECT value FROM entities_json").fetchone()[0])  # JSON text
        db.execute("UPDATE entities_json SET value = ?", (payload,))
        db.execute("CREATE TABLE IF NOT EXISTS entities (key BLOB PRIMARY KEY, value BLOB)")
        db.execute("INSERT INTO entities SELECT key, ? FROM entities_json", (payload,))
    again = invoke("index", corpus, "--index", tmp_path / "idx2", "--workers", "1")
    assert again.exit_code == 0, again.output
    assert not marker.exists()
    result = invoke("search", "--index", tmp_path / "idx2", "place:Aleppo", "--format", "ids")
    assert result.exit_code == 0  # extracted again, not taken from the poisoned cache


def test_a_killed_first_run_leaves_no_false_earlier_version_note(tmp_path: Path) -> None:
    """A first run SIGKILLed after some commits used to leave no record of its extraction, and
    every later run said unchanged files kept an earlier version's entities."""
    import signal
    import subprocess
    import sys
    import time

    corpus = tmp_path / "many"
    corpus.mkdir()
    for n in range(400):
        (corpus / f"{n:03}.txt").write_text(f"Convoy {n}\n\nAid convoy {n} reached Aleppo.")
    idx = tmp_path / "idx"
    command = [sys.executable, "-c", "from search.cli import main; main()", "index", str(corpus)]
    command += ["--index", str(idx), "--workers", "1", "--commit-every", "5"]
    child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 300
    while child.poll() is None and time.monotonic() < deadline:
        if len(list(idx.glob("_MAIN_*.toc"))) and list(idx.glob("*.seg")):
            child.send_signal(signal.SIGKILL)  # after at least one commit wrote a segment
            break
        time.sleep(0.05)
    child.wait(timeout=60)
    rerun = invoke("index", corpus, "--index", idx, "--workers", "1")
    assert rerun.exit_code == 0, rerun.output
    assert "earlier version" not in rerun.output
    assert (
        invoke("search", "--index", idx, "convoy", "--format", "ids", "-n", "1000").stdout.count(
            "\n"
        )
        == 400
    )
