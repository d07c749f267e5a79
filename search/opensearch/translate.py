"""newsdex's parsed query tree as OpenSearch Query DSL.

The user's string is parsed by newsdex's own parser (search/query.py), exactly as for Whoosh,
and the resulting tree is walked here node by node; the string itself is never sent (no
``query_string``), so the query language means the same on both engines and OpenSearch's own
syntax cannot leak in. Terms in the tree are already analysed (lowercased, stemmed) by the
field's Whoosh analyzer, the same chain the mapping gives OpenSearch (index/mapping.py), so
leaves become ``term``/``span_term`` queries on those tokens rather than re-analysed ``match``es.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from functools import lru_cache
from typing import Any

from whoosh import query as wq
from whoosh.fields import DATETIME, NUMERIC, Schema
from whoosh.util.times import long_to_datetime

from index import schema as S
from index.errors import UsageError
from search import ranking

Dsl = dict[str, Any]


class UnsupportedQuery(UsageError):
    """A node of the parsed tree with no OpenSearch translation."""

    def __init__(self, node: str, text: str) -> None:
        self.node = node
        super().__init__(
            f"{node} ({text}) is not supported on OpenSearch. "
            "Rewrite that part of the query, or search the Whoosh index with --index"
        )


@lru_cache(maxsize=1)
def _schema() -> Schema:
    return S.build_schema()


@lru_cache(maxsize=1)
def _fields() -> dict[str, Any]:
    return dict(_schema().items())


def _boosted(body: Dsl, node: wq.Query) -> Dsl:
    # Whoosh weighs title over body at scoring time (the schema's field_boost); OpenSearch is
    # told at query time, on each leaf that searches a text field.
    boost = float(getattr(node, "boost", 1.0))
    boost *= S.TEXT_FIELDS.get(getattr(node, "fieldname", None) or "", 1.0)
    if boost != 1.0:
        body["boost"] = boost
    return body


def _value(text: Any, fieldname: str | None = None) -> Any:
    """A value of the tree as OpenSearch reads it: numbers and dates are held by Whoosh in its
    own sortable encodings (bytes for a number term, ticks for a date range)."""
    field = _fields().get(fieldname or "")
    if isinstance(field, DATETIME) and isinstance(text, int):
        return long_to_datetime(text).isoformat()
    if isinstance(field, NUMERIC) and isinstance(text, bytes):
        text = field.from_bytes(text)
    if isinstance(text, bytes):
        return text.decode("utf-8")
    if isinstance(text, datetime):
        return text.isoformat()
    return text


def _term(node: wq.Term) -> Dsl:
    value = _value(node.text, node.fieldname)
    return {"term": {node.fieldname: _boosted({"value": value}, node)}}


def _bool(kind: str, children: list[Dsl], node: wq.Query, **extra: Any) -> Dsl:
    body: Dsl = {kind: children, **extra}
    return {"bool": _boosted(body, node)}


def _and(node: wq.And) -> Dsl:
    # A Not inside an And is an exclusion of the And, as in Whoosh.
    must = [translate(s) for s in node.subqueries if not isinstance(s, wq.Not)]
    must_not = [translate(s.query) for s in node.subqueries if isinstance(s, wq.Not)]
    body: Dsl = {"must": must or [{"match_all": {}}]}
    if must_not:
        body["must_not"] = must_not
    return {"bool": _boosted(body, node)}


def _or(node: wq.Or) -> Dsl:
    # Whoosh's Or `scale` (a coordination bonus for matching more words) has no DSL twin since
    # Lucene 7 dropped coord; BM25's sum over matched clauses already ranks more matches higher.
    children = [translate(s) for s in node.subqueries]
    return _bool("should", children, node, minimum_should_match=1)


def _not(node: wq.Not) -> Dsl:
    return _bool("must_not", [translate(node.query)], node, must=[{"match_all": {}}])


def _and_not(node: wq.AndNot) -> Dsl:
    return _bool("must", [translate(node.a)], node, must_not=[translate(node.b)])


def _and_maybe(node: wq.AndMaybe) -> Dsl:
    return _bool("must", [translate(node.a)], node, should=[translate(node.b)])


def _phrase(node: wq.Phrase) -> Dsl:
    # Whoosh's slop counts position distance (1 = adjacent); Lucene's counts the words between.
    clauses = [{"span_term": {node.fieldname: _value(w)}} for w in node.words]
    if len(clauses) == 1:
        return {"term": {node.fieldname: _boosted({"value": _value(node.words[0])}, node)}}
    body = {"clauses": clauses, "slop": max(0, int(node.slop) - 1), "in_order": True}
    return {"span_near": _boosted(body, node)}


def _prefix(node: wq.Prefix) -> Dsl:
    return {"prefix": {node.fieldname: _boosted({"value": _value(node.text)}, node)}}


def _wildcard(node: wq.Wildcard) -> Dsl:
    return {"wildcard": {node.fieldname: _boosted({"value": _value(node.text)}, node)}}


def _fuzzy(node: wq.FuzzyTerm) -> Dsl:
    body = {"value": _value(node.text), "fuzziness": node.maxdist}
    body["prefix_length"] = node.prefixlength
    return {"fuzzy": {node.fieldname: _boosted(body, node)}}


def _range(node: wq.RangeMixin) -> Dsl:
    body: Dsl = {}
    start, end = getattr(node, "start", None), getattr(node, "end", None)
    if start is not None:
        body["gt" if node.startexcl else "gte"] = _value(start, node.fieldname)
    if end is not None:
        body["lt" if node.endexcl else "lte"] = _value(end, node.fieldname)
    return {"range": {node.fieldname: _boosted(body, node)}}


def _fields_term(node: ranking.FieldsTerm) -> Dsl:
    # One word over title and body scored as one field (BM25F): combined_fields is that query.
    terms = [s for s in node.subqueries if isinstance(s, wq.Term)]
    boosts = [t.boost * S.TEXT_FIELDS.get(t.fieldname, 1.0) for t in terms]
    weights = [
        f"{t.fieldname}^{b:g}" if b != 1.0 else t.fieldname
        for t, b in zip(terms, boosts, strict=True)
    ]
    body = {"query": _value(terms[0].text), "fields": weights, "operator": "or"}
    boost = float(node.boost)
    return {"combined_fields": {**body, "boost": boost} if boost != 1.0 else body}


_NODES: dict[type, Callable[[Any], Dsl]] = {
    wq.Term: _term,
    wq.And: _and,
    wq.Or: _or,
    wq.Not: _not,
    wq.AndNot: _and_not,
    wq.AndMaybe: _and_maybe,
    wq.Phrase: _phrase,
    wq.Prefix: _prefix,
    wq.Wildcard: _wildcard,
    wq.FuzzyTerm: _fuzzy,
    wq.NumericRange: _range,
    wq.DateRange: _range,
    wq.TermRange: _range,
    ranking.FieldsTerm: _fields_term,
}


def translate(node: wq.Query) -> Dsl:
    """The Query DSL for one node of a parsed newsdex query (and, recursively, its children)."""
    if node is wq.NullQuery or isinstance(node, type(wq.NullQuery)):
        return {"match_none": {}}
    if isinstance(node, wq.Every):
        return {"match_all": {}}
    handler = _NODES.get(type(node))
    if handler is None:
        raise UnsupportedQuery(type(node).__name__, repr(node))
    return handler(node)


def text_fields() -> list[str]:
    """The fields a highlight is asked for: the same as the Whoosh snippets."""
    return list(S.TEXT_FIELDS)


def request_query(text: str, strict: bool = False) -> Dsl:
    """A user's query, parsed by newsdex exactly as for Whoosh, as the DSL of a search request."""
    from search.query import parse

    return translate(parse(text, _schema(), strict=strict).query)
