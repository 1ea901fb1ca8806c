"""Archives into a store on Dask: the store equals `timeline parse` of the same articles,
row for row; a second run parses only what changed; JSON Lines and Parquet archives are
read in chunks cut anywhere; bad parts are manifest rows and lines, never a stopped run;
a scheduler and workers started as separate processes give the same store."""
from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from timeline.archive import ingest, read_events, read_manifest, sources
from timeline.archive import store as st
from timeline.frame import MERGED_IDS
from timeline.parse import parse_articles
from timeline.read import read_path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "tests" / "corpus"
BIN = Path(sys.executable).parent


@pytest.fixture(scope="module")
def archive(tmp_path_factory) -> Path:
    """A folder of articles: the test corpus's files and the seed."""
    folder = tmp_path_factory.mktemp("archive") / "articles"
    folder.mkdir()
    for f in [*CORPUS.glob("*.*"), *(ROOT / "seeds").glob("*.txt")]:
        if f.suffix in (".txt", ".md", ".html", ".json"):
            shutil.copy(f, folder / f.name)
    return folder


@pytest.fixture(scope="module")
def ingested(archive, tmp_path_factory):
    """The archive ingested once by a local cluster of two worker processes."""
    store = tmp_path_factory.mktemp("store") / "store"
    report = ingest([archive], store, workers=2)
    return store, report


def same_frame(a: pd.DataFrame, b: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(a.reset_index(drop=True), b.reset_index(drop=True))


def test_the_store_equals_timeline_parse_of_the_same_articles(archive, ingested):
    store, report = ingested
    assert report.errors == [] and report.parsed == 10 and report.unchanged == 0
    expected = parse_articles([archive])
    assert len(expected) > 100
    got = read_events(store)
    same_frame(got, expected)
    # The reports merged into another row are kept: a correction keyed on one still applies.
    assert got.attrs[MERGED_IDS] == expected.attrs[MERGED_IDS]
    years = sorted(p.name for p in (store / "events").iterdir())
    assert "year=undated" in years and "year=2025" in years
    # A year is merged in buckets, by several workers at once: 2025's events lie in several parts.
    assert len(list((store / "events" / "year=2025").glob("part-*.parquet"))) > 1
    manifest = read_manifest(store)
    assert set(manifest["status"]) == {"parsed"} and manifest["events"].sum() >= len(expected)
    assert manifest["digest"].str.len().eq(64).all()


def test_a_second_run_parses_only_what_changed_and_merges_only_its_years(archive, ingested, tmp_path):
    store = tmp_path / "store"
    shutil.copytree(ingested[0], store)
    again = ingest([archive], store, workers=1)
    assert (again.parsed, again.unchanged, again.years) == (0, 10, [])
    grown = tmp_path / "grown"
    shutil.copytree(archive, grown)
    (grown / "late.txt").write_text("VILNIUS, 3 November 2031 (Reuters) - Lithuania reopened the Medininkai "
                                    "border crossing with Belarus on Monday, the interior ministry said.\n")
    more = ingest([grown], store, workers=1)
    assert (more.parsed, more.unchanged) == (1, 10) and more.years == ["2031"]
    same_frame(read_events(store), parse_articles([grown]))
    (grown / "06_background.txt").unlink()  # an article gone from the archive: its events go too
    less = ingest([grown], store, workers=1)
    assert less.parsed == 0 and len(less.years) > 3
    same_frame(read_events(store), parse_articles([grown]))
    assert not any("06_background" in loc for loc in read_manifest(store)["locator"])


def test_a_partition_merged_in_small_slices_equals_it_merged_whole(ingested, tmp_path, monkeypatch):
    """A merge task turns MERGE_BATCH parsed rows at a time into Python objects, cut between
    merge keys: a slice a key gives the very store one slice a partition gives."""
    import importlib

    from timeline.archive import store as st

    run = importlib.import_module("timeline.archive.ingest")
    store = tmp_path / "store"
    shutil.copytree(ingested[0], store)
    rows = read_manifest(store).to_dict("records")
    partitions = sorted({p for r in rows for p in r["partitions"]})
    plans = run._plans(rows, partitions)
    parsed = max((st.read_parsed(store, p, *plans[p]) for p in partitions), key=lambda t: t.num_rows)
    slices = list(st.merge_batches(parsed, 1))  # a slice a merge key
    keys = [set(st.fr.merge_keys(st.fr.from_arrow(s))) for s in slices]
    assert all(len(k) == 1 for k in keys) and len(set.union(*keys)) == len(keys) >= 3
    assert sum(s.num_rows for s in slices) == parsed.num_rows
    monkeypatch.setattr(run, "MERGE_BATCH", 1)
    for p in partitions:
        run.merge_partition(str(store), p, *plans[p])
    got = read_events(store)
    same_frame(got, read_events(ingested[0]))
    assert got.attrs[MERGED_IDS] == read_events(ingested[0]).attrs[MERGED_IDS] != {}


def jsonl_lines(archive: Path) -> list[str]:
    """The archive's articles as JSON Lines objects."""
    lines = []
    for f in sorted(archive.iterdir()):
        for a in read_path(f):
            lines.append(json.dumps({"text": a.text, "title": a.title, "source": a.source, "url": a.url,
                                     "published": str(a.published) if a.published else None}))
    return lines


@pytest.mark.parametrize("chunk_bytes", [1, 97, 1_000, 10_000_000])
def test_json_lines_cut_anywhere_give_every_line_once(archive, tmp_path, chunk_bytes):
    path = tmp_path / "wire.jsonl"
    lines = jsonl_lines(archive)
    path.write_text("\n".join(lines[:3]) + "\n\n" + "\n".join(lines[3:]) + "\n", encoding="utf-8")
    problems: list[str] = []
    chunks = sources.plan([path], problems, chunk_bytes=chunk_bytes)
    items = [i for c in chunks for i in sources.read_chunk(c)]
    assert problems == [] and [i.error for i in items] == [""] * len(lines)
    assert [i.article.text for i in items] == [json.loads(line)["text"] for line in lines]
    assert len({i.locator for i in items}) == len(lines)


def test_bad_parts_of_archives_are_manifest_rows_and_the_rest_is_ingested(archive, tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    lines = jsonl_lines(archive)
    wire = tmp_path / "wire.jsonl"
    wire.write_bytes(("\n".join(lines[:2]) + "\n{not json\n" + '{"title": "no text"}\n').encode()
                     + b"\x00\x01\xff\xfe binary\n" + b'{"text": "' + b"word " * 2_100_000 + b'"}\n'
                     + ("\n".join(lines[2:4]) + "\n").encode())
    table = pa.table({"text": [json.loads(x)["text"] for x in lines[4:6]],
                      "published": [json.loads(x)["published"] for x in lines[4:6]]})
    pq.write_table(table, tmp_path / "site.parquet")
    (tmp_path / "broken.parquet").write_bytes((tmp_path / "site.parquet").read_bytes()[:200])
    store = tmp_path / "store"
    cli = subprocess.run([str(BIN / "timeline"), "ingest", str(wire), str(tmp_path / "site.parquet"),
                          str(tmp_path / "broken.parquet"), str(tmp_path / "missing.jsonl"), "--store", str(store),
                          "--workers", "1", "--quiet"], capture_output=True, text=True, timeout=300)
    assert cli.returncode == 1, cli.stderr
    errors = [line for line in cli.stderr.splitlines() if line.startswith("timeline: error: ")]
    assert len(errors) == 6, cli.stderr
    assert "Traceback" not in cli.stderr and "6 errors" in cli.stderr.splitlines()[-1]
    for needle in ("not valid JSON", 'no "text"', "over the 10,000,000-byte limit", "broken.parquet",
                   "missing.jsonl"):
        assert any(needle in e for e in errors), (needle, errors)
    manifest = read_manifest(store)
    assert (manifest["status"] == "parsed").sum() == 6 and (manifest["status"] == "error").sum() == 6
    assert all(manifest.loc[manifest["status"] == "error", "error"].str.len() > 0)
    assert len(read_events(store)) > 20


def start(args: list[str], log: Path) -> subprocess.Popen:
    return subprocess.Popen(args, stdout=open(log, "wb"), stderr=subprocess.STDOUT, start_new_session=True)


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    """A Dask scheduler and two workers (each under its nanny), started as processes of
    their own on 127.0.0.1, as a newsroom would start them on its machines: the address."""
    home = tmp_path_factory.mktemp("cluster")
    address_file = home / "scheduler.json"
    procs = [start([str(BIN / "dask"), "scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
                    "--scheduler-file", str(address_file)], home / "scheduler.log")]
    try:
        deadline = time.monotonic() + 60
        while not address_file.is_file() and time.monotonic() < deadline:
            time.sleep(0.2)
        address = json.loads(address_file.read_text())["address"]
        procs += [start([str(BIN / "dask"), "worker", address, "--nthreads", "1", "--no-dashboard",
                         "--name", f"w{i}"], home / f"worker{i}.log") for i in range(2)]
        from distributed import Client

        with Client(address, timeout=60) as client:
            client.wait_for_workers(2, timeout=60)
        yield address
    finally:
        for p in procs:
            os.killpg(p.pid, signal.SIGTERM)
        for p in procs:
            p.wait(timeout=30)


def test_an_article_whose_chunk_finished_in_a_stopped_run_is_merged(archive, tmp_path):
    """A chunk finished by a run that was stopped (or by a worker killed before it returned)
    is taken as it is by the next run: its articles are 'unchanged', and their events must
    still be merged, even into a partition no other article touches."""
    import importlib

    run = importlib.import_module("timeline.archive.ingest")
    grown = tmp_path / "archive"
    shutil.copytree(archive, grown)
    (grown / "late.txt").write_text("VILNIUS, 3 November 2031 (Reuters) - Lithuania reopened the Medininkai "
                                    "border crossing with Belarus on Monday, the interior ministry said.\n")
    store = tmp_path / "store"
    store.mkdir()
    run.st.check_layout(store)
    late = next(c for c in sources.plan([grown], [], files_per_chunk=1) if c.paths[0].endswith("late.txt"))
    assert run.parse_chunk(late, str(store), "stopped", {})[0]["status"] == "parsed"
    report = ingest([grown], store, workers=1, files_per_chunk=1)
    assert (report.parsed, report.unchanged, report.errors) == (10, 1, [])
    assert "2031" in report.years
    same_frame(read_events(store), parse_articles([grown]))


def test_a_scheduler_and_two_workers_started_apart_make_the_same_store(archive, ingested, cluster, tmp_path):
    from distributed import Client

    store = tmp_path / "store"
    report = ingest([archive], store, scheduler=cluster, files_per_chunk=2)  # four chunks (eight files)
    with Client(cluster) as client:
        ran = {w["name"]: w["metrics"]["task_counts"] for w in client.scheduler_info()["workers"].values()}
    assert report.errors == [] and report.parsed == 10
    assert len(read_manifest(store)["parsed"].unique()) == 4
    same_frame(read_events(store), read_events(ingested[0]))
    assert set(ran) == {"w0", "w1"}


def test_a_worker_killed_mid_run_leaves_the_same_store(archive, ingested, cluster, tmp_path):
    from distributed import Client

    with Client(cluster) as client:
        pids = client.run(os.getpid)
    killed = []

    def progress(done, total, articles, errors):
        if done == 1 and not killed:  # one chunk in: kill a worker, its tasks must go elsewhere
            killed.append(next(iter(pids.values())))
            os.kill(killed[0], signal.SIGKILL)

    store = tmp_path / "store"
    report = ingest([archive], store, scheduler=cluster, files_per_chunk=1, progress=progress)
    # A chunk the killed worker had finished (its result kept in STORE/chunks/) but not yet
    # returned is taken as it is by the retry: its articles are 'unchanged', parsed once.
    assert killed and report.errors == [] and report.parsed + report.unchanged == 10
    assert read_manifest(store)["digest"].is_unique
    same_frame(read_events(store), read_events(ingested[0]))
    with Client(cluster) as client:
        client.wait_for_workers(2, timeout=60)  # its nanny started it again


def test_an_ingest_killed_mid_run_and_run_again_makes_the_same_store(archive, ingested, tmp_path):
    lines = [json.loads(x) for x in jsonl_lines(archive)]
    wire = tmp_path / "wire.jsonl"
    with open(wire, "w", encoding="utf-8") as f:
        for copy in range(4):  # the same texts published on other days: other articles, other dates
            for item in lines:
                f.write(json.dumps({**item, "published": f"2026-0{copy + 1}-15", "url": f"{item['url']}#{copy}"})
                        + "\n")
    store = tmp_path / "store"
    run = subprocess.Popen([str(BIN / "timeline"), "ingest", str(wire), "--store", str(store), "--workers", "1",
                            "--chunk-bytes", "1000", "--quiet"], start_new_session=True,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    def finished() -> int:  # articles in the chunks finished so far (a chunk file is written whole)
        return sum(len(pd.read_parquet(p)) for p in (store / "chunks").glob("*.parquet"))

    deadline = time.monotonic() + 120
    while finished() < 3 and time.monotonic() < deadline:
        time.sleep(0.05)
    os.killpg(run.pid, signal.SIGKILL)
    run.wait(timeout=30)
    finished = finished()
    assert 3 <= finished < 4 * len(lines) and not (store / "manifest.parquet").exists()
    again = ingest([wire], store, workers=1, chunk_bytes=1000)
    assert again.errors == [] and again.unchanged >= finished and again.parsed + again.unchanged == 4 * len(lines)
    fresh = ingest([wire], tmp_path / "fresh", workers=1, chunk_bytes=1000)
    assert fresh.parsed == 4 * len(lines)
    same_frame(read_events(store), read_events(tmp_path / "fresh"))


def test_a_warc_file_of_fetched_pages_gives_its_html_articles_and_names_what_is_not(tmp_path):
    import io

    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    path = tmp_path / "crawl.warc.gz"
    page = (CORPUS / "02_html_metadata.html").read_bytes()
    with open(path, "wb") as f:
        writer = WARCWriter(f, gzip=True)
        for uri, kind, body in (("https://news.example/story", "text/html; charset=utf-8", page),
                                ("https://news.example/photo.jpg", "image/jpeg", b"\xff\xd8\xff\xe0" + bytes(500))):
            headers = StatusAndHeaders("200 OK", [("Content-Type", kind)], protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(uri, "response", payload=io.BytesIO(body),
                                                          http_headers=headers))
        writer.write_record(writer.create_warc_record("https://news.example/story", "request",
                                                      payload=io.BytesIO(b"GET /story HTTP/1.1\r\n\r\n")))
    problems: list[str] = []
    [chunk] = sources.plan([path], problems)
    items = list(sources.read_chunk(chunk))
    assert problems == [] and len(items) == 2  # the request record is no article, and no error
    article, photo = items
    assert article.error == "" and article.article.url and "html" not in article.article.source
    assert photo.error.endswith("https://news.example/photo.jpg is not HTML (image/jpeg)")
    assert photo.locator.startswith(f"{path}@") and photo.locator != article.locator
    broken = tmp_path / "broken.warc.gz"
    broken.write_bytes(path.read_bytes()[:300] + b"garbage that is no gzip member")
    got = [item for chunk in sources.plan([broken], problems) for item in sources.read_chunk(chunk)]
    assert got and got[-1].error and "broken.warc.gz" in got[-1].error
    store = tmp_path / "store"
    report = ingest([path], store, workers=1)
    assert report.parsed == 1 and len(report.errors) == 1 and len(read_events(store)) > 3


def write_warc(path: Path, pages: int) -> None:
    """A WARC file of `pages` HTML responses (each with its request record) and a photo."""
    import io

    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    page = (CORPUS / "02_html_metadata.html").read_bytes()
    with open(path, "wb") as f:
        writer = WARCWriter(f, gzip=path.suffix == ".gz")
        for i in range(pages):
            uri = f"https://news.example/story-{i}"
            writer.write_record(writer.create_warc_record(uri, "request",
                                                          payload=io.BytesIO(b"GET / HTTP/1.1\r\n\r\n")))
            headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
            body = page.replace(b"</body>", f"<p>Edition {i}.</p></body>".encode())
            writer.write_record(writer.create_warc_record(uri, "response", payload=io.BytesIO(body),
                                                          http_headers=headers))
        headers = StatusAndHeaders("200 OK", [("Content-Type", "image/jpeg")], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record("https://news.example/a.jpg", "response",
                                                      payload=io.BytesIO(bytes(900)), http_headers=headers))


@pytest.mark.parametrize("name", ["crawl.warc.gz", "crawl.warc"])
def test_a_large_warc_file_is_cut_into_runs_of_whole_records_each_read_once(tmp_path, monkeypatch, name):
    path = tmp_path / name
    write_warc(path, 12)
    problems: list[str] = []
    [whole] = sources.plan([path], problems)

    def items(chunks):
        return [(i.locator, i.digest, i.error) for c in chunks for i in sources.read_chunk(c)]

    expected = items([whole])
    assert len(expected) == 13 and sum(bool(e) for _, _, e in expected) == 1  # 12 pages and the photo
    monkeypatch.setattr(sources, "WARC_CHUNK_BYTES", 3_000)
    chunks = sources.plan([path], problems)
    assert problems == [] and len(chunks) >= 4
    assert chunks[0].start == 0 and chunks[-1].stop == path.stat().st_size
    assert all(a.stop == b.start for a, b in zip(chunks, chunks[1:]))
    assert items(chunks) == expected
    # Cut short: the pages before the damage are kept, and the damage is named once.
    cut = tmp_path / f"cut-{name}"
    cut.write_bytes(path.read_bytes()[:path.stat().st_size * 2 // 3])
    got = items(sources.plan([cut], problems))
    errors = [e for _, _, e in got if e]
    assert 4 <= len(got) - len(errors) < 12 and len(errors) == 1 and f"cut-{name}" in errors[0]


def test_the_dashboard_serves_a_store(ingested, tmp_path):
    store = tmp_path / "store"
    shutil.copytree(ingested[0], store)
    code = ("import json, app; r = app.server.test_client().get('/api/stories/store/events?show=all'); "
            "print(json.dumps([r.status_code, r.get_json()['total'], app.app.corpus.overrides_path.parent.name]))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=300,
                         env={**os.environ, "TIMELINE_STORE": str(store)})
    assert out.returncode == 0, out.stderr[-2000:]
    status, total, home = json.loads(out.stdout.strip().splitlines()[-1])
    assert (status, total, home) == (200, len(read_events(store)), "store")
    refused = subprocess.run([str(BIN / "timeline"), "serve", str(ROOT / "seeds"), "--store", str(store)],
                             capture_output=True, text=True, timeout=60)
    assert refused.returncode == 2 and "one of the two" in refused.stderr


def test_a_store_of_an_earlier_layout_is_rebuilt(archive, tmp_path):
    store = tmp_path / "store"
    (store / "events" / "year=2025").mkdir(parents=True)
    (store / "events" / "year=2025" / "part-0.parquet").write_bytes(b"an events file of the year-only layout")
    (store / "parsed" / "year=2025").mkdir(parents=True)
    pd.DataFrame({"digest": ["x"], "status": ["parsed"]}).to_parquet(store / "manifest.parquet")
    report = ingest([archive], store, workers=1)
    assert report.errors == [] and report.parsed == 10 and (store / "LAYOUT").read_text().strip() == st.LAYOUT
    assert not (store / "parsed" / "year=2025").exists()
    same_frame(read_events(store), parse_articles([archive]))


def test_a_chunk_or_a_year_that_fails_is_a_line_and_deletes_nothing(archive, ingested, tmp_path, monkeypatch):
    import importlib

    from distributed import LocalCluster

    run = importlib.import_module("timeline.archive.ingest")  # the module (the package exports its function)

    store = tmp_path / "store"
    shutil.copytree(ingested[0], store)
    before = read_events(store)
    real_read, real_merge = sources.read_chunk, run.merge_partition

    def read_chunk(chunk):
        if any("06_background" in p for p in chunk.paths):
            raise RuntimeError("a disk error")
        return real_read(chunk)

    def merge_partition(store_, partition, files, live):
        if partition.startswith("2031-"):
            raise RuntimeError("out of space")
        return real_merge(store_, partition, files, live)

    monkeypatch.setattr(sources, "read_chunk", read_chunk)
    monkeypatch.setattr(run, "merge_partition", merge_partition)
    grown = tmp_path / "grown"
    shutil.copytree(archive, grown)
    (grown / "late.txt").write_text("VILNIUS, 3 November 2031 (Reuters) - Lithuania reopened the Medininkai "
                                    "border crossing with Belarus on Monday, the interior ministry said.\n")
    # Workers in this process (threads), so that they run the failing functions above.
    with LocalCluster(n_workers=1, processes=False, threads_per_worker=1, dashboard_address="127.0.0.1:0") as cluster:
        report = ingest([grown], store, scheduler=cluster.scheduler_address, files_per_chunk=1)
    assert len(report.errors) == 2 and "RuntimeError: a disk error" in report.errors[0] + report.errors[1]
    assert any("year 2031" in e and "out of space" in e for e in report.errors)
    same_frame(read_events(store), before)  # the failed chunk's articles kept; 2031 not merged yet
    assert (store / "unmerged.json").is_file()
    monkeypatch.undo()
    again = ingest([grown], store, workers=1)
    assert again.errors == [] and "2031" in again.years and not (store / "unmerged.json").exists()
    same_frame(read_events(store), parse_articles([grown]))


def test_the_dask_dashboards_address_is_shown_only_when_the_cluster_serves_one():
    import importlib

    from conftest import served
    from flask import Flask

    run = importlib.import_module("timeline.archive.ingest")
    site = Flask("dashboard")
    site.add_url_rule("/status", "status", lambda: "the task stream")

    class Client:
        def __init__(self, services, link):
            self.services, self.dashboard_link = services, link

        def scheduler_info(self):
            if self.services is None:
                raise OSError("the scheduler did not answer")
            return {"services": self.services}

    with served(site) as url:
        assert run.dashboard_link(Client({"dashboard": 1}, f"{url}/status")) == f"{url}/status"
        assert run.dashboard_link(Client({"dashboard": 1}, f"{url}/no-page")) is None  # a scheduler without bokeh
        assert run.dashboard_link(Client({}, f"{url}/status")) is None
        assert run.dashboard_link(Client(None, f"{url}/status")) is None
