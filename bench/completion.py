"""Shell completion latency on a kept index: the shell's own completer, timed per keystroke.

Run: python -m bench.completion [--index bench/work/50k/index-newsdex-e2e]. Writes
bench/results/completion-<index name>.json and .md. Issue 8's target: under 50 ms on 50k articles.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from prompt_toolkit.completion import CompleteEvent
from prompt_toolkit.document import Document

from bench.corpus import WORK, write_results
from bench.speed import code_state, machine
from search.engine import Engine
from search.repl.completer import ShellCompleter
from search.repl.state import ShellState

TARGET_MS = 50.0
# What a user types, a keystroke at a time: every prefix of each line is completed.
LINES = (
    "place:Aleppo",
    "place:Lon",
    'org:"World F',
    "org:Unit",
    "country:Syr",
    "region:Eng",
    "section:bus",
    "aid AND place:Man",
    "place:Londno",  # a typo: the fuzzy fallback
    "pla",
    ":sh",
)
ROUNDS = 3


def keystrokes() -> list[str]:
    return [line[:n] for line in LINES for n in range(1, len(line) + 1)]


def time_completions(state: ShellState, texts: Sequence[str]) -> list[float]:
    completer = ShellCompleter(state)
    event = CompleteEvent(text_inserted=True)
    timings = []
    for text in texts:
        started = time.perf_counter()
        list(completer.get_completions(Document(text), event))
        timings.append((time.perf_counter() - started) * 1000)
    return timings


def measure(index: Path) -> dict[str, Any]:
    texts = keystrokes()
    with Engine(index) as engine:
        state = ShellState(engine)
        first = time_completions(state, ["place:A"])[0]  # value lists read on demand
        rounds = [time_completions(state, texts) for _ in range(ROUNDS)]
        state.values.close()
    per_text = [statistics.median(times) for times in zip(*rounds, strict=True)]
    ordered = sorted(per_text)
    slowest = sorted(zip(per_text, texts, strict=True), reverse=True)[:5]
    return {
        "index": str(index),
        "keystrokes": len(texts),
        "first_ms": round(first, 1),
        "p50_ms": round(ordered[len(ordered) // 2], 2),
        "p95_ms": round(ordered[int(len(ordered) * 0.95)], 2),
        "max_ms": round(ordered[-1], 2),
        "slowest": [(text, round(ms, 2)) for ms, text in slowest],
        "target_ms": TARGET_MS,
    }


def markdown(report: dict[str, Any]) -> str:
    r, m = report["completion"], report["machine"]
    return "\n".join(
        [
            f"# Shell completion latency: {Path(r['index']).name}",
            "",
            f"Written by `python -m bench.completion` on {m['date']}, {m['cores']} cores, load "
            f"average at start {m['load_average_at_start']}, commit {report['code']['commit']}. "
            f"Every prefix of {len(LINES)} typed lines ({r['keystrokes']} keystrokes), the shell's "
            f"own completer, median of {ROUNDS} rounds per keystroke.",
            "",
            "| first completion (value lists read) | p50 | p95 | max | target |",
            "| ---: | ---: | ---: | ---: | ---: |",
            f"| {r['first_ms']} ms | {r['p50_ms']} ms | {r['p95_ms']} ms | {r['max_ms']} ms | "
            f"< {r['target_ms']:.0f} ms |",
            "",
            "Slowest: " + ", ".join(f"`{t}` {ms} ms" for t, ms in r["slowest"]),
            "",
        ]
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--index", type=Path, default=WORK / "50k" / "index-newsdex-e2e")
    args = parser.parse_args(argv)
    if not args.index.is_dir():
        print(f"no index at {args.index}: run python -m bench.index_e2e first", file=sys.stderr)
        return 2
    report = {"machine": machine(), "code": code_state(), "completion": measure(args.index)}
    write_results(f"completion-{args.index.parent.name}", report, markdown(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
