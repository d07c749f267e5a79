"""newsdex on the ranking benchmark: its index of a collection, its default query path, its variants.

The default row goes through Engine.search exactly as a user's query does; variants change one
RankingModel choice at a time over the same index.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path

from whoosh import index as windex
from whoosh import query as wq
from whoosh.qparser import OrGroup
from whoosh.searching import Searcher

from bench.ranking_data import DEPTH, Collection, Ranking, Search
from index import schema as S
from search import feedback, ranking
from search.engine import Engine, SearchOptions
from search.parser import make_parser
from search.query import parse


def index_dir(collection: Collection, work: Path) -> Path:
    """The collection indexed by newsdex's own pipeline (NER included), kept between runs."""
    from index.pipeline import run
    from search.indexing import user_settings

    folder = work / f"newsdex-{collection.name}-v{S.SCHEMA_VERSION}"
    # As `newsdex index` runs it (config, alias files, extraction cache); unchanged files skipped.
    run([collection.folder], folder, workers=2, settings=user_settings(folder))
    return folder


def _docid(path: str) -> str:
    return Path(path).stem  # the collection's own id: docs/<docid>.txt


def default_path(folder: Path) -> Search:
    """Engine.search with the product's defaults: what `newsdex search` runs."""
    engine = Engine(folder)
    options = SearchOptions(limit=DEPTH, snippets=False)

    def search(text: str) -> Ranking:
        return [_docid(hit.document.path) for hit in engine.search(text, options).hits]

    return search


@dataclass(frozen=True)
class Variant:
    label: str
    model: ranking.RankingModel
    old_heuristic: bool = False  # the question test as first committed (see _old_question)


def variant_path(folder: Path, variant: Variant) -> Search:
    """The same parse() with another RankingModel, scored by that model's weighting."""
    ix = windex.open_dir(str(folder))
    searcher = ix.searcher(weighting=ranking.weighting(variant.model))

    def search(text: str) -> Ranking:
        if variant.old_heuristic:
            query = _old_question(text, searcher)
        else:
            parsed = parse(text, ix.schema, model=variant.model)
            query = feedback.expand(searcher, parsed.query, variant.model)
        hits = searcher.search(query, limit=DEPTH)
        return [_docid(hit["path"]) for hit in hits]

    return search


# The first commit's question test: a word holding any of these made the whole query AND.
_OLD_SYNTAX = re.compile(r"[:\"()*?~^\[\]{}]")


def _old_question(text: str, searcher: Searcher) -> wq.Query:
    words = text.split()
    question = len(words) > 4 and not any(_OLD_SYNTAX.search(w) for w in words)
    parser = make_parser(searcher.schema, any_word=False, model=_BASE)
    if question:
        parser.group = OrGroup.factory(0.9)
    return parser.parse(text)


_BASE = ranking.RankingModel(
    question_words=5,
    k1=1.2,
    bm25f=False,
    rsj_idf=False,
    stopwords=False,
    qtf=False,
    coord=0.9,
    split_hyphens=False,
    feedback_docs=0,
)
D = ranking.DEFAULT


def _cumulative() -> tuple[Variant, ...]:
    """Each row adds one change to the row above, from the first commit to the default."""
    steps: list[tuple[str, dict[str, object]]] = [
        ("+ question test: prose punctuation, 4+ words", {"question_words": 4}),
        ("+ plain OR, no coordination bonus", {"coord": None}),
        ("+ RSJ idf (a word in half the articles weighs ~0)", {"rsj_idf": True}),
        ("+ stopwords dropped from questions", {"stopwords": True}),
        ("+ query term frequency", {"qtf": True}),
        ("+ hyphenated words split in questions", {"split_hyphens": True}),
        ("+ true BM25F for questions (title + body counts, one saturation)", {"bm25f": True}),
        ("+ k1 2.0", {"k1": D.k1}),
        (
            "+ RM3 feedback: 10 articles, 10 words, weight 0.5 (Anserini's); top 100 re-ranked",
            {"feedback_docs": D.feedback_docs},
        ),
    ]
    rows = [Variant('before: first commit (question: 5+ words, no ?():"; coord 0.9)', _BASE, True)]
    model = _BASE
    for label, change in steps:
        model = replace(model, **change)  # type: ignore[arg-type]
        rows.append(Variant(label, model))
    if rows[-1].model != D:
        raise RuntimeError("the cumulative rows must end at ranking.DEFAULT; add the missing step")
    return tuple(rows)


VARIANTS = _cumulative()


def departures() -> tuple[Variant, ...]:
    """Single changes from the default, to show it sits at (or near) a maximum on both."""

    def change(**changes: float | bool | None) -> ranking.RankingModel:
        return replace(D, **changes)  # type: ignore[arg-type]

    return (
        Variant("default, Whoosh idf instead of RSJ", change(rsj_idf=False)),
        Variant("default, no stopwords", change(stopwords=False)),
        Variant("default, no qtf", change(qtf=False)),
        Variant("default, Whoosh BM25F for questions (per-field BM25 summed)", change(bm25f=False)),
        Variant("default, questions from 5 words (4-word queries AND)", change(question_words=5)),
        Variant("default, k1 1.2", change(k1=1.2)),
        Variant("default, k1 3.0", change(k1=3.0)),
        Variant("default, b 0.5", change(b=0.5)),
        Variant("default, b 0.9", change(b=0.9)),
        Variant("default, title x2 (query time)", change(title_boost=2.0)),
        Variant("default, proximity 0.1 (adjacent words within 3)", change(proximity=0.1)),
        Variant("default, no RM3 feedback", change(feedback_docs=0)),
        Variant("default, RM3 keeps function words", change(feedback_stopwords=True)),
        Variant("default, RM3 re-ranks the top 1000", change(feedback_depth=1000)),
        Variant("default, RM3 re-ranks the top 30", change(feedback_depth=30)),
        Variant("default, RM3 from 5 articles", change(feedback_docs=5)),
        Variant("default, RM3 20 words", change(feedback_terms=20)),
        Variant("default, RM3 question weight 0.7", change(feedback_weight=0.7)),
    )
