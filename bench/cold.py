"""Cold start: a one-shot `newsdex search` as a whole process against a minimal typer + Whoosh
script, and `newsdex shell` time-to-prompt against a minimal prompt_toolkit + Whoosh prompt.

Runs alternate between the two sides so that load from other processes hits both alike.
"""

from __future__ import annotations

import re
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from bench.corpus import BENCH, ROOT
from bench.measure import child_env

COLD_QUERY = '"prime minister"'
TOP = 10  # both sides print the ids of the top 10 (minimal_search.py's limit)
# Pairs of cold runs: a process start on this machine varies by a third from one run to the
# next, so a median of a handful of pairs moved the ratio by half; 15 pairs take about 15 s.
RUNS = 15
PROMPT_TIMEOUT_S = 60.0


@dataclass(frozen=True)
class Cold:
    runs: int
    newsdex_ms: float  # median
    minimal_ms: float  # median
    newsdex_all: tuple[float, ...]
    minimal_all: tuple[float, ...]

    @property
    def ratio(self) -> float:
        return self.newsdex_ms / self.minimal_ms


def newsdex_command() -> list[str]:
    """The installed `newsdex` entry point next to this interpreter, as a user runs it."""
    script = Path(sys.executable).with_name("newsdex")
    return [str(script)] if script.exists() else [sys.executable, "-m", "search.cli"]


def _script(name: str) -> list[str]:
    """A script of bench/ run by path; -P keeps bench/ off sys.path, where bench/numbers.py would
    shadow the standard library's `numbers`."""
    return [sys.executable, "-P", str(BENCH / name)]


def cold_env(work: Path) -> dict[str, str]:
    """The measured children's environment, with bytecode caching on: an installed newsdex runs
    from .pyc files (pip compiles them; an editable install writes them on first import), so
    PYTHONDONTWRITEBYTECODE in the bench's own environment would time compiling newsdex's
    sources at every run, which the minimal scripts (one file each) barely pay."""
    env = child_env(work)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def _run_ms(command: Sequence[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, check=False)
    return (time.perf_counter() - started) * 1000


def one_shot(index_dir: Path, work: Path, runs: int, query: str = COLD_QUERY) -> Cold:
    env = cold_env(work)
    # Both print the ids of the top 10: to a pipe, `--format ids` would otherwise write every
    # match (3,785 on the 50k corpus), which is other work than the floor's.
    ours = [*newsdex_command(), "search", "--index", str(index_dir), query, "--format", "ids",
            "--limit", str(TOP)]  # fmt: skip
    floor = [*_script("minimal_search.py"), query, "--index", str(index_dir)]
    _run_ms(ours, env), _run_ms(floor, env)  # warm the page cache (and write bytecode) for both
    pairs = [(_run_ms(ours, env), _run_ms(floor, env)) for _ in range(runs)]
    return _cold(pairs)


def _cold(pairs: Sequence[tuple[float, float]]) -> Cold:
    ours, floor = [p[0] for p in pairs], [p[1] for p in pairs]
    return Cold(len(pairs), statistics.median(ours), statistics.median(floor),
                tuple(round(x, 1) for x in ours), tuple(round(x, 1) for x in floor))  # fmt: skip


def _prompt_ms(command: Sequence[str], prompt: str, env: dict[str, str]) -> float:
    """Milliseconds from spawn until `prompt` is on the terminal; then Ctrl-D, and reap it."""
    import pexpect

    started = time.perf_counter()
    child = pexpect.spawn(command[0], list(command[1:]), cwd=str(ROOT), env=env,
                          encoding="utf-8", dimensions=(40, 120))  # fmt: skip
    try:
        child.expect_exact(prompt, timeout=PROMPT_TIMEOUT_S)
        elapsed = (time.perf_counter() - started) * 1000
    finally:
        child.close(force=True)
    return elapsed


def shell_prompt(index_dir: Path, work: Path, runs: int) -> Cold:
    env = {**cold_env(work), "TERM": "xterm-256color"}
    ours = [*newsdex_command(), "shell", "--index", str(index_dir)]
    floor = [*_script("minimal_shell.py"), str(index_dir)]
    _prompt_ms(ours, "newsdex:", env), _prompt_ms(floor, "minimal>", env)
    pairs = [(_prompt_ms(ours, "newsdex:", env), _prompt_ms(floor, "minimal>", env))
             for _ in range(runs)]  # fmt: skip
    return _cold(pairs)


_IMPORT_LINE = re.compile(r"import time:\s+(\d+) \|\s+(\d+) \|( *)(\S+)")


def import_costs(index_dir: Path, work: Path, query: str = COLD_QUERY) -> dict[str, float]:
    """Cumulative import milliseconds of the top-level packages a one-shot search loads
    (`python -X importtime`), largest first; heavy ones that should be absent show as 0."""
    command = [sys.executable, "-X", "importtime", "-c", "from search.cli import main; main()",
               "search", "--index", str(index_dir), query, "--format", "ids"]  # fmt: skip
    done = subprocess.run(command, cwd=ROOT, env=cold_env(work), capture_output=True, text=True)
    costs: dict[str, float] = {}
    for line in done.stderr.splitlines():
        match = _IMPORT_LINE.match(line)
        if match and len(match.group(3)) == 1:  # a top-level import (one space of indent)
            name = match.group(4).split(".")[0]
            costs[name] = costs.get(name, 0.0) + int(match.group(2)) / 1000
    ranked = dict(sorted(costs.items(), key=lambda kv: -kv[1])[:12])
    for heavy in ("spacy", "prompt_toolkit", "rich", "typer", "whoosh"):
        ranked.setdefault(heavy, round(costs.get(heavy, 0.0), 1))
    return {name: round(ms, 1) for name, ms in ranked.items()}
