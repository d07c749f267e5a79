"""A hand-checked sample of 200 BBC articles: are newsdex's `countries` the ones the text supports?

The sample is fixed: 40 articles of each of BBC's five categories, drawn once with a fixed seed by
`--make` (duplicates left out) into bench/samples/bbc-countries.txt; never redraw it. Articles are
read and extracted as `newsdex index` does (index.read.read_source with the default cleaning rules,
then index.extract.extract_batch with the shipped tables), no index needed.

- `--show 1:20` prints articles 1 to 20 of the sample, each compactly with its countries and the
  place mentions they came from, for the judge to read;
- `--score` (the default) compares `countries` with the hand-judged gold
  (bench/results/countries-judged.json; its method is in countries-judged.md) and writes micro
  precision and recall over (article, country) pairs to bench/results/countries-sample.json / .md
  (or --out NAME; countries-sample-20222bf is the same command run on commit 20222bf, before
  the resolution rules written from this sample).
  `--judged-md` rewrites countries-judged.md from the JSON (gold beside the output judged).

`--queries INDEX` counts the issue's country queries (`place:=England NOT country:"United
Kingdom"`, ...) on a full BBC index into bench/results/countries-bbc-queries.json / .md.

Run: python -m bench.countries_sample [--data DIR] [--show A:B | --make | --judged-md |
--queries INDEX].
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from index.clean import DEFAULT_RULES
from index.model import SourceFile
from index.read import read_source

BENCH = Path(__file__).resolve().parent
SAMPLE = BENCH / "samples" / "bbc-countries.txt"
JUDGED = BENCH / "results" / "countries-judged.json"
RESULTS = BENCH / "results"
DATA = BENCH.parents[1] / "shared" / "data"
CATEGORIES = ("business", "entertainment", "politics", "sport", "tech")
PER_CATEGORY = 40
SEED = 15  # the number: fixed once, never changed


@dataclass(frozen=True)
class Found:
    """One sampled article as newsdex extracts it."""

    doc: str
    title: str
    body: str
    countries: tuple[str, ...]
    resolved: tuple[tuple[str, str, str], ...]  # (as written, canonical, country)
    unresolved: tuple[str, ...]  # places the gazetteer did not resolve


def bbc_docs(data: Path) -> Path:
    return data / "news" / "bbc" / "docs"


def make_sample(data: Path) -> list[str]:
    """40 ids per category, seeded; the second and later copies of a duplicate left out."""
    dropped: set[str] = set()
    for line in (data / "news" / "bbc" / "duplicates.tsv").read_text().splitlines():
        if line and not line.startswith("#"):
            dropped.update(line.split("\t")[1:])
    rng = random.Random(SEED)
    chosen: list[str] = []
    for category in CATEGORIES:
        ids = sorted(p.stem for p in bbc_docs(data).glob(f"{category}-*.txt"))
        chosen += sorted(rng.sample([i for i in ids if i not in dropped], PER_CATEGORY))
    return chosen


def sample_ids() -> list[str]:
    lines = SAMPLE.read_text(encoding="utf-8").splitlines()
    return [line for line in lines if line and not line.startswith("#")]


def extract(data: Path, ids: Sequence[str]) -> list[Found]:
    """Read and extract the articles as the index does."""
    from index.extract import extract_batch

    folder = bbc_docs(data)
    articles = []
    for doc in ids:
        path = folder / f"{doc}.txt"
        read, _skipped = read_source(SourceFile(str(path), str(folder), doc), DEFAULT_RULES)
        articles += read
    found = []
    for doc, done in zip(ids, extract_batch(articles), strict=True):
        entities = done.entities
        resolved = tuple((p.name, p.canonical, p.country) for p in entities.resolved_places)
        names = {p[0] for p in resolved}
        unresolved = tuple(n for n in entities.places if n not in names)
        article = done.article
        found.append(
            Found(doc, article.title, article.body, entities.countries, resolved, unresolved)
        )
    return found


def show(found: Sequence[Found], first: int) -> str:
    out = []
    for number, item in enumerate(found, start=first):
        text = " ".join(item.body.split())
        places = "; ".join(f"{w} -> {c or '?'} ({k or '-'})" for w, c, k in item.resolved)
        out.append(
            f"=== {number} {item.doc} | countries: {list(item.countries)}\n"
            f"places: {places} | unresolved: {list(item.unresolved)}\n" + textwrap.fill(text, 160)
        )
    return "\n".join(out)


def load_judged() -> dict[str, Any]:
    judged: dict[str, Any] = json.loads(JUDGED.read_text(encoding="utf-8"))
    return judged


def score(found: Sequence[Found], judged: dict[str, Any]) -> dict[str, Any]:
    """Micro precision and recall over (article, country) pairs, with every wrong and missed pair."""
    gold_of = judged["articles"]
    rows, right, wrong, missed = [], 0, 0, 0
    for item in found:
        gold = set(gold_of[item.doc]["gold"])
        got = set(item.countries)
        right += len(got & gold)
        wrong += len(got - gold)
        missed += len(gold - got)
        if got != gold:
            why = gold_of[item.doc].get("why", {})
            rows.append(
                {
                    "doc": item.doc,
                    "wrong": sorted(got - gold),
                    "missed": sorted(gold - got),
                    "why": {c: why.get(c, "") for c in sorted(got ^ gold)},
                    "places": [list(p) for p in item.resolved],
                }
            )
    return {
        "articles": len(found),
        "pairs_gold": right + missed,
        "pairs_newsdex": right + wrong,
        "precision": round(right / (right + wrong), 3) if right + wrong else 1.0,
        "recall": round(right / (right + missed), 3) if right + missed else 1.0,
        "errors": rows,
    }


def markdown(report: dict[str, Any]) -> str:
    lines = [
        "# `countries` on a hand-checked sample of 200 BBC articles",
        "",
        "Written by `python -m bench.countries_sample` (sample: bench/samples/bbc-countries.txt;",
        "gold and method: bench/results/countries-judged.json / .md).",
        "",
        f"Micro over (article, country) pairs: precision **{report['precision']}**, recall "
        f"**{report['recall']}** ({report['pairs_newsdex']} pairs given by newsdex, "
        f"{report['pairs_gold']} in the gold, {report['articles']} articles).",
        "",
        "| article | wrong | missed | why (from the judgement) | places resolved |",
        "| --- | --- | --- | --- | --- |",
    ]
    for row in report["errors"]:
        why = "; ".join(f"{c}: {w}" for c, w in row["why"].items() if w)
        places = ", ".join(f"{w} -> {k or '-'}" for w, _c, k in row["places"])
        wrong, missed = ", ".join(row["wrong"]), ", ".join(row["missed"])
        lines.append(f"| {row['doc']} | {wrong} | {missed} | {why} | {places} |")
    return "\n".join(lines) + "\n"


def judged_markdown(judged: dict[str, Any]) -> str:
    lines = ["# Countries of 200 BBC articles, judged by hand", "", judged["method"], ""]
    lines += [
        "| article | newsdex when judged | gold | wrong | missed | why |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for doc, item in judged["articles"].items():
        then, gold = item["newsdex"], item["gold"]
        wrong = [c for c in then if c not in gold]
        missed = [c for c in gold if c not in then]
        why = "; ".join(f"{c}: {w}" for c, w in item.get("why", {}).items())
        lines.append(
            f"| {doc} | {', '.join(then)} | {', '.join(gold)} | {', '.join(wrong)} "
            f"| {', '.join(missed)} | {why} |"
        )
    return "\n".join(lines) + "\n"


#: The queries of issue 15's point 2 on a full BBC index: each should find nothing but the last.
QUERIES = (
    'place:=England NOT country:"United Kingdom"',
    'place:=Scotland NOT country:"United Kingdom"',
    'place:=Wales NOT country:"United Kingdom"',
    'place:="Northern Ireland" NOT country:"United Kingdom"',
    "place:=Ireland NOT country:Ireland",
    'place:=London NOT country:"United Kingdom"',
    "place:=Paris NOT country:France",
    "region:Massachusetts",
)


def bbc_queries(index: Path) -> dict[str, Any]:
    """How many articles of a BBC index (built by `newsdex index`) each query finds."""
    from search.engine import Engine, SearchOptions

    with Engine(index) as engine:
        found = {q: engine.search(q, SearchOptions(limit=1, snippets=False)).total for q in QUERIES}
        return {"articles": engine.count(), "totals": found}


def queries_markdown(report: dict[str, Any]) -> str:
    lines = [
        "# Country queries on BBC News",
        "",
        "Written by `python -m bench.countries_sample --queries INDEX` on an index of all "
        f"{report['articles']} BBC articles built by `newsdex index`.",
        "",
        "| query | articles |",
        "| --- | ---: |",
    ]
    lines += [f"| `{q}` | {n} |" for q, n in report["totals"].items()]
    return "\n".join(lines) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, default=DATA, help="the shared data folder")
    parser.add_argument("--make", action="store_true", help="draw the sample (once, never again)")
    parser.add_argument("--show", help="print articles A:B of the sample (1-based, inclusive)")
    parser.add_argument("--judged-md", action="store_true", help="rewrite countries-judged.md")
    parser.add_argument("--out", default="countries-sample", help="results file name (no suffix)")
    parser.add_argument("--queries", type=Path, help="count QUERIES on this BBC index")
    args = parser.parse_args(argv)
    if args.queries:
        found = bbc_queries(args.queries)
        (RESULTS / "countries-bbc-queries.json").write_text(json.dumps(found, indent=2) + "\n")
        (RESULTS / "countries-bbc-queries.md").write_text(queries_markdown(found), "utf-8")
        print(queries_markdown(found))
        return 0
    if args.judged_md:
        (RESULTS / "countries-judged.md").write_text(judged_markdown(load_judged()), "utf-8")
        return 0
    if not bbc_docs(args.data).is_dir():
        print(f"BBC articles not found under {args.data} (see its README.md)", file=sys.stderr)
        return 2
    if args.make:
        if SAMPLE.exists():
            print(f"{SAMPLE} exists: the sample is fixed, never redraw it", file=sys.stderr)
            return 2
        SAMPLE.parent.mkdir(exist_ok=True)
        header = f"# BBC countries sample: {PER_CATEGORY} per category, random.Random({SEED})\n"
        SAMPLE.write_text(header + "\n".join(make_sample(args.data)) + "\n", encoding="utf-8")
        return 0
    ids = sample_ids()
    if args.show:
        first, _, last = args.show.partition(":")
        start, stop = int(first), int(last or first)
        print(show(extract(args.data, ids[start - 1 : stop]), start))
        return 0
    report = score(extract(args.data, ids), load_judged())
    (RESULTS / f"{args.out}.json").write_text(json.dumps(report, indent=2) + "\n", "utf-8")
    (RESULTS / f"{args.out}.md").write_text(markdown(report), encoding="utf-8")
    print(f"precision {report['precision']} recall {report['recall']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
