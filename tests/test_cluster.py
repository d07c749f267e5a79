"""Extraction on a real Dask cluster: a `dask scheduler` and two `dask worker` processes on
127.0.0.1. Skipped when the scale extra (dask[distributed]) is not installed."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

pytest.importorskip(
    "distributed",
    reason="the scale extra is not installed (pip install -e '.[scale]' runs these tests)",
)

from distributed import Client

from index.clean import load_rules
from index.cluster import IN_FLIGHT_PER_WORKER, distributed_map, parse_cluster
from index.config import config_file
from index.errors import ClusterError
from index.model import SourceFile
from index.pipeline import BATCH_ARTICLES, Progress, Settings, run
from index.read import discover, read_source
from index.record import Work, extract_records
from search.cli import app
from search.messages import describe
from tests.conftest import shared_data

pytestmark = pytest.mark.slow
BIN = Path(sys.executable).parent
CITIES = [
    ("Aleppo", "Syria"),
    ("Mosul", "Iraq"),
    ("Kabul", "Afghanistan"),
    ("Nairobi", "Kenya"),
    ("Lyon", "France"),
    ("Osaka", "Japan"),
    ("Recife", "Brazil"),
]
# Enough batches that some are still queued when a worker is killed after the first file.
ARTICLES = BATCH_ARTICLES * 2 * IN_FLIGHT_PER_WORKER * 2 + 7


def _write_corpus(root: Path) -> Path:
    corpus = root / "corpus"
    corpus.mkdir()
    for f in range(ARTICLES // 10 + 1):
        lines = []
        for i in range(f * 10, min(ARTICLES, f * 10 + 10)):
            city, country = CITIES[i % len(CITIES)]
            body = (
                f"The World Food Programme flew {20 + i} tons of flour to {city}, {country}, "
                f"where {1000 * (i + 1)} people had waited for {i % 9 + 2} days. "
                f"Officials of the United Nations said the convoy number {i} travelled 30 km."
            )
            lines.append(json.dumps({"title": f"Aid to {city} ({i})", "body": body}))
        (corpus / f"part{f:02}.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return corpus


def _wait(condition: Any, what: str, bound: float = 180.0) -> None:
    deadline = time.monotonic() + bound
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.2)


@pytest.fixture(scope="module")
def scheduler(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The address of a real scheduler with two single-threaded workers."""
    root = tmp_path_factory.mktemp("dask")
    info = root / "scheduler.json"
    common = {"cwd": root, "stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
    procs = [
        subprocess.Popen(
            [
                BIN / "dask",
                "scheduler",
                "--host",
                "127.0.0.1",
                "--port",
                "0",
                "--no-dashboard",
                "--scheduler-file",
                info,
            ],
            **common,  # type: ignore[call-overload]
        )
    ]
    try:
        _wait(info.exists, "the scheduler file")
        for n in range(2):
            procs.append(
                subprocess.Popen(
                    [
                        BIN / "dask",
                        "worker",
                        "--scheduler-file",
                        info,
                        "--nthreads",
                        "1",
                        "--no-dashboard",
                        "--name",
                        f"w{n}",
                        "--host",
                        "127.0.0.1",
                    ],
                    **common,  # type: ignore[call-overload]
                )
            )
        address = json.loads(info.read_text())["address"]
        with Client(address, timeout="60s") as client:
            _wait(lambda: len(client.scheduler_info()["workers"]) == 2, "two workers")
        yield address
    finally:
        for proc in reversed(procs):
            proc.terminate()
        for proc in procs:
            try:
                proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                proc.kill()


@pytest.fixture(scope="module")
def corpus_and_serial(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    root = tmp_path_factory.mktemp("cluster-corpus")
    corpus = _write_corpus(root)
    summary = run([corpus], root / "serial", workers=1)
    assert summary.articles == ARTICLES
    return corpus, _export(root / "serial")


def _export(index: Path) -> list[str]:
    result = CliRunner().invoke(app, ["export", "--index", str(index), "--format", "jsonl"])
    assert result.exit_code == 0, result.output
    return sorted(result.output.splitlines())


def test_cluster_run_equals_serial_run(
    scheduler: str, corpus_and_serial: tuple[Path, list[str]], tmp_path: Path
) -> None:
    corpus, serial = corpus_and_serial
    with Client(scheduler) as client:
        summary = run([corpus], tmp_path / "idx", cluster=client)
        assert summary.cluster["tasks"] >= ARTICLES // BATCH_ARTICLES
        # Bounded: never more than 3 batches per worker (+ the one being handed out) in flight.
        assert summary.cluster["most_in_flight"] <= 2 * IN_FLIGHT_PER_WORKER + 1
        assert _export(tmp_path / "idx") == serial
        again = run([corpus], tmp_path / "idx", cluster=client)
    assert again.unchanged == len(list(corpus.iterdir()))
    assert again.cluster.get("tasks", 0) == 0  # content hashes: nothing sent


def test_cached_batches_are_not_sent(
    scheduler: str, corpus_and_serial: tuple[Path, list[str]], tmp_path: Path
) -> None:
    corpus, serial = corpus_and_serial
    with Client(scheduler) as client:
        cached = Settings(cache_file=tmp_path / "cache.sqlite")
        first = run([corpus], tmp_path / "a", cluster=client, settings=cached)  # fills it
        second = run([corpus], tmp_path / "b", cluster=client, settings=cached)
    assert first.cluster["tasks"] > 0
    assert second.cached == ARTICLES and second.cluster.get("tasks", 0) == 0
    assert _export(tmp_path / "b") == serial


def test_worker_killed_mid_run(
    scheduler: str, corpus_and_serial: tuple[Path, list[str]], tmp_path: Path
) -> None:
    """SIGKILL one worker after the first file is back: the run completes, nothing lost or
    doubled (the scheduler runs the dead worker's batches again; the nanny restarts it)."""
    corpus, serial = corpus_and_serial
    with Client(scheduler) as client:
        pids = client.run(os.getpid)  # worker address -> pid of the worker process
        victim = sorted(pids.values())[0]
        killed: list[int] = []

        def progress(event: Progress) -> None:
            if event.done >= 1 and not killed:
                os.kill(victim, signal.SIGKILL)
                killed.append(victim)

        summary = run([corpus], tmp_path / "idx", cluster=client, progress=progress)
        assert killed and summary.articles == ARTICLES
        exported = _export(tmp_path / "idx")
        ids = [json.loads(line)["id"] for line in exported]
        assert len(ids) == len(set(ids)) == ARTICLES
        assert exported == serial
        _wait(lambda: len(client.scheduler_info()["workers"]) == 2, "the worker's restart")


def _batches(folder: Path, every: int = 1) -> list[list[Work]]:
    """Every `every`-th file of `folder`, read and cleaned as `newsdex index` does, in batches."""
    rules = load_rules(config_file())
    files = [f for f in discover([folder]) if isinstance(f, SourceFile)][::every]
    articles = [a for src in files for a in read_source(src, rules)[0]]
    return [
        [(a, None) for a in articles[i : i + BATCH_ARTICLES]]
        for i in range(0, len(articles), BATCH_ARTICLES)
    ]


def _same_records_both_ways(scheduler: str, batches: list[list[Work]]) -> int:
    """The records of the default pool's job and of the cluster, compared byte for byte."""
    import functools
    import multiprocessing

    job = functools.partial(extract_records, alias_files=())
    with multiprocessing.get_context("forkserver").Pool(2) as pool:
        pooled = [text for texts in pool.imap(job, batches) for text in texts]
    with Client(scheduler) as client:
        remote = [text for texts in distributed_map(client, batches, ()) for text in texts]
    assert len(pooled) == sum(map(len, batches))
    assert remote == pooled  # str equality: the same canonical JSON, byte for byte
    return len(pooled)


@pytest.mark.data
def test_bbc_records_byte_identical_on_pool_and_cluster(scheduler: str) -> None:
    batches = _batches(shared_data("news/bbc/docs"), every=45)  # 50 articles, all 5 sections
    assert _same_records_both_ways(scheduler, batches) == 50


def test_crafted_records_byte_identical_on_pool_and_cluster(
    scheduler: str, corpus_and_serial: tuple[Path, list[str]]
) -> None:
    corpus, _ = corpus_and_serial
    assert _same_records_both_ways(scheduler, _batches(corpus)) == ARTICLES


def test_cluster_option_errors() -> None:
    assert parse_cluster("local:2").local_workers == 2
    assert parse_cluster("tcp://10.0.0.5:8786").address == "tcp://10.0.0.5:8786"
    for bad in ("local:0", "8786", "http://x:1", "local:two"):
        with pytest.raises(ClusterError) as raised:
            parse_cluster(bad)
        assert raised.value.spec == bad and "--cluster local:N" in describe(raised.value)


def test_cli_index_on_local_cluster(
    tmp_path: Path, corpus_and_serial: tuple[Path, list[str]]
) -> None:
    corpus, serial = corpus_and_serial
    idx = tmp_path / "idx"
    result = CliRunner().invoke(
        app, ["index", str(corpus), "--index", str(idx), "--cluster", "local:2", "--no-cache"]
    )
    assert result.exit_code == 0, result.output
    assert f"{ARTICLES} articles" in result.output
    assert _export(idx) == serial


def test_cli_unreachable_scheduler(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app,
        ["index", str(tmp_path), "--index", str(tmp_path / "i"), "--cluster", "tcp://127.0.0.1:9"],
        env={"DASK_DISTRIBUTED__COMM__TIMEOUTS__CONNECT": "3s"},
    )
    assert result.exit_code == 2
    assert "cluster 'tcp://127.0.0.1:9': no dask scheduler answers" in result.output
    assert "start one with `dask scheduler`" in result.output


def test_cli_index_on_a_running_scheduler_from_the_environment(
    scheduler: str, corpus_and_serial: tuple[Path, list[str]], tmp_path: Path
) -> None:
    """`NEWSDEX_CLUSTER=tcp://HOST:PORT newsdex index ...`: the scheduler's workers extract."""
    corpus, serial = corpus_and_serial
    idx = tmp_path / "idx"
    result = CliRunner().invoke(
        app,
        ["index", str(corpus), "--index", str(idx), "--no-cache"],
        env={"NEWSDEX_CLUSTER": scheduler},
    )
    assert result.exit_code == 0, result.output
    assert f"{ARTICLES} articles" in result.output
    assert _export(idx) == serial


@pytest.mark.data
def test_cluster_benchmark_runs(tmp_path: Path) -> None:
    """bench.cluster's code path on 8 BBC articles (nothing timed or published here)."""
    from bench import cluster as bench_cluster

    shared_data("news/bbc/docs")
    report = bench_cluster.run(workers=1, rounds=1, quick=8, work=tmp_path)
    assert [r["articles"] for r in report["runs"]["pool"] + report["runs"]["cluster"]] == [8, 8]
    assert report["ratio"] > 0 and report["corpus"] == "bbc-first-8"
    assert "best local:1 / best pool" in bench_cluster.markdown(report)


def _worker_settings() -> tuple[object, ...]:
    import dask

    keys = ("distributed.worker.profile.enabled", "distributed.admin.tick.interval")
    return tuple(dask.config.get(key) for key in keys)


def test_local_cluster_workers_run_without_the_profiler() -> None:
    """LOCAL_CONFIG reaches the workers a LocalCluster's nannies start, and stays there only."""
    import dask

    from index.cluster import LOCAL_CONFIG, connect

    with connect(parse_cluster("local:1")) as client:
        found = set(client.run(_worker_settings).values())
    assert found == {(False, LOCAL_CONFIG["distributed.admin.tick.interval"])}
    assert dask.config.get("distributed.worker.profile.enabled") is True  # this process's own
