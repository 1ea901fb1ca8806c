"""Every article file the dashboard reads is parsed in a child process under a time and a
memory limit (`timeline.webapp.sandbox`): a file over a limit is refused with the reason,
never saved when uploaded, skipped and named at start-up, and the app goes on.

The files over a limit stay over it whatever the parser's speed: an 8 MB article cannot be
read in 16 MB of memory (its bytes and its text alone take that), and 9.5 MB of news prose
is not parsed in one CPU second. The helper's own failures (a hang, a crash, no start) are
played by small scripts standing in for it.
"""
from __future__ import annotations

import base64
import shutil
import sys
import threading
from pathlib import Path

import pandas as pd
import pytest

from timeline.errors import InputError
from timeline.parse import parse
from timeline.read import read_many
from timeline.webapp import sandbox, uploads
from timeline.webapp.corpus import Corpus, article_files

ROOT = Path(__file__).resolve().parents[1]
SEED = next((ROOT / "seeds").glob("*.txt"))
PROSE = SEED.read_bytes()
BIG = (PROSE * (8_000_000 // len(PROSE) + 1))[:8_000_000]
TIGHT = sandbox.Limits(memory_mb=16)
MAX = 10_000_000


def data_url(data: bytes) -> str:
    return "data:text/plain;base64," + base64.b64encode(data).decode()


@pytest.fixture
def helper_command(monkeypatch):
    """Stand a script in for the helper (the real one again after the test)."""
    def use(script: str):
        sandbox.stop()
        monkeypatch.setattr(sandbox, "COMMAND", (sys.executable, "-c", script))

    yield use
    sandbox.stop()


# --------------------------------------------------------------------------- what a file gives

def test_the_sandbox_gives_the_frame_and_errors_that_parse_gives(tmp_path):
    folder = shutil.copytree(ROOT / "tests" / "corpus", tmp_path / "corpus")
    (folder / "broken.json").write_text('{"articles": [', encoding="utf-8")
    (folder / "empty.txt").write_text(" \n", encoding="utf-8")
    paths = [folder, ROOT / "seeds"]
    expected = parse(article_files(paths))
    snap = Corpus(paths).snapshot()
    pd.testing.assert_frame_equal(snap.frame, expected.frame)
    assert list(snap.errors) == expected.errors and len(expected.errors) == 2
    assert snap.n_articles == len(read_many(article_files(paths))[0])


def test_a_file_over_the_memory_limit_is_refused_with_the_reason_and_the_next_file_is_read():
    parsed = sandbox.parse_bytes("big.txt", BIG, limits=TIGHT, max_bytes=MAX)
    assert parsed.articles == [] and parsed.refused == "big.txt: not read: parsing it needed more than 16 MB of memory"
    assert len(sandbox.parse_file(SEED, limits=TIGHT, max_bytes=MAX).articles) == 1  # a new helper


def test_a_file_over_the_time_limit_is_refused_with_the_reason():
    prose = (PROSE * (9_500_000 // len(PROSE) + 1))[:9_500_000]
    limits = sandbox.Limits(seconds=1, seconds_per_mb=0, memory_mb=2048)
    parsed = sandbox.parse_bytes("long.txt", prose, limits=limits, max_bytes=MAX)
    assert parsed.refused == "long.txt: not read: parsing it took more than 1 s (the limit for a file of 9.5 MB)"


def test_the_time_allowed_grows_with_the_file():
    limits = sandbox.Limits(seconds=5, seconds_per_mb=3)
    assert [limits.cpu_seconds(n) for n in (0, 6_000, 1_000_000, 10_000_000)] == [5, 6, 8, 35]


def test_unreadable_files_are_named_as_read_names_them():
    assert sandbox.parse_bytes("tool.exe", b"MZ", limits=TIGHT, max_bytes=MAX).refused.startswith(
        "tool.exe: unknown extension .exe")
    assert sandbox.parse_file("/no/such/file.txt", limits=TIGHT, max_bytes=MAX).errors == [
        "/no/such/file.txt: no such file"]


def test_a_helper_that_hangs_is_killed_at_the_wall_clock_backstop(helper_command, monkeypatch):
    monkeypatch.setattr(sandbox, "WALL_FACTOR", 1)
    monkeypatch.setattr(sandbox, "WALL_SLACK", 0)
    helper_command("import sys, time; print('{\"ready\": true}', flush=True); sys.stdin.readline(); time.sleep(600)")
    parsed = sandbox.parse_bytes("slow.txt", b"text", limits=sandbox.Limits(seconds=1, seconds_per_mb=0), max_bytes=MAX)
    assert parsed.refused == "slow.txt: not read: parsing it took more than 1 s"


def test_a_helper_that_dies_is_named_and_replaced(helper_command):
    helper_command("import sys; print('{\"ready\": true}', flush=True); sys.stdin.readline(); sys.exit(3)")
    parsed = sandbox.parse_bytes("crash.txt", b"text", limits=TIGHT, max_bytes=MAX)
    assert parsed.refused == "crash.txt: not read: the parser stopped (exit status 3; see the server's log)"
    helper_command("import sys; sys.exit(1)")
    parsed = sandbox.parse_bytes("a.txt", b"text", limits=TIGHT, max_bytes=MAX)
    assert parsed.refused == "a.txt: not read: the parser could not start (exit status 1; see the server's log)"


def test_limits_come_from_the_environment_and_nonsense_is_refused_by_name():
    env = {"TIMELINE_PARSE_SECONDS": "2", "TIMELINE_PARSE_SECONDS_PER_MB": "0", "TIMELINE_PARSE_MEMORY_MB": ""}
    assert sandbox.Limits.from_env(env) == sandbox.Limits(seconds=2, seconds_per_mb=0, memory_mb=512)
    with pytest.raises(InputError, match="TIMELINE_PARSE_MEMORY_MB='lots'"):
        sandbox.Limits.from_env({"TIMELINE_PARSE_MEMORY_MB": "lots"})
    for bad in ({"seconds": 0}, {"memory_mb": -1}, {"seconds_per_mb": float("inf")}, {"seconds": True}):
        with pytest.raises(InputError, match="parse limit"):
            sandbox.Limits(**bad)


# --------------------------------------------------------------------------- uploads and start-up

def test_an_upload_over_a_limit_is_refused_by_name_and_never_saved(tmp_path):
    result = uploads.save_uploads([data_url(BIG), data_url(PROSE)], ["big.txt", "good.txt"], tmp_path,
                                  limits=TIGHT)
    assert result.errors == ["big.txt: not read: parsing it needed more than 16 MB of memory"]
    assert [p.name for p in result.saved] == ["good.txt"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["good.txt"]  # nor any temporary file


def test_a_corpus_or_uploads_file_over_a_limit_is_skipped_and_named_at_start_up(tmp_path):
    corpus = tmp_path / "corpus"
    (corpus / "uploads").mkdir(parents=True)
    shutil.copy(SEED, corpus / SEED.name)
    (corpus / "big.txt").write_bytes(BIG)
    (corpus / "uploads" / "old-upload.txt").write_bytes(BIG)  # saved before uploads were checked
    snap = Corpus([corpus], limits=TIGHT).snapshot()
    assert [e.split(": ", 1)[0] for e in snap.errors] == [str(corpus / "big.txt"),
                                                         str(corpus / "uploads" / "old-upload.txt")]
    assert all(e.endswith("needed more than 16 MB of memory") for e in snap.errors)
    pd.testing.assert_frame_equal(snap.frame, parse([SEED]).frame)


def test_one_check_runs_at_a_time_in_a_worker(monkeypatch):
    running, most = [0], [0]
    real = sandbox._Helper.ask

    def counting(self, job, timeout):
        running[0] += 1
        most[0] = max(most[0], running[0])
        try:
            return real(self, job, timeout)
        finally:
            running[0] -= 1

    monkeypatch.setattr(sandbox._Helper, "ask", counting)
    threads = [threading.Thread(target=sandbox.parse_bytes, args=(f"{i}.txt", PROSE),
                                kwargs={"limits": TIGHT, "max_bytes": MAX}) for i in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert most[0] == 1


def test_a_corpus_folder_that_cannot_be_listed_is_one_line_not_a_failed_start(tmp_path, unlistable_folder):
    locked = unlistable_folder
    good = tmp_path / "good.txt"
    good.write_text("Belarus freed 52 prisoners on 11 September 2025.", encoding="utf-8")
    snap = Corpus([locked, good], upload_dir=tmp_path / "uploads").snapshot()
    assert len(snap.errors) == 1 and str(locked) in snap.errors[0]
    assert list(snap.frame["timex"]) == ["2025-09-11"]
