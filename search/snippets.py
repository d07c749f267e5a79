"""Snippets: the passage of an article that best shows why it matched, with its marks as spans.

The marks come from the one highlighter (search.highlight); here a window is chosen around the
most of them, cut at words, its white space made single spaces, and the marks moved with it.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right

from search.results import Marked, Span

WINDOW = 240  # characters of context shown
LEAD = 60  # characters shown before the first mark of the window
ELLIPSIS = "…"
_PIECE = re.compile(r"\S+")
_SPACE = re.compile(r"\s")


def snippet(body: str, marks: tuple[Span, ...]) -> Marked:
    """The best window of `body` for `marks`; the opening when there is none."""
    start = _best_start(marks) if marks else 0
    return window(body, marks, start, start + WINDOW)


def _best_start(marks: tuple[Span, ...]) -> int:
    """The window start (a little before a mark) that covers the most marks."""
    best, best_count, j = 0, -1, 0
    for i, (m_start, _) in enumerate(marks):
        start = max(0, m_start - LEAD)
        j = max(j, i)
        while j < len(marks) and marks[j][1] <= start + WINDOW:
            j += 1
        if j - i > best_count:
            best, best_count = start, j - i
    return best


def window(body: str, marks: tuple[Span, ...], start: int, end: int) -> Marked:
    """body[start:end] cut back to whole words, white space made single spaces, an ellipsis
    where text was left out, and the marks inside it moved to the new offsets."""
    if 0 < start < len(body) and not body[start - 1].isspace():
        start = _word_end(body, start)  # the window began inside a word: skip it
    if 0 < end < len(body) and not body[end - 1].isspace():
        end = _word_end(body, end)  # it ended inside one: finish it (a mark may end there)
    cut_before, cut_after = start > 0, end < len(body)
    lead = f"{ELLIPSIS} " if cut_before else ""
    # Each piece (a run of non-space) keeps its text; one space joins two. starts[i] is where
    # piece i begins in the body, at[i] where it begins in the snippet.
    starts: list[int] = []
    ends: list[int] = []
    at: list[int] = []
    offset = len(lead)
    for match in _PIECE.finditer(body, start, end):
        p_start, p_end = match.span()
        starts.append(p_start)
        ends.append(p_end)
        at.append(offset)
        offset += p_end - p_start + 1
    text = lead + " ".join(body[a:b] for a, b in zip(starts, ends, strict=True))
    if cut_after and starts:
        text += f" {ELLIPSIS}"
    return Marked(text, _moved(marks, starts, ends, at))


def _word_end(body: str, at: int) -> int:
    match = _SPACE.search(body, at)
    return match.start() if match else len(body)


def _moved(
    marks: tuple[Span, ...], starts: list[int], ends: list[int], at: list[int]
) -> tuple[Span, ...]:
    """The marks that fall inside the kept pieces, at their offsets in the snippet (a mark
    spans pieces only when it covers the spaces between them)."""
    if not starts:
        return ()
    first, last = starts[0], ends[-1]
    moved: list[Span] = []
    for m_start, m_end in marks:
        if m_start < first or m_end > last:
            continue
        i = bisect_right(starts, m_start) - 1  # the piece holding the mark's first character
        j = bisect_left(ends, m_end)  # the piece holding its last one
        if m_start >= ends[i] or j >= len(starts) or m_end <= starts[j]:
            continue  # it starts or ends in the white space between pieces
        new_start, new_end = at[i] + m_start - starts[i], at[j] + m_end - starts[j]
        if new_end > new_start:
            moved.append((new_start, new_end))
    return tuple(moved)
