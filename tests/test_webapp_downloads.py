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


def test_the_button_offers_the_file_and_says_what_it_holds(frame):
    file, status = downloads.offer(frame, "csv")
    assert file["filename"] == "timeline.csv" and file["base64"] is True
    assert status.startswith(f"timeline.csv: {len(frame)} events, ")


def test_the_button_offers_no_file_for_no_events_or_a_bad_format(frame):
    assert downloads.offer(frame.iloc[0:0], "csv") == (None, "No events match the filters: nothing to download.")
    file, status = downloads.offer(frame, "docx")
    assert file is None and "unknown download format" in status and "\n" not in status


def test_a_csv_download_neutralises_cells_a_spreadsheet_would_run(frame):
    import csv
    import io

    hostile = frame.copy()
    hostile.loc[hostile.index[0], "title"] = '=HYPERLINK("http://evil.example","Click")'
    hostile.loc[hostile.index[1], "source"] = "@SUM(1+1)"
    _, content = downloads.download(hostile, "csv")
    rows = list(csv.DictReader(io.StringIO(content.decode("utf-8"))))
    assert rows[0]["title"] == "'" + hostile["title"].iloc[0] and rows[1]["source"] == "'@SUM(1+1)"
    assert not any(cell[:1] in ("=", "+", "-", "@") for row in rows for name, cell in row.items()
                   if name not in ("lat", "lon"))
