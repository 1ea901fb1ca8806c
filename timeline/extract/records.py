"""The extractor's record of one event: the frame's columns, typed, plus what only the
extractor needs to know (whether it is the dateline's day rather than an event)."""
from __future__ import annotations

import datetime as dt
import hashlib
import math
from dataclasses import dataclass, field, fields
from functools import lru_cache

from timeline.schema import NAMES
from timeline.temporal import Timex
from timeline.temporal.periods import period_of

PLACEABLE = ("day", "week", "month", "quarter", "half", "season", "year", "decade", "century")
"""Granularities an event may be placed at, from the tagger's DATE values."""


@dataclass
class EventRecord:
    """One event an article reports, with the frame's columns (see `timeline.schema`).

    `dateline` marks the day a wire dateline gives ("BRUSSELS, February 10 (Xinhua) --"):
    metadata, never an event of the frame, but the story's day for what the article reports
    without a day of its own. It has no offsets. `basis` and `quoted` are what the row's
    confidence is reckoned from (`timeline.extract.confidence`).
    """

    event_id: str = ""
    date: dt.date | None = None
    end: dt.date | None = None
    granularity: str = ""
    timex: str = ""
    date_text: str = ""
    dated: bool = False
    title: str = ""
    category: str = ""
    actors: list[str] = field(default_factory=list)
    places: list[str] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)
    lat: float = math.nan
    lon: float = math.nan
    place_inferred: bool = False
    sentence: str = ""
    start_char: int | None = None
    end_char: int | None = None
    confidence: float = 0.0
    article_id: str = ""
    source: str = ""
    published: dt.date | None = None
    url: str = ""
    language: str = ""
    sources: list[str] = field(default_factory=list)
    dateline: bool = False
    basis: str = "own"  # how it got its date: own, reckoned, inherited or undated (`confidence.BASES`)
    quoted: bool = False  # a quotation's row, or a day counted in one (`story.doubt_quotations`)
    features: tuple[float, ...] = ()  # what its confidence was reckoned from (`confidence.FEATURES`)
    date_at: int = -1  # where date_text is written in sentence, when the extractor knows (see date_offset)

    def row(self) -> dict:
        """The record as a frame row: a dict of the schema's columns."""
        return {n: getattr(self, n) for n in NAMES}

    def date_offset(self) -> int:
        """Where `date_text` is written in `sentence`: as the extractor found it, else its first
        occurrence (-1: not in the sentence). A sentence of many dates is not searched once a
        row: that cost the square of its length."""
        if self.date_at >= 0:
            return self.date_at
        return self.sentence.find(self.date_text) if self.date_text else -1

    def take_date(self, told: EventRecord, article_id: str) -> None:
        """Date this record as part of the event `told` (see `dating`), at confidence 0.5."""
        self.basis, self.date_at = "inherited", -1
        self.event_id = event_id(article_id, self.sentence, told.timex, "")
        self.date, self.end, self.granularity = told.date, told.end, told.granularity
        self.timex, self.date_text, self.dated, self.confidence = told.timex, told.date_text, True, 0.5


assert [f.name for f in fields(EventRecord)][:len(NAMES)] == list(NAMES), "EventRecord follows the schema"


def event_id(article_id: str, sentence: str, timex: str, date_text: str) -> str:
    """Stable id: the same sentence of the same article with the same date gives the same id
    (the first 12 hex digits of the SHA-1 of the four, the sentence's white space folded)."""
    digest = _sentence_digest(article_id, sentence).copy()
    digest.update("\x1f".join((timex, date_text)).encode("utf-8"))
    return digest.hexdigest()[:12]


@lru_cache(maxsize=8)
def _sentence_digest(article_id: str, sentence: str):
    """The SHA-1 of an event id's first part, read once per sentence however many of its dates
    are events (a sentence of many dates read whole for each cost the square of its length)."""
    return hashlib.sha1(("\x1f".join((article_id, " ".join(sentence.split()))) + "\x1f").encode("utf-8"))


def is_calendar(t: Timex) -> bool:
    """Whether the tagger's expression `t` names a period of the calendar an event can be
    placed at (a day, ..., a century, or a time of day), never a duration or a set."""
    return t.type in ("DATE", "TIME") and t.value[:1].isdigit() and (
        t.granularity in PLACEABLE or t.type == "TIME")


def period(value: str) -> tuple[dt.date, dt.date, str] | None:
    """(first day, last day, granularity) of a tagger DATE or TIME value; a time counts as its day."""
    return period_of(value.split("T")[0])
