"""Load a newsdex index into OpenSearch: every article as one bulk action, `_id` = newsdex's id.

The documents are rebuilt from the Whoosh index's stored fields through the same
``index.fields.to_document`` the Whoosh writer uses, so both engines index the same values.
The live load goes to a fresh concrete index (refresh off, no replicas while loading) and an
alias is swapped onto it at the end: searchers never see a half-loaded index, and a re-push
duplicates nothing. opensearch-py is imported only on that path (the `scale` extra).
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import IO, Any

from index import record
from index import schema as S
from index.errors import UsageError
from index.fields import to_document
from index.mapping import mapping
from index.model import Article, ExtractedArticle

#: Fields Whoosh holds as one comma-joined string; OpenSearch holds them as keyword arrays.
_KEYWORD_LISTS = frozenset(
    {*S.ENTITY_FIELDS, S.WITHIN, S.ORG_ALIAS, S.ORG_KIND, S.PERSON_ALIAS, S.SECTION, S.COUNTED}
)


def extracted(stored: dict[str, Any]) -> ExtractedArticle:
    """The extraction record of one article, from the stored fields of a Whoosh document."""
    date = stored.get(S.DATE)
    article = Article(
        id=stored[S.ID],
        source=stored.get(S.SOURCE, ""),
        root=stored.get(S.ROOT, ""),
        path=stored.get(S.PATH, ""),
        fingerprint=stored.get(S.FINGERPRINT, ""),
        title=stored.get(S.TITLE, ""),
        body=stored.get(S.BODY, ""),
        section=stored.get(S.SECTION, ""),
        date=date.isoformat() if isinstance(date, datetime) else date,
        url=stored.get(S.URL, ""),
    )
    return ExtractedArticle(article, record.entities_from_json(stored.get(S.ENTITIES) or {}))


def os_document(item: ExtractedArticle) -> dict[str, Any]:
    """The OpenSearch source of one article: the Whoosh document's values, field for field."""
    doc = to_document(item).fields()
    for name in _KEYWORD_LISTS & doc.keys():
        doc[name] = [v for v in doc[name].split(",") if v]
    if isinstance(doc.get(S.DATE), datetime):
        doc[S.DATE] = doc[S.DATE].isoformat()
    return doc


def actions(stored_docs: Iterable[dict[str, Any]], name: str) -> Iterator[dict[str, Any]]:
    """Bulk `index` actions (opensearch-py helper form), one per article."""
    for stored in stored_docs:
        source = os_document(extracted(stored))
        yield {"_op_type": "index", "_index": name, "_id": source[S.ID], "_source": source}


def write_ndjson(bulk: Iterable[dict[str, Any]], out: IO[str]) -> int:
    """The bulk API body (action line, source line) of every action; returns the count."""
    count = 0
    for action in bulk:
        head = {"index": {"_index": action["_index"], "_id": action["_id"]}}
        out.write(json.dumps(head, ensure_ascii=False) + "\n")
        out.write(json.dumps(action["_source"], ensure_ascii=False, sort_keys=True) + "\n")
        count += 1
    return count


@dataclass(frozen=True)
class PushSummary:
    alias: str
    index: str  # the concrete index the alias now points to
    indexed: int
    failed: int
    failures_file: str | None
    removed: tuple[str, ...] = field(default=())  # earlier loads the alias pointed to, deleted


def client(url: str) -> Any:
    try:
        from opensearchpy import OpenSearch
    except ImportError as exc:
        raise UsageError(
            "OpenSearch needs the scale extra. Install it with: pip install 'newsdex[scale]'"
        ) from exc
    return OpenSearch(hosts=[url], timeout=120, retry_on_timeout=True, max_retries=3)


@contextmanager
def answered(url: str, missing: Exception | None = None) -> Iterator[None]:
    """OpenSearch's refusals as one line naming the fix, never a traceback; a 404 raises
    `missing` when given (a search of an index that was never pushed)."""
    from opensearchpy.exceptions import ConnectionError, TransportError

    try:
        yield
    except ConnectionError as exc:
        raise UsageError(
            f"No OpenSearch answers at {url}. Start it (docs/scale.md) or check the URL"
        ) from exc
    except TransportError as exc:
        if exc.status_code == 404 and missing is not None:
            raise missing from exc
        raise UsageError(
            f"OpenSearch at {url} refused the request ({exc.status_code} {exc.error}). "
            "Check the URL, credentials and the server log"
        ) from exc


def push(
    bulk_for: Any,
    url: str,
    alias: str,
    failures: Path,
    chunk_size: int = 500,
    keep_old: bool = False,
) -> PushSummary:
    """Load `bulk_for(concrete_index)` into a new index and point `alias` at it; the earlier
    loads the alias pointed to are deleted after the swap unless `keep_old`."""
    os_client = client(url)
    with answered(url):
        concrete = _new_index(os_client, alias)
        indexed, failed = _load(os_client, bulk_for(concrete), failures, chunk_size)
        settings = {"index": {"refresh_interval": None, "number_of_replicas": None}}
        os_client.indices.put_settings(index=concrete, body=settings)  # None: the defaults
        os_client.indices.refresh(index=concrete)
        old = _swap_alias(os_client, alias, concrete)
        removed = () if keep_old else _delete_earlier_loads(os_client, alias, old)
    if not failed:
        failures.unlink(missing_ok=True)
    failures_file = str(failures) if failed else None
    return PushSummary(alias, concrete, indexed, failed, failures_file, removed)


def _new_index(os_client: Any, alias: str) -> str:
    """A fresh concrete index `ALIAS-YYYYmmddHHMMSS`, refresh off and no replicas while loading."""
    stamp = f"{alias}-{time.strftime('%Y%m%d%H%M%S')}"
    concrete, n = stamp, 1
    while os_client.indices.exists(index=concrete):  # two pushes within one second
        n += 1
        concrete = f"{stamp}-{n}"
    body = mapping()
    body["settings"]["index"] = {"refresh_interval": "-1", "number_of_replicas": 0}
    os_client.indices.create(index=concrete, body=body)
    return concrete


def _load(
    os_client: Any, bulk: Iterable[dict[str, Any]], failures: Path, chunk_size: int
) -> tuple[int, int]:
    """Stream the actions; rejected ones go to `failures`. Returns (indexed, failed)."""
    from opensearchpy.helpers import streaming_bulk

    indexed = failed = 0
    with failures.open("w", encoding="utf-8") as bad:
        results = streaming_bulk(
            os_client,
            bulk,
            chunk_size=chunk_size,
            max_retries=8,  # each a 429 (queue full) retried with exponential backoff
            initial_backoff=2,
            max_backoff=120,
            raise_on_error=False,
            raise_on_exception=False,
        )
        for ok, item in results:
            if ok:
                indexed += 1
            else:
                failed += 1
                bad.write(json.dumps(item, ensure_ascii=False, default=str) + "\n")
    return indexed, failed


def _swap_alias(os_client: Any, alias: str, concrete: str) -> list[str]:
    """Point `alias` at `concrete` in one atomic request, away from whatever it named before
    (returned)."""
    old: list[str] = []
    if os_client.indices.exists_alias(name=alias):
        old = sorted(os_client.indices.get_alias(name=alias))
    steps: list[dict[str, Any]] = [{"remove": {"index": i, "alias": alias}} for i in old]
    steps.append({"add": {"index": concrete, "alias": alias}})
    os_client.indices.update_aliases(body={"actions": steps})
    return old


def _delete_earlier_loads(os_client: Any, alias: str, old: list[str]) -> tuple[str, ...]:
    """Delete the indexes the alias left that an earlier push made (named ALIAS-timestamp);
    an index the user created and aliased is left alone."""
    made_by_push = re.compile(rf"^{re.escape(alias)}-\d{{14}}(-\d+)?$")
    mine = tuple(name for name in old if made_by_push.match(name))
    if mine:
        os_client.indices.delete(index=",".join(mine))
    return mine
