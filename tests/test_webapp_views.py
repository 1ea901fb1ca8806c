"""The dashboard's behaviour as plain functions: filters, selection, the detail panel,
the table and its corrections, uploads, the URL, and state shared by workers through
files. The browser tests (test_webapp_e2e.py) cover what only a browser shows."""
from __future__ import annotations

import base64
import importlib.util
import shutil
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner
from dash import dash_table, dcc, html

from timeline import figures, store
from timeline import frame as fr
from timeline.figures import EMPTY_MESSAGE, timeline_figure
from timeline.synth import synthetic_frame
from timeline.webapp import create_app, filters, uploads, views
from timeline.webapp.corpus import Corpus, Options
from timeline.webapp.filters import Filters
from timeline.webapp.layout import build_layout

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
MARKUP = "<img src=x onerror=alert(1)> <script>alert(2)</script>"
GOOD_ARTICLE = ("Border closed\n\nVILNIUS: Lithuania closed two border crossings with Belarus on 28 October 2025 "
                "after smugglers' balloons drifted into its airspace, the government said.\n\n"
                "Published: 29 October 2025\n")


def event(**fields) -> dict:
    base = dict(event_id="e0", date="2025-09-11", end="2025-09-11", granularity="day", timex="2025-09-11",
                date_text="on Thursday", title="Belarus freed 52 prisoners", category="release",
                actors=["Donald Trump"], places=["Vilnius"], countries=["LT"], lat=54.687, lon=25.28,
                sentence="Belarus freed 52 prisoners on Thursday, the embassy said.", source="Dawn",
                confidence=0.8, article_id="a1", sources=["Dawn"])
    base.update(fields)
    return base


@pytest.fixture(scope="module")
def small() -> pd.DataFrame:
    return fr.from_records([
        event(event_id="rel"),
        event(event_id="mil", date="2025-09-10", end="2025-09-10", timex="2025-09-10", date_text="a day",
              title="Poland shot down Russian drones", category="military", actors=[], places=["Poland"],
              countries=["PL", "RU"], lat=52.0, lon=19.0, sentence="A day after Poland shot down drones."),
        event(event_id="ele", date="2010-01-01", end="2010-12-31", granularity="year", timex="2010",
              date_text="2010", title="Statkevich ran against Lukashenko", category="election",
              actors=["Alexander Lukashenko"], places=["Belarus"], countries=["BY"], lat=53.7, lon=27.7,
              sentence="Statkevich, who ran against Lukashenko in a 2010 election, refused."),
        event(event_id="und", date=None, end=None, granularity="", timex="", date_text="", dated=False,
              title="Lukashenko says there are no political prisoners", category="statement",
              actors=["Alexander Lukashenko"], places=[], countries=["BY"], lat=float("nan"), lon=float("nan"),
              sentence="Lukashenko says there are no political prisoners."),
    ])


def ids(frame: pd.DataFrame) -> list[str]:
    return frame["event_id"].tolist()


def texts(component) -> list[str]:
    """Every string child in a Dash component tree, in order."""
    if isinstance(component, str):
        return [component]
    if isinstance(component, (list, tuple)):
        return [s for c in component for s in texts(c)]
    if component is None or not hasattr(component, "to_plotly_json"):
        return []
    return texts(getattr(component, "children", None))


def components(component) -> list:
    """Every component in a tree."""
    if isinstance(component, (list, tuple)):
        return [x for c in component for x in components(c)]
    if component is None or not hasattr(component, "to_plotly_json"):
        return []
    return [component] + components(getattr(component, "children", None))


def find(component, component_id):
    return next((c for c in components(component) if getattr(c, "id", None) == component_id), None)


def corpus_copy(tmp_path: Path) -> Path:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for f in SEEDS.glob("*.txt"):
        shutil.copy(f, corpus / f.name)
    return corpus


def data_url(data: bytes, mime: str = "text/plain") -> str:
    return f"data:{mime};base64," + base64.b64encode(data).decode("ascii")


# --------------------------------------------------------------------------- filters

@pytest.mark.parametrize("kwargs, expected", [
    ({}, ["rel", "mil", "ele", "und"]),
    ({"categories": ["military", "election"]}, ["mil", "ele"]),
    ({"countries": ["BY"]}, ["ele", "und"]),
    ({"countries": ["RU", "LT"]}, ["rel", "mil"]),
    ({"actors": ["Alexander Lukashenko"]}, ["ele", "und"]),
    ({"start": "2025-09-01"}, ["rel", "mil"]),
    ({"end": "2024-12-31"}, ["ele"]),
    ({"start": "2010-06-01", "end": "2010-06-30"}, ["ele"]),  # a year overlaps its months
    ({"start": "2025-09-30", "end": "2025-09-01"}, ["rel", "mil"]),  # reversed: put right
    ({"start": "not a date", "end": ""}, ["rel", "mil", "ele", "und"]),
    ({"text": "DRONES"}, ["mil"]),
    ({"text": "trump"}, ["rel"]),  # actors are searched too
    ({"text": "vilnius"}, ["rel"]),  # and places
    ({"categories": ["release"], "countries": ["PL"]}, []),
])
def test_filters_keep_only_the_matching_events(small, kwargs, expected):
    assert ids(filters.filter_frame(small, Filters.of(**kwargs))) == expected


def test_the_likely_events_leave_out_the_rows_an_editor_seldom_keeps(small):
    """By default (`shown` "likely") a row below `confidence.shown_from()` is left out; "all"
    (the dashboard's "All rows", `?show=all`) shows it; a row without a confidence stays."""
    from timeline.extract import confidence
    low = confidence.shown_from() - 0.01
    frame = small.assign(confidence=[0.9, low, confidence.shown_from(), float("nan")])
    assert ids(filters.filter_frame(frame, Filters())) == ["rel", "ele", "und"]
    assert ids(filters.filter_frame(frame, Filters.of(shown="all"))) == ["rel", "mil", "ele", "und"]
    assert ids(filters.filter_frame(frame, Filters.of(shown="nonsense"))) == ["rel", "ele", "und"]
    assert filters.from_search("?show=all").shown == "all" and filters.from_search("?show=x").shown == "likely"
    assert ("show", "all") in Filters.of(shown="all").query_pairs() and ("show", "") in Filters().query_pairs()


def test_the_language_filter_keeps_the_events_whose_evidence_is_in_a_language(small):
    from timeline.webapp.corpus import Snapshot
    from timeline.webapp.layout import language_options

    frame = small.assign(language=["ru", "en", "ru", "lt"])
    assert ids(filters.filter_frame(frame, Filters.of(languages=["ru"]))) == ["rel", "ele"]
    assert ids(filters.filter_frame(frame, Filters.of(languages=["lt", "en"]))) == ["mil", "und"]
    options = Snapshot(frame, "v").options
    assert options.languages == ("ru", "en", "lt")  # most frequent first
    assert language_options(options)[0] == {"label": "Russian (ru)", "value": "ru"}
    # in the URL: ?lang=ru,lt; a language the corpus does not have is dropped
    f = filters.from_search("?lang=RU,lt,xx", options)
    assert f.languages == ("ru", "lt") and f.active and ("lang", "ru,lt") in f.query_pairs()
    assert filters.from_search("?lang=xx", options) == Filters()


def test_filtering_with_the_snapshot_haystack_gives_the_same_rows(small):
    statkevich = Filters.of(text="statkevich")
    from timeline.webapp.corpus import Snapshot
    with_haystack = filters.filter_frame(small, statkevich, haystack=Snapshot(small, "v").haystack)
    assert ids(with_haystack) == ids(filters.filter_frame(small, statkevich)) == ["ele"]


@pytest.mark.parametrize("raw, expected", [
    ({}, Filters()),
    ({"categories": "military", "countries": ["BY", "BY", " ", 5], "actors": {"not": "a list"}},
     Filters(categories=("military",), countries=("BY", "5"))),
    ({"start": "2025-09-30T10:00", "end": "2025-09-01", "text": "  Two\n words  "},
     Filters(start="2025-09-01", end="2025-09-30", text="Two words")),
    ({"start": "2025-13-01", "text": "x" * 500}, Filters(text="x" * 200)),
])
def test_filters_from_component_values_are_checked_and_normalised(raw, expected):
    assert Filters.of(**raw) == expected
    assert Filters.of(**raw).active is (expected != Filters())


def test_a_filter_matching_nothing_gives_empty_states_not_errors(small):
    empty = filters.filter_frame(small, Filters.of(categories=["award"]))
    assert empty.empty and list(empty.columns) == list(small.columns)
    assert views.table_rows(empty) == []
    [item] = views.chronology_items(empty)
    assert "No events match" in " ".join(texts(item))
    fig = timeline_figure(empty)
    assert any(EMPTY_MESSAGE in a.text for a in fig.layout.annotations)
    mfig = figures.map_figure(empty)
    assert any(EMPTY_MESSAGE in a.text for a in mfig.layout.annotations)
    assert "0 events" in views.map_note(empty, None) or "0 of" in views.map_note(empty, None)
    assert views.summary(0, 4) == "Showing 0 of 4 events"


def test_the_visible_range_of_the_timeline_filters_the_map(small):
    assert ids(filters.in_range(small, None)) == ids(small)
    assert ids(filters.in_range(small, ["2025-09-10", "2025-09-10"])) == ["mil"]
    note = views.map_note(filters.in_range(small, ["2025-09-01", "2025-09-30"]), ["2025-09-01", "2025-09-30"])
    assert "1 September 2025 to 30 September 2025" in note


@pytest.mark.parametrize("value, expected", [
    (["2025-08-01", "2025-09-15"], ("2025-08-01", "2025-09-15")),
    (["2025-09-15", "2025-08-01"], ("2025-08-01", "2025-09-15")),
    (["2025-08-01", "garbage"], None),
    (["2025-08-01"], None),
    ("2025-08-01", None),
    (None, None),
])
def test_a_visible_range_from_the_browser_is_checked(value, expected):
    assert filters.as_range(value) == expected


@pytest.mark.parametrize("value, expected", [
    (["2025-08-01", "2025-09-15"], ("2025-08-01", "2025-09-15")),
    (["2025-09-15 06:00", "2025-08-01 14:22:10.5123"], ("2025-08-01 14:22:10.5123", "2025-09-15 06:00")),
    ("all", "all"),
    (["2025-08-01", "now"], None),
    (["2025-13-45", "2025-08-01"], None),
    (["2025-08-01T10:00:00+05:00", "2025-08-02"], None),
    (["2025-08-01"], None),
    ([1, 2], None),
    ("everything", None),
    (None, None),
])
def test_the_timeline_redraws_on_the_range_the_browser_reported_or_on_all(value, expected):
    assert filters.timeline_range(value) == expected
    if expected:  # the map reads the same store by day, and "all" as no range
        assert filters.as_range(value) == (tuple(v[:10] for v in expected) if expected != "all" else None)


# --------------------------------------------------------------------------- the URL

OFFERED = Options(categories=("military", "election", "release"), countries=("BY", "PL"),
                  actors=("Alexander Lukashenko",), first=None, last=None)


def test_url_parameters_set_the_filters_they_name():
    search = ("?category=Military,election&country=by&actor=Alexander%20Lukashenko"
              "&from=2025-08-01&to=2025-09-30&q=drones&lanes=country&event=mil")
    assert filters.from_search(search, OFFERED) == Filters(
        categories=("military", "election"), countries=("BY",), actors=("Alexander Lukashenko",),
        start="2025-08-01", end="2025-09-30", text="drones")
    assert views.lanes_from_search(search) == "country"
    assert views.event_from_search(search) == "mil"


def test_url_filters_write_back_into_the_same_query_string():
    f = filters.from_search("?category=release,military&country=PL&from=2025-08-01&q=two%20words", OFFERED)
    query = "&".join(f"{k}={v}" for k, v in f.query_pairs() if v)
    assert query == "category=release,military&country=PL&from=2025-08-01&q=two words"
    assert filters.from_search("?" + query, OFFERED) == f


def test_reversed_dates_in_the_url_are_put_in_order():
    assert filters.from_search("?from=2025-09-30&to=2025-08-01", OFFERED) == Filters(start="2025-08-01",
                                                                                    end="2025-09-30")


@pytest.mark.parametrize("search", [
    "?category=nonsense&country=ZZ&actor=Nobody&from=yesterday&to=2025-13-45&lanes=diagonal",
    "?%%%&&&==",
    "?category=&from=&lanes=",
    "",
    None,
])
def test_nonsense_url_parameters_are_ignored_and_the_defaults_kept(search):
    assert filters.from_search(search, OFFERED) == Filters()
    assert filters.from_search("?category=military", None) == Filters()  # nothing on offer
    assert views.lanes_from_search(search) == "category"
    assert views.event_from_search(search) == ""


# --------------------------------------------------------------------------- selection

def test_clicks_and_boxes_resolve_to_event_ids_and_places_to_their_events(small):
    assert views.ids_from_points(small, {"points": [{"customdata": "mil"}]}) == ["mil"]
    assert views.ids_from_points(small, {"points": [{"customdata": "nope"}, {"x": 1}]}) == []
    fig = figures.map_figure(small)
    keys = [k for t in fig.data if t.customdata is not None for k in t.customdata]
    vilnius = next(k for k in keys if "Vilnius" in k)
    assert views.ids_from_points(small, {"points": [{"customdata": vilnius}, {"customdata": "mil"}]}) == ["rel", "mil"]
    assert views.ids_from_points(small, None) == []
    assert views.ids_from_points(small, {"points": "garbage"}) == []


def test_a_box_cleared_on_its_graph_clears_only_its_own_selection(small):
    box = views.selection_update(small, None, {"points": [{"customdata": "rel"}]}, origin="timeline-box")
    assert box["ids"] == ["rel"] and box["focus"] == "rel"
    assert views.selection_update(small, box, None, origin="timeline-box")["ids"] == []
    assert views.selection_update(small, box, None, origin="map-box") is None
    # A click on something that is no event (the route) keeps the selection.
    assert views.selection_update(small, box, {"points": [{"lat": 1}]}, origin="map-click") is None


def test_each_input_moves_the_selection_as_the_reader_expects(small):
    def step(prop_id, value, store=None):
        return views.next_selection(prop_id, value, store, shown=lambda graph: small,
                                    known=lambda i: i in set(small["event_id"]))

    assert step("", "?event=mil")["ids"] == ["mil"]
    assert step("url.search", "?event=nonsense")["ids"] == []
    both = step("map-graph.selectedData", {"points": [{"customdata": "rel"}, {"customdata": "mil"}]})
    assert both == {"ids": ["rel", "mil"], "focus": "rel", "origin": "map-box", "groups": []}
    assert step("picked.data", {"type": "pick", "index": "mil"}, both) == {"ids": ["rel", "mil"], "focus": "mil",
                                                                          "origin": "", "groups": []}
    assert step("picked.data", {"type": "event-item", "index": "ele"}, both)["ids"] == ["ele"]
    assert step("picked.data", "garbage", both) is None
    assert step("event-table.active_cell", {"row": 0, "column_id": "title", "row_id": "und"})["ids"] == ["und"]
    assert step("event-table.active_cell", {"row_id": "rel"}, both) is None  # already the focus
    assert step("timeline-graph.clickData", {"points": [{"customdata": "ele"}]})["origin"] == "timeline-click"
    assert step("clear-selection.n_clicks", 1, both)["ids"] == []
    assert step("something-else.value", 1, both) is None


def test_clicking_a_group_of_day_events_selects_them_and_remembers_the_group():
    frame = synthetic_frame(12_000)
    fig = timeline_figure(frame, level_of_detail=True)
    key = next(k for t in fig.data if t.type == "scatter" and t.customdata is not None
               for k in t.customdata if k.startswith("@days|") and len(figures.event_ids_for(frame, k)) > 1)
    picked = views.selection_update(frame, None, {"points": [{"customdata": key}]}, origin="timeline-click")
    assert picked["ids"] == figures.event_ids_for(frame, key) and picked["groups"] == [key]
    # Picking one of them in the detail panel keeps the group emphasised.
    focus = views.next_selection("picked.data", {"type": "pick", "index": picked["ids"][1]}, picked,
                                 shown=lambda graph: frame, known=lambda i: True)
    assert focus["focus"] == picked["ids"][1] and focus["groups"] == [key]


def test_large_frames_resolve_aggregated_bars_to_their_events():
    frame = synthetic_frame(12_000)
    fig = timeline_figure(frame)
    key = next(k for t in fig.data if t.type == "bar" for k in t.customdata)
    assert key.startswith("@period")
    got = views.ids_from_points(frame, {"points": [{"customdata": key}]})
    assert got and set(got) <= set(frame["event_id"])


# --------------------------------------------------------------------------- detail

def test_the_detail_shows_the_evidence_with_the_date_expression_marked(small):
    detail = views.event_detail(small, views.selection(["rel"]))
    card = next(c for c in components(detail) if isinstance(c, html.Article))
    assert card.to_plotly_json()["props"]["data-event-id"] == "rel"
    evidence = find(detail, "detail-evidence")
    assert "".join(texts(evidence)) == "Belarus freed 52 prisoners on Thursday, the embassy said."
    [mark] = [c for c in components(evidence) if isinstance(c, html.Mark)]
    assert mark.children == "on Thursday"
    words = " ".join(texts(detail))
    for expected in ("Belarus freed 52 prisoners", "11 September 2025", "“on Thursday” → 2025-09-11", "day",
                     "Donald Trump", "Vilnius", "Lithuania (LT)", "release", "0.80", "Dawn"):
        assert expected in words


def test_the_detail_of_a_year_event_says_the_year_and_its_granularity(small):
    words = " ".join(texts(views.event_detail(small, views.selection(["ele"]))))
    assert "2010" in words and "year" in words


def test_without_a_selection_the_detail_says_what_to_do(small):
    assert "Select an event" in " ".join(texts(views.event_detail(small, None)))
    assert "Select an event" in " ".join(texts(views.event_detail(small, {"ids": "garbage"})))


def test_several_selected_events_are_listed_for_picking(small):
    detail = views.event_detail(small, views.selection(["rel", "mil"], focus="mil"))
    buttons = [c for c in components(detail) if isinstance(c, html.Button)]
    assert [b.to_plotly_json()["props"]["data-event-id"] for b in buttons] == ["rel", "mil"]
    card = next(c for c in components(detail) if isinstance(c, html.Article))
    assert card.to_plotly_json()["props"]["data-event-id"] == "mil"


@pytest.mark.parametrize("sentence, date_text, expected", [
    ("Freed on Thursday, they left.", "Thursday", ("Freed on ", "Thursday", ", they left.")),
    ("LAST MONTH he called.", "last month", ("", "LAST MONTH", " he called.")),
    ("No date here.", "2010", ("No date here.", "", "")),
    ("", "", ("", "", "")),
])
def test_evidence_parts_cut_around_the_date_expression(sentence, date_text, expected):
    assert views.evidence_parts(sentence, date_text) == expected


def test_markup_in_article_text_stays_text_in_detail_table_and_list(small):
    hostile = fr.from_records([event(event_id="x", title=MARKUP, sentence=f"{MARKUP} on Thursday.",
                                     actors=[MARKUP], places=[MARKUP], source=MARKUP,
                                     url="javascript:alert(3)")])
    detail = views.event_detail(hostile, views.selection(["x"]))
    assert MARKUP in texts(detail)  # a text child: React renders it as text
    kinds = {type(c) for c in components(detail)}
    assert not kinds & {dcc.Markdown}
    assert not [c for c in components(detail) if getattr(c, "href", None)]  # javascript: is never a link
    [row] = views.table_rows(hostile)
    assert row["title"] == MARKUP and row["source"] == MARKUP
    page = build_layout(Corpus([], overrides_path="/nonexistent/o.csv").snapshot(), max_upload_bytes=1000)
    table = next(c for c in components(page) if isinstance(c, dash_table.DataTable))
    assert all(col.get("presentation") in (None, "input") for col in table.columns)  # never markdown
    assert any(MARKUP in t for t in texts(views.chronology_items(hostile)))
    hover = " ".join(str(h) for t in timeline_figure(hostile).data for h in (t.hovertext or []))
    assert "<img" not in hover and "&lt;img" in hover


@pytest.mark.parametrize("url, expected", [
    ("https://www.dawn.com/news/1", "https://www.dawn.com/news/1"),
    ("http://example.org/a", "http://example.org/a"),
    ("javascript:alert(1)", None),
    ("data:text/html,<script>", None),
    ("//evil.example", None),
    ("", None),
])
def test_only_http_links_are_links(url, expected):
    assert views.safe_url(url) == expected


# --------------------------------------------------------------------------- table edits

def test_table_edits_are_the_changed_editable_cells(small):
    before = views.table_rows(small)
    after = [dict(r) for r in before]
    after[0]["title"] = "  Belarus frees 52  "
    after[1]["date"] = "2025-09-09"
    after[1]["source"] = "Not editable"
    after[2]["category"] = after[2]["category"]
    assert views.table_edits(before, after) == [
        views.Edit("rel", "title", "Belarus frees 52", before[0]["title"]),
        views.Edit("mil", "date", "2025-09-09", before[1]["date"])]
    assert views.table_edits(None, after) == []


def test_a_table_edit_is_a_correction_in_the_history_that_survives_recreating_the_app(tmp_path):
    corpus = corpus_copy(tmp_path)
    app = create_app([corpus])
    snap = app.corpus.snapshot()
    first = snap.frame[snap.frame["dated"]].iloc[0]
    before = views.table_rows(snap.frame)
    after = [dict(r) for r in before]
    row = next(r for r in after if r["id"] == first["event_id"])
    row["title"] = "Corrected title"
    row["date"] = "2009"
    saved, refused = views.save_edits(app.corpus.history, views.table_edits(before, after), who="ana")
    assert len(saved) == 2 and refused == []
    assert (corpus / "timeline.db").exists() and not app.corpus.overrides_path.exists()
    log = app.corpus.history.log()
    assert [(c.field, c.who, c.old_value) for c in log] == [("title", "ana", first["title"]),
                                                           ("date", "ana", first["timex"])]  # newest first
    assert app.corpus.history.story == corpus.name

    def check(frame):
        fixed = frame[frame["event_id"] == first["event_id"]].iloc[0]
        assert fixed["title"] == "Corrected title"
        assert (fixed["timex"], fixed["granularity"], str(fixed["date"].date())) == ("2009", "year", "2009-01-01")

    check(app.corpus.snapshot().frame)  # this worker sees it at once
    assert app.corpus.snapshot().version != snap.version
    check(create_app([corpus]).corpus.snapshot().frame)  # and it survives a restart


def test_bad_table_edits_are_refused_with_a_reason_and_nothing_is_written(tmp_path):
    history = store.History(store.open_database(f"sqlite:///{tmp_path / 'edits.db'}"), "story")
    saved, refused = views.save_edits(history, [views.Edit("e1", "date", "next Tuesday"),
                                                views.Edit("e1", "category", "gossip"),
                                                views.Edit("e1", "title", "")], who="ana")
    assert saved == [] and len(refused) == 3
    assert "next Tuesday" in refused[0] and "gossip" in refused[1] and "empty" in refused[2]
    assert history.log() == []


def test_workers_share_corrections_through_the_database_and_uploads_through_files(tmp_path):
    corpus = corpus_copy(tmp_path)
    history = store.History(store.open_database(f"sqlite:///{corpus / 'timeline.db'}"), "story")
    one, two = Corpus([corpus], history=history), Corpus([corpus], history=history)  # two gunicorn workers
    n = len(two.snapshot().frame)
    target = two.snapshot().frame["event_id"].iloc[0]
    views.save_edits(one.history, [views.Edit(target, "title", "Seen by every worker")], who="ana")
    uploads.save_uploads([data_url(GOOD_ARTICLE.encode())], ["drones.txt"], one.upload_dir)
    frame = two.snapshot().frame
    assert frame.loc[frame["event_id"] == target, "title"].item() == "Seen by every worker"
    assert len(frame) > n


def test_a_malformed_overrides_file_is_reported_and_the_corpus_still_served(tmp_path):
    corpus = corpus_copy(tmp_path)
    (corpus / "overrides.csv").write_text("event_id,field,value\nabc,colour,red\n", encoding="utf-8")
    snap = Corpus([corpus]).snapshot()
    assert len(snap.frame) > 0
    assert any("colour" in w for w in snap.warnings)


# --------------------------------------------------------------------------- uploads

def test_an_upload_of_good_and_bad_files_saves_the_good_and_names_the_bad(tmp_path):
    corpus = corpus_copy(tmp_path)
    c = Corpus([corpus])
    n = len(c.snapshot().frame)
    result = uploads.save_uploads(
        [data_url(GOOD_ARTICLE.encode()), data_url(b"\x00\x01\x02\xff" * 50), data_url(b""),
         data_url(b"MZ\x90\x00", "application/octet-stream"), "garbage"],
        ["drones.txt", "binary.txt", "empty.html", "tool.exe", "broken.json"],
        c.upload_dir)
    assert [p.name for p in result.saved] == ["drones.txt"]
    assert result.messages == ["drones.txt: 1 article added"]
    assert [e.split(":")[0] for e in result.errors] == ["binary.txt", "empty.html", "tool.exe", "broken.json"]
    assert "unknown file type .exe" in result.errors[2]
    frame = c.snapshot().frame
    assert len(frame) > n
    assert (frame["timex"] == "2025-10-28").any()


def test_an_upload_over_the_size_limit_is_refused_by_name(tmp_path):
    result = uploads.save_uploads([data_url(b"x" * 2_000)], ["big.txt"], tmp_path, max_bytes=1_000)
    assert result.saved == []
    assert result.errors == ["big.txt: file is 2,000 bytes, over the 1,000-byte limit"]
    assert not any(tmp_path.iterdir())


def test_the_same_upload_twice_is_kept_once_and_a_namesake_gets_its_own_name(tmp_path):
    good = data_url(GOOD_ARTICLE.encode())
    assert [p.name for p in uploads.save_uploads([good], ["a.txt"], tmp_path).saved] == ["a.txt"]
    again = uploads.save_uploads([good], ["a.txt"], tmp_path)
    assert again.saved == [] and again.messages == ["a.txt: already uploaded"]
    other = data_url(GOOD_ARTICLE.replace("28 October", "27 October").encode())
    assert [p.name for p in uploads.save_uploads([other], ["a.txt"], tmp_path).saved] == ["a-2.txt"]


def test_a_drop_names_first_the_files_the_browser_refused_for_their_size(tmp_path):
    payload = {"contents": [data_url(GOOD_ARTICLE.encode()), data_url(b"\x00" * 40)],
               "filenames": ["good.txt", "bad.txt"], "rejected": ["huge.txt: file is 3 bytes, over the limit"]}
    result = uploads.save_payload(payload, tmp_path)
    assert [p.name for p in result.saved] == ["good.txt"]
    assert result.errors[0] == "huge.txt: file is 3 bytes, over the limit" and result.errors[1].startswith("bad.txt: ")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["good.txt"]  # no temporary file left behind
    [ul] = views.status_lines(result.messages, result.errors)
    assert [li.className for li in ul.children] == ["ok", "error", "error"]
    assert views.status_lines([], []) == []


@pytest.mark.parametrize("name, expected", [
    ("../../etc/passwd.txt", "passwd.txt"),
    ("C:\\Users\\me\\story one.HTML", "story-one.html"),
    (".hidden.md", "hidden.md"),
    ("ünïcode story.json", "n-code-story.json"),
])
def test_uploaded_files_are_saved_under_safe_names(name, expected):
    assert uploads.safe_name(name) == expected


# --------------------------------------------------------------------------- page, app, command

def test_the_page_has_the_stable_ids_and_the_credits(small):
    page = build_layout(Corpus([], overrides_path="/nonexistent/o.csv").snapshot(), max_upload_bytes=1000)
    found = {c.id for c in components(page) if isinstance(getattr(c, "id", None), str)}
    for cid in ("timeline-graph", "map-graph", "event-detail", "event-table", "upload", "event-list",
                "filter-category", "filter-country", "filter-actor", "filter-from", "filter-to", "filter-text",
                "lanes", "selection", "url"):
        assert cid in found
    words = " ".join(texts(page))
    assert "Natural Earth" in words and "GeoNames" in words and "CC BY 4.0" in words


@pytest.mark.parametrize("width, legend", [(360, False), (1440, True), (None, True), ("x", True)])
def test_figure_sizes_follow_the_viewport(width, legend):
    s = views.sizes(width)
    assert s.timeline_legend is legend
    assert 300 <= s.map_height <= 560 and s.timeline_width >= 200


def test_a_narrow_page_draws_the_timeline_without_its_legend_and_shows_a_key(small):
    narrow = views.sizes(360)
    fig = timeline_figure(small, legend=narrow.timeline_legend, width=narrow.timeline_width)
    assert fig.layout.showlegend is False
    assert fig.layout.height < timeline_figure(small).layout.height
    key = " ".join(texts(views.timeline_key(small)))
    assert key.count("●") == 1 and "Release" in key and "Military" in key and "Election" in key
    assert "Statement" not in key  # the undated statement is not on the timeline


def test_the_key_shows_each_category_in_its_own_colour_and_mark(small):
    from timeline import categories
    border = fr.from_records([event(event_id="b", category="border"), event(event_id="o", category="other")])
    items = views.timeline_key(border)
    assert [texts(li)[-1] for li in items] == ["Border", "Other"]  # display order
    marks = [li.children[0] for li in items]
    assert [m.children for m in marks] == [categories.get("border").mark, categories.get("other").mark]
    assert marks[0].style["color"] == categories.colour("border") == "#999933"
    assert marks[0].children != marks[1].children


def post_callback(client, first_output: str, values: dict, changed: list[str]):
    """POST a callback as the browser would (its inputs from the app's own dependencies):
    the response, whose JSON holds only the outputs that changed."""
    deps = client.get("/_dash-dependencies").get_json()
    dep = next(d for d in deps if d["output"].lstrip(".").startswith(first_output))

    def item(i):
        return {"id": i["id"], "property": i["property"], "value": values.get(f"{i['id']}.{i['property']}")}

    outputs = [dict(zip(("id", "property"), o.rsplit(".", 1))) for o in dep["output"].strip(".").split("...")]
    return client.post("/_dash-update-component", json={
        "output": dep["output"], "outputs": outputs if len(outputs) > 1 else outputs[0],
        "inputs": [item(i) for i in dep["inputs"]], "state": [item(i) for i in dep["state"]],
        "changedPropIds": changed})


def test_zooming_redraws_a_large_timeline_where_the_reader_left_it_and_a_small_one_not_at_all(tmp_path):
    zoom = ["2025-08-10 06:30:00.25", "2025-08-17 18:00"]
    small = create_app([], frame=synthetic_frame(300), overrides_path=tmp_path / "a.csv", upload_dir=tmp_path / "a")
    r = post_callback(small.server.test_client(), "timeline-graph.figure", {"visible-range.data": zoom},
                      ["visible-range.data"])
    assert r.status_code in (200, 204) and (r.status_code == 204 or r.get_json()["response"] == {})
    # (nothing travels: plotly zooms a small frame on its own)
    large = create_app([], frame=synthetic_frame(figures.LARGE_FRAME * 2), overrides_path=tmp_path / "b.csv",
                       upload_dir=tmp_path / "b")
    client = large.server.test_client()
    r = post_callback(client, "timeline-graph.figure", {"visible-range.data": zoom}, ["visible-range.data"])
    assert r.status_code == 200
    response = r.get_json()["response"]
    assert set(response) == {"timeline-graph"}  # the key beside it stays as it is
    layout = response["timeline-graph"]["figure"]["layout"]
    assert layout["xaxis"]["range"] == ["2025-08-10 06:30:00.250000", "2025-08-17 18:00:00"]
    assert layout["uirevision"] == "timeline-category"
    # A filter redrawn while zoomed keeps the zoom; "all" keeps plotly's autorange.
    r = post_callback(client, "timeline-graph.figure",
                      {"visible-range.data": "all", "filter-category.value": ["talks"]}, ["filter-category.value"])
    assert r.get_json()["response"]["timeline-graph"]["figure"]["layout"]["xaxis"]["autorange"] is True


def test_create_app_serves_everything_locally(tmp_path):
    app = create_app([corpus_copy(tmp_path)])
    assert app.config.serve_locally is True
    client = app.server.test_client()
    page = client.get("/").get_data(as_text=True)
    assert "unpkg.com" not in page and "cdn.plot.ly" not in page and "cdn.jsdelivr" not in page
    assert client.get("/assets/topojson/europe_50m.json").status_code == 200
    assert client.get("/assets/app.css").status_code == 200


def test_app_py_exposes_a_wsgi_server_for_gunicorn(tmp_path, monkeypatch):
    corpus = corpus_copy(tmp_path)
    monkeypatch.setenv("TIMELINE_CORPUS", str(corpus))
    monkeypatch.setenv("TIMELINE_UPLOADS", str(tmp_path / "up"))
    spec = importlib.util.spec_from_file_location("timeline_app_under_test", ROOT / "app.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.server is module.app.server
    assert module.app.corpus.upload_dir == tmp_path / "up"
    assert module.app.corpus.overrides_path == corpus / "overrides.csv"
    assert module.server.test_client().get("/_dash-layout").status_code == 200


def test_the_serve_command_runs_the_app_on_the_given_host_and_port(tmp_path, monkeypatch):
    from dash import Dash

    from timeline.cli.serve import serve

    ran = {}
    monkeypatch.setattr(Dash, "run", lambda self, **kw: ran.update(kw))
    corpus = corpus_copy(tmp_path)
    result = CliRunner().invoke(serve, [str(corpus), "--port", "9123", "--overrides", str(tmp_path / "fix.yaml")])
    assert result.exit_code == 0, result.output
    handler = ran.pop("request_handler")
    assert ran == {"host": "127.0.0.1", "port": 9123, "debug": False}
    assert handler.version_string(None) == "timeline"  # no version in the Server header
    assert "open to this machine only" in result.output
    monkeypatch.setenv("HOST", "0.0.0.0")
    monkeypatch.setenv("PORT", "8111")
    result = CliRunner().invoke(serve, [str(corpus)])
    ran.pop("request_handler")
    assert ran == {"host": "0.0.0.0", "port": 8111, "debug": False}
    assert "read-only: listening on 0.0.0.0 and no users" in result.output
    assert CliRunner().invoke(serve, [str(tmp_path / "missing")]).exit_code == 2


def test_an_uploads_parse_is_kept_for_the_next_worker_and_redone_for_a_new_parser(tmp_path, monkeypatch):
    from timeline.webapp import corpus as corpus_module
    from timeline.webapp import sandbox
    from timeline.webapp.corpus import PARSED_DIR, Corpus

    uploads = tmp_path / "uploads"
    uploads.mkdir()
    (uploads / "border.txt").write_text("VILNIUS, 29 October 2025 (Reuters) - Lithuania closed two border crossings "
                                        "with Belarus on Tuesday after balloons drifted into its airspace.\n")
    (uploads / "bad.txt").write_bytes(b"\x00\x01 binary")
    first = Corpus([], frame=synthetic_frame(5), overrides_path=tmp_path / "o.csv", upload_dir=uploads)
    snap = first.snapshot()
    assert len(list((uploads / PARSED_DIR).iterdir())) == 1  # the clean parse is kept, the failed one not
    calls = []
    real = sandbox.parse_file
    monkeypatch.setattr(sandbox, "parse_file", lambda path, **kw: calls.append(path) or real(path, **kw))
    again = Corpus([], frame=synthetic_frame(5), overrides_path=tmp_path / "o.csv", upload_dir=uploads)
    pd.testing.assert_frame_equal(again.snapshot().frame, snap.frame)
    assert again.snapshot().n_articles == snap.n_articles and again.snapshot().errors == snap.errors
    assert [p.name for p in calls] == ["bad.txt"]  # the kept parse was read, not parsed again
    monkeypatch.setattr(corpus_module, "_parser_digest", "another version of the parser")
    calls.clear()
    Corpus([], frame=synthetic_frame(5), overrides_path=tmp_path / "o.csv", upload_dir=uploads).snapshot()
    assert sorted(p.name for p in calls) == ["bad.txt", "border.txt"]


def _text(component) -> str:
    children = getattr(component, "children", component)
    if isinstance(children, (list, tuple)):
        return "".join(_text(c) for c in children)
    return "" if children is None else (children if isinstance(children, str) else _text(children))


def test_the_event_detail_says_when_a_row_is_shown_under_all_rows_only():
    from timeline.extract import confidence
    hidden = confidence.shown_from() - 0.05
    assert f"{hidden:.2f} (shown under All rows only)" in _text(views.event_card(event(confidence=hidden)))
    assert "All rows only" not in _text(views.event_card(event(confidence=0.9)))


def test_the_event_detail_says_which_language_its_source_is_in():
    text = _text
    card = views.event_card(event(language="ru", source="Nasha Niva", published=pd.Timestamp("2025-09-12")))
    assert "Source: Nasha Niva (in Russian), published 12 September 2025" in text(card)
    assert "(in " not in text(views.event_card(event(language="", source="Dawn")))
