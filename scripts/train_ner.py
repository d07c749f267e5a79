"""Fine-tune the small model's NER on CoNLL-2003 train, keeping its other labels by rehearsal.

An experiment, not a build step: measured, every variant raised CoNLL but lowered IE-ER
organization F1, so newsdex ships the stock model (docs/entities.md has the figures).
Run: python scripts/train_ner.py [--epochs N] [--rehearse N] [--conservative] --evaluate
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from index.extract import MODEL, NON_NER_PIPES  # noqa: E402
from index.gazetteer import load_gazetteer  # noqa: E402

DATA = REPO.parent / "shared" / "data"
OUT = REPO / "bench" / "work" / "ner"
# CoNLL's PER and ORG are OntoNotes' PERSON and ORG; LOC is GPE or LOC (see place_label);
# MISC covers several OntoNotes labels and is taken only where the base model agrees on one.
CONLL_TO_ONTONOTES = {"PER": "PERSON", "ORG": "ORG"}
MISC_LABELS = frozenset({"NORP", "EVENT", "LAW", "LANGUAGE", "WORK_OF_ART", "PRODUCT", "FAC"})
PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
# The base model's labels that CoNLL does not annotate: kept from its own predictions.
SILVER_LABELS = frozenset({"DATE", "TIME", "CARDINAL", "ORDINAL", "MONEY", "PERCENT", "QUANTITY"})

# Spans both data sets name but label differently by convention (a building, a university, a
# seat of government): the base model's label is kept for them when --conservative.
CONVENTION_LABELS = frozenset({"ORG", "GPE", "LOC", "FAC"})

Gold = tuple[int, int, str]  # start, end (characters), CoNLL type


@dataclass(frozen=True)
class ConllText:
    """One CoNLL document as newsdex's benchmark writes it: tokens joined by spaces, sentences
    by line breaks, so training sees the same text shape as the evaluation."""

    text: str
    gold: tuple[Gold, ...]


def read_conll(path: Path, prose: bool = False) -> list[ConllText]:
    """CoNLL documents; with ``prose``, as running text (no space before a comma, sentences in
    one paragraph after the headline), which is how articles reach the model when indexing."""
    from bench.entity_data import conll_documents

    return [_conll_text(sentences, prose) for sentences in conll_documents(path)]


NO_SPACE_BEFORE = frozenset(",.:;?!)]}%") | {"'s", "n't", "'", "'re", "'ve", "'ll", "'d", "'m"}
NO_SPACE_AFTER = frozenset({"(", "[", "{", "$"})


def _conll_text(sentences: list[list[tuple[str, str]]], prose: bool) -> ConllText:
    parts: list[str] = []
    gold: list[Gold] = []
    for number, sentence in enumerate(sentences):
        if number:
            parts.append(" " if prose and number > 2 else "\n\n" if prose else "\n")
        at = sum(map(len, parts))
        words = _spaced(sentence, prose)
        for start, end, kind in _spans(sentence, words):
            gold.append((at + start, at + end, kind))
        parts.append("".join(words))
    return ConllText("".join(parts), tuple(gold))


def _spaced(sentence: list[tuple[str, str]], prose: bool) -> list[str]:
    """Each token with the space that precedes it (none for the first)."""
    words: list[str] = []
    quotes, previous = 0, ""
    for token, _ in sentence:
        space = " " if words else ""
        if prose and (token in NO_SPACE_BEFORE or previous in NO_SPACE_AFTER):
            space = ""
        if prose and token == '"':
            quotes += 1
            space = "" if quotes % 2 == 0 else space
        elif prose and previous == '"' and quotes % 2 == 1:
            space = ""
        words.append(space + token)
        previous = token
    return words


def _spans(sentence: list[tuple[str, str]], words: list[str]) -> Iterator[Gold]:
    """IOB1 or IOB2 spans as character offsets into the joined words."""
    span: Gold | None = None
    position = 0
    for (token, tag), word in zip([*sentence, ("", "O")], [*words, ""], strict=True):
        kind = tag[2:] if tag != "O" else ""
        if span and (not tag.startswith("I-") or kind != span[2]):
            yield span
            span = None
        start = position + len(word) - len(token)
        position += len(word)
        if kind and span is None:
            span = (start, position, kind)
        elif span:
            span = (span[0], position, span[2])


def reference(
    nlp: Any, base: Any, item: ConllText, gazetteer: Any, conservative: bool = False
) -> Any:
    """The gold doc: CoNLL's names with OntoNotes labels, the base model's numbers and dates,
    and MISC names the base model does not label alike left unknown (neither entity nor O)."""
    from spacy.tokens import Span

    doc = nlp.make_doc(item.text)
    predicted = {(e.start_char, e.end_char): e.label_ for e in base(item.text).ents}
    entities, missing = [], []
    for start, end, kind in item.gold:
        span = doc.char_span(start, end)
        if span is None:
            continue
        label = _label(kind, predicted.get((start, end)), span.text, gazetteer, conservative)
        if label is None:
            missing.append(span)
        else:
            entities.append(Span(doc, span.start, span.end, label=label))
    taken = {i for span in [*entities, *missing] for i in range(span.start, span.end)}
    for (start, end), label in predicted.items():
        span = doc.char_span(start, end)
        free = span is not None and not taken.intersection(range(span.start, span.end))
        if label in SILVER_LABELS and span is not None and free:
            entities.append(Span(doc, span.start, span.end, label=label))
    doc.set_ents(entities, missing=missing, default="outside")
    return doc


def _label(
    kind: str, predicted: str | None, text: str, gazetteer: Any, conservative: bool
) -> str | None:
    if conservative and kind in ("ORG", "LOC") and predicted in CONVENTION_LABELS:
        return predicted  # "White House", "Harvard": an organization or a place by convention
    if kind in CONLL_TO_ONTONOTES:
        return CONLL_TO_ONTONOTES[kind]
    if kind == "LOC":
        if predicted in PLACE_LABELS:
            return predicted
        return "GPE" if gazetteer.lookup(text) else "LOC"
    return predicted if predicted in MISC_LABELS else None


IEER_TO_CONLL = {"ORGANIZATION": "ORG", "PERSON": "PER", "LOCATION": "LOC"}


def ieer_docs(folder: Path, half: str, repeat: int) -> list[ConllText]:
    """IE-ER dev stories of one half (bench/halves/), bodies with their ORGANIZATION, PERSON and
    LOCATION spans as CoNLL types, each repeated `repeat` times (30 stories beside ~500 of
    CoNLL's). The other half stays unseen, so it is the check."""
    import csv

    from bench.entity_data import load_ieer
    from bench.halves import half_ids

    keep = half_ids("ieer-dev", half)
    spans: dict[str, list[tuple[int, int, str]]] = {}
    with (folder / "annotations.tsv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            if row["docid"] in keep and row["type"] in IEER_TO_CONLL:
                spans.setdefault(row["docid"], []).append(
                    (int(row["start"]), int(row["end"]), IEER_TO_CONLL[row["type"]])
                )
    found = []
    for doc in load_ieer(folder):
        if doc.doc_id not in keep:
            continue
        raw = (folder / "docs" / f"{doc.doc_id}.txt").read_text(encoding="utf-8")
        body_at = raw.index("\n") + 1
        body = raw[body_at:]  # uncleaned, so the offsets hold
        gold = tuple(
            (s - body_at, e - body_at, k) for s, e, k in spans.get(doc.doc_id, []) if s >= body_at
        )
        found += [ConllText(body, gold)] * repeat
    return found


def batches(items: Sequence[Any], size: int, rng: random.Random) -> Iterator[list[Any]]:
    order = list(items)
    rng.shuffle(order)
    for at in range(0, len(order), size):
        yield order[at : at + size]


def train(
    train_docs: Sequence[ConllText],
    rehearsal: Sequence[str],
    epochs: int,
    seed: int,
    conservative: bool = False,
    on_epoch: Any = None,
) -> Any:
    """Fine-tune a copy of the base NER; ``rehearsal`` texts keep it close to the base model
    on the other labels and on text unlike CoNLL's (spaCy's nlp.rehearse)."""
    import spacy
    from spacy.training import Example

    spacy.util.fix_random_seed(seed)
    rng = random.Random(seed)
    base = spacy.load(MODEL, exclude=list(NON_NER_PIPES))
    nlp = spacy.load(MODEL, exclude=list(NON_NER_PIPES))
    gazetteer = load_gazetteer()
    examples = [
        Example(nlp.make_doc(d.text), reference(nlp, base, d, gazetteer, conservative))
        for d in train_docs
    ]
    optimizer = nlp.resume_training()
    for epoch in range(1, epochs + 1):
        losses: dict[str, float] = {}
        started = time.perf_counter()
        for batch in batches(examples, 8, rng):
            nlp.update(batch, sgd=optimizer, drop=0.2, losses=losses)
        for texts in batches(rehearsal, 16, rng):
            nlp.rehearse([Example.from_dict(nlp.make_doc(t), {}) for t in texts], sgd=optimizer)
        if on_epoch is not None:
            on_epoch(epoch, nlp, losses, time.perf_counter() - started)
    return nlp


def rehearsal_texts(folder: Path, limit: int) -> list[str]:
    """Plain news paragraphs unlike CoNLL's one-sentence lines (BBC articles, when present)."""
    if not folder.is_dir():
        return []
    files = sorted(folder.rglob("*.txt"))[:limit]
    return [p.read_text(encoding="utf-8", errors="replace")[:3000] for p in files]


def training_docs(path: Path, form: str, sports: bool) -> list[ConllText]:
    """The CoNLL documents trained on: sports results and standings (team names as ORG, tables
    of scores) teach little about news prose, so they are left out unless asked for."""
    from bench.entity_data import is_sports

    kept: list[ConllText] = []
    for prose in {"spaced": (False,), "prose": (True,), "both": (False, True)}[form]:
        kept += [d for d in read_conll(path, prose) if sports or not is_sports(d.text)]
    return kept


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, default=DATA, help="the shared data folder")
    parser.add_argument("--epochs", type=int, default=4)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--rehearse", type=int, default=0, help="BBC articles rehearsed")
    parser.add_argument("--out", type=Path, default=OUT, help="where the NER weights go")
    parser.add_argument(
        "--form", choices=("spaced", "prose", "both"), default="both", help="training text shape"
    )
    parser.add_argument("--conservative", action="store_true", help="keep base ORG/place labels")
    parser.add_argument("--sports", action="store_true", help="also train on sports documents")
    parser.add_argument("--evaluate", action="store_true", help="score each epoch (slow)")
    parser.add_argument("--ieer-half", choices=("A", "B"), help="also train on this IE-ER half")
    parser.add_argument("--ieer-repeat", type=int, default=4, help="copies of each IE-ER story")
    parser.add_argument("--no-conll", action="store_true", help="train on IE-ER only")
    args = parser.parse_args(argv)
    conll = args.data / "conll2003" / "train.txt"
    if not conll.is_file():
        print(f"CoNLL-2003 train not found: {conll} (see its README.md)", file=sys.stderr)
        return 2
    log: list[dict[str, Any]] = []

    def on_epoch(epoch: int, nlp: Any, losses: dict[str, float], seconds: float) -> None:
        row: dict[str, Any] = {"epoch": epoch, "loss": round(float(losses.get("ner", 0.0)), 1)}
        row["seconds"] = round(seconds, 1)
        if args.evaluate:
            row.update(score(nlp, args.data))
        log.append(row)
        print(json.dumps(row), flush=True)
        save(nlp, args, log)  # each epoch, so a run stopped for time keeps its last epoch

    rehearsal = rehearsal_texts(args.data / "news" / "bbc" / "docs", args.rehearse)
    docs = [] if args.no_conll else training_docs(conll, args.form, args.sports)
    if args.ieer_half:
        docs += ieer_docs(args.data / "entities" / "ieer-dev", args.ieer_half, args.ieer_repeat)
    train(docs, rehearsal, args.epochs, args.seed, args.conservative, on_epoch)
    return 0


def save(nlp: Any, args: argparse.Namespace, log: list[dict[str, Any]]) -> None:
    """The NER weights and the settings and epochs that made them."""
    args.out.mkdir(parents=True, exist_ok=True)
    nlp.get_pipe("ner").to_disk(args.out)
    settings = {k: v for k, v in vars(args).items() if k not in ("data", "out")}
    (args.out / "training.json").write_text(
        json.dumps({"settings": settings, "epochs": log}, indent=2) + "\n"
    )


def score(nlp: Any, data: Path) -> dict[str, float]:
    """F1 per half, data set and kind with these weights, through newsdex's own extraction."""
    from bench import entities
    from bench.entity_data import load_conll, load_ieer
    from index import extract

    docs = load_ieer(data / "entities" / "ieer-dev") + load_conll(data / "conll2003" / "valid.txt")
    parsed = entities.parse(docs, nlp)
    report = entities.score(docs, entities.newsdex_names(parsed, extract.default_resources()))
    return {k: v for k, v in entities.f1s(report).items() if not k.startswith("conll-all")}


if __name__ == "__main__":
    sys.exit(main())
