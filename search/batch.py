"""Batch search: one query per line against one opened searcher, for scripts and IR evaluation.

Lines are `QUERY` or `QID<TAB>QUERY`; output is jsonl records or TREC run lines.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from typing import TextIO

from index.errors import ExitCode, NewsdexError, is_utf8
from search.engine import Engine, SearchOptions
from search.format import Format, trec_line


@dataclass(frozen=True)
class BatchQuery:
    line: int
    qid: str
    text: str
    problem: str = ""  # why the line cannot be run; it is reported and the batch goes on


#: A batch file is read with errors="surrogateescape": a byte that is not UTF-8 turns up here as a
#: lone surrogate, and the line is reported instead of the whole batch failing.
_NOT_UTF8 = "not valid UTF-8 text; save the file as UTF-8"


def read_queries(lines: Iterable[str]) -> Iterator[BatchQuery]:
    """Queries from lines; blank lines and lines starting with # are skipped."""
    for number, raw in enumerate(lines, start=1):
        line = raw.rstrip("\r\n")
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        qid, tab, text = line.partition("\t")
        if not is_utf8(line):
            yield BatchQuery(number, str(number), "", _NOT_UTF8)
            continue
        yield (
            BatchQuery(number, qid.strip(), text) if tab else BatchQuery(number, str(number), line)
        )


def run_batch(
    engine: Engine,
    queries: Iterable[BatchQuery],
    options: SearchOptions,
    out: TextIO,
    err: TextIO,
    fmt: Format = Format.jsonl,
) -> int:
    """Run every query; a bad line is reported on `err` with its number and the rest still run.
    Returns how many results were written."""
    written = 0
    options = replace(options, snippets=False, suggest=False)
    for query in queries:
        if query.problem:
            err.write(f"line {query.line}: {query.problem}\n")
            continue
        try:
            results = engine.search(query.text, options)
        except NewsdexError as exc:
            if exc.exit_code != ExitCode.USAGE:
                raise
            err.write(f"line {query.line}: {exc}\n")
            continue
        for hit in results.hits:
            doc = hit.document
            if fmt is Format.trec:
                out.write(trec_line(query.qid, doc.id, hit.rank, hit.score))
            else:
                record = {
                    "qid": query.qid,
                    "rank": hit.rank,
                    "id": doc.id,
                    "path": doc.path,
                    "score": None if hit.score is None else round(hit.score, 4),
                    "title": doc.title,
                }
                out.write(json.dumps(record, ensure_ascii=False) + "\n")
            written += 1
    return written
