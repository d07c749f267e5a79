"""`newsdex opensearch push --dry-run`: the bulk body of a real index, checked against the mapping
(dynamic: strict would reject any field or type it does not declare)."""

from __future__ import annotations

import http.server
import json
import threading
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
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
    if name in (
        *S.ENTITY_FIELDS,
        S.WITHIN,
        S.ORG_ALIAS,
        S.ORG_KIND,
        S.PERSON_ALIAS,
        S.SECTION,
        S.COUNTED,
    ):
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


class _Stub(http.server.BaseHTTPRequestHandler):
    """The part of OpenSearch's REST API `push` speaks, kept in memory. No OpenSearch can run
    here (tests/test_opensearch_live.py runs the real one); this checks the protocol newsdex
    drives: create with settings, bulk with a 429 retried and a rejected article, settings
    restored, the alias swapped in one request, earlier loads deleted."""

    state: dict[str, Any]

    def log_message(self, *args: Any) -> None:  # quiet
        pass

    def _reply(self, status: int, body: Any = None) -> None:
        data = b"" if body is None else json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def _body(self) -> bytes:
        return self.rfile.read(int(self.headers.get("Content-Length") or 0))

    def do_HEAD(self) -> None:
        parts = self.path.split("?")[0].strip("/").split("/")
        st = self.state
        found = parts[1] in st["aliases"] if parts[0] == "_alias" else parts[0] in st["indices"]
        self._reply(200 if found else 404)

    def do_GET(self) -> None:
        alias = self.path.split("?")[0].strip("/").split("/")[1]
        holders = sorted(self.state["aliases"].get(alias, ()))
        self._reply(200, {name: {"aliases": {alias: {}}} for name in holders})

    def do_PUT(self) -> None:
        parts, body = self.path.split("?")[0].strip("/").split("/"), json.loads(self._body())
        if len(parts) == 1:
            self.state["indices"][parts[0]] = {"create": body, "docs": {}, "settings": []}
            self._reply(200, {"acknowledged": True, "index": parts[0]})
        else:
            self.state["indices"][parts[0]]["settings"].append(body)
            self._reply(200, {"acknowledged": True})

    def do_POST(self) -> None:
        path, body = self.path.split("?")[0], self._body()
        if path == "/_bulk":
            self._reply(200, self._bulk(body))
        elif path == "/_aliases":
            self.state["alias_requests"].append(json.loads(body))
            for step in json.loads(body)["actions"]:
                ((op, target),) = step.items()
                held = self.state["aliases"].setdefault(target["alias"], set())
                (held.add if op == "add" else held.discard)(target["index"])
            self._reply(200, {"acknowledged": True})
        else:  # /INDEX/_refresh
            self._reply(200, {"_shards": {}})

    def do_DELETE(self) -> None:
        for name in self.path.split("?")[0].strip("/").split(","):
            del self.state["indices"][name]
        self._reply(200, {"acknowledged": True})

    def _bulk(self, body: bytes) -> dict[str, Any]:
        lines = [json.loads(line) for line in body.decode().splitlines() if line.strip()]
        items = []
        for head, source in zip(lines[::2], lines[1::2], strict=True):
            meta = head["index"]
            status = 201
            if meta["_id"] in self.state["reject"]:
                status = 400
            elif not self.state["throttled"]:
                self.state["throttled"].append(meta["_id"])
                status = 429  # the first article meets a full queue, once
            item: dict[str, Any] = {"_index": meta["_index"], "_id": meta["_id"], "status": status}
            if status == 201:
                self.state["indices"][meta["_index"]]["docs"][meta["_id"]] = source
            else:
                item["error"] = {"type": "rejected", "reason": f"status {status}"}
            items.append({"index": item})
        return {"took": 1, "errors": any("error" in i["index"] for i in items), "items": items}


@pytest.fixture
def stub_opensearch() -> Iterator[tuple[str, dict[str, Any]]]:
    pytest.importorskip("opensearchpy", reason="the scale extra is not installed")
    state: dict[str, Any] = {
        "indices": {"newsdex-20200101000000": {"docs": {}}, "mine": {"docs": {}}},
        "aliases": {"newsdex": {"newsdex-20200101000000", "mine"}},
        "alias_requests": [],
        "reject": set(),
        "throttled": [],
    }
    handler = type("Handler", (_Stub,), {"state": state})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", state
    finally:
        server.shutdown()
        thread.join(timeout=30)


def test_push_protocol(
    stub_opensearch: tuple[str, dict[str, Any]],
    build_index: Callable[..., tuple[Path, Any]],
    tmp_path: Path,
) -> None:
    url, state = stub_opensearch
    index, _ = build_index(
        [
            {"title": f"Aid {n}", "text": f"Convoy {n} reached Aleppo with 2{n} tons."}
            for n in range(5)
        ]
    )
    ids = CliRunner().invoke(app, ["export", "--index", str(index), "--format", "ids"]).output
    ids_list = ids.split()
    state["reject"] = {ids_list[-1]}
    failures = tmp_path / "failed.jsonl"
    args = ["opensearch", "push", "--index", str(index), "--url", url, "--failures", str(failures)]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 1, result.output
    (concrete,) = state["aliases"]["newsdex"] - {"mine"}
    assert f"Pushed 4 articles to {concrete} (alias newsdex)" in result.output
    assert "deleted the earlier newsdex-20200101000000" in result.output
    assert f"1 failed, see {failures}" in result.output
    assert json.loads(failures.read_text())["index"]["_id"] == ids_list[-1]
    loaded = state["indices"][concrete]
    assert loaded["create"]["settings"]["index"] == {
        "refresh_interval": "-1",
        "number_of_replicas": 0,
    }
    assert loaded["create"]["mappings"] == mapping()["mappings"]
    assert loaded["settings"] == [{"index": {"refresh_interval": None, "number_of_replicas": None}}]
    assert sorted(loaded["docs"]) == sorted(ids_list[:-1])  # the 429'd article was sent again
    assert state["throttled"][0] in loaded["docs"]
    # One atomic request moved the alias; the earlier push's index is gone, the user's kept.
    (swap,) = state["alias_requests"]
    assert {"add": {"index": concrete, "alias": "newsdex"}} in swap["actions"]
    assert len(swap["actions"]) == 3
    assert "newsdex-20200101000000" not in state["indices"] and "mine" in state["indices"]


def test_push_again_duplicates_nothing(
    stub_opensearch: tuple[str, dict[str, Any]], seed_index: Path, tmp_path: Path
) -> None:
    url, state = stub_opensearch
    args = ["opensearch", "push", "--index", str(seed_index), "--url", url]
    for _ in range(2):
        result = CliRunner().invoke(app, [*args, "--failures", str(tmp_path / "f.jsonl")])
        assert result.exit_code == 0, result.output
    (current,) = state["aliases"]["newsdex"] - {"mine"}
    loads = [name for name in state["indices"] if name.startswith("newsdex-")]
    assert loads == [current]  # the first push's index was deleted by the second
    assert len(state["indices"][current]["docs"]) == 1
    assert not (tmp_path / "f.jsonl").exists()  # no failures, no file


def test_push_to_absent_server(seed_index: Path) -> None:
    pytest.importorskip("opensearchpy", reason="the scale extra is not installed")
    args = ["opensearch", "push", "--index", str(seed_index), "--url", "http://127.0.0.1:9"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 2
    assert result.output.strip().endswith(
        "No OpenSearch answers at http://127.0.0.1:9. Start it (docs/scale.md) or check the URL"
    )
