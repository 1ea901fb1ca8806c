"""What the dashboard shows, as plain functions of the event frame.

Every callback in `callbacks.py` is a thin wrapper over a function here (or in `filters.py`,
`uploads.py`, `downloads.py`), so the behaviour is tested without a browser or a running
app: what each callback fills (`timeline_view`, `map_view`, `listing`, `status_lines`),
reading the URL (`lanes_from_search`, `event_from_search`), selection (`ids_from_points`,
`selection_update`, `next_selection`), the detail panel (`event_detail`), the table
(`table_rows`, `table_edits`, `save_edits`) and the chronological list (`chronology`).
The filters are in `filters.py`, uploads in `uploads.py`.

Article text is untrusted: it reaches the page only as Dash text children or table cell
values, which React renders as text, never as markup; links are kept only when they
are http(s).
"""
from __future__ import annotations

import math
import urllib.parse
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from dash import html

from timeline import categories, countries, figures, lang
from timeline.lang import detect
from timeline.extract.confidence import shown_from
from timeline.errors import TimelineError
from timeline.figures import LANES
from timeline.figures.selection import event_ids_for_each
from timeline.webapp.filters import Filters, as_range, in_range, query_value, timeline_range

TABLE_LIMIT = 1_000
"""Rows sent to the table: beyond it the reader narrows the filters (the note says so)."""

LIST_LIMIT = 100
"""Items of the chronological list (Dash's renderer slows down sharply with hundreds of
components: 500 items cost seconds; the table holds more)."""

MAX_SELECTED = 2_000
"""Events one selection holds (a box drawn over a large frame may cover more)."""

MAX_POINTS = 10_000
"""Points of one click or box read from the browser: more than any figure draws (a large
frame's timeline groups its events, the map its places), so only a forged request has more."""

MAX_KEY_CHARS = 300
"""Characters of one point's customdata read: ids and group keys are far shorter."""

MAX_EDITS = 50
"""Cells one table edit may change (a paste of a block is one edit): each is a rewrite of
the corrections file, and only a forged request or a slip changes more."""

MAX_VALUE_CHARS = 500
"""Characters of one edited value (a title, a place, a date): longer is not a correction."""

DETAIL_PICKS = 30
"""Events of a multiple selection listed in the detail panel for picking."""


# --------------------------------------------------------------------------- what the callbacks fill

def timeline_view(frame: pd.DataFrame, *, lanes, selection: Mapping | None, viewport, visible,
                  zoomed: bool) -> tuple[object | None, list | None]:
    """(the timeline figure, the page's key) for the filtered `frame`, `lanes` ("category"
    or "country"; anything else: category), the `selection` store, the `viewport` width
    and the `visible`-range store; None for what need not be drawn again.

    `zoomed`: only the visible range changed. A small frame then draws nothing again
    (plotly zooms it on its own), a large one redraws the range in detail (its level of
    detail follows the zoom) and keeps its key.
    """
    if zoomed and not figures.is_large(frame):
        return None, None
    size = sizes(viewport)
    # The reader's range, once there is one: a large frame draws it in detail, and any
    # redraw (a filter, new data) keeps the view where the reader left it.
    fig = figures.timeline_figure(frame, lanes=lanes if lanes in LANES else "category",
                                  selected=selected_ids(selection), x_range=timeline_range(visible),
                                  level_of_detail=True, width=size.timeline_width, legend=size.timeline_legend)
    if zoomed:
        return fig, None
    return fig, ([] if size.timeline_legend else timeline_key(frame))


def map_view(frame: pd.DataFrame, *, visible, selection: Mapping | None, viewport,
             story: pd.DataFrame | None = None, story_file=figures.NO_STORY, view=None,
             revision: int = 0) -> tuple[object, str]:
    """(the map figure, the note above it) for the filtered `frame`: the events inside
    the `visible`-range store (all of them before any zoom), the `selection` store's
    events highlighted, sized for the `viewport` width, drawing `story_file`. The map opens
    on `view`, else one fitted to `story` (the whole corpus; default `frame`), so filters
    and zooms don't move it; `revision` (the times the reader asked to fit the view)
    changes the figure's uirevision, so a new `view` replaces where the reader panned."""
    window = as_range(visible)
    shown = in_range(frame, window)
    fig = figures.map_figure(shown, selected=selected_ids(selection), height=sizes(viewport).map_height,
                             story=frame if story is None else story, story_file=story_file, view=view)
    fig.update_layout(uirevision=f"map-{revision}")
    return fig, map_note(shown, window)


def fitted_view(frame: pd.DataFrame, visible) -> list | None:
    """The view fitted to the events of `frame` inside the `visible`-range store, as the
    map-fitted store keeps it ([[south, north], [west, east]]); None when none is placed."""
    shown = in_range(frame, as_range(visible))
    if not (shown["lat"].notna() & shown["lon"].notna()).any():
        return None
    return [list(r) for r in figures.opening_view(shown)]


def as_view(stored) -> tuple | None:
    """The map-fitted store's view as ((south, north), (west, east)); None for anything else
    (a store a client made up included)."""
    try:
        (lat0, lat1), (lon0, lon1) = ((float(a), float(b)) for a, b in stored)
    except (TypeError, ValueError):
        return None
    if not (-90 <= lat0 < lat1 <= 90 and -180 <= lon0 < lon1 <= 180):
        return None
    return (lat0, lat1), (lon0, lon1)


def listing(frame: pd.DataFrame, total: int, note: str = "") -> dict:
    """What the filtered `frame` (of `total` events) fills below the graphs: the table's
    rows and note, the list's items and note, and the summary, followed by `note` (which
    part of an archive's store the frame is, when it is one)."""
    n = len(frame)
    return {"table": table_rows(frame), "table_note": limit_note(n, TABLE_LIMIT, "table"),
            "items": chronology_items(frame), "list_note": limit_note(n, LIST_LIMIT, "list"),
            "summary": ". ".join(filter(None, (summary(n, total), note)))}


def overview_view(corpus, f: Filters):
    """The overview of an archive's store (`figures.overview`) for the filters `f`: its
    categories' and countries' events a month, the part the dashboard holds shaded."""
    from timeline.figures.overview import overview_figure

    snap = corpus.snapshot(f)
    dated = snap.frame.loc[snap.frame["dated"] & snap.frame["date"].notna()]
    shown = (str(dated["date"].min().date()), str(dated["end"].max().date())) if len(dated) else None
    return overview_figure(corpus.months(f), shown)


def overview_period(click) -> tuple[str, str] | None:
    """(first day, last day) of the overview's bar a click names, or None."""
    from timeline.figures.overview import chosen_range

    return chosen_range(click)


def status_lines(ok: Iterable[str], bad: Iterable[str]) -> list:
    """A status box's children: one item a line, the good ones first (class "ok", then
    "error"); nothing when there are no lines."""
    items = [html.Li(line, className="ok") for line in ok]
    items += [html.Li(line, className="error") for line in bad]
    return [html.Ul(items)] if items else []


def started_story(name: str, url: str, result) -> list:
    """The new-story box's children: the drop's lines (`uploads.UploadResult`), and a link
    to the story's dashboard once it is started."""
    lines = status_lines(result.messages, result.errors)
    if not name:
        return lines
    return [html.P(["Story ", html.Strong(name), " started: ", html.A("open it", href=url, id="new-story-link")],
                   className="ok"), *lines]


def summary(shown: int, total: int) -> str:
    """'Showing 12 of 26 events' (or 'All 26 events')."""
    if shown == total:
        return f"All {total:,} event{'s' if total != 1 else ''}"
    return f"Showing {shown:,} of {total:,} events"


# --------------------------------------------------------------------------- the URL

def lanes_from_search(search: str | None) -> str:
    """The timeline's lanes a query string asks for ('?lanes=country'); the first of
    `figures.LANES` for anything else."""
    lanes = query_value(search, "lanes")
    return lanes if lanes in LANES else LANES[0]


def event_from_search(search: str | None) -> str:
    """The event id a query string names ('?event=ID', at most 100 characters); '' for none."""
    return query_value(search, "event")[:100]


# --------------------------------------------------------------------------- selection

def ids_from_points(frame: pd.DataFrame, data: Mapping | None) -> list[str]:
    """The event ids behind a graph's clickData or selectedData: each point's customdata
    is an event id or a group key (see `figures.event_ids_for`), resolved against
    `frame` (the frame the figure was drawn from) in one pass. Points without customdata
    (route, crossings, labels) add nothing; only the first MAX_POINTS points are read.
    In order of first appearance, without repeats, at most MAX_SELECTED.
    """
    values = list(dict.fromkeys(_customdata(data)))
    ids: list[str] = []
    for found in event_ids_for_each(frame, values, limit=MAX_SELECTED):
        ids += found
    return list(dict.fromkeys(ids))[:MAX_SELECTED]


def _customdata(data: Mapping | None) -> list[str]:
    """The customdata strings of a graph's clickData or selectedData points, in order
    (of the first MAX_POINTS points)."""
    if not isinstance(data, Mapping):
        return []
    values = []
    points = data.get("points")
    for point in points[:MAX_POINTS] if isinstance(points, list) else []:
        value = point.get("customdata") if isinstance(point, Mapping) else None
        if isinstance(value, list):
            value = value[0] if value else None
        if isinstance(value, (str, int)) and str(value):
            values.append(str(value)[:MAX_KEY_CHARS])
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
        wanted = event_from_search(value if isinstance(value, str) else "")
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
    return [str(i) for i in store["ids"][:MAX_SELECTED] if isinstance(i, (str, int))]


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
    return [html.Li([html.Span(categories.get(c).mark, className="key-symbol",
                               style={"color": categories.colour(c)}, **{"aria-hidden": "true"}),
                     categories.label(c)])
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
    return f"{t.day} {lang.month_names()[t.month - 1]} {t.year}"


def human_period(row: Mapping) -> str:
    """The event's period in words: '11 September 2025', 'August 2025', '2010',
    '1 Jan 2025 – 30 Jun 2025'; 'undated'."""
    if not row.get("dated") or pd.isna(row.get("date")):
        return "undated"
    first, last, gran = pd.Timestamp(row["date"]), pd.Timestamp(row["end"]), row.get("granularity", "")
    months = lang.month_names()
    if gran in ("day", "time") or first == last:
        return day_words(first)
    if gran == "month":
        return f"{months[first.month - 1]} {first.year}"
    if gran == "year":
        return str(first.year)
    return f"{first.day} {months[first.month - 1][:3]} {first.year} – {last.day} {months[last.month - 1][:3]} {last.year}"


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
    named = [f"{countries.label(c)} ({c})" for c in (row.get("countries") or [])]
    confidence = row.get("confidence")
    confidence = "—" if confidence is None or (isinstance(confidence, float) and math.isnan(confidence)) \
        else f"{float(confidence):.2f}" + (" (shown under All rows only)" if float(confidence) < shown_from() else "")
    url = safe_url(row.get("url", ""))
    source = row.get("source") or "unknown source"
    published = row.get("published")
    published = "" if published is None or pd.isna(published) else f", published {day_words(published)}"
    language = detect.NAMES.get(row.get("language") or "", "")
    published = (f" (in {language})" if language else "") + published
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
            html.Dt("Countries"), html.Dd(_join(named)),
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


def correction_history(log: Sequence) -> html.Section:
    """An event's corrections, newest first (`timeline.store.Correction`s), each with who,
    when, the change, why, and a button that reverts it."""
    def change(c) -> str:
        new = "what the articles say" if c.value is None else f"“{c.value}”"
        old = f"“{c.old_value}”" if c.old_value else "—"
        return f"{c.field}: {old} → {new}"

    items = [html.Li([
        html.Span(f"{c.at.replace('T', ' ').rstrip('Z')} UTC · {c.who}", className="muted"), html.Br(),
        change(c), html.Span(f" ({c.reason})" if c.reason else "", className="muted"), " ",
        html.Button("Revert", id={"type": "revert", "correction": c.id}, className="link-button",
                    title=f"Set {c.field} back to what it was before this correction"),
    ]) for c in log]
    return html.Section([html.H4("Corrections"), html.Ol(items, className="history") if items
                         else html.P("None yet: edit the table to correct this event.", className="muted")],
                        id="detail-history")


def event_detail(frame: pd.DataFrame, store: Mapping | None, history: Callable[[str], Sequence] | None = None) -> list:
    """The detail panel's children for a selection store value: a prompt when nothing is
    selected; the focused event's card (and its corrections, `history(event_id)`, when
    given: an editor's view); with several selected, a list to pick from."""
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
    if history is not None:
        out.append(correction_history(history(focused["event_id"])))
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
    old: str = ""  # the value the cell had before


def table_edits(previous: Sequence[Mapping] | None, current: Sequence[Mapping] | None) -> list[Edit]:
    """The cells the reader changed: rows matched by `id`, only editable columns, only
    values that differ (surrounding white space ignored). Only the first TABLE_LIMIT rows
    of each are read: the table never holds more."""
    before = {r.get("id"): r for r in _table_rows(previous) if isinstance(r, Mapping)}
    edits = []
    for row in _table_rows(current):
        if not isinstance(row, Mapping):
            continue
        old = before.get(row.get("id"))
        if old is None:
            continue
        for key in EDITABLE:
            new, was = str(row.get(key) or "").strip(), str(old.get(key) or "").strip()
            if new != was:
                edits.append(Edit(str(row["id"]), key, new, was))
    return edits


def _table_rows(rows) -> list:
    """The table's rows as the browser sent them, at most TABLE_LIMIT; nothing for a non-list."""
    return rows[:TABLE_LIMIT] if isinstance(rows, list) else []


def save_edits(history, edits: Iterable[Edit], *, who: str,
               known: Callable[[str], bool] | None = None) -> tuple[list[str], list[str]]:
    """Record each edit in the story's history of corrections (`timeline.store.History`)
    as made by `who`; returns (lines saying what was saved, lines saying what was refused
    and why).

    A category must be one of the taxonomy's (`categories.NAMES`); a value is at most
    MAX_VALUE_CHARS characters; an event must be `known` (when given: a request may name
    events that do not exist); at most MAX_EDITS edits are recorded, the others refused in
    one line.
    """
    edits = list(edits)
    saved, refused = [], []
    for e in edits[:MAX_EDITS]:
        problem = _edit_problem(e, known)
        if problem:
            refused.append(f"{e.event_id[:100]}: {problem}")
            continue
        value = e.value.casefold() if e.field == "category" else e.value
        try:
            history.record(e.event_id, e.field, value, who=who, old_value=e.old[:MAX_VALUE_CHARS])
        except TimelineError as err:
            refused.append(f"{e.event_id[:100]}: {' '.join(str(err).split())}")
            continue
        saved.append(f"{e.field} of {e.event_id} set to “{value}”" if value else f"{e.event_id} made undated")
    if len(edits) > MAX_EDITS:
        refused.append(f"{len(edits) - MAX_EDITS:,} more changes not saved: at most {MAX_EDITS} in one edit")
    return saved, refused


def revert_correction(history, correction_id, *, who: str) -> tuple[list[str], list[str]]:
    """Revert correction `correction_id` of `history` as `who`; (what was done, what was
    refused), a line each."""
    if not isinstance(correction_id, int) or isinstance(correction_id, bool):
        return [], ["no such correction"]
    try:
        c = history.revert(correction_id, who=who)
    except TimelineError as err:
        return [], [" ".join(str(err).split())]
    now = "what the articles say" if c.value is None else f"“{c.value}”"
    return [f"correction {correction_id} reverted: {c.field} of {c.event_id} is {now} again"], []


def _edit_problem(e: Edit, known: Callable[[str], bool] | None) -> str | None:
    """Why the edit `e` cannot be saved, or None."""
    if known is not None and not known(e.event_id):
        return "no such event"
    if len(e.value) > MAX_VALUE_CHARS:
        return f"{e.field} is {len(e.value):,} characters long, at most {MAX_VALUE_CHARS:,}"
    if e.field == "category" and e.value.casefold() not in categories.NAMES:
        return f"category {e.value!r} is not one of {', '.join(categories.NAMES)}"
    return None


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
