"""What newsdex records next to the Whoosh files of an index: schema version, indexed roots, and
the extraction (code, tables, model, alias files) that its entities came from."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from index import schema as S

META_FILE = "newsdex.json"
#: The user's saved searches and their alert marks (search/saved.py): kept by a --rebuild, which
#: replaces the articles but not what the user asked to follow.
SAVED_FILE = "newsdex-saved.json"
MARKS_DIR = "newsdex-marks"
KEPT_FILES = frozenset({SAVED_FILE, MARKS_DIR})


@dataclass
class IndexMeta:
    """What newsdex records next to the Whoosh files: the schema version and the indexed roots."""

    schema_version: int = S.SCHEMA_VERSION
    roots: list[str] = field(default_factory=list)
    # index.cache.extraction_fingerprint of the run that extracted every article; "" when unknown
    # (an older index) or when articles from different extractions are mixed.
    extraction: str = ""
    # The --accurate pipeline (index.ner_agree) the last run extracted with, "" for the stock
    # model alone: a later run on this index uses the same unless told otherwise.
    second_model: str = ""

    @classmethod
    def load(cls, directory: Path) -> IndexMeta:
        try:
            data = json.loads((directory / META_FILE).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return cls(schema_version=0)
        return cls(
            int(data.get("schema_version", 0)),
            list(data.get("roots", [])),
            str(data.get("extraction", "")),
            str(data.get("second_model", "")),
        )

    def save(self, directory: Path) -> None:
        tmp = directory / (META_FILE + ".tmp")
        data = {
            "schema_version": self.schema_version,
            "roots": sorted(set(self.roots)),
            "extraction": self.extraction,
            "second_model": self.second_model,
        }
        tmp.write_text(json.dumps(data, indent=2), encoding="utf-8")
        tmp.replace(directory / META_FILE)


def is_index(directory: Path) -> bool:
    """Whether `directory` holds a Whoosh index (a table of contents file)."""
    return directory.is_dir() and any(directory.glob("_MAIN_*.toc"))
