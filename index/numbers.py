"""Number mentions in news text: each quantity read as a value, a unit, a qualifier and a kind.

Precompiled patterns over the body do the reading; spaCy's entity spans are hints (dates, names).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass, replace

from index.counted import counted_noun, hyphen_noun, noun_before, singular
from index.model import NumberMention
from index.number_rules import DEFAULT, NumberRules
from index.numbers_carry import carry_units
from index.units import (
    DURATIONS,
    kind_of,
    people_pattern,
    prefix_currency,
    unit_of,
    unit_pattern,
    unit_values,
)
from index.units import (
    names as _names,
)

__all__ = ["Located", "extract_numbers", "locate_numbers", "unit_values"]

# Decisions, each pinned by tests/test_numbers.py:
# - kind: "people" (unit people: people, civilians, militants, workers, users, demonyms ...),
#   "money" (a currency: usd, eur, gbp, jpy, cny ... and cent, pence), "percent" (percent, bp),
#   "measure" (any other unit: km, ton, mph, year ...), "count" (no unit: "250,000").
# - unit: a field of index.schema.UNITS where one applies, else a short lowercase name ("m",
#   "jpy", "mph", "year"); ton is the metric tonne; "pounds" is money with a scale word or from
#   1,000 up, else a weight (lb). Money keeps the stated currency: no exchange rates.
# - "3,5" is the European decimal 3.5; "3,500" is three thousand five hundred.
# - Durations and ages ("70 years", "Savic, 65,") are measures in years, months, days ...
# - Not numbers: years (a bare 1000-2199), dates ("September 8"), times ("5am", "4:39"),
#   ordinals ("3rd", "first"), phone numbers, street numbers, digits glued to letters (G20,
#   COVID-19, M21), numbers right after a capitalised word or an id word (Boeing 737, Windows 10,
#   No. 4, Route 66), vague plurals ("thousands"), fractions ("1/16", "two-thirds"), and "one" as
#   a pronoun. A number inside a spaCy DATE/TIME span with date words, or inside a name span,
#   is rejected unless it carries a unit; spaCy's number labels themselves are not needed.

_DIGITS = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+,\d{1,2}(?![\d,])|\d+(?:\.\d+)?|\.\d+"
_NUM_WORD = (
    r"zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen"
    r"|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy"
    r"|eighty|ninety|hundred|thousand|million|billion|trillion|dozen"
)
_BIG = r"hundred|thousand|million|billion|trillion|dozen"
_WORDS = (
    rf"(?i:(?:half[\s-]+an?\s+|an?\s+(?=(?:{_BIG})\b))?\b(?:{_NUM_WORD})"
    rf"(?:(?:\s+and)?[\s-]+(?:{_NUM_WORD}))*\b)"
)
_CURRENCY = (
    r"US\s?\$|U\.S\.\s?\$|\$\s?US|A\$|\$A|AU\$|C\$|CA\$|NZ\$|HK\s?\$|S\$|R\$|\$|£|€|¥|Y="
    r"|₹|Rs\.?\s?|(?:USD|EUR|GBP|JPY|CNY|RMB|CHF|INR|AUD|CAD|NIS)\s?|(?:PS|RM)(?=\d)|dlrs\s"
)
_SCALE = (
    r"(?i:(?:hundred|thousand|million|billion|trillion)(?:[\s-]+(?:thousand|million|billion))*)\b"
    r"|(?:mln|bln|mn|bn|tn|trn)(?![A-Za-z0-9])|(?P<letter>[kKmMbB])(?![A-Za-z0-9²³])"
)
_CORE_BODY = (
    rf"(?P<neg>(?i:minus|negative)[\s-]?)?(?:(?P<cur>{_CURRENCY})\s?(?P<cneg>[-−])?)?"
    rf"(?:(?P<num>{_DIGITS})|(?P<words>{_WORDS}))(?:[\s-]?(?P<scale>{_SCALE}))?"
)
_CORE = re.compile(
    r"(?:(?<![\w-])(?=(?i:minus|negative)[\s-]?\d)|(?<![\w.,/⁄:#@'’$£€-]))" + _CORE_BODY
)
_CORE_NEXT = re.compile(_CORE_BODY)  # second end of a range: the separator precedes it
_CANDIDATE = re.compile(rf"\.?\d|\b(?:{_NUM_WORD}|half|an?(?=\s+(?:{_BIG})\b))\b")
_CANDIDATE_I = re.compile(_CANDIDATE.pattern, re.IGNORECASE)
_CURRENCY_BEFORE = _CURRENCY.replace(r"(?=\d)", "")  # the digits are past the end of the search
_PREFIX = re.compile(
    rf"(?:(?i:minus|negative)[\s-]?)?(?:{_CURRENCY_BEFORE})\s?[-−]?$|(?i:minus|negative)[\s-]?$"
)
_RANGE_SEP = re.compile(r"\s*(?:[-–—]|to-?|and)\s*")


_TIME_RIGHT = re.compile(r"\s?(?i:[ap]\.?m\.?)(?![a-z])|[:/⁄]\d")
_ATTACHED = re.compile(r"[A-Za-z0-9]")  # "3rd", "1990s", "9AB8": no unit, so no number
_SCALES = {"hundred": 1e2, "thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}
_SUFFIXES = {"k": 1e3, "m": 1e6, "mn": 1e6, "mln": 1e6, "b": 1e9, "bn": 1e9, "bln": 1e9}
_SUFFIXES |= {"tn": 1e12, "trn": 1e12}
_SMALL = {w: i for i, w in enumerate(_NUM_WORD.split("|")[:20])}
_SMALL |= {w: 10 * (i + 2) for i, w in enumerate(_NUM_WORD.split("|")[20:28])}
_METRE_AFTER = re.compile(r"\s*\(|-?\s?(?:long|high|tall|deep|wide|sprint|race|hurdles|relay)\b")

_QUALIFIERS = (
    "more than|less than|fewer than|greater than|up to|at least|at most|as many as|as much as"
    "|no more than|no fewer than|well over|just over|just under|upwards of|in excess of"
    "|close to|an estimated|some|about|around|nearly|almost|over|under|roughly"
    "|approximately|approx\\.|estimated|exactly|below|above|only|just"
)
_QUALIFIER = re.compile(rf"(?:\b(?i:({_QUALIFIERS}))|(~|≈))\s*$")
_BETWEEN = re.compile(r"\b(?i:between|from)\s+\S*$")
_DATE_LIKE = re.compile(r"[A-Za-z/:]")
_AGE_BEFORE = re.compile(r"(?:\b(?i:aged|turned|age of|ages of)|\b[A-Z][\w.'’-]*,)\s$")
_AGE_AFTER = re.compile(r"\s?[,.;]")
_BIG_ONLY = re.compile(r"(?:hundred|thousand|million|billion|trillion)(?:[\s-]+\w+)*")
_ID_BEFORE = re.compile(
    r"\b(?i:no|nos|number|resolution|local|room|route|section|article|chapter|page|flight"
    r"|channel|line|version|unit|suite|highway|category|grade|stage|phase|gate|platform|row"
    r"|seat|lot|item|ward|district|zone|exit|episode|season|vol|volume|issue|game|round)\.?\s$"
)
_WINDOW = 30  # characters looked at before a numeral for a qualifier, a name or "between"
_PRONOUN_ONE = re.compile(r"\b(?i:each|every|no|any|the|this|that|which|same|current|other)\s+$")
_PRONOUN_ONE_AFTER = re.compile(
    r"\s*[,.;:!?)]|\s+(?i:can|could|may|might|must|should|would|will|has|had|is|was|does|did"
    r"|without|with|who|which)\b"
)
_NOT_NAMES = _names(
    "A An The In On At Of By To For From With And Or But As If Than Just Only About Around"
    " Some Over Under Nearly Almost More Less Up All Its It Is Was Were Has Had Have Are"
    " US USD EUR GBP HK NIS RM Rs Dow Nasdaq"
)
# Digits that belong to a phone number or a street address, or number a list's item ("1. Julia
# Chepalova" opening a line), matched where the digits start.
_NOT_A_QUANTITY = re.compile(
    r"(?<![^\n])\d{1,3}[.)]\s+(?=[A-Z\"'‘“])"
    r"|\+\d{1,3}[\s.-]?\(?\d{1,4}\)?(?:[\s.-]?\d{2,4}){2,4}|\(\d{3}\)\s?\d{3}[\s.-]\d{4}"
    r"|\d{3}[.-]\d{3}[.-]\d{4}\b|[2-9]\d{2}-(?!\d000\b)\d{4}\b|0\d{2,4}\s\d{3,4}\s?\d{3,4}\b"
    r"|\d+(?:[-–]\d+)?\s+(?:[A-Z0-9][\w.]*\s+){0,3}(?:Road|Rd|Street|St|Avenue|Ave|Lane|Drive|Way"
    r"|Boulevard|Blvd|Place|Court|Dr\.)"
)
_MONTHS = "Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec"
_MONTH_BEFORE = re.compile(rf"\b(?:{_MONTHS})[a-z]*\.?\s+$")
_MONTH_AFTER = re.compile(rf"(?:st|nd|rd|th)?\s+(?:of\s+)?(?:{_MONTHS})[a-z]*\b")
_NAME_LABELS = _names("PERSON ORG PRODUCT EVENT WORK_OF_ART LAW LANGUAGE FAC GPE LOC NORP")


@dataclass(frozen=True)
class Located:
    """A number mention with the character offsets of its phrase in the text."""

    start: int
    end: int
    mention: NumberMention


@dataclass(frozen=True)
class _Num:
    """One numeral as read: where it is, its value, and what the reading rests on."""

    start: int
    end: int
    core_end: int  # end of the digits or words, before any scale
    value: float
    base: float  # the value before any scale word
    currency: str | None
    scaled: bool
    plain: bool  # digits only, no separator, sign, currency or scale: may be a year
    word: str  # the numeral in lower case when written in words, else ""


def extract_numbers(text: str, spans: Sequence[tuple[int, int, str]]) -> list[NumberMention]:
    """Every number mention of ``text``, normalised; ``spans`` are NER (start, end, label)."""
    return [found.mention for found in locate_numbers(text, spans)]


def locate_numbers(
    text: str, spans: Sequence[tuple[int, int, str]], rules: NumberRules = DEFAULT
) -> list[Located]:
    """As extract_numbers, with the offsets of each phrase (for highlighting and scoring)."""
    hints = _Hints.of(spans)
    lowered = text.lower()
    scan, candidates = (lowered, _CANDIDATE) if len(lowered) == len(text) else (text, _CANDIDATE_I)
    found: list[Located] = []
    pos = 0
    while (match := _next_core(text, pos, scan, candidates)) is not None:
        digits_at = match.start() - (match.start() > 0 and text[match.start() - 1] in "+(")
        if (skip := _NOT_A_QUANTITY.match(text, digits_at)) is not None:
            pos = skip.end()
            continue
        first = _read(match, text)
        if first is None:
            pos = match.end()
            continue
        group, pos = _read_group(first, text, rules)
        found.extend(_judge(group, text, hints, rules))
    return carry_units(found, text, rules)


def _next_core(text: str, pos: int, scan: str, candidates: re.Pattern[str]) -> re.Match[str] | None:
    """The next numeral from ``pos``: a cheap scan (of the lower-cased text: case-insensitive
    patterns are slow) for a digit or number word, then the full pattern from the start of any
    currency or sign written before it."""
    while (candidate := candidates.search(scan, pos)) is not None:
        at = candidate.start()
        prefix = _PREFIX.search(text, max(pos, at - 12), at)
        for start in dict.fromkeys((prefix.start() if prefix else at, at)):
            if (match := _CORE.match(text, start)) is not None:
                return match
        pos = candidate.end()
    return None


@dataclass(frozen=True)
class _Hints:
    """The NER spans that can veto a number (dates, times, names), sorted by start."""

    starts: list[int]
    spans: list[tuple[int, int, str]]

    @classmethod
    def of(cls, spans: Sequence[tuple[int, int, str]]) -> _Hints:
        kept = sorted(s for s in spans if s[2] in _NAME_LABELS or s[2] in ("DATE", "TIME"))
        return cls([s[0] for s in kept], kept)

    def overlapping(self, start: int, end: int) -> list[tuple[int, int, str]]:
        last = bisect_left(self.starts, end)
        return [s for s in self.spans[max(0, last - 4) : last] if s[1] > start]


def _read_group(first: _Num, text: str, rules: NumberRules) -> tuple[list[_Num], int]:
    """The numeral, and the far end of a range when one follows ("10-20", "5 to 7")."""
    sep = _RANGE_SEP.match(text, first.end)
    is_and = sep is not None and sep.group().strip() == "and"
    if sep is None or (
        is_and and not _BETWEEN.search(text, max(0, first.start - _WINDOW), first.start)
    ):
        return [first], first.end
    nxt = _CORE_NEXT.match(text, sep.end())
    second = _read(nxt, text) if nxt is not None else None
    if second is None:
        return [first], first.end
    # "1 to 2 thousand", "$89 to $93 billion": the scale and currency written once serve both.
    if not first.scaled and second.scaled and first.base < second.base and second.base:
        first = replace(first, value=first.value * second.value / second.base, scaled=True)
    if first.currency is None and second.currency is not None:
        first = replace(first, currency=second.currency)
    descending = second.value < first.value and rules.ascending_ranges
    if descending and not (rules.scores and _is_score([first, second], text)):
        return [first], first.end  # "from 20 mpg in 2008 to 29": a range is written low to high
    return [first, second], second.end


def _read(match: re.Match[str], text: str) -> _Num | None:
    """The value of one core match, or None when the text right after makes it no number."""
    digits, words, scale = match.group("num"), match.group("words"), match.group("scale")
    base = _digits_value(digits) if digits else _words_value(words)
    core_end = match.end("num") if digits else match.end("words")
    currency = prefix_currency(match.group("cur"))
    factor = _scale_factor(scale, match, text, currency is not None) if scale else None
    value, end = (base * factor, match.end()) if factor else (base, core_end)
    if _TIME_RIGHT.match(text, end):
        return None
    if factor is None and _ATTACHED.match(text, end) and not unit_pattern().match(text, end):
        return None
    if match.group("neg") or match.group("cneg"):
        base, value = -base, -value
    plain = bool(digits) and digits.isdigit() and not (factor or currency or match.group("neg"))
    word = words.lower() if words else ""
    if word and _BIG_ONLY.fullmatch(word):
        return None  # "billion" in "33-35 billion", "several hundred": no number of its own
    return _Num(match.start(), end, core_end, value, base, currency, bool(factor), plain, word)


def _scale_factor(scale: str, match: re.Match[str], text: str, money: bool) -> float | None:
    """The multiplier of a scale word or suffix; None where the letter is a unit ("37m")."""
    lowered = scale.lower()
    if match.group("letter") is None:
        factor = 1.0
        for word in re.split(r"[\s-]+", lowered):
            factor *= _SCALES.get(word, _SUFFIXES.get(word, 1.0))
        return factor
    if money:
        return _SUFFIXES[lowered]
    spaced = match.start("scale") > match.end("num")
    if lowered == "b" or spaced:
        return None  # "5 m" is five metres; "5b" an identifier
    is_decimal = "." in (match.group("num") or "")
    if scale == "m" and not is_decimal and _METRE_AFTER.match(text, match.end()):
        return None  # "the 100m sprint", "a 37m (121ft) skeleton"
    return _SUFFIXES[lowered]


def _digits_value(digits: str) -> float:
    """'470,000' -> 470000; '3,5' (a European decimal comma) -> 3.5."""
    if re.fullmatch(r"\d+,\d{1,2}", digits):
        return float(digits.replace(",", "."))
    return float(digits.replace(",", ""))


def _words_value(words: str) -> float:
    """'twenty-one' -> 21, 'two dozen' -> 24, 'half a million' -> 500000."""
    total, current, half = 0.0, 0.0, False
    for token in re.split(r"[\s-]+", words.lower()):
        if token == "half":
            half = True
        elif token in ("a", "an"):
            current = current or 1.0
        elif token in _SMALL:
            current += _SMALL[token]
        elif token in ("hundred", "dozen"):
            current = (current or 1.0) * (100 if token == "hundred" else 12)
        elif token in _SCALES:
            total, current = total + (current or 1.0) * _SCALES[token], 0.0
    value = total + current
    return value / 2 if half else value


def _judge(group: list[_Num], text: str, hints: _Hints, rules: NumberRules) -> list[Located]:
    """The mentions of one numeral or range, or none when it is a year, date, name or id."""
    last = group[-1]
    if rules.scores and _is_score(group, text):
        return []  # "19-13", "8-1": a score or a tally, not two quantities (docs/numbers.md)
    unit, end, counted = _unit_after(last, text, rules)
    year_like = group[0].plain and 1000 <= group[0].value <= 2199
    apart = rules.year_before_noun and text[last.end : end].count(" ") > 1
    if counted and year_like and (counted == "count" or apart):
        # "2006 elections", "In 2021 most people": a year, not a count
        unit, end, counted = None, last.end, None
    if unit is None and len(group) == 1 and rules.noun_before:
        unit, counted = _noun_before(text, group[0].start)
    if unit is None and _is_age(text, group[0], rules):
        unit = "year"
    if any(not _is_number(num, unit, (num.start, end), text, hints) for num in group):
        return []
    lo = max(0, group[0].start - _WINDOW)
    # A counted noun is no measure: "No. 1 spot", "Primary One classroom" stay ids and names.
    bare = len(group) == 1 and (unit is None or counted == "count") and group[0].currency is None
    if bare and (_after_name(text, group[0].start) or _ID_BEFORE.search(text, lo, group[0].start)):
        return []  # scores ("Denmark 6-4") pass; "Boeing 737", "No. 4", "Route 66" do not
    qualifier, start = _qualifier(text, group[0].start)
    phrase = text[start:end]
    mentions = []
    for num in group:
        num_unit = num.currency or unit
        if num_unit == "lb" and (num.scaled or num.value >= 1000):
            num_unit = "gbp"  # "600 million pounds" is money, "208 pounds" a weight
        kind = counted if counted and num_unit == unit else kind_of(num_unit)
        mention = NumberMention(num.value, phrase, num_unit, qualifier, kind)
        mentions.append(Located(start, end, mention))
    return mentions


def _unit_after(num: _Num, text: str, rules: NumberRules) -> tuple[str | None, int, str | None]:
    """The unit written after a numeral, where it ends, and the kind when it is a counted noun
    ("people" for "300 students", "count" for "5,000 homes"), None for a unit of measure."""
    if num.currency is not None:
        return None, num.end, None
    match = unit_pattern().match(text, num.end)
    if match is not None:
        return unit_of(match.group("unit")), match.end(), None
    match = people_pattern().match(text, num.end)
    if match is not None:
        return singular(match.group("noun"), rules.noun_spellings), match.end(), "people"
    one = rules.noun_after_one and num.value == 1 and not num.scaled
    noun = counted_noun(text, num.end, one, rules) if rules.counted_nouns else None
    if noun is None and rules.hyphen_nouns:
        noun = hyphen_noun(text, num.end)
    if noun is not None:
        return noun[0], noun[1], "count"
    return None, num.end, None


_SCORE_SEP = re.compile(r"[-–]")


def _is_score(group: list[_Num], text: str) -> bool:
    """ "19-13", "8-1", "2-2": two bare whole numbers joined by a dash, the second no larger
    (a range is written low to high), no unit or scale: a score, a tally or a vote."""
    if len(group) != 2 or not all(n.plain and n.value == int(n.value) for n in group):
        return False
    first, second = group
    if second.value > first.value or not _SCORE_SEP.fullmatch(text[first.end : second.start]):
        return False
    return unit_pattern().match(text, second.end) is None


def _noun_before(text: str, start: int) -> tuple[str | None, str | None]:
    """ "another pick or two" (2 pick), "a day or two" (2 day): the unit and the counted kind."""
    noun = noun_before(text, start)
    if noun is None:
        return None, None
    unit = unit_of(noun)
    return (unit, None) if unit else (noun, "count")


# "life expectancy for men in Glasgow is around 73": an age without its unit.
_LIFE_EXPECTANCY = re.compile(r"\b(?i:life expectancy)\b[^.;:!?\d]{0,60}$")


# "She turns 35", "the boy, 12, was hurt", "his wife, 41.": ages after a person's noun.
_PERSON_AGE = re.compile(
    r"\b(?:(?i:turns|turning|turn)|(?i:boy|girl|man|woman|son|daughter|mother|father|wife"
    r"|husband|brother|sister|grandmother|grandfather|teenager|pensioner|child|baby),)\s$"
)


def _is_age(text: str, num: _Num, rules: NumberRules) -> bool:
    """ "Zhivka Savic, 65,", "men aged 40", "a life expectancy of 73": an age, in years."""
    if not num.plain or num.value > 120:
        return False
    lo = max(0, num.start - _WINDOW)
    if rules.life_expectancy and _LIFE_EXPECTANCY.search(text, max(0, num.start - 80), num.start):
        return True
    if rules.person_ages and _PERSON_AGE.search(text, lo, num.start):
        return text[num.start - 2 : num.start] != ", " or bool(_AGE_AFTER.match(text, num.end))
    if not _AGE_BEFORE.search(text, lo, num.start):
        return False
    return text[num.start - 2 : num.start] != ", " or bool(_AGE_AFTER.match(text, num.end))


def _is_number(
    num: _Num,
    unit: str | None,
    phrase: tuple[int, int],
    text: str,
    hints: _Hints,
) -> bool:
    core = (num.start, num.core_end)
    if num.plain and num.value <= 31 and _is_day_of_month(text, num):
        return False
    for start, end, label in hints.overlapping(*core):
        money = num.currency is not None or kind_of(unit) == "money"
        if label in ("DATE", "TIME") and unit not in DURATIONS and not money:
            # A bare "45" or "3687 mAh" tagged DATE is the model's slip; "May 5" is a date.
            outside = text[start : max(start, phrase[0])] + text[max(start, phrase[1]) : end]
            if _DATE_LIKE.search(outside):
                return False
        if label in _NAME_LABELS and unit is None and num.currency is None:
            return False
    if num.plain and unit is None and 1000 <= num.value <= 2199:
        return False  # a year
    return num.word != "one" or not _is_pronoun(text, num)


def _is_pronoun(text: str, num: _Num) -> bool:
    """ "each one", "no one", "one can": "one" standing for a noun, not counting it."""
    before = _PRONOUN_ONE.search(text, max(0, num.start - 12), num.start)
    return before is not None or _PRONOUN_ONE_AFTER.match(text, num.end) is not None


def _is_day_of_month(text: str, num: _Num) -> bool:
    """ "September 8", "8 July", "Feb. 21": a date that the model may have missed."""
    if _MONTH_BEFORE.search(text, max(0, num.start - 12), num.start):
        return True
    return _MONTH_AFTER.match(text, num.core_end) is not None


def _after_name(text: str, start: int) -> bool:
    """True for "Boeing 737", "Windows 10", "Section 427": a capitalised word right before."""
    window = text[max(0, start - 40) : start]
    if not window.endswith(" "):
        return False
    tokens = window.split()
    if len(tokens) < 2 or not tokens[-1][0].isalpha() or tokens[-1] in _NOT_NAMES:
        return False
    if tokens[-1][-1] in ".,;:!?)'’" or tokens[-1].endswith(("'s", "’s")):
        return False  # a sentence's end or a possessive ("Broadway's 38 theaters")
    # Only a capital inside the sentence marks a name; a sentence's first word has one anyway.
    return any(char.isupper() for char in tokens[-1]) and tokens[-2][-1] not in '.!?"“(:;'


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _qualifier(text: str, start: int) -> tuple[str | None, int]:
    """The qualifier written right before a numeral ("more than"), and where it starts."""
    match = _QUALIFIER.search(text, max(0, start - _WINDOW), start)
    if match is None:
        return None, start
    return ("about" if match.group(2) else match.group(1).lower()), match.start()
