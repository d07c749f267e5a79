"""Places and organizations in a parsed text: the model's spans checked against the tables.

The rules beyond the model's labels (Rules), each measured by bench/entities.py, over spans that
spaCy produced (index.extract runs the model; this module never imports spaCy).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import accumulate
from typing import Protocol

from index.gazetteer import capitalised_runs, datelines
from index.names import looks_like_person
from index.orgs import without_legal_form
from index.persons import clean_person, misread_person, surnames, title_cut
from index.rules import Mention, Resources
from index.spans import (
    clean_name,
    conjuncts,
    coordinated,
    feature_names,
    feature_word_after,
    is_company,
    is_event,
    is_feature,
    is_legal_form,
    is_not_a_name,
    located_names,
    ordinal_before,
    trim_org,
    word_starts,
)


class Span(Protocol):
    """What this module reads of a model span (spaCy's Span has it)."""

    @property
    def text(self) -> str: ...
    @property
    def start_char(self) -> int: ...
    @property
    def end_char(self) -> int: ...
    @property
    def label_(self) -> str: ...


@dataclass(frozen=True)
class JoinedSpan:
    """Two model spans read as one name ("U.S." + "District Court")."""

    text: str
    start_char: int
    end_char: int
    label_: str


PLACE_LABELS = frozenset({"GPE", "LOC"})
ORG_LABELS = frozenset({"ORG"})
# Labels the small model gives to places it misreads (Aleppo as NORP, Khanaser as PERSON):
# such a span becomes a place only when the gazetteer knows the name with strong evidence.
MISREAD_PLACE_LABELS = frozenset({"NORP", "PERSON", "ORG", "FAC"})
# Labels the small model gives to organizations it misreads ("Unicef" and "Labour" as PERSON, a
# party's members "Republicans" as NORP): such a span is an organization when the alias table
# knows the name.
MISREAD_ORG_LABELS = frozenset({"NORP", "PERSON", "PRODUCT", "WORK_OF_ART", "EVENT", "LAW", "FAC"})

# A place named by the words before it ("the town of X", "southern X"); the model often tags
# such a small town PERSON, and a region in the plural ("the northern Dakotas") ORG.
_PLACE_CUE = re.compile(
    r"\b(?:town|city|village|province|governorate|district|region|suburb|port|capital|"
    r"outskirts|neighbou?rhood|county|state) of\s+$",
    re.IGNORECASE,
)
_DIRECTION_CUE = re.compile(
    r"\b(?:northern|southern|eastern|western|central|north-?eastern|south-?eastern"
    r"|north-?western|south-?western)\s+$"
)
CUED_LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC"})
# "the eastern Zairean border": a direction before a nationality is no place cue.
DIRECTION_CUED_LABELS = CUED_LABELS - {"NORP"}
FEATURE_LABELS = CUED_LABELS
# Labels of figures: a house number or an ordinal ("79th Street") is part of a street's name.
NUMERIC_LABELS = frozenset({"CARDINAL", "ORDINAL", "QUANTITY", "DATE", "TIME"})
# "Interfax news agency", "the PAP news agency": the agency is named without the description.
_AGENCY_WORDS = re.compile(r"\s+news agency$", re.IGNORECASE)
# A person's title just before a name: "President Bush", "Mr Kennedy", "Sen. Kerry".
_TITLE_BEFORE = re.compile(
    r"\b(?:President|Mr|Mrs|Ms|Dr|Senator|Sen|Rep|Governor|Gov|Minister|Chancellor|Pope"
    r"|Judge|Lord|Lady|Sir|Dame|Prince|Princess|Sheikh|Ayatollah)\.? $"
)
# Not PERSON: "Smith said" is a person speaking.
PUBLISHER_LABELS = frozenset({"WORK_OF_ART", "PRODUCT", "LAW", "EVENT", "FAC"})
_PUBLISHER_AFTER = re.compile(r"['’]*\s+(?:newspaper|daily|weekly|magazine|said|reported|quoted)\b")
# "League of American Producers": a name of the form "X of Y", which may go on with "and Z".
_OF_NAME = re.compile(r"^(?:the )?[A-Z]\w+ (?:of|for) [A-Z]")
_POSSESSIVE_IN = re.compile(r"['’]s?\b")


def _classify(label: str, name: str, resources: Resources, acronyms: dict[str, str]) -> str | None:
    """ "place", "org" or None for one name of a span, checking the model against the tables."""
    known_org = name in acronyms or resources.aliases.is_known(name)
    strong_place = resources.gazetteer.is_strong(name)
    if label in PLACE_LABELS or label in ORG_LABELS:
        if known_org and not strong_place:
            return "org"  # "Daesh" tagged GPE is a group the alias table knows
        if label in PLACE_LABELS or strong_place:
            return "place"
        return "org"
    if label in MISREAD_PLACE_LABELS and strong_place:
        return "place"  # "Aleppo" tagged NORP
    if label in MISREAD_ORG_LABELS and resources.rules.known_orgs and known_org:
        return "org"  # "Republicans" tagged NORP, "Unicef" or "Labour" tagged PERSON
    return None


def find_mentions(
    text: str, ents: Sequence[Span], resources: Resources, acronyms: dict[str, str]
) -> list[Mention]:
    # doc.ents builds its spans anew at every access: the callers read it once.
    rules = resources.rules
    if rules.place_prefixes:
        ents = _with_place_prefixes(text, ents)
    cued = _cued_places(text, ents) if rules.place_cues else set()
    model: list[Mention] = []
    for ent in ents:
        for start, _, name in located_names(ent.text, ent.start_char):
            parts = coordinated(name, text) if rules.coordination else None
            for at, part in parts or [(0, name)]:
                model += _model_mention(
                    text, ent.label_, start + at, part, resources, acronyms, cued
                )
    if rules.person_names:
        model = _without_person_names(text, model, ents, resources, acronyms, cued)
    found = [Mention(s, e, n, "place") for s, e, n in datelines(text)] if rules.datelines else []
    found += [m for m in model if not _overlaps(m, found)]
    if rules.alias_recall or rules.company_names:
        spans = [(ent.start_char, ent.end_char) for ent in ents]
        found += _recalled(text, resources, _Taken([*spans, *((m.start, m.end) for m in found)]))
    if rules.feature_places:
        named = [(e.start_char, e.end_char) for e in ents if e.label_ not in NUMERIC_LABELS]
        features = _Taken([*named, *((m.start, m.end) for m in found)])
        found += [
            Mention(start, end, name, "place")
            for start, end, name in feature_names(text)
            if not features.overlaps(start, end)
        ]
    if rules.org_repeats:
        found = _org_repeats(text, found, resources, acronyms, ents)
    return sorted(found, key=lambda m: m.start)


def _org_repeats(
    text: str,
    found: list[Mention],
    resources: Resources,
    acronyms: dict[str, str],
    ents: Sequence[Span],
) -> list[Mention]:
    """Every other mention of a name found as an organization (the model tags "Cofinec" ORG
    once and nothing elsewhere), and of an acronym the article defines for it. A span the model
    gave a person's or a people's label yields to the organization; other spans keep theirs:
    "Wales" the team and Wales the country share an article."""
    orgs = {m.name for m in found if m.kind == "org"}
    orgs |= {without_legal_form(name) for name in orgs}  # "Infoseek" after "Infoseek Corp."
    orgs |= {short for short, full in acronyms.items() if full in orgs}
    if not orgs:
        return found
    model = [
        (e.start_char, e.end_char)
        for e in ents
        if e.label_ not in MISREAD_ORG_LABELS or clean_name(e.text) not in orgs
    ]
    taken = _Taken([*model, *((m.start, m.end) for m in found)])
    repeats: list[Mention] = []
    for name in sorted(orgs, key=len, reverse=True):  # "Pirelli Cables" before "Pirelli"
        for start in word_starts(text, name, also_before=".-"):
            end = start + len(name)
            if not taken.overlaps(start, end) and not _overlaps_any(start, end, repeats):
                repeats.append(Mention(start, end, name, "org"))
    return found + repeats


def _overlaps_any(start: int, end: int, mentions: list[Mention]) -> bool:
    return any(start < m.end and m.start < end for m in mentions)


def _model_mention(
    text: str,
    label: str,
    start: int,
    name: str,
    resources: Resources,
    acronyms: dict[str, str],
    cued: set[str],
) -> list[Mention]:
    """The mention one name of a model span makes, if any."""
    rules = resources.rules
    if rules.lowercase_features and label in FEATURE_LABELS and label not in PLACE_LABELS:
        after = feature_word_after(text, start + len(name))  # a place label keeps its name
        if after:
            return [Mention(start, start + len(name) + len(after), name + after, "place")]
    if name in cued and label in CUED_LABELS:
        kind: str | None = "place"
    elif rules.feature_places and label in FEATURE_LABELS and is_feature(name):
        kind = "place"
    else:
        kind = _classify(label, name, resources, acronyms)
    if kind is None and rules.company_names and label in MISREAD_ORG_LABELS and is_company(name):
        kind = "org"  # "Frank Lloyd Wright Foundation" tagged PERSON
    if kind is None and rules.publishers and _published(text, label, start + len(name)):
        kind = "org"  # "The Price Sun reported": a newspaper the model calls a work of art
    if kind == "org":
        repaired = _org_name(text, label, start, name, resources, acronyms)
        if repaired is None:
            return []
        start, name = repaired
    person_place = kind == "place" and label in PLACE_LABELS and rules.given_names
    if person_place and not resources.gazetteer.is_strong(name):
        kind = None if _person_like(name, resources, acronyms) else kind
    if kind is None or not name or (rules.not_names and is_not_a_name(name)):
        return []
    if rules.not_organizations and _listed_thing(text, start, name, resources):
        return []  # "Oscars", "Xbox 2", "the Budget": an award, a product, an event
    return [Mention(start, start + len(name), name, kind)]


# How far back a listed name may begin before a span it holds ("Lord of the " before "Rings").
LISTED_REACH = 40
_CLAUSE_BREAK = re.compile(r"[.!?;\n]")
_WORD_START = re.compile(r"(?<![\w'’-])\w")


def _listed_thing(text: str, start: int, name: str, resources: Resources) -> bool:
    """True when the alias data lists the name as no organization (an award, a product...), or
    the span is the end of a listed name the model cut ("Rings" of "the Lord of the Rings")."""
    aliases, end = resources.aliases, start + len(name)
    if aliases.not_org(name):
        return True
    window = max(0, start - LISTED_REACH)
    return any(
        aliases.not_org(text[found.start() : end], models=False) is not None
        for found in _WORD_START.finditer(text, window, start)
        if not _CLAUSE_BREAK.search(text, found.start(), start)
    )


def _org_name(
    text: str, label: str, start: int, name: str, resources: Resources, acronyms: dict[str, str]
) -> tuple[int, str] | None:
    """An organization's name and offset after the repairs, or None when it is no
    organization after all (an award, a person's name, a common word)."""
    rules = resources.rules
    if bare := _AGENCY_WORDS.sub("", name):
        name = bare
    if rules.trim_orgs and not resources.aliases.is_known(name):
        at, name = trim_org(name)
        start += at
    if rules.person_orgs and (cut := title_cut(name)) is not None:
        name = name[:cut].rstrip(" ,")  # "GDC Mr Allard": the conference, then a person
    if not name or (rules.not_events and is_event(name)):
        return None
    if rules.given_names and label == "ORG" and _person_like(name, resources, acronyms):
        return None
    if rules.common_words and _common_word(name, text, resources, acronyms):
        return None
    if rules.ordinals and (ordinal := ordinal_before(text, start)):
        start, name = start - len(ordinal), ordinal + name
    return start, name


def _common_word(name: str, text: str, resources: Resources, acronyms: dict[str, str]) -> bool:
    """A single capitalised word that the article also writes in lower case ("Court officials
    said" where "the court" is elsewhere): a word of the language, not an organization's name."""
    if " " in name or name.isupper() or name in acronyms or resources.aliases.is_known(name):
        return False
    return next(word_starts(text, name.lower()), None) is not None


def _published(text: str, label: str, end: int) -> bool:
    """A work's or a product's name followed by "newspaper", "said" or "reported": the name of
    a publication, an organization."""
    return label in PUBLISHER_LABELS and _PUBLISHER_AFTER.match(text, end) is not None


def _person_like(name: str, resources: Resources, acronyms: dict[str, str]) -> bool:
    """A name shaped like a person's that no table knows as an organization and that does not
    end like a firm's ("Miles Inc.")."""
    known = name in acronyms or resources.aliases.is_known(name)
    people = conjuncts(name)
    return not known and not is_company(name) and all(looks_like_person(p) for p in people)


def _with_place_prefixes(text: str, ents: Sequence[Span]) -> list[Span]:
    """Spans the model cut out of one organization's name, joined: a place written just before
    it ("U.S. District Court": GPE "U.S." and ORG "District Court"), and the second half of
    "League of American Producers and Theater Owners" (Rules.place_prefixes)."""
    merged: list[Span] = []
    for ent in ents:
        before = merged[-1] if merged else None
        if before is not None and _one_name(text, before, ent):
            start, end = before.start_char, ent.end_char
            merged[-1] = JoinedSpan(text[start:end], start, end, "ORG")
        else:
            merged.append(ent)
    return merged


def _one_name(text: str, before: Span, ent: Span) -> bool:
    if ent.label_ != "ORG" or before.label_ not in ("GPE", "ORG"):
        return False
    between = text[before.end_char : ent.start_char]
    if before.label_ == "GPE":
        joined = between == " "
    else:
        joined = (
            between == " and "
            and bool(_OF_NAME.search(before.text))
            and len(ent.text.split()) <= 3
            and not ent.text.startswith(("the ", "The "))
        )
    return joined and not _POSSESSIVE_IN.search(before.text + " " + ent.text)


def _overlaps(mention: Mention, others: Iterable[Mention]) -> bool:
    return any(mention.start < o.end and o.start < mention.end for o in others)


def _cued_places(text: str, ents: Sequence[Span]) -> set[str]:
    """Names the article itself calls a place: "the town of Khanaser", "the province of Idlib",
    "the northern Dakotas"."""
    return {ent.text for ent in ents if _cued(text, ent) and ent.text[:1].isupper()}


def _cued(text: str, ent: Span) -> bool:
    if ent.label_ not in CUED_LABELS:
        return False
    start = max(0, ent.start_char - 40)
    if ent.label_ in CUED_LABELS and _PLACE_CUE.search(text, start, ent.start_char):
        return True
    return ent.label_ in DIRECTION_CUED_LABELS and bool(
        _DIRECTION_CUE.search(text, start, ent.start_char)
    )


def _without_person_names(
    text: str,
    mentions: list[Mention],
    ents: Sequence[Span],
    resources: Resources,
    acronyms: dict[str, str],
    cued: set[str],
) -> list[Mention]:
    """Drop a name that the article also gives a person ("Wang" after "Wang Dan"), unless a
    table knows it: the small model often tags a surname GPE or ORG on its second use. With
    Rules.title_cues, a name written after a title ("President Bush", "Mr Kennedy") is a
    person's even where the gazetteer knows a city of that name."""
    people = [ent.text for ent in ents if ent.label_ == "PERSON" and ent.text not in cued]
    titled = _titled_names(text, ents) if resources.rules.title_cues else set()
    person_words = {word for name in [*people, *titled] for word in name.split()}
    person_words |= {*people, *titled}
    titled_words = {word for name in titled for word in name.split()} | titled
    if resources.rules.person_orgs:
        family = surnames(n for n in map(clean_person, [*people, *titled]) if n)
    else:
        family = set()

    def keep(m: Mention) -> bool:
        if m.kind == "org" and family and misread_person(m.name, family):
            return resources.aliases.is_known(m.name) or is_company(m.name)
        if m.name not in person_words or m.name in acronyms:
            return True
        if resources.aliases.is_known(m.name):
            return True
        return m.name not in titled_words and resources.gazetteer.is_strong(m.name)

    return [m for m in mentions if keep(m)]


def _titled_names(text: str, ents: Sequence[Span]) -> set[str]:
    """The names of spans written right after a person's title."""
    return {
        ent.text
        for ent in ents
        if ent.label_ not in NUMERIC_LABELS
        and _TITLE_BEFORE.search(text, max(0, ent.start_char - 20), ent.start_char)
    }


class _Taken:
    """Character spans already claimed, for fast overlap tests (sorted starts, running max end)."""

    def __init__(self, spans: Iterable[tuple[int, int]]):
        ordered = sorted(spans)
        self.starts = [start for start, _ in ordered]
        self.max_ends = list(accumulate((end for _, end in ordered), max))

    def overlaps(self, start: int, end: int) -> bool:
        before = bisect_left(self.starts, end)  # spans that open before this one ends
        return before > 0 and self.max_ends[before - 1] > start


def _recalled(text: str, resources: Resources, taken: _Taken) -> list[Mention]:
    """Capitalised runs that no model span and no mention touches, and that the tables know:
    names the alias table knows ("AP", "Red Crescent") and names ending in a legal form ("TV
    Books LLC") as organizations. A strong gazetteer name the model missed is not added as a
    place: that rule lowered IE-ER B place F1 (docs/entities.md)."""
    rules, gazetteer = resources.rules, resources.gazetteer
    added = []
    for start, end, run in capitalised_runs(text):
        if taken.overlaps(start, end):
            continue
        name = clean_name(run)
        if not name:
            continue
        known = rules.alias_recall and resources.aliases.is_known(name)
        if (known and not gazetteer.is_strong(name)) or (
            rules.company_names and " " in name and is_legal_form(name)
        ):
            at = start + run.find(name)
            added.append(Mention(at, at + len(name), name, "org"))
    return added
