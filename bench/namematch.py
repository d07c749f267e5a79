"""Names compared as a reader would, independently of newsdex's own tables.

Two names match when, after folding (case, accents, punctuation, a leading "the", a possessive,
"&" for "and", British and American spellings), they are equal; when one is the acronym of the
other; or when one contains the other as whole words and the shorter has two or more words or the
rest is a legal form ("Open Text" in "Open Text Corp."). Nothing here reads newsdex's gazetteer
or alias table: a system is scored on what it stores, the gold as the annotators wrote it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

_LEGAL = frozenset({
    "inc", "corp", "co", "cos", "ltd", "llc", "plc", "ag", "sa", "spa", "nv", "gmbh", "pty", "bv",
    "ab", "asa", "oyj", "kk", "company", "corporation",
})  # fmt: skip
_MINOR = frozenset(
    {"of", "for", "the", "and", "on", "in", "de", "du", "des", "la", "al", "at", "to"}
)
# British spellings to American, whole words; then the regular -isation/-ise and -our endings.
_SPELLINGS = {
    "centre": "center", "centres": "centers", "theatre": "theater", "programme": "program",
    "programmes": "programs", "defence": "defense", "offence": "offense", "metre": "meter",
    "litre": "liter", "fibre": "fiber", "jewellery": "jewelry", "aluminium": "aluminum",
    "tyre": "tire", "grey": "gray", "catalogue": "catalog",
}  # fmt: skip
_OUR = re.compile(r"(?<=\w\w)our(s?)$")  # labour, harbour, honour, neighbours
_OUR_KEEP = frozenset({
    "four", "hour", "hours", "your", "yours", "our", "ours", "tour", "tours", "pour", "flour",
})  # fmt: skip
_ISATION = re.compile(r"isation(s?)$")
_SEPARATORS = re.compile(r"[^\w&]+")


def _fold_word(word: str) -> str:
    if word in _SPELLINGS:
        return _SPELLINGS[word]
    word = _ISATION.sub(r"ization\1", word)
    return word if word in _OUR_KEEP else _OUR.sub(r"or\1", word)


@lru_cache(maxsize=100_000)
def words(name: str) -> tuple[str, ...]:
    """A name's folded words."""
    text = unicodedata.normalize("NFKD", name.replace("’", "'"))
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    text = re.sub(r"'s\b", "", text).replace(".", "").replace("'", "")
    tokens = [t for t in _SEPARATORS.split(text.replace("&", " and ")) if t]
    if len(tokens) > 1 and tokens[0] == "the":
        tokens = tokens[1:]
    return tuple(_fold_word(t) for t in tokens)


def _acronym(short: tuple[str, ...], written: str, long: tuple[str, ...]) -> bool:
    """One word written in capitals (or with dots) that spells the other name's initials."""
    if len(short) != 1 or len(long) < 2:
        return False
    letters = written.replace(".", "").replace("&", "").strip()
    if not (letters.isupper() or "." in written) or len(letters) < 2:
        return False
    major = "".join(w[0] for w in long if w not in _MINOR and w != "and")
    every = "".join(w[0] for w in long)
    return short[0] in (major, every)


def _contains(short: tuple[str, ...], long: tuple[str, ...]) -> bool:
    n = len(short)
    for at in range(len(long) - n + 1):
        if long[at : at + n] == short:
            rest = long[:at] + long[at + n :]
            return n >= 2 or all(w in _LEGAL for w in rest)
    return False


def one_per_person(names: Iterable[str]) -> list[str]:
    """A document's person names with a one-word name that ends a longer one left out ("Blair"
    beside "Tony Blair"): the same person. Applied alike to gold and to every system, so that
    a system is not paid for naming one person twice, nor charged for naming them once."""
    listed = list(names)
    endings = {words(n)[-1] for n in listed if len(words(n)) > 1}
    return [n for n in listed if len(words(n)) != 1 or words(n)[0] not in endings]


def same(a: str, b: str) -> bool:
    """True when two names name the same thing by the rules of this module."""
    wa, wb = words(a), words(b)
    if not wa or not wb:
        return False
    if wa == wb:
        return True
    (short, s_text), (long, _) = sorted(((wa, a), (wb, b)), key=lambda p: len(p[0]))
    if _acronym(short, s_text.strip(), long):
        return True
    return len(short) < len(long) and _contains(short, long)


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, other: Counts) -> None:
        self.tp, self.fp, self.fn = self.tp + other.tp, self.fp + other.fp, self.fn + other.fn

    def figures(self) -> dict[str, float | int]:
        p = self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0
        r = self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return {"p": round(p, 4), "r": round(r, 4), "f1": round(f, 4)} | {
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
        }


def _distinct(names: Iterable[str]) -> list[str]:
    seen: dict[tuple[str, ...], str] = {}
    for name in names:
        if words(name):
            seen.setdefault(words(name), name)
    return list(seen.values())


Entity = str | tuple[str, ...]


def _names(entity: Entity) -> tuple[str, ...]:
    return (entity,) if isinstance(entity, str) else entity


def score_document(
    found: Iterable[Entity], gold: Iterable[str], optional: Iterable[str] = ()
) -> Counts:
    """One document's entities against its gold names. A found entity is a name, or a tuple of
    the names it is stored and searched by (an organization's canonical name and the names the
    article wrote for it); it matches a gold name when one of its names does. Each gold name is
    matched by at most one found entity and the other way round (exact matches first); a found
    entity that matches only an optional gold name neither counts nor costs, and neither does
    a second entity for a gold name already matched ("UN" and "United Nations" apart)."""
    entities = list({_names(e): None for e in found if any(words(n) for n in _names(e))})
    gold_names, optional_names = _distinct(gold), _distinct(optional)
    matched: dict[int, int] = {}  # gold index -> entity index
    used: set[int] = set()
    for exact in (True, False):
        for g, gname in enumerate(gold_names):
            if g in matched:
                continue
            for f, names in enumerate(entities):
                if f not in used and any(_match(n, gname, exact) for n in names):
                    matched[g] = f
                    used.add(f)
                    break
    fp = 0
    for f, names in enumerate(entities):
        if f in used or any(same(n, o) for n in names for o in optional_names):
            continue
        if any(same(n, gold_names[g]) for n in names for g in matched):
            continue
        fp += 1
    return Counts(len(matched), fp, len(gold_names) - len(matched))


def _match(name: str, gold: str, exact: bool) -> bool:
    return words(name) == words(gold) if exact else same(name, gold)
