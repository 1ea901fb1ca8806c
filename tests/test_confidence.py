"""The confidence model: what it is fitted with, what it reads of a row, and the shipped
weights' shape (its figures on the judged set are in test_judged_set.py)."""
from __future__ import annotations

import numpy as np

from timeline.extract import confidence, extract
from timeline.read import article_from_text


def test_the_fit_recovers_a_known_logistic_model():
    rng = np.random.default_rng(7)
    x = rng.integers(0, 2, size=(4000, 3)).astype(float)
    truth = np.array([2.0, -1.5, 0.0])
    y = (rng.random(4000) < 1 / (1 + np.exp(-(-0.5 + x @ truth)))).astype(float)
    intercept, weights = confidence.fit(x, y, l2=0.01)
    assert abs(intercept + 0.5) < 0.2 and np.allclose(weights, truth, atol=0.25)


def test_rows_of_articles_left_out_are_scored_by_models_fitted_without_them():
    x = np.array([[1.0], [1.0], [0.0], [0.0]] * 5)
    y = np.array([1.0, 1.0, 0.0, 0.0] * 5)
    groups = np.repeat(np.arange(5), 4)
    p = confidence.held_out(x, y, groups)
    assert (p[x[:, 0] == 1] > 0.5).all() and (p[x[:, 0] == 0] < 0.5).all()


def test_the_shipped_model_weighs_every_feature_and_reads_as_a_chance():
    m = confidence.model()
    assert len(m.weights) == len(confidence.FEATURES) and 0 < m.shown_from < 1
    assert 0 < m.probability([0.0] * len(confidence.FEATURES)) < 1


def test_a_clause_told_twice_counts_once():
    """Two dates of one sentence that give the same title: the first date's row is the
    clause's; the second is 'repeated title' and less likely to be kept."""
    a = article_from_text("He said the council had paid 140 million dollars in arrears to producers last month "
                          "and would pay more in January.", published="2026-11-05", name="t")
    rows = {r.date_text: r for r in extract(a)}
    paid, january = rows["last month"], rows["January"]
    assert paid.title == january.title  # January's own clause is too short to tell it
    repeated = confidence.FEATURES.index("repeated title")
    assert paid.features[repeated] == 0.0 and january.features[repeated] == 1.0
    assert paid.confidence > january.confidence
