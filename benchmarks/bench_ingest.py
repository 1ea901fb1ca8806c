"""Benchmark: an archive into a store on Dask, beside `timeline parse` in one process.

    python benchmarks/bench_ingest.py [--articles N] [--workers 1,2] [--keep DIR]

Builds a synthetic JSON Lines archive of N articles (default 100,000) from the TempEval-3
training texts (../shared beside the repository, when there), the test corpus and the seed:
copy k of a text is published k days later, so its relative dates resolve elsewhere, and
its people's names are varied, so that merging has real work (the same event reported by
several copies, and near-misses that must not merge). Then, in one run, on the same
archive: `timeline.parse` in this process, and `timeline ingest` with each number of
workers: articles/s, the speed-up over one worker, and each worker's peak RSS above a bare
Python process (and how much of each worker's RSS is file-backed, shared by the workers of
a machine: libraries and the gazetteer's memory-mapped arrays). Prints a projection for a
million articles on 16 and 64 cores, labelled as
a projection (it assumes the per-worker rate holds and merging stays a small share).
"""
from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import json
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
GOLD = SHARED / "data" / "tempeval3-train"
NAMES = ["Anna Kowalska", "Jonas Petraitis", "Olga Ivanova", "Marek Nowak", "Ieva Kazlauskaite", "Pavel Sidorov"]


def seed_texts() -> list[tuple[str, str]]:
    """(text, publication date) of every source text: TempEval-3 (when present), the test
    corpus and the seed, as their own readers read them."""
    from timeline.read import read_path

    texts = []
    if GOLD.is_dir():
        spec = importlib.util.spec_from_file_location("te3score", SHARED / "tools" / "te3score.py")
        te = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(te)
        texts += [(text, dct[:10]) for _, dct, text in (te.parse_tml(str(p))[:3] for p in sorted(GOLD.glob("**/*.tml")))]
    for f in [*sorted((ROOT / "tests" / "corpus").glob("*.*")), *sorted((ROOT / "seeds").glob("*.txt"))]:
        if f.suffix in (".txt", ".md", ".html", ".json"):
            texts += [(a.text, str(a.published or "2025-01-01")) for a in read_path(f)]
    return texts


_CAPITALISED_PAIR = re.compile(r"\b[A-Z][a-z]+ [A-Z][a-z]{2,}\b")


def build_archive(path: Path, n: int) -> int:
    """Write n synthetic articles to the JSON Lines file `path`; its size in bytes."""
    texts = seed_texts()
    rng = random.Random(7)
    with open(path, "w", encoding="utf-8") as f:
        for k in range(n):
            text, published = texts[k % len(texts)]
            copy = k // len(texts)
            day = dt.date.fromisoformat(published[:10]) + dt.timedelta(days=copy % 30)
            if copy % 3:  # two copies in three name other people: near-misses for the merge
                text = _CAPITALISED_PAIR.sub(lambda m: rng.choice(NAMES) if rng.random() < 0.3 else m.group(0), text)
            f.write(json.dumps({"text": text, "published": day.isoformat(), "source": f"wire-{copy % 5}",
                                "url": f"https://news.example/{k}"}) + "\n")
    return path.stat().st_size


def single_process(path: Path) -> tuple[float, int]:
    """(wall seconds, merged rows) of `timeline.parse` of the archive's articles in this process."""
    from timeline.parse import parse
    from timeline.read.formats import article_from_mapping

    articles = []
    with open(path, encoding="utf-8") as f:
        for i, line in enumerate(f):
            articles.append(article_from_mapping(json.loads(line), name=str(path), label=f"line {i + 1}"))
    started = time.monotonic()
    result = parse(articles)
    return time.monotonic() - started, len(result.frame)


def peak_rss_mb() -> float:
    """This process's peak resident memory (VmHWM: getrusage's ru_maxrss here carries the
    parent's peak across fork and exec)."""
    with open("/proc/self/status") as f:
        return next(int(line.split()[1]) for line in f if line.startswith("VmHWM:")) / 1024


def file_backed_mb() -> float:
    """This process's resident memory backed by files (libraries, the gazetteer's
    memory-mapped arrays): pages every worker of a machine shares, counted in each RSS."""
    with open("/proc/self/status") as f:
        return next(int(line.split()[1]) for line in f if line.startswith("RssFile:")) / 1024


def bare_python_rss_mb() -> float:
    out = subprocess.run([sys.executable, "-c", "import sys; sys.path.insert(0, sys.argv[1]); "
                          "import bench_ingest; print(bench_ingest.peak_rss_mb())", str(Path(__file__).parent)],
                         capture_output=True, text=True, check=True).stdout
    return float(out)


def ingest_run(path: Path, workers: int, store: Path) -> tuple[float, int, list[float]]:
    """(wall seconds, merged rows, each worker's peak RSS in MB) of one ingest."""
    from distributed import Client, LocalCluster

    from timeline.archive import ingest, read_events

    with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address="127.0.0.1:0",
                      silence_logs=40) as cluster, Client(cluster) as client:
        started = time.monotonic()
        report = ingest([path], store, scheduler=cluster.scheduler_address)
        seconds = time.monotonic() - started
        peaks = client.run(peak_rss_mb)
        shared = client.run(file_backed_mb)
    assert not report.errors, report.errors[:3]
    return seconds, len(read_events(store)), sorted(peaks.values()), sorted(shared.values())


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=100_000)
    ap.add_argument("--workers", default="1,2")
    ap.add_argument("--keep", type=Path, default=None, help="keep the archive and stores in this folder")
    args = ap.parse_args()
    home = args.keep or Path(tempfile.mkdtemp(prefix="bench-ingest-"))
    home.mkdir(parents=True, exist_ok=True)
    archive = home / "archive.jsonl"
    size = build_archive(archive, args.articles)
    print(f"archive: {args.articles:,} articles, {size / 1e6:,.1f} MB of JSON Lines"
          + ("" if GOLD.is_dir() else " (no TempEval-3 texts beside the repository: test corpus and seed only)"))
    wall, rows = single_process(archive)
    print(f"{'run':<28}{'articles/s':>12}{'speed-up':>10}{'rows':>10}{'peak RSS/worker MB':>22}")
    print(f"{'timeline parse, 1 process':<28}{args.articles / wall:>12,.1f}{'':>10}{rows:>10,}{'':>22}")
    bare = bare_python_rss_mb()
    first = None
    for n in [int(w) for w in args.workers.split(",")]:
        seconds, merged, peaks, shared = ingest_run(archive, n, home / f"store-{n}")
        rate = args.articles / seconds
        first = first or rate
        extra = ", ".join(f"{p - bare:,.0f}" for p in peaks)
        print(f"{f'timeline ingest, {n} worker' + ('s' if n > 1 else ''):<28}{rate:>12,.1f}{rate / first:>9.2f}x"
              f"{merged:>10,}{extra:>22}   (file-backed at the end: {', '.join(f'{m:,.0f}' for m in shared)} MB)")
        assert merged == rows, f"the store has {merged:,} rows, timeline parse {rows:,}"
    print(f"(peak RSS above a bare Python process of {bare:.0f} MB; goals: >= 1.8x with 2 workers on 2 cores, "
          "< 250 MB a worker)")
    per_worker = first
    for cores in (16, 64):
        hours = 1_000_000 / (per_worker * cores * 0.9) / 3600
        print(f"projection, not a measurement: a million articles on {cores} cores ~ {hours:.1f} h "
              f"({per_worker:.0f} articles/s a worker, 90% efficiency)")
    if args.keep is None:
        shutil.rmtree(home, ignore_errors=True)


if __name__ == "__main__":
    main()
