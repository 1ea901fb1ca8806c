"""Same input, same output: compare what two versions of timeline make of the same texts.

A refactoring must change no output. This script records the outputs of one checkout (a
"snapshot") and compares two snapshots:

- the tagger: `timeline timex --batch` JSON on every TempEval-3 training and WikiWars dev
  document, and `timeline timex` (JSON and TimeML) on the seed;
- the parse: `timeline parse` JSON of the test corpus, of the seed and of the TempEval-3
  documents (written as JSON articles, as the team's event-dating tool does), all merged,
  and each TempEval document's own frame;
- the exports of those frames: CSV, GeoJSON and TimelineJS JSON;
- the speed of the tagger (documents a second) and of the whole parse (articles a second),
  in one process, best of three (printed, not compared: run `against` on a quiet machine);
- the figures (timeline in both lane modes, map, print layout) of those frames and of a
  large synthetic frame, drawn from the frames the *first* snapshot saved, so that both
  versions draw from the same input. A border event may change only its colour and symbol
  (border had neither and was drawn like 'other').

    python benchmarks/equivalence.py against REV     # REV in a temporary worktree vs this checkout
    python benchmarks/equivalence.py snapshot OUT [--frames DIR]
    python benchmarks/equivalence.py compare OLD NEW

Needs ../shared beside the repository (the development corpora). Prints one line per
output compared, then the summary; exits 1 when anything differs.
"""
from __future__ import annotations

import argparse
import json
import os
import runpy
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("TIMELINE_SHARED") or ROOT.parent / "shared")
TE3 = SHARED / "data" / "tempeval3-train"
WIKIWARS = SHARED / "data" / "wikiwars-dev"
SCORER = SHARED / "tools" / "te3score.py"
SYNTHETIC_ROWS = 20_000


def _documents(folder: Path) -> list[tuple[str, str, str]]:
    """(name, dct, text) of each TimeML document in `folder`, read by the team's scorer."""
    parse_tml = runpy.run_path(str(SCORER), run_name="te3score")["parse_tml"]
    return [parse_tml(str(p))[:3] for p in sorted(folder.rglob("*.tml"))]


def _cli(root: Path, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    """`timeline ARGS` run from the checkout at `root` (its package first on the path)."""
    env = dict(os.environ, PYTHONPATH=str(root))
    return subprocess.run([sys.executable, "-c", "from timeline.cli import main; main(prog_name='timeline')", *args],
                          input=stdin, capture_output=True, text=True, cwd=root, env=env, check=False)


def snapshot(out: Path, frames_from: Path | None = None) -> None:
    """Record this checkout's outputs in `out` (see the module docstring)."""
    out.mkdir(parents=True, exist_ok=True)
    timings: dict[str, float] = {}
    seed = sorted(p.relative_to(ROOT) for p in (ROOT / "seeds").glob("*.txt"))  # relative: printed
    corpus = sorted(p for p in (ROOT / "tests" / "corpus").iterdir() if p.suffix in (".txt", ".md", ".html", ".json"))

    # The tagger.
    for name, folder in (("timex-tempeval", TE3), ("timex-wikiwars", WIKIWARS)):
        docs = [{"id": n, "text": t, "dct": d} for n, d, t in _documents(folder)]
        started = time.perf_counter()
        run = _cli(ROOT, "timex", "--batch", stdin=json.dumps(docs))
        timings[name] = time.perf_counter() - started
        (out / f"{name}.json").write_text(run.stdout + f"\n# exit {run.returncode}\n" + run.stderr)
    for fmt in ("json", "timeml"):
        run = _cli(ROOT, "timex", *map(str, seed), "--dct", "2025-09-12", "--format", fmt)
        (out / f"timex-seed.{fmt}").write_text(run.stdout + f"\n# exit {run.returncode}\n" + run.stderr)

    # The parse.
    articles = out / "articles"
    articles.mkdir(exist_ok=True)
    te3_paths = []
    for name, dct, text in _documents(TE3):
        p = articles / name.replace(".tml", ".json")
        p.write_text(json.dumps({"title": name, "text": text, "published": dct[:10], "source": name}))
        te3_paths.append(p)
    for name, paths in (("seed", seed), ("corpus", corpus), ("tempeval", te3_paths)):
        started = time.perf_counter()
        run = _cli(ROOT, "parse", *map(str, paths), "--format", "json", "-o", str(out / f"parse-{name}.json"))
        timings[f"parse-{name}"] = time.perf_counter() - started
        (out / f"parse-{name}.stderr").write_text(run.stderr + f"# exit {run.returncode}\n")
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    code = _PER_ARTICLE % {"articles": str(articles), "out": str(out / "parse-per-article.jsonl")}
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, check=True)

    # Exports and figures, drawn in a child process from this checkout.
    code = _DRAW % {"out": str(out), "frames": str(frames_from or out), "rows": SYNTHETIC_ROWS}
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, check=True)
    code = _SPEED % {"articles": str(articles)}
    speed = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, check=True, capture_output=True, text=True)
    timings.update(json.loads(speed.stdout))
    (out / "timings.json").write_text(json.dumps(timings, indent=1))


_PER_ARTICLE = """
import json, pathlib, timeline
with open(%(out)r, "w") as f:
    for p in sorted(pathlib.Path(%(articles)r).glob("*.json")):
        frame = timeline.parse_articles([p])
        f.write(p.name + "\\t" + frame.to_json(orient="records", date_format="iso") + "\\n")
"""

# Speed in one process, best of three: the tagger on the TempEval documents, the whole parse
# (read, extract, merge) of them. Gazetteer and plotly loaded before the clock starts.
_SPEED = """
import json, pathlib, time, timeline
from timeline import tag
paths = sorted(pathlib.Path(%(articles)r).glob("*.json"))
docs = [json.loads(p.read_text()) for p in paths]
timeline.parse_articles(paths[:5])
def best(run, n=3):
    times = []
    for _ in range(n):
        started = time.perf_counter(); run(); times.append(time.perf_counter() - started)
    return min(times)
tag_s = best(lambda: [tag(d["text"], d["published"]) for d in docs])
parse_s = best(lambda: timeline.parse_articles(paths))
print(json.dumps({"tagger docs/s": len(docs) / tag_s, "parse articles/s": len(paths) / parse_s}))
"""

_DRAW = """
import json, pathlib
import pandas as pd
from timeline import export as ex, figures, frame as fr
from timeline.synth import synthetic_frame
out, frames = pathlib.Path(%(out)r), pathlib.Path(%(frames)r)
if not (frames / "frame-synthetic.parquet").exists():
    fr.save(synthetic_frame(%(rows)d), frames / "frame-synthetic.parquet")
for name in ("seed", "corpus", "tempeval"):
    fr.save(fr.load(out / f"parse-{name}.json"), out / f"frame-{name}.parquet")
for name in ("seed", "corpus", "tempeval", "synthetic"):
    frame = fr.load(frames / f"frame-{name}.parquet")
    for fmt in ("csv", "geojson", "timelinejs"):
        ex.write_export(frame, out / f"export-{name}.{fmt}", fmt, title="Chronology")
    figs = {
        "timeline": figures.timeline_figure(frame),
        "timeline-country": figures.timeline_figure(frame, lanes="country", x_range="all"),
        "timeline-detail": figures.timeline_figure(frame, level_of_detail=True, x_range=("2025-08-01", "2025-09-30")),
        "map": figures.map_figure(frame),
        "print": figures.composed_figure(frame, title="Chronology", width_px=2126, height_px=2600),
        "print-wide": figures.composed_figure(frame, title="Chronology", width_px=3000, height_px=1200,
                                               view="both", lanes="country"),
    }
    for kind, fig in figs.items():
        (out / f"figure-{name}-{kind}.json").write_text(fig.to_json())
"""

# What may differ, on purpose (the structure issue): border events had no colour and symbol of
# their own (drawn like 'other', ranked in the legend with the unknown categories); with border
# in the category table, 'other' ranks one place later (its position does not change), and the
# grey aggregates of country lanes rank after every category. Country lanes and hovers name the
# countries that were outside the old 12-name table instead of showing their codes.
_ALLOWED = {"border": ("color", "symbol", "legendrank"), "other": ("legendrank",),
            "periods": ("legendrank",), "days": ("legendrank",)}
_OLD_COUNTRY_NAMES = {"BY", "LT", "PL", "RU", "UA", "US", "LV", "EE", "DE", "GB", "FR", "VA"}


def _normalise_border(old: dict, new: dict) -> int:
    """Give the new figure's traces the old values of what may change (see _ALLOWED);
    returns how many values that changed."""
    changed = 0
    for a, b in zip(old.get("data", []), new.get("data", [])):
        allowed = _ALLOWED.get(b.get("legendgroup"), ())
        for key in allowed:
            for ta, tb in ((a, b), (a.get("marker", {}), b.get("marker", {}))):
                if key in tb and tb.get(key) != ta.get(key):
                    tb[key] = ta.get(key)
                    changed += 1
    return changed


def _country_names(folder: Path) -> dict[str, str]:
    """{name: code} of the countries of the saved frames that the old table did not name."""
    import pandas as pd

    from timeline import countries

    names = {}
    for f in folder.glob("frame-*.parquet"):
        for codes in pd.read_parquet(f)["countries"]:
            for c in (codes if codes is not None else []):
                if c not in _OLD_COUNTRY_NAMES and countries.label(c) != c:
                    names[countries.label(c)] = c
    return names


def _unname(value, names: dict[str, str], key: str = ""):
    """`value` with the country names of lane labels and lane hovers put back to codes."""
    if isinstance(value, dict):
        return {k: _unname(v, names, k) for k, v in value.items()}
    if isinstance(value, list):
        return [_unname(v, names, key) for v in value]
    if isinstance(value, str) and key == "ticktext":
        return names.get(value, value)
    if isinstance(value, str) and key == "hovertext":
        for name, code in names.items():
            value = value.replace(f"<br>{name}<br><i>Click", f"<br>{code}<br><i>Click")
            if value.startswith("<b>") and " event" in value.split("</b>")[0] and value.endswith(f"<br>{name}"):
                value = value[: -len(name)] + code
    return value


def _first_difference(a, b, path: str = "") -> str:
    """Where two JSON values first differ, as a path ('data[3].marker.color: x != y')."""
    if isinstance(a, dict) and isinstance(b, dict):
        for k in sorted(set(a) | set(b)):
            if a.get(k) != b.get(k):
                return _first_difference(a.get(k), b.get(k), f"{path}.{k}")
    elif isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        for i, (x, y) in enumerate(zip(a, b)):
            if x != y:
                return _first_difference(x, y, f"{path}[{i}]")
    return f"{path or '.'}: {str(a)[:80]!r} != {str(b)[:80]!r}"


def compare(old: Path, new: Path) -> bool:
    """Print one line per output of `old` and whether `new` has the same; True when all do."""
    same = True
    # the synthetic frame is an input of the figures, saved by the first snapshot only
    skip = {"timings.json", "frame-synthetic.parquet"}
    country_names = _country_names(old)
    names = sorted(p.name for p in old.iterdir() if p.is_file() and p.name not in skip)
    for name in names:
        a, b = old / name, new / name
        if not b.exists():
            print(f"MISSING  {name}")
            same = False
            continue
        note = ""
        if name.startswith("figure-"):
            fa, fb = json.loads(a.read_text()), json.loads(b.read_text())
            changed = _normalise_border(fa, fb)
            named = fb != _unname(fb, country_names)
            fa, fb = _unname(fa, country_names), _unname(fb, country_names)
            equal = fa == fb
            note = (f" (intended: {changed} category legend values" if changed else "") \
                + ((", " if changed else " (intended: ") + "country names" if named else "") \
                + (")" if changed or named else "")
            if not equal:
                note += " at " + _first_difference(fa, fb)
        elif name.endswith(".parquet"):
            import pandas as pd
            equal = pd.read_parquet(a).equals(pd.read_parquet(b))
        else:
            equal = a.read_bytes() == b.read_bytes()
        print(f"{'same' if equal else 'DIFFERS':8} {name}{note}")
        same &= equal
    for side, folder in (("old", old), ("new", new)):
        t = folder / "timings.json"
        if t.exists():
            print(f"{side} timings: " + ", ".join(f"{k} {v:.2f}" for k, v in json.loads(t.read_text()).items()))
    print("IDENTICAL" if same else "OUTPUTS DIFFER")
    return same


def against(rev: str, keep: Path | None) -> bool:
    """Snapshot `rev` (in a temporary git worktree) and this checkout, and compare them."""
    base = Path(tempfile.mkdtemp(prefix="timeline-equivalence-"))
    tree = base / "tree"
    subprocess.run(["git", "worktree", "add", "--detach", str(tree), rev], cwd=ROOT, check=True,
                   capture_output=True)
    try:
        shutil.copytree(ROOT / "benchmarks", tree / "benchmarks", dirs_exist_ok=True)  # this script
        env = dict(os.environ, PYTHONPATH=str(tree), TIMELINE_SHARED=str(SHARED))
        subprocess.run([sys.executable, str(tree / "benchmarks" / "equivalence.py"), "snapshot", str(base / "old")],
                       cwd=tree, env=env, check=True)
        snapshot(base / "new", frames_from=base / "old")
        return compare(base / "old", base / "new")
    finally:
        subprocess.run(["git", "worktree", "remove", "--force", str(tree)], cwd=ROOT, check=False)
        if keep:
            shutil.copytree(base, keep, dirs_exist_ok=True)
        shutil.rmtree(base, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    s = sub.add_parser("snapshot")
    s.add_argument("out", type=Path)
    s.add_argument("--frames", type=Path, help="draw figures from the frames this snapshot saved")
    c = sub.add_parser("compare")
    c.add_argument("old", type=Path)
    c.add_argument("new", type=Path)
    a = sub.add_parser("against")
    a.add_argument("rev")
    a.add_argument("--keep", type=Path, help="copy both snapshots here")
    args = parser.parse_args()
    if not TE3.exists():
        sys.exit(f"{TE3} is missing: the comparison needs ../shared beside the repository")
    if args.command == "snapshot":
        snapshot(args.out, args.frames)
        return
    ok = compare(args.old, args.new) if args.command == "compare" else against(args.rev, args.keep)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
