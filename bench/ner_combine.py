"""Two NERs as one: the stock model's entities, with a second NER's organizations used for
precision (agree), for recall (fill) or both, and the cost of running the second NER.

- agree: a stock ORG span is kept only where the second NER tags an overlapping span ORG too;
  the stock model's other labels are untouched.
- fill: the second NER's ORG spans that overlap no stock entity (of any label) are added.
- both: agree, then fill.

The second NER is a component trained by scripts/train_ner.py (its weights loaded into the
same pipeline, so both read the same tokens). An experiment measured by
`python -m bench.entities --ner DIR --ner-combine MODE`; the cost of the second pass by
`python -m bench.ner_combine --ner DIR [--articles 300]` (NER step alone on BBC, stock vs
combined, in one run), which writes bench/results/ner-combine-cost.md.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

MODES = ("agree", "fill", "both")
RESULTS = Path(__file__).resolve().parent / "results"
BBC = Path(__file__).resolve().parents[2] / "shared" / "data" / "news" / "bbc" / "docs"

Extent = tuple[int, int]


def _overlaps(span: Extent, others: Iterable[Extent]) -> bool:
    return any(span[0] < end and start < span[1] for start, end in others)


def combine(stock: Any, other: Any, mode: str) -> Any:
    """The stock doc, its entities changed by the other doc's ORG spans (same text)."""
    if mode not in MODES:
        raise ValueError(f"unknown combination {mode!r}: one of {', '.join(MODES)}")
    other_orgs = [(e.start_char, e.end_char) for e in other.ents if e.label_ == "ORG"]
    ents = list(stock.ents)
    if mode in ("agree", "both"):
        ents = [
            e
            for e in ents
            if e.label_ != "ORG" or _overlaps((e.start_char, e.end_char), other_orgs)
        ]
    if mode in ("fill", "both"):
        taken = [(e.start_char, e.end_char) for e in stock.ents]
        for start, end in other_orgs:
            span = stock.char_span(start, end, label="ORG")
            if span is not None and not _overlaps((start, end), taken):
                ents.append(span)
    stock.ents = sorted(ents, key=lambda e: e.start)
    return stock


def parse_combined(texts: Sequence[str], stock: Any, other: Any, mode: str) -> list[Any]:
    """Both NERs over the texts, combined per document."""
    return [
        combine(a, b, mode)
        for a, b in zip(
            stock.pipe(texts, batch_size=32), other.pipe(texts, batch_size=32), strict=True
        )
    ]


def load_second(model: str, ner: Path) -> Any:
    """The pipeline with the trained NER weights in place of its own."""
    from bench.entities import load_pipeline

    return load_pipeline(model, ner)


def _timed(run: Any) -> float:
    started = time.perf_counter()
    run()
    return time.perf_counter() - started


def cost(texts: Sequence[str], model: str, ner: Path, rounds: int) -> dict[str, Any]:
    """Seconds for the NER step alone, stock vs stock + second NER combined (fill), the two
    interleaved over `rounds` rounds and the best of each kept (a shared machine's noise)."""
    from index.extract import load_model

    stock, other = load_model(model), load_second(model, ner)
    list(stock.pipe(texts[:20])), list(other.pipe(texts[:20]))  # warm both
    alone, both = [], []
    for _ in range(rounds):
        alone.append(_timed(lambda: list(stock.pipe(texts, batch_size=32))))
        both.append(_timed(lambda: parse_combined(texts, stock, other, "fill")))
    return {
        "articles": len(texts),
        "characters": sum(map(len, texts)),
        "rounds": rounds,
        "stock_seconds": round(min(alone), 2),
        "combined_seconds": round(min(both), 2),
        "throughput_ratio": round(min(alone) / min(both), 3),
    }


def markdown(result: dict[str, Any], ner: Path) -> str:
    return (
        "# Cost of a second NER pass (organizations from a trained component)\n\n"
        "Written by `python -m bench.ner_combine`. The NER step alone (no rules, no index) "
        f"over {result['articles']} BBC articles (every n-th file, all sections;  ({result['characters']:,} "
        "characters)), stock `en_core_web_sm` against stock + the second NER "
        f"({ner.name}) combined, interleaved, best of {result['rounds']} rounds each, on a "
        "shared machine (the ratio is the figure; the seconds are not a speed benchmark).\n\n"
        "| NER step | seconds | throughput vs stock |\n| --- | ---: | ---: |\n"
        f"| stock | {result['stock_seconds']} | 1.000 |\n"
        f"| stock + second NER | {result['combined_seconds']} | "
        f"{result['throughput_ratio']:.3f} |\n"
    )


def main(argv: Sequence[str] | None = None) -> int:
    from index.extract import MODEL

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--ner", type=Path, required=True, help="trained NER weights")
    parser.add_argument("--model", default=MODEL, help="spaCy pipeline (package or folder)")
    parser.add_argument("--bbc", type=Path, default=BBC, help="folder of BBC .txt articles")
    parser.add_argument("--articles", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args(argv)
    every = sorted(args.bbc.glob("*.txt"))
    files = every[:: max(1, len(every) // max(1, args.articles))][: args.articles]  # all sections
    if not files or not args.ner.is_dir():
        print(f"need BBC articles under {args.bbc} and NER weights in {args.ner}", file=sys.stderr)
        return 2
    texts = [p.read_text(encoding="utf-8", errors="replace") for p in files]
    result = cost(texts, args.model, args.ner, args.rounds)
    RESULTS.mkdir(exist_ok=True)
    name = "ner-combine-cost"
    (RESULTS / f"{name}.json").write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    (RESULTS / f"{name}.md").write_text(markdown(result, args.ner), encoding="utf-8")
    print(markdown(result, args.ner))
    return 0


if __name__ == "__main__":
    sys.exit(main())
