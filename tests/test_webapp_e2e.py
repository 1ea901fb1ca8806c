"""The dashboard in a real browser: headless Chromium (Debian's, /usr/bin/chromium) driven
by Playwright against the app served on a free localhost port.

Every page is guarded: a request to any host but 127.0.0.1/localhost is aborted and fails
the test, and so does any console error. Skipped only off CI when Chromium is missing;
on CI (CI=true) a missing browser fails.
"""
from __future__ import annotations

import re

import json
import shutil
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlparse

import pytest
from conftest import event_record, served

from timeline import categories, figures
from timeline import frame as fr
from timeline.synth import synthetic_frame
from timeline.webapp import create_app, views
from timeline.webapp.filters import Filters, filter_frame, in_range

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
# Stories from other regions: three short articles each, written for the tests.
OTHER_STORIES = {name: ROOT / "tests" / "corpus" / name for name in ("middle_east", "south_china_sea", "african_union")}
SEED_OVERLAYS = {"Route of the freed prisoners", "Border crossing", "Crossing used on the route"}
SEED_COUNTRY_NAMES = {"BELARUS", "LITHUANIA", "POLAND", "LATVIA", "UKRAINE", "RUSSIA"}
LOCAL_HOSTS = {"127.0.0.1", "localhost"}
TIMEOUT_MS = 20_000
NEW_ARTICLE = ("Border closed\n\nVILNIUS: Lithuania closed two border crossings with Belarus on 28 October 2025 "
               "after smugglers' balloons drifted into its airspace, the government said.\n\n"
               "Published: 29 October 2025\n")

# JS: per graph, the events its traces stand for (sum of customdata lengths), and the
# markers and bars drawn in the main plot (not the range slider's copies).
TIMELINE_EVENTS = """() => ((document.querySelector('#timeline-graph .js-plotly-plot') || {}).data || [])
    .reduce((n, t) => n + (t.customdata ? t.customdata.length : 0), 0)"""
TIMELINE_DRAWN = """() => document.querySelectorAll(
    '#timeline-graph .cartesianlayer .subplot.xy .scatterlayer .point,' +
    '#timeline-graph .cartesianlayer .subplot.xy .barlayer .point').length"""
MAP_PLACES = """() => ((document.querySelector('#map-graph .js-plotly-plot') || {}).data || [])
    .reduce((n, t) => n + (t.customdata ? t.customdata.length : 0), 0)"""
MAP_DRAWN = "() => document.querySelectorAll('#map-graph .scattergeo .point').length"


def expect(locator):
    """Playwright's retrying assertions (imported late: the module must load without it)."""
    from playwright.sync_api import expect as _expect

    _expect.set_options(timeout=TIMEOUT_MS)
    return _expect(locator)


class Site:
    def __init__(self, app, url: str, corpus: Path):
        self.app, self.url, self.corpus = app, url, corpus

    @property
    def frame(self):
        return self.app.corpus.snapshot().frame


@contextmanager
def serve(folder: Path, frame=None, articles: Path = SEEDS):
    """The app on a copy of the `articles` (default the seeds) in `folder` (or on `frame`),
    on a free port, in a thread."""
    corpus = folder / "corpus"
    corpus.mkdir()
    if frame is None:
        for f in [*articles.glob("*.txt"), *articles.glob("story.yaml")]:
            shutil.copy(f, corpus / f.name)
        app = create_app([corpus])
    else:
        app = create_app([], frame=frame, overrides_path=corpus / "overrides.csv", upload_dir=corpus / "uploads")
    with served(app.server) as url:
        yield Site(app, f"{url}/", corpus)


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    with serve(tmp_path_factory.mktemp("site")) as s:
        yield s


@pytest.fixture(scope="module")
def large_site(tmp_path_factory):
    """Synthetic events, twice LARGE_FRAME: the timeline groups what is not in view."""
    with serve(tmp_path_factory.mktemp("large"), frame=synthetic_frame(figures.LARGE_FRAME * 2, seed=3)) as s:
        yield s


@pytest.fixture
def fresh_site(tmp_path):
    """A site of its own, for tests that change the corpus."""
    with serve(tmp_path) as s:
        yield s


class Guard:
    """Requests to other hosts (aborted) and console errors seen by one page."""

    def __init__(self):
        self.foreign: list[str] = []
        self.errors: list[str] = []
        self.requests: list[str] = []

    def route(self, route):
        url = route.request.url
        self.requests.append(url)
        if urlparse(url).scheme in ("data", "blob") or urlparse(url).hostname in LOCAL_HOSTS:
            route.continue_()
        else:
            self.foreign.append(url)
            route.abort()


def open_page(browser, url: str, width: int = 1440, height: int = 1000):
    context = browser.new_context(viewport={"width": width, "height": height})
    guard = Guard()
    context.route("**/*", guard.route)
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    page.on("console", lambda m: guard.errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: guard.errors.append(f"uncaught: {e}"))
    page.goto(url)
    page.wait_for_selector("#timeline-graph .cartesianlayer .subplot.xy .point")
    page.wait_for_selector("#map-graph .scattergeo .point")
    return context, page, guard


@pytest.fixture
def page_of(browser):
    """Open pages; after the test, fail on any foreign request or console error."""
    opened = []

    def make(site: Site, **kw):
        context, page, guard = open_page(browser, site.url, **kw)
        opened.append((context, guard))
        page.guard = guard
        return page

    yield make
    for context, guard in opened:
        context.close()
    for _, guard in opened:
        assert guard.foreign == [], f"requests to other hosts: {guard.foreign}"
        assert guard.errors == [], f"console errors: {guard.errors}"


def wait_for_count(page, script: str, expected: int) -> None:
    page.wait_for_function(f"() => ({script})() === {expected}")


def choose(page, dropdown_id: str, label: str) -> None:
    page.click(f"#{dropdown_id}")
    page.get_by_role("option", name=label, exact=True).click()
    page.keyboard.press("Escape")


# --------------------------------------------------------------------------- tests

def test_the_page_loads_offline_with_its_map_geometry_and_credits(site, page_of):
    page = page_of(site)
    assert page.title() == "timeline"
    assert page.inner_text("h1") == "Freed Belarusian prisoners cross into Lithuania"  # its story file's title
    assert any(urlparse(u).path == "/assets/topojson/europe_50m.json" for u in page.guard.requests)
    # Country outlines drawn from the local geometry.
    assert page.evaluate("() => (document.querySelector('#map-graph .countries path') || {}).getAttribute ? "
                         "document.querySelector('#map-graph .countries path').getAttribute('d').length : 0") > 1000
    credits = page.inner_text("footer")
    assert "Natural Earth" in credits and "GeoNames" in credits and "CC BY 4.0" in credits


MAP_VIEW = """() => { const gd = document.querySelector('#map-graph .js-plotly-plot'), geo = gd._fullLayout.geo;
    return {lat: geo.lataxis.range, lon: geo.lonaxis.range, traces: gd.data.map(t => t.name),
            countries: gd.data.filter(t => t.name === 'Countries').flatMap(t => t.text)}; }"""


def placed_share_in_view(frame, view: dict) -> float:
    """The share of the frame's placed events inside the map's view as the browser drew it."""
    placed = frame[frame["lat"].notna() & frame["lon"].notna()]
    (lat0, lat1), (lon0, lon1) = view["lat"], view["lon"]
    inside = placed["lat"].between(lat0, lat1) & placed["lon"].between(lon0, lon1)
    return float(inside.mean())


@pytest.fixture(scope="module", params=sorted(OTHER_STORIES))
def story_site(request, tmp_path_factory):
    with serve(tmp_path_factory.mktemp(request.param), articles=OTHER_STORIES[request.param]) as s:
        yield s


def test_a_story_from_another_region_opens_on_its_events_without_the_seeds_overlays(story_site, page_of):
    page = page_of(story_site)
    view = page.evaluate(MAP_VIEW)
    frame = story_site.frame
    assert int(frame["lat"].notna().sum()) >= 8
    assert placed_share_in_view(frame, view) >= 0.8
    assert not SEED_OVERLAYS & set(view["traces"])
    # the names of its own countries, none of the seed's
    assert view["countries"] and not SEED_COUNTRY_NAMES & set(view["countries"])
    # what lies outside the view is named under the map
    outside = figures.outside_note(frame, (tuple(view["lat"]), tuple(view["lon"])))
    if outside:
        expect(page.locator("#map-graph .annotation-text").filter(has_text="Outside the map")).to_have_count(1)


def test_the_seed_opens_with_minsk_vilnius_the_crossing_and_the_route(site, page_of):
    view = page_of(site).evaluate(MAP_VIEW)
    (lat0, lat1), (lon0, lon1) = view["lat"], view["lon"]
    for lat, lon in ((53.902, 27.562), (54.687, 25.280), (54.539, 25.650)):  # Minsk, Vilnius, Medininkai
        assert lat0 < lat < lat1 and lon0 < lon < lon1
    assert SEED_OVERLAYS <= set(view["traces"])
    assert set(view["countries"]) == SEED_COUNTRY_NAMES  # its story file's names
    assert placed_share_in_view(site.frame, view) >= 0.8


def test_fit_to_events_fits_the_map_to_the_filtered_events_and_filters_then_leave_it(site, page_of):
    page = page_of(site)
    page.goto(site.url + "?country=US")
    expect(page.locator("#filter-summary")).to_have_text(re.compile("^Showing"))
    page.wait_for_selector("#map-graph .scattergeo .point")
    story = page.evaluate(MAP_VIEW)
    assert story["lat"] == list(site.app.corpus.snapshot().map_view[0])  # filters do not move the map
    page.click("#map-fit")
    page.wait_for_function("() => document.querySelector('#map-graph .js-plotly-plot')._fullLayout.geo"
                           f".lataxis.range[0] !== {story['lat'][0]}")
    fitted = page.evaluate(MAP_VIEW)
    us = filter_frame(site.frame, Filters.of(countries=["US"]))
    assert fitted["lat"] == views.fitted_view(us, None)[0]
    assert fitted["lon"][1] - fitted["lon"][0] > story["lon"][1] - story["lon"][0]  # out to the United States
    places = page.evaluate(MAP_PLACES)
    choose(page, "filter-country", "Belarus (BY)")  # more events drawn, the fitted view kept
    page.wait_for_function(f"() => ({MAP_PLACES})() > {places}")
    assert page.evaluate(MAP_VIEW)["lat"] == fitted["lat"]


def test_the_guard_fails_a_request_to_another_host(site, page_of):
    page = page_of(site)
    page.evaluate("() => fetch('https://example.org/x').catch(() => null)")
    page.wait_for_timeout(200)
    assert page.guard.foreign == ["https://example.org/x"]
    page.guard.foreign.clear()  # it did its job; the fixture would fail the test otherwise
    page.guard.errors.clear()


def _dated(frame) -> int:
    return int((frame["dated"] & frame["date"].notna()).sum())


def _placed(frame) -> int:
    return sum(len(t.customdata) for t in figures.map_figure(frame).data if t.customdata is not None)


def test_both_graphs_draw_the_seed_events(site, page_of):
    """The page opens on the likely events (`Filters()`); "All rows" draws every row."""
    frame = site.frame
    likely = filter_frame(frame, Filters())
    assert _dated(likely) >= 11 and _placed(likely) >= 3 and len(likely) < len(frame)
    page = page_of(site)
    assert page.evaluate(TIMELINE_EVENTS) == _dated(likely)
    assert page.evaluate(TIMELINE_DRAWN) == _dated(likely)
    assert page.evaluate(MAP_PLACES) == _placed(likely)
    assert page.evaluate(MAP_DRAWN) >= _placed(likely)
    expect(page.locator("#event-list li")).to_have_count(len(likely))
    expect(page.locator("#filter-summary")).to_have_text(f"Showing {len(likely)} of {len(frame)} events")
    page.get_by_label("All rows").check()
    wait_for_count(page, TIMELINE_EVENTS, _dated(frame))
    assert page.evaluate(TIMELINE_DRAWN) == _dated(frame)
    wait_for_count(page, MAP_PLACES, _placed(frame))
    expect(page.locator("#event-list li")).to_have_count(len(frame))
    expect(page.locator("#filter-summary")).to_have_text(f"All {len(frame)} events")


def test_clicking_an_event_shows_its_evidence_with_the_date_marked(site, page_of):
    page = page_of(site)
    point = page.locator("#timeline-graph .cartesianlayer .subplot.xy .scatterlayer .point").first
    box = point.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    card = page.wait_for_selector("#event-detail [data-event-id]")
    event_id = card.get_attribute("data-event-id")
    row = site.frame.set_index("event_id").loc[event_id]
    assert page.inner_text("#detail-evidence").strip() == row["sentence"].strip()
    assert page.inner_text("#detail-title") == row["title"]
    mark = page.locator("#detail-evidence mark")
    if views.evidence_parts(row["sentence"], row["date_text"])[1]:
        assert mark.inner_text().casefold() == row["date_text"].casefold()
    # The map highlights the selection.
    page.wait_for_function("() => document.querySelector('#map-graph .js-plotly-plot').data"
                           ".some(t => t.name === 'Selected')")
    assert page.evaluate("() => document.querySelector('#timeline-graph .js-plotly-plot').data"
                         ".some(t => t.name === 'Selected' || (t.selectedpoints || []).length > 0)")


def test_the_event_list_selects_by_keyboard(site, page_of):
    page = page_of(site)
    first = site.frame.iloc[0]
    page.focus("#event-list button")
    page.keyboard.press("Enter")
    page.wait_for_selector(f"#event-detail [data-event-id='{first['event_id']}']")
    assert page.inner_text("#detail-evidence").strip() == first["sentence"].strip()


def test_a_category_filter_narrows_both_views(site, page_of):
    frame = site.frame
    military = filter_frame(frame, Filters.of(categories=["military"]))
    dated = int((military["dated"] & military["date"].notna()).sum())
    places = sum(len(t.customdata) for t in figures.map_figure(military).data if t.customdata is not None)
    all_places = sum(len(t.customdata) for t in figures.map_figure(frame).data if t.customdata is not None)
    assert 0 < dated < int(frame["dated"].sum()) and places < all_places
    page = page_of(site)
    choose(page, "filter-category", "Military")
    wait_for_count(page, TIMELINE_EVENTS, dated)
    wait_for_count(page, MAP_PLACES, places)
    assert page.evaluate(TIMELINE_DRAWN) == dated
    expect(page.locator("#event-list li")).to_have_count(len(military))
    expect(page.locator("#filter-summary")).to_have_text(f"Showing {len(military)} of {len(frame)} events")
    page.click("#clear-filters")
    wait_for_count(page, TIMELINE_EVENTS, _dated(filter_frame(frame, Filters())))


def test_the_timelines_visible_range_filters_the_map(site, page_of):
    page = page_of(site)
    # the map's first answer in (its note says what it shows) before the reader zooms
    expect(page.locator("#map-note")).to_contain_text("known place")
    everywhere = page.evaluate(MAP_PLACES)
    page.locator("#timeline-graph .rangeselector .button", has_text="6 weeks").click()
    page.wait_for_function(f"() => ({MAP_PLACES})() < {everywhere}")
    expect(page.locator("#map-note")).to_contain_text("visible range")
    page.locator("#timeline-graph .rangeselector .button", has_text="All").click()
    wait_for_count(page, MAP_PLACES, everywhere)


TIMELINE_VIEW = """() => { const gd = document.querySelector('#timeline-graph .js-plotly-plot');
    return {range: gd._fullLayout.xaxis.range, autorange: gd._fullLayout.xaxis.autorange,
            singles: gd.data.flatMap(t => (t.customdata || []).filter(c => !String(c).startsWith('@'))),
            groups: gd.data.reduce((n, t) =>
                n + (t.customdata || []).filter(c => String(c).startsWith('@days|')).length, 0),
            overview: document.querySelectorAll('#timeline-graph .rangeslider-rangeplot .point').length}; }"""


def test_zooming_a_large_timeline_redraws_it_once_in_detail_where_the_reader_left_it(large_site, page_of):
    page = page_of(large_site)
    redraws = []
    page.on("request", lambda r: redraws.append(r) if urlparse(r.url).path == "/_dash-update-component" and json.loads(
        r.post_data or "{}").get("output", "").startswith("..timeline-graph.figure") else None)
    opening = page.evaluate(TIMELINE_VIEW)
    assert opening["groups"] > 0 and opening["overview"] > 0  # the range slider shows the whole span
    zoom = ["2025-08-10 06:30:00.25", "2025-08-17 18:00"]
    page.evaluate(f"() => Plotly.relayout(document.querySelector('#timeline-graph .js-plotly-plot'), "
                  f"{{'xaxis.range': {json.dumps(zoom)}}})")  # as a drag on the plot or the slider does
    week = set(in_range(large_site.frame, ["2025-08-11", "2025-08-17"]).query("granularity == 'day'")["event_id"])
    page.wait_for_function(f"() => ({TIMELINE_VIEW})().singles.filter(i => {json.dumps(sorted(week))}"
                           f".includes(i)).length === {len(week)}")
    page.wait_for_timeout(1_500)  # a relayout answered by a redraw answered by a relayout ... would show here
    zoomed = page.evaluate(TIMELINE_VIEW)
    assert len(redraws) == 1
    assert set(zoomed["singles"]) == week and 0 < len(week) <= figures.DETAIL_MARKERS
    assert [str(v)[:19] for v in zoomed["range"]] == ["2025-08-10 06:30:00", "2025-08-17 18:00:00"]
    page.locator("#timeline-graph .rangeselector .button", has_text="All").click()
    page.wait_for_function(f"() => ({TIMELINE_VIEW})().singles.length === 0")
    page.wait_for_timeout(1_000)
    assert len(redraws) == 2 and page.evaluate(TIMELINE_VIEW)["autorange"] is True


def test_a_filter_matching_nothing_shows_an_empty_state(site, page_of):
    page = page_of(site)
    page.fill("#filter-text", "zzzz-no-such-words")
    page.keyboard.press("Enter")
    page.wait_for_selector("#event-list li.empty")
    page.locator("#timeline-graph").get_by_text("No events match").wait_for()
    wait_for_count(page, MAP_PLACES, 0)


def test_url_parameters_set_the_filters_and_nonsense_is_ignored(site, browser, page_of):
    frame = site.frame
    page = page_of(site)
    page.goto(site.url + "?category=military&lanes=nonsense&from=never")
    military = filter_frame(frame, Filters.of(categories=["military"]))
    wait_for_count(page, TIMELINE_EVENTS, int((military["dated"] & military["date"].notna()).sum()))
    page.goto(site.url + "?category=nonsense&country=ZZ&show=some&%%%")
    likely = filter_frame(frame, Filters())
    wait_for_count(page, TIMELINE_EVENTS, _dated(likely))
    expect(page.locator("#filter-summary")).to_have_text(f"Showing {len(likely)} of {len(frame)} events")
    page.goto(site.url + "?show=all")
    wait_for_count(page, TIMELINE_EVENTS, _dated(frame))
    expect(page.locator("#filter-summary")).to_have_text(f"All {len(frame)} events")


def test_an_upload_adds_events_and_names_a_bad_file(fresh_site, page_of):
    page = page_of(fresh_site)
    before = page.evaluate(TIMELINE_EVENTS)
    page.set_input_files("#upload input[type=file]", files=[
        {"name": "border.txt", "mimeType": "text/plain", "buffer": NEW_ARTICLE.encode()},
        {"name": "binary.txt", "mimeType": "text/plain", "buffer": bytes(range(256)) * 4},
    ])
    page.wait_for_selector("#upload-status li.ok")
    status = page.inner_text("#upload-status")
    assert "border.txt: 1 article added" in status and "binary.txt" in status
    page.wait_for_function(f"() => ({TIMELINE_EVENTS})() > {before}")
    assert (fresh_site.corpus / "uploads" / "border.txt").exists()
    expect(page.locator("#event-list li", has_text="closed two border crossings")).to_have_count(1)


def retold(code: str, source: str) -> bytes:
    """The seed story retold in language `code` (tests/data/seed/) as a Markdown upload with
    its publication date and source in front matter."""
    text = (ROOT / "tests" / "data" / "seed" / f"{code}.txt").read_text(encoding="utf-8")
    return f"---\npublished: 2025-09-12\nsource: {source}\n---\n\n{text}".encode()


def test_russian_and_lithuanian_uploads_join_the_story_and_the_language_filter_shows_them(fresh_site, page_of):
    page = page_of(fresh_site)
    rows = len(fresh_site.frame)
    page.set_input_files("#upload input[type=file]", files=[
        {"name": "nasha-niva.md", "mimeType": "text/markdown", "buffer": retold("ru", "Nasha Niva")},
        {"name": "lrt.md", "mimeType": "text/markdown", "buffer": retold("lt", "LRT")}])
    page.wait_for_selector("#upload-status li.ok")
    status = page.inner_text("#upload-status")
    assert "nasha-niva.md: 1 article added" in status and "lrt.md: 1 article added" in status
    page.wait_for_function("() => document.querySelectorAll('#event-list li').length > 0")
    frame = fresh_site.frame
    assert set(frame["language"]) >= {"en", "ru", "lt"}
    # the release of 11 September is one row, read in English, with both new sources
    release = frame[(frame["timex"] == "2025-09-11") & frame["sources"].map(lambda s: "LRT" in s)]
    assert len(release) == 1 and {"Dawn", "Nasha Niva", "LRT"} <= set(release.iloc[0]["sources"])
    assert len(frame) < rows + 2 * 6  # the six events each retelling gives mostly joined the seed's
    choose(page, "filter-language", "Lithuanian (lt)")
    lithuanian = filter_frame(frame, Filters.of(languages=["lt"]))
    assert len(lithuanian) and set(lithuanian["language"]) == {"lt"}
    wait_for_count(page, TIMELINE_EVENTS, _dated(lithuanian))
    expect(page.locator("#event-list li", has_text="demokratijos protestų")).to_have_count(1)
    expect(page.locator("#event-list li", has_text="Лукашенко")).to_have_count(0)
    assert "lang=lt" in page.evaluate("() => document.querySelector('#embed-url').textContent")


def test_an_editor_starts_a_story_by_dropping_articles_and_its_dashboard_opens_at_its_address(fresh_site, page_of):
    page = page_of(fresh_site)
    page.fill("#new-story-name", "border-closures")
    page.set_input_files("#new-story-upload input[type=file]", files=[
        {"name": "border.txt", "mimeType": "text/plain", "buffer": NEW_ARTICLE.encode()}])
    page.wait_for_selector("#new-story-link")
    assert "border.txt: 1 article added" in page.inner_text("#new-story-status")
    page.click("#new-story-link")
    page.wait_for_url("**/s/border-closures/")
    page.wait_for_selector("#timeline-graph .cartesianlayer .subplot.xy .point")
    page.wait_for_selector("#map-graph .scattergeo .point")
    assert page.inner_text("#corpus-summary").startswith("1 event from 1 article")
    expect(page.locator("#event-list li", has_text="closed two border crossings")).to_have_count(1)
    expect(page.locator("#embed-url")).to_have_text(re.compile(r"/embed\?story=border-closures$"))
    # The story's own scripts and styles come from under its address; the chart library
    # and the map geometry from the server's root, shared with every story.
    paths = {urlparse(u).path for u in page.guard.requests}
    assert "/s/border-closures/_dash-layout" in paths and "/assets/topojson/europe_50m.json" in paths
    assert len(fresh_site.app.corpus.snapshot().frame) > 1  # the server's own story is untouched


def test_markup_in_an_article_shows_as_text_and_runs_nothing(fresh_site, page_of):
    hostile = ('Markup\n\nVILNIUS: Lithuania closed the <img src=x onerror="window.__xss=1"> border with Belarus '
               'on 28 October 2025, the government said <script>window.__xss=2</script>.\n\n'
               'Published: 29 October 2025\n')
    page = page_of(fresh_site)
    page.set_input_files("#upload input[type=file]",
                         files=[{"name": "markup.txt", "mimeType": "text/plain", "buffer": hostile.encode()}])
    page.wait_for_selector("#upload-status li.ok")
    item = page.locator("#event-list button", has_text="onerror")
    item.click()
    page.wait_for_selector("#detail-evidence mark")
    assert '<img src=x onerror="window.__xss=1">' in page.inner_text("#detail-title")
    assert "<script>window.__xss=2</script>" in page.inner_text("#detail-evidence")
    assert page.inner_text("#detail-evidence mark") == "28 October 2025"
    page.fill("#filter-text", "onerror")
    page.keyboard.press("Enter")
    page.locator("#event-table td", has_text='<img src=x onerror="window.__xss=1">').first.wait_for()
    # Hover labels: plotly is given escaped text.
    hovers = page.evaluate("() => document.querySelector('#timeline-graph .js-plotly-plot').data"
                           ".flatMap(t => t.hovertext || []).join(' ')")
    assert "&lt;img" in hovers and "<img" not in hovers
    assert page.evaluate("() => window.__xss") is None
    assert page.locator("#event-detail img, #event-list img, #event-table img, #event-detail script").count() == 0


def test_a_table_edit_updates_the_views_and_the_history_of_corrections(fresh_site, page_of):
    page = page_of(fresh_site)
    first = fresh_site.frame.iloc[0]
    cell = page.locator("#event-table td[data-dash-column='title']").first
    cell.click()
    page.keyboard.type("Corrected by the desk")
    page.keyboard.press("Enter")
    page.wait_for_selector("#edit-status li.ok")
    page.wait_for_selector("#event-list li >> text=Corrected by the desk")
    [kept] = fresh_site.app.corpus.history.log()
    assert (kept.event_id, kept.field, kept.value, kept.who) == (first["event_id"], "title", "Corrected by the desk",
                                                                 "local")
    assert kept.old_value == first["title"]


@pytest.mark.parametrize("width", [360, 1440])
def test_the_page_fits_the_screen_without_sideways_scrolling(site, page_of, width):
    page = page_of(site, width=width, height=900)
    assert page.evaluate("() => document.documentElement.scrollWidth") <= width
    # Keyboard focus is visible: the focused control gets an outline.
    page.focus("#clear-filters")
    page.keyboard.press("Tab")
    page.keyboard.press("Shift+Tab")
    outline = page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle")
    assert outline not in ("", "none")


def test_the_download_button_gives_a_print_ready_png_of_the_filtered_events(site, page_of):
    from PIL import Image

    page = page_of(site)
    choose(page, "filter-category", "Military")
    with page.expect_download(timeout=60_000) as info:
        page.click("#export-button")
    download = info.value
    assert download.suggested_filename == "timeline.png"
    image = Image.open(download.path())
    assert image.size[0] == 2126 and round(image.info["dpi"][0]) == 300
    military = filter_frame(site.frame, Filters.of(categories=["military"]))
    expect(page.locator("#export-status")).to_contain_text(f"{len(military)} events")


# --------------------------------------------------------------------------- categories

# JS: per scatter trace of the timeline's main plot as drawn, the events it stands for and the
# fill and outline path of each marker it drew.
TIMELINE_MARKERS = """() => Array.from(document.querySelectorAll(
    '#timeline-graph .cartesianlayer .subplot.xy .scatterlayer .trace')).map(g => {
        const trace = (g.__data__ && g.__data__[0] && g.__data__[0].trace) || {};
        return {ids: trace.customdata || [], symbol: (trace.marker || {}).symbol,
                points: Array.from(g.querySelectorAll('.point')).map(p => ({fill: p.style.fill,
                                                                           path: p.getAttribute('d')}))};
    })"""


def rgb(colour: str) -> str:
    """'#999933' as the browser writes a computed colour: 'rgb(153, 153, 51)'."""
    return "rgb({}, {}, {})".format(*(int(colour[i:i + 2], 16) for i in (1, 3, 5)))


@pytest.fixture(scope="module")
def border_site(tmp_path_factory):
    """Two events: a border closure and a release (drawn as a circle, like 'other')."""
    frame = fr.from_records([
        event_record(event_id="border-1", category="border", title="Lithuania closes two border crossings",
                     date="2025-10-28", end="2025-10-28", timex="2025-10-28", places=["Medininkai"],
                     countries=["LT"], lat=54.54, lon=25.65),
        event_record(event_id="release-1"),
    ])
    with serve(tmp_path_factory.mktemp("border"), frame=frame) as s:
        yield s


def test_border_events_have_their_own_colour_and_symbol_on_the_timeline_and_in_its_key(border_site, page_of):
    assert categories.symbol("border") != categories.symbol("other") == categories.symbol("release") == "circle"
    page = page_of(border_site, width=360, height=900)  # narrow: the page's key stands for the legend
    traces = page.evaluate(TIMELINE_MARKERS)
    [border] = [t for t in traces if "border-1" in t["ids"]]
    [release] = [t for t in traces if "release-1" in t["ids"]]
    assert border["points"] and release["points"]
    assert {p["fill"] for p in border["points"]} == {rgb(categories.colour("border"))} == {rgb("#999933")}
    assert border["symbol"] not in ("circle", 0, "0") and release["symbol"] in ("circle", 0, "0")
    # The marker as drawn: an outline of its own, not the circle's.
    assert {p["path"] for p in border["points"]}.isdisjoint(p["path"] for p in release["points"])
    key = page.locator("#timeline-key li", has_text="Border")
    expect(key).to_have_count(1)
    symbol = key.locator(".key-symbol")
    expect(symbol).to_have_text(categories.get("border").mark)
    assert categories.get("border").mark != categories.get("other").mark
    assert symbol.evaluate("e => getComputedStyle(e).color") == rgb(categories.colour("border"))


def test_a_store_opens_on_its_latest_part_and_a_bar_of_the_overview_shows_its_month(tmp_path, page_of, monkeypatch):
    from timeline.archive import serving
    from timeline.archive.store import partitions_of, write_events

    monkeypatch.setattr(serving, "WINDOW_EVENTS", 500)
    frame = synthetic_frame(3_000, seed=5)
    store = tmp_path / "store"
    partitions = partitions_of(frame)
    for partition in sorted(set(partitions)):
        write_events(store, partition, frame.loc[(partitions == partition).to_numpy()])
    app = create_app([], store=store)
    with served(app.server) as url:
        page = page_of(Site(app, f"{url}/", store))
        expect(page.locator("#filter-summary")).to_contain_text("This archive holds 3,000 events: the latest 500")
        bar = page.locator("#overview-graph .barlayer .point").first
        box = bar.bounding_box()
        page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        expect(page.locator("#filter-from")).to_have_value(re.compile(r"^\d{4}-\d{2}-01$"))
        start, end = page.input_value("#filter-from"), page.input_value("#filter-to")
        month = filter_frame(frame, Filters.of(start=start, end=end))
        assert 0 < len(month) < 500 and end[:7] == start[:7]
        expect(page.locator("#filter-summary")).to_have_text(f"Showing {len(month)} of 3,000 events")
        wait_for_count(page, TIMELINE_EVENTS, int((month["dated"] & month["date"].notna()).sum()))
