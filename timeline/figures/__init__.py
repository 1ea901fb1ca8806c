"""Plotly figures built from the event frame: the timeline, the map and a print layout.

Pure functions: a frame (schema in `timeline.schema`) goes in, a `go.Figure` comes out;
nothing here imports Dash or touches the network. The app wraps them in callbacks, the
exporter renders them with kaleido. One concept a module:

    theme       fonts, text colours, the base layout, escaping, the empty state, legend order
    columns     the columns the figures read, the dated rows
    hover       the events' hover labels
    lanes       the timeline's lanes and the per-row arrays its traces are cut from
    timeline    `timeline_figure`, `is_large`: markers, bars, labels
    detail      the level of detail of a large frame's timeline: day events grouped in bins
    map_data    the map as data (`data/map.yaml`): view settings, country names, label positions
    story_file  a story's own map (`story.yaml` beside its articles): routes, places, its view
    map_view    `opening_view`: the map's opening view fitted to the story's places
    map         `map_figure`, `load_crossings`: places, country names, crossings near the
                story, the story file's routes and points
    selection   `event_ids_for`: from a point's customdata back to its events
    printing    `composed_figure`: title, timeline and/or map, source line

Category colours, symbols and their order come from `timeline.categories`, country names
from `timeline.countries`.

How a point on a figure leads back to events (the contract the callbacks rely on):
every trace point that stands for events carries a string in `customdata`. It is either
an `event_id` (a single event: a day marker, a period bar of a small frame) or a group
key starting with "@" (several events: a map place, an aggregated period bar of a large
frame, a marker grouping the day events of a lane over a day, week, month or year).
`event_ids_for(frame, value)` turns either kind into the list of event ids.
Points that stand for no event (routes, crossings, labels, country names) carry no
customdata.

Map geometry: plotly fetches it from a CDN by default. Offline, point the renderer at
`OFFLINE_TOPOJSON_DIR`: in Dash with `dash_graph_config()` (the app serves `assets/`),
with kaleido through `plotly.io.defaults.topojson = "file://" + OFFLINE_TOPOJSON_DIR + "/"`.
"""
from __future__ import annotations

from timeline.figures.detail import DETAIL_MARKERS, MAX_BINS
from timeline.figures.lanes import LANES, NO_COUNTRY
from timeline.figures.map import (
    CROSSINGS_CSV, MAX_MAP_MARKERS, load_crossings, map_figure, outside_note, shows_overlays,
)
from timeline.figures.map_view import opening_view
from timeline.figures.printing import composed_figure
from timeline.figures.selection import event_ids_for
from timeline.figures.story_file import NO_STORY, STORY_NAME, StoryFile
from timeline.figures.theme import (
    CREDIT, EMPTY_MESSAGE, FONT_FAMILY, MUTED_COLOR, OFFLINE_TOPOJSON_DIR, TEXT_COLOR, dash_graph_config, escape,
)
from timeline.figures.timeline import FOCUS_DAYS, FOCUS_WHEN_SPAN_DAYS, LARGE_FRAME, is_large, timeline_figure

__all__ = [
    "CREDIT", "CROSSINGS_CSV", "DETAIL_MARKERS", "EMPTY_MESSAGE", "FOCUS_DAYS",
    "FOCUS_WHEN_SPAN_DAYS", "FONT_FAMILY", "LANES", "LARGE_FRAME", "MAX_BINS",
    "MAX_MAP_MARKERS", "MUTED_COLOR", "NO_COUNTRY", "NO_STORY", "OFFLINE_TOPOJSON_DIR", "STORY_NAME", "StoryFile", "TEXT_COLOR",
    "composed_figure", "dash_graph_config", "escape", "event_ids_for", "is_large", "load_crossings", "map_figure",
    "opening_view", "outside_note", "shows_overlays", "timeline_figure",
]
