"""Snippets: the passage of an article that best shows why it matched, matches wrapped in ** **.

Words are found by their stems (as the index holds them), numbers by the values a range query
asked for, places and organizations by the names the article used. One regex pass per hit:
Whoosh's highlighter re-analyses the whole body of every hit, and cost 30 ms a page.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from whoosh import query as wq

from index import schema as S

WINDOW = 240  # characters of context shown
MAX_MATCHES = 400  # matches looked at when choosing the window


@dataclass(frozen=True)
class NumberRange:
    field: str
    low: float | None
    high: float | None

    def holds(self, unit: str | None, value: float) -> bool:
        if self.field != S.NUMBER and self.field != unit:
            return False
        return (self.low is None or value >= self.low) and (self.high is None or value <= self.high)


@dataclass(frozen=True)
class HighlightSpec:
    """What to look for in a hit, worked out once per query."""

    words: tuple[str, ...] = ()  # regex alternatives for text terms (stems, prefixes, wildcards)
    ranges: tuple[NumberRange, ...] = ()
    entities: dict[str, frozenset[str]] = field(default_factory=dict)  # field -> lowercased names


def spec_for(q: wq.Query) -> HighlightSpec:
    words: list[str] = []
    ranges: list[NumberRange] = []
    entities: dict[str, set[str]] = {}
    for leaf in _leaves(q):
        name = leaf.field()
        if isinstance(leaf, wq.NumericRange) and name in S.NUMERIC_FIELDS:
            ranges.append(NumberRange(name, _float(leaf.start), _float(leaf.end)))
        elif name in S.TEXT_FIELDS:
            words.extend(_word_patterns(leaf))
        elif name in (*S.ENTITY_FIELDS, S.WITHIN, S.ORG_ALIAS) and hasattr(leaf, "text"):
            entities.setdefault(name, set()).add(str(leaf.text).lower())
    frozen = {k: frozenset(v) for k, v in entities.items()}
    return HighlightSpec(tuple(dict.fromkeys(words)), tuple(ranges), frozen)


def _leaves(q: wq.Query) -> Iterable[wq.Query]:
    return [q] if q.is_leaf() else list(q.leaves())


def _float(value: Any) -> float | None:
    return None if value is None else float(value)


def _word_patterns(leaf: wq.Query) -> list[str]:
    if isinstance(leaf, wq.Phrase):
        return [re.escape(str(w)) + r"\w*" for w in leaf.words]
    if isinstance(leaf, wq.Wildcard):
        text = re.escape(str(leaf.text)).replace(r"\*", r"\w*").replace(r"\?", r"\w")
        return [text]
    if isinstance(leaf, wq.Term | wq.Prefix) and isinstance(leaf.text, str):
        return [re.escape(leaf.text) + r"\w*"]
    return []


def snippet(body: str, spec: HighlightSpec, stored: dict[str, Any]) -> str:
    """The best window of `body`, its matches marked; the opening when nothing matches."""
    pattern = _pattern(spec, stored)
    matches = list(_matches(pattern, body)) if pattern else []
    if not matches:
        return _trim(body, 0)
    start = _best_start(matches)
    end = start + WINDOW
    parts: list[str] = []
    last = start
    for m_start, m_end in matches:
        if m_start >= start and m_end <= end and m_start >= last:
            parts += [body[last:m_start], "**", body[m_start:m_end], "**"]
            last = m_end
    text = "".join(parts) + body[last:end]
    return _ellipsis(text, start > 0, end < len(body))


def _pattern(spec: HighlightSpec, stored: dict[str, Any]) -> re.Pattern[str] | None:
    alternatives = [rf"\b{w}" for w in spec.words]
    for number in stored.get("numbers", []):
        if any(r.holds(number.get("unit"), float(number.get("value", 0))) for r in spec.ranges):
            alternatives.append(re.escape(str(number.get("text", ""))))
    wanted = set().union(*spec.entities.values()) if spec.entities else set()
    for key in ("places", "organizations", "organization_terms", "countries"):
        alternatives += [re.escape(n) for n in stored.get(key, []) if n.lower() in wanted]
    alternatives = [a for a in alternatives if a]
    if not alternatives:
        return None
    alternatives.sort(key=len, reverse=True)  # the longest phrase wins at a position
    return re.compile("|".join(alternatives), re.IGNORECASE)


def _matches(pattern: re.Pattern[str], body: str) -> Iterable[tuple[int, int]]:
    for count, match in enumerate(pattern.finditer(body)):
        if count >= MAX_MATCHES:
            return
        if match.end() > match.start():
            yield match.start(), match.end()


def _best_start(matches: list[tuple[int, int]]) -> int:
    """The window start (a little before a match) that covers the most matches."""
    best, best_count, j = 0, -1, 0
    for i, (m_start, _) in enumerate(matches):
        start = max(0, m_start - 60)
        j = max(j, i)
        while j < len(matches) and matches[j][1] <= start + WINDOW:
            j += 1
        if j - i > best_count:
            best, best_count = start, j - i
    return best


def _trim(body: str, start: int) -> str:
    return _ellipsis(body[start : start + WINDOW], start > 0, start + WINDOW < len(body))


def _ellipsis(text: str, cut_before: bool, cut_after: bool) -> str:
    if cut_before and " " in text:
        text = text.split(" ", 1)[1]
    if cut_after and " " in text and not text.endswith("**"):
        text = text.rsplit(" ", 1)[0]
    text = " ".join(text.split())
    return ("… " if cut_before else "") + text + (" …" if cut_after else "")
