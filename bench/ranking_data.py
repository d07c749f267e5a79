"""Test collections for the ranking benchmark (Cranfield, CISI) and the measures scored on them.

Reads ../shared/data/ir/<name>/ (docs/<id>.txt, queries.tsv, qrels.txt); nothing is copied.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from statistics import mean

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "ir"
COLLECTIONS = ("cranfield", "cisi")
DEPTH = 1000  # documents ranked per query, as trec_eval's default
CUTOFF = 10
SHORT_WORDS = 3  # a short keyword query: the first content words of each question

Ranking = list[str]  # document ids, best first
Search = Callable[[str], Ranking]

# Question words and function words dropped when a question is cut down to a short keyword query.
_NOT_KEYWORDS_TEXT = """a about also an and any are as at be been being between by can could do does
    for from give has have how i in into is it its made make making may more most must of on or
    other over should so some such than that the their there these they this those to under used
    using was we were what when where whether which while who why will with within would"""
_NOT_KEYWORDS = frozenset(_NOT_KEYWORDS_TEXT.split())


@dataclass(frozen=True)
class Doc:
    id: str
    title: str
    body: str


@dataclass(frozen=True)
class Collection:
    name: str
    folder: Path  # the docs/ folder, indexed as it is
    docs: tuple[Doc, ...]
    queries: dict[str, str]  # only the queries that have relevance judgments
    qrels: dict[str, dict[str, int]]  # qid -> docid -> grade (0 = judged not relevant)


def available(root: Path = DATA) -> bool:
    return all((root / name / "qrels.txt").is_file() for name in COLLECTIONS)


def load(name: str, root: Path = DATA) -> Collection:
    """One collection; the title is the first line of each file, as SOURCE.md describes."""
    folder = root / name
    docs = tuple(_doc(path) for path in sorted((folder / "docs").glob("*.txt"), key=_number))
    qrels: dict[str, dict[str, int]] = {}
    for line in (folder / "qrels.txt").read_text().splitlines():
        qid, _, docid, grade = line.split()
        qrels.setdefault(qid, {})[docid] = int(grade)
    queries = {}
    for line in (folder / "queries.tsv").read_text().splitlines():
        qid, text = line.split("\t", 1)
        if any(g > 0 for g in qrels.get(qid, {}).values()):
            queries[qid] = text
    return Collection(name, folder / "docs", docs, queries, qrels)


def _number(path: Path) -> int:
    return int(path.stem)


def _doc(path: Path) -> Doc:
    head, _, rest = path.read_text().partition("\n")
    return Doc(path.stem, head.strip(), rest.strip())


def short_query(text: str, words: int = SHORT_WORDS) -> str:
    """The first few content words of a question: what a user would type as keywords."""
    tokens = re.findall(r"[a-z0-9]+", text.lower())
    return " ".join([t for t in tokens if t not in _NOT_KEYWORDS and len(t) > 1][:words])


@dataclass(frozen=True)
class Scores:
    map: float
    ndcg10: float
    p10: float
    queries: int
    answered: float  # share of queries with at least one result
    returned_p10: float  # precision of what the top 10 holds, over answered queries

    def row(self) -> tuple[str, str, str]:
        return f"{self.map:.3f}", f"{self.ndcg10:.3f}", f"{self.p10:.3f}"

    def precision_row(self) -> tuple[str, str, str]:
        return f"{self.p10:.3f}", f"{self.returned_p10:.3f}", f"{self.answered:.0%}"


def evaluate(runs: Mapping[str, Ranking], qrels: Mapping[str, Mapping[str, int]]) -> Scores:
    """MAP (depth DEPTH), nDCG@10 with graded gains, P@10; grade >= 1 counts as relevant."""
    qids = sorted(runs)
    answered = [q for q in qids if runs[q]]
    return Scores(
        map=mean(average_precision(runs[q], qrels[q]) for q in qids),
        ndcg10=mean(ndcg(runs[q], qrels[q]) for q in qids),
        p10=mean(precision(runs[q], qrels[q]) for q in qids),
        queries=len(qids),
        answered=len(answered) / len(qids),
        returned_p10=mean(_returned_precision(runs[q], qrels[q]) for q in answered)
        if answered
        else 0.0,
    )


def _returned_precision(ranking: Sequence[str], judged: Mapping[str, int]) -> float:
    """Precision of the results shown, however few: what AND matching is for."""
    top = ranking[:CUTOFF]
    return sum(1 for doc in top if judged.get(doc, 0) > 0) / len(top)


def average_precision(ranking: Sequence[str], judged: Mapping[str, int]) -> float:
    relevant = {d for d, g in judged.items() if g > 0}
    found, total = 0, 0.0
    for rank, doc in enumerate(ranking[:DEPTH], start=1):
        if doc in relevant:
            found += 1
            total += found / rank
    return total / len(relevant) if relevant else 0.0


def ndcg(ranking: Sequence[str], judged: Mapping[str, int], k: int = CUTOFF) -> float:
    """Linear gains (trec_eval's ndcg_cut): a Cranfield 'complete answer' (4) weighs 4."""
    gains = [max(0, judged.get(doc, 0)) for doc in ranking[:k]]
    ideal = sorted((g for g in judged.values() if g > 0), reverse=True)[:k]
    best = _dcg(ideal)
    return _dcg(gains) / best if best else 0.0


def _dcg(gains: Sequence[int]) -> float:
    return sum(g / math.log2(i + 2) for i, g in enumerate(gains))


def precision(ranking: Sequence[str], judged: Mapping[str, int], k: int = CUTOFF) -> float:
    return sum(1 for doc in ranking[:k] if judged.get(doc, 0) > 0) / k


def run_all(search: Search, queries: Mapping[str, str]) -> dict[str, Ranking]:
    return {qid: search(text) for qid, text in queries.items()}
