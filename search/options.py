"""Options shared by the command-line faces (search.cli, search.follow_cli): one wording, one
parser per option."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from index.config import INDEX_ENV, default_index_dir
from search import present
from search.format import Format
from search.repl.launch import INDEX_FLAGS

IndexOpt = Annotated[
    Path | None,
    typer.Option(
        *INDEX_FLAGS,
        help=f"Index folder. Default: ${INDEX_ENV}, else {default_index_dir()}",
        show_default=False,
        file_okay=False,
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
