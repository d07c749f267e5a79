"""The switches of entity extraction and the records it passes: Rules, Resources, Mention.

Each rule is measured by bench/entities.py; index.mentions applies them.
"""

from __future__ import annotations

from dataclasses import dataclass

from index.gazetteer import Gazetteer
from index.orgs import AliasTable


@dataclass(frozen=True)
class Rules:
    """The checks beyond the model's own labels; each was measured by bench/entities.py.

    A rule is on only when it raised F1 on one of IE-ER dev (document level) and CoNLL-2003
    valid non-sports (mention level) and lowered it on neither; bench/results/entities.md has
    each rule's delta, docs/entities.md what was tried and dropped. FAC is not a
    place label: with it, IE-ER place F1 falls 0.866 -> 0.858 (airports, bridges and buildings
    that IE-ER leaves out), while CoNLL non-sports place F1 rises only 0.894 -> 0.898. A FAC span
    that the gazetteer knows with strong evidence is still a place (MISREAD_PLACE_LABELS).
    drop_non_places changed nothing on either set and org_patterns cost 0.002 CoNLL org F1
    (the model already finds most such names); both stay available, off. place_cues ("the
    town of X") raised IE-ER place F1 0.866 -> 0.874 and CoNLL non-sports place F1 0.894 -> 0.904.
    """

    fac_places: bool = False  # FAC spans (buildings, airports, roads) as places
    gazetteer_recall: bool = True  # strong gazetteer names the model missed, added as places
    drop_non_places: bool = False  # model places the gazetteer calls a month or weekday, dropped
    org_patterns: bool = False  # "Ministry of X", "X Council", "University of X", "X Party"
    datelines: bool = True  # "NAIROBI, Kenya (AP) _": the capitals opening a paragraph, a place
    person_names: bool = True  # a name the article also uses for a person is no place or org
    parents: bool = True  # an organization's parents ("United Nations" for WFP) as org aliases
    place_cues: bool = True  # "the town of X": X is a place, however the model tagged it
    known_orgs: bool = True  # a name the alias table knows is an organization, whatever its label
    alias_recall: bool = True  # capitalised names the alias table knows, missed by the model
    split_names: bool = True  # a span cut at dashes, brackets and colons ("GERMANY - Bunds")
    trim_orgs: bool = True  # an organization without leading months or trailing descriptions
    coordination: bool = True  # "Mercantile and Commerce" as two names, when each stands alone
    feature_places: bool = True  # "Houston Street", "Wilson Dam": a place, whatever the label
    not_events: bool = True  # "Academy Award", "Kenya Open": an award or event, not an org
    ordinals: bool = True  # "7th U.S. Circuit Court of Appeals": the ordinal is in the name
    given_names: bool = True  # "Julia Chepalova" tagged ORG: a given name opens a person's name
    common_words: bool = True  # "Court" tagged ORG where "the court" is written too
    # "U.S. District Court" (GPE "U.S." + ORG) and "League of X and Y" (ORG and ORG): one org
    place_prefixes: bool = True
    company_names: bool = True  # "TV Books LLC", "X Foundation" tagged PERSON: organizations
    publishers: bool = True  # "The Price Sun reported": a publication tagged WORK_OF_ART
    title_cues: bool = True  # "President Bush", "Mr Kennedy": a person, however tagged
    org_relabel: bool = True  # a name the article has as an organization is no place elsewhere
    # Every other mention of an organization's name or acronym. Mention level only: it adds no
    # name to an article's entities, so it changes CoNLL's figures and not IE-ER's.
    org_repeats: bool = True


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
