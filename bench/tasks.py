"""What one measured child process does: index a corpus with newsdex or a peer, run bare spaCy NER,
or time newsdex's pipeline stages one at a time. Prints one `RESULT {json}` line at the end.

Run by bench.measure as `python -m bench.tasks TASK CORPUS OUT [--workers N]`; TASK is one of TASKS.
"""

from __future__ import annotations

import argparse
import itertools
import json
import multiprocessing
import os
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bench.corpus import read_docs

if TYPE_CHECKING:
    from index.schema import IndexDocument

Result = dict[str, Any]


def index_newsdex(corpus: Path, out: Path, workers: int) -> Result:
    from index.pipeline import run
    from search.indexing import user_settings

    # As `newsdex index` runs it: the extraction cache under $XDG_CACHE_HOME (bench.measure sets it).
    summary = run([corpus], out, workers=workers, settings=user_settings(out))
    return {"articles": summary.articles, "seconds": summary.elapsed,
            "skipped": len(summary.skipped),
            "cached": getattr(summary, "cached", None)}  # fmt: skip


def index_peer(name: str) -> Callable[[Path, Path, int], Result]:
    def task(corpus: Path, out: Path, workers: int) -> Result:
        from bench.peers import BUILDERS

        started = time.perf_counter()
        articles = BUILDERS[name](read_docs(corpus), out)
        return {"articles": articles, "seconds": time.perf_counter() - started}

    return task


def bare_ner(processes: int | None) -> Callable[[Path, Path, int], Result]:
    """spaCy NER alone (newsdex's model and pipes) over the bodies: the extraction ceiling."""

    def task(corpus: Path, out: Path, workers: int) -> Result:
        from index.extract import load_model

        n_process = processes or workers
        texts = [doc.body for doc in read_docs(corpus)]
        nlp = load_model()
        started = time.perf_counter()
        count = sum(1 for _ in nlp.pipe(texts, batch_size=32, n_process=n_process))
        return {"articles": count, "seconds": time.perf_counter() - started,
                "processes": n_process}  # fmt: skip

    return task


def stage_split(corpus: Path, out: Path, workers: int) -> Result:
    """newsdex's stages run one after another (not overlapped), each timed on its own."""
    from index.clean import load_rules
    from index.config import config_file
    from index.model import SourceFile
    from index.read import discover, read_source

    started = time.perf_counter()
    rules = load_rules(config_file())
    files = [src for src in discover([corpus]) if isinstance(src, SourceFile)]
    articles = [article for src in files for article in read_source(src, rules)[0]]
    read_s = time.perf_counter() - started
    started = time.perf_counter()
    docs = _extract_all(articles, workers)
    extract_s = time.perf_counter() - started
    started = time.perf_counter()
    _write_all(docs, out)
    write_s = time.perf_counter() - started
    return {"articles": len(articles), "read_clean": read_s, "extract": extract_s,
            "write": write_s, "workers": workers}  # fmt: skip


def extract_documents(articles: Sequence[Any]) -> list[IndexDocument]:
    """A worker's job in the split: extract_batch, then the conversion to Whoosh documents."""
    from index.extract import extract_batch
    from index.fields import to_document

    return [to_document(item) for item in extract_batch(articles)]


def _extract_all(articles: Sequence[Any], workers: int) -> list[IndexDocument]:
    """Extraction on the pipeline's batch size and a process pool, as an indexing run does it."""
    from index.pipeline import BATCH_ARTICLES

    batches = [list(articles[i : i + BATCH_ARTICLES])
               for i in range(0, len(articles), BATCH_ARTICLES)]  # fmt: skip
    if workers <= 1:
        return [d for batch in batches for d in extract_documents(batch)]
    context = multiprocessing.get_context("forkserver")
    with context.Pool(workers) as pool:
        return [d for docs in pool.imap(extract_documents, batches) for d in docs]


def _write_all(docs: list[IndexDocument], out: Path) -> None:
    from index.writer import BatchWriter, open_for_writing

    ix = open_for_writing(out)
    writer = BatchWriter(ix, out)
    for source, group in itertools.groupby(docs, key=lambda d: d.source):
        writer.replace_source(source, list(group))
    writer.commit()


TASKS: dict[str, Callable[[Path, Path, int], Result]] = {
    "newsdex": index_newsdex,
    "whoosh": index_peer("whoosh"),
    "fts5": index_peer("fts5"),
    "tantivy": index_peer("tantivy"),
    "ner1": bare_ner(1),
    "ner_all": bare_ner(None),
    "split": stage_split,
}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("task", choices=sorted(TASKS))
    parser.add_argument("corpus", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args(argv)
    result = TASKS[args.task](args.corpus, args.out, args.workers)
    print("RESULT " + json.dumps(result), flush=True)
    return 0


def results_in(lines: Iterator[str]) -> Result:
    for line in lines:
        if line.startswith("RESULT "):
            found: Result = json.loads(line[len("RESULT ") :])
            return found
    raise ValueError("the task printed no RESULT line")


if __name__ == "__main__":
    sys.exit(main())
