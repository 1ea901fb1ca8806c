"""Publishing: the event frame as files newsrooms use, print figures and a standalone page.

One module a job; everything public is importable from `timeline.export`:

- `files`: `write_export(frame, path, format)` writes CSV, JSON, Parquet, GeoJSON
  (`to_geojson`), TimelineJS JSON or a standalone HTML page, always atomically.
- `timelinejs`: Knight Lab TimelineJS out (`to_timelinejs`) and back in (`from_timelinejs`,
  `from_timelinejs_csv`, `read_timelinejs`), with `input_kind(path)` telling a TimelineJS
  file, a saved frame and an article apart; its docstring tables how dates map.
- `printing`: PNG (with its DPI), SVG and PDF at a size in millimetres through kaleido and the
  system Chromium (`render`, `render_many`, `Renderer`, `print_size`, `print_range`).
- `page`: `standalone_html(frame)`, one self-contained page that renders offline.
- `records`: what they share (plain records, dates in words, `default_title`, atomic writes).

Nothing here fetches anything: map geometry comes from `assets/topojson/`, MathJax is off,
and kaleido's Chromium gets a proxy that does not exist.
"""
from __future__ import annotations

from timeline.errors import ExportError
from timeline.export.records import VIEWS, format_period, default_title
from timeline.export.files import DATA_FORMATS, export_format, write_export, to_geojson
from timeline.export.timelinejs import (
    to_timelinejs, is_timelinejs, from_timelinejs, SHEET_COLUMNS, from_timelinejs_csv, input_kind,
    read_timelinejs,
)
from timeline.export.printing import (
    PRINT_FORMATS, MAX_MM, MIN_DPI, MAX_DPI, CSS_DPI, DEFAULT_ASPECT, CHROMIUM_HINT, print_size,
    pixels, topojson_url, Renderer, print_range, render, render_bytes, render_many,
)
from timeline.export.page import trimmed_topojson, standalone_html

__all__ = [
    "ExportError",
    "VIEWS",
    "format_period",
    "default_title",
    "DATA_FORMATS",
    "export_format",
    "write_export",
    "to_geojson",
    "to_timelinejs",
    "is_timelinejs",
    "from_timelinejs",
    "SHEET_COLUMNS",
    "from_timelinejs_csv",
    "input_kind",
    "read_timelinejs",
    "PRINT_FORMATS",
    "MAX_MM",
    "MIN_DPI",
    "MAX_DPI",
    "CSS_DPI",
    "DEFAULT_ASPECT",
    "CHROMIUM_HINT",
    "print_size",
    "pixels",
    "topojson_url",
    "Renderer",
    "print_range",
    "render",
    "render_bytes",
    "render_many",
    "trimmed_topojson",
    "standalone_html",
]
