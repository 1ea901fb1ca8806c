"""The event frame: schema, files, merge, overrides and TIMEX3 periods."""
from __future__ import annotations

import csv
import datetime as dt
import importlib
import json
import math
import os
import re

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import event_record, replaced_data_file

from timeline import frame as F
from timeline.errors import DataError, ExportError, InputError, OverridesError, SchemaError
from timeline.lang import Resource, resource
from timeline.schema import DATE_COLUMNS, LIST_COLUMNS, NAMES


def event(**fields) -> dict:
    """A complete day event; keyword arguments replace its fields."""
    return event_record(**fields)


def undated(**fields) -> dict:
    return event(date=None, end=None, granularity="", timex="", date_text="", dated=False, **fields)


@pytest.fixture
def tricky() -> pd.DataFrame:
    """Rows that stress every type: unicode, missing dates, missing offsets, empty lists."""
    return F.from_records([
        event(),
        event(event_id="ev-2", title="Тихановский «освобождён» – Łukaszenka, naïve café 🙂",
              actors=["Сяргей Ціханоўскі", 'A "quoted", name'], places=[], countries=[],
              lat=math.nan, lon=math.nan, start_char=None, end_char=None,
              date="2025-06", end="2025-06-30", granularity="month", timex="2025-06",
              sentence="Line one,\nline two; \"quoted\"", published=None, url=""),
        undated(event_id="ev-3", title="NA", category="statement", confidence=0.4, place_inferred=True,
                sources=[], source="", article_id="null"),
        event(event_id="ev-4", date="1990-01-01", end="1999-12-31", granularity="decade", timex="199X",
              published="2025-09-12T14:30:05"),
    ])


# --------------------------------------------------------------------------- building

def test_empty_frame_has_every_schema_column_with_its_dtype():
    frame = F.empty_frame()
    assert list(frame.columns) == list(NAMES)
    assert len(frame) == 0
    for name in DATE_COLUMNS:
        assert frame[name].dtype == "datetime64[s]"
    assert frame["start_char"].dtype == "Int64"
    assert frame["dated"].dtype == bool
    assert frame["lat"].dtype == np.float64


def test_from_records_gives_exact_dtypes_and_defaults():
    frame = F.from_records([event(), {"event_id": "ev-9", "title": "Bare"}])
    assert frame["date"].dtype == "datetime64[s]"
    assert frame["published"].dtype == "datetime64[s]"
    assert frame["end_char"].dtype == "Int64"
    assert frame["place_inferred"].dtype == bool
    assert frame["confidence"].dtype == np.float64
    bare = frame.iloc[1]
    assert bare["granularity"] == "" and pd.isna(bare["date"]) and bare["dated"] is np.False_
    assert bare["actors"] == [] and isinstance(bare["actors"], list)
    assert pd.isna(bare["start_char"]) and math.isnan(bare["lat"])
    assert frame.iloc[0]["dated"] is np.True_


def test_from_record_lists_builds_the_rows_of_each_article_once_or_names_the_bad_one():
    one = [event(event_id="a-1"), event(event_id="a-2", title="Poland reopens the crossing")]
    two = [event(event_id="b-1", article_id="art-two")]
    frames, failures = F.from_record_lists([one, [], two])
    assert failures == [] and len(frames) == 1  # all valid: one frame, one pandas build
    apart = pd.concat([F.from_records(one), F.from_records(two)], ignore_index=True)
    pd.testing.assert_frame_equal(frames[0], apart)
    bad = [event(event_id="c-1", confidence=7)]
    frames, failures = F.from_record_lists([one, bad, two])
    assert [i for i, _ in failures] == [1] and isinstance(failures[0][1], SchemaError)
    assert "confidence" in str(failures[0][1])
    assert [f["event_id"].tolist() for f in frames] == [["a-1", "a-2"], ["b-1"]]
    assert F.from_record_lists([[], []]) == ([], [])


def test_from_records_stores_timezone_aware_publication_in_utc():
    frame = F.from_records([event(published="2025-09-12T10:00:00+02:00")])
    assert frame.loc[0, "published"] == pd.Timestamp("2025-09-12T08:00:00")


def test_from_records_rejects_a_misspelt_column_by_name():
    with pytest.raises(SchemaError, match="'titel'"):
        F.from_records([{**event(), "titel": "x"}])


# --------------------------------------------------------------------------- validation

@pytest.mark.parametrize("change, column", [
    (lambda f: f.drop(columns=["timex"]), "'timex'"),
    (lambda f: f.assign(start_char=["ten"]), "'start_char'"),
    (lambda f: f.assign(date=["not a date"]), "'date'"),
    (lambda f: f.assign(actors=pd.Series(["Lukashenko"], dtype=object)), "'actors'"),
    (lambda f: f.assign(places=pd.Series([[1, 2]], dtype=object)), "'places'"),
    (lambda f: f.assign(granularity=["fortnight"]), "'granularity'"),
    (lambda f: f.assign(granularity=[""]), "'granularity'"),
    (lambda f: f.assign(end=[pd.Timestamp("2025-09-01")]), "'end'"),
    (lambda f: f.assign(confidence=[1.5]), "'confidence'"),
    (lambda f: f.assign(dated=["maybe"]), "'dated'"),
    (lambda f: f.assign(extra=[1]), "'extra'"),
])
def test_validation_errors_name_the_column(change, column):
    good = F.from_records([event()])
    with pytest.raises(SchemaError, match=column):
        F.validate(change(good))


def test_validation_error_names_the_offending_event():
    frame = F.from_records([event(), event(event_id="ev-bad")])
    frame.loc[1, "granularity"] = "fortnight"
    with pytest.raises(SchemaError, match="ev-bad"):
        F.validate(frame)


def test_undated_row_must_have_empty_granularity():
    frame = F.from_records([undated()])
    frame.loc[0, "granularity"] = "day"
    with pytest.raises(SchemaError, match="undated"):
        F.validate(frame)


def test_validate_coerces_what_loses_nothing():
    raw = pd.DataFrame([event(start_char="12", dated="true", places=np.array(["Minsk"]), url=None)])
    frame = F.validate(raw)
    assert frame.loc[0, "start_char"] == 12
    assert frame.loc[0, "dated"] is np.True_
    assert frame.loc[0, "places"] == ["Minsk"]
    assert frame.loc[0, "url"] == ""
    assert frame.loc[0, "date"] == pd.Timestamp("2025-09-11")


def test_half_year_granularity_is_accepted():
    frame = F.from_records([event(date="2025-01-01", end="2025-06-30", granularity="half", timex="2025-H1")])
    assert frame.loc[0, "granularity"] == "half"


# --------------------------------------------------------------------------- files

def assert_same_frame(a: pd.DataFrame, b: pd.DataFrame) -> None:
    assert list(a.columns) == list(b.columns)
    assert a.dtypes.to_dict() == b.dtypes.to_dict()
    for name in LIST_COLUMNS:
        assert all(isinstance(v, list) for v in b[name]), name
    pd.testing.assert_frame_equal(a, b)


@pytest.mark.parametrize("ext", ["csv", "json", "parquet"])
def test_round_trip_keeps_types_lists_missing_values_and_unicode(tmp_path, tricky, ext):
    path = F.save(tricky, tmp_path / f"events.{ext}")
    back = F.load(path)
    assert_same_frame(tricky, back)
    assert back.loc[1, "actors"] == ["Сяргей Ціханоўскі", 'A "quoted", name']
    assert pd.isna(back.loc[1, "start_char"]) and back["start_char"].dtype == "Int64"
    assert pd.isna(back.loc[2, "date"]) and pd.isna(back.loc[1, "published"])
    assert back.loc[2, "title"] == "NA"  # not read as a missing value
    assert back.loc[3, "published"] == pd.Timestamp("2025-09-12T14:30:05")


@pytest.mark.parametrize("ext", ["csv", "json", "parquet"])
def test_empty_frame_round_trips(tmp_path, ext):
    back = F.load(F.save(F.empty_frame(), tmp_path / f"none.{ext}"))
    assert_same_frame(F.empty_frame(), back)


def test_format_argument_overrides_the_extension(tmp_path, tricky):
    path = F.save(tricky, tmp_path / "events.txt", format="json")
    assert json.loads(path.read_text(encoding="utf-8"))[0]["event_id"] == "ev-1"
    assert_same_frame(tricky, F.load(path, format="json"))


def test_csv_cells_are_plain_text_a_spreadsheet_can_show(tmp_path, tricky):
    text = F.save(tricky, tmp_path / "e.csv").read_text(encoding="utf-8")
    header, first = text.splitlines()[:2]
    assert header.split(",") == list(NAMES)
    assert first.startswith("ev-1,2025-09-11,2025-09-11,day,")
    assert '"[""Alexander Lukashenko""]"' in first
    assert ",true," in first


FORMULAS = ["=HYPERLINK(\"http://evil.example\",\"click\")", "+1+2", "-3*4", "@SUM(A1)", "\tindented",
            "\r=1+1", "'quoted", "''twice", "=", "'"]


def test_csv_text_cells_that_a_spreadsheet_would_run_start_with_a_quote(tmp_path, tricky):
    rows = tricky.iloc[[0] * len(FORMULAS)].reset_index(drop=True)
    rows["event_id"] = [f"ev-{i}" for i in range(len(FORMULAS))]
    rows["title"], rows["source"], rows["url"] = FORMULAS, FORMULAS[::-1], FORMULAS
    rows["lat"], rows["lon"] = -12.5, -70.25  # numbers keep their minus sign
    path = F.save(rows, tmp_path / "e.csv")
    with open(path, encoding="utf-8", newline="") as f:
        table = list(csv.DictReader(f))
    for row, formula in zip(table, FORMULAS):
        assert row["title"] == "'" + formula and row["url"] == "'" + formula
        assert (row["lat"], row["lon"]) == ("-12.5", "-70.25")
    assert not any(cell[:1] in "=+-@\t\r" for row in table for name, cell in row.items()
                   if name not in ("lat", "lon") and cell)
    assert_same_frame(rows, F.load(path))  # and the frame reads back exactly


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("=+-@'\t\r\n\",ab 1")), max_size=8))
def test_any_text_cell_round_trips_through_csv(tmp_path_factory, text):
    frame = F.from_records([event(title=text or "x", date_text=text, source=text)])
    path = F.save(frame, tmp_path_factory.mktemp("csv") / "e.csv")
    assert_same_frame(frame, F.load(path))


def test_json_is_a_list_of_event_objects_with_null_for_missing(tmp_path, tricky):
    data = json.loads(F.save(tricky, tmp_path / "e.json").read_text(encoding="utf-8"))
    assert isinstance(data, list) and len(data) == 4
    assert data[1]["start_char"] is None and data[1]["lat"] is None
    assert data[2]["date"] is None and data[0]["date"] == "2025-09-11"


def test_unknown_extension_is_refused_on_save_and_load(tmp_path, tricky):
    with pytest.raises(ExportError, match="events.xlsx"):
        F.save(tricky, tmp_path / "events.xlsx")
    (tmp_path / "events.xlsx").write_text("x")
    with pytest.raises(InputError, match="events.xlsx"):
        F.load(tmp_path / "events.xlsx")


def test_malformed_csv_names_the_path_and_line(tmp_path, tricky):
    path = F.save(tricky, tmp_path / "e.csv")
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[1] = lines[1].rstrip("\n") + ",surplus\n"
    path.write_text("".join(lines), encoding="utf-8")
    with pytest.raises(InputError, match=r"e\.csv line 2"):
        F.load(path)


def test_csv_with_a_bad_date_names_path_line_and_column(tmp_path, tricky):
    path = F.save(tricky.iloc[:1], tmp_path / "e.csv")
    path.write_text(path.read_text(encoding="utf-8").replace("2025-09-11,2025-09-11", "11/31/zz,2025-09-11"),
                    encoding="utf-8")
    with pytest.raises(SchemaError, match=r"e\.csv.*'date'.*line 2"):
        F.load(path)


def test_csv_with_a_non_json_list_cell_is_malformed(tmp_path, tricky):
    path = F.save(tricky.iloc[:1], tmp_path / "e.csv")
    path.write_text(path.read_text(encoding="utf-8").replace('"[""Vilnius""]"', "Vilnius"), encoding="utf-8")
    with pytest.raises(InputError, match=r"line 2.*'places'"):
        F.load(path)


def test_malformed_json_names_the_path_and_line(tmp_path):
    path = tmp_path / "e.json"
    path.write_text('[\n {"event_id": "a",\n oops}\n]', encoding="utf-8")
    with pytest.raises(InputError, match=r"e\.json line 3"):
        F.load(path)


def test_json_missing_a_column_is_a_schema_error(tmp_path):
    path = tmp_path / "e.json"
    record = {k: v for k, v in event().items() if k != "category"}
    path.write_text(json.dumps([record]), encoding="utf-8")
    with pytest.raises(SchemaError, match="'category'"):
        F.load(path)


def test_corrupt_parquet_and_missing_file_are_input_errors(tmp_path):
    bad = tmp_path / "e.parquet"
    bad.write_bytes(b"not parquet at all")
    with pytest.raises(InputError, match=r"e\.parquet"):
        F.load(bad)
    with pytest.raises(InputError, match="nowhere.csv"):
        F.load(tmp_path / "nowhere.csv")


def test_unwritable_path_raises_export_error_and_leaves_no_temp_file(tmp_path, tricky):
    with pytest.raises(ExportError, match="no-such-dir"):
        F.save(tricky, tmp_path / "no-such-dir" / "e.json")
    target = tmp_path / "a-directory.csv"
    target.mkdir()
    with pytest.raises(ExportError, match="a-directory.csv"):
        F.save(tricky, target)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a-directory.csv"]


def test_failed_write_keeps_the_previous_file_intact(tmp_path, tricky, monkeypatch):
    path = F.save(tricky, tmp_path / "e.json")
    before = path.read_bytes()

    def disk_full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(json, "dump", disk_full)  # what timeline.frame.io writes JSON with
    with pytest.raises(ExportError, match="No space left"):
        F.save(tricky.iloc[:1], path)
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["e.json"]


def test_saved_file_is_readable_by_others_like_a_plain_write(tmp_path, tricky):
    path = F.save(tricky, tmp_path / "e.csv")
    umask = os.umask(0)
    os.umask(umask)
    assert path.stat().st_mode & 0o777 == 0o666 & ~umask


# --------------------------------------------------------------------------- merge

def reuters(**fields) -> dict:
    wire = dict(event_id="ev-r1", article_id="art-reuters", source="Reuters", sources=["Reuters"],
                published="2025-09-11", url="https://reuters.example/b", confidence=0.9,
                title="Belarus frees 52 prisoners after US talks", sentence="VILNIUS (Reuters) - ...",
                start_char=0, end_char=24, places=["Medininkai", "Vilnius"], lat=54.539, lon=25.65,
                actors=["Lukashenko", "John Coale"])
    return event(**{**wire, **fields})


def test_two_articles_reporting_the_same_event_give_one_row_with_both_sources():
    dawn = F.from_records([event()])
    wire = F.from_records([reuters()])
    merged = F.merge([dawn, wire])
    assert len(merged) == 1
    row = merged.iloc[0]
    assert row["sources"] == ["Reuters", "Dawn"]  # order of publication
    assert row["event_id"] == "ev-r1"  # the earliest report's id
    assert row["article_id"] == "art-reuters" and row["start_char"] == 0  # evidence stays with it
    assert row["title"] == "Belarus frees 52 prisoners after US talks"  # most confident report
    assert row["places"][:2] == ["Medininkai", "Vilnius"] and row["lat"] == 54.539
    assert "Alexander Lukashenko" in row["actors"] and "John Coale" in row["actors"]
    assert row["confidence"] == pytest.approx(1 - (1 - 0.9) * F.CORROBORATION)
    assert row["confidence"] > 0.9


def test_merged_event_id_follows_publication_not_confidence():
    dawn = F.from_records([event(published="2025-09-10", confidence=0.3)])
    merged = F.merge([F.from_records([reuters()]), dawn])
    assert merged.loc[0, "event_id"] == "ev-1"
    assert merged.loc[0, "sources"] == ["Dawn", "Reuters"]
    assert merged.loc[0, "title"] == "Belarus frees 52 prisoners after US talks"


def test_a_shared_category_and_actor_without_similar_titles_is_not_one_event():
    # Two statements by one person on one day are two events, each with its own evidence.
    a = F.from_records([event(title="Lukashenko pardons prisoners")])  # actor "Alexander Lukashenko"
    b = F.from_records([reuters(title="Minsk lets dissidents go to Lithuania")])  # actor "Lukashenko"
    assert len(F.merge([a, b])) == 2


def test_different_events_stay_apart():
    a = F.from_records([event()])
    other_day = F.from_records([reuters(date="2025-09-10", end="2025-09-10", timex="2025-09-10")])
    other_story = F.from_records([reuters(event_id="ev-r2", title="Poland shoots down Russian drones",
                                          category="military", actors=["Donald Tusk"])])
    merged = F.merge([a, other_day, other_story])
    assert sorted(merged["event_id"]) == ["ev-1", "ev-r1", "ev-r2"]
    assert all(len(s) == 1 for s in merged["sources"])
    assert list(merged["confidence"]) == [0.9, 0.7, 0.9]  # nothing corroborated


@pytest.mark.parametrize("theirs, ours", [
    # Alike titles, other companies: wire copy's stock-market lines.
    (dict(title="Citadel shares closed at $45.75", actors=["Citadel"]),
     dict(title="Ralston shares closed at $45.75", actors=["Ralston"])),
    # Alike titles, other amounts: two companies' results for one year.
    (dict(title="The company earned $822.8 million on sales of $12.49 billion", actors=[]),
     dict(title="The company earned $480.4 million on sales of $4.3 billion", actors=[])),
])
def test_alike_titles_naming_other_actors_or_amounts_are_two_events(theirs, ours):
    merged = F.merge([F.from_records([event(**theirs)]), F.from_records([reuters(**ours)])])
    assert len(merged) == 2


@pytest.mark.parametrize("theirs, ours, rows", [
    # Titles that only set the scene: the evidence sentences decide, and they differ.
    (dict(title="For the quarter ended", sentence="For the quarter ended Sept. 30, Citadel earned $4 million."),
     dict(title="For the quarter ended", sentence="For the quarter ended Sept. 30, Ralston lost $12 million."), 2),
    # ... and the same sentence from two wire copies is one event.
    (dict(title="In the year-earlier quarter", sentence="In the year-earlier quarter, Citadel earned $4 million."),
     dict(title="In the year-earlier quarter", sentence="In the year-earlier quarter, Citadel earned $4 million."), 1),
    # Amounts of which neither side gives all the other's: two companies' sales.
    (dict(title="Sales rose to $3 million from $2.9 million"),
     dict(title="Sales rose 2.9% to $329.2 million from $320 million"), 2),
    # One report gives more figures than the other, the same ones included: one event.
    (dict(title="Belarus frees 52 prisoners"), dict(title="Belarus frees 52 prisoners, 14 of them foreigners"), 1),
])
def test_thin_titles_and_amounts_decide_merges_by_what_they_can_tell(theirs, ours, rows):
    theirs = dict(actors=[], **theirs)
    ours = dict(actors=[], **ours)
    merged = F.merge([F.from_records([event(**theirs)]), F.from_records([reuters(**ours)])])
    assert len(merged) == rows


def test_a_shared_actor_or_amount_still_merges_alike_titles():
    a = F.from_records([event(title="Belarus frees 52 prisoners", actors=["Alexander Lukashenko"])])
    b = F.from_records([reuters(title="Belarus frees 52 prisoners", actors=["Lukashenko", "John Coale"])])
    c = F.from_records([reuters(event_id="ev-c", article_id="art-c", title="Belarus frees 52 prisoners",
                                actors=[])])  # no names given: no conflict
    assert len(F.merge([a, b, c])) == 1


# Reports of one event in other languages (the seed story's, tests/data/seed/).
RU = dict(event_id="ev-ru", article_id="art-ru", source="Nasha Niva", sources=["Nasha Niva"], language="ru",
          title="Беларусь освободила 52 заключённых", actors=[], sentence="Беларусь в четверг освободила 52 ...")
LT = dict(event_id="ev-lt", article_id="art-lt", source="LRT", sources=["LRT"], language="lt",
          title="Baltarusija paleido 52 kalinius", actors=["Donaldo Trumpo"], sentence="Baltarusija ...")


def test_reports_in_other_languages_with_the_same_amounts_are_one_event():
    en = event(title="Belarus freed 52 prisoners after an appeal", actors=["Donald Trump"], confidence=0.7)
    merged = F.merge([F.from_records([event(**RU, confidence=0.7)]), F.from_records([en]),
                      F.from_records([event(**LT, confidence=0.7)])])
    assert len(merged) == 1
    row = merged.iloc[0]
    assert row["sources"][0] == "Dawn" and sorted(row["sources"][1:]) == ["LRT", "Nasha Niva"]
    # of equally confident reports published together, English (PREFERRED_LANGUAGE) gives title and evidence
    assert row["title"] == "Belarus freed 52 prisoners after an appeal" and row["event_id"] == "ev-1"
    assert row["confidence"] > 0.7


@pytest.mark.parametrize("fields", [
    dict(title="Беларусь освободила 16 заключённых"),  # other amounts
    dict(category="statement"),  # another category
    dict(title="Беларусь освободила заключённых"),  # one shared name only (Belarus), no amounts
    dict(timex="2025-09-10", date="2025-09-10", end="2025-09-10"),  # another day
    dict(actors=["Светлана Тихановская"], title="Тихановская: Беларусь освободила 52 заключённых"),  # other people
])
def test_reports_in_other_languages_merge_only_on_enough_evidence(fields):
    en = event(title="Belarus freed 52 prisoners after an appeal", actors=["Donald Trump"])
    assert len(F.merge([F.from_records([en]), F.from_records([event(**{**RU, **fields})])])) == 2


def test_names_and_amounts_do_not_merge_dissimilar_titles_of_one_language():
    a = event(title="Belarus freed 52 prisoners after an appeal", actors=["Donald Trump"])
    b = reuters(title="Lukashenko met Trump's envoy about 52 prisoners in Belarus", actors=["Donald Trump"])
    # the frame is in two languages, so names and amounts are keys: in one language titles still decide
    c = event(**{**RU, "title": "Минск сообщил о переговорах", "event_id": "ev-ru2"})
    assert len(F.merge([F.from_records([a]), F.from_records([b]), F.from_records([c])])) == 3


def test_a_name_has_one_mark_in_every_script_and_spelling():
    from timeline.frame.names import mark, name_marks

    spellings = [("Статкевич", "Statkevich", "Statkiewicz", "Statkevičius"),
                 ("Лукашенко", "Lukashenko", "Łukaszence", "Lukašenką"), ("Минск", "Minsk", "Mińsk", "Minskas"),
                 ("Вильнюсе", "Vilnius", "Wilno", "Vilniuje"), ("Трамп", "Trump", "Trumpa", "Trumpo")]
    for names in spellings:
        assert len({mark(n) for n in names}) == 1, names
    assert len({names[0] for names in spellings}) == len({mark(names[0]) for names in spellings})
    assert mark("EU") == mark("USA") == ""  # too short to tell
    assert name_marks("Беларусь освободила 52 заключённых", ["Donald Trump"]) == {"blr", "dnl", "trm"}


def test_a_broken_name_spelling_table_is_a_data_error(tmp_path, monkeypatch):
    from timeline.frame import names

    text = "spellings: {SH: s}\nvowels: a e\nmark_length: 3\nname_length: 4\n"
    with replaced_data_file(monkeypatch, tmp_path, names, "SOUNDS", names._rules, text), \
            pytest.raises(DataError, match="name_sounds.yaml"):
        names.mark("Lukashenko")


def test_rows_of_one_article_are_never_merged_with_each_other():
    frame = F.from_records([event(), event(event_id="ev-1b", title="Belarus frees 52 prisoners again")])
    assert len(F.merge([frame])) == 2


def test_the_same_article_parsed_twice_gives_each_event_once():
    frame = F.from_records([event(), undated(event_id="ev-u")])
    merged = F.merge([frame, frame])
    assert list(merged["event_id"]) == ["ev-1", "ev-u"]
    assert merged.loc[0, "confidence"] == 0.7  # not corroborated by itself


def test_merge_orders_by_date_with_undated_last_then_event_id():
    frame = F.from_records([
        undated(event_id="a-undated"),
        event(event_id="z-late", date="2025-09-12", end="2025-09-12", timex="2025-09-12", title="Drills"),
        event(event_id="b-early", date="2010", end="2010-12-31", granularity="year", timex="2010", title="Vote"),
        event(event_id="a-late", date="2025-09-12", end="2025-09-12", timex="2025-09-12", title="Other"),
    ])
    assert list(F.merge([frame])["event_id"]) == ["b-early", "a-late", "z-late", "a-undated"]


def test_merge_fills_sources_from_the_source_label_when_empty():
    merged = F.merge([F.from_records([event(sources=[])])])
    assert merged.loc[0, "sources"] == ["Dawn"]


def test_merge_of_nothing_is_an_empty_frame():
    assert F.merge([]).empty and list(F.merge([]).columns) == list(NAMES)


# timeline.frame.merge the module (the package's `merge` is the function)
merging = importlib.import_module("timeline.frame.merge")


def test_merge_reads_its_words_from_the_language_file():
    data = dict(resource("merge").data)
    assert resource("merge").path.parts[-2:] == ("en", "merge.yaml")
    title = "despite the talks in minsk"
    assert not merging._thin(title)
    data["scene"] = data["scene"] + " despite"  # a line of data makes such a title set the scene
    stopwords, scene, verb = merging._word_lists(Resource(resource("merge").path, data))
    assert scene.match(title) and not verb.search(title) and stopwords == merging._STOPWORDS


@pytest.mark.parametrize("key, bad, problem", [
    ("scene", ["in", True, "at"], "scene, entry 2: expected a word"),  # YAML reads [in, on] as [in, True]
    ("verbs", "is Are", "verbs: 'Are' is not written as merge compares titles"),
    ("verb_patterns", ["[a-z]{2,}ed", "[a-z"], "verb_patterns, entry 2: not a valid regular expression"),
    ("stopwords", None, "stopwords: expected a list of words"),
])
def test_a_malformed_merge_word_list_is_a_data_error_naming_file_and_entry(tmp_path, key, bad, problem):
    data = dict(resource("merge").data, **{key: bad})
    with pytest.raises(DataError, match=re.escape(f"{tmp_path / 'merge.yaml'}: {problem}")):
        merging._word_lists(Resource(tmp_path / "merge.yaml", data))


# --------------------------------------------------------------------------- overrides

RECORDS = [
    event(event_id="ev-release"),
    event(event_id="ev-drones", date="2025-09-11", end="2025-09-11", timex="2025-09-11",
          title="Poland shoots down drones", category="military", places=["Poland"], countries=["PL"]),
    event(event_id="ev-noise", title="Footer", category="statement"),
]

YAML_OVERRIDES = """\
ev-drones:
  date: 2025-09-10
  title: Poland shoots down Russian drones
  place: Rzeszow (50.041, 21.999)
ev-release:
  category: diplomacy
ev-noise: drop
add:
  - date: 2025-09-12
    title: Zapad-2025 exercises begin
    category: military
    places: [Belarus]
    countries: [BY]
"""


def test_yaml_overrides_fix_date_title_category_place_drop_and_add(tmp_path):
    path = tmp_path / "fixes.yaml"
    path.write_text(YAML_OVERRIDES, encoding="utf-8")
    fixed, warnings = F.apply_overrides(F.from_records(RECORDS), F.load_overrides(path))
    assert warnings == []
    rows = fixed.set_index("event_id")
    assert "ev-noise" not in rows.index
    drones = rows.loc["ev-drones"]
    assert drones["date"] == pd.Timestamp("2025-09-10") and drones["end"] == pd.Timestamp("2025-09-10")
    assert drones["timex"] == "2025-09-10" and drones["granularity"] == "day"
    assert drones["title"] == "Poland shoots down Russian drones"
    assert drones["places"] == ["Rzeszow", "Poland"]
    assert (drones["lat"], drones["lon"]) == (50.041, 21.999)
    assert rows.loc["ev-release", "category"] == "diplomacy"
    added = fixed[fixed["title"] == "Zapad-2025 exercises begin"].iloc[0]
    assert added["event_id"].startswith("ed-")
    assert added["date"] == pd.Timestamp("2025-09-12") and added["granularity"] == "day"
    assert added["source"] == F.ADDED_SOURCE and added["countries"] == ["BY"]
    assert list(fixed["event_id"])[-1] == added["event_id"]  # ordered by date


def test_overrides_survive_a_re_parse_of_the_same_text(tmp_path):
    path = tmp_path / "fixes.yaml"
    path.write_text(YAML_OVERRIDES, encoding="utf-8")
    overrides = F.load_overrides(path)
    first, _ = F.apply_overrides(F.from_records(RECORDS), overrides)
    again, _ = F.apply_overrides(F.from_records([dict(r) for r in RECORDS]), F.load_overrides(path))
    pd.testing.assert_frame_equal(first, again)
    twice, warnings = F.apply_overrides(first, overrides)  # applying again changes nothing...
    pd.testing.assert_frame_equal(first, twice)
    assert len(warnings) == 1 and "ev-noise" in warnings[0]  # ...but says the dropped event is gone


def test_a_correction_survives_an_earlier_article_joining_its_event():
    # The editor fixed the Dawn report (ev-1); then Reuters' earlier wire on the same event
    # arrives and the merged row takes its id (ev-r1). The correction still lands, silently.
    fixes = [F.Override("ev-1", "title", "Belarus frees 52 political prisoners"),
             F.Override("ev-1", "category", "diplomacy")]
    alone, _ = F.apply_overrides(F.from_records([event()]), fixes)
    assert alone.loc[0, "title"] == "Belarus frees 52 political prisoners"
    merged = F.merge([F.from_records([event()]), F.from_records([reuters()])])
    assert list(merged["event_id"]) == ["ev-r1"]
    fixed, warnings = F.apply_overrides(merged, fixes)
    assert warnings == []
    assert (fixed.loc[0, "title"], fixed.loc[0, "category"]) == ("Belarus frees 52 political prisoners", "diplomacy")
    dropped, warnings = F.apply_overrides(merged, [F.Override("ev-1", "drop", True)])
    assert len(dropped) == 0 and warnings == []


def test_merged_ids_follow_a_second_merge():
    # The dashboard merges uploads into a corpus that was itself merged from articles.
    base = F.merge([F.from_records([event()]), F.from_records([reuters()])])  # ev-1 -> ev-r1
    earliest = reuters(event_id="ev-0", article_id="art-early", source="BelTA", sources=["BelTA"],
                       published="2025-09-10", title="Belarus frees 52 prisoners after US talks")
    again = F.merge([base, F.from_records([earliest])])
    assert list(again["event_id"]) == ["ev-0"]
    assert again.attrs[F.MERGED_IDS] == {"ev-1": "ev-0", "ev-r1": "ev-0"}
    fixed, warnings = F.apply_overrides(again, [F.Override("ev-1", "title", "Fixed")])
    assert warnings == [] and fixed.loc[0, "title"] == "Fixed"


def test_a_correction_of_an_event_no_report_gives_any_more_is_still_reported():
    merged = F.merge([F.from_records([event()]), F.from_records([reuters()])])
    _, warnings = F.apply_overrides(merged, [F.Override("ev-gone", "title", "x")])
    assert len(warnings) == 1 and "ev-gone" in warnings[0]


def test_override_date_sets_period_granularity_and_timex_together():
    frame = F.from_records([event()])
    for value, start, end, granularity in [
        ("2025-08", "2025-08-01", "2025-08-31", "month"),
        ("2010", "2010-01-01", "2010-12-31", "year"),
        ("2025-H1", "2025-01-01", "2025-06-30", "half"),
    ]:
        fixed, _ = F.apply_overrides(frame, [F.Override("ev-1", "date", value)])
        row = fixed.iloc[0]
        assert (row["date"], row["end"]) == (pd.Timestamp(start), pd.Timestamp(end))
        assert (row["granularity"], row["timex"], row["dated"]) == (granularity, value, True)


def test_override_with_empty_date_makes_the_event_undated():
    fixed, _ = F.apply_overrides(F.from_records([event()]), [F.Override("ev-1", "date", "")])
    row = fixed.iloc[0]
    assert pd.isna(row["date"]) and row["granularity"] == "" and not row["dated"]


def test_place_without_coordinates_clears_the_old_ones_and_separate_lat_lon_fill_them():
    frame = F.from_records([event()])
    fixed, _ = F.apply_overrides(frame, [F.Override("ev-1", "lat", 54.5), F.Override("ev-1", "place", "Medininkai"),
                                         F.Override("ev-1", "lon", 25.6)])
    row = fixed.iloc[0]
    assert row["places"][0] == "Medininkai" and (row["lat"], row["lon"]) == (54.5, 25.6)
    only_name, _ = F.apply_overrides(frame, [F.Override("ev-1", "place", "Medininkai")])
    assert math.isnan(only_name.iloc[0]["lat"])


def test_override_for_a_vanished_event_yields_a_warning_naming_it(tmp_path):
    path = tmp_path / "fixes.csv"
    path.write_text("event_id,field,value\nev-1,title,Fixed\nev-gone,title,Lost\nev-gone,drop,true\n",
                    encoding="utf-8")
    fixed, warnings = F.apply_overrides(F.from_records([event()]), F.load_overrides(path))
    assert fixed.iloc[0]["title"] == "Fixed"
    assert len(warnings) == 2
    assert all("ev-gone" in w and "\n" not in w for w in warnings)
    assert "line 3" in warnings[0] and "line 4" in warnings[1]


def test_wide_csv_overrides_apply_each_filled_cell(tmp_path):
    path = tmp_path / "fixes.csv"
    path.write_text("event_id,date,title,category,place,drop\n"
                    "ev-1,2025-09-10,,talks,\"Minsk (53.902, 27.562)\",\n"
                    "ev-2,,,,,yes\n", encoding="utf-8")
    overrides = F.load_overrides(path)
    assert [(o.event_id, o.field) for o in overrides] == [
        ("ev-1", "date"), ("ev-1", "category"), ("ev-1", "place"), ("ev-2", "drop")]
    frame = F.from_records([event(), event(event_id="ev-2", title="Other")])
    fixed, warnings = F.apply_overrides(frame, overrides)
    assert warnings == [] and list(fixed["event_id"]) == ["ev-1"]
    row = fixed.iloc[0]
    assert row["category"] == "talks" and row["title"] == "Belarus frees 52 prisoners"
    assert row["places"][0] == "Minsk" and row["lat"] == 53.902


@pytest.mark.parametrize("text, line", [
    ("event_id,field,value\nev-1,title,Ok\nev-2,colour,red\n", "line 3"),
    ("event_id,field,value\nev-1,date,next tuesday\n", "line 2"),
    ("event_id,field,value\nev-1,title\n", "line 2"),
    ("event_id,field,value\n,title,x\n", "line 2"),
    ("event_id,field,value\nev-1,lat,95\n", "line 2"),
    ("id,title\nev-1,x\n", "line 1"),
    ("event_id,title,colour\nev-1,x,red\n", "line 1"),
])
def test_malformed_csv_overrides_name_the_line(tmp_path, text, line):
    path = tmp_path / "fixes.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(OverridesError, match=rf"fixes\.csv {line}\b"):
        F.load_overrides(path)


@pytest.mark.parametrize("text, line", [
    ("ev-1:\n  title: ok\nev-2:\n  title: [unclosed\n", "line 5"),
    ("ev-1:\n  title: ok\nev-2:\n  colour: red\n", "line 4"),
    ("ev-1:\n  date: 2025-13-45\n", "line 2"),
    ("ev-1:\n  title: ok\n  drop: perhaps\n", "line 3"),
    ("ev-1: just a string\n", "line 1"),
    ("ev-1:\n  title: ok\nadd:\n  - title: ok\n    date: 2025\n  - category: military\n", "line 6"),
    ("add:\n  - title: ok\n    granularity: day\n", "line 2"),
    ("- a\n- b\n", "line 1"),
])
def test_malformed_yaml_overrides_name_the_line(tmp_path, text, line):
    path = tmp_path / "fixes.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(OverridesError, match=rf"fixes\.yaml {line}\b"):
        F.load_overrides(path)


def test_missing_or_unknown_overrides_file_is_an_overrides_error(tmp_path):
    with pytest.raises(OverridesError, match="gone.yaml"):
        F.load_overrides(tmp_path / "gone.yaml")
    (tmp_path / "fixes.txt").write_text("x")
    with pytest.raises(OverridesError, match="fixes.txt"):
        F.load_overrides(tmp_path / "fixes.txt")


def test_empty_overrides_file_has_no_corrections(tmp_path):
    for name in ("a.csv", "a.yaml"):
        (tmp_path / name).write_text("", encoding="utf-8")
        assert F.load_overrides(tmp_path / name) == []


def test_added_event_id_is_stable_and_given_ids_are_kept(tmp_path):
    path = tmp_path / "a.yaml"
    path.write_text("add:\n  - title: Exercises begin\n    date: 2025-09-12\n"
                    "  - event_id: mine\n    title: Kept id\n", encoding="utf-8")
    first, second = F.load_overrides(path), F.load_overrides(path)
    assert first[0].event_id == second[0].event_id and first[0].event_id.startswith("ed-")
    assert first[1].event_id == "mine"
    fixed, _ = F.apply_overrides(F.empty_frame(), first)
    undated_row = fixed.set_index("event_id").loc["mine"]
    assert pd.isna(undated_row["date"]) and not undated_row["dated"]


@pytest.mark.parametrize("name", ["fixes.csv", "fixes.yaml"])
def test_save_override_creates_updates_and_keeps_other_entries(tmp_path, name):
    path = tmp_path / name
    F.save_override(path, "ev-1", "title", "First try")
    F.save_override(path, "ev-2", "drop", True)
    F.save_override(path, "ev-1", "title", "Second try")
    F.save_override(path, "ev-1", "date", "2025-09-10")
    got = {(o.event_id, o.field): o.value for o in F.load_overrides(path)}
    assert got == {("ev-1", "title"): "Second try", ("ev-2", "drop"): True, ("ev-1", "date"): "2025-09-10"}
    assert [p.name for p in tmp_path.iterdir()] == [name]


def test_save_override_keeps_a_wide_csv_wide(tmp_path):
    path = tmp_path / "fixes.csv"
    path.write_text("event_id,title\nev-1,Old\n", encoding="utf-8")
    F.save_override(path, "ev-1", "category", "talks")
    F.save_override(path, "ev-3", "title", "Новый")
    assert path.read_text(encoding="utf-8").splitlines() == [
        "event_id,title,category", "ev-1,Old,talks", "ev-3,Новый,"]


def test_save_override_refuses_bad_values_and_malformed_files(tmp_path):
    path = tmp_path / "fixes.yaml"
    with pytest.raises(OverridesError, match="colour"):
        F.save_override(path, "ev-1", "colour", "red")
    with pytest.raises(OverridesError, match="date"):
        F.save_override(path, "ev-1", "date", "soon")
    assert not path.exists()
    path.write_text("ev-1: [broken\n", encoding="utf-8")
    with pytest.raises(OverridesError, match="line"):
        F.save_override(path, "ev-1", "title", "x")
    assert path.read_text(encoding="utf-8") == "ev-1: [broken\n"


def test_save_override_to_an_unwritable_place_is_an_export_error(tmp_path):
    with pytest.raises(ExportError, match="missing-dir"):
        F.save_override(tmp_path / "missing-dir" / "fixes.csv", "ev-1", "title", "x")


# --------------------------------------------------------------------------- periods

D = dt.date


@pytest.mark.parametrize("timex, expected", [
    ("2025-09-10", (D(2025, 9, 10), D(2025, 9, 10), "day")),
    ("2025-09-10T14:30", (D(2025, 9, 10), D(2025, 9, 10), "time")),
    ("2025-09-10TMO", (D(2025, 9, 10), D(2025, 9, 10), "time")),
    ("2025-02", (D(2025, 2, 1), D(2025, 2, 28), "month")),
    ("2024-02", (D(2024, 2, 1), D(2024, 2, 29), "month")),
    ("2010", (D(2010, 1, 1), D(2010, 12, 31), "year")),
    ("2025-W37", (D(2025, 9, 8), D(2025, 9, 14), "week")),
    ("2025-W37-WE", (D(2025, 9, 13), D(2025, 9, 14), "week")),
    ("2025-Q3", (D(2025, 7, 1), D(2025, 9, 30), "quarter")),
    ("2025-Q1", (D(2025, 1, 1), D(2025, 3, 31), "quarter")),
    ("2025-H1", (D(2025, 1, 1), D(2025, 6, 30), "half")),
    ("2025-H2", (D(2025, 7, 1), D(2025, 12, 31), "half")),
    ("2025-SP", (D(2025, 3, 1), D(2025, 5, 31), "season")),
    ("2025-SU", (D(2025, 6, 1), D(2025, 8, 31), "season")),
    ("2025-FA", (D(2025, 9, 1), D(2025, 11, 30), "season")),
    ("2023-WI", (D(2023, 12, 1), D(2024, 2, 29), "season")),
    ("199X", (D(1990, 1, 1), D(1999, 12, 31), "decade")),
    ("19", (D(1900, 1, 1), D(1999, 12, 31), "century")),
    (" 2010 ", (D(2010, 1, 1), D(2010, 12, 31), "year")),
])
def test_period_of_every_value_shape(timex, expected):
    assert F.period_of(timex) == expected


@pytest.mark.parametrize("timex", [
    "PRESENT_REF", "PAST_REF", "FUTURE_REF", "P3D", "XXXX-09", "2025-13", "2025-02-30",
    "2025-W54", "2025-Q5", "2025-H3", "2025-XX", "", "20255", "next week", None, 2010,
])
def test_period_of_is_none_for_what_is_not_a_calendar_period(timex):
    assert F.period_of(timex) is None


def test_every_granularity_period_of_returns_is_in_the_schema():
    from timeline.schema import GRANULARITIES
    for value in ("2025-09-10", "2025-09-10T10:00", "2025-09", "2025", "2025-W01", "2025-Q1", "2025-H1",
                  "2025-SU", "199X", "19"):
        assert F.period_of(value)[2] in GRANULARITIES


def test_a_table_read_back_from_arrow_gives_fresh_lists_and_still_checks_what_arrow_cannot_vouch_for(tricky):
    """`from_arrow` takes list columns of Arrow lists of text without nulls as they come
    (no cell loop); a null list or a null item still goes through the checks."""
    import pyarrow as pa

    table = F.arrow_table(tricky)
    back = F.from_arrow(table)
    pd.testing.assert_frame_equal(back, F.validate(tricky))
    assert back["actors"].iloc[0] is not back["actors"].iloc[1]
    back["actors"].iloc[0].append("X")  # each cell its own list
    assert F.from_arrow(table)["actors"].iloc[0] == tricky["actors"].iloc[0]
    n = table.num_rows
    holes = table.set_column(table.schema.get_field_index("places"), "places",
                             pa.array([None] + [["Vilnius"]] * (n - 1), pa.list_(pa.string())))
    assert F.from_arrow(holes)["places"].iloc[0] == []
    bad = table.set_column(table.schema.get_field_index("places"), "places",
                           pa.array([["Vilnius", None]] + [[]] * (n - 1), pa.list_(pa.string())))
    with pytest.raises(SchemaError, match="places"):
        F.from_arrow(bad)


def test_a_merge_remembering_no_comparison_merges_as_one_remembering_them_all(monkeypatch):
    """Wire copies repeat titles and sentences, so a merge remembers what each pair of texts
    gave (`_RATIOS_KEPT` of them): forgetting them after every comparison changes nothing."""
    merge = importlib.import_module("timeline.frame.merge")
    copies = []
    for k in range(6):  # six copies of two reports and of one scene-setting line, one article each
        copies.append(F.from_records([
            event(event_id=f"a{k}", article_id=f"art{k}", title="Belarus frees 52 prisoners at the border",
                  actors=[]),
            event(event_id=f"b{k}", article_id=f"art{k}", title="Lithuania reopens the Medininkai crossing",
                  actors=[]),
            event(event_id=f"c{k}", article_id=f"art{k}", title="In the year-earlier quarter", actors=[],
                  sentence="In the year-earlier quarter, Citadel earned $4 million." if k % 2 else
                  "In the year-earlier quarter, Ralston lost $12 million."),
        ]))
    kept = merge.merge(copies)
    assert len(kept) == 4  # the two reports, and the two different sentences
    monkeypatch.setattr(merge, "_RATIOS_KEPT", 1)
    forgot = merge.merge(copies)
    pd.testing.assert_frame_equal(forgot, kept)
    assert forgot.attrs == kept.attrs


@pytest.mark.parametrize("ext", ["csv", "json", "parquet"])
def test_a_frame_saved_before_the_language_column_still_loads(tmp_path, ext):
    frame = F.from_records([event()])
    path = tmp_path / f"events.{ext}"
    F.save(frame, path)
    if ext == "json":
        rows = json.loads(path.read_text(encoding="utf-8"))
        path.write_text(json.dumps([{k: v for k, v in r.items() if k != "language"} for r in rows]))
    elif ext == "csv":
        pd.read_csv(path, dtype=str, keep_default_na=False).drop(columns=["language"]).to_csv(path, index=False)
    else:
        import pyarrow.parquet as pq
        pq.write_table(pq.read_table(path).drop(["language"]), path)
    loaded = F.load(path)
    assert "language" not in path.read_text(encoding="latin-1")[:400] or ext == "parquet"
    assert loaded.loc[0, "language"] == "" and list(loaded.columns) == list(frame.columns)
    assert loaded.loc[0, "title"] == frame.loc[0, "title"]
