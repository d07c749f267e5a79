"""Never lose an index, never cry wolf: the run lock, safe rebuilds, damage told apart from bugs.

The slow part (subprocesses, SIGKILL) is the CI-sized crash-and-damage suite of bench.torture.
"""

from __future__ import annotations

import importlib
import json
import pickle
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest
import whoosh
from whoosh import index as windex

from bench import torture
from index import whoosh_door as door
from index.check import check_index
from index.errors import DuplicateIds, ExitCode, IndexBusy, IndexDamaged, NewsdexError
from index.lock import run_lock
from index.meta import IndexMeta
from index.pipeline import run
from search import messages
from search.engine import Engine, SearchOptions
from tests.conftest import duplicate_one_article

ARTICLES = [
    {"id": f"a{i}", "title": f"Floods {i}", "body": f"Floods in Dhaka displaced {i} people."}
    for i in range(6)
]


def count(directory: Path, query: str = "dhaka") -> int:
    with Engine(directory) as engine:
        return engine.search(query, SearchOptions(limit=100, snippets=False)).total


def test_wait_is_honoured_and_busy_is_exit_3(build_index: Callable) -> None:
    directory, _ = build_index(ARTICLES)
    with run_lock(directory):
        started = time.monotonic()
        with pytest.raises(IndexBusy) as busy:
            run([], directory, wait=1.0, workers=1)
        waited = time.monotonic() - started
    assert busy.value.exit_code == ExitCode.INDEX_BUSY
    assert 1.0 <= waited < 2.0  # the acceptance bound (N+1 s): the lock comes before extraction
    assert run([], directory, workers=1).unchanged == 1  # released: roots were recorded


def test_rebuild_swaps_in_a_complete_index_and_cleans_leftovers(
    build_index: Callable, tmp_path: Path
) -> None:
    directory, _ = build_index(ARTICLES)
    (directory / door.TEMP_DIR).mkdir()  # what killed runs leave
    (directory / door.STAGING).mkdir()
    (directory / "_MAIN_1.toc.1700000000.5").write_bytes(b"half")
    summary = run([], directory, rebuild=True, workers=1)  # no PATH: the recorded roots
    assert summary.new == 1 and count(directory) == 6
    names = {p.name for p in directory.iterdir()}
    assert not names & {door.TEMP_DIR, door.STAGING, "_MAIN_1.toc.1700000000.5"}
    assert check_index(directory).orphans == []


def test_rebuild_of_a_foreign_folder_is_refused_and_touches_nothing(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine")
    with pytest.raises(Exception, match="holds no newsdex index"):
        run([tmp_path], tmp_path, rebuild=True, workers=1)
    assert (tmp_path / "notes.txt").read_text() == "mine"


def test_changed_segment_bytes_are_damage_and_the_advised_rebuild_fixes_it(
    build_index: Callable,
) -> None:
    directory, _ = build_index(ARTICLES)
    torture.DAMAGE["flipped byte in segment"](directory)
    with pytest.raises(IndexDamaged, match="changed since it was written") as damaged:
        check_index(directory)
    assert "--rebuild" in (messages.fix(damaged.value) or "")
    run([], directory, rebuild=True, workers=1)
    assert check_index(directory).documents == 6


REPORTED = [
    {"id": f"r{i}", "title": f"Report {i}",
     "body": f"The World Food Program said {i} tons of aid reached Aleppo in Syria, and "
             f"Reuters reported that the United Nations flew over Deir al-Zor."}
    for i in range(4)
]  # fmt: skip


def _read_everything(directory: Path) -> None:
    """What the read-only commands read: facets of each field, a search, an article, stats."""
    from index.schema import FACET_FIELDS

    with Engine(directory) as engine:
        for name in FACET_FIELDS:
            engine.facets("*", name)
        found = engine.search("aid", SearchOptions(limit=10))
        for hit in found.hits:
            engine.get(hit.document.id)
        engine.stats()


def test_a_changed_byte_anywhere_in_a_segment_is_an_answer_or_damage(
    build_index: Callable, tmp_path: Path
) -> None:
    """The whole segment, byte positions at a stride: each read-only read either answers (the
    byte was not read) or says damage; any other error would reach the user as a newsdex bug.
    (A flip at one fixed position of a randomly named segment failed `facets *` once: Whoosh
    raised a bare Exception for a block tag, and TermNotFound, which no type list held.)"""
    import shutil

    directory, _ = build_index([*ARTICLES, *REPORTED])
    segment = torture._segments(directory)[0]
    size = segment.stat().st_size
    failures: list[str] = []
    for at in range(0, size, max(1, size // 300)):
        copy = tmp_path / f"flip{at}"
        shutil.copytree(directory, copy)
        data = bytearray((copy / segment.name).read_bytes())
        data[at] ^= 0xFF
        (copy / segment.name).write_bytes(bytes(data))
        try:
            _read_everything(copy)
        except NewsdexError:  # damage, or an answer such as "no article with id" for a changed id
            pass
        except Exception as exc:  # a bug's one line (exit 5): each reported with its byte
            failures.append(f"byte {at} of {size}: {type(exc).__name__}: {exc}")
        shutil.rmtree(copy)
    assert failures == [], "\n".join(failures)


def test_duplicate_ids_are_reported_by_check_and_repaired_by_index(
    build_index: Callable,
) -> None:
    directory, _ = build_index(ARTICLES)
    duplicate_one_article(directory)
    with pytest.raises(DuplicateIds) as twice:
        check_index(directory)
    assert (messages.fix(twice.value) or "").startswith("Repair it with: newsdex index")
    assert run([], directory, workers=1).updated == 1
    assert check_index(directory).documents == 6


def test_readers_never_call_a_commit_damage(build_index: Callable, tmp_path: Path) -> None:
    directory, _ = build_index(ARTICLES)
    ix, stop = windex.open_dir(str(directory)), threading.Event()

    def commits() -> None:
        while not stop.is_set():  # each commit merges, so every earlier segment file goes
            writer = ix.writer()
            writer.delete_by_term("id", "none")
            writer.commit(optimize=True)

    thread = threading.Thread(target=commits)
    thread.start()
    try:
        for _ in range(60):
            assert count(directory) == 6
            assert check_index(directory).documents == 6
    finally:
        stop.set()
        thread.join(timeout=60)


def test_an_untyped_whoosh_error_is_damage_only_when_a_segment_changed(
    build_index: Callable,
) -> None:
    """Whoosh's TermNotFound (no type list holds it): a bug's while the files are as committed,
    damage once a segment file's bytes differ from its checksum."""
    from whoosh.reading import TermNotFound

    directory, _ = build_index(ARTICLES)
    ix = windex.open_dir(str(directory))
    with ix.reader() as reader, pytest.raises(TermNotFound), door.reading(directory):
        reader.postings("body", "zzzunindexed")
    # A changed segment as its checksum sees it. (Flipping a byte of the segment itself may
    # already break opening it, depending on where its random name puts the flip.)
    sums = directory / door.SUMS_FILE
    recorded = json.loads(sums.read_text())
    sums.write_text(json.dumps(dict.fromkeys(recorded, "0" * 64)))
    changed = pytest.raises(IndexDamaged, match=r"TermNotFound reading it; .* changed since")
    with ix.reader() as reader, changed, door.reading(directory):
        reader.postings("body", "zzzunindexed")


def test_only_errors_raised_inside_whoosh_are_damage(tmp_path: Path) -> None:
    storage = door.FileStorage(str(tmp_path))
    with pytest.raises(FileNotFoundError) as inside:
        storage.open_file("MAIN_gone.seg")  # a file the index names, missing: damage
    assert door.is_damage(inside.value)
    (tmp_path / "MAIN_dir.seg").mkdir()
    with pytest.raises(IsADirectoryError) as system:
        storage.open_file("MAIN_dir.seg")  # the system refusing (like a full disk): not damage
    assert not door.is_damage(system.value)
    with pytest.raises(UnicodeEncodeError) as encoding:
        whoosh.fields.TEXT().to_bytes("\udcff")  # a non-UTF-8 query byte, inside Whoosh: input
    assert not door.is_damage(encoding.value)
    try:
        snippets: dict[str, str] = {}
        snippets["snippet"]  # a newsdex bug: raised in newsdex's own frame
    except KeyError as ours:
        assert not door.is_damage(ours)
    try:
        pickle.loads(b"garbage")
    except pickle.UnpicklingError as outside:
        assert not door.is_damage(outside)  # not while Whoosh read the index's files


def test_a_newsdex_bug_exits_5_without_rebuild_advice(
    seed_index: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    import search.cli as cli

    def bug(*args: object, **kwargs: object) -> None:
        raise KeyError("a bug planted by this test")

    monkeypatch.setattr(Engine, "search", bug)
    monkeypatch.setattr(sys, "argv", ["newsdex", "search", "floods", "--index", str(seed_index)])
    with pytest.raises(SystemExit) as ended:
        cli.main()
    assert ended.value.code == ExitCode.INTERNAL == 5
    err = capsys.readouterr().err
    assert "newsdex bug" in err and "--traceback" in err and "ebuild" not in err
    monkeypatch.setattr(
        sys, "argv", ["newsdex", "--traceback", "search", "x", "--index", str(seed_index)]
    )
    with pytest.raises(KeyError, match="planted"):
        cli.main()


def test_the_door_refuses_another_whoosh(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(whoosh, "__version__", (3, 0, 0))
    try:
        with pytest.raises(ImportError, match=r"newsdex needs Whoosh 2\.7"):
            importlib.reload(door)
    finally:
        monkeypatch.undo()
        importlib.reload(door)


# The CI-sized crash-and-damage suite (the full probe: python -m bench.torture).
def test_ten_killed_rebuilds_each_leave_an_index_that_answers(tmp_path: Path) -> None:
    tally = torture.kill_rebuilds(tmp_path, kills=10)
    assert tally.failures == [] and tally.held == 10


def test_every_damage_kind_gets_one_verdict_and_a_fix_that_works(tmp_path: Path) -> None:
    tallies = torture.damage_matrix(tmp_path)
    assert set(tallies) == set(torture.DAMAGE)
    failures = [f for t in tallies.values() for f in t.failures]
    assert failures == [], "\n".join(failures)  # whole: each run's exit code and stderr


def test_two_writers_at_once_keep_one_copy_and_both_roots(tmp_path: Path) -> None:
    tally = torture.two_writers(tmp_path)
    assert tally.failures == []
    assert len(IndexMeta.load(tmp_path / "widxFalse").roots) == 2
