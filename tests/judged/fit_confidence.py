"""Fit the confidence model (`timeline/extract/confidence.py`) on the judged development set
and write `timeline/data/confidence.yaml`:

    .venv/bin/python tests/judged/fit_confidence.py          # fit, print, write
    .venv/bin/python tests/judged/fit_confidence.py --check  # print only

Every row timeline makes of the twelve judged articles that the judge saw is one example:
its features, and whether the judge kept it. Besides the fit on all of them, each article's
rows are scored by a model fitted on the other eleven (leave one article out): those are the
figures for articles the model has not seen, written into the file's `measured`.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from test_judged_set import JUDGED, judged_rows, read_labels, when  # noqa: E402

from timeline.extract import confidence as cf  # noqa: E402
from timeline.extract.story import extract  # noqa: E402
from timeline.read import read_path  # noqa: E402

L2 = 1.0
"""The penalty on the weights: a dozen features and about 300 rows."""

SHOWN_FROM = 0.3
"""Rows the model gives at least three chances in ten of being kept are shown by default: on
articles it was not fitted on, this hides about half the rows and one in six of the kept ones."""


def examples() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(features, kept 0/1, article) of every judged row timeline makes today."""
    rows = []
    for path in sorted((JUDGED / "articles").glob("*.txt")):
        for article in read_path(path):
            for r in extract(article):
                rows.append({"file": path.name, "sentence": " ".join(r.sentence.split()), "date_text": r.date_text,
                             "when": when(r.dated, r.date, r.end, r.granularity), "features": r.features})
    judged = judged_rows(pd.DataFrame(rows), read_labels())
    x = np.array(judged["features"].tolist(), dtype=float)
    return x, (judged["keep"] == "y").to_numpy(dtype=float), judged["file"].to_numpy()


def measure(p: np.ndarray, y: np.ndarray) -> dict:
    """What probabilities `p` say of the rows kept (`y`): the share kept among rows shown
    (p >= SHOWN_FROM), the share of kept rows shown, and the same at 0.8."""
    out = {"rows": int(len(y)), "kept": int(y.sum())}
    for name, at in (("shown", SHOWN_FROM), ("at 0.8", 0.8)):
        mine = p >= at
        out[f"rows {name}"] = int(mine.sum())
        out[f"kept among rows {name}"] = round(float(y[mine].mean()), 3) if mine.any() else None
        out[f"kept rows {name}"] = round(float(y[mine].sum() / max(y.sum(), 1)), 3)
    out["brier"] = round(float(np.mean((p - y) ** 2)), 4)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="print the figures, write nothing")
    args = ap.parse_args()
    x, y, groups = examples()
    intercept, weights = cf.fit(x, y, L2)
    unseen = measure(cf.held_out(x, y, groups, L2), y)
    fitted = measure(cf.predict(intercept, weights, x), y)
    print("weights:", {f: round(float(w), 3) for f, w in zip(cf.FEATURES, weights)}, "intercept", round(intercept, 3))
    print("articles left out (held out):", unseen)
    print("fitted on all (training):    ", fitted)
    if args.check:
        return
    data = {"intercept": round(intercept, 3), "shown_from": SHOWN_FROM,
            "weights": {f: round(float(w), 3) for f, w in zip(cf.FEATURES, weights)},
            "measured": {"held out, one article at a time": unseen, "training": fitted}}
    header = ("# The confidence model: written by tests/judged/fit_confidence.py from the judged development\n"
              "# set (tests/judged/); see timeline/extract/confidence.py. Do not edit by hand: fit again.\n")
    cf.MODEL.write_text(header + yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    print(f"wrote {cf.MODEL}")


if __name__ == "__main__":
    main()
