"""The dashboard's Download button: the filtered chronology as the files `timeline export` writes.

One pure function from a frame and a format to (file name, bytes) (`download`), and what the
button gives the page (`offer`); the print formats share one Chromium per worker, started on
the first print download.
"""
from __future__ import annotations

import tempfile
import threading
from pathlib import Path

import pandas as pd
from dash import dcc

from timeline import export as ex
from timeline.errors import TimelineError

# (format, label, file suffix): what the Download menu offers, print first.
FORMATS: tuple[tuple[str, str, str], ...] = (
    ("png", "PNG for print (180 mm, 300 dpi)", "png"),
    ("pdf", "PDF for print (180 mm)", "pdf"),
    ("svg", "SVG for print (180 mm)", "svg"),
    ("html", "Standalone web page (HTML)", "html"),
    ("csv", "Events as CSV", "csv"),
    ("json", "Events as JSON", "json"),
    ("geojson", "Placed events as GeoJSON", "geojson"),
    ("timelinejs", "TimelineJS JSON", "timeline.json"),
)
_SUFFIX = {fmt: suffix for fmt, _, suffix in FORMATS}

_renderer: ex.Renderer | None = None
_renderer_lock = threading.Lock()


def _shared_renderer() -> ex.Renderer:
    global _renderer
    with _renderer_lock:
        if _renderer is None:
            _renderer = ex.Renderer()
        return _renderer


def download(frame: pd.DataFrame, fmt: str, *, title: str | None = None, view: str = "both",
             renderer: ex.Renderer | None = None, story_file=None, map_view=None) -> tuple[str, bytes]:
    """(file name, content) of `frame` in `fmt` (one of FORMATS), its map drawing
    `story_file` and opening on `map_view` as the dashboard's (`figures.map_figure`).

    Raises ExportError for an unknown format, no Chromium (print formats) or a failed render.
    """
    if fmt not in _SUFFIX:
        raise ex.ExportError(f"unknown download format {fmt!r}")
    name = f"timeline.{_SUFFIX[fmt]}"
    if fmt in ex.PRINT_FORMATS:
        r = renderer or _shared_renderer()
        return name, r.render_bytes(frame, fmt, title=title, view=view, story_file=story_file, map_view=map_view)
    with tempfile.TemporaryDirectory() as tmp:
        path = ex.write_export(frame, Path(tmp) / name, fmt, title=title, view=view, story_file=story_file)
        return name, path.read_bytes()


def offer(frame: pd.DataFrame, fmt: str | None, snap=None) -> tuple[dict | None, str]:
    """What the Download button gives for the filtered `frame` in `fmt` (None: png): (the
    file, as `dcc.Download` data, or None when there is none; the status line saying what
    it holds or why there is no file: no events, or the export's error on one line). With
    the corpus state `snap`, its title, story file and map view, as on the dashboard."""
    if frame.empty:
        return None, "No events match the filters: nothing to download."
    try:
        story = dict(title=snap.title(frame), story_file=snap.story_file, map_view=snap.map_view) if snap \
            else dict(title=ex.default_title(frame))
        name, content = download(frame, fmt or "png", **story)
    except TimelineError as e:
        return None, " ".join(str(e).split())
    return dcc.send_bytes(content, name), f"{name}: {len(frame)} events, {len(content):,} bytes."
