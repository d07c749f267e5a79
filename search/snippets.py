"""Snippets: the passage of an article that best shows why it matched, with its marks as spans.

The marks come from the one highlighter (search.highlight); here a window is chosen around the
most of them, cut at words, its white space made single spaces, and the marks moved with it.
"""

from __future__ import annotations

import re

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
    pieces = [(m.start() + start, m.end() + start) for m in _PIECE.finditer(body[start:end])]
    lead = f"{ELLIPSIS} " if cut_before else ""
    out: list[str] = []
    where: list[tuple[int, int, int]] = []  # (start in body, end in body, start in snippet)
    offset = len(lead)
    for p_start, p_end in pieces:
        where.append((p_start, p_end, offset))
        out.append(body[p_start:p_end])
        offset += p_end - p_start + 1
    text = lead + " ".join(out) + (f" {ELLIPSIS}" if cut_after and out else "")
    return Marked(text, _moved(marks, where))


def _word_end(body: str, at: int) -> int:
    match = _SPACE.search(body, at)
    return match.start() if match else len(body)


def _moved(marks: tuple[Span, ...], where: list[tuple[int, int, int]]) -> tuple[Span, ...]:
    """The marks that fall inside the kept pieces, at their offsets in the snippet."""
    if not where:
        return ()
    first, last = where[0][0], where[-1][1]
    moved: list[Span] = []
    for m_start, m_end in marks:
        if m_start < first or m_end > last:
            continue
        start, end = _position(m_start, where, False), _position(m_end, where, True)
        if start is not None and end is not None and end > start:
            moved.append((start, end))
    return tuple(moved)


def _position(offset: int, where: list[tuple[int, int, int]], is_end: bool) -> int | None:
    for p_start, p_end, at in where:
        if p_start <= offset < p_end or (is_end and p_start < offset <= p_end):
            return at + offset - p_start
    return None
