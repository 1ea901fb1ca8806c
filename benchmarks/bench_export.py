"""Benchmark: print export time and standalone page size.

    python benchmarks/bench_export.py [ARTICLE ...]

Articles default to seeds/*.txt. Prints, for the seed's composed figure (180 mm, 300 dpi):
the time of the first PNG including Chromium's start, then of further files rendered
with the same Chromium, next to kaleido's one-shot call (a Chromium per file, as
`plotly.io.write_image` does without a running server); then the standalone page's size
for the seed and for 1,000 synthetic events, next to plotly's own `to_html` with plotly.js
inline for the same two graphs (it has no map geometry: offline its map draws no
countries) plus the untrimmed geometry. Goals (issue 5): first PNG under 5 s, the seed's page under 5 MB.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
GOAL_PNG_S = 5.0
GOAL_HTML_BYTES = 5_000_000


def _timed(fn):
    start = time.perf_counter()
    value = fn()
    return value, time.perf_counter() - start


def _row(what: str, value: str, note: str = "") -> None:
    print(f"  {what:60s} {value:>12s}  {note}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("articles", nargs="*", type=Path)
    a = parser.parse_args(argv)
    articles = a.articles or sorted(SEEDS.glob("*.txt"))
    if not articles:
        print(f"bench_export: no articles (none given, none in {SEEDS}); nothing to measure.")
        return 1

    from timeline import export as ex
    from timeline.figures import OFFLINE_TOPOJSON_DIR, composed_figure
    from timeline.parse import parse
    from timeline.synth import synthetic_frame

    result, parse_s = _timed(lambda: parse(articles))
    seed = result.frame
    print(f"Seed: {len(articles)} article(s), {len(seed)} events ({int(seed['dated'].sum())} dated), "
          f"parsed in {parse_s:.2f} s")

    print("\nPrint export, 180 mm x default height, 300 dpi (seconds):")
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        try:
            renderer = ex.Renderer()
            _, first = _timed(lambda: renderer.render(seed, tmp / "seed.png"))
            again = {}
            for name in ("seed2.png", "seed.svg", "seed.pdf", "map.png"):
                view = "map" if name.startswith("map") else "both"
                _, again[name] = _timed(lambda n=name, v=view: renderer.render(seed, tmp / n, view=v))
            renderer.close()
        except ex.ExportError as e:
            print(f"  no print figures: {e}")
            first = None
        if first is not None:
            _row("first PNG, Chromium start included", f"{first:.2f}",
                 "goal < 5 s: " + ("met" if first < GOAL_PNG_S else "MISSED"))
            for name, s in again.items():
                _row(f"then {name}, same Chromium", f"{s:.2f}")
            _row("four files after the first, same Chromium", f"{sum(again.values()):.2f}")
            # The peer: kaleido's one-shot call starts a Chromium for every file.
            import kaleido

            w, h = ex.pixels(180, 300), ex.pixels(180 * ex.DEFAULT_ASPECT["both"], 300)
            fig = composed_figure(seed, title=ex.default_title(seed), width_px=w, height_px=h)
            kopts = dict(mathjax=False, proxy_server="http://127.0.0.1:9")
            topo = Path(OFFLINE_TOPOJSON_DIR).as_uri() + "/"
            _, oneshot = _timed(lambda: [kaleido.calc_fig_sync(fig, opts=dict(format=f, width=w, height=h),
                                                               topojson=topo, kopts=dict(kopts))
                                         for f in ("png", "svg", "pdf")])
            _row("peer: kaleido one-shot, PNG + SVG + PDF", f"{oneshot:.2f}", "(a Chromium per file)")
            _row("ours: the same three with one Chromium", f"{first + again['seed.svg'] + again['seed.pdf']:.2f}")

    print("\nStandalone HTML (bytes):")
    import plotly.io as pio

    from timeline.figures import map_figure, timeline_figure

    full_topo = len((Path(OFFLINE_TOPOJSON_DIR) / "europe_50m.json").read_bytes())
    for label, frame in (("seed", seed), ("1,000 synthetic events", synthetic_frame(1_000, seed=1))):
        page, seconds = _timed(lambda f=frame: ex.standalone_html(f))
        size = len(page.encode("utf-8"))
        note = f"built in {seconds:.2f} s"
        if label == "seed":
            note += "; goal < 5 MB: " + ("met" if size < GOAL_HTML_BYTES else "MISSED")
        _row(f"ours, {label}", f"{size:,}", note)
        peer = len(pio.to_html(timeline_figure(frame), include_plotlyjs=True, full_html=True).encode("utf-8")) \
            + len(pio.to_html(map_figure(frame), include_plotlyjs=False, full_html=False).encode("utf-8"))
        _row(f"peer: plotly to_html + untrimmed geometry, {label}", f"{peer + full_topo:,}",
             "(same two graphs, one plotly.js)")
    _row("map geometry inline: trimmed / full", f"{len(ex.trimmed_topojson()):,}", f"/ {full_topo:,}")
    _row("plotly.js alone", f"{len(__import__('plotly.offline').offline.get_plotlyjs().encode()):,}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
