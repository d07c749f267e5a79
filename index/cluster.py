"""Extraction on a Dask cluster: a LocalCluster on this machine or an existing scheduler.

The cluster runs the same job as the process pool (one batch of articles in, their extraction
records out) and nothing else: reading, the cache, the writer stay in this process. Batches are
submitted through a bounded window, so memory stays flat whatever the corpus size; a batch
whose articles all came from the cache is finished here without sending a task (and a re-run
of an unchanged folder sends none: the content hashes skip its files before they are read).
When a worker dies, the scheduler runs its batches again elsewhere (Dask's
`distributed.scheduler.allowed-failures`); results come back in submission order, each once.

Dask is imported only here, only when a cluster is asked for (the `scale` extra).
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from index.errors import ClusterError, MissingExtra
from index.record import Work, extract_records

if TYPE_CHECKING:
    from index.orgs import AliasFile

CLUSTER_ENV = "NEWSDEX_CLUSTER"
#: Batches in flight per worker: enough to keep every worker busy while results travel back.
IN_FLIGHT_PER_WORKER = 3
#: Extra attempts for a batch whose task raised (a worker's death is retried by the scheduler).
TASK_RETRIES = 2

#: Dask's background work that a LocalCluster on the user's own cores pays for and never uses.
#: The worker's statistical profiler samples the task's thread every 10 ms, so it takes the GIL
#: from spaCy 100 times a second; the event-loop tick (20 ms) and the system and memory monitors
#: (0.5 s, 0.1 s) wake the scheduler, every nanny and every worker, on cores that the workers
#: need whole. The nanny hands its config to the worker it starts (and restarts), so these
#: reach the workers (tests/test_cluster.py checks). Task placement is left as it is.
#: An existing scheduler's workers keep their own configuration (docs/scale.md).
LOCAL_CONFIG: dict[str, object] = {
    "distributed.worker.profile.enabled": False,
    "distributed.admin.tick.interval": "1s",
    "distributed.admin.system-monitor.interval": "5s",
    "distributed.admin.system-monitor.gil.enabled": False,
    "distributed.worker.memory.monitor-interval": "1s",
}

_LOCAL = re.compile(r"^local:(\d+)$")
_REMOTE = re.compile(r"^(tcp|tls)://[^\s:/]+:\d+$")


@dataclass(frozen=True)
class ClusterSpec:
    local_workers: int | None  # local:N
    address: str | None  # tcp://HOST:PORT

    def __str__(self) -> str:
        return self.address or f"local:{self.local_workers}"


def parse_cluster(text: str) -> ClusterSpec:
    text = text.strip()
    if match := _LOCAL.match(text):
        workers = int(match.group(1))
        if workers < 1:
            raise ClusterError(text, "a local cluster needs at least 1 worker")
        return ClusterSpec(workers, None)
    if _REMOTE.match(text):
        return ClusterSpec(None, text)
    raise ClusterError(text, "not a cluster")


def _distributed() -> Any:
    try:
        import distributed
    except ImportError as exc:
        raise MissingExtra("extraction on Dask", "scale") from exc
    return distributed


@contextmanager
def connect(spec: ClusterSpec) -> Iterator[Any]:
    """A Dask client on the cluster `spec` names (a LocalCluster is started and stopped here)."""
    distributed = _distributed()
    if spec.address is not None:
        try:
            client = distributed.Client(spec.address, timeout="30s")
        except OSError as exc:
            raise ClusterError(spec.address, f"no dask scheduler answers ({exc})") from exc
        with client:
            yield client
        return
    import dask

    with dask.config.set(LOCAL_CONFIG):
        cluster = distributed.LocalCluster(
            n_workers=spec.local_workers,
            threads_per_worker=1,  # spaCy holds the GIL: one process per core
            processes=True,
            dashboard_address=":0",  # a free port: never collide with another cluster
        )
        with cluster, distributed.Client(cluster) as client:
            yield client


def distributed_map(
    client: Any,
    batches: Iterable[list[Work]],
    alias_files: tuple[AliasFile, ...],
    stats: dict[str, int] | None = None,
    second: str = "",
) -> Iterator[list[str]]:
    """Each batch's extraction records from the cluster, in order, a bounded number in flight
    (the pool's imap, on Dask). A batch the cache answered entirely is done here, unsent;
    `second` is the --accurate pipeline, which the workers must have installed."""
    workers = max(1, len(client.scheduler_info().get("workers", {})))
    window: deque[Any] = deque()
    limit = workers * IN_FLIGHT_PER_WORKER
    for batch in batches:
        if all(cached is not None for _, cached in batch):
            window.append(
                extract_records(batch, alias_files, second)
            )  # nothing to extract: no task
        else:
            window.append(
                client.submit(
                    extract_records, batch, alias_files, second, pure=False, retries=TASK_RETRIES
                )
            )
            if stats is not None:
                stats["tasks"] = stats.get("tasks", 0) + 1
                stats["most_in_flight"] = max(stats.get("most_in_flight", 0), len(window))
        while len(window) > limit:
            yield _result(window.popleft())
    while window:
        yield _result(window.popleft())


def _result(pending: Any) -> list[str]:
    return pending if isinstance(pending, list) else list(pending.result())
