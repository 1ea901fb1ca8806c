"""The dashboard's Download: the filtered chronology in each format `timeline export` writes."""
import json
import re

import pytest

import timeline
from timeline.errors import ExportError
from timeline.webapp import downloads


@pytest.fixture(scope="module")
def frame():
    from pathlib import Path

    seed = next((Path(__file__).resolve().parents[1] / "seeds").glob("*.txt"))
    return timeline.parse_articles([seed])


@pytest.mark.parametrize("fmt, name", [("csv", "timeline.csv"), ("json", "timeline.json"),
                                       ("geojson", "timeline.geojson"), ("timelinejs", "timeline.timeline.json")])
def test_data_downloads_hold_the_events(frame, fmt, name):
    got_name, content = downloads.download(frame, fmt, title="Belarus")
    assert got_name == name
    if fmt == "csv":
        assert content.decode().startswith("event_id,") and b"Statkevich" in content
    elif fmt == "json":
        assert len(json.loads(content)) == len(frame)
    elif fmt == "geojson":
        assert json.loads(content)["type"] == "FeatureCollection"
    else:
        assert len(json.loads(content)["events"]) == int(frame.dated.sum())


def test_the_page_download_is_one_offline_html_file(frame):
    name, content = downloads.download(frame, "html")
    assert name == "timeline.html" and b"PlotlyGeoAssets" in content
    assert not re.search(rb'<(?:script|link|img)[^>]+(?:src|href)="https?://', content)  # nothing to fetch


def test_an_unknown_format_is_refused(frame):
    with pytest.raises(ExportError, match="unknown download format"):
        downloads.download(frame, "docx")


def test_every_offered_format_has_a_file_name():
    assert [f for f, _, _ in downloads.FORMATS][:3] == ["png", "pdf", "svg"]
    assert len({suffix for _, _, suffix in downloads.FORMATS}) == len(downloads.FORMATS)
