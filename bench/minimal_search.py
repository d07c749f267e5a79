"""The floor for a one-shot search: a minimal typer + Whoosh command that opens an index, runs one
query over title and body, and prints the ids of the top 10. Run: python bench/minimal_search.py.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from whoosh import index
from whoosh.qparser import AndGroup, MultifieldParser

app = typer.Typer(add_completion=False)


@app.command()
def search(query: str, index_dir: Annotated[Path, typer.Option("--index")]) -> None:
    ix = index.open_dir(str(index_dir))
    with ix.searcher() as searcher:
        parsed = MultifieldParser(["title", "body"], ix.schema, group=AndGroup).parse(query)
        for hit in searcher.search(parsed, limit=10):
            print(hit.get("id") or hit.get("path"))


if __name__ == "__main__":
    app()
