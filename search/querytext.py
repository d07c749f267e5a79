"""A parsed query written back in the query language, for `--explain` and the shell's `:explain`.

Only fields a user can type appear: a copy field (schema.COPY_FIELDS) is shown as its key.
"""

from __future__ import annotations

from whoosh import query as wq
from whoosh.util.times import long_to_datetime

from index import schema as S
from search import counted

#: The field a user typed to search a copy field: within -> place, org_alias -> organization.
TYPED: dict[str, str] = {copy: key for key, copy in S.COPY_FIELDS.items()}

#: What a field's value matches beyond the name itself (the copy field), for --explain.
ALSO: dict[str, str] = {
    S.PLACE: "also the places inside it and its other spellings (place:= for that name only)",
    S.ORGANIZATION: "also its other names and the bodies in it (org:= for that name only)",
    S.PERSON: "also a surname alone (person:= for the full name only)",
}

_OPERATORS = {"And": "AND", "Or": "OR", "Not": "NOT", "AndNot": "AND NOT", "AndMaybe": "MAYBE"}
_EITHER = ("Or", "FieldsTerm", "DisjunctionMax")  # a value tried on several fields or spellings


def typed_field(field: str | None) -> str:
    return TYPED.get(field or "", field or "")


def fields_searched(q: wq.Query) -> list[str]:
    """The fields a query reads, as a user names them."""
    leaves = [q] if q.is_leaf() else list(q.leaves())
    return sorted({typed_field(leaf.field()) for leaf in leaves if leaf.field()})


def expanded(q: wq.Query) -> list[str]:
    """One line per typed field whose value also searches its copy field."""
    leaves = [q] if q.is_leaf() else list(q.leaves())
    copies = {leaf.field() for leaf in leaves} & set(TYPED)
    return [f"{TYPED[c]}: {ALSO[TYPED[c]]}" for c in sorted(copies) if TYPED[c] in ALSO]


def tree(q: wq.Query, depth: int = 1) -> list[str]:
    """The query as an indented tree of operators over values written as a user types them;
    twins (a value on title and body, on a field and its copy) are shown once."""
    pad = "  " * depth
    word = _as_word(q)
    if word is not None:
        return [pad + word]
    children: list[list[str]] = []
    for child in q.children():
        lines = tree(child, depth + 1)
        if lines not in children:
            children.append(lines)
    if len(children) == 1 and type(q).__name__ in _EITHER:
        return [line[2:] for line in children[0]]
    name = type(q).__name__
    return [pad + _OPERATORS.get(name, name), *(line for lines in children for line in lines)]


def _as_word(q: wq.Query) -> str | None:
    """The query as one value (`place:aleppo`, `aid` on the default fields), or None."""
    if q.is_leaf():
        return leaf(q)
    if type(q).__name__ not in _EITHER:
        return None
    words = [_as_word(child) for child in q.children()]
    if any(w is None for w in words):
        return None
    unique = sorted(set(w for w in words if w is not None))
    if len(unique) == 1:
        return unique[0]
    fields = {w.partition(":")[0] for w in unique}
    values = {w.partition(":")[2] for w in unique}
    if fields == set(S.TEXT_FIELDS) and len(values) == 1:
        return values.pop()  # a word with no field name searches the default fields
    return None


def leaf(q: wq.Query) -> str:
    """One query leaf in the query language."""
    field = typed_field(q.field())
    boost = f"^{q.boost:g}" if getattr(q, "boost", 1.0) != 1.0 else ""
    if field == S.COUNTED and isinstance(q, wq.Term | wq.TermRange):
        return _counted(q) + boost
    if isinstance(q, wq.FuzzyTerm):
        return f"{field}:{_value(q.text)}~{q.maxdist}{boost}"
    if isinstance(q, wq.Prefix):
        return f"{field}:{q.text}*{boost}"
    if isinstance(q, wq.Wildcard):
        return f"{field}:{q.text}{boost}"
    if isinstance(q, wq.Term):
        return f"{field}:{_value(q.text)}{boost}"
    if isinstance(q, wq.Phrase):
        slop = f"~{q.slop}" if q.slop > 1 else ""
        return f'{field}:"{" ".join(q.words)}"{slop}{boost}'
    if isinstance(q, wq.NumericRange | wq.TermRange):
        return f"{field}:{_range(q)}{boost}"
    if isinstance(q, wq.Every):
        return f"{field}:*" if field else "*"
    if q is wq.NullQuery:
        return "(nothing)"
    return repr(q)


def _counted(q: wq.Term | wq.TermRange) -> str:
    """A counted noun's term or range as typed: home:5000, home:>1000 (index.counted)."""
    noun, low, high = counted.decoded(q)
    if isinstance(q, wq.Term) and low is not None:
        return f"{noun}:{_number(low)}"
    bounded = wq.TermRange(q.fieldname, low, high, q.startexcl, q.endexcl)
    return f"{noun}:{_range(bounded)}"


def _number(value: float) -> str:
    return f"{int(value)}" if value.is_integer() else f"{value:g}"


def _value(text: object) -> str:
    shown = text.decode() if isinstance(text, bytes) else str(text)
    return f'"{shown}"' if any(c.isspace() for c in shown) or not shown else shown


def _range(q: wq.NumericRange | wq.TermRange) -> str:
    start, end = _bound(q, q.start), _bound(q, q.end)
    if end is None and start is not None:
        return (">" if q.startexcl else ">=") + start
    if start is None and end is not None:
        return ("<" if q.endexcl else "<=") + end
    left = "{" if q.startexcl else "["
    right = "}" if q.endexcl else "]"
    return f"{left}{start or ''} TO {end or ''}{right}"


def _bound(q: wq.Query, value: object) -> str | None:
    if value is None:
        return None
    if q.field() == S.DATE and isinstance(value, int):
        moment = long_to_datetime(value)
        return moment.date().isoformat() if moment.time() == moment.min.time() else str(moment)
    if isinstance(value, float):
        return f"{int(value)}" if value.is_integer() else f"{value:g}"
    return _value(value)
