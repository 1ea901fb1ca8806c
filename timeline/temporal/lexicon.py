"""The tagger's words: `lang/<code>/temporal.yaml` and the calendar table, read and checked once.

`lexicon()` gives every word list the patterns, the rejections and the recipes use, with
month and weekday names from the one calendar table (`timeline.lang.months()`,
`weekdays()`), in the language the tagger is reading (`LANGUAGE`, set by `tag(lang=...)`
through `reading(code)`; English unless set). Everything built from a lexicon is kept once
per language (`per_language`). A language's `canonical` table maps its words for
directions and units to the English words the recipes reason with ("prochain" -> "next",
"semaines" -> "week"), so one set of recipes reads every language. The readers below turn
matched words into numbers: `number('twenty-four')`,
`year_value('nineteen ninety-four')`, `month_number('Sept.')`, `unit_of('decades')`.
A malformed entry raises DataError naming the file and the entry.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Callable, TypeVar

from timeline import lang
from timeline.errors import DataError

RESOURCE = "temporal"

# A word of any alphabet, or a digit: what the rules' `needs` and the text are cut into.
WORD = re.compile(r"[^\W\d_]+|\d")

# The language the tagger is reading: `timeline.lang`'s context, set by `tag(lang=...)`.
LANGUAGE = lang.LANGUAGE
current = lang.current
reading = lang.reading

T = TypeVar("T")


def per_language(build: Callable[[], T]) -> Callable[[], T]:
    """`build()`, kept once for each language it is called in (see `LANGUAGE`)."""
    kept: dict[str, T] = {}

    @functools.wraps(build)
    def get() -> T:
        code = LANGUAGE.get()
        value = kept.get(code)
        if value is None:
            value = kept[code] = build()
        return value

    get.cache_clear = kept.clear  # type: ignore[attr-defined]
    return get


@dataclass(frozen=True)
class Lexicon:
    """Every word list of the tagger; mappings go from lower-case words to their values."""

    months: dict[str, int]
    month_abbreviations: frozenset[str]  # the month names that are abbreviations ("Sept")
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
    tense: dict[str, tuple[str, ...]]
    decade_names: dict[str, int]
    eras: dict[str, str]  # "B.C." -> "BC", as written
    deictic_days: dict[str, int]
    directions: dict[str, int]
    deadline_before: str
    since_before: str
    possessive_after: str
    year_setter_before: str
    range_joiner_after: str
    than_after: str
    clock_day_between: re.Pattern | None  # between "5:34 AM" and the day it is on ("on March 20, 2003")
    present_future: re.Pattern | None  # "will", "plans to": the text's own future, even inside a history
    canonical: dict[str, str]  # a word of this language -> the English word recipes know
    names_capitalised: bool  # month and weekday names are written with a capital (English)
    day_suffix: str  # a pattern for what may follow a day's number ("st", "th"; French "er")
    spoken_years: bool  # years written in words ("nineteen ninety-four": English only)
    weekday_part_of_day_is_time: bool  # "mardi soir": a TIME (2003-02-18TEV), as the French TimeBank has it
    unmarked_future: bool  # verbs may say future without a cue (Slavic perfectives): a weekday is the nearest


@per_language
def lexicon() -> Lexicon:
    """The lexicon of the language being read, read once. Raises DataError naming the file
    and the entry."""
    code = current()
    res = lang.resource(RESOURCE, code)
    months = lang.months(code)
    return Lexicon(
        months=months, month_abbreviations=_month_abbreviations(code, months),
        weekdays=lang.weekdays(code), numbers=_numbers(res), ordinals=res.mapping("ordinals", int),
        units=_units(res), seasons=res.mapping("seasons", str), parts_of_day=res.mapping("parts_of_day", str),
        refs=res.mapping("refs", str), sets=res.mapping("sets", str), holidays=_holidays(res),
        mods=res.mapping("mods", str), positions=res.mapping("positions", str),
        outside_mods=res.mapping("outside_mods", str), count_nouns=frozenset(res.words("count_nouns")),
        tense=_tense(res), decade_names=res.mapping("decade_names", int),
        eras=_eras(res), deictic_days=res.mapping("deictic_days", int),
        directions=res.mapping("directions", int), deadline_before=res.pattern("deadline_before"),
        since_before=res.pattern("since_before"), possessive_after=res.pattern("possessive_after"), year_setter_before=res.pattern("year_setter_before"),
        range_joiner_after=res.pattern("range_joiner_after"), than_after=res.pattern("than_after"),
        clock_day_between=_optional_pattern(res, "clock_day_between"),
        present_future=_optional_pattern(res, "present_future"),
        canonical=_canonical(res),
        names_capitalised=_flag(lang.resource("calendar", code), "names_capitalised", True),
        day_suffix=res.check_pattern(res.raw("day_suffix", "st|nd|rd|th"), "day_suffix"),
        weekday_part_of_day_is_time=_flag(res, "weekday_part_of_day_is_time", False),
        unmarked_future=_flag(res, "unmarked_future", False),
        spoken_years=_flag(res, "spoken_years", False),
    )


def _month_abbreviations(code: str, months: dict[str, int]) -> frozenset[str]:
    """The month names that are abbreviations (they may end in a stop): the calendar's
    `abbreviations` list where it has one (a language that declines its month names: its
    other cases are full words), else every name but each month's first."""
    res = lang.resource("calendar", code)
    if "abbreviations" in res.data:
        listed = frozenset(w.lower() for w in res.words("abbreviations"))
        unknown = sorted(listed - set(months))
        if unknown:
            raise DataError(f"{res.path}: abbreviations: {unknown[0]!r} is not in months")
        return listed
    full = {name.lower() for name in lang.month_names(code)}
    return frozenset(w for w in months if w not in full)


def _optional_pattern(res: lang.Resource, key: str) -> re.Pattern | None:
    """The compiled pattern `key` of a language that has one, None for one that has not."""
    return re.compile(res.pattern(key)) if key in res.data else None


def _canonical(res: lang.Resource) -> dict[str, str]:
    if "canonical" not in res.data:
        return {}
    return {norm_space(word): english for word, english in res.mapping("canonical", str).items()}


def _flag(res: lang.Resource, key: str, default: bool) -> bool:
    value = res.raw(key, default)
    if not isinstance(value, bool):
        raise DataError(f"{res.path}: {key}: expected true or false, got {value!r}")
    return value


def _eras(res: lang.Resource) -> dict[str, str]:
    raw = res.raw("eras", {})
    if not isinstance(raw, dict) or any(v not in ("BC", "AD") for v in raw.values()):
        raise DataError(f"{res.path}: eras: expected a mapping of era words to BC or AD")
    return {str(k): v for k, v in raw.items()}


def _numbers(res: lang.Resource) -> dict[str, object]:
    table = res.mapping("numbers", (int, str))
    for word, value in table.items():
        if isinstance(value, str) and value != "X":
            raise DataError(f"{res.path}: numbers: {word}: expected a number or X (unspecified), got {value!r}")
    return table


def _units(res: lang.Resource) -> dict[str, tuple[str, int]]:
    out = {}
    for word, value in res.mapping("units", list).items():
        if len(value) != 2 or not isinstance(value[0], str) or not isinstance(value[1], int):
            raise DataError(f"{res.path}: units: {word}: expected [TIMEX3 letter, how many], got {value!r}")
        out[word] = tuple(value)
    return out


def _holidays(res: lang.Resource) -> dict[str, object]:
    table = res.mapping("holidays", (str, list))
    for name, rule in table.items():
        fixed = isinstance(rule, str) and re.fullmatch(r"(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])", rule)
        moving = isinstance(rule, list) and len(rule) == 3 and all(isinstance(n, int) for n in rule)
        if not (fixed or moving):
            raise DataError(f"{res.path}: holidays: {name}: expected MM-DD or [nth, weekday, month], got {rule!r}")
    return table


def _tense(res: lang.Resource) -> dict[str, tuple[str, ...]]:
    table = res.mapping("tense", list)
    for label in ("future", "past"):
        if label not in table:
            raise DataError(f"{res.path}: tense: no list {label!r}")
    return {label: tuple(res.check_pattern(p, f"tense: {label}, entry {i + 1}") for i, p in enumerate(cues))
            for label, cues in table.items()}


def word_list(name: str) -> frozenset[str]:
    """A named list of lower-case words for the rejections: an entry of temporal.yaml (a list,
    or a mapping's words), or `months`, `weekdays`, `month_abbreviations` from the calendar.
    Raises DataError when there is no such list."""
    lx = lexicon()
    if name in ("months", "weekdays", "month_abbreviations"):
        return frozenset(getattr(lx, name))
    res = lang.resource(RESOURCE, current())
    value = res.raw(name, None)
    if isinstance(value, dict):
        return frozenset(res.mapping(name))
    if value is None:
        raise DataError(f"{res.path}: no word list {name!r}")
    return frozenset(w.lower() for w in res.words(name))


# ---------------------------------------------------------------------------------------
# Reading matched words
# ---------------------------------------------------------------------------------------

def norm(s: str | None) -> str:
    """Lower case, white space folded to single spaces, and a word of another language than
    English as the English word the recipes know (see `Lexicon.canonical`); '' for None or ''."""
    if not s:
        return ""
    folded = norm_space(s)
    return lexicon().canonical.get(folded, folded)


def norm_space(s: str) -> str:
    """Lower case, white space folded to single spaces."""
    return re.sub(r"\s+", " ", s).strip().lower()


def number(word: str | None) -> float | str | None:
    """'three' -> 3, 'twenty-four' -> 24, '1.5' -> 1.5, 'several' -> 'X', None -> None."""
    if word is None:
        return None
    w = norm(word).replace("-", " ")
    try:
        return float(w) if "." in w else int(w)
    except ValueError:
        pass
    nums = lexicon().numbers
    if w in nums:
        return nums[w]
    parts = w.split()
    if len(parts) >= 2 and nums.get(parts[1]) == 100 and isinstance(nums.get(parts[0]), int):
        rest = parts[3:] if parts[2:3] == ["and"] else parts[2:]  # "two hundred (and) fifty"
        more = number(" ".join(rest)) if rest else 0
        return nums[parts[0]] * 100 + more if isinstance(more, int) else None
    if len(parts) == 2 and parts[0] in nums and parts[1] in nums:
        return nums[parts[0]] + nums[parts[1]]
    return None


def year_value(text: str) -> int:
    """'2025' -> 2025; spoken forms too: 'nineteen ninety-four' -> 1994, 'two thousand one' -> 2001."""
    t = norm(text).replace("-", " ").replace(" and ", " ")
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


def month_number(word: str | None) -> int | None:
    """'Sept.' -> 9; None for None or a word that is not a month."""
    return lexicon().months.get(norm(word).rstrip(".")) if word else None


def unit_of(word: str | None) -> tuple[str, int] | None:
    """'decades' -> ('Y', 10): a unit of time, singular or plural, as its TIMEX3 letter and size."""
    if not word:
        return None
    units = lexicon().units
    for w in dict.fromkeys((norm_space(word), norm(word))):  # as written, then as `canonical` gives it
        for form in (w, w[:-1], w[:-3] + "y", w[:-2], "millennium" if w == "millennia" else ""):
            if form in units:
                return units[form]
    return None


def ordinal(word: str | None) -> int | None:
    """'third' or '3rd' -> 3, 'last' -> -1; None for a word that is not an ordinal."""
    return lexicon().ordinals.get(norm(word)) if word else None
