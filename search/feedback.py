"""Pseudo-relevance feedback for questions: RM3, as Anserini runs it on BM25.

Lavrenko & Croft's relevance model, interpolated with the question: the likeliest content words
of the question's best articles join it, each weighted by P(w|R). The question still decides
which articles match (its matches and total are unchanged); feedback only re-orders the
question's best `feedback_depth` matches. Measured on Cranfield and CISI (bench/ranking.py).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from whoosh import matching
from whoosh import query as wq

from index import schema as S
from search.datefilter import DateFilter
from search.fastmatch import Counted
from search.highlight import TOKEN, Forms
from search.ranking import DEFAULT, STOPWORDS, FieldsTerm, RankingModel

_FEEDBACK_WORD = re.compile(r"^[a-z][a-z0-9]{1,19}$")  # no numbers, no run-on tokens


@dataclass(frozen=True)
class Reranking:
    """A question's first pass and its re-ranking by feedback."""

    query: wq.Query  # every match of the question in the re-ranked order (Reranked)
    ranked: tuple[tuple[float, int], ...]  # (score, document number) of the best, best first
    counted: Counted  # the question as the first pass ran it (its count may be exact)
    total: int  # the matches the first pass counted

    def covers(self, end: int) -> bool:
        """Whether the ranks up to `end` are all in `ranked`."""
        return end <= len(self.ranked) or len(self.ranked) == self.total


def rerank(
    searcher: Any, question: wq.Query, model: RankingModel = DEFAULT, filter: Any = None
) -> Reranking | None:
    """The question's best `feedback_depth` matches (under `filter`, the date filter), each
    scored its share of the question's score plus its feedback words' BM25F; None when the
    query is not a question (an OR of words) or the model has no feedback. Articles below
    the depth keep the question's order after them (Reranked)."""
    if not model.feedback_docs or not isinstance(question, wq.Or):
        return None
    counted = Counted(question)
    depth = max(model.feedback_docs, model.feedback_depth)
    found = searcher.search(counted, limit=depth, filter=filter, optimize=False)
    top = list(found)
    ranked = tuple((float(hit.score or 0.0), hit.docnum) for hit in top)
    words = _words_of(searcher, top[: model.feedback_docs], model)
    if not words:
        return Reranking(question, ranked, counted, len(found))
    share = model.feedback_weight / (sum(sub.boost for sub in question.subqueries) or 1.0)
    added = [
        FieldsTerm([wq.Term(f, word) for f in S.TEXT_FIELDS], boost=(1 - model.feedback_weight) * p)
        for word, p in words.items()
    ]
    extra = _scores(searcher, added, sorted(docnum for _, docnum in ranked))
    rescored = sorted(
        ((share * score + extra.get(docnum, 0.0), docnum) for score, docnum in ranked),
        key=lambda pair: (-pair[0], pair[1]),
    )
    return Reranking(Reranked(question, share, extra), tuple(rescored), counted, len(found))


def expand(
    searcher: Any, question: wq.Query, model: RankingModel = DEFAULT, filter: Any = None
) -> wq.Query:
    """The question re-ranked by feedback, as one query (see `rerank`)."""
    reranking = rerank(searcher, question, model, filter)
    return question if reranking is None else reranking.query


def feedback_words(
    searcher: Any, question: wq.Query, model: RankingModel = DEFAULT, filter: Any = None
) -> dict[str, float]:
    """The `feedback_terms` likeliest words of the question's top `feedback_docs` articles,
    each with its weight P(w|R) (for --explain); empty when there is no feedback."""
    if not model.feedback_docs or not isinstance(question, wq.Or):
        return {}
    top = searcher.search(question, limit=model.feedback_docs, filter=filter, optimize=False)
    return _words_of(searcher, top, model)


def _words_of(searcher: Any, top: Iterable[Any], model: RankingModel) -> dict[str, float]:
    forms = _forms(searcher.schema[S.BODY].analyzer)
    skip = frozenset() if model.feedback_stopwords else _stopword_forms(forms)
    return _relevance_model(top, forms, model.feedback_terms, skip)


# The analyzer's forms of each token, remembered across questions: analysing ten articles'
# whole text again for every question cost more than the question's search.
_FORMS: dict[int, Forms] = {}
_STOPWORD_FORMS: dict[int, frozenset[str]] = {}


def _forms(analyzer: Any) -> Forms:
    key = id(analyzer)
    if key not in _FORMS:
        _FORMS[key] = Forms(analyzer)
    return _FORMS[key]


def _stopword_forms(forms: Forms) -> frozenset[str]:
    """The function words as the analyzer indexes them ("was" -> "wa")."""
    key = id(forms)
    if key not in _STOPWORD_FORMS:
        _STOPWORD_FORMS[key] = frozenset(f for word in STOPWORDS for f in forms.of(word))
    return _STOPWORD_FORMS[key]


def _relevance_model(
    top: Iterable[Any], forms: Forms, terms: int, skip: frozenset[str] = frozenset()
) -> dict[str, float]:
    """P(w|R) over the feedback articles' title and body, the `terms` likeliest words, L1-normed."""
    hits = list(top)
    scores = [max(float(hit.score or 0.0), 0.0) for hit in hits]
    total = sum(scores)
    if not total:
        return {}
    weights: dict[str, float] = {}
    for hit, score in zip(hits, scores, strict=True):
        text = f"{hit.get(S.TITLE, '')}\n{hit.get(S.BODY, '')}"
        words = Counter(
            form
            for token in TOKEN.findall(text)
            for form in forms.of(token)
            if form not in skip and _FEEDBACK_WORD.match(form)
        )
        length = sum(words.values()) or 1
        for word, count in words.items():
            weights[word] = weights.get(word, 0.0) + score / total * count / length
    best = dict(sorted(weights.items(), key=lambda kv: -kv[1])[:terms])
    norm = sum(best.values()) or 1.0
    return {word: p / norm for word, p in best.items()}


def _scores(searcher: Any, added: Sequence[FieldsTerm], docnums: Sequence[int]) -> dict[int, float]:
    """The feedback words' summed score in each of `docnums` (ascending, the whole index's
    numbers) where one occurs."""
    found: dict[int, float] = {}
    for sub, offset in searcher.leaf_searchers():
        end = offset + sub.doc_count_all()
        local = [d - offset for d in docnums if offset <= d < end]
        for word in added if local else ():
            for docnum, score in word.scores_at(sub, local).items():
                found[docnum + offset] = found.get(docnum + offset, 0.0) + score
    return found


class Reranked(wq.WrappingQuery):
    """The question's matches, each scored `share` x the question's score plus its feedback
    score from `extra` (global document number -> score; absent: 0)."""

    def __init__(self, child: wq.Query, share: float, extra: dict[int, float]):
        super().__init__(child)
        self.share, self.extra = share, extra

    def _rewrap(self, child: wq.Query) -> Reranked:
        return Reranked(child, self.share, self.extra)

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, Reranked)
            and self.child == other.child
            and (self.share, self.extra) == (other.share, other.extra)
        )

    def __hash__(self) -> int:
        return hash((Reranked, self.child, self.share))

    def matcher(self, searcher: Any, context: Any = None) -> matching.Matcher:
        return _RerankedMatcher(
            self.child.matcher(searcher, context), self.share, self.extra, _offset(searcher)
        )


def _offset(searcher: Any) -> int:
    """Where a segment's document numbers start in the whole index."""
    for sub, offset in searcher.get_parent().leaf_searchers():
        if sub is searcher:
            return int(offset)
    return 0


class _RerankedMatcher(matching.WrappingMatcher):
    """Never pruned by quality: the collector's minimum score is on the question's scale, and
    the feedback scores are known only for the articles that have one."""

    def __init__(self, child: matching.Matcher, share: float, extra: dict[int, float], offset: int):
        super().__init__(child)
        self.share, self.extra, self.offset = share, extra, offset

    def _replacement(self, newchild: matching.Matcher) -> matching.Matcher:
        return _RerankedMatcher(newchild, self.share, self.extra, self.offset)

    def copy(self) -> matching.Matcher:
        return self._replacement(self.child.copy())

    def replace(self, minquality: float = 0) -> matching.Matcher:
        if not self.is_active():
            return matching.NullMatcher()
        child = self.child.replace(0)
        return self if child is self.child else self._replacement(child)

    def supports_block_quality(self) -> bool:
        return False

    def score(self) -> float:
        extra = self.extra.get(self.child.id() + self.offset, 0.0)
        return float(self.share * self.child.score() + extra)


def describe(searcher: Any, matches: wq.Query, dates: DateFilter | None) -> str:
    """The line --explain prints for a question: the words feedback adds, with their weights."""
    where = dates.query if dates else None
    words = feedback_words(searcher, matches, DEFAULT, where)
    if not words:
        return ""
    listed = ", ".join(f"{word} {weight:.2f}" for word, weight in words.items())
    docs = DEFAULT.feedback_docs
    return f"ranked with feedback from the top {docs} articles (RM3): {listed}"
