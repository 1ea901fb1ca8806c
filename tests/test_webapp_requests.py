"""Requests no browser would send, and uploads at the same moment: the table's edits and the
graphs' selections are capped and resolved in bounded work; two uploads of one name never
lose a file. Requests are posted to the app's Flask server as the browser posts them."""
from __future__ import annotations

import json
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from conftest import callback_body

from timeline.figures import selection as figure_selection
from timeline.synth import synthetic_frame
from timeline.webapp import create_app, uploads, views


@pytest.fixture
def app(tmp_path):
    return create_app([], frame=synthetic_frame(1_200, seed=4), overrides_path=tmp_path / "overrides.csv",
                      upload_dir=tmp_path / "uploads")


def post(app, first_output: str, values: dict):
    client = app.server.test_client()
    deps = client.get("/_dash-dependencies").get_json()
    return client.post("/_dash-update-component", json=callback_body(deps, first_output, values))


def edit(app, previous: list[dict], rows: list[dict]) -> str:
    """Post a table edit; the edit status as text."""
    r = post(app, "edit-status.children", {"event-table.data_timestamp": 1, "event-table.data": rows,
                                           "event-table.data_previous": previous})
    assert r.status_code == 200
    return json.dumps(r.get_json()["response"]["edit-status"], ensure_ascii=False)


# --------------------------------------------------------------------------- table edits

def test_an_edit_of_a_thousand_made_up_rows_writes_nothing(app):
    previous = [{"id": f"forged-{i}", "title": "old"} for i in range(1_000)]
    status = edit(app, previous, [dict(r, title=f"junk {i}") for i, r in enumerate(previous)])
    assert status.count("no such event") == views.MAX_EDITS
    assert f"{1_000 - views.MAX_EDITS:,} more changes not saved" in status
    assert app.corpus.history.log() == []


def test_an_edit_of_a_thousand_real_rows_writes_at_most_the_cap(app):
    previous = views.table_rows(app.corpus.snapshot().frame)
    assert len(previous) == views.TABLE_LIMIT
    status = edit(app, previous, [dict(r, title=f"Corrected {i}") for i, r in enumerate(previous)])
    assert len(app.corpus.history.log()) == len(app.corpus.history.current()) == views.MAX_EDITS
    assert f"{len(previous) - views.MAX_EDITS:,} more changes not saved" in status


def test_an_edited_value_over_the_length_cap_is_refused(app):
    [row] = views.table_rows(app.corpus.snapshot().frame, limit=1)
    status = edit(app, [row], [dict(row, title="x" * 10_000)])
    assert f"title is 10,000 characters long, at most {views.MAX_VALUE_CHARS}" in status
    assert app.corpus.history.log() == []


def test_only_as_many_rows_as_the_table_holds_are_compared():
    previous = [{"id": f"e{i}", "title": "old"} for i in range(5_000)]
    edits = views.table_edits(previous, [dict(r, title="new") for r in previous])
    assert len(edits) == views.TABLE_LIMIT
    assert views.table_edits({"id": "e1"}, "not rows") == []


# --------------------------------------------------------------------------- selections

def test_eight_thousand_made_up_group_keys_are_resolved_in_one_pass(app, monkeypatch):
    calls = []
    real = figure_selection.place_groups
    monkeypatch.setattr(figure_selection, "place_groups", lambda frame: calls.append(1) or real(frame))
    points = [{"customdata": key} for i in range(2_000) for key in (
        f"@place|54.000|25.000|Nowhere {i}", f"@period|category|lane {i}|month|2025-01-01",
        f"@days|country|X{i}|2025-01-01|2025-12-31", f"forged-{i}")]
    r = post(app, "selection.data", {"map-graph.selectedData": {"points": points}})
    assert r.status_code == 200 and r.get_json()["response"] == {}  # nothing selected: the selection stays
    assert len(calls) == 1  # the map's places computed once, not per key


def test_a_selection_reads_at_most_max_points_and_keeps_at_most_max_selected(app, monkeypatch):
    frame = app.corpus.snapshot().frame
    seen = []
    real = views.event_ids_for_each
    monkeypatch.setattr(views, "event_ids_for_each", lambda f, values, **kw: seen.append(len(values)) or real(
        f, values, **kw))
    ids = frame["event_id"].tolist()
    points = [{"customdata": ids[i % len(ids)] + ("" if i < len(ids) else f"-{i}")} for i in range(30_000)]
    selected = views.ids_from_points(frame, {"points": points})
    assert seen == [views.MAX_POINTS] and selected == ids[:views.MAX_SELECTED]
    many = [f"e{i}" for i in range(50_000)]
    assert views.selected_ids({"ids": many}) == many[:views.MAX_SELECTED]


# --------------------------------------------------------------------------- uploads at the same moment

def test_uploads_of_one_name_at_the_same_moment_lose_no_file(tmp_path):
    contents = [f"article {i}\n".encode() * 50 for i in range(24)] + [b"article 0\n" * 50] * 4
    start = threading.Barrier(len(contents))

    def save(data: bytes):
        start.wait()
        return uploads._save(tmp_path, "story.txt", data)

    with ThreadPoolExecutor(len(contents)) as pool:
        results = list(pool.map(save, contents))
    files = sorted(tmp_path.iterdir())
    assert sorted(f.read_bytes() for f in files) == sorted(set(contents))  # each content once, none lost
    assert {f.name for f in files} == {"story.txt"} | {f"story-{n}.txt" for n in range(2, 25)}
    assert sum(r is None for r in results) == 4  # the same content again: "already uploaded"
