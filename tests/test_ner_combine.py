"""index.ner_agree (bench.ner_combine runs it): a second NER's organizations used for precision (agree) or recall (fill)."""

from __future__ import annotations

from typing import Any

import pytest
import spacy
from spacy.tokens import Span

from index.ner_agree import MODES, combine

TEXT = (
    "Shares of Acme Corp rose in Paris after the Gizmo Board met Reuters on Monday; "
    "Acme said Nagano was next"
)


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


def test_agree_gives_a_dropped_span_the_second_ners_label_on_the_same_extent(nlp: Any) -> None:
    stock = _doc(nlp, [("Nagano", "ORG"), ("Reuters", "ORG")])
    other = _doc(nlp, [("Nagano", "GPE"), ("Reuters on", "PERSON")])
    assert _ents(combine(stock, other, "agree")) == [("Nagano", "GPE")]


def test_agree_keeps_a_name_that_opens_an_agreed_org_in_the_same_article(nlp: Any) -> None:
    """One sense per article: "Acme" after "Acme Corp", which both call ORG, stays ORG even
    where the second NER calls it a place."""
    text_acme = TEXT.index("Acme said")
    stock = _doc(nlp, [("Acme Corp", "ORG")])
    acme = stock.char_span(text_acme, text_acme + 4, label="ORG")
    stock.ents = [*stock.ents, acme]
    other = _doc(nlp, [("Acme Corp", "ORG")])
    other.ents = [*other.ents, other.char_span(text_acme, text_acme + 4, label="GPE")]
    assert _ents(combine(stock, other, "agree")) == [("Acme Corp", "ORG"), ("Acme", "ORG")]


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
