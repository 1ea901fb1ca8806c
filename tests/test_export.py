"""Publishing: GeoJSON, TimelineJS export and import, print figures, the standalone page, the CLI."""
from __future__ import annotations

import json
import math
import os
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

from timeline import export as ex
from timeline import frame as F
from conftest import CHROMIUM, CHROMIUM_ARGS, event_record

from timeline.errors import ExportError, InputError
from timeline.cli.export import export as export_command
from timeline.schema import NAMES

needs_chromium = pytest.mark.skipif(not Path(CHROMIUM).exists() and os.environ.get("CI") != "true",
                                    reason="no Chromium: sudo apt-get install chromium")
TITLE = "Belarus frees 52 prisoners"


def event(**fields) -> dict:
    """A complete day event in Vilnius (conftest.event_record with a sentence naming the
    embassy, a URL with a query string and confidence 0.9); keyword arguments replace fields."""
    return event_record(**{
        "sentence": "Belarus freed 52 prisoners on Thursday, the US embassy in Vilnius said.",
        "end_char": 80, "confidence": 0.9, "url": "https://dawn.example/a?x=1&y=2", **fields})


def period(timex: str, **fields) -> dict:
    first, last, granularity = F.period_of(timex)
    return event(date=first, end=last, granularity=granularity, timex=timex, date_text="", **fields)


@pytest.fixture(scope="module")
def frame() -> pd.DataFrame:
    return F.from_records([
        event(),
        period("2025-09", event_id="ev-2", title="Poland closes its crossings", category="border",
               lat=52.076, lon=23.616, places=["Terespol"], source="AP", url=""),
        period("2021-SU", event_id="ev-3", title="Migrants cross <from> Belarus & more", category="border",
               lat=math.nan, lon=math.nan, places=[], sentence='He said "<script>alert(1)</script>" & left.'),
        period("2020-08-09", event_id="ev-4", title="Disputed election", category="election",
               lat=53.902, lon=27.562, places=["Minsk"], source="Reuters"),
        event(event_id="ev-5", date=None, end=None, granularity="", timex="", date_text="", dated=False,
              title="Undated plan", lat=54.0, lon=25.0),
    ])


# --------------------------------------------------------------------------- GeoJSON

def test_geojson_holds_only_dated_events_with_coordinates(frame):
    geo = ex.to_geojson(frame)
    json.dumps(geo, allow_nan=False)  # valid JSON: no NaN anywhere
    assert geo["type"] == "FeatureCollection"
    assert [f["id"] for f in geo["features"]] == ["ev-4", "ev-2", "ev-1"]  # date order, no ev-3/ev-5
    first = geo["features"][0]
    assert first["type"] == "Feature"
    assert first["geometry"] == {"type": "Point", "coordinates": [27.562, 53.902]}  # [lon, lat]
    assert set(first["properties"]) == set(NAMES)
    assert first["properties"]["date"] == "2020-08-09" and first["properties"]["places"] == ["Minsk"]


def test_geojson_of_an_empty_frame_is_an_empty_collection():
    assert ex.to_geojson(F.empty_frame()) == {"type": "FeatureCollection", "features": []}


# --------------------------------------------------------------------------- TimelineJS export

def test_timelinejs_has_the_format_required_fields(frame):
    tl = ex.to_timelinejs(frame, title=TITLE)
    assert tl["title"]["text"]["headline"] == TITLE
    assert len(tl["events"]) == 4  # the undated event cannot be a slide
    for slide in tl["events"]:
        assert isinstance(slide["start_date"]["year"], int)
        assert slide["text"]["headline"] and slide["text"]["text"]
        assert slide["unique_id"].startswith("ev-")
        assert slide["group"] and slide["display_date"]
    assert [s["unique_id"] for s in tl["events"]] == ["ev-4", "ev-3", "ev-2", "ev-1"]
    assert "eras" in tl and [e["text"]["headline"] for e in tl["eras"]] == ["2020", "2021", "2025"]
    assert "title" not in ex.to_timelinejs(frame)


def test_timelinejs_dates_go_only_as_far_as_the_granularity():
    tl = ex.to_timelinejs(F.from_records([
        period("2025-09", event_id="m"), period("2025", event_id="y"), period("2025-Q3", event_id="q"),
        period("2025-W37", event_id="w"), period("201X", event_id="d"), period("2025-09-11T14:30", event_id="t"),
    ]))
    slides = {s["unique_id"]: s for s in tl["events"]}
    assert slides["m"]["start_date"] == {"year": 2025, "month": 9} and "end_date" not in slides["m"]
    assert slides["y"]["start_date"] == {"year": 2025} and "end_date" not in slides["y"]
    assert slides["q"]["start_date"] == {"year": 2025, "month": 7} and slides["q"]["end_date"] == {"year": 2025, "month": 9}
    assert slides["w"]["start_date"] == {"year": 2025, "month": 9, "day": 8}
    assert slides["w"]["end_date"] == {"year": 2025, "month": 9, "day": 14}
    assert slides["d"]["start_date"] == {"year": 2010} and slides["d"]["end_date"] == {"year": 2019}
    assert slides["t"]["start_date"] == {"year": 2025, "month": 9, "day": 11, "hour": 14, "minute": 30}
    assert slides["q"]["display_date"] == "July–September 2025" and slides["d"]["display_date"] == "the 2010s"


def test_timelinejs_text_is_escaped_and_carries_the_source(frame):
    slides = {s["unique_id"]: s for s in ex.to_timelinejs(frame)["events"]}
    text = slides["ev-3"]["text"]["text"]
    assert "<script>" not in text and "&lt;script&gt;" in text
    assert slides["ev-3"]["text"]["headline"] == "Migrants cross &lt;from&gt; Belarus &amp; more"
    assert '<a href="https://dawn.example/a?x=1&amp;y=2">Dawn</a>' in slides["ev-1"]["text"]["text"]


TIMEXES = ["2025-09-11", "2025-09-11T14:30", "2025-W37", "2025-W37-WE", "2025-09", "2025-Q3", "2025-H1",
           "2025-SU", "2024-WI", "2025", "201X", "19", "2024-02-29"]


def test_timelinejs_round_trip_keeps_events_dates_and_granularity():
    original = F.from_records([period(t, event_id=f"ev-{i}", title=f"Event <{i}> & co", sentence=f"Sentence {i} <b>.")
                               for i, t in enumerate(TIMEXES)])
    back = ex.from_timelinejs(json.loads(json.dumps(ex.to_timelinejs(original))), locate=False)
    assert list(back.columns) == list(NAMES)
    cols = ["event_id", "date", "end", "granularity", "timex", "title", "sentence", "category", "source", "url",
            "published"]
    mine = original[cols].sort_values("event_id").reset_index(drop=True)
    theirs = back[cols].sort_values("event_id").reset_index(drop=True)
    pd.testing.assert_frame_equal(mine, theirs)


def test_timelinejs_import_locates_places_and_categorises():
    data = {"events": [{"start_date": {"year": "2025", "month": "9", "day": "11"},
                        "text": {"headline": "Prisoners freed, taken to Vilnius"}}]}
    back = ex.from_timelinejs(data)
    row = back.iloc[0]
    assert row["places"] == ["Vilnius"] and row["lat"] == pytest.approx(54.69, abs=0.05)
    assert row["category"] == "release" and row["event_id"].startswith("tl-")
    assert row["article_id"].startswith("tl-") and row["sources"] == [row["article_id"]]  # the chronology
    assert ex.from_timelinejs(data)["event_id"].tolist() == back["event_id"].tolist()  # stable ids


# --------------------------------------------------------------------------- TimelineJS import: bad input

def _slides(**change) -> dict:
    slide = {"start_date": {"year": 2025, "month": 9, "day": 11}, "text": {"headline": "Belarus frees prisoners"}}
    slide.update(change)
    return {"events": [{"start_date": {"year": 2024}, "text": {"headline": "Fine"}}, slide]}


@pytest.mark.parametrize("data, field", [
    (_slides(start_date={"year": 2025, "month": 13}), r"start_date\.month: 13 is outside 1\.\.12"),
    (_slides(start_date={"year": 2025, "month": 2, "day": 30}), r"start_date\.day: 2025-02-30 is not a date"),
    (_slides(start_date={"month": 9}), r"start_date\.year: missing"),
    (_slides(start_date={"year": "MMXXV"}), r"start_date\.year: 'MMXXV' is not a whole number"),
    (_slides(start_date={"year": 2025, "day": 3}), r"start_date\.day: day 3 without a month"),
    (_slides(end_date={"year": 2024}), r"end_date: ends \(2024-12-31\) before it starts"),
    (_slides(text={"headline": "Belarus frees prisoners", "text": 5}), r"text\.text: expected text, got int"),
    ({"events": [{"start_date": {"year": 2024}, "text": {"headline": "Fine"}},
                 {"text": {"headline": "Belarus frees prisoners"}}]}, r"start_date: missing"),
])
def test_invalid_timelinejs_names_the_field_and_the_event(data, field):
    with pytest.raises(InputError, match=r'events\[1\] \("Belarus frees prisoners"\): ' + field):
        ex.from_timelinejs(data, locate=False)


@pytest.mark.parametrize("data, message", [
    ([], "expected an object"), ({"events": "x"}, '"events" is missing or not a list'), ("{", "not valid JSON"),
])
def test_a_file_that_is_not_timelinejs_says_so(data, message):
    with pytest.raises(InputError, match=message):
        ex.from_timelinejs(data)


# --------------------------------------------------------------------------- TimelineJS sheet

SHEET = """Year,Month,Day,Time,End Year,End Month,End Day,End Time,Display Date,Headline,Text,Media,Media Credit,Media Caption,Media Thumbnail,Type,Group,Background
,,,,,,,,,Prisoner releases,A chronology,,,,,title,,
2025,9,11,,,,,,Thursday,Belarus frees 52 prisoners,<p>They were taken to Vilnius.</p>,,Reuters,,,,release,
2025,9,11,14:30,,,,,,US envoy meets Lukashenko,Talks in Minsk.,,,,,,talks,
2025,9,,,,,,,,Poland closes the border,,,,,,,border,
2021,6,,,2021,8,,,,Migrant crisis,,,,,,,,
2010,,,,2019,,,,,A decade of sanctions,,,,,,,sanctions,
2025,9,8,,2025,9,14,,,Exercise week,,,,,,,military,
2020,,,,2025,,,,,Years of crisis,,,,,,era,,
"""


def test_timelinejs_sheet_becomes_a_frame(tmp_path):
    path = tmp_path / "sheet.csv"
    path.write_text(SHEET, encoding="utf-8")
    got = ex.from_timelinejs_csv(path).set_index("title")
    assert len(got) == 6  # the title and era rows are not events
    assert got.loc["Belarus frees 52 prisoners", "granularity"] == "day"
    assert got.loc["Belarus frees 52 prisoners", "date_text"] == "Thursday"
    assert got.loc["Belarus frees 52 prisoners", "sentence"] == "They were taken to Vilnius."
    assert got.loc["Belarus frees 52 prisoners", "source"] == "Reuters"
    assert "Vilnius" in got.loc["Belarus frees 52 prisoners", "places"]
    assert got.loc["Belarus frees 52 prisoners", "lon"] == pytest.approx(25.28, abs=0.05)
    assert got.loc["US envoy meets Lukashenko", "timex"] == "2025-09-11T14:30"
    assert got.loc["US envoy meets Lukashenko", "granularity"] == "time"
    assert got.loc["Poland closes the border", "granularity"] == "month"
    assert got.loc["Poland closes the border", "end"] == pd.Timestamp("2025-09-30")
    assert (got.loc["Migrant crisis", "granularity"], got.loc["Migrant crisis", "timex"]) == ("season", "2021-SU")
    assert got.loc["A decade of sanctions", "timex"] == "201X"
    assert got.loc["Exercise week", "timex"] == "2025-W37"
    assert got.loc["Exercise week", "category"] == "military"
    uploaded = ex.from_timelinejs_csv("upload.csv", text=SHEET, locate=False)
    assert sorted(uploaded["title"]) == sorted(got.index)


def test_invalid_timelinejs_sheet_names_the_line_event_and_column(tmp_path):
    path = tmp_path / "sheet.csv"
    path.write_text(SHEET.replace("2025,9,11,14:30", "2025,9,11,25:61"), encoding="utf-8")
    with pytest.raises(InputError, match=r'sheet\.csv line 4 \("US envoy meets Lukashenko"\): Time: .*not a time'):
        ex.from_timelinejs_csv(path, locate=False)
    path.write_text("Year,Headline\n2025,Fine\nsoon,Bad year\n", encoding="utf-8")
    with pytest.raises(InputError, match=r'line 3 \("Bad year"\): Year: \'soon\' is not a whole number'):
        ex.from_timelinejs_csv(path, locate=False)
    path.write_text("Date,Title\n2025,x\n", encoding="utf-8")
    with pytest.raises(InputError, match="not a TimelineJS sheet: no column Year, Headline"):
        ex.from_timelinejs_csv(path)


def test_input_kind_tells_timelinejs_frames_and_articles_apart(tmp_path, frame):
    (tmp_path / "tl.json").write_text(json.dumps(ex.to_timelinejs(frame)), encoding="utf-8")
    F.save(frame, tmp_path / "frame.json")
    F.save(frame, tmp_path / "frame.csv")
    (tmp_path / "sheet.csv").write_text(SHEET, encoding="utf-8")
    (tmp_path / "other.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    feed = Path(__file__).parent / "corpus" / "03_feed.json"
    assert ex.input_kind(tmp_path / "tl.json") == "timelinejs"
    assert ex.input_kind(tmp_path / "frame.json") == "frame"
    assert ex.input_kind(tmp_path / "frame.csv") == "frame"
    assert ex.input_kind(tmp_path / "sheet.csv") == "timelinejs-csv"
    assert ex.input_kind(feed) == "article"
    assert ex.input_kind(Path(__file__).parent / "corpus" / "01_wire_dateline.txt") == "article"
    with pytest.raises(InputError, match="neither a TimelineJS sheet"):
        ex.input_kind(tmp_path / "other.csv")


# --------------------------------------------------------------------------- writing files

@pytest.mark.parametrize("fmt, name", [("csv", "e.csv"), ("json", "e.json"), ("parquet", "e.parquet"),
                                       ("geojson", "e.geojson"), ("timelinejs", "tl.json"), ("html", "e.html")])
def test_write_export_writes_each_format(tmp_path, frame, fmt, name):
    path = ex.write_export(frame, tmp_path / name, fmt, title=TITLE)
    assert path.stat().st_size > 0
    assert [p.name for p in tmp_path.iterdir()] == [name]  # no temporary file left
    if fmt in ("csv", "json", "parquet"):
        assert F.load(path)["event_id"].tolist() == frame["event_id"].tolist()
    elif fmt in ("geojson", "timelinejs"):
        json.loads(path.read_text(encoding="utf-8"))


def test_unwritable_path_is_an_error_naming_it_and_leaves_nothing(tmp_path, frame):
    target = tmp_path / "missing" / "out.geojson"
    with pytest.raises(ExportError, match=re.escape(str(target))):
        ex.write_export(frame, target)
    (tmp_path / "adir.geojson").mkdir()
    with pytest.raises(ExportError, match="adir.geojson"):
        ex.write_export(frame, tmp_path / "adir.geojson")
    assert [p.name for p in tmp_path.iterdir()] == ["adir.geojson"]
    assert not any((tmp_path / "adir.geojson").iterdir())


def test_a_failed_write_keeps_the_old_file(tmp_path, frame, monkeypatch):
    path = tmp_path / "out.geojson"
    path.write_text("old", encoding="utf-8")

    def broken(_frame):
        raise ExportError("broken on purpose")

    monkeypatch.setattr(ex.files, "to_geojson", broken)  # what write_export calls
    with pytest.raises(ExportError):
        ex.write_export(frame, path)
    assert path.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.geojson"]


def test_unknown_export_format_is_an_error(tmp_path, frame):
    with pytest.raises(ExportError, match="unknown export format 'xlsx'"):
        ex.write_export(frame, tmp_path / "e.xlsx")


# --------------------------------------------------------------------------- print: options

def test_print_size_in_pixels():
    assert ex.pixels(180, 300) == 2126
    assert ex.print_size() == (180.0, 162.0, 300)
    assert ex.print_size(100, 50, 600, "timeline") == (100.0, 50.0, 600)


@pytest.mark.parametrize("kwargs, message", [
    (dict(width_mm=0), r"width 0 mm is out of range"),
    (dict(width_mm=-10), r"width -10 mm is out of range"),
    (dict(width_mm=1001), r"width 1001 mm is out of range.*at most 1000"),
    (dict(width_mm=float("nan")), r"width must be a number"),
    (dict(height_mm=0), r"height 0 mm is out of range"),
    (dict(dpi=0), r"dpi 0 is out of range: give 72 to 1200"),
    (dict(dpi=1201), r"dpi 1201 is out of range"),
    (dict(dpi=71), r"dpi 71 is out of range"),
    (dict(dpi=300.5), r"dpi must be a whole number"),
    (dict(view="poster"), r"view must be one of both, timeline, map"),
    (dict(width_mm=10), r"10 x 9 mm is too small for the figure at 300 dpi .* at least 17 x 13 mm"),
])
def test_out_of_range_print_options_are_clear_errors_before_chromium_starts(tmp_path, frame, monkeypatch,
                                                                           kwargs, message):
    def no_browser(self):
        raise AssertionError("Chromium started for a bad option")

    monkeypatch.setattr(ex.Renderer, "_start", no_browser)
    with pytest.raises(ExportError, match=message):
        ex.render(frame, tmp_path / "out.png", **kwargs)
    assert not any(tmp_path.iterdir())


def test_vector_pages_need_room_for_the_figure(tmp_path, frame, monkeypatch):
    monkeypatch.setattr(ex.Renderer, "_start", lambda self: pytest.fail("Chromium started"))
    with pytest.raises(ExportError, match="too small for the figure for SVG and PDF"):
        ex.render(frame, tmp_path / "out.svg", width_mm=40)


def test_no_chromium_says_how_to_install_it(tmp_path, frame, monkeypatch):
    monkeypatch.setenv("BROWSER_PATH", str(tmp_path / "no-such-chromium"))
    with pytest.raises(ExportError, match=r"no Chromium found.*sudo apt-get install chromium"):
        ex.render(frame, tmp_path / "out.png")
    assert not (tmp_path / "out.png").exists()


def test_unknown_print_format_is_an_error(tmp_path, frame):
    with pytest.raises(ExportError, match="unknown print format 'gif'"):
        ex.render(frame, tmp_path / "out.gif")


# --------------------------------------------------------------------------- print: rendering

@pytest.fixture(scope="module")
def renderer():
    with ex.Renderer() as r:
        yield r


@needs_chromium
def test_png_has_the_requested_size_and_dpi_and_is_not_blank(tmp_path, frame, renderer):
    from PIL import Image

    path = renderer.render(frame, tmp_path / "out.png", width_mm=180, height_mm=120, dpi=300, title=TITLE)
    with Image.open(path) as image:
        assert image.size == (2126, 1417)
        assert image.info["dpi"] == pytest.approx((300, 300), abs=0.01)
        pixels = np.asarray(image.convert("RGB")).reshape(-1, 3)
    assert (pixels != 255).any(axis=1).mean() > 0.1  # ink on more than a tenth of the page
    assert len(np.unique(pixels, axis=0)) > 50
    # the map's land colour: the offline geometry was drawn
    assert np.all(pixels == (0xF1, 0xEF, 0xE8), axis=1).mean() > 0.05


@needs_chromium
def test_svg_parses_holds_the_title_and_its_size_in_mm(tmp_path, frame, renderer):
    path = renderer.render(frame, tmp_path / "out.svg", width_mm=200, height_mm=150, title=TITLE + " & <more>")
    root = ET.parse(path).getroot()
    assert root.get("width") == "200mm" and root.get("height") == "150mm"
    assert root.get("viewBox") == "0 0 756 567"
    texts = " ".join("".join(t.itertext()) for t in root.iter("{http://www.w3.org/2000/svg}text"))
    assert TITLE + " & <more>" in texts
    assert "Natural Earth" in texts


@needs_chromium
def test_pdf_opens_holds_the_title_and_is_the_size_asked(tmp_path, frame, renderer):
    from pypdf import PdfReader

    path = renderer.render(frame, tmp_path / "out.pdf", width_mm=180, height_mm=120, title=TITLE, view="timeline")
    reader = PdfReader(path)
    assert len(reader.pages) == 1
    page = reader.pages[0]
    assert TITLE in page.extract_text()
    assert float(page.mediabox.width) / 72 * 25.4 == pytest.approx(180, abs=0.5)
    assert float(page.mediabox.height) / 72 * 25.4 == pytest.approx(120, abs=0.5)


# Titles in the region's languages, each with the letters its alphabet has and English lacks.
REGION_TITLES = {"ru": "Беларусь освободила 52 заключённых", "be": "Беларусь вызваліла зняволеных у чацвер",
                 "uk": "Україна: їхні звільнені в'язні з Ґродна є вдома", "pl": "Białoruś uwolniła 52 więźniów, żółć",
                 "lt": "Baltarusija paleido kalinius į Lietuvą: ėjo, ųž, šį", "de": "Weißrussland lässt Häftlinge frei"}


@needs_chromium
def test_a_print_in_the_regions_languages_has_a_glyph_for_every_letter(tmp_path, renderer):
    """No tofu: the fonts the print uses (theme.FONT_FAMILY, and Chromium's fallbacks) draw
    every letter of these titles. A PDF's text comes back from its fonts' glyphs, and a
    letter no font has comes back as NUL (checked with Chinese, for which none is installed)."""
    from pypdf import PdfReader

    def printed(title: str) -> str:
        path = renderer.render(F.from_records([event(title=title)]), tmp_path / "region.pdf", width_mm=300,
                               height_mm=200, title=title, view="timeline")
        return " ".join(PdfReader(path).pages[0].extract_text().split())

    for code, title in REGION_TITLES.items():
        text = printed(title)
        assert title in text, f"{code}: {title!r} not printed whole in {text!r}"
        assert "\x00" not in text
    text = printed("Chinese: 白俄罗斯释放囚犯")
    assert "\x00" in text and "白" not in text  # the check sees a letter no installed font draws


@needs_chromium
def test_render_many_reuses_one_chromium(tmp_path, frame, monkeypatch):
    starts = []
    start = ex.Renderer._start

    def counted(self):
        starts.append(1)
        start(self)

    monkeypatch.setattr(ex.Renderer, "_start", counted)
    paths = ex.render_many(frame, [tmp_path / "a.png", tmp_path / "b.svg", tmp_path / "c.pdf"], view="map",
                           width_mm=120, dpi=150)
    assert [p.name for p in paths] == ["a.png", "b.svg", "c.pdf"] and all(p.stat().st_size for p in paths)
    assert starts == [1]


# --------------------------------------------------------------------------- standalone HTML

def test_standalone_html_is_self_contained_and_escaped(frame):
    page = ex.standalone_html(frame, title="Freed <prisoners> & more")
    assert page.index("window.PlotlyGeoAssets") < page.index("plotly.js v")  # geometry defined before plotly.js
    assert not re.search(r"<(?:script|link)[^>]+(?:src|href)=", page)  # nothing to load
    assert "<title>Freed &lt;prisoners&gt; &amp; more</title>" in page
    assert "<script>alert(1)</script>" not in page
    listed = page.index('<details id="event-list"')  # the chronology as text
    fallback = page[listed: page.index("</details>", listed)]
    assert fallback.index("Disputed election") < fallback.index("Migrants cross") < fallback.index("Poland closes")
    assert "Migrants cross &lt;from&gt; Belarus &amp; more" in fallback and "Undated plan" in fallback
    assert "Natural Earth" in page[page.index('class="credit"'):]


def test_standalone_html_views(frame):
    only_timeline = ex.standalone_html(frame, view="timeline")
    assert 'id="timeline-graph"' in only_timeline and 'id="map-graph"' not in only_timeline
    assert "PlotlyGeoAssets = " not in only_timeline
    assert 'id="timeline-graph"' not in ex.standalone_html(frame, view="map")
    with pytest.raises(ExportError, match="view"):
        ex.standalone_html(frame, view="poster")


def test_trimmed_map_geometry_is_smaller_and_keeps_its_layers():
    from timeline.figures import OFFLINE_TOPOJSON_DIR

    full = Path(OFFLINE_TOPOJSON_DIR, "europe_50m.json").read_text(encoding="utf-8")
    trimmed = ex.trimmed_topojson()
    assert len(trimmed) < 0.6 * len(full)
    topo = json.loads(trimmed)
    assert {"countries", "land", "ocean", "coastlines", "lakes"} <= set(topo["objects"])
    assert len(topo["arcs"]) == len(json.loads(full)["arcs"])


@needs_chromium
def test_standalone_html_renders_offline_in_chromium(tmp_path, frame):
    """Opened from disk with every non-file request aborted: both graphs draw, the map has
    its country outlines, and the console stays clean."""
    sync_api = pytest.importorskip("playwright.sync_api")
    path = tmp_path / "page.html"
    path.write_text(ex.standalone_html(frame, title=TITLE), encoding="utf-8")
    aborted, problems = [], []
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1000, "height": 900})

            def route(r):
                if r.request.url.startswith("file://"):
                    r.continue_()
                else:
                    aborted.append(r.request.url)
                    r.abort()

            page.route("**/*", route)
            page.on("console", lambda m: problems.append(m.text) if m.type in ("error", "warning") else None)
            page.on("pageerror", lambda e: problems.append(str(e)))
            page.goto(path.as_uri())
            page.wait_for_function("() => ['timeline-graph', 'map-graph'].every("
                                   "id => document.getElementById(id)._fullLayout)", timeout=30_000)
            page.wait_for_timeout(500)
            drawn = page.evaluate("""() => ({
                plots: document.querySelectorAll('.js-plotly-plot .main-svg').length,
                markers: document.querySelectorAll('#timeline-graph .scatterlayer .point').length,
                bars: document.querySelectorAll('#timeline-graph .barlayer .point').length,
                geo: [...document.querySelectorAll('#map-graph .geo .layer path')]
                     .filter(p => (p.getAttribute('d') || '').length > 0).length,
                countries: [...document.querySelectorAll('#map-graph .geo .layer.countries path')]
                     .map(p => (p.getAttribute('d') || '').split('M').length - 1),
                land: document.querySelectorAll('#map-graph .geo .layer.land path').length,
                title: document.querySelector('h1').textContent,
            })""")
            page.set_viewport_size({"width": 320, "height": 800})
            page.wait_for_timeout(300)
            narrow = page.evaluate("document.getElementById('map-graph')._fullLayout.width")
        finally:
            browser.close()
    assert not aborted, f"the page asked the network for {aborted}"
    assert not problems, problems
    assert drawn["plots"] >= 2 and drawn["markers"] >= 1 and drawn["bars"] >= 1
    assert drawn["land"] == 1 and drawn["geo"] >= 4
    # The view fits the story (Poland, Belarus, Lithuania): at least their outlines and the neighbours'.
    assert drawn["countries"] and drawn["countries"][0] > 6, "no country outlines"
    assert drawn["title"] == TITLE
    assert narrow <= 320


def test_seed_sized_page_is_under_five_megabytes(frame):
    assert len(ex.standalone_html(frame).encode("utf-8")) < 5_000_000


# --------------------------------------------------------------------------- command line

ARTICLE = Path(__file__).parent / "corpus" / "01_wire_dateline.txt"


def test_cli_writes_every_output_asked_for(tmp_path, frame):
    tl = tmp_path / "in.json"
    tl.write_text(json.dumps(ex.to_timelinejs(frame)), encoding="utf-8")
    out = {k: tmp_path / f"out.{k}" for k in ("csv", "geojson", "html")}
    result = CliRunner().invoke(export_command, [
        str(tl), str(ARTICLE), "--published", "2025-09-12", "--csv", str(out["csv"]),
        "--geojson", str(out["geojson"]), "--timelinejs", str(tmp_path / "tl.json"), "--html", str(out["html"]),
        "--title", TITLE])
    assert result.exit_code == 0, result.output
    written = F.load(out["csv"])
    assert {"ev-1", "ev-2", "ev-3", "ev-4"} <= set(written["event_id"])  # imported ...
    assert written["source"].ne("").sum() > 4  # ... and parsed
    assert TITLE in out["html"].read_text(encoding="utf-8")
    assert json.loads((tmp_path / "tl.json").read_text(encoding="utf-8"))["title"]["text"]["headline"] == TITLE


def test_cli_reports_bad_input_in_one_line_and_still_writes(tmp_path, frame):
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"events": [{"start_date": {"year": 2025, "month": 14}, "text": {"headline": "H"}}]}),
                   encoding="utf-8")
    out = tmp_path / "out.csv"
    result = CliRunner().invoke(export_command, [str(bad), str(ARTICLE), "--csv", str(out),
                                                 "--published", "2025-09-12"])
    assert result.exit_code == 1
    lines = [line for line in result.stderr.splitlines() if line.startswith("timeline: error")]
    assert lines == [f'timeline: error: {bad}: TimelineJS events[0] ("H"): start_date.month: 14 is outside 1..12']
    assert "Traceback" not in result.output
    assert out.exists() and len(F.load(out)) > 0


def test_cli_unwritable_output_is_one_line_and_others_are_written(tmp_path):
    ok = tmp_path / "ok.geojson"
    result = CliRunner().invoke(export_command, [str(ARTICLE), "--published", "2025-09-12",
                                                 "--csv", str(tmp_path / "no" / "dir.csv"), "--geojson", str(ok)])
    assert result.exit_code == 1
    assert f"timeline: error: cannot write {tmp_path / 'no' / 'dir.csv'}: No such file" in result.stderr
    assert ok.exists()


@pytest.mark.parametrize("option, message", [
    (["--dpi", "2000"], "dpi 2000 is out of range"), (["--width-mm", "0"], "width 0 mm is out of range"),
    (["--height-mm", "-3"], "height -3 mm is out of range"),
])
def test_cli_bad_print_size_exits_2_and_writes_nothing(tmp_path, option, message):
    result = CliRunner().invoke(export_command, [str(ARTICLE), "--csv", str(tmp_path / "a.csv"),
                                                 "--png", str(tmp_path / "a.png"), *option])
    assert result.exit_code == 2
    assert result.stderr.strip() == f"timeline: error: {message}" + result.stderr.strip().split(message, 1)[1]
    assert not any(tmp_path.iterdir())


def test_cli_needs_an_output(tmp_path):
    result = CliRunner().invoke(export_command, [str(ARTICLE)])
    assert result.exit_code == 2 and "at least one output" in result.output


@needs_chromium
def test_cli_renders_print_files_in_one_call(tmp_path, frame):
    F.save(frame, tmp_path / "events.parquet")
    result = CliRunner().invoke(export_command, [
        str(tmp_path / "events.parquet"), "--png", str(tmp_path / "f.png"), "--pdf", str(tmp_path / "f.pdf"),
        "--width-mm", "120", "--dpi", "150", "--view", "map", "--title", TITLE])
    assert result.exit_code == 0, result.output
    from PIL import Image

    with Image.open(tmp_path / "f.png") as image:
        assert image.size == (ex.pixels(120, 150), ex.pixels(120 * ex.DEFAULT_ASPECT["map"], 150))
    assert (tmp_path / "f.pdf").read_bytes().startswith(b"%PDF")


def test_cli_reads_a_saved_frame_and_applies_overrides(tmp_path, frame):
    F.save(frame, tmp_path / "events.json")
    (tmp_path / "fix.yaml").write_text("ev-1: drop\nev-2:\n  title: Poland shuts its border\n", encoding="utf-8")
    out = tmp_path / "out.csv"
    result = CliRunner().invoke(export_command, [str(tmp_path / "events.json"), "--overrides",
                                                 str(tmp_path / "fix.yaml"), "--csv", str(out)])
    assert result.exit_code == 0, result.output
    written = F.load(out).set_index("event_id")
    assert "ev-1" not in written.index and written.loc["ev-2", "title"] == "Poland shuts its border"
    (tmp_path / "bad.yaml").write_text("ev-1: [unclosed\n", encoding="utf-8")
    result = CliRunner().invoke(export_command, [str(tmp_path / "events.json"), "--overrides",
                                                 str(tmp_path / "bad.yaml"), "--csv", str(tmp_path / "x.csv")])
    assert result.exit_code == 2 and "bad.yaml" in result.stderr and not (tmp_path / "x.csv").exists()


def test_a_print_shows_the_whole_chronology_unless_narrowed():
    from timeline import export as ex
    from timeline.synth import synthetic_frame

    frame = synthetic_frame(200, seed=3)
    lo, hi = ex.print_range(frame)
    dated = frame[frame.dated]
    assert lo < dated.date.min() and hi > dated.end.max()
    assert ex.print_range(frame, "2025-08-01", "2025-09-15") == (pd.Timestamp("2025-08-01"), pd.Timestamp("2025-09-15"))
