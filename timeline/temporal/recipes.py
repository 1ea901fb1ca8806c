"""Recipes: a rule's match and the reading context in, TIMEX3 pieces out.

Each recipe reads the named groups its rules' patterns leave (month, day, year, unit, ...)
and returns zero or more pieces `(start, end, type, value, granularity, mod)`. A recipe
returns nothing for what the calendar lacks (30 February); a date before year 1 or after
9999 raises calendar.OutOfRange, which the tagger skips. Any other exception is a bug and
surfaces. `RECIPES` maps the names rules give to the functions.
"""
from __future__ import annotations

import math
import re
from typing import Callable

from timeline.temporal import calendar as cal
from timeline.temporal.context import MONTH_TENSE_REACH, WEEKDAY_TENSE_REACH, Context
from timeline.temporal.lexicon import lexicon, month_number, norm, number, ordinal, unit_of, year_value

Piece = tuple  # (start, end, type, value, granularity, mod)


def _pos_mod(g: dict) -> str:
    return lexicon().positions.get(norm(g.get("pos")).rstrip("- "), "") if g.get("pos") else ""


def _mod(g: dict) -> str:
    return lexicon().mods.get(norm(g.get("mod")), "") if g.get("mod") else ""


def _date_piece(m: re.Match, p: cal.Period, mod: str = "") -> Piece:
    return (m.start(), m.end(), "DATE", p.value, p.granularity, mod)


def _year_from_paragraph(ctx: Context, pos: int) -> int | None:
    if ctx.para_year and ctx.para_year[0] == ctx.paragraph(pos) and ctx.para_year[1] != ctx.dct.year:
        return ctx.para_year[1]
    return None


def _range_start_year(month: int | None, end: re.Match) -> int | None:
    """The year of a period's first month from its end ('March to May 2019': 2019;
    'November to February 2020': 2019)."""
    last = month_number(end["month"])
    if month is None or last is None:
        return None
    year = year_value(end["year"])
    return year if month <= last else year - 1


def _finite(n: float, size: int) -> bool:
    """Whether n units of `size` is a number a float holds (a count of 400 digits is not)."""
    try:
        return math.isfinite(float(n) * size)
    except OverflowError:
        return False


# ---------------------------------------------------------------------------------------
# Calendar dates
# ---------------------------------------------------------------------------------------


def _ahead_of_now(m: re.Match, ctx: Context) -> bool:
    """Whether a history's month or day without a year is said of the text's own future
    ("the bridge will close in March"): then it is reckoned from the dct, not the story."""
    cue = lexicon().present_future
    if not ctx.narrative or cue is None or ctx.in_quotation(m.start()):  # a quoted "we will": the story's
        return False
    s, _ = ctx.sentence(m.start())
    return cue.search(ctx.text, max(s, m.start() - 60), m.start()) is not None


def r_calendar(m: re.Match, ctx: Context) -> list[Piece]:
    """Calendar dates: a day, a month, a season, a half year, a decade, a century."""
    if m.groupdict().get("day2"):
        return r_day_range(m, ctx)
    return _calendar(m, ctx)


def _decade(text: str, dct) -> cal.Period:
    """'1990s', "'90s", 'nineties' -> 199X."""
    t = norm(text)
    if t in lexicon().decade_names:
        return cal.decade_named(lexicon().decade_names[t], dct)
    if t[0] in "'\u2019":
        return cal.decade_abbreviated(int(t[1]), dct)
    return cal.decade(int(t[:3]) * 10)


def _century(text: str) -> cal.Period:
    """'20th' or 'twentieth' -> the twentieth century."""
    t = norm(text)
    return cal.century(int(re.match(r"\d+", t).group()) if t[0].isdigit() else ordinal(t))


def _anaphoric_year(g: dict, ctx: Context) -> int:
    """'May 1 that year', 'the following year': the year of the date told last (else the dct's)."""
    base = ctx.ref.start.year if ctx.ref is not None else ctx.dct.year
    word = norm(g["anaphyear"])
    return base + (1 if ("following" in word or "next" in word) else -1 if "previous" in word else 0)


def _month_after_or_before(ref: cal.Period, month: int, after: bool) -> int:
    """The year of the first `month` after the date told last, `ref` ("in May 2023 ... the
    following January": 2024), or of the last one before it ("the previous November")."""
    within = ref.granularity in ("day", "month", "week")  # a ref of a year or a season: the next year
    if after:
        return ref.start.year + (0 if within and month > ref.start.month else 1)
    return ref.start.year - (0 if within and month < ref.start.month else 1)


def _calendar(m: re.Match, ctx: Context) -> list[Piece]:
    g = m.groupdict()
    mod = _pos_mod(g)
    year = year_value(g["year"]) if g.get("year") else None
    if year is None and g.get("year2"):  # "octobre 98": the year of the dct's century or the one before
        year = cal.two_digit_year(int(g["year2"]), ctx.dct)
    if g.get("decade"):
        return [_date_piece(m, _decade(g["decade"], ctx.dct), mod)]
    if g.get("century"):
        century = _century(g["century"])
        if _bc(g):  # "the 5th century BC": 500-401 BC
            return [(m.start(), m.end(), "DATE", f"BC{int(century.value) :02d}", "", mod)]
        return [_date_piece(m, century, mod)]
    if g.get("half"):
        half = 1 if ordinal(g["half"]) == 1 else 2
        if year is None:
            year = ctx.dct.year + lexicon().directions.get(norm(g.get("dir")), 0)
        return [_date_piece(m, cal.half(year, half), mod)]
    if g.get("season"):
        return [_date_piece(m, cal.season(year, lexicon().seasons[norm(g["season"])]), mod)]
    month = month_number(g.get("month")) or (int(g["monthnum"]) if g.get("monthnum") else None)
    day = int(g["day"]) if g.get("day") else None
    if year is not None:
        ctx.told_year = (m.start(), year)
    if year is None and g.get("anaphyear"):  # "May 1 that year": the year the text is in
        year = _anaphoric_year(g, ctx)
    if year is None and g.get("deictyear"):  # "in July last year", "January next year"
        year = ctx.dct.year + lexicon().directions.get(norm(g["deictyear"]), 0)
    if year is None and g.get("monthdir") and month:  # "the following January": after the date told last
        ref = ctx.ref if ctx.ref is not None else cal.day(ctx.dct.year, ctx.dct.month, ctx.dct.day)
        year = _month_after_or_before(ref, month, norm(g["monthdir"]) in ("following", "next"))
    if year is None and g.get("thatmonth") and ctx.ref is not None:  # "that September": the year told last
        year = ctx.ref.start.year
    if year is None:  # "from March to May 2019": the year of the period's end
        end = ctx.cues.range_end_year.match(ctx.text, m.end())
        year = _range_start_year(month, end) if end else None
    if year is None and ctx.bc_year() is not None and month:  # "In September", after 480 BC
        return [(m.start(), m.end(), "DATE", f"BC{ctx.bc_year():04d}-{month:02d}" + (f"-{day:02d}" if day else ""),
                 "", mod)]
    if year is None and not _ahead_of_now(m, ctx):
        year = ctx.story_year(m.start())
    if year is None:
        year = _year_from_paragraph(ctx, m.start())
    if year is None:
        year = cal.infer_year(ctx.dct, month, day, ctx.tense(m.start(), m.end(), MONTH_TENSE_REACH))
    if day is None:
        return [_date_piece(m, cal.month(year, month), mod)]
    p = cal.day(year, month, day)
    if p is None:
        return []
    weekday = lexicon().weekdays.get(norm(g.get("weekday"))) if g.get("weekday") else None
    if weekday and cal.weekday_of(p) != weekday and not g.get("year"):
        # "Thursday, Sept. 11": the weekday settles the year when the text leaves it out
        p = cal.year_with_weekday(month, day, weekday, ctx.dct) or p
    return [_date_piece(m, p, mod)]


def r_part_of_dated_day(m: re.Match, ctx: Context) -> list[Piece]:
    """'the night of May 13, 1958' -> 1958-05-13TNI in a history: the day, as a calendar date
    is read, and its part; in news the date alone ('May 13, 1958'), as its annotators mark it."""
    day = _calendar(m, ctx)
    if not day:
        return []
    if not ctx.narrative:  # news annotators mark the date alone ("the night of [Oct. 23]")
        return [(min(m.start("month"), m.start("day")), *day[0][1:])]
    code = lexicon().parts_of_day.get(norm(m.group("pod")), "")
    return [(m.start(), m.end(), "TIME", f"{day[0][3]}T{code}", "time", "")]


def r_day_range(m: re.Match, ctx: Context) -> list[Piece]:
    """'June 3-5' or '3-5 June 2026': the first day and the last, as two expressions."""
    g = m.groupdict()
    first = _calendar(m, ctx)
    if not first:
        return []
    year, month = int(first[0][3][:4]), month_number(g["month"])
    if int(g["day2"]) <= int(g["day"]):
        return []
    last = cal.day(year, month, int(g["day2"]))
    if last is None:
        return []
    month_first = m.start("month") < m.start("day")
    first_span = (m.start(), m.end("day")) if month_first else (m.start("day"), m.end("day"))
    return [(*first_span, "DATE", first[0][3], "day", ""),
            (m.start("day2"), m.end(), "DATE", last.value, "day", "")]


def r_month_pair(m: re.Match, ctx: Context) -> list[Piece]:
    """'July-August 2019': the two months, as two expressions, the first in the year before
    when it comes later in the calendar ('December-February 2020')."""
    g = m.groupdict()
    first, last, year = month_number(g["month"]), month_number(g["month2"]), year_value(g["year"])
    if first is None or last is None or year is None:
        return []
    if first == last:  # "July-July 2019": the one month
        return [(m.start("month2"), m.end(), "DATE", cal.month(year, last).value, "month", "")]
    ctx.told_year = (m.start("month2"), year)
    return [(m.start(), m.end("month"), "DATE", cal.month(year - (first > last), first).value, "month", _pos_mod(g)),
            (m.start("month2"), m.end(), "DATE", cal.month(year, last).value, "month", "")]


def r_numeric_date(m: re.Match, ctx: Context) -> list[Piece]:
    a, b, year = int(m["a"]), int(m["b"]), year_value(m["year"])
    # Day first unless that is impossible (13/..) or the text uses slashes and a US month first fits
    day, month = (a, b) if b <= 12 else (b, a)
    if a <= 12 and b > 12:
        month, day = a, b
    p = cal.day(year, month, day)
    return [_date_piece(m, p)] if p else []


def r_year(m: re.Match, ctx: Context) -> list[Piece]:
    g = m.groupdict()
    if g.get("decade"):
        return _calendar(m, ctx)
    year = year_value(g["year"])
    ctx.told_year = (m.start(), year)
    # "In 2020, ..." opening a sentence sets the year that month names in its paragraph take
    if ctx.cues.year_setter_before.search(ctx.text, max(0, m.start() - 12), m.start()):
        ctx.para_year = (ctx.paragraph(m.start()), year)
    return [_date_piece(m, cal.year(year), _pos_mod(g))]


def r_story_era_year(m: re.Match, ctx: Context) -> list[Piece]:
    """'In 490' in a history already before Christ (see `Context.bc_year`): BC0490; nothing
    elsewhere (a number)."""
    bc = ctx.bc_year()
    number = int(m.group("eranum"))
    if bc is None or number == 0:
        return []
    ctx.bc_told = (m.start(), number)
    return [(m.start(), m.end(), "DATE", f"BC{number:04d}", "", "")]


def _bc(g: dict) -> bool:
    return lexicon().eras.get(g.get("era") or "") == "BC"


def _era_part(m: re.Match, g: dict, year: int, bc: bool, ctx: Context) -> Piece | None:
    """A season, month or day of a year of an era: BC0490-SP, BC0044-03-15 (no calendar
    period before Christ); AD 79's as the calendar's own (0079-08, month granularity)."""
    month = month_number(g["month"]) if g.get("month") else None
    day = int(g["day"]) if g.get("day") and month else None
    if bc:
        ctx.bc_told = (m.start(), year)
        part = lexicon().seasons[norm(g["season"])] if g.get("season") else \
            f"{month:02d}" + (f"-{day:02d}" if day else "")
        return (m.start(), m.end(), "DATE", f"BC{year:04d}-{part}", "", _pos_mod(g))
    if g.get("season"):
        return _date_piece(m, cal.season(year, lexicon().seasons[norm(g["season"])]), _pos_mod(g))
    p = cal.day(year, month, day) if day else cal.month(year, month)
    return _date_piece(m, p, _pos_mod(g)) if p is not None else None


def r_era_year(m: re.Match, ctx: Context) -> list[Piece]:
    """'480 BC' -> BC0480 (no calendar period: nothing is reckoned from it, but the story is
    then in that year: see `Context.bc_year`); 'AD 79' -> 0079; '499-449 BC' -> BC0499 and
    BC0449 (BC years count down: a first end not before the second gives nothing)."""
    g = m.groupdict()
    number = int(g["eranum"] or g["eranum2"])
    first = int(g["eranum0"]) if g.get("eranum0") else None
    bc = _bc(g)
    if number == 0 or first == 0 or (first is not None and (first <= number if bc else first >= number)):
        return []
    if first is None and (g.get("season") or g.get("month")):  # "the spring of 490 BC", "15 March 44 BC"
        piece = _era_part(m, g, number, bc, ctx)
        return [piece] if piece else []
    if not bc:
        if first is not None:
            return [(m.start(), m.end("eranum0"), "DATE", cal.year(first).value, "year", _pos_mod(g)),
                    (m.start("eranum"), m.end(), "DATE", cal.year(number).value, "year", "")]
        return [_date_piece(m, cal.year(number), _pos_mod(g))]
    ctx.bc_told = (m.start(), first or number)
    if first is not None:
        return [(m.start(), m.end("eranum0"), "DATE", f"BC{first:04d}", "", _pos_mod(g)),
                (m.start("eranum"), m.end(), "DATE", f"BC{number:04d}", "", "")]
    return [(m.start(), m.end(), "DATE", f"BC{number:04d}", "", _pos_mod(g))]


# A range of years longer than this is not a period the text tells ("1700-2000 metres").
LONGEST_YEAR_RANGE = 300


def r_year_range(m: re.Match, ctx: Context) -> list[Piece]:
    """'2014-2016', '1989-91': the first year and the last, as two expressions. A short
    second year takes the first one's century ('1989-91': 1991); a last year not after the
    first ('2030-2010', '1998-02') or too far from it gives nothing."""
    g = m.groupdict()
    first, second = int(g["year"]), g["year2"]
    last = int(second) if len(second) == 4 else first // 100 * 100 + int(second)
    if not first < last <= first + LONGEST_YEAR_RANGE:
        return []
    ctx.told_year = (m.start(), first)
    return [(m.start(), m.end("year"), "DATE", str(first), "year", _pos_mod(g)),
            (m.start("year2"), m.end(), "DATE", str(last), "year", "")]


def _quarter_number(g: dict) -> int | None:
    """Q3, 'third', '3rd' -> 3; None for 'the quarter', 'the final quarter'."""
    if g.get("quarternum"):
        return int(g["quarternum"])
    n = ordinal(g.get("quarter") or g.get("quarterh"))
    return n if n is not None and 1 <= n <= 4 else None


def r_quarter(m: re.Match, ctx: Context) -> list[Piece]:
    g = m.groupdict()
    q = _quarter_number(g)
    text = norm(m.group(0))
    if g.get("unit") and norm(g["unit"]) == "period" and not re.search(r"latest|recent", text):
        return []
    if g.get("year"):
        year = year_value(g["year"])
    elif g.get("dir"):
        year = ctx.dct.year + lexicon().directions[norm(g["dir"])]
    else:
        year = None
    if q is None:  # "the quarter", "the latest quarter", "the final quarter"
        if ctx.last_quarter and "latest" not in text:
            p = ctx.last_quarter[1]
        else:
            p = cal.previous_quarter(ctx.dct)
        if "final" in text or "last" in text:
            p = cal.quarter(year or ctx.dct.year, 4)
    else:
        if year is None:
            year = ctx.dct.year if cal.quarter(ctx.dct.year, q).start <= ctx.dct else ctx.dct.year - 1
        p = cal.quarter(year, q)
    if "year-ago" in text or "year-earlier" in text:
        p = cal.shift(p, -1, "Y")
    ctx.last_quarter = (m.start(), p)
    return [_date_piece(m, p)]


def r_year_ago(m: re.Match, ctx: Context) -> list[Piece]:
    if ctx.last_quarter and m.start() - ctx.last_quarter[0] < 600:
        p = cal.shift(ctx.last_quarter[1], -1, "Y")
    else:
        p = cal.year(ctx.dct.year - 1)
    return [_date_piece(m, p)]


def r_season(m: re.Match, ctx: Context) -> list[Piece]:
    g = m.groupdict()
    code = lexicon().seasons[norm(g["season"])]
    direction = norm(g.get("dir"))
    step = {"the following": 1, "the previous": -1}.get(direction, 0)
    bc = ctx.bc_year()
    if bc is not None and direction in ("", "that", "the same", "the following", "the previous") and bc - step > 0:
        return [(m.start(), m.end(), "DATE", f"BC{bc - step:04d}-{code}", "", _pos_mod(g))]  # "that summer", 480 BC
    if direction in ("that", "the same", "the following", "the previous") and ctx.ref is not None:
        return [_date_piece(m, cal.season(ctx.ref.start.year + step, code), _pos_mod(g))]
    year = cal.season_year(ctx.dct, code, direction, ctx.tense(m.start(), m.end()))
    para = ctx.story_year(m.start()) or _year_from_paragraph(ctx, m.start())
    if para and not direction:
        year = para
    return [_date_piece(m, cal.season(year, code), _pos_mod(g))]


def r_holiday(m: re.Match, ctx: Context) -> list[Piece]:
    g = m.groupdict()
    rule = lexicon().holidays[norm(g["holiday"]).replace("\u2019", "'")]
    year = year_value(g["year"]) if g.get("year") else None
    if year is None:
        if isinstance(rule, str):
            month, day = map(int, rule.split("-"))
        else:
            month, day = rule[2], 15
        year = ctx.story_year(m.start()) or cal.infer_year(ctx.dct, month, day, ctx.tense(m.start(), m.end()))
    p = cal.holiday(year, rule)
    return [_date_piece(m, p)] if p else []


# ---------------------------------------------------------------------------------------
# Days and periods relative to the text's date or to the date told last
# ---------------------------------------------------------------------------------------

def r_deictic(m: re.Match, ctx: Context) -> list[Piece]:
    g = m.groupdict()
    word = norm(g.get("deictic"))
    pod = norm(g.get("pod"))
    if not word:  # "this morning", "last night"
        offset = -1 if norm(g.get("dir")) == "last" else 0
    else:
        offset = lexicon().deictic_days[word]
        if word == "tonight":
            pod = "night"
    anchor = ctx.dct
    if ctx.narrative and ctx.in_quotation(m.start()):  # someone quoted in a history: their day
        story = ctx.story_ref
        if story is None or story.granularity != "day":
            return [(m.start(), m.end(), "DATE", "PRESENT_REF" if offset == 0 else "XXXX-XX-XX", "", "")]
        anchor = story.start
    p = cal.relative(anchor, "day", offset)
    if pod:
        code = lexicon().parts_of_day.get(pod, "")
        return [(m.start(), m.end(), "TIME", f"{p.value}T{code}", "time", _pos_mod(g))]
    return [_date_piece(m, p, _pos_mod(g))]


def r_weekday(m: re.Match, ctx: Context) -> list[Piece]:
    g = m.groupdict()
    wd = lexicon().weekdays[norm(g["weekday"])]
    if ctx.cues.possessive_after.match(ctx.text, m.end()) and not g.get("dir"):
        tense = "past"  # "Wednesday's ruling": a day already named
    else:
        tense = ctx.tense(m.start(), m.end(), WEEKDAY_TENSE_REACH)
    # a history's weekday is near the day it told last, a news story's near its dct
    story = ctx.ref.start if ctx.story_year(m.start()) and ctx.ref.granularity == "day" else None
    if not tense and lexicon().unmarked_future:  # no cue, and futures unmarked: the nearest such day
        tense = "nearest"
    d = cal.resolve_weekday(story or ctx.dct, wd, norm(g.get("dir")), tense)
    # "Friday night": English annotators mostly give the day, the part of day staying in the
    # text; French ones a time of that day ("mardi soir": 2003-02-18TEV)
    code = lexicon().parts_of_day.get(norm(g.get("pod")), "") if g.get("pod") else ""
    if code and lexicon().weekday_part_of_day_is_time:
        return [(m.start(), m.end(), "TIME", f"{d.isoformat()}T{code}", "time", _pos_mod(g))]
    return [_date_piece(m, cal.day(d.year, d.month, d.day), _pos_mod(g))]


def r_relative(m: re.Match, ctx: Context) -> list[Piece]:
    g = m.groupdict()
    unit = norm(g["unit"])
    direction = norm(g["dir"])
    anchor = ctx.dct
    if g.get("the") or direction == "the":  # "the next year", "later in the year": a history's own time
        anchor = ctx.story_day() or anchor
    if direction in ("following", "previous", "preceding", "same", "that") and ctx.ref is not None:
        anchor = ctx.ref.start
    mod = _pos_mod(g)
    if g.get("pos") and norm(g["pos"]) in ("earlier", "later"):
        mod = ""
    step = lexicon().directions[direction]
    if g.get("the") and step < 0 and unit in ("decade", "century") and direction != "previous":
        # "over the past century": the hundred years up to now, an extent of time
        return [(m.start(), m.end(), "DURATION", "P10Y" if unit == "decade" else "P100Y", "", mod)]
    bc = ctx.bc_year() if unit == "year" and (g.get("the") or direction in ("following", "previous", "preceding",
                                                                               "same", "that", "the")) else None
    if bc is not None and bc - step > 0:  # "the following year" after 480 BC: 479 BC
        ctx.bc_told = (m.start(), bc - step)
        return [(m.start(), m.end(), "DATE", f"BC{bc - step:04d}", "", mod)]
    if bc is not None:  # the year after 1 BC is AD 1: there is no year 0
        return [_date_piece(m, cal.year(1), mod)]
    p = cal.weekend(anchor, step) if unit == "weekend" else cal.relative(anchor, unit, step)
    return [_date_piece(m, p, mod)]


def r_relative_month(m: re.Match, ctx: Context) -> list[Piece]:
    g = m.groupdict()
    month = month_number(g["month"])
    direction = norm(g["dir"])
    year = cal.relative_month_year(ctx.dct, month, direction)
    if g.get("day"):  # "last Oct. 23": the latest Oct. 23 before the dct ("last Feb. 30": nothing)
        day = int(g["day"])
        here = (ctx.dct.month, ctx.dct.day)
        if direction == "last":  # the dct's own day a year ago
            year = ctx.dct.year - (1 if (month, day) >= here else 0)
        elif direction == "next":
            year = ctx.dct.year + (1 if (month, day) <= here else 0)
        p = cal.day(year, month, day)
        return [_date_piece(m, p, _pos_mod(g))] if p is not None else []
    return [_date_piece(m, cal.month(year, month), _pos_mod(g))]


def r_week_of_month(m: re.Match, ctx: Context) -> list[Piece]:
    """'the first week of December' -> the ISO week holding December 1st (2025-W49)."""
    g = m.groupdict()
    month = month_number(g["month"])
    year = year_value(g["year"]) if g.get("year") else cal.infer_year(
        ctx.dct, month, 1, ctx.tense(m.start(), m.end(), MONTH_TENSE_REACH))
    nth = ordinal(g["ordinal"])
    return [_date_piece(m, cal.week_of_month(year, month, nth if nth and 1 <= nth <= 4 else -1))]


def r_weekend(m: re.Match, ctx: Context) -> list[Piece]:
    text = norm(m.group(0))
    direction = text.rsplit(" ", 1)[0]
    step = {"last": -1, "this past": -1, "next": 1, "this coming": 1}.get(direction, None)
    if step is None:  # "the weekend", "this weekend": the nearest, by tense (ahead: this week's)
        step = 0 if ctx.tense(m.start(), m.end()) == "future" or ctx.dct.isoweekday() >= 6 else -1
    return [_date_piece(m, cal.weekend(ctx.dct, step))]


def r_the_year(m: re.Match, ctx: Context) -> list[Piece]:
    year = ctx.last_quarter[1].start.year if ctx.last_quarter else ctx.story_year(m.start()) or ctx.dct.year
    return [_date_piece(m, cal.year(year), _pos_mod(m.groupdict()))]


def r_the_month(m: re.Match, ctx: Context) -> list[Piece]:
    """'the end of the month': the month of the day or month told last, else the dct's."""
    told = ctx.ref.start if ctx.ref is not None and ctx.ref.granularity in ("day", "month") else ctx.dct
    return [_date_piece(m, cal.month(told.year, told.month), _pos_mod(m.groupdict()))]


_FINER_OR_SAME = {
    "day": ("day",), "week": ("day", "week"), "month": ("day", "week", "month"),
    "year": ("day", "week", "month", "quarter", "season", "half", "year"),
}


def r_anaphoric(m: re.Match, ctx: Context) -> list[Piece]:
    text = norm(m.group(0))
    unit = norm(m.group("unit") or m.group("unit2")) or ("day" if "night" in text else "")
    if not unit:
        unit = text.split()[-2] if text.endswith("before") else "day"
    # "the day before" leans on a day told before it; a year or month told last is no such day
    fine = _FINER_OR_SAME.get(unit, ())
    anchor = ctx.ref.start if ctx.ref is not None and ctx.ref.granularity in fine else ctx.dct
    step = 1 if re.search(r"next|following", text) else -1 if re.search(r"previous|preceding|before", text) else 0
    if unit == "day" and step == 0 and ctx.ref is not None and ctx.ref.granularity == "month":
        return [(m.start(), m.end(), "DATE", f"{ctx.ref.value}-XX", "", "")]  # "that same day" of a month told
    return [_date_piece(m, cal.relative(anchor, unit, step), _pos_mod(m.groupdict()))]


def r_anaphoric_pod(m: re.Match, ctx: Context) -> list[Piece]:
    """"the next morning": part of the day after the day told last (else after the dct);
    "that morning": part of that day."""
    anchor = ctx.ref.start if ctx.ref is not None and ctx.ref.granularity == "day" else ctx.dct
    direction = norm(m.group("dir"))
    step = 1 if direction in ("next", "following") else -1 if direction else 0  # "that morning": the same day
    p = cal.relative(anchor, "day", step)
    pod = m.group("pod") or m.groupdict().get("pod2")  # a rule may name its second spelling pod2
    code = lexicon().parts_of_day.get(norm(pod), "")
    return [(m.start(), m.end(), "TIME", f"{p.value}T{code}", "time", "")]


# ---------------------------------------------------------------------------------------
# Amounts of time: durations, and dates counted from another ("two weeks ago")
# ---------------------------------------------------------------------------------------

def r_amount(m: re.Match, ctx: Context) -> list[Piece]:
    """'15 years' is a duration; '15 years ago' a date ('a day after X' stays a duration)."""
    g = m.groupdict()
    n = number(g["num"])
    unit = unit_of(g["unit"])
    if unit is None or n is None or (n != "X" and not _finite(n, unit[1])):
        return []
    direction = norm(g.get("direction"))
    if direction and not _news_interval(m, ctx, direction):
        return _offset(m, ctx, n, unit)
    pieces = _duration(m, n, unit)
    if direction:  # "three days later" in news: the duration "three days", and the date it reaches
        start, _, kind, value, gran, mod = pieces[0]
        pieces = [(start, m.start("direction"), kind, value, gran, mod)]
        if direction != "earlier" or not ctx.cues.than_after.match(ctx.text, m.end()):
            ctx.as_dates[start] = _offset(m, ctx, n, unit)[0]
    return pieces


def _news_interval(m: re.Match, ctx: Context, direction: str) -> bool:
    """Whether news marks the amount before `direction` as a duration, leaving the word out:
    "three days later", "a month after", "a month earlier than usual" (a date counted from
    another is a history's way, and "a year earlier" a company report's)."""
    if ctx.narrative:
        return False
    if direction in ("later", "after", "before"):
        return True
    return direction == "earlier" and ctx.cues.than_after.match(ctx.text, m.end()) is not None


def _offset(m: re.Match, ctx: Context, n, unit: tuple[str, int]) -> list[Piece]:
    g = m.groupdict()
    letter, size = unit
    direction = norm(g["direction"])
    sign = 1 if direction in ("later", "hence", "from now", "after") else -1
    anchor = ctx.dct
    if direction in ("earlier", "later", "before", "after"):
        if ctx.ref is not None and ctx.paragraph(ctx.ref_pos) == ctx.paragraph(m.start()):
            anchor = ctx.ref.start
        else:  # a history counts "two years later" from the date it told last
            anchor = ctx.story_day() or anchor
        if sign < 0 and ctx.narrative:  # "a year earlier": a look back, the story stays where it was
            ctx.looked_back_at = m.start()
        bc = ctx.bc_year() if n != "X" else None
        if bc is not None:
            return _offset_before_christ(m, ctx, bc, sign * float(n), unit)
    elif ctx.story_day():  # "two years ago", as someone in a history says it: their time
        anchor = ctx.story_day()
        ctx.looked_back_at = m.start()  # a look back: the story stays where it was
    if letter == "Y" and size == 1 and n == 1 and ctx.last_quarter and m.start() - ctx.last_quarter[0] < 600:
        return [_date_piece(m, cal.shift(ctx.last_quarter[1], -1, "Y"), _mod(g))]
    if n == "X":
        return [(m.start(), m.end(), "DATE", "PAST_REF" if sign < 0 else "FUTURE_REF", "", _mod(g))]
    p = cal.offset(anchor, sign * float(n) * size, letter)
    return [_date_piece(m, p, _mod(g))]


def _offset_before_christ(m: re.Match, ctx: Context, bc: int, amount: float, unit: tuple[str, int]) -> list[Piece]:
    """An amount counted from a year before Christ the story is in: years count down
    ("four years later", after 490 BC: BC0486) and across into our era with no year 0 (500
    years later: 0011); a finer amount ("two days later") has no calendar date there: the
    amount alone, a duration."""
    letter, size = unit
    if letter != "Y":
        return [(m.start(), m.start("direction"), "DURATION", cal.duration(abs(amount), unit), "", _mod(m.groupdict()))]
    year = round(bc - amount * size)
    if year >= 1:
        if amount > 0:
            ctx.bc_told = (m.start(), year)
        return [(m.start(), m.end(), "DATE", f"BC{year:04d}", "", _mod(m.groupdict()))]
    ad = 1 - year  # 1 BC is followed by AD 1
    return [_date_piece(m, cal.year(ad), _mod(m.groupdict()))] if ad <= 9999 else []


def _duration(m: re.Match, n, unit: tuple[str, int]) -> list[Piece]:
    g = m.groupdict()
    if "and a half" in norm(m.group(0)) and n != "X":
        n = n + 0.5
    mod = _mod(g)
    if norm(g.get("num")) == "some" and not mod:
        mod = "APPROX"
    return [(m.start(), m.end(), "DURATION", cal.duration(n, unit), "", mod)]


def r_vague_duration(m: re.Match, ctx: Context) -> list[Piece]:
    g = m.groupdict()
    unit = unit_of(g["unit"])
    if unit is None:
        return []
    text = norm(m.group(0))
    if re.match(r"(?:the )?recent ", text):
        return [(m.start(), m.end(), "DATE", "PAST_REF", "", "")]
    return [(m.start(), m.end(), "DURATION", cal.duration("X", unit), "", _mod(g))]


# ---------------------------------------------------------------------------------------
# Times of day, recurrences, references
# ---------------------------------------------------------------------------------------

def _clock(g: dict) -> str | None:
    """'10:30 a.m.' -> '10:30', 'noon' -> '12:00'; None for an hour past 24."""
    if g.get("clockword"):
        return lexicon().parts_of_day[norm(g["clockword"])]
    hour = int(g.get("hour") or g.get("hour24"))
    minute = int(g.get("minute") or g.get("minute24") or 0)
    ampm = norm(g.get("ampm")).replace(".", "")
    if ampm == "pm" and hour < 12:
        hour += 12
    if ampm == "am" and hour == 12:
        hour = 0
    return None if hour > 24 else f"{hour:02d}:{minute:02d}"


def r_clock(m: re.Match, ctx: Context) -> list[Piece]:
    g = m.groupdict()
    hhmm = _clock(g)
    if hhmm is None:
        return []
    deictic = norm(g.get("deictic") or g.get("deictic_after"))
    if g.get("weekday"):  # "9 a.m. Tuesday"
        day = cal.resolve_weekday(ctx.dct, lexicon().weekdays[norm(g["weekday"])], "",
                                  ctx.tense(m.start(), m.end()))
    elif deictic in lexicon().deictic_days:  # "hier à 10 h", "vers 15 h 30, hier"
        day = cal.relative(ctx.dct, "day", lexicon().deictic_days[deictic]).start
    elif ctx.ref is not None and ctx.ref.granularity == "day" and ctx.paragraph(ctx.ref_pos) == ctx.paragraph(m.start()):
        day = ctx.ref.start
    elif ctx.story_day() and ctx.story_ref.granularity == "day":  # a history's clock: its day
        day = ctx.story_ref.start
    else:
        day = ctx.dct
    return [(m.start(), m.end(), "TIME", f"{day.isoformat()}T{hhmm}", "time", "")]


def r_set(m: re.Match, ctx: Context) -> list[Piece]:
    g = m.groupdict()
    if g.get("setword"):
        return [(m.start(), m.end(), "SET", lexicon().sets[norm(g["setword"])], "", "")]
    if g.get("weekday"):
        return [(m.start(), m.end(), "SET", f"XXXX-WXX-{lexicon().weekdays[norm(g['weekday'])]}", "", "")]
    unit = unit_of(g.get("unit") or g.get("funit"))
    if unit is None:
        return []
    n = number(g.get("num")) if g.get("num") else 1
    n = n if n is not None else 1
    if n != "X" and not _finite(n, unit[1]):
        return []
    return [(m.start(), m.end(), "SET", cal.duration(n, unit), "", "")]


def r_ref(m: re.Match, ctx: Context) -> list[Piece]:
    return [(m.start(), m.end(), "DATE", lexicon().refs[norm(m.group("ref"))], "", "")]


RECIPES: dict[str, Callable[[re.Match, Context], list[Piece]]] = {
    "calendar": r_calendar, "month_pair": r_month_pair, "numeric_date": r_numeric_date,
    "part_of_dated_day": r_part_of_dated_day,
    "year": r_year, "quarter": r_quarter, "year_ago": r_year_ago, "season": r_season,
    "holiday": r_holiday, "deictic": r_deictic, "weekday": r_weekday, "relative": r_relative,
    "relative_month": r_relative_month, "weekend": r_weekend, "week_of_month": r_week_of_month,
    "amount": r_amount, "vague_duration": r_vague_duration, "the_year": r_the_year, "the_month": r_the_month,
    "year_range": r_year_range, "era_year": r_era_year, "story_era_year": r_story_era_year, "anaphoric": r_anaphoric, "anaphoric_pod": r_anaphoric_pod, "clock": r_clock,
    "set": r_set, "ref": r_ref,
}
