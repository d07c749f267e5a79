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

import os
import re
import tomllib
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from index import record
from index.config import config_file
from index.errors import UsageError
from index.model import Article, Entities, ExtractedArticle

if TYPE_CHECKING:
    from index.orgs import AliasFile

CLUSTER_ENV = "NEWSDEX_CLUSTER"
CONFIG_KEY = "cluster"
#: Batches in flight per worker: enough to keep every worker busy while results travel back.
IN_FLIGHT_PER_WORKER = 3
#: Extra attempts for a batch whose task raised (a worker's death is retried by the scheduler).
TASK_RETRIES = 2

Work = tuple[Article, Entities | None]
Done = tuple[dict[str, Any], Entities | None]

_LOCAL = re.compile(r"^local:(\d+)$")
_REMOTE = re.compile(r"^(tcp|tls)://[^\s:/]+:\d+$")
_HINT = "Give --cluster local:N (N workers here) or tcp://HOST:8786 (a running dask scheduler)"


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
            raise UsageError(f"--cluster {text}: a local cluster needs at least 1 worker")
        return ClusterSpec(workers, None)
    if _REMOTE.match(text):
        return ClusterSpec(None, text)
    raise UsageError(f"--cluster {text!r} is not a cluster. {_HINT}")


def resolve_cluster(flag: str | None) -> ClusterSpec | None:
    """--cluster > $NEWSDEX_CLUSTER > `cluster = "..."` in the config file > none (the pool)."""
    text = flag or os.environ.get(CLUSTER_ENV)
    if not text:
        path = config_file()
        if path.is_file():
            try:
                value = tomllib.loads(path.read_text(encoding="utf-8")).get(CONFIG_KEY)
            except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError):
                value = None  # the rules and alias readers report a broken config file
            text = value if isinstance(value, str) else None
    return parse_cluster(text) if text else None


def _distributed() -> Any:
    try:
        import distributed
    except ImportError as exc:
        raise UsageError(
            "--cluster needs the scale extra. Install it with: pip install 'newsdex[scale]'"
        ) from exc
    return distributed


@contextmanager
def connect(spec: ClusterSpec) -> Iterator[Any]:
    """A Dask client on the cluster `spec` names (a LocalCluster is started and stopped here)."""
    distributed = _distributed()
    if spec.address is not None:
        try:
            client = distributed.Client(spec.address, timeout="30s")
        except OSError as exc:
            raise UsageError(
                f"No dask scheduler answers at {spec.address} ({exc}). Start one with: "
                "dask scheduler, or use --cluster local:N"
            ) from exc
        with client:
            yield client
        return
    cluster = distributed.LocalCluster(
        n_workers=spec.local_workers,
        threads_per_worker=1,  # spaCy holds the GIL: one process per core
        processes=True,
        dashboard_address=":0",  # a free port: never collide with another cluster
    )
    with cluster, distributed.Client(cluster) as client:
        yield client


def extract_records(items: Sequence[Work], alias_files: tuple[AliasFile, ...] | None) -> list[str]:
    """The task a worker runs: each article's extraction record, as canonical JSON."""
    todo = [article for article, cached in items if cached is None]
    fresh: Iterator[ExtractedArticle] = iter(())
    if todo:
        from index.extract import default_resources, extract_batch

        fresh = iter(extract_batch(todo, default_resources(alias_files)))
    return [
        record.dumps(ExtractedArticle(a, cached) if cached is not None else next(fresh))
        for a, cached in items
    ]


def _done(items: Sequence[Work], records: list[str]) -> list[Done]:
    """Documents for the writer from returned records; fresh entities go to the cache."""
    from index.fields import to_document

    out: list[Done] = []
    for (_, cached), text in zip(items, records, strict=True):
        item = record.loads(text)
        out.append((to_document(item), item.entities if cached is None else None))
    return out


def distributed_map(
    client: Any,
    batches: Iterable[list[Work]],
    alias_files: tuple[AliasFile, ...] | None,
    stats: dict[str, int] | None = None,
) -> Iterator[list[Done]]:
    """Each batch extracted on the cluster, in order, with a bounded number in flight."""
    workers = max(1, len(client.scheduler_info().get("workers", {})))
    window: deque[tuple[list[Work], Any]] = deque()
    limit = workers * IN_FLIGHT_PER_WORKER
    for batch in batches:
        if all(cached is not None for _, cached in batch):
            window.append((batch, extract_records(batch, alias_files)))  # nothing to send
        else:
            future = client.submit(
                extract_records, batch, alias_files, pure=False, retries=TASK_RETRIES
            )
            window.append((batch, future))
            if stats is not None:
                stats["tasks"] = stats.get("tasks", 0) + 1
        while len(window) > limit:
            yield _finish(window.popleft())
    while window:
        yield _finish(window.popleft())


def _finish(entry: tuple[list[Work], Any]) -> list[Done]:
    batch, pending = entry
    records = pending if isinstance(pending, list) else pending.result()
    return _done(batch, records)
