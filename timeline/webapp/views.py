"""What the dashboard shows, as plain functions of the event frame.

Every callback in `callbacks.py` is a thin wrapper over a function here, so the behaviour
is tested without a browser or a running app: filters (`Filters`, `filter_frame`,
`in_range`, `as_range`, `timeline_range`), reading the URL (`filters_from_search`), selection
(`ids_from_points`, `selection_update`, `next_selection`), the detail panel (`event_detail`), the table (`table_rows`,
`table_edits`, `save_edits`) and the chronological list (`chronology`). Uploads are in
`uploads.py`.

Article text is untrusted: it reaches the page only as Dash text children or table cell
values, which React renders as text, never as markup; links are kept only when they
are http(s).
"""
from __future__ import annotations

import datetime as dt
import math
import os
import re
import urllib.parse
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from dash import html

from timeline import categories, frame as fr
from timeline.countries import label as country_label
from timeline.errors import TimelineError
from timeline.events import CATEGORIES
from timeline.figures import LANES, event_ids_for

TABLE_LIMIT = 1_000
"""Rows sent to the table: beyond it the reader narrows the filters (the note says so)."""

LIST_LIMIT = 100
"""Items of the chronological list (Dash's renderer slows down sharply with hundreds of
components: 500 items cost seconds; the table holds more)."""

MAX_SELECTED = 2_000
"""Events one selection holds (a box drawn over a large frame may cover more)."""

DETAIL_PICKS = 30
"""Events of a multiple selection listed in the detail panel for picking."""

_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")


# --------------------------------------------------------------------------- filters

@dataclass(frozen=True)
class Filters:
    """The reader's filters. Empty tuples and None mean 'no restriction'.

    `start`/`end` are ISO dates (either may be None): an event matches when its period
    overlaps them, and undated events then never match. `text` is matched, casefolded,
    as a substring of title, evidence, actors, places, source and the date as written.
    """

    categories: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    actors: tuple[str, ...] = ()
    start: str | None = None
    end: str | None = None
    text: str = ""

    @classmethod
    def of(cls, categories=None, countries=None, actors=None, start=None, end=None, text=None) -> Filters:
        """Filters from raw component values: None, a string or a list each; dates that
        are not ISO dates are ignored; a reversed range is put right."""
        start, end = _iso_day(start), _iso_day(end)
        if start and end and start > end:
            start, end = end, start
        return cls(_strings(categories), _strings(countries), _strings(actors), start, end,
                   " ".join(str(text or "").split())[:200])

    @property
    def active(self) -> bool:
        return bool(self.categories or self.countries or self.actors or self.start or self.end or self.text)


def _strings(value) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, (list, tuple)):
        return ()
    return tuple(dict.fromkeys(str(v) for v in value if isinstance(v, (str, int)) and str(v).strip()))


def _iso_day(value) -> str | None:
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        return dt.date.fromisoformat(value.strip()[:10]).isoformat()
    except ValueError:
        return None


def filter_frame(frame: pd.DataFrame, categories: Sequence[str] | None = None,
                 countries: Sequence[str] | None = None, actors: Sequence[str] | None = None,
                 date_range: Sequence[str | None] | None = None, text: str | None = None, *,
                 haystack: pd.Series | None = None) -> pd.DataFrame:
    """The rows of `frame` that pass every given filter (see `Filters`).

    `categories`: any of these; `countries`, `actors`: the event names at least one of
    these; `date_range`: (start, end) ISO dates, either None; `text`: a casefolded
    substring. `haystack`, when given, is the per-row search text (`Snapshot.haystack`),
    else it is built here. An empty or missing filter restricts nothing. Returns a view
    of the matching rows, in frame order (possibly empty, never an error).
    """
    f = Filters.of(categories, countries, actors, *(date_range or (None, None)), text)
    mask = np.ones(len(frame), dtype=bool)
    if f.categories:
        mask &= frame["category"].isin(f.categories).to_numpy()
    for column, wanted in (("countries", f.countries), ("actors", f.actors)):
        if wanted:
            want = set(wanted)
            mask &= np.fromiter((isinstance(v, (list, tuple, np.ndarray)) and not want.isdisjoint(v)
                                 for v in frame[column].tolist()), dtype=bool, count=len(frame))
    if f.start or f.end:
        mask &= _overlaps(frame, f.start, f.end)
    if f.text:
        if haystack is None:
            haystack = (frame["title"] + "\n" + frame["sentence"] + "\n" + frame["source"] + "\n"
                        + frame["date_text"] + "\n"
                        + frame["actors"].map(" ".join).astype("str") + "\n"
                        + frame["places"].map(" ".join).astype("str")).str.casefold()
        mask &= haystack.str.contains(f.text.casefold(), regex=False).to_numpy(dtype=bool, na_value=False)
    return frame[mask]


def _overlaps(frame: pd.DataFrame, start: str | None, end: str | None) -> np.ndarray:
    dated = frame["dated"].to_numpy(dtype=bool) & frame["date"].notna().to_numpy()
    mask = dated.copy()
    if start:
        mask &= (frame["end"] >= pd.Timestamp(start)).to_numpy(dtype=bool, na_value=False)
    if end:
        mask &= (frame["date"] <= pd.Timestamp(end)).to_numpy(dtype=bool, na_value=False)
    return mask


def in_range(frame: pd.DataFrame, visible: Sequence[str] | None) -> pd.DataFrame:
    """The dated events of `frame` overlapping `visible` (two ISO dates); all of `frame`
    when `visible` is None."""
    if not visible:
        return frame
    return frame[_overlaps(frame, visible[0], visible[1])]


def summary(shown: int, total: int, filters: Filters) -> str:
    """'Showing 12 of 26 events' (or 'All 26 events')."""
    if not filters.active or shown == total:
        return f"All {total:,} event{'s' if total != 1 else ''}"
    return f"Showing {shown:,} of {total:,} events"


# --------------------------------------------------------------------------- the URL

def filters_from_search(search: str | None, *, categories: Iterable[str] = (), countries: Iterable[str] = (),
                        actors: Iterable[str] = ()) -> dict[str, Any]:
    """Filter values from a query string such as
    '?category=release,talks&country=BY&actor=Donald Trump&from=2025-08-01&to=2025-09-30&q=drones&lanes=country&event=ID'.

    Values not on offer (an unknown category, a country the corpus lacks, a date that is
    not a date, an unknown lanes) are dropped, so nonsense keeps the defaults. Returns a
    dict with keys categories, countries, actors, start, end, text, lanes, event.
    """
    params = urllib.parse.parse_qs((search or "").lstrip("?"), keep_blank_values=False)

    def many(name: str, allowed: Iterable[str], fold=str.casefold) -> list[str]:
        known = {fold(a): a for a in allowed}
        values = [v.strip() for raw in params.get(name, []) for v in raw.split(",")]
        return list(dict.fromkeys(known[fold(v)] for v in values if fold(v) in known))

    def one(name: str) -> str:
        values = params.get(name) or [""]
        return values[-1].strip()

    lanes = one("lanes")
    return {
        "categories": many("category", categories),
        "countries": many("country", countries, str.upper),
        "actors": many("actor", actors),
        "start": _iso_day(one("from")),
        "end": _iso_day(one("to")),
        "text": " ".join(one("q").split())[:200],
        "lanes": lanes if lanes in LANES else LANES[0],
        "event": one("event")[:100],
    }


# --------------------------------------------------------------------------- selection

def ids_from_points(frame: pd.DataFrame, data: Mapping | None) -> list[str]:
    """The event ids behind a graph's clickData or selectedData: each point's customdata
    is an event id or a group key (see `figures.event_ids_for`), resolved against
    `frame` (the frame the figure was drawn from). Points without customdata (route,
    crossings, labels) add nothing. In order of first appearance, without repeats, at
    most MAX_SELECTED.
    """
    values = _customdata(data)
    plain = [v for v in values if not v.startswith("@")]
    known = set(frame["event_id"][frame["event_id"].isin(plain)].tolist()) if plain else set()
    ids: list[str] = []
    for v in dict.fromkeys(values):
        if v.startswith("@"):
            ids += event_ids_for(frame, v)
        elif v in known:
            ids.append(v)
        if len(ids) >= MAX_SELECTED:
            break
    return list(dict.fromkeys(ids))[:MAX_SELECTED]


def _customdata(data: Mapping | None) -> list[str]:
    """The customdata strings of a graph's clickData or selectedData points, in order."""
    if not isinstance(data, Mapping):
        return []
    values = []
    points = data.get("points")
    for point in points if isinstance(points, list) else []:
        value = point.get("customdata") if isinstance(point, Mapping) else None
        if isinstance(value, list):
            value = value[0] if value else None
        if isinstance(value, (str, int)) and str(value):
            values.append(str(value))
    return values


def selection(ids: Iterable[str], focus: str | None = None, origin: str = "", groups: Iterable[str] = ()) -> dict:
    """The selection store's value: {"ids": [...], "focus": the event shown in detail,
    "origin": what made it, e.g. "timeline-box", "groups": the group keys (points standing
    for several events, see `figures.event_ids_for`) it was made from, so that the browser
    can emphasise them}."""
    ids = list(dict.fromkeys(str(i) for i in ids))[:MAX_SELECTED]
    if focus is None or focus not in ids:
        focus = ids[0] if ids else None
    groups = [g for g in dict.fromkeys(str(g) for g in groups) if g.startswith("@")][:MAX_SELECTED]
    return {"ids": ids, "focus": focus, "origin": origin, "groups": groups}


def selection_update(frame: pd.DataFrame, store: Mapping | None, data: Mapping | None, *,
                     origin: str) -> dict | None:
    """The new selection after a graph event, or None to keep the current one.

    `data` is the graph's clickData or selectedData, resolved against `frame` (what the
    graph shows); `origin` names the graph and the gesture ("map-box"). Points that stand
    for no event (the route, a crossing) change nothing. A box selection cleared on the
    graph (selectedData None) clears the selection only if that box made it.
    """
    if data is None:
        if isinstance(store, Mapping) and store.get("origin") == origin and selected_ids(store):
            return selection([])
        return None
    ids = ids_from_points(frame, data)
    if not ids:
        return None
    return selection(ids, origin=origin, groups=_customdata(data))


def next_selection(prop_id: str, value, store: Mapping | None, *, shown, known) -> dict | None:
    """The selection after the input `prop_id` ("map-graph.clickData", ...) changed to
    `value`, or None to keep `store` as it is.

    - "" (the page loading) or "url.search": the event named by `?event=ID`, if `known(ID)`;
    - "clear-selection.n_clicks": nothing selected;
    - "picked.data" ({type, index} from a list or detail button): the list selects the
      event; the detail panel's pick moves the focus within the current selection;
    - "event-table.active_cell": the row's event (unless it is already the focus);
    - a graph's clickData or selectedData: see `selection_update`, resolved against
      `shown(graph)` ("timeline" or "map"), the frame that graph draws.
    """
    if prop_id in ("", "url.search"):
        wanted = filters_from_search(value if isinstance(value, str) else "")["event"]
        return selection([wanted] if wanted and known(wanted) else [])
    if prop_id == "clear-selection.n_clicks":
        return selection([])
    if prop_id == "picked.data":
        if not isinstance(value, Mapping) or not isinstance(value.get("index"), str):
            return None
        if value.get("type") == "pick":
            groups = store.get("groups") if isinstance(store, Mapping) else None
            return selection(selected_ids(store), focus=value["index"],
                             groups=groups if isinstance(groups, list) else ())
        return selection([value["index"]])
    if prop_id == "event-table.active_cell":
        row_id = value.get("row_id") if isinstance(value, Mapping) else None
        if not isinstance(row_id, str) or not row_id or (isinstance(store, Mapping) and store.get("focus") == row_id):
            return None
        return selection([row_id])
    graph, _, prop = prop_id.partition("-graph.")
    if graph not in ("timeline", "map") or prop not in ("clickData", "selectedData"):
        return None
    origin = f"{graph}-{'box' if prop == 'selectedData' else 'click'}"
    return selection_update(shown(graph), store, value, origin=origin)


def selected_ids(store: Mapping | None) -> list[str]:
    """The ids of a selection store value (anything malformed is no selection)."""
    if not isinstance(store, Mapping) or not isinstance(store.get("ids"), list):
        return []
    return [str(i) for i in store["ids"] if isinstance(i, (str, int))][:MAX_SELECTED]


def as_range(value) -> tuple[str, str] | None:
    """A visible-range store value ([start, end] ISO dates, as the browser computes it from
    the timeline's relayoutData) checked: the two dates in order, or None for anything else."""
    if not isinstance(value, (list, tuple)) or len(value) != 2:
        return None
    days = [_iso_day(v) for v in value]
    if not all(days):
        return None
    return (min(days), max(days))


_INSTANT = re.compile(r"\d{4}-\d{2}-\d{2}( \d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?)?")


def timeline_range(value) -> tuple[str, str] | str | None:
    """The timeline's x range for a visible-range store value, to draw it again where the
    reader left it: "all" after the axis was reset to show everything, else the two dates
    or date-times as plotly reported them ('2025-08-03 14:22:10.512'), in order; None for
    anything else (no zoom yet, or nonsense), which opens the default view."""
    if value == "all":
        return "all"
    if not isinstance(value, (list, tuple)) or len(value) != 2:
        return None
    if not all(isinstance(v, str) and _INSTANT.fullmatch(v) for v in value):
        return None
    try:
        a, b = (pd.Timestamp(v) for v in value)
    except ValueError:
        return None
    return (value[0], value[1]) if a <= b else (value[1], value[0])


def map_note(shown: pd.DataFrame, visible: Sequence[str] | None) -> str:
    """What the map shows: how many events have a place, and the timeline's range."""
    located = int((shown["lat"].notna() & shown["lon"].notna()).sum())
    n = len(shown)
    where = (f"{located:,} of {n:,} events have a known place" if located != n
             else f"{n:,} event{'s' if n != 1 else ''} with a known place")
    if not visible:
        return f"{where}. Zoom or slide the timeline to map only what it shows."
    a, b = (day_words(v) for v in visible)
    return f"The timeline's visible range, {a} to {b}: {where}. Double-click the timeline to map all."


NARROW_PX = 700
"""Below this viewport width the timeline leaves its legend to the page's own key."""

_SYMBOL_CHARS = {"circle": "●", "square": "■", "diamond": "◆", "triangle-up": "▲", "triangle-down": "▼",
                 "cross": "✚", "x": "✖", "pentagon": "⬟", "hexagon": "⬢", "star": "★"}


@dataclass(frozen=True)
class Sizes:
    """Figure sizes for a viewport: the timeline's plot width (for its labels), whether it
    draws its own legend, and the map's height (the map keeps its aspect, so a narrow
    screen gets a shorter map rather than blank bands)."""

    timeline_width: int
    timeline_legend: bool
    map_height: int


def sizes(viewport_px) -> Sizes:
    """`Sizes` for a browser window `viewport_px` wide (None or nonsense: 1280). Mirrors
    the page's CSS grid: one column below 900 px, the map in 3/5 of the width above."""
    try:
        vw = int(viewport_px)
    except (TypeError, ValueError):
        vw = 1280
    vw = min(max(vw, 280), 1440)
    page = vw - (24 if vw < 900 else 40)
    timeline = page - 26
    map_w = (page - 12) * 3 / 5 - 26 if vw >= 900 else page - 26
    legend_px = 70 if vw >= 900 else 40
    return Sizes(timeline_width=int(max(timeline - 120, 200)), timeline_legend=vw >= NARROW_PX,
                 map_height=int(min(max(map_w / 1.45 + legend_px, 300), 560)))


def timeline_key(frame: pd.DataFrame) -> list:
    """The category key the page shows when the timeline has no legend: each category
    of the dated events, its symbol in its colour."""
    dated = frame.loc[frame["dated"].to_numpy(dtype=bool) & frame["date"].notna().to_numpy(), "category"]
    present = set(dated.tolist())
    rank = {c: i for i, c in enumerate(categories.DISPLAY_ORDER)}
    return [html.Li([html.Span(_SYMBOL_CHARS.get(categories.symbol(c), "●"), className="key-symbol",
                               style={"color": categories.colour(c)}, **{"aria-hidden": "true"}),
                     (c or "other").capitalize()])
            for c in sorted(present, key=lambda c: (rank.get(c, len(rank)), c))]


def limit_note(n: int, limit: int, what: str) -> str:
    """'' when all `n` rows fit, else a line saying the `what` holds only the first `limit`."""
    if n <= limit:
        return ""
    return f"The {what} holds the first {limit:,} of {n:,} matching events: narrow the filters to reach the others."


# --------------------------------------------------------------------------- detail

def evidence_parts(sentence: str, date_text: str) -> tuple[str, str, str]:
    """`sentence` cut around the first occurrence of `date_text` (casefolded):
    (before, the expression as in the sentence, after); (sentence, '', '') when the
    expression is not in it."""
    sentence = sentence or ""
    if date_text:
        at = sentence.casefold().find(date_text.casefold())
        if at >= 0 and len(sentence.casefold()) == len(sentence):
            end = at + len(date_text)
            return sentence[:at], sentence[at:end], sentence[end:]
    return sentence, "", ""


def safe_url(url: str) -> str | None:
    """`url` when it is an http(s) link, else None (no javascript: or data: links)."""
    url = (url or "").strip()
    parts = urllib.parse.urlsplit(url)
    return url if parts.scheme in ("http", "https") and parts.netloc else None


def day_words(value) -> str:
    """A date as '12 September 2025'."""
    t = pd.Timestamp(value)
    return f"{t.day} {_MONTHS[t.month - 1]} {t.year}"


def human_period(row: Mapping) -> str:
    """The event's period in words: '11 September 2025', 'August 2025', '2010',
    '1 Jan 2025 – 30 Jun 2025'; 'undated'."""
    if not row.get("dated") or pd.isna(row.get("date")):
        return "undated"
    first, last, gran = pd.Timestamp(row["date"]), pd.Timestamp(row["end"]), row.get("granularity", "")
    if gran in ("day", "time") or first == last:
        return day_words(first)
    if gran == "month":
        return f"{_MONTHS[first.month - 1]} {first.year}"
    if gran == "year":
        return str(first.year)
    return f"{first.day} {_MONTHS[first.month - 1][:3]} {first.year} – {last.day} {_MONTHS[last.month - 1][:3]} {last.year}"


def _join(items) -> str:
    return ", ".join(str(i) for i in items) if isinstance(items, (list, tuple, np.ndarray)) and len(items) else "—"


def event_card(row: Mapping) -> html.Article:
    """The detail of one event: title, dates, granularity, actors, places, countries,
    category, confidence, the evidence sentence with the date expression marked, and
    its sources with a link when the article has an http(s) URL."""
    before, mark, after = evidence_parts(row.get("sentence", ""), row.get("date_text", ""))
    cat = row.get("category") or "other"
    when = human_period(row)
    written = row.get("date_text") or ""
    timex = row.get("timex") or ""
    when_detail = f"“{written}” → {timex}" if written and timex else (timex or written or "no date of its own")
    places = list(row.get("places") or [])
    place_note = " (place inferred, not stated)" if row.get("place_inferred") and places else ""
    countries = [f"{country_label(c)} ({c})" for c in (row.get("countries") or [])]
    confidence = row.get("confidence")
    confidence = "—" if confidence is None or (isinstance(confidence, float) and math.isnan(confidence)) \
        else f"{float(confidence):.2f}"
    url = safe_url(row.get("url", ""))
    source = row.get("source") or "unknown source"
    published = row.get("published")
    published = "" if published is None or pd.isna(published) else f", published {day_words(published)}"
    others = [s for s in (row.get("sources") or []) if s and s != source]
    return html.Article([
        html.P([html.Span(className="swatch", style={"backgroundColor": categories.colour(cat)}),
                cat.capitalize(), " · ", row.get("granularity") or "undated"], className="kicker"),
        html.H3(row.get("title") or "(untitled event)", id="detail-title"),
        html.Dl([
            html.Dt("When"), html.Dd([when, html.Span(f" ({when_detail})", className="muted")]),
            html.Dt("Granularity"), html.Dd(row.get("granularity") or "undated"),
            html.Dt("Actors"), html.Dd(_join(row.get("actors"))),
            html.Dt("Places"), html.Dd(_join(places) + place_note),
            html.Dt("Countries"), html.Dd(_join(countries)),
            html.Dt("Category"), html.Dd(cat),
            html.Dt("Confidence"), html.Dd(confidence),
        ], className="facts"),
        html.Blockquote([before, html.Mark(mark) if mark else None, after], className="evidence",
                        id="detail-evidence"),
        html.P(["Source: ", html.A(source, href=url, target="_blank", rel="noopener noreferrer") if url else source,
                published]
               + ([html.Br(), "Also reported by: " + ", ".join(others)] if others else []),
               className="sources"),
    ], className="event-card", **{"data-event-id": row.get("event_id", "")})


def detail_prompt() -> html.P:
    """What the detail panel says while nothing is selected."""
    return html.P("Select an event (click a marker on the timeline, a place on the map, a row of the table "
                  "or an item of the list) to read the sentence it comes from.", className="placeholder")


def event_detail(frame: pd.DataFrame, store: Mapping | None) -> list:
    """The detail panel's children for a selection store value: a prompt when nothing is
    selected; the focused event's card; with several selected, a list to pick from."""
    ids = selected_ids(store)
    focus = store.get("focus") if isinstance(store, Mapping) else None
    rows = frame[frame["event_id"].isin(ids)] if ids else frame.iloc[0:0]
    if rows.empty:
        return [detail_prompt()]
    records = rows.to_dict("records")
    by_id = {r["event_id"]: r for r in records}
    focused = by_id.get(focus) or records[0]
    out: list = []
    if len(records) > 1:
        picks = [html.Li(html.Button(
            [r.get("timex") or "undated", " · ", r.get("title") or "(untitled)"], className="link-button",
            **{"data-pick": "pick", "data-event-id": r["event_id"],
               "aria-pressed": "true" if r is focused else "false"}))
            for r in records[:DETAIL_PICKS]]
        more = [html.Li(f"… and {len(records) - DETAIL_PICKS:,} more")] if len(records) > DETAIL_PICKS else []
        out.append(html.Div([html.P(f"{len(records):,} events selected", className="kicker"),
                             html.Ul(picks + more, className="picks")]))
    out.append(event_card(focused))
    return out


# --------------------------------------------------------------------------- table

TABLE_COLUMNS: tuple[tuple[str, str, bool], ...] = (
    ("date", "Date", True),
    ("date_text", "As written", False),
    ("title", "Title", True),
    ("category", "Category", True),
    ("place", "Place", True),
    ("countries", "Countries", False),
    ("actors", "Actors", False),
    ("source", "Source", False),
    ("confidence", "Confidence", False),
)
"""(row key, header, editable). An edit of date, title, category or place becomes a
correction of that field (`frame.OVERRIDE_FIELDS`); date takes a TIMEX3 value."""

EDITABLE = tuple(k for k, _, editable in TABLE_COLUMNS if editable)


def table_rows(frame: pd.DataFrame, limit: int = TABLE_LIMIT) -> list[dict]:
    """One dict per event (the first `limit`), keyed by TABLE_COLUMNS' keys plus `id`
    (the event_id, the table's row id). Lists are joined with ', '."""
    rows = frame.iloc[:limit]
    out = []
    for r in rows[["event_id", "timex", "date_text", "title", "category", "places", "countries", "actors",
                   "source", "confidence"]].itertuples(index=False):
        out.append({
            "id": r.event_id, "date": r.timex, "date_text": r.date_text, "title": r.title,
            "category": r.category, "place": r.places[0] if len(r.places) else "",
            "countries": ", ".join(r.countries), "actors": ", ".join(r.actors), "source": r.source,
            "confidence": None if pd.isna(r.confidence) else round(float(r.confidence), 2),
        })
    return out


@dataclass(frozen=True)
class Edit:
    event_id: str
    field: str
    value: str


def table_edits(previous: Sequence[Mapping] | None, current: Sequence[Mapping] | None) -> list[Edit]:
    """The cells the reader changed: rows matched by `id`, only editable columns, only
    values that differ (surrounding white space ignored)."""
    before = {r.get("id"): r for r in previous or [] if isinstance(r, Mapping)}
    edits = []
    for row in current or []:
        if not isinstance(row, Mapping):
            continue
        old = before.get(row.get("id"))
        if old is None:
            continue
        for key in EDITABLE:
            new, was = str(row.get(key) or "").strip(), str(old.get(key) or "").strip()
            if new != was:
                edits.append(Edit(str(row["id"]), key, new))
    return edits


def save_edits(path: str | os.PathLike, edits: Iterable[Edit]) -> tuple[list[str], list[str]]:
    """Write each edit to the overrides file at `path` (`frame.save_override`); returns
    (lines saying what was saved, lines saying what was refused and why). A category
    must be one of the taxonomy's (`events.CATEGORIES`)."""
    saved, refused = [], []
    for e in edits:
        value = e.value
        if e.field == "category":
            value = value.casefold()
            if value not in CATEGORIES:
                refused.append(f"{e.event_id}: category {e.value!r} is not one of {', '.join(CATEGORIES)}")
                continue
        try:
            fr.save_override(path, e.event_id, e.field, value)
        except TimelineError as err:
            refused.append(f"{e.event_id}: {' '.join(str(err).split())}")
            continue
        saved.append(f"{e.field} of {e.event_id} set to “{value}”" if value else f"{e.event_id} made undated")
    return saved, refused


# --------------------------------------------------------------------------- list

def chronology(frame: pd.DataFrame, limit: int = LIST_LIMIT) -> list[dict]:
    """The text alternative to the charts: each event (the first `limit`, in frame order,
    which is by date with the undated last) as {id, when, title, category, source}."""
    rows = frame.iloc[:limit]
    return [{"id": r["event_id"], "when": human_period(r), "iso": r["timex"], "title": r["title"] or "(untitled)",
             "category": r["category"] or "other", "source": r["source"]}
            for r in rows[["event_id", "dated", "date", "end", "granularity", "timex", "title", "category",
                           "source"]].to_dict("records")]


def chronology_items(frame: pd.DataFrame, limit: int = LIST_LIMIT) -> list:
    """The chronological list's items: a button per event (date, title, category,
    source) that selects it (assets/app.js reads its data-pick and data-event-id); an
    empty state when no event matches."""
    items = chronology(frame, limit)
    if not items:
        return [html.Li("No events match these filters. Clear the filters to see all events.", className="empty")]
    # Four components an item, no more: see LIST_LIMIT.
    return [html.Li([
        html.Button([html.B(i["when"]), " " + i["title"]], className="link-button",
                    **{"data-pick": "event-item", "data-event-id": i["id"]}),
        html.Small(f"{i['category']} · {i['source']}", className="meta",
                   style={"borderLeftColor": categories.colour(i["category"])}),
    ], className="chronology-item") for i in items]
