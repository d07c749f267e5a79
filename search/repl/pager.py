"""Printing what a shell line produced: directly when it fits the terminal, else through a pager.

The pager is $NEWSDEX_PAGER, else $PAGER, else `less` (told to keep colours and the last screen).
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
from collections.abc import Callable
from typing import TextIO

PAGER_ENV = "NEWSDEX_PAGER"
# -R keeps colours, -X leaves the last screen visible, -F quits when it all fits.
LESS_DEFAULT = "-RXF"


def pager_command() -> list[str] | None:
    """The pager to run, or None when none is installed (or it is set to an empty string)."""
    configured = os.environ.get(PAGER_ENV, os.environ.get("PAGER"))
    words = shlex.split(configured) if configured is not None else ["less"]
    if not words or shutil.which(words[0]) is None:
        return None
    return words


def fits(text: str, height: int) -> bool:
    # The prompt line stays on screen, so one line less than the terminal is available.
    return text.count("\n") < max(1, height - 1)


def show_paged(
    text: str, out: TextIO, height: int, before_pager: Callable[[], object] = lambda: None
) -> None:
    """Print `text`, through the pager when it is longer than the terminal and `out` is one;
    `before_pager` runs just before the pager starts (to keep the keys typed so far)."""
    if not text:
        return
    if not text.endswith("\n"):
        text += "\n"
    command = pager_command()
    if command is None or fits(text, height) or not out.isatty():
        out.write(text)
        out.flush()
        return
    env = dict(os.environ)
    env.setdefault("LESS", LESS_DEFAULT)
    out.flush()
    before_pager()
    try:
        subprocess.run(command, input=text, text=True, env=env, check=False)
    except KeyboardInterrupt:
        pass  # the pager was left with Ctrl-C: back to the prompt
    except OSError:
        out.write(text)
