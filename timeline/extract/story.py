"""One article into events, sentence by sentence, carrying what a reader carries.

The steps, per sentence (`tell`):

1. its temporal expressions (`timeline.temporal`), keeping calendar dates only: a day, week,
   month, quarter, season, year, decade or century; never a duration or a number that is
   not a date (`own_dates`): one event per distinct date, described by the clause around it
   (title, category, actors), placed by the clause's places;
2. dates anchored on another event ("a day after Poland shot down ...", "on the eve of joint
   military exercises") resolve through the date of the event the sentence tells
   (`anchored_dates`);
3. a statement about days to come is also an event of the story's day (`statement_of_the_day`);
4. a sentence with no date of its own takes one where the text makes it clear (`dating.RULES`),
   else a statement or a plan stays as an undated row (`dated` False).

What the reader carries from one sentence to the next is `StoryState`. Datelines and
publication footers (`Article.metadata_spans`) are metadata, never events. Without a
publication date only absolute dates are placed; relative ones become undated rows that keep
their `date_text`.
"""
from __future__ import annotations

import bisect
import datetime as dt
import itertools
import re
from dataclasses import dataclass, field
from functools import cached_property

from timeline.extract import confidence, places as pl
from timeline.extract.actors import find_actors, is_person, speaker_of
from timeline.extract.anchors import Anchored, anchored_spans
from timeline.categories import OTHER
from timeline.extract.categorise import categorise, categorise_before
from timeline.extract.clauses import clause_bounds
from timeline.extract.dating import date_of, dateline_day, first_story_day, reported, story_day, unquoted
from timeline.extract.placing import home_country, placed
from timeline.extract.quotes import Quotations
from timeline.extract.records import EventRecord, event_id, is_calendar, period
from timeline.extract.titles import make_title
from timeline.extract.told import Told
from timeline.extract.vocabulary import BEFORE_REACH, words
from timeline import lang
from timeline.lang import DEFAULT as DEFAULT_LANGUAGE
from timeline.read import Article, sentences
from timeline.temporal import Timex, tag, tells_its_own_time

MIN_SENTENCE_CHARS = 12
"""Shorter sentences (a byline, "Photo: AP") tell no event."""

_LOWER_WORD = re.compile(r"\b[a-z][a-z'-]+\b")
_QUOTES = frozenset("\"\u201c\u2018'")
_DIGIT = re.compile(r"\d")


@dataclass
class StoryState:
    """What a reader carries from one sentence of an article to the next."""

    article: Article
    text: str
    published: dt.date | None
    timexes: list[Timex]
    unresolved: list[tuple[int, int]]  # spans of relative dates without a publication date
    mentions: list[pl.PlaceMention]
    meta: list[tuple[int, int]]  # dateline and footers: metadata, never events
    common: frozenset[str]  # words the article writes in lower case (no names)
    place_names: set[str]
    home: str  # the article's main country
    dateline: EventRecord | None  # the dateline's day
    narrative: bool = False  # the text tells its own time (a history): no statement is of the story's day
    quotes: Quotations | None = None  # the text's quotations (the speakers' words)
    records: list[EventRecord] = field(default_factory=list)  # dated events, in text order
    undated: list[EventRecord] = field(default_factory=list)
    early: list[EventRecord] = field(default_factory=list)  # statements told before any day
    known_names: dict[str, str] = field(default_factory=dict)  # "Lukashenko" -> his full name
    last_person: str = ""  # surname of the last person named, for a title that starts "He ..."
    narrative_day: dt.date | None = None  # the date of the last day-precise event told
    own_dated: EventRecord | None = None  # the last event dated by its own words (not inherited)
    told: Told = field(init=False)  # `records`, indexed for the dating rules
    _meta_starts: list[int] = field(init=False, repr=False)
    _meta_reach: list[int] = field(init=False, repr=False)  # the farthest end of meta[:i + 1]

    def __post_init__(self) -> None:
        self.told = Told(self.records, self.published)
        self.meta.sort()
        self._meta_starts = [ms for ms, _ in self.meta]
        self._meta_reach = list(itertools.accumulate((me for _, me in self.meta), max))

    def in_meta(self, start: int, end: int) -> bool:
        """Whether [start, end) lies in a dateline or a footer."""
        i = bisect.bisect_right(self._meta_starts, start)
        return i > 0 and self._meta_reach[i - 1] >= end

    def meta_lead(self, start: int, end: int) -> int:
        """How far into the sentence [start, end) a dateline or footer that begins at or
        before its start reaches, short of its end (0 if none)."""
        lead, i = 0, bisect.bisect_right(self._meta_starts, start) - 1
        while i >= 0 and self._meta_reach[i] > start:  # a span at or before i reaches past start
            if start < self.meta[i][1] < end:
                lead = max(lead, self.meta[i][1] - start)
            i -= 1
        return lead


@dataclass
class Sentence:
    """One sentence being read: its offsets, text (and the text titles read, a dateline it
    opens with blanked), its expressions and places, the actors it names."""

    start: int
    end: int
    text: str
    headline: str
    timexes: list[Timex]
    mentions: list[pl.PlaceMention]
    found: list[tuple[str, int]]  # actors with their offsets in the sentence
    base: dict  # the columns every event of the sentence shares
    seen: set[str] = field(default_factory=set)  # values dated here
    first: int = 0  # where this sentence's events start in StoryState.records

    @property
    def actors(self) -> list[str]:
        return [name for name, _ in self.found]

    def named_before(self, at: int) -> int:
        """How many of the sentence's actors are named before offset `at` (they are in text order)."""
        return bisect.bisect_left(self.found, at, key=lambda actor: actor[1])

    @cached_property
    def plan(self) -> bool:
        """Whether the sentence tells a plan ("will meet on Monday"), which may not happen."""
        return bool(words().plan_words.search(self.text))


def extract_events(article: Article) -> list[dict]:
    """Every event `article` reports, as frame rows (dicts of the schema's columns): dated
    events first (in text order), then undated statements and plans."""
    return [r.row() for r in extract(article)]


def extract(article: Article) -> list[EventRecord]:
    """Every event `article` reports, as `EventRecord`s, dated first (see `extract_events`),
    read with the words of its language (`Article.language`; English where that language
    has no word list for a stage: `timeline.lang.in_use`)."""
    with lang.reading(article.language or lang.DEFAULT):
        return _extract(article)


def _extract(article: Article) -> list[EventRecord]:
    state = start(article)
    if state is None:
        return []
    starts = [t.start for t in state.timexes]
    place_starts = [p.start for p in state.mentions]
    lead = None
    for s_start, s_end in sentences.split(state.text):
        if state.in_meta(s_start, s_end) or s_end - s_start < MIN_SENTENCE_CHARS:
            continue
        lead = s_start if lead is None else lead
        tell(state, read_sentence(state, s_start, s_end, starts, place_starts))
    date_early_statements(state)
    doubt_quotations(state)
    rows = state.records + state.undated
    confidence.rate(rows, lead)  # last: the dating rules above weigh how each row was dated
    return rows


QUOTED_SHARE = 0.5
"""A sentence this much inside quotations, or one that starts inside one, is a quotation."""


def doubt_quotations(state: StoryState) -> None:
    """Mark the rows an editor seldom keeps as `quoted`: a quotation's (the speaker's
    words, not an event the text tells) and a day counted in a quotation from the moment of
    speaking ("tonight", "on Friday", "at 8 p.m."), which is the speaker's moment; a date the
    quotation names ("in 1989", "in June") still tells when something happened. On the
    judged development set 6% and 11% of such rows were kept, against 37% of the others.
    A quotation's rows are statements (the speaker's words, whatever words of a category
    they hold), and so is a marked row no category's words tell.
    Done once the article is read: the dating rules, which weigh confidence and categories,
    are unchanged."""
    quotes = state.quotes
    quoted: dict[tuple[int, int], bool] = {}  # per sentence, judged once: linear however many rows
    for r in itertools.chain(state.records, state.undated):
        if r.start_char is None or r.end_char is None:
            continue
        span = (r.start_char, r.end_char)
        if span not in quoted:
            quoted[span] = quotes.holds(r.start_char) or quotes.share(*span) >= QUOTED_SHARE
        at = r.date_offset()
        named = at >= 0 and names_its_date(r.date_text)  # "In 1989 the cod almost disappeared," he said
        if not named and (quoted[span] or (at >= 0 and quotes.holds(r.start_char + at))):
            r.quoted = True
            r.category = "statement" if r.category == OTHER else r.category
        if quoted[span]:  # the speaker's words: a statement, whatever words of a category they hold
            r.category = "statement"


_YEAR = re.compile(r"\d{4}")
_LETTERS = re.compile(r"[^\W\d_]+")


def names_its_date(date_text: str) -> bool:
    """Whether a date expression names its date (a year, a month: "in 1989", "in June"), as
    against one counted from the moment of speaking ("tonight", "on Friday", "this week")."""
    return bool(_YEAR.search(date_text)) or any(w.casefold() in words().month_words
                                                for w in _LETTERS.findall(date_text))


def start(article: Article) -> StoryState | None:
    """The state before the first sentence: the article's expressions, places and dateline."""
    text = article.text
    if not text.strip():
        return None
    published = article.published
    # whether the text is a history, judged once: the tagger is told, not asked to judge again
    language = article.language or DEFAULT_LANGUAGE
    narrative = published is not None and tells_its_own_time(text, published, language)
    genre = "narrative" if narrative else "news"
    timexes, unresolved = (_dates(text, published, genre, language), set()) if published \
        else _absolute(text, language)
    mentions = pl.find_places(text)
    meta = list(article.metadata_spans)
    return StoryState(
        article=article, text=text, published=published, timexes=timexes, unresolved=sorted(unresolved),
        mentions=mentions, meta=meta, common=frozenset(_LOWER_WORD.findall(text)),
        place_names={p.text for p in mentions} | {p.name for p in mentions}, home=home_country(mentions),
        dateline=dateline_day(timexes, meta),
        narrative=narrative, quotes=Quotations(text),
    )


def _dates(text: str, dct, genre: str | None = None, language: str = DEFAULT_LANGUAGE) -> list[Timex]:
    """The tagger's expressions (`genre` and `language` as `tag` takes them), an amount
    counted from another date ("three days later") read as the date it reaches
    (`Timex.as_date`): that is when its event happened."""
    return [t.as_date or t for t in tag(text, dct, genre, language)]


def _absolute(text: str, language: str = DEFAULT_LANGUAGE) -> tuple[list[Timex], set[tuple[int, int]]]:
    """For a text without a publication date: the expressions whose value does not depend
    on it (tagged against two far-apart dates, the same both times), and the spans of
    those that do (left unresolved)."""
    late = _dates(text, "2100-06-15", language=language)
    later = {(t.start, t.end, t.value) for t in late}
    absolute = [t for t in _dates(text, "1900-06-15", language=language) if (t.start, t.end, t.value) in later]
    return absolute, {(t.start, t.end) for t in late} - {(t.start, t.end) for t in absolute}


def read_sentence(state: StoryState, s_start: int, s_end: int, starts: list[int],
                  place_starts: list[int]) -> Sentence:
    """The sentence at [s_start, s_end): its expressions and places (found by bisection in
    the article's, which are in text order), actors and shared columns."""
    text = state.text[s_start:s_end]
    lo, hi = bisect.bisect_left(starts, s_start), bisect.bisect_left(starts, s_end)
    timexes = [t for t in state.timexes[lo:hi] if not state.in_meta(t.start, t.end)]
    lo, hi = bisect.bisect_left(place_starts, s_start), bisect.bisect_left(place_starts, s_end)
    mentions = state.mentions[lo:hi]
    if not any(p.kind == "crossing" for p in mentions):
        border = pl.border_place(text, {p.country for p in mentions if p.country})
        if border is not None:
            mentions = mentions + [border]
    # Titles leave out a dateline the sentence starts with ("VILNIUS, Nov 4 (Reuters) -"),
    # blanked so that offsets into the sentence still hold.
    lead = state.meta_lead(s_start, s_end)
    headline = " " * lead + text[lead:]
    found = find_actors(headline, state.place_names, state.known_names, state.common)
    a = state.article
    base = dict(**placed(mentions, s_start, s_end, state.home), sentence=text, start_char=s_start, end_char=s_end,
                article_id=a.article_id, source=a.source, published=state.published, url=a.url,
                language=a.language, sources=[a.source or a.article_id])
    return Sentence(s_start, s_end, text, headline, timexes, mentions, found, base, first=len(state.records))


def _record(s: Sentence, **columns) -> EventRecord:
    """A record of sentence `s`: its shared columns, `columns` over them."""
    return EventRecord(**{**s.base, **columns})


def tell(state: StoryState, s: Sentence) -> None:
    """Read sentence `s` into `state`: its events, dated or not (see the module docstring)."""
    # "the day after his death": reckoned from an event the article dated, not the tagger's "the day"
    anchored = anchored_spans(s.text, state.told)
    reckoned = [(s.start + a.start, s.start + a.end) for a in anchored if a.again is not None]
    own_dates(state, s, reckoned)
    anchored_dates(state, s, anchored)
    statement_of_the_day(state, s)
    # a person's name, not the title of a book or a programme written in quotation marks
    persons = [name for name, at in s.found if is_person(name) and s.text[max(0, at - 1):at] not in _QUOTES]
    if persons:
        state.last_person = persons[-1].split()[-1]
    if not s.seen:
        undated_sentence(state, s)


def own_dates(state: StoryState, s: Sentence, reckoned: list[tuple[int, int]]) -> None:
    """One event per distinct calendar date the sentence's own expressions give; two that are
    the ends of a period ("from 2014 to 2016") give one event spanning it."""
    baseline = words().baseline
    ends = period_ends(state.text, s.timexes)
    listed = coordinated(state.text, s.timexes)
    for t in s.timexes:
        if not is_calendar(t) or baseline.search(state.text, max(0, t.start - 40), t.start):
            continue
        i = bisect.bisect_right(reckoned, (t.start, len(state.text)))  # the spans are in text order
        if i and t.start < reckoned[i - 1][1]:
            continue
        value = t.value.split("T")[0] if t.type == "TIME" else t.value
        found = period(t.value) if value not in s.seen else None
        if found is None:
            continue
        s.seen.add(value)
        last = ends.get(t.start)
        if last is not None:  # the period's end is no event of its own
            s.seen.add(last.value)
            found = (found[0], period(last.value)[1], found[2])
            t = Timex(t.start, last.end, state.text[t.start:last.end], t.type, t.value, t.granularity, t.mod)
        state.records.append(_own_date_event(state, s, t, value, found, listed.get(t.start)))
        state.own_dated = state.records[-1]
        if found[2] == "day":
            state.narrative_day = found[0]


def period_ends(text: str, timexes: list[Timex]) -> dict[int, Timex]:
    """{start of a date: the date that ends the period it opens}, for each two calendar dates
    in a row joined as a period ("2014-2016", "from March to May 2019", "between 2015 and
    2018") whose second ends after the first."""
    w = words()
    out = {}
    for first, second in itertools.pairwise(timexes):
        if not (is_calendar(first) and is_calendar(second)) or second.start - first.end > 12:
            continue
        between = text[first.end:second.start]
        a, b = period(first.value), period(second.value)
        if a is None or b is None or b[1] <= a[1]:
            continue
        joined = w.period_joiner.fullmatch(between) or (w.period_and.fullmatch(between) and (
            w.period_opener.search(text, max(0, first.start - 20), first.start)  # "between 2015 and 2018"
            or (b[0] - a[1]).days == 1))  # "in 1919 and 1920", "in late 1919 and early 1920": one stretch
        if joined:
            out[first.start] = second
    return out


def coordinated(text: str, timexes: list[Timex]) -> dict[int, tuple[int, int]]:
    """{start of a date: (start, end) of the list of dates it belongs to}, for dates of one
    clause joined as a list ("in 2015 and 2018"): a title leaves the whole list out."""
    w = words()
    groups: list[list[Timex]] = []
    for t in timexes:
        last = groups[-1][-1] if groups else None
        if last is not None and t.start - last.end <= 20 and w.date_coordination.fullmatch(text, last.end, t.start):
            groups[-1].append(t)
        else:
            groups.append([t])
    return {t.start: (group[0].start, group[-1].end) for group in groups if len(group) > 1 for t in group}


def _own_date_event(state: StoryState, s: Sentence, t: Timex, value: str,
                    found: tuple[dt.date, dt.date, str], listed: tuple[int, int] | None = None) -> EventRecord:
    """The event of date `t` of sentence `s`; `listed`: the span of the list of dates `t` is
    one of ("in 2015 and 2018"), which its clause and title take as one date."""
    list_start, list_end = listed or (t.start, t.end)
    rel_start, rel_end = list_start - s.start, list_end - s.start
    left, right = clause_bounds(s.text, rel_start, rel_end)
    clause = s.text[left:right]
    actors = [name for name, _ in s.found[s.named_before(left):s.named_before(right)]]
    if not actors:  # who said it, else the name the clause hangs on: the nearest before it
        actors = _speaker_or_subject(s, left, rel_start)
    if not actors and state.last_person and words().person_pronoun.search(clause):
        actors = [state.known_names.get(state.last_person, state.last_person)]
    confidence = 0.9 if _DIGIT.search(t.text) else 0.8
    if s.plan:
        confidence -= 0.1  # a plan may not happen
    start, end, gran = found
    return _record(
        s, **placed(s.mentions, s.start + left, s.start + right, state.home),
        event_id=event_id(state.article.article_id, s.text, value, t.text),
        date=start, end=end, granularity=gran, timex=value, date_text=t.text, dated=True, date_at=t.start - s.start,
        title=make_title(s.headline, rel_start, rel_end, s.found, state.last_person),
        category=_own_category(s.text, clause, left, rel_start, rel_end), actors=actors,
        confidence=round(confidence, 2),
    )


def _own_category(sentence: str, clause: str, left: int, start: int, end: int) -> str:
    """The category of the date sentence[start:end] in its clause (from `left`): a statement
    only when the date is the saying's ("said on Monday", "On Friday the ministry said");
    or a plan told before it ("said it would give an assessment on Tuesday"); a date inside what was
    said ("said the council had paid the arrears last month") takes the category of what the
    speaker told of, else other."""
    found = categorise(clause, sentence, at=start - left)
    if found != "statement":
        return found
    w = words()
    if w.saying_before.search(sentence, max(0, start - BEFORE_REACH), start) \
            or w.saying_after.match(sentence[end:end + BEFORE_REACH * 2]) \
            or w.plan_words.search(sentence, left, start):
        return found  # the saying's date, or a plan told (the speaker's word is all there is of it)
    return categorise(clause, sentence, at=start - left, skip="statement")


def _speaker_or_subject(s: Sentence, left: int, date_at: int) -> list[str]:
    before = s.named_before(left)
    return speaker_of(s.text, left, date_at, s.found) or ([s.found[before - 1][0]] if before else []) \
        or s.actors[:1]


def anchored_dates(state: StoryState, s: Sentence, anchored: list[Anchored]) -> None:
    """Events dated through another event: "10 days before the murder" (the murder dated
    before), "released a day after X" (the last day-precise event of the category the
    sentence tells, else the story's last day)."""
    for a in anchored:
        record = _reckoned_event(state, s, a) if a.again is not None else _anchored_event(state, s, a)
        if record is not None:
            s.seen.add(record.timex)
            state.records.append(record)
            state.own_dated = record


def _reckoned_event(state: StoryState, s: Sentence, a: Anchored) -> EventRecord | None:
    # the reverse of "a day after X": the event told is reckoned from the one named again
    anchor = a.again[0].date
    when = anchor - (a.when_of(anchor) - anchor)
    if when.isoformat() in s.seen:
        return None
    return _record(s, event_id=event_id(state.article.article_id, s.text, when.isoformat(), s.text[a.start:a.end]),
                   date=when, end=when, granularity="day", timex=when.isoformat(),
                   date_text=s.text[a.start:a.end], dated=True, date_at=a.start,
                   title=make_title(s.headline, a.start, a.end, s.found, state.last_person),
                   category=categorise_before(s.text, a.start) if a.start else categorise(s.text),
                   actors=s.actors, confidence=0.6, basis="reckoned")


def _anchored_event(state: StoryState, s: Sentence, a: Anchored) -> EventRecord | None:
    w = words()
    told = categorise_before(s.text, a.start) if a.start > 0 else "other"
    last_of_kind = state.told.last_day_of(told)
    anchor_day = (last_of_kind.date if last_of_kind else None) or state.narrative_day or state.published
    if anchor_day is None:
        return None
    when = a.when_of(anchor_day)
    if when.isoformat() in s.seen:
        return None
    title = w.what_was_said.sub("", a.what.strip())
    what_at = s.text.find(a.what, a.start)
    return _record(
        s, **placed(s.mentions, s.start + what_at, s.start + what_at + len(a.what), state.home),
        event_id=event_id(state.article.article_id, s.text, when.isoformat(), s.text[a.start:a.end]),
        date=when, end=when, granularity="day", timex=when.isoformat(),
        date_text=w.anchor_relation.split(s.text[a.start:a.end])[0], dated=True, date_at=a.start,
        title=title[:1].upper() + title[1:], category=categorise(a.what, s.text),
        actors=[name for name in s.actors if name.split()[-1] in a.what], confidence=0.6, basis="reckoned",
    )


def statement_of_the_day(state: StoryState, s: Sentence) -> None:
    """"The agency decided the boy should go home by Jan. 14, the commissioner told
    reporters": a statement about days to come, made on the story's day, is an event of that
    day besides the deadline."""
    if not s.seen or state.published is None or not reported(unquoted(s.text)):
        return
    if not all(r.date > state.published for r in state.records[s.first:]):
        return
    told = story_day(state.told, state.dateline, upto=s.first)
    if told is not None and told.timex not in s.seen:
        s.seen.add(told.timex)
        record = _record(s, title=_gist(state, s), category="statement", actors=s.actors)
        record.take_date(told, state.article.article_id)
        state.records.append(record)


def undated_sentence(state: StoryState, s: Sentence) -> None:
    """A sentence without a date of its own: dated by the first dating rule that decides,
    else kept as an undated row when it reports a statement or a plan, or holds a relative
    date the article's missing publication date leaves unresolved."""
    lo = bisect.bisect_left(state.unresolved, (s.start,))
    hi = bisect.bisect_left(state.unresolved, (s.end,))
    unresolved = [state.text[a:b] for a, b in state.unresolved[lo:hi]]
    takes = date_of(state, s) if not unresolved else None
    if takes is not None and takes.noun:  # "the bombing": the event named again
        told = takes.told
        state.records.append(_record(
            s, event_id=event_id(state.article.article_id, s.text, told.timex, takes.noun),
            date=told.date, end=told.end, granularity=told.granularity, timex=told.timex,
            date_text=told.date_text, dated=True, title=_gist(state, s), category=told.category,
            actors=s.actors, confidence=0.5, basis="inherited"))
    elif takes is not None:  # told as part of a dated event: it takes that event's date
        record = _record(s, title=_gist(state, s), category=categorise(s.text), actors=s.actors)
        record.take_date(takes.told, state.article.article_id)
        state.records.append(record)
    elif words().reporting.search(s.text) or unresolved:
        state.undated.append(_record(
            s, event_id=event_id(state.article.article_id, s.text, "", ""), date_text=unresolved[0] if unresolved else "",
            title=_gist(state, s), category=categorise(s.text), actors=s.actors, confidence=0.4, basis="undated"))
        if state.published is not None and not unresolved and reported(s.text) \
                and story_day(state.told, state.dateline) is None:
            state.early.append(state.undated[-1])


def _gist(state: StoryState, s: Sentence) -> str:
    """The title of an event the whole sentence tells (not the clause of a date)."""
    return make_title(s.headline, 0, 0, s.found, state.last_person)


def date_early_statements(state: StoryState) -> None:
    """Statements reported before the text tells any day ("..., the communist leadership
    warned." above "... on Wednesday"): the story's day is the first one it tells."""
    first = first_story_day(state.records, state.published) if state.early else None
    if first is None:
        return
    for row in state.early:
        row.take_date(first, state.article.article_id)
    state.undated = [r for r in state.undated if not r.dated]
    state.records = sorted(state.records + state.early, key=lambda r: r.start_char)
