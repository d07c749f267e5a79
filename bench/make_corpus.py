"""Generate the 50,000-article benchmark corpus from BBC: every article a varied copy, deterministic.

Run: python -m bench.make_corpus [--articles 50000] [--seed 8] [--out bench/work/corpus-50k]

Article i is a variant of BBC file i mod 2,225 (sorted by name), made with its own
random.Random(f"{seed}:{i}"), so the output depends only on the seed, the count and the BBC files:
- the title gets one of TITLE_SUFFIXES ("Ad sales boost Time Warner profit - analysis");
- the paragraphs after the lead one are shuffled;
- two adjacent sentences of one paragraph are swapped;
- every number except a year is scaled by a factor in [0.8, 1.25], keeping its format
  (thousands commas, decimal places), so entity and number fields differ between copies.
Layout: OUT/<copy>/<original name>.txt (copy = i // 2,225, two digits), title on line 1, blank
line, paragraphs separated by blank lines: the plain layout newsdex and the peers read alike.
OUT/MANIFEST.json records the parameters; a second run with the same ones does nothing.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import shutil
import sys
from collections.abc import Sequence
from pathlib import Path

from bench.corpus import BBC_DOCS, WORK, article_files, require_data

ARTICLES = 50_000
SEED = 8
VERSION = 1  # bump when the variations change, so old corpora are regenerated
TITLE_SUFFIXES = (
    "update", "analysis", "latest", "reaction", "in brief", "explained", "live",
    "the details", "what we know", "follow-up", "roundup", "background",
)  # fmt: skip
_NUMBER = re.compile(r"(?<![\w.])\d[\d,]*(?:\.\d+)?(?![\d,]*\d)")
_YEAR = re.compile(r"(?:19|20)\d\d")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"'])")


def perturb_number(text: str, rng: random.Random) -> str:
    """`text` (a number as written) scaled by a factor in [0.8, 1.25], in the same format."""
    if _YEAR.fullmatch(text):
        return text  # a year: changing it would give articles impossible dates
    commas = "," in text
    try:
        value = float(text.replace(",", ""))
    except ValueError:
        return text
    decimals = len(text.rsplit(".", 1)[1]) if "." in text else 0
    scaled = value * rng.uniform(0.8, 1.25)
    if decimals:
        return f"{scaled:,.{decimals}f}" if commas else f"{scaled:.{decimals}f}"
    whole = max(1, round(scaled)) if value >= 1 else round(scaled)
    return f"{whole:,}" if commas else str(whole)


def swap_sentences(paragraph: str, rng: random.Random) -> str:
    sentences = _SENTENCE_END.split(paragraph)
    if len(sentences) < 2:
        return paragraph
    i = rng.randrange(len(sentences) - 1)
    sentences[i], sentences[i + 1] = sentences[i + 1], sentences[i]
    return " ".join(sentences)


def vary(text: str, rng: random.Random) -> str:
    """One varied copy of an article file's text (title on line 1, paragraphs after)."""
    title, _, body = text.partition("\n")
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", body.strip()) if p.strip()]
    lead, rest = paragraphs[:1], paragraphs[1:]
    rng.shuffle(rest)
    paragraphs = lead + rest
    if paragraphs:
        i = rng.randrange(len(paragraphs))
        paragraphs[i] = swap_sentences(paragraphs[i], rng)
    body = "\n\n".join(paragraphs)
    body = _NUMBER.sub(lambda m: perturb_number(m.group(0), rng), body)
    suffix = rng.choice(TITLE_SUFFIXES)
    return f"{title.strip()} - {suffix}\n\n{body}\n"


def manifest(source: Path, articles: int, seed: int) -> dict[str, object]:
    return {"source": str(source), "articles": articles, "seed": seed, "version": VERSION}


def generate(source: Path, out: Path, articles: int = ARTICLES, seed: int = SEED) -> Path:
    """Write the corpus to `out` (atomically, via a sibling folder) unless it is there already."""
    wanted = manifest(source, articles, seed)
    done = out / "MANIFEST.json"
    if done.exists() and json.loads(done.read_text()) == wanted:
        return out
    files = article_files(source)
    if not files:
        raise SystemExit(f"no .txt articles under {source}")
    texts = [p.read_bytes().decode("utf-8", "replace") for p in files]
    partial = out.with_name(out.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    for i in range(articles):
        copy, original = divmod(i, len(files))
        rng = random.Random(f"{seed}:{i}")
        target = partial / f"{copy:02d}" / files[original].name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(vary(texts[original], rng), encoding="utf-8")
    (partial / "MANIFEST.json").write_text(json.dumps(wanted, indent=2) + "\n")
    shutil.rmtree(out, ignore_errors=True)
    partial.rename(out)
    return out


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=ARTICLES)
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--source", type=Path, default=BBC_DOCS)
    parser.add_argument("--out", type=Path, default=WORK / "corpus-50k")
    args = parser.parse_args(argv)
    if args.source == BBC_DOCS:
        require_data()
    out = generate(args.source, args.out, args.articles, args.seed)
    print(f"{args.articles} articles in {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
