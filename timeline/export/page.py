"""Web: `standalone_html(frame)` is one self-contained page (the chart library and the map
geometry inline, trimmed to the region drawn) that renders from disk with no network at all.
"""
from __future__ import annotations

import functools
import html
import json
import math
from pathlib import Path

import numpy as np
import pandas as pd

from timeline import frame as fr
from timeline.errors import ExportError
from timeline.export.records import _cut, _dated, _records, default_title, format_period, VIEWS

# The seed's region with a margin for panning (lon0, lat0, lon1, lat1); a page's map keeps
# detail in its own view (figures.opening_view) widened by _PAN_MARGIN; outside, the geometry
# is kept but coarsened.
_DETAIL_BOX = (5.0, 43.0, 41.0, 62.0)
_PAN_MARGIN = (8.0, 6.0)               # degrees of longitude, of latitude


_COARSE_STEP = 12                       # outside the box, keep one point in this many


_UNUSED_LAYERS = ("rivers", "subunits")  # the map draws no rivers or subdivisions


def _detail_box(geo) -> tuple[float, float, float, float]:
    """The part of the geometry a map with layout.geo `geo` keeps in detail: its view and a
    margin to pan, in whole degrees (so that pages of one story share a cached geometry)."""
    (lon0, lon1), (lat0, lat1) = geo.lonaxis.range, geo.lataxis.range
    dx, dy = _PAN_MARGIN
    return (float(math.floor(lon0 - dx)), float(math.floor(lat0 - dy)),
            float(math.ceil(lon1 + dx)), float(math.ceil(lat1 + dy)))


def _coarsen_arc(arc: list, scale, translate, box, step: int) -> list:
    q = np.cumsum(np.asarray(arc, dtype=np.int64).reshape(-1, 2), axis=0)
    n = len(q)
    if n <= 4:
        return arc
    lon, lat = q[:, 0] * scale[0] + translate[0], q[:, 1] * scale[1] + translate[1]
    inside = (lon >= box[0]) & (lon <= box[2]) & (lat >= box[1]) & (lat <= box[3])
    keep = inside.copy()
    keep[1:] |= inside[:-1]  # the points either side of the box, so lines cross its edge right
    keep[:-1] |= inside[1:]
    keep[::step] = True
    keep[[0, n // 3, 2 * n // 3, n - 1]] = True  # a ring of one arc keeps its shape and its winding
    kept = q[keep]
    out = np.vstack([kept[:1], np.diff(kept, axis=0)])
    return out.tolist()


@functools.lru_cache(maxsize=4)
def trimmed_topojson(name: str = "europe_50m", box: tuple[float, float, float, float] = _DETAIL_BOX) -> str:
    """The offline map geometry `name` as compact JSON for inlining: rivers and subunits
    (not drawn) dropped, arcs outside `box` (lon0, lat0, lon1, lat1: the map's view with
    room to pan) kept at one point in _COARSE_STEP. Arc endpoints and topology stay, so country borders still meet and
    polygons still close. Raises ExportError when the file is missing or unreadable.
    """
    from timeline.figures import OFFLINE_TOPOJSON_DIR

    path = Path(OFFLINE_TOPOJSON_DIR) / f"{name}.json"
    try:
        topo = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        raise ExportError(f"{path}: cannot read the map geometry ({e})") from None
    objects = {k: v for k, v in topo["objects"].items() if k not in _UNUSED_LAYERS}
    used = set()

    def walk(arcs):
        for a in arcs:
            if isinstance(a, list):
                walk(a)
            else:
                used.add(a if a >= 0 else ~a)

    for obj in objects.values():
        for geom in obj.get("geometries", [obj]):
            walk(geom.get("arcs", []))
    # Arcs only the dropped layers use are emptied rather than removed, so indices stay valid.
    scale, translate = topo["transform"]["scale"], topo["transform"]["translate"]
    arcs = [_coarsen_arc(a, scale, translate, box, _COARSE_STEP) if i in used else [a[0], [0, 0]]
            for i, a in enumerate(topo["arcs"])]
    out = dict(topo, objects=objects, arcs=arcs)
    return json.dumps(out, separators=(",", ":"))


def _script_json(text: str) -> str:
    """JSON safe inside a <script> element: no "</" (which could close it), no "<!--" (which
    changes how the parser reads it) and no JS line terminators. Hover text keeps its "<br>"
    as written: escaping every "<" would add a tenth to a large page."""
    return (text.replace("<!--", "\\u003c!--").replace("</", "<\\/")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def _credit_line(frame: pd.DataFrame) -> str:
    from timeline.figures import CREDIT

    outlets = [s for s in frame["source"].astype(str).value_counts().index if s] if len(frame) else []
    shown = ", ".join(outlets[:8]) + (f" and {len(outlets) - 8} more" if len(outlets) > 8 else "")
    return (f"Sources: {shown}. " if shown else "") + CREDIT


LIGHT_LIST_LIMIT = 300
"""Events a light page (/embed) lists as text (its list of events); the standalone page lists all."""


def _event_list(frame: pd.DataFrame, limit: int | None = None) -> str:
    """The chronology as an ordered list (undated events after it), HTML-escaped; with
    `limit`, its first `limit` dated and undated events and how many more there are."""
    e = html.escape
    dated, undated = _dated(frame), frame[~(frame["dated"] & frame["date"].notna())]
    items = []
    for rec in _records(dated.head(limit) if limit else dated):
        when = format_period(rec["date"], rec["end"], rec["granularity"], rec["timex"])
        day = pd.Timestamp(rec["date"]).strftime("%Y-%m-%d")
        source = f' <cite>{e(rec["source"])}</cite>' if rec["source"] else ""
        items.append(f'<li><time datetime="{day}">{e(when)}</time>: {e(rec["title"] or _cut(rec["sentence"], 90))}'
                     f'{source}</li>')
    more = len(dated) - len(items)
    out = ['<h2>Chronology</h2>\n<ol class="chronology">\n' + "\n".join(items) + "\n</ol>"] if items else []
    if more > 0:
        out.append(f"<p>… and {more:,} more dated event{'s' if more != 1 else ''}.</p>")
    if len(undated):
        shown = undated.head(limit) if limit else undated
        rows = [f'<li>{e(r["title"] or _cut(r["sentence"], 90))}'
                + (f' <cite>{e(r["source"])}</cite>' if r["source"] else "") + "</li>" for r in _records(shown)]
        out.append("<h2>Undated</h2>\n<ul>\n" + "\n".join(rows) + "\n</ul>")
        if len(undated) > len(shown):
            out.append(f"<p>… and {len(undated) - len(shown):,} more undated.</p>")
    return "\n".join(out) or "<p>No events.</p>"


_PAGE_CSS = """
body { margin: 0; font-family: "Liberation Sans", Arial, Helvetica, sans-serif; color: #222; background: #fff; }
main { max-width: 1200px; margin: 0 auto; padding: 12px; }
h1 { font-size: 1.4rem; margin: 0.2em 0; }
.dek, .credit { color: #666; font-size: 0.85rem; margin: 0.2em 0 0.8em; }
.graph { width: 100%; }
.chronology li, ul li { margin: 0.25em 0; }
.event-list { margin: 0.8em 0; }
.event-list summary { cursor: pointer; color: #444; font-size: 0.9rem; }
time { font-weight: bold; }
cite { color: #666; font-style: normal; }
"""


def _geo_assets(fig) -> str:
    """The script defining the map's geometry for plotly.js (`window.PlotlyGeoAssets`),
    trimmed around its view; plotly.js names the file it wants "<scope>_<resolution>m"."""
    layer = f"{fig.layout.geo.scope or 'world'}_{int(fig.layout.geo.resolution or 110)}m"
    return (f'<script>window.PlotlyGeoAssets = {{topojson: {{"{layer}": '
            f'{trimmed_topojson(layer, _detail_box(fig.layout.geo))}}}}};</script>\n')


# Draws the figures once the chart library has run (inline, or a deferred script). A host
# page's hooks (`window.timelinePage`: prepare(name, figure, element) once before anything is
# drawn, drawn(name, element) after plotly.js has drawn) restyle them (the embed's theme, sizes).
_DRAW_JS = """(function () {
  var figures = %(figures)s, config = %(config)s;
  var hooks = window.timelinePage || {}, names = Object.keys(figures);
  function element(name) { return document.getElementById(name + "-graph"); }
  var list = document.getElementById("event-list");
  if (list) { list.open = false; }  // the charts show the events; the list stays one click away
  names.forEach(function (name) { if (hooks.prepare) { hooks.prepare(name, figures[name], element(name)); } });
  function draw(name) {
    var el = element(name), fig = figures[name];
    Plotly.newPlot(el, fig.data, fig.layout, config).then(function () {
      var still = document.getElementById(el.id + "-sketch");
      if (still) { still.remove(); }
      if (hooks.drawn) { hooks.drawn(name, el); }
    });
  }
  %(start)s
})();"""

# Draws at once: the library is in the page (inline, or a deferred script before this one).
_START_NOW = """function start() { names.forEach(draw); }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }"""

# A light page: a still sketch of each figure at once (sketch.js, no chart library), the
# library fetched and the figures drawn when the reader reaches for the chart: a click or
# tap, a key, or a mouse pointer resting on the page for a moment. A reader who scrolls past
# (a swipe, a wheel) loads no plotly.js at all. While it loads the page says so; if it
# cannot load, the page says that too and the next reach tries again. A host page's
# `resized(name, figure, element)` hook refits a figure before it is sketched again.
_START_LIGHT = """var SKETCH = (function () { %(sketch)s; return window.timelineSketch; })();
  var state = "still", rest = null, width = window.innerWidth, status = null;
  var reach = ["click", "keydown", "pointermove", "pointerleave"];
  function say(text) {
    if (!status) {
      status = document.createElement("p");
      status.className = "chart-status";
      status.setAttribute("role", "status");
      status.style.cssText = "position:absolute;top:4px;right:8px;margin:0;padding:2px 8px;z-index:2;" +
        "font-size:12px;background:rgba(255,255,255,0.9);color:#333;border-radius:3px";
      element(names[0]).appendChild(status);  // over the chart, so nothing below it moves
    }
    status.textContent = text;
    status.hidden = !text;
  }
  function sketchAll() {
    names.forEach(function (name) {
      var el = element(name), old = document.getElementById(el.id + "-sketch");
      if (old) { old.remove(); }
      if (hooks.resized) { hooks.resized(name, figures[name], el); }
      SKETCH(name, figures[name], el);
    });
  }
  function upgrade() {
    if (state !== "still") { return; }
    state = "loading";
    say("Loading the interactive chart…");
    var script = document.createElement("script");
    script.src = %(library)s;
    script.onload = function () {
      state = "drawn";
      reach.forEach(function (type) { window.removeEventListener(type, onReach, true); });
      say("");
      names.forEach(draw);
    };
    script.onerror = function () {
      state = "still";
      script.remove();
      say("The interactive chart could not be loaded; touch the chart to try again.");
    };
    document.head.appendChild(script);
  }
  function onReach(event) {
    if (event.type === "pointermove") {  // a mouse resting on the page, not one passing over it
      if (event.pointerType === "mouse" && !rest) { rest = setTimeout(upgrade, 250); }
      return;
    }
    if (event.type === "pointerleave") {  // the pointer left the page (not one of its parts)
      if (event.target === document.documentElement) { clearTimeout(rest); rest = null; }
      return;
    }
    upgrade();
  }
  window.timelinePage = Object.assign(window.timelinePage || {}, {upgrade: upgrade});
  function start() {
    sketchAll();
    reach.forEach(function (type) { window.addEventListener(type, onReach, {capture: true, passive: true}); });
    window.addEventListener("resize", function () {
      if (state !== "drawn" && window.innerWidth !== width) { width = window.innerWidth; sketchAll(); }
    });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }"""


@functools.cache
def _sketch_js() -> str:
    """The still-sketch drawer of light pages (sketch.js beside this module)."""
    return Path(__file__).with_name("sketch.js").read_text(encoding="utf-8")


def _graph_divs_and_script(graphs, light_library: str | None) -> tuple[list[str], str]:
    """The page's graph <div>s and the script drawing `graphs` [(name, figure)] into them:
    at once, or with `light_library` (the library's URL) a sketch first (_START_LIGHT)."""
    import plotly.io as pio

    config = {"responsive": True, "displaylogo": False, "scrollZoom": False}
    divs, figures = [], []
    for name, fig in graphs:
        fig.update_layout(autosize=True, width=None)
        height = int(fig.layout.height or 450)
        divs.append(f'<div id="{name}-graph" class="graph" style="height:{height}px" role="figure" '
                    f'aria-label="{"Map" if name == "map" else "Timeline"} of the events" aria-describedby="event-list"></div>')
        figures.append(f'"{name}": ' + _script_json(pio.to_json(fig, validate=False, pretty=False, remove_uids=True)))
    start = _START_NOW
    if light_library:
        start = _START_LIGHT.replace("%(sketch)s", _sketch_js()).replace(
            "%(library)s", _script_json(json.dumps(light_library)))
    return divs, _DRAW_JS % {"figures": "{" + ",\n".join(figures) + "}", "config": json.dumps(config), "start": start}


def _figures(frame: pd.DataFrame, view: str, story_file, map_view) -> list[tuple[str, object]]:
    """(name, figure) of each graph of the page: the timeline and/or the map."""
    from timeline.figures import NO_STORY, map_figure, timeline_figure

    graphs = []
    if view in ("both", "timeline"):
        graphs.append(("timeline", timeline_figure(frame)))
    if view in ("both", "map"):
        graphs.append(("map", map_figure(frame, story_file=story_file or NO_STORY, view=map_view)))
    return graphs


def standalone_html(frame: pd.DataFrame, *, title: str | None = None, view: str = "both",
                    library_src: str | None = None, light: bool = False, story_file=None,
                    map_view=None) -> str:
    """One self-contained HTML page of `frame`: the interactive timeline and/or map (`view`:
    both, timeline, map) as the dashboard draws them (the map with `story_file`, opening on
    `map_view`: see `figures.map_figure`), a title (default the story file's, else
    `default_title`), sources and data credits, and the chronology as a list (`#event-list`:
    open without scripts, closed under the graphs with them, pointed to for screen readers).

    The chart library (`plotlyjs.chart_library`) is inline, the map geometry defined as
    `window.PlotlyGeoAssets` before it (`trimmed_topojson`): the page renders with no network
    at all; with `library_src` (a URL) it loads the library from there (deferred). A `light`
    page (/embed; needs `library_src`) shows a still SVG sketch of each figure at once and
    loads the library when the reader reaches for the chart (`_START_LIGHT`). Text is escaped.
    Raises ExportError for an unknown view, SchemaError for a frame breaking the schema."""
    if view not in VIEWS:
        raise ExportError(f"view must be one of {', '.join(VIEWS)}, not {view!r}")
    if light and not library_src:
        raise ExportError("a light page loads the chart library from a URL: give library_src")
    from timeline.export.plotlyjs import chart_library

    frame = fr.validate(frame)
    title = title or (story_file and story_file.title) or default_title(frame)
    graphs = _figures(frame, view, story_file, map_view)
    divs, draw = _graph_divs_and_script(graphs, library_src if light else None)
    n_dated = int((frame["dated"] & frame["date"].notna()).sum())
    dek = f"{n_dated} dated event{'s' if n_dated != 1 else ''}"
    if len(frame) > n_dated:
        dek += f", {len(frame) - n_dated} undated"
    geo = "".join(_geo_assets(fig) for name, fig in graphs if name == "map")
    library = ("" if light else f'<script src="{html.escape(library_src)}" defer></script>' if library_src
               else f"<script>{chart_library().text()}</script>")
    return "\n".join([
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{html.escape(title)}</title>",
        f"<style>{_PAGE_CSS}</style>",
        "<noscript><style>.graph { display: none; }</style></noscript>",  # no empty boxes before the list
        geo + library,
        "</head>",
        "<body>",
        "<main>",
        f"<h1>{html.escape(title)}</h1>",
        f'<p class="dek">{html.escape(dek)}</p>',
        *divs,
        # The events as text: open with scripts off (the graphs hidden), closed under the
        # graphs with them on, and what screen readers are pointed to from each graph.
        '<details id="event-list" class="event-list" open><summary>The events as a list</summary>',
        _event_list(frame, LIGHT_LIST_LIMIT if light else None),
        "</details>",
        f'<p class="credit">{html.escape(_credit_line(frame))}</p>',
        "</main>",
        "<script>\n" + draw + "\n</script>",
        "</body>",
        "</html>",
        "",
    ])
