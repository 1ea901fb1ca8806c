"""Publication dates: from the caller, the file's metadata, a wire dateline or a footer.

In order of precedence: the caller's ``published`` argument, the file's metadata (HTML,
JSON, front matter), the text's dateline ("MINSK, Sept. 11, 2025 (AP) —"), its publication
footer ("Published in Dawn, September 12th, 2025", "Updated: 18 November 2025"). A dateline
without a year ("VILNIUS, Sept 11 (Reuters) -") takes the year that puts it nearest to the
footer's date ("Dec 31" with a footer of 2 January 2026 is 2025-12-31); without a footer it
gives no date. Without any of these an article has no publication date: never today's.

Datelines and footers are metadata, not events: `metadata(text)` gives their character spans
so that later stages skip the dates inside them. A dateline span covers only the prefix
("VILNIUS, Sept 11 (Reuters) -"), not the sentence it opens. The words are data: month and
weekday names in `lang/<code>/calendar.yaml`, the footer's and the labels' in `read.yaml`.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable

from timeline import lang
from timeline.errors import InputError

DATELINE_PARAGRAPHS = 3
"""A dateline is looked for at the start of this many first paragraphs of the body."""

_DAY = r"\d{1,2}(?:st|nd|rd|th)?"
# The tail after a footer's date may hold a time and zone ("17:40 CET"), never prose.
_PROSE_WORD_RE = re.compile(r"\b[a-z]{3,}\b")
# A line that is not blank. Tried at line starts only: tried at every character of a long
# blank line, each attempt ran to the line's end (quadratic).
_LINE_RE = re.compile(r"^[^\n]*\S[^\n]*", re.M)


def _alternation(words: Iterable[str]) -> str:
    return "|".join(sorted(words, key=len, reverse=True))


def _phrases(words: Iterable[str]) -> str:
    return "|".join(r"[ \t]+".join(w.split()) for w in words)


@dataclass(frozen=True)
class _Patterns:
    """A language's date, dateline and footer patterns and label words."""

    date: re.Pattern
    dateline: re.Pattern
    footer: re.Pattern
    footer_kinds: tuple[str, ...]
    not_dateline_places: frozenset[str]


@lru_cache(maxsize=None)
def _patterns(code: str = lang.DEFAULT) -> _Patterns:
    res = lang.resource("read", code)
    month = rf"(?i:{_alternation(lang.months(code))})\b\.?"
    weekday = rf"(?i:{_alternation(lang.weekdays(code))})\b\.?"
    # "Sept. 11, 2025", "September 12th, 2025", "11 September 2025", "Sept 11" (year optional).
    date = (rf"(?:(?P<m1>{month})\s+(?P<d1>{_DAY})(?:,?\s+(?P<y1>\d{{4}}))?"
            rf"|(?P<d2>{_DAY})\s+(?:of\s+)?(?P<m2>{month}),?(?:\s+(?P<y2>\d{{4}}))?)")
    kinds = res.words("footer_kinds")
    return _Patterns(
        date=re.compile(rf"^(?:{weekday},?\s+)?{date}$"),
        # A wire dateline opening the body: PLACE[, Region][, DATE] [(AGENCY)] SEPARATOR.
        # White space before the agency and the separator is taken whole (`\s*+`): two
        # plain `\s*` around the optional agency tried every split of a long run (quadratic).
        dateline=re.compile(rf"""
            (?P<place>[^\W\d_](?:[^\W\d_]|[ .'’/\-]{{1,2}}(?=[^\W\d_]))*\.?)
            (?:,\s*(?P<region>(?!{month})(?:[A-Z][a-z]+\.?|[A-Z]{{2,}}\.?|(?:[A-Z]\.){{1,3}})(?:\s[A-Z][a-z]+\.?)?))?
            (?:,\s*(?P<date>{date}))?
            \s*+(?:\((?P<agency>[A-Za-z][\w .&'’-]{{0,30}})\))?
            \s*+(?P<sep>[—–]|-{{1,2}}|:|_)(?=\s)
            """, re.VERBOSE),
        # A whole line that is a publication footer (or header): "Published in Dawn,
        # September 12th, 2025", "First published: 3 December 2025", "_Updated: 18 November
        # 2025, 17:40 CET_". White space around the colon is taken whole, as in the dateline.
        footer=re.compile(rf"""
            ^[ \t*_>]*
            (?i:(?:{_phrases(res.words("footer_openings"))})[ \t]+)?
            (?i:(?:{_phrases(res.words("footer_adverbs"))})[ \t]+)?
            (?P<kind>(?i:{_alternation(kinds)}))
            (?:[ \t]+(?i:{_phrases(res.words("footer_outlet_words"))})[ \t]+(?P<outlet>[A-Z][^\n,:]{{0,60}}?))?
            [ \t]*+[:,]?+[ \t]*+(?i:(?:{_phrases(res.words("footer_date_words"))})[ \t]+)?
            (?:{weekday},?[ \t]+)?
            (?P<date>{date}|\d{{4}}-\d{{2}}-\d{{2}})
            (?P<tail>[^\n]{{0,40}})$
            """, re.VERBOSE | re.MULTILINE),
        footer_kinds=kinds,
        not_dateline_places=frozenset(res.words("not_dateline_places")),
    )


def parse_published(value) -> dt.date:
    """A publication date given as a `date`, a `datetime` or a string, as a `datetime.date`.

    Strings may be ISO ("2025-09-12", "2025-09-12T14:05:00+02:00": the date as written, not
    converted to UTC), or have a month name ("12 September 2025", "Sept. 12, 2025", "Friday,
    September 12th, 2025"); other forms with a day, month and four-digit year go to dateparser
    (numbers read day first). Relative words ("yesterday") are refused: they would depend on
    today's date.

    Raises `InputError` naming the value when it is not a full date.
    """
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str):
        raise InputError(f"{value!r} is not a date (expected e.g. 2025-09-12)")
    s = value.strip()
    found = _parse_date_string(s)
    if found is None:
        raise InputError(f'"{value}" is not a date (expected e.g. 2025-09-12 or "12 September 2025")')
    return found


def _parse_date_string(s: str) -> dt.date | None:
    if not s:
        return None
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", s):
        try:
            return dt.date.fromisoformat(s)
        except ValueError:
            return None
    if re.match(r"\d{4}-\d{2}-\d{2}[T ]\d", s):
        try:
            return dt.datetime.fromisoformat(s).date()
        except ValueError:
            pass
    m = _patterns().date.match(s.rstrip(". "))
    if m:
        parts = _date_parts(m)
        return _make_date(*parts) if parts[0] is not None else None
    if not re.search(r"\d{4}", s):
        return None
    import dateparser  # slow to import; only odd forms get here

    parsed = dateparser.parse(
        s,
        languages=["en"],
        settings={
            "REQUIRE_PARTS": ["day", "month", "year"],
            "DATE_ORDER": "DMY",
            "PARSERS": ["custom-formats", "absolute-time"],
            "RETURN_AS_TIMEZONE_AWARE": False,
        },
    )
    return parsed.date() if parsed else None


def _date_parts(m: re.Match) -> tuple[int | None, int, int]:
    """(year or None, month, day) from a match of `_DATE`."""
    month = m.group("m1") or m.group("m2")
    day = m.group("d1") or m.group("d2")
    year = m.group("y1") or m.group("y2")
    return (
        int(year) if year else None,
        lang.months()[month.rstrip(".").lower()],
        int(re.match(r"\d+", day).group()),
    )


def _make_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _nearest_year(month: int, day: int, reference: dt.date) -> dt.date | None:
    """The date with this month and day nearest to `reference` (a year-less dateline)."""
    candidates = [_make_date(y, month, day) for y in (reference.year - 1, reference.year, reference.year + 1)]
    candidates = [c for c in candidates if c is not None]
    return min(candidates, key=lambda c: abs((c - reference).days)) if candidates else None


@dataclass(frozen=True)
class Dateline:
    """A wire dateline: its span, the date it gives (any part may be None), its agency."""

    span: tuple[int, int]
    year: int | None
    month: int | None
    day: int | None
    agency: str


@dataclass(frozen=True)
class _Footer:
    span: tuple[int, int]
    kind: str
    date: dt.date
    outlet: str


def find_dateline(text: str) -> Dateline | None:
    """The dateline opening one of the text's first `DATELINE_PARAGRAPHS` paragraphs (a
    standfirst or byline may come before it), if there is one."""
    for n, line in enumerate(_LINE_RE.finditer(text)):
        if n == DATELINE_PARAGRAPHS:
            return None
        start = line.start() + len(line.group()) - len(line.group().lstrip())
        found = _dateline_at(text, start)
        if found is not None:
            return found
    return None


def _dateline_at(text: str, start: int) -> Dateline | None:
    m = _patterns().dateline.match(text, start)
    if not m:
        return None
    place = m.group("place").strip()
    words = place.split()
    if len(place) > 40 or len(words) > 5 or place.lower().rstrip(".") in _patterns().not_dateline_places:
        return None
    if not (m.group("date") or m.group("agency")) and not (place.isupper() and len(place) >= 3):
        return None  # "Note: ..." and "Q: ..." are not datelines; "VILNIUS:", "Vilnius (AFP) -" are
    rest = text[m.end():].lstrip()
    if not rest or not rest[0].isalnum() and rest[0] not in "\"'“‘«(":
        return None
    year = month = day = None
    if m.group("date"):
        year, month, day = _date_parts(m)
        if year is not None and _make_date(year, month, day) is None:
            return None
    return Dateline((m.start(), m.end()), year, month, day, (m.group("agency") or "").strip())


def _find_footers(text: str) -> list[_Footer]:
    """Every whole line of the text that is a publication footer with a full date."""
    found = []
    for m in _patterns().footer.finditer(text):
        if _PROSE_WORD_RE.search(m.group("tail")):
            continue
        raw = m.group("date")
        if m.group("y1") or m.group("y2"):
            date = _make_date(*_date_parts(m))
        elif re.fullmatch(r"\d{4}-\d{2}-\d{2}", raw):
            date = _parse_date_string(raw)
        else:
            continue  # a footer date without a year is not a publication date
        if date is None:
            continue
        line = m.group(0)
        lead = len(line) - len(line.lstrip())
        end = m.start() + len(line.rstrip())
        found.append(_Footer((m.start() + lead, end), m.group("kind").lower(), date, (m.group("outlet") or "").strip()))
    return found


def _choose_published(
    argument: dt.date | None,
    metadata: dt.date | None,
    dateline: Dateline | None,
    footers: list[_Footer],
) -> tuple[dt.date | None, str]:
    """The publication date and where it came from, by the documented precedence."""
    if argument is not None:
        return argument, "argument"
    if metadata is not None:
        return metadata, "metadata"
    footer = next((f for kind in _patterns().footer_kinds for f in footers if f.kind == kind), None)
    if dateline is not None and dateline.month is not None:
        if dateline.year is not None:
            return _make_date(dateline.year, dateline.month, dateline.day), "dateline"
        if footer is not None:
            date = _nearest_year(dateline.month, dateline.day, footer.date)
            if date is not None:
                return date, "dateline"
    if footer is not None:
        return footer.date, "footer"
    return None, ""




@dataclass(frozen=True)
class Metadata:
    """What a text says about itself: its publication date and where that came from
    ("argument", "metadata", "dateline", "footer", or ""), the spans of its dateline and
    footers, and the outlet they name (a footer's outlet, else the dateline's agency)."""

    published: dt.date | None
    published_from: str
    spans: tuple[tuple[int, int], ...]
    outlet: str


def metadata(text: str, *, argument: dt.date | None = None, stated: dt.date | None = None) -> Metadata:
    """The publication metadata of an article's `text`: `argument` (the caller's date) wins,
    then `stated` (the file's metadata), then the dateline, then a footer."""
    dateline = find_dateline(text)
    footers = _find_footers(text)
    published, origin = _choose_published(argument, stated, dateline, footers)
    spans = tuple(sorted({f.span for f in footers} | ({dateline.span} if dateline else set())))
    outlet = next((f.outlet for f in footers if f.outlet), "") or (dateline.agency if dateline else "")
    return Metadata(published, origin, spans, outlet)
