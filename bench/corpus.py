"""Benchmark inputs: where the corpora and queries live, how to read an article file, the query set.

Shared by the generator, the indexing children and the query timers; reads nothing at import.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
DATA = ROOT.parent / "shared" / "data"
BBC_DOCS = DATA / "news" / "bbc" / "docs"
BBC_QUERIES = DATA / "news" / "bbc-queries.tsv"
WORK = BENCH / "work"  # git-ignored: generated corpora and indexes
RESULTS = BENCH / "results"

# Entity queries only newsdex can answer; reported apart from the 200 shared text queries.
FIELD_QUERIES: tuple[tuple[str, str], ...] = (
    ("place", "place:London"),
    ("place", "place:France"),
    ("place", "place:Scotland"),
    ("place", "place:China"),
    ("place", 'place:"New York"'),
    ("place", "place:Iraq election"),
    ("place", "place:Europe"),
    ("org", 'org:"European Union"'),
    ("org", "org:BBC"),
    ("org", "org:Microsoft"),
    ("org", "org:Labour"),
    ("org", "org:UN"),
    ("org", "organization:Google search"),
    ("org", "org:EU place:Germany"),
    ("number", "number:>1000000"),
    ("number", "number:[100 TO 200]"),
    ("number", "usd:>1bn"),
    ("number", "gbp:>1m"),
    ("number", "percent:>50"),
    ("number", "number:>1000 profit"),
)


@dataclass(frozen=True)
class Query:
    kind: str  # term_frequent, term_rare, and2, and3, or, phrase, prefix, place, org, number
    text: str  # Whoosh syntax, as newsdex and raw Whoosh take it


@dataclass(frozen=True)
class Doc:
    """An article file as the peers read it: title on line 1, the rest is the body."""

    path: str
    title: str
    body: str


def write_results(name: str, report: dict[str, Any], text: str) -> None:
    """A benchmark's figures as bench/results/NAME.json and its table as NAME.md, also printed."""
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"{name}.json").write_text(json.dumps(report, indent=2) + "\n")
    (RESULTS / f"{name}.md").write_text(text)
    print(text)


def require_data() -> None:
    """Stop with a message naming what is missing when ../shared/data is absent."""
    for needed in (BBC_DOCS, BBC_QUERIES):
        if not needed.exists():
            raise SystemExit(f"benchmark data not found at {needed} (see ../shared/data/README.md)")


def load_queries(path: Path = BBC_QUERIES) -> list[Query]:
    """The fixed query set: `kind<TAB>query` lines, `#` comments skipped."""
    queries = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            kind, text = line.split("\t", 1)
            queries.append(Query(kind, text))
    return queries


def field_queries() -> list[Query]:
    return [Query(kind, text) for kind, text in FIELD_QUERIES]


def article_files(folder: Path) -> list[Path]:
    """Every .txt file under `folder`, sorted, so every tool reads the same files in the same order."""
    found: list[Path] = []
    for parent, dirs, names in os.walk(folder):
        dirs.sort()
        found.extend(Path(parent) / n for n in sorted(names) if n.endswith(".txt"))
    return found


def read_doc(path: Path) -> Doc:
    text = path.read_bytes().decode("utf-8", "replace")
    title, _, body = text.partition("\n")
    return Doc(str(path), title.strip(), body.strip())


def read_docs(folder: Path) -> Iterator[Doc]:
    for path in article_files(folder):
        yield read_doc(path)


def subset(folder: Path, limit: int, work: Path) -> Path:
    """A folder of symbolic links to the first `limit` articles of `folder` (for --quick runs)."""
    target = work / f"{folder.name}-first{limit}"
    if target.exists():
        return target
    partial = target.with_name(target.name + ".partial")
    partial.mkdir(parents=True, exist_ok=True)
    for path in article_files(folder)[:limit]:
        link = partial / path.relative_to(folder).as_posix().replace("/", "__")
        if not link.exists():
            link.symlink_to(path)
    partial.rename(target)
    return target
