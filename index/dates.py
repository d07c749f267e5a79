"""Article dates from JSON fields and HTML metadata, normalised to ISO 8601 strings.

A date alone becomes ``YYYY-MM-DD``; a time keeps its offset (``2016-02-25T10:00:00+00:00``).
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from email.utils import parsedate_to_datetime

# Formats tried after ISO 8601 and RFC 2822; day/month-ambiguous forms (01/02/2016) are left out.
_FORMATS: tuple[str, ...] = (
    "%d %B %Y",
    "%d %b %Y",
    "%B %d %Y",
    "%b %d %Y",
    "%d %B %Y %H:%M",
    "%B %d %Y %H:%M",
    "%Y/%m/%d",
    "%Y/%m/%d %H:%M:%S",
    "%Y.%m.%d",
    "%d.%m.%Y",
)
_WEEKDAY = re.compile(r"^(mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+", re.IGNORECASE)
_ZONE = re.compile(r"\s+(gmt|utc|z)$", re.IGNORECASE)
_ORDINAL = re.compile(r"\b(\d{1,2})(st|nd|rd|th)\b", re.IGNORECASE)
# Unix timestamps are accepted between 1970 and 2100; larger values are read as milliseconds.
_MAX_SECONDS = 4_102_444_800


def normalise_date(value: object) -> str | None:
    """An ISO 8601 string for `value`, or None when it is missing or cannot be read as a date."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float):
        return _from_timestamp(float(value))
    if not isinstance(value, str) or not value.strip() or len(value) > 100:
        return None
    text = value.strip()
    return _from_iso(text) or _from_rfc2822(text) or _from_formats(text)


def _from_timestamp(seconds: float) -> str | None:
    if seconds > _MAX_SECONDS:
        seconds /= 1000
    if not 0 <= seconds <= _MAX_SECONDS:
        return None
    return datetime.fromtimestamp(seconds, tz=UTC).isoformat()


def _from_iso(text: str) -> str | None:
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        try:
            return date.fromisoformat(text).isoformat()
        except ValueError:
            return None
    if not re.match(r"\d{4}-\d{2}-\d{2}[T ]\d", text):
        return None
    try:
        return datetime.fromisoformat(text).isoformat()
    except ValueError:
        return None


def _from_rfc2822(text: str) -> str | None:
    if not re.search(r"\d{1,2}:\d{2}", text):  # RFC 2822 dates always carry a time
        return None
    try:
        return parsedate_to_datetime(text).isoformat()
    except (TypeError, ValueError, IndexError):
        return None


def _from_formats(text: str) -> str | None:
    text = _ORDINAL.sub(r"\1", _ZONE.sub("", _WEEKDAY.sub("", text)))
    text = " ".join(text.replace(",", " ").split())
    for fmt in _FORMATS:
        try:
            parsed = datetime.strptime(text, fmt)
        except ValueError:
            continue
        if "%H" in fmt:
            return parsed.isoformat()
        return parsed.date().isoformat()
    return None


_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
    r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
_DATELINE = re.compile(
    rf"\b(?:{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+(?:19|20)\d\d"
    rf"|\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH},?\s+(?:19|20)\d\d"
    r"|(?:19|20)\d\d-\d\d-\d\d)\b"
)
# A dateline opens the article: the date must sit in its opening line, or in the part of it
# before a dash ("BEIRUT, Feb. 22, 2016 (AP) - ..."), next to nothing but a place, a news
# agency, a label ("Published:", "Updated") or a time of day. A date inside a sentence
# ("results for the three months to 31 December 2004") is some other event's.
DATELINE_CHARS = 200
_OPENING_END = re.compile(r"\n|\s[-\u2013\u2014]+\s|\s--\s|\)\s*[-\u2013\u2014:]|\|")
_AGENCY = re.compile(r"\([^()]{1,40}\)")
_TIME = re.compile(r"\b\d{1,2}[:.]\d\d(?:\s*[ap]\.?m\.?)?\b|\b\d{1,2}\s*[ap]\.?m\.?", re.IGNORECASE)
_DATELINE_LABELS = frozenset(
    {"published", "updated", "posted", "last", "modified", "first", "on", "at", "date", "dated"}
    | {"by", "gmt", "utc", "bst", "est", "edt", "cet", "pst", "am", "pm", "et", "local", "time"}
)
_DATELINE_WORD = re.compile(r"[^\W\d_][\w.'\u2019&-]*")


def dateline_date(body: str) -> str | None:
    """The date of a dateline opening the text ("BEIRUT, Feb. 22, 2016 (AP) -",
    "22 February 2016", "Published: 2016-02-22 10:30 GMT"); None for a date in a sentence."""
    opening = body.lstrip()[:DATELINE_CHARS]
    end = _OPENING_END.search(opening)
    if end is not None:
        opening = opening[: end.start() + (1 if end.group().startswith(")") else 0)]
    match = _DATELINE.search(opening)
    if match is None:
        return None
    # After the date, a colon also ends the dateline ("LONDON, 22 February 2016: ...").
    after = opening[match.end() :].split(": ", 1)[0]
    rest = opening[: match.start()] + " " + after
    if not _only_dateline_words(_TIME.sub(" ", _AGENCY.sub(" ", rest))):
        return None
    return normalise_date(match.group().replace(".", ""))


def _only_dateline_words(rest: str) -> bool:
    """Whether what surrounds the date is a place, an agency or a label, not a sentence."""
    words = _DATELINE_WORD.findall(rest)
    if len(words) > 8:
        return False
    return all(w[0].isupper() or w.lower().rstrip(".:") in _DATELINE_LABELS for w in words)
