"""The `timeline` command line: output formats, --batch, and one line per bad input."""
import json
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner

from timeline import read
from timeline.cli import main

SENTENCE = "Freed on Thursday, they crossed last month."
DCT = "2025-09-12"
THURSDAY = {"start": 9, "end": 17, "text": "Thursday", "type": "DATE",
            "value": "2025-09-11", "granularity": "day", "mod": ""}
LAST_MONTH = {"start": 32, "end": 42, "text": "last month", "type": "DATE",
              "value": "2025-08", "granularity": "month", "mod": ""}


@pytest.fixture
def article(tmp_path: Path) -> Path:
    path = tmp_path / "article.txt"
    path.write_text(SENTENCE + "\n", encoding="utf-8")
    return path


def invoke(*args: str, stdin: str | bytes | None = None):
    return CliRunner().invoke(main, list(args), input=stdin)


def error_lines(result) -> list[str]:
    """stderr's lines, after checking the command ended by exiting, not by a traceback."""
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.stderr
    return result.stderr.splitlines()


def test_json_output_maps_each_file_to_its_timexes(article):
    result = invoke("timex", str(article), "--dct", DCT)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == {str(article): [THURSDAY, LAST_MONTH]}
    assert result.stderr == ""


def test_timeml_is_well_formed_and_strips_back_to_the_decoded_text(tmp_path):
    text = 'Tom & "Jerry" <b> met on Thursday,\r\nnot last month.\n'
    path = tmp_path / "tricky.txt"
    path.write_bytes(text.encode("utf-8"))
    result = invoke("timex", str(path), "--dct", DCT, "--format", "timeml")
    assert result.exit_code == 0, result.output
    root = ET.fromstring(f"<TimeML>{result.stdout}</TimeML>")
    assert "".join(root.itertext()) == text.replace("\r\n", "\n")  # decoded as `timeline parse` decodes it
    tags = [(e.get("tid"), e.get("type"), e.get("value"), e.text) for e in root.iter("TIMEX3")]
    assert tags == [("t1", "DATE", "2025-09-11", "Thursday"), ("t2", "DATE", "2025-08", "last month")]


def test_timeml_marks_each_file_when_there_are_several(article, tmp_path):
    other = tmp_path / "other.txt"
    other.write_text("Nothing dated here.\n", encoding="utf-8")
    result = invoke("timex", str(article), str(other), "--dct", DCT, "--format", "timeml")
    assert result.exit_code == 0, result.output
    assert f"<!-- {article} -->" in result.stdout and f"<!-- {other} -->" in result.stdout
    root = ET.fromstring(f"<TimeML>{result.stdout}</TimeML>")
    assert len(list(root.iter("TIMEX3"))) == 2


def test_batch_round_trip():
    docs = [{"id": "a", "text": SENTENCE, "dct": DCT},
            {"id": "b", "text": "On Thursday.", "dct": "1998-01-08T10:30"},
            {"id": "empty", "text": "", "dct": DCT}]
    result = invoke("timex", "--batch", stdin=json.dumps(docs))
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert out["a"] == [THURSDAY, LAST_MONTH]
    # 1998-01-08 was itself a Thursday: the value must be a Thursday within a week of it.
    assert [(t["text"], t["start"], t["end"]) for t in out["b"]] == [("Thursday", 3, 11)]
    assert out["b"][0]["value"] in ("1998-01-01", "1998-01-08", "1998-01-15")
    assert out["empty"] == []


def test_bad_dct_is_one_line_naming_the_file_and_the_date(article):
    result = invoke("timex", str(article), "--dct", "not-a-date")
    assert result.exit_code == 1
    lines = error_lines(result)
    assert len(lines) == 1 and lines[0].startswith(f"timeline: error: {article}: ")
    assert "not-a-date" in lines[0]
    assert json.loads(result.stdout) == {}


def test_bad_dct_in_batch_spoils_only_its_document():
    docs = [{"id": "bad", "text": SENTENCE, "dct": "yesterday-ish"},
            {"id": "good", "text": SENTENCE, "dct": DCT}]
    result = invoke("timex", "--batch", stdin=json.dumps(docs))
    assert result.exit_code == 1
    lines = error_lines(result)
    assert len(lines) == 1 and lines[0].startswith('timeline: error: document "bad": ')
    assert json.loads(result.stdout) == {"good": [THURSDAY, LAST_MONTH]}


@pytest.mark.parametrize("doc, why", [
    ({"id": "n", "text": 5, "dct": DCT}, '"text" must be a string'),
    ({"id": "n", "dct": DCT}, 'missing "text"'),
    ({"text": SENTENCE, "dct": DCT}, 'missing "id"'),
    (["not", "an", "object"], "expected an object"),
])
def test_malformed_batch_document_is_one_line(doc, why):
    docs = [doc, {"id": "ok", "text": SENTENCE, "dct": DCT}]
    result = invoke("timex", "--batch", stdin=json.dumps(docs))
    assert result.exit_code == 1
    lines = error_lines(result)
    assert len(lines) == 1 and lines[0].startswith("timeline: error: document ") and why in lines[0]
    assert json.loads(result.stdout) == {"ok": [THURSDAY, LAST_MONTH]}


@pytest.mark.parametrize("name, content", [
    ("missing.txt", None),
    ("notes.bin", bytes(range(256)) * 8),
    ("padded.bin", b"\x00" * 64 + SENTENCE.encode()),  # valid UTF-8, but not text
])
def test_unreadable_file_is_one_line_and_the_good_file_is_still_printed(article, tmp_path, name, content):
    bad = tmp_path / name
    if content is not None:
        bad.write_bytes(content)
    result = invoke("timex", str(bad), str(article), "--dct", DCT)
    assert result.exit_code == 1
    lines = error_lines(result)
    assert len(lines) == 1 and lines[0].startswith(f"timeline: error: {bad}: ")
    assert json.loads(result.stdout) == {str(article): [THURSDAY, LAST_MONTH]}


def test_file_in_another_encoding_is_decoded_and_offsets_index_the_decoded_text(tmp_path):
    # English with accented words: in latin-1, and still English to the language detector
    prefix = ("Officials at the caf\u00e9 in Vilnius said the r\u00e9sum\u00e9 looked na\u00efve, "
              "and the talks went on. ") * 20
    path = tmp_path / "latin.txt"
    path.write_bytes((prefix + SENTENCE).encode("latin-1"))
    result = invoke("timex", str(path), "--dct", DCT)
    assert result.exit_code == 0, result.output
    timexes = json.loads(result.stdout)[str(path)]
    assert [(t["start"], t["text"], t["value"]) for t in timexes] == [
        (len(prefix) + 9, "Thursday", "2025-09-11"), (len(prefix) + 32, "last month", "2025-08")]


@pytest.mark.parametrize("stdin", ['[{"id": "a",', "", '{"id": "a"}'])
def test_batch_input_that_is_not_a_json_list_exits_2_with_one_line(stdin):
    result = invoke("timex", "--batch", stdin=stdin)
    assert result.exit_code == 2
    lines = error_lines(result)
    assert len(lines) == 1 and lines[0].startswith("timeline: error: stdin: ")
    assert result.stdout == ""


def test_missing_dct_is_a_usage_error(article):
    result = invoke("timex", str(article))
    assert result.exit_code == 2
    assert "--dct" in result.stderr
    assert result.stdout == ""


def test_installed_command_lists_its_subcommands_in_its_help():
    script = Path(sys.executable).with_name("timeline")
    assert script.exists(), f"console script not installed next to {sys.executable}"
    proc = subprocess.run([str(script), "--help"], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    listed = [line.split()[0] for line in proc.stdout.split("Commands:", 1)[1].splitlines() if line.strip()]
    assert {"timex", "parse"} <= set(listed)


def test_real_process_reports_a_bad_file_in_one_line(article, tmp_path):
    missing = tmp_path / "gone.txt"
    proc = subprocess.run([sys.executable, "-m", "timeline.cli", "timex", str(missing), str(article), "--dct", DCT],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 1
    assert proc.stderr.splitlines() == [f"timeline: error: {missing}: no such file"]
    assert json.loads(proc.stdout) == {str(article): [THURSDAY, LAST_MONTH]}


def test_timex_and_parse_read_a_cp1252_file_with_crlf_into_the_same_characters_and_offsets(tmp_path):
    # A wire dateline opens the file, so the whole file is the article's body: parse's
    # offsets index the same decoded text as timex's.
    body = ("VILNIUS, Sept. 11 (Reuters) - Belarus freed 52 prisoners on Thursday, the caf\u00e9 owner\u2019s "
            "lawyer said.\r\n\r\n\u201cWe have waited since August 2024,\u201d said Siarhei, who was detained on "
            "19 December 2010.\r\nLithuania closed the border last month, the minister said on Wednesday.\r\n")
    path = tmp_path / "wire.txt"
    path.write_bytes(body.encode("cp1252"))
    decoded = read.decode(str(path), path.read_bytes())
    assert decoded == body.replace("\r\n", "\n")  # cp1252 read as cp1252: curly quotes, the accent
    timexes = json.loads(invoke("timex", str(path), "--dct", DCT).stdout)[str(path)]
    parsed = invoke("parse", str(path), "--published", DCT)
    assert parsed.exit_code == 0, parsed.output
    events = json.loads(parsed.stdout)
    assert len(timexes) >= 5 and len(events) >= 4
    for t in timexes:
        assert decoded[t["start"]:t["end"]] == t["text"]
    for e in events:
        assert decoded[e["start_char"]:e["end_char"]] == e["sentence"]
        inside = [t["text"] for t in timexes if e["start_char"] <= t["start"] and t["end"] <= e["end_char"]]
        assert e["date_text"] in inside, (e["date_text"], inside)
