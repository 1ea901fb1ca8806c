"""The road border crossings of `timeline/data/crossings.csv`: the one loader of them, for
the place finder, the gazetteer and the map."""
from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from timeline.errors import InputError
from timeline.extract.places.fold import fold

CROSSINGS_CSV = Path(__file__).resolve().parents[2] / "data" / "crossings.csv"


@dataclass(frozen=True)
class Crossing:
    """A road border crossing from `data/crossings.csv`.

    `lat`/`lon` is the midpoint of the two settlements: a point near the
    border line between the two checkpoints.
    """

    crossing_id: str
    name: str
    border: str
    country_a: str
    settlement_a: str
    lat_a: float
    lon_a: float
    country_b: str
    settlement_b: str
    lat_b: float
    lon_b: float
    road: str
    aliases: tuple[str, ...]
    border_default: bool
    source: str

    @property
    def lat(self) -> float:
        return round((self.lat_a + self.lat_b) / 2, 4)

    @property
    def lon(self) -> float:
        return round((self.lon_a + self.lon_b) / 2, 4)

    @property
    def countries(self) -> tuple[str, str]:
        return (self.country_a, self.country_b)


def load_crossings(path: Path | str = CROSSINGS_CSV) -> tuple[Crossing, ...]:
    """The crossings in the CSV file at `path` (default: the shipped table), in file order.

    Raises InputError naming the file (and the line of a malformed row) when it cannot be
    read or a row lacks a column or has a coordinate that is not a number.
    """
    path = Path(path)
    try:
        with open(path, encoding="utf-8", newline="") as f:
            rows = list(csv.DictReader(f))
    except OSError as e:
        raise InputError(f"{path}: cannot read the crossings file ({e.strerror or e})") from None
    crossings = []
    for n, row in enumerate(rows, start=2):
        try:
            crossings.append(Crossing(
                crossing_id=row["crossing_id"], name=row["name"], border=row["border"],
                country_a=row["country_a"], settlement_a=row["settlement_a"],
                lat_a=float(row["lat_a"]), lon_a=float(row["lon_a"]),
                country_b=row["country_b"], settlement_b=row["settlement_b"],
                lat_b=float(row["lat_b"]), lon_b=float(row["lon_b"]), road=row["road"],
                aliases=tuple(a.strip() for a in row["aliases"].split("|") if a.strip()),
                border_default=row.get("border_default", "").strip().lower() == "yes",
                source=row.get("source", ""),
            ))
        except (KeyError, TypeError, ValueError) as e:
            raise InputError(f"{path}, line {n}: bad crossing row ({e})") from e
    return tuple(crossings)


CROSSINGS: tuple[Crossing, ...] = load_crossings()
_CROSSING_BY_NAME: dict[str, Crossing] = {}
for _c in CROSSINGS:
    for _n in (_c.name, _c.crossing_id, _c.settlement_a, _c.settlement_b, *_c.aliases):
        _CROSSING_BY_NAME.setdefault(fold(_n), _c)
    _CROSSING_BY_NAME.setdefault(fold(f"{_c.settlement_b}-{_c.settlement_a}"), _c)


def crossing_for(name: str) -> Crossing | None:
    """The crossing known by `name` (its name, id, a settlement or an alias), or None.

    Accent- and case-insensitive: "Šalčininkai", "salcininkai" and "Benyakoni"
    all give the Salcininkai-Benyakoni crossing.
    """
    return _CROSSING_BY_NAME.get(fold(name))


def default_crossing(countries: Iterable[str]) -> Crossing | None:
    """The crossing meant by an unnamed "border" between the given countries.

    Uses the crossings marked `border_default` in crossings.csv. Returns None
    when the countries touch no such border, or more than one (ambiguous).
    """
    present = {c for c in countries if c}
    borders = {c.border: c for c in CROSSINGS if c.border_default and set(c.countries) <= present}
    return next(iter(borders.values())) if len(borders) == 1 else None
