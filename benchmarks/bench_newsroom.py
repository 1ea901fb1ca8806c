"""Readers under load: 50 concurrent readers on /embed and the events API of the seed story,
served by gunicorn with 4 workers on this machine's loopback, for 60 s; then the same run
with neither compression nor caching (no Accept-Encoding, no If-None-Match), side by side.

    .venv/bin/python benchmarks/bench_newsroom.py [--seconds 60] [--readers 50] [--workers 4]

Each reader loops: GET /embed, then GET /api/stories/<story>/events, each on a new
connection (gunicorn's sync workers close it). "Cached" readers ask for br/gzip and send
back the ETag they were given, as a browser does; "plain" readers do neither. Printed:
requests, errors, p50/p95/p99 latency per route, bytes received, and the workers' RSS at
the start and the end (flat RSS: no growth under load). Goal (issue 14): 0 errors, API p95
under 500 ms. The readers run in 5 processes of 10 threads, so that the client's own GIL
does not set the pace.
"""
from __future__ import annotations

import argparse
import http.client
import multiprocessing
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ROUTES = ("/embed", "/api/stories/corpus/events")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(port: int, path: str, headers: dict) -> tuple[int, float, int, str | None]:
    start = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("GET", path, headers=headers)
        r = conn.getresponse()
        body = r.read()
        return r.status, time.perf_counter() - start, len(body), r.headers.get("ETag")
    finally:
        conn.close()


def _reader(port: int, cached: bool, until: float, out: list) -> None:
    etags: dict[str, str] = {}
    while time.time() < until:
        for path in ROUTES:
            headers = {"Accept-Encoding": "br, gzip"} if cached else {}
            if cached and path in etags:
                headers["If-None-Match"] = etags[path]
            try:
                status, seconds, size, etag = _get(port, path, headers)
            except OSError:
                out.append((path, None, 0.0, 0))
                continue
            if etag and cached:
                etags[path] = etag
            out.append((path, status, seconds, size))


def _process(port: int, cached: bool, until: float, threads: int, queue) -> None:
    out: list = []
    workers = [threading.Thread(target=_reader, args=(port, cached, until, out)) for _ in range(threads)]
    for t in workers:
        t.start()
    for t in workers:
        t.join()
    queue.put(out)


def _rss_mb(pids: list[int]) -> float:
    total = 0
    for pid in pids:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            pass
    return total / 1024


def _workers(master: int) -> list[int]:
    out = subprocess.run(["pgrep", "-P", str(master)], capture_output=True, text=True).stdout.split()
    return [master, *map(int, out)]


def run(port: int, master: int, *, cached: bool, seconds: float, readers: int) -> dict:
    """One load run; its figures."""
    rss_start = _rss_mb(_workers(master))
    until = time.time() + seconds
    queue = multiprocessing.Queue()
    n_proc = 5
    procs = [multiprocessing.Process(target=_process, args=(port, cached, until, readers // n_proc, queue))
             for _ in range(n_proc)]
    for p in procs:
        p.start()
    rows = [r for _ in procs for r in queue.get()]
    for p in procs:
        p.join()
    figures = {"rss_start": rss_start, "rss_end": _rss_mb(_workers(master))}
    for path in ROUTES:
        mine = [r for r in rows if r[0] == path]
        ok = sorted(r[2] * 1000 for r in mine if r[1] in (200, 304))
        q = statistics.quantiles(ok, n=100) if len(ok) > 1 else [0.0] * 99
        figures[path] = {"requests": len(mine), "errors": sum(1 for r in mine if r[1] not in (200, 304)),
                         "p50": q[49], "p95": q[94], "p99": q[98], "mb": sum(r[3] for r in mine) / 1e6,
                         "not_modified": sum(1 for r in mine if r[1] == 304)}
    return figures


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("--readers", type=int, default=50)
    ap.add_argument("--workers", type=int, default=4)
    ap.add_argument("--order", nargs=2, default=["cached", "plain"], choices=["cached", "plain"],
                    help="which run goes first")
    args = ap.parse_args()
    folder = Path(tempfile.mkdtemp()) / "corpus"
    folder.mkdir()
    for f in (ROOT / "seeds").glob("*.txt"):
        shutil.copy(f, folder / f.name)
    port = _free_port()
    # The readers all come from 127.0.0.1: the API's limit per address would be theirs together.
    env = {**os.environ, "TIMELINE_CORPUS": str(folder), "PYTHONPATH": str(ROOT),
           "TIMELINE_PUBLIC_URL": f"http://127.0.0.1:{port}/", "TIMELINE_RATE_LIMITS": "api-read=100000000/minute"}
    server = subprocess.Popen([sys.executable, "-m", "gunicorn", "-w", str(args.workers), "-b", f"127.0.0.1:{port}",
                               "--timeout", "120", "app:server"], cwd=ROOT, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.time() + 120
        while True:
            try:
                if _get(port, "/api/stories", {})[0] == 200:
                    break
            except OSError:
                pass
            if time.time() > deadline:
                sys.exit("gunicorn did not answer")
            time.sleep(0.5)
        for path in ROUTES:  # every worker warm
            for _ in range(args.workers * 2):
                _get(port, path, {})
        results = {kind: run(port, server.pid, cached=kind == "cached", seconds=args.seconds, readers=args.readers)
                   for kind in args.order}
    finally:
        server.terminate()
        server.wait(30)
    print(f"{args.readers} readers, {args.seconds:g} s each run, gunicorn -w {args.workers}, seed story, "
          f"{os.cpu_count()} cores")
    print(f"{'route':32} {'run':7} {'requests':>8} {'errors':>6} {'304':>6} {'p50 ms':>7} {'p95 ms':>7} "
          f"{'p99 ms':>7} {'MB recv':>8}")
    for path in ROUTES:
        for kind in ("cached", "plain"):
            f = results[kind][path]
            print(f"{path:32} {kind:7} {f['requests']:8,} {f['errors']:6} {f['not_modified']:6,} {f['p50']:7.0f} "
                  f"{f['p95']:7.0f} {f['p99']:7.0f} {f['mb']:8.1f}")
    for kind in ("cached", "plain"):
        r = results[kind]
        print(f"RSS of the server ({kind}): {r['rss_start']:.0f} MB at the start, {r['rss_end']:.0f} MB at the end")


if __name__ == "__main__":
    main()
