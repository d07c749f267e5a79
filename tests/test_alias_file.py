"""An index's own alias file, beside its folder (./idx.aliases.toml): read after the config file,
so it wins; checked by `newsdex aliases` and `newsdex index`; seen by extraction workers; part of
the extraction cache key."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from index import pipeline
from index.cache import extraction_fingerprint
from index.orgs import index_alias_file, load_aliases, read_alias_files
from index.pipeline import Summary, run
from search.cli import app
from search.engine import Engine, SearchOptions
from search.indexing import user_settings

runner = CliRunner()
SNHR = '[aliases]\n"Syrian Network for Human Rights" = ["SNHR"]\n'
ARTICLES = [
    {"title": "Deaths counted in Idlib", "body": "The SNHR counted the dead in Idlib on Monday."},
    {"title": "A report on Aleppo", "body": "The SNHR published a report on Aleppo on Friday."},
]
Build = Callable[..., tuple[Path, Summary]]


def organizations(index_dir: Path, query: str = "*") -> set[str]:
    with Engine(index_dir) as engine:
        results = engine.search(query, SearchOptions(limit=10, suggest=False))
        return {org for hit in results.hits for org in hit.document.organizations}


def reindex(index_dir: Path, **options: object) -> Summary:
    corpus = index_dir.parent / "corpus"
    settings = user_settings(index_dir)  # the config file and the index's own file, as the CLI
    return run([corpus], index_dir, rebuild=True, workers=1, settings=settings, **options)  # type: ignore[arg-type]


def test_the_index_alias_file_names_organizations(build_index: Build) -> None:
    index_dir, _ = build_index(ARTICLES)
    assert "Syrian Network for Human Rights" not in organizations(index_dir)
    index_alias_file(index_dir).write_text(SNHR, encoding="utf-8")
    reindex(index_dir)
    assert "Syrian Network for Human Rights" in organizations(index_dir)
    assert organizations(index_dir, "org:SNHR") == {"Syrian Network for Human Rights"}
    assert index_alias_file(index_dir) == index_dir.parent / "idx.aliases.toml"


def test_extraction_workers_see_the_index_alias_file(
    build_index: Build, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Forkserver workers share nothing with the parent: the file must travel with the work."""
    index_dir, _ = build_index(ARTICLES)
    index_alias_file(index_dir).write_text(SNHR, encoding="utf-8")
    monkeypatch.setattr(pipeline, "POOL_MIN_ARTICLES", 1)  # a pool even for two articles
    monkeypatch.setattr(pipeline, "BATCH_ARTICLES", 1)  # one article per worker task
    corpus = index_dir.parent / "corpus"
    summary = run([corpus], index_dir, rebuild=True, workers=2, settings=user_settings(index_dir))
    assert summary.articles == 2, summary
    assert organizations(index_dir, "org:SNHR") == {"Syrian Network for Human Rights"}
    with Engine(index_dir) as engine:
        assert engine.search("org:SNHR", SearchOptions(suggest=False)).total == 2


def test_the_index_file_wins_over_the_config_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "config.toml"
    config.write_text(
        '[aliases]\n"Acme Corporation" = ["ACME"]\n"Widget Works" = ["WW"]\n\n'
        '[parents]\n"Widget Works" = ["Acme Corporation"]\n',
        encoding="utf-8",
    )
    monkeypatch.setenv("NEWSDEX_CONFIG", str(config))
    index_dir = tmp_path / "idx"
    index_dir.mkdir()
    index_alias_file(index_dir).write_text(
        '[aliases]\n"Acme Holdings" = ["ACME"]\n\n[parents]\n"Widget Works" = ["Acme Holdings"]\n',
        encoding="utf-8",
    )
    files = read_alias_files(index_dir)
    assert [f.path for f in files] == [config, index_alias_file(index_dir)]
    table = load_aliases(files)
    assert table.canonical("ACME") == "Acme Holdings"  # the index's file is read last
    assert table.canonical("WW") == "Widget Works"  # what only the config file says stays
    assert table.parents("Widget Works") == ("Acme Holdings",)
    assert table.canonical("UN") == "United Nations"  # and the built-in table under both
    assert load_aliases(read_alias_files(None)).canonical("ACME") == "Acme Corporation"


def test_aliases_command_lists_both_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = tmp_path / "config.toml"
    config.write_text('[aliases]\n"Acme Corporation" = ["ACME"]\n', encoding="utf-8")
    monkeypatch.setenv("NEWSDEX_CONFIG", str(config))
    index_dir = tmp_path / "idx"
    index_dir.mkdir()
    index_alias_file(index_dir).write_text(SNHR, encoding="utf-8")
    result = runner.invoke(app, ["aliases", "--index", str(index_dir), "--format", "json"])
    assert result.exit_code == 0, result.output
    listed = {row["name"]: row["aliases"] for row in json.loads(result.stdout)}
    assert listed["Syrian Network for Human Rights"] == ["SNHR"]
    assert listed["Acme Corporation"] == ["ACME"]
    table = runner.invoke(app, ["aliases", "--index", str(index_dir)], env={"COLUMNS": "400"})
    assert table.exit_code == 0, table.output
    assert f"{config}, {index_alias_file(index_dir)}" in table.stdout


def test_aliases_command_says_where_it_looked(tmp_path: Path) -> None:
    index_dir = tmp_path / "idx"
    result = runner.invoke(app, ["aliases", "--index", str(index_dir)], env={"COLUMNS": "400"})
    assert result.exit_code == 0, result.output
    assert "none; looked for " in result.stdout
    assert f"config.toml or {tmp_path / 'idx.aliases.toml'}" in result.stdout
    assert "United Nations" in result.stdout


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[aliases\n", "line 1: Expected ']' at the end of a table declaration; write it as"),
        ('[aliases]\n"ACME Corp" = "ACME"\n', "line 2: the value of 'ACME Corp' must be a list"),
        ('[alias]\n"ACME Corp" = ["ACME"]\n', "line 1: unknown section [alias]; did you mean"),
    ],
)
def test_an_invalid_index_file_is_one_clear_error(
    build_index: Build, text: str, message: str
) -> None:
    index_dir, _ = build_index(ARTICLES)
    path = index_alias_file(index_dir)
    path.write_text(text, encoding="utf-8")
    corpus = str(index_dir.parent / "corpus")
    for args in (
        ["aliases", "--index", str(index_dir)],
        ["index", corpus, "--index", str(index_dir)],
    ):
        result = runner.invoke(app, args)
        assert result.exit_code == 2, result.output
        assert result.stderr.startswith(f"Error: Alias file {path}, {message}"), result.stderr
        assert len(result.stderr.strip().splitlines()) == 1
        assert "Traceback" not in result.output


def test_an_unreadable_index_file_names_the_path(tmp_path: Path) -> None:
    index_dir = tmp_path / "idx"
    index_dir.mkdir()
    index_alias_file(index_dir).write_bytes(b"\xff\xfe[aliases]")
    result = runner.invoke(app, ["aliases", "--index", str(index_dir)])
    assert result.exit_code == 2, result.output
    assert f"Alias file {index_alias_file(index_dir)} cannot be read" in result.stderr


def test_the_cache_key_follows_the_index_file(tmp_path: Path) -> None:
    index_dir = tmp_path / "idx"
    index_dir.mkdir()
    bare = extraction_fingerprint(*read_alias_files(index_dir))
    path = index_alias_file(index_dir)
    path.write_text(SNHR, encoding="utf-8")
    first = extraction_fingerprint(*read_alias_files(index_dir))
    path.write_text(SNHR.replace("SNHR", "SN4HR"), encoding="utf-8")
    second = extraction_fingerprint(*read_alias_files(index_dir))  # no cache_clear needed
    assert len({bare, first, second}) == 3
    path.write_text(SNHR, encoding="utf-8")
    assert extraction_fingerprint(*read_alias_files(index_dir)) == first


def test_an_edited_index_file_misses_the_extraction_cache(build_index: Build) -> None:
    index_dir, _ = build_index(ARTICLES)
    reindex(index_dir)  # as the CLI runs it: fills the user's extraction cache
    assert reindex(index_dir).cached == 2  # unchanged tables: every article from the cache
    index_alias_file(index_dir).write_text(SNHR, encoding="utf-8")
    assert reindex(index_dir).cached == 0  # the alias file changed: extracted again
    assert organizations(index_dir, "org:SNHR") == {"Syrian Network for Human Rights"}
    edited = SNHR.replace("Syrian Network for Human Rights", "Syrian Human Rights Network")
    index_alias_file(index_dir).write_text(edited, encoding="utf-8")
    assert reindex(index_dir).cached == 0  # same process: the edited text is used, not a memo
    assert organizations(index_dir, "org:SNHR") == {"Syrian Human Rights Network"}
