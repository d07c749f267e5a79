"""A write the file system refuses (full disk, read-only, a file size limit): one line, exit 6,
what was committed before it kept and counted, and the same command finishes once there is room.

The size limit (RLIMIT_FSIZE, EFBIG) runs everywhere; a real full and read-only tmpfs runs
where this user may mount one (root on Linux) and is skipped with the reason elsewhere.
"""

from __future__ import annotations

import os
import re
import resource
import signal
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from index.errors import ExitCode
from search.engine import Engine, SearchOptions

NEWSDEX = [sys.executable, "-c", "from search.cli import main; main()"]
PARAGRAPH = (
    "Negotiators met in Geneva on Tuesday to discuss the ceasefire {n}, officials said, while "
    "aid agencies warned that {n},000 people still lacked food and clean water. "
)
ARTICLES = 120


def make_corpus(root: Path) -> Path:
    root.mkdir()
    for i in range(ARTICLES):
        text = f"Report {i}\n\n" + PARAGRAPH.format(n=i) * 6
        (root / f"a{i:03}.txt").write_text(text, encoding="utf-8")
    return root


def newsdex(*args: object, limit: int | None = None) -> subprocess.CompletedProcess[str]:
    def limited() -> None:
        if limit is not None:  # a file grown past `limit` bytes: EFBIG, not a killing signal
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
            resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return subprocess.run(
        [*NEWSDEX, *map(str, args)],
        capture_output=True,
        text=True,
        timeout=600,
        preexec_fn=limited,
    )


def searchable(directory: Path) -> int:
    with Engine(directory) as engine:
        return engine.search("geneva", SearchOptions(limit=1, snippets=False)).total


def kept_count(stderr: str) -> int:
    found = re.search(r"; ([\d,]+) article\(s\) of this run were committed and are kept", stderr)
    assert found, stderr
    return int(found.group(1).replace(",", ""))


def test_a_size_limit_mid_run_keeps_what_was_committed(tmp_path: Path) -> None:
    corpus, directory = make_corpus(tmp_path / "corpus"), tmp_path / "idx"
    run = ["index", corpus, "--index", directory, "--workers", "1", "--commit-every", "10"]
    refused = newsdex(*run, "--no-cache", limit=128 * 1024)
    assert refused.returncode == ExitCode.WRITE_REFUSED, refused.stderr
    line = refused.stderr.strip()
    assert "\n" not in line and "Traceback" not in line
    assert line.startswith(f"Error: Cannot write to {directory}: File too large;")
    assert "ulimit -f" in line and "then run the same command again" in line
    committed = kept_count(line)
    assert 0 < committed < ARTICLES  # some commits went in before the limit was reached
    assert searchable(directory) == committed  # exactly what the message says, no more, no less
    assert newsdex("check", "--index", directory).returncode == 0

    again = newsdex(*run)  # room again: the same command goes on from what was kept
    assert again.returncode == 0, again.stderr
    assert searchable(directory) == ARTICLES


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Callable[[str], None]]:
    """A 1.5 MB tmpfs at tmp_path/disk; the callable remounts it with the given options."""
    disk = tmp_path / "disk"
    disk.mkdir()
    if os.geteuid() != 0:
        pytest.skip("mounting a small tmpfs needs root (the size-limit test covers the rest)")
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1500k", "tmpfs", str(disk)])
    if mounted.returncode != 0:
        pytest.skip("this machine does not let root mount a tmpfs (a container without it)")

    def remount(options: str) -> None:
        subprocess.run(["mount", "-o", f"remount,{options}", str(disk)], check=True)

    try:
        yield remount
    finally:
        subprocess.run(["umount", "-l", str(disk)])


def test_a_full_disk_then_a_read_only_one(
    tmp_path: Path, small_disk: Callable[[str], None]
) -> None:
    corpus, directory = make_corpus(tmp_path / "corpus"), tmp_path / "disk" / "idx"
    run = ["index", corpus, "--index", directory, "--workers", "1", "--commit-every", "10"]
    full = newsdex(*run, "--no-cache")
    assert full.returncode == ExitCode.WRITE_REFUSED, full.stderr
    assert "No space left on device" in full.stderr and "Free some space" in full.stderr
    committed = kept_count(full.stderr)
    assert searchable(directory) == committed

    small_disk("ro")
    for command in (run, ["rm", "a001.txt", "--index", directory]):
        refused = newsdex(*command)
        assert refused.returncode == ExitCode.WRITE_REFUSED, refused.stderr
        assert "Read-only file system" in refused.stderr and "remount it writable" in refused.stderr
        assert refused.stderr.count("\n") == 1
    assert searchable(directory) == committed  # reading a read-only index works

    small_disk("rw,size=20m")
    again = newsdex(*run)
    assert again.returncode == 0, again.stderr
    assert searchable(directory) == ARTICLES
