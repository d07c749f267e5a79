"""Plain, picklable records that flow through the indexing pipeline.

Every step before the writer takes and returns these, so extraction can run in worker processes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from index.schema import StoredNumber, StoredPlace


@dataclass(frozen=True)
class SourceFile:
    """A file found under an indexed root, with the fingerprint of its bytes."""

    path: str  # absolute
    root: str  # absolute folder the path was found under (a single file's own folder)
    fingerprint: str  # content hash of the raw bytes

    @property
    def relpath(self) -> str:
        from pathlib import Path

        path, root = Path(self.path), Path(self.root)
        if path == root:
            return path.name
        try:
            return str(path.relative_to(root))
        except ValueError:
            return str(path)


@dataclass(frozen=True)
class Article:
    """One article as read and cleaned: text only, no entities yet."""

    id: str
    source: str  # absolute path of the file it came from
    root: str
    path: str  # relative to root, for display and export
    fingerprint: str
    title: str
    body: str
    section: str = ""
    date: str | None = None  # ISO 8601 (date or datetime), when known
    url: str = ""


@dataclass(frozen=True)
class NumberMention:
    """A number found in text, normalised: ``value`` in ``unit`` (None for a bare count)."""

    value: float
    text: str  # the phrase it came from, as written
    unit: str | None = None  # a field name of index.schema.UNITS, e.g. "ton", "km", "usd"
    qualifier: str | None = None  # "about", "over", "up to", ...
    kind: str | None = None  # "people", "money", "percent", "measure", ...

    def to_json(self) -> StoredNumber:
        return {
            "value": self.value,
            "unit": self.unit,
            "text": self.text,
            "qualifier": self.qualifier,
            "kind": self.kind,
        }


@dataclass(frozen=True)
class ResolvedPlace:
    """A place name as an article wrote it, and what the gazetteer says it is."""

    name: str  # as written ("Deir al-Zor")
    canonical: str  # the gazetteer's name ("Deir ez-Zor")
    country: str  # "" for a continent
    region: str | None = None

    def to_json(self) -> StoredPlace:
        return {
            "name": self.name,
            "canonical": self.canonical,
            "country": self.country,
            "region": self.region,
        }


@dataclass(frozen=True)
class Entities:
    """What extraction found in an article's body."""

    places: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    organizations: tuple[str, ...] = ()  # canonical names
    # Every other known name of those organizations, indexed so that org:UN finds "United Nations".
    organization_terms: tuple[str, ...] = ()
    numbers: tuple[NumberMention, ...] = ()
    # The places the gazetteer resolved (unresolved names are only in `places`).
    resolved_places: tuple[ResolvedPlace, ...] = ()
    persons: tuple[str, ...] = ()  # one name per person (index.persons)
    # "kind:Name" for each organization with evidence of its kind (index.orgkinds).
    organization_kinds: tuple[str, ...] = ()


@dataclass(frozen=True)
class ExtractedArticle:
    article: Article
    entities: Entities = field(default_factory=Entities)


@dataclass(frozen=True)
class Skipped:
    """A file (or one item of it) that could not be indexed, and why, in words a user can act on."""

    path: str
    reason: str
    # A note, not a skip: the article was indexed, cut to the text limit (index.read.MAX_BODY_CHARS)
    cut: bool = False
