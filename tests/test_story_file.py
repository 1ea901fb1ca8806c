"""The story file (story.yaml beside the articles): what it draws, how each bad entry is one
line naming the file and the entry while the rest is still drawn, and where it is read
(dashboard state, `timeline export`)."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from timeline import figures
from timeline.cli import main
from timeline.figures import story_file
from timeline.figures.map_data import COUNTRY_POINTS
from timeline.parse import parse
from timeline.webapp.corpus import Corpus
from timeline.webapp.layout import messages

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"

GOOD = """
title: Talks in Vilnius
places:
  Camp: {lat: 54.1, lon: 25.9}
routes:
  - name: The convoy
    stops: [Minsk, Medininkai-Kamenny Log, Vilnius]
highlight: [Camp, Warsaw]
points:
  - name: Hospitals
    places: [Lida, {name: Field hospital, lat: 53.5, lon: 25.0}]
crossings: all
view: {lat: [50, 58], lon: [18, 32]}
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "story.yaml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def seed():
    return parse(sorted(SEEDS.glob("*.txt"))).frame


def test_a_story_file_gives_its_title_routes_points_and_view(tmp_path, seed):
    story = story_file.load(write(tmp_path, GOOD))
    assert story.problems == ()
    assert story.title == "Talks in Vilnius" and story.crossings == "all"
    assert story.view == ((50.0, 58.0), (18.0, 32.0))
    route = story.routes[0]
    # Minsk and Vilnius from the gazetteer, the crossing through its two sides, Belarus first
    assert [p.name for p in route.points] == ["Minsk", "Kamenny Log", "Medininkai", "Vilnius"]
    assert route.points[0].lat == pytest.approx(53.9, abs=0.05) and route.points[-1].lon == pytest.approx(25.28, abs=0.05)
    assert [p.name for p in story.highlight] == ["Camp", "Warsaw"]
    assert [p.name for p in story.point_sets[0].points] == ["Lida", "Field hospital"]
    fig = figures.map_figure(seed, story_file=story)
    names = {t.name for t in fig.data}
    assert {"The convoy", "Highlighted places", "Hospitals", "Border crossing", "Crossing used on the route"} <= names
    assert list(fig.layout.geo.lataxis.range) == [50, 58]


@pytest.mark.parametrize("text, where", [
    ("routes:\n  - name: R\n    stops: [Minsk, Nowhereville, Vilnius]\n", "routes, entry 1: stops, entry 2: unknown place 'Nowhereville'"),
    ("routes:\n  - name: R\n    stops: [Minsk, European Union, Vilnius]\n",
     "routes, entry 1: stops, entry 2: 'European Union' has no coordinates"),
    ("view: {lat: [-95, 40], lon: [0, 10]}\n", "view: lat: expected [low, high] within -85..85"),
    ("view: {lat: [10, 20], lon: [30, 190]}\n", "view: lon: expected [low, high] within -180..180"),
    ("places:\n  Camp: {lat: 54, lon: 200}\n", "places: Camp: lon must be a number from -180 to 180"),
    ("crossings: some\n", "crossings: 'some' is not one of near, all, none"),
    ("colour: red\n", "colour: not a story file entry"),
    ("highlight: Vilnius\n", "highlight: expected a list"),
])
def test_a_bad_entry_is_one_line_naming_the_file_and_the_entry_and_the_rest_is_drawn(tmp_path, text, where):
    path = write(tmp_path, "title: Still here\ncountry_labels: [{text: HERE, lat: 54, lon: 25}]\n" + text)
    story = story_file.load(path)
    assert len(story.problems) == 1, story.problems
    line = story.problems[0]
    assert line.startswith(f"{path}: ") and where in line and "\n" not in line
    assert story.title == "Still here" and [p.name for p in story.country_labels] == ["HERE"]


def test_a_route_keeps_its_placeable_stops_and_one_left_with_one_stop_is_not_drawn(tmp_path):
    story = story_file.load(write(tmp_path, "routes:\n  - {name: A, stops: [Minsk, Nowhereville, Vilnius]}\n"
                                            "  - {name: B, stops: [Minsk, Nowhereville]}\n"))
    assert [r.name for r in story.routes] == ["A"] and [p.name for p in story.routes[0].points] == ["Minsk", "Vilnius"]
    assert any("'B' has fewer than two stops" in line for line in story.problems)


@pytest.mark.parametrize("text, words", [
    ("title: [unclosed\n", "story.yaml"),
    ("a: &a [x, x]\nb: [*a, *a]\n", "alias"),
    ("- just\n- a list\n", "expected a mapping"),
    ("title: \"\\ud800\"\n", "surrogate"),
])
def test_a_file_that_is_not_a_story_is_one_line_and_no_overlays(tmp_path, text, words):
    path = write(tmp_path, text)
    story = story_file.load(path)
    assert len(story.problems) == 1 and str(path) in story.problems[0] and words in story.problems[0]
    assert story.routes == () and story.view is None and story.title is None


def test_a_directory_or_fifo_in_place_of_the_story_file_is_one_line(tmp_path):
    (tmp_path / "story.yaml").mkdir()
    assert len(story_file.load(tmp_path / "story.yaml").problems) == 1
    fifo = tmp_path / "fifo.yaml"
    os.mkfifo(fifo)
    assert "fifo.yaml" in story_file.load(fifo).problems[0]  # refused at once, never a hang


def test_the_country_points_are_the_gazetteers_country_centres():
    from timeline.extract.places.gazetteer import load_gazetteer

    centroids = load_gazetteer().centroids
    assert len(COUNTRY_POINTS) == len(centroids) > 240
    for iso, lat, lon, _ in COUNTRY_POINTS:
        assert (lat, lon) == pytest.approx(centroids[iso], abs=0.006), iso


def test_the_dashboard_reads_the_story_file_again_when_it_changes(tmp_path, seed):
    corpus = Corpus([tmp_path], frame=seed)
    assert corpus.snapshot().story_file is story_file.NO_STORY
    path = write(tmp_path, "title: First\nview: {lat: [40, 60], lon: [0, 40]}\n")
    snap = corpus.snapshot()
    assert snap.story_file.title == "First" and snap.map_view == ((40.0, 60.0), (0.0, 40.0))
    assert snap.title(seed) == "First"
    path.write_text("title: Second\nview: {lat: [40, 100], lon: [0, 40]}\n", encoding="utf-8")
    os.utime(path, ns=(1, 1))  # a change within the same mtime tick still shows in size/mtime
    snap = corpus.snapshot()
    assert snap.story_file.title == "Second" and snap.map_view == figures.opening_view(seed)
    assert "1 story file entry left out" in str(messages(snap))


def test_export_draws_the_story_file_beside_the_articles_and_warns_of_a_bad_entry(tmp_path):
    for f in SEEDS.glob("*.txt"):
        shutil.copy(f, tmp_path / f.name)
    story = (SEEDS / "story.yaml").read_text(encoding="utf-8")
    write(tmp_path, story + "highlight: [Nowhereville]\n")
    out = tmp_path / "page.html"
    result = CliRunner().invoke(main, ["export", str(tmp_path), "--html", str(out)])
    assert result.exit_code == 0, result.stderr
    warnings = [line for line in result.stderr.splitlines() if line.startswith("timeline: warning:")]
    assert len(warnings) == 1 and "highlight, entry 1: unknown place 'Nowhereville'" in warnings[0]
    page = out.read_text(encoding="utf-8")
    assert "Route of the freed prisoners" in page and "<title>Freed Belarusian prisoners cross into Lithuania</title>" in page
    # --story names another file: its overlays, not the one beside the articles
    other = tmp_path / "other.yaml"
    other.write_text("title: Another story\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["export", str(tmp_path), "--html", str(out), "--story", str(other)])
    assert result.exit_code == 0 and "Route of the freed prisoners" not in out.read_text(encoding="utf-8")


def test_the_readmes_example_is_a_story_file_without_a_problem(tmp_path):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("### The story file"):]
    example = section[section.index("```yaml") + len("```yaml"):section.index("```", section.index("```yaml") + 3)]
    story = story_file.load(write(tmp_path, example))
    assert story.problems == () and story.routes and story.highlight and story.point_sets and story.view
