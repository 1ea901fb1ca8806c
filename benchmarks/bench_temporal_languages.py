"""Benchmark: the temporal tagger in each language next to dateparser, both told the language.

    python benchmarks/bench_temporal_languages.py [--rounds N]

For Russian, Belarusian, Ukrainian, Polish and Lithuanian, timeline's own development sets
(tests/data/timeml/<code>/, in the repository); for French, the French TimeBank's
development half (../shared/data/fr-timebank-dev, when it is beside the repository); for
German, which has no annotated set, the texts of its rules' examples (speed only). Prints,
per language, strict / relaxed / value F1 (the team's scorer, ../shared/tools/te3score.py,
when it is there) and documents a second of `timeline.temporal.tag(text, dct, lang=code)`
and of `dateparser.search_dates(text, languages=[code])`, and how many times as fast
timeline is (the issue's goal: at least 5x). One process, one core; the two systems take
turns, best of --rounds runs over each set, so a busy machine slows both alike.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import yaml

from bench_temporal import dateparser_spans, f1s, load_scorer
from timeline.temporal import tag

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SCORER = SHARED / "tools" / "te3score.py"
OWN_SETS = ROOT / "tests" / "data" / "timeml"
FRENCH = SHARED / "data" / "fr-timebank-dev"
EXAMPLE_DCT = "2025-09-12"  # the rules' examples are read against the seed's publication date


def documents(code: str, scorer) -> list[tuple]:
    """(name, dct, text, gold) of the language's set; gold None where there is none."""
    folder = OWN_SETS / code if code != "fr" else FRENCH
    paths = sorted(folder.rglob("*.tml")) if folder.is_dir() else []
    if paths and scorer is not None:
        return [tuple(scorer.parse_tml(str(p))[:4]) for p in paths]
    rules = ROOT / "timeline" / "lang" / code / "temporal_rules.yaml"
    texts = [e["text"] for r in yaml.safe_load(rules.read_text(encoding="utf-8"))["rules"]
             for e in r.get("examples") or [] if isinstance(e, dict) and e.get("text")]
    return [(f"{code}-examples", EXAMPLE_DCT, "\n\n".join(texts), None)]


def timed(system, docs, code: str) -> tuple[list, float]:
    system(docs[0][2][:200], docs[0][1], code)  # warm up: rules compiled, data loaded
    t0 = time.perf_counter()
    out = [system(text, dct, code) for _, dct, text, _ in docs]
    return out, time.perf_counter() - t0


def ours(text: str, dct: str, code: str) -> list[tuple]:
    return [(t.start, t.end, t.type, t.value) for t in tag(text, dct, lang=code)]


def theirs(text: str, dct: str, code: str) -> list[tuple]:
    return dateparser_spans(text, dct, languages=[code])


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=5)
    a = ap.parse_args(argv)
    scorer = load_scorer(SCORER) if SCORER.is_file() else None
    print(f"{'lang':4s} {'docs':>4s} {'chars':>7s}   {'timeline F1 s/r/v':>18s} {'docs/s':>7s}   "
          f"{'dateparser F1 s/r/v':>19s} {'docs/s':>7s}   {'ratio':>6s}")
    for code in ("fr", "de", "ru", "be", "uk", "pl", "lt"):
        docs = documents(code, scorer)
        best = {"ours": float("inf"), "theirs": float("inf")}
        found = {}
        for _ in range(a.rounds):
            for name, system in (("ours", ours), ("theirs", theirs)):
                found[name], seconds = timed(system, docs, code)
                best[name] = min(best[name], seconds)
        scored = scorer is not None and docs[0][3] is not None

        def scores(name: str) -> str:
            return "/".join(f"{x:.1f}" for x in f1s(scorer, docs, found[name])) if scored else "-"

        print(f"{code:4s} {len(docs):4d} {sum(len(d[2]) for d in docs):7d}   {scores('ours'):>18s} "
              f"{len(docs) / best['ours']:7.1f}   {scores('theirs'):>19s} {len(docs) / best['theirs']:7.1f}   "
              f"{best['theirs'] / best['ours']:5.1f}x")
    print("(both told the language; goal: timeline at least 5x dateparser in each)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
