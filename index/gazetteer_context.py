"""How an article's other places choose among the candidates of a place name, for
index.gazetteer.Gazetteer.resolve: one vote per name shared among the countries it may lie in,
and when those votes may move a name from its usual reading (a small town moves to a far country
only on strong evidence). Written from the hand-checked BBC sample
(bench/results/countries-judged.md); tests in tests/test_countries.py."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from index.gazetteer_keys import place_key

if TYPE_CHECKING:
    from index.gazetteer import Place

_ARTICLE = re.compile(r"^al(?=\w{3})")  # a folded key's Arabic article

#: A city is strong evidence of a place from this population up (countries, capitals, US states
#: and continents always are). 100k keeps Aleppo, Idlib and Deir ez-Zor and leaves out most towns
#: whose names double as English words or surnames.
STRONG_CITY_POPULATION = 100_000

#: A city this large, named by its own name, is that city even when the name is also a given name
#: or a word (Sydney, Adelaide); smaller ones (Charlotte, Nice, Mobile) need the article's context.
MAJOR_CITY_POPULATION = 1_000_000

#: Order among candidates that the article's context does not separate; then larger population.
#: A "region" is a first-level division outside the US (England, Bavaria), derived from the
#: cities' rows; without context a city of the same name wins (Valencia, Santander). Regions are
#: never strong evidence by themselves: their names include words and names (Littoral, Somali,
#: Santander, Vladimir), so the model's label decides whether one is a place.
KIND_RANK: dict[str, int] = {
    "country": 0,
    "capital": 1,
    "state": 2,
    "continent": 3,
    "city": 4,
    "region": 5,
}
FIRST_LEVEL = frozenset({"state", "region"})
PRIME = frozenset({"country", "capital", "state"})
#: A small town or a word-like name is placed in a country only when the article's other places
#: give it at least this many votes (one place found only in that country is one vote).
WEAK_EVIDENCE = 1.0
#: A large city's name goes to a small town elsewhere when the article's other places point to
#: the town's country with this many more votes than to the city's (moves).
STRONG_EVIDENCE = 2.0
#: A large place is a rival of a name's usual reading when it has at least 1/RIVAL_SHARE of its
#: population; a smaller one is moved to like a small town.
RIVAL_SHARE = 10
MARGIN = 1e-9


@dataclass(frozen=True)
class Candidate:
    place: Place
    alternate: bool  # matched by one of GeoNames' alternate names, not the name or a known variant

    def rank(self, context: dict[str, float]) -> tuple[float, bool, int, int]:
        place = self.place
        score = context.get(place.country_code, 0.0)
        return (-score, self.alternate, KIND_RANK.get(place.kind, 9), -place.population)


def choose(
    key: str, found: list[Candidate], context: dict[str, float], named: frozenset[str]
) -> Candidate | None:
    """The candidate a name of an article means (Gazetteer.resolve has the order)."""
    by_name = [c for c in found if not c.alternate]
    countries = [c for c in by_name if c.place.kind == "country"]
    firsts = [c for c in by_name if c.place.kind in FIRST_LEVEL]
    if countries:
        home = {c.place.country_code for c in countries}
        supported = [
            c
            for c in firsts
            if c.place.country_code not in home and context.get(c.place.country_code, 0) > 0
        ]
        return min(supported or countries, key=lambda candidate: candidate.rank(context))
    if firsts:
        found = by_name
    usual = min(found, key=lambda candidate: candidate.rank({}), default=None)
    best = min(found, key=lambda candidate: candidate.rank(context), default=None)
    if usual is None or best is None or moves(key, usual, best, context, named):
        return best
    return usual


def moves(
    key: str,
    usual: Candidate,
    other: Candidate,
    context: dict[str, float],
    named: frozenset[str],
) -> bool:
    """Whether the article's other places take a name from its usual reading (the one chosen
    without context) to another place: a small town moves to a far country only on strong
    evidence. The other place's country must lead the usual one's by WEAK_EVIDENCE (one whole
    vote: Tripoli beside Beirut is in Lebanon). Away from a capital, only to a large place or to
    a town whose own first-level region the article names (Paris beside "US" stays in France,
    beside Texas it is Paris, Texas; Moscow beside Texas stays in Russia). Away from a large city,
    to a town of exactly that name also when its country leads by STRONG_EVIDENCE (Halifax
    beside the UK, Scotland and London is in England; Frankfurt beside "US" stays in Germany)."""
    if other is usual:
        return True
    # Votes are sums of shares (1/3 + 2/3): compared with a margin.
    lead = context.get(other.place.country_code, 0.0) - context.get(usual.place.country_code, 0.0)
    lead += MARGIN
    if lead < WEAK_EVIDENCE or not large(usual) or rivals(usual, other):
        return lead >= WEAK_EVIDENCE
    region = other.place.region
    if region and place_key(region) in named:
        return True
    # Only a town of exactly that name: not one found by an alternate name or a respelling
    # (Sidney, Ohio for Sydney; Frankfort, Kentucky for Frankfurt).
    spelt = not other.alternate and place_key(other.place.name) == key
    return usual.place.kind == "city" and spelt and lead >= STRONG_EVIDENCE


def other_name(candidate: Candidate, key: str) -> bool:
    """A match by an alternate name that is not even spelt like the place's name (its first
    letter differs, the Arabic article aside): Twickenham for Huntsville, Halab for Aleppo, not
    Dayr az Zawr for Deir ez-Zor."""
    if not candidate.alternate:
        return False
    name = _ARTICLE.sub("", place_key(candidate.place.name))
    return name[:1] != _ARTICLE.sub("", key)[:1]


def rivals(usual: Candidate, other: Candidate) -> bool:
    """A large place with at least 1/RIVAL_SHARE of the usual reading's population (US states,
    which the table gives none, always): Tripoli, Lebanon rivals the Libyan capital; London,
    Ontario is a town beside London (Toronto names no place in it)."""
    if not large(other):
        return False
    if "state" in (usual.place.kind, other.place.kind):
        return True
    return other.place.population * RIVAL_SHARE >= usual.place.population


def large(candidate: Candidate) -> bool:
    """A US state, or a capital or city of STRONG_CITY_POPULATION (by any of its names:
    Newcastle upon Tyne goes by Newcastle); the capital of a small territory is a town."""
    place = candidate.place
    if place.kind in ("city", "capital"):
        return place.population >= STRONG_CITY_POPULATION
    return place.kind in PRIME


def is_strong_place(candidate: Candidate, name: str, key: str) -> bool:
    place = candidate.place
    if place.kind == "country":
        return True
    if place.kind == "region":
        return False
    # Short capitals ("SANA", "FAO") are acronyms of organizations far more often than cities.
    if len(key) < 3 or candidate.alternate or (name.isupper() and len(key) <= 5):
        return False
    return place.kind != "city" or place.population >= STRONG_CITY_POPULATION


def country_votes(candidates: list[Candidate]) -> dict[str, float]:
    """One vote per name, shared among the countries its candidates lie in. A first-level
    region derived from city rows votes only when nothing else bears the name: Florida, a
    department of Uruguay too, still points wholly to the United States."""
    named = [c for c in candidates if c.place.kind != "region"] or candidates
    # A name that is a country, capital or US state by its own name points there, not to the
    # towns named after it (Florida the state, not Florida in Cuba).
    prime = [c for c in named if not c.alternate and c.place.kind in PRIME] or named
    codes = {candidate.place.country_code for candidate in prime} - {""}
    return {code: 1.0 / len(codes) for code in codes}
