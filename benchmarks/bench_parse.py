"""Benchmark: articles into events, in articles per second, and memory as the corpus grows.

    python benchmarks/bench_parse.py [GOLD_DIR] [--copies N]

Reads the TempEval-3 training texts (default ../shared/data/tempeval3-train beside the
repository) as articles with their creation dates, repeats the set N times (default 4:
1,024 articles), and parses them one by one in one process (events, then a frame per
article, then one merge), printing articles/s for each quarter of the run and the process's peak
resident memory so that flat memory is visible. Then runs the team's event-dating check
(../shared/tools/event_dates_eval.py) when it is there.
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
from timeline.read import article_from_text

SHARED = Path(__file__).resolve().parents[2] / "shared"
GOLD = SHARED / "data" / "tempeval3-train"
SCORER = SHARED / "tools" / "te3score.py"
EVENT_EVAL = SHARED / "tools" / "event_dates_eval.py"


def load_docs(gold: Path) -> list[tuple[str, str, str]]:
    spec = importlib.util.spec_from_file_location("te3score", SCORER)
    te = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(te)
    return [te.parse_tml(str(p))[:3] for p in sorted(gold.glob("**/*.tml"))]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("gold", nargs="?", type=Path, default=GOLD)
    ap.add_argument("--copies", type=int, default=4)
    a = ap.parse_args(argv)
    if not a.gold.is_dir() or not SCORER.is_file():
        print(f"bench_parse: no gold data or scorer beside the repository ({a.gold}); nothing to measure.")
        return 0
    docs = load_docs(a.gold)
    articles = [article_from_text(text, published=dct[:10], source=name, name=name)
                for _ in range(a.copies) for name, dct, text in docs]
    extract_events(articles[0])  # warm up: rules compiled, gazetteer loaded
    n = len(articles)
    quarter = max(1, n // 4)
    print(f"{n} articles ({len(docs)} TempEval-3 texts x {a.copies}), one process, one core")
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

    if EVENT_EVAL.is_file():
        exe = Path(sys.executable).with_name("timeline")
        proc = subprocess.run([sys.executable, str(EVENT_EVAL), str(a.gold), str(exe), "0.8"],
                              capture_output=True, text=True)
        print("event dating (TimeML IS_INCLUDED links):", (proc.stdout.strip().splitlines() or ["?"])[-1])
    return 0


if __name__ == "__main__":
    sys.exit(main())
