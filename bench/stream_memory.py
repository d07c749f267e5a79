"""Peak memory of a one-shot search that streams every match, against one page of the same query.

Run: python -m bench.stream_memory [--index DIR] [--query WORD]. Writes
bench/results/stream-memory-50k.json. Memory, not speed: load does not change it.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"
INDEX = Path("/work/data/idx-50k")
CASES = {"one page (-n 10)": ["--format", "ids", "-n", "10"], "every match, ids": ["--format", "ids"],
         "every match, jsonl": ["--format", "jsonl"]}  # fmt: skip


def peak(index: Path, query: str, extra: list[str]) -> tuple[int, int]:
    """(peak resident kB of the newsdex process, lines written), output piped as a script does."""
    newsdex = shutil.which("newsdex") or str(Path(sys.executable).with_name("newsdex"))
    command = ["/usr/bin/time", "-f", "%M", newsdex, "search", "--index", str(index), query]
    done = subprocess.run([*command, *extra], capture_output=True, text=True, check=False)
    return int(done.stderr.strip().splitlines()[-1]), done.stdout.count("\n")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.stream_memory", description=__doc__)
    parser.add_argument("--index", type=Path, default=INDEX)
    parser.add_argument("--query", default="said")
    args = parser.parse_args(argv)
    if not args.index.exists():
        print(f"stream memory: no index at {args.index}; nothing measured")
        return 0
    rows = {}
    for label, extra in CASES.items():
        kb, lines = peak(args.index, args.query, extra)
        rows[label] = {"peak_rss_mb": round(kb / 1024), "lines": lines}
        print(f"{label:24s} {rows[label]}")
    out = {"index": str(args.index), "query": args.query, "rows": rows}
    (RESULTS / "stream-memory-50k.json").write_text(json.dumps(out, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
