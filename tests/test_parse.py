"""`timeline parse` and `timeline.parse_articles`: articles in, one event frame out."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

import timeline
from timeline import frame as fr
from timeline.cli import main
from timeline.parse import parse

ROOT = Path(__file__).resolve().parents[1]
SEED = next((ROOT / "seeds").glob("*.txt"))
CORPUS = ROOT / "tests" / "corpus"


def run(*args, input=None):
    return CliRunner().invoke(main, ["parse", *map(str, args)], input=input)


def test_parse_articles_gives_a_valid_frame_of_the_seed():
    frame = timeline.parse_articles([SEED])
    assert list(frame.columns) == [c.name for c in timeline.schema.COLUMNS]
    fr.validate(frame)
    dated = frame[frame.dated]
    assert {"2010", "2020", "2021", "2022", "2025-06", "2025-08", "2025-08-22", "2025-09-10",
            "2025-09-11", "2025-09-12"} <= set(dated.timex)
    year = dated[dated.timex == "2010"].iloc[0]
    assert (year.date, year.end, year.granularity) == (pd.Timestamp("2010-01-01"), pd.Timestamp("2010-12-31"), "year")


def test_json_output_is_a_list_of_events_with_the_schema_columns(tmp_path):
    out = tmp_path / "events.json"
    result = run(SEED, "-o", out)
    assert result.exit_code == 0, result.output
    events = json.loads(out.read_text())
    assert isinstance(events, list) and len(events) > 10
    assert {"event_id", "date", "timex", "granularity", "title", "sentence", "start_char", "end_char",
            "article_id", "source"} <= set(events[0])


@pytest.mark.parametrize("suffix", ["csv", "json", "parquet"])
def test_each_output_format_round_trips_the_frame(tmp_path, suffix):
    out = tmp_path / f"events.{suffix}"
    assert run(SEED, "-o", out).exit_code == 0
    back = fr.load(out)
    direct = timeline.parse_articles([SEED])
    assert list(back.event_id) == list(direct.event_id)
    assert back.actors.tolist() == direct.actors.tolist()


def test_stdout_gets_json_when_no_output_is_given():
    result = run(SEED)
    assert result.exit_code == 0
    assert json.loads(result.stdout)[0]["event_id"]


def test_several_articles_merge_into_one_frame_with_each_source():
    result = parse([SEED, *sorted(p for p in CORPUS.iterdir() if p.is_file() and p.suffix != ".yaml")])
    assert result.errors == []
    sources = {s for row in result.frame.sources for s in row}
    assert {"Dawn", "Baltic Wire"} <= sources


def test_bad_inputs_get_one_line_each_and_the_good_ones_are_still_written(tmp_path):
    (tmp_path / "empty.txt").write_text("")
    (tmp_path / "binary.txt").write_bytes(b"\x00\x01\x02")
    (tmp_path / "notes.xyz").write_text("hello")
    big = tmp_path / "big.txt"
    big.write_text("x" * 20_000)
    out = tmp_path / "events.json"
    result = run(SEED, tmp_path / "missing.txt", tmp_path / "empty.txt", tmp_path / "binary.txt",
                 tmp_path / "notes.xyz", big, "--max-bytes", "10000", "-o", out)
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 5 and all(line.startswith("timeline: error: ") for line in lines)
    for name in ("missing.txt", "empty.txt", "binary.txt", "notes.xyz", "big.txt"):
        assert sum(name in line for line in lines) == 1
    assert "Traceback" not in result.output
    assert len(json.loads(out.read_text())) > 10  # the seed was parsed and written


def test_a_published_that_is_not_a_date_is_one_line_and_nothing_is_written(tmp_path):
    out = tmp_path / "events.json"
    result = run(SEED, "--published", "soon", "-o", out)
    assert result.exit_code == 2
    assert result.stderr.strip().startswith("timeline: error: --published:") and "soon" in result.stderr
    assert not out.exists()


def test_an_unwritable_output_is_one_line_and_leaves_nothing_behind(tmp_path):
    target = tmp_path / "no-such-dir" / "events.json"
    result = run(SEED, "-o", target)
    assert result.exit_code == 2
    assert len(result.stderr.strip().splitlines()) == 1 and "events.json" in result.stderr
    assert not (tmp_path / "no-such-dir").exists()


def test_a_malformed_overrides_file_names_its_line(tmp_path):
    bad = tmp_path / "overrides.csv"
    bad.write_text("event_id,field,value\nabc,title\n")
    result = run(SEED, "--overrides", bad)
    assert result.exit_code == 2
    assert "overrides.csv line 2" in result.stderr


def test_corrections_survive_a_reparse(tmp_path):
    frame = timeline.parse_articles([SEED])
    target = frame[frame.timex == "2010"].iloc[0].event_id
    overrides = tmp_path / "overrides.csv"
    fr.save_override(overrides, target, "title", "Statkevich runs for president")
    fr.save_override(overrides, target, "date", "2010-12-19")
    for _ in range(2):  # parse twice: the same ids, the same corrections
        fixed = timeline.parse_articles([SEED], overrides=overrides)
        row = fixed[fixed.event_id == target].iloc[0]
        assert row.title == "Statkevich runs for president"
        assert (row.timex, row.granularity) == ("2010-12-19", "day")


def test_a_correction_whose_event_disappeared_is_reported(tmp_path):
    overrides = tmp_path / "overrides.csv"
    fr.save_override(overrides, "0123456789ab", "title", "Gone")
    result = run(SEED, "--overrides", overrides)
    assert result.exit_code == 0
    assert "0123456789ab" in result.stderr and "warning" in result.stderr


def test_the_installed_command_parses_in_a_real_process(tmp_path):
    out = tmp_path / "events.csv"
    proc = subprocess.run([sys.executable, "-m", "timeline.cli", "parse", str(SEED), "-o", str(out)],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert "parsing" not in proc.stderr  # no progress bar when stderr is not a terminal
    assert len(fr.load(out)) > 10


class FakeGeocoder:
    """Stands in for Nominatim: answers from a table, counts its calls, never networks."""

    def __init__(self, answers, fail=False):
        self.answers, self.fail, self.calls = answers, fail, []

    def geocode(self, query, exactly_one=True):
        from geopy.location import Location
        from timeline.extract.places import GeocodingError

        self.calls.append(query)
        if self.fail:
            raise GeocodingError("service unavailable")
        point = self.answers.get(query)
        return Location(query, point, {}) if point else None


def test_a_configured_geocoder_places_stated_places_once_per_name():
    geocoder = FakeGeocoder({"Vilnius": (54.6872, 25.2797), "Minsk": (53.9, 27.5667)})
    result = parse([SEED], geocoder=geocoder)
    assert len(geocoder.calls) == len(set(geocoder.calls))  # cached per name within an article
    minsk = result.frame[result.frame.places.map(lambda p: bool(p) and p[0] == "Minsk")]
    assert not minsk.empty and (minsk.lat == 53.9).all()
    crossing = result.frame[result.frame.place_inferred & result.frame.places.map(lambda p: "Medininkai-Kamenny Log" in p)]
    assert not crossing.empty and (crossing.lat.round(2) != 53.9).all()  # inferred points are not moved


def test_a_failing_geocoder_keeps_the_offline_points_and_warns_once():
    offline = parse([SEED]).frame
    result = parse([SEED], geocoder=FakeGeocoder({}, fail=True))
    assert [w for w in result.warnings if w.startswith("geocoder:")] == result.warnings[:1]
    assert result.frame.lat.fillna(0).tolist() == offline.lat.fillna(0).tolist()


def test_an_unknown_geocoder_name_is_one_line():
    result = run(SEED, "--geocoder", "nonsense")
    assert result.exit_code == 2 and "--geocoder" in result.stderr and "nonsense" in result.stderr


def test_a_folder_is_parsed_as_the_article_files_directly_inside_it(tmp_path, unlistable_folder):
    from timeline.parse import parse as parse_inputs

    folder = tmp_path / "story"
    (folder / "uploads").mkdir(parents=True)
    (folder / "a.txt").write_text("Belarus freed 52 prisoners on 11 September 2025.", encoding="utf-8")
    (folder / "b.md").write_text("Poland closed the border on 12 September 2025.", encoding="utf-8")
    (folder / "notes.csv").write_text("not,an,article\n", encoding="utf-8")
    (folder / "uploads" / "c.txt").write_text("Not read: a sub-folder.", encoding="utf-8")
    result = parse_inputs([folder])
    assert result.errors == [] and sorted(result.frame["timex"]) == ["2025-09-11", "2025-09-12"]

    locked = unlistable_folder
    result = parse_inputs([locked, folder / "a.txt"])
    assert len(result.errors) == 1 and str(locked) in result.errors[0] and "\n" not in result.errors[0]
    assert list(result.frame["timex"]) == ["2025-09-11"]  # the good input of the same call is kept
