"""Shared test helpers."""
import os
from contextlib import contextmanager
from pathlib import Path

import pytest

# ../shared beside the repository: the training corpus and the team's scorers. A user's clone
# has none of it; CI always has it.
SHARED = Path(__file__).resolve().parents[2] / "shared"


def require_shared(path: Path) -> None:
    """Skip when `path` (under ../shared) is missing, except on CI (CI=true), where a
    regression test that silently skips would guard nothing: there it fails."""
    if path.exists():
        return
    message = f"{path} is missing: this test needs ../shared beside the repository"
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


# Debian's Chromium serves Playwright (and kaleido); these flags keep it off the network.
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


def require_browser() -> None:
    """Skip without Chromium or Playwright, except on CI (CI=true), where that fails."""
    problem = None
    if not Path(CHROMIUM).exists():
        problem = f"{CHROMIUM} is missing (apt-get install chromium; `make test` does it)"
    else:
        try:
            import playwright.sync_api  # noqa: F401
        except ImportError:
            problem = "the playwright package is not installed"
    if problem:
        if os.environ.get("CI") == "true":
            pytest.fail(problem)
        pytest.skip(problem)


@pytest.fixture(scope="module")
def browser():
    """A headless Chromium for the tests of one module."""
    require_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def unlistable_folder(tmp_path, monkeypatch) -> Path:
    """A folder whose listing fails as an unreadable one does (root reads any folder, so
    `Path.iterdir` is made to raise PermissionError for it alone)."""
    locked = tmp_path / "locked"
    locked.mkdir()
    real_iterdir = Path.iterdir

    def iterdir(self):
        if self == locked:
            raise PermissionError(13, "Permission denied", str(self))
        return real_iterdir(self)

    monkeypatch.setattr(Path, "iterdir", iterdir)
    return locked


@contextmanager
def replaced_data_file(monkeypatch, tmp_path: Path, module, attr: str, loader, text: str):
    """`module.attr`, the path of a data file `loader` (an lru_cache'd function) reads, pointed
    at a file of the same name holding `text`; the loader's cache cleared before and after,
    so that the real file is read again once the test is done."""
    path = tmp_path / Path(getattr(module, attr)).name
    path.write_text(text, encoding="utf-8")
    monkeypatch.setattr(module, attr, path)
    loader.cache_clear()
    try:
        yield path
    finally:
        loader.cache_clear()


def event_record(**fields) -> dict:
    """A complete day event record (the frame's columns) for the tests: Belarus frees 52
    prisoners in Vilnius on 2025-09-11, reported by Dawn; keyword arguments replace fields."""
    base = {
        "event_id": "ev-1", "date": "2025-09-11", "end": "2025-09-11", "granularity": "day",
        "timex": "2025-09-11", "date_text": "on Thursday", "dated": True,
        "title": "Belarus frees 52 prisoners", "category": "release",
        "actors": ["Alexander Lukashenko"], "places": ["Vilnius"], "countries": ["BY", "LT"],
        "lat": 54.687, "lon": 25.28, "place_inferred": False,
        "sentence": "Belarus freed 52 prisoners on Thursday.", "start_char": 10, "end_char": 49,
        "confidence": 0.7, "article_id": "art-dawn", "source": "Dawn",
        "published": "2025-09-12", "url": "https://dawn.example/a", "language": "en", "sources": ["Dawn"],
    }
    base.update(fields)
    return base


def callback_body(deps: list[dict], first_output: str, values: dict) -> dict:
    """The body the browser POSTs to /_dash-update-component for the callback whose first
    output is `first_output` ("upload-status.children"), `deps` being the app's
    /_dash-dependencies, with `values` {"id.prop": value} (inputs and states not given
    are None)."""
    def outputs(spec: str) -> list[dict]:
        parts = spec[2:-2].split("...") if spec.startswith("..") else [spec]
        return [dict(zip(("id", "property"), p.rsplit(".", 1))) for p in parts]

    dep = next(d for d in deps if "{id}.{property}".format(**outputs(d["output"])[0]) == first_output)
    outs = outputs(dep["output"])

    def item(i: dict) -> dict:
        return {"id": i["id"], "property": i["property"], "value": values.get(f"{i['id']}.{i['property']}")}

    return {"output": dep["output"], "outputs": outs if len(outs) > 1 else outs[0],
            "inputs": [item(i) for i in dep["inputs"]], "state": [item(s) for s in dep["state"]],
            "changedPropIds": [k for k in values if any(f"{i['id']}.{i['property']}" == k for i in dep["inputs"])]}


@contextmanager
def served(wsgi):
    """The WSGI app `wsgi` (a Flask server, or any) on a free port of 127.0.0.1, in a
    thread, its `Server` header naming no version as `timeline serve`'s; its URL."""
    import logging
    import threading

    from werkzeug.serving import make_server

    from timeline.webapp.access import request_handler

    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # no line per request in the test log
    server = make_server("127.0.0.1", 0, wsgi, threaded=True, request_handler=request_handler())
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(10)


# --------------------------------------------------------------------------- PostgreSQL

def _postgres_bin() -> Path | None:
    """The folder of Debian's PostgreSQL programs (initdb, pg_ctl), newest version first."""
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: int(p.parts[-3]), reverse=True)
    return found[0].parent if found else None


@pytest.fixture(scope="session")
def postgres_url():
    """An SQLAlchemy URL of a PostgreSQL server of the test session's own (a throwaway
    cluster in a temporary folder, on a free port of 127.0.0.1; `make test` installs
    Debian's postgresql). Skips without it, except on CI (CI=true), where that fails."""
    import shutil
    import socket
    import subprocess
    import tempfile

    bin_dir = _postgres_bin()
    if bin_dir is None:
        message = "PostgreSQL is not installed (apt-get install postgresql; `make test` does it)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    # Not under pytest's temporary folder: that is private to root, out of the postgres user's reach.
    folder = Path(tempfile.mkdtemp(prefix="timeline-postgres-"))
    data = folder / "data"
    # initdb refuses to run as root: then the cluster belongs to the postgres user.
    as_owner = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    if as_owner:
        shutil.chown(folder, "postgres")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    run = lambda *args: subprocess.run([*as_owner, *map(str, args)], check=True, capture_output=True, timeout=120)
    run(bin_dir / "initdb", "-D", data, "-U", "timeline", "--auth=trust", "-E", "UTF8")
    run(bin_dir / "pg_ctl", "-D", data, "-l", folder / "log", "-w", "-o",
        f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off", "start")
    try:
        yield f"postgresql+psycopg://timeline@127.0.0.1:{port}/postgres"
    finally:
        run(bin_dir / "pg_ctl", "-D", data, "-m", "immediate", "stop")
        shutil.rmtree(folder, ignore_errors=True)
