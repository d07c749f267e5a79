"""People in an article: the model's PERSON spans, cleaned, one name per person.

Titles ("Mr", "President", "Dr") and possessives are cut, and a surname written alone joins the
full name the same article gives ("Mr Allard" and "Allard" after "J Allard" are one person).
Pure text work over spans index.extract passes in; no spaCy here.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence

from index.names import looks_like_person
from index.spans import clean_name, is_company

# Titles and offices written before a name; cut from the front, repeatedly ("Prime Minister
# Dr X"). Lower-case words are allowed after the first ("Foreign Secretary").
_TITLE_WORDS = (
    r"(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof|Professor|Sir|Dame|Lord|Lady|Rev|Reverend|Fr|Father"
    r"|Sen|Senator|Rep|Representative|Gov|Governor|Gen|General|Col|Colonel|Capt|Captain|Lt"
    r"|Sgt|Sergeant|Adm|Admiral|Maj|Major|President|Vice[- ]President|Prime Minister|Minister"
    r"|Chancellor|Secretary|Judge|Justice|Pope|Prince|Princess|King|Queen|Sheikh|Ayatollah"
    r"|Mayor|Chairman|Chief Executive|Coach|Manager|Chief|Deputy|Foreign Secretary"
    r"|Home Secretary|Speaker|Cardinal|Archbishop|Bishop|Rabbi|Imam|Emir|Sultan|Mullah)\.?"
)
_TITLE = re.compile(rf"^(?:{_TITLE_WORDS}\s+)+")
_TITLE_ONLY = re.compile(rf"^{_TITLE_WORDS}$")
_POSSESSIVE = re.compile(r"['’]s?$")
# What a person's name may hold: capitalised words, initials, particles ("de", "van", "al-").
_NAME_WORD = re.compile(r"^(?:[A-Z][\w'’.-]*|[a-z]{1,3}|al-[\w'’-]+|[A-Z]\.)$")
_EDGE = " \t\n,;:.-–—\"'“”‘’()[]"


def clean_person(text: str) -> str | None:
    """A person's name as written, without titles and possessive; None when what is left reads
    as no name (lower case, a single letter, digits)."""
    name = clean_name(text).strip(_EDGE)
    name = _TITLE.sub("", name)
    name = _POSSESSIVE.sub("", name).strip(_EDGE)
    words = name.split()
    if _TITLE_ONLY.match(name):
        return None
    if not words or len(name) < 2 or any(ch.isdigit() for ch in name):
        return None
    if not words[0][:1].isupper() or not all(_NAME_WORD.match(w) for w in words):
        return None
    if len(words) == 1 and name.isupper():  # "GDC", "BBC": an acronym, not a person
        return None
    if is_company(name):  # "Pirelli SpA", "Salomon Bros" tagged PERSON
        return None
    return name


def merge_people(names: Iterable[str]) -> tuple[str, ...]:
    """One name per person, in the order first mentioned: a shorter name whose words end a
    longer one ("Allard" of "J Allard", "Blair" of "Tony Blair") joins it; case is ignored."""
    seen: dict[str, str] = {}
    for name in names:
        seen.setdefault(name.casefold(), name)
    ordered = list(seen.values())
    full = [n for n in ordered if " " in n]
    kept = []
    for name in ordered:
        if any(_ends(longer, name) for longer in full if longer != name):
            continue
        kept.append(name)
    return tuple(kept)


def _ends(longer: str, short: str) -> bool:
    """Whether `short` is the last word(s) of `longer` ("Allard" of "J Allard")."""
    words, tail = longer.casefold().split(), short.casefold().split()
    return len(tail) < len(words) and words[-len(tail) :] == tail


Span = tuple[int, int, str, str]  # start, end, text, label of a model span
# A title inside a span of another label: "GDC Mr Allard" is an organization, then a person.
_INNER_TITLE = re.compile(
    r"\s(?:Mr|Mrs|Ms|Dr|Sir|Dame|President|Senator|Sen|Governor|Gov)\.?\s+(?=[A-Z])"
)
PERSON = "PERSON"
_INITIAL = re.compile(r"^[A-Z]\.?$")
# Labels the small model gives a person's full name it misreads ("J. Allard" tagged ORG).
MISREAD_LABELS = frozenset({"ORG", "GPE", "NORP", "FAC", "PRODUCT", "WORK_OF_ART"})


def title_cut(text: str) -> int | None:
    """Where a title starts inside a name of another label ("GDC Mr Allard"), if one does."""
    found = _INNER_TITLE.search(text)
    return found.start() if found else None


def _parts(span: Span) -> list[Span]:
    """A span cut at line breaks (a by-line then a dateline: "Yuri Kushko\nTAVILDARA") and, when
    not a PERSON span, at a title inside it."""
    start, end, text, label = span
    if "\n" in text:
        lines, at = [], start
        for line in text.split("\n"):
            lines += _parts((at, at + len(line), line, label)) if line.strip() else []
            at += len(line) + 1
        return lines
    cut = title_cut(text) if label != PERSON else None
    if cut is None:
        return [span]
    return [
        (start, start + cut, text[:cut], label),
        (start + cut + 1, end, text[cut + 1 :], PERSON),
    ]


def surnames(names: Iterable[str]) -> set[str]:
    """The last words of people's names, folded: what a misread full name may end with."""
    return {name.split()[-1].casefold() for name in names if name.split()}


def misread_person(name: str, people: set[str]) -> bool:
    """A name of two or three words opened by an initial or a given name and ending in a surname
    the article gives a person ("J. Allard" beside "Mr Allard"): that person, whatever the
    model's label ("Ku Klux Klan" beside a "Klan" tagged PERSON is not)."""
    words = name.split()
    if clean_person(name) != name or not 1 < len(words) <= 3:
        return False
    opened = _INITIAL.match(words[0]) is not None or looks_like_person(name)
    return opened and words[-1].casefold() in people


def _not_people(parts: Sequence[Span]) -> Callable[[str], bool]:
    """Whether a PERSON name is part of a company's name the model tags ORG in the article
    ("Mercantile" beside "Mercantile Bancorp Inc."): the company's, not a person's. (Written
    from CoNLL half A; on half B no change, IE-ER B +0.002. A vote, "tagged ORG at least as
    often as PERSON", lowered IE-ER A and CoNLL B and was left out.)"""
    companies = [
        f" {name} "
        for _, _, text, label in parts
        if label == "ORG" and is_company(name := clean_name(text))
    ]
    return lambda name: any(f" {name} " in company for company in companies)


def persons(spans: Sequence[Span], taken: Sequence[tuple[int, int]]) -> tuple[str, ...]:
    """The people of an article from its model spans (start, end, text, label): PERSON spans,
    names after a title inside another span, and misread full names of a person the article
    names; a span that overlaps a place or an organization found there (`taken`) is that."""
    parts = [part for span in spans for part in _parts(span)]
    not_people = _not_people(parts)
    named = [
        (s, e, n)
        for s, e, t, label in parts
        if label == PERSON and (n := clean_person(t)) and not not_people(n)
    ]
    people = surnames(n for _, _, n in named)
    named += [
        (s, e, t)
        for s, e, t, label in parts
        if label in MISREAD_LABELS and misread_person(clean_name(t), people)
    ]
    names = [
        name
        for start, end, name in sorted(named)
        if not any(start < t_end and t_start < end for t_start, t_end in taken)
    ]
    return merge_people(clean_person(n) or n for n in names)
