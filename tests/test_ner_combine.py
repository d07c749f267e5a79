"""bench.ner_combine: a second NER's organizations used for precision (agree) or recall (fill)."""

from __future__ import annotations

from typing import Any

import pytest
import spacy
from spacy.tokens import Span

from bench.ner_combine import MODES, combine

TEXT = "Shares of Acme Corp rose in Paris after the Gizmo Board met Reuters on Monday"


def _doc(nlp: Any, ents: list[tuple[str, str]]) -> Any:
    """The text with `ents` (written name, label) as its entities."""
    doc = nlp(TEXT)
    spans = []
    for name, label in ents:
        start = TEXT.index(name)
        span = doc.char_span(start, start + len(name), label=label)
        assert span is not None
        spans.append(span)
    doc.ents = spans
    return doc


@pytest.fixture(scope="module")
def nlp() -> Any:
    return spacy.blank("en")


def _ents(doc: Any) -> list[tuple[str, str]]:
    return [(e.text, e.label_) for e in doc.ents]


def test_agree_keeps_a_stock_org_only_where_the_second_ner_tags_it_org(nlp: Any) -> None:
    stock = _doc(nlp, [("Acme Corp", "ORG"), ("Paris", "GPE"), ("Gizmo Board", "ORG")])
    other = _doc(nlp, [("Acme", "ORG"), ("Paris", "GPE"), ("Gizmo", "PRODUCT")])
    assert _ents(combine(stock, other, "agree")) == [("Acme Corp", "ORG"), ("Paris", "GPE")]


def test_fill_adds_the_second_ners_orgs_that_overlap_no_stock_entity(nlp: Any) -> None:
    stock = _doc(nlp, [("Acme Corp", "ORG"), ("Paris", "GPE"), ("Monday", "DATE")])
    other = _doc(nlp, [("Acme", "ORG"), ("Paris", "ORG"), ("Reuters", "ORG")])
    assert _ents(combine(stock, other, "fill")) == [
        ("Acme Corp", "ORG"),
        ("Paris", "GPE"),
        ("Reuters", "ORG"),
        ("Monday", "DATE"),
    ]


def test_both_filters_then_fills(nlp: Any) -> None:
    stock = _doc(nlp, [("Gizmo Board", "ORG"), ("Paris", "GPE")])
    other = _doc(nlp, [("Reuters", "ORG")])
    combined = combine(stock, other, "both")
    assert _ents(combined) == [("Paris", "GPE"), ("Reuters", "ORG")]
    assert all(isinstance(e, Span) for e in combined.ents)


def test_an_unknown_mode_is_refused(nlp: Any) -> None:
    assert set(MODES) == {"agree", "fill", "both"}
    with pytest.raises(ValueError, match="one of agree, fill, both"):
        combine(_doc(nlp, []), _doc(nlp, []), "vote")
