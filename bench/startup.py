"""Shell time-to-prompt on the bundled seeds/ index, next to a prompt_toolkit + Whoosh floor.

Run: python -m bench.startup [--runs 7]. Writes bench/results/startup-seeds.json and .md.
(The BBC and 50k figures come from `python -m bench.speed`.)
"""

from __future__ import annotations

import argparse
import io
import json
import os
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path

from bench.cold import shell_prompt
from index.config import seeds_dir
from search.indexing import index_paths

WORK = Path(__file__).resolve().parent / "work" / "seeds"
RESULTS = Path(__file__).resolve().parent / "results"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    index = WORK / "index"
    if not index.exists():
        index_paths([seeds_dir()], index, out=io.StringIO())
    cold = shell_prompt(index, WORK, args.runs)
    result = {"date": datetime.now(UTC).isoformat(timespec="seconds"), "cores": os.cpu_count(),
              **asdict(cold), "ratio": round(cold.newsdex_ms / cold.minimal_ms, 2)}  # fmt: skip
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "startup-seeds.json").write_text(json.dumps(result, indent=2) + "\n")
    table = (
        f"# Shell time-to-prompt on the seeds index ({result['date']}, {result['cores']} cores)\n\n"
        "| newsdex shell ms | prompt_toolkit + Whoosh ms | ratio |\n| ---: | ---: | ---: |\n"
        f"| {cold.newsdex_ms:.0f} | {cold.minimal_ms:.0f} | {result['ratio']} |\n"
    )
    (RESULTS / "startup-seeds.md").write_text(table)
    print(table)


if __name__ == "__main__":
    main()
