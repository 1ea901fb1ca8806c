"""Data files: `write_export(frame, path, format)` writes CSV, JSON, Parquet (through
`timeline.frame.save`), GeoJSON (`to_geojson`), TimelineJS JSON (`timelinejs.to_timelinejs`)
or a standalone HTML page (`page.standalone_html`), always atomically: a temporary file beside
`path`, then `os.replace`; on failure nothing is left behind.
"""
from __future__ import annotations

import os
from pathlib import Path

import pandas as pd

from timeline import frame as fr
from timeline.errors import ExportError
from timeline.export.page import standalone_html
from timeline.export.records import _atomic_write, _dated, _json_text, _records
from timeline.export.timelinejs import to_timelinejs
from timeline.schema import NAMES

DATA_FORMATS: tuple[str, ...] = ("csv", "json", "parquet", "geojson", "timelinejs", "html")


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
                 title: str | None = None, view: str = "both", story_file=None) -> Path:
    """Write `frame` to `path` as csv, json, parquet, geojson, timelinejs or html; returns the path.

    `format` defaults to the extension (see `export_format`). csv/json/parquet are
    `timeline.frame.save`; geojson is `to_geojson`; timelinejs is `to_timelinejs(title=)`;
    html is `standalone_html(title=, view=, story_file=)`. The frame is validated first (SchemaError) and
    the file written atomically. Raises ExportError naming the path for an unknown format or
    a path that cannot be written (a missing directory, no permission, a directory).
    """
    fmt = export_format(path, format)
    if fmt in fr.FORMATS:
        return fr.save(frame, path, format=fmt)
    if fmt == "geojson":
        text = _json_text(to_geojson(frame))
    elif fmt == "timelinejs":
        text = _json_text(to_timelinejs(frame, title=title or (story_file.title if story_file else None)))
    else:
        text = standalone_html(frame, title=title, view=view, story_file=story_file)
    return _atomic_write(path, text)


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
        properties = {n: fr.json_cell(n, rec[n]) for n in NAMES}
        features.append({
            "type": "Feature",
            "id": properties["event_id"],
            "geometry": {"type": "Point", "coordinates": [round(float(rec["lon"]), 6), round(float(rec["lat"]), 6)]},
            "properties": properties,
        })
    return {"type": "FeatureCollection", "features": features}
