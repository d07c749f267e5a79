"""Shared fixtures: tiny real indexes built in temporary folders with the real pipeline."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from index.config import seeds_dir
from index.pipeline import Summary, run

SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
# bench/ is not part of the installed package: its smoke tests import it from the checkout.
# Appended, not prepended, so that `index` and `search` still come from the installation.
sys.path.append(str(Path(__file__).resolve().parents[1]))


def shared_data(relative: str) -> Path:
    """A path under ../shared/data, or a skip with the reason when the data is absent."""
    path = SHARED_DATA / relative
    if not path.exists():
        pytest.skip(f"evaluation data not found at {path} (see ../shared/data/README.md)")
    return path


@pytest.fixture(autouse=True)
def _isolated_user_dirs(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Never read or write the real user's config, history or default index."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / "cache"))
    monkeypatch.delenv("NEWSDEX_INDEX", raising=False)
    monkeypatch.delenv("NEWSDEX_CONFIG", raising=False)
    monkeypatch.delenv(
        "NEWSDEX_OPENSEARCH", raising=False
    )  # tests/test_opensearch_live.py reads it
    monkeypatch.delenv("NEWSDEX_CLUSTER", raising=False)
    monkeypatch.delenv("NO_COLOR", raising=False)


@pytest.fixture(scope="session")
def seed_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled seeds/ corpus, indexed once per test session."""
    directory = tmp_path_factory.mktemp("seed-index")
    summary = run([seeds_dir()], directory, workers=1)
    assert summary.articles >= 1, summary.line()
    return directory


Articles = list[dict[str, str]]


@pytest.fixture
def build_index(tmp_path: Path) -> Callable[..., tuple[Path, Summary]]:
    """Write inline articles as JSONL (or as named files) and index them with the real pipeline."""

    def build(
        articles: Articles | None = None, files: dict[str, str] | None = None
    ) -> tuple[Path, Summary]:
        corpus = tmp_path / "corpus"
        corpus.mkdir(exist_ok=True)
        if articles is not None:
            lines = "\n".join(json.dumps(a) for a in articles)
            (corpus / "articles.jsonl").write_text(lines + "\n", encoding="utf-8")
        for name, text in (files or {}).items():
            path = corpus / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        directory = tmp_path / "idx"
        return directory, run([corpus], directory, workers=1)

    return build
