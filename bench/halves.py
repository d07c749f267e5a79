"""The fixed halves of each development set, by document: rules are written on one, checked on the other.

The lists are committed in bench/halves/ (one document id a line); `python -m bench.halves --make`
wrote them once from the data: documents ordered by the SHA-256 of their id, the first half A.
Never rewrite them: a rule's check is only honest on a half fixed before the rule.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import sys
from collections.abc import Sequence
from functools import cache
from pathlib import Path

FOLDER = Path(__file__).resolve().parent / "halves"
DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
SETS = ("ieer-dev", "conll-valid", "newsquant-dev")
HALVES = ("A", "B")


@cache
def half_ids(dataset: str, half: str) -> frozenset[str]:
    """The document ids of one half ("A" or "B") of a development set."""
    path = FOLDER / f"{dataset}.{half.lower()}.txt"
    lines = path.read_text(encoding="utf-8").splitlines()
    return frozenset(line.split("\t", 1)[0] for line in lines if line and not line.startswith("#"))


def which_half(dataset: str, doc_id: str) -> str:
    """ "A" or "B"; a document in neither list is an error (the lists cover the whole set)."""
    for half in HALVES:
        if doc_id in half_ids(dataset, half):
            return half
    raise KeyError(f"{doc_id} is in no half of {dataset}")


def conll_doc_id(ordinal: int) -> str:
    """A CoNLL-2003 document's id: its 1-based position among the file's -DOCSTART- blocks."""
    return f"valid-{ordinal:03d}"


def _ids(data: Path) -> dict[str, list[str]]:
    """The id of every document of each set."""
    ieer = sorted(p.stem for p in (data / "entities" / "ieer-dev" / "docs").glob("*.txt"))
    with open(data / "entities" / "newsquant-dev" / "sentences.tsv", encoding="utf-8") as handle:
        quant = [row["sid"] for row in csv.DictReader(handle, delimiter="\t")]
    # Ids only: the evaluation texts are never copied into the project, headlines included.
    text = (data / "conll2003" / "valid.txt").read_text(encoding="utf-8")
    conll = [conll_doc_id(i + 1) for i in range(text.count("-DOCSTART-"))]
    return {"ieer-dev": ieer, "conll-valid": conll, "newsquant-dev": quant}


def make(data: Path) -> None:
    """Write the two lists of each set (run once; the lists are then committed and fixed)."""
    FOLDER.mkdir(exist_ok=True)
    for dataset, docs in _ids(data).items():
        ordered = sorted(docs, key=lambda d: hashlib.sha256(d.encode()).hexdigest())
        cut = (len(ordered) + 1) // 2
        for half, part in zip(HALVES, (ordered[:cut], ordered[cut:]), strict=True):
            rows = sorted(part, key=_natural)
            text = f"# {dataset} half {half}: {len(rows)} documents (bench/halves.py)\n"
            text += "".join(f"{doc_id}\n" for doc_id in rows)
            (FOLDER / f"{dataset}.{half.lower()}.txt").write_text(text, encoding="utf-8")


def _natural(doc_id: str) -> tuple[int, str]:
    return (int(doc_id) if doc_id.isdigit() else 0, doc_id)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--make", action="store_true", help="write the lists (once)")
    parser.add_argument("--data", type=Path, default=DATA)
    args = parser.parse_args(argv)
    if args.make:
        make(args.data)
    for dataset in SETS:
        print(dataset, *(len(half_ids(dataset, h)) for h in HALVES))
    return 0


if __name__ == "__main__":
    sys.exit(main())
