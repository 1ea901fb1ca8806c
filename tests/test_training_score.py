"""The tagger's scores on the development sets stay at their level: TempEval-3 training
(TimeBank + AQUAINT news), WikiWars dev (narrative histories, whose months and days
without a year belong to the year the history is telling, not to the page's date) and the
French TimeBank's development half (French news; the language is detected, not given).

The data and the scorer live in ../shared beside the repository, not in it. Where they are
absent the test is skipped, except on CI (CI=true), where a missing corpus is a failure: a
regression test that silently skips guards nothing.
"""
import importlib.util


from conftest import SHARED, require_shared

from timeline.temporal import tag

CORPUS = SHARED / "data" / "tempeval3-train"
SCORER = SHARED / "tools" / "te3score.py"
DOCUMENTS = 256

# Floors in F1 points; raise them as the tagger improves, never lower them to make a change pass.
STRICT_FLOOR = 85.8
RELAXED_FLOOR = 92.8
VALUE_FLOOR = 78.5

NARRATIVE = SHARED / "data" / "wikiwars-dev"
NARRATIVE_DOCUMENTS = 11
# Measured 2026-12-07: 87.3 / 93.1 / 85.5 (genre not given: the tagger judges it).
NARRATIVE_FLOORS = (86.8, 92.6, 85.0)

FRENCH = SHARED / "data" / "fr-timebank-dev"
FRENCH_DOCUMENTS = 54
# Measured 2026-12-07 on all 54: 86.0 / 91.2 / 81.9 (training figures: the rules were written
# reading the errors of 44 of them; the other 10, every fifth by name, score 85.7 / 93.9 / 85.7).
FRENCH_FLOORS = (85.0, 90.5, 81.0)


def _scorer():
    spec = importlib.util.spec_from_file_location("te3score", SCORER)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _scores(corpus, documents: int) -> tuple[int, float, float, float]:
    require_shared(corpus)
    require_shared(SCORER)
    te3 = _scorer()
    docs = [te3.parse_tml(str(p)) for p in sorted(corpus.rglob("*.tml"))]
    assert len(docs) == documents, f"expected {documents} documents in {corpus}, found {len(docs)}"

    totals = dict(G=0, S=0, strict=0, relaxed=0, value=0, type=0)
    for _name, dct, text, gold in docs:
        system = [(t.start, t.end, t.type, t.value) for t in tag(text, dct)]
        for key, n in te3.score(gold, system).items():
            totals[key] += n
    return (totals["G"], *(100 * te3.f1(totals[k], totals["G"], totals["S"])[2]
                            for k in ("strict", "relaxed", "value")))


def test_training_set_scores_stay_at_or_above_their_floors():
    gold, strict, relaxed, value = _scores(CORPUS, DOCUMENTS)
    print(f"\nTempEval-3 training set, {DOCUMENTS} docs, gold={gold}: "
          f"strict F1 {strict:.1f} (floor {STRICT_FLOOR}), relaxed F1 {relaxed:.1f} "
          f"(floor {RELAXED_FLOOR}), value F1 {value:.1f} (floor {VALUE_FLOOR})")

    assert strict >= STRICT_FLOOR, f"strict F1 {strict:.1f} fell below {STRICT_FLOOR}"
    assert relaxed >= RELAXED_FLOOR, f"relaxed F1 {relaxed:.1f} fell below {RELAXED_FLOOR}"
    assert value >= VALUE_FLOOR, f"value F1 {value:.1f} fell below {VALUE_FLOOR}"


def _assert_floors(label: str, corpus, documents: int, floors: tuple[float, float, float]) -> None:
    gold, *scores = _scores(corpus, documents)
    print(f"\n{label}, {documents} docs, gold={gold}: strict/relaxed/value F1 "
          + " / ".join(f"{s:.1f}" for s in scores) + f" (floors {floors})")
    for name, score, floor in zip(("strict", "relaxed", "value"), scores, floors):
        assert score >= floor, f"{label} {name} F1 {score:.1f} fell below {floor}"


def test_narrative_histories_score_at_or_above_their_floors():
    _assert_floors("WikiWars dev", NARRATIVE, NARRATIVE_DOCUMENTS, NARRATIVE_FLOORS)


def test_french_news_scores_at_or_above_their_floors():
    """French articles, their language found by the tagger (no lang given)."""
    _assert_floors("French TimeBank dev", FRENCH, FRENCH_DOCUMENTS, FRENCH_FLOORS)
