"""Plotly figures built from the event frame: the timeline, the map and a print layout.

Pure functions: a frame (schema in `timeline.schema`) goes in, a `go.Figure` comes out;
nothing here imports Dash or touches the network. The app wraps them in callbacks, the
exporter renders them with kaleido.

How a point on a figure leads back to events (the contract the callbacks rely on):
every trace point that stands for events carries a string in `customdata`. It is either
an `event_id` (a single event: a day marker, a period bar of a small frame) or a group
key starting with "@" (several events: a map place, an aggregated period bar of a large
frame, a marker grouping the day events of a lane over a day, week, month or year).
`event_ids_for(frame, value)` turns either kind into the list of event ids.
Points that stand for no event (route, crossings, labels, country names) carry no
customdata.

Map geometry: plotly fetches it from a CDN by default. Offline, point the renderer at
`OFFLINE_TOPOJSON_DIR`: in Dash with `dash_graph_config()` (the app serves `assets/`),
with kaleido through `plotly.io.defaults.topojson = "file://" + OFFLINE_TOPOJSON_DIR + "/"`.
"""
from __future__ import annotations

import csv
import itertools
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from timeline.errors import InputError, SchemaError

OFFLINE_TOPOJSON_DIR: str = str(Path(__file__).resolve().parent.parent / "assets" / "topojson")
CROSSINGS_CSV = Path(__file__).resolve().parent / "data" / "crossings.csv"

# Okabe & Ito (2008), the colour-blind-safe qualitative palette, keyed by category; the
# eight colours run out at ten categories, so the last two are Okabe-Ito's usual grey
# companion and Paul Tol's wine. Markers also differ by symbol, so no category is told
# apart by colour alone.
PALETTE: dict[str, str] = {
    "release": "#D55E00",    # vermillion: the story's main thread
    "sanctions": "#0072B2",  # blue
    "diplomacy": "#009E73",  # bluish green
    "talks": "#56B4E9",      # sky blue
    "election": "#CC79A7",   # reddish purple
    "protest": "#E69F00",    # orange
    "military": "#000000",   # black
    "legal": "#F0E442",      # yellow (drawn with a dark outline)
    "statement": "#999999",  # grey
    "award": "#882255",      # wine
}
OTHER_COLOR = "#BBBBBB"

SYMBOLS: dict[str, str] = {
    "release": "circle", "sanctions": "square", "diplomacy": "diamond",
    "talks": "triangle-up", "election": "triangle-down", "protest": "cross",
    "military": "x", "legal": "pentagon", "statement": "hexagon", "award": "star",
}

LANES = ("category", "country")
CREDIT = "Map: Natural Earth. Places: GeoNames (CC BY 4.0)."
EMPTY_MESSAGE = "No events match"

# Capitals on the route of the freed prisoners (GeoNames, see FIELD-NOTES).
ROUTE_PLACES: dict[str, tuple[float, float]] = {
    "Minsk": (53.902, 27.562),
    "Vilnius": (54.687, 25.280),
    "Warsaw": (52.230, 21.011),
}
DEFAULT_ROUTE = ("Minsk", "Medininkai-Kamenny Log", "Vilnius")

# The map frame: Belarus, Lithuania, Poland and their neighbours.
MAP_LON_RANGE = (13.0, 33.0)
MAP_LAT_RANGE = (49.0, 57.5)

COUNTRY_NAMES: dict[str, str] = {
    "BY": "Belarus", "LT": "Lithuania", "PL": "Poland", "RU": "Russia", "UA": "Ukraine",
    "US": "United States", "LV": "Latvia", "EE": "Estonia", "DE": "Germany",
    "GB": "United Kingdom", "FR": "France", "VA": "Vatican",
}
NO_COUNTRY = "(none)"
_NO_COUNTRIES = (NO_COUNTRY,)

# Country names printed on the map, at points inside the map frame clear of the route.
_MAP_COUNTRY_LABELS = (
    ("BELARUS", 52.75, 28.4), ("LITHUANIA", 55.55, 23.6), ("POLAND", 52.3, 18.6),
    ("LATVIA", 56.85, 24.9), ("UKRAINE", 50.0, 29.0), ("RUSSIA", 55.9, 31.6),
)

LARGE_FRAME = 5_000          # dated rows above which the timeline aggregates (see timeline_figure)
DETAIL_MARKERS = 2_000       # level of detail: day events drawn one by one in the window, at most
MAX_BINS = 150               # level of detail: groups per lane across a span, at most (about 8 px apart)
MAX_MAP_MARKERS = 2_000      # places above which the map aggregates them to grid cells
FOCUS_DAYS = 42              # the opening zoom: the last six weeks of events ...
FOCUS_WHEN_SPAN_DAYS = 120   # ... when the events span more than this
FONT_FAMILY = "Liberation Sans, Arial, Helvetica, DejaVu Sans, sans-serif"
TEXT_COLOR = "#222222"
MUTED_COLOR = "#666666"
PLACE_COLOR = "#33495E"      # map places: a neutral slate, not a category colour
ROUTE_COLOR = PALETTE["release"]
_DAY_MS = 86_400_000
_DEFAULT_PLOT_PX = 900       # assumed plot width for placing labels when the caller gives none
_REQUIRED = ("event_id", "date", "end", "granularity", "timex", "date_text", "dated", "title",
             "category", "countries", "lat", "lon", "places", "source")

_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})


def category_color(cat: str) -> str:
    """The palette colour of category `cat`; a light grey for a category not in PALETTE."""
    return PALETTE.get(cat, OTHER_COLOR)


def dash_graph_config() -> dict:
    """The `dcc.Graph(config=...)` dict: map geometry from the app's own `assets/`."""
    return {"topojsonURL": "/assets/topojson/", "displaylogo": False, "responsive": True}


def escape(text: str) -> str:
    """`text` with & < > escaped, so plotly shows article text as text, never as markup."""
    return str(text).translate(_ESCAPES)


def load_crossings(path: Path | str = CROSSINGS_CSV) -> pd.DataFrame:
    """The road border crossings of `data/crossings.csv` as a frame (one row a crossing).

    Columns as in the file; lat/lon columns as floats, `aliases` split into tuples.
    Raises InputError naming the file and line of a malformed row.
    """
    path = Path(path)
    try:
        with open(path, encoding="utf-8", newline="") as f:
            rows = list(csv.DictReader(f))
    except OSError as e:
        raise InputError(f"{path}: cannot read the crossings file ({e.strerror})") from e
    for n, row in enumerate(rows, start=2):
        try:
            for col in ("lat_a", "lon_a", "lat_b", "lon_b"):
                row[col] = float(row[col])
        except (KeyError, TypeError, ValueError) as e:
            raise InputError(f"{path}, line {n}: bad crossing coordinates ({e})") from e
        row["aliases"] = tuple(a.strip() for a in (row.get("aliases") or "").split("|") if a.strip())
    return pd.DataFrame(rows)


# ---------------------------------------------------------------------------
# Timeline
# ---------------------------------------------------------------------------

@dataclass
class _TimelineParts:
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
    category everywhere.

    Focus + context: a range slider under the axis, and when the events span more than
    four months the opening view is the last six weeks of them; `x_range` (two dates or
    date-times) overrides it, "all" shows the whole span (autorange). Events whose id is
    in `selected` are drawn emphasised and the others dimmed. Above LARGE_FRAME dated
    rows (see `is_large`), period bars are aggregated per lane and period, their
    customdata a group key (see `event_ids_for`), and day markers are WebGL (Scattergl).

    `level_of_detail` is for a caller that draws the figure again for the range the reader
    zooms to (passing it as `x_range`, as the dashboard does). Above LARGE_FRAME, only the
    day events in the `x_range` window are then markers of their own, and only up to
    DETAIL_MARKERS of them; the others, and all of them in a crowded window, are grouped
    per lane and day, week, month, quarter or year (the finest that keeps MAX_BINS per lane
    across the window, or across the whole span outside it): one marker per group, sized by its
    number of events, its customdata a group key. At most a few thousand points, so plain
    SVG, which the range slider can show. Left off (a standalone page cannot redraw),
    every day event is a marker.

    `width` is the plot width in px used to keep labels apart (default 900);
    `labels=False` draws none. `legend=False` leaves the legend out (a page that shows its
    own key) and the space above the plot shrinks to the range buttons. An empty frame
    gives a figure saying "No events match".

    Raises SchemaError when columns are missing, InputError for an unknown `lanes` or an
    `x_range` that is neither two dates nor "all".
    """
    parts = _timeline_parts(frame, lanes=lanes, selected=selected, x_range=x_range,
                            plot_px=width or _DEFAULT_PLOT_PX, k=1.0, labels=labels,
                            level_of_detail=level_of_detail)
    if parts is None:
        return _empty_figure(height or 360)
    fig = _figure(parts.traces, fast=parts.large)
    fig.update_layout(
        _base_layout(1.0),
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
    fig.update_xaxes(_timeline_xaxis(parts, 1.0, slider=True))
    fig.update_yaxes(_timeline_yaxis(parts, 1.0))
    fig.update_layout(annotations=parts.annotations)
    return fig


def is_large(frame: pd.DataFrame) -> bool:
    """True when `frame` has more than LARGE_FRAME dated rows: its timeline aggregates,
    and with `level_of_detail` what it draws depends on `x_range`."""
    _check_columns(frame)
    return int((frame["dated"].to_numpy(dtype=bool) & frame["date"].notna().to_numpy()).sum()) > LARGE_FRAME


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


def _timeline_xaxis(parts: _TimelineParts, k: float, *, slider: bool) -> dict:
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


def _timeline_yaxis(parts: _TimelineParts, k: float) -> dict:
    n = len(parts.lanes)
    # parts.lanes runs top to bottom; lane i sits at y = n - 1 - i.
    return dict(tickmode="array", tickvals=[n - 1 - i for i in range(n)], ticktext=list(parts.lanes),
                range=[-0.55, n - 0.45], fixedrange=True, showgrid=False, zeroline=False,
                tickfont=dict(size=12 * k), automargin=True)


def _timeline_parts(frame: pd.DataFrame, *, lanes: str, selected: Iterable[str], x_range,
                    plot_px: float, k: float, labels: bool,
                    level_of_detail: bool = False) -> _TimelineParts | None:
    _check_columns(frame)
    if lanes not in LANES:
        raise InputError(f"lanes must be one of {', '.join(LANES)}, not {lanes!r}")
    # Only the columns drawn: copying the list columns of a large frame costs more than the rest.
    mask = frame["dated"].to_numpy(dtype=bool) & frame["date"].notna().to_numpy()
    if not mask.any():
        return None
    columns = list(_TIMELINE_COLUMNS) + (["confidence"] if "confidence" in frame.columns else [])
    rows = _with_lanes(frame.loc[mask, columns], lanes)
    col = _Columns(rows, lanes)
    large = int(mask.sum()) > LARGE_FRAME
    selected = set(selected or ())

    parts = _TimelineParts(lanes=[_lane_label(name, lanes) for name in col.lane_names], large=large)
    lo, hi = col.start.min(), col.stop.max()
    pad = max((hi - lo) * 0.02, np.timedelta64(2, "D"))
    parts.full_range = (_iso(lo - pad), _iso(hi + pad))
    if isinstance(x_range, str) and x_range == "all":
        parts.x_range, parts.autorange = parts.full_range, True
    else:
        parts.x_range = _focus_range(col, x_range) or parts.full_range

    days = np.flatnonzero(col.is_day)
    days = days[np.argsort(col.start[days], kind="stable")]
    periods = np.flatnonzero(~col.is_day)
    bars = (_aggregated_bars(rows, col, periods, lanes, selected, k) if large
            else _period_bars(col, periods, selected, k))
    groups = []
    if large and level_of_detail:
        days, grouped = _level_of_detail(col, days, parts.x_range, parts.full_range)
        groups = _day_groups(col, grouped, lanes, selected, k)
    markers = _day_markers(col, days, selected, k, gl=large and not level_of_detail)
    # One legend entry per category: on its markers, else on its groups, else on its bars.
    seen = set()
    for trace in markers + groups + bars:
        group = trace.get("legendgroup")
        if group and trace.get("name") != "Selected":
            trace["showlegend"] = group not in seen
            seen.add(group)
    # Bars below, groups, then markers, the rings of the selected on top.
    parts.traces = bars + groups + sorted(markers, key=lambda t: t.get("name") == "Selected")
    rank = {c: i for i, c in enumerate(PALETTE)}
    for trace in parts.traces:
        if trace.get("legendgroup"):
            trace["legendrank"] = 100 + rank.get(trace["legendgroup"], len(rank))
    if labels and len(days):
        parts.annotations = _labels(col, days, parts.x_range, plot_px, k)
    return parts


_DAY_GRANULARITIES = ("day", "time", "")  # drawn as markers; every other one as a bar
_TIMELINE_COLUMNS = ("event_id", "date", "end", "granularity", "timex", "date_text", "title",
                     "category", "source", "countries")


def _with_lanes(dated: pd.DataFrame, lanes: str) -> pd.DataFrame:
    """The drawn columns plus each row's lane; in country lanes, a row per country."""
    rows = dated.reset_index(drop=True)
    category = rows["category"].fillna("").astype(str)
    rows["category"] = category
    if lanes == "category":
        rows["lane"] = category.where(category != "", "other")
        return rows
    # A row per country, by hand: DataFrame.explode is several times slower at this size.
    # (No new list per row either: 100,000 small lists would set off the garbage collector.)
    lists = [cs if isinstance(cs, (list, tuple, np.ndarray)) and len(cs) else _NO_COUNTRIES
             for cs in rows["countries"].tolist()]
    repeat = np.repeat(np.arange(len(rows)), np.fromiter(map(len, lists), dtype=np.int64, count=len(lists)))
    rows = rows.take(repeat).reset_index(drop=True)
    lane = np.empty(len(rows), dtype=object)
    lane[:] = [str(c) for c in itertools.chain.from_iterable(lists)]
    rows["lane"] = lane
    return rows


class _Columns:
    """The per-row numpy arrays the traces are cut from. Strings are factorized and
    formatted once for the whole frame, then indexed: taking subsets of Arrow string
    columns again and again would cost more than everything else at 100,000 rows.
    """

    def __init__(self, rows: pd.DataFrame, lanes: str):
        self.rows = rows
        self.lane_names = _lane_order(rows["lane"], lanes)
        # The first lane on top: lane i sits at y = n - 1 - i.
        lane_y = {name: len(self.lane_names) - 1 - i for i, name in enumerate(self.lane_names)}
        self.lane_codes, lane_uniques = pd.factorize(rows["lane"], sort=False)
        self.lane = np.asarray(lane_uniques, dtype=object)[self.lane_codes]
        self.y = np.array([lane_y[v] for v in lane_uniques], dtype=float)[self.lane_codes]
        cat_codes, cat_uniques = pd.factorize(rows["category"], sort=False)
        self.cat = np.asarray(cat_uniques, dtype=object)[cat_codes]
        self.start = rows["date"].to_numpy(dtype="datetime64[ms]")
        end = rows["end"].to_numpy(dtype="datetime64[ms]")
        end = np.where(np.isnat(end) | (end < self.start), self.start, end)
        self.stop = end + np.timedelta64(1, "D")
        gran = rows["granularity"].fillna("")
        self.is_day = gran.isin(_DAY_GRANULARITIES).to_numpy()
        self.ids = rows["event_id"].astype(str).to_numpy(dtype=object)
        self._hover = None

    def iso(self, idx) -> np.ndarray:
        """The first day of the rows at `idx`, as ISO dates."""
        return np.datetime_as_string(self.start[idx], unit="D")

    def hover(self, idx: np.ndarray) -> np.ndarray:
        """Hover labels of the rows at `idx` (formatted once per distinct value, on demand;
        a few rows of a large frame directly, cheaper than finding the distinct values)."""
        if self._hover is None and len(idx) * 20 < len(self.ids):
            return _hover_rows(self.rows, idx)
        if self._hover is None:
            self._hover = _hover_texts(self.rows)
        return self._hover[idx]

    def titles(self, idx: np.ndarray) -> list[str]:
        return self.rows["title"].take(idx).fillna("").astype(str).tolist()


def _lane_order(lane: pd.Series, lanes: str) -> list[str]:
    present = lane.value_counts()
    if lanes == "category":
        known = [c for c in PALETTE if c in present.index]
        return known + sorted(c for c in present.index if c not in PALETTE)
    return sorted(present.index, key=lambda c: (c == NO_COUNTRY, -present[c], c))


def _lane_label(name: str, lanes: str) -> str:
    if lanes == "category":
        return name.capitalize()
    return COUNTRY_NAMES.get(name, name)


def _focus_range(col: _Columns, x_range) -> tuple[str, str] | None:
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
    # The last day event, not the latest start: an "in 2026" plan would open on an empty year.
    anchor = col.start[col.is_day].max() if col.is_day.any() else col.start.max()
    stop = anchor + np.timedelta64(4, "D")
    return (_iso(stop - np.timedelta64(FOCUS_DAYS + 4, "D")), _iso(stop))


def _iso(value) -> str:
    return str(np.datetime64(value, "D"))


def _instant(t: pd.Timestamp) -> str:
    """A date as plotly reads it: the day alone at midnight, else to the microsecond (the
    range a reader zoomed to comes back as precise as the browser reported it)."""
    return str(t.date()) if t == t.normalize() else t.isoformat(sep=" ")


def _hover_texts(rows: pd.DataFrame) -> _LazyHover:
    """Escaped hover labels, one per row: title, date as written and normalised, source.

    Each distinct title, date and source is escaped once (factorize, then take), and only
    for the rows asked for: at 100,000 points that is most of the figure's build time.
    """
    return _LazyHover(rows)


class _LazyHover:
    def __init__(self, rows: pd.DataFrame):
        self.titles = _Distinct(rows["title"], lambda t: f"<b>{_wrap(t)}</b><br>")
        self.whens = _Distinct(_combined_codes([rows["date_text"], rows["timex"], rows["granularity"]]),
                               lambda p: _when(p) + "<br>")
        self.sources = _Distinct(rows["source"], escape)

    def __getitem__(self, idx) -> np.ndarray:
        return self.titles[idx] + self.whens[idx] + self.sources[idx]


class _Distinct:
    """`fn` of a column's values, computed once per distinct value and only when asked for."""

    def __init__(self, values, fn):
        if isinstance(values, tuple):  # (codes, uniques) already
            self.codes, self.uniques = values
        else:
            codes, uniques = pd.factorize(values, sort=False)
            self.codes, self.uniques = codes, list(uniques)
        self.fn = fn
        self.mapped = np.empty(len(self.uniques) + 1, dtype=object)
        self.done = np.zeros(len(self.uniques) + 1, dtype=bool)

    def __getitem__(self, idx) -> np.ndarray:
        codes = self.codes[idx]
        codes = np.where(codes < 0, len(self.uniques), codes)  # missing -> the last slot
        todo = np.unique(codes[~self.done[codes]])
        for c in todo.tolist():
            self.mapped[c] = self.fn(self.uniques[c] if c < len(self.uniques) else "")
        self.done[todo] = True
        return self.mapped[codes]


def _combined_codes(columns: list[pd.Series]) -> tuple[np.ndarray, list[tuple]]:
    """Codes of each row's tuple of values across `columns`, and the distinct tuples."""
    combined = np.zeros(len(columns[0]), dtype=np.int64)
    decoders = []
    for col in columns:
        codes, uniques = pd.factorize(col, sort=False)
        values = list(uniques) + [""]
        combined = combined * len(values) + np.where(codes < 0, len(values) - 1, codes)
        decoders.append(values)
    distinct, inverse = np.unique(combined, return_inverse=True)
    tuples = []
    for code in distinct.tolist():
        parts = []
        for values in reversed(decoders):
            code, i = divmod(code, len(values))
            parts.append(values[i])
        tuples.append(tuple(reversed(parts)))
    return inverse.ravel(), tuples


def _hover_rows(rows: pd.DataFrame, idx: np.ndarray) -> np.ndarray:
    """The labels `_hover_texts` gives the rows at `idx`, formatted row by row."""
    some = rows[["title", "date_text", "timex", "granularity", "source"]].take(idx)
    return np.array([f"<b>{_wrap(t)}</b><br>{_when((d, x, g))}<br>{escape(s if isinstance(s, str) else '')}"
                     for t, d, x, g, s in zip(*(some[c].tolist() for c in some.columns))], dtype=object)


def _when(parts: tuple) -> str:
    date_text, timex, gran = (p if isinstance(p, str) else "" for p in parts)
    when = f"“{escape(date_text)}” → {escape(timex)}" if date_text else escape(timex)
    return f"{when} ({escape(gran)})" if gran else when


def _wrap(title, width: int = 64, limit: int = 150) -> str:
    """`title` escaped, broken into lines of about `width` characters, cut at `limit`."""
    text = title if isinstance(title, str) else ""
    if len(text) <= width:
        return escape(text)
    if len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    lines = []
    while len(text) > width:
        cut = text.rfind(" ", 0, width)
        cut = cut if cut > width // 2 else width
        lines.append(text[:cut])
        text = text[cut:].lstrip()
    lines.append(text)
    return "<br>".join(escape(line) for line in lines)


def _by_category(cat: np.ndarray, idx: np.ndarray):
    """(category, the positions in `idx` of its rows), categories in PALETTE order, then others."""
    codes, uniques = pd.factorize(cat[idx], sort=False)
    order = np.argsort(codes, kind="stable")
    bounds = np.searchsorted(codes[order], np.arange(len(uniques) + 1))
    rank = {c: i for i, c in enumerate(PALETTE)}
    for i in sorted(range(len(uniques)), key=lambda i: (rank.get(uniques[i], len(rank)), str(uniques[i]))):
        yield str(uniques[i]), idx[order[bounds[i]:bounds[i + 1]]]


def _selected_points(ids: np.ndarray, selected: set) -> list[int] | None:
    if not selected:
        return None
    return np.flatnonzero(pd.Index(ids).isin(list(selected))).tolist()


def _day_markers(col: _Columns, days: np.ndarray, selected: set, k: float, *, gl: bool) -> list:
    if not len(days):
        return []
    # Same day, same lane: spread the markers a little so none hides another.
    key = col.lane_codes[days].astype(np.int64) * 10**12 + (col.start[days].astype(np.int64) // _DAY_MS)
    nth = pd.Series(key).groupby(key, sort=False).cumcount().to_numpy()
    offset = np.where(nth % 2 == 1, 1, -1) * ((nth + 1) // 2) * 0.06
    y = np.empty(len(col.ids))
    y[days] = col.y[days] + 0.12 + np.clip(offset, -0.14, 0.14)
    kind = "scattergl" if gl else "scatter"
    traces = []
    for cat, idx in _by_category(col.cat, days):
        ids = col.ids[idx]
        traces.append(dict(
            type=kind,
            x=col.iso(idx),
            y=y[idx],
            mode="markers",
            name=cat.capitalize() or "Other",
            legendgroup=cat,
            customdata=ids,
            hovertext=col.hover(idx),
            hovertemplate="%{hovertext}<extra></extra>",
            marker=dict(color=category_color(cat), symbol=SYMBOLS.get(cat, "circle"),
                        size=9 * k, line=dict(color="#333333", width=0.8 * k)),
            selectedpoints=_selected_points(ids, selected),
            selected=dict(marker=dict(opacity=1.0)),
            unselected=dict(marker=dict(opacity=0.2)),
        ))
    if selected:
        hit = days[pd.Index(col.ids[days]).isin(list(selected))]
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


def _period_bars(col: _Columns, periods: np.ndarray, selected: set, k: float) -> list:
    if not len(periods):
        return []
    y = np.empty(len(col.ids))
    width = np.empty(len(col.ids))
    y[periods], width[periods] = _bar_geometry(col.lane[periods], col.y[periods],
                                               col.start[periods], col.stop[periods])
    length_ms = (col.stop - col.start).astype("timedelta64[ms]").astype(float)
    traces = []
    for cat, idx in _by_category(col.cat, periods):
        ids = col.ids[idx]
        is_sel = pd.Index(ids).isin(list(selected)) if selected else np.zeros(len(idx), bool)
        traces.append(dict(
            type="bar",
            orientation="h",
            base=col.iso(idx),
            x=length_ms[idx],
            y=y[idx],
            width=width[idx],
            name=cat.capitalize() or "Other",
            legendgroup=cat,
            showlegend=False,
            customdata=ids,
            hovertext=col.hover(idx),
            hovertemplate="%{hovertext}<extra></extra>",
            marker=dict(color=category_color(cat), opacity=0.55,
                        line=dict(color=np.where(is_sel, "#000000", "#333333").tolist(),
                                  width=np.where(is_sel, 2.0 * k, 0.5 * k).tolist())),
            selectedpoints=_selected_points(ids, selected),
            selected=dict(marker=dict(opacity=0.9)),
            unselected=dict(marker=dict(opacity=0.15)),
        ))
    return traces


def _aggregated_bars(rows: pd.DataFrame, col: _Columns, periods: np.ndarray, lanes: str, selected: set,
                     k: float) -> list:
    """One bar per lane and period for large frames, with the number of events it holds;
    a bar holding a selected event is drawn selected."""
    if not len(periods):
        return []
    # Group on integer codes: grouping on strings and datetimes costs several times more.
    gran_codes, gran_uniques = pd.factorize(rows["granularity"], sort=False)
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
    any_sel = _groups_holding(col.ids[periods], grouped.ngroup().to_numpy(), len(first), selected)
    lane, gran = col.lane[first], np.asarray(gran_uniques, dtype=object)[gran_codes[first]]
    start, stop, iso = col.start[first], col.stop[first], col.iso(first)
    timex = rows["timex"].to_numpy(dtype=object)[first]
    y, width = _bar_geometry(lane, col.y[first], start, stop)
    keys = np.array([f"@period|{lanes}|{ln}|{g}|{d}" for ln, g, d in zip(lane.tolist(), gran.tolist(), iso.tolist())],
                    dtype=object)
    who = ([c.capitalize() for c in col.cat[first].tolist()] if lanes == "category"
           else [COUNTRY_NAMES.get(v, v) for v in lane.tolist()])
    hover = np.array([f"<b>{c:,} event{'s' if c != 1 else ''}</b><br>{escape(t)} ({escape(g)})<br>{escape(w)}"
                      for c, t, g, w in zip(n.tolist(), timex.tolist(), gran.tolist(), who)], dtype=object)
    opacity = 0.25 + 0.6 * np.log1p(n) / np.log1p(max(1, int(n.max())))
    length_ms = (stop - start).astype("timedelta64[ms]").astype(float)
    groups = (_by_category(col.cat[first], np.arange(len(first))) if lanes == "category"
              else [("", np.arange(len(first)))])
    traces = []
    for cat, idx in groups:
        traces.append(dict(
            type="bar",
            orientation="h",
            base=iso[idx],
            x=length_ms[idx],
            y=y[idx],
            width=width[idx],
            name=(cat.capitalize() if cat else "Periods"),
            legendgroup=cat or "periods",
            showlegend=False,
            customdata=keys[idx],
            hovertext=hover[idx],
            hovertemplate="%{hovertext}<extra></extra>",
            marker=dict(color=category_color(cat) if cat else "#7F7F7F", opacity=opacity[idx],
                        line=dict(width=0)),
            selectedpoints=np.flatnonzero(any_sel[idx]).tolist() if any_sel is not None else None,
            selected=dict(marker=dict(opacity=0.9)),
            unselected=dict(marker=dict(opacity=0.15)),
        ))
    return traces


def _groups_holding(ids: np.ndarray, group: np.ndarray, n_groups: int, selected: set) -> np.ndarray | None:
    """Per group, whether it holds a selected event (rows `ids` in groups `group`); None
    when nothing is selected."""
    if not selected:
        return None
    hit = pd.Index(ids).isin(list(selected))
    return np.bincount(group, weights=hit, minlength=n_groups) > 0


# Level of detail (large frames in the dashboard): day events in the window one by one,
# the others grouped per lane and calendar bin, each bin cut at the window's edges so a
# group never straddles them.

_BIN_DAYS = (("day", 1.0), ("week", 7.0), ("month", 30.44), ("quarter", 91.31))
_EPOCH_MONDAY = 3  # 1970-01-01 was a Thursday: day d is a Monday when (d + 3) % 7 == 0


@dataclass
class _DayGroups:
    """Grouped day events: `rows` (positions in the columns) and each one's `group`; per
    group a row standing for it (`first_row`), its first and last day (days since
    1970-01-01, cut at the window), its number of rows, and whether it lies in the window."""
    rows: np.ndarray
    group: np.ndarray
    first_row: np.ndarray
    first: np.ndarray
    last: np.ndarray
    n: np.ndarray
    inside: np.ndarray


def _bin_unit(n_days: int) -> str:
    """The finest of day, week, month, quarter, year that cuts `n_days` into at most MAX_BINS bins."""
    for unit, days in _BIN_DAYS:
        if n_days / days <= MAX_BINS:
            return unit
    return "year"


def _bins(day: np.ndarray, unit: str) -> tuple[np.ndarray, np.ndarray]:
    """First and last day of the `unit` bin (weeks from Monday) holding each of `day`."""
    if unit == "day":
        return day.copy(), day.copy()
    if unit == "week":
        first = day - (day + _EPOCH_MONDAY) % 7
        return first, first + 6
    if unit == "year":
        period, length = day.astype("datetime64[D]").astype("datetime64[Y]"), 1
    else:
        period, length = day.astype("datetime64[D]").astype("datetime64[M]"), 1 if unit == "month" else 3
        period = period - period.astype(np.int64) % length  # quarters start in January, April, ...
    first = period.astype("datetime64[D]").astype(np.int64)
    return first, (period + length).astype("datetime64[D]").astype(np.int64) - 1


def _window_days(x_range) -> tuple[int, int]:
    """The days (since 1970-01-01) whose markers fall inside `x_range`: from the first
    midnight in it to the last."""
    a, b = (int(np.datetime64(pd.Timestamp(v), "ms").astype(np.int64)) for v in x_range)
    return -(-a // _DAY_MS), b // _DAY_MS


def _level_of_detail(col: _Columns, days: np.ndarray, x_range, full_range) -> tuple[np.ndarray, _DayGroups]:
    """Split the day events `days` (positions, in date order) into those drawn one by one
    (the ones in the `x_range` window when they are at most DETAIL_MARKERS) and groups."""
    day = col.start[days].astype("datetime64[D]").astype(np.int64)
    lo, hi = _window_days(x_range)
    inside = (day >= lo) & (day <= hi)
    detail = inside if int(inside.sum()) <= DETAIL_MARKERS else np.zeros(len(days), dtype=bool)
    rest, day, inside = days[~detail], day[~detail], inside[~detail]
    span_lo, span_hi = _window_days(full_range)
    first, last = _bins(day, _bin_unit(span_hi - span_lo + 1))
    if inside.any():
        first[inside], last[inside] = _bins(day[inside], _bin_unit(hi - lo + 1))
    before, after = day < lo, day > hi
    last = np.where(before, np.minimum(last, lo - 1), np.where(inside, np.minimum(last, hi), last))
    first = np.where(after, np.maximum(first, hi + 1), np.where(inside, np.maximum(first, lo), first))
    # Bins are disjoint within a lane, so (lane, first day) names a group.
    key = col.lane_codes[rest].astype(np.int64) * (1 << 32) + (first + (1 << 31))
    _, first_at, group, n = np.unique(key, return_index=True, return_inverse=True, return_counts=True)
    groups = _DayGroups(rows=rest, group=group.ravel(), first_row=rest[first_at], first=first[first_at],
                        last=last[first_at], n=n, inside=inside[first_at])
    return days[detail], groups


def _day_groups(col: _Columns, g: _DayGroups, lanes: str, selected: set, k: float) -> list:
    """One marker per group of day events, sized by its number of events (against the
    largest group of its kind: in the window, or outside it), customdata its group key."""
    if not len(g.n):
        return []
    first_iso = np.datetime_as_string(g.first.astype("datetime64[D]"), unit="D")
    last_iso = np.datetime_as_string(g.last.astype("datetime64[D]"), unit="D")
    mid_iso = np.datetime_as_string((g.first + (g.last - g.first) // 2).astype("datetime64[D]"), unit="D")
    lane = col.lane[g.first_row]
    keys = np.array([f"@days|{lanes}|{ln}|{a}|{b}" for ln, a, b in zip(lane.tolist(), first_iso.tolist(),
                                                                         last_iso.tolist())], dtype=object)
    scale = np.ones(len(g.n))
    for where in (g.inside, ~g.inside):
        if where.any():
            scale[where] = np.sqrt(g.n[where] / g.n[where].max())
    size = (7 + 15 * scale) * k
    words: dict = {}
    hover = np.empty(len(g.n), dtype=object)
    one = np.flatnonzero(g.n == 1)
    hover[one] = col.hover(g.first_row[one])  # a group of one shows its event
    for i, (n, a, b, ln) in enumerate(zip(g.n.tolist(), first_iso.tolist(), last_iso.tolist(), lane.tolist())):
        if n == 1:
            continue
        when = words.get((a, b)) or words.setdefault((a, b), _period_words(a, b))
        who = ln.capitalize() if lanes == "category" else COUNTRY_NAMES.get(ln, ln)
        hover[i] = f"<b>{n:,} events</b><br>{when}<br>{escape(who)}<br><i>Click to select them, zoom in to see each</i>"
    any_sel = _groups_holding(col.ids[g.rows], g.group, len(g.n), selected)
    cats = (_by_category(col.cat[g.first_row], np.arange(len(g.n))) if lanes == "category"
            else [("", np.arange(len(g.n)))])
    traces = []
    for cat, idx in cats:
        traces.append(dict(
            type="scatter",
            x=mid_iso[idx],
            y=col.y[g.first_row[idx]] + 0.12,
            mode="markers",
            name=(cat.capitalize() or "Other") if lanes == "category" else "Day events, grouped",
            legendgroup=cat if lanes == "category" else "days",
            showlegend=False,
            customdata=keys[idx],
            hovertext=hover[idx],
            hovertemplate="%{hovertext}<extra></extra>",
            marker=dict(color=category_color(cat) if lanes == "category" else "#7F7F7F", symbol="circle",
                        size=size[idx], opacity=0.7, line=dict(color="#FFFFFF", width=1 * k)),
            selectedpoints=np.flatnonzero(any_sel[idx]).tolist() if any_sel is not None else None,
            selected=dict(marker=dict(opacity=1.0)),
            unselected=dict(marker=dict(opacity=0.2)),
        ))
    return traces


def _period_words(first: str, last: str) -> str:
    """A group's days in words: '3 Aug 2025', 'August 2025', 'July – September 2025', '2025',
    '4 Aug 2025 – 10 Aug 2025'."""
    a, b = pd.Timestamp(first), pd.Timestamp(last)
    if a == b:
        return f"{a.day} {a:%b} {a.year}"
    if a.day == 1 and b == a + pd.offsets.MonthEnd(0):
        return f"{a:%B} {a.year}"
    if a.day == 1 and a.month % 3 == 1 and b == a + pd.offsets.MonthEnd(3):
        return f"{a:%B} – {b:%B} {a.year}"
    if (a.month, a.day, b.month, b.day) == (1, 1, 12, 31) and a.year == b.year:
        return str(a.year)
    return f"{a.day} {a:%b} {a.year} – {b.day} {b:%b} {b.year}"


def _labels(col: _Columns, days: np.ndarray, x_range, plot_px: float, k: float) -> list[dict]:
    """Title labels for day events in the opening view, greedily kept apart lane by lane.

    Annotations rather than a text trace: the range slider would draw a trace's text too.
    """
    x0, x1 = (np.datetime64(v, "ms") for v in x_range)
    span_ms = float((x1 - x0) / np.timedelta64(1, "ms"))
    if span_ms <= 0:
        return []
    inside = days[(col.start[days] >= x0) & (col.start[days] <= x1)]
    if not len(inside):
        return []
    # Events of one day compete for one label: the surest report gets it.
    if "confidence" in col.rows.columns:
        confidence = col.rows["confidence"].to_numpy(dtype=float, na_value=0.0)[inside]
        inside = inside[np.lexsort((-confidence, col.start[inside]))]
    char_px, gap_px, max_chars = 6.2 * k, 8 * k, 28
    px_per_ms = plot_px * k / span_ms
    x_px_all = (col.start[inside] - x0).astype("timedelta64[ms]").astype(float) * px_per_ms
    titles = col.titles(inside)
    out = []
    last_end: dict = {}
    for i, x_px, title in zip(inside.tolist(), x_px_all.tolist(), titles):
        text = title if len(title) <= max_chars else title[: max_chars - 1].rstrip() + "…"
        lane = col.lane[i]
        prev = last_end.get(lane, -math.inf)
        w = len(text) * char_px
        if x_px - 4 * k >= prev and x_px + w <= plot_px * k:
            anchor, end = "left", x_px + w
        elif x_px - w >= max(prev, 0):
            anchor, end = "right", x_px
        else:
            continue
        out.append(dict(x=_iso(col.start[i]), y=float(col.y[i]) + 0.34, text=escape(text),
                        xanchor=anchor, yanchor="middle", showarrow=False, xref="x", yref="y",
                        font=dict(size=10 * k, color="#333333"), name="label"))
        last_end[lane] = end + gap_px
    return out


# ---------------------------------------------------------------------------
# Map
# ---------------------------------------------------------------------------

def map_figure(frame: pd.DataFrame, *, selected: Iterable[str] = (), crossings=None,
               route: Sequence[str] | None = DEFAULT_ROUTE, height: int | None = None) -> go.Figure:
    """Belarus, Lithuania, Poland and neighbours with the events' places, the border
    crossings and the route of the freed prisoners.

    Places: one marker per place (coordinates to 3 decimals and the main place name),
    sized by its number of events; its customdata is a group key "@place|lat|lon|name"
    (or "@cell|size|lat|lon" when more than MAX_MAP_MARKERS places force a grid)
    that `event_ids_for` resolves. Places holding a selected event are emphasised, the
    others dimmed. Crossings (from `crossings`, default `load_crossings()`; a frame or
    objects with the same fields) are diamonds with labels; those on the route are larger.
    `route` names the stops: capitals of ROUTE_PLACES or crossing names; a crossing is
    passed through its two settlements. `route=None` draws no route. Country outlines come
    from the offline topojson (see the module docstring).

    Raises SchemaError when columns are missing, InputError for an unknown route stop.
    """
    fig = go.Figure(_map_traces(frame, selected=selected, crossings=crossings, route=route, k=1.0))
    fig.update_layout(
        _base_layout(1.0),
        height=height or 520,
        margin=dict(l=0, r=0, t=10, b=0),
        geo=_geo_layout(1.0),
        uirevision="map",
        showlegend=True,
        legend=dict(orientation="h", x=0, y=0, xanchor="left", yanchor="bottom",
                    bgcolor="rgba(255,255,255,0.8)", font=dict(size=11)),
    )
    if not (frame["lat"].notna() & frame["lon"].notna()).any():
        fig.add_annotation(_empty_annotation(EMPTY_MESSAGE if frame.empty else "No events with a known place"))
    return fig


def _geo_layout(k: float, aspect: float | None = None) -> dict:
    """The map's layout.geo; `aspect` (width / height of its cell, in px) widens the
    longitude range, up to 1.6 times, so a wide cell is filled with map, not margin.
    """
    lon_range = list(MAP_LON_RANGE)
    if aspect:
        def merc(lat):
            return math.degrees(math.log(math.tan(math.pi / 4 + math.radians(lat) / 2)))
        natural = (MAP_LON_RANGE[1] - MAP_LON_RANGE[0]) / (merc(MAP_LAT_RANGE[1]) - merc(MAP_LAT_RANGE[0]))
        if aspect > natural:
            widen = min(aspect / natural, 1.6)
            mid, half = sum(MAP_LON_RANGE) / 2, (MAP_LON_RANGE[1] - MAP_LON_RANGE[0]) / 2 * widen
            lon_range = [mid - half, mid + half]
    return dict(
        scope="europe",
        resolution=50,
        projection=dict(type="mercator"),
        fitbounds=False,  # plotly.js 4 would otherwise fit the view to the markers
        lonaxis=dict(range=lon_range),
        lataxis=dict(range=list(MAP_LAT_RANGE)),
        showcountries=True, countrycolor="#7A7A7A", countrywidth=0.9 * k,
        showcoastlines=True, coastlinecolor="#9AA8B5", coastlinewidth=0.6 * k,
        showland=True, landcolor="#F1EFE8",
        showocean=True, oceancolor="#DCE8F0",
        showlakes=True, lakecolor="#DCE8F0",
        showrivers=False,
        showframe=False,
        bgcolor="#FFFFFF",
    )


def _map_traces(frame: pd.DataFrame, *, selected, crossings, route, k: float) -> list:
    _check_columns(frame)
    table = _crossing_table(crossings)
    traces = [_country_label_trace(k)]
    # Places first, so the route and the crossings are drawn over them.
    traces += _place_trace(frame, set(selected or ()), k) or []
    route_points = _route_points(route, table) if route else []
    if route_points:
        traces.append(go.Scattergeo(
            lat=[p[1] for p in route_points], lon=[p[2] for p in route_points],
            mode="lines+markers+text",
            text=[p[0] if p[3] else "" for p in route_points],
            # The route runs from the south-east up to the north-west: names below its
            # eastern end and above its western one stay off the line.
            textposition=["top center" if p[2] < 27 else "bottom center" for p in route_points],
            textfont=dict(size=12 * k, color=TEXT_COLOR, weight="bold"),
            line=dict(color=ROUTE_COLOR, width=3 * k, dash="dash"),
            marker=dict(size=[7 * k if p[3] else 0 for p in route_points], color=ROUTE_COLOR),
            name="Route of the freed prisoners",
            hovertext=[escape(p[0]) for p in route_points],
            hovertemplate="%{hovertext}<extra>Route</extra>",
        ))
    traces += _crossing_traces(table, {p[4] for p in route_points if p[4]}, k)
    return traces


def _country_label_trace(k: float) -> go.Scattergeo:
    return go.Scattergeo(
        lat=[c[1] for c in _MAP_COUNTRY_LABELS], lon=[c[2] for c in _MAP_COUNTRY_LABELS],
        text=[c[0] for c in _MAP_COUNTRY_LABELS], mode="text",
        textfont=dict(size=11 * k, color="#9A9A9A"), hoverinfo="skip", showlegend=False,
        name="Countries")


def _crossing_table(crossings) -> pd.DataFrame:
    if crossings is None:
        return load_crossings()
    if isinstance(crossings, pd.DataFrame):
        table = crossings.copy()
    else:
        cols = ("crossing_id", "name", "settlement_a", "lat_a", "lon_a", "settlement_b",
                "lat_b", "lon_b", "border", "road", "aliases")
        table = pd.DataFrame([{c: getattr(x, c, "") for c in cols} for x in crossings])
    for col in ("name", "lat_a", "lon_a", "lat_b", "lon_b"):
        if col not in table.columns:
            raise SchemaError(f"crossings: missing column {col!r}")
    for col in ("settlement_a", "settlement_b", "border", "road", "crossing_id"):
        if col not in table.columns:
            table[col] = ""
    if "aliases" not in table.columns:
        table["aliases"] = [()] * len(table)
    return table.reset_index(drop=True)


def _crossing_names(row) -> set[str]:
    names = {row["name"], row["crossing_id"], f"{row['settlement_a']}-{row['settlement_b']}",
             f"{row['settlement_b']}-{row['settlement_a']}", *tuple(row["aliases"] or ())}
    return {_fold(n) for n in names if n}


def _fold(name: str) -> str:
    return str(name).casefold().replace("–", "-").replace(" ", "")


def _route_points(route: Sequence[str], table: pd.DataFrame) -> list[tuple[str, float, float, bool, str | None]]:
    """(label, lat, lon, is a named stop, crossing name or None) along the route."""
    capitals = {_fold(k): (k, v) for k, v in ROUTE_PLACES.items()}
    crossings = {n: row for _, row in table.iterrows() for n in _crossing_names(row)}
    points: list = []
    for stop in route:
        key = _fold(stop)
        if key in capitals:
            name, (lat, lon) = capitals[key]
            points.append((name, lat, lon, True, None))
        elif key in crossings:
            row = crossings[key]
            sides = [(row["settlement_a"], row["lat_a"], row["lon_a"]),
                     (row["settlement_b"], row["lat_b"], row["lon_b"])]
            if points:  # enter by the side nearer the previous stop
                plat, plon = points[-1][1], points[-1][2]
                sides.sort(key=lambda s: (s[1] - plat) ** 2 + ((s[2] - plon) * math.cos(math.radians(plat))) ** 2)
            for name, lat, lon in sides:
                points.append((name, float(lat), float(lon), False, row["name"]))
        else:
            known = ", ".join(sorted(ROUTE_PLACES) + sorted(table["name"]))
            raise InputError(f"route: unknown stop {stop!r}; known: {known}")
    return points


def _crossing_traces(table: pd.DataFrame, on_route: set[str], k: float) -> list:
    if table.empty:
        return []
    table = table.assign(
        lat=(table["lat_a"].astype(float) + table["lat_b"].astype(float)) / 2,
        lon=(table["lon_a"].astype(float) + table["lon_b"].astype(float)) / 2,
        label=[f"{a}–{b}" if a and b else n for a, b, n in
               zip(table["settlement_a"], table["settlement_b"], table["name"])],
    )
    hover = [f"<b>{escape(lbl)}</b><br>border crossing {escape(b)}"
             + (f"<br>{escape(r)}" if r else "")
             for lbl, b, r in zip(table["label"], table["border"], table["road"])]
    table = table.assign(hover=hover)
    main = table[table["name"].isin(on_route)]
    rest = table[~table["name"].isin(on_route)]
    traces = []
    if not rest.empty:
        traces.append(go.Scattergeo(
            lat=rest["lat"], lon=rest["lon"], mode="markers+text",
            text=rest["settlement_a"].where(rest["settlement_a"] != "", rest["label"]).tolist(),
            textposition=[_CROSSING_TEXT_POSITION.get(c, "middle left") for c in rest["crossing_id"]],
            textfont=dict(size=9 * k, color=MUTED_COLOR),
            marker=dict(symbol="diamond", size=8 * k, color="#555555", line=dict(color="#FFFFFF", width=1 * k)),
            name="Border crossing", hovertext=rest["hover"].tolist(),
            hovertemplate="%{hovertext}<extra></extra>"))
    if not main.empty:
        traces.append(go.Scattergeo(
            lat=main["lat"], lon=main["lon"], mode="markers+text",
            text=[escape(lbl) for lbl in main["label"]], textposition="middle right",
            textfont=dict(size=12 * k, color=TEXT_COLOR, weight="bold"),
            marker=dict(symbol="diamond", size=15 * k, color="#111111", line=dict(color="#FFFFFF", width=1.5 * k)),
            name="Crossing used on the route", hovertext=main["hover"].tolist(),
            hovertemplate="%{hovertext}<extra></extra>"))
    return traces


# Where each crossing's label goes so neighbours don't overprint (the LT crossings sit
# within 40 km of each other and of Vilnius).
_CROSSING_TEXT_POSITION = {
    "lavoriskes-kotlovka": "top right",
    "salcininkai-benyakoni": "bottom left",
    "raigardas-privalka": "middle left",
    "terespol-brest": "bottom left",
    "kuznica-bruzgi": "middle left",
    "bobrowniki-berestovitsa": "middle left",
    "slawatycze-domachevo": "middle left",
}


@dataclass
class _Places:
    """Events grouped by place: `rows` are the positions of located events in the frame,
    `group` their place (an index into the per-place arrays)."""
    rows: np.ndarray
    group: np.ndarray
    key: np.ndarray
    lat: np.ndarray
    lon: np.ndarray
    name: np.ndarray
    n: np.ndarray


_CELL_SIZES = (0.1, 0.2, 0.5, 1.0, 2.0, 5.0)  # degrees


def _place_groups(frame: pd.DataFrame) -> _Places:
    """Group located events by place: coordinates to 3 decimals and the main place name
    ('@place|lat|lon|name'); above MAX_MAP_MARKERS places, by grid cells of 0.1 degree or,
    while still too many, coarser ('@cell|size|lat|lon').
    """
    lat_all = frame["lat"].to_numpy(dtype=float, na_value=np.nan)
    lon_all = frame["lon"].to_numpy(dtype=float, na_value=np.nan)
    rows = np.flatnonzero(~np.isnan(lat_all) & ~np.isnan(lon_all))
    lat, lon = lat_all[rows], lon_all[rows]
    names = [str(ps[0]) if isinstance(ps, (list, tuple, np.ndarray)) and len(ps) else ""
             for ps in frame["places"].to_numpy(dtype=object)[rows].tolist()]
    name_codes, name_uniques = pd.factorize(np.asarray(names, dtype=object), sort=False)
    # Integers, not formatted strings: the same rounding whether drawing or resolving a key.
    lat_i, lon_i = np.round(lat * 1000).astype(np.int64), np.round(lon * 1000).astype(np.int64)
    group, first = _group_ids(lat_i, lon_i, name_codes)
    scale, cell = 1000, None
    for size in _CELL_SIZES:  # too many places: grid cells, as fine as the marker budget allows
        if len(first) <= MAX_MAP_MARKERS:
            break
        cell, scale = size, 1 / size
        lat_i, lon_i = np.round(lat / size).astype(np.int64), np.round(lon / size).astype(np.int64)
        group, first = _group_ids(lat_i, lon_i)
    n = np.bincount(group, minlength=len(first))
    g_lat, g_lon = lat_i[first] / scale, lon_i[first] / scale
    g_name = np.asarray(name_uniques, dtype=object)[name_codes[first]] if len(first) else np.empty(0, dtype=object)
    if cell:
        key = [f"@cell|{cell:g}|{a:.1f}|{b:.1f}" for a, b in zip(g_lat.tolist(), g_lon.tolist())]
    else:
        key = [f"@place|{a:.3f}|{b:.3f}|{c}" for a, b, c in zip(g_lat.tolist(), g_lon.tolist(), g_name.tolist())]
    return _Places(rows=rows, group=group, key=np.asarray(key, dtype=object), lat=g_lat, lon=g_lon,
                   name=g_name, n=n)


def _group_ids(*codes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per row its group id (0..g-1, in order of first appearance) and each group's first row."""
    if not len(codes[0]):
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    table = pd.DataFrame({f"c{i}": c for i, c in enumerate(codes)})
    group = table.groupby(list(table.columns), sort=False).ngroup().to_numpy()
    _, first = np.unique(group, return_index=True)
    return group, first


def _place_trace(frame: pd.DataFrame, selected: set, k: float) -> list | None:
    places = _place_groups(frame)
    if not len(places.rows):
        return None
    ids = frame["event_id"].to_numpy(dtype=object)[places.rows]
    titles = frame["title"].to_numpy(dtype=object)[places.rows]
    is_sel = pd.Index(ids).isin(list(selected)) if selected else np.zeros(len(ids), dtype=bool)
    any_sel = np.bincount(places.group, weights=is_sel, minlength=len(places.n)) > 0
    # Up to three titles per place for the hover label.
    order = np.argsort(places.group, kind="stable")
    starts = np.searchsorted(places.group[order], np.arange(len(places.n)))
    by_size = np.argsort(-places.n, kind="stable")  # big places first, small ones drawn on top
    sizes = (6 + 20 * np.sqrt(places.n / places.n.max())) * k
    hover = []
    for g in by_size.tolist():
        name, n, key = places.name[g], int(places.n[g]), places.key[g]
        head = escape(name) if name else ("Area" if key.startswith("@cell") else "Unnamed place")
        lines = [f"<b>{head}</b>", f"{n:,} event{'s' if n != 1 else ''}"]
        lines += [f"· {escape(_cut(t, 60))}" for t in titles[order[starts[g]:starts[g] + min(n, 3)]]]
        if n > 3:
            lines.append("…")
        hover.append("<br>".join(lines))
    sel = np.flatnonzero(any_sel[by_size]).tolist() if selected else None
    traces = [go.Scattergeo(
        lat=places.lat[by_size], lon=places.lon[by_size], mode="markers",
        customdata=places.key[by_size],
        hovertext=hover, hovertemplate="%{hovertext}<extra></extra>",
        marker=dict(size=sizes[by_size], color=PLACE_COLOR, opacity=0.8, sizemode="diameter",
                    line=dict(color="#FFFFFF", width=1 * k)),
        selectedpoints=sel,
        selected=dict(marker=dict(opacity=1.0)),
        unselected=dict(marker=dict(opacity=0.2)),
        name="Event places (size: number of events)",
    )]
    if selected and any_sel.any():
        hit = np.flatnonzero(any_sel)
        traces.append(go.Scattergeo(
            lat=places.lat[hit], lon=places.lon[hit], mode="markers", hoverinfo="skip", showlegend=False,
            name="Selected", marker=dict(size=sizes[hit] + 6 * k, color="rgba(0,0,0,0)",
                                         line=dict(color="#000000", width=2.5 * k))))
    return traces


def _cut(text, n: int) -> str:
    text = str(text if text is not None else "")
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"


# ---------------------------------------------------------------------------
# Resolving customdata
# ---------------------------------------------------------------------------

def event_ids_for(frame: pd.DataFrame, value: str) -> list[str]:
    """The event ids behind one point's customdata: an event id, or an "@" group key
    from an aggregated period bar, a group of day events or a map place. An unknown id
    or a malformed key gives an empty list.
    """
    value = str(value)
    if not value.startswith("@"):
        return [value] if (frame["event_id"] == value).any() else []
    kind, _, rest = value.partition("|")
    if kind in ("@period", "@days"):
        # '@period|lanes|lane|granularity|first day', '@days|lanes|lane|first day|last day'
        try:
            lanes, rest = rest.split("|", 1)
            lane, a, b = rest.rsplit("|", 2)
            b = np.datetime64(b, "D")
            a = a if kind == "@period" else np.datetime64(a, "D")
        except ValueError:
            return []
        dated = frame.loc[frame["dated"].to_numpy(dtype=bool) & frame["date"].notna().to_numpy(),
                          ["event_id", "date", "granularity", "category", "countries"]]
        day = dated["date"].to_numpy(dtype="datetime64[D]")
        gran = dated["granularity"].fillna("")
        if kind == "@period":
            hit = dated[(gran == a).to_numpy() & (day == b)]
        else:
            hit = dated[gran.isin(_DAY_GRANULARITIES).to_numpy() & (day >= a) & (day <= b)]
        return _in_lane(hit, lanes, lane)["event_id"].astype(str).tolist()
    if kind in ("@place", "@cell"):
        places = _place_groups(frame)
        hit = np.flatnonzero(places.key == value)
        if not len(hit):
            return []
        rows = places.rows[places.group == hit[0]]
        return frame["event_id"].astype(str).to_numpy(dtype=object)[rows].tolist()
    return []


def _in_lane(rows: pd.DataFrame, lanes: str, lane: str) -> pd.DataFrame:
    """The `rows` drawn in lane `lane` of the timeline with `lanes` lanes."""
    if lanes == "category":
        cat = rows["category"].fillna("").astype(str)
        return rows[cat.where(cat != "", "other") == lane]
    return rows[rows["countries"].map(
        lambda cs: (lane in cs) if isinstance(cs, (list, tuple, np.ndarray)) and len(cs) else lane == NO_COUNTRY)]


# ---------------------------------------------------------------------------
# Print layout
# ---------------------------------------------------------------------------

def composed_figure(frame: pd.DataFrame, *, title: str, width_px: int, height_px: int,
                    view: str = "both", lanes: str = "category", x_range: Sequence | None = None,
                    selected: Iterable[str] = (), subtitle: str | None = None) -> go.Figure:
    """One figure for print (PNG, SVG, PDF): title, timeline and/or map, source line.

    `view` is "both" (timeline above the map, or beside it when the page is wider than
    1.6 times its height), "timeline" or "map". Type, markers and lines scale with
    `width_px` (designed at 900 px) so the figure reads the same at any resolution:
    export it at scale 1. The timeline opens on the same range as the dashboard's
    (`x_range` overrides) and has no range slider. The bottom line credits the outlets
    of the events shown and the map and place data.

    Raises InputError for a bad view or size, SchemaError for missing columns.
    """
    if view not in ("both", "timeline", "map"):
        raise InputError(f"view must be both, timeline or map, not {view!r}")
    if not (isinstance(width_px, (int, np.integer)) and isinstance(height_px, (int, np.integer))) \
            or width_px < 200 or height_px < 150:
        raise InputError(f"figure size must be at least 200 x 150 px, not {width_px!r} x {height_px!r}")
    k = width_px / 900
    _check_columns(frame)
    side = view == "both" and width_px > 1.6 * height_px
    # Top margin: title, subtitle and up to two rows of legend; bottom: the source line, and
    # the time axis's labels when the timeline reaches the bottom.
    top = (12 + 30 + (20 if subtitle else 0) + 48) * k
    bottom = (72 if side or view == "timeline" else 40) * k
    plot_w, plot_h = width_px - 20 * k, height_px - top - bottom
    if view == "both":
        map_w, map_h = (plot_w * 0.45 * 0.96, plot_h) if side else (plot_w, plot_h * 0.55 * 0.92)
    else:
        map_w, map_h = plot_w, plot_h
    timeline_w = plot_w * 0.55 * 0.96 if side else plot_w
    parts = None
    if view in ("both", "timeline"):
        # Less the lane names on the left (about 90 px at design size).
        parts = _timeline_parts(frame, lanes=lanes, selected=selected, x_range=x_range,
                                plot_px=timeline_w / k - 90, k=k, labels=True)

    if view == "both":
        if side:
            fig = make_subplots(rows=1, cols=2, specs=[[{"type": "xy"}, {"type": "geo"}]],
                                column_widths=[0.55, 0.45], horizontal_spacing=0.04)
            tl_cell, map_cell = dict(row=1, col=1), dict(row=1, col=2)
        else:
            fig = make_subplots(rows=2, cols=1, specs=[[{"type": "xy"}], [{"type": "geo"}]],
                                row_heights=[0.45, 0.55], vertical_spacing=0.08)
            tl_cell, map_cell = dict(row=1, col=1), dict(row=2, col=1)
    elif view == "timeline":
        fig, tl_cell, map_cell = make_subplots(rows=1, cols=1), dict(row=1, col=1), None
    else:
        fig, tl_cell, map_cell = make_subplots(rows=1, cols=1, specs=[[{"type": "geo"}]]), None, dict(row=1, col=1)

    if tl_cell is not None:
        if parts is None:
            fig.add_annotation(_empty_annotation(EMPTY_MESSAGE, k), xref="x domain", yref="y domain",
                               x=0.5, y=0.5)
            fig.update_xaxes(visible=False, **tl_cell)
            fig.update_yaxes(visible=False, **tl_cell)
        else:
            for trace in parts.traces:
                fig.add_trace(trace, **tl_cell)
            fig.update_xaxes(_timeline_xaxis(parts, k, slider=False), **tl_cell)
            fig.update_yaxes(_timeline_yaxis(parts, k), **tl_cell)
            # The timeline is the first subplot, so its axes are x and y as the labels say.
            fig.update_layout(annotations=list(fig.layout.annotations) + parts.annotations)
    if map_cell is not None:
        for trace in _map_traces(frame, selected=selected, crossings=None, route=DEFAULT_ROUTE, k=k * 0.8):
            fig.add_trace(trace, **map_cell)
        fig.update_geos(_geo_layout(k, aspect=map_w / max(map_h, 1)), **map_cell)

    fig.update_layout(
        _base_layout(k),
        width=width_px, height=height_px,
        title=dict(text=f"<b>{escape(title)}</b>", x=10 * k / width_px, xanchor="left", xref="container",
                   y=1 - 12 * k / height_px, yanchor="top", yref="container",
                   font=dict(size=20 * k, color=TEXT_COLOR),
                   subtitle=dict(text=escape(subtitle or ""), font=dict(size=13 * k, color=MUTED_COLOR))),
        margin=dict(l=10 * k, r=10 * k, t=top, b=bottom),
        barmode="overlay",
        showlegend=True,
        legend=dict(orientation="h", x=0, xanchor="left", y=1, yanchor="bottom",
                    font=dict(size=11 * k), itemsizing="constant"),
    )
    fig.add_annotation(text=escape(_credit_line(frame)), showarrow=False, xref="paper", yref="paper",
                       x=0, xanchor="left", y=0, yanchor="bottom", yshift=-(bottom - 8 * k),
                       font=dict(size=10 * k, color=MUTED_COLOR), align="left", name="credit")
    return fig


def _credit_line(frame: pd.DataFrame) -> str:
    outlets = [s for s in frame["source"].dropna().astype(str).value_counts().index if s] if len(frame) else []
    shown = ", ".join(outlets[:6]) + (f" and {len(outlets) - 6} more" if len(outlets) > 6 else "")
    return (f"Sources: {shown}. " if shown else "") + CREDIT


# ---------------------------------------------------------------------------
# Shared bits
# ---------------------------------------------------------------------------

def _check_columns(frame: pd.DataFrame) -> None:
    if not isinstance(frame, pd.DataFrame):
        raise SchemaError(f"expected an event frame (pandas DataFrame), not {type(frame).__name__}")
    missing = [c for c in _REQUIRED if c not in frame.columns]
    if missing:
        raise SchemaError(f"event frame lacks column(s): {', '.join(missing)}")


def _base_layout(k: float) -> dict:
    return dict(
        template="plotly_white",
        font=dict(family=FONT_FAMILY, size=12 * k, color=TEXT_COLOR),
        paper_bgcolor="#FFFFFF",
        plot_bgcolor="#FFFFFF",
        hoverlabel=dict(font=dict(family=FONT_FAMILY, size=12), align="left", bgcolor="#FFFFFF"),
    )


def _empty_annotation(text: str, k: float = 1.0) -> dict:
    return dict(text=text, showarrow=False, xref="paper", yref="paper", x=0.5, y=0.5,
                font=dict(size=16 * k, color=MUTED_COLOR), name="empty-state")


def _empty_figure(height: int) -> go.Figure:
    fig = go.Figure()
    fig.update_layout(_base_layout(1.0), height=height, margin=dict(l=10, r=10, t=10, b=10))
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    fig.add_annotation(_empty_annotation(EMPTY_MESSAGE))
    return fig
