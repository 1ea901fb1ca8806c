"""The temporal tagger: applies the rules (`rules.py`) and recipes (`recipes.py`) to a text.

Two passes. The first finds every span any rule matches and keeps the longest
non-overlapping ones (ties go to the earlier rule), after the rejections (`rejections.py`)
drop readings a careful reader would not make ("may" the verb, "2020 people"). The second
walks the kept spans in text order and turns each into a TIMEX3 value with its rule's
recipe, carrying the state a reader carries (`context.py`): the document creation time
(dct), the year a paragraph has set ("In 2020 ... In August"), and the last date mentioned
("the next day").
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import re
from typing import Iterable

from timeline.lang import detect
from timeline.temporal import calendar as cal
from timeline.temporal import scanning
from timeline.temporal.context import Context
from timeline.temporal.lexicon import WORD, lexicon, norm, per_language, reading
from timeline.temporal.patterns import alt
from timeline.temporal.recipes import RECIPES
from timeline.temporal.rejections import plausible
from timeline.temporal.rules import Rule, rules
from timeline.temporal.timex import Timex

Candidate = tuple[int, int, Rule, re.Match]  # start, end, the rule, its match


def parse_dct(dct) -> dt.date:
    """A date, a datetime or an ISO string ('2025-09-12', '1998-01-08T10:30') -> a date.

    Raises ValueError naming the value when it cannot be read as a date.
    """
    if isinstance(dct, dt.datetime):
        return dct.date()
    if isinstance(dct, dt.date):
        return dct
    if isinstance(dct, str):
        s = dct.strip()
        m = re.match(r"(\d{4})-?(\d{2})-?(\d{2})(?:$|[T ])", s)
        if m:
            try:
                return dt.date(int(m[1]), int(m[2]), int(m[3]))
            except ValueError:
                pass
    raise ValueError(f"cannot read the document creation time {dct!r} as a date (expected YYYY-MM-DD)")


_DAY_OF_TIME = re.compile(r"\d{4}-\d\d-\d\dT")


# A rule reads only the stretches of a text that hold one of the words it needs: the text is
# cut into windows of about WINDOW characters at white space, and a rule scans the windows
# holding its words, each widened by MARGIN characters on both sides (an expression is far
# shorter), the widened windows that touch read as one.
WINDOW = 1000
MARGIN = 300


def _windows(text: str) -> list[tuple[int, int, frozenset[str]]]:
    """(start, end, lower-case words) of each window of `text` (see WINDOW)."""
    out, start = [], 0
    while start < len(text):
        end = min(len(text), start + WINDOW)
        if end < len(text):
            space = text.find(" ", end, end + WINDOW)
            end = space if space >= 0 else min(len(text), end + WINDOW)
        out.append((start, end, frozenset(WORD.findall(text[start:end].lower()))))
        start = end
    return out


def _stretches(needs: frozenset[str], windows: list, length: int) -> list[tuple[int, int]]:
    """The stretches of the text a rule needing `needs` reads (see WINDOW)."""
    out: list[list[int]] = []
    for start, end, words in windows:
        if needs and needs.isdisjoint(words):
            continue
        start, end = max(0, start - MARGIN), min(length, end + MARGIN)
        if out and start <= out[-1][1]:
            out[-1][1] = end
        else:
            out.append([start, end])
    return [(a, b) for a, b in out]


def select(text: str) -> list[Candidate]:
    """The first pass: every rule match no rejection drops, keeping the longest
    non-overlapping ones (ties: the earlier rule), in text order."""
    found = []
    windows = _windows(text)
    present = frozenset().union(*(words for _, _, words in windows))
    for rule in rules():
        if rule.needs and rule.needs.isdisjoint(present):
            continue
        for start, end in _stretches(rule.needs, windows, len(text)) if rule.needs else [(0, len(text))]:
            for m in scanning.matches(rule.regex, rule.finder, text, start, end):
                if m.end() > m.start() and plausible(rule, m, text):
                    found.append((m.start(), m.end(), rule, m))
    found.sort(key=lambda c: (c[0] - c[1], c[2].index, c[0]))
    # the characters the kept matches cover: a match overlapping one is not kept (a sorted
    # list of the kept spans, inserted into, cost the square of their number)
    covered = bytearray(len(text))
    kept = []
    for start, end, rule, m in found:
        if covered.find(1, start, end) >= 0:
            continue
        covered[start:end] = b"\x01" * (end - start)
        kept.append((start, end, rule, m))
    kept.sort(key=lambda c: c[0])
    return kept


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    """Drop white space and trailing punctuation the patterns may have taken in."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in ",;:"):
        end -= 1
    return start, end


@per_language
def _outside_mod_re() -> re.Pattern:
    return re.compile(r"\b(" + alt(lexicon().outside_mods) + r")\s+$", re.I)


def _outside_mod(text: str, start: int) -> str:
    """The mod a word just before the expression sets ("about five hours": APPROX), or ''."""
    m = _outside_mod_re().search(text, max(0, start - 16), start)
    return lexicon().outside_mods[norm(m.group(1))] if m else ""


GENRES = ("news", "narrative")


def tag(text: str, dct, genre: str | None = None, lang: str | None = None) -> list[Timex]:
    """Every temporal expression in `text`, normalised against `dct`.

    `dct` (document creation time, usually the publication date) is a date, a datetime
    or an ISO string. A month or day written without a year takes the year the text is
    telling: the dct's in news, the year of the date told last in a narrative (a history),
    and in news the year of a sentence that opens on a date of another year for the month
    opening the next ("In March 2014, ... In April, ..."). `genre` ('news' or 'narrative')
    says which the text is; None judges it from the years the text names. `lang` (an ISO
    639-1 code, see `timeline.lang.detect.READ`) says which language the text is in; None
    detects it. A language without rules of its own is read with the English ones.
    Returns Timex records in text order, offsets into `text`. Raises TypeError when `text`
    is not a string and ValueError when `dct` cannot be read or `genre` or `lang` is not one
    the tagger knows.
    """
    if not isinstance(text, str):
        raise TypeError(f"text must be a str, not {type(text).__name__}")
    day = parse_dct(dct)
    if genre is not None and genre not in GENRES:
        raise ValueError(f"genre {genre!r} is not one of {', '.join(GENRES)}")
    code = detect.check(lang) if lang is not None else None
    if not text.strip():
        return []
    code = code or detect.detect(text)
    with reading(detect.tagger_language(code)):
        found = _tag(text, day, genre)
    return _with_passages(text, found, day, genre, code)


def _with_passages(text: str, found: list[Timex], day: dt.date, genre: str | None,
                   code: str | None) -> list[Timex]:
    """`found` (the text read in language `code`) with each passage in the other script
    (`detect.passages`: a Russian quotation in an English story) read in its own language:
    its expressions replace those of `found` they overlap; in text order."""
    passages = detect.passages(text, code)
    if not passages:
        return found
    own: list[Timex] = []
    for start, end, language in passages:
        with reading(detect.tagger_language(language)):
            own += [_shifted(t, start) for t in _tag(text[start:end], day, genre)]
    if not own:
        return found
    taken = bytearray(len(text))
    for t in own:
        taken[t.start:t.end] = b"\x01" * (t.end - t.start)
    kept = [t for t in found if taken.find(1, t.start, t.end) < 0]
    return sorted(kept + own, key=lambda t: t.start)


def _shifted(t: Timex, by: int) -> Timex:
    """`t` (found in a passage starting at `by`) with offsets into the whole text."""
    as_date = _shifted(t.as_date, by) if t.as_date is not None else None
    return dataclasses.replace(t, start=t.start + by, end=t.end + by, as_date=as_date)


def _tag(text: str, day: dt.date, genre: str | None) -> list[Timex]:
    """tag() in the language being read (`lexicon.LANGUAGE`)."""
    ctx = Context.of(text, day, genre)
    out: list[Timex] = []
    for _start, _end, rule, m in select(text):
        try:
            pieces = RECIPES[rule.recipe](m, ctx)
        except cal.OutOfRange:
            continue  # a date before year 1 or after 9999: only a dct at the calendar's edge leads there
        told = False  # of a range ("1975-1976", "June 3-5"), the first end is the date told
        for start, end, kind, value, gran, mod in pieces:
            start, end = _strip(text, start, end)
            if start >= end:
                continue
            if not mod and kind in ("DURATION", "DATE"):
                mod = _outside_mod(text, start)
            out.append(Timex(start, end, text[start:end], kind, value, gran, mod, _as_date(ctx, start)))
            if told:
                continue
            if kind == "DATE" and gran in cal.GRANULARITIES:
                ctx.told(cal.Period(value, gran, cal.start_of(value, gran)), start)
                told = True
            elif kind == "TIME" and _DAY_OF_TIME.match(value):  # "the night of May 13, 1958": that day
                ctx.told(cal.Period(value[:10], "day", cal.start_of(value[:10], "day")), start)
                told = True
    return _clocks_on_their_days(text, out)


def _clocks_on_their_days(text: str, out: list[Timex]) -> list[Timex]:
    """A clock time the text puts on a day written just after it ("at 5:34 AM Baghdad time
    on March 20, 2003") takes that day, whichever day the context gave it."""
    between = lexicon().clock_day_between
    if between is None:
        return out
    for i in range(len(out) - 1):
        clock, day = out[i], out[i + 1]
        if clock.type == "TIME" and clock.granularity == "time" and day.granularity == "day" \
                and day.start - clock.end <= 40 and between.fullmatch(text, clock.end, day.start):
            out[i] = dataclasses.replace(clock, value=day.value + clock.value[clock.value.index("T"):])
    return out


def _as_date(ctx: Context, start: int) -> Timex | None:
    """The date reading of the duration at `start` (`Timex.as_date`), if the recipe left one."""
    piece = ctx.as_dates.pop(start, None)
    if piece is None:
        return None
    p_start, p_end = _strip(ctx.text, piece[0], piece[1])
    return Timex(p_start, p_end, ctx.text[p_start:p_end], *piece[2:])


def tag_many(docs: Iterable[tuple[str, object]], lang: str | None = None) -> list[list[Timex]]:
    """tag() over (text, dct) pairs in one process; errors propagate per document."""
    return [tag(text, dct, lang=lang) for text, dct in docs]
