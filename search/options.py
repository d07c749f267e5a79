"""Options shared by the command-line faces (search.cli, search.search_cli, search.follow_cli):
one wording, one parser per option, and the engine the index options name."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from index.config import INDEX_ENV, default_index_dir, resolve_index_dir
from search import present
from search.format import Format
from search.repl.launch import INDEX_FLAGS, NO_COLOR_FLAG

IndexOpt = Annotated[
    Path | None,
    typer.Option(
        *INDEX_FLAGS,
        help=f"Index folder. Default: ${INDEX_ENV}, else {default_index_dir()}",
        show_default=False,
        file_okay=False,
    ),
]
NoColorOpt = Annotated[
    bool, typer.Option(NO_COLOR_FLAG, help="No colour (also when NO_COLOR is set).")
]
OpenSearchOpt = Annotated[
    str | None,
    typer.Option(
        help="Search OpenSearch at URL instead (also $NEWSDEX_OPENSEARCH; docs/scale.md)."
    ),
]


def format_option(command: str) -> Any:
    """--format for `command`: the formats it offers (search.present.FORMATS), no others."""
    offered = present.formats(command)

    def parse(value: str | Format) -> Format:
        if isinstance(value, Format):
            return value
        fmt = next((f for f in offered if f.value == value.lower()), None)
        if fmt is None:
            names = ", ".join(f.value for f in offered)
            raise typer.BadParameter(f"{value!r} is not accepted; use one of {names}")
        return fmt

    help_text = f"Output format: {', '.join(f.value for f in offered)}."
    return typer.Option("--format", "-f", parser=parse, metavar="FORMAT", help=help_text)


def open_engine(index: Path | None) -> Any:
    """The Whoosh engine over the index that --index (or its defaults) names."""
    from search.engine import Engine

    return Engine(resolve_index_dir(index))


def search_engine(index: Path | None, opensearch: str | None) -> Any:
    """OpenSearch when a URL is given (--opensearch, $NEWSDEX_OPENSEARCH, config), else Whoosh."""
    from search.backends import resolve_url

    url = resolve_url(opensearch)
    if not url:
        return open_engine(index)
    from search.opensearch.search import remote_engine

    return remote_engine(url)
