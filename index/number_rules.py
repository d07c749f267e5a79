"""The switches of number extraction beyond reading numerals, each measured per NewsQuant half.

`python -m bench.numbers` toggles each within the chosen set on both fixed halves of NewsQuant
dev (bench/halves/newsquant-dev.*.txt); bench/results/numbers.md has the deltas. The first two
come from issue 15 itself; each other was written from errors on one half (the comments say
which) and ships only because it lowers neither value F1 nor unit accuracy on the other
(docs/numbers.md). `python -m bench.numbers --errors A` lists a half's errors.
"""

from __future__ import annotations

from dataclasses import dataclass, fields


@dataclass(frozen=True)
class NumberRules:
    counted_nouns: bool = True  # "5,000 homes": the plural noun after a numeral is its unit
    scores: bool = True  # "19-13", "8-1": a score or a tally, not two quantities
    # Written from half A, checked on half B:
    noun_spellings: bool = True  # viruses -> virus, fishermen -> fisherman (not houses, causes)
    noun_after_one: bool = True  # "one proposal", "one of the best speakers": one counts a noun
    year_before_noun: bool = True  # "2006 elections", "In 2021 most people": a year, no count
    ascending_ranges: bool = True  # "from 20 mpg in 2008 to 29": a range is written low to high
    capital_heads: bool = True  # "eight straight World Cups": a capitalised plural after a word
    acronym_units: bool = True  # "(0.5 WAR)", "300 MPs.": an acronym counted, at a phrase's end
    noun_before: bool = True  # "another pick or two": 2 pick
    coordinated_nouns: bool = True  # "4.3M digital and physical sales": 4.3M sale
    life_expectancy: bool = True  # "life expectancy ... is around 73": 73 years
    person_ages: bool = True  # "She turns 35", "the boy, 12, was hurt": years (from the issue)
    # Written from half B, checked on half A:
    hyphen_nouns: bool = True  # "a six-cylinder engine": 6 cylinder
    # A unit written once for several numbers (index/numbers_carry.py). From half A: "from
    # 14-18 mpg to 24" and parallel_units; from half B: hanging hyphens and shared_units.
    carried_units: bool = True  # "from 14-18 mpg to 24", "four-, five- and six-cylinder"
    parallel_units: bool = True  # "ended at 1,463.78 points ... ended at 1,334.20"
    shared_units: bool = True  # "280 million of the 1.5 billion shekels"

    @classmethod
    def names(cls) -> list[str]:
        return [f.name for f in fields(cls)]


DEFAULT = NumberRules()
