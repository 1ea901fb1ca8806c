"""The map's opening view, fitted to the story: the smallest box holding the main cluster
of the placed events, padded, never smaller than a region (settings in `data/map.yaml`,
`view`). Far outliers (a statement in Washington in a Baltic story) are left out.

    >>> import pandas as pd
    >>> opening_view(pd.DataFrame({"lat": [54.687], "lon": [25.280]}))
    ((51.69, 57.69), (17.48, 33.08))

Also whether the story is in a region (`events_near`): the map draws the seed's overlays
(route, crossings, country names) only then.
"""
from __future__ import annotations

import math

import numpy as np
import pandas as pd

from timeline.figures.map_data import MAP, ViewSettings

View = tuple[tuple[float, float], tuple[float, float]]
"""(lat_range, lon_range) in degrees, each (low, high)."""

_MAX_LAT = 85.0  # Mercator's edge: plotly's maps stop short of the poles


def opening_view(frame: pd.DataFrame, settings: ViewSettings = MAP.view) -> View:
    """The opening view of `frame` (columns `lat`, `lon`; rows without both are not placed):
    the box of its main cluster (`main_cluster`), padded by `settings.pad` of its span on
    each side (at least `settings.min_pad` degrees), widened to the least spans and to
    `settings.aspect` (width / height in Mercator), rounded to 0.01 degree. With no placed
    events: `settings.empty_lat`, `settings.empty_lon`.
    """
    lat, lon = placed(frame)
    if not len(lat):
        return settings.empty_lat, settings.empty_lon
    keep = main_cluster(lat, lon, settings.share)
    lat, lon = lat[keep], lon[keep]
    lat0, lat1 = _padded(lat.min(), lat.max(), settings)
    lon0, lon1 = _padded(lon.min(), lon.max(), settings)
    lat0, lat1 = _widened(lat0, lat1, settings.min_lat_span, -_MAX_LAT, _MAX_LAT)
    lon0, lon1 = _widened(lon0, lon1, settings.min_lon_span, -180.0, 180.0)
    lon0, lon1 = _widened(lon0, lon1, settings.aspect * (mercator(lat1) - mercator(lat0)), -180.0, 180.0)
    return (round(float(lat0), 2), round(float(lat1), 2)), (round(float(lon0), 2), round(float(lon1), 2))


def placed(frame: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """The latitudes and longitudes of the rows of `frame` that have both."""
    lat = frame["lat"].to_numpy(dtype=float, na_value=np.nan)
    lon = frame["lon"].to_numpy(dtype=float, na_value=np.nan)
    ok = ~np.isnan(lat) & ~np.isnan(lon)
    return lat[ok], lon[ok]


def main_cluster(lat: np.ndarray, lon: np.ndarray, share: float) -> np.ndarray:
    """A mask of the events nearest the median place (median latitude, median longitude)
    that make up at least `share` of them, each event counting once; events as near as the
    last one kept are kept too, so a place is never cut in two. Distances are in degrees of
    latitude, longitude scaled by the cosine of the median's latitude."""
    c_lat, c_lon = float(np.median(lat)), float(np.median(lon))
    dist = np.hypot(lat - c_lat, (lon - c_lon) * math.cos(math.radians(c_lat)))
    need = max(math.ceil(share * len(dist) - 1e-9), 1)
    return dist <= np.sort(dist)[need - 1] + 1e-9


def events_near(frame: pd.DataFrame, view: View, area: tuple[float, float, float, float], near: float) -> bool:
    """Whether an event of `frame` lies inside `view` and within `near` degrees of `area`
    (lat0, lat1, lon0, lon1): the story is in that region."""
    lat, lon = placed(frame)
    (v_lat0, v_lat1), (v_lon0, v_lon1) = view
    a_lat0, a_lat1, a_lon0, a_lon1 = area
    inside = (lat >= max(v_lat0, a_lat0 - near)) & (lat <= min(v_lat1, a_lat1 + near))
    inside &= (lon >= max(v_lon0, a_lon0 - near)) & (lon <= min(v_lon1, a_lon1 + near))
    return bool(inside.any())


def _padded(low: float, high: float, settings: ViewSettings) -> tuple[float, float]:
    pad = max((high - low) * settings.pad, settings.min_pad)
    return low - pad, high + pad


def _widened(low: float, high: float, span: float, floor: float, ceiling: float) -> tuple[float, float]:
    """(low, high) widened about its middle to at least `span`, kept within floor..ceiling
    (shifted inside when it would cross an edge, cut at the edges when wider than them)."""
    if high - low < span:
        mid = (low + high) / 2
        low, high = mid - span / 2, mid + span / 2
    if low < floor:
        low, high = floor, min(high + floor - low, ceiling)
    if high > ceiling:
        low, high = max(low - (high - ceiling), floor), ceiling
    return low, high


def mercator(lat: float) -> float:
    """The Mercator ordinate of `lat`, in degrees (equal to longitude degrees at the equator)."""
    return math.degrees(math.log(math.tan(math.pi / 4 + math.radians(lat) / 2)))
