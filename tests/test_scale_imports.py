"""The scale extra stays optional: an ordinary `newsdex index` and a one-shot `newsdex search`
import neither Dask nor opensearch-py, read from `python -X importtime` (every module a process
imports, with its cost), so the base install works without them and starts as fast as before."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from index.config import seeds_dir

SCALE = ("dask", "distributed", "opensearchpy", "opensearch_protobufs")
_IMPORTED = re.compile(r"^import time:\s+\d+ \|\s+\d+ \|\s*(\S+)$", re.MULTILINE)


def _imported(home: Path, *args: str) -> set[str]:
    """The top-level packages a `newsdex ARGS` process imports (user dirs under `home`)."""
    newsdex = Path(sys.executable).with_name("newsdex")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NEWSDEX_", "XDG_"))}
    env.update({f"XDG_{d}_HOME": str(home / d.lower()) for d in ("DATA", "CONFIG", "CACHE")})
    result = subprocess.run(
        [sys.executable, "-X", "importtime", str(newsdex), *args],
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    modules = {name.split(".")[0] for name in _IMPORTED.findall(result.stderr)}
    assert "whoosh" in modules  # the parse saw the run's imports
    return modules


@pytest.fixture(scope="module")
def seed_copy(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, set[str]]:
    """An index built by a plain `newsdex index` run, and what that run imported."""
    home = tmp_path_factory.mktemp("imports")
    index = home / "idx"
    return index, _imported(home, "index", str(seeds_dir()), "--index", str(index), "--no-cache")


def test_plain_index_run_imports_no_scale_library(seed_copy: tuple[Path, set[str]]) -> None:
    _, modules = seed_copy
    assert "spacy" in modules  # it did extract
    assert modules.isdisjoint(SCALE), modules & set(SCALE)


def test_one_shot_search_imports_no_scale_library(seed_copy: tuple[Path, set[str]]) -> None:
    index, _ = seed_copy
    args = ("search", "place:Aleppo", "--index", str(index), "--format", "ids")
    modules = _imported(index.parent, *args)
    assert modules.isdisjoint({*SCALE, "spacy"}), modules & {*SCALE, "spacy"}
