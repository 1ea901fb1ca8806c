"""The small chart library (issue 16): plotly.js built with npm at `make` time holding only
the trace types the figures draw, served once under a name that changes with its content.

A figure that starts drawing a trace type the bundle lacks fails here, at build and test
time, instead of on a reader's page."""
from __future__ import annotations

import gzip
import json
from pathlib import Path

import brotli
import pytest
from conftest import CHROMIUM, CHROMIUM_ARGS, require_browser

from timeline import figures
from timeline.export import plotlyjs
from timeline.figures import composed_figure, map_figure, timeline_figure
from timeline.synth import synthetic_frame
from timeline.webapp import create_app, library

ROOT = Path(__file__).resolve().parents[1]
TRACES_JSON = ROOT / "js" / "traces.json"


def wanted_traces() -> set[str]:
    return set(json.loads(TRACES_JSON.read_text(encoding="utf-8"))["traces"])


@pytest.fixture(scope="module")
def bundle() -> plotlyjs.ChartLibrary:
    """The small bundle `make` built; its absence is a failure (make test builds it)."""
    built = plotlyjs.small_bundle()
    assert built is not None, f"no current chart bundle in {plotlyjs.BUNDLE_DIR}: run `make install`"
    return built


def every_figure():
    """The figures the product draws: small and large timelines (whole and zoomed), the
    map with and without the seed's overlays, the print layouts, the empty state."""
    small, large = synthetic_frame(300, seed=2), synthetic_frame(figures.LARGE_FRAME + 1_000, seed=4)
    yield "small timeline", timeline_figure(small)
    yield "small timeline by country", timeline_figure(small, lanes="country")
    yield "large timeline", timeline_figure(large)
    yield "large timeline zoomed", timeline_figure(large, x_range=["2025-01-01", "2025-02-01"], level_of_detail=True)
    yield "map", map_figure(small)
    yield "map of a large frame", map_figure(large)
    yield "empty timeline", timeline_figure(small.iloc[:0])
    yield "empty map", map_figure(small.iloc[:0])
    for view in ("both", "timeline", "map"):
        yield f"print {view}", composed_figure(small, title="t", width_px=1200, height_px=900, view=view)


def test_the_bundle_holds_every_trace_type_the_figures_draw(bundle):
    drawn = {name: {trace.type or "scatter" for trace in fig.data} for name, fig in every_figure()}
    used = set().union(*drawn.values())
    assert {"scatter", "scattergl", "bar", "scattergeo"} <= used  # the list below is not vacuous
    missing = {name: types - bundle.traces for name, types in drawn.items() if types - bundle.traces}
    assert not missing, f"trace types the chart bundle lacks (add them to js/traces.json): {missing}"
    assert bundle.traces == wanted_traces(), "the built bundle is not the one js/traces.json asks for"


def test_the_bundle_is_built_for_the_plotly_js_the_python_package_writes_for(bundle):
    assert bundle.version == plotlyjs.plotly_version()
    assert plotlyjs.chart_library() == bundle  # pages use it, not the full fallback
    assert len(bundle.script) < 2_000_000 < len(plotlyjs.full_bundle().script)
    assert brotli.decompress(bundle.encoded["br"]) == bundle.script
    assert gzip.decompress(bundle.encoded["gzip"]) == bundle.script
    assert bundle.name.startswith(f"plotly-{bundle.version}-timeline-") and bundle.digest[:16] in bundle.name


def test_a_stale_or_tampered_bundle_is_not_used(tmp_path, bundle):
    for name in ("manifest.json", "plotly.min.js", "plotly.min.js.br", "plotly.min.js.gz"):
        (tmp_path / name).write_bytes((plotlyjs.BUNDLE_DIR / name).read_bytes())
    assert plotlyjs.small_bundle(tmp_path) == bundle
    manifest = json.loads((tmp_path / "manifest.json").read_text())
    (tmp_path / "manifest.json").write_text(json.dumps({**manifest, "plotlyjs": "1.0.0"}))
    assert plotlyjs.small_bundle(tmp_path) is None  # built for another plotly.js
    (tmp_path / "manifest.json").write_text(json.dumps(manifest))
    (tmp_path / "plotly.min.js").write_bytes(bundle.script + b";")
    assert plotlyjs.small_bundle(tmp_path) is None  # digest differs
    (tmp_path / "plotly.min.js").unlink()
    assert plotlyjs.small_bundle(tmp_path) is None


def test_in_a_browser_the_bundle_registers_exactly_its_trace_types(bundle):
    require_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            errors = []
            page.on("pageerror", lambda e: errors.append(str(e)))
            # In <head>, before <body> exists: the standalone page inlines it there.
            page.set_content(f"<!DOCTYPE html><html><head><script>{bundle.text()}</script></head><body></body></html>")
            found = page.evaluate("() => ({version: Plotly.version, traces: Object.keys(Plotly.PlotSchema.get().traces)})")
            page.evaluate("() => { window.firstPlotly = window.Plotly; }")
            page.add_script_tag(content=bundle.text())  # dcc.Graph may load it again: nothing is redefined
            found["same"] = page.evaluate("() => window.Plotly === window.firstPlotly")
        finally:
            browser.close()
    assert not errors, errors
    assert found["version"] == bundle.version
    assert set(found["traces"]) == wanted_traces()
    assert found["same"]


# --------------------------------------------------------------------------- the route


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    app = create_app([], frame=synthetic_frame(50, seed=1),
                     overrides_path=tmp_path_factory.mktemp("library") / "overrides.csv")
    return app.server.test_client()


def test_the_dashboard_loads_the_bundle_not_dashs_plotly(client, bundle):
    page = client.get("/").get_data(as_text=True)
    assert f'<script src="{library.library_url()}">' in page  # before Dash's renderer: window.Plotly is there
    assert "plotly.min.js" not in page.replace(bundle.name, "")


def test_the_library_defines_plotly_once_however_often_it_runs(bundle):
    head, tail = bundle.text()[:400], bundle.text()[-50:]
    assert "if (!window.Plotly) {" in head and tail.rstrip().endswith("}")


@pytest.mark.parametrize("accept, encoding", [
    ("gzip, deflate, br", "br"), ("gzip", "gzip"), ("br;q=0.5, gzip", "gzip"), ("identity", None), ("", None),
])
def test_the_route_sends_the_encoding_the_browser_prefers(client, bundle, accept, encoding):
    answer = client.get(library.library_url(), headers={"Accept-Encoding": accept})
    assert answer.status_code == 200
    assert answer.headers.get("Content-Encoding") == encoding
    assert answer.get_data() == (bundle.encoded[encoding] if encoding else bundle.script)
    assert answer.headers["Cache-Control"] == library.IMMUTABLE
    assert "Accept-Encoding" in answer.headers["Vary"]
    assert answer.mimetype == "text/javascript"


def test_the_route_answers_a_revalidation_with_304_and_other_names_with_404(client):
    url = library.library_url()
    etag = client.get(url, headers={"Accept-Encoding": "br"}).headers["ETag"]
    again = client.get(url, headers={"Accept-Encoding": "br", "If-None-Match": etag})
    assert again.status_code == 304 and not again.get_data()
    other = client.get(url, headers={"Accept-Encoding": "gzip", "If-None-Match": etag})
    assert other.status_code == 200  # each encoding its own ETag
    assert client.get(library.LIBRARY_PREFIX + "plotly-4.0.0-timeline-0000000000000000.min.js").status_code == 404
    escape = client.get(library.LIBRARY_PREFIX + "..%2F..%2Fexport%2Fplotlyjs.py")  # Dash's page, if anything
    assert b"def chart_library" not in escape.get_data() and escape.headers.get("Cache-Control") != library.IMMUTABLE


def test_an_embeds_etag_changes_with_the_library_it_loads(client, monkeypatch):
    """A browser revalidating an embed after the library was rebuilt gets the new page (and
    the new library's name), never a 304 for a page naming a library that is gone."""
    from timeline.webapp import embed

    first = client.get("/embed?view=timeline").headers["ETag"]
    assert client.get("/embed?view=timeline", headers={"If-None-Match": first}).status_code == 304
    monkeypatch.setattr(library, "embed_src", lambda: "_timeline/plotly-9.9.9-timeline-0123456789abcdef.min.js")
    embed.page_code.cache_clear()
    try:
        again = client.get("/embed?view=timeline", headers={"If-None-Match": first})
        assert again.status_code == 200 and again.headers["ETag"] != first
    finally:
        monkeypatch.undo()
        embed.page_code.cache_clear()
