"""The map: the events' places in an opening view fitted to the story (`map_view`), the
names of the countries in view, the border crossings when the story is near them, and what
the story file draws (`story_file`: routes, highlighted places, sets of points, its own
country names or view). Events placed outside the view are named in a note over it.

Country outlines come from the offline topojson (see `theme.OFFLINE_TOPOJSON_DIR`).
"""
from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, fields
from pathlib import Path

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from timeline import categories
from timeline import countries as country_table
from timeline.extract.places.crossings import CROSSINGS, CROSSINGS_CSV, Crossing
from timeline.extract.places.crossings import load_crossings as read_crossings
from timeline.errors import SchemaError
from timeline.figures.columns import check_columns
from timeline.figures.hover import cut
from timeline.figures.map_data import COUNTRY_POINTS, MAP
from timeline.figures.map_view import View, mercator, events_near, opening_view, placed
from timeline.figures.story_file import NO_STORY, Point, Route, StoryFile
from timeline.figures.theme import (
    EMPTY_MESSAGE, MUTED_COLOR, TEXT_COLOR, base_layout, empty_annotation, escape,
)

MAX_MAP_MARKERS = 2_000      # places above which the map aggregates them to grid cells
PLACE_COLOR = "#33495E"      # map places: a neutral slate, not a category colour
ROUTE_COLOR = categories.colour("release")  # the route is the story's main thread
_CELL_SIZES = (0.1, 0.2, 0.5, 1.0, 2.0, 5.0)  # degrees
_CROSSING_FIELDS = tuple(f.name for f in fields(Crossing))


def load_crossings(path: Path | str = CROSSINGS_CSV) -> pd.DataFrame:
    """The road border crossings of `data/crossings.csv` (or `path`) as a frame, one row a
    crossing, read by `timeline.extract.places.crossings` (the one loader): the file's
    columns, coordinates as floats, `aliases` as tuples, `border_default` as a bool.

    Raises InputError naming the file (and the line of a malformed row).
    """
    path = Path(path)
    return _crossing_frame(CROSSINGS if path == CROSSINGS_CSV else read_crossings(path))


def _crossing_frame(crossings: Iterable) -> pd.DataFrame:
    """A frame of crossing objects (`Crossing` or alike: missing fields empty)."""
    return pd.DataFrame([{c: getattr(x, c, "") for c in _CROSSING_FIELDS} for x in crossings],
                        columns=list(_CROSSING_FIELDS))


def map_figure(frame: pd.DataFrame, *, selected: Iterable[str] = (), crossings=None,
               height: int | None = None, story: pd.DataFrame | None = None,
               story_file: StoryFile = NO_STORY, view: View | None = None) -> go.Figure:
    """The events' places on a map opening on `view`, else the story file's view, else a
    view fitted to `story` (the frame the view is fitted to; default `frame`, see
    `map_view.opening_view`), with the country names in view, the border crossings when
    the story is near them (`shows_overlays`) and what `story_file` draws (routes,
    highlighted places, sets of points). Places of `frame` outside the view are named in
    a note in its upper right corner (`outside_note`).

    Places: one marker per place (coordinates to 3 decimals and the main place name),
    sized by its number of events; its customdata is a group key "@place|lat|lon|name"
    (or "@cell|size|lat|lon" when more than MAX_MAP_MARKERS places force a grid)
    that `event_ids_for` resolves. Places holding a selected event are emphasised, the
    others dimmed. Crossings (from `crossings`, default `load_crossings()`; a frame or
    objects with the same fields) are diamonds with labels; those a route passes are
    larger. Country outlines come from the offline topojson (see the package docstring).

    Raises SchemaError when columns are missing.
    """
    story = frame if story is None else story
    check_columns(story)
    view = view or story_file.view or opening_view(story)
    table = _crossing_table(crossings)
    fig = go.Figure(map_traces(frame, selected=selected, crossings=table, k=1.0, view=view, story_file=story_file,
                               near=shows_overlays(story, view, table), story=story))
    fig.update_layout(
        base_layout(1.0),
        height=height or 520,
        margin=dict(l=0, r=0, t=10, b=0),
        geo=geo_layout(1.0, view),
        uirevision="map",
        showlegend=True,
        legend=dict(orientation="h", x=0, y=0, xanchor="left", yanchor="bottom",
                    bgcolor="rgba(255,255,255,0.8)", font=dict(size=11)),
    )
    if not (frame["lat"].notna() & frame["lon"].notna()).any():
        fig.add_annotation(empty_annotation(EMPTY_MESSAGE if frame.empty else "No events with a known place"))
    elif note := outside_note(frame, view):
        fig.add_annotation(outside_annotation(note, 1.0))
    return fig


def shows_overlays(story: pd.DataFrame, view: View, crossings=None) -> bool:
    """Whether the map of `story` in `view` is near the border crossings (`crossings` as
    for `map_figure`): an event in the view lies within `overlays_near` degrees of their
    area (`data/map.yaml`). The crossings are then drawn (unless the story file says)."""
    table = _crossing_table(crossings)
    if table.empty:
        return False
    lats = pd.concat([table["lat_a"], table["lat_b"]]).astype(float)
    lons = pd.concat([table["lon_a"], table["lon_b"]]).astype(float)
    area = (lats.min(), lats.max(), lons.min(), lons.max())
    return events_near(story, view, area, MAP.overlays_near)


MAX_OUTSIDE_NAMES = 4
"""The note under the map names at most this many places outside its view."""


def outside_note(frame: pd.DataFrame, view: View) -> str | None:
    """'Outside the map: Washington (2), Brussels (1)': the places of `frame`'s events that
    lie outside `view`, most events first (MAX_OUTSIDE_NAMES, then 'and N more'); None when
    every placed event is inside."""
    lat, lon = placed(frame)
    (lat0, lat1), (lon0, lon1) = view
    out = ~((lat >= lat0) & (lat <= lat1) & (lon >= lon0) & (lon <= lon1))
    if not out.any():
        return None
    has = (frame["lat"].notna() & frame["lon"].notna()).to_numpy()
    names = [str(ps[0]) if isinstance(ps, (list, tuple, np.ndarray)) and len(ps) else "unnamed place"
             for ps in frame["places"].to_numpy(dtype=object)[has][out].tolist()]
    counts = pd.Series(names).value_counts(sort=False)
    counts = counts.iloc[np.lexsort((counts.index.to_numpy(dtype=str), -counts.to_numpy()))]
    shown = [f"{name} ({n})" for name, n in counts.iloc[:MAX_OUTSIDE_NAMES].items()]
    more = len(counts) - len(shown)
    return "Outside the map: " + ", ".join(shown) + (f" and {more} more" if more else "")


def outside_annotation(note: str, k: float) -> dict:
    """The note of `outside_note` as an annotation in the map's upper right corner (the
    legend takes the bottom, and wraps on a narrow screen)."""
    return dict(text=escape(note), showarrow=False, xref="paper", yref="paper", x=1, y=1, xanchor="right",
                yanchor="top", align="right", font=dict(size=11 * k, color=MUTED_COLOR),
                bgcolor="rgba(255,255,255,0.8)", name="outside")


# plotly.js's "europe" scope (its geometry file europe_50m.json covers no more): a view
# inside it draws Europe's outlines, any other the world's.
EUROPE_SCOPE = ((30.0, 80.0), (-30.0, 60.0))

# A view wider than this many degrees of longitude draws the world's coarser outlines (110m):
# the finer (50m) would be detail no one sees, and a heavier file.
FINE_GEOMETRY_SPAN = 60.0


def geometry(view: View) -> tuple[str, int]:
    """(plotly's geo scope, resolution) of the offline outlines `view` needs: Europe's at
    1:50m inside Europe, else the world's, at 1:50m up to FINE_GEOMETRY_SPAN degrees of
    longitude and at 1:110m beyond (all in assets/topojson/)."""
    (lat0, lat1), (lon0, lon1) = view
    (elat0, elat1), (elon0, elon1) = EUROPE_SCOPE
    if elat0 <= lat0 and lat1 <= elat1 and elon0 <= lon0 and lon1 <= elon1:
        return "europe", 50
    return "world", 50 if lon1 - lon0 <= FINE_GEOMETRY_SPAN else 110


def geo_layout(k: float, view: View, aspect: float | None = None) -> dict:
    """The map's layout.geo showing `view` (see `map_view`) on the outlines it needs
    (`geometry`); `aspect` (width / height of its cell, in px) widens the longitude range,
    up to 1.6 times, so a wide cell is filled with map, not margin.
    """
    (lat0, lat1), (lon0, lon1) = view
    lon_range = [lon0, lon1]
    if aspect:
        natural = (lon1 - lon0) / (mercator(lat1) - mercator(lat0))
        if aspect > natural:
            widen = min(aspect / natural, 1.6)
            mid, half = (lon0 + lon1) / 2, (lon1 - lon0) / 2 * widen
            lon_range = [max(mid - half, -180.0), min(mid + half, 180.0)]
    scope, resolution = geometry(((lat0, lat1), (lon_range[0], lon_range[1])))
    return dict(
        scope=scope,
        resolution=resolution,
        projection=dict(type="mercator"),
        fitbounds=False,  # plotly.js 4 would otherwise fit the view to the markers
        lonaxis=dict(range=lon_range),
        lataxis=dict(range=[lat0, lat1]),
        showcountries=True, countrycolor="#7A7A7A", countrywidth=0.9 * k,
        showcoastlines=True, coastlinecolor="#9AA8B5", coastlinewidth=0.6 * k,
        showland=True, landcolor="#F1EFE8",
        showocean=True, oceancolor="#DCE8F0",
        showlakes=True, lakecolor="#DCE8F0",
        showrivers=False,
        showframe=False,
        bgcolor="#FFFFFF",
    )


def map_traces(frame: pd.DataFrame, *, selected, crossings, k: float, view: View,
               story_file: StoryFile = NO_STORY, near: bool = False, story: pd.DataFrame | None = None) -> list:
    """The map's traces at scale `k`: country names (the countries of `story`'s events
    first, default `frame`'s: the same names whatever the filters), places, the story
    file's point sets, highlighted places and routes, and the crossings (when `near` the
    story, or as the story file says; those a route passes are always drawn)."""
    check_columns(frame)
    # Places first, so the routes and the crossings are drawn over them.
    traces = _place_traces(frame, set(selected or ()), k)
    traces += [_points_trace(s.name, s.points, k, symbol="square") for s in story_file.point_sets]
    if story_file.highlight:
        traces.append(_points_trace("Highlighted places", story_file.highlight, k, symbol="star"))
    traces += [_route_trace(route, k, first=i == 0) for i, route in enumerate(story_file.routes)]
    table = _crossing_table(crossings)
    on_route = {p.crossing for r in story_file.routes for p in r.points if p.crossing}
    shown = story_file.crossings == "all" or (story_file.crossings == "near" and near)
    if not shown:
        table = table[table["name"].isin(on_route)]
    labels = story_file.country_labels
    if labels is None:
        names = _country_names(view, _event_countries(frame if story is None else story))
    else:
        names = [(p.name, p.lat, p.lon) for p in labels]
    return ([_country_label_trace(names, k)] if names else []) + traces + _crossing_traces(table, on_route, k)


def _event_countries(frame: pd.DataFrame) -> dict[str, int]:
    """The number of events of `frame` in each country (ISO code)."""
    if "countries" not in frame.columns or frame.empty:
        return {}
    counts = frame["countries"].explode().dropna().value_counts()
    return {code: int(n) for code, n in counts.items() if isinstance(code, str)}


def _country_names(view: View, events: dict[str, int]) -> list[tuple[str, float, float]]:
    """(NAME, lat, lon) of the countries in `view` to name (see `data/map.yaml`,
    `country_names`): those with the most `events` (ISO code: number) first, then the
    largest; each big enough for the view and apart from those already named."""
    (lat0, lat1), (lon0, lon1) = view
    settings = MAP.country_names
    width_km = (lon1 - lon0) * 111.3 * math.cos(math.radians((lat0 + lat1) / 2))
    inset_lat, inset_lon = (lat1 - lat0) * 0.04, (lon1 - lon0) * 0.04
    spacing = (lon1 - lon0) * settings.spacing
    chosen: list[tuple[str, float, float]] = []
    for iso, lat, lon, area in sorted(COUNTRY_POINTS, key=lambda c: (-events.get(c[0], 0), -c[3])):
        if len(chosen) >= settings.max:
            break
        if math.sqrt(area) < settings.min_size * width_km:
            continue
        if not (lat0 + inset_lat <= lat <= lat1 - inset_lat and lon0 + inset_lon <= lon <= lon1 - inset_lon):
            continue
        if any(math.hypot(lat - a, lon - b) < spacing for _, a, b in chosen):
            continue
        chosen.append((country_table.name(iso, iso).upper(), lat, lon))
    return chosen


def _country_label_trace(names: list[tuple[str, float, float]], k: float) -> go.Scattergeo:
    return go.Scattergeo(
        lat=[c[1] for c in names], lon=[c[2] for c in names], text=[escape(c[0]) for c in names], mode="text",
        textfont=dict(size=11 * k, color="#9A9A9A"), hoverinfo="skip", showlegend=False,
        name="Countries")


def _points_trace(name: str, points: tuple[Point, ...], k: float, *, symbol: str) -> go.Scattergeo:
    return go.Scattergeo(
        lat=[p.lat for p in points], lon=[p.lon for p in points], mode="markers+text",
        text=[escape(p.name) for p in points], textposition="top center",
        textfont=dict(size=11 * k, color=TEXT_COLOR),
        marker=dict(symbol=symbol, size=11 * k, color=ROUTE_COLOR, line=dict(color="#FFFFFF", width=1 * k)),
        name=escape(name), hovertext=[escape(p.name) for p in points], hovertemplate="%{hovertext}<extra></extra>")


def _route_trace(route: Route, k: float, *, first: bool) -> go.Scattergeo:
    """A route as a dashed line through its points: named stops marked and named (above the
    line west of `labels_above_west_of`, below east of it; above everywhere without it),
    a crossing's settlements passed unnamed (its diamond names it)."""
    west = route.labels_above_west_of
    points = route.points
    return go.Scattergeo(
        lat=[p.lat for p in points], lon=[p.lon for p in points],
        mode="lines+markers+text",
        text=[escape(p.name) if not p.crossing else "" for p in points],
        textposition=["top center" if west is None or p.lon < west else "bottom center" for p in points],
        textfont=dict(size=12 * k, color=TEXT_COLOR, weight="bold"),
        line=dict(color=ROUTE_COLOR if first else TEXT_COLOR, width=3 * k, dash="dash"),
        marker=dict(size=[0 if p.crossing else 7 * k for p in points], color=ROUTE_COLOR if first else TEXT_COLOR),
        name=escape(route.name),
        hovertext=[escape(p.name) for p in points],
        hovertemplate="%{hovertext}<extra>" + escape(route.name) + "</extra>",
    )


def _crossing_table(crossings) -> pd.DataFrame:
    """The crossings to draw: `crossings` (a frame or objects with the fields of
    `places.Crossing`), `load_crossings()` when None. SchemaError for a frame without a
    name or coordinates."""
    if crossings is None:
        return load_crossings()
    table = crossings.copy() if isinstance(crossings, pd.DataFrame) else _crossing_frame(crossings)
    for col in ("name", "lat_a", "lon_a", "lat_b", "lon_b"):
        if col not in table.columns:
            raise SchemaError(f"crossings: missing column {col!r}")
    for col in ("settlement_a", "settlement_b", "border", "road", "crossing_id"):
        if col not in table.columns:
            table[col] = ""
    if "aliases" not in table.columns:
        table["aliases"] = [()] * len(table)
    return table.reset_index(drop=True)


def _crossing_traces(table: pd.DataFrame, on_route: set[str], k: float) -> list:
    """The crossings as diamonds: those named in `on_route` larger, with bold labels."""
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
            textposition=[MAP.crossing_label(c) for c in rest["crossing_id"]],
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


@dataclass
class Places:
    """Events grouped by place: `rows` are the positions of located events in the frame,
    `group` their place (an index into the per-place arrays)."""
    rows: np.ndarray
    group: np.ndarray
    key: np.ndarray
    lat: np.ndarray
    lon: np.ndarray
    name: np.ndarray
    n: np.ndarray


def place_groups(frame: pd.DataFrame) -> Places:
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
    return Places(rows=rows, group=group, key=np.asarray(key, dtype=object), lat=g_lat, lon=g_lon,
                  name=g_name, n=n)


def _group_ids(*codes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per row its group id (0..g-1, in order of first appearance) and each group's first row."""
    if not len(codes[0]):
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    table = pd.DataFrame({f"c{i}": c for i, c in enumerate(codes)})
    group = table.groupby(list(table.columns), sort=False).ngroup().to_numpy()
    _, first = np.unique(group, return_index=True)
    return group, first


def _place_traces(frame: pd.DataFrame, selected: set, k: float) -> list:
    """A marker per place sized by its number of events (big ones first, so small ones are
    drawn on top), rings on the places holding a selected event; none without places."""
    places = place_groups(frame)
    if not len(places.rows):
        return []
    ids = frame["event_id"].to_numpy(dtype=object)[places.rows]
    is_sel = pd.Index(ids).isin(list(selected)) if selected else np.zeros(len(ids), dtype=bool)
    any_sel = np.bincount(places.group, weights=is_sel, minlength=len(places.n)) > 0
    by_size = np.argsort(-places.n, kind="stable")
    sizes = (6 + 20 * np.sqrt(places.n / places.n.max())) * k
    traces = [go.Scattergeo(
        lat=places.lat[by_size], lon=places.lon[by_size], mode="markers",
        customdata=places.key[by_size],
        hovertext=_place_hover(frame, places, by_size), hovertemplate="%{hovertext}<extra></extra>",
        marker=dict(size=sizes[by_size], color=PLACE_COLOR, opacity=0.8, sizemode="diameter",
                    line=dict(color="#FFFFFF", width=1 * k)),
        selectedpoints=np.flatnonzero(any_sel[by_size]).tolist() if selected else None,
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


def _place_hover(frame: pd.DataFrame, places: Places, order_of_places: np.ndarray) -> list[str]:
    """Per place (in `order_of_places`) its name, number of events and up to three titles."""
    titles = frame["title"].to_numpy(dtype=object)[places.rows]
    order = np.argsort(places.group, kind="stable")
    starts = np.searchsorted(places.group[order], np.arange(len(places.n)))
    hover = []
    for g in order_of_places.tolist():
        name, n, key = places.name[g], int(places.n[g]), places.key[g]
        head = escape(name) if name else ("Area" if key.startswith("@cell") else "Unnamed place")
        lines = [f"<b>{head}</b>", f"{n:,} event{'s' if n != 1 else ''}"]
        lines += [f"· {escape(cut(t, 60))}" for t in titles[order[starts[g]:starts[g] + min(n, 3)]]]
        if n > 3:
            lines.append("…")
        hover.append("<br>".join(lines))
    return hover
