"""A rule's finder finds exactly the matches the rule's regex finds (`temporal.scanning`)."""
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from test_temporal_properties import DATEISH_TEXT
from timeline.temporal import patterns, scanning
from timeline.temporal.rules import rules

SPANS = st.tuples(st.integers(0, 80), st.integers(0, 80))


def found(regex, find, text, start, end):
    return [(m.span(), m.groups()) for m in scanning.matches(regex, find, text, start, end)]


def test_every_rule_has_a_finder():
    assert [r.name for r in rules() if r.finder is None] == []


@settings(max_examples=300, deadline=None)
@given(st.text() | DATEISH_TEXT, SPANS)
def test_a_finder_finds_what_finditer_finds_anywhere_in_any_text(text, span):
    start, end = sorted(span)
    for rule in rules():
        expected = [(m.span(), m.groups()) for m in rule.regex.finditer(text, start, end)]
        assert found(rule.regex, rule.finder, text, start, end) == expected, rule.name


def test_matches_at_the_texts_start_and_after_a_stretch_start_inside_a_word():
    rule = next(r for r in rules() if r.name == "year")
    for text, start in [("1999 was", 0), ("in 1999", 3), ("x1999 1999", 1), ("$2001 2001", 0)]:
        expected = [m.span() for m in rule.regex.finditer(text, start)]
        assert [m.span() for m in scanning.matches(rule.regex, rule.finder, text, start, len(text))] == expected


def test_a_pattern_whose_first_characters_cannot_be_told_has_no_finder():
    assert scanning.finder(re.compile(patterns.LEFT + r"(?:.x)"), patterns.LEFT) is None
    assert scanning.finder(re.compile(patterns.LEFT + r"(?:x?)"), patterns.LEFT) is None  # matches nothing
    assert scanning.finder(re.compile(r"\bx"), patterns.LEFT) is None  # not a rule's pattern


def test_first_chars_pass_over_assertions_and_optional_parts():
    from re import _parser
    firsts, empty = scanning.first_chars(_parser.parse(r"\b(?<!a)(?:(?:early|late)\s+)?(?:[0-9]|May)"))
    assert sorted(firsts) == ["0-9", "M", "e", "l"] and not empty
