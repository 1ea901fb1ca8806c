"""What a story has told so far, indexed for the questions the dating rules ask of it.

The rules ask of every sentence: the story's last day in the week before publication, the
last event of a category told with a day, the last event of the publication day, the last
event an event noun names again ("the bombing"). Reading all the events told so far for each
sentence made a long article cost the square of its length; `Told` keeps one index per
question, brought up to date with the events added since it was last asked.
"""
from __future__ import annotations

import bisect
import datetime as dt

from timeline.extract.records import EventRecord
from timeline.extract.vocabulary import words

STORY_WINDOW = dt.timedelta(days=7)
"""A story's own day is the last day-precise date told, if it lies in this window before
publication."""

NAMED_AGAIN_GRANULARITIES = ("day", "month", "year")
"""An event named again ("the bombing") takes the date of an event told to this precision."""


class Told:
    """The dated events of a story in text order (`records`: the story appends to the list
    as it reads its sentences), with indexes over them. Records are never changed or removed
    once appended (until the story is over)."""

    def __init__(self, records: list[EventRecord], published: dt.date | None) -> None:
        self.records = records
        self.published = published
        self._indexed = 0
        self._story_days: list[int] = []  # told with a day in the week before publication
        self._publication_days: list[int] = []  # told with the publication day itself
        self._last_day_of: dict[str, int] = {}  # category -> its last record with a day
        self._named: dict[str, list[int]] = {}  # event noun -> the records whose sentence tells it
        self._sentence: tuple[str, frozenset[str]] = ("", frozenset())  # the last one read for nouns

    def is_story_day(self, r: EventRecord) -> bool:
        """Whether `r` is told with a day of its own in the week before publication."""
        return (r.granularity == "day" and bool(r.date_text) and self.published is not None
                and self.published - STORY_WINDOW <= r.date <= self.published)

    def is_publication_day(self, r: EventRecord) -> bool:
        """Whether `r` is told with the publication day in its own words (confidence 0.8 or more)."""
        return r.granularity == "day" and bool(r.date_text) and r.date == self.published and r.confidence >= 0.8

    def _update(self) -> None:
        """Index the records appended since the last question."""
        for i in range(self._indexed, len(self.records)):
            r = self.records[i]
            if r.granularity == "day":
                self._last_day_of[r.category] = i
            if self.is_story_day(r):
                self._story_days.append(i)
            if self.is_publication_day(r):
                self._publication_days.append(i)
            if r.granularity in NAMED_AGAIN_GRANULARITIES and r.confidence >= 0.6:
                for noun in self._nouns_told(r.sentence):
                    self._named.setdefault(noun, []).append(i)
        self._indexed = len(self.records)

    def _nouns_told(self, sentence: str) -> frozenset[str]:
        """The event nouns whose stems `sentence` tells the event with (not naming it again
        itself: "searched the site of the shooting" tells no shooting); the records of one
        sentence come together, so the last sentence's answer is kept."""
        if sentence != self._sentence[0]:
            w = words()
            told = w.named_event.sub(" ", sentence)
            self._sentence = (sentence, frozenset(n for n, stem in w.event_nouns.items() if stem.search(told))
                              if w.any_event_noun.search(told) else frozenset())
        return self._sentence[1]

    def last_story_day(self, upto: int | None = None) -> EventRecord | None:
        """The last of `records[:upto]` told with a day of its own in the week before
        publication (`is_story_day`)."""
        self._update()
        i = len(self._story_days) if upto is None else bisect.bisect_left(self._story_days, upto)
        return self.records[self._story_days[i - 1]] if i else None

    def last_publication_day(self) -> EventRecord | None:
        """The last record told with the publication day (`is_publication_day`)."""
        self._update()
        return self.records[self._publication_days[-1]] if self._publication_days else None

    def last_day_of(self, category: str) -> EventRecord | None:
        """The last record of `category` told with a day."""
        self._update()
        i = self._last_day_of.get(category)
        return None if i is None else self.records[i]

    def named_again(self, noun: str, whom: str | None = None) -> EventRecord | None:
        """The last record told to a day, month or year (confidence 0.6 or more) whose
        sentence tells the event `noun` names ("bombing": "bomb"), and names `whom` if given."""
        self._update()
        for i in reversed(self._named.get(noun, ())):
            if not whom or whom in self.records[i].sentence:
                return self.records[i]
        return None
