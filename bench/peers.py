"""The peers newsdex is measured against: raw Whoosh, SQLite FTS5 and tantivy, each with the same
title+body text (title weighted 2), built from the same files and asked the same queries.

Each peer has a `build_*(docs, directory) -> articles` and a searcher whose `search(text)` returns the
ids (paths) of the top 10. Queries come in Whoosh syntax and are translated here for FTS5 and tantivy.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, Protocol

from bench.corpus import Doc

LIMIT = 10
TITLE_BOOST = 2.0
WRITER_MB = 256
_TOKENS = re.compile(r'"[^"]*"|\S+')


class Searcher(Protocol):
    def search(self, text: str) -> list[str]: ...

    def close(self) -> None: ...


# --- raw Whoosh: the same analyzer and boosts as newsdex's text fields, no entity fields ---------


def whoosh_schema() -> Any:
    from whoosh import fields
    from whoosh.analysis import StemmingAnalyzer

    return fields.Schema(
        path=fields.ID(stored=True, unique=True),
        title=fields.TEXT(analyzer=StemmingAnalyzer(), stored=True, field_boost=TITLE_BOOST),
        body=fields.TEXT(analyzer=StemmingAnalyzer(), stored=True),
    )


def build_whoosh(docs: Iterable[Doc], directory: Path) -> int:
    from whoosh import index

    directory.mkdir(parents=True, exist_ok=True)
    writer = index.create_in(str(directory), whoosh_schema()).writer(limitmb=WRITER_MB)
    count = 0
    for doc in docs:
        writer.add_document(path=doc.path, title=doc.title, body=doc.body)
        count += 1
    writer.commit()
    return count


class WhooshSearcher:
    """One searcher and one parser for the process, AND of terms like newsdex."""

    def __init__(self, directory: Path):
        from whoosh import index
        from whoosh.qparser import AndGroup, MultifieldParser

        self._ix = index.open_dir(str(directory))
        self._searcher = self._ix.searcher()
        self._parser = MultifieldParser(["title", "body"], self._ix.schema, group=AndGroup)

    def search(self, text: str) -> list[str]:
        results = self._searcher.search(self._parser.parse(text), limit=LIMIT)
        return [hit["path"] for hit in results]

    def close(self) -> None:
        self._searcher.close()


# --- SQLite FTS5: porter tokenizer, bm25 with the title weighted -------------------------------


def build_fts5(docs: Iterable[Doc], directory: Path) -> int:
    directory.mkdir(parents=True, exist_ok=True)
    db = sqlite3.connect(directory / "fts.db")
    try:
        db.execute(
            "CREATE VIRTUAL TABLE doc USING fts5(path UNINDEXED, title, body, "
            "tokenize='porter unicode61')"
        )
        with db:
            cursor = db.executemany(
                "INSERT INTO doc(path, title, body) VALUES (?, ?, ?)",
                ((d.path, d.title, d.body) for d in docs),
            )
        count: int = db.execute("SELECT count(*) FROM doc").fetchone()[0]
        del cursor
        return count
    finally:
        db.close()


def fts5_query(text: str) -> str:
    """Whoosh syntax to FTS5: words quoted (so AND/NOT are words), phrases kept, `w*` as a prefix,
    OR kept; terms side by side are ANDed by FTS5 itself."""
    out = []
    for token in _TOKENS.findall(text):
        if token == "OR":
            out.append("OR")
        elif token.startswith('"'):
            out.append(token)
        elif token.endswith("*"):
            out.append(f'"{token.rstrip("*")}"*')
        else:
            out.append(f'"{token}"')
    return " ".join(out)


class Fts5Searcher:
    SQL = (
        "SELECT path FROM doc WHERE doc MATCH ? "
        f"ORDER BY bm25(doc, 0.0, {TITLE_BOOST}, 1.0) LIMIT {LIMIT}"
    )

    def __init__(self, directory: Path):
        self._db = sqlite3.connect(directory / "fts.db")

    def search(self, text: str) -> list[str]:
        return [row[0] for row in self._db.execute(self.SQL, (fts5_query(text),))]

    def close(self) -> None:
        self._db.close()


# --- tantivy: en_stem tokenizer, conjunction by default --------------------------------------


def tantivy_schema() -> Any:
    import tantivy

    builder = tantivy.SchemaBuilder()
    builder.add_text_field("path", stored=True, tokenizer_name="raw")
    builder.add_text_field("title", stored=True, tokenizer_name="en_stem")
    builder.add_text_field("body", stored=True, tokenizer_name="en_stem")
    return builder.build()


def build_tantivy(docs: Iterable[Doc], directory: Path) -> int:
    import tantivy

    directory.mkdir(parents=True, exist_ok=True)
    index = tantivy.Index(tantivy_schema(), path=str(directory))
    writer = index.writer(heap_size=WRITER_MB * 2**20)
    count = 0
    for doc in docs:
        writer.add_document(tantivy.Document(path=doc.path, title=doc.title, body=doc.body))
        count += 1
    writer.commit()
    writer.wait_merging_threads()
    return count


class TantivySearcher:
    """tantivy's parser for words, phrases and OR; its parser has no `w*`, so a prefix becomes a
    regex query on both fields."""

    def __init__(self, directory: Path):
        import tantivy

        self._tantivy = tantivy
        self._schema = tantivy_schema()
        self._index = tantivy.Index.open(str(directory))
        self._index.reload()
        self._searcher = self._index.searcher()

    def _query(self, text: str) -> Any:
        tv = self._tantivy
        if re.fullmatch(r"\w+\*", text):
            pattern = re.escape(text[:-1].lower()) + ".*"
            return tv.Query.boolean_query(
                [(tv.Occur.Should, tv.Query.regex_query(self._schema, f, pattern)) for f in
                 ("title", "body")]
            )  # fmt: skip
        return self._index.parse_query(
            text, ["title", "body"], field_boosts={"title": TITLE_BOOST},
            conjunction_by_default=True,
        )  # fmt: skip

    def search(self, text: str) -> list[str]:
        hits = self._searcher.search(self._query(text), LIMIT).hits
        return [self._searcher.doc(address)["path"][0] for _, address in hits]

    def close(self) -> None:
        del self._searcher


BUILDERS: dict[str, Callable[[Iterable[Doc], Path], int]] = {
    "whoosh": build_whoosh,
    "fts5": build_fts5,
    "tantivy": build_tantivy,
}
SEARCHERS: dict[str, Callable[[Path], Searcher]] = {
    "whoosh": WhooshSearcher,
    "fts5": Fts5Searcher,
    "tantivy": TantivySearcher,
}
