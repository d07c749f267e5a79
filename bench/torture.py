"""The crash-and-damage probe: SIGKILLed rebuilds, every kind of damage through every command
that opens an index (and its advised fix), concurrent writers, hostile files and fuzzed queries;
each case counted tried / held.

    python -m bench.torture        # 40 kills, 4,000 + 250 queries: bench/results/torture.{json,md}
    python -m bench.torture --kills 3 --queries 100 --cli-queries 5 --out /tmp/t   # a quick run

Held means: after a kill, the old or the new index answers a search and passes `check`; for a
damage kind, every command exits 4 with the same verdict, and the fix its message names succeeds;
for two writers, one copy of each article and both roots recorded; for a hostile file, the run
exits 0, reports the file skipped and indexes every other article; for a fuzzed query, results
or a one-line usage error (exit 2), never damage, a bug or a traceback.
"""

from __future__ import annotations

import argparse
import json
import os
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
# Every command that opens an index; SHOW_ID stands for an id the index held before its damage.
SHOW_ID = "{id}"
COMMANDS = (
    ["check"],
    ["search", QUERY, "--format", "ids"],
    ["stats"],
    ["show", SHOW_ID],
    ["facets", "*"],
    ["export"],
    ["rm", SHOW_ID],
    ["index"],
)
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


def isolate(work: Path) -> None:
    """The probe's runs use their own config and extraction cache, never the user's."""
    for name in ("XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_DATA_HOME"):
        os.environ[name] = str(work / name.lower())
    os.environ.pop("NEWSDEX_CONFIG", None)
    os.environ.pop("NEWSDEX_INDEX", None)


def newsdex(*args: str | Path, index: Path, timeout: float = 600) -> subprocess.CompletedProcess:
    cmd = [*NEWSDEX, *(str(a) for a in args), "--index", str(index)]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)


def first_id(index: Path) -> str:
    return newsdex("search", QUERY, "--format", "ids", index=index).stdout.split()[0]


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
READ_ONLY_COMMANDS = {"search", "stats", "show", "facets", "export"}


@dataclass
class Tally:
    tried: int = 0
    held: int = 0
    failures: list[str] = field(default_factory=list)
    slowest_s: float = 0.0  # the slowest case, where a case is timed

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
    """Every damage kind through every command that opens an index, then the advised fix."""
    corpus = work / "dcorpus"
    total = make_corpus(corpus, files=12)
    tallies: dict[str, Tally] = {}
    for n, (kind, damage) in enumerate(DAMAGE.items()):
        index, tally = work / f"didx{n}", Tally()
        newsdex("index", corpus, "--workers", "1", "--commit-every", "20", index=index)
        doc_id = first_id(index)
        damage(index)
        runs = {}
        for cmd in COMMANDS:
            args = [doc_id if a == SHOW_ID else a for a in cmd]
            runs[" ".join(cmd)] = newsdex(*args, index=index)
        for name, run in runs.items():
            damaged = run.returncode == 4 and "damaged" in run.stderr
            # A changed byte is only seen where it is read, or where checksums are compared
            # (check, and the writers index and rm): elsewhere an answer is no lie.
            unseen = kind in READ_ONLY_WHERE_READ and name.split()[0] in READ_ONLY_COMMANDS
            tally.add(damaged or (unseen and run.returncode in (0, 1)), f"{kind}: {name} {run}")
        fixes = {m.group(1).strip() for r in runs.values() for m in _FIX.finditer(r.stderr)}
        tally.add(len(fixes) == 1, f"{kind}: one advised fix, not {sorted(fixes)}")
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


# Hostile files: each beside four good articles; the run must skip it with its reason and go on.
def _deep(opening: str, inner: str, closing: str, depth: int = 100_000) -> bytes:
    return (opening * depth + inner + closing * depth).encode()


GOOD = json.dumps({"title": "Fine line", "body": BODY})
HOSTILE: dict[str, tuple[bytes, bytes, int]] = {  # name -> (file name, bytes, good articles in it)
    "100,000-deep JSON array": (b"deep.json", _deep("[", "1", "]"), 0),
    "100,000-deep JSON object": (b"deep-object.json", _deep('{"a":', "1", "}"), 0),
    "100,000-digit integer": (
        b"huge.json",
        b'{"title": "t", "body": "b", "id": 1' + b"0" * 100_000 + b"}",
        0,
    ),
    # Kept, not skipped: the lone half reads as U+FFFD, as a bad byte in a text file does.
    "lone surrogate escape": (b"surrogate.json", b'{"title": "t", "body": "a \\ud800 b"}', 0),
    "non-UTF-8 file name": (b"caf\xe9.txt", f"Story\n\n{BODY}".encode(), 0),
    "binary file": (b"blob.txt", bytes(range(256)) * 64, 0),
    "empty file": (b"empty.txt", b"", 0),
    "malformed JSONL line": (b"mixed.jsonl", f"{GOOD}\n{{not json\n{GOOD}\n".encode(), 2),
    "truncated JSON": (b"cut.json", GOOD.encode()[:40], 0),
}


KEPT = frozenset({"lone surrogate escape"})  # read with a replacement character, not skipped


def hostile_files(work: Path) -> dict[str, Tally]:
    """One run per hostile file, in a folder with four good articles."""
    tallies: dict[str, Tally] = {}
    for n, (kind, (name, data, good)) in enumerate(HOSTILE.items()):
        corpus, index, tally = work / f"hcorpus{n}", work / f"hidx{n}", Tally()
        make_corpus(corpus, files=4)  # 2 single articles and 2 JSONL files of 5: 12 articles
        with open(os.path.join(os.fsencode(corpus), name), "wb") as out:
            out.write(data)
        run = newsdex("index", corpus, "--workers", "1", index=index)
        found = answers(index)
        reported = "skipped" in run.stdout and "0 skipped" not in run.stdout
        reported = reported or kind in KEPT
        ok = run.returncode == 0 and found == 12 + good and reported
        tally.add(
            ok, f"{kind}: exit {run.returncode}, {found} of {12 + good} {run.stderr[-300:]!r}"
        )
        tallies[kind] = tally
    return tallies


def _prose(size: int) -> bytes:
    """Realistic news prose (names, numbers, places) of about `size` bytes."""
    sentence = (
        "On {n} March the United Nations said {n},000 people had fled Aleppo for Idlib, "
        "while the World Food Programme dropped {n} tons of aid over Deir al-Zor. "
    )
    parts, total, n = [b"A very long dispatch\n\n"], 0, 0
    while total < size:
        n += 1
        piece = sentence.format(n=n % 28 + 1).encode() + (b"\n\n" if n % 5 == 0 else b"")
        parts.append(piece)
        total += len(piece)
    return b"".join(parts)


def _index_cost(corpus: Path, index: Path) -> tuple[float, float, int]:
    """Wall seconds and peak RSS (MB) of one `newsdex index` process, and its exit code."""
    started = time.perf_counter()
    proc = subprocess.Popen(
        [*NEWSDEX, "index", str(corpus), "--index", str(index), "--workers", "1"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    return time.perf_counter() - started, usage.ru_maxrss / 1024, proc.returncode


def largest_file(work: Path) -> dict[str, float]:
    """What the largest file newsdex reads whole costs (issue 13: under 500 MB and 5 s): a
    text file just under MAX_FILE_BYTES, whose body is cut at MAX_BODY_CHARS, indexed alone,
    beside the same process indexing one short article (the model's load and the commit)."""
    from index.read import MAX_FILE_BYTES

    costs = {}
    for name, size in (("short", 2_000), ("largest", MAX_FILE_BYTES - 1024)):
        corpus = work / f"big-{name}"
        corpus.mkdir()
        (corpus / "story.txt").write_bytes(_prose(size))
        costs[name] = _index_cost(corpus, work / f"big-{name}-idx")
    (short_s, short_mb, _), (big_s, big_mb, code) = costs["short"], costs["largest"]
    return {
        "file_mb": round((MAX_FILE_BYTES - 1024) / 2**20, 2),
        "exit": code,
        "wall_s": round(big_s, 2),
        "extra_s": round(big_s - short_s, 2),
        "peak_rss_mb": round(big_mb, 1),
        "extra_rss_mb": round(big_mb - short_mb, 1),
    }


# Fuzzed queries: random clauses of fields (known, unknown, miscased), values, operators and
# hostile characters; through the API (forgiving) and through `newsdex search`.
_FIELDS = ["", "", "title", "place", "org", "number", "tons", "PLACE", "Org", "foo", "date"]
# fmt: off
_VALUES = [
    "nairobi", "floods", "Red Cross", "12,000", ">400000", ">=20", "[10 TO 20]", "[x TO", '"', "(",
    ")", "*", "?", "~2", "^3", "AND", "OR", "NOT", ":", "\\", "\x00", "\x1b[31m", "é", "日本",
    "\u202e", "-1e308", "99999999999999999999", "a" * 300, "",
]
# fmt: on


def fuzzed_query(rng: random.Random) -> str:
    clauses = []
    for _ in range(rng.randint(1, 8)):
        field, value = rng.choice(_FIELDS), rng.choice(_VALUES)
        if rng.random() < 0.2:
            value = "".join(chr(rng.randint(0, 0x2FF)) for _ in range(rng.randint(1, 12)))
        clauses.append(f"{field}:{value}" if field else value)
    text = " ".join(clauses)
    return f"({text})" if rng.random() < 0.1 else text


QUERY_BOUND_S = 2.0  # issue 13: no fuzzed query may take longer


def fuzz_queries(work: Path, api: int, cli: int, seed: int = 13) -> dict[str, Tally]:
    """`api` queries through Engine.search and `cli` through `newsdex search` (some with a byte
    that is not UTF-8 in the argument)."""
    from index.errors import ExitCode, NewsdexError
    from search.engine import Engine, SearchOptions

    corpus, index = work / "qcorpus", work / "qidx"
    make_corpus(corpus, files=12)
    newsdex("index", corpus, "--workers", "1", index=index)
    rng, through_api, through_cli = random.Random(seed), Tally(), Tally()
    with Engine(index) as engine:
        for _ in range(api):
            text = fuzzed_query(rng)
            started = time.perf_counter()
            try:
                engine.search(text, SearchOptions(limit=10))
                ok = True
            except NewsdexError as exc:
                ok = exc.exit_code == ExitCode.USAGE
            except Exception as exc:  # a bug: counted, not raised
                ok, text = False, f"{text!r}: {type(exc).__name__}: {exc}"
            took = time.perf_counter() - started
            through_api.slowest_s = max(through_api.slowest_s, took)
            if took > QUERY_BOUND_S:
                ok, text = False, f"{text!r}: {took:.1f} s"
            through_api.add(ok, f"api {text!r}")
    for n in range(cli):
        text = fuzzed_query(rng).replace("\x00", "")  # no argument can hold a NUL
        arg = os.fsencode(text) + (b"\xff" if n % 5 == 0 else b"")
        run = subprocess.run(
            [*(os.fsencode(a) for a in NEWSDEX), b"search", arg, b"--index", os.fsencode(index)],
            capture_output=True,
            timeout=600,
        )
        err = run.stderr.decode(errors="replace")
        one_line = run.returncode != 2 or (err.startswith("Error:") and err.count("\n") == 1)
        ok = run.returncode in (0, 1, 2) and "Traceback" not in err and one_line
        through_cli.add(ok, f"cli {arg!r}: exit {run.returncode} {err[-300:]!r}")
    return {"api": through_api, "cli": through_cli}


def markdown(result: dict) -> str:
    lines = ["# Crash and damage probe (`python -m bench.torture`)", ""]
    lines += ["| case | tried | held |", "| --- | --- | --- |"]
    rows: list[tuple[str, dict]] = [("SIGKILLed --rebuild", result["kills"])]
    commands = f"{len(COMMANDS)} commands + advised fix"
    rows += [(f"{kind} ({commands})", t) for kind, t in result["damage"].items()]
    rows.append(("two concurrent writers", result["writers"]))
    rows += [(f"hostile file: {kind}", t) for kind, t in result["hostile"].items()]
    rows.append(("fuzzed queries through the API", result["queries"]["api"]))
    rows.append(("fuzzed queries through `newsdex search`", result["queries"]["cli"]))
    lines += [f"| {name} | {t['tried']} | {t['held']} |" for name, t in rows]
    tried, held = sum(t["tried"] for _, t in rows), sum(t["held"] for _, t in rows)
    lines.append(f"| all | {tried} | {held} |")
    api = result["queries"]["api"]
    lines += ["", f"Slowest fuzzed query through the API: {api['slowest_s']:.2f} s "
              f"(bound {QUERY_BOUND_S:.0f} s)."]  # fmt: skip
    big = result.get("largest_file")
    if big:
        lines.append(
            f"Largest file read whole ({big['file_mb']} MB of prose, body cut at the cap): "
            f"exit {big['exit']}, {big['wall_s']} s and {big['peak_rss_mb']} MB peak for the "
            f"whole run, {big['extra_s']} s and {big['extra_rss_mb']} MB more than a short "
            "article (bound 5 s, 500 MB)."
        )
    fails = [f for _, t in rows for f in t["failures"]]
    lines += ["", "Failures:" if fails else "No failures.", *(f"- {f}" for f in fails[:60])]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kills", type=int, default=40)
    parser.add_argument("--queries", type=int, default=4000, help="fuzzed through the API")
    parser.add_argument("--cli-queries", type=int, default=250, help="through newsdex search")
    parser.add_argument("--out", type=Path, default=Path("bench/results/torture"))
    args = parser.parse_args(argv)
    with TemporaryDirectory() as tmp:
        work = Path(tmp)
        isolate(work)
        result = {
            "kills": asdict(kill_rebuilds(work, args.kills)),
            "damage": {k: asdict(t) for k, t in damage_matrix(work).items()},
            "writers": asdict(two_writers(work)),
            "hostile": {k: asdict(t) for k, t in hostile_files(work).items()},
            "queries": {
                k: asdict(t) for k, t in fuzz_queries(work, args.queries, args.cli_queries).items()
            },
            "largest_file": largest_file(work),
        }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.with_suffix(".json").write_text(json.dumps(result, indent=2) + "\n")
    args.out.with_suffix(".md").write_text(markdown(result))
    print(markdown(result))
    return result


if __name__ == "__main__":
    main()
