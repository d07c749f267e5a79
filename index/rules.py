"""The switches of entity extraction and the records it passes: Rules, Resources, Mention.

Each rule is measured by bench/entities.py; index.mentions applies them.
"""

from __future__ import annotations

from dataclasses import dataclass

from index.gazetteer import Gazetteer
from index.orgs import AliasTable


@dataclass(frozen=True)
class Rules:
    """The checks beyond the model's own labels; each is measured by bench/entities.py.

    A rule ships (is on) only if, toggled within the chosen set, it lowers F1 on neither half of
    IE-ER dev nor of CoNLL-2003 valid non-sports (bench/halves/; names scored by
    bench/namematch.py, never through newsdex's own tables): the rules were written from errors
    on the whole sets, so each half is the other's check. bench/results/entities.md has every
    rule's delta per half. Rules that failed it were removed, not kept switched off (the
    product keeps no bench-only paths); docs/entities.md lists them with the half each lowered.
    """

    datelines: bool = True  # "NAIROBI, Kenya (AP) _": the capitals opening a paragraph, a place
    person_names: bool = True  # a name the article also uses for a person is no place or org
    parents: bool = True  # an organization's parents ("United Nations" for WFP) as org aliases
    place_cues: bool = True  # "the town of X": X is a place, however the model tagged it
    known_orgs: bool = True  # a name the alias table knows is an organization, whatever its label
    alias_recall: bool = True  # capitalised names the alias table knows, missed by the model
    trim_orgs: bool = True  # an organization without leading months or trailing descriptions
    coordination: bool = True  # "Mercantile and Commerce" as two names, when each stands alone
    feature_places: bool = True  # "Houston Street", "Wilson Dam": a place, whatever the label
    # "the Ithrya-Khanaser road", "the Tigris river": a name before a lowercase road or river
    # word is that road or river, a place, whatever the label
    lowercase_features: bool = True
    not_events: bool = True  # "Academy Award", "Kenya Open": an award or event, not an org
    ordinals: bool = True  # "7th U.S. Circuit Court of Appeals": the ordinal is in the name
    given_names: bool = True  # "Julia Chepalova" tagged ORG: a given name opens a person's name
    common_words: bool = True  # "Court" tagged ORG where "the court" is written too
    # "U.S. District Court" (GPE "U.S." + ORG) and "League of X and Y" (ORG and ORG): one org
    place_prefixes: bool = True
    company_names: bool = True  # "TV Books LLC", "X Foundation" tagged PERSON: organizations
    publishers: bool = True  # "The Price Sun reported": a publication tagged WORK_OF_ART
    title_cues: bool = True  # "President Bush", "Mr Kennedy": a person, however tagged
    # Every other mention of an organization's name or acronym. Mention level only: it adds no
    # name to an article's entities, so it changes CoNLL's figures and not IE-ER's.
    org_repeats: bool = True
    not_names: bool = True  # time zones, units and religions ("GMT", "MW", "Islam"): neither kind
    # Awards, competitions, products, works and events the alias data lists by category
    # ([not_organizations] in index/data/orgs.toml, extended by alias files): neither kind
    not_organizations: bool = True
    # "GDC Mr Allard" is an organization up to the title; "J. Allard" tagged ORG beside "Mr
    # Allard" or a PERSON "Allard" is that person (index.persons), not an organization
    person_orgs: bool = True


@dataclass(frozen=True)
class Resources:
    """The tables extraction consults; built once per process, passed explicitly."""

    gazetteer: Gazetteer
    aliases: AliasTable
    rules: Rules = Rules()


@dataclass(frozen=True)
class Mention:
    """One place or organization name found in a text, at character offsets [start, end)."""

    start: int
    end: int
    name: str  # as written, cleaned (no leading "the", no trailing "'s")
    kind: str  # "place" or "org"
