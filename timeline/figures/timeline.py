"""The timeline: events on a time axis, one lane per category (or per country).

A day event is a marker, a period event a horizontal bar; undated rows are left out.
Above LARGE_FRAME dated rows the figure aggregates: period bars per lane and period, day
markers in WebGL, or, with `level_of_detail`, grouped outside the window in view (see
`timeline.figures.detail`).
"""
from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from timeline import categories
from timeline.errors import InputError
from timeline.figures import detail
from timeline.figures.columns import check_columns, dated_mask
from timeline.figures.hover import cut
from timeline.figures.lanes import (
    DAY_MS, DRAWN_COLUMNS, LANES, Columns, by_category, groups_holding, iso, lane_label, selected_points,
    with_lanes,
)
from timeline.figures.theme import AGGREGATE_COLOR, base_layout, empty_figure, escape, legend_rank

LARGE_FRAME = 5_000          # dated rows above which the timeline aggregates (see timeline_figure)
FOCUS_DAYS = 42              # the opening zoom: six weeks of events, the latest ...
FOCUS_WHEN_SPAN_DAYS = 120   # ... when the events span more than this ...
FOCUS_DENSITY = 0.5          # ... holding at least this share of the day events of the densest six weeks
DEFAULT_PLOT_PX = 900        # assumed plot width for placing labels when the caller gives none


@dataclass
class TimelineParts:
    """What a timeline is drawn from, in the dashboard's figure or a cell of the print
    layout: traces, lane names (top first), ranges, the label annotations."""
    traces: list = field(default_factory=list)
    lanes: list[str] = field(default_factory=list)
    x_range: tuple[str, str] | None = None
    full_range: tuple[str, str] | None = None
    autorange: bool = False
    large: bool = False
    annotations: list = field(default_factory=list)


def timeline_figure(frame: pd.DataFrame, *, lanes: str = "category", selected: Iterable[str] = (),
                    x_range: Sequence | str | None = None, height: int | None = None,
                    width: int | None = None, labels: bool = True, legend: bool = True,
                    level_of_detail: bool = False) -> go.Figure:
    """The events on a time axis, one lane per category (or per country).

    A day event is a marker; a period event (week, month, quarter, season, year, decade,
    century) is a horizontal bar from `date` to the end of `end`'s day. Undated rows are
    left out. With `lanes="country"` an event appears in the lane of each of its
    countries (events without one in a "(none)" lane). Colours and symbols follow the
    category everywhere (`timeline.categories`).

    Focus + context: a range slider under the axis, and when the events span more than
    four months the opening view is the last six weeks of them; `x_range` (two dates or
    date-times) overrides it, "all" shows the whole span (autorange). Events whose id is
    in `selected` are drawn emphasised and the others dimmed. Above LARGE_FRAME dated
    rows (see `is_large`), period bars are aggregated per lane and period, their
    customdata a group key (see `event_ids_for`), and day markers are WebGL (Scattergl).

    `level_of_detail` is for a caller that draws the figure again for the range the reader
    zooms to (passing it as `x_range`, as the dashboard does): above LARGE_FRAME, the day
    events outside the window, or all of them in a crowded window, are then grouped (see
    `timeline.figures.detail`), at most a few thousand points, so plain SVG, which the
    range slider can show. Left off (a standalone page cannot redraw), every day event is
    a marker.

    `width` is the plot width in px used to keep labels apart (default 900);
    `labels=False` draws none. `legend=False` leaves the legend out (a page that shows its
    own key) and the space above the plot shrinks to the range buttons. An empty frame
    gives a figure saying "No events match".

    Raises SchemaError when columns are missing, InputError for an unknown `lanes` or an
    `x_range` that is neither two dates nor "all".
    """
    parts = timeline_parts(frame, lanes=lanes, selected=selected, x_range=x_range,
                           plot_px=width or DEFAULT_PLOT_PX, k=1.0, labels=labels,
                           level_of_detail=level_of_detail)
    if parts is None:
        return empty_figure(height or 360)
    fig = _figure(parts.traces, fast=parts.large)
    fig.update_layout(_layout(parts, lanes, height, legend))
    fig.update_xaxes(timeline_xaxis(parts, 1.0, slider=True))
    fig.update_yaxes(timeline_yaxis(parts, 1.0))
    fig.update_layout(annotations=parts.annotations)
    return fig


def _layout(parts: TimelineParts, lanes: str, height: int | None, legend: bool) -> dict:
    return dict(
        base_layout(1.0),
        height=height or _timeline_height(len(parts.lanes)) - (0 if legend else 44),
        # The legend at the top of the figure, the range buttons just above the plot.
        margin=dict(l=10, r=10, t=84 if legend else 40, b=10),
        showlegend=legend,
        barmode="overlay",
        dragmode="zoom",
        hovermode="closest",
        uirevision=f"timeline-{lanes}",
        legend=dict(orientation="h", x=0, y=1, xanchor="left", yanchor="top", yref="container",
                    font=dict(size=11), itemclick="toggle", itemdoubleclick="toggleothers"),
    )


def is_large(frame: pd.DataFrame) -> bool:
    """True when `frame` has more than LARGE_FRAME dated rows: its timeline aggregates,
    and with `level_of_detail` what it draws depends on `x_range`."""
    check_columns(frame)
    return int(dated_mask(frame).sum()) > LARGE_FRAME


def _figure(traces: list[dict], *, fast: bool) -> go.Figure:
    """A figure of the trace dicts. With `fast`, plotly neither validates nor deep-copies
    the per-point arrays: at 100,000 points both cost more than building them (tests
    validate the same dicts, built from a smaller frame).
    """
    if not fast:
        return go.Figure(data=traces)
    shells = [{k: v for k, v in t.items() if not isinstance(v, np.ndarray)} for t in traces]
    fig = go.Figure(data=shells, _validate=False)
    for trace, source in zip(fig.data, traces):
        for k, v in source.items():
            if isinstance(v, np.ndarray):
                trace[k] = v
    return fig


def _timeline_height(n_lanes: int) -> int:
    return int(max(320, 170 + 52 * n_lanes))


def timeline_xaxis(parts: TimelineParts, k: float, *, slider: bool) -> dict:
    """The time axis; `slider` adds the range slider and the range buttons (not in print)."""
    axis = dict(type="date", range=list(parts.x_range), showgrid=True, gridcolor="#E6E6E6",
                zeroline=False, ticks="outside", tickfont=dict(size=11 * k), automargin=True)
    if parts.autorange:
        # No range at all: the reader's own autorange (the All button) stays as plotly drew it.
        del axis["range"]
        axis["autorange"] = True
    if slider:
        axis["rangeslider"] = dict(visible=True, thickness=0.1, bgcolor="#F5F5F5",
                                   range=list(parts.full_range))
        axis["rangeselector"] = dict(
            x=0, xanchor="left", y=1.0, yanchor="bottom", font=dict(size=11),
            buttons=[
                dict(count=42, step="day", stepmode="backward", label="6 weeks"),
                dict(count=6, step="month", stepmode="backward", label="6 months"),
                dict(count=1, step="year", stepmode="backward", label="1 year"),
                dict(step="all", label="All"),
            ])
    return axis


def timeline_yaxis(parts: TimelineParts, k: float) -> dict:
    """The lane axis: lane names as ticks, the first lane on top."""
    n = len(parts.lanes)
    # parts.lanes runs top to bottom; lane i sits at y = n - 1 - i.
    return dict(tickmode="array", tickvals=[n - 1 - i for i in range(n)], ticktext=list(parts.lanes),
                range=[-0.55, n - 0.45], fixedrange=True, showgrid=False, zeroline=False,
                tickfont=dict(size=12 * k), automargin=True)


def timeline_parts(frame: pd.DataFrame, *, lanes: str, selected: Iterable[str], x_range,
                   plot_px: float, k: float, labels: bool,
                   level_of_detail: bool = False) -> TimelineParts | None:
    """The traces, lanes, ranges and labels of the timeline of `frame` (see
    `timeline_figure`), drawn at scale `k` for a plot `plot_px` wide; None when no event
    is dated."""
    check_columns(frame)
    if lanes not in LANES:
        raise InputError(f"lanes must be one of {', '.join(LANES)}, not {lanes!r}")
    mask = dated_mask(frame)
    if not mask.any():
        return None
    # Only the columns drawn: copying the list columns of a large frame costs more than the rest.
    columns = list(DRAWN_COLUMNS) + (["confidence"] if "confidence" in frame.columns else [])
    rows = with_lanes(frame.loc[mask, columns], lanes)
    col = Columns(rows, lanes)
    large = int(mask.sum()) > LARGE_FRAME
    selected = set(selected or ())
    parts = TimelineParts(lanes=[lane_label(name, lanes) for name in col.lane_names], large=large)
    _set_ranges(parts, col, x_range)

    days = np.flatnonzero(col.is_day)
    days = days[np.argsort(col.start[days], kind="stable")]
    periods = np.flatnonzero(~col.is_day)
    bars = (_aggregated_bars(col, periods, lanes, selected, k) if large
            else _period_bars(col, periods, selected, k))
    groups = []
    if large and level_of_detail:
        days, grouped = detail.level_of_detail(col, days, parts.x_range, parts.full_range)
        groups = detail.day_groups(col, grouped, lanes, selected, k)
    markers = _day_markers(col, days, selected, k, gl=large and not level_of_detail)
    parts.traces = _legend(markers, groups, bars)
    if labels and len(days):
        parts.annotations = _labels(col, days, parts.x_range, plot_px, k)
    return parts


def _set_ranges(parts: TimelineParts, col: Columns, x_range) -> None:
    """The whole span (padded) and the range in view: `x_range`, else the opening focus."""
    lo, hi = col.start.min(), col.stop.max()
    pad = max((hi - lo) * 0.02, np.timedelta64(2, "D"))
    parts.full_range = (iso(lo - pad), iso(hi + pad))
    if isinstance(x_range, str) and x_range == "all":
        parts.x_range, parts.autorange = parts.full_range, True
    else:
        parts.x_range = _focus_range(col, x_range) or parts.full_range


def _legend(markers: list, groups: list, bars: list) -> list:
    """The traces in drawing order (bars below, groups, then markers, the rings of the
    selected on top), one legend entry per legend group: on its markers, else on its
    groups, else on its bars; ranked in the categories' display order."""
    seen = set()
    for trace in markers + groups + bars:
        group = trace.get("legendgroup")
        if group and trace.get("name") != "Selected":
            trace["showlegend"] = group not in seen
            seen.add(group)
    traces = bars + groups + sorted(markers, key=lambda t: t.get("name") == "Selected")
    for trace in traces:
        if trace.get("legendgroup"):
            trace["legendrank"] = legend_rank(trace["legendgroup"])
    return traces


def _focus_range(col: Columns, x_range) -> tuple[str, str] | None:
    if x_range is not None:
        bad = InputError(f'x_range must be two dates or "all", not {x_range!r}')
        if isinstance(x_range, str) or len(x_range) != 2:
            raise bad
        try:
            a, b = (pd.Timestamp(v) for v in x_range)
        except (TypeError, ValueError) as e:
            raise bad from e
        if pd.isna(a) or pd.isna(b):
            raise bad
        a, b = (t.tz_convert(None) if t.tzinfo else t for t in (a, b))
        return (_instant(min(a, b)), _instant(max(a, b)))
    span = col.stop.max() - col.start.min()
    if span <= np.timedelta64(FOCUS_WHEN_SPAN_DAYS, "D"):
        return None
    # Day events, not the latest start: an "in 2026" plan would open on an empty year.
    anchor = _densest_recent(col.start[col.is_day]) if col.is_day.any() else col.start.max()
    stop = anchor + np.timedelta64(4, "D")
    return (iso(stop - np.timedelta64(FOCUS_DAYS + 4, "D")), iso(stop))


def _densest_recent(days: np.ndarray) -> np.datetime64:
    """The last day of the latest FOCUS_DAYS window, ending on a day event, that holds at least
    FOCUS_DENSITY of the day events of the densest such window: the story's latest stretch,
    not a lone date after it (a plan, a typo) with nothing around it."""
    days = np.sort(days)
    counts = np.arange(1, len(days) + 1) - np.searchsorted(days, days - np.timedelta64(FOCUS_DAYS, "D"), "right")
    return days[np.flatnonzero(counts >= FOCUS_DENSITY * counts.max())[-1]]


def _instant(t: pd.Timestamp) -> str:
    """A date as plotly reads it: the day alone at midnight, else to the microsecond (the
    range a reader zoomed to comes back as precise as the browser reported it)."""
    return str(t.date()) if t == t.normalize() else t.isoformat(sep=" ")


def _day_markers(col: Columns, days: np.ndarray, selected: set, k: float, *, gl: bool) -> list:
    """A marker per day event (trace per category, WebGL when `gl`), rings on the selected."""
    if not len(days):
        return []
    # Same day, same lane: spread the markers a little so none hides another.
    key = col.lane_codes[days].astype(np.int64) * 10**12 + (col.start[days].astype(np.int64) // DAY_MS)
    nth = pd.Series(key).groupby(key, sort=False).cumcount().to_numpy()
    offset = np.where(nth % 2 == 1, 1, -1) * ((nth + 1) // 2) * 0.06
    y = np.empty(len(col.ids))
    y[days] = col.y[days] + 0.12 + np.clip(offset, -0.14, 0.14)
    kind = "scattergl" if gl else "scatter"
    traces = [dict(
        type=kind,
        x=col.iso(idx),
        y=y[idx],
        mode="markers",
        name=categories.label(cat),
        legendgroup=cat,
        customdata=col.ids[idx],
        hovertext=col.hover(idx),
        hovertemplate="%{hovertext}<extra></extra>",
        marker=dict(color=categories.colour(cat), symbol=categories.symbol(cat),
                    size=9 * k, line=dict(color="#333333", width=0.8 * k)),
        selectedpoints=selected_points(col.ids[idx], selected),
        selected=dict(marker=dict(opacity=1.0)),
        unselected=dict(marker=dict(opacity=0.2)),
    ) for cat, idx in by_category(col.cat, days)]
    hit = days[pd.Index(col.ids[days]).isin(list(selected))] if selected else days[:0]
    if len(hit):
        traces.append(dict(
            type=kind, x=col.iso(hit), y=y[hit], mode="markers", name="Selected",
            showlegend=False, hoverinfo="skip",
            marker=dict(size=17 * k, color="rgba(0,0,0,0)", symbol="circle",
                        line=dict(color="#000000", width=2 * k))))
    return traces


def _pack_rows(starts: np.ndarray, stops: np.ndarray) -> np.ndarray:
    """Greedy interval partitioning: a sub-row per bar so overlapping bars don't cover each other."""
    order = np.argsort(starts, kind="stable")
    row_end: list = []
    out = np.zeros(len(starts), dtype=int)
    for i in order:
        for r, last in enumerate(row_end):
            if starts[i] >= last:
                row_end[r] = stops[i]
                out[i] = r
                break
        else:
            row_end.append(stops[i])
            out[i] = len(row_end) - 1
    return out


def _bar_geometry(lane: np.ndarray, lane_y: np.ndarray, start: np.ndarray,
                  stop: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per bar its y centre and thickness: bars fill the lower half of their lane in sub-rows."""
    y = np.empty(len(lane))
    width = np.empty(len(lane))
    band_lo, band = -0.44, 0.4
    codes, _ = pd.factorize(lane, sort=False)
    for code in range(codes.max() + 1 if len(codes) else 0):
        idx = np.flatnonzero(codes == code)
        rows = _pack_rows(start[idx], stop[idx])
        n_rows = min(int(rows.max()) + 1, 6)
        rows = np.minimum(rows, n_rows - 1)
        h = band / n_rows
        y[idx] = lane_y[idx] + band_lo + h * (rows + 0.5)
        width[idx] = h * 0.85
    return y, width


def _bar(base, length_ms, y, width, customdata, hovertext, marker: dict, selectedpoints) -> dict:
    """A trace of horizontal bars from `base`, `length_ms` long (hidden from the legend
    until `_legend` picks its entries)."""
    return dict(type="bar", orientation="h", base=base, x=length_ms, y=y, width=width,
                showlegend=False, customdata=customdata, hovertext=hovertext,
                hovertemplate="%{hovertext}<extra></extra>", marker=marker,
                selectedpoints=selectedpoints, selected=dict(marker=dict(opacity=0.9)),
                unselected=dict(marker=dict(opacity=0.15)))


def _period_bars(col: Columns, periods: np.ndarray, selected: set, k: float) -> list:
    """A bar per period event, a trace per category; the selected outlined."""
    if not len(periods):
        return []
    y = np.empty(len(col.ids))
    width = np.empty(len(col.ids))
    y[periods], width[periods] = _bar_geometry(col.lane[periods], col.y[periods],
                                               col.start[periods], col.stop[periods])
    length_ms = (col.stop - col.start).astype("timedelta64[ms]").astype(float)
    traces = []
    for cat, idx in by_category(col.cat, periods):
        ids = col.ids[idx]
        is_sel = pd.Index(ids).isin(list(selected)) if selected else np.zeros(len(idx), bool)
        marker = dict(color=categories.colour(cat), opacity=0.55,
                      line=dict(color=np.where(is_sel, "#000000", "#333333").tolist(),
                                width=np.where(is_sel, 2.0 * k, 0.5 * k).tolist()))
        traces.append(dict(_bar(col.iso(idx), length_ms[idx], y[idx], width[idx], ids, col.hover(idx),
                                marker, selected_points(ids, selected)),
                           name=categories.label(cat), legendgroup=cat))
    return traces


def _aggregated_bars(col: Columns, periods: np.ndarray, lanes: str, selected: set, k: float) -> list:
    """One bar per lane and period for large frames, with the number of events it holds;
    a bar holding a selected event is drawn selected."""
    if not len(periods):
        return []
    # Group on integer codes: grouping on strings and datetimes costs several times more.
    gran_codes, gran_uniques = pd.factorize(col.rows["granularity"], sort=False)
    cat_codes, _ = pd.factorize(col.cat, sort=False)
    table = pd.DataFrame({
        "lane": col.lane_codes[periods], "gran": gran_codes[periods],
        "cat": cat_codes[periods] if lanes == "category" else 0,
        "start": col.start[periods].astype(np.int64), "stop": col.stop[periods].astype(np.int64),
        "row": periods,
    })
    grouped = table.groupby(["lane", "gran", "cat", "start", "stop"], sort=False)["row"]
    first = grouped.first().to_numpy()  # a row standing for its group
    n = grouped.size().to_numpy()
    any_sel = groups_holding(col.ids[periods], grouped.ngroup().to_numpy(), len(first), selected)
    gran = np.asarray(gran_uniques, dtype=object)[gran_codes[first]]
    y, width = _bar_geometry(col.lane[first], col.y[first], col.start[first], col.stop[first])
    day = col.iso(first)
    keys, hover = _aggregate_labels(col, first, day, n, gran, lanes)
    opacity = 0.25 + 0.6 * np.log1p(n) / np.log1p(max(1, int(n.max())))
    length_ms = (col.stop[first] - col.start[first]).astype("timedelta64[ms]").astype(float)
    by_cat = lanes == "category"
    groups = by_category(col.cat[first], np.arange(len(first))) if by_cat else [("", np.arange(len(first)))]
    return [dict(_bar(day[idx], length_ms[idx], y[idx], width[idx], keys[idx], hover[idx],
                      dict(color=categories.colour(cat) if cat else AGGREGATE_COLOR, opacity=opacity[idx],
                           line=dict(width=0)),
                      np.flatnonzero(any_sel[idx]).tolist() if any_sel is not None else None),
                 name=categories.label(cat) if cat else "Periods", legendgroup=cat or "periods")
            for cat, idx in groups]


def _aggregate_labels(col: Columns, first: np.ndarray, day: np.ndarray, n: np.ndarray, gran: np.ndarray,
                      lanes: str) -> tuple[np.ndarray, np.ndarray]:
    """The group keys ('@period|lanes|lane|granularity|first day') and hover labels of the
    aggregated bars standing for `n` events each (rows `first` standing for them, from
    `day`)."""
    lane = col.lane[first]
    keys = np.array([f"@period|{lanes}|{ln}|{g}|{d}" for ln, g, d in zip(lane.tolist(), gran.tolist(), day.tolist())],
                    dtype=object)
    who = ([categories.label(c) for c in col.cat[first].tolist()] if lanes == "category"
           else [lane_label(v, lanes) for v in lane.tolist()])
    timex = col.rows["timex"].to_numpy(dtype=object)[first]
    hover = np.array([f"<b>{c:,} event{'s' if c != 1 else ''}</b><br>{escape(t)} ({escape(g)})<br>{escape(w)}"
                      for c, t, g, w in zip(n.tolist(), timex.tolist(), gran.tolist(), who)], dtype=object)
    return keys, hover


def _labels(col: Columns, days: np.ndarray, x_range, plot_px: float, k: float) -> list[dict]:
    """Title labels for day events in the opening view, greedily kept apart lane by lane.

    Annotations rather than a text trace: the range slider would draw a trace's text too.
    """
    x0, x1 = (np.datetime64(v, "ms") for v in x_range)
    span_ms = float((x1 - x0) / np.timedelta64(1, "ms"))
    inside = days[(col.start[days] >= x0) & (col.start[days] <= x1)] if span_ms > 0 else days[:0]
    if not len(inside):
        return []
    # Events of one day compete for one label: the surest report gets it.
    if "confidence" in col.rows.columns:
        confidence = col.rows["confidence"].to_numpy(dtype=float, na_value=0.0)[inside]
        inside = inside[np.lexsort((-confidence, col.start[inside]))]
    char_px, gap_px, max_chars = 6.2 * k, 8 * k, 28
    px_per_ms = plot_px * k / span_ms
    x_px_all = (col.start[inside] - x0).astype("timedelta64[ms]").astype(float) * px_per_ms
    out = []
    last_end: dict = {}
    for i, x_px, title in zip(inside.tolist(), x_px_all.tolist(), col.titles(inside)):
        text = cut(title, max_chars)
        prev = last_end.get(col.lane[i], -math.inf)
        w = len(text) * char_px
        if x_px - 4 * k >= prev and x_px + w <= plot_px * k:
            anchor, end = "left", x_px + w
        elif x_px - w >= max(prev, 0):
            anchor, end = "right", x_px
        else:
            continue
        out.append(dict(x=iso(col.start[i]), y=float(col.y[i]) + 0.34, text=escape(text),
                        xanchor=anchor, yanchor="middle", showarrow=False, xref="x", yref="y",
                        font=dict(size=10 * k, color="#333333"), name="label"))
        last_end[col.lane[i]] = end + gap_px
    return out
