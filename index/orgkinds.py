"""What kind of organization a name is, only where there is evidence: the alias table's [kinds]
section first, then the company's legal form as written, then a clear name pattern.

No evidence, no kind: "Apple" is a company only if a table or the text says so. The evidence
in order (the first that speaks wins) is documented in docs/entities.md.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

#: The kinds, with the words a user may type for them (`newsdex facets ... --kind company`).
KINDS: dict[str, tuple[str, ...]] = {
    "company": ("companies", "firm", "firms", "business"),
    "party": ("parties", "political party"),
    "government": ("government body", "governments", "gov", "agency"),
    "media": ("news", "press", "newspaper"),
    "club": ("clubs", "sports club", "team", "teams"),
    "international": ("international body", "intl"),
    "ngo": ("ngos", "charity", "charities"),
}

# A legal form after the name, as the article wrote it ("Bayer AG", "Open Text Corp.").
_LEGAL = re.compile(
    r"(?:\s|,\s?)(?:Inc|Corp|Corporation|Co|Cos|Company|Ltd|Limited|LLC|L\.L\.C|PLC|Plc|plc|AG|SA"
    r"|S\.A|SpA|S\.p\.A|NV|N\.V|GmbH|Pty|BV|AB|ASA|Oyj|KK|Group|Holdings|Airlines|Airways"
    r"|Motors|Industries|Pharmaceuticals|Technologies|Telecom|Bros)\.?$"
)
# Clear shapes of a name; checked in this order.
_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("party", re.compile(r"\sParty$")),
    (
        "government",
        re.compile(
            r"^(?:Ministry|Department|Dept|Office|Bureau|Secretary) (?:of|for)\s"
            r"|\s(?:Ministry|Treasury|Home Office|Foreign Office|Cabinet Office|Parliament"
            r"|Senate|Congress|Police|City Council|County Council|District Council"
            r"|Borough Council|Armed Forces|Army|Navy|Air Force)$"
            r"|^(?:Home Office|Foreign Office|Treasury|Pentagon|Kremlin|White House"
            r"|Downing Street|Congress|Parliament|Senate)$"
        ),
    ),
    (
        "media",
        re.compile(
            r"^(?:BBC|CNN|ITV|NBC|CBS|ABC News|Reuters|Channel 4|Sky News|Al[- ]Jazeera)\b"
            r"|\s(?:Times|News|Post|Herald|Journal|Gazette|Telegraph|Tribune|Chronicle"
            r"|Observer|Radio|Television|TV|Broadcasting|Press|Magazine|Newspaper)$"
            r"|^Daily\s"
        ),
    ),
    (
        "club",
        re.compile(
            r"(?:^|\s)(?:FC|AFC|F\.C\.|RFC|CF)$|^(?:FC|AC|AS|SC|Real|Inter)\s"
            r"|\s(?:United|Rovers|Wanderers|Athletic|Albion|Hotspur|Football Club"
            r"|Rugby Club|Cricket Club)$"
        ),
    ),
    ("international", re.compile(r"^(?:UN|U\.N\.|United Nations)\s")),
    ("ngo", re.compile(r"\s(?:Foundation|Charity|Trust Fund)$")),
)

#: What a name that is no organization names instead: the categories of an alias file's
#: [not_organizations] section (index.orgs). A model tags such names ORG ("Oscars", "Xbox",
#: "Champions League"); each category is a kind of thing, not a list fitted to one corpus.
NOT_ORG_KINDS: dict[str, str] = {
    "award": "a prize or an honour (Oscars, Nobel Prize)",
    "competition": "a league, cup or tournament (Champions League, Six Nations)",
    "product": "a product, a device, a program or a service (iPod, Xbox, Windows)",
    "work": "a film, book, programme or other work (Bible, Mona Lisa)",
    "event": "a recurring public event (the Budget, the Queen's Speech)",
}


def kind_of(word: str) -> str | None:
    """The kind a user's word names ("companies", "sports club"), or None."""
    lowered = " ".join(word.casefold().split())
    for kind, words in KINDS.items():
        if lowered == kind or lowered in words:
            return kind
    return None


def org_kind(canonical: str, written: tuple[str, ...], table: Mapping[str, str]) -> str | None:
    """The kind of the organization `canonical`, from the alias table's kinds (`table`, by
    canonical name), a legal form in any name the article `written` for it, or its name's shape."""
    if known := table.get(canonical):
        return known
    if any(_LEGAL.search(name) for name in (canonical, *written)):
        return "company"
    for kind, pattern in _PATTERNS:
        if pattern.search(canonical):
            return kind
    return None


def kind_term(kind: str, name: str) -> str:
    """The indexed value of an organization with its kind: "company:BP" (schema.ORG_KIND)."""
    return f"{kind}:{name}"
