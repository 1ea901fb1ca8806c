"""`ingest`: an archive into a store, on Dask.

The driver cuts the archive into chunks (`sources.plan`) and hands them to Dask workers
(a LocalCluster of worker processes, or an existing cluster's scheduler): each worker reads
its chunk, parses the articles it has not seen (by content hash) and writes their events to
the store's parsed files (`parse_chunk`), by partition (a year and a bucket of what rows
must share to merge: `store.partitions_of`). Then each partition whose events changed is
merged on its own, again on the workers (`merge_partition`), and the manifest is written.

A second run parses only new or changed articles and merges only the partitions they (or
the articles gone from the archive) touch. A run stopped midway loses no finished chunk: each
chunk's result is kept (`STORE/chunks/`), and the next run takes it as it is.
"""
from __future__ import annotations

import os
import time
import uuid
from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import pandas as pd

from timeline.archive import sources
from timeline.archive import store as st

KNOWN = ("parsed", "unchanged")
"""Statuses of an article whose events are in the store's parsed files."""


@dataclass
class Report:
    """What a run did: articles parsed anew, unchanged, unreadable (their lines), the years
    merged again, and how long it took."""

    parsed: int = 0
    unchanged: int = 0
    errors: list[str] = field(default_factory=list)
    years: list[str] = field(default_factory=list)
    seconds: float = 0.0


def parse_chunk(chunk: sources.Chunk, store: str, run: str, known: dict) -> list[dict]:
    """Read `chunk` and parse each article whose digest is not in `known` ({digest: its
    manifest row}) nor in the chunk's own last result; write their events as parsed files
    `<chunk>-<run>`; the chunk's manifest rows (also kept in STORE/chunks/)."""
    from timeline import frame as fr
    from timeline.extract import extract_events
    from timeline.read import input_problem

    st.lean_memory()
    store = Path(store)
    own = _chunk_rows(store, chunk)
    rows, lists, new = [], [], []
    for item in sources.read_chunk(chunk):
        if item.error:
            rows.append(_row(item.locator, "error", error=item.error))
            continue
        before = known.get(item.digest) or own.get(item.digest)
        if before is not None:
            rows.append({**before, "locator": item.locator, "status": "unchanged", "error": ""})
            continue
        try:
            records = extract_events(item.article)
        except Exception as e:  # noqa: BLE001 -- one article's failure is its line, never the chunk's
            rows.append(_row(item.locator, "error", digest=item.digest, error=input_problem(item.locator, e)))
            continue
        rows.append(_row(item.locator, "parsed", digest=item.digest, events=len(records)))
        lists.append(records)
        new.append(rows[-1])
    frames, failed = fr.from_record_lists(lists)
    failed = dict(failed)
    for i, e in failed.items():
        new[i].update(status="error", error=input_problem(new[i]["locator"], e), events=0)
    kept = [r for i, r in enumerate(new) if i not in failed]
    if frames:
        frame = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
        digests = [r["digest"] for r in kept for _ in range(r["events"])]
        assert len(digests) == len(frame), "rows and their articles' digests must line up"
        partitions = st.partitions_of(frame)
        written = st.write_parsed(store, f"{chunk.key}-{run}", frame, digests, partitions)
        by_digest = defaultdict(set)
        for d, p in zip(digests, partitions):
            by_digest[d].add(p)
        for r in kept:
            r["partitions"], r["parsed"] = sorted(by_digest.get(r["digest"], ())), f"{chunk.key}-{run}.parquet"
        assert set(written) >= {p for r in kept for p in r["partitions"]}
    _keep_chunk_rows(store, chunk, rows)
    return rows


def _row(locator: str, status: str, *, digest: str = "", error: str = "", events: int = 0) -> dict:
    return {"digest": digest, "locator": locator, "status": status, "error": error, "events": events,
            "partitions": [], "parsed": ""}


def _chunk_rows(store: Path, chunk: sources.Chunk) -> dict:
    """The chunk's rows of its last finished run, by digest (a run stopped after it)."""
    path = store / "chunks" / f"{chunk.key}.parquet"
    if not path.is_file():
        return {}
    return _kept_rows(store, pd.read_parquet(path).to_dict("records"))


def _kept_rows(store: Path, rows: list[dict]) -> dict:
    """The manifest `rows` whose events are in the store's parsed files, by digest; each
    parsed file (shared by the articles of a chunk) is looked for once."""
    found: dict[tuple[str, str], bool] = {}

    def exists(partition: str, name: str) -> bool:
        if (partition, name) not in found:
            found[partition, name] = st.parsed_path(store, partition, name).is_file()
        return found[partition, name]

    return {r["digest"]: {**r, "partitions": list(r["partitions"])} for r in rows
            if r["status"] in KNOWN and all(exists(p, r["parsed"]) for p in r["partitions"])}


def _keep_chunk_rows(store: Path, chunk: sources.Chunk, rows: list[dict]) -> None:
    frame = pd.DataFrame(rows, columns=list(st.MANIFEST_COLUMNS))
    st.replace(store / "chunks" / f"{chunk.key}.parquet", lambda tmp: frame.to_parquet(tmp, index=False))


MERGE_BATCH = 1_024
"""Parsed rows a merge task turns into Python objects at once: a partition is held as one
Arrow table (about 0.5 KB a row) and merged slice by slice (`store.merge_batches`), so a
worker's Python objects grow with the largest set of rows that may merge (one timex: 5,270
rows at '1989' in a 20,000-article archive), not with the partition."""


def merge_partition(store: str, partition: str, files: set[str], live: set[str]) -> int:
    """Merge the parsed events of `partition` (in `files`, of the articles `live`) into the
    store's events of that partition, MERGE_BATCH rows at a time; the number of merged rows."""
    import pyarrow as pa

    from timeline import frame as fr

    st.lean_memory()
    parsed = st.read_parsed(Path(store), partition, files, live)
    tables, merged_ids = [], {}
    for batch in st.merge_batches(parsed, MERGE_BATCH) if parsed is not None and parsed.num_rows else ():
        merged = fr.merge([fr.from_arrow(batch)])
        merged_ids.update(merged.attrs[fr.MERGED_IDS])
        tables.append(fr.arrow_table(merged))
    del parsed
    table = None
    if tables:  # in the frame's order: by date (undated last), then event_id
        table = pa.concat_tables(tables).sort_by([("date", "ascending", "at_end"),
                                                  ("event_id", "ascending", "at_end")])
    st.write_events_table(Path(store), partition, table, merged_ids)
    return table.num_rows if table is not None else 0


LOCAL_WORKERS = {"distributed.worker.profile.enabled": False}
"""Dask settings of the local cluster's workers: Dask's statistical profiler samples each
task's stack every 10 ms and keeps what it saw; without it a worker parsed 3,000 articles in
60 s instead of 72, with a peak RSS of 243 MB instead of 261."""


@contextmanager
def _client(workers: int | None, scheduler: str | None):
    """A Dask client: of the cluster at `scheduler`, else of a LocalCluster of `workers`
    worker processes (default: the number of cores), one thread each."""
    from distributed import Client, LocalCluster

    if scheduler:
        with Client(scheduler) as client:
            yield client
        return
    import dask

    n = workers or os.cpu_count() or 1
    # The scheduler's HTTP server on a free port (its dashboard too, where bokeh is installed).
    with dask.config.set(LOCAL_WORKERS), LocalCluster(
            n_workers=n, threads_per_worker=1, processes=True, dashboard_address="127.0.0.1:0",
            silence_logs=40) as cluster, Client(cluster) as client:
        yield client


def dashboard_link(client) -> str | None:
    """The address of the Dask dashboard of `client`'s cluster, None when it serves none: a
    scheduler without bokeh (as timeline installs distributed) lists a dashboard service
    that answers no page, so the page is asked for (on the cluster's own network)."""
    import urllib.request

    try:
        if "dashboard" not in (client.scheduler_info().get("services") or {}):
            return None
        link = client.dashboard_link
        with urllib.request.urlopen(link, timeout=3) as answer:
            return link if answer.status == 200 else None
    except Exception:  # noqa: BLE001 -- no answer, an error page, a bad address: no address to show
        return None


def ingest(inputs, store: str | os.PathLike, *, workers: int | None = None, scheduler: str | None = None,
           progress: Callable[[int, int, int, int], None] | None = None, chunk_bytes: int | None = None,
           files_per_chunk: int | None = None, dashboard: Callable[[str], None] | None = None) -> Report:
    """Ingest the archive `inputs` (JSON Lines and Parquet files, article files, folders,
    globs) into the store folder `store` on Dask (see the module). `progress(chunks done,
    chunks, articles so far, errors so far)` is called as chunks finish; `dashboard(url)`
    once, with the address of the cluster's Dask dashboard, when it serves one (the
    scheduler needs bokeh); `chunk_bytes` and `files_per_chunk` size the tasks
    (`sources.plan`). Never raises for bad input: each unreadable part is a manifest row and
    a line in the report's errors."""
    started = time.monotonic()
    store = Path(store)
    store.mkdir(parents=True, exist_ok=True)
    st.check_layout(store)  # a store of an earlier layout is rebuilt
    report, problems = Report(), []
    chunks = sources.plan(inputs, problems, chunk_bytes=chunk_bytes, files_per_chunk=files_per_chunk)
    before = st.read_manifest(store).to_dict("records")
    known = _kept_rows(store, before)
    rows: list[dict] = [_row(p.split(":", 1)[0], "error", error=p) for p in problems]
    run = uuid.uuid4().hex[:8]
    with _client(workers, scheduler) as client:
        link = dashboard_link(client)
        if link and dashboard is not None:
            dashboard(link)
        shared = client.scatter([known], broadcast=True)[0]  # one dict for every task, sent once a worker
        got, failed = _parse_all(client, chunks, str(store), run, shared, progress)
        rows += got
        if failed:  # a chunk that failed deletes nothing: what it held stays as it was
            rows += failed + _carried(before, rows)
        partitions = sorted(set(_affected(before, rows)) | st.unmerged(store))
        report.years = sorted({st.split_partition(p)[0] for p in partitions})
        rows += _merge_all(client, store, _plans(rows, partitions))
    st.write_manifest(store, rows)
    _forget(store, rows, chunks)
    report.parsed = sum(r["status"] == "parsed" for r in rows)
    report.unchanged = sum(r["status"] == "unchanged" for r in rows)
    report.errors = [r["error"] for r in rows if r["status"] == "error"]
    report.seconds = time.monotonic() - started
    return report


def _parse_all(client, chunks: list, store: str, run: str, known, progress) -> tuple[list[dict], list[dict]]:
    """(the manifest rows of every chunk parsed on the workers, a row for each chunk whose
    task failed however often it was tried), `progress` called as chunks finish."""
    from distributed import as_completed

    from timeline.read import input_problem

    futures = client.map(parse_chunk, chunks, store=store, run=run, known=known, pure=False, retries=2)
    chunk_of = {f.key: c for f, c in zip(futures, chunks)}
    rows, failed = [], []
    done = articles = errors = 0
    for future in as_completed(futures):
        try:
            got = future.result()
        except Exception as e:  # noqa: BLE001 -- a task's failure is its chunk's line, never the run's
            chunk = chunk_of[future.key]
            where = chunk.path or (chunk.paths[0] if chunk.paths else "archive")
            got = [_row(where, "error", error=input_problem(f"{where} (part {chunk.key})", e))]
            failed += got
        else:
            rows += got
        done += 1
        articles += sum(r["status"] in KNOWN for r in got)
        errors += sum(r["status"] == "error" for r in got)
        if progress is not None:
            progress(done, len(chunks), articles, errors)
    return rows, failed


def _carried(before: list[dict], rows: list[dict]) -> list[dict]:
    """The articles of the last run this run did not see, kept as they were (a chunk failed,
    so their absence does not mean they left the archive)."""
    seen = {r["digest"] for r in rows if r["digest"]}
    return [{**r, "partitions": list(r["partitions"]), "status": "unchanged"} for r in before
            if r["status"] in KNOWN and r["digest"] not in seen]


def _merge_all(client, store: Path, plans: dict) -> list[dict]:
    """Merge each planned partition on the workers, the largest first; an error row for each
    that failed, which the next run merges again (`store.unmerged`)."""
    from timeline.read import input_problem

    parts = sorted(plans, key=lambda p: -len(plans[p][1]))  # the longest tasks start first
    futures = client.map(merge_partition, [str(store)] * len(parts), parts, [plans[p][0] for p in parts],
                         [plans[p][1] for p in parts], pure=False, retries=2)
    failed = {}
    for part, future in zip(parts, futures):
        try:
            future.result()
        except Exception as e:  # noqa: BLE001 -- one partition's failure is its line
            year, bucket = st.split_partition(part)
            failed[part] = input_problem(f"{store}: year {year} (part {bucket})", e)
    st.set_unmerged(store, list(failed))
    return [_row(f"year {st.split_partition(p)[0]}", "error", error=line) for p, line in failed.items()]


def _affected(before: list[dict], rows: list[dict]) -> list[str]:
    """The partitions to merge again: those of articles parsed anew, of articles whose events
    the last run did not merge (taken from the kept result of a chunk of a run that was
    stopped, or of a task whose worker died after finishing it), and of articles gone."""
    merged = {(r["digest"], r["parsed"]) for r in before if r["status"] in KNOWN}
    live = {r["digest"] for r in rows if r["status"] in KNOWN}
    parts = {p for r in rows if r["status"] == "parsed" or
             (r["status"] == "unchanged" and (r["digest"], r["parsed"]) not in merged) for p in r["partitions"]}
    parts |= {p for r in before if r["status"] in KNOWN and r["digest"] not in live for p in r["partitions"]}
    return sorted(parts)


def _plans(rows: list[dict], partitions: list[str]) -> dict[str, tuple[set[str], set[str]]]:
    """For each partition to merge: (its parsed files, the live articles' digests in it)."""
    plans = {p: (set(), set()) for p in partitions}
    for r in rows:
        if r["status"] in KNOWN:
            for p in r["partitions"]:
                if p in plans:
                    plans[p][0].add(r["parsed"])
                    plans[p][1].add(r["digest"])
    return plans


def _forget(store: Path, rows: list[dict], chunks: list[sources.Chunk]) -> None:
    """Remove parsed files no live article uses, and the results of chunks no longer in
    the archive's plan."""
    used = {(p, r["parsed"]) for r in rows if r["status"] in KNOWN for p in r["partitions"]}
    for path in (store / "parsed").glob("part=*/*.parquet"):
        if (path.parent.name.split("=", 1)[1], path.name) not in used:
            path.unlink(missing_ok=True)
    keys = {f"{c.key}.parquet" for c in chunks}
    for path in (store / "chunks").glob("*.parquet"):
        if path.name not in keys:
            path.unlink(missing_ok=True)
