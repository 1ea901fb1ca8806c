"""The story file: what a story draws on its map besides its events, written by the desk.

An optional `story.yaml` beside the articles (`beside`) gives the story's title, the
places to highlight, routes as ordered stops, other sets of points, which border crossings
to show, country names and the opening view. The dashboard, the embeds, the standalone page
and the print figures all draw from it; without one, nothing of any one story is drawn
(the map shows the events, the country names in view and, near a border, its crossings).

    title: Freed Belarusian prisoners cross into Lithuania
    places:                       # coordinates for names used below (else the gazetteer's)
      Minsk: {lat: 53.902, lon: 27.562}
    routes:
      - name: Route of the freed prisoners
        stops: [Minsk, Medininkai-Kamenny Log, Vilnius]   # places or border crossings
    highlight: [Vilnius]          # places marked and named
    points:                       # any other set of points
      - name: Field hospitals
        places: [Lida, {name: Field camp, lat: 53.1, lon: 25.3}]
    crossings: near               # near (default): only when events are near; all; none
    country_labels:               # default: the names of the countries in view
      - {text: BELARUS, lat: 52.75, lon: 28.4}
    view: {lat: [49, 57], lon: [13, 33]}   # default: fitted to the events

A stop or place is a name of `places`, a border crossing of `data/crossings.csv` (a route
passes through its two settlements) or a name the offline gazetteer knows. An entry that
cannot be used (an unknown place, one without coordinates, a view off the globe) is left
out and named in `problems`, one line each; the rest of the story is still drawn. A file
that is not YAML, or not a mapping, is one problem and an empty story.
"""
from __future__ import annotations

import math
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

import yaml

from timeline import bounded
from timeline.errors import TimelineError
from timeline.extract.places.crossings import CROSSINGS, Crossing
from timeline.extract.places.fold import fold

STORY_NAME = "story.yaml"
"""The story file's name, in the folder of the articles."""

MAX_STORY_BYTES = 1_000_000
"""A story file larger than this is refused: a story's overlays fit in a few kilobytes."""

MAX_ENTRIES = 500
"""At most this many routes, stops, points or labels of each list are read."""

CROSSINGS_SHOWN = ("near", "all", "none")

View = tuple[tuple[float, float], tuple[float, float]]


@dataclass(frozen=True)
class Point:
    """A point to draw: its label, where it is, and the crossing it is a side of, if any."""

    name: str
    lat: float
    lon: float
    crossing: str | None = None


@dataclass(frozen=True)
class Route:
    """A route: its name, its points in order (a crossing gives its two settlements), and
    the longitude west of which stop names go above the line (east: below), if given."""

    name: str
    points: tuple[Point, ...]
    labels_above_west_of: float | None = None


@dataclass(frozen=True)
class PointSet:
    """A named set of points (highlighted places, field hospitals, ...)."""

    name: str
    points: tuple[Point, ...]


@dataclass(frozen=True)
class StoryFile:
    """A story's own map: see the module docstring. `path` is None for no story file."""

    path: Path | None = None
    title: str | None = None
    routes: tuple[Route, ...] = ()
    highlight: tuple[Point, ...] = ()
    point_sets: tuple[PointSet, ...] = ()
    crossings: str = "near"
    country_labels: tuple[Point, ...] | None = None
    view: View | None = None
    problems: tuple[str, ...] = field(default=(), compare=False)


NO_STORY = StoryFile()
"""No story file: the events, the country names in view and crossings near them."""


def beside(paths: Iterable[str | os.PathLike]) -> Path | None:
    """The story file beside the articles at `paths`: `story.yaml` in the first path when
    it is a folder, else in its folder; None when there is none."""
    for p in map(Path, paths):
        candidate = (p if p.is_dir() else p.parent) / STORY_NAME
        return candidate if candidate.is_file() else None
    return None


def load(path: str | os.PathLike | None) -> StoryFile:
    """The story file at `path` (NO_STORY for None), its unusable entries left out and
    named in `problems`; never raises for what the file holds."""
    if path is None:
        return NO_STORY
    path = Path(path)
    try:
        text = bounded.read_file(path, max_bytes=MAX_STORY_BYTES).decode("utf-8-sig")
        raw = bounded.load_yaml(text, str(path), what="story file")
    except (TimelineError, yaml.YAMLError, UnicodeDecodeError) as e:
        return StoryFile(path=path, problems=(_one_line(path, e),))
    if raw is None:
        raw = {}
    if not isinstance(raw, dict):
        return StoryFile(path=path, problems=(f"{path}: expected a mapping of title, routes, ... at the top",))
    return _Reader(path, raw).story()


def _one_line(path: Path, error: Exception) -> str:
    message = " ".join(str(error).split())
    return message if str(path) in message else f"{path}: {message}"


class _Reader:
    """Reads one story file's entries, each unusable one a line in `problems`."""

    KEYS = ("title", "places", "routes", "highlight", "points", "crossings", "country_labels", "view")

    def __init__(self, path: Path, raw: dict):
        self.path, self.raw = path, raw
        self.problems: list[str] = []
        self.places: dict[str, Point] = {}
        self._crossings: dict[str, Crossing] | None = None

    def problem(self, where: str, what: str) -> None:
        self.problems.append(f"{self.path}: {where}: {what}")

    def story(self) -> StoryFile:
        for key in self.raw:
            if key not in self.KEYS:
                self.problem(str(key), f"not a story file entry (entries: {', '.join(self.KEYS)})")
        self.places = self._places(self.raw.get("places"))
        title = self.raw.get("title")
        if title is not None and not (isinstance(title, str) and title.strip()):
            self.problem("title", f"expected a text, got {title!r}")
            title = None
        crossings = self.raw.get("crossings", "near")
        if crossings not in CROSSINGS_SHOWN:
            self.problem("crossings", f"{crossings!r} is not one of {', '.join(CROSSINGS_SHOWN)}; near is used")
            crossings = "near"
        highlight = self._point_list(self.raw.get("highlight"), "highlight")
        return StoryFile(
            path=self.path, title=" ".join(title.split())[:200] if title else None,
            routes=tuple(self._routes(self.raw.get("routes"))), highlight=highlight,
            point_sets=tuple(self._point_sets(self.raw.get("points"))), crossings=crossings,
            country_labels=self._labels(self.raw.get("country_labels")), view=self._view(self.raw.get("view")),
            problems=tuple(self.problems))

    # ------------------------------------------------------------------ entries

    def _list(self, value, where: str) -> list:
        if value is None:
            return []
        if not isinstance(value, list):
            self.problem(where, "expected a list")
            return []
        if len(value) > MAX_ENTRIES:
            self.problem(where, f"{len(value):,} entries; the first {MAX_ENTRIES} are read")
        return value[:MAX_ENTRIES]

    def _coordinates(self, value, where: str) -> tuple[float, float] | None:
        lat, lon = (value.get(k) for k in ("lat", "lon"))
        for name, v, bound in (("lat", lat, 90), ("lon", lon, 180)):
            if isinstance(v, bool) or not isinstance(v, (int, float)) or not -bound <= v <= bound:
                self.problem(where, f"{name} must be a number from {-bound} to {bound}, not {v!r}")
                return None
        return float(lat), float(lon)

    def _places(self, value) -> dict[str, Point]:
        if value is None:
            return {}
        if not isinstance(value, dict):
            self.problem("places", "expected a mapping of name: {lat, lon}")
            return {}
        out = {}
        for name, where in list(value.items())[:MAX_ENTRIES]:
            if not isinstance(name, str) or not isinstance(where, dict):
                self.problem(f"places: {name}", "expected name: {lat, lon}")
                continue
            point = self._coordinates(where, f"places: {name}")
            if point:
                out[fold(name)] = Point(name, *point)
        return out

    def _point(self, entry, where: str) -> tuple[Point, ...]:
        """The point(s) an entry names: a place (one point), a crossing (its two sides), or
        {name, lat, lon}; () with a problem when it cannot be placed."""
        if isinstance(entry, dict):
            name = entry.get("name")
            if not isinstance(name, str) or not name.strip():
                self.problem(where, f"expected a name, got {name!r}")
                return ()
            point = self._coordinates(entry, f"{where} ({name})")
            return (Point(name, *point),) if point else ()
        if not isinstance(entry, str) or not entry.strip():
            self.problem(where, f"expected a place name, got {entry!r}")
            return ()
        key = fold(entry)
        if key in self.places:
            return (self.places[key],)
        crossing = self.crossings().get(key.replace("–", "-").replace(" ", ""))
        if crossing is not None:
            return (Point(crossing.settlement_a, crossing.lat_a, crossing.lon_a, crossing.name),
                    Point(crossing.settlement_b, crossing.lat_b, crossing.lon_b, crossing.name))
        return self._from_gazetteer(entry, where)

    def _from_gazetteer(self, name: str, where: str) -> tuple[Point, ...]:
        from timeline.extract.places.gazetteer import load_gazetteer

        found = load_gazetteer().candidates(name)
        placed = [p for _, p in found if p.lat is not None and p.lon is not None]
        if placed:
            return (Point(name, float(placed[0].lat), float(placed[0].lon)),)
        if found:
            self.problem(where, f"{name!r} has no coordinates; give them under places")
        else:
            self.problem(where, f"unknown place {name!r}; give its coordinates under places")
        return ()

    def crossings(self) -> dict[str, Crossing]:
        if self._crossings is None:
            self._crossings = {}
            for c in CROSSINGS:
                names = (c.name, c.crossing_id, f"{c.settlement_a}-{c.settlement_b}",
                         f"{c.settlement_b}-{c.settlement_a}", *c.aliases)
                for n in names:
                    if n:
                        self._crossings[fold(n).replace("–", "-").replace(" ", "")] = c
        return self._crossings

    def _point_list(self, value, where: str) -> tuple[Point, ...]:
        points: list[Point] = []
        for i, entry in enumerate(self._list(value, where), 1):
            points += self._point(entry, f"{where}, entry {i}")
        return tuple(points)

    def _routes(self, value) -> Iterable[Route]:
        for i, route in enumerate(self._list(value, "routes"), 1):
            where = f"routes, entry {i}"
            if not isinstance(route, dict):
                self.problem(where, "expected {name, stops}")
                continue
            name = route.get("name") if isinstance(route.get("name"), str) else f"Route {i}"
            points: list[Point] = []
            for j, stop in enumerate(self._list(route.get("stops"), f"{where}: stops"), 1):
                sides = self._point(stop, f"{where}: stops, entry {j}")
                if len(sides) == 2 and points:  # enter a crossing by the side nearer the last stop
                    sides = tuple(sorted(sides, key=lambda s: _distance(points[-1], s)))
                points += sides
            west = route.get("labels_above_west_of")
            if west is not None and (isinstance(west, bool) or not isinstance(west, (int, float))):
                self.problem(f"{where}: labels_above_west_of", f"expected a longitude, got {west!r}")
                west = None
            if len(points) < 2:
                self.problem(where, f"{name!r} has fewer than two stops that can be placed; not drawn")
                continue
            yield Route(name, tuple(points), None if west is None else float(west))

    def _point_sets(self, value) -> Iterable[PointSet]:
        for i, entry in enumerate(self._list(value, "points"), 1):
            where = f"points, entry {i}"
            if not isinstance(entry, dict) or not isinstance(entry.get("name"), str):
                self.problem(where, "expected {name, places}")
                continue
            points = self._point_list(entry.get("places"), f"{where}: places")
            if points:
                yield PointSet(entry["name"], points)

    def _labels(self, value) -> tuple[Point, ...] | None:
        if value is None:
            return None
        labels = []
        for i, entry in enumerate(self._list(value, "country_labels"), 1):
            where = f"country_labels, entry {i}"
            if not isinstance(entry, dict) or not isinstance(entry.get("text"), str):
                self.problem(where, "expected {text, lat, lon}")
                continue
            point = self._coordinates(entry, where)
            if point:
                labels.append(Point(entry["text"], *point))
        return tuple(labels)

    def _view(self, value) -> View | None:
        if value is None:
            return None
        if not isinstance(value, dict):
            self.problem("view", "expected {lat: [south, north], lon: [west, east]}")
            return None
        ranges = []
        for key, bound in (("lat", 85), ("lon", 180)):
            pair = value.get(key)
            ok = (isinstance(pair, list) and len(pair) == 2 and all(
                isinstance(v, (int, float)) and not isinstance(v, bool) and -bound <= v <= bound for v in pair)
                and pair[0] < pair[1])
            if not ok:
                self.problem(f"view: {key}", f"expected [low, high] within -{bound}..{bound}, low first, "
                             f"not {pair!r}; the view is fitted to the events")
                return None
            ranges.append((float(pair[0]), float(pair[1])))
        return ranges[0], ranges[1]


def _distance(a: Point, b: Point) -> float:
    return math.hypot(a.lat - b.lat, (a.lon - b.lon) * math.cos(math.radians(a.lat)))
