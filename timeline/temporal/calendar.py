"""Calendar arithmetic for TIMEX3 values: periods, their starts, shifts and resolution.

Pure functions on dates; nothing here knows about text. A `Period` is a TIMEX3 DATE value
with its granularity and first day, e.g. Period("2025-08", "month", date(2025, 8, 1)).
A result before year 1 or after 9999, where Python's calendar ends, raises OutOfRange: only
a document date at the calendar's edge leads there ("last year" written in year 1).
"""
from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

GRANULARITIES = ("day", "week", "month", "quarter", "half", "season", "year", "decade", "century")

SEASON_START = {"SP": 3, "SU": 6, "FA": 9, "WI": 12}


@dataclass(frozen=True)
class Period:
    value: str
    granularity: str
    start: dt.date


class OutOfRange(ValueError):
    """A date before 1 January of year 1 or after 31 December 9999."""


def _date(y: int, m: int, d: int) -> dt.date:
    """dt.date(y, m, d) for a day that exists in any year; OutOfRange outside years 1-9999."""
    if not dt.MINYEAR <= y <= dt.MAXYEAR:
        raise OutOfRange(f"year {y} is outside the calendar ({dt.MINYEAR}-{dt.MAXYEAR})")
    return dt.date(y, m, d)


def _plus(d: dt.date, *, days: float = 0, weeks: float = 0) -> dt.date:
    """d moved by days and weeks; OutOfRange when that leaves the calendar."""
    try:
        return d + dt.timedelta(days=days, weeks=weeks)
    except OverflowError:
        raise OutOfRange(f"{d.isoformat()} moved by {days} days and {weeks} weeks is outside the calendar") from None


def day(year: int, month: int, d: int) -> Period | None:
    """A day, or None when the calendar has no such day (June 31)."""
    try:
        date = dt.date(year, month, d)
    except ValueError:
        return None
    return Period(date.isoformat(), "day", date)


def month(year: int, m: int) -> Period:
    return Period(f"{year:04d}-{m:02d}", "month", _date(year, m, 1))


def year(y: int) -> Period:
    return Period(f"{y:04d}", "year", _date(y, 1, 1))


def quarter(y: int, q: int) -> Period:
    return Period(f"{y:04d}-Q{q}", "quarter", _date(y, 3 * (q - 1) + 1, 1))


def half(y: int, h: int) -> Period:
    """The first (h=1) or second (h=2) half of year y."""
    return Period(f"{y}-H{h}", "half", _date(y, 1 + 6 * (h - 1), 1))


def week(date: dt.date) -> Period:
    iso = date.isocalendar()
    monday = _plus(date, days=-(date.isoweekday() - 1))
    return Period(f"{iso.year:04d}-W{iso.week:02d}", "week", monday)


def week_of_month(y: int, m: int, nth: int) -> Period:
    """The nth week (1-4) of a month: the ISO week holding its day 7 * (nth - 1) + 1; nth -1,
    its last week: the one holding its last Thursday (ISO's rule for weeks)."""
    first = _date(y, m, 1)
    if nth > 0:
        return week(_plus(first, weeks=nth - 1))
    last = _plus(relative(first, "month", 1).start, days=-1)
    return week(_plus(last, days=-((last.isoweekday() - 4) % 7)))


def weekend(anchor: dt.date, step: int) -> Period:
    """The weekend of anchor's week moved by `step` weeks; step -1 from a weekday is the last one."""
    base = _plus(anchor, weeks=step)
    if step == -1 and anchor.isoweekday() >= 6:
        base = _plus(anchor, weeks=-1)
    w = week(base)
    return Period(w.value + "-WE", "week", _plus(w.start, days=5))


def season(y: int | None, code: str) -> Period:
    y = y if y is not None else 0
    return Period(f"{y:04d}-{code}", "season", _date(max(y, 1), SEASON_START[code], 1))


def decade(first: int) -> Period:
    """The decade whose first year is `first`: 1990 -> 199X."""
    return Period(f"{first // 10:03d}X", "decade", _date(first, 1, 1))


def decade_named(tens: int, dct: dt.date) -> Period:
    """'the nineties' (tens 9): in the 1900s when that decade had begun by dct, else the 1800s."""
    century = 19 if (1900 + tens * 10) <= dct.year else 18
    return decade(century * 100 + tens * 10)


def decade_abbreviated(tens: int, dct: dt.date) -> Period:
    """"the '90s" (tens 9): in dct's century when that decade had begun by dct, else the one before."""
    century = dct.year // 100 if (dct.year // 100) * 100 + tens * 10 <= dct.year else dct.year // 100 - 1
    return decade(century * 100 + tens * 10)


def two_digit_year(yy: int, dct: dt.date) -> int:
    """A year written with two digits ("octobre 98") read from `dct`: in dct's century unless
    that would be more than ten years after dct, else in the century before."""
    year = (dct.year // 100) * 100 + yy
    return year - 100 if year > dct.year + 10 else year


def century(n: int) -> Period:
    """The n-th century: 20 -> TIMEX3 '19' (the 1900s)."""
    return Period(f"{n - 1:02d}", "century", _date(max((n - 1) * 100, 1), 1, 1))


def start_of(value: str, granularity: str) -> dt.date:
    """The first day of a DATE value the tagger produced."""
    y = int(value[:4]) if value[:4].isdigit() else 1
    y = max(y, 1)
    if granularity == "day":
        return dt.date.fromisoformat(value[:10])
    if granularity == "month":
        return dt.date(y, int(value[5:7]), 1)
    if granularity == "quarter":
        return dt.date(y, 3 * (int(value[6]) - 1) + 1, 1)
    if granularity == "half":
        return dt.date(y, 1 if value.endswith("1") else 7, 1)
    if granularity == "season":
        return dt.date(y, SEASON_START[value[-2:]], 1)
    if granularity == "week":
        return dt.date.fromisocalendar(y, int(value[6:8]), 6 if value.endswith("WE") else 1)
    if granularity == "decade":
        return dt.date(int(value[:3]) * 10, 1, 1)
    if granularity == "century":
        return dt.date(max(int(value[:2]) * 100, 1), 1, 1)
    return dt.date(y, 1, 1)


def weekday_of(p: Period) -> int:
    return p.start.isoweekday()


def year_with_weekday(m: int, d: int, weekday: int, dct: dt.date) -> Period | None:
    """The year near dct in which month/day falls on `weekday` (for 'Thursday, Sept. 11')."""
    for y in (dct.year, dct.year - 1, dct.year + 1):
        p = day(y, m, d)
        if p and p.start.isoweekday() == weekday:
            return p
    return None


def infer_year(dct: dt.date, m: int | None, d: int | None, tense: str) -> int:
    """The year of a month (and day) written without one.

    Past tense: the latest such date on or before dct, except a day at most NEAR_DAYS after
    dct, which is that coming day; future: the first on or after dct; no tense cue: whichever
    is nearer to dct.
    """
    if m is None:
        return dct.year
    key = (m, d or 1)
    now = (dct.month, dct.day if d else 1)
    if tense == "past":
        if key > now and d and 0 < (_day_or_last(dct.year, m, d) - dct).days <= NEAR_DAYS:
            return dct.year  # "will redeem the preferred shares on Oct. 31", written Oct. 27
        return dct.year - 1 if key > now else dct.year
    if tense == "future":
        return dct.year + 1 if key < now else dct.year
    def distance(y: int) -> float:
        days = (_date(y, m, min(d or 1, 28)) - dct).days
        return days * FUTURE_WEIGHT if days > 0 else -days
    return min((dct.year, dct.year - 1, dct.year + 1), key=distance)


def _day_or_last(year: int, month: int, d: int) -> dt.date:
    """The day, or the month's last day for one the month lacks (Feb. 30)."""
    while True:
        try:
            return dt.date(year, month, d)
        except ValueError:
            d -= 1


# A day this close after the text's date is the coming one whatever tense is near it: a day
# a year back would have its year written.
NEAR_DAYS = 10

# News mostly tells what has happened: with no tense cue, a month ahead of the text counts
# this many times its distance against the same month behind it.
FUTURE_WEIGHT = 2.0


def resolve_weekday(dct: dt.date, weekday: int, direction: str, tense: str) -> dt.date:
    """'Thursday' against dct: the latest on or before dct, or the next when the text looks ahead
    (tense 'future'); with tense 'nearest', whichever is nearer (the latest on a tie)."""
    delta_back = (dct.isoweekday() - weekday) % 7
    delta_fwd = (weekday - dct.isoweekday()) % 7
    if direction in ("last", "this past", "past"):
        return _plus(dct, days=-(delta_back or 7))
    if direction in ("next", "this coming", "coming"):
        return _plus(dct, days=delta_fwd or 7)
    if direction == "this":
        return _plus(dct, days=weekday - dct.isoweekday())
    if tense == "future" or (tense == "nearest" and delta_fwd < delta_back):
        return _plus(dct, days=delta_fwd)
    return _plus(dct, days=-delta_back)


def relative(anchor: dt.date, unit: str, step: int) -> Period:
    """The unit containing anchor, moved by step units: ('month', -1) is last month."""
    if unit == "day":
        d = _plus(anchor, days=step)
        return day(d.year, d.month, d.day)
    if unit == "week":
        return week(_plus(anchor, weeks=step))
    if unit == "month":
        total = anchor.year * 12 + anchor.month - 1 + step
        return month(total // 12, total % 12 + 1)
    if unit == "quarter":
        total = anchor.year * 4 + (anchor.month - 1) // 3 + step
        return quarter(total // 4, total % 4 + 1)
    if unit == "decade":
        return decade((anchor.year // 10 + step) * 10)
    if unit == "century":
        c = anchor.year // 100 + step
        return Period(f"{c:02d}", "century", _date(max(c * 100, 1), 1, 1))
    return year(anchor.year + step)


def previous_quarter(dct: dt.date) -> Period:
    return relative(dct, "quarter", -1)


def shift(p: Period, n: int, letter: str) -> Period:
    """A period moved by n years ('Y'); keeps its granularity (2025-Q3 -> 2024-Q3)."""
    years = n if letter == "Y" else 0
    y = int(p.value[:4]) + years
    return Period(f"{y:04d}{p.value[4:]}", p.granularity, _date(max(p.start.year + years, 1), p.start.month, 1)
                  if p.granularity != "day" else _safe_replace_year(p.start, p.start.year + years))


def _safe_replace_year(d: dt.date, y: int) -> dt.date:
    """The same day in year y; 28 February for 29 February in a common year."""
    _date(y, 1, 1)  # OutOfRange outside the calendar
    try:
        return d.replace(year=y)
    except ValueError:  # 29 February
        return d.replace(year=y, day=28)


def offset(anchor: dt.date, amount: float, letter: str) -> Period:
    """anchor moved by amount units ('D', 'W', 'M', 'Y', 'H', ...), at that unit's granularity."""
    if letter in ("S", "MI", "H"):
        d = anchor
        return day(d.year, d.month, d.day)
    if letter == "D":
        d = _plus(anchor, days=round(amount))
        return day(d.year, d.month, d.day)
    if letter in ("W", "WE"):
        d = _plus(anchor, weeks=amount)
        return day(d.year, d.month, d.day) if abs(amount) < 2 else week(d)
    if letter == "M":
        total = anchor.year * 12 + anchor.month - 1 + round(amount)
        return month(total // 12, total % 12 + 1)
    if letter == "Q":
        return relative(anchor, "quarter", round(amount))
    return year(anchor.year + round(amount))


def duration(n, unit: tuple[str, int]) -> str:
    """TIMEX3 duration: (3, ('Y', 10)) -> 'P30Y'; ('X', ('Y', 10)) -> 'PXDE'; hours take 'T'."""
    letter, size = unit
    if n == "X":
        if size == 10:
            return "PXDE"
        if size == 100:
            return "PXCE"
        amount = "X"
    else:
        total = float(n) * size
        amount = str(int(total)) if total == int(total) else f"{total:g}"
    if letter == "WE":
        return f"P{amount}WE"
    if letter in ("H", "MI", "S"):
        return f"PT{amount}{'M' if letter == 'MI' else letter}"
    return f"P{amount}{letter}"


def season_year(dct: dt.date, code: str, direction: str, tense: str) -> int:
    """Which year's season: 'last summer' in September 2025 is 2025-SU, in May 2025 it is 2024-SU."""
    start = SEASON_START[code]
    end_month = (start + 2 - 1) % 12 + 1
    begun = dct.month >= start or (code == "WI" and dct.month <= 2)
    over = dct.month > end_month and not (code == "WI" and dct.month <= 2) and dct.month >= start
    base = dct.year - 1 if (code == "WI" and dct.month <= 2) else dct.year
    if direction in ("last", "this past", "past"):
        return base if over else base - 1
    if direction in ("next", "this coming", "coming"):
        return base + 1 if begun else base
    if direction == "this":
        return base
    if tense == "past" and not begun:
        return base - 1
    if tense == "future" and over:
        return base + 1
    return base


def relative_month_year(dct: dt.date, m: int, direction: str) -> int:
    """'last November' is the latest November before dct's month; 'next April' the first after."""
    if direction in ("last", "this past", "past"):
        return dct.year if m < dct.month else dct.year - 1
    if direction in ("next", "this coming", "coming"):
        return dct.year if m > dct.month else dct.year + 1
    return dct.year


def holiday(y: int, rule) -> Period | None:
    """A holiday's day in year y: rule 'MM-DD', or [n, weekday, month] (n=-1: the last)."""
    if isinstance(rule, str):
        m, d = map(int, rule.split("-"))
        return day(y, m, d)
    n, weekday, m = rule
    days = [d for d in range(1, calendar.monthrange(y, m)[1] + 1) if _date(y, m, d).isoweekday() == weekday]
    return day(y, m, days[n - 1] if n > 0 else days[-1])
