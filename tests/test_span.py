"""The years a story spans, a lone stray date set apart (timeline.frame.span)."""
from __future__ import annotations

import pandas as pd
import pytest

from timeline.export import default_title
from timeline.frame.span import Span, story_span


def frame(years: list[int], undated: int = 0) -> pd.DataFrame:
    dates = pd.to_datetime([f"{y}-06-01" for y in years] + [None] * undated).astype("datetime64[s]")
    return pd.DataFrame({"date": dates, "end": dates, "dated": [True] * len(years) + [False] * undated})


@pytest.mark.parametrize("years, expected", [
    ([1900, 2010, 2020, 2021, 2022, 2022, 2025, 2025], Span(2010, 2025, (1900,))),  # a stray 1900
    ([2010, 2020, 2021, 2024, 2025, 2025, 2030, 2200], Span(2010, 2030, (2200,))),
    ([1939, 1940, 1941, 1942, 1943, 1944, 1945, 2009], Span(1939, 1945, (2009,))),  # a history's "today"
    ([2010, 2020, 2021, 2022, 2022, 2025, 2025], Span(2010, 2025)),  # background, not a stray date
    ([1900, 2020, 2021], Span(1900, 2021)),  # too few events to call one stray
    ([2020], Span(2020, 2020)),
])
def test_a_lone_stray_year_is_set_apart_from_the_storys_span(years, expected):
    assert story_span(frame(years, undated=2)) == expected


def test_no_dated_event_has_no_span_and_the_header_words_say_what_is_apart():
    assert story_span(frame([], undated=3)) is None
    assert Span(2010, 2025, (1900,)).words() == "2010 to 2025 (and 1900)"
    assert Span(2025, 2025).words() == "2025"
    assert default_title(frame([1900, 2010, 2020, 2021, 2022, 2022, 2025])) == "Chronology, 2010\u20132025"
