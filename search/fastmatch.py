"""Faster matchers for the two query shapes behind Whoosh's latency tail on large indexes: phrases
of frequent words and prefixes that expand to many words. Same documents, same scores.

Whoosh checks a phrase by walking the AND of its words one document at a time and decoding
positions for each (a phrase of two frequent words: 20,000 candidates on the 50k corpus), and
it ORs a prefix's words in a binary tree of matchers whose upkeep grows with the number of
words (`comp*`: 1 s). Here each word's postings are read block by block, candidates are found
with set operations, and the survivors are scored by Whoosh's own scorer for each word.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from whoosh import formats, matching
from whoosh import query as wq
from whoosh.matching.wrappers import WrappingMatcher

from index import whoosh_door as door

# Whoosh's phrase slop for words written side by side (the parser's default).
ADJACENT = 1


class Postings:
    """One word's postings in one segment: document numbers, weights and encoded values."""

    __slots__ = ("ids", "values", "weights")

    def __init__(self, ids: list[int], weights: list[float], values: list[Any]):
        self.ids, self.weights, self.values = ids, weights, values

    @classmethod
    def read(cls, reader: Any, field: str, btext: bytes, values: bool) -> Postings:
        """Every posting at once; deleted documents left out, as the reader's own matcher does."""
        matcher, deleted = door.without_deletions(reader.postings(field, btext))
        found = cls(*door.read_postings(matcher, values))
        if deleted:
            keep = [i for i, doc in enumerate(found.ids) if doc not in deleted]
            found = cls(*(_pick(col, keep) for col in (found.ids, found.weights, found.values)))
        return found


def _pick(column: list[Any], keep: list[int]) -> list[Any]:
    return [column[i] for i in keep] if column else column


# Documents with their scores computed ahead (its docstring says why its bound is infinite).
ScoredIds = door.ScoredList


def _scores(
    searcher: Any, context: Any, field: str, btext: bytes, docs: list[int], weights: list[float],
    lengths: list[int],
) -> list[float]:  # fmt: skip
    """Whoosh's score of one word in each of `docs` (with its weights there and the documents'
    field lengths), by the scorer that Whoosh's own matcher for the word would use."""
    weighting = getattr(context, "weighting", None) or searcher.weighting
    scorer = weighting.scorer(searcher, field, btext)
    score = door.length_score(scorer)
    if score is not None:  # without a matcher and a length look-up per call
        return [score(w, n) for w, n in zip(weights, lengths, strict=True)]
    scored = matching.ListMatcher(docs, weights=weights, scorer=scorer)
    out = []
    while scored.is_active():
        out.append(scored.score())
        scored.next()
    return out


def _lengths(searcher: Any, field: str, docs: Iterable[int], known: dict[int, int]) -> list[int]:
    """Field lengths as the scorers read them (WeightLengthScorer.setup), each looked up once."""
    out = []
    for doc in docs:
        if doc not in known:
            known[doc] = searcher.doc_field_length(doc, field, 1)
        out.append(known[doc])
    return out


class FastPhrase(wq.Phrase):
    """wq.Phrase with the same matches and scores, found with set operations for words side by
    side; any other slop, a field without plain positions or a multi-segment reader uses
    Whoosh's own matcher."""

    def matcher(self, searcher: Any, context: Any = None) -> matching.Matcher:
        if self.fieldname not in searcher.schema:
            return super().matcher(searcher, context)
        field = searcher.schema[self.fieldname]
        if (
            self.slop != ADJACENT
            or len(self.words) < 2
            or type(field.format) is not formats.Positions
            or not searcher.is_atomic()
        ):
            return super().matcher(searcher, context)
        try:
            btexts = [field.to_bytes(word) for word in self.words]
        except ValueError:
            return matching.NullMatcher()
        reader = searcher.reader()
        if any((self.fieldname, b) not in reader for b in btexts):
            return matching.NullMatcher()
        return self._adjacent(searcher, context, btexts)

    def _adjacent(self, searcher: Any, context: Any, btexts: list[bytes]) -> matching.Matcher:
        reader = searcher.reader()
        unique = list(dict.fromkeys(btexts))
        postings = {b: Postings.read(reader, self.fieldname, b, values=True) for b in unique}
        maps = {b: dict(zip(p.ids, p.values, strict=True)) for b, p in postings.items()}
        candidates = set.intersection(*(set(p.ids) for p in postings.values()))
        hits = sorted(d for d in candidates if _side_by_side(d, btexts, maps))
        if not hits:
            return matching.NullMatcher()
        lengths = _lengths(searcher, self.fieldname, hits, {})
        # The score of a phrase is Whoosh's: the sum of its words' scores (an AND of its terms),
        # each repeated word counted again, as And([Term, Term]) does.
        total = [0.0] * len(hits)
        for btext in btexts:
            weight = dict(zip(postings[btext].ids, postings[btext].weights, strict=True))
            weights = [weight[d] for d in hits]
            part = _scores(searcher, context, self.fieldname, btext, hits, weights, lengths)
            total = [a + b for a, b in zip(total, part, strict=True)]
        return ScoredIds(hits, [s * self.boost for s in total])


def _side_by_side(doc: int, btexts: list[bytes], maps: dict[bytes, dict[int, bytes]]) -> bool:
    """Whether the words occur one right after the other somewhere in `doc`."""
    starts = set(door.positions(maps[btexts[0]][doc]))
    for offset, btext in enumerate(btexts[1:], start=1):
        # Shift each later word's positions back by its offset in the phrase: a start survives
        # when every word sits where the phrase puts it.
        starts.intersection_update(door.positions(maps[btext][doc], shift=offset))
        if not starts:
            return False
    return True


class FastPrefix(wq.Prefix):
    """wq.Prefix with the same matches, without Whoosh's tree of one matcher per word.

    Each matching word is scored and the scores summed, as Whoosh does on a segment of over
    5,000 articles. On smaller segments Whoosh preloads the OR unscored and every match scores
    1.0 (its `constantscore`), so BBC-sized indexes listed prefix matches in index order; here
    they rank by BM25 on every segment, and a prefix ranks the same after a merge.
    """

    def matcher(self, searcher: Any, context: Any = None) -> matching.Matcher:
        if not self.text or not searcher.is_atomic() or self.fieldname not in searcher.schema:
            return super().matcher(searcher, context)
        reader = searcher.reader()
        btexts = [
            b for b in door.expanded_words(self, reader) if b
        ]  # the words Whoosh's own matcher ORs
        if len(btexts) < 2:  # one word or none: Whoosh's own matcher is already direct
            return super().matcher(searcher, context)
        total: dict[int, float] = {}
        known: dict[int, int] = {}
        for btext in btexts:
            p = Postings.read(reader, self.fieldname, btext, values=False)
            lengths = _lengths(searcher, self.fieldname, p.ids, known)
            part = _scores(searcher, context, self.fieldname, btext, p.ids, p.weights, lengths)
            for doc, score in zip(p.ids, part, strict=True):
                total[doc] = total.get(doc, 0.0) + score
        docs = sorted(total)
        return ScoredIds(docs, [total[d] * self.boost for d in docs])


class FastRange(wq.NumericRange):
    """wq.NumericRange with the same matches and scores (a constant, its boost), without
    Whoosh's tree of one matcher per indexed value: `number:>1000000` ORs the postings of every
    value above a million at every precision, which took a second on the 50k corpus."""

    def matcher(self, searcher: Any, context: Any = None) -> matching.Matcher:
        if not self.constantscore or not searcher.is_atomic():
            return super().matcher(searcher, context)
        if self.fieldname not in searcher.schema:
            return super().matcher(searcher, context)
        reader = searcher.reader()
        compiled = door.numeric_range_terms(self, reader)
        if compiled is wq.NullQuery:
            return matching.NullMatcher()
        inner = compiled.child if isinstance(compiled, wq.ConstantScoreQuery) else compiled
        parts = inner.subqueries if type(inner) is wq.Or else [inner]
        found: set[int] = set()
        for part in parts:
            if isinstance(part, wq.Term):
                words = [part.text] if (part.fieldname, part.text) in reader else []
            elif isinstance(part, wq.TermRange):
                words = [b for b in door.expanded_words(part, reader) if b]
            else:
                return super().matcher(searcher, context)
            for btext in words:
                found.update(Postings.read(reader, self.fieldname, btext, values=False).ids)
        if not found:
            return matching.NullMatcher()
        docs = sorted(found)
        return ScoredIds(docs, [float(self.boost)] * len(docs))


class SafeAndNotMatcher(matching.AndNotMatcher):
    """Whoosh's AndNotMatcher with two faults of Whoosh 2.7 mended: it let its first document
    through when the excluded side began before it and also had it (`x ANDNOT y` matched
    articles with y); and after moving its first matcher past its last document (skip_to under
    an AND) it asked that matcher for its document, an IndexError."""

    def _find_first(self) -> None:
        if self.a.is_active() and self.b.is_active():
            self._find_next()

    def _find_next(self) -> bool:
        if not self.a.is_active():
            return False
        return bool(super()._find_next())


class FastAndNot(wq.AndNot):
    """wq.AndNot with SafeAndNotMatcher: the same matches and scores, without the crash."""

    def matcher(self, searcher: Any, context: Any = None) -> matching.Matcher:
        scored = self.a.matcher(searcher, context)
        excluded = self.b.matcher(searcher, searcher.boolean_context())
        return SafeAndNotMatcher(scored, excluded)


class SafeAndMaybeMatcher(matching.AndMaybeMatcher):
    """Whoosh's AndMaybeMatcher with a fault of Whoosh 2.7 mended: moved forward under an AND,
    it moved its optional side to the document asked for, not to the one its first side
    landed on, and then missed the optional side's score there (`x ANDMAYBE y` ranked
    articles with y as if they lacked it)."""

    def skip_to(self, id: int) -> bool:
        if not self.a.is_active():
            raise matching.ReadTooFar
        moved = bool(self.a.skip_to(id))
        if self.a.is_active() and self.b.is_active() and self.b.id() < self.a.id():
            moved = bool(self.b.skip_to(self.a.id())) or moved
        return moved


class FastAndMaybe(wq.AndMaybe):
    """wq.AndMaybe with SafeAndMaybeMatcher: the same matches, each with its full score."""

    matcherclass = SafeAndMaybeMatcher


class Counted(wq.WrappingQuery):
    """The query `child`, noting whether Whoosh's collector may have left matches out of its count.

    Once its top N is full, the collector "replaces" its matcher every 10 documents given the
    lowest score in the top N (even without `optimize`): an OR branch that cannot reach that
    score is dropped, an OR becomes an AND, a word's matcher ends early, and the documents
    skipped that way are never counted. `pruned` is False only when no replacement did that.
    """

    def __init__(self, child: wq.Query):
        super().__init__(child)
        self.pruned = False

    def _rewrap(self, child: wq.Query) -> Counted:
        return Counted(child)

    def same_matches(self, query: wq.Query) -> Counted:
        """`query`, which matches exactly what this one's child matches (a question without
        its feedback words), wrapped with what the collector found out running this one."""
        if query is self.child:
            return self
        twin = Counted(query)
        twin.pruned = self.pruned
        return twin

    def matcher(self, searcher: Any, context: Any = None) -> matching.Matcher:
        return CountedMatcher(self.child.matcher(searcher, context), self)


class CountedMatcher(WrappingMatcher):
    """The top matcher of one segment: its replacements are told apart into simplifications,
    which lose nothing (a branch that has run out), and cuts made for a minimum score."""

    def __init__(self, child: matching.Matcher, query: Counted):
        super().__init__(child)
        self.query = query
        # The collector calls these for every document: bound to the child, they cost nothing.
        self.is_active, self.id, self.next = child.is_active, child.id, child.next
        self.score = child.score

    def copy(self) -> CountedMatcher:
        return CountedMatcher(self.child.copy(), self.query)

    def _replacement(self, newchild: matching.Matcher) -> CountedMatcher:
        return CountedMatcher(newchild, self.query)

    def replace(self, minquality: float = 0) -> matching.Matcher:
        if self.query.pruned:  # nothing left to find out: the wrapper steps aside
            return self.child.replace(minquality)
        if not minquality:
            new = self.child.replace(0)
        else:
            # Simplify first with no minimum: whatever a second replacement given the minimum
            # changes after that was changed because of the minimum (a possible cut).
            simpler = self.child.replace(0)
            new = simpler.replace(minquality) if simpler.is_active() else simpler
            self.query.pruned = new is not simpler
        return self if new is self.child else self._replacement(new)


def accelerate(q: wq.Query) -> wq.Query:
    """The query to run for `q`: the same matches and scores, with every Phrase, Prefix and
    NumericRange replaced by its faster twin, every AndNot and AndMaybe by its mended one, and
    every OR made a tree of unions."""
    if type(q) is wq.AndNot:
        return FastAndNot(accelerate(q.a), accelerate(q.b))
    if type(q) is wq.AndMaybe:
        return FastAndMaybe(accelerate(q.a), accelerate(q.b))
    if type(q) is wq.Phrase:
        return FastPhrase(
            q.fieldname, q.words, slop=q.slop, boost=q.boost, char_ranges=q.char_ranges
        )
    if type(q) is wq.Prefix:
        return FastPrefix(q.fieldname, q.text, boost=q.boost, constantscore=q.constantscore)
    if type(q) is wq.NumericRange:
        return FastRange(
            q.fieldname, q.start, q.end, q.startexcl, q.endexcl,
            boost=q.boost, constantscore=q.constantscore,
        )  # fmt: skip
    if q.is_leaf():
        return q
    fast = q.apply(accelerate)
    if type(fast) is wq.Or:
        # Always a tree of unions, which search.bulk scores at once: on a segment of 5,000
        # articles or fewer Whoosh would preload an OR of three parts or more one at a time.
        fast.matcher_type = wq.Or.DEFAULT_MATCHER
    return fast
