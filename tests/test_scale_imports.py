"""The scale extra stays optional: an ordinary `newsdex index` and a one-shot `newsdex search`
import neither Dask nor opensearch-py, read from `python -X importtime` (every module a process
imports, with its cost), so the base install works without them and starts as fast as before."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from index.config import seeds_dir

SCALE = ("dask", "distributed", "opensearchpy", "opensearch_protobufs")
_IMPORTED = re.compile(r"^import time:\s+\d+ \|\s+\d+ \|\s*(\S+)$", re.MULTILINE)


def _imported(*args: str) -> set[str]:
    """The top-level packages a `newsdex ARGS` process imports."""
    newsdex = Path(sys.executable).with_name("newsdex")
    result = subprocess.run(
        [sys.executable, "-X", "importtime", str(newsdex), *args],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    modules = {name.split(".")[0] for name in _IMPORTED.findall(result.stderr)}
    assert "whoosh" in modules  # the parse saw the run's imports
    return modules


@pytest.fixture(scope="module")
def seed_copy(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, set[str]]:
    """An index built by a plain `newsdex index` run, and what that run imported."""
    index = tmp_path_factory.mktemp("imports") / "idx"
    return index, _imported("index", str(seeds_dir()), "--index", str(index))


def test_plain_index_run_imports_no_scale_library(seed_copy: tuple[Path, set[str]]) -> None:
    _, modules = seed_copy
    assert "spacy" in modules  # it did extract
    assert modules.isdisjoint(SCALE), modules & set(SCALE)


def test_one_shot_search_imports_no_scale_library(seed_copy: tuple[Path, set[str]]) -> None:
    index, _ = seed_copy
    modules = _imported("search", "place:Aleppo", "--index", str(index), "--format", "ids")
    assert modules.isdisjoint({*SCALE, "spacy"}), modules & {*SCALE, "spacy"}
