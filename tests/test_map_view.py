"""The map's opening view fits the story's placed events; the seed's overlays (its route, its
country names) come from its story file, the crossings only near them, and any other story
gets the names of its own countries."""
from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest

from timeline import figures
from timeline.figures import composed_figure, map_figure, opening_view
from timeline.figures import story_file
from timeline.figures.map_data import MAP
from timeline.parse import parse

ROOT = Path(__file__).resolve().parents[1]
OVERLAYS = {"Route of the freed prisoners", "Border crossing", "Crossing used on the route"}
SEED_STORY = story_file.load(ROOT / "seeds" / "story.yaml")
JERUSALEM, GAZA, CAIRO, DOHA, WASHINGTON = (31.77, 35.21), (31.50, 34.47), (30.04, 31.24), (25.29, 51.53), (38.90, -77.04)


def places(*counted: tuple[tuple[float, float], int]) -> pd.DataFrame:
    """A frame of `lat`, `lon` columns: each (place, number of events) repeated."""
    rows = [p for p, n in counted for _ in range(n)]
    return pd.DataFrame({"lat": [p[0] for p in rows], "lon": [p[1] for p in rows]})


def inside(view, lat: float, lon: float) -> bool:
    (lat0, lat1), (lon0, lon1) = view
    return lat0 < lat < lat1 and lon0 < lon < lon1


@pytest.fixture(scope="module")
def seed() -> pd.DataFrame:
    return parse(sorted((ROOT / "seeds").glob("*.txt"))).frame


@pytest.fixture(scope="module")
def middle_east(seed) -> pd.DataFrame:
    """The seed's columns, its events moved to the Middle East: 10 in Jerusalem, 5 in Gaza, 3 in
    Cairo, 2 in Doha, 1 in Washington (the rest unplaced)."""
    frame = seed.copy().reset_index(drop=True)
    where = places((JERUSALEM, 10), (GAZA, 5), (CAIRO, 3), (DOHA, 2), (WASHINGTON, 1))
    frame["lat"], frame["lon"] = math.nan, math.nan
    frame.loc[: len(where) - 1, "lat"] = where["lat"].to_numpy()
    frame.loc[: len(where) - 1, "lon"] = where["lon"].to_numpy()
    return frame


def test_the_seed_opens_on_belarus_lithuania_and_poland_with_the_crossing(seed):
    view = opening_view(seed)
    for lat, lon in ((53.902, 27.562), (54.687, 25.280), (52.230, 21.011),  # Minsk, Vilnius, Warsaw
                     (54.539, 25.650), (53.74, 27.71)):                       # Medininkai, Belarus
        assert inside(view, lat, lon)
    assert not inside(view, 39.56, -86.78)  # the United States, two events of 28, left out
    (lat0, lat1), (lon0, lon1) = view
    assert 5 <= lat1 - lat0 <= 10 and 10 <= lon1 - lon0 <= 25


def test_a_washington_statement_does_not_drag_a_middle_east_story_to_the_atlantic():
    frame = places((JERUSALEM, 10), (GAZA, 5), (CAIRO, 3), (DOHA, 2), (WASHINGTON, 1))
    view = opening_view(frame)
    assert all(inside(view, *p) for p in (JERUSALEM, GAZA, CAIRO))
    assert not inside(view, *WASHINGTON)
    held = sum(inside(view, a, b) for a, b in zip(frame["lat"], frame["lon"]))
    assert held / len(frame) >= MAP.view.share
    (lat0, lat1), (lon0, lon1) = view
    assert lon0 > 20 and lon1 < 45 and lat0 > 20 and lat1 < 40


def test_a_single_event_opens_on_a_region_around_it():
    (lat0, lat1), (lon0, lon1) = view = opening_view(places(((-1.29, 36.82), 1)))  # Nairobi
    assert inside(view, -1.29, 36.82)
    assert lat1 - lat0 == pytest.approx(MAP.view.min_lat_span)
    assert lon1 - lon0 >= MAP.view.min_lon_span and lon1 - lon0 < 20
    assert (lat0 + lat1) / 2 == pytest.approx(-1.29, abs=0.01)


def test_without_placed_events_the_view_is_the_world():
    empty = pd.DataFrame({"lat": [math.nan, 5.0], "lon": [3.0, math.nan]})
    assert opening_view(empty) == (MAP.view.empty_lat, MAP.view.empty_lon)
    assert opening_view(empty.iloc[:0]) == (MAP.view.empty_lat, MAP.view.empty_lon)


def test_a_view_near_the_edges_of_the_map_stays_inside_them():
    (lat0, lat1), (lon0, lon1) = opening_view(places(((-17.7, 178.9), 3), ((70.0, 179.5), 1)))  # Fiji, Chukotka
    assert -85 <= lat0 < lat1 <= 85 and -180 <= lon0 < lon1 <= 180


def country_names(fig) -> set[str]:
    return {name for t in fig.data if t.name == "Countries" for name in t.text}


def test_a_story_elsewhere_draws_no_route_no_crossings_and_its_own_country_names(middle_east):
    # a story file's route is drawn wherever its story is; the other crossings only near events
    assert "Border crossing" not in {t.name for t in map_figure(middle_east, story_file=SEED_STORY).data}
    fig = map_figure(middle_east)
    assert not OVERLAYS & {t.name for t in fig.data}
    assert {"JORDAN", "EGYPT"} <= country_names(fig) and not {"BELARUS", "LITHUANIA"} & country_names(fig)
    # the story's own countries are named first, even beside a larger neighbour
    assert "ISRAEL" in country_names(map_figure(middle_east.assign(countries=[["IL"]] * len(middle_east))))
    assert inside((fig.layout.geo.lataxis.range, fig.layout.geo.lonaxis.range), *JERUSALEM)
    printed = composed_figure(middle_east, view="map", title="T", width_px=900, height_px=600)
    assert not OVERLAYS & {t.name for t in printed.data}
    assert list(printed.layout.geo.lataxis.range) == list(fig.layout.geo.lataxis.range)


def test_the_seed_still_draws_its_route_crossings_and_country_names(seed):
    fig = map_figure(seed, story_file=SEED_STORY)
    assert OVERLAYS <= {t.name for t in fig.data}
    assert country_names(fig) == {"BELARUS", "LITHUANIA", "POLAND", "LATVIA", "UKRAINE", "RUSSIA"}
    route = next(t for t in fig.data if t.name == "Route of the freed prisoners")
    assert [t for t in route.text if t] == ["Minsk", "Vilnius"]
    printed = composed_figure(seed, view="map", title="T", width_px=900, height_px=600, story_file=SEED_STORY)
    assert OVERLAYS <= {t.name for t in printed.data}
    # without its story file the seed is any story: no route, the crossings it is near
    plain = {t.name for t in map_figure(seed).data}
    assert "Border crossing" in plain and "Route of the freed prisoners" not in plain


def test_the_dashboard_fits_the_whole_story_not_the_filtered_events(seed, middle_east):
    only_gaza = middle_east[middle_east["lat"] == GAZA[0]]
    fig = map_figure(only_gaza, story=middle_east)
    assert list(fig.layout.geo.lataxis.range) == list(opening_view(middle_east)[0])
    # The overlays follow the story too: a filter leaving only Minsk shows no Baltic overlays elsewhere.
    assert not OVERLAYS & {t.name for t in map_figure(seed, story=middle_east).data}
    # the story file's view wins over the fitted one, a view given (the reader's fit) over both
    framed = story_file.StoryFile(view=((40.0, 50.0), (10.0, 30.0)))
    assert list(map_figure(seed, story_file=framed).layout.geo.lataxis.range) == [40.0, 50.0]
    assert list(map_figure(seed, story_file=framed, view=((1.0, 2.0), (3.0, 4.0))).layout.geo.lataxis.range) == [1, 2]


def test_the_standalone_page_keeps_detail_in_its_own_view(middle_east):
    from timeline.export.page import _detail_box

    fig = map_figure(middle_east)
    lon0, lat0, lon1, lat1 = _detail_box(fig.layout.geo)
    assert lon0 < JERUSALEM[1] < lon1 and lat0 < JERUSALEM[0] < lat1 and lat1 < 50
    assert figures.shows_overlays(middle_east, opening_view(middle_east)) is False


def test_a_view_in_europe_draws_europes_outlines_and_any_other_the_worlds(seed, middle_east):
    from timeline.figures.map import geometry

    assert geometry(opening_view(seed)) == ("europe", 50)
    assert geometry(opening_view(middle_east)) == ("world", 50)
    assert geometry(((-40.0, 60.0), (-120.0, 140.0))) == ("world", 110)  # a story across the world
    for name in ("europe_50m", "world_50m", "world_110m"):  # offline, beside the app
        assert (Path(figures.OFFLINE_TOPOJSON_DIR) / f"{name}.json").stat().st_size > 100_000
    assert map_figure(middle_east).layout.geo.scope == "world"


def test_a_story_outside_europe_prints_and_pages_with_its_country_outlines(middle_east):
    import re

    from timeline.export import standalone_html
    from timeline.export.printing import Renderer

    svg = Renderer().render_bytes(middle_east, "svg", view="map").decode()
    outlines = re.search(r'<g class="layer countries">(.*?)</g>', svg, re.S)
    # one path of every border in view: Israel, Egypt, Jordan, ... drawn from the offline files
    assert outlines and outlines.group(1).count("M") >= 5 and len(outlines.group(1)) > 5_000
    page = standalone_html(middle_east, view="map")
    assert '"world_50m"' in page and "europe_50m" not in page


STORIES = ROOT / "tests" / "corpus"


@pytest.fixture(scope="module", params=["seeds", "middle_east", "south_china_sea", "african_union"])
def story(request) -> tuple[pd.DataFrame, story_file.StoryFile]:
    folder = ROOT / "seeds" if request.param == "seeds" else STORIES / request.param
    return parse(sorted(folder.glob("*.txt"))).frame, story_file.load(story_file.beside([folder]))


def test_print_and_the_standalone_page_open_on_the_dashboards_view_with_its_overlays(story):
    import json
    import re

    from timeline.export import standalone_html

    frame, plan = story
    dashboard = map_figure(frame, story_file=plan)
    view = [list(dashboard.layout.geo.lataxis.range), list(dashboard.layout.geo.lonaxis.range)]
    overlays = {t.name for t in dashboard.data} - {"Event places (size: number of events)"}
    printed = composed_figure(frame, view="map", title="T", width_px=900, height_px=600, story_file=plan)
    assert list(printed.layout.geo.lataxis.range) == view[0]
    assert overlays <= {t.name for t in printed.data}
    page = standalone_html(frame, view="map", story_file=plan)
    lat = json.loads(re.search(r'"lataxis":\s*\{[^{}]*?"range":\s*(\[[^\]]*\])', page).group(1))
    assert lat == view[0]
    assert all(name in page for name in overlays if name != "Countries")
    placed = frame[frame["lat"].notna()]
    inside = placed["lat"].between(*view[0]) & placed["lon"].between(*view[1])
    assert len(placed) >= 8 and inside.mean() >= 0.8


def test_places_outside_the_view_are_named_and_a_long_legend_pushes_the_plots_below_the_title(seed):
    from timeline.figures.printing import LEGEND_ROW_PX, _legend_rows

    fig = map_figure(seed, story_file=SEED_STORY)
    note = [a.text for a in fig.layout.annotations if a.name == "outside"]
    assert note and note[0].startswith("Outside the map: United States (2)")
    width = 709  # 180 mm at 100 dpi: the seed's 15 legend entries take three rows
    printed = composed_figure(seed, view="both", title="T", width_px=width, height_px=640, story_file=SEED_STORY)
    k = width / 900
    rows = _legend_rows(printed, width - 20 * k, k)
    assert rows >= 3 and printed.layout.margin.t >= (12 + 30 + rows * LEGEND_ROW_PX) * k - 1e-6
    assert any(a.name == "outside" for a in printed.layout.annotations)
