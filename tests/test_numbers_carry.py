"""Units written once for several numbers, nouns written before or around a numeral, ages
without a unit (issue 15, point 5): crafted sentences, each rule switched off undoing its effect,
and the scorer reading the gold's written symbols."""

from __future__ import annotations

from dataclasses import replace

import pytest

from bench.unitmatch import same_unit
from index.number_rules import DEFAULT
from index.numbers import locate_numbers


def units(text: str, **switches: bool) -> list[tuple[float, str | None]]:
    """(value, unit) of every number of ``text``, spaCy spans not needed for these sentences."""
    rules = replace(DEFAULT, **switches)
    return [(f.mention.value, f.mention.unit) for f in locate_numbers(text, [], rules)]


# (sentence, the numbers read with every rule on, the rule that reads them)
CASES: list[tuple[str, list[tuple[float, str | None]], str]] = [
    ("Mileage went from about 14-18 mpg to 24 for SUVs.",
     [(14, "mpg"), (18, "mpg"), (24, "mpg")], "carried_units"),
    ("It has four-, five- and six-cylinder engines.",
     [(4, "cylinder"), (5, "cylinder"), (6, "cylinder")], "carried_units"),
    ("He missed from 10- to 18-foot range.", [(10, "ft"), (18, "ft")], "carried_units"),
    ("The TA-25 index ended down 1% at 1,463.78 points, while the TA-125 lost 1.1% to end "
     "at 1,334.20.", [(1, "percent"), (1463.78, "point"), (1.1, "percent"), (1334.2, "point")],
     "parallel_units"),
    ("The DAX increased by 2 percent but the Nasdaq fell by 1.",
     [(2, "percent"), (1, "percent")], "parallel_units"),
    ("He has raised 280 million of the 1.5 billion shekels he needs.",
     [(280e6, "ils"), (1.5e9, "ils")], "shared_units"),
    ("It closed one of its two factories.", [(1, "factory"), (2, "factory")], "shared_units"),
    ("A three-judge panel ruled.", [(3, "judge")], "hyphen_nouns"),
    ("They want another pick or two.", [(2, "pick")], "noun_before"),
    ("Sales were 4.3M digital and physical sales.", [(4.3e6, "sale")], "coordinated_nouns"),
    ("Life expectancy for men in Glasgow is around 73.", [(73, "year")], "life_expectancy"),
    ("The boy, 12, was hurt.", [(12, "year")], "person_ages"),
    ("She turns 35 next week.", [(35, "year")], "person_ages"),
]  # fmt: skip


@pytest.mark.parametrize(("text", "expected", "rule"), CASES)
def test_a_rule_reads_its_sentence(
    text: str, expected: list[tuple[float, str | None]], rule: str
) -> None:
    assert units(text) == expected
    assert units(text, **{rule: False}) != expected  # the rule, not another, reads it


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A price after a change is no range: "to" alone carries nothing.
        ("Pluristem rose 8.15% to 3.65 after the meeting.", [(8.15, "percent"), (3.65, None)]),
        # Parallel numbers belong to one sentence.
        ("Prices rose by 2 percent. Wages grew by 1 after tax.", [(2, "percent"), (1, None)]),
        # Not the same preposition: no parallel.
        ("It ended at 1,463.78 points and lost 1.1.", [(1463.78, "point"), (1.1, None)]),
        # A counted noun is not carried to a parallel number.
        ("They built 300 homes by 2020 and 40 by 2021.", [(300, "home"), (40, None)]),
        # Words of a compound that say how, not what.
        ("The 5,000-strong crowd took a two-way street.", [(5000, None), (2, None)]),
        ("A basis point is one-hundredth of a percentage point.", [(1, None)]),
        # One "and" only after the first modifier: "last year and continues" is no noun.
        ("His mother turned 80 last year and continues to work.", [(80, "year")]),
        ("It sold 6 million DVDs and videos.", [(6e6, None)]),  # DVDs, a name, is the noun
        ("He stayed a day or two.", [(2, "day")]),
        ("Prices: one or two.", [(1, None), (2, None)]),
    ],
)
def test_what_the_rules_leave_alone(text: str, expected: list[tuple[float, str | None]]) -> None:
    assert units(text) == expected


def test_the_gold_s_written_symbol_counts_as_its_names() -> None:
    """NewsQuant writes "118.5p" and annotates "point": the symbol p names pence."""
    assert same_unit("pence", "point", "p")
    assert not same_unit("pence", "point", "")  # the annotator's name alone
    assert not same_unit("point", "pence", "")
    assert same_unit("km", "kilometre", "km") and not same_unit("mile", "kilometre", "km")
    assert not same_unit("usd", "point", "p")
    assert same_unit(None, "-", "p") and not same_unit("pence", "-", "p")
