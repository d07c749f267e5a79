"""Words for people, shared by the command line and the shell."""

from __future__ import annotations


def plural(n: int, word: str) -> str:
    """'1 article', '2 articles', '1,024 articles'."""
    return f"{n:,} {word}" if n == 1 else f"{n:,} {word}s"
