"""The one door to Whoosh's internals (index/whoosh_door.py): nothing else reaches them, and what
it reads the private way equals what Whoosh's public API gives, on a real multi-block index."""

from __future__ import annotations

import ast
import random
from pathlib import Path

import pytest
from whoosh import fields, formats, index
from whoosh.searching import Searcher

from index import whoosh_door as door
from search import ranking

ROOT = Path(__file__).resolve().parent.parent
# Whoosh modules whose names are its internals: imported by the door alone.
INTERNAL_MODULES = ("whoosh.codec", "whoosh.filedb")
INTERNAL_NAMES = {"TOC", "FilterMatcher", "W3LeafMatcher", "WeightLengthScorer", "FileStorage"}
WORDS = ["floods", "aid", "minister", "said", "port", "prime", "year"]


def _own_private_names(sources: list[Path]) -> set[str]:
    """Private names newsdex itself defines (functions, methods, attributes set on self)."""
    names = set()
    for path in sources:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.ClassDef) and node.name.startswith("_"):
                names.add(node.name)
            if isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store):
                names.add(node.attr)
    return names


def _private_uses(path: Path, own: set[str]) -> list[str]:
    """`obj._name` of a name newsdex does not define, and imports of Whoosh's internals."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        private = isinstance(node, ast.Attribute) and node.attr.startswith("_")
        if private and not node.attr.startswith("__") and node.attr not in own:  # type: ignore[attr-defined]
            found.append(f"{path.name}:{node.lineno} {ast.unparse(node)}")
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("whoosh"):
            names = {alias.name for alias in node.names}
            if (node.module or "").startswith(INTERNAL_MODULES) or names & INTERNAL_NAMES:
                found.append(f"{path.name}:{node.lineno} from {node.module} import {names}")
    return found


def test_no_module_but_the_door_reaches_into_whoosh() -> None:
    sources = [p for d in ("index", "search", "bench", "scripts") for p in (ROOT / d).rglob("*.py")]
    others = [p for p in sources if p.name != "whoosh_door.py"]
    assert len(others) > 30
    own = _own_private_names(others)
    assert {"_read_data", "_score", "_exclude"}.isdisjoint(own)  # Whoosh's, used by the door
    assert [use for p in others for use in _private_uses(p, own)] == []


@pytest.fixture(scope="module")
def door_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two segments of 500 articles from a small vocabulary (posting lists of several 128-posting
    blocks), some deleted, weighted as newsdex weighs."""
    directory = tmp_path_factory.mktemp("door-index")
    schema = fields.Schema(id=fields.ID(stored=True, unique=True), body=fields.TEXT)
    ix = index.create_in(str(directory), schema)
    rng = random.Random(16)
    for segment in range(2):
        writer = ix.writer()
        for n in range(500):
            writer.add_document(id=f"{segment}-{n}", body=" ".join(rng.choices(WORDS, k=40)))
        writer.commit(merge=False)
    writer = ix.writer()
    for n in range(0, 500, 9):
        writer.delete_by_term("id", f"0-{n}")
    writer.commit(merge=False)
    return directory


@pytest.fixture(scope="module")
def searcher(door_index: Path) -> Searcher:
    return index.open_dir(str(door_index)).searcher(weighting=ranking.weighting())


def _public(matcher: object) -> list[tuple[int, float, bytes]]:
    out = []
    while matcher.is_active():  # type: ignore[attr-defined]
        out.append((matcher.id(), matcher.weight(), matcher.value()))  # type: ignore[attr-defined]
        matcher.next()  # type: ignore[attr-defined]
    return out


@pytest.mark.parametrize("word", WORDS[:4])
def test_postings_read_by_block_equal_whoosh_walking_them(searcher: Searcher, word: str) -> None:
    btext = word.encode()
    blocks = 0
    for leaf, _ in searcher.leaf_searchers():
        reader = leaf.reader()
        matcher, deleted = door.without_deletions(reader.postings("body", btext))
        ids, weights, values = door.read_postings(matcher, values=True)
        kept = [(i, w, v) for i, w, v in zip(ids, weights, values, strict=True) if i not in deleted]
        assert kept == _public(reader.postings("body", btext))
        blocks += len(ids) > 128
        decoded = formats.Positions(None).decode_positions
        for value in values[:50]:
            assert list(door.positions(value)) == decoded(value)
            assert list(door.positions(value, shift=3)) == [p - 3 for p in decoded(value)]
    assert blocks  # the block reader was exercised, not only the one-by-one fallback


def test_length_score_equals_the_scorer_on_a_matcher(searcher: Searcher) -> None:
    leaf = searcher.leaf_searchers()[0][0]
    scorer = searcher.weighting.scorer(leaf, "body", b"floods")
    score = door.length_score(scorer)
    assert score is not None
    matcher = leaf.reader().postings("body", b"floods", scorer=scorer)
    while matcher.is_active():
        length = leaf.doc_field_length(matcher.id(), "body", 1)
        assert score(matcher.weight(), length) == pytest.approx(matcher.score())
        matcher.next()


def test_committed_count_from_the_toc_equals_the_index(
    door_index: Path, searcher: Searcher
) -> None:
    directory = door_index
    assert door.committed_doc_count(directory) == searcher.doc_count() == 1000 - 56
    assert door.generation(directory) == index.open_dir(str(directory)).latest_generation()
