"""Page benchmark with Lighthouse (issue 16): performance score, LCP, TBT, time to
interactive and total transfer size of the dashboard (/) and of /embed, on the seed and on
a 10,000-event synthetic story, beside the figures measured before the small chart library
(benchmarks/pages_baseline.json).

    make bench   (or: .venv/bin/python benchmarks/bench_pages.py [--runs 3] [--save FILE])

Lighthouse 12.2.3 (npm, pinned in benchmarks/package.json; `make bench` installs it)
drives Debian's Chromium (CHROME_PATH=/usr/bin/chromium) with its default mobile
emulation: a mid-range phone, simulated slow 4G and a 4x slower CPU. Each figure is the
median of `--runs` runs. The app is served from this process (werkzeug, threaded) on a free
localhost port, as `make run` serves it. Goals: /embed scores >= 90 on the seed, >= 80 at
10,000 events.

`--root DIR` benchmarks the timeline package of another checkout (how the baseline was
measured: a worktree of the commit before the chart library, 397f2e7).
"""
from __future__ import annotations

import argparse
import json
import logging
import os
import statistics
import subprocess
import sys
import tempfile
import threading
from contextlib import contextmanager
from pathlib import Path

HERE = Path(__file__).resolve().parent
LIGHTHOUSE = HERE / "node_modules" / ".bin" / "lighthouse"
BASELINE = HERE / "pages_baseline.json"
CHROMIUM = "/usr/bin/chromium"
GOALS = {("seed", "/embed"): 90, ("10,000 events", "/embed"): 80}
METRICS = {  # name: (Lighthouse audit, unit divisor, format)
    "LCP s": ("largest-contentful-paint", 1000, "{:.1f}"),
    "TBT ms": ("total-blocking-time", 1, "{:,.0f}"),
    "TTI s": ("interactive", 1000, "{:.1f}"),
    "transfer kB": ("total-byte-weight", 1000, "{:,.0f}"),
}


@contextmanager
def served(app):
    from werkzeug.serving import make_server

    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    server = make_server("127.0.0.1", 0, app.server, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()


def lighthouse(url: str) -> dict[str, float]:
    """One Lighthouse run (mobile, performance only): the score (0-100) and METRICS."""
    run = subprocess.run(
        [str(LIGHTHOUSE), url, "--output=json", "--output-path=stdout", "--quiet", "--only-categories=performance",
         "--chrome-flags=--headless=new --no-sandbox --disable-gpu --disable-background-networking"],
        capture_output=True, text=True, env={**os.environ, "CHROME_PATH": CHROMIUM}, timeout=300)
    if run.returncode != 0:
        raise SystemExit(f"lighthouse failed on {url}: {run.stderr.strip().splitlines()[-1:]}")
    report = json.loads(run.stdout)
    figures = {"score": round(100 * (report["categories"]["performance"]["score"] or 0))}
    for name, (audit, divisor, _) in METRICS.items():
        figures[name] = report["audits"][audit]["numericValue"] / divisor
    return figures


def median_of(url: str, runs: int) -> dict[str, float]:
    results = [lighthouse(url) for _ in range(runs)]
    return {key: statistics.median(r[key] for r in results) for key in results[0]}


def measure(runs: int) -> dict[str, dict[str, float]]:
    """{"story path": figures} for the seed and the 10,000-event story, / and /embed."""
    from timeline.synth import synthetic_frame
    from timeline.webapp import create_app

    out = {}
    with tempfile.TemporaryDirectory() as tmp:
        stories = {
            "seed": lambda: create_app([ROOT_SEEDS], overrides_path=Path(tmp) / "seed.csv", upload_dir=Path(tmp) / "u1"),
            "10,000 events": lambda: create_app([], frame=synthetic_frame(10_000), overrides_path=Path(tmp) / "s.csv",
                                                upload_dir=Path(tmp) / "u2"),
        }
        for story, make in stories.items():
            with served(make()) as base:
                for path in ("/", "/embed"):
                    out[f"{story} {path}"] = median_of(base + path, runs)
                    print(f"  measured {story} {path}", file=sys.stderr)
    return out


def cell(figures: dict | None, key: str) -> str:
    if not figures or key not in figures:
        return "-"
    return "{:.0f}".format(figures[key]) if key == "score" else METRICS[key][2].format(figures[key])


def report(now: dict, before: dict) -> None:
    keys = ["score", *METRICS]
    print(f"Lighthouse {lighthouse_version()} mobile, median of runs; each cell: now (before: {before.get('_label', '-')})")
    print(f"{'page':24}" + "".join(f"{k:>22}" for k in keys) + "   goal")
    for page, figures in now.items():
        story, path = page.rsplit(" ", 1)
        goal = GOALS.get((story, path))
        flag = "" if goal is None else f"   score >= {goal}: {'ok' if figures['score'] >= goal else 'MISSED'}"
        row = "".join(f"{cell(figures, k) + ' (' + cell(before.get(page), k) + ')':>22}" for k in keys)
        print(f"{page:24}{row}{flag}")


def lighthouse_version() -> str:
    return subprocess.run([str(LIGHTHOUSE), "--version"], capture_output=True, text=True).stdout.strip()


def main() -> None:
    global ROOT_SEEDS
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--root", type=Path, default=HERE.parent, help="the checkout whose timeline package to serve")
    ap.add_argument("--save", type=Path, help="write the figures to this JSON file (how the baseline was made)")
    ap.add_argument("--label", default="", help="what --save records as the label of these figures")
    args = ap.parse_args()
    if not LIGHTHOUSE.exists():
        raise SystemExit(f"{LIGHTHOUSE} is missing: run `make bench` (it installs Lighthouse with npm)")
    sys.path.insert(0, str(args.root.resolve()))
    ROOT_SEEDS = args.root.resolve() / "seeds"
    now = measure(args.runs)
    if args.save:
        args.save.write_text(json.dumps({"_label": args.label, **now}, indent=2) + "\n", encoding="utf-8")
    before = json.loads(BASELINE.read_text(encoding="utf-8")) if BASELINE.exists() else {}
    report(now, before)


ROOT_SEEDS = HERE.parent / "seeds"

if __name__ == "__main__":
    main()
