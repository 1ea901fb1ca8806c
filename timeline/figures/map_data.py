"""The map as data: how its opening view is fitted, the country names printed on it, the
route places, the default route and where the crossings' labels go, from
`timeline/data/map.yaml`.

    >>> from timeline.figures.map_data import MAP
    >>> MAP.view.share, MAP.route
    (0.85, ('Minsk', 'Medininkai-Kamenny Log', 'Vilnius'))

Read once, when the figures are imported; every entry is checked, and a malformed one is a
DataError naming the file and the entry.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from timeline.errors import DataError

MAP_YAML = Path(__file__).resolve().parents[1] / "data" / "map.yaml"
TEXT_POSITIONS = frozenset(f"{v} {h}" for v in ("top", "middle", "bottom") for h in ("left", "center", "right"))


@dataclass(frozen=True)
class ViewSettings:
    """How the opening view is fitted (see `data/map.yaml`, `view`): the share of placed
    events it holds, padding (a share of the span, at least `min_pad` degrees), the least
    spans in degrees, the least width / height, the view of a story without places."""

    share: float
    pad: float
    min_pad: float
    min_lat_span: float
    min_lon_span: float
    aspect: float
    empty_lat: tuple[float, float]
    empty_lon: tuple[float, float]


@dataclass(frozen=True)
class MapData:
    """The map's data (see `data/map.yaml`): the view's settings, degrees, labels as
    (text, lat, lon), places as name -> (lat, lon), label positions as plotly textpositions."""

    view: ViewSettings
    overlays_near: float
    country_labels: tuple[tuple[str, float, float], ...]
    route_places: dict[str, tuple[float, float]]
    route: tuple[str, ...]
    route_labels_above_west_of: float
    crossing_label_default: str
    crossing_labels: dict[str, str]

    def crossing_label(self, crossing_id: str) -> str:
        """Where the label of crossing `crossing_id` goes."""
        return self.crossing_labels.get(crossing_id, self.crossing_label_default)


class _Checker:
    """Reads entries of one data file, raising DataError naming the file and the entry."""

    def __init__(self, path: Path):
        self.path = path

    def fail(self, where: str, problem: str) -> DataError:
        return DataError(f"{self.path}: {where}: {problem}")

    def mapping(self, value, where: str, *, empty: bool = False) -> dict:
        if not isinstance(value, dict) or not (value or empty):
            raise self.fail(where, "expected a mapping")
        return value

    def text(self, value, where: str) -> str:
        if not isinstance(value, str) or not value.strip():
            raise self.fail(where, f"expected a text, got {value!r}")
        return value

    def number(self, value, where: str, bound: float, low: float | None = None) -> float:
        low = -bound if low is None else low
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not low <= value <= bound:
            raise self.fail(where, f"expected a number from {low:g} to {bound:g}, got {value!r}")
        return float(value)

    def point(self, value, where: str) -> tuple[float, float]:
        value = self.mapping(value, where)
        return self.number(value.get("lat"), f"{where}: lat", 90), self.number(value.get("lon"), f"{where}: lon", 180)

    def range(self, value, where: str, bound: float) -> tuple[float, float]:
        if not isinstance(value, list) or len(value) != 2:
            raise self.fail(where, f"expected [low, high], got {value!r}")
        lo, hi = (self.number(v, where, bound) for v in value)
        if lo >= hi:
            raise self.fail(where, f"{lo:g} is not below {hi:g}")
        return lo, hi

    def position(self, value, where: str) -> str:
        if value not in TEXT_POSITIONS:
            raise self.fail(where, f"{value!r} is not a text position ({', '.join(sorted(TEXT_POSITIONS))})")
        return value


def load(path: Path = MAP_YAML) -> MapData:
    """The map data of `path`, checked. Raises DataError naming the file and the entry
    that is missing or malformed."""
    try:
        raw = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as e:
        raise DataError(f"{path}: cannot read the map data ({e})") from None
    check = _Checker(Path(path))
    raw = check.mapping(raw, "the file")
    view = check.mapping(raw.get("view"), "view")
    spans = check.mapping(view.get("min_span"), "view: min_span")
    empty = check.mapping(view.get("empty"), "view: empty")
    labels = raw.get("country_labels")
    if not isinstance(labels, list):
        raise check.fail("country_labels", "expected a list of {text, lat, lon}")
    route = check.mapping(raw.get("route"), "route")
    stops = route.get("stops")
    if not isinstance(stops, list) or not stops:
        raise check.fail("route: stops", "expected a list of places and crossings")
    crossing = check.mapping(raw.get("crossing_labels"), "crossing_labels")
    by_crossing = check.mapping(crossing.get("by_crossing", {}), "crossing_labels: by_crossing", empty=True)
    return MapData(
        view=ViewSettings(
            share=check.number(view.get("share"), "view: share", 1, low=0.01), pad=check.number(view.get("pad"), "view: pad", 1, low=0),
            min_pad=check.number(view.get("min_pad"), "view: min_pad", 90, low=0),
            min_lat_span=check.number(spans.get("lat"), "view: min_span: lat", 170, low=0.01),
            min_lon_span=check.number(spans.get("lon"), "view: min_span: lon", 360, low=0.01),
            aspect=check.number(view.get("aspect"), "view: aspect", 10, low=0),
            empty_lat=check.range(empty.get("lat"), "view: empty: lat", 90),
            empty_lon=check.range(empty.get("lon"), "view: empty: lon", 180)),
        overlays_near=check.number(raw.get("overlays_near"), "overlays_near", 90, low=0),
        country_labels=tuple((check.text(c.get("text") if isinstance(c, dict) else c, f"country_labels, entry {i}"),
                              *check.point(c, f"country_labels, entry {i}")) for i, c in enumerate(labels, 1)),
        route_places={check.text(name, "route_places"): check.point(p, f"route_places: {name}")
                      for name, p in check.mapping(raw.get("route_places"), "route_places").items()},
        route=tuple(check.text(s, f"route: stops, entry {i}") for i, s in enumerate(stops, 1)),
        route_labels_above_west_of=check.number(route.get("labels_above_west_of"),
                                                "route: labels_above_west_of", 180),
        crossing_label_default=check.position(crossing.get("default"), "crossing_labels: default"),
        crossing_labels={check.text(c, "crossing_labels: by_crossing"):
                         check.position(p, f"crossing_labels: by_crossing: {c}")
                         for c, p in by_crossing.items()},
    )


MAP: MapData = load()
