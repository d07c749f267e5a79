"""A one-shot keyword search starts light: what only questions (RM3 feedback), counted-noun
queries (index.counted and the extraction's unit and number rules behind it), a query that finds
little (did you mean) and OpenSearch need is imported when such a query comes, not before every
answer (see bench/cold.py)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

QUESTION_ONLY = frozenset({"search.feedback"})
COUNTED_ONLY = frozenset({"index.counted", "index.units", "index.model", "index.number_rules"})
OPENSEARCH_ONLY = frozenset({"search.opensearch.search"})
FEW_HITS_ONLY = frozenset({"search.didyoumean"})
LAZY = QUESTION_ONLY | COUNTED_ONLY | OPENSEARCH_ONLY | FEW_HITS_ONLY | {"spacy"}

# Prints, at exit, which of the modules named in argv[1] the newsdex run after it imported.
_WATCH = (
    "import atexit, sys\n"
    "watched = sys.argv.pop(1).split(',')\n"
    "atexit.register(lambda: print('imported:', ','.join(m for m in watched if m in sys.modules)))\n"
    "sys.argv[0] = 'newsdex'\n"
    "from search.cli import main\n"
    "main()\n"
)


def _imported(index: Path, query: str, found: bool = True) -> set[str]:
    """Which LAZY modules `newsdex search QUERY --format ids` imports (finding the seed, or
    finding nothing when not `found`)."""
    args = ["search", "--index", str(index), query, "--format", "ids"]
    done = subprocess.run(
        [sys.executable, "-c", _WATCH, ",".join(sorted(LAZY)), *args],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == (0 if found else 1), done.stderr
    last = done.stdout.strip().splitlines()[-1]
    assert last.startswith("imported:"), done.stdout
    return {m for m in last.removeprefix("imported:").strip().split(",") if m}


@pytest.mark.parametrize("query", ["Aleppo", "place:Aleppo org:UN", '"Deir al-Zor"'])
def test_keyword_search_imports_none_of_the_lazy_modules(seed_index: Path, query: str) -> None:
    assert _imported(seed_index, query) == set()


def test_a_question_imports_feedback_only(seed_index: Path) -> None:
    imported = _imported(seed_index, "what did the United Nations drop over Deir al-Zor")
    assert imported == QUESTION_ONLY  # the watch sees imports: the test above is not vacuous


def test_a_counted_noun_query_imports_the_counted_terms(seed_index: Path) -> None:
    imported = _imported(seed_index, "civilians:>100")
    assert imported >= COUNTED_ONLY and not imported & QUESTION_ONLY
    assert "spacy" not in imported


def test_a_query_that_finds_nothing_imports_did_you_mean(seed_index: Path) -> None:
    assert _imported(seed_index, "Alepo", found=False) == FEW_HITS_ONLY
