"""The dashboard's callbacks: thin wiring, one registration function per concern, each
callback naming its inputs and handing over to `views`, `filters`, `uploads`,
`downloads` or `embed`. Nothing here decides what is shown.

The data flow:

- `#url` (on load) and `#clear-filters` set the filters (`_filters_from_url`); `#viewport`
  (the window's width, read in the browser) sizes the figures.
- filters + `#lanes` + `#data-version` + `#visible-range` (the timeline's x range) ->
  `#timeline-graph` (`#selection` restyles it in the browser; a new range alone redraws
  only a large frame, whose level of detail follows the zoom);
  filters + `#data-version` + `#visible-range` + `#selection` -> `#map-graph`;
  filters + `#data-version` -> table, list and summary; `#selection` -> `#event-detail`.
- clicks and box selections on either graph, the table's active row, the list's and the
  detail panel's buttons (through `#picked`, set by assets/app.js) -> `#selection`; the
  timeline's relayout -> `#visible-range` (in the browser).
- a table edit, or a Revert in the detail's history -> the story's history of corrections
  (the database) -> `#data-version`;
  an upload -> uploads folder -> `#data-version`. Other workers see both (`corpus.py`).
- filters + `#embed-view` + `#embed-theme` -> `#embed-url`, `#embed-code` (see `embed.py`).

The browser's own callbacks are in assets/app.js (`window.dash_clientside.timeline`).
"""
from __future__ import annotations

from dataclasses import asdict

from dash import ALL, ClientsideFunction, Dash, Input, Output, State, ctx, no_update

from timeline.webapp import downloads, embed, layout, uploads, views
from timeline.webapp.corpus import Corpus
from timeline.webapp.filters import Filters, as_range, from_search, in_range

FILTERS = {"categories": "filter-category", "countries": "filter-country", "actors": "filter-actor",
           "start": "filter-from", "end": "filter-to", "text": "filter-text", "shown": "filter-shown",
           "languages": "filter-language"}
"""Each field of `Filters` and the component whose value sets it."""

SELECTION_INPUTS = (("timeline-graph", "clickData"), ("timeline-graph", "selectedData"),
                    ("map-graph", "clickData"), ("map-graph", "selectedData"), ("event-table", "active_cell"),
                    ("picked", "data"), ("clear-selection", "n_clicks"), ("url", "search"))
"""What changes the selection (see `views.next_selection`)."""


def register(app: Dash, corpus: Corpus, *, max_upload_bytes: int, access, story: str = "",
             newsroom=None) -> None:
    """Attach every callback of the dashboard to `app`, reading and writing `corpus`;
    `access` (`access.Access`) says who may edit (the server refuses anyone else's edits
    before they reach a callback; the callbacks check again). `story`: the story's name in
    its embeds' URLs ('' for the server's own); `newsroom` (`newsroom.Newsroom`): where
    editors start a new story, when the server has one."""
    _filters_from_url(app, corpus)
    _viewport(app)
    _timeline(app, corpus)
    if corpus.archive:
        _overview(app, corpus)
    _map(app, corpus)
    _listing(app, corpus)
    _embed_code(app, corpus, story)
    _publish(app, corpus, access)
    _detail(app, corpus, access)
    _reverts(app, corpus, access)
    _selection(app, corpus)
    _table_edits(app, corpus, access)
    _uploads(app, corpus, max_upload_bytes, access)
    if newsroom is not None:
        _new_story(app, newsroom, max_upload_bytes, access, corpus.limits)
    _download(app, corpus)
    _options(app, corpus)


def _filter_values(kind=Input) -> dict:
    """The filter components' values, by `Filters` field, as one named group of inputs."""
    return {field: kind(component, "value") for field, component in FILTERS.items()}


def _select(corpus: Corpus, values: dict):
    """(snapshot, filters, filtered frame) for the filter components' `values`."""
    f = Filters.of(**values)
    snap, frame = corpus.select(f)
    return snap, f, frame


def _or_keep(value):
    """`value`, or Dash's no_update for None (what need not be drawn again)."""
    return no_update if value is None else value


def _in_browser(name: str) -> ClientsideFunction:
    return ClientsideFunction(namespace="timeline", function_name=name)


def _filters_from_url(app: Dash, corpus: Corpus) -> None:
    @app.callback(
        output=dict(filters={field: Output(component, "value") for field, component in FILTERS.items()},
                    lanes=Output("lanes", "value")),
        inputs=dict(search=Input("url", "search"), _clear=Input("clear-filters", "n_clicks")),
    )
    def set_filters(search, _clear):
        """Filters from the query string on load; the defaults on Clear filters."""
        if ctx.triggered_id == "clear-filters":
            return {"filters": asdict(Filters()), "lanes": no_update}
        f = from_search(search, corpus.snapshot().options)
        return {"filters": asdict(f), "lanes": views.lanes_from_search(search)}


def _viewport(app: Dash) -> None:
    app.clientside_callback(_in_browser("viewport"), Output("viewport", "data"), Input("url", "pathname"))


def _timeline(app: Dash, corpus: Corpus) -> None:
    @app.callback(
        output=dict(figure=Output("timeline-graph", "figure"), key=Output("timeline-key", "children")),
        inputs=dict(filters=_filter_values(), lanes=Input("lanes", "value"), selection=State("selection", "data"),
                    _version=Input("data-version", "data"), viewport=Input("viewport", "data"),
                    visible=Input("visible-range", "data")),
    )
    def update_timeline(filters, lanes, selection, _version, viewport, visible):
        _, _, frame = _select(corpus, filters)
        zoomed = set(ctx.triggered_prop_ids) == {"visible-range.data"}
        fig, key = views.timeline_view(frame, lanes=lanes, selection=selection, viewport=viewport,
                                       visible=visible, zoomed=zoomed)
        return {"figure": _or_keep(fig), "key": _or_keep(key)}

    # A new selection re-styles the timeline in the browser: its figure does not travel
    # again. The server draws the selection on its next full render.
    app.clientside_callback(
        _in_browser("highlight"),
        Output("timeline-graph", "figure", allow_duplicate=True),
        Input("selection", "data"), State("timeline-graph", "figure"),
        prevent_initial_call=True,
    )
    # In the browser, so that the map never waits on a server round trip for the timeline's
    # every relayout (autosize included). Nothing but the reader's zoom feeds this store, so
    # the timeline and the map, which wait for it, never wait for another callback on load.
    app.clientside_callback(
        _in_browser("followTimeline"),
        Output("visible-range", "data"), Input("timeline-graph", "relayoutData"),
        prevent_initial_call=True,
    )


def _overview(app: Dash, corpus) -> None:
    @app.callback(
        Output("overview-graph", "figure"),
        inputs=dict(filters=_filter_values(), _version=Input("data-version", "data")),
    )
    def update_overview(filters, _version):
        return views.overview_view(corpus, Filters.of(**filters))

    @app.callback(
        output=dict(start=Output("filter-from", "value", allow_duplicate=True),
                    end=Output("filter-to", "value", allow_duplicate=True)),
        inputs=dict(click=Input("overview-graph", "clickData")),
        prevent_initial_call=True,
    )
    def choose_period(click):
        """A click on a bar of the overview: the dashboard shows its month (or year)."""
        chosen = views.overview_period(click)
        return no_update if chosen is None else {"start": chosen[0], "end": chosen[1]}


def _map(app: Dash, corpus: Corpus) -> None:
    @app.callback(
        output=dict(figure=Output("map-graph", "figure"), note=Output("map-note", "children"),
                    fitted=Output("map-fitted", "data")),
        inputs=dict(filters=_filter_values(), visible=Input("visible-range", "data"),
                    selection=Input("selection", "data"), _version=Input("data-version", "data"),
                    viewport=Input("viewport", "data"), fit=Input("map-fit", "n_clicks"),
                    fitted=State("map-fitted", "data")),
    )
    def update_map(filters, visible, selection, _version, viewport, fit, fitted):
        snap, _, frame = _select(corpus, filters)
        if ctx.triggered_id == "map-fit":  # the reader asks: the view fits what is shown, and stays
            fitted = views.fitted_view(frame, visible)
        fig, note = views.map_view(frame, visible=visible, selection=selection, viewport=viewport,
                                   story=snap.frame, story_file=snap.story_file,
                                   view=views.as_view(fitted) or snap.map_view, revision=fit or 0)
        return {"figure": fig, "note": note, "fitted": fitted}


def _listing(app: Dash, corpus: Corpus) -> None:
    @app.callback(
        output=dict(table=Output("event-table", "data"), table_note=Output("table-note", "children"),
                    items=Output("event-list", "children"), list_note=Output("list-note", "children"),
                    summary=Output("filter-summary", "children")),
        inputs=dict(filters=_filter_values(), _version=Input("data-version", "data")),
    )
    def update_listing(filters, _version):
        snap, _, frame = _select(corpus, filters)
        return views.listing(frame, snap.events, note=snap.note)


def _embed_code(app: Dash, corpus: Corpus, story: str) -> None:
    @app.callback(
        output=dict(href=Output("embed-url", "href"), text=Output("embed-url", "children"),
                    code=Output("embed-code", "value")),
        inputs=dict(filters=_filter_values(), view=Input("embed-view", "value"), theme=Input("embed-theme", "value"),
                    version=Input("embed-version", "value"), page=Input("url", "href")),
    )
    def update_embed(filters, view, theme, version, page):
        snap, f, frame = _select(corpus, filters)
        params = embed.EmbedParams.of(view=view, filters=f, theme=theme, version=version, story=story)
        url, code = embed.generator(page, params, title=snap.title(frame))
        return {"href": url, "text": url, "code": code}


def _publish(app: Dash, corpus: Corpus, access) -> None:
    @app.callback(
        output=dict(status=Output("publish-status", "children"), options=Output("embed-version", "options"),
                    value=Output("embed-version", "value")),
        inputs=dict(clicks=Input("publish-button", "n_clicks")), state=dict(filters=_filter_values(State)),
        prevent_initial_call=True,
    )
    def publish(clicks, filters):
        if not clicks or not access.may_edit():
            return no_update
        # The story; of an archive's store, the part of it the reader holds (`archive.py`).
        v = corpus.versions.publish(corpus.snapshot(Filters.of(**filters)).frame, who=access.who())
        done = f"Version {v.number} published ({v.events:,} events): the embed code below is pinned to it."
        return {"status": views.status_lines([done], []), "options": layout.version_options(corpus.versions.list()),
                "value": str(v.number)}


def _detail(app: Dash, corpus: Corpus, access) -> None:
    @app.callback(
        Output("event-detail", "children"),
        inputs=dict(selection=Input("selection", "data"), _version=Input("data-version", "data")),
        state=dict(filters=_filter_values(State)),
    )
    def update_detail(selection, _version, filters):
        history = (lambda event_id: corpus.history.log(event_id=event_id, limit=50)) if access.may_edit() else None
        return views.event_detail(corpus.snapshot(Filters.of(**filters)).frame, selection, history)


def _reverts(app: Dash, corpus: Corpus, access) -> None:
    @app.callback(
        output=dict(status=Output("revert-status", "children"),
                    version=Output("data-version", "data", allow_duplicate=True)),
        inputs=dict(clicks=Input({"type": "revert", "correction": ALL}, "n_clicks")),
        prevent_initial_call=True,
    )
    def revert(clicks):
        target = ctx.triggered_id
        if not isinstance(target, dict) or not any(clicks or []) or not access.may_edit():
            return no_update
        saved, refused = views.revert_correction(corpus.history, target.get("correction"), who=access.who())
        return {"status": views.status_lines(saved, refused), "version": corpus.snapshot().version}


def _selection(app: Dash, corpus: Corpus) -> None:
    @app.callback(
        Output("selection", "data"),
        inputs=dict(gestures={f"{c}.{p}": Input(c, p) for c, p in SELECTION_INPUTS},
                    filters=_filter_values(State), visible=State("visible-range", "data"),
                    selection=State("selection", "data")),
    )
    def select(gestures, filters, visible, selection):
        # On load Dash reports every store that mounted as changed (#picked with nothing in
        # it, before #url's search): the first input that carries a value is the one.
        changed = [t["prop_id"] for t in ctx.triggered if t.get("value") is not None] if ctx.triggered_id else []
        prop_id = changed[0] if changed else ""

        snap, _, frame = _select(corpus, filters)

        def shown(graph: str):
            return in_range(frame, as_range(visible)) if graph == "map" else frame

        new = views.next_selection(prop_id, gestures.get(prop_id, gestures["url.search"]), selection, shown=shown,
                                   known=lambda i: i in snap.by_id.index)
        return _or_keep(new)


def _table_edits(app: Dash, corpus: Corpus, access) -> None:
    @app.callback(
        output=dict(status=Output("edit-status", "children"),
                    version=Output("data-version", "data", allow_duplicate=True)),
        inputs=dict(timestamp=Input("event-table", "data_timestamp"), rows=State("event-table", "data"),
                    previous=State("event-table", "data_previous"), filters=_filter_values(State)),
        prevent_initial_call=True,
    )
    def edit(timestamp, rows, previous, filters):
        edits = views.table_edits(previous, rows)
        if not edits or not access.may_edit():
            return no_update
        ids = corpus.snapshot(Filters.of(**filters)).by_id.index
        saved, refused = views.save_edits(corpus.history, edits, who=access.who(), known=lambda i: i in ids)
        # A new value even when nothing was saved: the table is redrawn from the frame,
        # so a refused edit does not stay on screen.
        return {"status": views.status_lines(saved, refused), "version": f"{corpus.snapshot().version}:{timestamp}"}


def _sizes_checked(app: Dash, upload: str, payload: str) -> None:
    """The browser checks the files dropped on `upload` against the size limit and puts the
    drop into the store `payload` (assets/app.js)."""
    app.clientside_callback(
        _in_browser("checkUploadSizes"),
        Output(payload, "data"), Output(upload, "contents"),
        Input(upload, "contents"), State(upload, "filename"), State("upload-limit", "data"),
        prevent_initial_call=True,
    )


def _uploads_spent(access) -> list | None:
    """The status lines saying the editor has spent their uploads, or None when they have not
    (this drop counted)."""
    if access.within_limit("upload", access.who()):
        return None
    return views.status_lines([], [f"too many uploads: at most {access.limits['upload']}; try again later"])


def _uploads(app: Dash, corpus: Corpus, max_upload_bytes: int, access) -> None:
    _sizes_checked(app, "upload", "upload-payload")

    @app.callback(
        output=dict(status=Output("upload-status", "children"),
                    version=Output("data-version", "data", allow_duplicate=True),
                    payload=Output("upload-payload", "data", allow_duplicate=True)),
        inputs=dict(payload=Input("upload-payload", "data")),
        prevent_initial_call=True,
    )
    def upload(payload):
        if not isinstance(payload, dict) or not access.may_edit():
            return no_update
        spent = _uploads_spent(access)
        if spent is not None:
            return {"status": spent, "version": no_update, "payload": None}
        result = uploads.save_payload(payload, corpus.upload_dir, max_bytes=max_upload_bytes, limits=corpus.limits)
        if corpus.articles is not None:
            corpus.articles.record_paths(result.saved, who=access.who())
        return {"status": views.status_lines(result.messages, result.errors),
                "version": corpus.snapshot().version if result.saved else no_update, "payload": None}


def _new_story(app: Dash, newsroom, max_upload_bytes: int, access, limits) -> None:
    _sizes_checked(app, "new-story-upload", "new-story-payload")

    @app.callback(
        output=dict(status=Output("new-story-status", "children"),
                    payload=Output("new-story-payload", "data", allow_duplicate=True)),
        inputs=dict(payload=Input("new-story-payload", "data")), state=dict(name=State("new-story-name", "value")),
        prevent_initial_call=True,
    )
    def start(payload, name):
        if not isinstance(payload, dict) or not access.may_edit():
            return no_update
        spent = _uploads_spent(access)
        if spent is not None:
            return {"status": spent, "payload": None}
        started, result = uploads.start_story(newsroom, name, payload, who=access.who(),
                                              max_bytes=max_upload_bytes, limits=limits)
        return {"status": views.started_story(started, newsroom.url(started) if started else "", result),
                "payload": None}


def _download(app: Dash, corpus: Corpus) -> None:
    @app.callback(
        output=dict(file=Output("export-download", "data"), status=Output("export-status", "children")),
        inputs=dict(_clicks=Input("export-button", "n_clicks"), fmt=State("export-format", "value"),
                    filters=_filter_values(State)),
        prevent_initial_call=True,
    )
    def download(_clicks, fmt, filters):
        """The filtered chronology as a file (the same as `timeline export` writes)."""
        snap, _, frame = _select(corpus, filters)
        file, status = downloads.offer(frame, fmt, snap)
        return {"file": _or_keep(file), "status": status}


def _options(app: Dash, corpus: Corpus) -> None:
    @app.callback(
        output=dict(categories=Output("filter-category", "options"), countries=Output("filter-country", "options"),
                    actors=Output("filter-actor", "options"), languages=Output("filter-language", "options"),
                    summary=Output("corpus-summary", "children"),
                    messages=Output("messages", "children")),
        inputs=dict(_version=Input("data-version", "data")),
        prevent_initial_call=True,
    )
    def update_options(_version):
        snap = corpus.snapshot()
        o = snap.options
        return {"categories": layout.category_options(o), "countries": layout.country_options(o),
                "actors": layout.actor_options(o), "languages": layout.language_options(o),
                "summary": layout.corpus_summary(snap),
                "messages": layout.messages(snap)}
