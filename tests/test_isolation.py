"""The test session never reads or writes the real user's config, cache, history or index.

Session fixtures (the seed index) run before any per-test fixture, so conftest.py sets the
isolation up in an autouse session fixture as well as per test; these tests prove it.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from index.config import config_file, default_index_dir, history_file, user_cache_dir

ROOT = Path(__file__).resolve().parent.parent


def test_every_user_path_is_inside_a_temporary_home(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    base = tmp_path_factory.getbasetemp()
    for path in (config_file(), default_index_dir(), history_file(), user_cache_dir()):
        assert base in path.parents, path


@pytest.mark.slow  # a second pytest process: spaCy loads and the seed is indexed again (~10 s)
def test_a_session_fixture_alone_leaves_the_real_home_untouched(tmp_path: Path) -> None:
    """Run one seed-index test on its own, as a user would, with HOME pointing at an empty
    folder and no XDG_* or NEWSDEX_* variables: nothing of newsdex may appear in that home."""
    home = tmp_path / "home"
    home.mkdir()
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("XDG_", "NEWSDEX_", "PYTEST_"))
    }
    env["HOME"] = str(home)
    # -P: import index and search as installed, not from the working folder.
    command = [sys.executable, "-P", "-m", "pytest", "-q", "-p", "no:cacheprovider"]
    command += ["--basetemp", str(tmp_path / "inner"), "tests/test_snippets.py"]
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    assert sorted(str(p.relative_to(home)) for p in home.rglob("*")) == []
