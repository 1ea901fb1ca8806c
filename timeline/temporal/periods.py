"""TIMEX3 DATE values as periods of the calendar: first day, last day, granularity.

Shared by the events stage (an event's `date`/`end`) and the frame (overrides that set a
date); pure functions, no text.
"""
from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Callable

_SEASON_MONTHS = {"SP": (3, 5), "SU": (6, 8), "FA": (9, 11), "WI": (12, 2)}


def _last_day(y: int, m: int) -> dt.date:
    return dt.date(y, m, calendar.monthrange(y, m)[1])


def _months(y1: int, m1: int, y2: int, m2: int) -> tuple[dt.date, dt.date]:
    return dt.date(y1, m1, 1), _last_day(y2, m2)


def _one_day(g: dict) -> tuple[dt.date, dt.date]:
    d = dt.date(int(g["y"]), int(g["m"]), int(g["d"]))
    return d, d


def _iso_week(g: dict) -> tuple[dt.date, dt.date]:
    monday = dt.date.fromisocalendar(int(g["y"]), int(g["w"]), 1)
    return monday, monday + dt.timedelta(days=6)


def _weekend(g: dict) -> tuple[dt.date, dt.date]:
    saturday = dt.date.fromisocalendar(int(g["y"]), int(g["w"]), 6)
    return saturday, saturday + dt.timedelta(days=1)


def _season(g: dict) -> tuple[dt.date, dt.date]:
    y = int(g["y"])
    first, last = _SEASON_MONTHS[g["s"]]
    # Winter starts in December and ends in February of the next year.
    return _months(y, first, y + (last < first), last)


# TIMEX3 DATE value shapes, most specific first: (pattern, granularity, first and last day).
_TIMEX_SHAPES: tuple[tuple[re.Pattern, str, Callable[[dict], tuple[dt.date, dt.date]]], ...] = tuple(
    (re.compile(p), g, f) for p, g, f in (
        (r"(?P<y>\d{4})-(?P<m>\d\d)-(?P<d>\d\d)T(?:\d\d|MO|AF|EV|NI|DT).*", "time", _one_day),
        (r"(?P<y>\d{4})-(?P<m>\d\d)-(?P<d>\d\d)", "day", _one_day),
        (r"(?P<y>\d{4})-W(?P<w>\d\d)-WE", "week", _weekend),
        (r"(?P<y>\d{4})-W(?P<w>\d\d)", "week", _iso_week),
        (r"(?P<y>\d{4})-(?P<m>\d\d)", "month", lambda g: _months(int(g["y"]), int(g["m"]), int(g["y"]), int(g["m"]))),
        (r"(?P<y>\d{4})-Q(?P<q>[1-4])", "quarter",
         lambda g: _months(int(g["y"]), 3 * int(g["q"]) - 2, int(g["y"]), 3 * int(g["q"]))),
        (r"(?P<y>\d{4})-H(?P<h>[12])", "half",
         lambda g: _months(int(g["y"]), 6 * int(g["h"]) - 5, int(g["y"]), 6 * int(g["h"]))),
        (r"(?P<y>\d{4})-(?P<s>SP|SU|FA|WI)", "season", _season),
        (r"(?P<y>\d{4})", "year", lambda g: _months(int(g["y"]), 1, int(g["y"]), 12)),
        (r"(?P<c>\d{3})X", "decade", lambda g: _months(max(int(g["c"]) * 10, 1), 1, int(g["c"]) * 10 + 9, 12)),
        (r"(?P<c>\d\d)", "century", lambda g: _months(max(int(g["c"]) * 100, 1), 1, int(g["c"]) * 100 + 99, 12)),
    )
)


def period_of(timex: str) -> tuple[dt.date, dt.date, str] | None:
    """The period a TIMEX3 DATE value names: (first day, last day, granularity).

    Shapes: 2025-09-10 (day), 2025-09-10T14:00 (time: that day), 2025-08 (month), 2010
    (year), 2025-W37 (week, Monday to Sunday), 2025-W37-WE (weekend: granularity week,
    Saturday and Sunday), 2025-Q3 (quarter), 2025-H1 (half), 2025-SP/SU/FA/WI (season;
    WI runs from December to the end of February of the next year), 199X (decade), 19
    (century: 1900-1999). Returns None for anything else: PRESENT_REF, durations (P3D),
    values with unknown digits (XXXX-09), impossible dates (2025-02-30), non-strings.
    """
    if not isinstance(timex, str):
        return None
    value = timex.strip()
    for pattern, granularity, bounds in _TIMEX_SHAPES:
        m = pattern.fullmatch(value)
        if m:
            try:
                first, last = bounds(m.groupdict())
            except ValueError:  # month 13, day 31 of June, week 54, year 0
                return None
            return first, last, granularity
    return None
