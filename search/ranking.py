"""How newsdex ranks: true BM25F over title and body, and how a pasted question is read.

Every choice here was measured on Cranfield and CISI together (bench/ranking.py, bench/results/).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

from whoosh import matching
from whoosh import query as wq
from whoosh.scoring import BM25F

from index import schema as S
from search.results import Document

# Function and question words: in a pasted question they say nothing about the topic, and even
# with a low idf, twenty of them add up to outrank the two words that matter.
_STOPWORDS = """a about above after again against all also am an and any are as at be because
    been before being below between both but by can could did do does doing down during each either
    etc few for from further get give given had has have having he her here hers him his how however
    i if in into is it its itself just least less let like made make many may me might more most
    much must my neither no nor not now of off on once one only or other others otherwise our out
    over own per perhaps please rather same shall she should since so some such than that the their
    them then there therefore these they this those though through thus to too under until up upon
    us very via was we well were what whatever when where whether which while who whom whose why
    will with within without would yet you your"""
STOPWORDS = frozenset(_STOPWORDS.split())
_QUOTED = re.compile(r'"[^"]*"')
_WORD = re.compile(r"[^\W_]+(?:['’.-][^\W_]+)*")
_UNHYPHENATED = re.compile(r"[^\W_]+(?:['’.][^\W_]+)*")


@dataclass(frozen=True)
class RankingModel:
    """The scoring choices; DEFAULT is what the product uses, the bench varies one at a time."""

    question_words: int = 4  # a query this long, without query syntax, is read as a question
    k1: float = 2.0
    b: float = 0.75
    bm25f: bool = True  # in questions: title and body counts summed, then saturated once
    rsj_idf: bool = True  # idf near 0 for a word in most articles (Whoosh's stays near 1)
    stopwords: bool = True  # drop function words from pasted questions
    qtf: bool = True  # a word said twice in a question weighs twice
    coord: float | None = None  # Whoosh's coordination bonus for questions (OrGroup scale)
    title_boost: float = 1.0  # query-time weight of title matches, on top of the schema's
    proximity: float = 0.0  # weight of two adjacent question words found near each other
    slop: int = 3  # how near: at most this many words apart, in order
    split_hyphens: bool = True  # "high-speed" as two words in a question, not a required phrase
    # Pseudo-relevance feedback (RM3) for questions: the words of the top feedback_docs articles
    # re-rank the question's matches (0: off). feedback_weight is the question's own share.
    feedback_docs: int = 10
    feedback_terms: int = 10
    feedback_weight: float = 0.5
    feedback_stopwords: bool = False  # function words ("was", "could") may be feedback words
    feedback_depth: int = 100  # the question's best matches re-ranked by the feedback words


DEFAULT = RankingModel()


def _rsj_idf(searcher: Any, fieldname: str, text: bytes) -> float:
    """log(1 + (N - df + 0.5) / (df + 0.5)): Robertson-Sparck Jones, kept positive (Lucene)."""
    parent = searcher.get_parent()
    df = parent.doc_frequency(fieldname, text)
    n = parent.doc_count()
    return math.log(1.0 + (n - df + 0.5) / (df + 0.5))


class NewsdexBM25F(BM25F):
    """Whoosh's BM25F (one BM25 per field, summed) with the Robertson-Sparck Jones idf.

    Whoosh's own idf, log(N / (df + 1)) + 1, stays near 1 for a word found in every article:
    it still weighs a seventh of the rarest, and twenty such words outweigh two rare ones. Words of a question are scored by FieldsTerm instead.
    """

    def __init__(self, model: RankingModel = DEFAULT):
        super().__init__(B=model.b, K1=model.k1)
        self.model = model

    def idf(self, searcher: Any, fieldname: str, text: bytes) -> float:
        if not self.model.rsj_idf:
            return float(super().idf(searcher, fieldname, text))
        return _rsj_idf(searcher, fieldname, text)


def weighting(model: RankingModel = DEFAULT) -> NewsdexBM25F:
    return NewsdexBM25F(model)


class FieldsTerm(wq.CompoundQuery):
    """One word over several text fields, scored as BM25F should be (Robertson & Zaragoza):
    the field counts, weighted and length-normalised, are summed before one saturation.

    Summing a BM25 per field instead (Whoosh's BM25F) lets an article win by having the word
    once in its title and once in its body over one that uses it throughout.
    """

    def matcher(self, searcher: Any, context: Any = None) -> matching.Matcher:
        leaves = [(t, t.matcher(searcher, context)) for t in self.subqueries]
        active = [(t, m) for t, m in leaves if m.is_active()]
        if not active:
            return matching.NullMatcher()
        union = active[0][1]
        for _, m in active[1:]:
            union = matching.UnionMatcher(union, m)
        w = context.weighting if context is not None else searcher.weighting
        model = w.model if isinstance(w, NewsdexBM25F) else DEFAULT
        return _FieldsMatcher(union, _FieldStats.of(searcher, active, model), self.boost)

    def scores_at(self, searcher: Any, docnums: Sequence[int]) -> dict[int, float]:
        """The word's score in each of `docnums` (ascending, one segment's numbers) that has
        it: each field's postings are moved forward to those articles only."""
        m = self.matcher(searcher, searcher.get_parent().context())
        if not isinstance(m, _FieldsMatcher):
            return {}
        found: dict[int, float] = {}
        for docnum in docnums:
            for leaf in m.leaves:
                if leaf.is_active() and leaf.id() < docnum:
                    leaf.skip_to(docnum)
            score = m.stats.score(docnum, m.leaves)
            if score:
                found[docnum] = m.boost * score
        return found


@dataclass(frozen=True)
class _FieldStats:
    """What scoring one word needs: each field's weight and mean length, the idf, the model."""

    fields: dict[str, tuple[float, float]]  # field name -> (query-time weight, mean length)
    reader: Any  # the segment's reader: document numbers and lengths are per segment
    idf: float
    model: RankingModel

    @classmethod
    def of(cls, searcher: Any, active: list[tuple[Any, Any]], model: RankingModel) -> _FieldStats:
        parent = searcher.get_parent()
        # The rarer field's df would give title matches a larger idf than body matches of the
        # same word; the word's idf is that of its commonest field (close to df of the union).
        idf = min(
            parent.idf(t.fieldname, searcher.schema[t.fieldname].to_bytes(t.text))
            for t, _ in active
        )
        fields = {
            t.fieldname: (t.boost, parent.avg_field_length(t.fieldname) or 1.0) for t, _ in active
        }
        return cls(fields, searcher.reader(), idf, model)

    @property
    def bound(self) -> float:
        """No document scores more: BM25's saturation tends to idf * (k1 + 1)."""
        return self.idf * (self.model.k1 + 1)

    def score(self, docnum: int, leaves: list[matching.Matcher]) -> float:
        k1, b = self.model.k1, self.model.b
        tf = 0.0
        for m in leaves:
            if m.is_active() and m.id() == docnum:
                field = m.term()[0]
                weight, avg = self.fields[field]
                length = self.reader.doc_field_length(docnum, field, 1)
                # m.weight() already carries the schema's field_boost (title counts twice).
                tf += weight * m.weight() / ((1 - b) + b * length / avg)
        return self.idf * tf * (k1 + 1) / (k1 + tf)


class _FieldsMatcher(matching.WrappingMatcher):
    """The union of a word's field matchers, scored by _FieldStats.

    Its quality is the score bound, so that Whoosh's top-k pruning around it stays exact; the
    union inside is never pruned by quality (its leaves' qualities are on another scale).
    """

    def __init__(self, child: matching.Matcher, stats: _FieldStats, boost: float = 1.0):
        super().__init__(child, boost=boost)
        self.stats = stats
        self.leaves = list(child.term_matchers())  # the same objects until a replace()

    def _replacement(self, newchild: matching.Matcher) -> matching.Matcher:
        return _FieldsMatcher(newchild, self.stats, self.boost)

    def copy(self) -> matching.Matcher:
        return _FieldsMatcher(self.child.copy(), self.stats, self.boost)

    def replace(self, minquality: float = 0) -> matching.Matcher:
        if not self.is_active() or (minquality and self.max_quality() < minquality):
            return matching.NullMatcher()
        child = self.child.replace(0)
        return self if child is self.child else self._replacement(child)

    def supports_block_quality(self) -> bool:
        return True

    def max_quality(self) -> float:
        return float(self.boost * self.stats.bound)

    def block_quality(self) -> float:
        return self.max_quality()

    def skip_to_quality(self, minquality: float) -> int:
        if self.max_quality() > minquality:
            return 0
        self.child.skip_to(self.stats.reader.doc_count_all())  # nothing here can compete
        return 1

    def score(self) -> float:
        return float(self.boost * self.stats.score(self.child.id(), self.leaves))


def fielded(q: wq.Query, model: RankingModel = DEFAULT) -> wq.Query:
    """The query with each word searched over the text fields turned into one FieldsTerm."""
    if not model.bm25f:
        return q
    if _is_word_over_fields(q):
        return FieldsTerm(list(q.subqueries), boost=q.boost)
    if q.is_leaf():
        return q
    return q.apply(lambda sub: fielded(sub, model))


def _is_word_over_fields(q: wq.Query) -> bool:
    if not isinstance(q, wq.Or) or len(q.subqueries) < 2:
        return False
    terms = [s for s in q.subqueries if type(s) is wq.Term]
    return (
        len(terms) == len(q.subqueries)
        and len({t.text for t in terms}) == 1
        and {t.fieldname for t in terms} <= set(S.TEXT_FIELDS)
    )


def question_text(text: str, model: RankingModel = DEFAULT) -> str:
    """A pasted question as plain query words: punctuation that Whoosh would read as syntax
    (`?` wildcards, brackets, colons) dropped, function words dropped, quoted phrases kept."""
    # A quoted single word is only emphasis: it stays a word, counted with its repetitions.
    phrases = [p for p in _QUOTED.findall(text) if len(p.split()) > 1]
    text = _QUOTED.sub(lambda m: m.group() if m.group() in phrases else m.group()[1:-1], text)
    pattern = _UNHYPHENATED if model.split_hyphens else _WORD
    words = pattern.findall(_QUOTED.sub(" ", text))
    if model.stopwords:
        kept = [w for w in words if w.lower() not in STOPWORDS]
        words = kept or words  # a question made only of stopwords still means something
    return " ".join([*phrases, *(_plain(w) for w in words)])


def _plain(word: str) -> str:
    # An operator word in prose ("and", "or" in capitals) must not become an operator.
    return (
        word.lower()
        if word.upper() in ("AND", "OR", "NOT", "ANDNOT", "ANDMAYBE", "REQUIRE", "TO")
        else word
    )


def rewrite(q: wq.Query, model: RankingModel = DEFAULT) -> wq.Query:
    """The parsed question (not yet normalised) with a repeated word merged into one clause
    boosted by its count, optional clauses for adjacent words found near each other, and each
    word scored over the text fields as one (FieldsTerm)."""
    if not isinstance(q, wq.Or):
        return fielded(q, model)
    subs = list(q.subqueries)
    if model.qtf:
        counts = Counter(subs)
        subs = [_boosted(sub, counts[sub]) for sub in dict.fromkeys(subs)]
    if model.proximity:
        subs.extend(_near_pairs(q.subqueries, model))
    return wq.Or([fielded(sub, model) for sub in subs], boost=q.boost, scale=q.scale)


def _boosted(sub: wq.Query, times: int) -> wq.Query:
    if times == 1:
        return sub
    copy = sub.copy()
    copy.boost = sub.boost * times
    return copy


def _near_pairs(subs: list[wq.Query], model: RankingModel) -> list[wq.Query]:
    """A phrase query, with slop, for each two words next to each other in the question."""
    words = [_body_word(sub) for sub in subs]
    pairs = dict.fromkeys((a, b) for a, b in pairwise(words) if a and b and a != b)
    return [wq.Phrase(S.BODY, [a, b], slop=model.slop, boost=model.proximity) for a, b in pairs]


def _body_word(sub: wq.Query) -> str | None:
    """The analysed word a question clause looks for in the body (None for a quoted phrase)."""
    for leaf in [sub] if sub.is_leaf() else sub.leaves():
        if isinstance(leaf, wq.Term) and leaf.fieldname == S.BODY:
            return str(leaf.text)
    return None


# How much a shared place or organization counts, next to a key body term, in `similar`.
SHARED_ENTITY_BOOST = 0.5


def like(searcher: Any, docnum: int, doc: Document) -> wq.Query:
    """The query of `similar`: the article's key body terms, and its places and organizations."""
    terms = searcher.key_terms([docnum], S.BODY, numterms=12)
    clauses: list[wq.Query] = [wq.Term(S.BODY, t, boost=w) for t, w in terms]
    for field, names in ((S.PLACE, doc.places), (S.ORGANIZATION, doc.organizations)):
        clauses += [wq.Term(field, n.lower(), boost=SHARED_ENTITY_BOOST) for n in names]
    return wq.Or(clauses) if clauses else wq.NullQuery
