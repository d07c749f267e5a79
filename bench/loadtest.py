"""The README's test command on a fresh clone, with CPU-bound processes running beside it.

    python -m bench.loadtest [--hogs 2] [--keep]

Clones this checkout's HEAD into a temporary folder, starts `--hogs` processes that spin on the
CPU (default 2: as many as the reference machine has cores), runs the README's test command
verbatim in the clone, stops the hogs and writes `bench/results/loadtest.json` (the command, the
hogs, the load average before and after, the exit code and pytest's final counts). Exit code: the
test command's. The tests must pass however busy the machine is: no wall-clock assertions, and
every wait is on a condition with a generous bound.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULT = ROOT / "bench" / "results" / "loadtest.json"
COUNTS = re.compile(r"(\d+) (passed|failed|skipped|errors?|xfailed|xpassed|deselected)")


def readme_test_command(readme: Path) -> str:
    """The shell line after "Install the test extras and run the tests:" in the README."""
    text = readme.read_text(encoding="utf-8")
    block = text.split("Install the test extras and run the tests:", 1)[1]
    match = re.search(r"```\w*\n(.+?)\n```", block, re.DOTALL)
    if match is None:
        raise SystemExit("README.md: no code block after 'Install the test extras'")
    return match.group(1).strip()


def spin() -> None:  # pragma: no cover - runs in a child process until terminated
    x = 0
    while True:
        x = (x * 1103515245 + 12345) % 2**31


def counts(output: str) -> dict[str, int]:
    """pytest's summary line ("2 failed, 784 passed, 3 skipped in 301.2s") as a dict."""
    lines = [line for line in output.splitlines() if " in " in line and COUNTS.search(line)]
    if not lines:
        return {}
    return {kind: int(n) for n, kind in COUNTS.findall(lines[-1])}


def run(hogs: int, keep: bool) -> int:
    clone = Path(tempfile.mkdtemp(prefix="newsdex-loadtest-"))
    subprocess.run(["git", "clone", "-q", str(ROOT), str(clone / "newsdex")], check=True)
    work = clone / "newsdex"
    command = readme_test_command(work / "README.md")
    spinners = [multiprocessing.Process(target=spin, daemon=True) for _ in range(hogs)]
    for process in spinners:
        process.start()
    load_before = os.getloadavg()
    try:
        print(f"{hogs} CPU-bound processes started; running in {work}:\n  {command}", flush=True)
        done = subprocess.run(
            ["bash", "-c", command], cwd=work, capture_output=True, text=True, check=False
        )
    finally:
        load_after = os.getloadavg()
        for process in spinners:
            process.terminate()
            process.join()
    print(done.stdout[-3000:], done.stderr[-2000:], sep="\n")
    head = subprocess.run(["git", "-C", str(work), "rev-parse", "HEAD"], capture_output=True)
    record = {
        "command": command,
        "commit": head.stdout.decode().strip(),
        "hogs": hogs,
        "cores": os.cpu_count(),
        "load_before": [round(v, 2) for v in load_before],
        "load_after": [round(v, 2) for v in load_after],
        "exit_code": done.returncode,
        "counts": counts(done.stdout),
    }
    RESULT.write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {RESULT.relative_to(ROOT)}: {record['counts']} (exit {done.returncode})")
    if not keep:
        shutil.rmtree(clone, ignore_errors=True)
    return done.returncode


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--hogs", type=int, default=2, help="CPU-bound processes beside the tests")
    parser.add_argument("--keep", action="store_true", help="keep the clone (its path is printed)")
    args = parser.parse_args(argv)
    sys.exit(run(args.hogs, args.keep))


if __name__ == "__main__":
    main()
