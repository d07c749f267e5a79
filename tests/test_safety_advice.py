"""Every fix an error message advises works: run the command it names, then the command that
failed succeeds (issue 13: `--rebuild` was advised where it then failed)."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bench import torture
from index.meta import IndexMeta
from search.cli import app
from tests.conftest import duplicate_one_article

runner = CliRunner()
ADVICE = re.compile(r"(?:Create one|Rebuild it|Repair it) with: newsdex ([^(\n]+?)\s*(?:\(|$)")
ARTICLES = [
    {"id": f"a{i}", "title": f"Floods {i}", "body": f"Floods in Dhaka displaced {i} people."}
    for i in range(5)
]


def invoke(*args: str | Path) -> object:
    return runner.invoke(app, [str(a) for a in args])


def follow_advice(failed: list[str | Path], corpus: Path, code: int) -> None:
    """Run `failed` (exit `code`), then the one command its message advises (PATH: `corpus`),
    then `failed` again, which now succeeds."""
    first = invoke(*failed)
    assert first.exit_code == code, first.output
    advice = ADVICE.findall(first.stderr)
    assert len(advice) == 1, first.stderr
    fix = invoke(*[str(corpus) if a == "PATH" else a for a in advice[0].split()])
    assert fix.exit_code == 0, fix.output
    again = invoke(*failed)
    assert again.exit_code == 0, again.output


def test_missing_index_advice_creates_it(build_index: Callable, tmp_path: Path) -> None:
    build_index(ARTICLES)
    follow_advice(["search", "dhaka", "--index", tmp_path / "new"], tmp_path / "corpus", 4)


def test_other_version_advice_rebuilds(build_index: Callable, tmp_path: Path) -> None:
    directory, _ = build_index(ARTICLES)
    meta = IndexMeta.load(directory)
    meta.schema_version = -1  # as an older newsdex wrote it
    meta.save(directory)
    follow_advice(["index", "--index", directory], tmp_path / "corpus", 2)
    assert IndexMeta.load(directory).schema_version != -1


@pytest.mark.parametrize("kind", ["deleted TOC", "flipped byte in segment", "garbage segment"])
def test_damage_advice_rebuilds(build_index: Callable, tmp_path: Path, kind: str) -> None:
    directory, _ = build_index(ARTICLES)
    torture.DAMAGE[kind](directory)
    follow_advice(["check", "--index", directory], tmp_path / "corpus", 4)
    result = invoke("search", "dhaka", "--index", directory, "--format", "ids")
    assert len(result.stdout.split()) == 5


def test_duplicate_ids_advice_repairs(build_index: Callable, tmp_path: Path) -> None:
    directory, _ = build_index(ARTICLES)
    duplicate_one_article(directory)
    follow_advice(["check", "--index", directory], tmp_path / "corpus", 4)
