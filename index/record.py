"""One extraction record per article: the pipeline's unit of work, as JSON.

``ExtractedArticle`` (index/model.py) is frozen already; this module gives it one canonical JSON
form so it can cross a process or machine boundary (a Dask worker, an OpenSearch bulk load) and
come back equal. ``dumps`` is canonical (sorted keys, fixed separators), so the same article
extracted on one machine or on a cluster gives byte-identical records.
"""

from __future__ import annotations

import json
from typing import Any

from index.model import Article, Entities, ExtractedArticle, NumberMention, ResolvedPlace

#: Bumped when the record's shape changes; a reader refuses a record it does not know.
RECORD_VERSION = 1


def entities_to_json(e: Entities) -> dict[str, Any]:
    return {
        "places": list(e.places),
        "countries": list(e.countries),
        "regions": list(e.regions),
        "organizations": list(e.organizations),
        "organization_terms": list(e.organization_terms),
        "numbers": [m.to_json() for m in e.numbers],
        "resolved_places": [p.to_json() for p in e.resolved_places],
    }


def entities_from_json(data: dict[str, Any]) -> Entities:
    """The inverse of entities_to_json (also reads the ENTITIES stored field of an index)."""
    return Entities(
        places=tuple(data.get("places", ())),
        countries=tuple(data.get("countries", ())),
        regions=tuple(data.get("regions", ())),
        organizations=tuple(data.get("organizations", ())),
        organization_terms=tuple(data.get("organization_terms", ())),
        numbers=tuple(NumberMention(**m) for m in data.get("numbers", ())),
        resolved_places=tuple(ResolvedPlace(**p) for p in data.get("resolved_places", ())),
    )


def to_json(item: ExtractedArticle) -> dict[str, Any]:
    a = item.article
    article = {
        "id": a.id,
        "source": a.source,
        "root": a.root,
        "path": a.path,
        "fingerprint": a.fingerprint,
        "title": a.title,
        "body": a.body,
        "section": a.section,
        "date": a.date,
        "url": a.url,
    }
    return {"v": RECORD_VERSION, "article": article, "entities": entities_to_json(item.entities)}


def from_json(data: dict[str, Any]) -> ExtractedArticle:
    if data.get("v") != RECORD_VERSION:
        raise ValueError(f"extraction record version {data.get('v')!r}, expected {RECORD_VERSION}")
    return ExtractedArticle(Article(**data["article"]), entities_from_json(data["entities"]))


def dumps(item: ExtractedArticle) -> str:
    """The canonical text of a record: equal articles give equal bytes."""
    return json.dumps(to_json(item), sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def loads(text: str) -> ExtractedArticle:
    return from_json(json.loads(text))
