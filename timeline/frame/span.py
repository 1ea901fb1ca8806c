"""The years a frame's story spans, a lone stray date set apart: what headers and titles say.

One event dated 1900 in a story of 2010-2025 (a date read from a quotation, a typo in the
article) should not make the story "1900 to 2025": `story_span` gives 2010-2025 and the
stray year apart.
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

OUTLIER_GAP_YEARS = 20
"""A lone event this many years or more from the rest, and more than twice as far as the
rest spans, is set apart from the story's span."""

OUTLIER_MIN_REST = 5
"""... only when at least this many dated events make the rest."""

MAX_OUTLIERS = 3
"""At most this many events are set apart at each end."""


@dataclass(frozen=True)
class Span:
    """The first and last year of the dated events, and the years of events set apart."""

    first: int
    last: int
    apart: tuple[int, ...] = ()

    def words(self) -> str:
        """'2010 to 2025', '2025', with ' (and 1900)' for the years set apart."""
        text = f"{self.first} to {self.last}" if self.last != self.first else str(self.first)
        return text + (f" (and {', '.join(map(str, self.apart))})" if self.apart else "")


def story_span(frame: pd.DataFrame) -> Span | None:
    """The years the dated events of `frame` span (first day to last day), a lone event at
    either end set apart when it lies OUTLIER_GAP_YEARS or more from the others and twice
    as far as they span; None when no event is dated."""
    if not len(frame):
        return None
    dated = frame[frame["dated"].astype(bool) & frame["date"].notna()]
    if not len(dated):
        return None
    years = sorted(zip(pd.DatetimeIndex(dated["date"]).year.tolist(),
                       pd.DatetimeIndex(dated["end"].fillna(dated["date"])).year.tolist()))
    lo, hi, apart = 0, len(years), []
    for _ in range(MAX_OUTLIERS):  # the earliest event, alone before the rest
        rest = years[lo + 1:hi]
        if len(rest) < OUTLIER_MIN_REST or not _alone(years[lo][1], rest[0][0], rest):
            break
        apart.append(years[lo][0])
        lo += 1
    for _ in range(MAX_OUTLIERS):  # the latest, alone after the rest
        rest = years[lo:hi - 1]
        if len(rest) < OUTLIER_MIN_REST or not _alone(max(e for _, e in rest), years[hi - 1][0], rest):
            break
        apart.append(years[hi - 1][0])
        hi -= 1
    return Span(years[lo][0], max(e for _, e in years[lo:hi]), tuple(sorted(apart)))


def _alone(before: int, after: int, rest: list[tuple[int, int]]) -> bool:
    """Whether the years `before` and `after` are far enough apart to set one event apart
    from `rest` (the other events' (first, last) years)."""
    gap = after - before
    spans = max(e for _, e in rest) - min(s for s, _ in rest)
    return gap >= OUTLIER_GAP_YEARS and gap > 2 * spans
