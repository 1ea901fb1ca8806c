"""The timeline's lanes (one per category, or one per country) and the per-row arrays its
traces are cut from.

An event is drawn in the lane of its category (`other` when it has none), or in the lane of
each of its countries (NO_COUNTRY when it has none): `with_lanes` draws by that rule,
`in_lane` finds the events of a lane by the same rule.
"""
from __future__ import annotations

import itertools
from collections.abc import Iterator

import numpy as np
import pandas as pd

from timeline import categories, countries
from timeline.figures.columns import DAY_GRANULARITIES
from timeline.figures.hover import HoverTexts, hover_rows
from timeline.figures.theme import category_rank

LANES = ("category", "country")
DAY_MS = 86_400_000
NO_COUNTRY = "(none)"
_NO_COUNTRIES = (NO_COUNTRY,)
DRAWN_COLUMNS = ("event_id", "date", "end", "granularity", "timex", "date_text", "title",
                 "category", "source", "countries")


def _is_list(value) -> bool:
    return isinstance(value, (list, tuple, np.ndarray)) and len(value) > 0


def with_lanes(dated: pd.DataFrame, lanes: str) -> pd.DataFrame:
    """The rows of `dated` with a column `lane`; in country lanes, a row per country."""
    rows = dated.reset_index(drop=True)
    category = rows["category"].fillna("").astype(str)
    rows["category"] = category
    if lanes == "category":
        rows["lane"] = category.where(category != "", categories.OTHER)
        return rows
    # A row per country, by hand: DataFrame.explode is several times slower at this size.
    # (No new list per row either: 100,000 small lists would set off the garbage collector.)
    lists = [cs if _is_list(cs) else _NO_COUNTRIES for cs in rows["countries"].tolist()]
    repeat = np.repeat(np.arange(len(rows)), np.fromiter(map(len, lists), dtype=np.int64, count=len(lists)))
    rows = rows.take(repeat).reset_index(drop=True)
    lane = np.empty(len(rows), dtype=object)
    lane[:] = [str(c) for c in itertools.chain.from_iterable(lists)]
    rows["lane"] = lane
    return rows


def in_lane(rows: pd.DataFrame, lanes: str, lane: str) -> pd.DataFrame:
    """The `rows` drawn in lane `lane` of the timeline with `lanes` lanes."""
    if lanes == "category":
        cat = rows["category"].fillna("").astype(str)
        return rows[cat.where(cat != "", categories.OTHER) == lane]
    return rows[rows["countries"].map(lambda cs: (lane in cs) if _is_list(cs) else lane == NO_COUNTRY)]


def lane_order(lane: pd.Series, lanes: str) -> list[str]:
    """The lanes present in `lane`, top first: categories in display order (others after,
    by name); countries by number of events, NO_COUNTRY last."""
    present = lane.value_counts()
    if lanes == "category":
        return sorted(present.index, key=lambda c: (category_rank(c), c))
    return sorted(present.index, key=lambda c: (c == NO_COUNTRY, -present[c], c))


def lane_label(name: str, lanes: str) -> str:
    """What a lane (a category or a country code) is called on the axis and in hovers."""
    return categories.label(name) if lanes == "category" else countries.label(name)


def by_category(cat: np.ndarray, idx: np.ndarray) -> Iterator[tuple[str, np.ndarray]]:
    """(category, the positions in `idx` of its rows), categories in display order, then others."""
    codes, uniques = pd.factorize(cat[idx], sort=False)
    order = np.argsort(codes, kind="stable")
    bounds = np.searchsorted(codes[order], np.arange(len(uniques) + 1))
    for i in sorted(range(len(uniques)), key=lambda i: (category_rank(uniques[i]), str(uniques[i]))):
        yield str(uniques[i]), idx[order[bounds[i]:bounds[i + 1]]]


def selected_points(ids: np.ndarray, selected: set) -> list[int] | None:
    """Plotly's `selectedpoints`: the positions of `ids` in `selected`; None selects none."""
    if not selected:
        return None
    return np.flatnonzero(pd.Index(ids).isin(list(selected))).tolist()


def groups_holding(ids: np.ndarray, group: np.ndarray, n_groups: int, selected: set) -> np.ndarray | None:
    """Per group, whether it holds a selected event (rows `ids` in groups `group`); None
    when nothing is selected."""
    if not selected:
        return None
    hit = pd.Index(ids).isin(list(selected))
    return np.bincount(group, weights=hit, minlength=n_groups) > 0


def iso(value) -> str:
    """A date or date-time as its ISO day."""
    return str(np.datetime64(value, "D"))


class Columns:
    """The per-row numpy arrays the traces are cut from (`rows`: dated events with their
    lane, see `with_lanes`). Strings are factorized and formatted once for the whole frame,
    then indexed: taking subsets of Arrow string columns again and again would cost more
    than everything else at 100,000 rows.
    """

    def __init__(self, rows: pd.DataFrame, lanes: str):
        self.rows = rows
        self.lane_names = lane_order(rows["lane"], lanes)
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
        self.is_day = rows["granularity"].fillna("").isin(DAY_GRANULARITIES).to_numpy()
        self.ids = rows["event_id"].astype(str).to_numpy(dtype=object)
        self._hover = None

    def iso(self, idx) -> np.ndarray:
        """The first day of the rows at `idx`, as ISO dates."""
        return np.datetime_as_string(self.start[idx], unit="D")

    def hover(self, idx: np.ndarray) -> np.ndarray:
        """Hover labels of the rows at `idx` (formatted once per distinct value, on demand;
        a few rows of a large frame directly, cheaper than finding the distinct values)."""
        if self._hover is None and len(idx) * 20 < len(self.ids):
            return hover_rows(self.rows, idx)
        if self._hover is None:
            self._hover = HoverTexts(self.rows)
        return self._hover[idx]

    def titles(self, idx: np.ndarray) -> list[str]:
        """The titles of the rows at `idx` ('' for none)."""
        return self.rows["title"].take(idx).fillna("").astype(str).tolist()
