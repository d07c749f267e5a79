"""Two NERs as one: the stock model's entities, with a second NER's organizations used for
precision (agree), for recall (fill) or both, and the cost of running the second NER. The
combination itself is the product's (index/ner_agree.py, `newsdex index --accurate`).

- agree: a stock ORG span is kept only where the second NER tags an overlapping span ORG too
  (or it opens such an agreed name in the same article); a dropped span takes the second NER's
  label when it tags the same extent otherwise; the stock model's other labels are untouched.
- fill: the second NER's ORG spans that overlap no stock entity (of any label) are added.
- both: agree, then fill.

The second NER is another pipeline (`--second`, e.g. en_core_web_md) or a component trained by
scripts/train_ner.py (`--ner`, its weights loaded into the stock pipeline). An experiment
measured by `python -m bench.entities --ner DIR | --second MODEL --ner-combine MODE`; the cost
of the second pass by `python -m bench.ner_combine --second MODEL | --ner DIR` (the NER step
alone on 300 BBC articles, stock vs combined, in one run): bench/results/ner-combine-cost.md.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from index.ner_agree import MODES, combine

__all__ = ["MODES", "combine", "cost", "load_second", "parse_combined"]

RESULTS = Path(__file__).resolve().parent / "results"
BBC = Path(__file__).resolve().parents[2] / "shared" / "data" / "news" / "bbc" / "docs"


def parse_combined(texts: Sequence[str], stock: Any, other: Any, mode: str) -> list[Any]:
    """Both NERs over the texts, combined per document."""
    return [
        combine(a, b, mode)
        for a, b in zip(
            stock.pipe(texts, batch_size=32), other.pipe(texts, batch_size=32), strict=True
        )
    ]


def load_second(model: str, ner: Path | None, second: str | None) -> Any:
    """The second NER: another pipeline (`second`, a package or folder), or this one with
    trained NER weights (`ner`) in place of its own."""
    from bench.entities import load_pipeline

    return load_pipeline(second, None) if second else load_pipeline(model, ner)


def _timed(run: Any) -> float:
    started = time.perf_counter()
    run()
    return time.perf_counter() - started


def cost(texts: Sequence[str], stock: Any, other: Any, mode: str, rounds: int) -> dict[str, Any]:
    """Seconds for the NER step alone, stock vs stock + second NER combined, the two
    interleaved over `rounds` rounds and the best of each kept (a shared machine's noise)."""
    list(stock.pipe(texts[:20])), list(other.pipe(texts[:20]))  # warm both
    alone, both = [], []
    for _ in range(rounds):
        alone.append(_timed(lambda: list(stock.pipe(texts, batch_size=32))))
        both.append(_timed(lambda: parse_combined(texts, stock, other, mode)))
    return {
        "articles": len(texts),
        "characters": sum(map(len, texts)),
        "rounds": rounds,
        "mode": mode,
        "stock_seconds": round(min(alone), 2),
        "combined_seconds": round(min(both), 2),
        "throughput_ratio": round(min(alone) / min(both), 3),
    }


def markdown(result: dict[str, Any], second: str) -> str:
    return (
        "# Cost of a second NER pass for organizations\n\n"
        "Written by `python -m bench.ner_combine`. The NER step alone (no rules, no index) "
        f"over {result['articles']} BBC articles (every n-th file, all sections; "
        f"{result['characters']:,} characters), stock `en_core_web_sm` against stock + "
        f"{second} combined ({result['mode']}), interleaved, best of {result['rounds']} rounds "
        "each, nice'd on a shared machine (the ratio is the figure; the seconds are not a speed "
        "benchmark).\n\n"
        "| NER step | seconds | throughput vs stock |\n| --- | ---: | ---: |\n"
        f"| stock | {result['stock_seconds']} | 1.000 |\n"
        f"| stock + second NER | {result['combined_seconds']} | "
        f"{result['throughput_ratio']:.3f} |\n"
    )


def main(argv: Sequence[str] | None = None) -> int:
    from index.extract import MODEL, load_model

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--ner", type=Path, help="trained NER weights (the second NER)")
    parser.add_argument("--second", help="or another pipeline as the second NER")
    parser.add_argument("--mode", choices=MODES, default="agree")
    parser.add_argument("--model", default=MODEL, help="spaCy pipeline (package or folder)")
    parser.add_argument("--bbc", type=Path, default=BBC, help="folder of BBC .txt articles")
    parser.add_argument("--articles", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--out", default="ner-combine-cost", help="results file name")
    args = parser.parse_args(argv)
    every = sorted(args.bbc.glob("*.txt"))
    files = every[:: max(1, len(every) // max(1, args.articles))][: args.articles]  # all sections
    if not files or not (args.second or (args.ner and args.ner.is_dir())):
        print(f"need BBC articles under {args.bbc} and --ner DIR or --second", file=sys.stderr)
        return 2
    texts = [p.read_text(encoding="utf-8", errors="replace") for p in files]
    stock, other = load_model(args.model), load_second(args.model, args.ner, args.second)
    result = cost(texts, stock, other, args.mode, args.rounds)
    second = f"`{args.second}`" if args.second else f"the NER trained into {args.ner}"
    text = markdown(result, second)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"{args.out}.json").write_text(json.dumps(result, indent=2) + "\n", "utf-8")
    (RESULTS / f"{args.out}.md").write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
