"""The temporal tagger's engine: applies rules.yaml and lexicon.yaml to a text.

Two passes. The first finds every span any rule matches and keeps the longest
non-overlapping ones (ties go to the earlier rule), after guards that reject readings a
careful reader would not make ("may" the verb, "2020 people"). The second walks the kept
spans in text order and turns each into a TIMEX3 value with its rule's recipe, carrying
the state a reader carries: the document creation time (dct), the year a paragraph has set
("In 2020 ... In August"), and the last date mentioned ("the next day").
"""
from __future__ import annotations

import bisect
import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Callable, Iterable

import yaml

from timeline.sentences import split as split_sentences
from timeline.temporal import calendar as cal
from timeline.temporal.timex import Timex

HERE = Path(__file__).parent


# ---------------------------------------------------------------------------------------
# Resources
# ---------------------------------------------------------------------------------------

def _alt(words: Iterable[str], *, case_sensitive: bool = False) -> str:
    """A regex alternation of literal words, longest first; spaces match any white space."""
    parts = sorted(set(words), key=len, reverse=True)
    body = "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in parts)
    return f"(?-i:{body})" if case_sensitive else f"(?:{body})"


def _plural(unit: str) -> list[str]:
    if unit.endswith("y") and unit not in ("day",):
        return [unit, unit[:-1] + "ies"]
    if unit == "millennium":
        return [unit, "millennia"]
    return [unit, unit + "s"]


@dataclass(frozen=True)
class Lexicon:
    months: dict[str, int]
    weekdays: dict[str, int]
    numbers: dict[str, object]
    ordinals: dict[str, int]
    units: dict[str, tuple[str, int]]
    seasons: dict[str, str]
    parts_of_day: dict[str, str]
    refs: dict[str, str]
    sets: dict[str, str]
    holidays: dict[str, object]
    mods: dict[str, str]
    positions: dict[str, str]
    outside_mods: dict[str, str]
    count_nouns: frozenset[str]
    tense: dict[str, list[str]]


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    raw = yaml.safe_load((HERE / "lexicon.yaml").read_text(encoding="utf-8"))
    return Lexicon(
        months=raw["months"], weekdays=raw["weekdays"], numbers=raw["numbers"],
        ordinals=raw["ordinals"], units={k: tuple(v) for k, v in raw["units"].items()},
        seasons=raw["seasons"], parts_of_day=raw["parts_of_day"], refs=raw["refs"],
        sets=raw["sets"], holidays=raw["holidays"], mods=raw["mods"],
        positions=raw["positions"], outside_mods=raw["outside_mods"], count_nouns=frozenset(raw["count_nouns"]),
        tense=raw["tense"],
    )


def _macros(lx: Lexicon) -> dict[str, str]:
    month_full = [m.capitalize() for m in lx.months if len(m) > 4 or m in ("may", "june", "july")]
    month_abbr = [m.capitalize() for m in lx.months if m.capitalize() not in month_full]
    months = f"(?-i:{_alt(month_full)}|{_alt(month_abbr)}\\.?)"
    weekdays = _alt([w.capitalize() for w in lx.weekdays if len(w) > 4], case_sensitive=True)
    tens = [w for w, v in lx.numbers.items() if isinstance(v, int) and 20 <= v <= 90 and " " not in w]
    ones = [w for w, v in lx.numbers.items() if isinstance(v, int) and 1 <= v <= 9 and w not in ("a", "an")]
    words = [w for w in lx.numbers]
    numword = f"(?:{_alt(tens)}[- ]{_alt(ones)}|{_alt(words)})"
    count = f"(?P<num>\\d+(?:\\.\\d+)?|{numword})"
    unit_forms = [f for u in lx.units for f in _plural(u)]
    hol = []
    for name in lx.holidays:
        title = " ".join(w.capitalize() for w in name.split())
        hol += [title, title.replace("'", "\u2019")]
    return {
        "MONTH": f"(?P<month>{months})",
        "WEEKDAY": f"(?P<weekday>{weekdays})",
        "DAY": r"(?P<day>3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?(?!\d)",
        "YEAR": f"(?P<year>1[6-9]\\d\\d|20\\d\\d|{_YEAR_WORDS})(?!\\d)",
        "SEASON": f"(?P<season>{_alt(lx.seasons)})",
        "DECADE": r"(?P<decade>(?:1[6-9]|20)\d0s|[\x27\u2019]\d0s|twenties|thirties|forties|fifties|sixties|seventies|eighties|nineties)",
        "CENTURY": f"(?P<century>\\d{{1,2}}(?:st|nd|rd|th)|{_alt(w for w in lx.ordinals if not w[0].isdigit() and w not in ('last', 'final'))})",
        "HOLIDAY": f"(?P<holiday>{_alt(hol, case_sensitive=True)})",
        "POS": f"(?:(?P<pos>{_alt(lx.positions)})(?:-|\\s+)(?:in\\s+)?)",
        "MOD": f"(?:(?P<mod>{_alt(lx.mods)})\\s+)",
        "COUNT": count,
        "UNITS": f"(?P<unit>{_alt(unit_forms)})",
        "UNITWORD": _alt(lx.units),
        "PODWORD": _alt(w for w in lx.parts_of_day if w not in ("midday", "noon", "midnight")),
        "SETWORD": f"(?P<setword>{_alt(lx.sets)})",
        "REF": f"(?P<ref>{_alt(lx.refs)})",
    }


_TEENS_AND_TENS = "ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety"
_ONES = "one|two|three|four|five|six|seven|eight|nine"
# Years as broadcast transcripts write them: "nineteen ninety-four", "the year two thousand".
_YEAR_WORDS = (f"(?:(?:sixteen|seventeen|eighteen|nineteen)(?:[- ]hundred(?:[- ]and)?)?[- ](?:{_TEENS_AND_TENS})(?:[- ](?:{_ONES}))?"
               f"|two[- ]thousand(?:(?:[- ]and)?[- ](?:{_TEENS_AND_TENS}|{_ONES})(?:[- ](?:{_ONES}))?)?)")


# Rules never start inside a word, a number or an amount, nor end inside one.
_LEFT = r"\b(?<![\w$£€#@/])(?<!\d[.,:])(?<!\w-)"
_RIGHT = r"(?![\w@]|[.,:]\d|-\w|%)"


@dataclass(frozen=True)
class Rule:
    index: int
    name: str
    recipe: str
    regex: re.Pattern
    needs: frozenset[str]  # lower-case words; "0".."9" for digits; empty: always tried


def _needs(names: list[str]) -> frozenset[str]:
    lx = lexicon()
    tables = {"months": lx.months, "weekdays": lx.weekdays, "seasons": lx.seasons, "sets": lx.sets,
              "refs": lx.refs, "holidays": lx.holidays, "units": {f: 1 for u in lx.units for f in _plural(u)}}
    words: set[str] = set()
    for name in names:
        if name == "digits":
            words.update("0123456789")
        elif name in tables:
            for key in tables[name]:
                words.update(re.findall(r"[a-z]+", key.lower()))
        else:
            words.add(name.lower())
    return frozenset(words)


@lru_cache(maxsize=1)
def rules() -> tuple[Rule, ...]:
    raw = yaml.safe_load((HERE / "rules.yaml").read_text(encoding="utf-8"))
    macros = _macros(lexicon())
    out = []
    for i, r in enumerate(raw["rules"]):
        pattern = re.sub(r"\{([A-Z]+)\}", lambda m: macros[m.group(1)], r["pattern"])
        pattern = pattern.replace(" ", r"\s+")
        try:
            regex = re.compile(_LEFT + "(?:" + pattern + ")" + _RIGHT, re.I)
        except re.error as e:
            raise ValueError(f"rules.yaml: rule {r['name']!r}: {e}") from None
        if r["recipe"] not in RECIPES:
            raise ValueError(f"rules.yaml: rule {r['name']!r}: no recipe {r['recipe']!r}")
        out.append(Rule(i, r["name"], r["recipe"], regex, _needs(r.get("needs", []))))
    return tuple(out)


# ---------------------------------------------------------------------------------------
# Reading numbers and words
# ---------------------------------------------------------------------------------------

def _norm(s: str | None) -> str:
    return re.sub(r"\s+", " ", s).strip().lower() if s else ""


def number(word: str | None) -> float | str | None:
    """'three' -> 3, 'twenty-four' -> 24, '1.5' -> 1.5, 'several' -> 'X', None -> None."""
    if word is None:
        return None
    w = _norm(word).replace("-", " ")
    try:
        return float(w) if "." in w else int(w)
    except ValueError:
        pass
    nums = lexicon().numbers
    if w in nums:
        return nums[w]
    parts = w.split()
    if len(parts) == 2 and parts[0] in nums and parts[1] in nums:
        return nums[parts[0]] + nums[parts[1]]
    return None


def year_value(text: str) -> int:
    """'2025' -> 2025; spoken forms too: 'nineteen ninety-four' -> 1994, 'two thousand one' -> 2001."""
    t = _norm(text).replace("-", " ").replace(" and ", " ")
    if t.isdigit():
        return int(t)
    words = t.split()
    if words[:2] == ["two", "thousand"]:
        rest = number(" ".join(words[2:])) if words[2:] else 0
        return 2000 + (rest if isinstance(rest, int) else 0)
    century = number(words[0])
    rest = [w for w in words[1:] if w != "hundred"]
    tail = number(" ".join(rest)) if rest else 0
    return century * 100 + (tail if isinstance(tail, int) else 0)


def _month(word: str | None) -> int | None:
    return lexicon().months.get(_norm(word).rstrip(".")) if word else None


def _unit(word: str | None) -> tuple[str, int] | None:
    if not word:
        return None
    w = _norm(word)
    units = lexicon().units
    for form in (w, w[:-1], w[:-3] + "y", w[:-2], "millennium" if w == "millennia" else ""):
        if form in units:
            return units[form]
    return None


# ---------------------------------------------------------------------------------------
# Context: sentences, paragraphs, tense
# ---------------------------------------------------------------------------------------

_PARAGRAPH_END = re.compile(r"\n\s*\n|\n(?=[ \t]+)|\n(?=[A-Z\"\u201c])")


@dataclass
class Context:
    text: str
    dct: dt.date
    sentences: list[int]
    paragraphs: list[int]
    tense_re: tuple[re.Pattern, re.Pattern]
    ref: cal.Period | None = None           # the last date mentioned
    ref_pos: int = -1
    para_year: tuple[int, int] | None = None  # (paragraph index, year) set by an explicit year
    last_quarter: tuple[int, cal.Period] | None = None

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
        if _DEADLINE.search(self.text, max(0, start - 40), start):
            return "future"  # "by May", "payable Jan. 2", "expected in December"
        if _SINCE.search(self.text, max(0, start - 40), start):
            return "past"  # "since the Oct. 23 slaying"
        s, e = self.sentence(start)
        s = max(s, start - reach[0])
        e = min(e, end + reach[1])
        # not past the end of the clause: ", the ministry said Friday" tells when it was said
        nxt = [i for i in (self.text.find(c, end, e) for c in ",;:\u2014") if i >= 0] if opener else []
        if nxt:
            e = min(nxt)
        future_re, past_re = self.tense_re
        best, dist = "", 10**9
        for label, rx in (("future", future_re), ("past", past_re)):
            for m in rx.finditer(self.text, s, e):
                if start <= m.start() < end:
                    continue
                if label == "past" and self.text[m.start()].isupper() and m.group().endswith("ed"):
                    continue  # a name, not a verb: "the United States", "Ahmed"
                d = start - m.end() if m.end() <= start else (m.start() - end) * 1.5
                if d < dist:
                    best, dist = label, d
        if not best and opener and nxt and start - self.sentence(start)[0] < 25 and reach == MONTH_TENSE_REACH:
            # a scene-setting opener ("In January, American Medical brought in ..."): the
            # clause it opens tells the tense
            return self.tense(start, end, (0, 200), opener=False)
        return best


_DEADLINE = re.compile(
    r"\b(?:by|until|till|payable|due|expected (?:in|on|by)|scheduled (?:for|in|on)|planned for|set for)"
    r"\s+(?:early\s+|late\s+|mid-?|the end of\s+)?$", re.I)


_SINCE = re.compile(r"\b(?:since|ever since)\s+(?:shortly\s+after\s+)?(?:the\s+)?(?:early\s+|late\s+|mid-?)?$", re.I)


@lru_cache(maxsize=1)
def _tense_res() -> tuple[re.Pattern, re.Pattern]:
    t = lexicon().tense
    fut = re.compile(r"(?<!\w)(?:" + "|".join(t["future"]) + r")(?!\w)", re.I)
    # a participle after "be" is passive, not past: "could be discussed in December"
    past = re.compile(r"(?<!\w)(?<!\bbe )(?<!\bbeen )(?<!\bbeing )(?:" + "|".join(t["past"]) + r")(?!\w)", re.I)
    return fut, past


# ---------------------------------------------------------------------------------------
# Guards: readings to reject before spans compete
# ---------------------------------------------------------------------------------------

_MONTH_CONTEXT = re.compile(
    r"(?:\b(?:in|since|by|until|till|through|throughout|of|from|to|between|and|during|before|after|"
    r"early|late|mid|last|next|this|that|each|every|or|on|last|until|till|around|about|for|at|past)\s+|mid-)$",
    re.I)
_AMBIGUOUS_MONTHS = {"may", "march", "mar", "jan", "dec", "sun", "sat", "june", "august", "april"}


_SET_FOLLOWERS = {"and", "or", "basis", "since", "until", "from", "for", "in", "at", "on", "to", "by",
                  "over", "through", "with", "during", "after", "before", "than"}


def _plausible(rule: Rule, m: re.Match, text: str) -> bool:
    g = m.groupdict()
    before = text[max(0, m.start() - 24):m.start()]
    after = text[m.end():m.end() + 40]
    lx = lexicon()
    if rule.name == "month" and not g.get("year"):
        word = g["month"].rstrip(".")
        if word.lower() not in lx.months or (len(word) <= 4 and word.lower() not in ("may", "june", "july")):
            return False  # bare abbreviations ("Mar", "Dec") only count with a day or a year
        if g.get("pos"):
            return True
        if word.lower() in _AMBIGUOUS_MONTHS or word == "March":
            verb_after = re.match(r"\s+(?:\w+ed|said|says|will|would|be|is|was)\b", after)
            # "the March accession", "a June agreement": a month before a common noun
            modifier = re.search(r"\b(?:[Tt]he|[Aa])\s+$", before) and re.match(r"\s+[a-z]{3,}\b", after)
            return bool(_MONTH_CONTEXT.search(before) or modifier) and not verb_after
        return True
    if rule.name in ("year",) and not g.get("pos"):
        nxt = re.match(r"\s*([A-Za-z]+)", after)
        if nxt and nxt.group(1).lower() in lx.count_nouns:
            return False
        if re.match(r"\s*(?:%|pc\b|percent|per cent)", after, re.I):
            return False
        if re.search(r"(?:\bNo\.?|\bnumber|#|\bpage|\bp\.|\broute|\bflight|\bRoom)\s*$", before, re.I):
            return False
        if re.search(r"\d[\s()-]+$", before):
            return False  # one group of a phone number: "+44 20 7946 2020"
        rng = re.match(r"\s*(?:to|-|–|or|and)\s*\d[\d,]*\s+([A-Za-z]+)", after)
        if rng and rng.group(1).lower() in lx.count_nouns:
            return False  # "2000 to 3000 troops"
    if rule.recipe == "season":
        season = _norm(g["season"])
        if season == "fall" and not (g.get("dir") or g.get("pos") or re.search(r"\b(?:the|in|this|last|next|by|until|since)\s+$", before, re.I)):
            return False
        if season == "fall" and re.match(r"\s+of\b", after):
            return False  # "the fall of the Berlin Wall"
        if season == "fall" and re.search(r"\b(?:a|the)\s+$", before) and re.match(r"\s+(?:in|of|from)\b", after):
            return False
    if rule.recipe in ("duration", "offset", "amount"):
        unit = _norm(g.get("unit"))
        count = _norm(g.get("num"))
        if unit.startswith("sec") and count in ("a", "an", "one") and not re.match(r"\s*(?:ago|later|earlier)", after):
            return False  # "a second time"
        if unit in ("min", "mins", "sec", "secs", "hr", "hrs") and not count[:1].isdigit():
            return False
    if rule.recipe == "ref":
        word = _norm(g["ref"])
        if word in ("current", "future", "recent") and re.match(r"\s*(?:-|,|\.|$)", after):
            return word == "future" and bool(re.search(r"\bthe\s+$", before))
        if word == "recently" and re.search(r"\bas\s+$", before):
            return False  # "as recently as August 22": the date is the expression
    if rule.recipe == "vague_duration":
        if not re.search(r"\b(?:for|over|in|within|after|of|past|last|next|coming|recent|several|the)\s+$", before, re.I) \
                and not g.get("mod") and not re.search(r"[- ](?:long|old)$", m.group(0)):
            return False
    if rule.recipe == "set" and g.get("setword"):
        word = _norm(g["setword"])
        nxt = re.match(r"\s+([a-z]+)", after)
        if nxt and nxt.group(1) not in _SET_FOLLOWERS:
            return False  # an adjective: "the quarterly dividend", "a daily newspaper"
    return True


# ---------------------------------------------------------------------------------------
# Recipes: a match and the context in, zero or more (start, end, type, value, gran, mod) out
# ---------------------------------------------------------------------------------------

Piece = tuple  # (start, end, type, value, granularity, mod)


def _pos_mod(g: dict) -> str:
    return lexicon().positions.get(_norm(g.get("pos")).rstrip("- "), "") if g.get("pos") else ""


def _mod(g: dict) -> str:
    return lexicon().mods.get(_norm(g.get("mod")), "") if g.get("mod") else ""


def _date_piece(m: re.Match, p: cal.Period, mod: str = "", kind: str = "DATE") -> Piece:
    return (m.start(), m.end(), kind, p.value, p.granularity, mod)


def _year_from_paragraph(ctx: Context, pos: int) -> int | None:
    if ctx.para_year and ctx.para_year[0] == ctx.paragraph(pos) and ctx.para_year[1] != ctx.dct.year:
        return ctx.para_year[1]
    return None


# A month without a year takes the tense of its own clause only; beyond that, the nearer year.
MONTH_TENSE_REACH = (30, 15)


def r_calendar(m: re.Match, ctx: Context) -> list[Piece]:
    """Calendar dates: a day, a month, a season, a half year, a decade, a century."""
    if m.groupdict().get("day2"):
        return r_day_range(m, ctx)
    return _calendar(m, ctx)


def _calendar(m: re.Match, ctx: Context) -> list[Piece]:
    g = m.groupdict()
    mod = _pos_mod(g)
    year = year_value(g["year"]) if g.get("year") else None
    if g.get("decade"):
        return [_date_piece(m, cal.decade(g["decade"], ctx.dct), mod)]
    if g.get("century"):
        return [_date_piece(m, cal.century(g["century"]), mod)]
    if g.get("half"):
        half = 1 if _norm(g["half"]) in ("first", "1st") else 2
        if year is None:
            year = ctx.dct.year + {"last": -1, "next": 1}.get(_norm(g.get("dir")), 0)
        return [_date_piece(m, cal.Period(f"{year}-H{half}", "half", dt.date(year, 1 + 6 * (half - 1), 1)), mod)]
    if g.get("season"):
        return [_date_piece(m, cal.season(year, lexicon().seasons[_norm(g["season"])]), mod)]
    month = _month(g.get("month")) or (int(g["monthnum"]) if g.get("monthnum") else None)
    day = int(g["day"]) if g.get("day") else None
    weekday = lexicon().weekdays.get(_norm(g.get("weekday"))) if g.get("weekday") else None
    if year is None and g.get("anaphyear"):  # "May 1 that year": the year the text is in
        base = ctx.ref.start.year if ctx.ref is not None else ctx.dct.year
        word = _norm(g["anaphyear"])
        year = base + (1 if ("following" in word or "next" in word) else -1 if "previous" in word else 0)
    if year is None:
        year = _year_from_paragraph(ctx, m.start())
    if year is None:
        year = cal.infer_year(ctx.dct, month, day, ctx.tense(m.start(), m.end(), MONTH_TENSE_REACH))
    if day is None:
        p = cal.month(year, month)
    else:
        p = cal.day(year, month, day)
        if p is None:
            return []
        if weekday and cal.weekday_of(p) != weekday and not g.get("year"):
            # "Thursday, Sept. 11": the weekday settles the year when the text leaves it out
            fixed = cal.year_with_weekday(month, day, weekday, ctx.dct)
            p = fixed or p
    return [_date_piece(m, p, mod)]


def r_day_range(m: re.Match, ctx: Context) -> list[Piece]:
    """'June 3-5' or '3-5 June 2026': the first day and the last, as two expressions."""
    g = m.groupdict()
    first = _calendar(m, ctx)
    if not first:
        return []
    year, month = int(first[0][3][:4]), _month(g["month"])
    if int(g["day2"]) <= int(g["day"]):
        return []
    last = cal.day(year, month, int(g["day2"]))
    if last is None:
        return []
    month_first = m.start("month") < m.start("day")
    first_span = (m.start(), m.end("day")) if month_first else (m.start("day"), m.end("day"))
    return [(*first_span, "DATE", first[0][3], "day", ""),
            (m.start("day2"), m.end(), "DATE", last.value, "day", "")]


def r_numeric_date(m: re.Match, ctx: Context) -> list[Piece]:
    a, b, year = int(m["a"]), int(m["b"]), year_value(m["year"])
    # Day first unless that is impossible (13/..) or the text uses slashes and a US month first fits
    day, month = (a, b) if b <= 12 else (b, a)
    if a <= 12 and b > 12:
        month, day = a, b
    p = cal.day(year, month, day)
    return [_date_piece(m, p)] if p else []


# "In 2020, ..." opening a sentence sets the year that month names in its paragraph take.
_FRAME_SETTER = re.compile(r"(?:^|[\n.!?]\s*|\A)(?:In|By|During|Since)\s+(?:early\s+|late\s+|mid-?)?$")


def r_year(m: re.Match, ctx: Context) -> list[Piece]:
    g = m.groupdict()
    if g.get("decade"):
        return _calendar(m, ctx)
    year = year_value(g["year"])
    if _FRAME_SETTER.search(ctx.text, max(0, m.start() - 12), m.start()):
        ctx.para_year = (ctx.paragraph(m.start()), year)
    return [_date_piece(m, cal.year(year), _pos_mod(g))]


def r_quarter(m: re.Match, ctx: Context) -> list[Piece]:
    g = m.groupdict()
    if g.get("quarternum"):
        q = int(g["quarternum"])
    elif g.get("quarter") or g.get("quarterh"):
        word = _norm(g.get("quarter") or g.get("quarterh"))
        q = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4}.get(word)
    else:
        q = None
    text = _norm(m.group(0))
    if g.get("unit") and _norm(g["unit"]) == "period" and not re.search(r"latest|recent", text):
        return []
    if g.get("year"):
        year = year_value(g["year"])
    elif g.get("dir"):
        year = ctx.dct.year + {"last": -1, "next": 1}.get(_norm(g["dir"]), 0)
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
    code = lexicon().seasons[_norm(g["season"])]
    direction = _norm(g.get("dir"))
    if direction in ("that", "the same", "the following", "the previous") and ctx.ref is not None:
        step = {"the following": 1, "the previous": -1}.get(direction, 0)
        return [_date_piece(m, cal.season(ctx.ref.start.year + step, code), _pos_mod(g))]
    year = cal.season_year(ctx.dct, code, direction, ctx.tense(m.start(), m.end()))
    para = _year_from_paragraph(ctx, m.start())
    if para and not direction:
        year = para
    return [_date_piece(m, cal.season(year, code), _pos_mod(g))]


def r_holiday(m: re.Match, ctx: Context) -> list[Piece]:
    g = m.groupdict()
    rule = lexicon().holidays[_norm(g["holiday"]).replace("\u2019", "'")]
    year = year_value(g["year"]) if g.get("year") else None
    if year is None:
        if isinstance(rule, str):
            month, day = map(int, rule.split("-"))
        else:
            month, day = rule[2], 15
        year = cal.infer_year(ctx.dct, month, day, ctx.tense(m.start(), m.end()))
    p = cal.holiday(year, rule)
    return [_date_piece(m, p)] if p else []


def r_deictic(m: re.Match, ctx: Context) -> list[Piece]:
    g = m.groupdict()
    word = _norm(g.get("deictic"))
    offsets = {"today": 0, "tonight": 0, "yesterday": -1, "tomorrow": 1,
               "the day before yesterday": -2, "the day after tomorrow": 2}
    pod = _norm(g.get("pod"))
    if not word:  # "this morning", "last night"
        offset = -1 if _norm(g.get("dir")) == "last" and pod != "night" else 0
        if _norm(g.get("dir")) == "last" and pod == "night":
            offset = -1
    else:
        offset = offsets[word]
        if word == "tonight":
            pod = "night"
    d = ctx.dct + dt.timedelta(days=offset)
    p = cal.day(d.year, d.month, d.day)
    if pod:
        code = lexicon().parts_of_day.get(pod, "")
        return [(m.start(), m.end(), "TIME", f"{p.value}T{code}", "time", _pos_mod(g))]
    return [_date_piece(m, p, _pos_mod(g))]


# "Poland will reopen the crossing on its border with Belarus on Monday": a weekday looks
# further back for its tense than a month does.
WEEKDAY_TENSE_REACH = (100, 40)


def r_weekday(m: re.Match, ctx: Context) -> list[Piece]:
    g = m.groupdict()
    wd = lexicon().weekdays[_norm(g["weekday"])]
    direction = _norm(g.get("dir"))
    tense = ctx.tense(m.start(), m.end(), WEEKDAY_TENSE_REACH)
    d = cal.resolve_weekday(ctx.dct, wd, direction, tense)
    p = cal.day(d.year, d.month, d.day)
    # "Friday night": annotators mostly give the day; the part of day stays in the text
    return [_date_piece(m, p, _pos_mod(g))]


_DIRECTION = {"last": -1, "past": -1, "previous": -1, "preceding": -1, "next": 1, "coming": 1,
              "following": 1, "this": 0, "current": 0, "same": 0, "that": 0, "the": 0}


def r_relative(m: re.Match, ctx: Context) -> list[Piece]:
    g = m.groupdict()
    unit = _norm(g["unit"])
    direction = _norm(g["dir"])
    anchor = ctx.dct
    if direction in ("following", "previous", "preceding", "same", "that") and ctx.ref is not None:
        anchor = ctx.ref.start
    mod = _pos_mod(g)
    if g.get("pos") and _norm(g["pos"]) in ("earlier", "later"):
        mod = ""
    if unit == "weekend":
        p = cal.weekend(anchor, _DIRECTION[direction])
    else:
        p = cal.relative(anchor, unit, _DIRECTION[direction])
    return [_date_piece(m, p, mod)]


def r_relative_month(m: re.Match, ctx: Context) -> list[Piece]:
    g = m.groupdict()
    month = _month(g["month"])
    direction = _norm(g["dir"])
    year = cal.relative_month_year(ctx.dct, month, direction)
    if g.get("day"):  # "last Oct. 23": that day of the month named ("last Feb. 30": nothing)
        p = cal.day(year, month, int(g["day"]))
        return [_date_piece(m, p, _pos_mod(g))] if p is not None else []
    return [_date_piece(m, cal.month(year, month), _pos_mod(g))]


def r_week_of_month(m: re.Match, ctx: Context) -> list[Piece]:
    """'the first week of December' -> the ISO week holding December 1st (2025-W49)."""
    g = m.groupdict()
    month = _month(g["month"])
    year = year_value(g["year"]) if g.get("year") else cal.infer_year(
        ctx.dct, month, 1, ctx.tense(m.start(), m.end(), MONTH_TENSE_REACH))
    nth = {"first": 1, "second": 2, "third": 3, "fourth": 4}.get(_norm(g["ordinal"]))
    if nth:
        day = dt.date(year, month, 1) + dt.timedelta(weeks=nth - 1)
    else:  # the last week: the one holding the month's last Thursday (ISO's rule for weeks)
        last = cal.relative(dt.date(year, month, 1), "month", 1).start - dt.timedelta(days=1)
        day = last - dt.timedelta(days=(last.isoweekday() - 4) % 7)
    return [_date_piece(m, cal.week(day))]


def r_weekend(m: re.Match, ctx: Context) -> list[Piece]:
    text = _norm(m.group(0))
    direction = text.rsplit(" ", 1)[0]
    step = {"last": -1, "this past": -1, "next": 1, "this coming": 1}.get(direction, None)
    if step is None:  # "the weekend", "this weekend": the nearest, by tense
        step = 1 if ctx.tense(m.start(), m.end()) == "future" else -1
        if ctx.dct.isoweekday() >= 6:
            step = 0
    return [_date_piece(m, cal.weekend(ctx.dct, step))]


def r_offset(m: re.Match, ctx: Context) -> list[Piece]:
    g = m.groupdict()
    n = number(g["num"])
    unit = _unit(g["unit"])
    if unit is None or n is None:
        return []
    letter, size = unit
    direction = _norm(g["direction"])
    sign = 1 if direction in ("later", "hence", "from now", "after") else -1
    anchor = ctx.dct
    if direction in ("earlier", "later", "before", "after") and ctx.ref is not None \
            and ctx.paragraph(ctx.ref_pos) == ctx.paragraph(m.start()):
        anchor = ctx.ref.start
    if letter == "Y" and size == 1 and n == 1 and ctx.last_quarter and m.start() - ctx.last_quarter[0] < 600:
        return [_date_piece(m, cal.shift(ctx.last_quarter[1], -1, "Y"), _mod(g))]
    if n == "X":
        return [(m.start(), m.end(), "DATE", "PAST_REF" if sign < 0 else "FUTURE_REF", "", _mod(g))]
    p = cal.offset(anchor, sign * float(n) * size, letter)
    return [_date_piece(m, p, _mod(g))]


def r_amount(m: re.Match, ctx: Context) -> list[Piece]:
    """'15 years' is a duration; '15 years ago' a date ('a day after X' stays a duration)."""
    if m.group("direction"):
        return r_offset(m, ctx)
    return r_duration(m, ctx)


def r_duration(m: re.Match, ctx: Context) -> list[Piece]:
    g = m.groupdict()
    unit = _unit(g["unit"])
    n = number(g["num"])
    if unit is None or n is None:
        return []
    if "and a half" in _norm(m.group(0)) and n != "X":
        n = n + 0.5
    mod = _mod(g)
    if _norm(g.get("num")) == "some" and not mod:
        mod = "APPROX"
    return [(m.start(), m.end(), "DURATION", cal.duration(n, unit), "", mod)]


def r_vague_duration(m: re.Match, ctx: Context) -> list[Piece]:
    g = m.groupdict()
    unit = _unit(g["unit"])
    if unit is None:
        return []
    text = _norm(m.group(0))
    if re.match(r"(?:the )?recent ", text):
        return [(m.start(), m.end(), "DATE", "PAST_REF", "", "")]
    return [(m.start(), m.end(), "DURATION", cal.duration("X", unit), "", _mod(g))]


def r_the_year(m: re.Match, ctx: Context) -> list[Piece]:
    year = ctx.last_quarter[1].start.year if ctx.last_quarter else ctx.dct.year
    return [_date_piece(m, cal.year(year))]


_FINER_OR_SAME = {
    "day": ("day",), "week": ("day", "week"), "month": ("day", "week", "month"),
    "year": ("day", "week", "month", "quarter", "season", "half", "year"),
}


def r_anaphoric(m: re.Match, ctx: Context) -> list[Piece]:
    text = _norm(m.group(0))
    unit = _norm(m.group("unit") or m.group("unit2")) or ("day" if "night" in text else "")
    if not unit:
        unit = text.split()[-2] if text.endswith("before") else "day"
    # "the day before" leans on a day told before it; a year or month told last is no such day
    fine = _FINER_OR_SAME.get(unit, ())
    anchor = ctx.ref.start if ctx.ref is not None and ctx.ref.granularity in fine else ctx.dct
    step = 1 if re.search(r"next|following", text) else -1 if re.search(r"previous|preceding|before", text) else 0
    p = cal.relative(anchor, unit, step)
    return [_date_piece(m, p)]


def r_anaphoric_pod(m: re.Match, ctx: Context) -> list[Piece]:
    """"the next morning": part of the day after the day told last (else after the dct)."""
    anchor = ctx.ref.start if ctx.ref is not None and ctx.ref.granularity == "day" else ctx.dct
    step = 1 if _norm(m.group("dir")) in ("next", "following") else -1
    p = cal.relative(anchor, "day", step)
    code = lexicon().parts_of_day.get(_norm(m.group("pod")), "")
    return [(m.start(), m.end(), "TIME", f"{p.value}T{code}", "time", "")]


def r_clock(m: re.Match, ctx: Context) -> list[Piece]:
    g = m.groupdict()
    if g.get("clockword"):
        hhmm = lexicon().parts_of_day[_norm(g["clockword"])]
    else:
        hour = int(g.get("hour") or g.get("hour24"))
        minute = int(g.get("minute") or g.get("minute24") or 0)
        ampm = _norm(g.get("ampm")).replace(".", "")
        if ampm == "pm" and hour < 12:
            hour += 12
        if ampm == "am" and hour == 12:
            hour = 0
        if hour > 24:
            return []
        hhmm = f"{hour:02d}:{minute:02d}"
    if g.get("weekday"):  # "9 a.m. Tuesday"
        day = cal.resolve_weekday(ctx.dct, lexicon().weekdays[_norm(g["weekday"])], "",
                                  ctx.tense(m.start(), m.end()))
    elif ctx.ref is not None and ctx.ref.granularity == "day" and ctx.sentence(ctx.ref_pos) == ctx.sentence(m.start()):
        day = ctx.ref.start
    else:
        day = ctx.dct
    return [(m.start(), m.end(), "TIME", f"{day.isoformat()}T{hhmm}", "time", "")]


def r_set(m: re.Match, ctx: Context) -> list[Piece]:
    g = m.groupdict()
    if g.get("setword"):
        return [(m.start(), m.end(), "SET", lexicon().sets[_norm(g["setword"])], "", "")]
    if g.get("weekday"):
        return [(m.start(), m.end(), "SET", f"XXXX-WXX-{lexicon().weekdays[_norm(g['weekday'])]}", "", "")]
    unit = _unit(g.get("unit") or g.get("funit"))
    if unit is None:
        return []
    n = number(g.get("num")) if g.get("num") else 1
    return [(m.start(), m.end(), "SET", cal.duration(n if n is not None else 1, unit), "", "")]


def r_ref(m: re.Match, ctx: Context) -> list[Piece]:
    return [(m.start(), m.end(), "DATE", lexicon().refs[_norm(m.group("ref"))], "", "")]


RECIPES: dict[str, Callable[[re.Match, Context], list[Piece]]] = {
    "calendar": r_calendar, "numeric_date": r_numeric_date,
    "year": r_year, "quarter": r_quarter, "year_ago": r_year_ago, "season": r_season,
    "holiday": r_holiday, "deictic": r_deictic, "weekday": r_weekday, "relative": r_relative,
    "relative_month": r_relative_month, "weekend": r_weekend, "week_of_month": r_week_of_month,
    "amount": r_amount, "vague_duration": r_vague_duration, "the_year": r_the_year,
    "anaphoric": r_anaphoric, "anaphoric_pod": r_anaphoric_pod, "clock": r_clock, "set": r_set, "ref": r_ref,
}


# ---------------------------------------------------------------------------------------
# The tagger
# ---------------------------------------------------------------------------------------

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


_WORDS = re.compile(r"[a-z]+|\d")


def _select(text: str) -> list[tuple[int, int, Rule, re.Match]]:
    """All rule matches, keeping the longest non-overlapping ones (ties: earlier rule)."""
    found = []
    present = set(_WORDS.findall(text.lower()))
    for rule in rules():
        if rule.needs and rule.needs.isdisjoint(present):
            continue
        for m in rule.regex.finditer(text):
            if m.end() > m.start() and _plausible(rule, m, text):
                found.append((m.start(), m.end(), rule, m))
    found.sort(key=lambda c: (c[0] - c[1], c[2].index, c[0]))
    starts: list[int] = []
    ends: list[int] = []
    kept = []
    for start, end, rule, m in found:
        i = bisect.bisect_right(starts, start)
        if i and ends[i - 1] > start:
            continue
        if i < len(starts) and starts[i] < end:
            continue
        starts.insert(i, start)
        ends.insert(i, end)
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


def _outside_mod(text: str, start: int) -> str:
    m = _OUTSIDE_MOD_RE().search(text, max(0, start - 16), start)
    return lexicon().outside_mods[_norm(m.group(1))] if m else ""


@lru_cache(maxsize=1)
def _OUTSIDE_MOD_RE() -> re.Pattern:
    return re.compile(r"\b(" + _alt(lexicon().outside_mods) + r")\s+$", re.I)


def tag(text: str, dct) -> list[Timex]:
    """Every temporal expression in `text`, normalised against `dct`.

    `dct` (document creation time, usually the publication date) is a date, a datetime
    or an ISO string. Returns Timex records in text order, offsets into `text`.
    Raises TypeError when `text` is not a string and ValueError when `dct` cannot be read.
    """
    if not isinstance(text, str):
        raise TypeError(f"text must be a str, not {type(text).__name__}")
    day = parse_dct(dct)
    if not text.strip():
        return []
    ctx = Context(
        text=text, dct=day,
        sentences=[start for start, _ in split_sentences(text)][1:],
        paragraphs=[m.end() for m in _PARAGRAPH_END.finditer(text)],
        tense_re=_tense_res(),
    )
    out: list[Timex] = []
    for _start, _end, rule, m in _select(text):
        try:
            pieces = RECIPES[rule.recipe](m, ctx)
        except (ValueError, OverflowError, KeyError, TypeError):
            continue  # a value the calendar cannot hold (day 31 in June...): not a date
        for start, end, kind, value, gran, mod in pieces:
            start, end = _strip(text, start, end)
            if start >= end:
                continue
            if not mod and kind in ("DURATION", "DATE"):
                mod = _outside_mod(text, start)
            out.append(Timex(start, end, text[start:end], kind, value, gran, mod))
            if kind == "DATE" and gran in cal.GRANULARITIES:
                ctx.ref = cal.Period(value, gran, cal.start_of(value, gran))
                ctx.ref_pos = start
    return out


def tag_many(docs: Iterable[tuple[str, object]]) -> list[list[Timex]]:
    """tag() over (text, dct) pairs in one process; errors propagate per document."""
    return [tag(text, dct) for text, dct in docs]
