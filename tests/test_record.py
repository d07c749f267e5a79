"""The extraction record: one frozen, canonical JSON form per article that round-trips exactly."""

from __future__ import annotations

import dataclasses
import json

import pytest

from index import record
from index.model import Article, Entities, ExtractedArticle, NumberMention, ResolvedPlace

ITEM = ExtractedArticle(
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


def test_same_record_from_pool_and_cluster_task() -> None:
    """The cluster's task and the pool's extraction give byte-identical records (real spaCy)."""
    from index.cluster import extract_records
    from index.extract import default_resources, extract_batch

    article = ITEM.article
    pooled = extract_batch([article], default_resources(()))
    assert extract_records([(article, None)], ()) == [record.dumps(pooled[0])]
