"""Hostile and careless input: reading is bounded (FIFOs and devices, YAML alias and nesting
bombs, deep JSON, long numbers, lone surrogates, long metadata), one bad input is one line
naming it while the good inputs of the same call are still read and written, and fuzzed
articles (text, Markdown with front matter, HTML, JSON) raise nothing but the documented
errors from `read_bytes`, `parse` and `tag`."""
from __future__ import annotations

import base64
import contextlib
import datetime as dt
import importlib
import json
import os
import subprocess
import sys
import threading
import tomllib
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from timeline import bounded, tag
from timeline import frame as fr
from timeline.cli import main
from timeline.errors import InputError, OverridesError, TimelineError
from timeline.export import from_timelinejs
from timeline.parse import parse
from timeline.read import read_bytes, read_many, read_path
from timeline.read.articles import MAX_META_CHARS
from timeline.read.formats import MAX_FRONT_MATTER_CHARS
from timeline.webapp import create_app, uploads
from timeline.webapp.corpus import Corpus

ROOT = Path(__file__).resolve().parent.parent
GOOD = "Police arrest two\n\nOn May 12, 2025 police arrested two men in Vilnius.\n"
BODY = "\n# Police arrest two\n\nOn May 12, 2025 police arrested two men in Vilnius.\n"


def alias_bomb(levels: int) -> str:
    """Markdown whose front matter is a YAML alias bomb: 9 ** `levels` strings once expanded
    (7 levels is 349 bytes, the issue's file, which took 579 MB and wrote a 69 MB frame)."""
    lines = ["---", "a: &a [" + ",".join(["lol"] * 9) + "]"]
    for previous, name in zip("abcdefghij", "bcdefghijk"[:levels - 1]):
        lines.append(f"{name}: &{name} [" + ",".join([f"*{previous}"] * 9) + "]")
    lines += [f"source: *{'abcdefghijk'[levels - 1]}", "title: Police arrest two", "---", "",
              "On May 12, 2025 police arrested two men in Vilnius."]
    return "\n".join(lines) + "\n"


@pytest.fixture
def good(tmp_path: Path) -> Path:
    path = tmp_path / "good.txt"
    path.write_text(GOOD, encoding="utf-8")
    return path


def invoke(*args: str, stdin: str | bytes | None = None):
    result = CliRunner().invoke(main, list(args), input=stdin)
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.stderr
    return result


def error_lines(result) -> list[str]:
    return [line for line in result.stderr.splitlines() if line.startswith("timeline: error:")]


@contextlib.contextmanager
def fifo(path: Path):
    """A FIFO at `path`. Should a reader block on it (what this guards against), a writer
    opens and closes it every few seconds, so that the reader sees an empty file and the
    test fails instead of hanging."""
    os.mkfifo(path)
    stop = threading.Event()

    def unblock():
        while not stop.wait(3):
            with contextlib.suppress(OSError):  # ENXIO: nobody is waiting to read
                os.close(os.open(path, os.O_WRONLY | os.O_NONBLOCK))

    thread = threading.Thread(target=unblock, daemon=True)
    thread.start()
    try:
        yield path
    finally:
        stop.set()
        thread.join()


# --------------------------------------------------------------------------- bounded JSON

NESTED = "[" * 100_000 + "]" * 100_000
BAD_JSON = [
    ("nested.json", NESTED, "nested deeper than 64 levels"),
    ("nested-title.json", '{"text": "On May 12 police arrested two men.", "title": ' + NESTED + "}",
     "nested deeper than 64 levels"),
    ("65-levels.json", '{"text": "Police arrested two men.", "x": ' + "[" * 64 + "]" * 64 + "}",
     "nested deeper than 64 levels"),
    ("long-int.json", '{"text": "Police arrested two men.", "n": ' + "9" * 5_000 + "}",
     "a number of 5,000 characters, over the 100-character limit"),
    ("long-float.json", '{"text": "Police arrested two men.", "n": 0.' + "1" * 5_000 + "}",
     "a number of 5,002 characters"),
    ("surrogate.json", '{"text": "On May 12 police \\ud800 arrested two men."}', "lone surrogate (\\ud800)"),
    ("surrogate-key.json", '{"text": "Police arrested two men.", "\\udfff": 1}', "lone surrogate (\\udfff)"),
    ("long-source.json", json.dumps({"text": "Police arrested two men.", "source": "x" * 3_000}),
     "long-source.json: source is 3,000 characters, over the 2,000-character limit"),
]


@pytest.mark.parametrize("name, text, words", BAD_JSON, ids=[b[0] for b in BAD_JSON])
def test_json_out_of_bounds_is_one_line_input_error_naming_the_file(name, text, words):
    with pytest.raises(InputError) as e:
        read_bytes(name, text.encode("ascii"))
    message = str(e.value)
    assert message.startswith(name) and words in message and "\n" not in message


def test_json_nested_64_levels_and_paired_surrogates_are_read():
    deep = '{"text": "Police arrested two men.", "x": ' + "[" * 63 + "]" * 63 + "}"
    assert read_bytes("deep.json", deep.encode())[0].text == "Police arrested two men."
    emoji = read_bytes("emoji.json", b'{"text": "Police \\ud83d\\ude00 arrested two men."}')[0]
    assert emoji.text == "Police \U0001f600 arrested two men."


def test_a_text_with_a_lone_surrogate_given_as_str_is_refused_naming_it():
    with pytest.raises(InputError, match=r"^x\.txt: the text holds a lone surrogate"):
        read_bytes("x.txt", "Headline\n\nPolice \ud800 arrested two men.")


def test_a_long_title_source_or_url_is_refused_as_it_would_be_copied_into_every_event():
    long = "x" * (MAX_META_CHARS + 1)
    for field in ("title", "source", "url"):
        item = {"text": "Police arrested two men.", field: long}
        with pytest.raises(InputError, match=rf'^feed\.json, item 2 of 2: {field} is 2,001 characters'):
            read_bytes("feed.json", json.dumps([{"text": "Fine."}, item]).encode())
    assert read_bytes("ok.json", json.dumps({"text": "Fine.", "url": "u" * MAX_META_CHARS}).encode())


# --------------------------------------------------------------------------- front matter

BAD_FRONT_MATTER = [
    ("alias", "a: &a [x, x]\nb: [*a, *a]", "front matter line 3: found the alias *a: YAML aliases are not allowed"),
    ("deep", "x: " + "[" * 5_000 + "]" * 5_000, "front matter line 2: nested deeper than 64 levels"),
    ("long number", "n: " + "9" * 5_000, "a number of 5,000 characters, over the 100-character limit"),
    ("bad date", "date: 2025-13-45", "front matter line 2: '2025-13-45' cannot be read (month must be in 1..12)"),
    ("surrogate", 'title: "a \\ud800 b"', "the front matter holds a lone surrogate (\\ud800)"),
    ("python tag", "title: !!python/object/apply:os.system [ls]", "front matter line 2: could not determine"),
    ("too long", "title: " + "x" * MAX_FRONT_MATTER_CHARS, "front matter is 65,544 characters, over the 65,536"),
    ("long source", "source: " + "s" * 2_500, "source is 2,500 characters, over the 2,000-character limit"),
]


@pytest.mark.parametrize("front, words", [b[1:] for b in BAD_FRONT_MATTER], ids=[b[0] for b in BAD_FRONT_MATTER])
def test_front_matter_out_of_bounds_is_one_line_input_error_naming_the_file(front, words):
    with pytest.raises(InputError) as e:
        read_bytes("story.md", f"---\n{front}\n---\n{BODY}".encode())
    message = str(e.value)
    assert message.startswith("story.md: ") and words in message and "\n" not in message


def test_front_matter_that_is_not_yaml_is_still_read_as_markdown():
    a = read_bytes("rule.md", f"---\nSome words: [and a bracket\n---\n{BODY}".encode())[0]
    assert "Some words" in a.title + a.text and "police arrested two men" in a.text


def test_the_alias_bomb_is_one_line_and_costs_no_memory(tmp_path):
    bomb = tmp_path / "bomb.md"
    bomb.write_text(alias_bomb(9), encoding="utf-8")  # 419 bytes; 387 million strings expanded
    code = (
        "import resource, sys\n"
        "limit = 2 << 30  # should the bomb go off again, it fails here instead of taking the machine\n"
        "resource.setrlimit(resource.RLIMIT_AS, (limit, limit))\n"
        "from timeline.read import read_many\n"
        "articles, errors = read_many([sys.argv[1]])\n"
        "print(len(articles), *errors, sep='\\n')\n"
        # This process's own peak: getrusage's ru_maxrss would carry over the peak of the
        # pytest process it was spawned from (Linux keeps it across exec).
        "print(next(int(line.split()[1]) for line in open('/proc/self/status') if line.startswith('VmHWM')) // 1024)\n"
    )
    done = subprocess.run([sys.executable, "-c", code, str(bomb)], capture_output=True, text=True, timeout=120,
                          cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert done.returncode == 0, done.stderr
    n_articles, error, peak_mb = done.stdout.splitlines()
    assert n_articles == "0"
    assert error == f"{bomb}: front matter line 3: found the alias *a: YAML aliases are not allowed"
    assert int(peak_mb) < 300


def test_the_alias_bomb_beside_a_good_file_writes_the_good_files_events(tmp_path, good):
    bomb = tmp_path / "bomb.md"
    bomb.write_text(alias_bomb(7), encoding="utf-8")
    out = tmp_path / "out.json"
    result = invoke("parse", str(good), str(bomb), "-o", str(out))
    assert result.exit_code == 1
    assert error_lines(result) == [f"timeline: error: {bomb}: front matter line 3: found the alias *a: "
                                   "YAML aliases are not allowed"]
    assert {e["source"] for e in json.loads(out.read_text())} == {"good.txt"}
    assert out.stat().st_size < 10_000


# --------------------------------------------------------------------------- other readers

def test_nested_json_next_to_a_good_file_is_one_line_and_the_good_events_are_written(tmp_path, good):
    nested = tmp_path / "nested.json"
    nested.write_text(NESTED, encoding="ascii")
    out = tmp_path / "out.json"
    result = invoke("parse", str(good), str(nested), "-o", str(out))
    assert result.exit_code == 1
    assert error_lines(result) == [f"timeline: error: {nested}: the JSON is nested deeper than 64 levels"]
    events = json.loads(out.read_text())
    assert [e["date"] for e in events] == ["2025-05-12"]


def test_export_names_each_nested_frame_timelinejs_and_article_file_and_writes_the_rest(tmp_path, good):
    frame_json = tmp_path / "frame.json"
    frame_json.write_text('[{"event_id": "a", "granularity": "day", "x": ' + NESTED + "}]")
    timelinejs = tmp_path / "tl.json"
    timelinejs.write_text('{"events": [{"start_date": {"year": 2020}, "text": {"headline": ' + NESTED + "}}]}")
    surrogate = tmp_path / "surrogate.json"
    surrogate.write_text('{"events": [{"start_date": {"year": 2020}, "text": {"headline": "\\ud800"}}]}')
    out = tmp_path / "out.csv"
    result = invoke("export", str(good), str(frame_json), str(timelinejs), str(surrogate), "--csv", str(out))
    assert result.exit_code == 1
    assert sorted(error_lines(result)) == sorted([
        f"timeline: error: {frame_json}: the JSON is nested deeper than 64 levels",
        f"timeline: error: {timelinejs}: the JSON is nested deeper than 64 levels",
        f"timeline: error: {surrogate}: the JSON holds a lone surrogate (\\ud800), which is not a character: "
        "text must be valid Unicode",
    ])
    assert len(fr.load(out)) == 1


def test_saved_frames_and_timelinejs_read_through_the_bounds(tmp_path):
    path = tmp_path / "frame.json"
    path.write_text('[{"event_id": "a", "start_char": ' + "1" * 5_000 + "}]")
    with pytest.raises(InputError, match=r"frame\.json: the JSON holds a number of 5,000 characters"):
        fr.load(path)
    cell = tmp_path / "frame.csv"
    cell.write_text("event_id,actors\na," + '"' + "[" * 200 + "]" * 200 + '"\n')
    with pytest.raises(InputError, match=r"frame\.csv line 2, event a: column 'actors': the JSON is nested"):
        fr.load(cell)
    with pytest.raises(InputError, match=r"^TimelineJS: the JSON is nested deeper than 64 levels"):
        from_timelinejs(NESTED)


@pytest.mark.parametrize("text, words", [
    (alias_bomb(7).split("---")[1], "line 3: malformed YAML (found the alias *a: YAML aliases are not allowed)"),
    ("ev1: " + "[" * 5_000 + "]" * 5_000 + "\n", "line 1: malformed YAML (nested deeper than 64 levels)"),
    ('ev1:\n  title: "\\ud800"\n', "the YAML holds a lone surrogate (\\ud800)"),
], ids=["alias", "nested", "surrogate"])
def test_overrides_yaml_out_of_bounds_is_an_overrides_error_naming_the_file(tmp_path, text, words):
    path = tmp_path / "fixes.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(OverridesError) as e:
        fr.load_overrides(path)
    assert str(e.value).startswith(str(path)) and words in str(e.value)


def test_timex_batch_out_of_bounds_exits_2_with_one_line_naming_stdin():
    for stdin, words in ((NESTED, "the JSON is nested deeper than 64 levels"),
                         ('[{"id": "a", "text": "x \\ud800", "dct": "2025-09-12"}]', "lone surrogate"),
                         ('[{"id": ' + "7" * 5_000 + ', "text": "x", "dct": "2025-09-12"}]', "number of 5,000")):
        result = invoke("timex", "--batch", stdin=stdin)
        assert result.exit_code == 2
        [line] = error_lines(result)
        assert line.startswith("timeline: error: stdin: ") and words in line


# --------------------------------------------------------------------------- FIFOs and devices

def test_read_path_refuses_a_fifo_and_a_device_without_waiting(tmp_path):
    with fifo(tmp_path / "fifo.txt") as path:
        with pytest.raises(InputError, match=r"fifo\.txt: is a FIFO, not a regular file"):
            read_path(path)
    with pytest.raises(InputError, match=r"^/dev/zero: is a character device, not a regular file"):
        read_path("/dev/zero")


def test_every_command_refuses_a_fifo_by_name_and_goes_on(tmp_path, good):
    with fifo(tmp_path / "f.txt") as txt, fifo(tmp_path / "f.json") as js, fifo(tmp_path / "f.csv") as csv, \
            fifo(tmp_path / "f.yaml") as yml:
        parsed = invoke("parse", str(txt), str(good), "-o", str(tmp_path / "out.json"))
        assert parsed.exit_code == 1
        assert error_lines(parsed) == [f"timeline: error: {txt}: is a FIFO, not a regular file"]
        timexes = invoke("timex", str(txt), str(good), "--dct", "2025-09-12")
        assert timexes.exit_code == 1 and list(json.loads(timexes.stdout)) == [str(good)]
        assert error_lines(timexes) == [f"timeline: error: {txt}: is a FIFO, not a regular file"]
        exported = invoke("export", str(js), str(csv), str(good), "--csv", str(tmp_path / "out.csv"))
        assert exported.exit_code == 1 and (tmp_path / "out.csv").exists()
        assert sorted(error_lines(exported)) == [f"timeline: error: {p}: is a FIFO, not a regular file"
                                                 for p in (csv, js)]
        overrides = invoke("parse", str(good), "--overrides", str(yml))
        assert overrides.exit_code == 2
        assert error_lines(overrides) == [f"timeline: error: {yml}: is a FIFO, not a regular file"]
        with pytest.raises(InputError, match="is a FIFO"):
            fr.load(tmp_path / "f.csv")


# --------------------------------------------------------------------------- any failure of one file

def test_any_failure_of_one_file_is_its_line_saying_what_kind_and_the_others_are_read(tmp_path, good, monkeypatch):
    from timeline.read import files

    real = files.read_format

    def failing(kind, name, text, argument, problems=None):
        if "bug" in name:
            raise KeyError("oops")
        if "deep" in name:
            raise RecursionError("maximum recursion depth exceeded")
        return real(kind, name, text, argument, problems)

    monkeypatch.setattr(files, "read_format", failing)
    for name in ("bug.txt", "deep.txt"):
        (tmp_path / name).write_text(GOOD)
    articles, errors = read_many([tmp_path / "bug.txt", good, tmp_path / "deep.txt"])
    assert [Path(a.path).name for a in articles] == ["good.txt"]
    assert errors == [
        f"{tmp_path / 'bug.txt'}: an internal error (please report it) (KeyError: 'oops')",
        f"{tmp_path / 'deep.txt'}: too deeply nested for Python's stack (RecursionError: maximum recursion depth "
        "exceeded)",
    ]


def test_a_failure_extracting_one_article_is_its_line_and_the_others_are_parsed(tmp_path, good, monkeypatch):
    import timeline.parse as parsing

    other = tmp_path / "other.txt"
    other.write_text("Talks\n\nOn June 3, 2025 talks began in Minsk.\n")
    real = parsing.extract_events

    def extract(article):
        if article.path == str(good):
            raise IndexError("x")
        return real(article)

    monkeypatch.setattr(parsing, "extract_events", extract)
    result = parse([good, other])
    assert result.errors == [f"{good}: an internal error (please report it) (IndexError: x)"]
    assert result.frame["date"].dt.strftime("%Y-%m-%d").tolist() == ["2025-06-03"]


def test_an_import_error_in_html_extraction_is_that_files_line_not_a_traceback(tmp_path, good, monkeypatch):
    page = tmp_path / "page.html"
    page.write_text("<html><body><article><p>On May 12, 2025 police arrested two men in Vilnius after a long"
                    " inquiry.</p></article></body></html>")
    monkeypatch.setitem(sys.modules, "trafilatura", None)  # `import trafilatura` raises ImportError
    out = tmp_path / "out.json"
    result = invoke("parse", str(page), str(good), "-o", str(out))
    assert result.exit_code == 1
    [line] = error_lines(result)
    assert line == (f"timeline: error: {page}: a library timeline needs is missing or broken "
                    "(ModuleNotFoundError: import of trafilatura halted; None in sys.modules)")
    assert {e["source"] for e in json.loads(out.read_text())} == {"good.txt"}


def test_lxml_html_clean_is_a_declared_dependency_pinned_as_in_the_lock():
    declared = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    locked = (ROOT / "requirements.lock").read_text().split()
    assert "lxml_html_clean==0.4.6" in declared and "lxml_html_clean==0.4.6" in locked


def test_timex_reports_any_failure_of_one_file_and_prints_the_others(tmp_path, good, monkeypatch):
    timex_command = importlib.import_module("timeline.cli.timex")  # the package's `timex` is the command

    bad = tmp_path / "bad.txt"
    bad.write_text("Boom on Friday.")
    real = timex_command.tag

    def tag_or_run_out(text, dct, genre=None, lang=None):
        if "Boom" in text:
            raise MemoryError()
        return real(text, dct, genre, lang)

    monkeypatch.setattr(timex_command, "tag", tag_or_run_out)
    result = invoke("timex", str(bad), str(good), "--dct", "2025-09-12")
    assert result.exit_code == 1 and list(json.loads(result.stdout)) == [str(good)]
    assert error_lines(result) == [f"timeline: error: {bad}: out of memory (MemoryError)"]


# --------------------------------------------------------------------------- the app

def data_url(data: bytes) -> str:
    return "data:application/octet-stream;base64," + base64.b64encode(data).decode("ascii")


def test_an_upload_keeps_its_good_files_and_names_each_poisoned_one(tmp_path):
    result = uploads.save_uploads(
        [data_url(NESTED.encode()), data_url(alias_bomb(7).encode()), data_url(GOOD.encode())],
        ["nested.json", "bomb.md", "good.txt"], tmp_path)
    assert [p.name for p in result.saved] == ["good.txt"]
    assert result.errors == ["nested.json: the JSON is nested deeper than 64 levels",
                             "bomb.md: front matter line 3: found the alias *a: YAML aliases are not allowed"]


@pytest.mark.parametrize("payload, errors", [
    ({"contents": "x", "filenames": 7}, ["7: not a file"]),
    ({"contents": 5, "filenames": None, "rejected": "big.txt: too big"}, ["big.txt: too big", "upload: not a file"]),
    ({"contents": [data_url(GOOD.encode()), "x"], "filenames": ["a.txt"]}, ["upload: not a file"]),
], ids=["number-as-names", "number-as-contents", "fewer-names"])
def test_an_upload_payload_of_any_shape_is_answered_file_by_file(tmp_path, payload, errors):
    assert uploads.save_payload(payload, tmp_path).errors == errors


def test_the_upload_callback_answers_a_malformed_payload_with_a_message_not_a_500(tmp_path):
    app = create_app([], frame=fr.empty_frame(), overrides_path=tmp_path / "o.csv", upload_dir=tmp_path / "up")
    client = app.server.test_client()
    dep = next(d for d in client.get("/_dash-dependencies").get_json()
               if [i["id"] for i in d["inputs"]] == ["upload-payload"])
    outputs = [dict(zip(("id", "property"), o.split("@")[0].rsplit(".", 1))) for o in dep["output"].strip(".").split("...")]
    response = client.post("/_dash-update-component", json={
        "output": dep["output"], "outputs": outputs, "state": [], "changedPropIds": ["upload-payload.data"],
        "inputs": [{"id": "upload-payload", "property": "data", "value": {"contents": "x", "filenames": 7}}]})
    assert response.status_code == 200
    assert "7: not a file" in json.dumps(response.get_json()["response"]["upload-status"])


def test_a_poisoned_file_in_the_corpus_folder_does_not_stop_the_app_from_starting(tmp_path, good):
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "good.txt").write_text(GOOD)
    (folder / "nested.json").write_text(NESTED)
    (folder / "bomb.md").write_text(alias_bomb(7))
    (folder / "surrogate.json").write_text('{"text": "\\ud800"}')
    snap = Corpus([folder]).snapshot()
    assert snap.n_articles == 1 and len(snap.frame) == 1
    assert [line.split(": ", 1)[0] for line in snap.errors] == [str(folder / n) for n in
                                                                ("bomb.md", "nested.json", "surrogate.json")]


# --------------------------------------------------------------------------- fuzzing
# Words and marks the readers, the sentence splitter, the tagger and the extractor look for,
# so that random articles reach the rules and not only the guards.

TOKENS = [
    "On", "May", "12,", "2025", "Sept.", "11", "last", "week", "yesterday", "Thursday", "police", "arrested",
    "said", "U.S.", "Mr.", "Lukashenko", "Vilnius", "Minsk", "Poland", "Belarus", "VILNIUS,", "(Reuters)", "-",
    "\u2014", "Published in Dawn, September 12th, 2025", "...", "?!", "!", ".", ",", ";", "\"", "'", "\u201c",
    "\u2019", "(", ")", "#", "*", "**", "_", "__", "`", "[", "](http://x)", "![", ">", "---", "***", "1.",
    "<b>", "</b>", "<p>", "&amp;", "&#0;", "\u00a0", "\u200b", "\u202e", "\ufeff", "\r", "\r\n", "\n", "\n\n",
    "\t", "  ", "\x0b", "\x0c", "\x85", "\u2028",
]
# Random text without control characters, most of the time: a file of them is refused as binary.
TOKEN = st.one_of(st.sampled_from(TOKENS), st.integers(0, 3_000).map(str),
                  st.text(st.characters(exclude_categories=("Cc", "Cs")), max_size=6), st.text(max_size=2))
ARTICLE_TEXT = st.lists(TOKEN, max_size=80).map(" ".join) | st.lists(TOKEN, max_size=80).map("".join)

HOSTILE_FRONT_MATTER = [
    alias_bomb(3).split("---")[1], "x: " + "[" * 70 + "]" * 70, "n: " + "9" * 150, 'title: "\\ud800"',
    "date: 2025-13-45", "date: 2025-02-30", "published: soon", "title: !!binary AAAA", "a: [b", "- a\n- list",
    "&a x: *a", "? [a, b]\n: c", "date: 2025-09-12\nsource: [a, {b: c}]", "title: null", "url: 1e400",
    "source: " + "s" * 2_100, "date: 99999-01-01", "published: 1850-01-01",
]
YAML_SCALAR = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=30), st.dates())
FRONT_MATTER = st.one_of(
    st.dictionaries(st.sampled_from(["title", "date", "published", "source", "url", "tags"]),
                    YAML_SCALAR | st.lists(YAML_SCALAR, max_size=3), max_size=5)
    .map(lambda d: __import__("yaml").safe_dump(d, allow_unicode=True)),
    st.sampled_from(HOSTILE_FRONT_MATTER),
    ARTICLE_TEXT,
)
MARKDOWN = st.builds(lambda front, body, fenced: f"---\n{front}\n---\n{body}" if fenced else body,
                     FRONT_MATTER, ARTICLE_TEXT, st.booleans())

HTML_TAGS = ["html", "head", "title", "body", "article", "main", "p", "div", "nav", "script", "style", "h1",
             "time", "meta", "a", "br", "table", "td", "!--"]
HTML_PIECE = st.one_of(ARTICLE_TEXT, ARTICLE_TEXT.map("<p>{}</p>".format),
                       st.sampled_from(HTML_TAGS).map("<{}>".format), st.sampled_from(HTML_TAGS).map("</{}>".format),
                       st.just('<meta property="article:published_time" content="2025-09-12">'),
                       st.just('<meta property="og:site_name" content="Dawn">'))
HTML = st.builds("<html><head>{}</head><body><article>{}</article></body></html>".format,
                 st.lists(HTML_PIECE, max_size=4).map("".join), st.lists(HTML_PIECE, max_size=12).map("".join))

SURROGATE_TEXT = st.text(alphabet=st.characters() | st.sampled_from(["\ud800", "\udfff", "\ud83d"]), max_size=20)
JSON_VALUE = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | SURROGATE_TEXT | ARTICLE_TEXT,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(SURROGATE_TEXT, inner, max_size=4),
    max_leaves=12)
ARTICLE_ITEM = st.fixed_dictionaries(
    {"text": ARTICLE_TEXT | JSON_VALUE},
    optional={"title": ARTICLE_TEXT | JSON_VALUE, "published": st.sampled_from(["2025-09-12", "soon", "", "12 May"])
              | JSON_VALUE, "source": ARTICLE_TEXT | JSON_VALUE, "url": ARTICLE_TEXT, "extra": JSON_VALUE})


@st.composite
def json_documents(draw) -> bytes:
    """A JSON file as a person or a program might write one: an article, a list of them, the
    `articles` wrapper, any value; nested some levels deeper, with a number too long to read,
    its non-ASCII written escaped (lone surrogates then reach the reader as escapes) or raw."""
    value = draw(st.one_of(ARTICLE_ITEM, st.lists(ARTICLE_ITEM, max_size=4),
                           st.lists(ARTICLE_ITEM, max_size=3).map(lambda items: {"articles": items}), JSON_VALUE))
    text = json.dumps(value, ensure_ascii=draw(st.booleans()))
    depth = draw(st.sampled_from([0, 0, 0, 1, 63, 64, 65, 2_000]))
    text = "[" * depth + text + "]" * depth
    if draw(st.booleans()):
        text = text.replace("0", "1" * draw(st.integers(1, 200)), 1)
    return text.encode("utf-8", "surrogatepass")


def read_or_refuse(name: str, data: bytes):
    """`read_bytes(name, data)`'s articles, checked, or [] when it raises InputError naming
    `name` in one line; any other exception fails the test."""
    try:
        articles = read_bytes(name, data, problems=[])
    except InputError as e:
        assert str(e).startswith(name) and "\n" not in str(e), str(e)
        event(f"refused: {str(e)[len(name) + 2:][:25]}")
        return []
    event("read")
    for a in articles:
        assert isinstance(a.text, str) and a.text.strip()
        assert bounded.lone_surrogate(a.text + a.title + a.source + a.url) is None
        assert max(len(a.title), len(a.source), len(a.url)) <= MAX_META_CHARS
        assert all(0 <= s < e <= len(a.text) for s, e in a.metadata_spans)
    return articles


def parse_and_tag(articles) -> None:
    """Every article read is parsed without an error line and tagged with spans inside it."""
    if not articles:
        return
    result = parse(articles)
    assert result.errors == []
    for a in articles:
        for t in tag(a.text, a.published or dt.date(2025, 9, 12)):
            assert a.text[t.start:t.end] == t.text


FUZZ = settings(max_examples=60, deadline=dt.timedelta(seconds=20),
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@FUZZ
@given(ARTICLE_TEXT, st.sampled_from(["a.txt", "a.md", "a.json", "a.html"]), st.sampled_from(["utf-8", "utf-16", "cp1252"]))
def test_fuzzed_article_text_in_any_format_is_read_or_refused_in_one_line(text, name, encoding):
    articles = read_or_refuse(name, text.encode(encoding, "replace"))
    parse_and_tag(articles)


@FUZZ
@given(MARKDOWN)
def test_fuzzed_markdown_with_front_matter_is_read_or_refused_in_one_line(md):
    parse_and_tag(read_or_refuse("story.md", md.encode("utf-8", "surrogatepass")))


@settings(FUZZ, max_examples=30)
@given(HTML)
def test_fuzzed_html_is_read_or_refused_in_one_line(html):
    parse_and_tag(read_or_refuse("page.html", html.encode("utf-8", "surrogatepass")))


@FUZZ
@given(json_documents())
def test_fuzzed_json_is_read_or_refused_in_one_line(data):
    parse_and_tag(read_or_refuse("feed.json", data))


@FUZZ
@given(json_documents())
def test_fuzzed_json_as_a_frame_or_timelinejs_raises_only_documented_errors(tmp_path_factory, data):
    path = tmp_path_factory.mktemp("fuzz") / "frame.json"
    path.write_bytes(data)
    for read in (fr.load, lambda p: from_timelinejs(p.read_bytes(), locate=False)):
        with contextlib.suppress(TimelineError):
            read(path)


@FUZZ
@given(st.lists(st.fixed_dictionaries({"id": st.text(max_size=5) | st.integers(), "text": ARTICLE_TEXT,
                                       "dct": st.sampled_from(["2025-09-12", "1998-01-08T10:30", "soon"])}),
                max_size=3))
def test_fuzzed_timex_batch_answers_each_document(docs):
    result = invoke("timex", "--batch", stdin=json.dumps(docs))
    assert result.exit_code in (0, 1)
    assert len(json.loads(result.stdout)) + len(error_lines(result)) == len(docs)

