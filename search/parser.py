"""The Whoosh query parser newsdex reads every query with: case-insensitive field names, scaled
numbers (400k, 1.5m), `field:=value` without the copy field, and counted nouns (homes:>1000)."""

from __future__ import annotations

import copy
import re
from typing import Any

from whoosh.fields import Schema
from whoosh.qparser import AndGroup, MultifieldParser, OrGroup, syntax
from whoosh.qparser.plugins import (
    CopyFieldPlugin,
    FieldAliasPlugin,
    FieldsPlugin,
    GtLtPlugin,
    Plugin,
)
from whoosh.qparser.taggers import RegexTagger

from index import schema as S
from search import counted, ranking

_SCALES = {"k": 1e3, "m": 1e6, "mn": 1e6, "bn": 1e9, "b": 1e9, "t": 1e12, "tn": 1e12}
_SCALED = re.compile(r"^([-+]?\d+(?:\.\d+)?(?:e[-+]?\d+)?)\s*(k|m|mn|bn|b|tn|t)?$", re.IGNORECASE)
_THOUSANDS = re.compile(r"^[-+]?\d{1,3}(,\d{3})+(\.\d+)?$")


def parse_number(text: str) -> float | None:
    """A number as typed in a query: 400000, 400,000, 4e5, 400k, 1.5m, 2bn. None if it is not one."""
    text = text.strip()
    if _THOUSANDS.match(text):
        text = text.replace(",", "")
    match = _SCALED.match(text)
    if not match:
        return None
    value = float(match.group(1))
    scale = match.group(2)
    return value * _SCALES[scale.lower()] if scale else value


class NewsdexPlugin(Plugin):
    """Case-insensitive field names, scaled number literals, and the repair of empty fields."""

    def filters(self, parser: Any) -> list[tuple[Any, float]]:
        # Field names are folded before the alias plugin (90) and the fields plugin (100) run;
        # number literals are rewritten after fields are applied, before multifield (110);
        # a counted noun (homes:>1000) after GtLtPlugin's ranges (99), before fields (100).
        return [(self.fold_fieldnames, 80), (counted.rewrite, 99.5), (self.numbers, 105)]

    def fold_fieldnames(self, parser: Any, group: Any) -> Any:
        for node in group:
            if isinstance(node, syntax.GroupNode):
                self.fold_fieldnames(parser, node)
            elif isinstance(node, syntax.FieldnameNode):
                node.fieldname = node.fieldname.lower()
        return group

    def numbers(self, parser: Any, group: Any) -> Any:
        for node in group:
            if isinstance(node, syntax.GroupNode):
                self.numbers(parser, node)
            elif getattr(node, "fieldname", None) in S.NUMERIC_FIELDS:
                if isinstance(node, syntax.RangeNode):
                    node.start = _number_text(node.start)
                    node.end = _number_text(node.end)
                elif node.has_text:
                    node.text = _number_text(node.text)
        return group


def _number_text(text: str | None) -> str | None:
    if text is None:
        return None
    value = parse_number(text)
    return repr(value) if value is not None else text


class LiteralFieldnameNode(syntax.FieldnameNode):
    """`place:=`: a field name whose value searches that field only."""


class _LiteralTagger(RegexTagger):
    def create(self, parser: Any, match: re.Match[str]) -> syntax.SyntaxNode:
        return LiteralFieldnameNode(match.group("text"), match.group(0))


class LiteralFieldPlugin(Plugin):
    """`field:=value` searches the field itself, without its copy field (schema.COPY_FIELDS):
    place:=Syria leaves out articles that mention only places inside Syria, and
    org:="United Nations" those that name only one of its agencies."""

    # `=>` and `=<` after the colon stay comparisons for GtLtPlugin (number:=>5).
    # (?<!\w): inside a word the match fails at once. Whoosh tries its taggers at every position of
    # text no tagger takes, so an unanchored \w+ made a 10,000-letter word cost 2.6 s (quadratic).
    expr = r"(?<!\w)(?P<text>\w+):=(?![<>=])"

    def __init__(self) -> None:
        self.fields: list[str] = []  # the copy-field keys read literally, for --explain

    def taggers(self, parser: Any) -> list[tuple[Any, int]]:
        # Before Whoosh's own field-name tagger (0), which would leave "=" in the value.
        return [(_LiteralTagger(self.expr), -1)]

    def filters(self, parser: Any) -> list[tuple[Any, int]]:
        # After field aliases (90) so names are canonical, before fields are applied (100).
        return [(self.mark, 95)]

    def mark(self, parser: Any, group: Any) -> Any:
        for i, node in enumerate(group):
            if isinstance(node, syntax.GroupNode):
                self.mark(parser, node)
            elif isinstance(node, LiteralFieldnameNode) and i + 1 < len(group):
                value = group[i + 1]
                if not value.is_ws() and not isinstance(value, syntax.FieldnameNode):
                    _mark_literal(value)
                    if node.fieldname in S.COPY_FIELDS and node.fieldname not in self.fields:
                        self.fields.append(node.fieldname)
        return group


def _mark_literal(node: syntax.SyntaxNode) -> None:
    # Every node of a group is marked: Whoosh's later filters rebuild groups, keeping only leaves.
    # A value with its own field name inside the group (place:=(Aleppo OR org:UN)) keeps its own.
    node.literal = True
    if isinstance(node, syntax.GroupNode):
        previous = None
        for child in node:
            named = isinstance(previous, syntax.FieldnameNode)
            if not named or isinstance(previous, LiteralFieldnameNode):
                _mark_literal(child)
            previous = child


class _CopyFields(CopyFieldPlugin):
    """CopyFieldPlugin that leaves alone the values marked by LiteralFieldPlugin."""

    def do_copyfield(self, parser: Any, group: Any) -> Any:
        copied = group.empty_copy()
        for node in group:
            if getattr(node, "literal", False):
                copied.append(node)
            elif isinstance(node, syntax.GroupNode):
                copied.append(self.do_copyfield(parser, node))
            elif node.has_fieldname and (node.fieldname or parser.fieldname) in self.map:
                twin = copy.copy(node)
                twin.set_fieldname(self.map[node.fieldname or parser.fieldname], override=True)
                copied.append(self.group([node, twin]))
            else:
                copied.append(node)
        return copied


#: Whoosh's field-name pattern, anchored at a word's start (see LiteralFieldPlugin.expr).
_FIELD_TAG = r"(?P<text>(?<!\w)\w+|[*]):"


def make_parser(
    schema: Schema, any_word: bool = False, model: ranking.RankingModel = ranking.DEFAULT
) -> MultifieldParser:
    """The query parser: title and body by default (title boosted), AND unless `any_word`."""
    group = AndGroup
    if any_word:
        group = OrGroup.factory(model.coord) if model.coord else OrGroup
    boosts = {S.TITLE: model.title_boost} if model.title_boost != 1.0 else None
    parser = MultifieldParser(list(S.TEXT_FIELDS), schema, fieldboosts=boosts, group=group)
    aliases: dict[str, list[str]] = {}
    for alias, field in S.FIELD_ALIASES.items():
        aliases.setdefault(field, []).append(alias)
    parser.replace_plugin(FieldsPlugin(expr=_FIELD_TAG))
    parser.add_plugin(NewsdexPlugin())
    parser.add_plugin(FieldAliasPlugin(aliases))
    parser.add_plugin(GtLtPlugin())
    parser.add_plugin(LiteralFieldPlugin())
    parser.add_plugin(_CopyFields(dict(S.COPY_FIELDS)))
    return parser
