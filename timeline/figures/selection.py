"""From a point of a figure back to its events.

Every trace point that stands for events carries a string in `customdata`: an `event_id`
(a single event: a day marker, a period bar of a small frame) or a group key starting with
"@" (several events: a map place or grid cell, an aggregated period bar of a large frame,
a marker grouping the day events of a lane over a day, week, month or year).
`event_ids_for(frame, value)` turns either kind into the list of event ids.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from timeline.figures.columns import DAY_GRANULARITIES, dated_mask
from timeline.figures.lanes import in_lane
from timeline.figures.map import place_groups


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
        return _timeline_group(frame, kind, rest)
    if kind in ("@place", "@cell"):
        places = place_groups(frame)
        hit = np.flatnonzero(places.key == value)
        if not len(hit):
            return []
        rows = places.rows[places.group == hit[0]]
        return frame["event_id"].astype(str).to_numpy(dtype=object)[rows].tolist()
    return []


def _timeline_group(frame: pd.DataFrame, kind: str, rest: str) -> list[str]:
    """The events of a timeline group key, less its kind: 'lanes|lane|granularity|first
    day' of an aggregated period bar ('@period'), 'lanes|lane|first day|last day' of a
    group of day events ('@days')."""
    try:
        lanes, rest = rest.split("|", 1)
        lane, a, b = rest.rsplit("|", 2)
        b = np.datetime64(b, "D")
        a = a if kind == "@period" else np.datetime64(a, "D")
    except ValueError:
        return []
    dated = frame.loc[dated_mask(frame), ["event_id", "date", "granularity", "category", "countries"]]
    day = dated["date"].to_numpy(dtype="datetime64[D]")
    gran = dated["granularity"].fillna("")
    if kind == "@period":
        hit = dated[(gran == a).to_numpy() & (day == b)]
    else:
        hit = dated[gran.isin(DAY_GRANULARITIES).to_numpy() & (day >= a) & (day <= b)]
    return in_lane(hit, lanes, lane)["event_id"].astype(str).tolist()
