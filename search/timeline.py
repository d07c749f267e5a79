"""Date histograms: how many articles a query matches per day, week, month or year.

Every period between the first and the last dated match is listed, empty ones included (a gap
is information); matches without a date are counted apart. Dates are read from the date
column (no stored bodies), so a timeline of 50,000 matches reads 50,000 integers.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from index import schema as S
from index.errors import UsageError

PERIODS = ("day", "week", "month", "year")


@dataclass(frozen=True)
class Timeline:
    by: str
    periods: tuple[tuple[str, int], ...]  # (label, count), oldest first, empty periods included
    undated: int

    @property
    def dated(self) -> int:
        return sum(n for _, n in self.periods)

    def records(self) -> list[dict[str, Any]]:
        """One record per period (csv/json/jsonl); the undated count is the last, period null."""
        rows: list[dict[str, Any]] = [{"period": p, "count": n} for p, n in self.periods]
        rows.append({"period": None, "count": self.undated})
        return rows


def check_period(by: str) -> str:
    if by not in PERIODS:
        raise UsageError(f"--by {by!r}: use one of {', '.join(PERIODS)}")
    return by


def period_start(day: date, by: str) -> date:
    """The first day of the period that contains `day` (weeks start on Monday, as ISO's)."""
    if by == "week":
        return day - timedelta(days=day.weekday())
    if by == "month":
        return day.replace(day=1)
    if by == "year":
        return day.replace(month=1, day=1)
    return day


def next_period(start: date, by: str) -> date:
    if by == "day":
        return start + timedelta(days=1)
    if by == "week":
        return start + timedelta(days=7)
    if by == "month":
        return date(start.year + start.month // 12, start.month % 12 + 1, 1)
    return date(start.year + 1, 1, 1)


def label(start: date, by: str) -> str:
    """Short, sortable labels (at most 10 characters): 2004-03-01, 2004-W09, 2004-03, 2004."""
    if by == "week":
        year, week, _ = start.isocalendar()
        return f"{year}-W{week:02d}"
    if by == "month":
        return f"{start.year:04d}-{start.month:02d}"
    if by == "year":
        return f"{start.year:04d}"
    return start.isoformat()


def count_dates(dates: Iterable[datetime | date | None], by: str) -> Timeline:
    """Count dates per period, filling the empty periods between the first and the last."""
    check_period(by)
    counts: Counter[date] = Counter()
    undated = 0
    for value in dates:
        if value is None:
            undated += 1
            continue
        day = value.date() if isinstance(value, datetime) else value
        counts[period_start(day, by)] += 1
    periods: list[tuple[str, int]] = []
    if counts:
        start, last = min(counts), max(counts)
        while start <= last:
            periods.append((label(start, by), counts.get(start, 0)))
            start = next_period(start, by)
    return Timeline(by, tuple(periods), undated)


def _date(value: int | None) -> datetime | None:
    """A date from the sortable date column's raw value; an article without one holds an
    out-of-range value (and an index with no date column, None)."""
    from whoosh.util.times import long_to_datetime

    if value is None:
        return None
    try:
        return long_to_datetime(value)
    except (OverflowError, ValueError):
        return None


def timeline(
    engine: Any,
    text: str,
    by: str = "month",
    since: str | None = None,
    until: str | None = None,
) -> Timeline:
    """The date histogram of every article `text` matches (`engine`: a search.engine.Engine)."""
    check_period(by)
    _, values = engine.matching_values(text, since, until, (S.DATE,), raw=True)
    return count_dates(map(_date, values[S.DATE]), by)
