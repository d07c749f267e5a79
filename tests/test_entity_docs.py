"""Every figure in the entity docs comes from a file that bench/ wrote (issue 15)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCS = ("docs/entities.md", "docs/extraction.md")
# F1, precision and deltas: 0.906, +0.004, -0.003.
_FIGURE = re.compile(r"(?<![\w.])[+-]?0\.\d{3}(?!\d)")


def _results_text() -> str:
    files = sorted((ROOT / "bench" / "results").glob("*.md"))
    return "\n".join(path.read_text(encoding="utf-8") for path in files)


@pytest.mark.parametrize("doc", DOCS)
def test_every_figure_in_the_entity_docs_is_in_a_result_file(doc: str) -> None:
    results = _results_text()
    figures = _FIGURE.findall((ROOT / doc).read_text(encoding="utf-8"))
    # A delta may be written as a rule's row (x1000) or as a signed table cell.
    missing = [
        f
        for f in figures
        if f.lstrip("+-") not in results and f"{round(1000 * float(f)):+d} |" not in results
    ]
    assert not missing, f"{doc}: figures with no bench/results source: {missing}"
