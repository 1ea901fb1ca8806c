"""The print layout: one figure for PNG, SVG, PDF with title, timeline and/or map, and a
source line, its type, markers and lines scaled with its width."""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from timeline.errors import InputError
from timeline.figures.columns import check_columns
from timeline.figures.map import geo_layout, map_traces, outside_annotation, outside_note, shows_overlays
from timeline.figures.map_view import opening_view
from timeline.figures.story_file import NO_STORY, StoryFile
from timeline.figures.theme import (
    CREDIT, EMPTY_MESSAGE, MUTED_COLOR, TEXT_COLOR, base_layout, empty_annotation, escape,
)
from timeline.figures.timeline import TimelineParts, timeline_parts, timeline_xaxis, timeline_yaxis

VIEWS = ("both", "timeline", "map")
_DESIGN_PX = 900  # the width the print layout is designed at: k = width / 900


@dataclass(frozen=True)
class _Page:
    """Where things go on the page, in px: margins, the timeline's width, the map's aspect;
    `side` when timeline and map stand side by side."""
    side: bool
    top: float
    bottom: float
    timeline_w: float
    map_aspect: float


def composed_figure(frame: pd.DataFrame, *, title: str, width_px: int, height_px: int,
                    view: str = "both", lanes: str = "category", x_range: Sequence | None = None,
                    selected: Iterable[str] = (), subtitle: str | None = None,
                    story_file: StoryFile = NO_STORY, map_view=None) -> go.Figure:
    """One figure for print (PNG, SVG, PDF): title, timeline and/or map, source line.

    `view` is "both" (timeline above the map, or beside it when the page is wider than
    1.6 times its height), "timeline" or "map". Type, markers and lines scale with
    `width_px` (designed at 900 px) so the figure reads the same at any resolution:
    export it at scale 1. The timeline opens on the same range as the dashboard's
    (`x_range` overrides) and has no range slider; the map on the same view, with the
    same overlays (`story_file`, `map_view`: see `map.map_figure`). The bottom line credits the outlets
    of the events shown and the map and place data.

    Raises InputError for a bad view or size, SchemaError for missing columns.
    """
    if view not in VIEWS:
        raise InputError(f"view must be both, timeline or map, not {view!r}")
    if not (isinstance(width_px, (int, np.integer)) and isinstance(height_px, (int, np.integer))) \
            or width_px < 200 or height_px < 150:
        raise InputError(f"figure size must be at least 200 x 150 px, not {width_px!r} x {height_px!r}")
    k = width_px / _DESIGN_PX
    check_columns(frame)
    page = _page(view, width_px, height_px, subtitle, k)
    fig, timeline_cell, map_cell = _subplots(view, page.side)
    if timeline_cell is not None:
        # Less the lane names on the left (about 90 px at design size).
        parts = timeline_parts(frame, lanes=lanes, selected=selected, x_range=x_range,
                               plot_px=page.timeline_w / k - 90, k=k, labels=True)
        _draw_timeline(fig, parts, timeline_cell, k)
    if map_cell is not None:
        fitted = map_view or story_file.view or opening_view(frame)  # the dashboard's opening view
        for trace in map_traces(frame, selected=selected, crossings=None, k=k * 0.8, view=fitted,
                                story_file=story_file, near=shows_overlays(frame, fitted)):
            fig.add_trace(trace, **map_cell)
        fig.update_geos(geo_layout(k, fitted, aspect=page.map_aspect), **map_cell)
        if note := outside_note(frame, fitted):
            domain = fig.layout.geo.domain  # the one map cell
            fig.add_annotation(outside_annotation(note, k) | dict(x=domain.x[1], y=domain.y[1]))
    fig.update_layout(_layout(title, subtitle, width_px, height_px, page, k))
    needed = (12 + 30 + (20 if subtitle else 0) + _legend_rows(fig, width_px - 20 * k, k) * LEGEND_ROW_PX) * k
    if needed > page.top:  # a longer legend pushes the plots down rather than over the title
        fig.update_layout(margin_t=needed)
    fig.add_annotation(text=escape(_credit_line(frame)), showarrow=False, xref="paper", yref="paper",
                       x=0, xanchor="left", y=0, yanchor="bottom", yshift=-(page.bottom - 8 * k),
                       font=dict(size=10 * k, color=MUTED_COLOR), align="left", name="credit")
    return fig


LEGEND_ROW_PX = 37
"""The height of a row of legend at design size (plotly's rows, symbols at constant size)."""


def _legend_rows(fig: go.Figure, width: float, k: float) -> int:
    """How many rows plotly's horizontal legend of `fig` takes in `width` px: its entries
    (one per legend group) laid out left to right, each about a symbol and its name wide."""
    rows, x, seen = 1, 0.0, set()
    for t in fig.data:
        if t.showlegend is False or not t.name or (t.legendgroup or t.name) in seen:
            continue
        seen.add(t.legendgroup or t.name)
        item = (48 + 6.5 * len(t.name)) * k
        if x and x + item > width:
            rows, x = rows + 1, 0.0
        x += item
    return rows


def _page(view: str, width_px: int, height_px: int, subtitle: str | None, k: float) -> _Page:
    side = view == "both" and width_px > 1.6 * height_px
    # Top margin: title, subtitle and a row of legend (more rows widen it: `composed_figure`); bottom: the source line, and
    # the time axis's labels when the timeline reaches the bottom.
    top = (12 + 30 + (20 if subtitle else 0) + 48) * k
    bottom = (72 if side or view == "timeline" else 40) * k
    plot_w, plot_h = width_px - 20 * k, height_px - top - bottom
    if view == "both":
        map_w, map_h = (plot_w * 0.45 * 0.96, plot_h) if side else (plot_w, plot_h * 0.55 * 0.92)
    else:
        map_w, map_h = plot_w, plot_h
    timeline_w = plot_w * 0.55 * 0.96 if side else plot_w
    return _Page(side=side, top=top, bottom=bottom, timeline_w=timeline_w, map_aspect=map_w / max(map_h, 1))


def _subplots(view: str, side: bool) -> tuple[go.Figure, dict | None, dict | None]:
    """The figure's grid and the cells (row, col) of the timeline and the map (None: not drawn)."""
    if view == "timeline":
        return make_subplots(rows=1, cols=1), dict(row=1, col=1), None
    if view == "map":
        return make_subplots(rows=1, cols=1, specs=[[{"type": "geo"}]]), None, dict(row=1, col=1)
    if side:
        fig = make_subplots(rows=1, cols=2, specs=[[{"type": "xy"}, {"type": "geo"}]],
                            column_widths=[0.55, 0.45], horizontal_spacing=0.04)
        return fig, dict(row=1, col=1), dict(row=1, col=2)
    fig = make_subplots(rows=2, cols=1, specs=[[{"type": "xy"}], [{"type": "geo"}]],
                        row_heights=[0.45, 0.55], vertical_spacing=0.08)
    return fig, dict(row=1, col=1), dict(row=2, col=1)


def _draw_timeline(fig: go.Figure, parts: TimelineParts | None, cell: dict, k: float) -> None:
    """The timeline in `cell`, or the empty state when no event is dated (`parts` None)."""
    if parts is None:
        fig.add_annotation(empty_annotation(EMPTY_MESSAGE, k), xref="x domain", yref="y domain", x=0.5, y=0.5)
        fig.update_xaxes(visible=False, **cell)
        fig.update_yaxes(visible=False, **cell)
        return
    for trace in parts.traces:
        fig.add_trace(trace, **cell)
    fig.update_xaxes(timeline_xaxis(parts, k, slider=False), **cell)
    fig.update_yaxes(timeline_yaxis(parts, k), **cell)
    # The timeline is the first subplot, so its axes are x and y as the labels say.
    fig.update_layout(annotations=list(fig.layout.annotations) + parts.annotations)


def _layout(title: str, subtitle: str | None, width_px: int, height_px: int, page: _Page, k: float) -> dict:
    return dict(
        base_layout(k),
        width=width_px, height=height_px,
        title=dict(text=f"<b>{escape(title)}</b>", x=10 * k / width_px, xanchor="left", xref="container",
                   y=1 - 12 * k / height_px, yanchor="top", yref="container",
                   font=dict(size=20 * k, color=TEXT_COLOR),
                   subtitle=dict(text=escape(subtitle or ""), font=dict(size=13 * k, color=MUTED_COLOR))),
        margin=dict(l=10 * k, r=10 * k, t=page.top, b=page.bottom),
        barmode="overlay",
        showlegend=True,
        legend=dict(orientation="h", x=0, xanchor="left", y=1, yanchor="bottom",
                    font=dict(size=11 * k), itemsizing="constant"),
    )


def _credit_line(frame: pd.DataFrame) -> str:
    outlets = [s for s in frame["source"].dropna().astype(str).value_counts().index if s] if len(frame) else []
    shown = ", ".join(outlets[:6]) + (f" and {len(outlets) - 6} more" if len(outlets) > 6 else "")
    return (f"Sources: {shown}. " if shown else "") + CREDIT
