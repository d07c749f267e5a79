"""Shared fixtures: tiny real indexes built in temporary folders with the real pipeline."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from index.config import seeds_dir
from index.pipeline import Summary, run

SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
# bench/ is not part of the installed package: its smoke tests import it from the checkout.
# Appended, not prepended, so that `index` and `search` still come from the installation.
sys.path.append(str(Path(__file__).resolve().parents[1]))


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--network", action="store_true", help="also run the tests marked network (they fetch)"
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """No network in the default run: tests marked `network` skip, with the way to opt in."""
    if config.getoption("--network"):
        return
    skip = pytest.mark.skip(reason="reaches the network: run pytest with --network to include it")
    for item in items:
        if "network" in item.keywords:
            item.add_marker(skip)


def shared_data(relative: str) -> Path:
    """A path under ../shared/data, or a skip with the reason when the data is absent."""
    path = SHARED_DATA / relative
    if not path.exists():
        pytest.skip(f"evaluation data not found at {path} (see ../shared/data/README.md)")
    return path


def _isolate(monkeypatch: pytest.MonkeyPatch, home: Path) -> None:
    """Point every user folder (config, cache, history, default index) inside `home`."""
    monkeypatch.setenv("HOME", str(home))
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


@pytest.fixture(scope="session", autouse=True)
def _isolated_session_dirs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Session fixtures (the seed index) run before any per-test fixture: an autouse session
    fixture is set up first, so the whole session already runs in a temporary home."""
    with pytest.MonkeyPatch.context() as monkeypatch:
        _isolate(monkeypatch, tmp_path_factory.mktemp("session-home"))
        yield


@pytest.fixture(autouse=True)
def _isolated_user_dirs(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each test gets a fresh home of its own, so a config one test writes is not seen by another."""
    _isolate(monkeypatch, tmp_path_factory.mktemp("home"))


@pytest.fixture(scope="session")
def seed_index(_isolated_session_dirs: None, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled seeds/ corpus, indexed once per test session."""
    directory = tmp_path_factory.mktemp("seed-index")
    summary = run([seeds_dir()], directory, workers=1)
    assert summary.articles >= 1, summary
    return directory


def index_with_seed(
    factory: pytest.TempPathFactory, name: str, files: dict[str, str]
) -> tuple[Path, Summary]:
    """The seed article and `files` (file name -> text), indexed with the real pipeline into a
    folder of its own: a module's shared index."""
    corpus = factory.mktemp(f"{name}-corpus")
    for file_name, text in files.items():
        (corpus / file_name).write_text(text, encoding="utf-8")
    directory = factory.mktemp(f"{name}-index")
    return directory, run([seeds_dir(), corpus], directory, workers=1)


def run_session(state: Any, *keys: str) -> str:
    """The shell's loop on `keys` through a pipe input, sent a moment apart as a person types
    (search mode needs it); what it printed."""
    import io
    import threading
    import time

    from prompt_toolkit.application import create_app_session
    from prompt_toolkit.input import create_pipe_input
    from prompt_toolkit.output import DummyOutput

    from search.repl.app import make_shell

    out = io.StringIO()
    with create_pipe_input() as pipe, create_app_session(input=pipe, output=DummyOutput()):

        def typist() -> None:
            for chunk in keys:
                time.sleep(0.1)
                pipe.send_text(chunk)

        threading.Thread(target=typist, daemon=True).start()
        make_shell(state).run(out)
    return out.getvalue()


Articles = list[dict[str, str]]


def duplicate_one_article(directory: Path) -> None:
    """Add a second copy of the index's first article, as two unlocked writers used to make."""
    from whoosh import index as windex

    ix = windex.open_dir(str(directory))
    with ix.searcher() as searcher:
        stored = dict(next(iter(searcher.documents())))
    writer = ix.writer()
    writer.add_document(**{k: v for k, v in stored.items() if k in ix.schema.names()})
    writer.commit()


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


def older_index(directory: Path, without: tuple[str, ...], version: int) -> Path:
    """An index as an older newsdex wrote it: its schema without the fields `without` (added
    since), its metadata at schema `version`, one article (Tony Blair in Basra)."""
    from whoosh import fields
    from whoosh import index as windex

    from index import schema as S
    from index.meta import IndexMeta

    new = S.build_schema()
    directory.mkdir()
    old = fields.Schema(**{name: new[name] for name in new.names() if name not in without})
    with windex.create_in(str(directory), old).writer() as writer:
        writer.add_document(id="a1", title="Blair in Iraq", body="Tony Blair visited Basra.")
    meta = IndexMeta.load(directory)
    meta.schema_version = version
    meta.save(directory)
    return directory


def interruptible() -> None:
    """preexec_fn for a child a test interrupts: Ctrl-C handled as a terminal would, even when
    pytest itself was started in the background by a non-interactive shell, which leaves SIGINT
    ignored (inherited through exec; Python then installs no KeyboardInterrupt handler)."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_DFL)


def words_index(directory: Path) -> Any:
    """An empty Whoosh index of id, title (boosted twice, as newsdex's), body and newsdex's own
    numeric field: for differential tests of the fast matchers against Whoosh's own."""
    from whoosh import fields, index

    from index.schema import number_field

    schema = fields.Schema(
        id=fields.ID(stored=True, unique=True),
        title=fields.TEXT(field_boost=2.0),
        body=fields.TEXT,
        number=number_field(),  # several values per article
    )
    return index.create_in(str(directory), schema)
