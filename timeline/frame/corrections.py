"""Editorial corrections (overrides): read, applied to a frame, recorded one at a time.

An overrides file (CSV, long or wide layout, or YAML) holds `Override`s keyed by `event_id`:
set a field (`OVERRIDE_FIELDS`: date, title, category, place, lat, lon, drop) or, in YAML,
`add:` an event the articles missed. `load_overrides` reads one with errors naming file and
line, `apply_overrides` applies them to a frame, `save_override` records one correction.
"""
from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import math
import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from timeline import bounded
from timeline.atomic import write_bytes
from timeline.errors import OverridesError, SchemaError
from timeline.frame.build import _Bad, _boolean, _number, _ordered, _show, empty_frame, from_records, validate
from timeline.frame.io import read_text_file
from timeline.frame.merge import MERGED_IDS
from timeline.schema import NAMES
from timeline.temporal.periods import period_of

OVERRIDE_FIELDS: tuple[str, ...] = ("date", "title", "category", "place", "lat", "lon", "drop")
"""What a correction can change. `date` takes a TIMEX3-like value (2025-09-10, 2025-08, 2010,
2025-H1, ...) or '' for undated; `place` a name, optionally with coordinates: 'Medininkai
(54.539, 25.650)'; `drop` true removes the event."""

# Fields an `add:` entry may give: the schema's columns, except that `date` (a TIMEX3-like
# value) stands for date, end, granularity and timex together, plus the `place` shorthand.
_ADD_FIELDS = tuple(n for n in NAMES if n not in ("end", "granularity", "timex")) + ("place",)

ADDED_SOURCE = "editor"
"""`source` (and `sources`) of an event added by an overrides file that names none."""


@dataclass(frozen=True)
class Override:
    """One editorial correction: set `field` of event `event_id` to `value`.

    `field` is one of OVERRIDE_FIELDS, or 'add' with `value` a dict of the new event's
    fields. `origin` says where it came from ('fixes.csv line 4') for messages.
    """

    event_id: str
    field: str
    value: Any
    origin: str = ""


_NUMBER = r"[-+]?\d+(?:\.\d*)?"
_PLACE_RE = re.compile(rf"\s*(?P<name>.*?)\s*\(\s*(?P<lat>{_NUMBER})\s*[,;]\s*(?P<lon>{_NUMBER})\s*\)\s*")


def _parse_place(text: str) -> tuple[str, float | None, float | None]:
    m = _PLACE_RE.fullmatch(text)
    if m and m["name"]:
        return m["name"], float(m["lat"]), float(m["lon"])
    return text.strip(), None, None


def _check_coordinate(field: str, v: float, origin: str) -> float:
    limit = 90 if field == "lat" else 180
    if not -limit <= v <= limit:
        raise OverridesError(f"{origin}: {field} {v} is outside -{limit}..{limit}")
    return v


def _override_value(field: str, raw: Any, origin: str) -> Any:
    """The correction's value in canonical form; OverridesError (naming origin) if invalid."""
    if field not in OVERRIDE_FIELDS:
        raise OverridesError(f"{origin}: unknown field {field!r} (expected one of {', '.join(OVERRIDE_FIELDS)})")
    if isinstance(raw, dt.datetime):
        raw = raw.date().isoformat() if raw == dt.datetime.combine(raw.date(), dt.time()) else raw.isoformat()
    elif isinstance(raw, dt.date):
        raw = raw.isoformat()
    if field == "drop":
        try:
            return _boolean(raw)
        except _Bad:
            raise OverridesError(f"{origin}: drop must be true or false, got {_show(raw)}") from None
    if field in ("lat", "lon"):
        try:
            v = _number(raw)
        except _Bad:
            v = math.nan
        if math.isnan(v):
            raise OverridesError(f"{origin}: {field} must be a number, got {_show(raw)}")
        return _check_coordinate(field, v, origin)
    if isinstance(raw, (list, dict)):
        raise OverridesError(f"{origin}: {field} must be text, got {type(raw).__name__}")
    text = "" if raw is None else str(raw).strip()
    if field == "date":
        if text and period_of(text) is None:
            raise OverridesError(f"{origin}: date {text!r} is not a TIMEX3 date value "
                                 "(e.g. 2025-09-10, 2025-08, 2025-W37, 2025-Q3, 2025-H1, 2010, 199X)")
        return text
    if not text:
        raise OverridesError(f"{origin}: {field} is empty")
    if field == "place":
        name, lat, lon = _parse_place(text)
        if lat is not None:
            _check_coordinate("lat", lat, origin)
            _check_coordinate("lon", lon, origin)
        if not name:
            raise OverridesError(f"{origin}: place has coordinates but no name")
    return text


def override(event_id: str, field: str, value: Any, origin: str = "") -> Override:
    """A correction of `field` of `event_id` to `value`, the value checked and in canonical
    form (as an overrides file line gives it). Raises OverridesError naming `origin` (or the
    event) for an unknown field or a bad value."""
    field = str(field).strip().casefold()
    return Override(event_id, field, _override_value(field, value, origin or f"correction of {event_id}"), origin)


def _date_fields(timex: str) -> dict:
    if not timex:
        return {"date": None, "end": None, "granularity": "", "timex": "", "dated": False}
    first, last, granularity = period_of(timex)
    return {"date": first, "end": last, "granularity": granularity, "timex": timex, "dated": True}


def _added_record(event_id: str, entry: Mapping) -> dict:
    record: dict[str, Any] = {"confidence": 1.0, "source": ADDED_SOURCE}
    for k, v in entry.items():
        if k == "date":
            record.update(_date_fields(v))
        elif k == "place":
            name, lat, lon = _parse_place(v)
            record["places"] = [name]
            if lat is not None:
                record["lat"], record["lon"] = lat, lon
        else:
            record[k] = v
    record["event_id"] = event_id
    record.setdefault("sources", [record["source"]] if record["source"] else [])
    return record


def _add_override(entry: Any, origin: str) -> Override:
    if not isinstance(entry, Mapping):
        raise OverridesError(f"{origin}: an added event must be a mapping of field to value, "
                             f"got {type(entry).__name__}")
    entry = {str(k): v for k, v in entry.items()}
    unknown = [k for k in entry if k not in _ADD_FIELDS]
    if unknown:
        raise OverridesError(f"{origin}: unknown field {unknown[0]!r} in an added event "
                             "(give `date` as a TIMEX3 value; end, granularity and timex follow from it)")
    if not str(entry.get("title") or "").strip():
        raise OverridesError(f"{origin}: an added event needs a title")
    for k in ("date", "place"):
        if k in entry:
            entry[k] = _override_value(k, entry[k], origin)
    event_id = str(entry.pop("event_id", "") or "").strip()
    if not event_id:
        # Stable: the same entry always gets the same id, so corrections to it survive.
        canonical = json.dumps(entry, sort_keys=True, ensure_ascii=False, default=str)
        event_id = "ed-" + hashlib.sha1(canonical.encode("utf-8")).hexdigest()[:12]
    try:
        from_records([_added_record(event_id, entry)])
    except SchemaError as e:
        raise OverridesError(f"{origin}: {e}") from None
    return Override(event_id, "add", entry, origin)


def _overrides_kind(path: Path) -> str:
    ext = path.suffix.lower()
    if ext == ".csv":
        return "csv"
    if ext in (".yaml", ".yml"):
        return "yaml"
    raise OverridesError(f"{path}: unknown overrides format {ext or '(no extension)'!r}; use .csv, .yaml or .yml")


def _read_text(path: Path) -> str:
    text = read_text_file(path, OverridesError, "no such overrides file")
    return text.replace("\r\n", "\n").replace("\r", "\n")  # as text mode reads it


def _csv_rows(path: Path, text: str) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """Header (stripped, casefolded) and (line number, cells) of each non-blank row."""
    reader = csv.reader(io.StringIO(text, newline=""))
    header: list[str] | None = None
    rows = []
    try:
        for cells in reader:
            if not any(c.strip() for c in cells):
                continue
            if header is None:
                header = [c.strip().casefold() for c in cells]
                continue
            if len(cells) != len(header):
                raise OverridesError(f"{path} line {reader.line_num}: {len(cells)} fields, "
                                     f"the header has {len(header)}")
            rows.append((reader.line_num, cells))
    except csv.Error as e:
        raise OverridesError(f"{path} line {reader.line_num}: malformed CSV ({e})") from None
    return header or [], rows


def _csv_layout(path: Path, header: list[str]) -> str:
    if "event_id" not in header:
        raise OverridesError(f"{path} line 1: the header needs an event_id column")
    if "field" in header and "value" in header:
        extra = [h for h in header if h not in ("event_id", "field", "value")]
        if extra:
            raise OverridesError(f"{path} line 1: unknown column {extra[0]!r} (long format: event_id, field, value)")
        return "long"
    unknown = [h for h in header if h != "event_id" and h not in OVERRIDE_FIELDS]
    if unknown:
        raise OverridesError(f"{path} line 1: unknown column {unknown[0]!r} "
                             f"(expected event_id, field, value or event_id and any of {', '.join(OVERRIDE_FIELDS)})")
    return "wide"


def _load_csv_overrides(path: Path, text: str) -> list[Override]:
    header, rows = _csv_rows(path, text)
    if not header:
        return []
    layout = _csv_layout(path, header)
    out = []
    for line, cells in rows:
        origin = f"{path} line {line}"
        row = dict(zip(header, cells))
        event_id = row["event_id"].strip()
        if not event_id:
            raise OverridesError(f"{origin}: empty event_id")
        if layout == "long":
            field = row["field"].strip().casefold()
            out.append(Override(event_id, field, _override_value(field, row["value"], origin), origin))
        else:
            for field in header:
                if field != "event_id" and row[field].strip():
                    out.append(Override(event_id, field, _override_value(field, row[field], origin), origin))
    return out


class _YamlLoader(bounded.SafeLoader):
    """The bounded SafeLoader (no aliases, nesting and numbers capped: `timeline.bounded`)
    leaving dates as text: '2025-09-10' is a TIMEX3 value to us, and a YAML timestamp
    would fail to load (2025-13-45) without saying where."""


_YamlLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in bounded.SafeLoader.yaml_implicit_resolvers.items()
}


def _yaml_lines(text: str) -> dict[tuple, int]:
    """1-based line of each top-level key, of each field under it, and of each `add` item:
    {(key,): line, (key, field): line, ("add", i): line}."""
    root = yaml.compose(text, Loader=_YamlLoader)
    lines: dict[tuple, int] = {}
    if isinstance(root, yaml.MappingNode):
        for k, v in root.value:
            key = str(k.value)
            lines[(key,)] = k.start_mark.line + 1
            if isinstance(v, yaml.MappingNode):
                for fk, _ in v.value:
                    lines[(key, str(fk.value).strip().casefold())] = fk.start_mark.line + 1
            elif key == "add" and isinstance(v, yaml.SequenceNode):
                for i, item in enumerate(v.value):
                    lines[("add", i)] = item.start_mark.line + 1
    return lines


def _parse_yaml(path: Path, text: str) -> tuple[Any, dict[tuple, int]]:
    """The YAML data and the lines of its keys (see _yaml_lines); OverridesError naming the
    file and line for malformed YAML."""
    try:
        return bounded.load_yaml(text, str(path), loader=_YamlLoader, error=OverridesError), _yaml_lines(text)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        where = f" line {mark.line + 1}" if mark is not None else ""
        problem = getattr(e, "problem", None) or str(e).splitlines()[0]
        raise OverridesError(f"{path}{where}: malformed YAML ({problem})") from None


def _load_yaml_overrides(path: Path, text: str) -> list[Override]:
    data, lines = _parse_yaml(path, text)
    if data is None:
        return []
    if not isinstance(data, dict):
        raise OverridesError(f"{path} line 1: expected a mapping of event_id to corrections "
                             "(and an optional add: list)")

    def origin(*key) -> str:
        return f"{path} line {lines.get(key, lines.get(key[:1], '?'))}"

    out = []
    for key, fields in data.items():
        key = str(key)
        if key == "add":
            if not isinstance(fields, list):
                raise OverridesError(f"{origin(key)}: add must be a list of events")
            out += [_add_override(entry, origin("add", i)) for i, entry in enumerate(fields)]
            continue
        event_id = key.strip()
        if fields == "drop":
            fields = {"drop": True}
        if not isinstance(fields, dict):
            raise OverridesError(f"{origin(key)}: corrections for {event_id} must be a mapping of field "
                                 "to value, or drop")
        for field, value in fields.items():
            field = str(field).strip().casefold()
            where = origin(key, field)
            out.append(Override(event_id, field, _override_value(field, value, where), where))
    return out


def load_overrides(path: str | os.PathLike) -> list[Override]:
    """The corrections in an overrides file, in file order.

    CSV, long: columns event_id, field, value (one correction a line; an empty date value
    makes the event undated). CSV, wide: event_id plus any of date, title, category, place,
    lat, lon, drop (empty cells change nothing). YAML: a mapping event_id -> {field: value},
    `event_id: drop` as a shorthand, plus an optional `add:` list of new events (schema
    fields, with `date` as a TIMEX3 value and `place` as 'Name (lat, lon)'; an entry without
    event_id gets 'ed-' + a hash of its content). An empty file has no corrections.
    Raises OverridesError naming the file and line for a missing or unreadable file, bad
    syntax, an unknown field, an empty event_id or a value that does not fit its field.
    """
    path = Path(path)
    kind = _overrides_kind(path)
    text = _read_text(path)
    return _load_csv_overrides(path, text) if kind == "csv" else _load_yaml_overrides(path, text)


# Adds first (so corrections may target added events), the place before its coordinates,
# drops last.
_APPLY_ORDER = {"add": 0, "date": 1, "title": 1, "category": 1, "place": 1, "lat": 2, "lon": 2, "drop": 3}


def _apply_one(record: dict, ov: Override) -> None:
    if ov.field == "date":
        record.update(_date_fields(ov.value))
    elif ov.field in ("title", "category"):
        record[ov.field] = ov.value
    elif ov.field == "place":
        name, lat, lon = _parse_place(ov.value)
        record["places"] = [name] + [p for p in record["places"] if p.casefold() != name.casefold()]
        # Old coordinates belonged to the old place; unknown beats wrong.
        record["lat"] = math.nan if lat is None else lat
        record["lon"] = math.nan if lon is None else lon
        record["place_inferred"] = False
    elif ov.field in ("lat", "lon"):
        record[ov.field] = ov.value


def apply_overrides(frame: pd.DataFrame, overrides: Iterable[Override]) -> tuple[pd.DataFrame, list[str]]:
    """Apply corrections to a frame; returns (corrected frame, warnings).

    A date sets date, end, granularity, timex and dated together (period_of); a place
    becomes places[0] with its coordinates, or NaN lat/lon when none are given (a later lat/
    lon correction fills them); drop removes the event; add inserts the event (replacing a
    row of the same event_id, so applying twice gives the same frame). Applying the same
    overrides to a re-parse of the same text gives the same result, since event_id is stable.
    A correction keyed on the id of a report that `merge` folded into another row (an
    earlier article arrived and now gives the row its id) applies to that row. Each
    correction whose event_id is not in the frame gives one warning line naming it and
    where the correction came from; it is never silently dropped. Output is ordered by date
    (undated last), then event_id. Raises SchemaError for a frame that does not validate,
    OverridesError for a correction with an unknown field.
    """
    merged_ids = dict(getattr(frame, "attrs", {}).get(MERGED_IDS) or {})
    records = validate(frame).to_dict("records")
    warnings: list[str] = []
    overrides = sorted(overrides, key=lambda ov: _APPLY_ORDER.get(ov.field, 1))
    for ov in overrides:
        if ov.field != "add" and ov.field not in OVERRIDE_FIELDS:
            raise OverridesError(f"{ov.origin or 'override'}: unknown field {ov.field!r}")
    by_id: dict[str, list[dict]] = {}
    for r in records:
        by_id.setdefault(r["event_id"], []).append(r)
    dropped: set[str] = set()
    for ov in overrides:
        if ov.field == "add":
            added = _added_record(ov.event_id, ov.value)
            records = [r for r in records if r["event_id"] != ov.event_id] + [added]
            by_id[ov.event_id] = [added]
            continue
        key = ov.event_id if ov.event_id in by_id else merged_ids.get(ov.event_id, ov.event_id)
        targets = by_id.get(key)
        if not targets:
            origin = f"{ov.origin}: " if ov.origin else ""
            warnings.append(f"{origin}no event {ov.event_id} in the frame; correction of {ov.field} "
                            f"to {ov.value!r} not applied")
            continue
        if ov.field == "drop":
            if ov.value:
                dropped.add(key)
            continue
        for r in targets:
            _apply_one(r, ov)
    records = [r for r in records if r["event_id"] not in dropped]
    out = _ordered(from_records(records) if records else empty_frame())
    out.attrs[MERGED_IDS] = merged_ids
    return out, warnings


def value_text(value: Any) -> str:
    """A correction's canonical value as the text an overrides file (or the database) holds."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return repr(value) if isinstance(value, float) else str(value)


def save_override(path: str | os.PathLike, event_id: str, field: str, value: Any) -> Path:
    """Record one correction in an overrides file, replacing any earlier value of that field.

    Creates the file when absent (CSV in the long layout event_id, field, value; YAML as a
    mapping), keeps the file's layout and every other entry, and writes atomically. Returns
    the path. Raises OverridesError for an unknown field, an invalid value, an empty
    event_id or an existing file that is malformed; ExportError when it cannot be written.
    YAML comments in an existing file are not kept.
    """
    path = Path(path)
    kind = _overrides_kind(path)
    event_id = str(event_id).strip()
    if not event_id:
        raise OverridesError(f"{path}: a correction needs an event_id")
    field = str(field).strip().casefold()
    value = _override_value(field, value, f"correction of {event_id}")
    exists = path.exists()
    if exists:
        load_overrides(path)  # refuse to rewrite a file we could not read back
    text = _read_text(path) if exists else ""
    if kind == "yaml":
        out = _yaml_with(text, event_id, field, value)
    else:
        out = _csv_with(path, text, event_id, field, value)
    write_bytes(path, out)
    return path


def _yaml_with(text: str, event_id: str, field: str, value: Any) -> str:
    """YAML overrides `text` with `field` of `event_id` set to `value`."""
    data = (yaml.load(text, Loader=_YamlLoader) if text.strip() else None) or {}
    entry = data.get(event_id)
    if not isinstance(entry, dict):
        entry = {"drop": True} if entry == "drop" else {}
    entry[field] = value
    data[event_id] = entry
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, default_flow_style=False)


def _csv_with(path: Path, text: str, event_id: str, field: str, value: Any) -> str:
    """CSV overrides `text` (long or wide layout, kept) with `field` of `event_id` set to `value`."""
    header, rows = _csv_rows(path, text)
    header = header or ["event_id", "field", "value"]
    layout = _csv_layout(path, header)
    table = [dict(zip(header, cells)) for _, cells in rows]
    if layout == "long":
        hit = next((r for r in table if r["event_id"].strip() == event_id
                    and r["field"].strip().casefold() == field), None)
        if hit is None:
            table.append({"event_id": event_id, "field": field, "value": value_text(value)})
        else:
            hit["value"] = value_text(value)
    else:
        if field not in header:
            header.append(field)
        hit = next((r for r in table if r["event_id"].strip() == event_id), None)
        if hit is None:
            hit = {"event_id": event_id}
            table.append(hit)
        hit[field] = value_text(value)
    buf = io.StringIO(newline="")
    w = csv.writer(buf)
    w.writerow(header)
    for r in table:
        w.writerow([r.get(h, "") for h in header])
    return buf.getvalue()
