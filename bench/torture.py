"""The crash-and-damage probe: SIGKILLed rebuilds, every kind of damage through every reading
command (and its advised fix), and concurrent writers; each case counted tried / held.

    python -m bench.torture                 # 40 kills: bench/results/torture.json and .md
    python -m bench.torture --kills 3 --out /tmp/t   # a quick run

Held means: after a kill, the old or the new index answers a search and passes `check`; for a
damage kind, every command exits 4 with the same verdict, and the fix its message names succeeds;
for two writers, one copy of each article and both roots recorded.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from tempfile import TemporaryDirectory

NEWSDEX = [sys.executable, "-c", "from search.cli import main; main()"]
BODY = "Ministers met in Nairobi as 12,000 people fled floods, the Red Cross said. " * 4
QUERY = "nairobi"
READERS = (["check"], ["search", QUERY, "--format", "ids"], ["stats"], ["index"])
_FIX = re.compile(r"(?:Rebuild|Repair) it with: (newsdex [^(\n]+)")


def make_corpus(root: Path, files: int = 60, tag: str = "") -> int:
    """Single-article files and 5-article JSONL files; returns the number of articles."""
    root.mkdir(parents=True)
    singles = files * 2 // 3
    for i in range(singles):
        (root / f"a{i:03}.txt").write_text(f"Story {tag}{i}\n\n{BODY}")
    for i in range(files - singles):
        lines = [
            json.dumps({"id": str(j), "title": f"Item {tag}{i}-{j}", "body": BODY})
            for j in range(5)
        ]
        (root / f"b{i:03}.jsonl").write_text("\n".join(lines) + "\n")
    return singles + 5 * (files - singles)


def newsdex(*args: str | Path, index: Path, timeout: float = 600) -> subprocess.CompletedProcess:
    cmd = [*NEWSDEX, *(str(a) for a in args), "--index", str(index)]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)


def answers(index: Path) -> int | None:
    """How many articles a search finds, if the index answers and passes check; else None."""
    if newsdex("check", index=index).returncode != 0:
        return None
    found = newsdex("search", QUERY, "--format", "ids", "--limit", "10000", index=index)
    return len(found.stdout.split()) if found.returncode == 0 else None


# Damage kinds: each changes one index's files the way a crash, a disk or a person might.
def _segments(index: Path) -> list[Path]:
    return sorted(index.glob("MAIN_*.seg"))


def _flip(path: Path, at: float) -> None:
    data = bytearray(path.read_bytes())
    data[int(len(data) * at)] ^= 0xFF
    path.write_bytes(bytes(data))


def _truncate(index: Path) -> None:
    seg = _segments(index)[0]
    seg.write_bytes(seg.read_bytes()[: seg.stat().st_size // 2])


DAMAGE: dict[str, Callable[[Path], object]] = {
    "empty stray TOC": lambda ix: (ix / "_MAIN_99.toc").write_bytes(b""),
    "garbage TOC": lambda ix: next(ix.glob("_MAIN_*.toc")).write_bytes(b"\x07" * 64),
    "deleted TOC": lambda ix: next(ix.glob("_MAIN_*.toc")).unlink(),
    "deleted segment": lambda ix: _segments(ix)[0].unlink(),
    "truncated segment": _truncate,
    "garbage segment": lambda ix: _segments(ix)[0].write_bytes(b"\x00garbage" * 512),
    "flipped byte in segment": lambda ix: _flip(_segments(ix)[0], 0.5),
}


READ_ONLY_WHERE_READ = {"flipped byte in segment"}


@dataclass
class Tally:
    tried: int = 0
    held: int = 0
    failures: list[str] = field(default_factory=list)

    def add(self, ok: bool, what: str) -> None:
        self.tried += 1
        self.held += ok
        if not ok:
            self.failures.append(what)


def kill_rebuilds(work: Path, kills: int, seed: int = 13) -> Tally:
    """SIGKILL `--rebuild` at random moments of its run; the index must answer after each."""
    corpus, index = work / "kcorpus", work / "kidx"
    total = make_corpus(corpus)
    started = time.monotonic()
    assert newsdex("index", corpus, "--workers", "1", index=index).returncode == 0
    span = max(1.0, time.monotonic() - started)
    rng, tally = random.Random(seed), Tally()
    for n in range(kills):
        delay = rng.uniform(0.0, span * 1.2)
        cmd = [*NEWSDEX, "index", "--rebuild", "--workers", "1", "--commit-every", "9"]
        proc = subprocess.Popen(
            [*cmd, "--index", str(index)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=60)
        found = answers(index)
        tally.add(found == total, f"kill {n} after {delay:.2f} s: {found} of {total}")
    return tally


def damage_matrix(work: Path) -> dict[str, Tally]:
    """Every damage kind through every reading command, then the advised fix."""
    corpus = work / "dcorpus"
    total = make_corpus(corpus, files=12)
    tallies: dict[str, Tally] = {}
    for n, (kind, damage) in enumerate(DAMAGE.items()):
        index, tally = work / f"didx{n}", Tally()
        newsdex("index", corpus, "--workers", "1", "--commit-every", "20", index=index)
        damage(index)
        runs = {" ".join(cmd): newsdex(*cmd, index=index) for cmd in READERS}
        for name, run in runs.items():
            damaged = run.returncode == 4 and "damaged" in run.stderr
            # A changed byte is only seen where it is read, or where checksums are compared
            # (check, index): a search elsewhere in the index answers, and that is no lie.
            unseen = kind in READ_ONLY_WHERE_READ and name.split()[0] in {"search", "stats"}
            tally.add(damaged or (unseen and run.returncode in (0, 1)), f"{kind}: {name} {run}")
        fixes = {m.group(1).strip() for r in runs.values() for m in _FIX.finditer(r.stderr)}
        for fix in sorted(fixes):
            args = fix.split()[1:]
            args = args[: args.index("--index")] + args[args.index("--index") + 2 :]
            done = newsdex(*args, index=index)
            tally.add(done.returncode == 0 and answers(index) == total, f"{kind}: fix {fix}")
        tallies[kind] = tally
    return tallies


def two_writers(work: Path) -> Tally:
    """Two runs at once: of the same folder (one copy each), of two folders (both roots)."""
    tally = Tally()
    a, b = work / "wa", work / "wb"
    total = make_corpus(a, files=30, tag="a") + make_corpus(b, files=30, tag="b")
    for same in (True, False):
        index = work / f"widx{same}"
        folders = (a, a) if same else (a, b)
        procs = [
            subprocess.Popen(
                [*NEWSDEX, "index", str(f), "--index", str(index), "--wait", "300"],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            for f in folders
        ]
        codes = [p.wait(timeout=900) for p in procs]
        want = total // 2 if same else total
        roots = json.loads((index / "newsdex.json").read_text())["roots"]
        ok = codes == [0, 0] and answers(index) == want and len(roots) == (1 if same else 2)
        tally.add(ok, f"two writers same={same}: codes {codes}, roots {roots}")
    return tally


def markdown(result: dict) -> str:
    lines = ["# Crash and damage probe (`python -m bench.torture`)", ""]
    lines += ["| case | tried | held |", "| --- | --- | --- |"]
    lines.append(
        f"| SIGKILLed --rebuild | {result['kills']['tried']} | {result['kills']['held']} |"
    )
    for kind, t in result["damage"].items():
        lines.append(f"| {kind} (4 commands + advised fix) | {t['tried']} | {t['held']} |")
    w = result["writers"]
    lines.append(f"| two concurrent writers | {w['tried']} | {w['held']} |")
    fails = [f for t in [result["kills"], w, *result["damage"].values()] for f in t["failures"]]
    lines += ["", "Failures:" if fails else "No failures.", *(f"- {f}" for f in fails)]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kills", type=int, default=40)
    parser.add_argument("--out", type=Path, default=Path("bench/results/torture"))
    args = parser.parse_args(argv)
    with TemporaryDirectory() as tmp:
        work = Path(tmp)
        result = {
            "kills": asdict(kill_rebuilds(work, args.kills)),
            "damage": {k: asdict(t) for k, t in damage_matrix(work).items()},
            "writers": asdict(two_writers(work)),
        }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.with_suffix(".json").write_text(json.dumps(result, indent=2) + "\n")
    args.out.with_suffix(".md").write_text(markdown(result))
    print(markdown(result))
    return result


if __name__ == "__main__":
    main()
