"""Which library draws newsdex's bars: plotext or rich's own Bar, measured.

    python -m bench.chart_choice [--runs 5]

For each, in a fresh interpreter (median of RUNS): the import cost on top of what the table
output already imports (rich.console, rich.table), and the time to draw a 120-period timeline
at 60 columns. plotext must be installed for the measurement only (it is not a dependency).
Writes bench/results/chart-choice.json and .md with the load average: a QUICK measurement.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"
ROWS = "rows = [(f'{2000 + i // 12}-{i % 12 + 1:02d}', (i * 37) % 91) for i in range(120)]"
PROGRAMS = {
    "rich.bar": (
        "import rich.bar",
        "from search.charts import render_bars\nfrom rich.console import Console\nimport io\n"
        "render_bars(rows, Console(file=io.StringIO(), width=60))",
    ),
    "plotext": (
        "import plotext",
        "import plotext as plt\nfig = plt.figure\nfig.clear()\nplt.terminal.limit(False, False)\n"
        "fig.plot_size(60, 20)\nfig.draw(fig.bar([r[0] for r in rows], [r[1] for r in rows], "
        "marker='full'))\nfig.build()",
    ),
}


def timed(library: str) -> tuple[float, float]:
    imports, draw = PROGRAMS[library]
    code = (
        "import time, rich.console, rich.table\n"
        f"t0 = time.perf_counter(); {imports}; t1 = time.perf_counter()\n{ROWS}\n{draw}\n"
        "t2 = time.perf_counter(); print(t1 - t0, t2 - t1)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    first, second = out.stdout.split()[-2:]
    return float(first), float(second)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    figures = {}
    for library in PROGRAMS:
        runs = [timed(library) for _ in range(args.runs)]
        figures[library] = {
            "import_ms": round(statistics.median(r[0] for r in runs) * 1000, 1),
            "draw_120_bars_ms": round(statistics.median(r[1] for r in runs) * 1000, 1),
        }
    load = [round(x, 2) for x in os.getloadavg()]
    report = {"quick": True, "runs": args.runs, "load_average": load, "figures": figures}
    report["date"] = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "chart-choice.json").write_text(json.dumps(report, indent=2) + "\n")
    rows = "\n".join(
        f"| {lib} | {f['import_ms']} | {f['draw_120_bars_ms']} |" for lib, f in figures.items()
    )
    (RESULTS / "chart-choice.md").write_text(
        "# Bar chart library (QUICK measurement, shared machine)\n\n"
        f"`python -m bench.chart_choice --runs {args.runs}`; median of {args.runs} fresh "
        f"interpreters; load average {load}; {report['date']}.\n\n"
        "| library | import after rich.console+table, ms | draw 120 bars at 60 columns, ms |\n"
        "|---|---|---|\n"
        f"{rows}\n"
    )
    print(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
