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
def gunicorn(corpus: Path, log: Path):
    """app:server on `corpus` under gunicorn -w 2 on a free port; its URL once it answers."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "TIMELINE_OPEN": "1", "TIMELINE_CORPUS": str(corpus), "TIMELINE_UPLOADS": str(corpus / "uploads"),
           "TIMELINE_PARSE_MEMORY_MB": "16", "PYTHONPATH": str(ROOT)}
    with open(log, "ab") as out:
        proc = subprocess.Popen([sys.executable, "-m", "gunicorn", "-w", "2", "--timeout", "120",
                                 "-b", f"127.0.0.1:{port}", "app:server"], cwd=ROOT, env=env, stdout=out, stderr=out)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 180
        while True:
            assert proc.poll() is None, f"gunicorn exited: {log.read_text()[-2000:]}"
            try:
                get(f"{url}/_dash-layout")
                break
            except OSError:
                assert time.monotonic() < deadline, f"gunicorn never answered: {log.read_text()[-2000:]}"
                time.sleep(0.5)
        yield url
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
    with gunicorn(corpus, corpus.parent / "gunicorn.log") as url:
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
    with gunicorn(corpus, corpus.parent / "restart.log") as again:
        print(f"restarted: first answer after {time.monotonic() - start:.1f} s")
        layout = get(f"{again}/_dash-layout")
        assert b"not read" not in layout  # no file spent a limit's time
        assert get(f"{again}/").startswith(b"<!DOCTYPE html>")
