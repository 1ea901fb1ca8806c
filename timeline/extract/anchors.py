"""Events dated by other events: "a day after Poland shot down drones", "on the eve of joint
exercises", "10 days before the murder"; and events named again ("the bombing")."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Callable

from timeline.extract.records import EventRecord
from timeline.extract.told import Told
from timeline.extract.vocabulary import words


@dataclass(frozen=True)
class Anchored:
    """A date reckoned from another event: sentence[start:end] ("a day after X"), what
    happened (X), the date function (the anchor's date -> the date told), and, when X names
    again an event the article dated ("the murder"), that event."""

    start: int
    end: int
    what: str
    when_of: Callable[[dt.date], dt.date]
    again: tuple[EventRecord, str] | None = None


def anchored_spans(sentence: str, told: Told) -> list[Anchored]:
    """Each event `sentence` dates by another one: "a day after X" puts X a day before the
    event told. `told`: the article's events so far, for anchors that name one again."""
    w = words()
    out = []
    for m in w.anchor.finditer(sentence):
        if m.group("eve"):
            what, days = m.group("what2"), 1
        else:
            rel = (m.group("rel") or m.group("rel2")).lower()
            unit = (m.group("unit") or m.group("next")).lower()
            n = w.anchor_amounts.get((m.group("amount") or "a").lower()) or int(m.group("amount"))
            if unit not in ("day", "week"):
                continue  # months and years after an event are too loose to date it by a day
            what = m.group("what") or m.group("what3")
            days = (-1 if rel == "after" else 1) * n * (7 if unit == "week" else 1)
        what = w.anchor_what_end.split(what)[0].strip()
        out.append(Anchored(m.start(), m.end(), what, lambda anchor, d=days: anchor + dt.timedelta(days=d),
                            reckoned_from(what, told)))
    return out


def named_event(sentence: str, told: Told) -> tuple[EventRecord, str] | None:
    """The earlier dated event a definite noun in `sentence` names again ("the bombing"):
    the latest one whose own sentence tells it with that noun's stem (`Told.named_again`);
    with the noun."""
    w = words()
    m = w.named_event.search(sentence)
    if not m or (w.of_after.match(sentence, m.end(1)) and not m.group("whom")):
        return None  # "the release of nine people" is a new event
    noun = m.group(1)
    r = told.named_again(noun, m.group("whom"))
    return (r, noun) if r is not None else None


def reckoned_from(what: str, told: Told) -> tuple[EventRecord, str] | None:
    """The earlier day-precise event that `what` ("the murder", "his death") names again, if any."""
    if not words().definite.match(what):
        return None
    again = named_event(what, told)
    return again if again is not None and again[0].granularity == "day" else None
