"""Titles an editor could print: at most 80 characters, cut where a phrase ends rather than
mid-phrase with an ellipsis, asides between commas left out, quotations closed."""
from __future__ import annotations

import pytest

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
