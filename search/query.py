"""Query parsing: Whoosh's query language, forgiving of ordinary punctuation, with scaled numbers.

One parser for every face (one-shot commands, the shell, tests); `--strict` turns repairs into errors.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from whoosh import query as wq
from whoosh.fields import Schema
from whoosh.qparser import MultifieldParser

from index import schema as S
from index.errors import QuerySyntaxError
from search import counted, querytext, ranking
from search.parser import LiteralFieldPlugin, make_parser

# A query of ranking.RankingModel.question_words words or more, written without query syntax,
# is read as a question pasted whole: any word may match, ranked by BM25F (an AND of every word
# finds nothing). Shorter queries keep AND: every word must match.
_OPERATORS = frozenset({"AND", "OR", "NOT", "ANDNOT", "ANDMAYBE", "REQUIRE"})


@dataclass(frozen=True)
class ParsedQuery:
    text: str
    query: wq.Query
    any_word: bool  # read as a question: any word may match, more matches rank higher
    repairs: tuple[str, ...] = ()  # what the forgiving reading changed, for --explain
    literal: tuple[str, ...] = ()  # fields read as `field:=value`, without their copy fields
    unknown: tuple[str, ...] = ()  # "plce: is no field (did you mean place?)", read as words
    capitals: bool = False  # a question in capitals: its AND, OR, NOT and TO read as words
    read: str = ""  # the text the parser read (repaired), which the terms' character spans index
    # Parts the forgiving reading left out of the search ("Range start 'abc' is not a valid
    # number"): said with the results, since the search is then wider than what was asked.
    dropped: tuple[str, ...] = ()

    @property
    def source(self) -> str:
        """The text the query's character spans index into (the repaired text)."""
        return self.read or self.text

    @property
    def reading(self) -> str:
        """How the query was read, in words, for --explain and result notes."""
        if self.capitals:
            return (
                "any word (question in capitals: AND, OR, NOT and TO read as words; "
                "--strict keeps them operators)"
            )
        return "any word (question)" if self.any_word else "all words (AND)"


_EMPTY_FIELD = re.compile(r"(?<![\w\"])(\w+):=?(?=\s|$)")
_TRAILING_OP = re.compile(r"(?:\s+(?:AND|OR|NOT|ANDNOT|ANDMAYBE|REQUIRE))+\s*$")


def _repair(text: str) -> tuple[str, list[str]]:
    """The forgiving reading of half-typed queries: what a person meant, and what was changed."""
    repairs: list[str] = []
    if text.count('"') % 2:
        pos = text.rfind('"')
        text = text[:pos] + text[pos + 1 :]
        repairs.append(f"unmatched quote at character {pos + 1} ignored")
    fixed = _EMPTY_FIELD.sub(lambda m: "", text)
    if fixed != text:
        repairs.append("field name with no value ignored")
        text = fixed
    fixed = _TRAILING_OP.sub("", text)
    if fixed != text:
        repairs.append("trailing operator ignored")
        text = fixed
    opened = text.count("(") - text.count(")")
    if opened > 0:
        text += ")" * opened
        repairs.append("unclosed bracket closed")
    elif opened < 0:
        repairs.append("unopened bracket ignored")
    return text, repairs


# What only a query writer types: field:value, * wildcards, fuzzy and boost marks, ranges.
# Prose has quotes, brackets, colons before a space and question marks (even "the ?slip? effect").
_SYNTAX = re.compile(r"^\w+:\S|\*|~|\^|[\[\]{}]")


# A query that is one quoted phrase and nothing else asks for that phrase, however long it is.
_ONE_PHRASE = re.compile(r'^\s*"[^"]*"\s*$')


def _bare_words(text: str, operators: frozenset[str] = _OPERATORS) -> int:
    """How many words a query has when it reads as prose; 0 when it uses query syntax."""
    if _ONE_PHRASE.match(text):
        return 0
    words = text.split()
    if any(w in operators or _SYNTAX.search(w) for w in words):
        return 0
    return sum(1 for w in words if any(c.isalnum() for c in w))


# Wire copy, telex archives and old newspapers are written in capitals: a query of more than
# CAPITALS_WORDS words without a lower-case letter reads its AND, OR, NOT and TO as words, unless
# a bracket or a quote sits against one of them ("IRAQ AND (OIL OR GAS)", '"X Y" OR Z').
CAPITALS_WORDS = 4
_OPERATOR_WORD = r"\b(?:AND|OR|NOT|ANDNOT|ANDMAYBE|REQUIRE)\b"
_BOOLEAN_MARK = re.compile(rf"{_OPERATOR_WORD}\s*[(\"]|[)\"]\s*{_OPERATOR_WORD}")
# "(1)", "(b)": an enumeration in prose, not a group of a boolean query.
_ENUMERATION = re.compile(r"\(\s*(?:\d+|[A-Za-z])\s*\)")
_ALL_OPERATORS = frozenset({*_OPERATORS, "TO"})


def _capitals_question(text: str) -> bool:
    """A pasted question in capitals: its operator words are words (see CAPITALS_WORDS)."""
    if any(c.islower() for c in text) or _BOOLEAN_MARK.search(_ENUMERATION.sub(" ", text)):
        return False
    if _bare_words(text, frozenset()) <= CAPITALS_WORDS:
        return False
    return any(w in _ALL_OPERATORS for w in text.split())


def parse(
    text: str, schema: Schema, strict: bool = False, model: ranking.RankingModel = ranking.DEFAULT
) -> ParsedQuery:
    """Parse a user's query; raises QuerySyntaxError only for what cannot be read at all, or
    with `strict` for anything it would have to repair, unknown field names included."""
    unknown = unknown_fields(text)
    if strict:
        _check_strict(text)
        if unknown:
            position, problem = unknown[0]
            raise QuerySyntaxError(text, position, problem, _FIELDS_HINT)
    capitals = not strict and _capitals_question(text)
    repaired, repairs = (text, []) if capitals else _repair(text)
    any_word = capitals or _bare_words(repaired) >= model.question_words
    parser = make_parser(schema, any_word=any_word, model=model)
    literal = next(p for p in parser.plugins if isinstance(p, LiteralFieldPlugin))
    dropped: list[str] = []
    try:
        parsed = _parse_with(parser, text if any_word else repaired, any_word, model)
    except Exception as exc:  # whoosh's parser raises bare Exceptions on some inputs
        if strict:
            raise QuerySyntaxError(text, 0, str(exc), _HINT) from exc
        dropped = [f"unreadable query ignored ({exc})"]
        parsed, repairs = wq.NullQuery, [*repairs, *dropped]
    errors = list(_errors(parsed))
    if errors:
        if strict:
            raise QuerySyntaxError(text, _position(text, errors[0][1]), errors[0][0], _HINT)
        parsed = _without_errors(parsed)
        repairs.extend(problem for problem, _ in errors)
        dropped.extend(problem for problem, _ in errors)
    parsed = parsed.accept(_undotted).accept(_path_glob)
    unreadable: list[str] = []
    parsed = parsed.accept(lambda node: _readable(node, schema, unreadable))
    if unreadable:
        parsed = parsed.normalize()  # without the dropped parts
    if unreadable and strict:
        raise QuerySyntaxError(text, _position(text, unreadable[0]), unreadable[0], _HINT)
    repairs.extend(f"{problem} ignored" for problem in unreadable)
    dropped.extend(unreadable)
    if any(field in _COUNTRY_FIELDS - set(literal.fields) for field in _fields_of(parsed)):
        parsed = parsed.accept(lambda node: _with_country_name(node, set(literal.fields)))
    problems = tuple(f"{problem}; read as words" for _, problem in unknown)
    return ParsedQuery(
        text, parsed, any_word, (*repairs, *problems), tuple(literal.fields), problems, capitals,
        read=text if any_word else repaired, dropped=tuple(dropped),
    )  # fmt: skip


# A field name as typed: a word before a colon, outside quotes, not a time ("10:30") nor a URL.
_FIELD_NAME = re.compile(r"(?<![\w.:/-])([A-Za-z_][\w-]*):(?!//)")
_FIELDS_HINT = "Fields: " + ", ".join(
    sorted({S.TITLE, S.BODY, S.SECTION, S.DATE, S.PATH, *S.ENTITY_FIELDS, "org", *S.NUMERIC_FIELDS})
)


def unknown_fields(text: str) -> list[tuple[int, str]]:
    """(position, problem) for each `name:` outside quotes that names no field."""
    known = set(S.known_fields())
    outside = re.sub(r'"[^"]*"', lambda m: " " * len(m.group()), text)
    found = []
    for match in _FIELD_NAME.finditer(outside):
        name = match.group(1)
        if name.lower() not in known and not counted.is_noun_query(name, outside, match.end()):
            import difflib  # only for a typo: the query path stays light

            close = difflib.get_close_matches(name.lower(), sorted(known), n=1, cutoff=0.7)
            guess = f" (did you mean {close[0]}:?)" if close else ""
            found.append((match.start(), f"{name}: is no field{guess}"))
    return found


# Entity names are stored as written, with or without a final dot ("Open Text Corp" when the dot
# ended the sentence): a value typed with one also matches the name without it.
_NAME_FIELDS = frozenset({*S.ENTITY_FIELDS, S.WITHIN, S.ORG_ALIAS})


def _undotted(node: wq.Query) -> wq.Query:
    if not isinstance(node, wq.Term) or node.fieldname not in _NAME_FIELDS:
        return node
    text = node.text
    if not isinstance(text, str) or not text.endswith(".") or not text.rstrip("."):
        return node
    return wq.Or([node, wq.Term(node.fieldname, text.rstrip("."), boost=node.boost)])


def _path_glob(node: wq.Query) -> wq.Query:
    """`path:` is a glob on the path relative to its root (`*` crosses folders, case folded):
    a leading `/` anchors nothing more, and a value without `*` or `?` names a file or a folder,
    so path:business finds business/001.txt as path:business/* does."""
    if not isinstance(node, wq.Term | wq.Prefix | wq.Wildcard) or node.fieldname != S.PATH:
        return node
    text = node.text.lstrip("/") if isinstance(node.text, str) else node.text
    if not isinstance(node, wq.Term):
        return type(node)(S.PATH, text, boost=node.boost)
    folder = text.rstrip("/")
    return wq.Or([wq.Term(S.PATH, folder), wq.Prefix(S.PATH, folder + "/")], boost=node.boost)


def _readable(node: wq.Query, schema: Schema, problems: list[str]) -> wq.Query:
    """A leaf Whoosh could not run, made runnable or dropped (with its problem noted): words
    quoted on a field without positions (`place:"a, b"` splits at the comma) are one name, and
    a date that is no date (`date:" "`) is dropped."""
    field = getattr(node, "fieldname", None)
    if field not in schema:
        return node
    if isinstance(node, wq.Phrase) and not schema[field].format.supports("positions"):
        return wq.Term(field, " ".join(node.words), boost=node.boost)
    if isinstance(node, wq.Term) and field == S.DATE and isinstance(node.text, str):
        try:
            schema[field].to_bytes(node.text)
        except Exception:  # whoosh raises a bare Exception for a string it cannot read
            problems.append(f"date:{node.text!r} is no date")
            return wq.NullQuery
    return node


# A country goes by several names (UK, Britain, United Kingdom): country:, place: and the
# places it contains match its gazetteer name too. `place:=UK` stays literal.
_COUNTRY_FIELDS = frozenset({S.COUNTRY, S.PLACE, S.WITHIN})


def _fields_of(q: wq.Query) -> set[str]:
    leaves = [q] if q.is_leaf() else list(q.leaves())
    return {leaf.fieldname for leaf in leaves if getattr(leaf, "fieldname", None)}


def _with_country_name(node: wq.Query, literal: set[str]) -> wq.Query:
    field = getattr(node, "fieldname", None)
    if not isinstance(node, wq.Term) or field not in _COUNTRY_FIELDS or field in literal:
        return node
    if not isinstance(node.text, str):
        return node
    from index.gazetteer import country_names, place_key

    name = country_names().get(place_key(node.text), "").lower()
    if not name or name == node.text:
        return node
    return wq.Or([node, wq.Term(field, name, boost=node.boost)])


def _parse_with(
    parser: MultifieldParser, text: str, any_word: bool, model: ranking.RankingModel
) -> wq.Query:
    if not any_word:
        # Keyword queries keep Whoosh's per-field BM25F: it ranks them as well (bench/ranking.py,
        # short queries) and its block-quality pruning makes frequent words 1.5-2x faster.
        return parser.parse(text)
    # A question is read from the text as pasted: the repairs for half-typed queries would drop
    # a word before a colon. Normalising first would merge repeated words before they count.
    question = parser.parse(ranking.question_text(text, model), normalize=False)
    return ranking.rewrite(question, model).normalize()


_HINT = (
    'Quote phrases with "...", give fields a value (place:Aleppo, or place:=Aleppo for that name '
    "only), numbers as 400000 or 400k"
)


def _check_strict(text: str) -> None:
    _, repairs = _repair(text)
    if repairs:
        position = max(0, len(text) - 1)
        if text.count('"') % 2:
            position = text.rfind('"')
        # What the forgiving reading would do ("... ignored") is not what --strict does.
        problem = re.sub(r" (?:ignored|closed)$", "", repairs[0])
        raise QuerySyntaxError(text, position, problem, _HINT)


def _errors(q: wq.Query) -> list[tuple[str, str]]:
    """(problem, offending text) for each part of the query the parser could not read."""
    found = []
    for sub in q.leaves() if not q.is_leaf() else [q]:
        error = getattr(sub, "error", None)
        if error is not None:
            quoted = re.search(r"'([^']+)'", str(error))
            fragment = getattr(sub, "text", "") or (quoted.group(1) if quoted else "")
            found.append((str(error), fragment))
    return found


def _position(text: str, fragment: str) -> int:
    pos = text.find(fragment) if fragment else -1
    return pos if pos >= 0 else 0


def _without_errors(q: wq.Query) -> wq.Query:
    def keep(sub: wq.Query) -> wq.Query:
        if getattr(sub, "error", None) is not None:
            return wq.NullQuery
        return sub.apply(keep) if not sub.is_leaf() else sub

    return keep(q).normalize()


def explain(parsed: ParsedQuery) -> str:
    """The parsed query as an indented tree, with the fields it searches and what was repaired."""
    lines = [f"query: {parsed.text!r}"]
    lines.append(f"default fields: {', '.join(S.TEXT_FIELDS)}; matching: {parsed.reading}")
    fields = querytext.fields_searched(parsed.query)
    lines.append(f"fields searched: {', '.join(fields) or '(none)'}")
    lines.extend(
        line
        for line in querytext.expanded(parsed.query)
        if line.split(":")[0] not in parsed.literal
    )
    lines.extend(
        f"literal: {field}:= {_LITERAL.get(field, 'this field only')}" for field in parsed.literal
    )
    if S.COUNTED in querytext.fields_searched(parsed.query):
        lines.append(
            f"{S.COUNTED}: a noun's values as counted in the text (5,000 homes: home:5000)"
        )
    lines.extend(f"repaired: {r}" for r in parsed.repairs)
    lines.append("tree:")
    lines.extend(querytext.tree(parsed.query))
    return "\n".join(lines)


# What `field:=` leaves out, for --explain.
_LITERAL = {
    S.PLACE: "the name as written (not the places inside it, not its spelling variants)",
    S.ORGANIZATION: "the canonical name only (not its other names, not the bodies in it)",
}
