"""Serving an archive's store part by part (`timeline.archive.serving`, `webapp.archive`):
what the filters select is what filtering the whole store would give, the part read is the
latest when the filters select more than a part holds, corrections follow their events into
whichever part holds them, and a store rewritten by `timeline ingest` is seen at once."""
from __future__ import annotations

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from timeline import frame as fr
from timeline.archive import serving
from timeline.archive.store import years_of
from timeline.frame.build import _ordered
from timeline.synth import synthetic_frame
from timeline.webapp.archive import StoreCorpus
from timeline.webapp.corpus import Corpus
from timeline.webapp.filters import Filters, filter_frame

N = 3_000


def write_store(store, frame: pd.DataFrame, *, parts: int = 2, row_group: int = 97) -> None:
    """`frame` as a store's events files: each year in `parts` files of small row groups."""
    frame = _ordered(frame)
    years = years_of(frame)
    for year in sorted(set(years)):
        rows = frame.loc[(years == year).to_numpy()]
        for k in range(parts):
            part = rows.iloc[k::parts]
            if len(part):
                path = store / "events" / f"year={year}" / f"part-{k}.parquet"
                path.parent.mkdir(parents=True, exist_ok=True)
                pq.write_table(fr.arrow_table(part), path, row_group_size=row_group)


@pytest.fixture(scope="module")
def whole() -> pd.DataFrame:
    frame = synthetic_frame(N, seed=7)
    frame["language"] = [("en", "en", "ru", "lt")[i % 4] for i in range(N)]  # evidence in three languages
    return _ordered(frame)


@pytest.fixture
def store(whole, tmp_path):
    folder = tmp_path / "store"
    write_store(folder, whole)
    return folder


def same_rows(a: pd.DataFrame, b: pd.DataFrame) -> None:
    key = ["date", "event_id"]
    pd.testing.assert_frame_equal(a.sort_values(key, na_position="last").reset_index(drop=True),
                                  b.sort_values(key, na_position="last").reset_index(drop=True))


FILTERS = [
    Filters(),
    Filters.of(categories=["release", "protest"]),
    Filters.of(countries=["LT"]),
    Filters.of(start="2025-08-20", end="2025-08-31"),
    Filters.of(start="2014-01-01", end="2014-12-31", countries=["PL", "BY"], categories=["military"]),
    Filters.of(end="2012-06-30"),
    Filters.of(text="vilnius"),
    Filters.of(actors=["Alexander Lukashenko", "Viasna"]),
    Filters.of(actors=["Sviatlana Tsikhanouskaya"], countries=["LT"], start="2020-01-01"),
    Filters.of(actors=["nobody of that name"]),
    Filters.of(languages=["ru"]),
    Filters.of(languages=["lt", "en"], categories=["release"], start="2020-01-01"),
]


@pytest.mark.parametrize("f", FILTERS, ids=range(len(FILTERS)))
def test_a_part_holding_everything_selected_equals_filtering_the_whole_store(whole, store, f, monkeypatch):
    monkeypatch.setattr(serving, "WINDOW_EVENTS", N)
    snap, shown = StoreCorpus(store).select(f)
    expected = filter_frame(whole, f)
    assert len(expected) > 0 or f.actors == ("nobody of that name",)
    same_rows(shown, expected)
    assert snap.note == "" and snap.events == N


def test_the_store_offers_the_options_of_all_its_events(whole, store, monkeypatch):
    monkeypatch.setattr(serving, "WINDOW_EVENTS", 100)
    assert StoreCorpus(store).snapshot().options == Corpus([store], frame=whole).snapshot().options


def test_more_than_a_part_holds_gives_the_latest_and_says_so(whole, store, monkeypatch):
    monkeypatch.setattr(serving, "WINDOW_EVENTS", 500)
    corpus = StoreCorpus(store)
    snap, shown = corpus.select(Filters())
    assert len(shown) == 500 and snap.events == N
    dated = whole["dated"] & whole["date"].notna()
    left_out = whole.loc[dated & ~whole["event_id"].isin(shown["event_id"])]
    assert shown["date"].min() >= left_out["date"].max()  # nothing later was left out
    assert "holds 3,000 events: the latest 500 (from " in snap.note
    # Dates and a category: counted over the whole store, the latest 500 of them read.
    monkeypatch.setattr(serving, "WINDOW_EVENTS", 300)
    f = Filters.of(start="2025-08-01", categories=["diplomacy", "talks", "statement"])
    snap, shown = corpus.select(f)
    expected = filter_frame(whole, f)
    assert len(expected) > 300 and len(shown) == 300
    assert f"{len(expected):,} match the dates, categories, countries and actors chosen" in snap.note
    assert set(shown["event_id"]) <= set(expected["event_id"])
    assert shown["date"].min() >= expected.loc[~expected["event_id"].isin(shown["event_id"]), "date"].max()


def test_an_actor_is_looked_for_in_the_whole_store_not_only_the_latest_part(whole, store, monkeypatch):
    monkeypatch.setattr(serving, "WINDOW_EVENTS", 100)
    corpus = StoreCorpus(store)
    latest = set(corpus.snapshot().frame["event_id"])
    f = Filters.of(actors=[corpus.snapshot().options.actors[-1]], categories=["release"])
    expected = filter_frame(whole, f)
    assert 0 < len(expected) <= 100 and not set(expected["event_id"]) <= latest  # some are older
    snap, shown = corpus.select(f)
    assert snap.note == ""
    same_rows(shown, expected)
    months = corpus.months(f)
    assert months["events"].sum() == int((expected["dated"] & expected["date"].notna()).sum())


def test_corrections_apply_in_whichever_part_holds_their_event(whole, store, monkeypatch):
    monkeypatch.setattr(serving, "WINDOW_EVENTS", 400)
    corpus = StoreCorpus(store)
    latest = corpus.snapshot().frame
    old = whole.loc[whole["date"] < pd.Timestamp("2011-06-01")].iloc[0]
    new = latest.iloc[-1]
    assert old["event_id"] not in set(latest["event_id"])
    (store / "overrides.csv").write_text(
        "event_id,field,value\n"
        f"{new['event_id']},title,Corrected in the latest part\n"
        f"{old['event_id']},title,Corrected in an old part\n"
        "nobody-1,drop,true\n", encoding="utf-8")
    snap, shown = corpus.select(Filters())
    assert shown.set_index("event_id").at[new["event_id"], "title"] == "Corrected in the latest part"
    assert snap.warnings == ()  # the old event's correction waits for its part, with no warning
    day = str(old["date"].date())
    _, part = corpus.select(Filters.of(start=day, end=day))
    assert part.set_index("event_id").at[old["event_id"], "title"] == "Corrected in an old part"
    assert corpus.event(old["event_id"])["title"] == "Corrected in an old part"  # found outside the latest part
    assert corpus.event("no-such-event") is None


def test_a_store_rewritten_by_ingest_is_seen_without_a_restart(whole, store, monkeypatch):
    monkeypatch.setattr(serving, "WINDOW_EVENTS", N + 200)
    corpus = StoreCorpus(store)
    assert corpus.snapshot().events == N
    grown = _ordered(pd.concat([whole, synthetic_frame(200, seed=8)], ignore_index=True))
    for path in (store / "events").glob("*/*.parquet"):
        path.unlink()
    write_store(store, grown, parts=1)
    snap = corpus.snapshot()
    assert snap.events == N + 200
    same_rows(snap.frame, grown)


def test_an_empty_store_serves_no_events(tmp_path):
    snap, shown = StoreCorpus(tmp_path).select(Filters.of(categories=["release"]))
    assert len(shown) == 0 and snap.events == 0 and snap.options.first is None


def test_reading_a_part_reads_only_the_row_groups_that_hold_it_and_keeps_them(store, monkeypatch):
    monkeypatch.setattr(serving, "WINDOW_EVENTS", 50)
    index = serving.StoreIndex.load(store)
    read = []
    original = pq.ParquetFile.read_row_group

    def counting(self, group, *args, **kwargs):
        read.append(group)
        return original(self, group, *args, **kwargs)

    monkeypatch.setattr(pq.ParquetFile, "read_row_group", counting)
    frame = index.read(index.window(Filters()))
    groups = sum(len(g) - 1 for g in index.groups)
    assert len(frame) == 50 and 0 < len(read) <= 4 < groups
    assert isinstance(pa.table(frame[["event_id"]]), pa.Table)
    # Decoded once: the same part again, or another part in those row groups, reads nothing.
    before = len(read)
    pd.testing.assert_frame_equal(index.read(index.window(Filters())), frame)
    assert len(read) == before


def test_row_groups_kept_stay_within_their_budget_and_change_no_part(whole, store, monkeypatch):
    monkeypatch.setattr(serving, "WINDOW_EVENTS", 400)
    cold = serving.StoreIndex.load(store)
    one = cold.files and pq.ParquetFile(cold.files[0]).read_row_group(0).get_total_buffer_size()
    monkeypatch.setattr(serving, "KEPT_BYTES", 3 * one)
    kept = serving.StoreIndex.load(store)
    kept.warm(events=len(whole))
    assert 0 < kept._kept_bytes <= 3 * one and len(kept._kept) <= 4
    monkeypatch.setattr(serving, "KEPT_BYTES", 0)  # nothing kept: every part decoded afresh
    for f in [Filters(), Filters.of(categories=["release"]), Filters.of(countries=["LT"], start="2024-01-01"),
              Filters.of(end="2012-12-31"), Filters()]:
        got = kept.read(kept.window(f))
        pd.testing.assert_frame_equal(got, cold.read(cold.window(f)))
        assert len(got) and kept._kept_bytes <= 3 * one
    assert not cold._kept


def test_the_overview_counts_the_whole_stores_events_a_month(whole, store, monkeypatch):
    monkeypatch.setattr(serving, "WINDOW_EVENTS", 200)
    corpus = StoreCorpus(store)
    f = Filters.of(countries=["LT"], start="2025-09-01")  # the dates choose the part, not the overview
    got = corpus.months(f).set_index(["month", "category"])["events"].sort_index()
    chosen = filter_frame(whole, Filters.of(countries=["LT"]))
    chosen = chosen.loc[chosen["dated"] & chosen["date"].notna()]
    expected = chosen.groupby([chosen["date"].dt.to_period("M").dt.start_time.astype("datetime64[s]"),
                               chosen["category"]]).size()
    expected.index.names = ["month", "category"]
    pd.testing.assert_series_equal(got, expected.sort_index(), check_names=False, check_dtype=False)


def test_the_overview_stacks_months_or_years_and_a_click_chooses_one():
    from timeline.figures.overview import MAX_MONTHS, chosen_range, overview_figure

    months = pd.DataFrame({"month": pd.to_datetime(["2025-08-01", "2025-09-01", "2025-09-01"]).astype("datetime64[s]"),
                           "category": ["release", "release", "protest"], "events": [3, 4, 5]})
    fig = overview_figure(months, ("2025-09-01", "2025-09-30"))
    assert fig.layout.barmode == "stack" and len(fig.data) == 2
    release = next(t for t in fig.data if list(t.y) == [3, 4])
    assert list(release.customdata) == ["2025-08-01|2025-08-31", "2025-09-01|2025-09-30"]
    assert fig.layout.shapes[0].x0 == "2025-09-01"
    long_ago = pd.concat([months, pd.DataFrame({"month": [pd.Timestamp("1990-03-01")], "category": ["release"],
                                                "events": [1]})], ignore_index=True)
    assert (2025 - 1990) * 12 > MAX_MONTHS
    yearly = overview_figure(long_ago)
    release = next(t for t in yearly.data if t.name.lower().startswith("release"))
    assert list(release.customdata) == ["1990-01-01|1990-12-31", "2025-01-01|2025-12-31"]
    assert list(release.y) == [1, 7] and release.xperiod == "M12" and fig.data[0].xperiod == "M1"
    assert chosen_range({"points": [{"customdata": "2025-08-01|2025-08-31"}]}) == ("2025-08-01", "2025-08-31")
    for bad in (None, {}, {"points": []}, {"points": [{"customdata": "x|y"}]}, {"points": [{"customdata": 7}]}):
        assert chosen_range(bad) is None
    assert overview_figure(months.iloc[:0]).layout.annotations[0].text == "No events match"


def test_a_dashboard_of_a_store_shows_the_overview_and_a_click_on_it_chooses_the_month(whole, store, tmp_path,
                                                                                      monkeypatch):
    from conftest import callback_body

    from timeline.webapp import create_app

    monkeypatch.setattr(serving, "WINDOW_EVENTS", 300)
    app = create_app([], store=store, database_url=f"sqlite:///{tmp_path / 'db.sqlite'}")
    client = app.server.test_client()
    assert b"overview-graph" in client.get("/_dash-layout").data
    deps = client.get("/_dash-dependencies").get_json()

    def post(first_output, values):
        r = client.post("/_dash-update-component", json=callback_body(deps, first_output, values))
        assert r.status_code == 200, r.data[:300]
        return r.get_json()["response"]

    figure = post("overview-graph.figure", {})["overview-graph"]["figure"]
    dated = whole["dated"] & whole["date"].notna()
    assert sum(sum(t["y"]) for t in figure["data"]) == int(dated.sum())  # every dated event of the store
    click = {"overview-graph.clickData": {"points": [{"customdata": "2014-03-01|2014-03-31"}]}}
    chosen = post(next(d["output"].split("...")[0][2:] for d in deps if d["output"].startswith("..filter-from.value@")),
                  click)
    assert (chosen["filter-from"]["value"], chosen["filter-to"]["value"]) == ("2014-03-01", "2014-03-31")
    summary = post("event-table.data", {"filter-from.value": "2014-03-01", "filter-to.value": "2014-03-31"})
    assert "archive holds" not in summary["filter-summary"]["children"]  # a month of 2014 is held whole
    summary = post("event-table.data", {})
    assert "This archive holds 3,000 events: the latest 300" in summary["filter-summary"]["children"]


def test_an_events_file_that_cannot_be_read_is_a_line_and_the_rest_is_served(whole, store, monkeypatch):
    monkeypatch.setattr(serving, "WINDOW_EVENTS", N)
    broken = sorted((store / "events").glob("year=2015/*.parquet"))[0]
    lost = len(pq.read_table(broken))
    broken.write_bytes(broken.read_bytes()[:200])  # truncated
    snap = StoreCorpus(store).snapshot()
    assert snap.events == N - lost and len(snap.frame) == N - lost
    assert len(snap.errors) == 1 and str(broken) in snap.errors[0] and "\n" not in snap.errors[0]


def test_a_file_replaced_by_ingest_after_the_index_is_read_again_and_a_damaged_one_is_a_line(whole, store, monkeypatch):
    monkeypatch.setattr(serving, "WINDOW_EVENTS", N)
    corpus = StoreCorpus(store)
    assert corpus.snapshot().events == N
    index = corpus._index
    calls = []
    real = serving.StoreIndex.read

    def stale_once(self, window):  # the first read finds a file ingest replaced since the index
        calls.append(self)
        if len(calls) == 1:
            raise OSError("row group 3 out of range")
        return real(self, window)

    monkeypatch.setattr(serving.StoreIndex, "read", stale_once)
    snap = corpus.snapshot(Filters.of(categories=["release"]))
    assert len(calls) == 2 and calls[1] is not index and snap.errors == ()
    assert len(snap.frame) == len(filter_frame(whole, Filters.of(categories=["release"])))
    monkeypatch.setattr(serving.StoreIndex, "read", lambda self, window: (_ for _ in ()).throw(OSError("bad\npage")))
    snap = corpus.snapshot(Filters.of(categories=["protest"]))
    assert len(snap.frame) == 0 and len(snap.errors) == 1 and "events could not be read (bad page)" in snap.errors[0]
