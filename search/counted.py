"""Counted-noun queries: `homes:>1000`, `students:[100 TO 500]`, `homes:5000`.

A field name that names no field, followed by a number or a range, is a counted noun: it
searches the one `counted` field (index.counted encodes noun and value in one term), so the
schema needs no field per noun. A name close to a real field (`numbr:>5`) stays a typo.

index.counted is imported by the functions that read or write counted terms, never here: it
brings the extraction's unit and number rules, which a query without a counted noun (every
parse runs `rewrite`) does not need at start-up (tests/test_startup_imports.py).
"""

from __future__ import annotations

import re
from typing import Any

from whoosh import query as wq
from whoosh.qparser import syntax

from index import schema as S

# What follows the colon of a counted noun: a comparison, a number or a bracketed range.
_VALUE = re.compile(r"\s*(?:[<>]=?|=[<>]?)?\s*[-+]?\.?\d|\s*[\[{]")
_NOUN = re.compile(r"[A-Za-z][A-Za-z-]*[A-Za-z]")


def is_noun(name: str) -> bool:
    """Can this field name, which names no field, be a counted noun (not a typo of a field)?"""
    lowered = name.lower()
    known = S.known_fields()
    if lowered in known or not _NOUN.fullmatch(name):
        return False
    import difflib  # only for a name that is no field: the query path stays light

    return not difflib.get_close_matches(lowered, known, n=1, cutoff=0.7)


def is_noun_query(name: str, text: str, after_colon: int) -> bool:
    """Is `name:` at this point of the query a counted noun with a number or range after it?"""
    return is_noun(name) and _VALUE.match(text, after_colon) is not None


class CountedNode(syntax.SyntaxNode):
    """A counted noun's value or range, searched in the `counted` field."""

    has_fieldname = True

    def __init__(self, noun: str, typed: str, low: str | None, high: str | None,
                 excl: tuple[bool, bool] = (False, False)) -> None:  # fmt: skip
        self.noun, self.typed = noun, typed
        self.low, self.high, self.excl = low, high, excl
        self.fieldname = S.COUNTED
        self.boost = 1.0
        self.startchar: int | None = None
        self.endchar: int | None = None

    def r(self) -> str:
        return f"{self.typed}:{self.low}..{self.high}"

    def query(self, parser: Any) -> wq.Query:
        from index import counted
        from search.parser import parse_number

        low = parse_number(self.low) if self.low else None
        high = parse_number(self.high) if self.high else None
        if (self.low and low is None) or (self.high and high is None):
            bad = self.low if self.low and low is None else self.high
            return wq.error_query(f"{self.typed}: needs a number, not {bad!r}")
        if low is not None and low == high and not any(self.excl):
            return wq.Term(S.COUNTED, counted.term(self.noun, low), boost=self.boost)
        start, end = counted.bounds(self.noun, low, high)
        start_excl = self.excl[0] and low is not None
        end_excl = self.excl[1] or high is None
        return wq.TermRange(S.COUNTED, start, end, start_excl, end_excl, boost=self.boost)


def rewrite(parser: Any, group: Any) -> Any:
    """A parser filter: `noun:` before a range or a number becomes one CountedNode."""
    out = group.empty_copy()
    nodes = list(group)
    i = 0
    while i < len(nodes):
        node = nodes[i]
        value = nodes[i + 1] if i + 1 < len(nodes) else None
        if isinstance(node, syntax.GroupNode):
            out.append(rewrite(parser, node))
        elif _is_counted(node, parser, value):
            out.append(_node(node, value))
            i += 1
        else:
            out.append(node)
        i += 1
    return out


def _is_counted(node: Any, parser: Any, value: Any) -> bool:
    if not isinstance(node, syntax.FieldnameNode) or node.fieldname in parser.schema:
        return False
    if not is_noun(node.fieldname):
        return False
    if isinstance(value, syntax.RangeNode):
        return True
    return isinstance(value, syntax.WordNode) and _VALUE.match(value.text) is not None


def _node(field: Any, value: Any) -> CountedNode:
    from index import counted

    name, noun = field.fieldname, counted.singular(field.fieldname)
    if isinstance(value, syntax.RangeNode):
        node = CountedNode(noun, name, value.start, value.end, (value.startexcl, value.endexcl))
    else:
        node = CountedNode(noun, name, value.text, value.text)
    node.startchar, node.endchar = field.startchar, value.endchar
    return node


def nouns_of(q: wq.Query) -> list[str]:
    """The counted nouns a parsed query searches, in order."""
    leaves = [q] if q.is_leaf() else list(q.leaves())
    found = [
        decoded(leaf)[0]
        for leaf in leaves
        if leaf.field() == S.COUNTED and isinstance(leaf, wq.Term | wq.TermRange)
    ]
    return list(dict.fromkeys(found))


def decoded(leaf: wq.Term | wq.TermRange) -> tuple[str, float | None, float | None]:
    """A `counted` term or term range as (noun, low, high); None for an open end."""
    from index import counted

    if isinstance(leaf, wq.Term):
        value = counted.value_of(leaf.text)
        return counted.noun_of(leaf.text), value, value
    # An open end is the noun's bare prefix ("home=") or the mark past its last value ("home=g").
    low, high = (counted.value_of(t) if t[-1] not in "=g" else None for t in (leaf.start, leaf.end))
    return counted.noun_of(leaf.start), low, high


def absent(q: wq.Query, reader: Any) -> list[str]:
    """The counted nouns of a query that no article of the index counts."""
    from index import counted

    missing = []
    for noun in nouns_of(q):
        prefix = noun + counted.SEPARATOR
        if next(iter(reader.expand_prefix(S.COUNTED, prefix)), None) is None:
            missing.append(noun)
    return missing


_ABSENT_HINT = (
    "Check the noun's spelling: a counted noun is the plural written after a number in the "
    "articles (5,000 homes: homes:>1000)"
)


def absent_problem(noun: str) -> str:
    """The message for a counted noun the index has no values of."""
    return f"no article in this index counts {noun} (a counted noun: 5,000 homes is homes:5000)"


def with_absent(parsed: Any, reader: Any, strict: bool) -> Any:
    """The parsed query with a note (an error with ``strict``) for each counted noun that no
    article counts: `hoems:>5` finds nothing, and says why."""
    from dataclasses import replace

    from index.errors import QuerySyntaxError

    missing = absent(parsed.query, reader)
    if not missing:
        return parsed
    problems = tuple(absent_problem(noun) for noun in missing)
    if strict:
        at = max(0, parsed.text.lower().find(missing[0][:3]))
        raise QuerySyntaxError(parsed.text, at, problems[0], _ABSENT_HINT)
    return replace(
        parsed, unknown=(*parsed.unknown, *problems), repairs=(*parsed.repairs, *problems)
    )
