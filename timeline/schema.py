"""The event frame's schema: every column, its dtype and its meaning, stated once.

The README's schema table is generated from `COLUMNS` (see `schema_markdown`), the
frame module validates against it, and every downstream stage (figures, app, export)
reads columns by these names only.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Column:
    name: str
    dtype: str  # pandas dtype name, or "list" for a column of Python lists of str
    meaning: str


COLUMNS: tuple[Column, ...] = (
    Column("event_id", "str", "Stable id: the same text parsed again gives the same id; overrides key on it."),
    Column("date", "datetime64[s]", "First day of the event's period; NaT for an undated event."),
    Column("end", "datetime64[s]", "Last day of the event's period (== date for a day event); NaT when undated."),
    Column("granularity", "str", "time, day, week, month, quarter, half, season, year, decade or century; '' when undated."),
    Column("timex", "str", "TIMEX3 value of the event's date, e.g. 2025-09-11, 2025-08, 2010; '' when undated."),
    Column("date_text", "str", "The date expression as written in the article ('on Thursday', 'last month')."),
    Column("dated", "bool", "False for statements and plans kept in the frame without a date of their own."),
    Column("title", "str", "Short headline-style clause: who did what (at most 80 characters, cut where a phrase ends, asides left out)."),
    Column("category", "str", "One of timeline.categories.NAMES (release, sanctions, diplomacy, ...)."),
    Column("actors", "list", "People and organisations as named, role titles stripped."),
    Column("places", "list", "Place names found in the evidence, main place first."),
    Column("countries", "list", "ISO 3166-1 alpha-2 codes of the countries involved."),
    Column("lat", "float64", "Latitude of the main place (WGS84); NaN when unknown."),
    Column("lon", "float64", "Longitude of the main place (WGS84); NaN when unknown."),
    Column("place_inferred", "bool", "True when the main place is inferred (e.g. the border crossing), not stated."),
    Column("sentence", "str", "The evidence: the sentence of the article that reports the event."),
    Column("start_char", "Int64", "Offset of the evidence's first character in the article text."),
    Column("end_char", "Int64", "Offset just past the evidence's last character in the article text."),
    Column("confidence", "float64",
           "0-1: the chance an editor keeps the row, from how it was dated and what it is (README: Confidence)."),
    Column("article_id", "str", "Id of the (first) article reporting the event."),
    Column("source", "str", "Outlet or file the article came from."),
    Column("published", "datetime64[s]", "The article's publication date; NaT when unknown."),
    Column("url", "str", "The article's URL, when known."),
    Column("language", "str",
           "ISO 639-1 code of the article's language (en, fr, ...), declared or detected; '' when too short to tell."),
    Column("sources", "list", "Ids of every article reporting the event (merged across articles)."),
)

NAMES: tuple[str, ...] = tuple(c.name for c in COLUMNS)

# Columns added after frames were first saved, with the value a frame saved before them takes:
# `timeline.frame.validate` fills them in, so an older file still loads.
ADDED_LATER: dict[str, object] = {"language": ""}
LIST_COLUMNS: tuple[str, ...] = tuple(c.name for c in COLUMNS if c.dtype == "list")
DATE_COLUMNS: tuple[str, ...] = tuple(c.name for c in COLUMNS if c.dtype.startswith("datetime"))

GRANULARITIES: tuple[str, ...] = (
    "time", "day", "week", "month", "quarter", "half", "season", "year", "decade", "century",
)


def schema_markdown() -> str:
    """The schema as a Markdown table (column, dtype, meaning) for the README."""
    rows = ["| column | dtype | meaning |", "|---|---|---|"]
    rows += [f"| `{c.name}` | {c.dtype} | {c.meaning} |" for c in COLUMNS]
    return "\n".join(rows)
