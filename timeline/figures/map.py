"""The map: the events' places in an opening view fitted to the story (`map_view`), and,
when the story is in their region, the border crossings, the route of the freed prisoners
and the country names of `data/map.yaml` (`map_data.MAP`).

Country outlines come from the offline topojson (see `theme.OFFLINE_TOPOJSON_DIR`).
"""
from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, fields
from pathlib import Path

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from timeline import categories
from timeline.extract.places.crossings import CROSSINGS, CROSSINGS_CSV, Crossing
from timeline.extract.places.crossings import load_crossings as read_crossings
from timeline.errors import InputError, SchemaError
from timeline.figures.columns import check_columns
from timeline.figures.hover import cut
from timeline.figures.map_data import MAP
from timeline.figures.map_view import View, mercator, events_near, opening_view
from timeline.figures.theme import (
    EMPTY_MESSAGE, MUTED_COLOR, TEXT_COLOR, base_layout, empty_annotation, escape,
)

ROUTE_PLACES = MAP.route_places
DEFAULT_ROUTE = MAP.route
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
               route: Sequence[str] | None = DEFAULT_ROUTE, height: int | None = None,
               story: pd.DataFrame | None = None) -> go.Figure:
    """The events' places on a map whose opening view is fitted to `story` (the frame the
    view is fitted to; default `frame`, see `map_view.opening_view`), with the border
    crossings, the route of the freed prisoners and the country names of `data/map.yaml`
    when the story is in their region (`shows_overlays`).

    Places: one marker per place (coordinates to 3 decimals and the main place name),
    sized by its number of events; its customdata is a group key "@place|lat|lon|name"
    (or "@cell|size|lat|lon" when more than MAX_MAP_MARKERS places force a grid)
    that `event_ids_for` resolves. Places holding a selected event are emphasised, the
    others dimmed. Crossings (from `crossings`, default `load_crossings()`; a frame or
    objects with the same fields) are diamonds with labels; those on the route are larger.
    `route` names the stops: route places of the map data or crossing names; a crossing is
    passed through its two settlements. `route=None` draws no route. Country outlines come
    from the offline topojson (see the package docstring).

    Raises SchemaError when columns are missing, InputError for an unknown route stop.
    """
    story = frame if story is None else story
    check_columns(story)
    view = opening_view(story)
    table = _crossing_table(crossings)
    fig = go.Figure(map_traces(frame, selected=selected, crossings=table, route=route, k=1.0,
                               overlays=shows_overlays(story, view, table)))
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
    return fig


def shows_overlays(story: pd.DataFrame, view: View, crossings=None) -> bool:
    """Whether the map of `story` in `view` draws the overlays of `data/map.yaml` (country
    names, crossings, route): when an event in the view lies within `overlays_near`
    degrees of the area of the crossings (`crossings` as for `map_figure`)."""
    table = _crossing_table(crossings)
    if table.empty:
        return False
    lats = pd.concat([table["lat_a"], table["lat_b"]]).astype(float)
    lons = pd.concat([table["lon_a"], table["lon_b"]]).astype(float)
    area = (lats.min(), lats.max(), lons.min(), lons.max())
    return events_near(story, view, area, MAP.overlays_near)


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


def map_traces(frame: pd.DataFrame, *, selected, crossings, route, k: float, overlays: bool = True) -> list:
    """The map's traces at scale `k`: places, and with `overlays` country names, the route
    and the crossings."""
    check_columns(frame)
    # Places first, so the route and the crossings are drawn over them.
    traces = _place_traces(frame, set(selected or ()), k)
    if not overlays:
        return traces
    table = _crossing_table(crossings)
    route_points = _route_points(route, table) if route else []
    if route_points:
        traces.append(_route_trace(route_points, k))
    return [_country_label_trace(k)] + traces + _crossing_traces(table, {p[4] for p in route_points if p[4]}, k)


def _country_label_trace(k: float) -> go.Scattergeo:
    labels = MAP.country_labels
    return go.Scattergeo(
        lat=[c[1] for c in labels], lon=[c[2] for c in labels], text=[c[0] for c in labels], mode="text",
        textfont=dict(size=11 * k, color="#9A9A9A"), hoverinfo="skip", showlegend=False,
        name="Countries")


def _route_trace(points: list, k: float) -> go.Scattergeo:
    west = MAP.route_labels_above_west_of
    return go.Scattergeo(
        lat=[p[1] for p in points], lon=[p[2] for p in points],
        mode="lines+markers+text",
        text=[p[0] if p[3] else "" for p in points],
        # Names above the stops on one side of the route, below on the other: off the line.
        textposition=["top center" if p[2] < west else "bottom center" for p in points],
        textfont=dict(size=12 * k, color=TEXT_COLOR, weight="bold"),
        line=dict(color=ROUTE_COLOR, width=3 * k, dash="dash"),
        marker=dict(size=[7 * k if p[3] else 0 for p in points], color=ROUTE_COLOR),
        name="Route of the freed prisoners",
        hovertext=[escape(p[0]) for p in points],
        hovertemplate="%{hovertext}<extra>Route</extra>",
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


def _crossing_names(row) -> set[str]:
    names = {row["name"], row["crossing_id"], f"{row['settlement_a']}-{row['settlement_b']}",
             f"{row['settlement_b']}-{row['settlement_a']}", *tuple(row["aliases"] or ())}
    return {_fold(n) for n in names if n}


def _fold(name: str) -> str:
    return str(name).casefold().replace("–", "-").replace(" ", "")


def _route_points(route: Sequence[str], table: pd.DataFrame) -> list[tuple[str, float, float, bool, str | None]]:
    """(label, lat, lon, is a named stop, crossing name or None) along the route."""
    capitals = {_fold(k): (k, v) for k, v in MAP.route_places.items()}
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
            known = ", ".join(sorted(MAP.route_places) + sorted(table["name"]))
            raise InputError(f"route: unknown stop {stop!r}; known: {known}")
    return points


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
