"""The index schema: the single source of field names, query aliases and units.

Everything else (writer, query parser, formatter, completer) imports names from here.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal, TypedDict, cast

from whoosh import fields
from whoosh.analysis import IDTokenizer, LowercaseFilter, StemmingAnalyzer

# Bumped whenever the schema or the extraction changes in a way that needs a rebuild.
# 6: person, person_alias, org_kind; 5: counted nouns (homes:>1000); 4: path indexed
SCHEMA_VERSION = 6

ID = "id"
PATH = "path"  # relative to its indexed root, as results print it; path:GLOB searches it
SOURCE = "source"
ROOT = "root"
FINGERPRINT = "fingerprint"
TITLE = "title"
BODY = "body"
SECTION = "section"
DATE = "date"
URL = "url"
PLACE = "place"
COUNTRY = "country"
REGION = "region"
ORGANIZATION = "organization"
WITHIN = "within"  # countries and regions that contain the article's places
ORG_ALIAS = "org_alias"  # other names of the article's organizations
PERSON = "person"
PERSON_ALIAS = "person_alias"  # each person's surname: person:Blair finds "Tony Blair"
ORG_KIND = "org_kind"  # "kind:name" of organizations with a known kind (facets --kind)
NUMBER = "number"
#: Counted nouns with their values, one term each ("5,000 homes": home=<value>, index.counted);
#: typed as the noun: homes:>1000, students:[100 TO 500].
COUNTED = "counted"
ENTITIES = "entities"  # stored only: places, organizations and numbers for display

#: Fields searched by words that carry no field name, with their BM25F weights.
TEXT_FIELDS: dict[str, float] = {TITLE: 2.0, BODY: 1.0}

#: Multi-valued entity fields: stored as one comma-joined string, matched case-insensitively.
ENTITY_FIELDS: tuple[str, ...] = (PLACE, COUNTRY, REGION, ORGANIZATION, PERSON)

#: Fields whose values can be counted over a result set (facets).
FACET_FIELDS: tuple[str, ...] = (PLACE, COUNTRY, REGION, ORGANIZATION, PERSON, SECTION)

#: A query on the key field also searches the value field: place:Syria finds an article that
#: mentions only Aleppo, org:UN finds one that says "United Nations".
COPY_FIELDS: dict[str, str] = {PLACE: WITHIN, ORGANIZATION: ORG_ALIAS, PERSON: PERSON_ALIAS}


@dataclass(frozen=True)
class Unit:
    """A unit with its own numeric field (``ton``), the words that name it in text, and aliases."""

    field: str
    label: str
    query_aliases: tuple[str, ...] = ()


#: The unit registry: one numeric field per unit, holding values expressed in that unit.
UNITS: dict[str, Unit] = {
    unit.field: unit
    for unit in (
        Unit("km", "kilometres", ("kms", "kilometers", "kilometres", "kilometer", "kilometre")),
        Unit("mile", "miles", ("miles",)),
        Unit("kg", "kilograms", ("kilograms", "kilos", "kilogram")),
        Unit("ton", "tonnes", ("tons", "tonnes", "tonne", "t")),
        Unit("litre", "litres", ("litres", "liters", "liter", "l")),
        Unit("hectare", "hectares", ("hectares", "ha")),
        Unit("usd", "US dollars", ("dollars", "dollar", "us$")),
        Unit("eur", "euros", ("euros", "euro")),
        Unit("gbp", "pounds sterling", ("pounds", "sterling")),
        Unit("percent", "per cent", ("pct", "percentage")),
        Unit("people", "people", ("persons",)),  # person: is the people's names (PERSON)
    )
}

#: Query aliases: the name a user may type, and the field it means.
FIELD_ALIASES: dict[str, str] = {
    "org": ORGANIZATION,
    "orgs": ORGANIZATION,
    "organisation": ORGANIZATION,
    "places": PLACE,
    "location": PLACE,
    "num": NUMBER,
    "numbers": NUMBER,
    "headline": TITLE,
    "text": BODY,
    **{alias: unit.field for unit in UNITS.values() for alias in unit.query_aliases},
}

#: Fields a user can name in a query, canonical names first.
NUMERIC_FIELDS: tuple[str, ...] = (NUMBER, *UNITS)


def entity_field() -> fields.KEYWORD:
    """Multi-word names kept whole (comma-separated), lowercased for matching.

    Not stored: the names as found, for display, live in the ENTITIES stored field.
    """
    return fields.KEYWORD(stored=False, lowercase=True, commas=True, scorable=True)


class MultiNumeric(fields.NUMERIC):
    """A NUMERIC field for many values per document, each indexed term written once.

    Whoosh 2.7.4 indexes every value of a list with its tiered (shifted) terms, so two close
    values repeat a term in one document; an AND of such a range with another clause then fails
    an assertion in Whoosh's intersection matcher (found by tests/test_query_fuzz.py).
    """

    def index(self, num: Any, **kwargs: Any) -> Iterator[tuple[bytes, int, float, bytes]]:
        if not isinstance(num, list | tuple):
            yield from super().index(num, **kwargs)
            return
        seen: set[bytes] = set()
        for item in super().index(num, **kwargs):
            if item[0] not in seen:
                seen.add(item[0])
                yield item


def number_field() -> fields.NUMERIC:
    """Multi-valued float field: a range matches when any of the article's values is in it."""
    # shift_step 8 (Whoosh's default is 4) halves the tiered terms every value writes: numbers
    # were 60% of an article's postings, and writing is the indexer's second cost after spaCy.
    return MultiNumeric(float, stored=False, signed=True, shift_step=8)


def text_analyzer() -> StemmingAnalyzer:
    return StemmingAnalyzer()


def build_schema() -> fields.Schema:
    """The Whoosh schema of a newsdex index."""
    schema = fields.Schema(
        **{
            ID: fields.ID(stored=True, unique=True),
            # One token, case folded: path:Business/* is a glob on it (search.query.path_query).
            PATH: fields.ID(stored=True, analyzer=IDTokenizer() | LowercaseFilter()),
            SOURCE: fields.ID(stored=True, sortable=True),
            ROOT: fields.STORED(),
            FINGERPRINT: fields.ID(stored=True, sortable=True),
            TITLE: fields.TEXT(
                analyzer=text_analyzer(),
                stored=True,
                field_boost=TEXT_FIELDS[TITLE],
                multitoken_query="phrase",
            ),
            BODY: fields.TEXT(
                analyzer=text_analyzer(),
                stored=True,
                field_boost=TEXT_FIELDS[BODY],
                multitoken_query="phrase",
            ),
            SECTION: fields.KEYWORD(stored=True, lowercase=True, commas=True, scorable=True),
            DATE: fields.DATETIME(stored=True, sortable=True),
            URL: fields.STORED(),
            NUMBER: number_field(),
            COUNTED: fields.KEYWORD(stored=False, lowercase=True, commas=True),
            ENTITIES: fields.STORED(),
            **{
                name: entity_field()
                for name in (*ENTITY_FIELDS, WITHIN, ORG_ALIAS, ORG_KIND, PERSON_ALIAS)
            },
            **{unit: number_field() for unit in UNITS},
        }
    )
    return schema


def canonical_field(name: str) -> str:
    """The schema field a user-typed field name refers to (aliases resolved, case folded)."""
    lowered = name.lower()
    return FIELD_ALIASES.get(lowered, lowered)


def known_fields() -> list[str]:
    """Every field name and alias a user may type in a query."""
    names = [
        TITLE,
        BODY,
        SECTION,
        DATE,
        ID,
        PATH,
        *ENTITY_FIELDS,
        *NUMERIC_FIELDS,
    ]
    return sorted(set(names) | set(FIELD_ALIASES))


# The typed seams: what crosses from one module to another, named here with the fields.


class StoredNumber(TypedDict):
    """A number as the ENTITIES record stores it (index.model.NumberMention.to_json)."""

    value: float
    unit: str | None
    text: str
    qualifier: str | None
    kind: str | None


class StoredPlace(TypedDict):
    """A resolved place as the ENTITIES record stores it (index.model.ResolvedPlace.to_json)."""

    name: str
    canonical: str
    country: str
    region: str | None


#: The keys of the ENTITIES record that hold names, as written in the article.
NameKey = Literal[
    "places", "countries", "regions", "organizations", "organization_terms", "persons"
]


class StoredEntities(TypedDict, total=False):
    """The ENTITIES stored field: what extraction found, for display and marking (written by
    index.fields.entities_json, read by the engine, the highlighter and the values' spellings).
    Read with .get: a field may be absent."""

    places: list[str]
    countries: list[str]
    regions: list[str]
    organizations: list[str]
    organization_terms: list[str]  # every other known name of those organizations
    numbers: list[StoredNumber]
    resolved_places: list[StoredPlace]
    persons: list[str]  # one name per person
    organization_kinds: list[str]  # "kind:Name"


def stored_entities(stored: Mapping[str, Any]) -> StoredEntities:
    """The ENTITIES record of an article's stored fields (empty when it has none)."""
    return cast(StoredEntities, stored.get(ENTITIES) or {})


@dataclass(frozen=True)
class IndexDocument:
    """One article as the writer adds it (index.fields.to_document builds it); `fields()` gives
    Whoosh's add_document its keyword arguments. Picklable: extraction workers build it."""

    id: str
    path: str
    source: str
    root: str
    fingerprint: str
    title: str
    body: str
    url: str
    entities: StoredEntities
    section: str = ""
    date: datetime | None = None
    names: dict[str, str] = field(default_factory=dict)  # keyword field -> comma-joined names
    numbers: dict[str, list[float]] = field(default_factory=dict)  # numeric field -> values

    def fields(self) -> dict[str, Any]:
        """The document by field name; absent values are left out, not empty."""
        doc: dict[str, Any] = {
            ID: self.id,
            PATH: self.path,
            SOURCE: self.source,
            ROOT: self.root,
            FINGERPRINT: self.fingerprint,
            TITLE: self.title,
            BODY: self.body,
            URL: self.url,
            ENTITIES: self.entities,
        }
        if self.section:
            doc[SECTION] = self.section
        if self.date is not None:
            doc[DATE] = self.date
        return {**doc, **self.names, **self.numbers}


@dataclass(frozen=True, kw_only=True)
class SearchOptions:
    """How the engine runs a query (engine.search, total, hits; the OpenSearch engine too)."""

    limit: int = 10
    page: int = 1
    sort: str = "score"
    strict: bool = False
    snippets: bool = True
    suggest: bool = True  # offer a corrected query when this one finds little
    since: str | None = None  # date filter, as typed: 2016, 2016-09, 2016-09-01
    until: str | None = None


def opensearch_mapping() -> dict[str, Any]:
    """The OpenSearch twin of build_schema(), derived from it field by field (index/mapping.py)."""
    from index.mapping import mapping

    return mapping()
