"""The map as data: how its opening view is fitted, when crossings are drawn, which country
names are printed and where the crossings' labels go, from `timeline/data/map.yaml`; the
countries' name points from `timeline/data/country_points.csv`.

    >>> from timeline.figures.map_data import MAP
    >>> MAP.view.share, MAP.country_names.max
    (0.85, 12)

Read once, when the figures are imported; every entry is checked, and a malformed one is a
DataError naming the file and the entry.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from timeline.errors import DataError

MAP_YAML = Path(__file__).resolve().parents[1] / "data" / "map.yaml"
COUNTRY_POINTS_CSV = MAP_YAML.parent / "country_points.csv"
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
class CountryNames:
    """Which country names a map without its own prints (see `data/map.yaml`)."""

    max: int
    min_size: float
    spacing: float


@dataclass(frozen=True)
class MapData:
    """The map's data (see `data/map.yaml`): the view's settings, degrees, the country names'
    settings, label positions as plotly textpositions."""

    view: ViewSettings
    overlays_near: float
    country_names: CountryNames
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
    names = check.mapping(raw.get("country_names"), "country_names")
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
        country_names=CountryNames(max=int(check.number(names.get("max"), "country_names: max", 200, low=0)),
                                   min_size=check.number(names.get("min_size"), "country_names: min_size", 1, low=0),
                                   spacing=check.number(names.get("spacing"), "country_names: spacing", 1, low=0)),
        crossing_label_default=check.position(crossing.get("default"), "crossing_labels: default"),
        crossing_labels={check.text(c, "crossing_labels: by_crossing"):
                         check.position(p, f"crossing_labels: by_crossing: {c}")
                         for c, p in by_crossing.items()},
    )


def load_country_points(path: Path = COUNTRY_POINTS_CSV) -> tuple[tuple[str, float, float, float], ...]:
    """(ISO code, lat, lon, area in km2) of each country in `path`; DataError naming the
    file and line of a malformed row."""
    rows = []
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except OSError as e:
        raise DataError(f"{path}: cannot read the country points ({e})") from None
    body = [(n, line) for n, line in enumerate(lines, 1) if line.strip() and not line.startswith("#")]
    for n, line in body[1:]:  # the header first
        parts = line.split(",")
        try:
            iso, lat, lon, area = parts[0], float(parts[1]), float(parts[2]), float(parts[3])
        except (IndexError, ValueError):
            raise DataError(f"{path}: line {n}: expected iso,lat,lon,area_km2, got {line!r}") from None
        if len(iso) != 2 or not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise DataError(f"{path}: line {n}: {line!r} is not a country code with coordinates")
        rows.append((iso, lat, lon, area))
    return tuple(rows)


MAP: MapData = load()
COUNTRY_POINTS = load_country_points()
