"""Counted nouns: "5,000 homes" is 5000 home. The noun is the unit when no measure is given.

Every counted noun shares one index field, `counted` (index.schema.COUNTED), whose terms encode
the noun and the value together: ``home=<16 hex digits>``, the digits an order-preserving code of
the float, so a range of values of one noun is a range of terms (Whoosh TermRange, OpenSearch
`range` on a keyword). One field serves every noun, in both engines; see docs/numbers.md for
why this encoding and not a field per noun (the measured comparison is bench/counted.py's).
"""

from __future__ import annotations

import re
import struct

from index.number_rules import DEFAULT, NumberRules
from index.units import names

#: Between the noun and the digits of a `counted` term.
SEPARATOR = "="
#: A digit past the last hex digit: "home=g" sorts after every value of home.
_PAST = "g"

# Words after a numeral that are no counted noun: function words and verbs ending in s,
# multipliers ("10 times"), pronouns ("20 others"), and sports' and markets' words for a score.
_NOT_NOUNS = names(
    "is was has does goes says as us this thus its his hers ours yours theirs plus less unless"
    " always perhaps whereas besides across towards afterwards sometimes nevertheless news"
    " times others ones series species means whereas lies rises falls gains drops losses"
    " yes its needs makes takes comes gets sees seems looks runs sells buys pays adds"
)
# Words between the numeral and its noun that end the search: the noun is not counted past them.
_STOP = names(
    "of to in on at per and or the a an for from by with than that is was were are be been"
    " will would could can may might must should has had have it he she they we you i who which"
    " what when where while as if but not no so also more less than this these those each every"
    " zero one two three four five six seven eight nine ten eleven twelve twenty thirty forty"
    " fifty sixty seventy eighty ninety hundred thousand million billion trillion dozen"
)
_IRREGULAR = {"men": "man", "women": "woman", "children": "child", "people": "people"}
_IRREGULAR |= {"police": "police", "staff": "staff", "crew": "crew", "cattle": "cattle"}
_IRREGULAR |= {"lives": "life", "wives": "wife", "knives": "knife", "halves": "half"}
_WORD = re.compile(r"[ \t]+([A-Za-z][A-Za-z'’-]*[A-Za-z]|[A-Za-z])(?![\w'’-])")
_MAX_MODIFIERS = 2  # "5,000 new council homes"
# An acronym that a numeral counts: capitals (a plural s allowed), then no word it qualifies
# ("0.5 WAR)", "300 MPs."; not "20 NHS trusts", whose noun is trusts).
_ACRONYM = re.compile(r"[ \t]+([A-Z]{2,5})s?(?=[ \t]*(?:[).,;:!?]|$))")


def singular(word: str, spellings: bool = True) -> str:
    """A plural noun's singular, by spelling ("homes" home, "countries" country); lowercase.
    ``spellings`` off leaves out -men and -uses (NumberRules.noun_spellings)."""
    word = word.lower().replace("’", "'")
    if word in _IRREGULAR:
        return _IRREGULAR[word]
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if spellings and word.endswith("men") and len(word) > 5:
        return word[:-3] + "man"  # fishermen, policemen
    if spellings and word.endswith("uses") and not word.endswith(("ouses", "auses")):
        return word[:-2]  # viruses, bonuses (not houses, causes)
    if word.endswith(("ches", "shes", "sses", "xes", "zes")):
        return word[:-2]
    if word.endswith("s") and not word.endswith(("ss", "us", "is", "'s")):
        return word[:-1]
    return word


def is_plural(word: str) -> bool:
    lowered = word.lower()
    if lowered in _IRREGULAR:
        return True
    return singular(lowered) != lowered and lowered not in _NOT_NOUNS


_ONE_OF = re.compile(r"[ \t]+of[ \t]+(?:the|its|their|his|her|our|my|your)(?=[ \t])")


def counted_noun(
    text: str, end: int, one: bool = False, rules: NumberRules = DEFAULT
) -> tuple[str, int] | None:
    """The plural noun a numeral counts ("5,000 new homes"), singular, and where it ends; with
    ``one`` (the numeral is one), the singular noun right after ("one proposal"), or the plural
    noun of "one of the best speakers"."""
    pos = end
    if one:
        match = _WORD.match(text, pos)
        if match is not None and _is_noun_after_one(match.group(1)):
            return match.group(1).lower(), match.end()
        of = _ONE_OF.match(text, pos)
        if of is None:
            return None
        pos = of.end()
    if rules.acronym_units and (acronym := _ACRONYM.match(text, pos)) is not None:
        return acronym.group(1).lower(), acronym.end()  # "(0.5 WAR)", "300 MPs."
    joined = False  # "4.3M digital and physical sales": one "and" or "or" between modifiers
    modifiers, previous = 0, ""
    while modifiers <= _MAX_MODIFIERS:
        match = _WORD.match(text, pos)
        if match is None:
            return None
        word = match.group(1)
        lowered = word.lower()
        if rules.coordinated_nouns and not joined and _joins(lowered, previous, modifiers):
            joined, pos = True, match.end()
            continue
        previous = word
        if lowered in _STOP or lowered in _NOT_NOUNS or lowered.endswith("ly"):
            return None
        capital_head = rules.capital_heads and pos > end
        if (word.islower() or capital_head) and is_plural(word):
            return singular(word, rules.noun_spellings), match.end()
        pos, modifiers = match.end(), modifiers + 1
    return None


def _joins(word: str, previous: str, modifiers: int) -> bool:
    """ "and" or "or" after a first modifier that is no plural noun itself: "digital and physical
    sales" (not "6 million DVDs and videos", whose first noun is DVDs)."""
    return word in ("and", "or") and modifiers == 1 and not is_plural(previous)


# "another pick or two", "a day or two": the noun written before "or" and the numeral.
_NOUN_OR = re.compile(r"\b(?i:a|an|another|one)[ \t]+([a-z]{3,})[ \t]+or[ \t]+$")


def noun_before(text: str, start: int) -> str | None:
    """The singular noun that a numeral at ``start`` counts when written before it ("a pick or
    two"), or None."""
    match = _NOUN_OR.search(text, max(0, start - 30), start)
    if match is None:
        return None
    word = match.group(1)
    if word in _STOP or word in _NOT_NOUNS or is_plural(word) or word.endswith(("ly", "ed")):
        return None
    return word


# "a six-cylinder engine", "a three-judge panel": a singular noun joined to the numeral by a
# hyphen, the compound qualifying the word after it. Not a noun: the words of such compounds
# that say how, not what ("5,000-strong", "two-way", "one-off", "three-fold").
_HYPHEN_NOUN = re.compile(r"-([a-z]{3,})(?=[ \t]+[a-z])")
_NOT_HYPHEN_NOUNS = names(
    "strong way time off odd fold plus old long high wide deep tall thick something nil all"
    " half third quarter fifth sixth seventh eighth ninth tenth hundredth thousandth"
)


def hyphen_noun(text: str, end: int) -> tuple[str, int] | None:
    """The singular noun of "six-cylinder engine" after a numeral ending at ``end``, and its end."""
    match = _HYPHEN_NOUN.match(text, end)
    if match is None:
        return None
    word = match.group(1)
    if word in _STOP or word in _NOT_HYPHEN_NOUNS or word.endswith(("ly", "ed", "ing")):
        return None
    return None if is_plural(word) else (word, match.end())


def _is_noun_after_one(word: str) -> bool:
    lowered = word.lower()
    if not word.islower() or lowered in _STOP or lowered in _NOT_NOUNS or lowered.endswith("ly"):
        return False
    return lowered not in _NOT_AFTER_ONE and not is_plural(word)


# Words after "one" that are no noun it counts: "one another", "one out of three", "one said".
_NOT_AFTER_ONE = names(
    "another out said says day time way side thing hand-picked such other last first next"
    " way only major key big new own night morning evening afternoon"
    " after before since until against among between during without within behind"
)


def _sortable(value: float) -> int:
    """An unsigned 64-bit integer in the order of the floats (IEEE 754 bits, sign folded)."""
    bits: int = struct.unpack(">q", struct.pack(">d", float(value)))[0]
    if bits < 0:
        bits ^= 0x7FFF_FFFF_FFFF_FFFF
    return bits + (1 << 63)


def term(noun: str, value: float) -> str:
    """The `counted` term of one value of one noun."""
    return f"{noun}{SEPARATOR}{_sortable(value):016x}"


def bounds(noun: str, low: float | None, high: float | None) -> tuple[str, str]:
    """The term range of values from ``low`` to ``high`` of a noun (None: unbounded)."""
    start = term(noun, low) if low is not None else noun + SEPARATOR
    end = term(noun, high) if high is not None else noun + SEPARATOR + _PAST
    return start, end


def noun_of(term_text: str) -> str:
    """The noun of a `counted` term."""
    return term_text.split(SEPARATOR, 1)[0]


def value_of(term_text: str) -> float:
    """The value a `counted` term encodes (the inverse of ``term``)."""
    bits = int(term_text.split(SEPARATOR, 1)[1], 16) - (1 << 63)
    if bits < 0:
        bits ^= 0x7FFF_FFFF_FFFF_FFFF
    result: float = struct.unpack(">d", struct.pack(">q", bits))[0]
    return result
