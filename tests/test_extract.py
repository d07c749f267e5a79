"""Extraction with the real spaCy model on crafted sentences and on the seed article."""

from __future__ import annotations

import pytest

from index.clean import load_rules
from index.config import seeds_dir
from index.extract import clean_name, extract_batch, span_names
from index.model import Article, Entities
from index.read import discover, read_source


def entities(body: str, title: str = "Title") -> Entities:
    article = Article(
        id="x", source="/x", root="/", path="x", fingerprint="f", title=title, body=body
    )
    return extract_batch([article])[0].entities


@pytest.fixture(scope="module")
def seed() -> Entities:
    src = next(s for s in discover([seeds_dir()]) if not hasattr(s, "reason"))
    articles, _ = read_source(src, load_rules(None))  # type: ignore[arg-type]
    return extract_batch(articles)[0].entities


def test_names_are_cleaned() -> None:
    assert clean_name("the United Nations") == "United Nations"
    assert clean_name("Syria's") == "Syria"
    assert span_names("Middle East\n\nSyrian") == ["Middle East", "Syrian"]


def test_seed_places(seed: Entities) -> None:
    for place in ("Aleppo", "Deir al-Zor", "Syria", "Idlib", "Russia"):
        assert place in seed.places, (place, seed.places)
    assert "Daesh" not in seed.places
    assert "Syria" in seed.countries


def test_seed_organizations(seed: Entities) -> None:
    orgs = set(seed.organizations)
    assert "United Nations" in orgs or "UN" in orgs, orgs
    assert any("World Food" in o for o in orgs), orgs
    assert any("Syrian Observatory for Human Rights" in o for o in orgs), orgs
    assert any("Syrian Center for Policy Research" in o for o in orgs), orgs
    assert not any(o.lower().startswith("the ") for o in orgs)


def test_seed_numbers(seed: Entities) -> None:
    values = {(m.value, m.unit) for m in seed.numbers}
    assert (470000.0, "people") in values
    assert (21.0, "ton") in values
    assert (50.0, "km") in values
    assert any(v == 1900000.0 for v, _ in values)
    assert not any(v in (2011.0, 2013.0) for v, _ in values)
    assert max(v for v, _ in values) < 1e8


def test_title_and_section_never_yield_entities() -> None:
    found = entities("Nothing to see here.", title="Talks in Paris")
    assert found.places == ()


def test_one_spelling_per_entity() -> None:
    found = entities("Officials in Beirut said Beirut was calm. BEIRUT markets opened.")
    assert [p for p in found.places if p.lower() == "beirut"] == ["Beirut"]


def test_numbers_are_normalised() -> None:
    found = entities(
        "The storm killed 470,000 cattle and cost 1.9 million dollars over 50 kilometers."
    )
    values = {m.value for m in found.numbers}
    assert {470000.0, 1900000.0, 50.0} <= values
    assert "km" in {m.unit for m in found.numbers}


def test_long_bodies_are_cut_into_pieces() -> None:
    body = ("Fighting continued near Homs on Tuesday. " * 3000).strip()
    assert len(body) > 100_000
    assert "Homs" in entities(body).places
