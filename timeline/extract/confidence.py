"""Confidence: how likely an editor is to keep a row, from what the extractor knows of it.

Each row has a few features (`FEATURES`: how it got its date, whether it is a quotation, a
plan, a date bounded by "since" or "until", a vague or future date, the article's lead, a
statement, a clause its sentence already told), and its confidence is a logistic model of them,

    confidence = 1 / (1 + exp(-(intercept + sum of the weights of its features)))

with the weights fitted on the judged development set (`tests/judged/`, editors' keep or
reject for every row) by `fit` and kept as data in `timeline/data/confidence.yaml`
(`tests/judged/fit_confidence.py` writes it). So a confidence of 0.6 means that about six in
ten such rows were kept; the file also records what the fit measured on articles it was not
fitted on (leave one article out).

The dashboard opens with the rows below `shown_from()` hidden; a reader can show them all.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Sequence

import numpy as np
import yaml

from timeline.errors import DataError
from timeline.extract.records import EventRecord
from timeline.extract.vocabulary import BEFORE_REACH, words

MODEL = Path(__file__).resolve().parents[1] / "data" / "confidence.yaml"

FEATURES: tuple[str, ...] = (
    "own date in figures",  # the row's date is written in its sentence, with a number ("12 May", "2010")
    "own date in words",  # ... in words only ("on Thursday", "last month", "a day after the drones were shot down")
    "inherited date",  # no date of its own: the date of an event told before
    "undated",  # a statement or plan kept without a date
    "quotation",  # the speaker's words, or a day counted from the moment of speaking
    "quotation marks",  # the sentence holds quotation marks
    "plan",  # "will", "plans to", "expected": it may not happen
    "bounded date",  # "since 2019", "until 1997", "by 2032", "every winter": not when it happened
    "vague date",  # a season, decade or century
    "future date",  # after publication
    "lead",  # the article's first sentence
    "statement",  # the row's category is a statement
    "repeated title",  # an earlier date of its sentence has the same title: the same clause told twice
)

BASES = ("own", "reckoned", "inherited", "undated")
"""How a row got its date (`EventRecord.basis`)."""

_QUOTE_MARKS = re.compile("[\"\u201c\u201d\u00ab\u00bb\u201e]")
_FIGURE = re.compile(r"\d")
_VAGUE = frozenset({"season", "decade", "century"})


@dataclass(frozen=True)
class Model:
    """The fitted model: an intercept, a weight per feature, the threshold below which the
    dashboard hides rows by default, and what the fit measured."""

    intercept: float
    weights: tuple[float, ...]
    shown_from: float
    measured: dict

    def probability(self, x: Sequence[float]) -> float:
        z = self.intercept + sum(w * v for w, v in zip(self.weights, x))
        return 1.0 / (1.0 + math.exp(-z))


@lru_cache(maxsize=1)
def model() -> Model:
    """The model of `MODEL`, read once; DataError naming the file when it is malformed."""
    try:
        data = yaml.safe_load(MODEL.read_text(encoding="utf-8"))
        weights = data["weights"]
        missing = [f for f in FEATURES if f not in weights]
        if missing or set(weights) - set(FEATURES):
            raise ValueError(f"weights must name exactly the features {list(FEATURES)}")
        return Model(float(data["intercept"]), tuple(float(weights[f]) for f in FEATURES),
                     float(data["shown_from"]), dict(data.get("measured") or {}))
    except (OSError, yaml.YAMLError, KeyError, TypeError, ValueError) as e:
        raise DataError(f"{MODEL}: {e}") from None


def shown_from() -> float:
    """The confidence from which rows are shown by default (the dashboard's opening view)."""
    return model().shown_from


def features(r: EventRecord, lead: bool, repeated: bool = False,
             cues: tuple[bool, bool] | None = None) -> tuple[float, ...]:
    """The row's features, in `FEATURES`' order (1.0 or 0.0 each); `repeated`: an earlier
    date of the same sentence gave a row of the same title; `cues`: its sentence's
    (`sentence_cues`), when already read for another row of it."""
    w = words()
    own = r.basis in ("own", "reckoned")
    at = r.date_offset() if own else -1
    bounded = at >= 0 and bool(w.bound_before.search(r.sentence, max(0, at - BEFORE_REACH), at))
    future = bool(r.dated and r.published is not None and r.date is not None and r.date > r.published)
    values = (
        own and bool(_FIGURE.search(r.date_text)), own and not _FIGURE.search(r.date_text),
        r.basis == "inherited", not r.dated, r.quoted,
        *(cues or sentence_cues(r.sentence)), bounded,
        r.granularity in _VAGUE, future, lead, r.category == "statement", repeated,
    )
    return tuple(float(v) for v in values)


def sentence_cues(sentence: str) -> tuple[bool, bool]:
    """(quotation marks, plan words) of a sentence: the features its rows share."""
    return bool(_QUOTE_MARKS.search(sentence)), bool(words().plan_words.search(sentence))


def rate(rows: Iterable[EventRecord], lead_start: int | None) -> None:
    """Set each row's `features` and its confidence from them (`lead_start`: where the
    article's first sentence starts), rounded to two decimals. Each sentence is read once
    however many rows it gives."""
    m = model()
    rows = list(rows)
    cues: dict[tuple, tuple[bool, bool]] = {}
    for r, repeated in zip(rows, _repeated(rows)):
        key = (r.start_char, len(r.sentence))
        if key not in cues:
            cues[key] = sentence_cues(r.sentence)
        r.features = features(r, r.start_char == lead_start, repeated, cues[key])
        r.confidence = round(m.probability(r.features), 2)


def _repeated(rows: list[EventRecord]) -> list[bool]:
    """For each row, whether a row of the same sentence and title has its date earlier in
    the sentence: one sentence's clause told once, by the first of its dates. Linear: one
    pass over the rows, grouped by sentence and title."""
    first: dict[tuple, int] = {}
    for i, r in enumerate(rows):
        key = (r.start_char, r.title)
        at = r.date_offset() if r.date_text else len(r.sentence)
        if key not in first or at < first[key][0]:
            first[key] = (at, i)
    return [first[(r.start_char, r.title)][1] != i for i, r in enumerate(rows)]


def fit(x: np.ndarray, y: np.ndarray, l2: float = 1.0, rounds: int = 50) -> tuple[float, np.ndarray]:
    """(intercept, weights) of the logistic model of `y` (0/1) on the features `x` (rows x
    FEATURES), by Newton's method with an L2 penalty `l2` on the weights (not the intercept):
    a few hundred judged rows and a dozen features would otherwise overfit."""
    a = np.c_[np.ones(len(x)), x]
    w = np.zeros(a.shape[1])
    penalty = l2 * np.diag(np.r_[0.0, np.ones(a.shape[1] - 1)])
    for _ in range(rounds):
        p = 1.0 / (1.0 + np.exp(-(a @ w)))
        gradient = a.T @ (p - y) + penalty @ w
        hessian = (a * (p * (1 - p))[:, None]).T @ a + penalty
        step = np.linalg.solve(hessian, gradient)
        w -= step
        if np.abs(step).max() < 1e-9:
            break
    return float(w[0]), w[1:]


def predict(intercept: float, weights: np.ndarray, x: np.ndarray) -> np.ndarray:
    """The model's probabilities for the rows of `x`."""
    return 1.0 / (1.0 + np.exp(-(intercept + x @ weights)))


def held_out(x: np.ndarray, y: np.ndarray, groups: np.ndarray, l2: float = 1.0) -> np.ndarray:
    """Each row's probability from a model fitted without its group (its article): what the
    model says of articles it has not seen."""
    out = np.zeros(len(y))
    for g in np.unique(groups):
        mine = groups == g
        intercept, weights = fit(x[~mine], y[~mine], l2)
        out[mine] = predict(intercept, weights, x[mine])
    return out

