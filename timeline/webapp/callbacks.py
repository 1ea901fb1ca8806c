"""The dashboard's callbacks: each one reads the corpus and hands over to `views` and
`figures`. Nothing here decides what is shown; see `views.py` for that.

The data flow:

- `#url` (on load) and `#clear-filters` set the filters; `#viewport` (the window's
  width, read in the browser) sizes the figures.
- filters + `#lanes` + `#data-version` + `#visible-range` (the timeline's x range) ->
  `#timeline-graph` (`#selection` restyles it in the browser; a new range alone redraws
  only a large frame, whose level of detail follows the zoom);
  filters + `#data-version` + `#visible-range` + `#selection` -> `#map-graph`;
  filters + `#data-version` -> table, list and summary; `#selection` -> `#event-detail`.
- clicks and box selections on either graph, the table's active row, the list's and the
  detail panel's buttons (through `#picked`, set by assets/app.js) -> `#selection`; the timeline's relayout ->
  `#visible-range` (in the browser).
- a table edit -> overrides file -> `#data-version`; an upload -> uploads folder ->
  `#data-version`. Other workers see both through the files (see `corpus.py`).
- filters + `#embed-view` + `#embed-theme` -> `#embed-url`, `#embed-code` (see `embed.py`).
"""
from __future__ import annotations

from dash import Dash, Input, Output, State, ctx, dcc, html, no_update

from timeline import figures
from timeline.export import default_title
from timeline.errors import TimelineError
from timeline.webapp import downloads, embed, layout, uploads, views
from timeline.webapp.corpus import Corpus

FILTERS = ("filter-category", "filter-country", "filter-actor", "filter-from", "filter-to", "filter-text")
_FILTER_PROPS = ("value",) * len(FILTERS)


def _filter_inputs(kind=Input) -> list:
    return [kind(i, p) for i, p in zip(FILTERS, _FILTER_PROPS)]


def _status(lines_ok: list[str], lines_bad: list[str]) -> list:
    items = [html.Li(line, className="ok") for line in lines_ok]
    items += [html.Li(line, className="error") for line in lines_bad]
    return [html.Ul(items)] if items else []


# Clientside: drop files over the size limit before their bytes travel to the server, and
# name them; then clear the upload so dropping the same file again fires again.
_CHECK_UPLOAD_SIZES = """
function(contents, names, maxBytes) {
    if (!contents) { return [window.dash_clientside.no_update, window.dash_clientside.no_update]; }
    if (!Array.isArray(contents)) { contents = [contents]; names = [names]; }
    var keep = [], keepNames = [], rejected = [];
    for (var i = 0; i < contents.length; i++) {
        var c = contents[i] || '', comma = c.indexOf(','), b64 = c.length - comma - 1;
        var pad = c.endsWith('==') ? 2 : (c.endsWith('=') ? 1 : 0);
        var bytes = Math.floor(b64 * 3 / 4) - pad;
        if (bytes > maxBytes) {
            rejected.push((names[i] || 'upload') + ': file is ' + bytes.toLocaleString('en') +
                          ' bytes, over the ' + maxBytes.toLocaleString('en') + '-byte limit');
        } else { keep.push(c); keepNames.push(names[i]); }
    }
    return [{contents: keep, filenames: keepNames, rejected: rejected, t: Date.now()}, null];
}
"""


# Clientside: the timeline's visible range from its relayoutData, as [start, end] the way
# plotly gives them (dates or date-times, kept to the millisecond so that the timeline
# redrawn for them stays exactly where the reader left it); "all" when the axis is reset
# to its autorange (the All button, a double-click); no update for any other relayout
# (autosize, the y axis). The range outlives a change of lanes: the timeline is redrawn
# on it. (Nothing but the reader's zoom feeds this store, so the timeline and the map,
# which wait for it, never wait for another callback on load.)
_FOLLOW_TIMELINE = r"""
function(relayout) {
    var nu = window.dash_clientside.no_update;
    if (!relayout) { return nu; }
    if (relayout['xaxis.autorange']) { return 'all'; }
    var a, b;
    if ('xaxis.range[0]' in relayout && 'xaxis.range[1]' in relayout) {
        a = relayout['xaxis.range[0]']; b = relayout['xaxis.range[1]'];
    } else if (Array.isArray(relayout['xaxis.range']) && relayout['xaxis.range'].length === 2) {
        a = relayout['xaxis.range'][0]; b = relayout['xaxis.range'][1];
    } else { return nu; }
    a = String(a); b = String(b);
    var when = /^\d{4}-\d{2}-\d{2}( \d{2}:\d{2}(:\d{2}(\.\d+)?)?)?$/;
    if (!when.test(a) || !when.test(b)) { return nu; }
    return a <= b ? [a, b] : [b, a];
}
"""

# Clientside: emphasise the selected events on the timeline. Every trace whose points
# stand for events (customdata) gets selectedpoints (the figure's own selected/unselected
# styles then dim the rest): a point is selected when its event id is, or when it is a
# group the reader clicked or boxed (the selection's `groups`); the server's "Selected"
# rings of an earlier selection hide.
_HIGHLIGHT = """
function(selection, figure) {
    if (!figure || !figure.data) { return window.dash_clientside.no_update; }
    var ids = new Set(((selection && selection.ids) || []).concat((selection && selection.groups) || []));
    var patch = new window.dash_clientside.Patch();
    figure.data.forEach(function(trace, i) {
        if (trace.name === 'Selected' && !trace.customdata) {
            patch.assign(['data', i, 'visible'], false);
            return;
        }
        if (!trace.customdata) { return; }
        if (!ids.size) { patch.assign(['data', i, 'selectedpoints'], null); return; }
        var points = [];
        for (var j = 0; j < trace.customdata.length; j++) {
            if (ids.has(trace.customdata[j])) { points.push(j); }
        }
        patch.assign(['data', i, 'selectedpoints'], points);
    });
    return patch.build();
}
"""


def register(app: Dash, corpus: Corpus, *, max_upload_bytes: int) -> None:
    """Attach every callback of the dashboard to `app`, reading and writing `corpus`."""

    def current(categories, countries, actors, start, end, text):
        f = views.Filters.of(categories, countries, actors, start, end, text)
        snap, frame = corpus.select(f)
        return snap, f, frame

    @app.callback(
        *[Output(i, p) for i, p in zip(FILTERS, _FILTER_PROPS)], Output("lanes", "value"),
        Input("url", "search"), Input("clear-filters", "n_clicks"),
    )
    def set_filters(search, _clear):
        """Filters from the query string on load; the defaults on Clear filters."""
        o = corpus.snapshot().options
        p = views.filters_from_search(None if ctx.triggered_id == "clear-filters" else search,
                                      categories=o.categories, countries=o.countries, actors=o.actors)
        lanes = no_update if ctx.triggered_id == "clear-filters" else p["lanes"]
        return p["categories"], p["countries"], p["actors"], p["start"], p["end"], p["text"], lanes

    app.clientside_callback(
        "function(_) { return window.innerWidth; }",
        Output("viewport", "data"), Input("url", "pathname"),
    )

    @app.callback(
        Output("timeline-graph", "figure"), Output("timeline-key", "children"),
        *_filter_inputs(), Input("lanes", "value"), State("selection", "data"), Input("data-version", "data"),
        Input("viewport", "data"), Input("visible-range", "data"),
    )
    def update_timeline(*args):
        _, _, frame = current(*args[:6])
        zoomed = set(ctx.triggered_prop_ids) == {"visible-range.data"}
        if zoomed and not figures.is_large(frame):
            # A small frame draws every event whatever the zoom: plotly zooms on its own.
            return no_update, no_update
        lanes = args[6] if args[6] in figures.LANES else "category"
        size = views.sizes(args[9])
        # The reader's range, once there is one: a large frame draws it in detail, and any
        # redraw (a filter, new data) keeps the view where the reader left it.
        fig = figures.timeline_figure(frame, lanes=lanes, selected=views.selected_ids(args[7]),
                                      x_range=views.timeline_range(args[10]), level_of_detail=True,
                                      width=size.timeline_width, legend=size.timeline_legend)
        if zoomed:
            return fig, no_update
        return fig, ([] if size.timeline_legend else views.timeline_key(frame))

    # A new selection re-styles the timeline in the browser: its figure does not travel
    # again. The server draws the selection on its next full render.
    app.clientside_callback(
        _HIGHLIGHT,
        Output("timeline-graph", "figure", allow_duplicate=True),
        Input("selection", "data"), State("timeline-graph", "figure"),
        prevent_initial_call=True,
    )

    @app.callback(
        Output("map-graph", "figure"), Output("map-note", "children"),
        *_filter_inputs(), Input("visible-range", "data"), Input("selection", "data"),
        Input("data-version", "data"), Input("viewport", "data"),
    )
    def update_map(*args):
        _, _, frame = current(*args[:6])
        visible = views.as_range(args[6])
        shown = views.in_range(frame, visible)
        fig = figures.map_figure(shown, selected=views.selected_ids(args[7]), height=views.sizes(args[9]).map_height)
        return fig, views.map_note(shown, visible)

    @app.callback(
        Output("event-table", "data"), Output("table-note", "children"),
        Output("event-list", "children"), Output("list-note", "children"),
        Output("filter-summary", "children"),
        *_filter_inputs(), Input("data-version", "data"),
    )
    def update_listing(*args):
        snap, f, frame = current(*args[:6])
        return (views.table_rows(frame), views.limit_note(len(frame), views.TABLE_LIMIT, "table"),
                views.chronology_items(frame), views.limit_note(len(frame), views.LIST_LIMIT, "list"),
                views.summary(len(frame), len(snap.frame), f))

    @app.callback(
        Output("embed-url", "href"), Output("embed-url", "children"), Output("embed-code", "value"),
        *_filter_inputs(), Input("embed-view", "value"), Input("embed-theme", "value"), Input("url", "href"),
    )
    def update_embed(categories, countries, actors, start, end, text, view, theme, href):
        _, _, frame = current(categories, countries, actors, start, end, text)
        url, code = embed.generator(href, view=view, categories=categories, countries=countries, actors=actors,
                                    start=start, end=end, text=text, theme=theme, title=default_title(frame))
        return url, url, code

    @app.callback(
        Output("event-detail", "children"),
        Input("selection", "data"), Input("data-version", "data"),
    )
    def update_detail(store, _version):
        return views.event_detail(corpus.snapshot().frame, store)

    @app.callback(
        Output("selection", "data"),
        Input("timeline-graph", "clickData"), Input("timeline-graph", "selectedData"),
        Input("map-graph", "clickData"), Input("map-graph", "selectedData"),
        Input("event-table", "active_cell"),
        Input("picked", "data"),
        Input("clear-selection", "n_clicks"),
        Input("url", "search"),
        *_filter_inputs(State), State("visible-range", "data"), State("selection", "data"),
    )
    def select(t_click, t_box, m_click, m_box, cell, picked, _clear, search, *states):
        prop_id = ctx.triggered[0]["prop_id"] if ctx.triggered_id is not None else ""
        values = {"timeline-graph.clickData": t_click, "timeline-graph.selectedData": t_box,
                  "map-graph.clickData": m_click, "map-graph.selectedData": m_box,
                  "event-table.active_cell": cell, "picked.data": picked, "url.search": search}

        def shown(graph: str):
            _, _, frame = current(*states[:6])
            return views.in_range(frame, views.as_range(states[6])) if graph == "map" else frame

        new = views.next_selection(prop_id, values.get(prop_id, search), states[7], shown=shown,
                                   known=lambda i: i in corpus.snapshot().by_id.index)
        return no_update if new is None else new

    # In the browser, so that the map never waits on a server round trip for the timeline's
    # every relayout (autosize included); the server checks the value again (views.as_range).
    app.clientside_callback(
        _FOLLOW_TIMELINE,
        Output("visible-range", "data"), Input("timeline-graph", "relayoutData"),
        prevent_initial_call=True,
    )

    @app.callback(
        Output("edit-status", "children"), Output("data-version", "data", allow_duplicate=True),
        Input("event-table", "data_timestamp"), State("event-table", "data"), State("event-table", "data_previous"),
        prevent_initial_call=True,
    )
    def edit(timestamp, data, previous):
        edits = views.table_edits(previous, data)
        if not edits:
            return no_update, no_update
        saved, refused = views.save_edits(corpus.overrides_path, edits)
        # A new value even when nothing was saved: the table is redrawn from the frame,
        # so a refused edit does not stay on screen.
        return _status(saved, refused), f"{corpus.snapshot().version}:{timestamp}"

    app.clientside_callback(
        _CHECK_UPLOAD_SIZES,
        Output("upload-payload", "data"), Output("upload", "contents"),
        Input("upload", "contents"), State("upload", "filename"), State("upload-limit", "data"),
        prevent_initial_call=True,
    )

    @app.callback(
        Output("upload-status", "children"), Output("data-version", "data", allow_duplicate=True),
        Output("upload-payload", "data", allow_duplicate=True),
        Input("upload-payload", "data"),
        prevent_initial_call=True,
    )
    def upload(payload):
        if not isinstance(payload, dict):
            return no_update, no_update, no_update
        result = uploads.save_uploads(payload.get("contents") or [], payload.get("filenames") or [],
                                    corpus.upload_dir, max_bytes=max_upload_bytes)
        rejected = [str(r) for r in payload.get("rejected") or []]
        version = corpus.snapshot().version if result.saved else no_update
        return _status(result.messages, rejected + result.errors), version, None

    @app.callback(
        Output("export-download", "data"), Output("export-status", "children"),
        Input("export-button", "n_clicks"),
        State("export-format", "value"), *_filter_inputs(State),
        prevent_initial_call=True,
    )
    def download(_clicks, fmt, *filter_values):
        """The filtered chronology as a file (the same as `timeline export` writes)."""
        _snap, _f, frame = current(*filter_values)
        if frame.empty:
            return no_update, "No events match the filters: nothing to download."
        try:
            name, content = downloads.download(frame, fmt or "png", title=default_title(frame))
        except TimelineError as e:
            return no_update, " ".join(str(e).split())
        return dcc.send_bytes(content, name), f"{name}: {len(frame)} events, {len(content):,} bytes."

    @app.callback(
        Output("filter-category", "options"), Output("filter-country", "options"),
        Output("filter-actor", "options"), Output("corpus-summary", "children"), Output("messages", "children"),
        Input("data-version", "data"),
        prevent_initial_call=True,
    )
    def update_options(_version):
        snap = corpus.snapshot()
        o = snap.options
        return (layout.category_options(o), layout.country_options(o), layout.actor_options(o),
                layout.corpus_summary(snap), layout.messages(snap))
