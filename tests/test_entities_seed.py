"""The seed article's entities end to end: resolved places, merged organizations, and the
searches they make possible (canonical names, containment, organization aliases and parents)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from whoosh import index as windex

from index import schema as S
from index.pipeline import run
from search.engine import Engine, SearchOptions

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "syria-khanaser-aid.txt"


def found(directory: Path, query: str) -> int:
    with Engine(directory) as engine:
        return len(engine.search(query, SearchOptions(limit=10, suggest=False)).hits)


@pytest.mark.parametrize(
    "query",
    [
        'place:"Deir al-Zor"',  # as written
        'place:"Deir ez-Zor"',  # the gazetteer's name
        "place:Aleppo",
        "place:Syria",
        "country:Syria",
        "place:Idlib",
        "place:Russia",
        'place:"United States"',  # the article writes "US"
        "org:UN",
        'org:"U.N."',
        'org:"United Nations"',
        'org:"World Food Program"',
        "org:WFP",
        'org:"Security Council"',
        'org:"Red Cross"',
        'org:"Red Crescent"',
        'org:"Syrian Observatory for Human Rights"',
        'org:"Syrian Center for Policy Research"',
        "org:Daesh",  # an armed group: an organization, never a place
    ],
)
def test_seed_is_found(seed_index: Path, query: str) -> None:
    assert found(seed_index, query) == 1, query


@pytest.fixture(scope="module")
def fixture_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The project's own written article (tests/fixtures/), which says "Britain" and "(SCPR)"."""
    directory = tmp_path_factory.mktemp("fixture-index")
    run([FIXTURE], directory, workers=1)
    return directory


@pytest.mark.parametrize(
    "query",
    ['place:"United Kingdom"', "country:UK", "org:SCPR", 'org:"Syrian Center for Policy Research"'],
)
def test_fixture_article_is_found(fixture_index: Path, query: str) -> None:
    assert found(fixture_index, query) == 1, query


def test_boilerplate_gives_no_entities(seed_index: Path) -> None:
    with windex.open_dir(str(seed_index)).searcher() as searcher:
        stored = next(searcher.all_stored_fields())
    entities = stored[S.ENTITIES]
    entities = json.loads(entities) if isinstance(entities, str) else entities
    names = " ".join(entities["places"] + entities["organizations"]).lower()
    for word in ("related", "adblock", "ad blocker", "back to top", "middle east"):
        assert word not in names, (word, names)
    numbers = " ".join(str(number) for number in entities.get("numbers", []))
    assert "top" not in numbers.lower()


def test_groups_are_not_places(seed_index: Path) -> None:
    assert found(seed_index, "place:Daesh") == 0
    assert found(seed_index, 'place:"al-Nusra Front"') == 0


def test_stored_entities_keep_the_article_spelling_and_add_the_resolution(
    seed_index: Path,
) -> None:
    with windex.open_dir(str(seed_index)).searcher() as searcher:
        stored = next(searcher.all_stored_fields())
    entities = stored[S.ENTITIES]
    entities = json.loads(entities) if isinstance(entities, str) else entities
    assert "Deir al-Zor" in entities["places"]
    assert "Deir ez-Zor" not in entities["places"]
    resolved = {p["name"]: p for p in entities["resolved_places"]}
    assert resolved["Deir al-Zor"] == {
        "name": "Deir al-Zor",
        "canonical": "Deir ez-Zor",
        "country": "Syria",
        "region": "Deir ez-Zor",
    }
    assert "Syria" in entities["countries"]
    assert "World Food Programme" in entities["organizations"]
