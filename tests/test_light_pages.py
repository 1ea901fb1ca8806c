"""Bytes on the wire (issue 16), counted by Chromium itself (the DevTools protocol's
encodedDataLength: compressed bodies and headers, nothing from the cache), on the seed
story served as `make run` serves it, each visit in a fresh browser profile unless said:

- the dashboard's first visit <= 1.5 MB;
- /embed's first visit <= 0.8 MB;
- a second, differently filtered embed in the same browser <= 0.1 MB (the chart library
  comes from the cache).

Each visit includes the reader reaching for the chart (a light page loads the chart library
only then): the budgets hold for a reader who interacts, the heaviest case.

Every page also stays offline (no request to another host) and loads no MathJax."""
from __future__ import annotations

from urllib.parse import urlparse

import pytest
from test_webapp_e2e import serve

MB = 1_000_000
DASHBOARD_BUDGET, EMBED_BUDGET, SECOND_EMBED_BUDGET = 1.5 * MB, 0.8 * MB, 0.1 * MB


class Wire:
    """What one page received over the network, from Chromium's own accounting."""

    def __init__(self, context, page):
        self.bytes: dict[str, int] = {}
        self.urls: dict[str, str] = {}
        cdp = context.new_cdp_session(page)
        cdp.on("Network.requestWillBeSent", lambda e: self.urls.__setitem__(e["requestId"], e["request"]["url"]))
        cdp.on("Network.loadingFinished", lambda e: self.bytes.__setitem__(e["requestId"], e["encodedDataLength"]))
        cdp.send("Network.enable")

    @property
    def total(self) -> int:
        return sum(self.bytes.values())

    def report(self) -> str:
        biggest = sorted(self.bytes.items(), key=lambda kv: -kv[1])[:6]
        return ", ".join(f"{urlparse(self.urls.get(k, '?')).path} {v:,}" for k, v in biggest)

    def foreign(self) -> list[str]:
        return [u for u in self.urls.values()
                if urlparse(u).scheme not in ("data", "blob") and urlparse(u).hostname not in ("127.0.0.1", "localhost")]


@pytest.fixture(scope="module")
def seed_site(tmp_path_factory):
    with serve(tmp_path_factory.mktemp("light")) as site:
        yield site


def visit(context, url: str, *selectors: str) -> Wire:
    """Open `url` in a new page of `context`, reach for the chart as a reader does (the
    pointer over it: a light page then loads the chart library), wait for `selectors` and
    for the network to settle, scroll to the bottom (lazy parts load) and settle again."""
    page = context.new_page()
    wire = Wire(context, page)
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(url)
    page.wait_for_load_state("networkidle")
    page.mouse.move(200, 300)
    page.mouse.move(220, 320)
    for selector in selectors:
        page.wait_for_selector(selector, timeout=30_000)
    page.wait_for_load_state("networkidle")
    page.mouse.wheel(0, 5_000)
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(300)
    assert not errors, f"{url}: {errors}"
    assert not wire.foreign(), f"{url} asked other hosts: {wire.foreign()}"
    assert not [u for u in wire.urls.values() if "mathjax" in u.lower()], f"{url} loaded MathJax"
    return wire


def test_the_dashboards_first_visit_fits_its_budget(browser, seed_site):
    context = browser.new_context(viewport={"width": 1440, "height": 1000})
    try:
        wire = visit(context, seed_site.url, "#timeline-graph .scatterlayer .point", "#map-graph .scattergeo .point")
    finally:
        context.close()
    assert wire.total <= DASHBOARD_BUDGET, f"dashboard: {wire.total:,} bytes ({wire.report()})"
    assert wire.total > 100_000  # the count is real: the page and its scripts came over the wire


def test_an_embeds_first_visit_and_a_second_embed_fit_their_budgets(browser, seed_site):
    context = browser.new_context(viewport={"width": 700, "height": 900})
    try:
        first = visit(context, seed_site.url + "embed", "#timeline-graph .scatterlayer .point",
                      "#map-graph .scattergeo .point")
        second = visit(context, seed_site.url + "embed?category=release&view=timeline&theme=dark",
                       "#timeline-graph .scatterlayer .point")
    finally:
        context.close()
    assert first.total <= EMBED_BUDGET, f"first embed: {first.total:,} bytes ({first.report()})"
    assert second.total <= SECOND_EMBED_BUDGET, f"second embed: {second.total:,} bytes ({second.report()})"
    assert first.total > 300_000 > 10_000 < second.total  # the library came once, the second page itself again


def test_an_embed_nobody_touches_loads_no_chart_library(browser, seed_site):
    """A light page: a still sketch of each figure, drawn without plotly.js, until the reader
    reaches for the chart."""
    context = browser.new_context(viewport={"width": 412, "height": 823})
    try:
        page = context.new_page()
        wire = Wire(context, page)
        page.goto(seed_site.url + "embed?show=all")  # every row of the seed, not only the likely events
        page.wait_for_load_state("networkidle")
        still = page.evaluate("""() => ({sketches: document.querySelectorAll('svg.sketch').length,
            markers: document.querySelectorAll('#timeline-graph-sketch path').length,
            note: (document.querySelector('#map-graph-sketch') || {}).textContent || '',
            plotly: typeof window.Plotly})""")
        before = [u for u in wire.urls.values() if "/_timeline/" in u]
        page.mouse.move(100, 200)
        page.wait_for_selector("#timeline-graph .scatterlayer .point", timeout=30_000)
        page.wait_for_function("() => !document.querySelector('svg.sketch')")
    finally:
        context.close()
    loaded = [u for u in wire.urls.values() if "/_timeline/" in u]
    assert still["sketches"] == 2 and still["markers"] >= 10 and still["plotly"] == "undefined", still
    assert "Outside the map: United States (2)" in still["note"]  # the map's note, sketched too
    assert before == [] and len(loaded) == 1, loaded  # loaded once the pointer came over the page


_CENTRES = """(selector) => { const g = document.getElementById('timeline-graph').getBoundingClientRect();
    return [...document.querySelectorAll(selector)].map(p => { const r = p.getBoundingClientRect();
        return [r.x + r.width / 2 - g.x, r.y + r.height / 2 - g.y]; }); }"""


@pytest.mark.parametrize("width", [412, 1000])
def test_the_sketch_stands_where_the_chart_will_be(browser, seed_site, width):
    """The sketch's markers are the chart's, each within a few pixels of where plotly.js then
    draws it: the swap does not make the timeline jump."""
    context = browser.new_context(viewport={"width": width, "height": 900})
    try:
        page = context.new_page()
        page.goto(seed_site.url + "embed?view=timeline&show=all")
        page.wait_for_selector("#timeline-graph-sketch")
        sketched = page.evaluate(_CENTRES, "#timeline-graph-sketch g path")
        page.mouse.move(50, 300)
        page.wait_for_function("() => !document.querySelector('svg.sketch')")
        drawn = page.evaluate(_CENTRES, "#timeline-graph .cartesianlayer .subplot.xy .scatterlayer .point")
    finally:
        context.close()
    assert len(sketched) == len(drawn) >= 10
    limit = 25 if width < 600 else 10  # a narrow legend wraps differently: the lanes start lower
    for x, y in sketched:
        nearest = min(((x - a) ** 2 + (y - b) ** 2) ** 0.5 for a, b in drawn)
        assert nearest <= limit, (width, x, y, nearest)


def test_an_embed_with_no_events_sketches_the_charts_message(browser, seed_site):
    context = browser.new_context(viewport={"width": 600, "height": 900})
    try:
        page = context.new_page()
        errors = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(seed_site.url + "embed?q=qqqzzzxxx")
        page.wait_for_selector("#timeline-graph-sketch")
        said = page.text_content("#timeline-graph-sketch")
    finally:
        context.close()
    assert not errors, errors
    assert "No events" in said, said


def test_the_sketch_shows_plotlys_escaped_text_as_plain_text(browser):
    """Titles reach plotly escaped (& < > as entities, `figures.escape`) and plotly shows them as
    text: so does the sketch, and markup in a title never becomes an element."""
    from timeline.export.page import _sketch_js

    page = browser.new_page()
    try:
        page.set_content("<html><body><div id='timeline-graph' style='width:600px;height:400px'></div></body></html>")
        page.add_script_tag(content=_sketch_js())
        said = page.evaluate("""() => {
            const fig = {data: [{type: 'scatter', mode: 'markers', x: ['2025-09-11'], y: [0], marker: {size: 9}}],
                layout: {height: 400, xaxis: {range: ['2025-09-01', '2025-09-30']}, yaxis: {range: [-0.5, 0.5],
                    tickvals: [0], ticktext: ['Talks']}, annotations: [{xref: 'x', yref: 'y', x: '2025-09-11', y: 0,
                    text: 'Tom &amp; Jerry &lt;img src=x onerror=alert(1)&gt; <b>met</b>', xanchor: 'left'}]}};
            const svg = timelineSketch('timeline', fig, document.getElementById('timeline-graph'));
            return {text: [...svg.querySelectorAll('text')].map(t => t.textContent),
                    elements: svg.querySelectorAll('img, b').length, markers: svg.querySelectorAll('g path').length};
        }""")
    finally:
        page.close()
    assert "Tom & Jerry <img src=x onerror=alert(1)> met" in said["text"], said
    assert said["elements"] == 0 and said["markers"] == 1 and "Talks" in said["text"]


def test_a_key_loads_the_chart_and_a_failed_load_says_so_and_can_be_retried(browser, seed_site):
    context = browser.new_context(viewport={"width": 700, "height": 900})
    blocked = {"library": True}

    def route(r):
        if "/_timeline/" in r.request.url and blocked["library"]:
            r.abort()
        else:
            r.continue_()

    try:
        page = context.new_page()
        page.route("**/*", route)
        page.goto(seed_site.url + "embed?view=timeline")
        page.wait_for_selector("#timeline-graph-sketch")
        page.keyboard.press("Tab")
        status = page.locator(".chart-status")
        status.filter(has_text="could not be loaded").wait_for()
        assert page.locator("#timeline-graph-sketch").count() == 1  # the sketch stays
        blocked["library"] = False
        page.click("#timeline-graph-sketch")
        page.wait_for_selector("#timeline-graph .scatterlayer .point", timeout=30_000)
        page.wait_for_function("() => !document.querySelector('svg.sketch')")
        assert not status.is_visible()
    finally:
        context.close()


@pytest.mark.parametrize("scripts", [True, False])
def test_the_embeds_events_are_also_text(browser, seed_site, scripts):
    """The chronology as a list: open in place of the graphs without scripts, closed under
    them (one click away) with scripts; each graph points screen readers to it."""
    context = browser.new_context(java_script_enabled=scripts, viewport={"width": 600, "height": 900})
    try:
        page = context.new_page()
        page.goto(seed_site.url + "embed?show=all")
        if scripts:
            page.wait_for_selector("#timeline-graph-sketch")
        items = page.locator("#event-list li")
        shown = {"list": items.first.is_visible(), "graph": page.locator("#timeline-graph").is_visible(),
                 "described": page.get_attribute("#timeline-graph", "aria-describedby")}
        if scripts:
            page.click("#event-list summary")
            shown["after click"] = items.first.is_visible()
        count = items.count()
    finally:
        context.close()
    assert count >= 20 and shown["described"] == "event-list"
    assert shown["list"] is not scripts and shown["graph"] is scripts, shown
    assert shown.get("after click", True), shown
