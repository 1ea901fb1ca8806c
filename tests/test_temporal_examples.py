"""Every example in the tagger's data file holds: each rule finds its positive examples and
leaves its negative ones alone; each rejection drops what its negative examples show (and is
the one that drops it), and each early acceptance keeps what its examples show.

The examples live next to the rules and rejections in timeline/lang/<code>/temporal_rules.yaml,
one file a language; a failure names the language, the rule or rejection and the example.
"""
import pytest

from timeline import lang
from timeline.temporal import tag
from timeline.temporal.engine import select
from timeline.temporal.examples import Example, examples, examples_dct, languages
from timeline.temporal.lexicon import reading
from timeline.temporal.rejections import verdict
from timeline.temporal.rules import RESOURCE, rules

LANGUAGES = languages()
DCT = {code: examples_dct(lang.resource(RESOURCE, code)) for code in LANGUAGES}
EXAMPLES = [ex for code in LANGUAGES for ex in examples(code=code)]


def _rules(code: str):
    with reading(code):
        return rules()


REJECTIONS = {(code, r.name): r for code in LANGUAGES for rule in _rules(code) for r in rule.rejections}


def _tag(ex: Example):
    return tag(ex.text, DCT[ex.lang], ex.genre, lang=ex.lang)


def _span(ex: Example, part: str) -> tuple[int, int]:
    start = ex.text.index(part)
    return start, start + len(part)


def _found(ex: Example) -> str:
    return ", ".join(f"{t.text!r} = {t.value}" for t in _tag(ex)) or "nothing"


def _check_tagged(ex: Example):
    """The expression is tagged with its value; returns the kept match that found it."""
    hits = [t for t in _tag(ex) if t.text == ex.timex]
    assert hits, f"{ex}: {ex.timex!r} not tagged (found {_found(ex)})"
    assert any(t.value == ex.value for t in hits), f"{ex}: tagged {[t.value for t in hits]}, not {ex.value}"
    t = next(t for t in hits if t.value == ex.value)
    with reading(ex.lang):
        return next(c for c in select(ex.text) if c[0] <= t.start and t.end <= c[1])


def _check_untagged(ex: Example) -> None:
    start, end = _span(ex, ex.not_)
    overlapping = [t for t in _tag(ex) if t.start < end and start < t.end]
    assert not overlapping, f"{ex}: tagged {[(t.text, t.value) for t in overlapping]}"


def _check_rule(ex: Example) -> None:
    if not ex.positive:
        _check_untagged(ex)
        return
    _start, _end, rule, _m = _check_tagged(ex)
    assert rule.name == ex.name, f"{ex}: found by rule {rule.name!r}"


def _check_rejection(ex: Example) -> None:
    rejection = REJECTIONS[ex.lang, ex.name]
    if not ex.positive:
        _check_untagged(ex)
        if rejection.accepts:
            return
        start, end = _span(ex, ex.not_)
        deciders = {verdict(rule, m, ex.text).name
                    for rule in _rules(ex.lang) if rejection in rule.rejections
                    for m in rule.regex.finditer(ex.text)
                    if m.start() < end and start < m.end() and verdict(rule, m, ex.text) is not None}
        assert ex.name in deciders, f"{ex}: not rejected by it (decided by: {sorted(deciders) or 'none'})"
        return
    _start, _end, rule, m = _check_tagged(ex)
    assert rejection in rule.rejections, f"{ex}: found by rule {rule.name!r}, to which it does not apply"
    decided = verdict(rule, m, ex.text)
    if rejection.accepts:
        assert decided is rejection, f"{ex}: kept, but decided by {decided.name if decided else 'none'}"
    else:
        assert decided is None or decided.accepts, f"{ex}: rejected by {decided.name}"


@pytest.mark.parametrize("ex", EXAMPLES, ids=lambda ex: f"{ex.lang} {ex.owner} {ex.name} #{ex.number}")
def test_each_example_in_the_data_file_holds(ex):
    if ex.owner == "rule":
        _check_rule(ex)
    else:
        _check_rejection(ex)


@pytest.mark.parametrize("code", LANGUAGES)
def test_every_rule_has_a_positive_example(code):
    have = {ex.name for ex in EXAMPLES if ex.lang == code and ex.owner == "rule" and ex.positive}
    assert [r.name for r in _rules(code) if r.name not in have] == []


def test_every_rejection_has_an_example_of_what_it_decides():
    """A rejection shows a text it drops; an early acceptance one it keeps."""
    for (code, name), rejection in REJECTIONS.items():
        mine = [ex for ex in EXAMPLES if ex.lang == code and ex.owner == "rejection" and ex.name == name]
        assert any(ex.positive == rejection.accepts for ex in mine), (code, name)


def test_the_examples_cover_every_rejection_in_the_file():
    named = {(ex.lang, ex.name) for ex in EXAMPLES if ex.owner == "rejection"}
    assert set(REJECTIONS) <= named
    assert sum(code == "en" for code, _ in REJECTIONS) >= 20


def test_every_language_timeline_detects_has_rules_with_examples():
    from timeline.lang.detect import READ

    assert set(READ) <= set(LANGUAGES)
    for code in READ:
        assert sum(ex.lang == code and ex.positive for ex in EXAMPLES) >= 25, code
