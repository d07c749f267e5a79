"""What newsdex records next to the Whoosh files of an index: schema version and indexed roots."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from index import schema as S

META_FILE = "newsdex.json"


@dataclass
class IndexMeta:
    """What newsdex records next to the Whoosh files: the schema version and the indexed roots."""

    schema_version: int = S.SCHEMA_VERSION
    roots: list[str] = field(default_factory=list)

    @classmethod
    def load(cls, directory: Path) -> IndexMeta:
        try:
            data = json.loads((directory / META_FILE).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return cls(schema_version=0)
        return cls(int(data.get("schema_version", 0)), list(data.get("roots", [])))

    def save(self, directory: Path) -> None:
        tmp = directory / (META_FILE + ".tmp")
        data = {"schema_version": self.schema_version, "roots": sorted(set(self.roots))}
        tmp.write_text(json.dumps(data, indent=2), encoding="utf-8")
        tmp.replace(directory / META_FILE)


def is_index(directory: Path) -> bool:
    """Whether `directory` holds a Whoosh index (a table of contents file)."""
    return directory.is_dir() and any(directory.glob("_MAIN_*.toc"))
