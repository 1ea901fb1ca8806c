"""Dashboard benchmark: initial page payload, server time of each callback, and the
browser's time to interactive, on the seed and on synthetic frames of 10,000 and
100,000 events.

    .venv/bin/python benchmarks/bench_dashboard.py [--sizes 10000 100000] [--repeat 5] [--no-browser]

Callbacks are timed as the browser calls them: an HTTP POST to /_dash-update-component
(Flask's test client, so no network), built from the app's own /_dash-dependencies,
including JSON serialisation of the response. Selecting an event costs the timeline no
server call (the browser restyles it), so it is not in the list; zooming costs a large
frame a redraw of the range in view (level of detail), a small one nothing. The payload
is every byte a first visit downloads: the page, scripts, styles, layout, dependencies,
the map geometry and the responses of the callbacks that run on load, uncompressed and
as brotli-compressed on the wire. Time to
interactive (headless Chromium, /usr/bin/chromium) runs from navigation to both graphs
drawn. Goals (issue 4): each callback under 300 ms at 100,000 events; interactive under
2 s on the seed.
"""
from __future__ import annotations

import argparse
import re
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from timeline.synth import synthetic_frame  # noqa: E402
from timeline.webapp import create_app  # noqa: E402

GOAL_MS = 300
GOAL_TTI_S = 2.0
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


# --------------------------------------------------------------------------- requests

def _outputs(output: str) -> list[dict]:
    parts = output[2:-2].split("...") if output.startswith("..") else [output]
    out = []
    for p in parts:
        ident, _, prop = p.rpartition(".")
        out.append({"id": ident, "property": prop})
    return out


def request_for(deps: list[dict], first_output: str, values: dict, changed: list[str]) -> dict:
    """The body the browser would POST for the callback whose first output is
    `first_output` ("timeline-graph.figure"), with `values` {"id.prop": value} (absent
    inputs are None; pattern-matching inputs are empty lists)."""
    dep = next(d for d in deps if _outputs(d["output"])[0]["id"] + "." + _outputs(d["output"])[0]["property"]
               == first_output)
    outs = _outputs(dep["output"])

    def item(i):
        key = f"{i['id']}.{i['property']}"
        if i["id"].startswith("{"):  # pattern-matching: no such component on the page
            return []
        return {"id": i["id"], "property": i["property"], "value": values.get(key)}

    return {"output": dep["output"], "outputs": outs if len(outs) > 1 else outs[0],
            "inputs": [item(i) for i in dep["inputs"]], "state": [item(s) for s in dep["state"]],
            "changedPropIds": changed}


def time_post(client, body: dict, repeat: int) -> tuple[float, int]:
    """Median wall time (ms) and response size (bytes) of POSTing `body`."""
    times, size = [], 0
    for _ in range(repeat):
        t = time.perf_counter()
        r = client.post("/_dash-update-component", json=body)
        times.append((time.perf_counter() - t) * 1000)
        if r.status_code not in (200, 204):
            raise RuntimeError(f"{body['output']}: HTTP {r.status_code}: {r.get_data(as_text=True)[:300]}")
        size = len(r.get_data())
    return statistics.median(times), size


def scenarios(frame) -> list[tuple[str, str, dict, list[str]]]:
    """(label, first output, input values, changed inputs) for the callbacks a reader runs."""
    dated = frame[frame["dated"]]
    one = str(dated["event_id"].iloc[len(dated) // 2])
    cat = str(frame["category"].mode().iloc[0])
    sel = {"selection.data": {"ids": [one], "focus": one, "origin": "timeline-click"}}
    first, last = dated["date"].min(), dated["end"].max()
    mid = first + (last - first) * 0.8
    window = [str(mid.date()), str((mid + (last - first) * 0.05).date())]
    # Zoomed in on three days from the busiest (at 100,000 events, close to the most the timeline
    # draws one by one); the browser reports the range to the millisecond.
    busiest = dated.loc[dated["granularity"] == "day", "date"].mode().iloc[0]
    day = pd.Timedelta(days=1)
    zoom = [f"{(busiest - day).date()} 12:00:00.5", f"{(busiest + 2 * day).date()} 11:59:59.5"]
    return [
        ("timeline, on load", "timeline-graph.figure", {"lanes.value": "category"}, ["lanes.value"]),
        # Zooming redraws only a large frame (a small one answers with no update).
        ("timeline, zoomed in (3 days)", "timeline-graph.figure",
         {"lanes.value": "category", "visible-range.data": zoom}, ["visible-range.data"]),
        ("timeline, zoomed out (All)", "timeline-graph.figure",
         {"lanes.value": "category", "visible-range.data": "all"}, ["visible-range.data"]),
        ("timeline, a category filter", "timeline-graph.figure",
         {"lanes.value": "category", "filter-category.value": [cat]}, ["filter-category.value"]),
        ("timeline, country lanes", "timeline-graph.figure", {"lanes.value": "country"}, ["lanes.value"]),
        # A selection restyles the timeline in the browser; the server draws it again only
        # when something else changes (here: new data) while an event is selected.
        ("timeline, redrawn holding a selection", "timeline-graph.figure", {"lanes.value": "category", **sel},
         ["data-version.data"]),
        ("map, on load", "map-graph.figure", {}, ["data-version.data"]),
        ("map, the timeline zoomed", "map-graph.figure", {"visible-range.data": window}, ["visible-range.data"]),
        ("map, an event selected", "map-graph.figure", sel, ["selection.data"]),
        ("table + list + summary", "event-table.data", {}, ["data-version.data"]),
        ("table + list, a text search", "event-table.data", {"filter-text.value": "vilnius"},
         ["filter-text.value"]),
        ("detail panel", "event-detail.children", sel, ["selection.data"]),
        ("click -> selection", "selection.data",
         {"timeline-graph.clickData": {"points": [{"customdata": one}]}}, ["timeline-graph.clickData"]),
        ("filter options", "filter-category.options", {}, ["data-version.data"]),
    ]


# --------------------------------------------------------------------------- payload

def initial_payload(client, deps: list[dict], accept: str = "identity") -> dict[str, int]:
    """Bytes of a first visit, by kind, as sent to a browser whose Accept-Encoding is
    `accept` ("identity": uncompressed; "br, gzip": on the wire, headers left out)."""
    def size(response) -> int:
        return len(response.get_data())

    headers = {"Accept-Encoding": accept}
    page = client.get("/", headers=headers)
    sizes = {"page": size(page), "scripts and styles": 0}
    for src in re.findall(r'(?:src|href)="(/[^"]+)"', client.get("/").get_data(as_text=True)):
        if src.endswith((".js", ".css")) or ".js?" in src or ".css?" in src:
            sizes["scripts and styles"] += size(client.get(src, headers=headers))
    # Lazily loaded chunks the page fetches on load (graph, dropdown, table, upload); the
    # chart library (plotly.js) is among the page's scripts.
    for chunk in ("dcc/async-graph.js", "dcc/async-dropdown.js", "dcc/async-upload.js",
                  "dash_table/async-table.js", "dash_table/async-highlight.js"):
        sizes["scripts and styles"] += size(client.get(f"/_dash-component-suites/dash/{chunk}", headers=headers))
    sizes["layout + dependencies"] = size(client.get("/_dash-layout", headers=headers)) + size(
        client.get("/_dash-dependencies", headers=headers))
    sizes["map geometry"] = size(client.get("/assets/topojson/europe_50m.json", headers=headers))
    onload = 0
    for first, values in (("timeline-graph.figure", {"lanes.value": "category"}), ("map-graph.figure", {}),
                          ("event-table.data", {}), ("event-detail.children", {}), ("selection.data", {}),
                          ("filter-category.value", {})):
        body = request_for(deps, first, values, [])
        onload += size(client.post("/_dash-update-component", json=body, headers=headers))
    sizes["callbacks on load"] = onload
    sizes["total"] = sum(sizes.values())
    return sizes


# --------------------------------------------------------------------------- browser

def time_to_interactive(app, runs: int = 3) -> tuple[float, int] | None:
    """Median seconds from navigation to both graphs drawn, and bytes received, in
    headless Chromium; None when it is missing."""
    if not Path(CHROMIUM).exists():
        return None
    import logging

    from playwright.sync_api import sync_playwright
    from werkzeug.serving import make_server

    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    server = make_server("127.0.0.1", 0, app.server, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.server_port}/"
    times, received = [], 0
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            for _ in range(runs):
                context = browser.new_context(viewport={"width": 1440, "height": 1000})
                page = context.new_page()
                page.set_default_timeout(120_000)
                sizes = []
                page.on("response", lambda r: sizes.append(r))
                t = time.perf_counter()
                page.goto(url)
                page.wait_for_selector("#timeline-graph .cartesianlayer .subplot.xy .point, "
                                       "#timeline-graph canvas.gl-canvas-context", state="attached")
                page.wait_for_selector("#map-graph .scattergeo .point", state="attached")
                page.wait_for_function("() => !document.querySelector('._dash-loading-callback')")
                times.append(time.perf_counter() - t)
                received = 0
                for r in sizes:
                    try:
                        received += len(r.body())
                    except Exception:  # redirects and aborted requests carry no body
                        pass
                context.close()
            browser.close()
    finally:
        server.shutdown()
    return statistics.median(times), received


# --------------------------------------------------------------------------- main

def bench(label: str, app, frame, repeat: int, browser: bool) -> None:
    client = app.server.test_client()
    deps = client.get("/_dash-dependencies").get_json()
    print(f"\n## {label}: {len(frame):,} events")
    print(f"{'callback':34} {'median ms':>10} {'response':>12}  goal < {GOAL_MS} ms")
    for name, first, values, changed in scenarios(frame):
        body = request_for(deps, first, values, changed)
        time_post(client, body, 1)  # warm the caches a reader's first request would fill
        ms, size = time_post(client, body, repeat)
        flag = "ok" if ms < GOAL_MS else "OVER"
        print(f"{name:34} {ms:10.1f} {size / 1000:10,.0f} kB  {flag}")
    for accept, what in (("identity", "uncompressed"), ("br, gzip", "on the wire, br")):
        sizes = initial_payload(client, deps, accept)
        print(f"initial payload ({what}): " + ", ".join(f"{k} {v / 1000:,.0f} kB" for k, v in sizes.items()))
    if browser:
        tti = time_to_interactive(app)
        if tti is None:
            print("time to interactive: skipped (no /usr/bin/chromium)")
        else:
            print(f"time to interactive (headless Chromium, median of 3): {tti[0]:.2f} s "
                  f"({tti[1] / 1000:,.0f} kB received); goal < {GOAL_TTI_S} s on the seed")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", type=int, nargs="*", default=[10_000, 100_000])
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--no-browser", action="store_true")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        seeds = ROOT / "seeds"
        app = create_app([seeds], overrides_path=Path(tmp) / "seed-overrides.csv", upload_dir=Path(tmp) / "up")
        bench("seed", app, app.corpus.snapshot().frame, args.repeat, not args.no_browser)
        for n in args.sizes:
            t = time.perf_counter()
            frame = synthetic_frame(n)
            app = create_app([], frame=frame, overrides_path=Path(tmp) / f"{n}.csv", upload_dir=Path(tmp) / f"up{n}")
            print(f"\n(app on {n:,} synthetic events built in {time.perf_counter() - t:.1f} s)")
            bench("synthetic", app, frame, args.repeat, not args.no_browser)


if __name__ == "__main__":
    main()
