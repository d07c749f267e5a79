"""The extraction record: one frozen, canonical JSON form per article that round-trips exactly."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from index import record
from index.model import Article, Entities, NumberMention, ResolvedPlace

ITEM = record.Record(
    Article(
        id="b92f7a217b0d",
        source="/corpus/a.txt",
        root="/corpus",
        path="a.txt",
        fingerprint="f00d",
        title="Airdrop over Khanaser",
        body="The UN dropped 21 tons of food near Aleppo; 470,000 killed. Zürich said «no».",
        section="Middle East",
        date="2016-09-12",
        url="https://example.org/a",
    ),
    Entities(
        places=("Aleppo", "Khanaser"),
        countries=("Syria",),
        regions=("Aleppo",),
        organizations=("United Nations",),
        organization_terms=("UN", "U.N."),
        numbers=(
            NumberMention(21.0, "21 tons", "ton", None, "measure"),
            NumberMention(470000.0, "470,000", None, "about", "people"),
        ),
        resolved_places=(ResolvedPlace("Aleppo", "Aleppo", "Syria", "Aleppo"),),
    ),
    "0f" * 16,
)


def test_round_trip_is_exact() -> None:
    assert record.loads(record.dumps(ITEM)) == ITEM
    assert record.from_json(json.loads(json.dumps(record.to_json(ITEM)))) == ITEM


def test_canonical_bytes() -> None:
    text = record.dumps(ITEM)
    assert record.dumps(record.loads(text)) == text
    assert "Zürich" in text  # UTF-8 as written, not escaped


def test_record_is_frozen() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        ITEM.article.title = "changed"  # type: ignore[misc]


def test_unknown_version_refused() -> None:
    data = record.to_json(ITEM)
    data["v"] = 99
    with pytest.raises(ValueError, match="version 99"):
        record.from_json(data)


def test_record_carries_every_field() -> None:
    """The fields the issue names, and every field of Entities by its own name (persons
    included, once extraction finds them): nothing extraction finds is lost on the wire."""
    data = json.loads(record.dumps(ITEM))
    article = data["article"]
    for name in ("id", "path", "title", "body", "section", "date", "fingerprint"):
        assert name in article
    assert set(data["entities"]) == {f.name for f in dataclasses.fields(Entities)}
    assert data["entities"]["resolved_places"][0] == {
        "name": "Aleppo",
        "canonical": "Aleppo",
        "country": "Syria",
        "region": "Aleppo",
    }
    assert {"value": 21.0, "unit": "ton", "text": "21 tons"}.items() <= data["entities"]["numbers"][
        0
    ].items()
    assert data["extraction"] == "0f" * 16


def test_stored_entities_read_back() -> None:
    """The index's ENTITIES stored field (index.fields.entities_json) reads as the record's."""
    from index.fields import entities_json

    assert record.entities_from_json(entities_json(ITEM.entities)) == ITEM.entities


def test_typed_seams_round_trip_through_a_real_index(tmp_path: Path) -> None:
    """The writer's IndexDocument goes into a Whoosh index by schema field names, and its
    ENTITIES record comes back, read as StoredEntities, equal to what was written and to the
    article's Entities; the TypedDict names every field of Entities (and nothing else)."""
    from whoosh import index as windex

    from index import schema as S
    from index.fields import entities_json, to_document

    doc = to_document(ITEM.extracted)
    fields = doc.fields()
    assert set(fields) <= set(S.build_schema().names())
    assert fields[S.PLACE] == "Aleppo,Khanaser" and fields["ton"] == [21.0]
    ix = windex.create_in(str(tmp_path), S.build_schema())
    with ix.writer() as writer:
        writer.add_document(**fields)
    with ix.searcher() as searcher:
        stored = searcher.document(**{S.ID: doc.id})
    read = S.stored_entities(stored)
    assert read == doc.entities == entities_json(ITEM.entities)
    assert record.entities_from_json(dict(read)) == ITEM.entities
    keys = S.StoredEntities.__required_keys__ | S.StoredEntities.__optional_keys__
    assert keys == {f.name for f in dataclasses.fields(Entities)}
    assert S.stored_entities({}) == {}


def test_worker_job_makes_records_of_this_extraction() -> None:
    """The job every worker runs (pool or cluster): real spaCy for a miss, the cache's entities
    for a hit, each record naming this machine's extraction fingerprint."""
    from index.cache import extraction_fingerprint
    from index.extract import default_resources, extract_batch

    article = ITEM.article
    texts = record.extract_records([(article, None), (article, ITEM.entities)], ())
    fresh, cached = (record.loads(t) for t in texts)
    assert fresh.extraction == cached.extraction == extraction_fingerprint()
    assert fresh.extracted == extract_batch([article], default_resources(()))[0]
    assert cached.entities == ITEM.entities
    done = record.documents([(article, None), (article, ITEM.entities)], texts, fresh.extraction)
    assert done[0][1] == fresh.entities and done[1][1] is None  # only the miss goes to the cache
    assert done[1][0].names["place"] == "Aleppo,Khanaser"


def test_records_of_another_extraction_stop_the_run() -> None:
    """A worker running other code or tables makes records the index must not mix in."""
    text = record.dumps(ITEM)
    with pytest.raises(record.ExtractionMismatch, match="Install the same newsdex"):
        record.documents([(ITEM.article, None)], [text], "aa" * 16)
    assert record.documents([(ITEM.article, None)], [text], None)  # the pool's own workers
