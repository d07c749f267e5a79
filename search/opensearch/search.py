"""Searching an OpenSearch index loaded by `newsdex opensearch push`, with the Engine's API.

The query is parsed by newsdex and translated (translate.py); the response becomes the same
Results, Hits and Documents the Whoosh engine returns, so every output format renders it
unchanged. Snippets are cut by newsdex's own snippet code from the returned body (the same
highlights as on Whoosh, not OpenSearch's fragmenter); facets are terms aggregations.
"""

from __future__ import annotations

import os
import re
import unicodedata
from typing import Any

from index import schema as S
from index.errors import ExitCode, NewsdexError
from search.datefilter import date_filter
from search.engine import SearchOptions
from search.highlight import Forms, Highlighter, spec_for
from search.query import ParsedQuery, explain, parse
from search.results import Document, Hit, Marked, Results, Span
from search.snippets import snippet
from search.stored import document
from search.totals import Total
from search.values import number_text

ALIAS_ENV = "NEWSDEX_OPENSEARCH_ALIAS"  # the alias `push --name` swapped; default "newsdex"
DEFAULT_ALIAS = "newsdex"
_YEAR_MONTH = re.compile(r"^\d{4}(-\d\d?)?$")


class RemoteIndexMissing(NewsdexError):
    exit_code = ExitCode.INDEX_UNAVAILABLE

    def __init__(self, url: str, name: str) -> None:
        super().__init__(
            f"No index or alias {name!r} at {url}. "
            f"Load one with: newsdex opensearch push --index DIR --url {url} --name {name}"
        )


def _date_bound(value: str) -> str:
    # OpenSearch's date math rounds a partial date (2016, 2016-09) with ||/y and ||/M.
    if not _YEAR_MONTH.match(value):
        return value.replace(" ", "T")
    return value + ("||/y" if len(value) == 4 else "||/M")


def request_body(parsed: ParsedQuery, options: SearchOptions) -> dict[str, Any]:
    """The _search body for one page of results, sorted and filtered as the Whoosh engine does."""
    from search.opensearch.translate import translate

    query = translate(parsed.query)
    if options.since or options.until:
        bounds: dict[str, str] = {}
        if options.since:
            bounds["gte"] = _date_bound(options.since)
        if options.until:
            bounds["lte"] = _date_bound(options.until)
        query = {"bool": {"must": [query], "filter": [{"range": {S.DATE: bounds}}]}}
    body: dict[str, Any] = {
        "query": query,
        "from": (max(1, options.page) - 1) * max(1, options.limit),
        "size": max(1, options.limit),
        "track_total_hits": True,  # exact totals, as the Whoosh engine reports them
    }
    if options.sort != "score":
        order = "desc" if options.sort == "-date" else "asc"
        body["sort"] = [{S.DATE: {"order": order, "missing": "_last"}}, "_score"]
    return body


def results_from(response: dict[str, Any], parsed: ParsedQuery, options: SearchOptions) -> Results:
    """A _search response as the Results the Whoosh engine would return."""
    marker = (
        Highlighter(spec_for(parsed.query), Forms(S.text_analyzer())) if options.snippets else None
    )
    offset = (max(1, options.page) - 1) * max(1, options.limit)
    hits = []
    for i, raw in enumerate(response["hits"]["hits"]):
        source = _source(raw["_source"])
        text = str(source.get(S.BODY, ""))
        stored = S.stored_entities(source)
        cut = snippet(text, marker.marks(text, S.BODY, stored)) if marker else Marked("")
        hits.append(Hit(offset + i + 1, float(raw.get("_score") or 0.0), document(source), cut))
    total = response["hits"]["total"]
    note = "read as a question: any word may match, best matches first" if parsed.any_word else None
    return Results(
        parsed.text,
        int(total["value"]),
        options.page,
        options.limit,
        tuple(hits),
        note,
        None,
        total_exact=total.get("relation", "eq") == "eq",
    )


def _source(raw: dict[str, Any]) -> dict[str, Any]:
    """An OpenSearch _source as the stored fields of a Whoosh document."""
    source = dict(raw)
    if source.get(S.DATE):
        from datetime import datetime

        source[S.DATE] = datetime.fromisoformat(source[S.DATE])
    section = source.get(S.SECTION) or []
    source[S.SECTION] = ",".join(section) if isinstance(section, list) else section
    return source


class OpenSearchEngine:
    """The read operations of search.engine.Engine that `newsdex search` and the shell need
    (search.backends.QueryEngine), on OpenSearch."""

    def __init__(self, url: str, name: str = DEFAULT_ALIAS):
        from search.opensearch.push import client

        self.url, self.name = url, name
        self._client = client(url)
        self._schema = S.build_schema()

    @property
    def directory(self) -> None:
        return None  # no local folder: the shell's commands that write one say so

    def __enter__(self) -> OpenSearchEngine:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._client.close()

    def parse(self, text: str, strict: bool = False) -> ParsedQuery:
        return parse(text, self._schema, strict=strict)

    def _search(self, body: dict[str, Any]) -> dict[str, Any]:
        from search.opensearch.push import answered

        with answered(self.url, RemoteIndexMissing(self.url, self.name)):
            return dict(self._client.search(index=self.name, body=body))

    def search(self, text: str, options: SearchOptions | None = None) -> Results:
        options = options or SearchOptions()
        parsed = self.parse(text, strict=options.strict)
        return results_from(self._search(request_body(parsed, options)), parsed, options)

    def total(self, text: str, options: SearchOptions | None = None) -> Total:
        """How many articles `text` matches under the options' dates (the shell's toolbar)."""
        options = options or SearchOptions()
        body = request_body(self.parse(text, strict=options.strict), options)
        body.update({"size": 0, "from": 0})
        found = self._search(body)["hits"]["total"]
        return Total(int(found["value"]), found.get("relation", "eq") == "eq")

    def count(self) -> int:
        """The articles behind the alias."""
        body = {"query": {"match_all": {}}, "size": 0, "track_total_hits": True}
        return int(self._search(body)["hits"]["total"]["value"])

    def explain(self, text: str, options: SearchOptions | None = None) -> str:
        """How `text` is read, as on Whoosh, then the Query DSL sent for it."""
        import json

        options = options or SearchOptions()
        parsed = self.parse(text, strict=options.strict)
        dates = date_filter(options.since, options.until)
        reading = explain(parsed) + (f"\ndate filter: {dates.describe()}" if dates else "")
        dsl = json.dumps(request_body(parsed, options)["query"], indent=2, ensure_ascii=False)
        return f"{reading}\nOpenSearch query ({self.name} at {self.url}):\n{dsl}"

    def marks(self, doc_id: str, text: str) -> tuple[Document, tuple[Span, ...]]:
        """An article by id and where `text` matched in its body (:show)."""
        from index.errors import DocumentNotFound

        body = {"query": {"ids": {"values": [doc_id]}}, "size": 1}
        found = self._search(body)["hits"]["hits"]
        if not found:
            raise DocumentNotFound(doc_id)
        source = _source(found[0]["_source"])
        doc = document(source, with_body=True)
        marker = Highlighter(spec_for(self.parse(text).query), Forms(S.text_analyzer()))
        return doc, marker.marks(doc.body, S.BODY, S.stored_entities(source))

    def top_values(self, field: str, limit: int) -> tuple[tuple[str, int], ...]:
        """The most frequent values of `field` over every article, as written (completion)."""
        if field not in S.NUMERIC_FIELDS:
            return self.facets("*", field, limit)
        terms = {"field": field, "size": limit, "order": [{"_count": "desc"}, {"_key": "asc"}]}
        body = {"size": 0, "aggs": {"values": {"terms": terms}}}
        buckets = self._search(body)["aggregations"]["values"]["buckets"]
        return tuple((number_text(float(b["key"])), int(b["doc_count"])) for b in buckets)

    def facets(
        self, text: str, field: str, limit: int = 10, kind: str | None = None
    ) -> tuple[tuple[str, int], ...]:
        """Value counts of `field` over the articles `text` finds (a terms aggregation); with
        `kind`, the organizations of that kind (org_kind terms "kind:name", prefix cut)."""
        from search.opensearch.translate import translate

        name = S.ORG_KIND if kind else S.canonical_field(field)
        body = {
            "query": translate(self.parse(text).query),
            "size": 0,
            "aggs": facet_aggs(name, limit, f"{kind}:.*" if kind else None),
        }
        found = facets_from(self._search(body), name)
        return tuple((v.partition(":")[2], n) for v, n in found) if kind else found


def facet_aggs(field: str, limit: int, include: str | None = None) -> dict[str, Any]:
    """A terms aggregation ordered as the Whoosh engine orders facets (count, then value), with
    one article per value to show the value as written (the normalizer lowercases and folds);
    `include` keeps the terms matching that regular expression only."""
    order = [{"_count": "desc"}, {"_key": "asc"}]
    shown = {"top_hits": {"size": 1, "_source": [field]}}
    terms: dict[str, Any] = {"field": field, "size": limit, "order": order}
    if include:
        terms["include"] = include
    return {"values": {"terms": terms, "aggs": {"shown": shown}}}


def _folded(name: str) -> str:
    """A name as the keyword normalizer indexes it: lowercased and ASCII-folded."""
    decomposed = unicodedata.normalize("NFKD", name.replace(",", " ").strip().lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def facets_from(response: dict[str, Any], field: str) -> tuple[tuple[str, int], ...]:
    """(value as an article wrote it, count) for each bucket of a facet_aggs response."""
    out = []
    for bucket in response["aggregations"]["values"]["buckets"]:
        key = str(bucket["key"])
        hits = bucket.get("shown", {}).get("hits", {}).get("hits", [])
        written = hits[0]["_source"].get(field, []) if hits else []
        names = [written] if isinstance(written, str) else list(written)
        shown = next((n for n in names if _folded(n) == key), key)
        out.append((shown, int(bucket["doc_count"])))
    return tuple(out)


def remote_engine(url: str) -> OpenSearchEngine:
    """The engine for `newsdex search --opensearch URL` (one query at a time)."""
    return OpenSearchEngine(url, os.environ.get(ALIAS_ENV) or DEFAULT_ALIAS)
