"""The tagger's output record: one TIMEX3 temporal expression found in a text."""
from __future__ import annotations

from dataclasses import asdict, dataclass

TYPES = ("DATE", "TIME", "DURATION", "SET")


@dataclass(frozen=True)
class Timex:
    """A temporal expression and its normalised TIMEX3 value.

    `start`/`end` are character offsets into the tagged text (end exclusive) and
    `text == source[start:end]`. `value` follows TIMEX3: 2025-09-11, 2025-08, 2010,
    2025-W37, 199X, 2025-SU, 2025-Q3, P15Y, PT3H, PRESENT_REF, ... `granularity` is
    day, week, month, quarter, half, season, year, decade, century, time, or '' for
    durations, sets and references. `mod` is a TIMEX3 mod (APPROX, MORE_THAN, START, ...)
    or ''.
    """

    start: int
    end: int
    text: str
    type: str
    value: str
    granularity: str = ""
    mod: str = ""

    def to_dict(self) -> dict:
        return asdict(self)
