"""Dating a sentence that has no date of its own, when the text makes its date clear.

The rules are small named functions, tried in the order of `RULES` (the way datasette
registers its facets): each looks at the story so far and the sentence, and says that the
sentence takes the date of an event told before (`Takes`), that it stays undated
(`UNDATED`), or nothing (None: the next rule decides). Where no rule dates it, a statement
or a plan stays in the frame undated.

- `named_again`: "the bombing", "the killing of Slepian": the date of the event named again;
- `needs_publication_date`: without a publication date, or before any event, nothing more;
- `quotation_goes_on`: a quotation standing on its own goes on with the statement reported
  just before it;
- `plans_stay_undated`: what is said to happen later is no event of the story's day;
- `present_statement`: "officials say" belongs to the publication day when the text tells
  that day in words ("today"), not by reckoning from another event;
- `only_the_simple_past`: a sentence neither reported nor told in the simple past (a plan,
  a modal, a perfect, a habit) stays undated;
- `continues_the_episode`: in the same paragraph as the last event dated by its own words,
  a sentence in the simple past carries on what that sentence told as done ("In 2021,
  Lithuania accused Minsk ... Belarus denied the accusation");
- `story_day_statement`: a statement or reaction reported in the simple past belongs to the
  story's day (`story_day`), in news; a history (`StoryState.narrative`) has no such day.

Statements reported before the text tells any day are dated at the end of the article by
the first day it tells (see `story.py`).
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Callable

from timeline.extract.anchors import named_event
from timeline.extract.records import EventRecord, period
from timeline.extract.told import STORY_WINDOW, Told
from timeline.extract.vocabulary import words
from timeline.temporal import Timex

if TYPE_CHECKING:
    from timeline.extract.story import Sentence, StoryState

_QUOTE_ONLY = re.compile(r"^\s*(?:``|''|[\"\u201c])(?:(?!''|[\"\u201c\u201d]).){8,}(?:''|[\"\u201d])\s*$", re.S)
# What is quoted has its own tenses. An opening mark with no closing one after it is matched
# to the end and kept (`unquoted`): the marks after it cannot close either, and tried one by
# one, each read the rest of the sentence again (a run of them: quadratic).
_QUOTED = re.compile(r"[\u201c\"][^\u201d\"]*+([\u201d\"])?")


@dataclass(frozen=True)
class Takes:
    """The sentence takes the date of `told`; `noun` is the event noun that names it again
    ("bombing"), '' when the sentence is told as part of it."""

    told: EventRecord
    noun: str = ""


UNDATED = "undated"
"""A rule's verdict: the sentence stays without a date (no later rule is tried)."""

Verdict = Takes | str | None


def unquoted(sentence: str) -> str:
    """`sentence` without what it quotes (a quotation has its own tenses)."""
    return _QUOTED.sub(lambda m: "" if m.group(1) else m.group(), sentence)


def paragraphs_between(text: str, start: int, end: int) -> int:
    """Paragraph breaks in text[start:end]: blank lines, or line breaks in a text that has no
    blank line at all (HTML and feeds give one paragraph a line)."""
    return text.count("\n\n", start, end) if "\n\n" in text else text.count("\n", start, end)


def reported(sentence: str) -> bool:
    """A statement or reaction reported in the simple past ("the ministry said it is ...",
    "the minister welcomed the decision"), or a market move of the story's trading day
    ("Intel eased 1/8 to 31 7/8"); "has said" or "will tell" are not."""
    w = words()
    said = list(w.said.finditer(sentence))
    if said and w.perfect_or_modal.search(sentence, max(0, said[0].start() - 20), said[0].start()) \
            and w.and_before.search(sentence[:said[-1].start()]):
        return False  # "Trump has said he plans to meet him, and described him as ...": all perfect
    return any(not w.perfect_or_modal.search(sentence, max(0, m.start() - 20), m.start())
               for m in said) or bool(w.market_move.search(sentence))


def story_day(told: Told, dateline: EventRecord | None, upto: int | None = None) -> EventRecord | None:
    """The event of the story's day: the last of the records told (before the `upto`th) with
    a day of its own in the week before publication, or the `dateline`'s day when that is
    later (a wire story filed on Saturday reports Saturday's reactions to Friday's bombing)
    or when no record is one."""
    r = told.last_story_day(upto)
    if dateline is None or (r is not None and dateline.date <= r.date):
        return r
    return dateline if r is not None or told.is_story_day(dateline) else None


def dateline_day(timexes: list[Timex], meta: list[tuple[int, int]]) -> EventRecord | None:
    """The day a dateline opening the text gives ("BRUSSELS, February 10 (Xinhua) --"), as a
    record marked `dateline`, without offsets; None when there is none."""
    if not meta or meta[0][0] >= 300:
        return None
    start, end = meta[0]
    for t in timexes:
        if t.start >= end:
            break
        found = period(t.value) if start <= t.start else None
        if found is not None and found[2] == "day":
            return EventRecord(date=found[0], end=found[1], granularity="day", timex=t.value, date_text=t.text,
                               confidence=1.0, dateline=True)
    return None


def first_story_day(records: list[EventRecord], published: dt.date) -> EventRecord | None:
    """The first day the story tells in its own words in the week before publication: the
    day of the statements it reports before telling any day."""
    return next((r for r in records if r.granularity == "day" and r.date_text and r.confidence >= 0.6
                 and published - STORY_WINDOW <= r.date <= published), None)


@dataclass
class Context:
    """What the rules read: the story so far and the sentence (its derived facts computed once)."""

    state: StoryState
    sentence: Sentence

    @property
    def last(self) -> EventRecord | None:
        """The last event told, the dateline's day if no other."""
        s = self.state
        return s.records[-1] if s.records else s.dateline

    @cached_property
    def reported(self) -> bool:
        return reported(self.sentence.text)

    @cached_property
    def unquoted(self) -> str:
        return unquoted(self.sentence.text)


def named_again(c: Context) -> Verdict:
    """"the bombing", "the killing of Slepian": the date of the event the article dated and names again."""
    found = named_event(c.sentence.text, c.state.told)
    return Takes(found[0], found[1]) if found is not None else None


def needs_publication_date(c: Context) -> Verdict:
    """Without a publication date, or before any event is told, nothing else is inherited."""
    return UNDATED if c.state.published is None or c.last is None else None


def quotation_goes_on(c: Context) -> Verdict:
    """A quotation standing on its own goes on with the statement reported just before it."""
    # 'McCurry said Thursday. "We're not going to dignify the latest false leak."'
    last = c.last
    if _QUOTE_ONLY.match(c.sentence.text) and not last.dateline and last.date <= c.state.published \
            and reported(last.sentence) and paragraphs_between(c.state.text, last.end_char, c.sentence.start) <= 1:
        return Takes(last)
    return None


def plans_stay_undated(c: Context) -> Verdict:
    """What is said to happen later ("will grant relief") is no event of the story's day."""
    return UNDATED if not c.reported and words().plan.search(c.unquoted) else None


def present_statement(c: Context) -> Verdict:
    """"officials say": the publication day, when the text tells that day in its own words."""
    if c.reported or not words().says_now.search(c.unquoted):
        return None
    s = c.state
    day = s.told.last_publication_day()
    if day is None and s.dateline is not None and s.told.is_publication_day(s.dateline):
        day = s.dateline
    return Takes(day) if day is not None else UNDATED


def only_the_simple_past(c: Context) -> Verdict:
    """Neither reported nor told in the simple past (a plan, a modal, a perfect, a habit): undated."""
    w = words()
    simple_past = w.past_verb.search(c.sentence.text) and not w.not_simple_past.search(c.sentence.text)
    return None if c.reported or simple_past else UNDATED


def continues_the_episode(c: Context) -> Verdict:
    """In the paragraph of the last event dated by its own words, what that sentence told as done."""
    # "ruled Wednesday that he must be returned by Jan. 14. The decision touched off
    # protests": Wednesday, not the deadline
    s, last = c.state, c.last
    if last is s.own_dated and paragraphs_between(s.text, last.end_char, c.sentence.start) == 0:
        # the records of last's sentence are the last ones told
        for r in reversed(s.records):
            if r.start_char != last.start_char:
                break
            if r.date <= s.published:
                return Takes(r)
    return None


def story_day_statement(c: Context) -> Verdict:
    """A statement or reaction reported in the simple past: the story's day (`story_day`),
    except in a history, which has no such day (its statements are of the time it tells)."""
    if not c.reported or c.state.narrative:
        return UNDATED
    day = story_day(c.state.told, c.state.dateline)
    return Takes(day) if day is not None else UNDATED


RULES: tuple[Callable[[Context], Verdict], ...] = (
    named_again, needs_publication_date, quotation_goes_on, plans_stay_undated, present_statement,
    only_the_simple_past, continues_the_episode, story_day_statement,
)
"""The dating rules, in the order they are tried (see the module docstring)."""


def date_of(state: StoryState, sentence: Sentence) -> Takes | None:
    """The date an undated `sentence` takes by the first rule that decides, or None."""
    c = Context(state, sentence)
    for rule in RULES:
        verdict = rule(c)
        if verdict is not None:
            return verdict if isinstance(verdict, Takes) else None
    return None
