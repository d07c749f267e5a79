"""The values an index holds for a field, with document counts, and the spellings articles used.

Shared by `newsdex stats`, facets and the shell's completion.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from whoosh.searching import Searcher

from index import schema as S
from index import whoosh_door as door

# Where the spelling an article used for a lowercased term is stored (the ENTITIES record keys).
_DISPLAY_KEYS: dict[str, tuple[S.NameKey, ...]] = {
    S.PLACE: ("places", "regions", "countries"),
    S.COUNTRY: ("countries",),
    S.REGION: ("regions",),
    S.ORGANIZATION: ("organizations", "organization_terms"),
    S.PERSON: ("persons",),
}


@dataclass(frozen=True)
class Value:
    """One value of a field: the term as indexed (lowercased) and how many articles hold it."""

    term: str
    count: int


def read_values(searcher: Any, field: str) -> tuple[Value, ...]:
    """Every term of `field` with its document count, in one sequential pass per segment
    (a doc_frequency look-up per term is a hundred times slower on a multi-segment index)."""
    counts: Counter[bytes] = Counter()
    for leaf, _ in searcher.reader().leaf_readers():
        if field in leaf.indexed_field_names():
            for term, info in leaf.iter_field(field, b""):
                counts[term] += info.doc_frequency()
    fieldtype = searcher.schema[field]
    if field in S.NUMERIC_FIELDS:
        # Numeric fields also index lower-precision copies (the first byte is their shift).
        shown = {
            number_text(fieldtype.from_bytes(t)): n for t, n in counts.items() if t[:1] == b"\x00"
        }
    else:
        shown = {door.text(t): n for t, n in counts.items()}
    values = [Value(term, count) for term, count in shown.items()]
    values.sort(key=lambda v: (-v.count, v.term))
    return tuple(values)


def number_text(value: float) -> str:
    """A number field's value as completion and facets show it: 21 for 21.0."""
    return str(int(value)) if float(value).is_integer() else repr(value)


def spelling(searcher: Searcher, field: str, term: str) -> str:
    """How the first article holding `term` in `field` wrote it."""
    if field in S.NUMERIC_FIELDS:
        return term
    docnum = next(iter(searcher.reader().postings(field, term).all_ids()), None)
    if docnum is None:
        return term
    stored = searcher.stored_fields(docnum)
    if field in S.TEXT_FIELDS:
        return _written(str(stored.get(field, "")), term, searcher.schema[field].analyzer)
    if field == S.SECTION:
        return _matching([stored.get(S.SECTION) or ""], term)
    entities = S.stored_entities(stored)
    names = [name for key in _DISPLAY_KEYS.get(field, ()) for name in entities.get(key, [])]
    return _matching(names, term)


def _written(text: str, term: str, analyzer: Any) -> str:
    """The first word of `text` that indexes as `term` (a stem: khanas is "Khanaser")."""
    for token in analyzer(text, chars=True):
        if token.text == term:
            return text[token.startchar : token.endchar]
    return term


def _matching(names: list[str], term: str) -> str:
    for name in names:
        # The writer replaces commas inside a name (the KEYWORD separator) with spaces.
        if name.replace(",", " ").lower().strip() == term:
            return name
    return term


def facet_counts(
    searcher: Searcher, query: Any, field: str, limit: int, kind: str | None
) -> tuple[tuple[str, int], ...]:
    """How many of the articles `query` matches hold each value of `field`, most first, as
    written; with `kind`, only the organizations of that kind (org_kind terms are "kind:name")."""
    from whoosh import sorting

    grouped = S.ORG_KIND if kind else field
    facet = sorting.FieldFacet(grouped, allow_overlap=True, maptype=sorting.Count)
    results = searcher.search(query, limit=None, groupedby=facet, scored=False)
    # Whoosh groups the articles without a value under None: they are no value to count.
    counts = results.groups(grouped).items()
    valued = ((door.text(term), n) for term, n in counts if term is not None)
    if kind:
        valued = ((t.partition(":")[2], n) for t, n in valued if t.startswith(f"{kind}:"))
    ranked = sorted(valued, key=lambda kv: (-kv[1], kv[0]))[:limit]
    return tuple((spelling(searcher, field, term), int(n)) for term, n in ranked)
