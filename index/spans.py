"""Repairs of the model's span boundaries: pure text functions, each switched by a Rules flag.

The small model's spans run across line breaks ("Middle East\n\nSyrian"), swallow
dates and descriptions ("August Chicago NAPM", "Interfax news agency", "Jeans Mate Corp -
6mth") and join coordinated names ("Yahoo and Excite"). bench/entities.py measures each repair.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

# Where one span holds several names: a line break only. Cutting at dashes, brackets and
# colons too ("GERMANY - Bunds") lowered CoNLL non-sports A org F1 and was removed.
_LINE_BREAKS = re.compile(r"\n")
_MONTHS = (
    r"(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.?|January|February|March|April|May"
    r"|June|July|August|September|October|November|December"
)
# A lower-case word; not a name written in camel case ("eBay", "iPod").
_LOWER_WORD = r"(?![a-z]+[A-Z])[a-z][\w-]*"
# Words an organization's name does not open with: a month ("August Chicago NAPM", "September
# Bund"), a lower-case description ("pro-Socialist CFDT union").
_LEADING_NOISE = re.compile(rf"^(?:(?:{_MONTHS})\s+(?=[A-Z])|{_LOWER_WORD}\s+(?=\S))+")
# Words it does not end with: lower-case descriptions ("Interfax news", "CFDT union"), a
# period or a phone number ("Computer Systems Inc Q2", "New York Energy Desk 212-859-1620"); a
# plain number stays ("Fox 2000", "Channel 4").
_TRAILING_NOISE = re.compile(
    rf"(?:\s+(?:{_LOWER_WORD}|[A-Z]{{1,2}}\d|\d+[a-z]+|\d[\d-]{{5,}}\d))+$"
)
_CAMEL_CASE = re.compile(r"[a-z]+[A-Z]")
# Names joined in one span: "Yahoo and Excite", "Mercantile , Commerce".
# "&" is left alone: it joins the names of one firm ("Procter & Gamble").
_COORDINATION = re.compile(r"\s*,\s+(?:and\s+|or\s+)?|\s+(?:and|or)\s+")


def name_parts(text: str) -> Iterator[tuple[int, str]]:
    """The parts of a span's text that may each be a name, with their offsets in the span: cut
    at line breaks (the model sometimes swallows the blank line after a heading)."""
    start = 0
    for found in [*_LINE_BREAKS.finditer(text), None]:
        end = found.start() if found else len(text)
        part = text[start:end]
        if part.strip():
            yield start, part
        if found is None:
            break
        start = found.end()


def trim_org(name: str) -> tuple[int, str]:
    """An organization's name without leading dates or descriptions and trailing lower-case
    words or figures; with the offset of what is kept. Empty when nothing capitalised is left."""
    lead = _LEADING_NOISE.match(name)
    start = lead.end() if lead else 0
    kept = _TRAILING_NOISE.sub("", name[start:])
    if not (kept[:1].isupper() or kept[:1].isdigit() or _CAMEL_CASE.match(kept)):
        return start, ""
    return start, kept


def conjuncts(name: str) -> list[str]:
    """The names a coordination joins ("Anders Aukland and Erling Jevne"); the name alone when
    it is none."""
    return [part for part in _COORDINATION.split(name) if part]


def coordinated(name: str, text: str) -> list[tuple[int, str]] | None:
    """The names of a coordination ("Mercantile and Commerce") when each part also stands alone
    elsewhere in the text; None when the span is one name ("Bread and Roses")."""
    pieces, at = [], 0
    for sep in _COORDINATION.finditer(name):
        pieces.append((at, name[at : sep.start()]))
        at = sep.end()
    if not pieces:
        return None
    pieces.append((at, name[at:]))
    if any(not piece[:1].isupper() for _, piece in pieces):
        return None
    whole = [range(at, at + len(name)) for at in word_starts(text, name)]
    for _, piece in pieces:
        alone = (not any(at in span for span in whole) for at in word_starts(text, piece))
        if not any(alone):
            return None
    return pieces


def word_starts(text: str, word: str, also_before: str = "-") -> Iterator[int]:
    """Where a word or name occurs in a text whole: not inside a longer word, nor after a
    hyphen (or any character of `also_before`), nor before one."""
    at = text.find(word)
    while at >= 0:
        end = at + len(word)
        before = text[at - 1] if at else " "
        after = text[end] if end < len(text) else " "
        if not (before.isalnum() or before == "_" or before in also_before) and not (
            after.isalnum() or after in "_-"
        ):
            yield at
        at = text.find(word, at + 1)


# The last word of a street, square or natural feature's name ("Houston Street", "Dupont Circle",
# "Wilson Dam"): the name is a place whatever label the model gave it. Buildings, stadiums and
# airports are left out: news annotation (and most readers) do not count them as places.
_FEATURE_WORDS = (
    r"Street|St\.|Avenue|Ave\.|Road|Rd\.|Drive|Dr\.|Boulevard|Blvd\.|Lane|Square|Circle"
    r"|Expressway|Highway|Freeway|Parkway|Turnpike|Concourse|Monument|Dam|Grounds"
    r"|Mountains|Hills|Valley|River|Lakes?|Bay|Sea|Ocean|Gulf|Islands?|Peninsula|Desert|Canal"
    r"|Strait|Coast|Heights|Falls|Springs"
)
_OPENERS = r"(?:The|For|In|At|On|To|From|By|With|And|But|Of|As|If|When|While|After|Before|A|An)"
_FEATURE_WORD = rf"(?!{_OPENERS}\s)[A-Z][\w'’-]*"
_FEATURE_END = re.compile(rf"\s(?:{_FEATURE_WORDS})$")
# A feature's name in running text, with an ordinal or house number before it ("79th Street",
# "601 Riverview Dr."); words with dots ("Rev. Dr.") and sentence openers ("For Wall Street")
# are not part of it.
_FEATURE_NAME = re.compile(
    rf"(?<![\w.'’-])(?:\d+(?:st|nd|rd|th)?\s(?:{_FEATURE_WORD}\s){{0,3}}|(?:{_FEATURE_WORD}\s){{1,3}})"
    rf"(?:{_FEATURE_WORDS})(?![\w-])"
)


# A road or a river named in lowercase after its name: "the Ithrya-Khanaser road", "the Tigris
# river". The model tags the name alone, often ORG.
_LOWER_FEATURE = re.compile(r"\s(?:road|highway|motorway|expressway|river|canal)(?![\w-])")


def feature_word_after(text: str, end: int) -> str:
    """The lowercase road or river word right after a name ending at `end` (" road"), or ""."""
    match = _LOWER_FEATURE.match(text, end)
    return match.group() if match else ""


def is_feature(name: str) -> bool:
    """True when a name ends with the word of a street, square or natural feature."""
    return bool(_FEATURE_END.search(name))


def feature_names(text: str) -> Iterator[tuple[int, int, str]]:
    """Street, square and natural feature names in a text, with their offsets."""
    for match in _FEATURE_NAME.finditer(text):
        yield match.start(), match.end(), match.group()


# The last word of an award's, a tournament's or a text's name, which the model tags ORG
# ("Academy Award", "Tusker Kenya Open", "King James Version").
_EVENT_END = re.compile(
    r"\s(?:Awards?|Prizes?|Trophy|Cup|Open|Championships?|Games|Olympics|Version|Tour)$"
)
_ORDINAL_BEFORE = re.compile(r"(?<![\w-])\d+(?:st|nd|rd|th)\s$")


def is_event(name: str) -> bool:
    """True when a name ends like an award's, a tournament's or a text's."""
    return bool(_EVENT_END.search(name))


# Closed classes of capitalised words the model tags ORG or GPE that are neither: time zones,
# units written in capitals and religions (BBC: "GMT" in 43 articles, "MW", "Islam"). Closed
# classes only; products and games are an open class that a list would only fit.
_NOT_A_NAME = re.compile(
    r"^(?:GMT|BST|UTC|CET|CEST|EST|EDT|CST|CDT|MST|MDT|PST|PDT|IST|JST|AEST|AEDT"
    r"|kW|MW|GW|TW|kWh|MWh|GWh|TWh|MHz|GHz|Mbps|Gbps|KB|MB|GB|TB"
    r"|Islam|Christianity|Judaism|Hinduism|Buddhism|Sikhism|Catholicism|Protestantism"
    r"|Shintoism|Taoism|Zoroastrianism)$"
)


def is_not_a_name(name: str) -> bool:
    """True for a time zone, a unit or a religion: never an organization or a place."""
    return bool(_NOT_A_NAME.match(name.strip()))


def ordinal_before(text: str, start: int) -> str:
    """The ordinal just before a name ("7th " before "U.S. Circuit Court"), or ""."""
    match = _ORDINAL_BEFORE.search(text, max(0, start - 8), start)
    return match.group() if match else ""


# The last word of a company's or an institution's name ("Miles Inc.", "Ford Foundation").
_COMPANY_END = re.compile(
    r"\s(?:Inc|Corp|Co|Cos|Ltd|LLC|Plc|PLC|AG|SA|SpA|NV|GmbH|Group|Holdings|Bank|Foundation"
    r"|Institute|Association|Society|Council|Committee|Party|University|College|School"
    r"|Hospital|Church|Company|Corporation|Partners|Brothers|Bros|Sons|Associates"
    r"|Opera|Orchestra|Ballet|Philharmonic|Conference|League|Club|Theatre|Theater|Museum"
    r"|Gallery|Studios|Records|Motors|Airlines|Airways|Pharmaceuticals|Entertainment)\.?$"
)


def is_company(name: str) -> bool:
    """True when a name ends like a company's or an institution's."""
    return bool(_COMPANY_END.search(name))


_LEGAL_END = re.compile(r"\s(?:Inc|Corp|Co|Cos|Ltd|LLC|PLC|Plc|AG|SpA|GmbH)\.?$")


def is_legal_form(name: str) -> bool:
    """True when a name ends with a company's legal form ("TV Books LLC", "Bayer AG")."""
    return bool(_LEGAL_END.search(name))


_LEADING_THE = re.compile(r"^(?:the|The|THE)\s+")
# A dateline's date or a weekday swallowed by a span ("JOHANNESBURG 1996-08-30",
# "Holmenkollen Saturday").
_TRAILING_DATE = re.compile(
    r"\s+(?:\d{4}-\d\d-\d\d|(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day)$", re.IGNORECASE
)
_TRAILING_POSSESSIVE = re.compile(r"(?:'s|’s|'|’)$")
_SPACES = re.compile(r"\s+")


def clean_name(text: str) -> str:
    """A span's text as a name: one line, no leading "the", no trailing possessive."""
    # A final dot stays: spaCy keeps it only on abbreviations ("U.S.", "Fla.", "Co.").
    text = _SPACES.sub(" ", text).strip(" \t\n,;:\"'`()[]-–—")
    text = _TRAILING_DATE.sub("", _LEADING_THE.sub("", text))
    return _TRAILING_POSSESSIVE.sub("", text).strip()


def span_names(text: str) -> list[str]:
    """A span split at line breaks: the model sometimes swallows the blank line after a heading."""
    return [name for _, _, name in located_names(text, 0)]


def located_names(text: str, offset: int) -> Iterator[tuple[int, int, str]]:
    """The names of a span, each with its offsets in the whole text."""
    for part_start, part in name_parts(text):
        name = clean_name(part)
        if name:
            at = part.find(name)
            start = offset + part_start + max(at, 0)
            yield start, start + (len(name) if at >= 0 else len(part)), name
