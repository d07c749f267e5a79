"""The run lock: one newsdex writer per index folder, held from before it plans until it ends.

Whoosh's own write lock is held only while a batch is written, so two runs used to plan from the
same state and both add the same files. This lock (an flock on a file in the index folder, so a
killed run never leaves it stale) covers planning, every batch, and the roots it records.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import time
from collections.abc import Iterator
from pathlib import Path

from index.errors import IndexBusy, NotAFolder

LOCK_FILE = "newsdex.lock"
POLL_S = 0.1


@contextlib.contextmanager
def run_lock(directory: Path, wait: float = 0.0) -> Iterator[None]:
    """Hold the folder's run lock (creating the folder); IndexBusy after `wait` seconds."""
    if directory.exists() and not directory.is_dir():
        raise NotAFolder(str(directory))
    directory.mkdir(parents=True, exist_ok=True)
    fd = os.open(directory / LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        deadline = time.monotonic() + max(0.0, wait)
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise IndexBusy(str(directory)) from None
                time.sleep(min(POLL_S, max(0.0, deadline - time.monotonic())) or POLL_S)
        yield
    finally:
        os.close(fd)  # closing the descriptor releases the lock
