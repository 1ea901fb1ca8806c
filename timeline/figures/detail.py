"""The level of detail of a large frame's timeline in the dashboard, which draws it again
for the range the reader zooms to: the day events in that window one by one (up to
DETAIL_MARKERS of them), the others grouped per lane and calendar bin (day, week, month,
quarter or year: the finest that keeps MAX_BINS per lane), each bin cut at the window's
edges so that a group never straddles them. A group is one marker, sized by its number
of events, its customdata a group key '@days|lanes|lane|first day|last day'.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from timeline import categories
from timeline.figures.lanes import DAY_MS, Columns, by_category, groups_holding, lane_label
from timeline.figures.theme import AGGREGATE_COLOR, escape

DETAIL_MARKERS = 2_000       # day events drawn one by one in the window, at most
MAX_BINS = 150               # groups per lane across a span, at most (about 8 px apart)

_BIN_DAYS = (("day", 1.0), ("week", 7.0), ("month", 30.44), ("quarter", 91.31))
_EPOCH_MONDAY = 3  # 1970-01-01 was a Thursday: day d is a Monday when (d + 3) % 7 == 0


@dataclass
class DayGroups:
    """Grouped day events: `rows` (positions in the columns) and each one's `group`; per
    group a row standing for it (`first_row`), its first and last day (days since
    1970-01-01, cut at the window), its number of rows, and whether it lies in the window."""
    rows: np.ndarray
    group: np.ndarray
    first_row: np.ndarray
    first: np.ndarray
    last: np.ndarray
    n: np.ndarray
    inside: np.ndarray


def _bin_unit(n_days: int) -> str:
    """The finest of day, week, month, quarter, year that cuts `n_days` into at most MAX_BINS bins."""
    for unit, days in _BIN_DAYS:
        if n_days / days <= MAX_BINS:
            return unit
    return "year"


def _bins(day: np.ndarray, unit: str) -> tuple[np.ndarray, np.ndarray]:
    """First and last day of the `unit` bin (weeks from Monday) holding each of `day`."""
    if unit == "day":
        return day.copy(), day.copy()
    if unit == "week":
        first = day - (day + _EPOCH_MONDAY) % 7
        return first, first + 6
    if unit == "year":
        period, length = day.astype("datetime64[D]").astype("datetime64[Y]"), 1
    else:
        period, length = day.astype("datetime64[D]").astype("datetime64[M]"), 1 if unit == "month" else 3
        period = period - period.astype(np.int64) % length  # quarters start in January, April, ...
    first = period.astype("datetime64[D]").astype(np.int64)
    return first, (period + length).astype("datetime64[D]").astype(np.int64) - 1


def _window_days(x_range) -> tuple[int, int]:
    """The days (since 1970-01-01) whose markers fall inside `x_range`: from the first
    midnight in it to the last."""
    a, b = (int(np.datetime64(pd.Timestamp(v), "ms").astype(np.int64)) for v in x_range)
    return -(-a // DAY_MS), b // DAY_MS


def level_of_detail(col: Columns, days: np.ndarray, x_range, full_range) -> tuple[np.ndarray, DayGroups]:
    """Split the day events `days` (positions, in date order) into those drawn one by one
    (the ones in the `x_range` window when they are at most DETAIL_MARKERS) and groups."""
    day = col.start[days].astype("datetime64[D]").astype(np.int64)
    lo, hi = _window_days(x_range)
    inside = (day >= lo) & (day <= hi)
    detail = inside if int(inside.sum()) <= DETAIL_MARKERS else np.zeros(len(days), dtype=bool)
    rest, day, inside = days[~detail], day[~detail], inside[~detail]
    span_lo, span_hi = _window_days(full_range)
    first, last = _bins(day, _bin_unit(span_hi - span_lo + 1))
    if inside.any():
        first[inside], last[inside] = _bins(day[inside], _bin_unit(hi - lo + 1))
    before, after = day < lo, day > hi
    last = np.where(before, np.minimum(last, lo - 1), np.where(inside, np.minimum(last, hi), last))
    first = np.where(after, np.maximum(first, hi + 1), np.where(inside, np.maximum(first, lo), first))
    # Bins are disjoint within a lane, so (lane, first day) names a group.
    key = col.lane_codes[rest].astype(np.int64) * (1 << 32) + (first + (1 << 31))
    _, first_at, group, n = np.unique(key, return_index=True, return_inverse=True, return_counts=True)
    groups = DayGroups(rows=rest, group=group.ravel(), first_row=rest[first_at], first=first[first_at],
                       last=last[first_at], n=n, inside=inside[first_at])
    return days[detail], groups


def day_groups(col: Columns, g: DayGroups, lanes: str, selected: set, k: float) -> list:
    """One marker per group of day events, sized by its number of events (against the
    largest group of its kind: in the window, or outside it), customdata its group key."""
    if not len(g.n):
        return []
    first_iso, last_iso, mid_iso = (np.datetime_as_string(d.astype("datetime64[D]"), unit="D")
                                    for d in (g.first, g.last, g.first + (g.last - g.first) // 2))
    lane = col.lane[g.first_row]
    keys = np.array([f"@days|{lanes}|{ln}|{a}|{b}" for ln, a, b in zip(lane.tolist(), first_iso.tolist(),
                                                                         last_iso.tolist())], dtype=object)
    scale = np.ones(len(g.n))
    for where in (g.inside, ~g.inside):
        if where.any():
            scale[where] = np.sqrt(g.n[where] / g.n[where].max())
    size = (7 + 15 * scale) * k
    hover = _group_hover(col, g, lanes, lane, first_iso, last_iso)
    any_sel = groups_holding(col.ids[g.rows], g.group, len(g.n), selected)
    by_cat = lanes == "category"
    cats = by_category(col.cat[g.first_row], np.arange(len(g.n))) if by_cat else [("", np.arange(len(g.n)))]
    return [dict(
        type="scatter",
        x=mid_iso[idx],
        y=col.y[g.first_row[idx]] + 0.12,
        mode="markers",
        name=categories.label(cat) if by_cat else "Day events, grouped",
        legendgroup=cat if by_cat else "days",
        showlegend=False,
        customdata=keys[idx],
        hovertext=hover[idx],
        hovertemplate="%{hovertext}<extra></extra>",
        marker=dict(color=categories.colour(cat) if by_cat else AGGREGATE_COLOR, symbol="circle",
                    size=size[idx], opacity=0.7, line=dict(color="#FFFFFF", width=1 * k)),
        selectedpoints=np.flatnonzero(any_sel[idx]).tolist() if any_sel is not None else None,
        selected=dict(marker=dict(opacity=1.0)),
        unselected=dict(marker=dict(opacity=0.2)),
    ) for cat, idx in cats]


def _group_hover(col: Columns, g: DayGroups, lanes: str, lane: np.ndarray, first_iso: np.ndarray,
                 last_iso: np.ndarray) -> np.ndarray:
    """Per group its hover label: a group of one shows its event, a larger one its number
    of events, days and lane."""
    words: dict = {}
    hover = np.empty(len(g.n), dtype=object)
    one = np.flatnonzero(g.n == 1)
    hover[one] = col.hover(g.first_row[one])
    for i, (n, a, b, ln) in enumerate(zip(g.n.tolist(), first_iso.tolist(), last_iso.tolist(), lane.tolist())):
        if n == 1:
            continue
        when = words.get((a, b)) or words.setdefault((a, b), _period_words(a, b))
        who = lane_label(ln, lanes)
        hover[i] = f"<b>{n:,} events</b><br>{when}<br>{escape(who)}<br><i>Click to select them, zoom in to see each</i>"
    return hover


def _period_words(first: str, last: str) -> str:
    """A group's days in words: '3 Aug 2025', 'August 2025', 'July – September 2025', '2025',
    '4 Aug 2025 – 10 Aug 2025'."""
    a, b = pd.Timestamp(first), pd.Timestamp(last)
    if a == b:
        return f"{a.day} {a:%b} {a.year}"
    if a.day == 1 and b == a + pd.offsets.MonthEnd(0):
        return f"{a:%B} {a.year}"
    if a.day == 1 and a.month % 3 == 1 and b == a + pd.offsets.MonthEnd(3):
        return f"{a:%B} – {b:%B} {a.year}"
    if (a.month, a.day, b.month, b.day) == (1, 1, 12, 31) and a.year == b.year:
        return str(a.year)
    return f"{a.day} {a:%b} {a.year} – {b.day} {b:%b} {b.year}"
