"""Keys typed while a line runs go to the next prompt, never to the pager that shows its output.

While a query runs the terminal neither echoes keys nor holds them for line editing (Ctrl-C still
interrupts); just before a pager starts, what was typed is read and kept as prompt_toolkit's
type-ahead, which the next prompt replays.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

from prompt_toolkit.input import Input
from prompt_toolkit.input.typeahead import store_typeahead

try:
    import termios
except ImportError:  # Windows: its console keeps type-ahead from a pager by itself
    termios = None  # type: ignore[assignment]


@contextmanager
def holding_keys(fd: int) -> Iterator[None]:
    """The terminal at `fd` without echo and line editing (signals kept) while inside."""
    if termios is None or not os.isatty(fd):
        yield
        return
    saved = termios.tcgetattr(fd)
    quiet = termios.tcgetattr(fd)
    quiet[3] &= ~(termios.ECHO | termios.ICANON)  # lflags; ISIG stays, so Ctrl-C interrupts
    quiet[6][termios.VMIN], quiet[6][termios.VTIME] = 1, 0
    termios.tcsetattr(fd, termios.TCSANOW, quiet)  # TCSANOW: keys already typed are kept
    try:
        yield
    finally:
        termios.tcsetattr(fd, termios.TCSANOW, saved)


def keep_typeahead(keys_from: Input) -> int:
    """Read the keys typed so far and keep them for the next prompt; how many there were."""
    keys = [*keys_from.read_keys(), *keys_from.flush_keys()]
    if keys:
        store_typeahead(keys_from, keys)
    return len(keys)
