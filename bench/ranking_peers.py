"""The peers newsdex is ranked against, each built over the same documents in a work directory.

Raw Whoosh BM25F (AND and OR grouping), SQLite FTS5 bm25, tantivy and rank-bm25 (with stopwords).
"""

from __future__ import annotations

import re
import shutil
import sqlite3
from collections.abc import Callable
from pathlib import Path

from whoosh import fields, index, qparser, scoring
from whoosh.analysis import StemmingAnalyzer
from whoosh.lang.porter import stem

from bench.ranking_data import DEPTH, Collection, Ranking, Search

Peer = Callable[[Collection, Path], Search]

# rank-bm25 has no stopwords of its own: the peer drops the English list spaCy ships, lazily
# imported so that importing this module loads nothing.
_WORD = re.compile(r"\w+")


def whoosh_peer(grouping: str) -> Peer:
    """Whoosh 2.7 out of the box over title and body (StemmingAnalyzer, BM25F defaults)."""

    def build(collection: Collection, work: Path) -> Search:
        folder = work / f"whoosh-{collection.name}"
        if not index.exists_in(str(folder)):
            _whoosh_index(collection, folder)
        ix = index.open_dir(str(folder))
        searcher = ix.searcher(weighting=scoring.BM25F())
        group = qparser.AndGroup if grouping == "and" else qparser.OrGroup
        parser = qparser.MultifieldParser(["title", "body"], ix.schema, group=group)

        def search(text: str) -> Ranking:
            hits = searcher.search(parser.parse(text), limit=DEPTH)
            return [hit["id"] for hit in hits]

        return search

    return build


def _whoosh_index(collection: Collection, folder: Path) -> None:
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    schema = fields.Schema(
        id=fields.ID(stored=True, unique=True),
        title=fields.TEXT(analyzer=StemmingAnalyzer()),
        body=fields.TEXT(analyzer=StemmingAnalyzer()),
    )
    ix = index.create_in(str(folder), schema)
    with ix.writer() as writer:
        for doc in collection.docs:
            writer.add_document(id=doc.id, title=doc.title, body=doc.body)


def fts5(collection: Collection, work: Path) -> Search:
    """SQLite FTS5 with the porter tokenizer, bm25() ranking, an OR of the query's words."""
    db = sqlite3.connect(":memory:")
    db.execute("CREATE VIRTUAL TABLE docs USING fts5(id UNINDEXED, title, body, tokenize=porter)")
    db.executemany(
        "INSERT INTO docs VALUES (?, ?, ?)", [(d.id, d.title, d.body) for d in collection.docs]
    )

    def search(text: str) -> Ranking:
        words = _WORD.findall(text.lower())
        if not words:
            return []
        match = " OR ".join(f'"{w}"' for w in words)
        sql = "SELECT id FROM docs WHERE docs MATCH ? ORDER BY bm25(docs) LIMIT ?"
        return [row[0] for row in db.execute(sql, (match, DEPTH))]

    return search


def tantivy_peer(collection: Collection, work: Path) -> Search:
    """tantivy-py with its English stemming tokenizer; its query parser ORs the words."""
    import tantivy

    builder = tantivy.SchemaBuilder()
    builder.add_text_field("id", stored=True, tokenizer_name="raw")
    builder.add_text_field("title", tokenizer_name="en_stem")
    builder.add_text_field("body", tokenizer_name="en_stem")
    schema = builder.build()
    ix = tantivy.Index(schema)  # in memory: rebuilding takes well under a second
    writer = ix.writer()
    for doc in collection.docs:
        writer.add_document(tantivy.Document(id=doc.id, title=doc.title, body=doc.body))
    writer.commit()
    ix.reload()
    searcher = ix.searcher()

    def search(text: str) -> Ranking:
        words = " ".join(_WORD.findall(text.lower()))
        if not words:
            return []
        query = ix.parse_query(words, ["title", "body"])
        hits = searcher.search(query, limit=DEPTH).hits
        return [searcher.doc(address)["id"][0] for _, address in hits]

    return search


def rank_bm25_peer(collection: Collection, work: Path) -> Search:
    """rank-bm25's BM25Okapi over Porter-stemmed title and body, English stopwords removed."""
    from rank_bm25 import BM25Okapi

    ids = [d.id for d in collection.docs]
    model = BM25Okapi([_bm25_tokens(f"{d.title}\n{d.body}") or ["_"] for d in collection.docs])

    def search(text: str) -> Ranking:
        scores = model.get_scores(_bm25_tokens(text))
        order = sorted(range(len(ids)), key=lambda i: -scores[i])
        return [ids[i] for i in order[:DEPTH] if scores[i] > 0]

    return search


def _bm25_tokens(text: str) -> list[str]:
    from spacy.lang.en.stop_words import STOP_WORDS

    return [stem(w) for w in _WORD.findall(text.lower()) if w not in STOP_WORDS]


PEERS: dict[str, Peer] = {
    "Whoosh BM25F, AND": whoosh_peer("and"),
    "Whoosh BM25F, OR": whoosh_peer("or"),
    "SQLite FTS5 bm25": fts5,
    "tantivy": tantivy_peer,
    "rank-bm25 + stopwords": rank_bm25_peer,
}
