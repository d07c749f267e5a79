"""Given names, to tell a person's name the model tags ORG ("Julia Chepalova") from a firm's.

The table is index/data/given_names.txt, written by scripts/build_names.py from Faker's tables.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

TABLE = "given_names.txt"


@lru_cache(maxsize=1)
def given_names() -> frozenset[str]:
    """The shipped given names (one per line; "#" opens a comment line)."""
    text = resources.files("index").joinpath("data", TABLE).read_text(encoding="utf-8")
    return frozenset(line for line in text.splitlines() if line and not line.startswith("#"))


def looks_like_person(name: str) -> bool:
    """Two or three capitalised words opened by a given name: "Julia Chepalova", "Paul VI"."""
    words = name.split()
    return (
        2 <= len(words) <= 3
        and words[0] in given_names()
        and all(word[:1].isupper() for word in words)
    )
