"""The dashboard as production runs it: app:server under gunicorn with two workers, on a
corpus folder of its own, sent what an attacker or a careless user would upload.

Uploads are posted to the upload callback as the dashboard's page posts them. The file that
must be refused is refused for a reason that stays whatever the parser's speed: an 8 MB
article cannot be read within the 16 MB of memory this server allows a parse. The issue's
poison file (a dated sentence with 6,000 tabs in it: 62 s of CPU when it was filed) may be
refused for its time or parsed quickly: either way the dashboard answers meanwhile and
after, and a restart reads nothing over a limit.
"""
from __future__ import annotations

import base64
import http.client
import json
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest
from conftest import callback_body

ROOT = Path(__file__).resolve().parents[1]
SEED = next((ROOT / "seeds").glob("*.txt"))
POISON = b"On May 12, 2025 police arrested" + b"\t" * 6_000 + b" them."
BIG = (SEED.read_bytes() * 2_000)[:8_000_000]
TIMEOUT = 60  # seconds any one request may take before the app counts as down


def get(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=TIMEOUT) as r:
        assert r.status == 200
        return r.read()


def upload(site: str, name: str, data: bytes) -> str:
    """Drop one file on the dashboard at `site`; the upload status as text."""
    deps = json.loads(get(f"{site}/_dash-dependencies"))
    payload = {"contents": ["data:text/plain;base64," + base64.b64encode(data).decode()], "filenames": [name],
               "rejected": []}
    body = json.dumps(callback_body(deps, "upload-status.children", {"upload-payload.data": payload})).encode()
    request = urllib.request.Request(f"{site}/_dash-update-component", data=body,
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=TIMEOUT * 2) as r:
        return json.dumps(json.loads(r.read())["response"]["upload-status"])


@contextmanager
def gunicorn(corpus: Path, log: Path, *, workers: int = 2, env: dict | None = None, ready: str = "/_dash-layout"):
    """app:server on `corpus` under gunicorn -w `workers` (2) on a free port, with `env`
    added to the environment; (its URL, the process) once `ready` answers."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "TIMELINE_OPEN": "1", "TIMELINE_CORPUS": str(corpus),
           "TIMELINE_UPLOADS": str(corpus / "uploads"), "TIMELINE_PARSE_MEMORY_MB": "16", "PYTHONPATH": str(ROOT),
           **(env or {})}
    with open(log, "ab") as out:
        proc = subprocess.Popen([sys.executable, "-m", "gunicorn", "-w", str(workers), "--timeout", "120",
                                 "-b", f"127.0.0.1:{port}", "app:server"], cwd=ROOT, env=env, stdout=out, stderr=out)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 180
        while True:
            assert proc.poll() is None, f"gunicorn exited: {log.read_text()[-2000:]}"
            try:
                get(f"{url}{ready}")
                break
            except OSError:
                assert time.monotonic() < deadline, f"gunicorn never answered: {log.read_text()[-2000:]}"
                time.sleep(0.5)
        yield url, proc
    finally:
        proc.terminate()
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("gunicorn") / "corpus"
    folder.mkdir()
    shutil.copy(SEED, folder / SEED.name)
    return folder


@pytest.fixture(scope="module")
def site(corpus):
    with gunicorn(corpus, corpus.parent / "gunicorn.log") as (url, _):
        yield url


def while_uploading(site: str, name: str, data: bytes) -> tuple[str, int]:
    """Upload in a thread and load the page meanwhile, each load answered; (the upload's
    status, the pages served while it was in flight)."""
    status: list[str] = []
    thread = threading.Thread(target=lambda: status.append(upload(site, name, data)))
    thread.start()
    served = 0
    while thread.is_alive() or served == 0:
        get(f"{site}/")  # the page reads the corpus: a worker stuck in a parse would not answer
        get(f"{site}/_dash-layout")
        served += thread.is_alive()
        time.sleep(0.2)
    thread.join()
    return status[0], served


def test_a_file_over_a_limit_is_refused_by_name_and_the_dashboard_answers_meanwhile(site, corpus):
    status, _ = while_uploading(site, "big.txt", BIG)
    assert "big.txt: not read: parsing it needed more than 16 MB of memory" in status
    assert not [p.name for p in corpus.glob("uploads/*") if "big" in p.name]  # nor a temporary file
    for _ in range(4):  # both workers
        assert b"not read" not in get(f"{site}/_dash-layout")


def test_the_poison_file_never_takes_the_dashboard_down_whatever_its_parse_costs(site, corpus):
    status, served = while_uploading(site, "poison.txt", POISON)
    refused = "poison.txt: not read: parsing it took more than 6 s (the limit for a file of 6 KB)" in status
    assert refused or "poison.txt: 1 article added" in status, status
    assert refused != (corpus / "uploads" / "poison.txt").exists()  # refused: never saved
    for _ in range(4):  # both workers, after it
        get(f"{site}/")
    print(f"poison {'refused' if refused else 'accepted'}; {served} pages served while it was checked")


def test_a_restart_on_the_same_folders_reads_nothing_over_a_limit(site, corpus):
    upload(site, "poison.txt", POISON)  # whatever became of it before
    start = time.monotonic()
    with gunicorn(corpus, corpus.parent / "restart.log") as (again, _):
        print(f"restarted: first answer after {time.monotonic() - start:.1f} s")
        layout = get(f"{again}/_dash-layout")
        assert b"not read" not in layout  # no file spent a limit's time
        assert get(f"{again}/").startswith(b"<!DOCTYPE html>")


# --------------------------------------------------------------------------- corrections from many editors

EDITOR = ("ana", "ana's long password")


class Editor:
    """One editor's browser-less session: signed in once, then corrections through the API
    with the session cookie and its CSRF token."""

    def __init__(self, site: str):
        import http.cookiejar
        import re

        self.site = site
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        page = self.opener.open(f"{site}/login", timeout=TIMEOUT).read().decode()
        token = re.search(r'name="csrf_token" value="([^"]+)"', page)[1]
        form = urllib.parse.urlencode({"csrf_token": token, "name": EDITOR[0], "password": EDITOR[1]}).encode()
        self.opener.open(f"{site}/login", form, timeout=TIMEOUT).read()
        jar = self.opener.handlers
        self.token = next(c.value for h in jar if isinstance(h, urllib.request.HTTPCookieProcessor)
                          for c in h.cookiejar if c.name == "_csrf_token")

    def correct(self, event_id: str, value: str) -> dict:
        return self.post("/api/stories/corpus/corrections", {"event_id": event_id, "field": "title", "value": value})

    def post(self, path: str, body: dict) -> dict:
        request = urllib.request.Request(f"{self.site}{path}", data=json.dumps(body).encode(), method="POST",
                                         headers={"Content-Type": "application/json", "X-CSRFToken": self.token})
        with self.opener.open(request, timeout=TIMEOUT) as r:
            assert r.status == 201
            return json.loads(r.read())


@pytest.fixture(params=["sqlite", "postgresql"])
def desk(request, tmp_path):
    """The seed under gunicorn -w 4 with one editor, its database SQLite or PostgreSQL."""
    from timeline import store

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(SEED, corpus / SEED.name)
    if request.param == "sqlite":
        url = f"sqlite:///{corpus / 'timeline.db'}"
    else:
        from sqlalchemy import create_engine, text

        server = request.getfixturevalue("postgres_url")
        name = f"desk{os.getpid()}{time.monotonic_ns()}"
        with create_engine(server, isolation_level="AUTOCOMMIT").connect() as c:
            c.execute(text(f"CREATE DATABASE {name}"))
        url = server.rsplit("/", 1)[0] + "/" + name
    engine = store.open_database(url)
    store.add_user(engine, *EDITOR[:1], "editor", EDITOR[1])
    # Every editor here is 127.0.0.1: the API's limit per address would be theirs together.
    env = {"TIMELINE_DATABASE_URL": url, "TIMELINE_OPEN": "", "TIMELINE_PUBLIC": "1",
           "TIMELINE_RATE_LIMITS": "api-write=100000/minute"}
    with gunicorn(corpus, tmp_path / "desk.log", workers=4, env=env, ready="/api/stories") as (site, proc):
        yield site, proc, store.History(engine, "corpus")


def test_two_hundred_corrections_from_ten_editors_at_once_are_all_kept(desk):
    from concurrent.futures import ThreadPoolExecutor

    site, _, history = desk
    events = [e["event_id"] for e in json.loads(get(f"{site}/api/stories/corpus/events?show=all"))["events"]][:20]

    def one_editor(k: int) -> list[dict]:
        editor = Editor(site)
        mine = events[2 * k:2 * k + 2]
        return [editor.correct(mine[i % 2], f"editor {k}, correction {i}") for i in range(20)]

    with ThreadPoolExecutor(10) as pool:
        answers = [c for made in pool.map(one_editor, range(10)) for c in made]
    log = history.log(limit=10_000)
    assert len(answers) == len(log) == 200
    assert sorted(c["id"] for c in answers) == sorted(c.id for c in log)
    final = {e["event_id"]: e["title"] for e in json.loads(get(f"{site}/api/stories/corpus/events?show=all"))["events"]}
    for k in range(10):
        assert final[events[2 * k]] == f"editor {k}, correction 18"
        assert final[events[2 * k + 1]] == f"editor {k}, correction 19"


def test_a_story_started_through_one_worker_is_served_by_every_worker(desk):
    site, proc, _ = desk
    editor = Editor(site)
    assert editor.post("/api/stories", {"name": "across-workers"})["url"] == "/s/across-workers/"
    text = "Vilnius, 3 November 2025. Lithuania reopened the Medininkai crossing with Belarus on Monday."
    assert editor.post("/api/stories/across-workers/articles", {"filename": "a.txt", "text": text})["saved"]
    totals = set()
    for _ in range(24):  # new connections: gunicorn hands them to its workers in turn
        with urllib.request.urlopen(f"{site}/s/across-workers/_dash-layout", timeout=TIMEOUT) as r:
            assert r.status == 200 and b"1 article" in r.read()
        totals.add(json.loads(get(f"{site}/api/stories/across-workers/events"))["total"])
    assert len(totals) == 1 and totals != {0}
    names = [s["name"] for s in json.loads(get(f"{site}/api/stories"))]
    assert names == ["corpus", "across-workers"]


def test_a_worker_killed_mid_write_leaves_the_history_whole(desk):
    import signal
    from concurrent.futures import ThreadPoolExecutor

    site, proc, history = desk
    events = [e["event_id"] for e in json.loads(get(f"{site}/api/stories/corpus/events"))["events"]]
    workers = [int(p) for p in subprocess.run(["pgrep", "-P", str(proc.pid)], capture_output=True,
                                              text=True).stdout.split()]
    assert len(workers) == 4
    acknowledged, failed = [], []
    editors = [Editor(site) for _ in range(8)]

    def burst(k: int) -> None:
        editor = editors[k]
        for i in range(30):
            try:
                acknowledged.append(editor.correct(events[k % len(events)], f"burst {k}.{i}")["id"])
            except (OSError, http.client.HTTPException):  # its worker was killed before or while answering
                failed.append((k, i))

    with ThreadPoolExecutor(8) as pool:
        running = [pool.submit(burst, k) for k in range(8)]
        deadline = time.monotonic() + TIMEOUT
        while len(acknowledged) < 40 and time.monotonic() < deadline:  # in the thick of it
            time.sleep(0.01)
        os.kill(workers[0], signal.SIGKILL)
        for f in running:
            f.result()
    kept = {c.id for c in history.log(limit=10_000)}
    assert set(acknowledged) <= kept and len(kept) <= len(acknowledged) + len(failed)
    assert all(c.value.startswith("burst ") and c.who == "ana" for c in history.log(limit=10_000))
    if history.engine.url.get_backend_name() == "sqlite":
        with history.engine.connect() as c:
            from sqlalchemy import text

            assert c.execute(text("PRAGMA integrity_check")).scalar_one() == "ok"
    assert Editor(site).correct(events[0], "after the kill")["who"] == "ana"  # and it still answers
    print(f"{len(acknowledged)} acknowledged, {len(failed)} cut by the kill, {len(kept)} kept")
