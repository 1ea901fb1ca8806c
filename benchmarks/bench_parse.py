"""Benchmark: articles into events: seconds per megabyte as the text grows, articles per
second, and memory as the corpus grows.

    python benchmarks/bench_parse.py [GOLD_DIR] [--sizes 1,2,5,10] [--copies N]

Reads the TempEval-3 training texts (default ../shared/data/tempeval3-train beside the
repository) as articles with their creation dates. First, seconds of CPU per megabyte of
this ordinary prose at each of `--sizes` megabytes, the texts repeated: as articles of their
own size (each parsed into events and a frame, then one merge) and as one long article
(goals: linear, 10 MB within 12x of 1 MB, and at least 0.5 MB/s). Then the set repeated N
times (default 4: 1,024 articles) parsed one by one in one process, printing articles/s for
each quarter of the run and the process's peak resident memory so that flat memory is
visible. With --stages, the CPU seconds per MB of each stage at the first size. Then runs the team's event-dating check (../shared/tools/event_dates_eval.py) when
it is there.
"""
from __future__ import annotations

import argparse
import importlib.util
import subprocess
import sys
import time
import resource
from pathlib import Path

from timeline import frame as fr
from timeline.extract import extract_events
from timeline.extract.places import find_places
from timeline.parse import parse
from timeline.read import article_from_text
from timeline.temporal import tag

SHARED = Path(__file__).resolve().parents[2] / "shared"
GOLD = SHARED / "data" / "tempeval3-train"
SCORER = SHARED / "tools" / "te3score.py"
EVENT_EVAL = SHARED / "tools" / "event_dates_eval.py"
MB = 1_000_000


def load_docs(gold: Path) -> list[tuple[str, str, str]]:
    spec = importlib.util.spec_from_file_location("te3score", SCORER)
    te = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(te)
    return [te.parse_tml(str(p))[:3] for p in sorted(gold.glob("**/*.tml"))]


def prose(docs: list[tuple[str, str, str]], size: int) -> list[tuple[str, str, str]]:
    """The documents repeated, in order, until their texts hold `size` characters."""
    out, total = [], 0
    while total < size:
        for name, dct, text in docs:
            out.append((f"{name}#{len(out)}", dct, text))
            total += len(text)
            if total >= size:
                break
    return out


def cpu_articles(docs: list[tuple[str, str, str]]) -> float:
    """CPU seconds to parse each document as an article into one merged frame (`timeline.parse`)."""
    started = time.process_time()
    articles = [article_from_text(text, published=dct[:10], name=name) for name, dct, text in docs]
    parse(articles)
    return time.process_time() - started


def cpu_one_article(docs: list[tuple[str, str, str]]) -> float:
    """CPU seconds to parse the documents joined into one article (the first one's date)."""
    text = "\n\n".join(text.strip() for _, _, text in docs)
    started = time.process_time()
    fr.from_records(extract_events(article_from_text(text, published=docs[0][1][:10], name="long")))
    return time.process_time() - started


def per_megabyte(docs: list[tuple[str, str, str]], sizes: list[float]) -> None:
    """Print seconds per MB at each size, as ordinary articles and as one long article."""
    print(f"{'MB':>5s} {'articles':>9s} {'s/MB':>6s} {'MB/s':>6s}   {'one article s/MB':>16s} {'MB/s':>6s}")
    seconds = []  # (as articles, as one article) at each size
    for size in sizes:
        chunk = prose(docs, int(size * MB))
        megabytes = sum(len(t) for _, _, t in chunk) / MB
        many, one = cpu_articles(chunk), cpu_one_article(chunk)
        seconds.append((many, one))
        print(f"{megabytes:5.1f} {len(chunk):9d} {many / megabytes:6.2f} {megabytes / many:6.2f}   "
              f"{one / megabytes:16.2f} {megabytes / one:6.2f}", flush=True)
    if len(sizes) > 1:
        (many_first, one_first), (many_last, one_last) = seconds[0], seconds[-1]
        print(f"{sizes[-1] / sizes[0]:.0f}x the text costs {many_last / many_first:.1f}x as articles, "
              f"{one_last / one_first:.1f}x as one article (goal: linear, 10 MB within 12x of 1 MB)")
    print("(CPU seconds, one process, one core; goal: >= 0.5 MB/s)")


def per_stage(docs: list[tuple[str, str, str]], size: float) -> None:
    """Print CPU seconds per MB of each stage of the parse of `size` MB of articles: the
    tagger, the places, the rest of the extraction, the frames and the merge (each stage
    timed on its own; the tagger and the places are also inside the extraction)."""
    chunk = prose(docs, int(size * MB))
    megabytes = sum(len(t) for _, _, t in chunk) / MB
    articles = [article_from_text(text, published=dct[:10], name=name) for name, dct, text in chunk]
    clock = time.process_time
    started = clock()
    for a in articles:
        tag(a.text, a.published)
    tagger, started = clock() - started, clock()
    for a in articles:
        find_places(a.text)
    places, started = clock() - started, clock()
    records = [extract_events(a) for a in articles]
    extraction, started = clock() - started, clock()
    frames, _ = fr.from_record_lists(records)
    frames_s, started = clock() - started, clock()
    fr.merge(frames)
    merge_s = clock() - started
    stages = [("tagger", tagger), ("places", places), ("rest of extraction", extraction - tagger - places),
              ("frames", frames_s), ("merge", merge_s)]
    print(f"stages at {megabytes:.1f} MB (s/MB): " + ", ".join(f"{n} {s / megabytes:.2f}" for n, s in stages)
          + f"; all {(extraction + frames_s + merge_s) / megabytes:.2f}")


def articles_per_second(articles: list) -> None:
    """Parse `articles` one by one, printing articles/s per quarter and the peak memory."""
    n = len(articles)
    quarter = max(1, n // 4)
    print(f"{'articles':>10s} {'articles/s':>11s} {'peak RSS MB':>12s}")
    frames, events = [], 0
    t0 = time.perf_counter()
    t_quarter = t0
    for i, article in enumerate(articles, 1):
        records = extract_events(article)
        events += len(records)
        frames.append(fr.from_records(records))
        if i % quarter == 0 or i == n:
            done = i % quarter or quarter
            rate = done / (time.perf_counter() - t_quarter)
            rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            print(f"{i:10d} {rate:11.1f} {rss_mb:12.1f}")
            t_quarter = time.perf_counter()
    t_merge = time.perf_counter()
    merged = fr.merge(frames)
    merge_s = time.perf_counter() - t_merge
    total = time.perf_counter() - t0
    print(f"all: {n / total:.1f} articles/s, {events} event rows, merged to {len(merged)} in {merge_s:.2f} s")
    print("(goal: >= 50 articles/s; memory grows only with the event rows kept, not per article)")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("gold", nargs="?", type=Path, default=GOLD)
    ap.add_argument("--copies", type=int, default=4, help="copies of the set for articles/s (0: that run and "
                                                            "the event-dating check are skipped)")
    ap.add_argument("--sizes", default="1,2,5,10", help="megabytes of prose to time (comma-separated; '' for none)")
    ap.add_argument("--stages", action="store_true", help="also time each stage of the parse at the first size")
    a = ap.parse_args(argv)
    if not a.gold.is_dir() or not SCORER.is_file():
        print(f"bench_parse: no gold data or scorer beside the repository ({a.gold}); nothing to measure.")
        return 0
    docs = load_docs(a.gold)
    name, dct, text = docs[0]
    extract_events(article_from_text(text, published=dct[:10], name=name))  # warm up: rules, gazetteer
    sizes = [float(x) for x in a.sizes.split(",") if x.strip()]
    if sizes:
        per_megabyte(docs, sizes)
        if a.stages:
            per_stage(docs, sizes[0])
    if a.copies <= 0:
        return 0
    articles = [article_from_text(text, published=dct[:10], source=name, name=name)
                for _ in range(a.copies) for name, dct, text in docs]
    print(f"\n{len(articles)} articles ({len(docs)} TempEval-3 texts x {a.copies}), one process, one core")
    articles_per_second(articles)
    if EVENT_EVAL.is_file():
        exe = Path(sys.executable).with_name("timeline")
        proc = subprocess.run([sys.executable, str(EVENT_EVAL), str(a.gold), str(exe), "0.8"],
                              capture_output=True, text=True)
        print("event dating (TimeML IS_INCLUDED links):", (proc.stdout.strip().splitlines() or ["?"])[-1])
    return 0


if __name__ == "__main__":
    sys.exit(main())
