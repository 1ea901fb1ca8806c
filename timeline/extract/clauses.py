"""Clauses: where a sentence's clause breaks are, and the clause around a position.

The breaks (`clause_break` in events.yaml: a comma, a semicolon, a dash, "and" before a new
clause, ...) are found once per sentence; the clause around each of its dates is read from
them near the date. Looking for the breaks from the sentence's start for each date, a
sentence of many dates cost the square of its length.
"""
from __future__ import annotations

import bisect
from functools import lru_cache

from timeline.extract.vocabulary import words

CLAUSE_REACH = 600
"""A clause reaches at most this many characters before and after its date (a title is a
few words of it; no clause of the development corpora comes near): beyond, it is cut, so
that a sentence of thousands of dates without a break costs no more than its length."""

SETTLED = 64
"""Clause breaks that end this far before a position are the breaks of the text up to it:
the break pattern looks less far than this past what it matches, besides white space runs,
which it takes whole (`_last_break_end`)."""


@lru_cache(maxsize=8)
def breaks(sentence: str) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """(starts, ends) of the clause breaks of `sentence`, in order, as `finditer` reads them."""
    spans = [m.span() for m in words().clause_break.finditer(sentence)]
    return tuple(s for s, _ in spans), tuple(e for _, e in spans)


def last_break_end(sentence: str, at: int) -> int:
    """Where the last clause break of sentence[:at] ends (0 when there is none): the end of
    the last match of `clause_break.finditer(sentence, 0, at)`, read near `at` only.

    The breaks of the whole sentence that end `SETTLED` characters before `at` are breaks of
    sentence[:at] too, found alike; from the last of them the text up to `at` is read again,
    from where a break could begin that the end of sentence[:at] changes: `SETTLED`
    characters before `at`, or the start of the white space run or of the break there.
    """
    starts, ends = breaks(sentence)
    i = bisect.bisect_right(ends, at - SETTLED)
    settled = ends[i - 1] if i else 0
    start = max(settled, at - SETTLED)
    while start > settled and sentence[start - 1].isspace():
        start -= 1
    if i < len(starts):
        start = min(start, starts[i])
    last = settled
    for m in words().clause_break.finditer(sentence, start, at):
        last = m.end()
    return last


def first_break_start(sentence: str, at: int) -> int | None:
    """Where the first clause break at or after `at` starts (None when there is none): the
    start of `clause_break.search(sentence, at)`, read from the breaks found once."""
    starts, ends = breaks(sentence)
    i = bisect.bisect_left(starts, at)
    if i and ends[i - 1] > at:  # `at` is inside a break: a break may also start within it
        pattern = words().clause_break
        for inside in range(at, ends[i - 1]):
            if pattern.match(sentence, inside):
                return inside
    return starts[i] if i < len(starts) else None


def clause_bounds(sentence: str, start: int, end: int) -> tuple[int, int]:
    """The clause of `sentence` around [start, end): between the nearest clause breaks,
    at most `CLAUSE_REACH` characters either side."""
    right = first_break_start(sentence, end)
    right = len(sentence) if right is None else right
    return max(last_break_end(sentence, start), start - CLAUSE_REACH), min(right, end + CLAUSE_REACH)
