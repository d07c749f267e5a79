"""`newsdex opensearch ...`: the mapping, the translated query, and the push of an index.

Registered on the main app by search/cli.py; everything heavy is imported inside the commands,
so `newsdex search` pays nothing for this group.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

app = typer.Typer(
    help="Run newsdex's index and query language on OpenSearch (needs newsdex[scale] to push).",
    no_args_is_help=True,
    rich_markup_mode=None,
)


def _print_json(data: object) -> None:
    typer.echo(json.dumps(data, indent=2, ensure_ascii=False))


@app.command(epilog="Examples:\n\n\b\n  newsdex opensearch mapping > mapping.json")
def mapping() -> None:
    """The OpenSearch index settings and mapping generated from newsdex's schema."""
    from index.schema import opensearch_mapping as build

    _print_json(build())


@app.command(
    epilog="Examples:\n\n\b\n  newsdex opensearch query 'place:Aleppo org:UN number:>1000000'"
)
def query(
    text: Annotated[str, typer.Argument(metavar="QUERY", help="A newsdex query.")],
    strict: Annotated[bool, typer.Option(help="Refuse anything the parser would repair.")] = False,
) -> None:
    """The OpenSearch Query DSL that newsdex sends for QUERY (parsed by newsdex, never as
    query_string)."""
    from search.opensearch.translate import request_query

    _print_json({"query": request_query(text, strict=strict)})


IndexDir = Annotated[
    Path | None,
    typer.Option("--index", "-i", help="The newsdex index to push.", file_okay=False),
]


@app.command(
    epilog="Examples:\n\n\b\n  newsdex opensearch push --index ./idx --url http://localhost:9200\n"
    "  newsdex opensearch push --index ./idx --dry-run bulk.ndjson"
)
def push(
    index: IndexDir = None,
    url: Annotated[str | None, typer.Option(help="OpenSearch URL.")] = None,
    name: Annotated[str, typer.Option(help="Alias searchers use.")] = "newsdex",
    dry_run: Annotated[
        Path | None, typer.Option("--dry-run", help="Write the bulk NDJSON here, send nothing.")
    ] = None,
    failures: Annotated[Path, typer.Option(help="Where rejected articles are written.")] = Path(
        "opensearch-failures.jsonl"
    ),
    keep_old: Annotated[
        bool, typer.Option(help="Keep the earlier loads the alias pointed to (default: delete).")
    ] = False,
) -> None:
    """Every article of an index as bulk actions, then an alias swapped onto the new index."""
    from index.config import resolve_index_dir
    from index.errors import UsageError
    from search.engine import Engine
    from search.opensearch import push as loader

    if dry_run is None and url is None:
        raise UsageError("Give --url http://HOST:9200, or --dry-run FILE to write the bulk body")
    with Engine(resolve_index_dir(index)) as engine:
        stored = engine.searcher().reader().all_stored_fields

        if dry_run is not None:
            with dry_run.open("w", encoding="utf-8") as out:
                count = loader.write_ndjson(loader.actions(stored(), name), out)
            typer.echo(f"Wrote {count} bulk actions for index {name} to {dry_run}")
            return
        assert url is not None
        summary = loader.push(
            lambda concrete: loader.actions(stored(), concrete),
            url,
            name,
            failures,
            keep_old=keep_old,
        )
    line = f"Pushed {summary.indexed} articles to {summary.index} (alias {summary.alias})"
    if summary.removed:
        line += f"; deleted the earlier {', '.join(summary.removed)}"
    if summary.failed:
        line += f"; {summary.failed} failed, see {summary.failures_file}"
    typer.echo(line, err=bool(summary.failed))
    if summary.failed:
        sys.exit(1)
