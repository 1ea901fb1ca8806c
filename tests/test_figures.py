"""Figures from frames: the timeline, the map, the print layout, and the synthetic frames
they are tested and benchmarked with."""
from __future__ import annotations

import io
import os
import re
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
import pytest

from timeline import categories, figures
from timeline.errors import DataError, InputError, SchemaError
from timeline.figures import (
    CREDIT,
    EMPTY_MESSAGE,
    OFFLINE_TOPOJSON_DIR,
    composed_figure,
    dash_graph_config,
    event_ids_for,
    load_crossings,
    map_figure,
    timeline_figure,
)
from timeline.figures import story_file
from timeline.schema import COLUMNS, NAMES
from timeline.synth import synthetic_frame

DAY_MS = 86_400_000
MARKUP = "<img src=x onerror=alert(1)> & <script>alert(2)</script>"

_DEFAULTS = dict(
    granularity="day", timex="", date_text="", dated=True, title="An event", category="release",
    actors=[], places=[], countries=[], lat=np.nan, lon=np.nan, place_inferred=False, sentence="",
    start_char=0, end_char=0, confidence=0.9, article_id="a1", source="Test wire",
    published=pd.NaT, url="", sources=["a1"],
)

SEED_STORY = story_file.load(Path(__file__).resolve().parents[1] / "seeds" / "story.yaml")


def make_frame(*events: dict) -> pd.DataFrame:
    """A frame of the given events (schema columns and dtypes); `date` and `end` as ISO
    strings, `end` defaulting to `date`."""
    rows = []
    for i, event in enumerate(events):
        row = {**_DEFAULTS, "event_id": f"e{i}", **event}
        row.setdefault("date", None)
        row.setdefault("end", row["date"])
        if not row["timex"] and row["date"]:
            row["timex"] = row["date"]
        rows.append(row)
    frame = pd.DataFrame(rows, columns=list(NAMES))
    for c in COLUMNS:
        if c.dtype != "list":
            frame[c.name] = frame[c.name].astype(c.dtype)
    return frame


def traces_holding(fig: go.Figure, event_id: str) -> list:
    return [t for t in fig.data if t.customdata is not None and event_id in list(t.customdata)]


def point(trace, event_id: str) -> int:
    return list(trace.customdata).index(event_id)


# ---------------------------------------------------------------------------
# Timeline
# ---------------------------------------------------------------------------

def test_year_event_is_a_bar_spanning_the_year():
    frame = make_frame(dict(date="2023-01-01", end="2023-12-31", granularity="year", timex="2023",
                            date_text="in 2023"))
    (trace,) = traces_holding(timeline_figure(frame), "e0")
    assert trace.type == "bar" and trace.orientation == "h"
    i = point(trace, "e0")
    assert trace.base[i] == "2023-01-01"
    assert trace.x[i] == 365 * DAY_MS  # to the end of 31 December


def test_month_event_bar_ends_with_its_last_day():
    frame = make_frame(dict(date="2025-02-01", end="2025-02-28", granularity="month", timex="2025-02"))
    (trace,) = traces_holding(timeline_figure(frame), "e0")
    assert trace.type == "bar" and trace.x[0] == 28 * DAY_MS


def test_day_event_is_a_marker():
    frame = make_frame(dict(date="2025-09-11", title="Prisoners freed at the border"))
    (trace,) = traces_holding(timeline_figure(frame), "e0")
    assert trace.type == "scatter" and trace.mode == "markers"
    assert trace.x[point(trace, "e0")] == "2025-09-11"


def test_undated_rows_are_absent():
    frame = make_frame(dict(date="2025-09-11"), dict(dated=False, granularity="", timex=""),
                       dict(date=None, dated=True))
    fig = timeline_figure(frame)
    held = {cd for t in fig.data if t.customdata is not None for cd in t.customdata}
    assert held == {"e0"}


def test_lanes_switch_to_country():
    frame = make_frame(dict(date="2025-09-11", countries=["BY", "LT"]),
                       dict(date="2025-09-10", countries=["PL"]),
                       dict(date="2025-09-09", countries=[]))
    by_category = timeline_figure(frame)
    assert list(by_category.layout.yaxis.ticktext) == ["Release"]
    fig = timeline_figure(frame, lanes="country")
    lanes = dict(zip(fig.layout.yaxis.tickvals, fig.layout.yaxis.ticktext))
    assert set(lanes.values()) == {"Belarus", "Lithuania", "Poland", "(none)"}
    # An event with two countries is drawn in both lanes.
    (trace,) = traces_holding(fig, "e0")
    ys = [round(y) for y, cd in zip(trace.y, trace.customdata) if cd == "e0"]
    assert sorted(lanes[y] for y in ys) == ["Belarus", "Lithuania"]


def test_country_lanes_and_hovers_name_every_country():
    frame = make_frame(*[dict(date=f"2025-09-{10 + i:02d}", countries=[c]) for i, c in enumerate(("BY", "MD", "KZ"))])
    fig = timeline_figure(frame, lanes="country")
    assert set(fig.layout.yaxis.ticktext) == {"Belarus", "Moldova", "Kazakhstan"}
    large = synthetic_frame(figures.LARGE_FRAME + 1_000, seed=4)
    large["countries"] = [["MD"] for _ in range(len(large))]
    fig = timeline_figure(large, lanes="country", x_range="all", level_of_detail=True)
    hovers = [h for t in fig.data if str(t.legendgroup) in ("periods", "days") for h in t.hovertext]
    assert hovers and all("Moldova" in h for h in hovers if "events" in h)


def test_first_lane_is_on_top():
    frame = make_frame(dict(date="2025-09-11", category="release"),
                       dict(date="2025-09-11", category="award"))
    fig = timeline_figure(frame)
    lanes = dict(zip(fig.layout.yaxis.ticktext, fig.layout.yaxis.tickvals))
    assert lanes["Release"] > lanes["Award"]
    (release,) = traces_holding(fig, "e0")
    assert round(release.y[0]) == lanes["Release"]


def test_customdata_holds_every_dated_event_id():
    frame = synthetic_frame(400, seed=2)
    fig = timeline_figure(frame)
    held = {cd for t in fig.data if t.customdata is not None and t.name != "Selected" for cd in t.customdata}
    assert held == set(frame.loc[frame["dated"], "event_id"])


def test_hover_shows_title_date_as_written_timex_and_source():
    frame = make_frame(dict(date="2025-09-11", title="Lukashenko frees 52", date_text="on Thursday",
                            timex="2025-09-11", source="LRT"))
    (trace,) = traces_holding(timeline_figure(frame), "e0")
    text = trace.hovertext[0]
    assert "Lukashenko frees 52" in text and "on Thursday" in text and "2025-09-11" in text and "LRT" in text
    assert trace.hovertemplate == "%{hovertext}<extra></extra>"


def test_markup_in_titles_is_escaped_in_hover_and_labels():
    frame = make_frame(dict(date="2025-09-11", title=MARKUP, date_text="<b>Thursday</b>", source="<i>x</i>",
                            lat=54.687, lon=25.280, places=[MARKUP]),
                       dict(date="2024-01-01", end="2024-12-31", granularity="year", title=MARKUP))
    fig = timeline_figure(frame)
    texts = [h for t in fig.data if t.hovertext is not None for h in t.hovertext]
    texts += [a.text for a in fig.layout.annotations]
    geo = map_figure(frame)
    texts += [h for t in geo.data if t.hovertext is not None for h in t.hovertext]
    assert len(texts) >= 4
    for text in texts:
        assert "<img" not in text and "<script" not in text and "<i>" not in text
    assert any("&lt;img src=x onerror=alert(1)&gt; &amp; &lt;script&gt;" in t for t in texts)


def test_selected_events_are_highlighted_and_others_dimmed():
    frame = make_frame(dict(date="2025-09-11"), dict(date="2025-09-12"), dict(date="2025-09-13"))
    fig = timeline_figure(frame, selected=["e1"])
    (trace,) = [t for t in fig.data if t.name == "Release"]
    assert list(trace.selectedpoints) == [point(trace, "e1")]
    assert trace.unselected.marker.opacity < 0.5
    ring = [t for t in fig.data if t.name == "Selected"]
    assert ring and list(ring[0].x) == ["2025-09-12"]


def test_opening_view_is_the_last_six_weeks_when_events_span_years():
    frame = make_frame(dict(date="2012-05-01"), dict(date="2025-09-11"), dict(date="2025-08-20"))
    fig = timeline_figure(frame)
    start, stop = (pd.Timestamp(v) for v in fig.layout.xaxis.range)
    assert pd.Timestamp("2025-09-11") < stop <= pd.Timestamp("2025-09-20")
    assert 40 <= (stop - start).days <= 50
    assert fig.layout.xaxis.rangeslider.visible
    slider = [pd.Timestamp(v) for v in fig.layout.xaxis.rangeslider.range]
    assert slider[0] < pd.Timestamp("2012-05-01")


def test_the_opening_view_is_the_latest_dense_stretch_not_a_lone_date_after_it():
    story = [dict(date=f"2025-03-{d:02d}") for d in range(1, 29)] + [dict(date="2025-05-20")]
    frame = make_frame(*story, dict(date="2026-01-15"))  # one stray date, months after the story
    start, stop = (pd.Timestamp(v) for v in timeline_figure(frame).layout.xaxis.range)
    assert pd.Timestamp("2025-03-28") < stop <= pd.Timestamp("2025-04-05") and 40 <= (stop - start).days <= 50
    # a later stretch as dense as half the densest opens the view
    later = make_frame(*story, *[dict(date=f"2025-06-{d:02d}") for d in range(1, 16)])
    stop = pd.Timestamp(timeline_figure(later).layout.xaxis.range[1])
    assert pd.Timestamp("2025-06-15") < stop <= pd.Timestamp("2025-06-20")


def test_x_range_overrides_the_opening_view():
    frame = make_frame(dict(date="2012-05-01"), dict(date="2025-09-11"))
    fig = timeline_figure(frame, x_range=("2012-01-01", "2013-01-01"))
    assert list(fig.layout.xaxis.range) == ["2012-01-01", "2013-01-01"]
    with pytest.raises(InputError, match="x_range"):
        timeline_figure(frame, x_range=("soon", "later"))


def test_labels_in_a_lane_do_not_overlap():
    frame = make_frame(*[dict(date=f"2025-09-{d:02d}", title=f"Event number {d} with a long title")
                         for d in range(1, 29)])
    fig = timeline_figure(frame, width=900)
    labels = [a for a in fig.layout.annotations if a.name == "label"]
    assert 0 < len(labels) < 28
    # Each label is about 6.2 px a character at 900 px for 27 days: no two may start closer.
    starts = sorted(pd.Timestamp(a.x) for a in labels if a.xanchor == "left")
    px_per_day = 900 / 31
    for a, b in zip(starts, starts[1:]):
        assert (b - a).days * px_per_day >= 20 * 6.2


def test_empty_frame_gives_the_no_events_annotation():
    for frame in (synthetic_frame(0), make_frame(dict(dated=False, granularity="", timex=""))):
        fig = timeline_figure(frame)
        assert [a.text for a in fig.layout.annotations] == [EMPTY_MESSAGE]
        assert not fig.data
    assert EMPTY_MESSAGE in [a.text for a in map_figure(synthetic_frame(0)).layout.annotations]


def test_bad_input_gives_clear_errors():
    frame = make_frame(dict(date="2025-09-11"))
    with pytest.raises(InputError, match="lanes"):
        timeline_figure(frame, lanes="actor")
    with pytest.raises(SchemaError, match="title"):
        timeline_figure(frame.drop(columns=["title"]))


def test_large_frame_uses_webgl_markers_and_aggregated_bars():
    frame = synthetic_frame(100_000)
    fig = timeline_figure(frame)
    kinds = {t.type for t in fig.data if t.customdata is not None}
    assert kinds == {"scattergl", "bar"}
    bars = [t for t in fig.data if t.type == "bar"]
    n_bars = sum(len(t.customdata) for t in bars)
    n_periods = int((frame["dated"] & ~frame["granularity"].isin(["day", ""])).sum())
    assert n_bars < 5_000 < n_periods
    assert all(str(cd).startswith("@period|") for t in bars for cd in t.customdata)


@pytest.mark.parametrize("level_of_detail", [False, True])
def test_large_figure_is_valid_plotly(level_of_detail):
    """Large frames skip plotly's validation for speed: check the same dicts validate."""
    fig = timeline_figure(synthetic_frame(figures.LARGE_FRAME + 1_000, seed=4), selected=["syn-4-000001"],
                          level_of_detail=level_of_detail)
    go.Figure(fig.to_dict())  # raises on an invalid property or value


def test_aggregated_keys_resolve_to_their_events():
    frame = synthetic_frame(figures.LARGE_FRAME + 2_000, seed=5)
    for lanes in ("category", "country"):
        fig = timeline_figure(frame, lanes=lanes)
        bars = [t for t in fig.data if t.type == "bar"]
        key = bars[0].customdata[0]
        ids = event_ids_for(frame, key)
        n = int(bars[0].hovertext[0].split(" event")[0].replace("<b>", "").replace(",", ""))
        assert len(ids) == n > 0
    assert event_ids_for(frame, "syn-5-000003") == ["syn-5-000003"]
    assert event_ids_for(frame, "no-such-id") == []


# ---------------------------------------------------------------------------
# Level of detail: a large frame in the dashboard, redrawn for the range in view
# ---------------------------------------------------------------------------

def day_events(frame: pd.DataFrame, first: str | None = None, last: str | None = None) -> pd.DataFrame:
    """The dated day events of `frame`, those from day `first` to day `last` when given."""
    days = frame[frame["dated"] & frame["granularity"].isin(["day", "time", ""])]
    if first:
        days = days[(days["date"] >= pd.Timestamp(first)) & (days["date"] <= pd.Timestamp(last))]
    return days


def singles_and_groups(fig: go.Figure) -> tuple[list[str], list[tuple[str, str]]]:
    """The timeline's day markers: the event ids of those standing for one event, and
    (group key, hover text) of those standing for a group of day events."""
    singles, groups = [], []
    for t in fig.data:
        if t.type == "bar" or t.customdata is None:
            continue
        for value, hover in zip(t.customdata, t.hovertext):
            if str(value).startswith("@days|"):
                groups.append((value, hover))
            else:
                singles.append(value)
    return singles, groups


def group_count(hover: str) -> int:
    """The number of events a group's hover text states (a group of one shows its event)."""
    m = re.match(r"<b>([\d,]+) events</b><br>", hover)
    return int(m[1].replace(",", "")) if m else 1


def key_days(key: str) -> tuple[pd.Timestamp, pd.Timestamp]:
    return tuple(pd.Timestamp(d) for d in key.rsplit("|", 2)[1:])


def test_a_large_frame_draws_the_window_one_by_one_and_groups_the_rest():
    frame = synthetic_frame(100_000)
    end = day_events(frame)["date"].max() + pd.Timedelta(days=4)
    fig = timeline_figure(frame, level_of_detail=True, x_range=(end - pd.Timedelta(days=46), end))
    first, last = fig.layout.xaxis.range  # the last six weeks, sparse enough to draw one by one
    singles, groups = singles_and_groups(fig)
    in_view = day_events(frame, first, last)
    assert 0 < len(in_view) <= figures.DETAIL_MARKERS
    assert sorted(singles) == sorted(in_view["event_id"])
    assert sum(group_count(h) for _, h in groups) == len(day_events(frame)) - len(in_view)
    for key, _ in groups:
        a, b = key_days(key)
        assert b < pd.Timestamp(first) or a > pd.Timestamp(last), key
    # Bounded whatever the frame's size: a few thousand points and about a megabyte.
    n_lanes = len(fig.layout.yaxis.tickvals)
    assert len(groups) <= n_lanes * (figures.MAX_BINS + 3)
    assert sum(len(t.x) for t in fig.data) < 6_000
    assert len(fig.to_json()) < 2_000_000
    assert {t.type for t in fig.data} == {"bar", "scatter"}  # SVG: the range slider shows it


def test_a_crowded_window_is_grouped_by_day():
    frame = synthetic_frame(100_000)
    fig = timeline_figure(frame, x_range=("2025-08-01", "2025-09-30"), level_of_detail=True)
    singles, groups = singles_and_groups(fig)
    assert len(day_events(frame, "2025-08-01", "2025-09-30")) > figures.DETAIL_MARKERS
    assert singles == []
    assert sum(group_count(h) for _, h in groups) == len(day_events(frame))
    inside = [key_days(k) for k, _ in groups if key_days(k)[0] >= pd.Timestamp("2025-08-01")
              and key_days(k)[1] <= pd.Timestamp("2025-09-30")]
    assert inside and all(a == b for a, b in inside)  # 61 days: a group a day and lane


def lanes_of(row, lanes: str) -> list[str]:
    """The lanes a day event is drawn in."""
    if lanes == "category":
        return [row["category"] or "other"]
    return list(row["countries"]) or [figures.NO_COUNTRY]


@pytest.mark.parametrize("lanes", ["category", "country"])
def test_each_group_resolves_to_exactly_its_events(lanes):
    frame = synthetic_frame(figures.LARGE_FRAME + 1_000, seed=8)
    # A window cutting months and weeks in two: groups on either side end at its edges.
    fig = timeline_figure(frame, lanes=lanes, x_range=("2025-08-13", "2025-08-27"), level_of_detail=True)
    singles, groups = singles_and_groups(fig)
    days = day_events(frame).set_index("event_id")
    placed = []
    for key, hover in groups:
        ids = event_ids_for(frame, key)
        assert len(ids) == group_count(hover) > 0, key
        a, b = key_days(key)
        assert b < pd.Timestamp("2025-08-13") or a > pd.Timestamp("2025-08-27"), key
        lane = key.split("|")[2]
        for i in ids:
            assert a <= days.at[i, "date"] <= b and lane in lanes_of(days.loc[i], lanes), (key, i)
        placed += [(i, lane) for i in ids]
    # Each day event outside the window is in exactly one group in each of its lanes; those
    # inside are markers of their own, once in each of their lanes.
    window = day_events(frame, "2025-08-13", "2025-08-27")
    outside = days[~days.index.isin(window["event_id"])]
    assert sorted(placed) == sorted((i, lane) for i, row in outside.iterrows() for lane in lanes_of(row, lanes))
    assert sorted(singles) == sorted(i for i, row in window.set_index("event_id").iterrows()
                                     for _ in lanes_of(row, lanes))


def test_zooming_in_draws_each_event_of_the_window():
    frame = synthetic_frame(20_000, seed=9)
    zoom = ("2025-08-10 06:30:00.25", "2025-08-17 18:00")
    fig = timeline_figure(frame, x_range=zoom, level_of_detail=True)
    # The range comes back as precise as the browser reported it: the view does not move.
    assert list(fig.layout.xaxis.range) == ["2025-08-10 06:30:00.250000", "2025-08-17 18:00:00"]
    singles, groups = singles_and_groups(fig)
    # Markers sit at midnight: the 10th's are left of the view, grouped with the days before.
    week = day_events(frame, "2025-08-11", "2025-08-17")
    assert 0 < len(week) <= figures.DETAIL_MARKERS
    assert sorted(singles) == sorted(week["event_id"])
    assert any(key_days(k)[1] == pd.Timestamp("2025-08-10") for k, _ in groups)
    labels = [pd.Timestamp(a.x) for a in fig.layout.annotations if a.name == "label"]
    assert labels and all(pd.Timestamp("2025-08-11") <= x <= pd.Timestamp("2025-08-17") for x in labels)


def test_all_shows_the_whole_span_in_groups():
    frame = synthetic_frame(20_000, seed=9)
    fig = timeline_figure(frame, x_range="all", level_of_detail=True)
    assert fig.layout.xaxis.autorange is True and fig.layout.xaxis.range is None
    singles, groups = singles_and_groups(fig)
    assert singles == [] and sum(group_count(h) for _, h in groups) == len(day_events(frame))
    assert timeline_figure(frame, x_range="all").layout.xaxis.autorange is True
    with pytest.raises(InputError, match="x_range"):
        timeline_figure(frame, x_range="everything")


def test_a_group_holding_a_selected_event_is_drawn_selected():
    frame = synthetic_frame(20_000, seed=9)
    early = day_events(frame, "2012-01-01", "2012-12-31")["event_id"].iloc[0]
    period = frame.loc[frame["granularity"] == "year", "event_id"].iloc[0]
    fig = timeline_figure(frame, selected=[early, period], level_of_detail=True)
    chosen = [t.customdata[j] for t in fig.data if t.selectedpoints for j in t.selectedpoints]
    assert len(chosen) == 2
    assert any(early in event_ids_for(frame, c) for c in chosen if c.startswith("@days|"))
    assert any(period in event_ids_for(frame, c) for c in chosen if c.startswith("@period|"))


def test_small_frames_draw_every_event_whatever_the_zoom():
    frame = synthetic_frame(figures.LARGE_FRAME - 100, seed=2)
    assert not figures.is_large(frame) and figures.is_large(synthetic_frame(figures.LARGE_FRAME * 2))
    for x_range in (None, ("2025-08-10", "2025-08-12"), "all"):
        plain = timeline_figure(frame, x_range=x_range)
        fig = timeline_figure(frame, x_range=x_range, level_of_detail=True)
        assert fig.to_json() == plain.to_json()
    held = {cd for t in fig.data if t.customdata is not None for cd in t.customdata}
    assert held == set(frame.loc[frame["dated"], "event_id"])


def _ids_one_key_at_a_time(frame, value):
    """What a key stands for, found the plain way (one scan of the frame per key): the
    reference `event_ids_for_each` must agree with."""
    from timeline.figures.columns import DAY_GRANULARITIES, dated_mask
    from timeline.figures.lanes import in_lane
    from timeline.figures.map import place_groups

    if not value.startswith("@"):
        return [value] if (frame["event_id"] == value).any() else []
    kind, _, rest = value.partition("|")
    if kind in ("@place", "@cell"):
        places = place_groups(frame)
        hit = np.flatnonzero(places.key == value)
        return frame["event_id"].to_numpy(dtype=object)[places.rows[places.group == hit[0]]].tolist() if len(hit) else []
    try:
        lanes, rest = rest.split("|", 1)
        lane, a, b = rest.rsplit("|", 2)
        b = np.datetime64(b, "D")
        a = a if kind == "@period" else np.datetime64(a, "D")
    except ValueError:
        return []
    dated = frame.loc[dated_mask(frame)]
    day = dated["date"].to_numpy(dtype="datetime64[D]")
    if kind == "@period":
        hit = dated[(dated["granularity"] == a).to_numpy() & (day == b)]
    else:
        hit = dated[dated["granularity"].isin(DAY_GRANULARITIES).to_numpy() & (day >= a) & (day <= b)]
    return in_lane(hit, lanes, lane)["event_id"].tolist()


@pytest.mark.parametrize("n", [300, figures.LARGE_FRAME + 2_000])
def test_many_keys_resolve_in_one_pass_as_each_would_alone(n):
    from timeline.figures.selection import event_ids_for_each

    frame = synthetic_frame(n, seed=5)
    keys = [k for lanes in ("category", "country") for t in timeline_figure(frame, lanes=lanes, level_of_detail=True).data
            if t.customdata is not None for k in t.customdata]
    keys += [k for t in map_figure(frame).data if t.customdata is not None for k in t.customdata]
    keys = keys[::max(1, len(keys) // 200)]
    keys += [f"@days|country|LT|2025-01-01|2025-12-{d:02d}" for d in range(1, 40, 3)] + [
        "@days|category|release|2025-03-01|2024-01-01", "@period|country|(none)|year|2025-01-01",
        "@days|category|release|1970-01-01|2999-12-31", "@period|category|release|month|1200-01-01", "no-such-id"]
    assert event_ids_for_each(frame, keys) == [_ids_one_key_at_a_time(frame, k) for k in keys]
    assert any(len(ids) > 1 for ids in event_ids_for_each(frame, keys))


def test_malformed_group_keys_resolve_to_nothing():
    frame = synthetic_frame(50, seed=1)
    for key in ("@days|category", "@days|category|release|soon|later", "@period|x", "@nonsense|1"):
        assert event_ids_for(frame, key) == []


# ---------------------------------------------------------------------------
# Map
# ---------------------------------------------------------------------------

def _trace(fig: go.Figure, name: str):
    (trace,) = [t for t in fig.data if t.name == name]
    return trace


def test_crossing_is_on_the_map_with_its_own_symbol():
    frame = make_frame(dict(date="2025-09-11", lat=54.687, lon=25.280, places=["Vilnius"]))
    fig = map_figure(frame, story_file=SEED_STORY)
    crossings = load_crossings()
    medininkai = crossings[crossings["crossing_id"] == "medininkai-kamenny-log"].iloc[0]
    main = _trace(fig, "Crossing used on the route")
    assert main.marker.symbol == "diamond"
    assert main.lat[0] == pytest.approx((medininkai.lat_a + medininkai.lat_b) / 2)
    assert main.lon[0] == pytest.approx((medininkai.lon_a + medininkai.lon_b) / 2)
    assert "Medininkai" in main.text[0] and "Kamenny Log" in main.text[0]
    others = _trace(fig, "Border crossing")
    assert others.marker.symbol == "diamond" and len(others.lat) == len(crossings) - 1
    assert main.marker.size > others.marker.size
    places = _trace(fig, "Event places (size: number of events)")
    assert places.marker.symbol in (None, "circle")


def baltic_frame() -> pd.DataFrame:
    """Events in Vilnius and Minsk: a story in the seed's region, which draws its overlays."""
    return make_frame(dict(date="2025-09-11", lat=54.687, lon=25.280, places=["Vilnius"]),
                      dict(date="2025-09-11", lat=53.902, lon=27.562, places=["Minsk"]))


def test_route_goes_from_minsk_through_the_crossing_to_vilnius():
    fig = map_figure(baltic_frame(), story_file=SEED_STORY)
    route = _trace(fig, "Route of the freed prisoners")
    assert route.mode.startswith("lines")
    points = list(zip(route.lat, route.lon))
    assert points[0] == (53.902, 27.562) and points[-1] == (54.687, 25.280)
    crossings = load_crossings()
    medininkai = crossings[crossings["crossing_id"] == "medininkai-kamenny-log"].iloc[0]
    # Through the Belarusian checkpoint first, then the Lithuanian one.
    assert points[1:-1] == [(medininkai.lat_b, medininkai.lon_b), (medininkai.lat_a, medininkai.lon_a)]
    assert route.text[0] == "Minsk" and route.text[-1] == "Vilnius"


def test_map_frames_the_story_and_uses_local_geometry():
    layout = map_figure(baltic_frame()).layout.geo
    assert layout.scope == "europe" and layout.resolution == 50 and layout.showcountries
    assert layout.fitbounds is False
    (lon0, lon1), (lat0, lat1) = layout.lonaxis.range, layout.lataxis.range
    for lat, lon in ((53.902, 27.562), (54.687, 25.280), (52.230, 21.011), (54.539, 25.650)):  # Minsk, Vilnius,
        assert lat0 < lat < lat1 and lon0 < lon < lon1                                       # Warsaw, Medininkai
    assert (Path(OFFLINE_TOPOJSON_DIR) / "europe_50m.json").is_file()
    assert dash_graph_config() == {"topojsonURL": "/assets/topojson/", "displaylogo": False,
                                   "responsive": True}


def test_places_are_sized_by_their_number_of_events_and_keyed_for_callbacks():
    frame = make_frame(*[dict(date="2025-09-11", lat=54.687, lon=25.280, places=["Vilnius"])] * 3,
                       dict(date="2025-09-11", lat=53.902, lon=27.562, places=["Minsk"]),
                       dict(date="2025-09-11"))
    fig = map_figure(frame, selected=["e3"])
    places = _trace(fig, "Event places (size: number of events)")
    by_key = dict(zip(places.customdata, places.marker.size))
    vilnius = next(k for k in by_key if k.endswith("|Vilnius"))
    minsk = next(k for k in by_key if k.endswith("|Minsk"))
    assert by_key[vilnius] > by_key[minsk]
    assert event_ids_for(frame, vilnius) == ["e0", "e1", "e2"]
    assert event_ids_for(frame, minsk) == ["e3"]
    assert list(places.selectedpoints) == [list(places.customdata).index(minsk)]
    assert "3 events" in places.hovertext[list(places.customdata).index(vilnius)]


def test_crowded_maps_fall_back_to_a_grid():
    rng = np.random.default_rng(0)
    n = figures.MAX_MAP_MARKERS + 500
    frame = make_frame(*[dict(date="2025-09-11", lat=float(a), lon=float(b), places=[f"p{i}"])
                         for i, (a, b) in enumerate(zip(rng.uniform(50, 57, n), rng.uniform(14, 32, n)))])
    places = _trace(map_figure(frame), "Event places (size: number of events)")
    assert len(places.customdata) <= figures.MAX_MAP_MARKERS
    assert all(k.startswith("@cell|") for k in places.customdata)
    assert sum(len(event_ids_for(frame, k)) for k in places.customdata) == n


def test_a_malformed_crossings_file_names_its_line(tmp_path):
    good = Path(figures.CROSSINGS_CSV).read_text(encoding="utf-8").splitlines()
    bad = tmp_path / "crossings.csv"
    bad.write_text("\n".join([good[0], good[1], good[2].replace(",54.", ",north of 54.", 1)]) + "\n",
                   encoding="utf-8")
    with pytest.raises(InputError, match=r"crossings\.csv, line 3"):
        load_crossings(bad)
    with pytest.raises(InputError, match="no-such.csv"):
        load_crossings(tmp_path / "no-such.csv")
    assert len(load_crossings()) == len(good) - 1


MAP_YAML = """
view: {share: 0.85, pad: 0.15, min_pad: 1.0, min_span: {lat: 6.0, lon: 8.0}, aspect: 1.5,
       empty: {lat: [-60.0, 85.0], lon: [-180.0, 180.0]}}
overlays_near: 2.5
country_names: {max: 12, min_size: 0.04, spacing: 0.08}
crossing_labels: {default: middle left, by_crossing: {terespol-brest: bottom left}}
"""


def test_map_data_is_read_and_checked(tmp_path):
    from timeline.figures import map_data

    path = tmp_path / "map.yaml"
    path.write_text(MAP_YAML, encoding="utf-8")
    data = map_data.load(path)
    assert data.country_names.max == 12 and data.country_names.spacing == 0.08
    assert data.crossing_label("terespol-brest") == "bottom left" and data.crossing_label("x") == "middle left"
    assert data.view.share == 0.85 and data.view.empty_lat == (-60.0, 85.0) and data.overlays_near == 2.5
    for old, new, where in (("lat: [-60.0, 85.0]", "lat: [85.0, -60.0]", "view: empty: lat"),
                            ("share: 0.85", "share: 1.5", "view: share"),
                            ("overlays_near: 2.5", "overlays_near: -1", "overlays_near"),
                            ("max: 12", "max: many", "country_names: max"),
                            ("country_names: {max: 12, ", "country_names: {", "country_names: max"),
                            ("bottom left", "bottom", "by_crossing: terespol-brest")):
        path.write_text(MAP_YAML.replace(old, new), encoding="utf-8")
        with pytest.raises(DataError, match=re.escape(f"{path}: ") + ".*" + re.escape(where)):
            map_data.load(path)


def test_the_map_draws_its_data():
    from timeline.figures.map_data import MAP

    frame = baltic_frame()
    fig = map_figure(frame, story_file=SEED_STORY)
    (lat0, lat1), (lon0, lon1) = figures.opening_view(frame)
    assert list(fig.layout.geo.lonaxis.range) == [lon0, lon1]
    assert list(fig.layout.geo.lataxis.range) == [lat0, lat1]
    labels = _trace(fig, "Countries")
    assert list(labels.text) == [p.name for p in SEED_STORY.country_labels]
    route = _trace(fig, "Route of the freed prisoners")
    assert [t for t in route.text if t] == ["Minsk", "Vilnius"]
    others = _trace(fig, "Border crossing")
    ids = [c for c in load_crossings()["crossing_id"] if c != "medininkai-kamenny-log"]
    assert list(others.textposition) == [MAP.crossing_label(c) for c in ids]


# ---------------------------------------------------------------------------
# Print layout
# ---------------------------------------------------------------------------

def test_composed_figure_holds_title_timeline_map_and_credits():
    frame = synthetic_frame(200, seed=6)
    fig = composed_figure(frame, title="Belarus frees <52>", width_px=2126, height_px=1600)
    assert fig.layout.width == 2126 and fig.layout.height == 1600
    assert "Belarus frees &lt;52&gt;" in fig.layout.title.text
    assert {t.type for t in fig.data} >= {"scatter", "bar", "scattergeo"}
    assert fig.layout.geo.domain.y[1] < fig.layout.yaxis.domain[0]  # map below the timeline
    credit = [a.text for a in fig.layout.annotations if a.name == "credit"]
    assert credit and credit[0].endswith(CREDIT)
    assert not fig.layout.xaxis.rangeslider.visible


def test_composed_figure_views_and_sizes():
    frame = synthetic_frame(50, seed=7)
    wide = composed_figure(frame, title="t", width_px=2000, height_px=900)
    assert wide.layout.geo.domain.x[0] > wide.layout.xaxis.domain[1]  # side by side
    assert {t.type for t in composed_figure(frame, title="t", width_px=900, height_px=600, view="map").data} == {"scattergeo"}
    assert "scattergeo" not in {t.type for t in composed_figure(frame, title="t", width_px=900, height_px=600,
                                                                view="timeline").data}
    with pytest.raises(InputError, match="view"):
        composed_figure(frame, title="t", width_px=900, height_px=600, view="poster")
    with pytest.raises(InputError, match="size"):
        composed_figure(frame, title="t", width_px=0, height_px=600)


def _chromium_available() -> bool:
    return bool(shutil.which("chromium") or os.environ.get("BROWSER_PATH"))


@pytest.mark.skipif(not _chromium_available() and not os.environ.get("CI"),
                    reason="no Chromium: `make chromium` installs Debian's")
def test_map_png_export_draws_countries_offline(tmp_path):
    """kaleido renders the map with the repository's topojson; every http(s) request
    goes to a dead proxy, so the outlines can only come from the local files."""
    kaleido = pytest.importorskip("kaleido")
    from PIL import Image

    frame = make_frame(dict(date="2025-09-11", lat=54.687, lon=25.280, places=["Vilnius"]))
    fig = map_figure(frame, height=500)
    saved = pio.defaults.topojson
    pio.defaults.topojson = "file://" + OFFLINE_TOPOJSON_DIR + "/"
    try:
        png = kaleido.calc_fig_sync(
            fig, opts=dict(format="png", width=800, height=500),
            topojson=pio.defaults.topojson,
            kopts=dict(mathjax=False, proxy_server="http://127.0.0.1:9"))
    finally:
        pio.defaults.topojson = saved
    (tmp_path / "map.png").write_bytes(png)
    image = Image.open(io.BytesIO(png)).convert("RGB")
    assert image.size == (800, 500)
    pixels = np.asarray(image).reshape(-1, 3)
    land = np.all(pixels == (0xF1, 0xEF, 0xE8), axis=1).mean()
    outline = np.all(np.abs(pixels.astype(int) - 0x7A) <= 12, axis=1).sum()
    assert land > 0.25, f"land covers {land:.0%} of the map: the topojson was not drawn"
    assert outline > 500, "no country outlines"
    assert len(np.unique(pixels, axis=0)) > 50


# ---------------------------------------------------------------------------
# Palette and synthetic frames
# ---------------------------------------------------------------------------

def test_every_category_has_its_own_colour():
    colours = [categories.colour(c) for c in categories.NAMES]
    assert len(set(colours)) == len(colours)
    assert categories.colour("unheard-of") == categories.colour("other")


def test_border_events_have_their_own_colour_and_the_hourglass():
    frame = make_frame(dict(date="2025-09-11", category="border"), dict(date="2025-09-12", category="other"),
                       dict(date="2024-01-01", end="2024-12-31", granularity="year", category="border"))
    fig = timeline_figure(frame)
    (marker,) = [t for t in traces_holding(fig, "e0")]
    (bar,) = [t for t in traces_holding(fig, "e2")]
    border = categories.colour("border")
    assert marker.marker.color == border and bar.marker.color == border
    assert marker.marker.symbol == "hourglass" and marker.name == "Border"
    assert border not in {categories.colour(c) for c in categories.NAMES if c != "border"}
    (other,) = traces_holding(fig, "e1")
    assert other.marker.color == categories.colour("other") != border


def test_lanes_and_legend_follow_the_display_order():
    frame = make_frame(*[dict(date="2025-09-11", category=c) for c in reversed(categories.NAMES)])
    fig = timeline_figure(frame)
    assert list(fig.layout.yaxis.ticktext) == [categories.label(c) for c in categories.DISPLAY_ORDER]
    ranks = {t.legendgroup: t.legendrank for t in fig.data}
    assert ranks == {c: 100 + i for i, c in enumerate(categories.DISPLAY_ORDER)}


def test_synthetic_frame_follows_the_schema():
    frame = synthetic_frame(2_000, seed=1)
    assert list(frame.columns) == list(NAMES)
    for c in COLUMNS:
        if c.dtype == "list":
            assert all(isinstance(v, list) for v in frame[c.name]), c.name
        else:
            assert str(frame[c.name].dtype) == c.dtype, c.name
    assert list(synthetic_frame(0).dtypes) == list(frame.dtypes)
    assert frame["event_id"].is_unique
    assert set(frame["category"]) <= set(categories.NAMES)
    assert {c for cs in frame["countries"] for c in cs} <= {"BY", "LT", "PL", "RU", "UA", "US"}


def test_synthetic_frame_holds_every_category_of_the_table():
    frame = synthetic_frame(2_000, seed=1)
    assert set(frame["category"]) == set(categories.NAMES)
    border = frame[frame["category"] == "border"]
    assert border["title"].str.contains("closed a border crossing").all()
    assert synthetic_frame(0)["category"].empty


def test_synthetic_frame_has_plausible_values():
    frame = synthetic_frame(20_000, seed=3)
    dated = frame[frame["dated"]]
    undated = frame[~frame["dated"]]
    assert 0 < len(undated) < 0.05 * len(frame)
    assert undated["date"].isna().all() and (undated["granularity"] == "").all()
    assert dated["date"].min() >= pd.Timestamp("2010-01-01") and dated["end"].max() <= pd.Timestamp("2025-12-31")
    share = dated["granularity"].value_counts(normalize=True)
    assert share["day"] == pytest.approx(0.70, abs=0.03)
    assert share["month"] == pytest.approx(0.15, abs=0.03)
    dense = dated["date"].between("2025-08-01", "2025-09-30").mean()
    assert dense > 0.4
    months = dated[dated["granularity"] == "month"]
    assert (months["date"].dt.day == 1).all()
    assert ((months["end"] + pd.Timedelta(days=1)).dt.day == 1).all()
    years = dated[dated["granularity"] == "year"]
    assert (years["date"].dt.day_of_year == 1).all() and (years["end"].dt.strftime("%m-%d") == "12-31").all()
    assert frame["lat"].isna().mean() == pytest.approx(0.2, abs=0.03)
    located = frame[frame["lat"].notna()]
    assert located["places"].map(len).eq(1).all()
    assert frame.equals(synthetic_frame(20_000, seed=3))
