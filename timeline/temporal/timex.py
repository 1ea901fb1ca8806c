"""The tagger's output record: one TIMEX3 temporal expression found in a text."""
from __future__ import annotations

from dataclasses import dataclass, field, fields

TYPES = ("DATE", "TIME", "DURATION", "SET")


@dataclass(frozen=True)
class Timex:
    """A temporal expression and its normalised TIMEX3 value.

    `start`/`end` are character offsets into the tagged text (end exclusive) and
    `text == source[start:end]`. `value` follows TIMEX3: 2025-09-11, 2025-08, 2010,
    2025-W37, 199X, 2025-SU, 2025-Q3, P15Y, PT3H, PRESENT_REF, ... `granularity` is
    day, week, month, quarter, half, season, year, decade, century, time, or '' for
    durations, sets and references. `mod` is a TIMEX3 mod (APPROX, MORE_THAN, START, ...)
    or ''. `as_date`: for an amount of time news counts from another date ("three days
    later", a DURATION of "three days" in TimeML), the same words read as the date they
    reach, for the events; None otherwise, and never part of the TIMEX3 output (`to_dict`).
    """

    start: int
    end: int
    text: str
    type: str
    value: str
    granularity: str = ""
    mod: str = ""
    as_date: Timex | None = field(default=None, compare=False, repr=False)

    def to_dict(self) -> dict:
        return {f.name: getattr(self, f.name) for f in fields(self) if f.name != "as_date"}
