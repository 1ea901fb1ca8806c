"""From a point of a figure back to its events.

Every trace point that stands for events carries a string in `customdata`: an `event_id`
(a single event: a day marker, a period bar of a small frame) or a group key starting with
"@" (several events: a map place or grid cell, an aggregated period bar of a large frame,
a marker grouping the day events of a lane over a day, week, month or year).
`event_ids_for(frame, value)` turns either kind into the list of event ids;
`event_ids_for_each(frame, values)` does it for many values, indexing the frame once.
"""
from __future__ import annotations

from collections.abc import Sequence
from functools import cached_property

import numpy as np
import pandas as pd

from timeline.figures.columns import DAY_GRANULARITIES, dated_mask
from timeline.figures.lanes import with_lanes
from timeline.figures.map import place_groups


def event_ids_for(frame: pd.DataFrame, value: str) -> list[str]:
    """The event ids behind one point's customdata: an event id, or an "@" group key
    from an aggregated period bar, a group of day events or a map place. An unknown id
    or a malformed key gives an empty list.
    """
    return event_ids_for_each(frame, [value])[0]


def event_ids_for_each(frame: pd.DataFrame, values: Sequence[str], *, limit: int | None = None) -> list[list[str]]:
    """`event_ids_for(frame, v)` for each of `values`, in order; once `limit` ids (counted
    with repeats) are found, the remaining values get empty lists.

    The frame is indexed once per kind of value (event ids, map places, each kind of
    timeline lanes) and each value is then a lookup, so thousands of values, genuine or
    made up by a client, cost milliseconds, not seconds.
    """
    index = _Index(frame)
    out: list[list[str]] = []
    total = 0
    for value in map(str, values):
        found = index.ids(value) if limit is None or total < limit else []
        total += len(found)
        out.append(found)
    return out


class _Index:
    """Lookups of customdata values in one frame, each index built on first use."""

    def __init__(self, frame: pd.DataFrame):
        self.frame = frame
        self.event_ids = frame["event_id"].astype(str).to_numpy(dtype=object)
        self.lanes: dict[str, _LaneIndex] = {}

    def ids(self, value: str) -> list[str]:
        if not value.startswith("@"):
            return [value] if value in self.known else []
        kind, _, rest = value.partition("|")
        if kind in ("@place", "@cell"):
            rows = self.places.get(value)
            return [] if rows is None else self.event_ids[rows].tolist()
        if kind not in ("@period", "@days"):
            return []
        try:
            lanes, rest = rest.split("|", 1)
            lane, a, b = rest.rsplit("|", 2)
            b = np.datetime64(b, "D")
            a = a if kind == "@period" else np.datetime64(a, "D")
        except (ValueError, OverflowError):
            return []
        if lanes not in self.lanes:
            self.lanes[lanes] = _LaneIndex(self.dated, lanes)
        rows = self.lanes[lanes].rows(kind, lane, a, b)
        return self.dated_ids[rows].tolist()

    @cached_property
    def known(self) -> set:
        return set(self.event_ids.tolist())

    @cached_property
    def places(self) -> dict[str, np.ndarray]:
        """Per map key, the rows of the first place group with that key, in frame order."""
        places = place_groups(self.frame)
        order = np.argsort(places.group, kind="stable")
        bounds = np.searchsorted(places.group[order], np.arange(len(places.key) + 1))
        out: dict[str, np.ndarray] = {}
        for g, key in enumerate(places.key.tolist()):
            if key not in out:
                out[key] = places.rows[order[bounds[g]:bounds[g + 1]]]
        return out

    @cached_property
    def dated(self) -> pd.DataFrame:
        return self.frame.loc[dated_mask(self.frame), ["event_id", "date", "granularity", "category", "countries"]]

    @cached_property
    def dated_ids(self) -> np.ndarray:
        return self.dated["event_id"].astype(str).to_numpy(dtype=object)


class _LaneIndex:
    """The dated rows in the lanes of one kind ("category", "country"; `lanes.with_lanes`
    says which rows a lane holds, as the timeline draws them), sorted for the timeline's
    group keys: 'lanes|lane|granularity|first day' of an aggregated period bar ('@period'),
    'lanes|lane|first day|last day' of a group of day events ('@days')."""

    def __init__(self, dated: pd.DataFrame, lanes: str):
        rows = with_lanes(dated.assign(_pos=np.arange(len(dated))), lanes)
        lane, lane_names = pd.factorize(rows["lane"].astype(str))
        gran, gran_names = pd.factorize(rows["granularity"].fillna("").astype(str))
        self.lane_code = {name: i for i, name in enumerate(lane_names)}
        self.gran_code = {name: i for i, name in enumerate(gran_names)}
        day = rows["date"].to_numpy(dtype="datetime64[D]").astype(np.int64)
        pos = rows["_pos"].to_numpy(dtype=np.int64)
        self.first = int(day.min()) if len(day) else 0
        self.span = (int(day.max()) - self.first + 1) if len(day) else 1
        self.n_gran = max(len(gran_names), 1)
        offset = day - self.first
        # One sortable integer per row: (lane, granularity, day) for bars, (lane, day) for days.
        period = (lane * self.n_gran + gran) * self.span + offset
        order = np.lexsort((pos, period))
        self.period, self.period_pos = period[order], pos[order]
        is_day = rows["granularity"].isin(DAY_GRANULARITIES).to_numpy()
        days = (lane * self.span + offset)[is_day]
        order = np.lexsort((pos[is_day], days))
        self.days, self.days_pos = days[order], pos[is_day][order]

    def rows(self, kind: str, lane: str, a, b: np.datetime64) -> np.ndarray:
        """Positions (in the dated frame, ascending) of the rows of `lane` in the bar of
        granularity `a` starting on day `b` ('@period'), or of its day events from day
        `a` to day `b` ('@days')."""
        code = self.lane_code.get(lane)
        if code is None or np.isnat(b) or (kind == "@days" and np.isnat(a)):
            return np.zeros(0, dtype=np.int64)
        last = int(b.astype(np.int64)) - self.first
        if kind == "@period":
            if a not in self.gran_code or not 0 <= last < self.span:
                return np.zeros(0, dtype=np.int64)
            key = (code * self.n_gran + self.gran_code[a]) * self.span + last
            lo, hi = np.searchsorted(self.period, [key, key + 1])
            return self.period_pos[lo:hi]
        start = max(int(a.astype(np.int64)) - self.first, 0)
        last = min(last, self.span - 1)
        if start > last:
            return np.zeros(0, dtype=np.int64)
        lo, hi = np.searchsorted(self.days, [code * self.span + start, code * self.span + last + 1])
        return np.sort(self.days_pos[lo:hi])
