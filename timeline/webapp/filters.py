"""The reader's filters, stated once: `Filters` (what the dashboard's controls, its URL and
an embed's URL select), read from component values (`Filters.of`) or from a query string
(`from_search`), written back into one (`Filters.query_pairs`), and applied to a frame
(`filter_frame`). Also the timeline's visible range as the browser reports it (`as_range`,
`timeline_range`) and the events inside it (`in_range`).

    f = from_search("?category=Military&from=2025-08-01&q=drones", snap.options)
    shown = filter_frame(snap.frame, f)             # the events the reader asked for

Every reader of filters goes through here: the dashboard's callbacks, the embeds
(`embed.EmbedParams.filters`) and the corpus' cache of filtered frames (`Corpus.select`).
Nothing here raises: a value that makes no sense restricts nothing.
"""
from __future__ import annotations

import datetime as dt
import re
import urllib.parse
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from timeline.extract import confidence

URL_NAMES = {"categories": "category", "countries": "country", "actors": "actor", "start": "from", "end": "to",
             "text": "q", "shown": "show", "languages": "lang"}
"""Each filter's query string parameter, in the dashboard's URL and in /embed's."""

TEXT_LIMIT = 200
"""Characters of a free-text search kept (a longer one is cut)."""

SHOWN = ("likely", "all")
"""Which rows are shown: those an editor is likely to keep (confidence at least
`timeline.extract.confidence.shown_from()`), the default, or all of them."""


@dataclass(frozen=True)
class Filters:
    """The reader's filters. Empty tuples and None mean 'no restriction'.

    `start`/`end` are ISO dates (either may be None): an event matches when its period
    overlaps them, and undated events then never match. `text` is matched, casefolded,
    as a substring of title, evidence, actors, places, source and the date as written.
    `shown`: "likely" (the default) leaves out the rows an editor seldom keeps (confidence
    below `confidence.shown_from()`: quotations, dates borrowed from another sentence, ...);
    "all" shows every row. `languages`: ISO 639-1 codes; an event matches when its evidence
    is in one of them (a row merged across languages has its earliest report's).
    Build one with `Filters.of` or `from_search`, which check and normalise the values.
    """

    categories: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    actors: tuple[str, ...] = ()
    start: str | None = None
    end: str | None = None
    text: str = ""
    shown: str = "likely"
    languages: tuple[str, ...] = ()

    @classmethod
    def of(cls, categories=None, countries=None, actors=None, start=None, end=None, text=None,
           shown=None, languages=None) -> Filters:
        """Filters from raw component values: None, a string or a list each; dates that
        are not ISO dates are ignored; a reversed range is put right; `shown` is "all" or
        (anything else) "likely"."""
        start, end = iso_day(start), iso_day(end)
        if start and end and start > end:
            start, end = end, start
        return cls(_strings(categories), _strings(countries), _strings(actors), start, end,
                   " ".join(str(text or "").split())[:TEXT_LIMIT], shown if shown in SHOWN else SHOWN[0],
                   _strings(languages))

    @property
    def active(self) -> bool:
        """Whether the reader chose any filter (`shown` aside)."""
        return bool(self.categories or self.countries or self.actors or self.start or self.end or self.text
                    or self.languages)

    def query_pairs(self) -> list[tuple[str, str]]:
        """(parameter, value) for the query string, in URL_NAMES' order; '' for a filter not set."""
        values = {"categories": ",".join(self.categories), "countries": ",".join(self.countries),
                  "actors": ",".join(self.actors), "start": self.start or "", "end": self.end or "",
                  "text": self.text, "shown": "" if self.shown == "likely" else self.shown,
                  "languages": ",".join(self.languages)}
        return [(URL_NAMES[field], values[field]) for field in URL_NAMES]


def _strings(value) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, (list, tuple)):
        return ()
    return tuple(dict.fromkeys(str(v) for v in value if isinstance(v, (str, int)) and str(v).strip()))


def iso_day(value) -> str | None:
    """`value`'s first ten characters as an ISO date ('2025-09-11'), or None when they are not one."""
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        return dt.date.fromisoformat(value.strip()[:10]).isoformat()
    except ValueError:
        return None


# --------------------------------------------------------------------------- the URL

def query_value(search: str | None, name: str) -> str:
    """The last value of parameter `name` in the query string `search` ('?a=1&b=2' or
    'a=1&b=2'), white space stripped; '' when it is absent or empty."""
    values = urllib.parse.parse_qs((search or "").lstrip("?")).get(name) or [""]
    return values[-1].strip()


def from_search(search: str | None, offered=None) -> Filters:
    """The filters a query string such as
    '?category=release,talks&country=BY&actor=Donald Trump&from=2025-08-01&to=2025-09-30&q=drones'
    asks for (parameters: URL_NAMES).

    `offered` (a `corpus.Options`, or anything with `categories`, `countries`, `actors` and
    `languages`) says which values exist; a value not on offer (matched without regard to case) is
    dropped, and so is a date that is not a date: nonsense keeps the defaults. Without
    `offered` no category, country or actor is on offer.
    """
    params = urllib.parse.parse_qs((search or "").lstrip("?"))

    def many(field: str, fold=str.casefold) -> list[str]:
        known = {fold(a): a for a in getattr(offered, field, ())}
        values = [v.strip() for raw in params.get(URL_NAMES[field], []) for v in raw.split(",")]
        return [known[fold(v)] for v in values if fold(v) in known]

    def one(field: str) -> str:
        return (params.get(URL_NAMES[field]) or [""])[-1].strip()

    return Filters.of(many("categories"), many("countries", str.upper), many("actors"), one("start"), one("end"),
                      one("text"), one("shown"), many("languages"))


# --------------------------------------------------------------------------- a frame

def filter_frame(frame: pd.DataFrame, filters: Filters, *, haystack: pd.Series | None = None) -> pd.DataFrame:
    """The rows of `frame` that pass every filter of `filters` (see `Filters`).

    `categories`, `languages`: any of these; `countries`, `actors`: the event names at least one of
    these; `start`/`end`: the event's period overlaps them; `text`: a casefolded
    substring. `haystack`, when given, is the per-row search text (`Snapshot.haystack`),
    else it is built here. Returns a view of the matching rows, in frame order (possibly
    empty, never an error).
    """
    f = filters
    mask = np.ones(len(frame), dtype=bool)
    if f.categories:
        mask &= frame["category"].isin(f.categories).to_numpy()
    if f.languages and "language" in frame.columns:
        mask &= frame["language"].isin(f.languages).to_numpy()
    for column, wanted in (("countries", f.countries), ("actors", f.actors)):
        if wanted:
            want = set(wanted)
            mask &= np.fromiter((isinstance(v, (list, tuple, np.ndarray)) and not want.isdisjoint(v)
                                 for v in frame[column].tolist()), dtype=bool, count=len(frame))
    if f.start or f.end:
        mask &= _overlaps(frame, f.start, f.end)
    if f.shown == "likely" and "confidence" in frame.columns:
        mask &= ~(frame["confidence"] < confidence.shown_from()).to_numpy(dtype=bool, na_value=False)
    if f.text:
        if haystack is None:
            haystack = (frame["title"] + "\n" + frame["sentence"] + "\n" + frame["source"] + "\n"
                        + frame["date_text"] + "\n"
                        + frame["actors"].map(" ".join).astype("str") + "\n"
                        + frame["places"].map(" ".join).astype("str")).str.casefold()
        mask &= haystack.str.contains(f.text.casefold(), regex=False).to_numpy(dtype=bool, na_value=False)
    return frame[mask]


def _overlaps(frame: pd.DataFrame, start: str | None, end: str | None) -> np.ndarray:
    dated = frame["dated"].to_numpy(dtype=bool) & frame["date"].notna().to_numpy()
    mask = dated.copy()
    if start:
        mask &= (frame["end"] >= pd.Timestamp(start)).to_numpy(dtype=bool, na_value=False)
    if end:
        mask &= (frame["date"] <= pd.Timestamp(end)).to_numpy(dtype=bool, na_value=False)
    return mask


# --------------------------------------------------------------------------- the visible range

def in_range(frame: pd.DataFrame, visible: Sequence[str] | None) -> pd.DataFrame:
    """The dated events of `frame` overlapping `visible` (two ISO dates); all of `frame`
    when `visible` is None."""
    if not visible:
        return frame
    return frame[_overlaps(frame, visible[0], visible[1])]


def as_range(value) -> tuple[str, str] | None:
    """A visible-range store value ([start, end] ISO dates, as the browser computes it from
    the timeline's relayoutData) checked: the two dates in order, or None for anything else."""
    if not isinstance(value, (list, tuple)) or len(value) != 2:
        return None
    days = [iso_day(v) for v in value]
    if not all(days):
        return None
    return (min(days), max(days))


_INSTANT = re.compile(r"\d{4}-\d{2}-\d{2}( \d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?)?")


def timeline_range(value) -> tuple[str, str] | str | None:
    """The timeline's x range for a visible-range store value, to draw it again where the
    reader left it: "all" after the axis was reset to show everything, else the two dates
    or date-times as plotly reported them ('2025-08-03 14:22:10.512'), in order; None for
    anything else (no zoom yet, or nonsense), which opens the default view."""
    if value == "all":
        return "all"
    if not isinstance(value, (list, tuple)) or len(value) != 2:
        return None
    if not all(isinstance(v, str) and _INSTANT.fullmatch(v) for v in value):
        return None
    try:
        a, b = (pd.Timestamp(v) for v in value)
    except ValueError:
        return None
    return (value[0], value[1]) if a <= b else (value[1], value[0])
