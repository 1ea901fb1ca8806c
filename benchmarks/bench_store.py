"""Benchmark: a dashboard serving an archive's store, part by part, at 1 and 10 million events.

    python benchmarks/bench_store.py [--events 1000000,10000000] [--keep DIR]

Writes a synthetic store of each size (`timeline.synth` events, years 2010-2025, half of
them in August-September 2025, each year in files of 500,000-event chunks, as a long ingest
leaves it), then, in a fresh process per store, starts the dashboard's corpus over it
(`webapp.archive.StoreCorpus`) and times the callbacks of one filter change (the part read,
the timeline, the map, the list and table, the archive's overview) for the opening view, a
category, a country and a month, an actor, a text search and country lanes, and the
server's RSS.
Beside it, at the smallest size (up to 2 million), the way `serve --store` worked before: the whole store read
into one frame (`read_events`) and served as a parsed story.
"""
from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHUNK = 500_000
WHOLE_AT_MOST = 2_000_000  # the whole-frame way takes about 1.5 GB a million events

SCENARIOS = [
    ("opening view", {}, "category"),
    ("a category", {"categories": ["release"]}, "category"),
    ("a country and a month", {"countries": ["LT"], "start": "2024-03-01", "end": "2024-03-31"}, "category"),
    ("an actor", {"actors": ["Viasna"]}, "category"),
    ("text search", {"text": "Vilnius"}, "category"),
    ("country lanes", {}, "country"),
]


def write_store(store: Path, n: int) -> float:
    """A synthetic store of `n` events at `store`; the seconds it took."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from timeline import frame as fr
    from timeline.archive.store import EVENT_ROW_GROUP, years_of
    from timeline.synth import synthetic_frame

    t = time.perf_counter()
    for k, lo in enumerate(range(0, n, CHUNK)):
        f = synthetic_frame(min(CHUNK, n - lo), seed=k)
        f = f.sort_values(["date", "event_id"], na_position="last", kind="stable").reset_index(drop=True)
        years, table = years_of(f), fr.arrow_table(f)
        for year in sorted(set(years)):
            path = store / "events" / f"year={year}" / f"part-{k}.parquet"
            path.parent.mkdir(parents=True, exist_ok=True)
            pq.write_table(table.filter(pa.array((years == year).to_numpy())), path, row_group_size=EVENT_ROW_GROUP)
    return time.perf_counter() - t


def measure(store: str, whole: bool) -> dict:
    """In this process: start a corpus over `store` (part by part, or `whole`) and time the
    callbacks of each scenario."""
    from timeline.webapp import _warm_up, views
    from timeline.webapp.filters import Filters

    base = _rss()
    t = time.perf_counter()
    if whole:
        from timeline.archive import read_events
        from timeline.webapp.corpus import Corpus

        corpus = Corpus([store], frame=read_events(store))
    else:
        from timeline.webapp.archive import StoreCorpus

        corpus = StoreCorpus(store)
    _warm_up(corpus)  # as create_app does: the first figures' lazy imports before the first reader
    result = {"start_s": time.perf_counter() - t, "scenarios": []}
    for name, values, lanes in SCENARIOS:
        f = Filters.of(**values)
        t = time.perf_counter()
        snap, frame = corpus.select(f)
        ms = {"part read": _ms(t)}
        t = time.perf_counter()
        views.timeline_view(frame, lanes=lanes, selection=None, viewport=1200, visible=None, zoomed=False)
        ms["timeline"] = _ms(t)
        t = time.perf_counter()
        views.map_view(frame, visible=None, selection=None, viewport=1200, story=snap.frame, view=snap.map_view)
        ms["map"] = _ms(t)
        t = time.perf_counter()
        views.listing(frame, snap.events, note=snap.note)
        ms["list"] = _ms(t)
        if not whole:
            t = time.perf_counter()
            views.overview_view(corpus, f)
            ms["overview"] = _ms(t)
        result["scenarios"].append({"name": name, "shown": len(frame), "ms": ms})
    result["rss_mb"] = _rss() - base
    result["peak_mb"] = _peak()
    result["events"] = snap.events
    return result


def _ms(t: float) -> float:
    return round((time.perf_counter() - t) * 1000, 1)


def _status(key: str) -> int:
    with open("/proc/self/status", encoding="ascii") as f:
        return next(int(line.split()[1]) // 1024 for line in f if line.startswith(key))


def _rss() -> int:
    return _status("VmRSS:")


def _peak() -> int:
    return _status("VmHWM:")


def run(store: Path, whole: bool) -> dict:
    """`measure` in a fresh Python process (its RSS is the server's alone)."""
    out = subprocess.run([sys.executable, __file__, "--measure", str(store)] + (["--whole"] if whole else []),
                         capture_output=True, text=True, cwd=ROOT, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def report(label: str, r: dict) -> None:
    print(f"\n{label}: {r['events']:,} events; started in {r['start_s']:.1f} s; RSS {r['rss_mb']:,} MB above "
          f"the bare interpreter with the app's modules (peak {r['peak_mb']:,} MB in all)")
    keys = list(r["scenarios"][0]["ms"])
    print(f"  {'filter change':24} {'shown':>7} " + " ".join(f"{k:>10}" for k in keys) + "   (ms)")
    for s in r["scenarios"]:
        print(f"  {s['name']:24} {s['shown']:>7,} " + " ".join(f"{s['ms'][k]:>10,.0f}" for k in keys))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", default="1000000,10000000")
    parser.add_argument("--keep", help="folder to keep the stores in (default: a temporary one)")
    parser.add_argument("--measure", help=argparse.SUPPRESS)
    parser.add_argument("--whole", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        import timeline.webapp  # noqa: F401 -- the app's modules before the baseline RSS
        print(json.dumps(measure(args.measure, args.whole)))
        return
    home = Path(args.keep or tempfile.mkdtemp(prefix="bench-store-"))
    sizes = [int(n) for n in args.events.split(",")]
    try:
        for i, n in enumerate(sizes):
            store = home / f"store-{n}"
            if not (store / "events").is_dir():
                print(f"writing a store of {n:,} synthetic events ... {write_store(store, n):.0f} s", flush=True)
            report("part by part (serve --store now)", run(store, whole=False))
            if i == 0 and n <= WHOLE_AT_MOST:
                report("whole store in one frame (serve --store before)", run(store, whole=True))
    finally:
        if not args.keep:
            shutil.rmtree(home, ignore_errors=True)


if __name__ == "__main__":
    main()
