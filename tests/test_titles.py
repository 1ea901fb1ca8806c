"""Titles an editor could print: at most 80 characters, cut where a phrase ends rather than
mid-phrase with an ellipsis, asides between commas left out, quotations closed; and
categories that a name's words do not decide."""
from __future__ import annotations

import pytest

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
