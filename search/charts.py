"""Horizontal bar charts in the terminal, drawn with rich (already a dependency; no plotting
library: docs/follow.md has the measurement against plotext).

Imported only by `facets --plot`, `facets --field date` and the shell's `:timeline`, never on the
one-shot search path (tests/test_timeline.py checks with `python -X importtime`).
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.bar import Bar
from rich.console import Console
from rich.table import Table
from rich.text import Text

# A label never takes more than this share of the width; longer ones end in an ellipsis.
LABEL_SHARE = 0.35
MIN_BAR = 8


def bar_table(
    rows: Sequence[tuple[str, int]], width: int, title: str | None = None, color: str = "cyan"
) -> Table:
    """Label, count, and a bar scaled to the largest count, fitted to `width` columns."""
    top = max((n for _, n in rows), default=0) or 1
    count_width = max((len(f"{n:,}") for _, n in rows), default=1)
    longest = max((len(label) for label, _ in rows), default=1)
    label_width = max(4, min(longest, int(width * LABEL_SHARE)))
    bar_width = max(MIN_BAR, width - label_width - count_width - 4)
    table = Table.grid(padding=(0, 1))
    table.title = title
    table.add_column(no_wrap=True, width=label_width, overflow="ellipsis")
    table.add_column(justify="right", no_wrap=True, width=count_width)
    table.add_column(no_wrap=True, width=bar_width)
    for label, n in rows:
        bar = Bar(size=top, begin=0, end=n, width=bar_width, color=color) if n else Text("")
        table.add_row(Text(label), f"{n:,}", bar)
    return table


def render_bars(
    rows: Sequence[tuple[str, int]],
    con: Console,
    title: str | None = None,
    footer: str | None = None,
) -> None:
    if not rows:
        con.print("Nothing to draw: no counts.")
    else:
        con.print(bar_table(rows, con.width, title))
    if footer:
        con.print(Text(footer, style="dim"))
