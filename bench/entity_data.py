"""The entity development sets as scored documents: IE-ER dev and CoNLL-2003 valid, with halves.

Each document carries its gold names as the annotators wrote them (document level) and, for
CoNLL, its gold spans (mention level); its half comes from bench/halves/.
"""

from __future__ import annotations

import csv
import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from bench.halves import conll_doc_id, which_half
from index.clean import clean_text, unescape_references

KINDS = ("place", "org", "person")
IEER_KINDS = {"LOCATION": "place", "ORGANIZATION": "org", "PERSON": "person"}
CONLL_KINDS = {"LOC": "place", "ORG": "org", "PER": "person"}

# A CoNLL document is sports when its headline (first sentence) starts with a sport's name in
# any case ("SOCCER -", "Boxing-Bruno", "NFL AMERICAN FOOTBALL-..."), or is in capitals and
# announces results or standings. Checked by hand on all 216 valid headlines.
SPORTS = re.compile(
    r"^(?:SOCCER|CRICKET|TENNIS|GOLF|RUGBY|BASEBALL|BASKETBALL|BOXING|ATHLETICS|SQUASH|CYCLING"
    r"|MOTOR RACING|HORSE RACING|NFL|NBA|NHL|ICE HOCKEY|SKIING|SWIMMING|BADMINTON|YACHTING)",
    re.IGNORECASE,
)
SPORTS_CAPITALS = re.compile(r"\b(?:RESULTS|STANDINGS|SCOREBOARD)\b")

Span = tuple[int, int, str]


@dataclass(frozen=True)
class EvalDoc:
    """One scored document: the text the model reads and the gold names of each kind."""

    dataset: str  # "ieer" or "conll"
    doc_id: str
    half: str  # "A" or "B"
    text: str
    gold: dict[str, tuple[str, ...]]
    optional: dict[str, tuple[str, ...]] = field(default_factory=dict)
    sports: bool = False
    spans: frozenset[Span] = frozenset()  # CoNLL: (start, end, kind) for mention-level scoring


def load_ieer(folder: Path) -> list[EvalDoc]:
    """IE-ER dev stories, body only (headline spans are not scored: newsdex never extracts
    from titles); the body cleaned as indexing cleans it (SGML references decoded)."""
    rows: dict[str, list[dict[str, str]]] = defaultdict(list)
    with (folder / "annotations.tsv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            if row["type"] in IEER_KINDS:
                rows[row["docid"]].append(row)
    docs = []
    for path in sorted((folder / "docs").glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        start = text.index("\n") + 1
        gold: dict[str, list[str]] = {kind: [] for kind in KINDS}
        optional: dict[str, list[str]] = {kind: [] for kind in KINDS}
        for row in rows[path.stem]:
            if int(row["start"]) < start:
                continue
            kind = IEER_KINDS[row["type"]]
            (optional if row["optional"] == "1" else gold)[kind].append(
                unescape_references(row["text"])
            )
            if row["alt"]:  # a minimal extent the annotators also allowed
                optional[kind].append(unescape_references(row["alt"]))
        docs.append(
            EvalDoc(
                "ieer",
                path.stem,
                which_half("ieer-dev", path.stem),
                clean_text(text[start:], ()),
                {k: tuple(v) for k, v in gold.items()},
                {k: tuple(v) for k, v in optional.items()},
            )
        )
    return docs


def conll_documents(path: Path) -> Iterator[list[list[tuple[str, str]]]]:
    """Each -DOCSTART- block of a CoNLL-2003 file, as its sentences of (token, tag)."""
    sentences: list[list[tuple[str, str]]] = [[]]
    for line in [*path.read_text(encoding="utf-8").splitlines(), "-DOCSTART- -X- -X- O"]:
        if line.startswith("-DOCSTART-"):
            if any(sentences):
                yield [s for s in sentences if s]
            sentences = [[]]
        elif not line.strip():
            sentences.append([])
        else:
            token, *_, tag = line.split(" ")
            sentences[-1].append((token, tag))


def load_conll(path: Path) -> list[EvalDoc]:
    return [
        _conll_doc(conll_doc_id(number), sentences)
        for number, sentences in enumerate(conll_documents(path), start=1)
    ]


def _conll_doc(doc_id: str, sentences: list[list[tuple[str, str]]]) -> EvalDoc:
    """Tokens joined by spaces, sentences by line breaks; IOB2 spans as character offsets."""
    text = "\n".join(" ".join(token for token, _ in sentence) for sentence in sentences)
    spans: set[Span] = set()
    position = 0
    for sentence in sentences:
        span: Span | None = None
        for token, tag in [*sentence, ("", "O")]:
            if span and not tag.startswith("I-"):
                spans.add(span)
                span = None
            end = position + len(token)
            if tag.startswith("B-") and tag[2:] in CONLL_KINDS:
                span = (position, end, CONLL_KINDS[tag[2:]])
            elif span and tag.startswith("I-"):
                span = (span[0], end, span[2])
            position = end + 1 if token else position
    gold = {kind: tuple(text[s:e] for s, e, k in sorted(spans) if k == kind) for kind in KINDS}
    return EvalDoc(
        "conll",
        doc_id,
        which_half("conll-valid", doc_id),
        text,
        gold,
        sports=is_sports(text),
        spans=frozenset(spans),
    )


def is_sports(text: str) -> bool:
    """A CoNLL document whose headline (first line) names a sport or announces results."""
    headline = text.split("\n", 1)[0]
    return bool(SPORTS.match(headline)) or (
        headline.isupper() and bool(SPORTS_CAPITALS.search(headline))
    )
