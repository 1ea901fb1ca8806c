"""The tagger's TempEval-3 score on the training set (TimeBank + AQUAINT) stays at its level.

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
STRICT_FLOOR = 85.0
RELAXED_FLOOR = 92.5
VALUE_FLOOR = 76.5


def _scorer():
    spec = importlib.util.spec_from_file_location("te3score", SCORER)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_training_set_scores_stay_at_or_above_their_floors():
    require_shared(CORPUS)
    require_shared(SCORER)
    te3 = _scorer()
    docs = [te3.parse_tml(str(p)) for p in sorted(CORPUS.rglob("*.tml"))]
    assert len(docs) == DOCUMENTS, f"expected {DOCUMENTS} documents in {CORPUS}, found {len(docs)}"

    totals = dict(G=0, S=0, strict=0, relaxed=0, value=0, type=0)
    for _name, dct, text, gold in docs:
        system = [(t.start, t.end, t.type, t.value) for t in tag(text, dct)]
        for key, n in te3.score(gold, system).items():
            totals[key] += n
    strict, relaxed, value = (100 * te3.f1(totals[k], totals["G"], totals["S"])[2]
                              for k in ("strict", "relaxed", "value"))
    print(f"\nTempEval-3 training set, {len(docs)} docs, gold={totals['G']} system={totals['S']}: "
          f"strict F1 {strict:.1f} (floor {STRICT_FLOOR}), relaxed F1 {relaxed:.1f} "
          f"(floor {RELAXED_FLOOR}), value F1 {value:.1f} (floor {VALUE_FLOOR})")

    assert strict >= STRICT_FLOOR, f"strict F1 {strict:.1f} fell below {STRICT_FLOOR}"
    assert relaxed >= RELAXED_FLOOR, f"relaxed F1 {relaxed:.1f} fell below {RELAXED_FLOOR}"
    assert value >= VALUE_FLOOR, f"value F1 {value:.1f} fell below {VALUE_FLOOR}"
