"""A unit written once for several numbers: the numbers that lack it take it from their neighbour.

Run over all the mentions of one text after each has been read on its own (index.numbers). A
number without a unit takes one only where the sentence's shape says the two are the same kind
of quantity; each shape is a switch of index.number_rules, measured per NewsQuant half:

- carried_units: "from 14-18 mpg to 24" (a range written "from ... to"), and "four-, five- and
  six-cylinder" (hyphens left hanging for the noun written once at the end);
- parallel_units: "ended at 1,463.78 points, while the TA-125 ended at 1,334.20" and "rose by 2
  percent but fell by 1": the same preposition before both numbers of one sentence;
- shared_units: "280 million of the 1.5 billion shekels": a part of a whole written in its unit.

A share price after a change ("rose 8.15% to 3.65") is no range and takes nothing.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import TYPE_CHECKING

from index.model import NumberMention
from index.number_rules import NumberRules

if TYPE_CHECKING:
    from index.numbers import Located

_TO = re.compile(r"\s+to\s+")
_FROM_BEFORE = re.compile(r"\b(?i:from)\s+$")
_HANGING = re.compile(r"-(?:,\s*|\s+(?:and|or|to)\s+)")  # "four-, five- and six-cylinder"
_OF_THE = re.compile(r"\s+of\s+(?:the|its|their|his|her|our|a|an)\s+")
_WORD_BEFORE = re.compile(r"\b([A-Za-z]+)\s+$")
# The prepositions whose repetition marks two numbers of one sentence as parallel.
_PARALLEL = frozenset({"at", "by", "to", "than"})
_SENTENCE_END = re.compile(r"[.!?][\"”’)]?\s+(?=[A-Z\"“‘(])|\n")
_WINDOW = 200  # characters between two parallel numbers at most


def carry_units(found: list[Located], text: str, rules: NumberRules) -> list[Located]:
    """``found`` with the units written once given to the numbers that share them."""
    result = list(found)
    # Backwards first: a hanging hyphen's unit comes from the numbers after it.
    for i in range(len(result) - 2, -1, -1):
        if result[i].mention.unit is None and (after := _after(result, i, text, rules)):
            result[i] = _with_unit(result[i], after.mention)
    for i in range(1, len(result)):
        if result[i].mention.unit is None and (before := _before(result, i, text, rules)):
            result[i] = _with_unit(result[i], before.mention)
    return result


def _after(found: list[Located], i: int, text: str, rules: NumberRules) -> Located | None:
    """The next mention, when the bare number ``found[i]`` shares its unit."""
    here, after = found[i], found[i + 1]
    if after.mention.unit is None:
        return None
    if rules.carried_units and _hanging(here, after, text):
        return after
    shared = _OF_THE.fullmatch(text, here.end, after.start) and here.mention.qualifier is None
    return after if rules.shared_units and shared else None


def _before(found: list[Located], i: int, text: str, rules: NumberRules) -> Located | None:
    """An earlier mention, when the bare number ``found[i]`` shares its unit."""
    before = found[i - 1]
    if rules.carried_units and before.mention.unit and _from_to(before, found[i], text):
        return before
    return _parallel(found, i, text) if rules.parallel_units else None


def _from_to(before: Located, here: Located, text: str) -> bool:
    """ "from about 14-18 mpg to 24": a range written from its first number's unit."""
    if not _TO.fullmatch(text, before.end, here.start) or here.mention.qualifier:
        return False
    return _FROM_BEFORE.search(text, max(0, before.start - 8), before.start) is not None


def _hanging(here: Located, after: Located, text: str) -> bool:
    """ "four-, five- and six-cylinder": a hyphen left hanging, the noun after the last number."""
    hang = _HANGING.match(text, here.end)
    if hang is None or hang.end() > after.start:
        return False
    return "-" in text[after.start : after.end] or _HANGING.match(text, after.end) is not None


def _parallel(found: list[Located], i: int, text: str) -> Located | None:
    """The nearest earlier number of the sentence after the same preposition, when it has a unit:
    "ended down 1% at 1,463.78 points, while the TA-125 lost 1.1% to end at 1,334.20"."""
    here = found[i]
    word = _word_before(text, here.start)
    if word not in _PARALLEL:
        return None
    for j in range(i - 1, -1, -1):
        earlier = found[j]
        apart = here.start - earlier.end > _WINDOW
        if apart or _SENTENCE_END.search(text, earlier.end, here.start):
            return None
        if earlier.start != here.start and _word_before(text, earlier.start) == word:
            return earlier if earlier.mention.unit and earlier.mention.kind != "count" else None
    return None


def _word_before(text: str, start: int) -> str:
    match = _WORD_BEFORE.search(text, max(0, start - 20), start)
    return match.group(1).lower() if match else ""


def _with_unit(located: Located, source: NumberMention) -> Located:
    mention = replace(located.mention, unit=source.unit, kind=source.kind)
    return replace(located, mention=mention)
