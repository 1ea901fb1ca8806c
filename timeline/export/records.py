"""What the publishing formats share: a frame's rows as plain records and JSON cells, the
dated rows in order, dates in words ("11 September 2025", "August 2025", month names from
`timeline.lang.month_names`) and a default title.
"""
from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

import pandas as pd

from timeline.atomic import write_bytes
from timeline.frame.span import story_span
from timeline.lang import month_names
from timeline.figures.printing import VIEWS  # noqa: F401  (what a print or page shows)
from timeline.schema import NAMES



# The one atomic write (files.py and printing.py import it by this name).
_atomic_write = write_bytes


def _json_text(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False, indent=1, allow_nan=False) + "\n"


def _records(frame: pd.DataFrame) -> list[dict]:
    columns = [frame[n].tolist() for n in NAMES]
    return [dict(zip(NAMES, row)) for row in zip(*columns)]


def _dated(frame: pd.DataFrame) -> pd.DataFrame:
    """The dated rows of a validated frame, in date order (then end, then event_id)."""
    rows = frame[frame["dated"] & frame["date"].notna()]
    return rows.sort_values(["date", "end", "event_id"], kind="stable").reset_index(drop=True)


_SEASON_NAMES = {"SP": "spring", "SU": "summer", "FA": "autumn", "WI": "winter"}


_CLOCK = re.compile(r"T(\d\d):(\d\d)(?::(\d\d))?")


def _day_words(d: dt.date) -> str:
    return f"{d.day} {month_names()[d.month - 1]} {d.year}"


def format_period(date: Any, end: Any, granularity: str, timex: str = "") -> str:
    """A period in words, as a reader would write it: "11 September 2025", "September 2025",
    "week of 8 September 2025", "July–September 2025", "summer 2021", "the 2010s".

    `date` and `end` are the frame's first and last day (anything pandas reads as a date),
    `timex` adds the clock time of a time event. '' for an undated event.
    """
    if date is None or pd.isna(date) or not granularity:
        return ""
    d = pd.Timestamp(date).date()
    e = pd.Timestamp(end).date() if end is not None and not pd.isna(end) else d
    if granularity == "time":
        clock = _CLOCK.search(timex or "")
        return _day_words(d) + (f", {clock.group(1)}:{clock.group(2)}" if clock else "")
    if granularity == "day":
        if e > d:
            return f"{_day_words(d)} – {_day_words(e)}"
        return _day_words(d)
    if granularity == "week":
        if (e - d).days == 1 and d.weekday() == 5:
            return f"weekend of {d.day}–{_day_words(e)}" if d.month == e.month else f"weekend of {_day_words(d)}"
        return f"week of {_day_words(d)}"
    if granularity == "month":
        return f"{month_names()[d.month - 1]} {d.year}"
    if granularity == "season":
        m = re.search(r"-(SP|SU|FA|WI)$", timex or "")
        name = _SEASON_NAMES[m.group(1)] if m else {3: "spring", 6: "summer", 9: "autumn", 12: "winter"}.get(d.month)
        if name:
            return f"{name} {d.year}" + (f"–{str(e.year)[-2:]}" if e.year != d.year else "")
    if granularity in ("quarter", "half", "season"):
        first, last = month_names()[d.month - 1], month_names()[e.month - 1]
        return f"{first}–{last} {e.year}" if d.year == e.year else f"{first} {d.year} – {last} {e.year}"
    if granularity == "year":
        return str(d.year) if e.year == d.year else f"{d.year}–{e.year}"
    if granularity == "decade":
        return f"the {d.year}s"
    return f"{d.year}–{e.year}"


def default_title(frame: pd.DataFrame) -> str:
    """"Chronology, 2020–2025" from the dated events' years, a lone stray year left out
    (`timeline.frame.span.story_span`); "Chronology" when there are none."""
    years = story_span(frame)
    if years is None:
        return "Chronology"
    return f"Chronology, {years.first}" + (f"–{years.last}" if years.last != years.first else "")


def _cut(text: str, n: int) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"
