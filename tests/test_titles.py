"""Titles an editor could print: at most 80 characters, cut where a phrase ends rather than
mid-phrase with an ellipsis, asides between commas left out, quotations closed; and
categories that a name's words do not decide."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from timeline.extract.categorise import categorise
from timeline.extract.titles import TITLE_CHARS, make_title


@pytest.mark.parametrize("sentence, expected", [
    ("The journalist was sentenced to 15 years in a penal colony on charges of inciting hatred and insulting "
     "the president.", "The journalist was sentenced to 15 years in a penal colony"),
    ("Trump had urged Belarusian President Alexander Lukashenko, a close ally of Russian President Vladimir "
     "Putin, to release detainees held for years.",  # no phrase ends in reach: an ellipsis
     "Trump had urged Belarusian President Alexander Lukashenko to release detainees\u2026"),
    ("John Coale, who led the US delegation to Minsk, said in an interview he hoped for the release "
     "of all those prisoners.", "John Coale said in an interview he hoped for the release of all those prisoners"),
    ("Trump plans to meet Lukashenko and described him as a \u201cvery respected man, strong "
     "man, who has done a great job for his country\u201d.",
     "Trump plans to meet Lukashenko and described him as a \u201cvery respected man\u201d"),
    ("Belarus freed 52 prisoners.", "Belarus freed 52 prisoners"),  # short titles stay whole
])
def test_a_long_title_ends_where_a_phrase_ends(sentence, expected):
    title = make_title(sentence, 0, 0, [])  # the sentence's gist
    assert title == expected and len(title.rstrip("\u2026")) <= TITLE_CHARS


def test_a_title_without_a_phrase_end_is_cut_at_the_limit_with_an_ellipsis():
    sentence = " ".join(f"word{i}" for i in range(40)) + "."
    title = make_title(sentence, 0, 0, [])
    assert title.endswith("\u2026") and len(title) <= TITLE_CHARS + 1


@pytest.mark.parametrize("clause, expected", [
    ("The China Electricity Council said power use rose", "statement"),  # not an election
    ("FBI Director Louis Freeh assigned more agents to the search", "other"),  # not a release
    ("Thermo Electron acquired 6% of the company", "other"),
    ("Elections were held in Minsk", "election"),
    ("Belarus freed 52 prisoners", "release"),
    # where a name is the signal, it still counts
    ("She was named co-winner of the Nobel Peace Prize", "award"),
    ("The Supreme Court Justices heard the case", "legal"),
    ("Staff of the US Embassy left Minsk", "diplomacy"),
    ("Polish units started an offensive toward Kyiv", "military"),  # not a protest
])
def test_a_names_words_do_not_decide_a_category_unless_the_name_is_the_signal(clause, expected):
    assert categorise(clause) == expected


ATTRIBUTION_PIECES = (" ", "  ", "\t", "\n", ",", ", ", ".", ";", '"', "\u2019", "'", "-", "the ", "The ", "on ",
                      "Monday", "said", "Said", "says", "told", "reported", "announced", "added", "that ", "he ",
                      "police", "x", "May", "12", "officials ")


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(ATTRIBUTION_PIECES), max_size=30).map("".join) | st.text(max_size=40))
def test_a_text_loses_the_attribution_the_whole_pattern_finds(text):
    # `_unattributed` tries the pattern's clause-ending part only where its end is there
    from timeline.extract.titles import _unattributed
    from timeline.extract.vocabulary import words
    w = words()
    expected = w.attribution.sub("", text) if w.attribution_verbs.search(text) else text
    assert _unattributed(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("Police arrested him, the ministry said.", "Police arrested him"),
    ("Officials said that police arrested him.", "police arrested him."),
    ("He said he would go", "he would go"),
    ("Police arrested him", "Police arrested him"),
])
def test_an_attribution_at_either_end_is_left_out(text, expected):
    from timeline.extract.titles import _unattributed
    assert _unattributed(text) == expected
