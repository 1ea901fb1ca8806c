"""The tagger's contract on any input (hypothesis), and what it does with bad input."""
import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from timeline.temporal import tag

DCTS = ["2025-09-12", "2000-02-29", "1998-01-08T10:30", dt.date(2024, 12, 31), dt.date(2027, 1, 1)]
EXTREME_DCTS = [dt.date(1, 1, 1), dt.date(9999, 12, 31)]

# Words and marks the rules look for, so that random texts reach the rules, not only the guards.
DATEISH = [
    "January", "Feb.", "March", "march", "Apr", "May", "may", "June", "July", "Aug.", "Sept.", "Sept",
    "October", "Nov", "Dec.", "Monday", "Thursday", "Fri", "Sunday", "spring", "summer", "fall",
    "winter", "Christmas", "Thanksgiving", "today", "yesterday", "tomorrow", "tonight", "now",
    "recently", "the future", "morning", "night", "noon", "midnight", "a.m.", "p.m.", "GMT", "ago",
    "earlier", "later", "before", "after", "last", "next", "this", "that", "the", "of", "in", "on",
    "from", "to", "since", "every", "each", "once", "a", "an", "some", "several", "more than", "about",
    "nearly", "early", "mid-", "late", "the end of", "first", "third", "half", "quarter", "Q3",
    "year-ago", "fiscal", "century", "21st", "nineteenth", "decade", "decades", "'90s", "1990s",
    "nineties", "year", "years", "month", "months", "week", "weekend", "day", "days", "hours",
    "fortnight", "and a half", "three", "twenty-four", "daily", "weekly", "annually", "2020", "1999",
    "12", "31", "3-5", "10:30", "15:40", "2025-09-12", "12/09/2025", "25.08.2025", "12th", "$",
    "%", "pc", "percent", "people", "+370", "1,300", "-", "\u2013", "/", ".", ",", ":", "'", "\u2019",
    "\u201c", "(", " ", " ", " ", "\n", "\n\n", "\t",
]
NUMBERS = st.integers(min_value=0, max_value=3000).map(str)
TOKEN = st.one_of(st.sampled_from(DATEISH), NUMBERS, st.text(max_size=3))
DATEISH_TEXT = st.lists(TOKEN, max_size=40).map("".join) | st.lists(TOKEN, max_size=40).map(" ".join)
ANY_TEXT = st.text() | DATEISH_TEXT


def assert_contract(text, found):
    assert isinstance(found, list)
    previous_end = 0
    for t in found:
        assert 0 <= t.start < t.end <= len(text), t
        assert text[t.start:t.end] == t.text, t
        assert t.start >= previous_end, f"{t} overlaps or precedes the timex before it"
        previous_end = t.end
        assert t.type in ("DATE", "TIME", "DURATION", "SET"), t
        assert isinstance(t.value, str) and t.value, t


@settings(max_examples=300, deadline=None)
@given(text=ANY_TEXT, dct=st.sampled_from(DCTS))
def test_any_text_gives_in_order_non_overlapping_slices_with_values(text, dct):
    assert_contract(text, tag(text, dct))


@settings(max_examples=300, deadline=None)
@given(text=DATEISH_TEXT, dct=st.sampled_from(DCTS))
def test_date_like_text_gives_in_order_non_overlapping_slices_with_values(text, dct):
    assert_contract(text, tag(text, dct))


@settings(max_examples=300, deadline=None)
@given(text=DATEISH_TEXT, dct=st.sampled_from(EXTREME_DCTS))
def test_the_first_and_last_days_of_the_calendar_are_usable_dcts(text, dct):
    assert_contract(text, tag(text, dct))


@settings(max_examples=300, deadline=None)
@given(prefix=ANY_TEXT, suffix=ANY_TEXT)
def test_text_around_an_iso_date_never_moves_it_off_its_slice(prefix, suffix):
    text = prefix + " 2025-09-12 " + suffix
    assert_contract(text, tag(text, "2025-09-12"))


# --------------------------------------------------------------------------------------------
# Bad input
# --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("text", [None, 123, b"bytes", ["Thursday"]], ids=["None", "an int", "bytes", "a list"])
def test_a_text_that_is_not_a_string_raises_type_error_saying_so(text):
    with pytest.raises(TypeError, match="str"):
        tag(text, "2025-09-12")


@pytest.mark.parametrize("dct", ["not a date", "2025-13-45", "2025-02-30", "yesterday"])
def test_a_dct_that_cannot_be_read_raises_value_error_naming_it(dct):
    with pytest.raises(ValueError) as info:
        tag("Freed on Thursday.", dct)
    assert dct in str(info.value)


@pytest.mark.parametrize("text", ["", " ", "\n\n\t  \r\n"], ids=["empty", "a space", "white space"])
def test_empty_or_blank_text_gives_an_empty_list(text):
    assert tag(text, "2025-09-12") == []
