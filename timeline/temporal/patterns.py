"""The macros rules write in braces ({MONTH}, {COUNT}, ...), built from the lexicon's words.

Each macro is a regular expression that leaves named groups the recipes read (month, day,
year, weekday, num, unit, season, ...). `LEFT` and `RIGHT` wrap every rule so that none
starts or ends inside a word, a number or an amount.
"""
from __future__ import annotations

import re
from typing import Iterable

from timeline.temporal.lexicon import Lexicon

# Rules never start inside a word, a number or an amount, nor end inside one.
LEFT = r"\b(?<![\w$£€#@/])(?<!\d[.,:])(?<!\w-)"
RIGHT = r"(?![\w@]|[.,:]\d|-\w|%)"

# Years as broadcast transcripts write them: "nineteen ninety-four", "the year two thousand".
_TEENS_AND_TENS = ("ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|"
                   "twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety")
_ONES = "one|two|three|four|five|six|seven|eight|nine"
YEAR_WORDS = (f"(?:(?:sixteen|seventeen|eighteen|nineteen)(?:[- ]hundred(?:[- ]and)?)?[- ](?:{_TEENS_AND_TENS})"
              f"(?:[- ](?:{_ONES}))?"
              f"|two[- ]thousand(?:(?:[- ]and)?[- ](?:{_TEENS_AND_TENS}|{_ONES})(?:[- ](?:{_ONES}))?)?)")


def alt(words: Iterable[str], *, case_sensitive: bool = False) -> str:
    """A regex alternation of literal words, longest first; spaces match any white space."""
    parts = sorted(set(words), key=len, reverse=True)
    body = "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in parts)
    return f"(?-i:{body})" if case_sensitive else f"(?:{body})"


def plural(unit: str) -> list[str]:
    """A unit's singular and plural: 'century' -> ['century', 'centuries']."""
    if unit.endswith("y") and unit not in ("day",):
        return [unit, unit[:-1] + "ies"]
    if unit == "millennium":
        return [unit, "millennia"]
    return [unit, unit + "s"]


def unit_forms(lx: Lexicon) -> list[str]:
    """Every unit of time, singular and plural."""
    return [f for u in lx.units for f in plural(u)]


def _months(lx: Lexicon) -> str:
    """Full month names, and abbreviations with an optional stop; capitalised and
    case-sensitive in a language that writes them with a capital (English), else in any case."""
    cap = str.capitalize if lx.names_capitalised else str
    full = [cap(m) for m in lx.months if m not in lx.month_abbreviations]
    short = [cap(m) for m in lx.months if m in lx.month_abbreviations]
    body = f"{alt(full)}|{alt(short)}\\.?"
    return f"(?-i:{body})" if lx.names_capitalised else f"(?:{body})"


def _weekdays(lx: Lexicon) -> str:
    """Full weekday names (abbreviations are too often words), as `_months` writes months."""
    names = [w for w in lx.weekdays if len(w) > 4]
    if lx.names_capitalised:
        return alt([w.capitalize() for w in names], case_sensitive=True)
    return alt(names)


def _count(lx: Lexicon) -> str:
    """A count in digits or words: '3', '2.5', 'twenty-four', 'a couple of', 'several'."""
    tens = [w for w, v in lx.numbers.items() if isinstance(v, int) and 20 <= v <= 90 and " " not in w]
    ones = [w for w, v in lx.numbers.items() if isinstance(v, int) and 1 <= v <= 9 and w not in ("a", "an")]
    hundreds = [w for w, v in lx.numbers.items() if v == 100 and " " not in w]
    numword = f"(?:{alt(tens)}[- ]{alt(ones)}|{alt(lx.numbers)})"
    if hundreds:  # "five hundred", "two hundred and fifty"
        numword = f"(?:{alt(ones)}[- ]{alt(hundreds)}(?:(?: and)? {numword})?|{numword})"
    return f"(?P<num>\\d+(?:\\.\\d+)?|{numword})"


def _holidays(lx: Lexicon) -> str:
    names = []
    for name in lx.holidays:
        title = " ".join(w.capitalize() for w in name.split())
        names += [title, title.replace("'", "\u2019")]
    return alt(names, case_sensitive=True)


def macros(lx: Lexicon) -> dict[str, str]:
    """Each macro's name to its regular expression."""
    ordinal_words = (w for w in lx.ordinals if not w[0].isdigit() and lx.ordinals[w] > 0)
    return {
        "MONTH": f"(?P<month>{_months(lx)})",
        "MONTH2": f"(?P<month2>{_months(lx)})",  # the second month of a pair ("July-August 2019")
        "WEEKDAY": f"(?P<weekday>{_weekdays(lx)})",
        "DAY": f"(?P<day>3[01]|[12]\\d|0?[1-9])(?:{lx.day_suffix})?(?!\\d)",
        "YEAR": f"(?P<year>1[6-9]\\d\\d|20\\d\\d{'|' + YEAR_WORDS if lx.spoken_years else ''})(?!\\d)",
        "SEASON": f"(?P<season>{alt(lx.seasons)})",
        "DECADE": f"(?P<decade>(?:1[6-9]|20)\\d0s|[\\x27\\u2019]\\d0s|{'|'.join(lx.decade_names)})",
        "CENTURY": f"(?P<century>\\d{{1,2}}(?:st|nd|rd|th)|{alt(ordinal_words)})",
        "ERA": f"(?P<era>{alt(sorted(lx.eras, key=len, reverse=True), case_sensitive=True)})",
        "HOLIDAY": f"(?P<holiday>{_holidays(lx)})",
        "POS": f"(?:(?P<pos>{alt(lx.positions)})(?:-|\\s+)(?:in\\s+)?)",
        "MOD": f"(?:(?P<mod>{alt(lx.mods)})\\s+)",
        "COUNT": _count(lx),
        "UNITS": f"(?P<unit>{alt(unit_forms(lx))})",
        "UNITWORD": alt(lx.units),
        # parts of the day that are spans ("morning"), not moments ("noon": 12:00)
        "PODWORD": alt(w for w, code in lx.parts_of_day.items() if not code[0].isdigit()),
        "SETWORD": f"(?P<setword>{alt(lx.sets)})",
        "REF": f"(?P<ref>{alt(lx.refs)})",
    }
