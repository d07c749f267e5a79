"""A small OpenSearch for tests: a real HTTP server on 127.0.0.1 that evaluates the part of the
Query DSL newsdex's translator emits (bool, term, prefix, range, match_all, ids) and terms
aggregations over the documents `newsdex opensearch push` sends.

No OpenSearch can run on this project's machines (tests/test_opensearch_live.py runs against a
real one when NEWSDEX_OPENSEARCH is set). This server answers from the documents it holds, not
from recorded responses: text fields are analysed with newsdex's own analyzer (the mapping's
`newsdex_text` is built rule for rule from it), keyword fields folded as the normalizer folds
them. Scores are the summed boosts of the matching clauses: enough to rank, not BM25. Anything
else is refused with a 400, as a server refuses what it cannot parse.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from index import schema as S
from index.mapping import mapping
from search.opensearch.search import _folded

_TYPES = {name: prop["type"] for name, prop in mapping()["mappings"]["properties"].items()}
_ANALYZER = S.text_analyzer()


class Unsupported(ValueError):
    pass


def _values(doc: dict[str, Any], field: str) -> list[Any]:
    value = doc.get(field)
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _tokens(doc: dict[str, Any], field: str) -> set[str]:
    return {t.text for v in _values(doc, field) for t in _ANALYZER(str(v))}


def _term(doc: dict[str, Any], field: str, value: Any) -> bool:
    kind = _TYPES.get(field)
    if kind == "text":
        return str(value) in _tokens(doc, field)
    if kind == "double":
        return any(float(v) == float(value) for v in _values(doc, field))
    if kind == "keyword":
        return _folded(str(value)) in {_folded(str(v)) for v in _values(doc, field)}
    raise Unsupported(f"term on {field}")


def _range(doc: dict[str, Any], field: str, bounds: dict[str, Any]) -> bool:
    if _TYPES.get(field) != "double":
        raise Unsupported(f"range on {field}")
    tests = {
        "gte": lambda v, b: v >= b,
        "gt": lambda v, b: v > b,
        "lte": lambda v, b: v <= b,
        "lt": lambda v, b: v < b,
    }
    return any(
        all(tests[op](float(v), float(b)) for op, b in bounds.items() if op in tests)
        for v in _values(doc, field)
    )


def score(query: dict[str, Any], doc: dict[str, Any]) -> float | None:
    """The query's score for `doc`, None where it does not match."""
    (kind, spec), *_ = query.items()
    if kind == "match_all":
        return 1.0
    if kind == "ids":
        return 1.0 if doc[S.ID] in spec["values"] else None
    if kind == "bool":
        return _bool(spec, doc)
    (field, arg), *_ = spec.items()
    arg = arg if isinstance(arg, dict) else {"value": arg}
    boost = float(arg.get("boost", 1.0))
    if kind == "term":
        return boost if _term(doc, field, arg["value"]) else None
    if kind == "prefix" and _TYPES.get(field) == "text":
        found = any(t.startswith(arg["value"]) for t in _tokens(doc, field))
        return boost if found else None
    if kind == "range":
        return boost if _range(doc, field, arg) else None
    raise Unsupported(kind)


def _bool(spec: dict[str, Any], doc: dict[str, Any]) -> float | None:
    total = 0.0
    for clause in spec.get("must", []) + spec.get("filter", []):
        found = score(clause, doc)
        if found is None:
            return None
        total += found if clause in spec.get("must", []) else 0.0
    if any(score(clause, doc) is not None for clause in spec.get("must_not", [])):
        return None
    should = [s for s in (score(c, doc) for c in spec.get("should", [])) if s is not None]
    least = spec.get("minimum_should_match", 0 if ("must" in spec or "filter" in spec) else 1)
    if len(should) < int(least):
        return None
    return total + sum(should)


def _terms_agg(docs: list[dict[str, Any]], spec: dict[str, Any]) -> dict[str, Any]:
    terms = spec["terms"]
    field = terms["field"]
    counts: dict[Any, list[dict[str, Any]]] = {}
    for doc in docs:
        keys = {
            float(v) if _TYPES[field] == "double" else _folded(str(v)) for v in _values(doc, field)
        }
        for key in keys:
            counts.setdefault(key, []).append(doc)
    ranked = sorted(counts.items(), key=lambda kv: (-len(kv[1]), kv[0]))[: terms["size"]]
    buckets = []
    for key, holders in ranked:
        bucket: dict[str, Any] = {"key": key, "doc_count": len(holders)}
        shown = spec.get("aggs", {}).get("shown")
        if shown:
            keep = shown["top_hits"]["_source"]
            hit = {"_source": {k: holders[0][k] for k in keep if k in holders[0]}}
            bucket["shown"] = {"hits": {"hits": [hit]}}
        buckets.append(bucket)
    return {"buckets": buckets}


def search(docs: list[dict[str, Any]], body: dict[str, Any]) -> dict[str, Any]:
    """The _search response for `body` over `docs`."""
    if "sort" in body:
        raise Unsupported("sort")
    query = body.get("query", {"match_all": {}})
    scored = [(s, d) for d in docs if (s := score(query, d)) is not None]
    scored.sort(key=lambda sd: (-sd[0], sd[1][S.ID]))
    start, size = int(body.get("from", 0)), int(body.get("size", 10))
    hits = [{"_id": d[S.ID], "_score": s, "_source": d} for s, d in scored[start : start + size]]
    response: dict[str, Any] = {
        "hits": {"total": {"value": len(scored), "relation": "eq"}, "hits": hits}
    }
    aggs = body.get("aggs", {})
    if aggs:
        matched = [d for _, d in scored]
        response["aggregations"] = {name: _terms_agg(matched, a) for name, a in aggs.items()}
    return response


class MiniOpenSearch(ThreadingHTTPServer):
    def __init__(self, indexes: dict[str, list[dict[str, Any]]]) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.indexes = indexes
        self.requests: list[tuple[str, dict[str, Any]]] = []

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class _Handler(BaseHTTPRequestHandler):
    server: MiniOpenSearch

    def log_message(self, format: str, *args: Any) -> None:  # quiet in test output
        pass

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = json.loads(self.rfile.read(length) or b"{}")
        name, _, endpoint = self.path.split("?")[0].strip("/").partition("/")
        self.server.requests.append((self.path, body))
        if endpoint != "_search":
            return self._send(400, {"error": f"unsupported endpoint {endpoint}", "status": 400})
        if name not in self.server.indexes:
            error = {"type": "index_not_found_exception", "reason": f"no such index [{name}]"}
            return self._send(404, {"error": error, "status": 404})
        try:
            self._send(200, search(self.server.indexes[name], body))
        except Unsupported as exc:
            self._send(400, {"error": {"type": "parsing_exception", "reason": str(exc)}})

    do_GET = do_POST

    def _send(self, status: int, payload: dict[str, Any]) -> None:
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


@contextmanager
def serving(indexes: dict[str, list[dict[str, Any]]]) -> Iterator[MiniOpenSearch]:
    """The server, answering on a thread until the block ends."""
    server = MiniOpenSearch(indexes)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=30)
