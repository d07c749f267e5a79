"""Turn an extracted article into the field values of one Whoosh document (index.schema's
IndexDocument).

Pure and picklable both ways, so it runs in the extraction workers.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from index import counted
from index import schema as S
from index.model import Entities, ExtractedArticle
from index.numbers import unit_values


def parse_date(value: str | None) -> datetime | None:
    """An ISO 8601 date or datetime as a naive datetime (UTC where an offset is given)."""
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    if parsed.tzinfo is not None:
        from datetime import UTC

        parsed = parsed.astimezone(UTC).replace(tzinfo=None)
    return parsed


def _keywords(names: tuple[str, ...] | list[str]) -> str:
    """Names joined for a comma-separated KEYWORD field (commas inside a name would split it)."""
    return ",".join(name.replace(",", " ") for name in names)


def entities_json(entities: Entities) -> S.StoredEntities:
    """The stored, displayable form of what extraction found."""
    return {
        "places": list(entities.places),
        "countries": list(entities.countries),
        "regions": list(entities.regions),
        "organizations": list(entities.organizations),
        "organization_terms": list(entities.organization_terms),
        "numbers": [m.to_json() for m in entities.numbers],
        "resolved_places": [place.to_json() for place in entities.resolved_places],
        "persons": list(entities.persons),
        "organization_kinds": list(entities.organization_kinds),
    }


def within_names(entities: Entities) -> list[str]:
    """What the `within` field holds: the gazetteer's name of each place (so that
    place:"Deir ez-Zor" finds "Deir al-Zor"), then the regions and countries containing them."""
    canonical = [p.canonical for p in entities.resolved_places]
    names: dict[str, str] = {}
    for name in (*canonical, *entities.regions, *entities.countries):
        names.setdefault(name.casefold(), name)
    return list(names.values())


def to_document(item: ExtractedArticle) -> S.IndexDocument:
    """The article's document for the writer; absent values are left out, not empty."""
    a, e = item.article, item.entities
    names = {
        name: _keywords(values)
        for name, values in (
            (S.PLACE, list(e.places)),
            (S.COUNTRY, list(e.countries)),
            (S.REGION, list(e.regions)),
            (S.WITHIN, within_names(e)),
            (S.ORGANIZATION, list(e.organizations)),
            (S.ORG_ALIAS, list(e.organization_terms)),
            (S.PERSON, list(e.persons)),
            (S.PERSON_ALIAS, surnames_of(e.persons)),
            (S.ORG_KIND, list(e.organization_kinds)),
            (S.COUNTED, counted_terms(e)),
        )
        if values
    }
    return S.IndexDocument(
        id=a.id,
        path=a.path,
        source=a.source,
        root=a.root,
        fingerprint=a.fingerprint,
        title=a.title,
        body=a.body,
        url=a.url,
        entities=entities_json(e),
        section=a.section,
        date=parse_date(a.date),
        names=names,
        numbers=number_fields(e),
    )


def surnames_of(persons: tuple[str, ...]) -> list[str]:
    """The last word of each name of two words or more, for person:Blair (schema.PERSON_ALIAS)."""
    found = dict.fromkeys(name.split()[-1] for name in persons if len(name.split()) > 1)
    return [name for name in found if name.casefold() not in {p.casefold() for p in persons}]


def counted_terms(entities: Entities) -> list[str]:
    """The `counted` terms: each value of each counted noun ("5,000 homes": home=...)."""
    terms = {
        counted.term(m.unit, m.value)
        for m in entities.numbers
        if m.unit and m.kind in ("count", "people")
    }
    return sorted(terms)


def number_fields(entities: Entities) -> dict[str, list[float]]:
    """The multi-valued numeric fields: every value in `number`, and each unit's own field."""
    values: dict[str, list[float]] = defaultdict(list)
    for mention in entities.numbers:
        values[S.NUMBER].append(mention.value)
        for unit, value in unit_values(mention):
            if unit in S.UNITS:
                values[unit].append(value)
    return {name: sorted(set(v)) for name, v in values.items()}
