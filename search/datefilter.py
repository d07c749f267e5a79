"""The --since/--until date filter, built as a query object (never a query string parsed again),
and the order of a search by date.

`--since 2004 --until 2005` keeps articles dated from 1 January 2004 to 31 December 2005, the
whole of each end's year, month or day; an article without a date is left out, and the engine
says how many were.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from whoosh import query as wq
from whoosh.util.times import TimeError, adatetime, datetime_to_long, long_to_datetime

from index import schema as S
from index.errors import UsageError

# What --since and --until take: a year, a month or a day, with an optional time of day.
_DATE = re.compile(
    r"^(?P<year>\d{4})(?:-(?P<month>\d\d?)(?:-(?P<day>\d\d?)"
    r"(?:[T ](?P<hour>\d\d?)(?::(?P<minute>\d\d)(?::(?P<second>\d\d))?)?)?)?)?$"
)
_FORMS = "write it as 2016, 2016-02 or 2016-02-10"
# The sortable date column's value for an article without a date (Whoosh's NumericColumn default).
NO_DATE = 2**64 - 1


@dataclass(frozen=True)
class DateFilter:
    since: str | None
    until: str | None
    query: wq.Query  # a NumericRange over the date field's stored form

    def describe(self) -> str:
        """The filter in words, for --explain."""
        ends = []
        if self.since:
            ends.append(f"from {self.since}")
        if self.until:
            ends.append(f"until {self.until} (inclusive)")
        return f"date {' '.join(ends)}; articles without a date are left out"


def date_filter(since: str | None, until: str | None) -> DateFilter | None:
    """The filter for --since/--until, None without either; UsageError for what is no date."""
    if not since and not until:
        return None
    low = _bound("--since", since, ceiling=False)
    high = _bound("--until", until, ceiling=True)
    if low is not None and high is not None and low > high:
        raise UsageError(f"--since {since} is after --until {until}: swap them")
    return DateFilter(since or None, until or None, wq.NumericRange(S.DATE, low, high))


def _bound(option: str, value: str | None, ceiling: bool) -> int | None:
    if not value:
        return None
    match = _DATE.match(value.strip())
    if match is None:
        raise UsageError(f"{option} {value!r} is not a date: {_FORMS}")
    parts = {k: int(v) for k, v in match.groupdict().items() if v is not None}
    try:
        partial = adatetime(**parts)
        moment = partial.ceil() if ceiling else partial.floor()
    except (ValueError, TimeError) as exc:  # 2004-13: a date's shape, not on the calendar
        raise UsageError(f"{option} {value!r} is not a date ({exc}): {_FORMS}") from None
    return int(datetime_to_long(moment))


def sorting_for(sort: str) -> dict[str, Any]:
    """Whoosh's sort arguments: by score, or by date with undated articles last either way."""
    if sort == "score":
        return {}
    from whoosh import sorting

    if sort == "date":  # the column gives an undated article the largest value: last already
        return {"sortedby": sorting.FieldFacet(S.DATE)}
    dated_first = sorting.TranslateFacet(_undated_lowest, sorting.FieldFacet(S.DATE))
    return {"sortedby": dated_first, "reverse": True}


def _undated_lowest(value: int) -> int:
    return -1 if value == NO_DATE else value


def date_range(reader: Any) -> dict[str, Any]:
    """How many articles carry a date, and the earliest and latest (for stats)."""
    if not reader.has_column(S.DATE):
        return {}
    column = reader.column_reader(S.DATE, translate=False)
    values = [v for v in (column[d] for d in reader.all_doc_ids()) if v != NO_DATE]
    if not values:
        return {}
    first, last = (long_to_datetime(v).date().isoformat() for v in (min(values), max(values)))
    return {"dated": len(values), "first_date": first, "last_date": last}
