"""One extraction record per article: the pipeline's unit of work, as canonical JSON.

An extraction worker (a process of the pool, or a Dask worker on another machine) turns a batch
of articles into their records with ``extract_records``, the same function on both; the
indexing process turns each record back into a document with ``documents``. ``dumps`` is
canonical (sorted keys, fixed separators, UTF-8 as written), so the same article extracted on
one machine or on a cluster gives byte-identical records. Every field of ``Entities`` travels
(persons included, once extraction finds them), and the record names the extraction that made
it (``index.cache.extraction_fingerprint``), so a worker running other code is caught.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from index.errors import UsageError
from index.model import Article, Entities, ExtractedArticle, NumberMention, ResolvedPlace
from index.schema import IndexDocument

if TYPE_CHECKING:
    from index.orgs import AliasFile

#: Bumped when the record's shape changes; a reader refuses a record it does not know.
RECORD_VERSION = 2
#: Entities fields whose items are records of their own; every other field is a tuple of names.
_NESTED: dict[str, Any] = {"numbers": NumberMention, "resolved_places": ResolvedPlace}

Work = tuple[Article, Entities | None]  # an article, and its entities when the cache had them
Done = tuple[IndexDocument, Entities | None]  # its document, and its entities if just extracted


@dataclass(frozen=True)
class Record:
    """An article as read and cleaned, what extraction found in it, and which extraction."""

    article: Article
    entities: Entities
    extraction: str  # index.cache.extraction_fingerprint of the code, tables and model used

    @property
    def extracted(self) -> ExtractedArticle:
        return ExtractedArticle(self.article, self.entities)


class ExtractionMismatch(UsageError):
    def __init__(self, found: str, expected: str) -> None:
        super().__init__(
            f"A worker extracted with other code, tables or model (extraction {found[:12]}, "
            f"here {expected[:12]}). Install the same newsdex and model on every worker"
        )


def _plain(value: Any) -> Any:
    return value.to_json() if hasattr(value, "to_json") else value


def entities_to_json(e: Entities) -> dict[str, Any]:
    """Every field of Entities, by its own name (the shape of the index's ENTITIES field)."""
    return {f.name: [_plain(v) for v in getattr(e, f.name)] for f in dataclasses.fields(e)}


def entities_from_json(data: Mapping[str, Any]) -> Entities:
    """The inverse of entities_to_json (also reads the ENTITIES stored field of an index)."""
    values: dict[str, tuple[Any, ...]] = {}
    for f in dataclasses.fields(Entities):
        kind = _NESTED.get(f.name)
        items = data.get(f.name) or ()
        values[f.name] = tuple(kind(**v) if kind else v for v in items)
    return Entities(**values)


def to_json(rec: Record) -> dict[str, Any]:
    return {
        "v": RECORD_VERSION,
        "article": dataclasses.asdict(rec.article),
        "entities": entities_to_json(rec.entities),
        "extraction": rec.extraction,
    }


def from_json(data: dict[str, Any]) -> Record:
    if data.get("v") != RECORD_VERSION:
        raise ValueError(f"extraction record version {data.get('v')!r}, expected {RECORD_VERSION}")
    return Record(
        Article(**data["article"]), entities_from_json(data["entities"]), data["extraction"]
    )


def dumps(rec: Record) -> str:
    """The canonical text of a record: equal records give equal bytes."""
    return json.dumps(to_json(rec), sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def loads(text: str) -> Record:
    return from_json(json.loads(text))


def extract_records(
    items: Sequence[Work], alias_files: tuple[AliasFile, ...] = (), second: str = ""
) -> list[str]:
    """A worker's job, on the pool and on a cluster alike: each article's record, as text.
    spaCy is loaded only when something misses the cache; `alias_files` are the user alias
    files as the indexing process read them (index.orgs.read_alias_files; none by default);
    `second` the --accurate pipeline (index.ner_agree), "" for none."""
    from index.cache import extraction_fingerprint

    extraction = extraction_fingerprint(*alias_files, second=second)
    todo = [article for article, cached in items if cached is None]
    fresh: Iterator[ExtractedArticle] = iter(())
    if todo:
        from index.extract import default_resources, extract_batch

        fresh = iter(extract_batch(todo, default_resources(alias_files), second))
    records = []
    for article, cached in items:
        entities = cached if cached is not None else next(fresh).entities
        records.append(dumps(Record(article, entities, extraction)))
    return records


def documents(items: Sequence[Work], texts: Sequence[str], extraction: str | None) -> list[Done]:
    """The writer's documents from a batch's records; entities just extracted go to the cache.
    A record made by another extraction than `extraction` (when given) stops the run."""
    from index.fields import to_document

    out: list[Done] = []
    for (_, cached), text in zip(items, texts, strict=True):
        rec = loads(text)
        if extraction is not None and rec.extraction != extraction:
            raise ExtractionMismatch(rec.extraction, extraction)
        out.append((to_document(rec.extracted), rec.entities if cached is None else None))
    return out
