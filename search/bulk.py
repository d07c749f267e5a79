"""Scoring a query's matches in bulk: the same documents and the same scores as Whoosh's matchers
and collector, without a Python call per document and per matcher.

Whoosh walks a query's tree of matchers one document at a time: for a word in 5,000 articles,
each step is a handful of method calls on a union of its title and body postings, a field-length
look-up and a scorer call, and the collector's own calls on top (about 5 us a match on the 50k
corpus, where raw Whoosh's block-quality skipping avoids most of them but under-counts). Here
each word's postings are read a block at a time, scored with its BM25 formula over the field
lengths of the whole segment (read once as one byte string), and the tree's unions,
intersections and exclusions are applied to those scores as dictionaries. Every sum is taken
in the order Whoosh's matcher takes it, so the scores are equal to the last bit, and the top N
is chosen as Whoosh's collector chooses it (highest score, then lowest document number).

A tree with any other kind of matcher, or a collector with a final scoring step, is left to
Whoosh, one document at a time.
"""

from __future__ import annotations

from collections.abc import Collection
from heapq import heappush, heapreplace, nlargest
from typing import Any

from whoosh import collectors, matching

from index import whoosh_door as door
from search.fastmatch import CountedMatcher, SafeAndMaybeMatcher, SafeAndNotMatcher, ScoredIds

Scores = dict[int, float]  # document number (in one segment) -> score
_ADDED = (
    matching.UnionMatcher,
    matching.IntersectionMatcher,
    matching.AndMaybeMatcher,
    SafeAndMaybeMatcher,
)
_EXCLUDED = (matching.AndNotMatcher, SafeAndNotMatcher)


def supported(m: matching.Matcher, scored: bool = True) -> bool:
    """Whether `scores` can evaluate the tree of matchers `m` (`scored`: with its scores)."""
    kind = type(m)
    if kind in _ADDED:
        return supported(m.a, scored) and supported(m.b, scored)
    if kind in _EXCLUDED:  # the excluded side is matched in a boolean context: no scores
        return supported(m.a, scored) and supported(m.b, scored=False)
    if kind is matching.FilterMatcher:  # only the reader's filter of deleted documents
        child, deleted = door.without_deletions(m)
        return bool(deleted) and supported(child, scored)
    if kind is matching.InverseMatcher:  # NOT, inside an AND: its child matched unscored
        return supported(m.child, scored=False)
    if kind in (CountedMatcher, matching.WrappingMatcher):
        return supported(m.child, scored)
    if kind is ScoredIds or m is matching.NullMatcher:
        return True
    if not door.is_word_matcher(m):
        return False
    return not scored or door.bm25_parts(door.leaf_scorer(m)) is not None


def scores(
    m: matching.Matcher,
    reader: Any,
    lengths: dict[str, bytes],
    within: Collection[int] | None = None,
    scored: bool = True,
) -> Scores:
    """Every document `m` has yet to match in `reader`'s segment (only those in `within`, when
    given), with its score (0.0 for all when not `scored`); `supported` said yes first.
    `lengths` caches each field's length bytes for the segment."""
    kind = type(m)
    if kind is matching.UnionMatcher:
        a = scores(m.a, reader, lengths, within, scored)
        for doc, score in scores(m.b, reader, lengths, within, scored).items():
            a[doc] = a[doc] + score if doc in a else score  # a.score() + b.score()
        return a
    if kind is matching.IntersectionMatcher and type(m.a) is matching.InverseMatcher:
        # NOT x AND y: y first, so that the NOT is checked on y's matches, not on every article.
        b = scores(m.b, reader, lengths, within, scored)
        a = scores(m.a, reader, lengths, b.keys(), scored) if b else {}
        return {doc: score + b[doc] for doc, score in a.items() if doc in b}
    if kind in _ADDED:  # an AND, or an AND that adds the second side's scores where it matches
        a = scores(m.a, reader, lengths, within, scored)
        b = scores(m.b, reader, lengths, a.keys(), scored) if a else {}
        if kind is matching.IntersectionMatcher:
            return {doc: score + b[doc] for doc, score in a.items() if doc in b}
        return {doc: score + b[doc] if doc in b else score for doc, score in a.items()}
    if kind in _EXCLUDED:
        a = scores(m.a, reader, lengths, within, scored)
        b = scores(m.b, reader, lengths, a.keys(), scored=False) if a else {}
        return {doc: score for doc, score in a.items() if doc not in b}
    if kind is matching.InverseMatcher:
        if not m.is_active():
            return {}
        found = scores(m.child, reader, lengths, within, scored=False)
        weight, missing, first, limit = door.inverse_weight(m), m.missing, m.id(), m.limit
        candidates = range(first, limit) if within is None else within
        return {
            doc: weight
            for doc in candidates
            if first <= doc < limit and doc not in found and not missing(doc)
        }
    if kind is CountedMatcher:
        return scores(m.child, reader, lengths, within, scored)
    if kind is matching.WrappingMatcher:
        found = scores(m.child, reader, lengths, within, scored)
        boost = m.boost
        return {doc: score * boost for doc, score in found.items()}
    if kind is matching.FilterMatcher:
        child, deleted = door.without_deletions(m)
        found = scores(child, reader, lengths, within, scored)
        return {doc: score for doc, score in found.items() if doc not in deleted}
    if kind is ScoredIds:
        if not m.is_active():
            return {}
        pairs = zip(*m.remaining(), strict=True)
        return {d: s for d, s in pairs if d in within} if within is not None else dict(pairs)
    if m is matching.NullMatcher:
        return {}
    return _word(m, reader, lengths, within, scored)


def _word(
    m: matching.Matcher,
    reader: Any,
    lengths: dict[str, bytes],
    within: Collection[int] | None,
    scored: bool,
) -> Scores:
    """One word's postings in one field, scored as BM25FScorer scores them."""
    ids, weights, _ = door.remaining_postings(m)
    if not scored:
        return dict.fromkeys((d for d in ids if d in within) if within is not None else ids, 0.0)
    field = m.term()[0]
    if field not in lengths:
        lengths[field] = door.length_bytes(reader, field) or b""  # reads_lengths said yes
    encoded = lengths[field]
    idf, avgfl, b, k1 = door.bm25_parts(door.leaf_scorer(m))  # type: ignore[misc]
    # scoring.bm25: idf * ((tf * (K1 + 1)) / (tf + K1 * ((1 - B) + B * fl / avgfl))), with the
    # length part computed once for each of the 256 encoded lengths (the same operations).
    norm = [k1 * ((1 - b) + b * length / avgfl) for length in door.LENGTHS]
    pairs = zip(ids, weights, strict=True)
    if within is not None:
        pairs = ((doc, w) for doc, w in pairs if doc in within)  # type: ignore[assignment]
    return {doc: idf * ((w * (k1 + 1)) / (w + norm[encoded[doc]])) for doc, w in pairs}


class BulkTopCollector(collectors.TopCollector):
    """Whoosh's TopCollector which takes a segment's matches in bulk when `supported` says the
    tree allows it, and one at a time otherwise, never cutting any: no block-quality skipping,
    and no "replacing" of the matcher given the tenth best score so far. (Whoosh's bounds are
    not always bounds: an OR inside Whoosh's preloaded union is bounded by its best part, not
    the sum of its parts, and such a cut dropped articles from the top ten as from the count.)
    So the count is exact and the top N is the best N, one at a time as in bulk."""

    def __init__(self, limit: int = 10):
        super().__init__(limit=limit, usequality=False)

    def _collect(self, global_docnum: int, score: float) -> Any:
        found = super()._collect(global_docnum, score)
        self.minscore = 0  # matches() replaces the matcher given this: simplifications only
        return found

    def collect_matches(self) -> None:
        reader = self.subsearcher.reader()
        bulk = self.final_fn is None and door.reads_lengths(reader) and supported(self.matcher)
        if not bulk:
            super().collect_matches()
            return
        found = scores(self.matcher, reader, {})
        self.total += len(found)
        offset, items, limit = self.offset, self.items, self.limit
        # The heap holds (score, -document) as TopCollector's: a later document with the same
        # score as the tenth never displaces it, so ties keep the lower document number.
        for item in nlargest(limit, ((score, -(offset + doc)) for doc, score in found.items())):
            if len(items) < limit:
                heappush(items, item)
            elif item > items[0]:
                heapreplace(items, item)
