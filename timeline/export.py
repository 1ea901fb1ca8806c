"""Publishing: the event frame as files newsrooms use, print figures and a standalone page.

- Data files: `write_export(frame, path, format)` writes CSV, JSON, Parquet (through
  `timeline.frame.save`), GeoJSON (`to_geojson`), TimelineJS JSON (`to_timelinejs`) or a
  standalone HTML page (`standalone_html`), always atomically: a temporary file beside
  `path`, then `os.replace`; on failure nothing is left behind.
- Imports: `from_timelinejs(data)` and `from_timelinejs_csv(path)` turn a Knight Lab
  TimelineJS chronology (its JSON, or its Google-sheet CSV) into a frame; `read_input(path)`
  tells a TimelineJS file, a saved frame and an article apart.
- Print: `render(frame, path, fmt=...)` draws `figures.composed_figure` with kaleido and the
  system Chromium into PNG (with its DPI in the pHYs chunk), SVG or PDF at a size given in
  millimetres; `Renderer` keeps one Chromium running for several files (`render_many`).
- Web: `standalone_html(frame)` is one self-contained page (plotly.js and the map geometry
  inline) that renders from disk with no network at all.

Nothing here fetches anything: the map geometry comes from `assets/topojson/` (file:// for
kaleido, inline for the page), MathJax is off, and kaleido's Chromium is given a proxy that
does not exist, so a stray request fails instead of leaving the machine.

TimelineJS dates: a date object holds year, month and day only as far as the event's
granularity goes, so nothing is claimed that the article did not say:

| granularity | start_date | end_date |
|---|---|---|
| time | year, month, day (+ hour, minute when the TIMEX3 value has a clock time) | only if it ends on a later day |
| day | year, month, day | only for a span of days |
| week | year, month, day (the Monday; the Saturday for a weekend) | the Sunday |
| month | year, month | none |
| quarter, half, season | year, month (first month) | year, month (last month) |
| year | year | none |
| decade, century | year (first year) | year (last year) |

Import reads the granularity back from how far the dates go and how long the span is (three
months starting in January, April, July or October: a quarter; Monday to Sunday: a week;
2010 to 2019: a decade; ...), so export then import keeps dates and granularity. A part of
the day without a clock time ("Thursday morning") comes back as a day event.
"""
from __future__ import annotations

import asyncio
import atexit
import contextlib
import csv
import datetime as dt
import functools
import hashlib
import html
import io
import json
import math
import os
import re
import threading
from collections.abc import Iterable, Mapping
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from timeline import frame as fr
from timeline.errors import ExportError, InputError
from timeline.schema import COLUMNS, NAMES

DATA_FORMATS: tuple[str, ...] = ("csv", "json", "parquet", "geojson", "timelinejs", "html")
PRINT_FORMATS: tuple[str, ...] = ("png", "svg", "pdf")
VIEWS: tuple[str, ...] = ("both", "timeline", "map")

# Print limits: a page is at most a metre across; 72 dpi is screen-grade, 1200 is the
# finest any newsroom printer asks for (and 1000 mm at 1200 dpi is already 47,000 px).
MAX_MM = 1000.0
MIN_DPI, MAX_DPI = 72, 1200
CSS_DPI = 96  # SVG and PDF are laid out in CSS pixels (1/96 in), so their pages come out at size
# Height / width of the default page, by view: the map's frame (Belarus and neighbours) is
# about 1.4 times as wide as it is tall; the composed figure stacks the timeline above it.
DEFAULT_ASPECT: dict[str, float] = {"both": 0.9, "timeline": 0.5, "map": 0.72}

CHROMIUM_HINT = ("install Chromium: sudo apt-get install chromium (Debian/Ubuntu), "
                 "or set BROWSER_PATH to a Chrome or Chromium executable")
_DEAD_PROXY = "http://127.0.0.1:9"  # discard port: any http(s) request fails at once

_DTYPES = {c.name: c.dtype for c in COLUMNS}


# --------------------------------------------------------------------------- files

def _atomic_write(path: str | os.PathLike, data: bytes | str) -> Path:
    """Write `data` atomically to `path` (see `frame.atomic_write`); returns the path."""
    payload = data.encode("utf-8") if isinstance(data, str) else data
    fr.atomic_write(Path(path), lambda tmp: tmp.write_bytes(payload))
    return Path(path)


def export_format(path: str | os.PathLike, format: str | None = None) -> str:
    """The export format of `path`: `format` if given, else from the extension (.csv, .json,
    .parquet, .geojson, .html/.htm). TimelineJS JSON shares .json with the frame's JSON, so it
    must be asked for by name ("timelinejs"). Raises ExportError for anything else.
    """
    fmt = (format or {".htm": "html"}.get(Path(path).suffix.lower(), Path(path).suffix.lstrip("."))).lower()
    if fmt not in DATA_FORMATS:
        raise ExportError(f"{path}: unknown export format {fmt or '(no extension)'!r}; "
                          f"use one of {', '.join(DATA_FORMATS)}")
    return fmt


def write_export(frame: pd.DataFrame, path: str | os.PathLike, format: str | None = None, *,
                 title: str | None = None, view: str = "both") -> Path:
    """Write `frame` to `path` as csv, json, parquet, geojson, timelinejs or html; returns the path.

    `format` defaults to the extension (see `export_format`). csv/json/parquet are
    `timeline.frame.save`; geojson is `to_geojson`; timelinejs is `to_timelinejs(title=)`;
    html is `standalone_html(title=, view=)`. The frame is validated first (SchemaError) and
    the file written atomically. Raises ExportError naming the path for an unknown format or
    a path that cannot be written (a missing directory, no permission, a directory).
    """
    fmt = export_format(path, format)
    if fmt in fr.FORMATS:
        return fr.save(frame, path, format=fmt)
    if fmt == "geojson":
        text = _json_text(to_geojson(frame))
    elif fmt == "timelinejs":
        text = _json_text(to_timelinejs(frame, title=title))
    else:
        text = standalone_html(frame, title=title, view=view)
    return _atomic_write(path, text)


def _json_text(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False, indent=1, allow_nan=False) + "\n"


def _json_cell(name: str, v: Any) -> Any:
    """A cell as a JSON value: ISO dates, None for missing, Python scalars, lists of str."""
    dtype = _DTYPES[name]
    if dtype == "list":
        return [str(x) for x in v]
    if dtype.startswith("datetime"):
        if pd.isna(v):
            return None
        ts = pd.Timestamp(v)
        return ts.strftime("%Y-%m-%d") if ts == ts.normalize() else ts.strftime("%Y-%m-%dT%H:%M:%S")
    if dtype in ("Int64", "float64"):
        if pd.isna(v):
            return None
        return int(v) if dtype == "Int64" else float(v)
    if dtype == "bool":
        return bool(v)
    return str(v)


def _records(frame: pd.DataFrame) -> list[dict]:
    columns = [frame[n].tolist() for n in NAMES]
    return [dict(zip(NAMES, row)) for row in zip(*columns)]


def _dated(frame: pd.DataFrame) -> pd.DataFrame:
    """The dated rows of a validated frame, in date order (then end, then event_id)."""
    rows = frame[frame["dated"] & frame["date"].notna()]
    return rows.sort_values(["date", "end", "event_id"], kind="stable").reset_index(drop=True)


# --------------------------------------------------------------------------- GeoJSON

def to_geojson(frame: pd.DataFrame) -> dict:
    """The dated events that have coordinates, as a GeoJSON FeatureCollection (RFC 7946).

    One Feature per event, in date order: `id` is the event_id, the geometry a Point
    [lon, lat] (WGS84), `properties` every column of the schema as a JSON value (dates ISO
    strings, missing values null, list columns arrays). Undated rows and rows without lat/lon
    are left out. Raises SchemaError for a frame that breaks the schema.
    """
    frame = fr.validate(frame)
    rows = _dated(frame)
    rows = rows[rows["lat"].notna() & rows["lon"].notna()]
    features = []
    for rec in _records(rows):
        properties = {n: _json_cell(n, rec[n]) for n in NAMES}
        features.append({
            "type": "Feature",
            "id": properties["event_id"],
            "geometry": {"type": "Point", "coordinates": [round(float(rec["lon"]), 6), round(float(rec["lat"]), 6)]},
            "properties": properties,
        })
    return {"type": "FeatureCollection", "features": features}


# --------------------------------------------------------------------------- dates in words

_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
           "October", "November", "December")
_SEASON_NAMES = {"SP": "spring", "SU": "summer", "FA": "autumn", "WI": "winter"}
_CLOCK = re.compile(r"T(\d\d):(\d\d)(?::(\d\d))?")


def _day_words(d: dt.date) -> str:
    return f"{d.day} {_MONTHS[d.month - 1]} {d.year}"


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
        return f"{_MONTHS[d.month - 1]} {d.year}"
    if granularity == "season":
        m = re.search(r"-(SP|SU|FA|WI)$", timex or "")
        name = _SEASON_NAMES[m.group(1)] if m else {3: "spring", 6: "summer", 9: "autumn", 12: "winter"}.get(d.month)
        if name:
            return f"{name} {d.year}" + (f"–{str(e.year)[-2:]}" if e.year != d.year else "")
    if granularity in ("quarter", "half", "season"):
        first, last = _MONTHS[d.month - 1], _MONTHS[e.month - 1]
        return f"{first}–{last} {e.year}" if d.year == e.year else f"{first} {d.year} – {last} {e.year}"
    if granularity == "year":
        return str(d.year) if e.year == d.year else f"{d.year}–{e.year}"
    if granularity == "decade":
        return f"the {d.year}s"
    return f"{d.year}–{e.year}"


def default_title(frame: pd.DataFrame) -> str:
    """"Chronology, 2020–2025" from the dated events' years; "Chronology" when there are none."""
    dated = frame[frame["dated"].astype(bool) & frame["date"].notna()] if len(frame) else frame
    if not len(dated):
        return "Chronology"
    first, last = pd.Timestamp(dated["date"].min()).year, pd.Timestamp(dated["end"].fillna(dated["date"]).max()).year
    return f"Chronology, {first}" + (f"–{last}" if last != first else "")


# --------------------------------------------------------------------------- TimelineJS export

def _slide_text(sentence: str, source: str, url: str, published: Any) -> str:
    """The slide's text: the evidence sentence, then its source (linked when a URL is known),
    HTML-escaped. `_parse_slide_text` reads this shape back."""
    parts = []
    if sentence:
        parts.append(f"<p>{html.escape(sentence)}</p>")
    if source or url:
        name = html.escape(source or url)
        if re.match(r"https?://", url, re.I):  # never a javascript: or data: link
            name = f'<a href="{html.escape(url, quote=True)}">{name}</a>'
        when = "" if published is None or pd.isna(published) else f", {_day_words(pd.Timestamp(published).date())}"
        parts.append(f'<p class="tl-source">Source: {name}{when}</p>')
    return "".join(parts)


def _tl_date(d: dt.date, precision: str, clock: re.Match | None = None) -> dict:
    out: dict[str, int] = {"year": d.year}
    if precision in ("month", "day", "time"):
        out["month"] = d.month
    if precision in ("day", "time"):
        out["day"] = d.day
    if precision == "time" and clock:
        out["hour"], out["minute"] = int(clock.group(1)), int(clock.group(2))
        if clock.group(3) and int(clock.group(3)):
            out["second"] = int(clock.group(3))
    return out


_PRECISION = {"time": "time", "day": "day", "week": "day", "month": "month", "quarter": "month",
              "half": "month", "season": "month", "year": "year", "decade": "year", "century": "year"}


def _month_end(y: int, m: int) -> dt.date:
    return dt.date(y + (m == 12), m % 12 + 1, 1) - dt.timedelta(days=1)


def _unit_end(d: dt.date, unit: str) -> dt.date:
    """The last day of the day, month or year holding `d`."""
    if unit == "year":
        return dt.date(d.year, 12, 31)
    if unit == "month":
        return _month_end(d.year, d.month)
    return d


def _tl_dates(date: dt.date, end: dt.date, granularity: str, timex: str) -> tuple[dict, dict | None]:
    """start_date and end_date (None when the period is the start's own day, month or year)."""
    unit = "day" if granularity == "time" else _PRECISION[granularity]
    clock = _CLOCK.search(timex or "") if granularity == "time" else None
    start = _tl_date(date, "time" if clock else unit, clock)
    if end <= _unit_end(date, unit):
        return start, None
    # The end at the start's precision when it closes one of its units (a month's last day
    # for a quarter), else as a day.
    return start, _tl_date(end, unit if end == _unit_end(end, unit) else "day")


def to_timelinejs(frame: pd.DataFrame, *, title: str | None = None) -> dict:
    """The dated events as Knight Lab TimelineJS JSON (timeline.knightlab.com/docs/json-format).

    `events`: one slide per dated event, in date order, with `unique_id` (the event_id),
    `start_date` and, for a period, `end_date` (year, month, day as far as the granularity
    goes: see the module docstring), `display_date` (the date as the article wrote it, else
    the period in words), `text.headline` (the title) and `text.text` (the evidence sentence
    and its source, HTML-escaped, the source linked to its URL), `group` (the category).
    `title`: a title slide when `title` is given. `eras`: one per calendar year with events
    when the events span three years or more (at most 30), else none. Undated events are
    left out (a TimelineJS slide needs a date). Raises SchemaError for a frame that breaks
    the schema.
    """
    frame = fr.validate(frame)
    rows = _dated(frame)
    events = []
    for rec in _records(rows):
        date = pd.Timestamp(rec["date"]).date()
        end = pd.Timestamp(rec["end"]).date() if not pd.isna(rec["end"]) else date
        start_date, end_date = _tl_dates(date, max(end, date), rec["granularity"], rec["timex"])
        slide: dict[str, Any] = {"unique_id": rec["event_id"], "start_date": start_date}
        if end_date:
            slide["end_date"] = end_date
        slide["display_date"] = rec["date_text"] or format_period(date, end, rec["granularity"], rec["timex"])
        slide["text"] = {
            "headline": html.escape(rec["title"] or _cut(rec["sentence"], 90), quote=False),
            "text": _slide_text(rec["sentence"], rec["source"], rec["url"], rec["published"]),
        }
        if rec["category"]:
            slide["group"] = rec["category"]
        events.append(slide)
    out: dict[str, Any] = {}
    if title:
        span = format_period(rows["date"].min(), rows["end"].max(), "year") if len(rows) else ""
        out["title"] = {"text": {"headline": html.escape(title, quote=False),
                                 "text": f"<p>{len(events)} events{', ' + span if span else ''}.</p>"}}
    out["events"] = events
    eras = _eras(rows)
    if eras:
        out["eras"] = eras
    return out


def _eras(rows: pd.DataFrame) -> list[dict]:
    if not len(rows):
        return []
    years = sorted(set(rows["date"].dt.year.tolist()))
    if years[-1] - years[0] < 2 or len(years) > 30:
        return []
    return [{"start_date": {"year": y, "month": 1, "day": 1}, "end_date": {"year": y, "month": 12, "day": 31},
             "text": {"headline": str(y)}} for y in years]


def _cut(text: str, n: int) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"


# --------------------------------------------------------------------------- TimelineJS import

class _Text(HTMLParser):
    """The text of an HTML fragment: tags dropped, entities decoded, paragraphs kept apart."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag in ("p", "br", "div", "li"):
            self.parts.append("\n")


def _plain_text(fragment: str) -> str:
    parser = _Text()
    parser.feed(fragment or "")
    parser.close()
    lines = (" ".join(line.split()) for line in "".join(parser.parts).split("\n"))
    return "\n".join(line for line in lines if line)


_SOURCE_P = re.compile(r'<p class="tl-source">Source: (?:<a href="(?P<url>[^"]*)">(?P<linked>.*?)</a>|(?P<name>.*?))'
                       r'(?:, (?P<day>\d{1,2} [A-Z][a-z]+ \d{4}))?</p>\s*$', re.S)


def _parse_slide_text(text: str) -> tuple[str, str, str, Any]:
    """(sentence, source, url, published) from a slide's text; the source line that
    `to_timelinejs` writes is read back, any other text becomes the sentence."""
    m = _SOURCE_P.search(text or "")
    if not m:
        return _plain_text(text).replace("\n", " "), "", "", None
    url = html.unescape(m.group("url") or "")
    source = html.unescape(m.group("linked") if m.group("url") is not None else m.group("name") or "")
    if url and source == url:
        source = ""
    published = pd.Timestamp(m.group("day")).date() if m.group("day") else None
    return _plain_text(text[: m.start()]).replace("\n", " "), source, url, published


class _Where:
    """How an import names an event and its fields in errors (JSON paths or sheet columns)."""

    def __init__(self, event: str, fields: Mapping[str, str]):
        self.event, self.fields = event, fields

    def fail(self, field: str, problem: str) -> InputError:
        return InputError(f"TimelineJS {self.event}: {self.fields.get(field, field)}: {problem}")


_JSON_FIELDS = {f"{side}.{part}": f"{side}_date.{part}" for side in ("start", "end")
                for part in ("year", "month", "day", "hour", "minute", "second", "time")}
_JSON_FIELDS |= {"start": "start_date", "end": "end_date", "headline": "text.headline", "text": "text.text"}
_CSV_FIELDS = {"start.year": "Year", "start.month": "Month", "start.day": "Day", "start.time": "Time",
               "start.hour": "Time", "start.minute": "Time", "start.second": "Time",
               "end.year": "End Year", "end.month": "End Month", "end.day": "End Day", "end.time": "End Time",
               "end.hour": "End Time", "end.minute": "End Time", "end.second": "End Time",
               "start": "Year", "end": "End Year", "headline": "Headline", "text": "Text"}


def _number(value: Any, field: str, where: _Where, low: int, high: int) -> int | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise where.fail(field, f"{value!r} is not a number")
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, str) and re.fullmatch(r"\s*-?\d+\s*", value):
        value = int(value)
    if not isinstance(value, int):
        raise where.fail(field, f"{value!r} is not a whole number")
    if not low <= value <= high:
        raise where.fail(field, f"{value} is outside {low}..{high}")
    return value


_TIME = re.compile(r"\s*(\d{1,2})(?::(\d\d))?(?::(\d\d))?\s*([ap]\.?m\.?)?\s*", re.I)


def _clock(value: Any, field: str, where: _Where) -> tuple[int, int, int] | None:
    """A sheet's Time cell ("14:30", "2:30 pm", "14:30:05") as (hour, minute, second)."""
    if value is None or not str(value).strip():
        return None
    m = _TIME.fullmatch(str(value))
    if not m or (m.group(2) is None and not m.group(4)):
        raise where.fail(field, f"{value!r} is not a time of day (expected e.g. 14:30)")
    hour, minute, second = int(m.group(1)), int(m.group(2) or 0), int(m.group(3) or 0)
    if m.group(4):
        if not 1 <= hour <= 12:
            raise where.fail(field, f"{value!r}: hour {hour} with am/pm")
        hour = hour % 12 + (12 if m.group(4).lower().startswith("p") else 0)
    if hour > 23 or minute > 59 or second > 59:
        raise where.fail(field, f"{value!r} is not a time of day")
    return hour, minute, second


class _TLDate:
    """A TimelineJS date: a year, and month, day, clock time as far as given."""

    def __init__(self, obj: Any, side: str, where: _Where):
        if not isinstance(obj, Mapping):
            raise where.fail(side, f"expected an object with year, month, day, got {type(obj).__name__}")
        self.year = _number(obj.get("year"), f"{side}.year", where, 1, 9999)
        if self.year is None:
            raise where.fail(f"{side}.year", "missing (a TimelineJS date needs a year)")
        self.month = _number(obj.get("month"), f"{side}.month", where, 1, 12)
        self.day = _number(obj.get("day"), f"{side}.day", where, 1, 31)
        hour = _number(obj.get("hour"), f"{side}.hour", where, 0, 23)
        minute = _number(obj.get("minute"), f"{side}.minute", where, 0, 59)
        second = _number(obj.get("second"), f"{side}.second", where, 0, 59)
        clock = _clock(obj.get("time"), f"{side}.time", where) if "time" in obj else None
        if clock and hour is None:
            hour, minute, second = clock
        self.clock = None if hour is None else (hour, minute or 0, second or 0)
        if self.day is not None and self.month is None:
            raise where.fail(f"{side}.day", f"day {self.day} without a month")
        if self.clock is not None and self.day is None:
            raise where.fail(f"{side}.hour", "a time of day without a day")
        if self.day is not None:
            try:
                dt.date(self.year, self.month, self.day)
            except ValueError:
                raise where.fail(f"{side}.day", f"{self.year}-{self.month:02d}-{self.day:02d} is not a date") from None
        self.display = str(obj.get("display_date") or "").strip()

    @property
    def precision(self) -> str:
        return "day" if self.day is not None else "month" if self.month is not None else "year"

    @property
    def first(self) -> dt.date:
        return dt.date(self.year, self.month or 1, self.day or 1)

    @property
    def last(self) -> dt.date:
        if self.day is not None:
            return self.first
        if self.month is not None:
            return _month_end(self.year, self.month)
        return dt.date(self.year, 12, 31)


_SEASON_OF_MONTH = {3: "SP", 6: "SU", 9: "FA", 12: "WI"}


def _period(start: _TLDate, end: _TLDate | None) -> tuple[dt.date, dt.date, str, str]:
    """(first day, last day, granularity, TIMEX3 value) of a slide's dates (module docstring)."""
    first, last = start.first, (end.last if end else start.last)
    if start.clock is not None:
        h, m, s = start.clock
        return first, max(last, first), "time", f"{first.isoformat()}T{h:02d}:{m:02d}" + (f":{s:02d}" if s else "")
    if start.precision == "day":
        if end and end.precision == "day" and first.weekday() == 0 and (last - first).days == 6:
            y, w, _ = first.isocalendar()
            return first, last, "week", f"{y}-W{w:02d}"
        if end and end.precision == "day" and first.weekday() == 5 and (last - first).days == 1:
            y, w, _ = first.isocalendar()
            return first, last, "week", f"{y}-W{w:02d}-WE"
        return first, last, "day", first.isoformat()
    if start.precision == "month":
        if end and end.precision == "month":
            months = (end.year - start.year) * 12 + end.month - start.month + 1
            if months == 3 and start.month % 3 == 1:
                return first, last, "quarter", f"{start.year}-Q{start.month // 3 + 1}"
            if months == 6 and start.month in (1, 7):
                return first, last, "half", f"{start.year}-H{1 if start.month == 1 else 2}"
            if months == 3 and start.month in _SEASON_OF_MONTH:
                return first, last, "season", f"{start.year}-{_SEASON_OF_MONTH[start.month]}"
        return first, last, "month", f"{start.year}-{start.month:02d}"
    if end and end.precision == "year":
        if start.year % 10 == 0 and end.year == start.year + 9:
            return first, last, "decade", f"{start.year // 10:03d}X"
        if start.year % 100 == 0 and end.year == start.year + 99:
            return first, last, "century", f"{start.year // 100:02d}"
    return first, last, "year", f"{start.year:04d}"


def _stable_id(*parts: Any) -> str:
    return "tl-" + hashlib.sha1("\x1f".join(map(str, parts)).encode("utf-8")).hexdigest()[:12]


def _slide_record(slide: Any, where: _Where) -> dict:
    if not isinstance(slide, Mapping):
        raise where.fail("start", f"expected a slide object, got {type(slide).__name__}")
    if "start_date" not in slide:
        raise where.fail("start", "missing (every TimelineJS event needs a start_date)")
    start = _TLDate(slide["start_date"], "start", where)
    end = _TLDate(slide["end_date"], "end", where) if slide.get("end_date") else None
    if end is not None and end.last < start.first:
        raise where.fail("end", f"ends ({end.last}) before it starts ({start.first})")
    text = slide.get("text") or {}
    if not isinstance(text, Mapping):
        raise where.fail("text", f"expected an object with headline and text, got {type(text).__name__}")
    for key in ("headline", "text"):
        if text.get(key) is not None and not isinstance(text.get(key), str):
            raise where.fail(key, f"expected text, got {type(text[key]).__name__}")
    headline = _plain_text(text.get("headline") or "").replace("\n", " ")
    sentence, source, url, published = _parse_slide_text(text.get("text") or "")
    if not headline and not sentence:
        raise where.fail("headline", "an event needs a headline or a text")
    media = slide.get("media") if isinstance(slide.get("media"), Mapping) else {}
    if not source and media.get("credit"):
        source = _plain_text(str(media["credit"]))
    date, last, granularity, timex = _period(start, end)
    group = slide.get("group")
    display = slide.get("display_date") or start.display
    unique_id = slide.get("unique_id")
    return dict(
        event_id=str(unique_id).strip() if unique_id not in (None, "") else "",
        date=date, end=last, granularity=granularity, timex=timex,
        date_text=str(display).strip() if display else "", dated=True,
        title=headline or _cut(sentence, 90), category=str(group).strip() if group is not None else "",
        sentence=sentence or headline, source=source, url=url, published=published,
        confidence=1.0, sources=[source] if source else [],
    )


def _frame_of(records: list[dict], locate: bool, chronology_id: str) -> pd.DataFrame:
    """The frame of imported slides. `chronology_id` (a hash of the whole file) is their
    article_id: rows of one chronology are never merged with each other, only with others."""
    seen: dict[str, int] = {}
    for r in records:
        r["article_id"] = chronology_id
        r["sources"] = r["sources"] or [chronology_id]
        if not r["event_id"]:
            r["event_id"] = _stable_id(r["timex"], r["date_text"], r["title"], r["sentence"], r["source"])
        n = seen.get(r["event_id"], 0)
        seen[r["event_id"]] = n + 1
        if n:  # ids must be unique in a frame: a repeated one gets a suffix
            r["event_id"] = f"{r['event_id']}-{n + 1}"
        if not r["category"]:
            from timeline.events import categorise
            r["category"] = categorise(r["title"], r["sentence"])
        if locate:
            r.update(_locate(f"{r['title']}. {r['sentence']}"))
    return fr.from_records(records)


def _locate(text: str) -> dict:
    """places, countries, lat, lon of a text, by the offline gazetteer (timeline.places)."""
    from timeline import places as pl

    mentions = pl.find_places(text)
    pinned = [p for p in mentions if p.lat is not None and not p.metonym]
    main = None
    for kinds in (("crossing",), ("city", "settlement", "facility"), ("region",), ("country",)):
        main = next((p for p in pinned if p.kind in kinds), None)
        if main:
            break
    return dict(
        places=list(dict.fromkeys(p.name for p in mentions if p.kind != "demonym")),
        countries=list(dict.fromkeys(c for p in mentions for c in (p.countries or (p.country,)) if c)),
        lat=main.lat if main else math.nan, lon=main.lon if main else math.nan,
        place_inferred=bool(main and main.inferred),
    )


def is_timelinejs(data: Any) -> bool:
    """True for TimelineJS JSON: an object whose "events" list holds slides with a start_date."""
    return isinstance(data, Mapping) and isinstance(data.get("events"), list) and any(
        isinstance(e, Mapping) and "start_date" in e for e in data["events"])


def from_timelinejs(data: Mapping | str | bytes, *, locate: bool = True) -> pd.DataFrame:
    """A frame (schema of timeline.schema) from TimelineJS JSON (a parsed object or its text).

    Each slide of `events` becomes a dated event: date, end, granularity and timex from
    start_date/end_date (module docstring), date_text from display_date, title from
    text.headline and sentence from text.text (HTML dropped); the source line
    `to_timelinejs` writes gives source, url and published back; category is the group
    (else `timeline.events.categorise` of the headline); event_id the unique_id (else a hash
    of the slide; a repeated id gets a suffix); confidence 1.0 (an editor's chronology).
    With `locate`, places, countries and coordinates are looked up in the headline and text
    with the offline gazetteer, so the events can be mapped. The title slide and eras are not
    events and are skipped.

    Raises InputError naming the field and the event (its index in `events` and headline)
    for: not an object with an events list, a slide without start_date or year, a month,
    day or time out of range, a date that does not exist, an end before the start, a slide
    with neither headline nor text.
    """
    if isinstance(data, (str, bytes)):
        try:
            data = json.loads(data)
        except ValueError as e:
            raise InputError(f"TimelineJS: not valid JSON ({e})") from None
    if not isinstance(data, Mapping):
        raise InputError(f"TimelineJS: expected an object with an \"events\" list, got {type(data).__name__}")
    events = data.get("events")
    if not isinstance(events, list):
        raise InputError('TimelineJS: field "events" is missing or not a list')
    records = []
    for i, slide in enumerate(events):
        headline = slide.get("text", {}).get("headline") if isinstance(slide, Mapping) and \
            isinstance(slide.get("text"), Mapping) else None
        label = f"events[{i}]" + (f' ("{_cut(_plain_text(headline), 50)}")' if isinstance(headline, str) and headline else "")
        records.append(_slide_record(slide, _Where(label, _JSON_FIELDS)))
    return _frame_of(records, locate, _stable_id(json.dumps(data, sort_keys=True, default=str)))


SHEET_COLUMNS: tuple[str, ...] = (
    "Year", "Month", "Day", "Time", "End Year", "End Month", "End Day", "End Time", "Display Date",
    "Headline", "Text", "Media", "Media Credit", "Media Caption", "Media Thumbnail", "Type", "Group",
    "Background",
)


def _sheet_rows(path: Path, text: str) -> tuple[list[str], list[tuple[int, dict]]]:
    try:
        reader = csv.reader(io.StringIO(text, newline=""))
        header = [h.strip() for h in next(reader, [])]
        rows = [(reader.line_num, row) for row in reader if any(c.strip() for c in row)]
    except csv.Error as e:
        raise InputError(f"{path}: malformed CSV ({e})") from None
    by_name = {h.casefold(): j for j, h in enumerate(header)}
    missing = [c for c in ("Year", "Headline") if c.casefold() not in by_name]
    if missing:
        raise InputError(f"{path}: not a TimelineJS sheet: no column {', '.join(missing)} "
                         f"(expected {', '.join(SHEET_COLUMNS)})")
    out = []
    for line, row in rows:
        cells = {c: (row[by_name[c.casefold()]].strip() if by_name.get(c.casefold(), len(row)) < len(row) else "")
                 for c in SHEET_COLUMNS}
        out.append((line, cells))
    return header, out


def _sheet_slide(cells: dict) -> dict:
    def date(prefix: str) -> dict | None:
        obj = {"year": cells[f"{prefix}Year"], "month": cells[f"{prefix}Month"], "day": cells[f"{prefix}Day"],
               "time": cells[f"{prefix}Time"]}
        return obj if any(obj.values()) else None

    slide: dict[str, Any] = {"start_date": date("") or {}, "text": {"headline": cells["Headline"], "text": cells["Text"]},
                             "display_date": cells["Display Date"], "group": cells["Group"]}
    end = date("End ")
    if end:
        slide["end_date"] = end
    if cells["Media"] or cells["Media Credit"]:
        slide["media"] = {"url": cells["Media"], "credit": cells["Media Credit"], "caption": cells["Media Caption"]}
    return slide


def from_timelinejs_csv(path: str | os.PathLike, *, text: str | None = None, locate: bool = True) -> pd.DataFrame:
    """A frame from a TimelineJS Google-sheet CSV (columns `SHEET_COLUMNS`; Year and Headline
    required, the others optional, names matched without regard to case).

    Rows whose Type is "title" or "era" are not events and are skipped, as are blank rows.
    Each other row is read as `from_timelinejs` reads a slide (Year, Month, Day, Time as the
    start; End Year, End Month, End Day, End Time as the end; Display Date, Headline, Text,
    Group, Media Credit as the source when Text has none). With `text` (an upload, say) that
    text is read and `path` only names it in errors. Raises InputError naming the file, the
    line, the headline and the column for a bad value (see `from_timelinejs`).
    """
    path = Path(path)
    text = fr.read_text_file(path) if text is None else text
    _, rows = _sheet_rows(path, text)
    records = []
    for line, cells in rows:
        if cells["Type"].casefold() in ("title", "era"):
            continue
        label = f"{path} line {line}" + (f' ("{_cut(_plain_text(cells["Headline"]), 50)}")' if cells["Headline"] else "")
        records.append(_slide_record(_sheet_slide(cells), _Where(label, _CSV_FIELDS)))
    return _frame_of(records, locate, _stable_id(text))


# --------------------------------------------------------------------------- reading any input

def input_kind(path: str | os.PathLike) -> str:
    """What the file at `path` holds: "timelinejs" (TimelineJS JSON), "timelinejs-csv" (its
    sheet), "frame" (a frame saved as CSV, JSON or Parquet) or "article" (anything the
    article readers take, .json article feeds included).

    A .json is TimelineJS when it is an object whose "events" list has slides with a
    start_date, a frame when it is a list (or {"events": [...]}) of objects with event_id and
    granularity, else articles. A .csv is a TimelineJS sheet when its header has Year and
    Headline, a frame when it has event_id. Raises InputError for a CSV that is neither, or a
    file that cannot be read.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".parquet":
        return "frame"
    if suffix == ".csv":
        try:
            with open(path, encoding="utf-8-sig", newline="") as f:
                header = {h.strip().casefold() for h in next(csv.reader(f), [])}
        except (OSError, UnicodeDecodeError, csv.Error) as e:
            raise InputError(f"{path}: cannot read ({getattr(e, 'strerror', None) or e})") from None
        if {"year", "headline"} <= header:
            return "timelinejs-csv"
        if "event_id" in header:
            return "frame"
        raise InputError(f"{path}: a CSV that is neither a TimelineJS sheet (Year, Month, Day, ..., Headline) "
                         "nor an event frame (event_id, date, ...)")
    if suffix == ".json":
        try:
            data = json.loads(path.read_bytes().decode("utf-8-sig"))
        except (OSError, ValueError):
            return "article"  # the article reader says what is wrong with it
        if is_timelinejs(data):
            return "timelinejs"
        items = data.get("events") if isinstance(data, dict) else data
        if isinstance(items, list) and items and all(isinstance(e, dict) for e in items) \
                and {"event_id", "granularity"} <= set(items[0]):
            return "frame"
    return "article"


def read_timelinejs(path: str | os.PathLike, *, locate: bool = True) -> pd.DataFrame:
    """A frame from a TimelineJS file: its JSON, or its sheet when the name ends in .csv.
    Raises InputError naming the file (and the event and field) when it cannot be used."""
    path = Path(path)
    if path.suffix.lower() == ".csv":
        return from_timelinejs_csv(path, locate=locate)
    try:
        data = json.loads(path.read_bytes().decode("utf-8-sig"))
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except OSError as e:
        raise InputError(f"{path}: cannot read ({e.strerror or e})") from None
    except ValueError as e:
        raise InputError(f"{path}: not valid JSON ({e})") from None
    try:
        return from_timelinejs(data, locate=locate)
    except InputError as e:
        raise InputError(f"{path}: {e}") from None


# --------------------------------------------------------------------------- print

def print_size(width_mm: float = 180, height_mm: float | None = None, dpi: int = 300,
               view: str = "both", formats: Iterable[str] = ()) -> tuple[float, float, int]:
    """The checked page size (width_mm, height_mm, dpi); height defaults to the view's aspect
    (DEFAULT_ASPECT) times the width. Raises ExportError for a size outside 0 < mm <= MAX_MM,
    a DPI outside MIN_DPI..MAX_DPI or not whole, an unknown view, and for a page too small
    for the figure in any of `formats` (png, svg, pdf)."""
    if view not in VIEWS:
        raise ExportError(f"view must be one of {', '.join(VIEWS)}, not {view!r}")
    for name, value in (("width", width_mm), ("height", height_mm)):
        if value is None and name == "height":
            continue
        if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)) \
                or not math.isfinite(value):
            raise ExportError(f"{name} must be a number of millimetres, not {value!r}")
        if not 0 < value <= MAX_MM:
            raise ExportError(f"{name} {value:g} mm is out of range: give more than 0 and at most {MAX_MM:g} mm")
    if isinstance(dpi, bool) or not isinstance(dpi, (int, np.integer)) and not (
            isinstance(dpi, (float, np.floating)) and float(dpi).is_integer()):
        raise ExportError(f"dpi must be a whole number, not {dpi!r}")
    if not MIN_DPI <= dpi <= MAX_DPI:
        raise ExportError(f"dpi {dpi} is out of range: give {MIN_DPI} to {MAX_DPI}")
    height = float(height_mm) if height_mm is not None else round(float(width_mm) * DEFAULT_ASPECT[view], 1)
    for fmt in formats:
        _figure_px(fmt, float(width_mm), height, int(dpi))
    return float(width_mm), height, int(dpi)


def pixels(mm: float, dpi: float) -> int:
    """Pixels across `mm` millimetres at `dpi`: round(mm / 25.4 * dpi); 180 mm at 300 dpi is 2126."""
    return round(mm / 25.4 * dpi)


def _figure_px(fmt: str, width_mm: float, height_mm: float, dpi: int) -> tuple[int, int]:
    # PNG: the pixels the DPI asks for. SVG and PDF: CSS pixels, which both formats take as
    # 1/96 in, so the page is the size asked; the composed figure scales type and lines with
    # its width, so every format has the same layout.
    per_inch = dpi if fmt == "png" else CSS_DPI
    w, h = pixels(width_mm, per_inch), pixels(height_mm, per_inch)
    if w < 200 or h < 150:
        need_w, need_h = math.ceil(200 / per_inch * 25.4), math.ceil(150 / per_inch * 25.4)
        unit = f"at {dpi} dpi" if fmt == "png" else "for SVG and PDF"
        raise ExportError(f"{width_mm:g} x {height_mm:g} mm is too small for the figure {unit} "
                          f"({w} x {h} px): give at least {need_w} x {need_h} mm")
    return w, h


def _print_format(path: Path, fmt: str | None) -> str:
    fmt = (fmt or path.suffix.lstrip(".")).lower()
    if fmt not in PRINT_FORMATS:
        raise ExportError(f"{path}: unknown print format {fmt or '(no extension)'!r}; use png, svg or pdf")
    return fmt


def _with_dpi(png: bytes, dpi: int) -> bytes:
    """The PNG with its resolution in the pHYs chunk (kaleido writes none)."""
    from PIL import Image

    with Image.open(io.BytesIO(png)) as image:
        out = io.BytesIO()
        image.save(out, format="PNG", dpi=(dpi, dpi), compress_level=6)
    return out.getvalue()


_SVG_ROOT = re.compile(rb'<svg\b[^>]*>')


def _svg_in_mm(svg: bytes, width_mm: float, height_mm: float) -> bytes:
    """The SVG with its root width/height in millimetres (the viewBox keeps the pixel grid),
    so layout programs place it at its print size."""
    m = _SVG_ROOT.search(svg)
    if not m or b"viewBox" not in m.group(0):
        return svg
    root = re.sub(rb'\swidth="[^"]*"', f' width="{width_mm:g}mm"'.encode(), m.group(0), count=1)
    root = re.sub(rb'\sheight="[^"]*"', f' height="{height_mm:g}mm"'.encode(), root, count=1)
    return svg[: m.start()] + root + svg[m.end():]


def topojson_url() -> str:
    """The file:// URL of the offline map geometry directory, as kaleido wants it (trailing /)."""
    from timeline.figures import OFFLINE_TOPOJSON_DIR

    return Path(OFFLINE_TOPOJSON_DIR).resolve().as_uri() + "/"


class Renderer:
    """One headless Chromium (driven by kaleido) that renders print figures, reused for
    every file rendered through it. Chromium starts at the first render and stops at
    `close()` (or the end of a `with` block, or interpreter exit).

        with Renderer() as r:
            r.render(frame, "chronology.png")
            r.render(frame, "chronology.pdf", width_mm=250)

    Renders are serialised (one at a time), so one Renderer may be shared across threads
    (e.g. by a web app's callbacks). `timeout` is the seconds allowed for one figure.
    """

    def __init__(self, *, timeout: float = 90):
        self._timeout = timeout
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._kaleido = None

    def __enter__(self) -> Renderer:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # The browser runs in an event loop of its own thread, so callers need no asyncio (and a
    # caller that already runs a loop, such as a notebook, is not disturbed).
    def _start(self) -> None:
        import kaleido
        from choreographer.errors import ChromeNotFoundError

        loop = asyncio.new_event_loop()
        thread = threading.Thread(target=loop.run_forever, name="timeline-kaleido", daemon=True)
        thread.start()

        async def open_browser():
            k = kaleido.Kaleido(n=1, timeout=self._timeout, mathjax=False, proxy_server=_DEAD_PROXY)
            await k.open()
            return k

        try:
            self._kaleido = asyncio.run_coroutine_threadsafe(open_browser(), loop).result(self._timeout + 30)
        except ChromeNotFoundError:
            self._stop_loop(loop, thread)
            env = os.environ.get("BROWSER_PATH")
            where = f" (BROWSER_PATH={env} is not a file)" if env and not Path(env).is_file() else ""
            raise ExportError(f"no Chromium found to render with{where}: {CHROMIUM_HINT}") from None
        except Exception as e:  # the browser would not start: a broken install, a missing library
            self._stop_loop(loop, thread)
            first = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
            raise ExportError(f"Chromium did not start ({first}); {CHROMIUM_HINT}") from None
        self._loop, self._thread = loop, thread
        atexit.register(self.close)

    @staticmethod
    def _stop_loop(loop: asyncio.AbstractEventLoop, thread: threading.Thread) -> None:
        loop.call_soon_threadsafe(loop.stop)
        thread.join(10)
        with contextlib.suppress(RuntimeError):
            loop.close()

    def close(self) -> None:
        """Stop Chromium; a later render starts it again."""
        with self._lock:
            if self._loop is None:
                return
            loop, thread, k = self._loop, self._thread, self._kaleido
            self._loop = self._thread = self._kaleido = None
            with contextlib.suppress(Exception):
                asyncio.run_coroutine_threadsafe(k.close(), loop).result(30)
            self._stop_loop(loop, thread)
            with contextlib.suppress(Exception):
                atexit.unregister(self.close)

    def image(self, fig, fmt: str, width_px: int, height_px: int) -> bytes:
        """The bytes kaleido renders for plotly figure `fig` (png, svg, pdf) at that size,
        scale 1, map geometry from the offline topojson. Raises ExportError."""
        with self._lock:
            if self._loop is None:
                self._start()
            opts = dict(format=fmt, width=int(width_px), height=int(height_px), scale=1)
            job = self._kaleido.calc_fig(fig, opts=opts, topojson=topojson_url())
            try:
                return asyncio.run_coroutine_threadsafe(job, self._loop).result(self._timeout + 30)
            except Exception as e:
                message = " ".join(str(e).split()) or type(e).__name__
                raise ExportError(f"rendering the {fmt.upper()} failed: {message[:300]}") from None

    def render_bytes(self, frame: pd.DataFrame, fmt: str = "png", *, width_mm: float = 180,
                     height_mm: float | None = None, dpi: int = 300, view: str = "both",
                     title: str | None = None, x_range=None) -> bytes:
        """The print figure of `frame` as PNG, SVG or PDF bytes (see `render`)."""
        if fmt not in PRINT_FORMATS:
            raise ExportError(f"unknown print format {fmt!r}; use png, svg or pdf")
        width_mm, height_mm, dpi = print_size(width_mm, height_mm, dpi, view)
        w, h = _figure_px(fmt, width_mm, height_mm, dpi)
        from timeline.figures import composed_figure

        fig = composed_figure(frame, title=title or default_title(frame), width_px=w, height_px=h, view=view,
                              x_range=x_range or print_range(frame))
        data = self.image(fig, fmt, w, h)
        if fmt == "png":
            return _with_dpi(data, dpi)
        if fmt == "svg":
            return _svg_in_mm(data, width_mm, height_mm)
        return data

    def render(self, frame: pd.DataFrame, path: str | os.PathLike, *, fmt: str | None = None,
               width_mm: float = 180, height_mm: float | None = None, dpi: int = 300,
               view: str = "both", title: str | None = None, x_range=None) -> Path:
        """Render the print figure of `frame` to `path` (see the module function `render`)."""
        path = Path(path)
        fmt = _print_format(path, fmt)
        return _atomic_write(path, self.render_bytes(frame, fmt, width_mm=width_mm, height_mm=height_mm,
                                                     dpi=dpi, view=view, title=title, x_range=x_range))


def print_range(frame: pd.DataFrame, start=None, end=None) -> tuple[pd.Timestamp, pd.Timestamp] | None:
    """The time axis of a print: the whole chronology (first event's first day to the last
    event's last day, padded by 3%) unless `start`/`end` (dates or ISO strings) narrow it."""
    dated = frame[frame["dated"] & frame["date"].notna()] if len(frame) else frame
    if dated.empty and (start is None or end is None):
        return None
    lo = pd.Timestamp(start) if start is not None else dated["date"].min()
    hi = pd.Timestamp(end) if end is not None else dated["end"].max()
    pad = max((hi - lo) * 0.03, pd.Timedelta(days=1))
    return (lo - pad if start is None else lo, hi + pad if end is None else hi)


def render(frame: pd.DataFrame, path: str | os.PathLike, *, fmt: str | None = None, width_mm: float = 180,
           height_mm: float | None = None, dpi: int = 300, view: str = "both", title: str | None = None,
           x_range=None) -> Path:
    """Render the print figure of `frame` (figures.composed_figure: title, timeline and/or
    map, source and credit line) to `path` as PNG, SVG or PDF; returns the path.

    `fmt` defaults to the extension. The page is `width_mm` x `height_mm` (height default:
    DEFAULT_ASPECT of the view times the width). PNG: round(mm / 25.4 * dpi) pixels each way
    (180 mm at 300 dpi: 2126 px) and the DPI in its pHYs chunk. SVG and PDF: vector pages of
    that size in millimetres, holding the title as text; `dpi` does not apply to them. `view`:
    both, timeline or map; `title` defaults to `default_title(frame)`; `x_range` (two dates)
    is the time axis's window, by default the whole chronology (`print_range`). Written atomically.
    Starts (and stops) a Chromium: use `Renderer` or `render_many` for several files.

    Raises ExportError for a size out of range (0 < mm <= 1000, DPI 72..1200, or too small
    for the figure), an unknown format or view, an unwritable path, no Chromium (the message
    says how to install it) or a failed render; SchemaError for a frame missing columns.
    """
    with Renderer() as r:
        return r.render(frame, path, fmt=fmt, width_mm=width_mm, height_mm=height_mm, dpi=dpi,
                        view=view, title=title, x_range=x_range)


def render_bytes(frame: pd.DataFrame, fmt: str = "png", *, width_mm: float = 180, height_mm: float | None = None,
                 dpi: int = 300, view: str = "both", title: str | None = None, x_range=None) -> bytes:
    """The print figure of `frame` as PNG, SVG or PDF bytes (a download, say); see `render`."""
    with Renderer() as r:
        return r.render_bytes(frame, fmt, width_mm=width_mm, height_mm=height_mm, dpi=dpi, view=view,
                              title=title, x_range=x_range)


def render_many(frame: pd.DataFrame, paths: Iterable[str | os.PathLike], *, width_mm: float = 180,
                height_mm: float | None = None, dpi: int = 300, view: str = "both",
                title: str | None = None, renderer: Renderer | None = None, x_range=None) -> list[Path]:
    """Render the print figure of `frame` to each of `paths` (format from each extension)
    with one Chromium session; returns the paths written. Options as for `render`. All
    options and formats are checked before Chromium starts; the first failure raises
    ExportError (files already written stay). Pass a `renderer` to reuse a running one.
    """
    paths = [Path(p) for p in paths]
    formats = [_print_format(p, None) for p in paths]
    width_mm, height_mm, dpi = print_size(width_mm, height_mm, dpi, view, formats=formats)
    own = renderer is None
    r = renderer or Renderer()
    try:
        return [r.render(frame, p, fmt=f, width_mm=width_mm, height_mm=height_mm, dpi=dpi, view=view, title=title,
                         x_range=x_range) for p, f in zip(paths, formats)]
    finally:
        if own:
            r.close()


# --------------------------------------------------------------------------- standalone HTML

# The map's region (figures.MAP_LON_RANGE / MAP_LAT_RANGE, widened as a wide cell widens it)
# with a margin for panning; the geometry outside is kept but coarsened.
_DETAIL_BOX = (5.0, 43.0, 41.0, 62.0)  # lon0, lat0, lon1, lat1
_COARSE_STEP = 12                       # outside the box, keep one point in this many
_UNUSED_LAYERS = ("rivers", "subunits")  # the map draws no rivers or subdivisions


def _coarsen_arc(arc: list, scale, translate, box, step: int) -> list:
    q = np.cumsum(np.asarray(arc, dtype=np.int64).reshape(-1, 2), axis=0)
    n = len(q)
    if n <= 4:
        return arc
    lon, lat = q[:, 0] * scale[0] + translate[0], q[:, 1] * scale[1] + translate[1]
    inside = (lon >= box[0]) & (lon <= box[2]) & (lat >= box[1]) & (lat <= box[3])
    keep = inside.copy()
    keep[1:] |= inside[:-1]  # the points either side of the box, so lines cross its edge right
    keep[:-1] |= inside[1:]
    keep[::step] = True
    keep[[0, n // 3, 2 * n // 3, n - 1]] = True  # a ring of one arc keeps its shape and its winding
    kept = q[keep]
    out = np.vstack([kept[:1], np.diff(kept, axis=0)])
    return out.tolist()


@functools.lru_cache(maxsize=1)
def trimmed_topojson(name: str = "europe_50m") -> str:
    """The offline map geometry `name` as compact JSON for inlining: rivers and subunits
    (not drawn) dropped, arcs outside the map's region (with room to pan) kept at one point
    in _COARSE_STEP. Arc endpoints and topology stay, so country borders still meet and
    polygons still close. Raises ExportError when the file is missing or unreadable.
    """
    from timeline.figures import OFFLINE_TOPOJSON_DIR

    path = Path(OFFLINE_TOPOJSON_DIR) / f"{name}.json"
    try:
        topo = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        raise ExportError(f"{path}: cannot read the map geometry ({e})") from None
    objects = {k: v for k, v in topo["objects"].items() if k not in _UNUSED_LAYERS}
    used = set()

    def walk(arcs):
        for a in arcs:
            if isinstance(a, list):
                walk(a)
            else:
                used.add(a if a >= 0 else ~a)

    for obj in objects.values():
        for geom in obj.get("geometries", [obj]):
            walk(geom.get("arcs", []))
    # Arcs only the dropped layers use are emptied rather than removed, so indices stay valid.
    scale, translate = topo["transform"]["scale"], topo["transform"]["translate"]
    arcs = [_coarsen_arc(a, scale, translate, _DETAIL_BOX, _COARSE_STEP) if i in used else [a[0], [0, 0]]
            for i, a in enumerate(topo["arcs"])]
    out = dict(topo, objects=objects, arcs=arcs)
    return json.dumps(out, separators=(",", ":"))


def _script_json(text: str) -> str:
    """JSON safe inside a <script> element: no "</" (which could close it), no "<!--" (which
    changes how the parser reads it) and no JS line terminators. Hover text keeps its "<br>"
    as written: escaping every "<" would add a tenth to a large page."""
    return (text.replace("<!--", "\\u003c!--").replace("</", "<\\/")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def _credit_line(frame: pd.DataFrame) -> str:
    from timeline.figures import CREDIT

    outlets = [s for s in frame["source"].astype(str).value_counts().index if s] if len(frame) else []
    shown = ", ".join(outlets[:8]) + (f" and {len(outlets) - 8} more" if len(outlets) > 8 else "")
    return (f"Sources: {shown}. " if shown else "") + CREDIT


def _noscript_list(frame: pd.DataFrame) -> str:
    """The chronology as an ordered list (undated events after it), HTML-escaped."""
    e = html.escape
    items = []
    for rec in _records(_dated(frame)):
        when = format_period(rec["date"], rec["end"], rec["granularity"], rec["timex"])
        day = pd.Timestamp(rec["date"]).strftime("%Y-%m-%d")
        source = f' <cite>{e(rec["source"])}</cite>' if rec["source"] else ""
        items.append(f'<li><time datetime="{day}">{e(when)}</time>: {e(rec["title"] or _cut(rec["sentence"], 90))}'
                     f'{source}</li>')
    out = ['<h2>Chronology</h2>\n<ol class="chronology">\n' + "\n".join(items) + "\n</ol>"] if items else []
    undated = frame[~(frame["dated"] & frame["date"].notna())]
    if len(undated):
        rows = [f'<li>{e(r["title"] or _cut(r["sentence"], 90))}'
                + (f' <cite>{e(r["source"])}</cite>' if r["source"] else "") + "</li>" for r in _records(undated)]
        out.append("<h2>Undated</h2>\n<ul>\n" + "\n".join(rows) + "\n</ul>")
    return "\n".join(out) or "<p>No events.</p>"


_PAGE_CSS = """
body { margin: 0; font-family: "Liberation Sans", Arial, Helvetica, sans-serif; color: #222; background: #fff; }
main { max-width: 1200px; margin: 0 auto; padding: 12px; }
h1 { font-size: 1.4rem; margin: 0.2em 0; }
.dek, .credit { color: #666; font-size: 0.85rem; margin: 0.2em 0 0.8em; }
.graph { width: 100%; }
.chronology li, ul li { margin: 0.25em 0; }
time { font-weight: bold; }
cite { color: #666; font-style: normal; }
"""


def standalone_html(frame: pd.DataFrame, *, title: str | None = None, view: str = "both") -> str:
    """One self-contained HTML page of `frame`: the interactive timeline and/or map
    (`view`: both, timeline, map) as the dashboard draws them, a title (default
    `default_title`), a line of sources and data credits, and a <noscript> chronological list.

    plotly.js is inline, and the map geometry is defined as `window.PlotlyGeoAssets` before
    it (trimmed by `trimmed_topojson`), so the page renders from disk or any host with no
    network at all. Article text is escaped everywhere. Raises ExportError for an unknown
    view, SchemaError for a frame that breaks the schema.
    """
    if view not in VIEWS:
        raise ExportError(f"view must be one of {', '.join(VIEWS)}, not {view!r}")
    import plotly.io as pio
    from plotly.offline import get_plotlyjs

    from timeline.figures import map_figure, timeline_figure

    frame = fr.validate(frame)
    title = title or default_title(frame)
    graphs = []
    if view in ("both", "timeline"):
        graphs.append(("timeline", timeline_figure(frame)))
    if view in ("both", "map"):
        graphs.append(("map", map_figure(frame)))
    config = {"responsive": True, "displaylogo": False, "scrollZoom": False}
    divs, calls = [], []
    for name, fig in graphs:
        fig.update_layout(autosize=True, width=None)
        height = int(fig.layout.height or 450)
        divs.append(f'<div id="{name}-graph" class="graph" style="height:{height}px"></div>')
        fig_json = _script_json(pio.to_json(fig, validate=False, pretty=False, remove_uids=True))
        calls.append(f'(function () {{ var fig = {fig_json};\n'
                     f'  Plotly.newPlot("{name}-graph", fig.data, fig.layout, {json.dumps(config)}); }})();')
    n_dated = int((frame["dated"] & frame["date"].notna()).sum())
    dek = f"{n_dated} dated event{'s' if n_dated != 1 else ''}"
    if len(frame) > n_dated:
        dek += f", {len(frame) - n_dated} undated"
    geo = ""
    for name, fig in graphs:
        if name == "map":  # plotly.js names the geometry it wants "<scope>_<resolution>m"
            layer = f"{fig.layout.geo.scope or 'world'}_{int(fig.layout.geo.resolution or 110)}m"
            geo = (f'<script>window.PlotlyGeoAssets = {{topojson: {{"{layer}": {trimmed_topojson(layer)}}}}};'
                   "</script>\n")
    return "\n".join([
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{html.escape(title)}</title>",
        f"<style>{_PAGE_CSS}</style>",
        geo + f"<script>{get_plotlyjs()}</script>",
        "</head>",
        "<body>",
        "<main>",
        f"<h1>{html.escape(title)}</h1>",
        f'<p class="dek">{html.escape(dek)}</p>',
        *divs,
        f"<noscript>\n{_noscript_list(frame)}\n</noscript>",
        f'<p class="credit">{html.escape(_credit_line(frame))}</p>',
        "</main>",
        "<script>\n" + "\n".join(calls) + "\n</script>",
        "</body>",
        "</html>",
        "",
    ])
