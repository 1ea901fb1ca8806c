"""What a reader carries through a text while dating it: sentences, paragraphs, tense, and
the dates told so far.

`Context` is made once per text by the tagger and handed to every recipe; recipes read the
tense around an expression from it and leave in it the last date told (for "the next day"),
the year a paragraph has set ("In 2020 ... In August") and the last quarter named.
"""
from __future__ import annotations

import bisect
import datetime as dt
import re
from dataclasses import dataclass, field

from timeline.read.sentences import split as split_sentences
from timeline.temporal import calendar as cal
from timeline.lang import detect
from timeline.temporal.lexicon import Lexicon, lexicon, per_language, reading
from timeline.temporal.patterns import macros

_PARAGRAPH_END = re.compile(r"\n\s*\n|\n(?=[ \t]+)|\n(?=[A-Z\"\u201c])")

# A month without a year takes the tense of its own clause only; beyond that, the nearer year.
MONTH_TENSE_REACH = (30, 15)

# "Poland will reopen the crossing on its border with Belarus on Monday": a weekday looks
# further back for its tense than a month does.
WEEKDAY_TENSE_REACH = (100, 40)


_YEAR = re.compile(r"(?<![\w.,$\u00a3\u20ac-])(1[0-9]{3}|20[0-9]{2})(?![\w%-]|[.,]\d)")

# Up to three words before an expression that opens its sentence ("In", "But by early").
_OPENER = re.compile(r"\W*(?:\w+\W+){0,3}")

# A date this coarse or finer sets the story's year; a decade or a century does not.
_STORY_GRANULARITIES = frozenset(("day", "week", "month", "quarter", "half", "season", "year"))

# A text tells its own time when it names at least NARRATIVE_MIN_YEARS years, at least
# NARRATIVE_SHARE of them lie NARRATIVE_DISTANCE years or more from its dct, and it has at
# least NARRATIVE_YEARS_PER_CUE such years for each word of the news' own days (a weekday,
# "today", "yesterday": a news story with a long background says "on Friday").
NARRATIVE_MIN_YEARS = 5
NARRATIVE_SHARE = 0.5
NARRATIVE_DISTANCE = 2
NARRATIVE_YEARS_PER_CUE = 5
NEWS_LEAD = 400
"""A text that names a day of the news' own week (a weekday, "today", "yesterday") in this
many first characters, its lead, is news, however many far years its background names."""


@per_language
def _news_day_words() -> re.Pattern:
    lx = lexicon()
    weekdays = sorted({w.capitalize() for w in lx.weekdays if len(w) > 4}, key=len, reverse=True)
    deictic = sorted(lx.deictic_days, key=len, reverse=True)
    # a language that writes its weekdays in lower case has them in any case ("в четверг")
    names = "|".join(map(re.escape, weekdays))
    return re.compile(r"\b(?:" + (names if lx.names_capitalised else f"(?i:{names})") + r"|(?i:"
                      + "|".join(map(re.escape, deictic)) + r"))\b")


@per_language
def _era_year() -> re.Pattern:
    eras = sorted(lexicon().eras, key=len, reverse=True)
    return re.compile(r"\b\d{1,4} ?(?:" + "|".join(map(re.escape, eras)) + r")(?!\w)")


def tells_its_own_time(text: str, dct: dt.date, lang: str | None = None) -> bool:
    """Whether `text` is a narrative (a history) rather than news of its dct: its lead names
    no day of the news' own week (NEWS_LEAD), most of the years it names (a year of an era,
    "480 BC", counts as far) are far from the dct's, and it rarely names such a day (see
    NARRATIVE_*). Four linear scans. The
    days of the week are those of language `lang` (default: the language being read)."""
    if lang is not None:
        with reading(detect.tagger_language(detect.check(lang))):
            return tells_its_own_time(text, dct)
    if _news_day_words().search(text, 0, NEWS_LEAD):  # "reported ... on Thursday": news, whatever its background
        return False
    counts = lexicon().count_nouns
    years = [int(m.group()) for m in _YEAR.finditer(text) if _next_word(text, m.end()) not in counts]
    era_years = len(_era_year().findall(text))
    far = sum(abs(y - dct.year) >= NARRATIVE_DISTANCE for y in years) + era_years
    if len(years) + era_years < NARRATIVE_MIN_YEARS or far < NARRATIVE_SHARE * (len(years) + era_years):
        return False
    return far >= NARRATIVE_YEARS_PER_CUE * len(_news_day_words().findall(text))


_NEXT_WORD = re.compile(r"\s+(\w+)")


def _next_word(text: str, at: int) -> str:
    """The word right after text[at] in lower case ('' when none follows): "1500 asmenų",
    "2020 troops" are counts, not years."""
    m = _NEXT_WORD.match(text, at)
    return m.group(1).lower() if m else ""


_QUOTE_MARK = re.compile("[\u201c\u201d\"]|``|''")
_OPENING_MARKS = ("\u201c", "``")


def quotations(text: str, paragraphs: list[int]) -> tuple[list[int], list[int]]:
    """(starts, ends) of the quoted stretches of `text`: a mark opens and the next closes
    ("...", \u201c...\u201d, ``...''), never across a paragraph (`paragraphs`: where each
    new one starts); a quotation left open ends with its paragraph. One linear scan."""
    starts: list[int] = []
    ends: list[int] = []
    open_at, p = -1, 0
    for m in _QUOTE_MARK.finditer(text):
        while p < len(paragraphs) and paragraphs[p] <= m.start():
            if open_at >= 0:  # the paragraph ended with the quotation open
                starts.append(open_at)
                ends.append(paragraphs[p])
                open_at = -1
            p += 1
        mark = m.group()
        if open_at < 0:
            if mark != "\u201d" and mark != "''":
                open_at = m.start()
        elif mark not in _OPENING_MARKS:
            starts.append(open_at)
            ends.append(m.end())
            open_at = -1
    if open_at >= 0:
        starts.append(open_at)
        ends.append(paragraphs[p] if p < len(paragraphs) else len(text))
    return starts, ends


@dataclass(frozen=True)
class Cues:
    """The lexicon's context patterns, compiled: tense cues anywhere in a clause, words just
    before an expression that settle its tense ("by May", "since the Oct. 23 slaying"), and
    the words before a year that make it the paragraph's year ("In 2020, ...")."""

    future: re.Pattern
    past: re.Pattern
    deadline_before: re.Pattern
    since_before: re.Pattern
    possessive_after: re.Pattern  # "Wednesday's ruling": a day already named, in the past
    year_setter_before: re.Pattern
    range_end_year: re.Pattern  # after a month: "to May 2019", the year in group 'year'
    than_after: re.Pattern  # "earlier than": a comparison, not a date


@per_language
def context_cues() -> Cues:
    lx = lexicon()
    future = re.compile(r"(?<!\w)(?:" + "|".join(lx.tense["future"]) + r")(?!\w)", re.I)
    # a participle after "be" is passive, not past: "could be discussed in December"
    past = re.compile(r"(?<!\w)(?<!\bbe )(?<!\bbeen )(?<!\bbeing )(?:" + "|".join(lx.tense["past"]) + r")(?!\w)",
                      re.I)
    return Cues(future, past, re.compile(lx.deadline_before), re.compile(lx.since_before),
                re.compile(lx.possessive_after), re.compile(lx.year_setter_before), _range_end_year(lx), re.compile(lx.than_after))


def _range_end_year(lx: Lexicon) -> re.Pattern:
    m = macros(lx)
    return re.compile(lx.range_joiner_after + m["MONTH"] + r"(?: " + m["DAY"] + r")?,? " + m["YEAR"])


@dataclass
class Context:
    """A text being tagged, its document creation time, and what has been told so far."""

    text: str
    dct: dt.date
    sentences: list[int]
    paragraphs: list[int]
    cues: Cues
    ref: cal.Period | None = None           # the last date mentioned
    ref_pos: int = -1
    para_year: tuple[int, int] | None = None  # (paragraph index, year) set by an explicit year
    last_quarter: tuple[int, cal.Period] | None = None
    narrative: bool = False  # the text tells its own time (a history), not the dct's
    told_year: tuple[int, int] = (-1, 0)  # (position, year) of the last date written with its year
    quotes: tuple[list[int], list[int]] = ([], [])  # starts and ends of the quotations, in order
    story_ref: cal.Period | None = None     # the last date told outside a quotation
    looked_back_at: int = -1  # where a date reckoned back from the story's time starts ("two years ago")
    story_pos: int = -1  # where story_ref was told
    as_dates: dict = field(default_factory=dict)  # start of a duration: the date piece it reaches (Timex.as_date)
    bc_told: tuple[int, int] = (-1, 0)  # (position, year) of the last year before Christ told ("480 BC")

    @classmethod
    def of(cls, text: str, dct: dt.date, genre: str | None = None) -> Context:
        """A fresh context for `text` written on `dct`; `genre` 'news' or 'narrative' says
        which time the text tells, None judges it from the years the text names."""
        narrative = genre == "narrative" if genre else tells_its_own_time(text, dct)
        paragraphs = [m.end() for m in _PARAGRAPH_END.finditer(text)]
        return cls(text=text, dct=dct, sentences=[start for start, _ in split_sentences(text)][1:],
                   paragraphs=paragraphs, cues=context_cues(), narrative=narrative,
                   quotes=quotations(text, paragraphs))

    def told(self, period: cal.Period, pos: int) -> None:
        """A date told at `pos`: what "the next day" counts from, and, told outside a
        quotation and not reckoned back from the story's time, the story's time (a date
        someone is quoted saying, or "two years ago", does not move it)."""
        self.ref, self.ref_pos = period, pos
        if not self.in_quotation(pos) and pos != self.looked_back_at and not self._ahead_of_story(period, pos):
            self.story_ref, self.story_pos = period, pos

    def bc_year(self) -> int | None:
        """The year before Christ the story is in (told after its last date of our era), or None."""
        at, year = self.bc_told
        return year if at > self.story_pos else None

    def _ahead_of_story(self, period: cal.Period, pos: int) -> bool:
        """A later year a history names as what was to come ("a campaign planned for 1976"),
        not as where it now is."""
        ref = self.story_ref
        return self.narrative and ref is not None and period.granularity == "year" and ref.granularity in ("day", "month") \
            and period.start.year > ref.start.year \
            and self._nearest_cue(pos, pos, max(self.sentence(pos)[0], pos - 60), pos) == "future"

    def in_quotation(self, pos: int) -> bool:
        starts, ends = self.quotes
        i = bisect.bisect_right(starts, pos)
        return i > 0 and pos < ends[i - 1]

    def story_year(self, pos: int) -> int | None:
        """The year the text is telling at `pos` when that is not the dct's: the year of the
        date told last, when it lies in another year than the dct and was told in the same
        paragraph ("In March 2014, Russia annexed Crimea. In April, ...") or anywhere before
        in a narrative text (a history). None where the text tells the dct's time."""
        ref = self.story_ref if self.narrative else self.ref
        if ref is None or ref.granularity not in _STORY_GRANULARITIES or ref.start.year == self.dct.year:
            return None
        if self.narrative:
            return ref.start.year
        told_at, year = self.told_year
        if told_at == self.ref_pos and self.paragraph(told_at) == self.paragraph(pos) \
                and bisect.bisect_right(self.sentences, pos) - bisect.bisect_right(self.sentences, told_at) <= 1 \
                and self.opens_sentence(told_at) and self.opens_sentence(pos):
            # a sentence opening on a date of another year, and the next on a month: "In
            # March 2014, Russia annexed Crimea. In April, fighting began ..."
            return year
        return None

    def story_day(self) -> dt.date | None:
        """In a narrative that has told a date of another year than the dct's, that date's
        first day: what "later in the year", "two days later" or "at 5 a.m." count from."""
        ref = self.story_ref
        if self.narrative and ref is not None and ref.granularity in _STORY_GRANULARITIES \
                and ref.start.year != self.dct.year:
            return ref.start
        return None

    def opens_sentence(self, pos: int) -> bool:
        """Whether at most three words come before `pos` in its sentence ("But in")."""
        return _OPENER.fullmatch(self.text, self.sentence(pos)[0], pos) is not None

    def sentence(self, pos: int) -> tuple[int, int]:
        i = bisect.bisect_right(self.sentences, pos)
        start = self.sentences[i - 1] if i else 0
        end = self.sentences[i] if i < len(self.sentences) else len(self.text)
        return start, end

    def paragraph(self, pos: int) -> int:
        return bisect.bisect_right(self.paragraphs, pos)

    def tense(self, start: int, end: int, reach: tuple[int, int] = (60, 40), opener: bool = True) -> str:
        """'future', 'past' or '' from the cue nearest the expression in its sentence,
        looking at most reach[0] characters back and reach[1] ahead, and not past the end of
        its clause; a month opening the sentence with no cue in its clause takes the tense of
        the clause it opens (`opener` False: that second look)."""
        if self.cues.deadline_before.search(self.text, max(0, start - 40), start):
            return "future"  # "by May", "payable Jan. 2", "expected in December"
        if self.cues.since_before.search(self.text, max(0, start - 40), start):
            return "past"  # "since the Oct. 23 slaying"
        s, e = self.sentence(start)
        s = max(s, start - reach[0])
        e = min(e, end + reach[1])
        # not past the end of the clause: ", the ministry said Friday" tells when it was said
        nxt = [i for i in (self.text.find(c, end, e) for c in ",;:\u2014") if i >= 0] if opener else []
        if nxt:
            e = min(nxt)
        best = self._nearest_cue(start, end, s, e)
        if not best and opener and nxt and start - self.sentence(start)[0] < 25 and reach == MONTH_TENSE_REACH:
            # a scene-setting opener ("In January, American Medical brought in ..."): the
            # clause it opens tells the tense
            return self.tense(start, end, (0, 200), opener=False)
        return best

    def _nearest_cue(self, start: int, end: int, s: int, e: int) -> str:
        """The tense of the cue in text[s:e] nearest the expression at [start, end), or ''."""
        best, dist = "", 10**9
        for label, rx in (("future", self.cues.future), ("past", self.cues.past)):
            for m in rx.finditer(self.text, s, e):
                if start <= m.start() < end:
                    continue
                if label == "past" and self.text[m.start()].isupper() and m.group().endswith("ed"):
                    continue  # a name, not a verb: "the United States", "Ahmed"
                d = start - m.end() if m.end() <= start else (m.start() - end) * 1.5
                if d < dist:
                    best, dist = label, d
        return best
