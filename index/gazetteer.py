"""Places of the world from a GeoNames-derived table: look-up by folded name, country resolution.

The table is index/data/gazetteer.tsv.gz, written by scripts/build_gazetteer.py (pure Python).
"""

from __future__ import annotations

import gzip
import re
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from index.gazetteer_context import (
    FIRST_LEVEL,
    KIND_RANK,
    MAJOR_CITY_POPULATION,
    MARGIN,
    STRONG_CITY_POPULATION,
    WEAK_EVIDENCE,
    Candidate,
    choose,
    country_votes,
    is_strong_place,
    other_name,
)
from index.gazetteer_keys import KEY_VERSION, POSSESSIVE, place_key

# Re-exported: the build scripts, the query side and the tests read them here.
__all__ = [
    "FIRST_LEVEL",
    "KEY_VERSION",
    "KIND_RANK",
    "STRONG_CITY_POPULATION",
    "Gazetteer",
    "Place",
    "capitalised_runs",
    "country_names",
    "datelines",
    "load_gazetteer",
    "parse_table",
    "place_key",
]

# Region names that say only where in a country ("Central", "North East", "Capital Region",
# "Nord-Ouest"): never a place of their own.
_GENERIC_REGION = re.compile(
    r"^(?:(?:north|south|east|west|central|centre|centrale|centro|northern|southern|eastern"
    r"|western|upper|lower|nord|sud|est|ouest|capital|region|province|district|governorate"
    r"|municipality|aimak|aymag|northeast|northwest|southeast|southwest|north-east|north-west"
    r"|south-east|south-west|north-western|south-western|north-eastern|south-eastern"
    r"|and|of|the|-)[ -]?)+$",
    re.IGNORECASE,
)

TABLE = "gazetteer.tsv.gz"
COUNTRY_TABLE = "country_names.tsv"

_THE = re.compile(r"^the\s+", re.IGNORECASE)
_CITY_OF = re.compile(r"^city of\s+", re.IGNORECASE)
# Runs of capitalised words ("Deir ez-Zor" aside, which the model finds): candidates for places
# the model missed. A run is tested whole, so "New York Times" never yields "New York".
_CAPITALISED_RUN = re.compile(r"(?<![\w.’'-])[A-Z][\w’'.-]*(?: [A-Z][\w’'.-]*)*")
# A news dateline opens a paragraph with a place in capitals: "NAIROBI, Kenya (AP) _",
# "BONN 1996-08-30", "WASHINGTON (Reuters) -".
_DATELINE = re.compile(
    r"^[ \t]*([A-Z][A-Z.’'-]+(?: [A-Z][A-Z.’'-]+){0,3})(?=\s*,\s|\s+\(|\s+\d{4}-\d\d-\d\d|\s+_\s)",
    re.MULTILINE,
)


@dataclass(frozen=True)
class Place:
    """A gazetteer entry: ``region`` is the first-level division where known."""

    name: str
    kind: str  # country, capital, city, state or continent
    country: str  # "" for a continent
    country_code: str  # ISO 3166-1 alpha-2, "" for a continent
    region: str | None
    population: int


class Gazetteer:
    """Look-up over the shipped table; places are parsed from their rows on first use."""

    def __init__(self, rows: list[str], key_lines: list[str], weak: dict[str, str]) -> None:
        self._rows = rows
        self._key_lines = key_lines  # sorted "key<TAB>refs" lines, searched by bisection
        self._weak = weak
        self._parsed: dict[int, Place] = {}
        self._region_index: dict[str, list[Place]] | None = None

    def __len__(self) -> int:
        return len(self._rows)

    def country_keys(self) -> dict[str, str]:
        """Every key that names a country first of all ("uk", "britain", "usa", "burma"),
        with the country's name; written to a small table for the query side."""
        found = {}
        for line in self._key_lines:
            key = line.split("\t", 1)[0]
            ranked = self._ranked(key, {})
            if ranked and ranked[0].place.kind == "country":
                found[key] = ranked[0].place.name
        return found

    def knows(self, name: str) -> bool:
        """True when the name is a place of the table or a first-level region ("Wales")."""
        key = place_key(name)
        return bool(self._refs(key)) or key in self._regions()

    def _regions(self) -> dict[str, list[Place]]:
        """First-level regions outside the US by key, derived from the region names the city
        rows carry (US states have rows of their own); population: their cities' in the table."""
        if self._region_index is None:
            found: dict[tuple[str, str], list[int]] = {}
            countries: dict[str, str] = {}
            for row in self._rows:
                _id, kind, _name, country, code, region, population = row.split("\t")
                if region and code != "US" and kind in ("city", "capital"):
                    found.setdefault((region, code), []).append(int(population))
                    countries[code] = country
            index: dict[str, list[Place]] = defaultdict(list)
            for (region, code), populations in sorted(found.items()):
                if not _GENERIC_REGION.match(region):
                    place = Place(region, "region", countries[code], code, region, sum(populations))
                    index[place_key(region)].append(place)
            self._region_index = dict(index)
        return self._region_index

    def lookup(self, name: str) -> list[Place]:
        """Every place this surface form may name, most likely first (without context)."""
        return [candidate.place for candidate in self._ranked(place_key(name), {})]

    def resolve(self, names: Sequence[str]) -> list[Place | None]:
        """The place each name of one article means, using the article's other places as context.

        A country's name is that country whatever the context (Ireland is never a town in
        Massachusetts), unless a first-level region of the same name lies in a country the other
        names point to (Georgia with Atlanta). A region's name is never read as another place's
        alternate name. Otherwise the usual reading (a match by name over one by alternate name,
        then country > capital > state or region > continent > city, then population) holds
        unless the other names point to another candidate's country by at least one whole vote
        more (Tripoli with Beirut is in Lebanon); a capital or large city moves to a small town
        only on strong evidence (moves: Paris beside "US" stays in France). None where nothing
        matches, and for a city under STRONG_CITY_POPULATION or named like a word or a given name
        (below MAJOR_CITY_POPULATION) unless the other names give its country WEAK_EVIDENCE:
        "Bush" alone is no town in Egypt.
        """
        keys = [place_key(name) for name in names]
        candidates = {key: self._candidates(key) for key in set(keys)}
        votes = {key: country_votes(found) for key, found in candidates.items()}
        totals: dict[str, float] = defaultdict(float)
        for vote in votes.values():
            for code, weight in vote.items():
                totals[code] += weight
        resolved: dict[str, Place | None] = {}
        for key, found in candidates.items():
            # Rounded: sums of shares must not depend on the order they were added in.
            context = {code: round(totals[code] - votes[key].get(code, 0.0), 6) for code in totals}
            best = choose(key, found, context, frozenset(keys))
            # A weak name (a word or surname such as "Bush", or a small town) is placed only in
            # a country the article's other places point to with at least one whole vote:
            # alone, or beside one other ambiguous name, it is a guess.
            if (
                best
                and self._weak_reading(key, best)
                and context.get(best.place.country_code, 0) + MARGIN < WEAK_EVIDENCE
            ):
                best = None
            resolved[key] = best.place if best else None
        return [resolved[key] for key in keys]

    def _weak_reading(self, key: str, candidate: Candidate) -> bool:
        # Countries, capitals and states are read as places even when their name is also a
        # given name ("Georgia"); a city is weak when small, when its name is a word or name
        # or when the name is another name altogether (an old or foreign one: Twickenham, an
        # old name of Huntsville, Alabama), unless it is a city of millions (Sydney, Bombay).
        place = candidate.place
        if place.kind != "city":
            return False
        if key in self._weak or other_name(candidate, key):
            return place.population < MAJOR_CITY_POPULATION or (
                key in self._weak and candidate.alternate
            )
        return place.population < STRONG_CITY_POPULATION

    def is_strong(self, name: str) -> bool:
        """True when the gazetteer alone is evidence that this capitalised name is a place.

        Strong: a country, capital, US state or continent, or a city of at least
        STRONG_CITY_POPULATION people, named with a capital letter and at least three letters
        (country short forms such as "US" excepted), matched by its name or a respelling of it
        (not by a foreign or ancient name: Berea is not evidence of Aleppo), not an all-capital
        word of five letters or fewer unless a country ("SANA" is a news agency), and not listed
        in the table as a month, weekday, common English word or given name ("May", "Jordan").
        """
        key = place_key(name)
        if not _THE.sub("", name.strip())[:1].isupper() or key in self._weak:
            return False
        candidates = self._candidates(key)
        return any(is_strong_place(candidate, name.strip(), key) for candidate in candidates)

    def non_place_reason(self, name: str) -> str | None:
        """Why a name is doubtful as a place: "month", "weekday", "word", "given name" or None."""
        return self._weak.get(place_key(name))

    def _ranked(self, key: str, context: dict[str, float]) -> list[Candidate]:
        return sorted(self._candidates(key), key=lambda candidate: candidate.rank(context))

    def _candidates(self, key: str) -> list[Candidate]:
        refs = self._refs(key)
        places = [
            (self._place(int(ref.lstrip("~"))), ref.startswith("~"))
            for ref in refs.split(",")
            if ref
        ]
        # "City of Westminster" goes by "Westminster": that is its name, not an alternate one.
        found = [
            Candidate(place, alternate and place_key(_CITY_OF.sub("", place.name)) != key)
            for place, alternate in places
        ]
        regions = self._regions().get(key, []) if key else []
        return found + [Candidate(place, False) for place in regions]

    def _refs(self, key: str) -> str:
        # Bisection over the sorted lines spares building a 100k-entry dict at every start.
        prefix = key + "\t"
        index = bisect_left(self._key_lines, prefix)
        if key and index < len(self._key_lines) and self._key_lines[index].startswith(prefix):
            return self._key_lines[index][len(prefix) :]
        return ""

    def _place(self, row: int) -> Place:
        place = self._parsed.get(row)
        if place is None:
            place = self._parsed[row] = _parse_place(self._rows[row])
        return place


def capitalised_runs(text: str) -> Iterator[tuple[int, int, str]]:
    """Runs of capitalised words with their offsets, trailing dots and possessives left off."""
    for match in _CAPITALISED_RUN.finditer(text):
        name = POSSESSIVE.sub("", match.group().replace("’", "'")).rstrip(".-")
        if name:
            yield match.start(), match.start() + len(name), name


def datelines(text: str) -> Iterator[tuple[int, int, str]]:
    """The place names of the text's datelines, with their offsets."""
    for match in _DATELINE.finditer(text):
        yield match.start(1), match.end(1), match.group(1)


def _parse_place(row: str) -> Place:
    _geonameid, kind, name, country, code, region, population = row.split("\t")
    return Place(name, kind, country, code, region or None, int(population))


@lru_cache(maxsize=1)
def country_names() -> dict[str, str]:
    """Country names by place_key of every name they go by ("uk" -> United Kingdom), from the
    small table scripts/build_country_names.py derives from the gazetteer: queries read it
    without loading the gazetteer."""
    text = resources.files("index").joinpath("data", COUNTRY_TABLE).read_text(encoding="utf-8")
    rows = (line.split("\t") for line in text.splitlines() if line and not line.startswith("#"))
    return {key: name for key, name in rows}


@lru_cache(maxsize=1)
def load_gazetteer() -> Gazetteer:
    """The shipped gazetteer (read once per process, in about 40 ms)."""
    data = resources.files("index").joinpath("data", TABLE).read_bytes()
    return parse_table(gzip.decompress(data).decode("utf-8"))


def parse_table(text: str) -> Gazetteer:
    """A gazetteer from the text of a table written by scripts/build_gazetteer.py."""
    sections: dict[str, list[str]] = {}
    version = ""
    for block in text.split("\n@"):
        if block.startswith("#"):
            version = _key_version(block)
            continue
        header, _, body = block.partition("\n")
        body = body.rstrip("\n")
        sections[header.split("\t")[0]] = body.split("\n") if body else []
    if version != str(KEY_VERSION):
        raise RuntimeError(
            f"The gazetteer table has key version {version or 'none'}, the code {KEY_VERSION}. "
            "Rebuild it with: python scripts/build_gazetteer.py"
        )
    weak = dict(line.split("\t", 1) for line in sections.get("weak", []))
    return Gazetteer(sections.get("places", []), sections.get("keys", []), weak)


def _key_version(comments: str) -> str:
    found = re.search(r"^# key-version: (\d+)$", comments, re.MULTILINE)
    return found.group(1) if found else ""
