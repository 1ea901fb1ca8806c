"""The tagger's data is checked when it is loaded, and its recipes' errors surface.

Rules and rejections live in timeline/lang/en/temporal_rules.yaml, words in temporal.yaml;
a mistake in them is a DataError naming the file and the rule or rejection, never a check
that silently stops working.
"""
import copy

import pytest

from timeline import lang
from timeline.errors import DataError
from timeline.temporal import calendar as cal
from timeline.temporal import recipes, tag
from timeline.temporal.examples import examples
from timeline.temporal.lexicon import RESOURCE as WORDS
from timeline.temporal.rules import RESOURCE, load_rules

DCT = "2025-09-12"


def _rules_data() -> dict:
    return copy.deepcopy(lang.resource(RESOURCE).data)


def _load(data: dict):
    return load_rules(lang.Resource(lang.resource(RESOURCE).path, data))


def _entry(data: dict, key: str, name: str) -> dict:
    return next(e for e in data[key] if e["name"] == name)


def test_the_shipped_rules_load_with_their_rejections():
    loaded = _load(_rules_data())
    month = next(r for r in loaded if r.name == "month")
    assert [r.name for r in month.rejections][:2] == ["bare month abbreviation", "month with a position"]


def test_renaming_a_rule_its_rejection_names_is_an_error_naming_the_rejection():
    data = _rules_data()
    _entry(data, "rules", "month")["name"] = "month name"
    with pytest.raises(DataError, match=r"rejection 'bare month abbreviation': no rule 'month'"):
        _load(data)


def test_a_rejection_naming_a_recipe_no_rule_uses_is_an_error():
    data = _rules_data()
    _entry(data, "rejections", "a second time")["recipes"] = ["duration"]
    with pytest.raises(DataError, match=r"rejection 'a second time': no rule uses the recipe 'duration'"):
        _load(data)


@pytest.mark.parametrize("condition, message", [
    ({"has": "yeer"}, r"no group 'yeer' in the rules it applies to"),
    ({"group": "month", "in": "ambiguous_monthz"}, r"no word list 'ambiguous_monthz'"),
    ({"before": "(unclosed"}, r"not a valid regular expression"),
    ({"after": {"pattern": r"\s+\w+", "in": "count_nouns"}}, r"needs a group"),
    ({"has": "year", "lacks": "pos"}, r"expected one of has, lacks"),
    ({"group": "month", "in": "count_nouns", "matches": "x"}, r"give `matches` or a word list, not both"),
])
def test_a_malformed_condition_is_an_error_naming_the_rejection(condition, message):
    data = _rules_data()
    _entry(data, "rejections", "bare month abbreviation")["when"].append(condition)
    with pytest.raises(DataError, match=r"rejection 'bare month abbreviation': when, condition 3: .*" + message):
        _load(data)


def test_a_rejection_without_a_known_action_is_an_error():
    data = _rules_data()
    _entry(data, "rejections", "percentage")["action"] = "drop"
    with pytest.raises(DataError, match=r"rejection 'percentage': action: expected reject or accept"):
        _load(data)


@pytest.mark.parametrize("field, value, message", [
    ("pattern", "{MONTHS} {DAY}", r"rule 'month day year': no macro \{MONTHS\}"),
    ("pattern", "{MONTH} (", r"rule 'month day year': pattern: not a valid regular expression"),
    ("recipe", "calender", r"rule 'month day year': no recipe 'calender'"),
    ("exemples", [], r"rule 'month day year': unknown key 'exemples'"),
])
def test_a_malformed_rule_is_an_error_naming_the_rule(field, value, message):
    data = _rules_data()
    _entry(data, "rules", "month day year")[field] = value
    with pytest.raises(DataError, match=message):
        _load(data)


def test_two_rules_of_one_name_are_an_error():
    data = _rules_data()
    data["rules"].append(copy.deepcopy(_entry(data, "rules", "year")))
    with pytest.raises(DataError, match=r"rule 'year': a second rule of that name"):
        _load(data)


@pytest.mark.parametrize("example, message", [
    ({"text": "He left in June.", "timex": "July", "value": "2025-07"}, r"'July' is not in the text"),
    ({"text": "He left in June.", "timex": "June"}, r"expected text, timex and value, or text and not"),
])
def test_a_malformed_example_is_an_error_naming_its_rule(example, message):
    data = _rules_data()
    _entry(data, "rules", "month")["examples"].append(example)
    res = lang.Resource(lang.resource(RESOURCE).path, data)
    with pytest.raises(DataError, match=r"rule 'month', example \d+: " + message):
        examples(res)


def test_month_and_weekday_names_come_from_the_calendar_table_only():
    words = lang.resource(WORDS).data
    assert "months" not in words and "weekdays" not in words
    assert [(t.text, t.value) for t in tag("Freed on Thursday; held since 4 Sept. 2024.", DCT)] == [
        ("Thursday", "2025-09-11"), ("4 Sept. 2024", "2024-09-04")]


def test_an_error_inside_a_recipe_surfaces_from_tag(monkeypatch):
    def broken(m, ctx):
        raise TypeError("a bug in the weekday recipe")

    monkeypatch.setitem(recipes.RECIPES, "weekday", broken)
    with pytest.raises(TypeError, match="a bug in the weekday recipe"):
        tag("Freed on Thursday.", DCT)


@pytest.mark.parametrize("error", [KeyError("x"), ValueError("x"), OverflowError("x")])
def test_no_other_error_of_a_recipe_is_taken_for_a_non_date(monkeypatch, error):
    def broken(m, ctx):
        raise error

    monkeypatch.setitem(recipes.RECIPES, "calendar", broken)
    with pytest.raises(type(error)):
        tag("He left on 3 June 2025.", DCT)


def test_a_date_beyond_the_calendar_is_no_expression_and_no_error():
    assert [t.text for t in tag("He left last year, and returns next year.", "0001-06-15")] == ["next year"]
    assert [t.text for t in tag("He left last year, and returns next year.", "9999-06-15")] == ["last year"]
    with pytest.raises(cal.OutOfRange):
        cal.year(10000)


def test_a_count_too_large_for_a_number_is_no_duration():
    huge = "1" + "0" * 400
    assert tag(f"It took {huge} years, and {huge} days ago.", DCT) == []
