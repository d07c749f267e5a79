"""`newsdex opensearch push --dry-run`: the bulk body of a real index, checked against the mapping
(dynamic: strict would reject any field or type it does not declare)."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from index import schema as S
from index.mapping import mapping
from search.cli import app

PROPERTIES = mapping()["mappings"]["properties"]


def _bulk(path: Path) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    lines = path.read_text(encoding="utf-8").splitlines()
    assert len(lines) % 2 == 0
    parsed = [json.loads(line) for line in lines]
    return list(zip(parsed[::2], parsed[1::2], strict=True))


def _conforms(name: str, value: Any) -> bool:
    kind = PROPERTIES[name]["type"]
    if kind == "double":
        return isinstance(value, list) and all(isinstance(v, float) for v in value)
    if kind == "date":
        return isinstance(datetime.fromisoformat(value), datetime)
    if kind == "object":
        return isinstance(value, dict)
    if name in (*S.ENTITY_FIELDS, S.WITHIN, S.ORG_ALIAS, S.SECTION):
        return isinstance(value, list) and all(isinstance(v, str) and v for v in value)
    return isinstance(value, str)


def _push(index: Path, out: Path, *extra: str) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    args = ["opensearch", "push", "--index", str(index), "--dry-run", str(out), *extra]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    assert f"to {out}" in result.output
    return _bulk(out)


def test_dry_run_bulk_body(seed_index: Path, tmp_path: Path) -> None:
    bulk = _push(seed_index, tmp_path / "bulk.ndjson", "--name", "news")
    exported = CliRunner().invoke(app, ["export", "--index", str(seed_index), "--format", "ids"])
    ids = exported.output.split()
    assert [head["index"]["_id"] for head, _ in bulk] == ids  # _id is newsdex's id
    for head, source in bulk:
        assert head["index"]["_index"] == "news"
        assert set(source) <= set(PROPERTIES)
        for name, value in source.items():
            assert _conforms(name, value), (name, value)
    seed = next(source for _, source in bulk if "Khanaser" in source[S.BODY])
    assert "Aleppo" in seed[S.PLACE] and "Syria" in seed[S.COUNTRY]
    assert 470000.0 in seed[S.NUMBER] and 21.0 in seed["ton"]
    assert "Back to top" not in seed[S.BODY]


def test_dry_run_is_repeatable(seed_index: Path, tmp_path: Path) -> None:
    """A re-push sends the same ids and sources: OpenSearch overwrites, nothing is duplicated."""
    first = _push(seed_index, tmp_path / "a.ndjson")
    second = _push(seed_index, tmp_path / "b.ndjson")
    assert first == second
    assert len({head["index"]["_id"] for head, _ in first}) == len(first)


def test_push_needs_url_or_dry_run(seed_index: Path) -> None:
    result = CliRunner().invoke(app, ["opensearch", "push", "--index", str(seed_index)])
    assert result.exit_code == 2
    assert "--url" in result.output and "Traceback" not in result.output


def test_push_without_index(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere"
    args = ["opensearch", "push", "--index", str(missing), "--dry-run", str(tmp_path / "x")]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 4 and "newsdex index" in result.output
