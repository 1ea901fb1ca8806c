"""TimelineJS (Knight Lab): `to_timelinejs(frame)` exports a chronology, `from_timelinejs(data)`
and `from_timelinejs_csv(path)` read one (its JSON, or its Google-sheet CSV) back into a frame,
and `input_kind(path)` tells a TimelineJS file, a saved frame and an article apart.

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

import csv
import datetime as dt
import hashlib
import html
import io
import json
import math
import os
import re
from collections.abc import Mapping
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pandas as pd

from timeline import bounded
from timeline import frame as fr
from timeline.errors import InputError
from timeline.export.records import _CLOCK, _cut, _dated, _day_words, _records, format_period

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
            from timeline.extract import categorise
            r["category"] = categorise(r["title"], r["sentence"])
        if locate:
            r.update(_locate(f"{r['title']}. {r['sentence']}"))
    return fr.from_records(records)


def _locate(text: str) -> dict:
    """places, countries, lat, lon of a text, by the offline gazetteer (timeline.extract.places)."""
    from timeline.extract import places as pl
    from timeline.extract.placing import main_place

    mentions = pl.find_places(text)
    main = main_place(mentions)
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
    (else `timeline.extract.categorise` of the headline); event_id the unique_id (else a hash
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
            data = bounded.load_json(data, "TimelineJS")
        except (json.JSONDecodeError, UnicodeDecodeError) as e:
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
            with io.TextIOWrapper(bounded.open_file(path), encoding="utf-8-sig", newline="") as f:
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
            data = bounded.load_json(bounded.read_file(path).decode("utf-8-sig"), str(path))
        except (OSError, ValueError):  # InputError and JSONDecodeError among them
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
    text = fr.read_text_file(path)
    try:
        data = bounded.load_json(text, str(path))
    except json.JSONDecodeError as e:
        raise InputError(f"{path}: not valid JSON ({e})") from None
    try:
        return from_timelinejs(data, locate=locate)
    except InputError as e:
        raise InputError(f"{path}: {e}") from None
