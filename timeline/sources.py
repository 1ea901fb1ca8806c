"""Read news articles from files (or plain text) into `Article`s: the first stage of the pipeline.

Formats, chosen by the file's extension:

- ``.txt``: the first non-empty line is the headline (``#`` marks stripped), the rest is the body.
  A first line that is itself a wire dateline ("VILNIUS, Sept 11 (Reuters) - ...") or longer
  than a headline can be (`HEADLINE_MAX_CHARS`) is body text, and the article has no title.
- ``.md``/``.markdown``: as ``.txt``, written as plain text (emphasis, link targets, heading and
  quote marks removed); an optional YAML front matter block gives title, date, source and url.
- ``.html``/``.htm``: trafilatura extracts the main text and the metadata (title, outlet,
  publication date, canonical URL). A page without article text is an error.
- ``.json``: one object, or a list of objects (or ``{"articles": [...]}``), each with ``text`` and
  optionally ``title``, ``published``, ``source``, ``url``. The text is kept character for
  character, so offsets computed by the caller on it stay valid.

Bytes are decoded as UTF-8 (with or without BOM) when they are UTF-8, otherwise as the legacy
encoding charset-normalizer finds, preferring cp1252 over latin-1: a curly quote never fails.

The publication date, in order of precedence: the caller's ``published`` argument, the file's
metadata (HTML, JSON, front matter), the text's dateline ("MINSK, Sept. 11, 2025 (AP) —"), its
publication footer ("Published in Dawn, September 12th, 2025", "Updated: 18 November 2025").
A dateline without a year ("VILNIUS, Sept 11 (Reuters) -") takes the year that puts it nearest
to the footer's date ("Dec 31" with a footer of 2 January 2026 is 2025-12-31); without a footer
it gives no date (metadata, when there is some, wins anyway). Without any of these the article has
no publication date (``published is None``): never today's date.

Datelines and footers are metadata, not events: their character spans are listed in
`Article.metadata_spans` so that later stages skip the dates inside them. A dateline span covers
only the prefix ("VILNIUS, Sept 11 (Reuters) -"), not the sentence it opens.

Public API: `Article`, `read_path`, `read_bytes`, `read_many`, `article_from_text`,
`parse_published`, `decode`, `article_id`, `MAX_BYTES`, `EXTENSIONS`.
"""
from __future__ import annotations

import codecs
import datetime as dt
import hashlib
import json
import os
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from timeline.errors import InputError

MAX_BYTES = 10_000_000
"""Default size limit of one input file, in bytes."""

EXTENSIONS = {
    ".txt": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
    ".json": "json",
}
"""The file extensions read, and the format each one means."""

HEADLINE_MAX_CHARS = 250
"""A first line longer than this is a paragraph of body text, not a headline."""

DATELINE_PARAGRAPHS = 3
"""A dateline is looked for at the start of this many first paragraphs of the body."""

MIN_HTML_WORDS = 5
"""An HTML page whose extracted text has fewer words than this has no article text."""


@dataclass(frozen=True)
class Article:
    """One news article, as every later stage sees it.

    `text` is the body (the headline is in `title`, not in `text`); every character offset
    downstream (`start_char`, `end_char`, `metadata_spans`) is an offset into `text`.
    `published_from` says where `published` came from: "argument", "metadata", "dateline",
    "footer", or "" when there is no publication date.
    """

    article_id: str
    title: str
    text: str
    published: dt.date | None
    source: str
    url: str
    path: str
    published_from: str
    metadata_spans: tuple[tuple[int, int], ...]


# ---------------------------------------------------------------------------------------------
# Language resources: the words and shapes of datelines and footers. Plain data; the functions
# below only apply them. Month and weekday names are our own short lists (sources sits upstream
# of timeline.temporal and must not import it).

MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4,
    "apr": 4, "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8,
    "september": 9, "sept": 9, "sep": 9, "october": 10, "oct": 10, "november": 11, "nov": 11,
    "december": 12, "dec": 12,
}
WEEKDAYS = (
    "monday", "mon", "tuesday", "tue", "tues", "wednesday", "wed", "thursday", "thu", "thurs",
    "friday", "fri", "saturday", "sat", "sunday", "sun",
)
# Words that open a first paragraph like a dateline place but are labels ("UPDATE: ...").
NOT_DATELINE_PLACES = {
    "analysis", "breaking", "comment", "correction", "editorial", "exclusive", "explainer",
    "factbox", "live", "note", "opinion", "refile", "update", "updated", "urgent", "watch",
}
# Footer keywords: "Published in Dawn, ...", "Updated: ...", "Posted on ...".
FOOTER_KINDS = ("published", "posted", "updated")  # preferred in this order for the date


def _alternation(words: Iterable[str]) -> str:
    return "|".join(sorted(words, key=len, reverse=True))


_MONTH = rf"(?i:{_alternation(MONTHS)})\b\.?"
_WEEKDAY = rf"(?i:{_alternation(WEEKDAYS)})\b\.?"
_DAY = r"\d{1,2}(?:st|nd|rd|th)?"
# "Sept. 11, 2025", "September 12th, 2025", "11 September 2025", "Sept 11" (year optional).
_DATE = (
    rf"(?:(?P<m1>{_MONTH})\s+(?P<d1>{_DAY})(?:,?\s+(?P<y1>\d{{4}}))?"
    rf"|(?P<d2>{_DAY})\s+(?:of\s+)?(?P<m2>{_MONTH}),?(?:\s+(?P<y2>\d{{4}}))?)"
)
_DATE_RE = re.compile(rf"^(?:{_WEEKDAY},?\s+)?{_DATE}$")

# A wire dateline opening the body: PLACE[, Region][, DATE] [(AGENCY)] SEPARATOR.
_DATELINE_RE = re.compile(
    rf"""
    (?P<place>[^\W\d_](?:[^\W\d_]|[ .'’/\-]{{1,2}}(?=[^\W\d_]))*\.?)
    (?:,\s*(?P<region>(?!{_MONTH})(?:[A-Z][a-z]+\.?|[A-Z]{{2,}}\.?|(?:[A-Z]\.){{1,3}})(?:\s[A-Z][a-z]+\.?)?))?
    (?:,\s*(?P<date>{_DATE}))?
    \s*(?:\((?P<agency>[A-Za-z][\w .&'’-]{{0,30}})\))?
    \s*(?P<sep>[—–]|-{{1,2}}|:|_)(?=\s)
    """,
    re.VERBOSE,
)

# A whole line that is a publication footer (or header): "Published in Dawn, September 12th,
# 2025", "First published: 3 December 2025", "_Updated: 18 November 2025, 17:40 CET_".
_FOOTER_RE = re.compile(
    rf"""
    ^[ \t*_>]*
    (?i:this[ \t]+(?:article|story)[ \t]+was[ \t]+)?
    (?i:(?:first|originally|last)[ \t]+)?
    (?P<kind>(?i:{_alternation(FOOTER_KINDS)}))
    (?:[ \t]+(?i:in|by)[ \t]+(?P<outlet>[A-Z][^\n,:]{{0,60}}?))?
    [ \t]*[:,]?[ \t]*(?i:on[ \t]+)?
    (?:{_WEEKDAY},?[ \t]+)?
    (?P<date>{_DATE}|\d{{4}}-\d{{2}}-\d{{2}})
    (?P<tail>[^\n]{{0,40}})$
    """,
    re.VERBOSE | re.MULTILINE,
)
# The tail after a footer's date may hold a time and zone ("17:40 CET"), never prose.
_PROSE_WORD_RE = re.compile(r"\b[a-z]{3,}\b")


# ---------------------------------------------------------------------------------------------
# Publication dates

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
    m = _DATE_RE.match(s.rstrip(". "))
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
        MONTHS[month.rstrip(".").lower()],
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


# ---------------------------------------------------------------------------------------------
# Datelines and footers

@dataclass(frozen=True)
class _Dateline:
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


def _find_dateline(text: str) -> _Dateline | None:
    """The dateline opening one of the text's first `DATELINE_PARAGRAPHS` paragraphs (a
    standfirst or byline may come before it), if there is one."""
    for n, line in enumerate(re.finditer(r"[^\n]*\S[^\n]*", text)):
        if n == DATELINE_PARAGRAPHS:
            return None
        start = line.start() + len(line.group()) - len(line.group().lstrip())
        found = _dateline_at(text, start)
        if found is not None:
            return found
    return None


def _dateline_at(text: str, start: int) -> _Dateline | None:
    m = _DATELINE_RE.match(text, start)
    if not m:
        return None
    place = m.group("place").strip()
    words = place.split()
    if len(place) > 40 or len(words) > 5 or place.lower().rstrip(".") in NOT_DATELINE_PLACES:
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
    return _Dateline((m.start(), m.end()), year, month, day, (m.group("agency") or "").strip())


def _find_footers(text: str) -> list[_Footer]:
    """Every whole line of the text that is a publication footer with a full date."""
    found = []
    for m in _FOOTER_RE.finditer(text):
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
    dateline: _Dateline | None,
    footers: list[_Footer],
) -> tuple[dt.date | None, str]:
    """The publication date and where it came from, by the documented precedence."""
    if argument is not None:
        return argument, "argument"
    if metadata is not None:
        return metadata, "metadata"
    footer = next((f for kind in FOOTER_KINDS for f in footers if f.kind == kind), None)
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


# ---------------------------------------------------------------------------------------------
# Building articles

def article_id(text: str) -> str:
    """A stable short id of an article's text: the first 16 hex digits of the SHA-1 of the text
    with its white space collapsed (so a re-save with other line endings keeps the id)."""
    normal = unicodedata.normalize("NFC", " ".join(text.split()))
    return hashlib.sha1(normal.encode("utf-8")).hexdigest()[:16]


def article_from_text(
    text: str,
    *,
    title: str = "",
    published=None,
    source: str = "",
    url: str = "",
    name: str = "",
) -> Article:
    """An `Article` from a body text already in hand, kept character for character.

    `published` (a date or a date string) wins over any dateline or footer in the text and is
    recorded as coming from the "argument". `source` defaults to the outlet named by a footer
    ("Published in Dawn, ..."), then the agency of the dateline ("(Reuters)"), then `name`'s
    file name. `name` (a file name or label) is the article's `path` and names it in errors.

    Raises `InputError` when the text is empty or `published` is not a date.
    """
    argument = parse_published(published) if published is not None else None
    return _build(text, title=title, path=name, source=source, url=url, argument=argument, metadata=None)


def _build(
    text: str,
    *,
    title: str,
    path: str,
    source: str,
    url: str,
    argument: dt.date | None,
    metadata: dt.date | None,
) -> Article:
    if not isinstance(text, str) or not text.strip():
        raise InputError(f"{path or 'text'}: no article text")
    dateline = _find_dateline(text)
    footers = _find_footers(text)
    published, origin = _choose_published(argument, metadata, dateline, footers)
    spans = sorted({f.span for f in footers} | ({dateline.span} if dateline else set()))
    if not source:
        outlet = next((f.outlet for f in footers if f.outlet), "")
        source = outlet or (dateline.agency if dateline else "") or (Path(path).name if path else "")
    return Article(
        article_id=article_id(text),
        title=(title or "").strip(),
        text=text,
        published=published,
        source=source.strip(),
        url=(url or "").strip(),
        path=path,
        published_from=origin,
        metadata_spans=tuple(spans),
    )


# ---------------------------------------------------------------------------------------------
# Decoding

_CP1252_FAMILY = {"ascii", "cp1252", "latin_1", "iso8859_1", "iso8859_15"}


def decode(name: str, data: bytes) -> str:
    """The text of a file's bytes: UTF-8 (BOM or not) or UTF-16 with a BOM when they are that,
    else the legacy encoding charset-normalizer finds (cp1252 when it reads the same, and in
    preference to latin-1). Line endings become "\\n".

    Raises `InputError` ("looks binary") for bytes that are not text.
    """
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            raise InputError(f"{name}: looks binary, not text (undecodable UTF-16)") from None
    elif b"\x00" in data:
        raise InputError(f"{name}: looks binary, not text (it contains NUL bytes)")
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = _decode_legacy(data)
    if _control_ratio(text) > 0.01:
        raise InputError(f"{name}: looks binary, not text")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _decode_legacy(data: bytes) -> str:
    import charset_normalizer

    best = charset_normalizer.from_bytes(data).best()
    guess = best.encoding if best is not None else None
    try:
        cp1252 = data.decode("cp1252")
    except UnicodeDecodeError:
        cp1252 = None
    if guess is None or guess in _CP1252_FAMILY:
        return cp1252 if cp1252 is not None else data.decode("latin_1")
    text = str(best)
    # cp1250 and cp1257 read English curly quotes like cp1252 does; only trust the guess
    # when it reads the bytes differently.
    return cp1252 if cp1252 == text else text


_CONTROL_RE = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")  # C0/C1 controls but white space


def _control_ratio(text: str) -> float:
    return len(_CONTROL_RE.findall(text)) / len(text) if text else 0.0


# ---------------------------------------------------------------------------------------------
# Formats

def _split_headline(text: str) -> tuple[str, str]:
    """(headline, body) of a plain text: the first non-empty line is the headline, unless it
    opens with a dateline or is too long to be one."""
    stripped = text.strip()
    first, _, rest = stripped.partition("\n")
    dateline = _find_dateline(first)
    if (dateline and (dateline.month or dateline.agency)) or len(first) > HEADLINE_MAX_CHARS:
        return "", stripped
    headline = re.sub(r"^#+\s*|\s*#+$", "", first.strip())
    body = rest.strip()
    if not body:  # a one-line file: the line is the article
        return headline, first.strip()
    return headline, body


_MD_RULES = (  # (pattern, replacement), applied in order to write Markdown as plain text
    (re.compile(r"^ {0,3}#{1,6}[ \t]+(.*?)[ \t]*#*[ \t]*$", re.M), r"\1"),  # headings
    (re.compile(r"^ {0,3}>[ \t]?", re.M), ""),  # block quotes
    (re.compile(r"^ {0,3}(?:[-*_][ \t]*){3,}$", re.M), ""),  # horizontal rules
    (re.compile(r"!\[[^\]]*\]\([^)]*\)"), ""),  # images
    (re.compile(r"\[([^\]]+)\]\([^)]*\)"), r"\1"),  # links: keep the link text
    (re.compile(r"`([^`]+)`"), r"\1"),  # inline code
    (re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1"), r"\2"),  # strong
    (re.compile(r"(?<![\w*])\*(?=\S)(.+?)(?<=\S)\*(?![\w*])"), r"\1"),  # emphasis
    (re.compile(r"(?<![\w_])_(?=\S)(.+?)(?<=\S)_(?![\w_])"), r"\1"),
)
_FRONT_MATTER_RE = re.compile(r"\A---[ \t]*\n(.*?\n)---[ \t]*\n", re.S)


def _markdown_to_text(md: str) -> str:
    for pattern, replacement in _MD_RULES:
        md = pattern.sub(replacement, md)
    return re.sub(r"\n{3,}", "\n\n", md)


def _front_matter(md: str) -> tuple[dict, str]:
    """(metadata, rest) of a Markdown text with a YAML front matter block, else ({}, md)."""
    m = _FRONT_MATTER_RE.match(md)
    if not m:
        return {}, md
    import yaml

    try:
        meta = yaml.safe_load(m.group(1))
    except yaml.YAMLError:
        return {}, md
    if not isinstance(meta, dict):
        return {}, md
    return meta, md[m.end():]


def _read_text(name: str, text: str, argument: dt.date | None) -> list[Article]:
    title, body = _split_headline(text)
    if not body.strip():
        raise InputError(f"{name}: file is empty")
    return [_build(body, title=title, path=name, source="", url="", argument=argument, metadata=None)]


def _read_markdown(name: str, text: str, argument: dt.date | None) -> list[Article]:
    meta, md = _front_matter(text)
    metadata = None
    when = meta.get("published", meta.get("date"))
    if when is not None:
        try:
            metadata = parse_published(when)
        except InputError as e:
            raise InputError(f"{name}: front matter: {e}") from None
    if meta.get("title"):
        title = str(meta["title"]).strip()
        body = _markdown_to_text(md).strip()
        first, _, rest = body.partition("\n")
        if first.strip().casefold() == title.casefold():
            body = rest.strip()
    else:
        title, body = _split_headline(_markdown_to_text(md))
    if not body.strip():
        raise InputError(f"{name}: no article text")
    return [_build(body, title=title, path=name, source=str(meta.get("source") or ""),
                   url=str(meta.get("url") or ""), argument=argument, metadata=metadata)]


def _read_html(name: str, html: str, argument: dt.date | None) -> list[Article]:
    import trafilatura

    doc = trafilatura.bare_extraction(
        html,
        with_metadata=True,
        include_comments=False,
        # Only dates the page's markup or URL states; the extensive search would pick a date
        # out of the body text, which may be an event's date, not the publication's.
        date_extraction_params={"extensive_search": False, "original_date": True},
    )
    text = (doc.text or "") if doc is not None else ""
    if len(text.split()) < MIN_HTML_WORDS:
        raise InputError(f"{name}: no article text found in the HTML")
    title = (doc.title or "").strip()
    first, _, rest = text.partition("\n")
    if title and first.strip() == title and rest.strip():
        text = rest.lstrip("\n")
    metadata = None
    if doc.date:
        try:
            metadata = parse_published(doc.date)
        except InputError:
            metadata = None
    return [_build(text, title=title, path=name, source=doc.sitename or doc.hostname or "",
                   url=doc.url or "", argument=argument, metadata=metadata)]


def _read_json(name: str, text: str, argument: dt.date | None, problems: list[str] | None) -> list[Article]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as e:
        raise InputError(f"{name}: not valid JSON ({e.msg} at line {e.lineno}, column {e.colno})") from None
    if isinstance(data, dict) and isinstance(data.get("articles"), list):
        data = data["articles"]
    if isinstance(data, dict):
        return [_json_article(name, data, argument, label=name)]
    if not isinstance(data, list):
        raise InputError(f"{name}: JSON must be an article object or a list of them")
    if not data:
        raise InputError(f"{name}: the JSON list holds no articles")
    articles = []
    for i, item in enumerate(data):
        label = f"{name}, item {i + 1} of {len(data)}"
        try:
            articles.append(_json_article(name, item, argument, label=label))
        except InputError as e:
            if problems is None:
                raise
            problems.append(str(e))
    return articles


def _json_article(name: str, item, argument: dt.date | None, *, label: str) -> Article:
    if not isinstance(item, dict):
        raise InputError(f"{label}: not an article object")
    for key in ("title", "text", "source", "url"):
        if item.get(key) is not None and not isinstance(item[key], str):
            raise InputError(f'{label}: "{key}" must be a string')
    text = item.get("text") or ""
    if not text.strip():
        raise InputError(f'{label}: no "text"')
    metadata = None
    if item.get("published") not in (None, ""):
        try:
            metadata = parse_published(item["published"])
        except InputError as e:
            raise InputError(f"{label}: published {e}") from None
    return _build(text, title=item.get("title") or "", path=name, source=item.get("source") or "",
                  url=item.get("url") or "", argument=argument, metadata=metadata)


# ---------------------------------------------------------------------------------------------
# Public readers

def read_bytes(
    name: str,
    data: bytes,
    *,
    published=None,
    max_bytes: int | None = MAX_BYTES,
    problems: list[str] | None = None,
) -> list[Article]:
    """The articles in one file's bytes; `name` (its path or file name) gives the format by its
    extension, becomes each article's `path`, and names the file in errors.

    `published` (date or date string) overrides every date found in the file. A JSON list gives
    one article per item; when `problems` is a list, a bad item's one-line message is appended
    to it and the good items are still returned, else the first bad item raises.

    Raises `InputError` (one line naming the file) for an unknown extension, an empty or
    oversized file, bytes that look binary, HTML without article text, malformed JSON.
    """
    if isinstance(data, str):
        data = data.encode("utf-8")
    kind = EXTENSIONS.get(Path(name).suffix.lower())
    if kind is None:
        suffix = Path(name).suffix or "(none)"
        raise InputError(f"{name}: unknown extension {suffix}; expected one of {', '.join(sorted(EXTENSIONS))}")
    if max_bytes is not None and len(data) > max_bytes:
        raise InputError(f"{name}: file is {len(data):,} bytes, over the {max_bytes:,}-byte limit")
    argument = parse_published(published) if published is not None else None
    if not data.strip():
        raise InputError(f"{name}: file is empty")
    text = decode(name, data)
    if not text.strip():
        raise InputError(f"{name}: file is empty")
    if kind == "text":
        return _read_text(name, text, argument)
    if kind == "markdown":
        return _read_markdown(name, text, argument)
    if kind == "html":
        return _read_html(name, text, argument)
    return _read_json(name, text, argument, problems)


def read_path(
    path,
    *,
    published=None,
    max_bytes: int | None = MAX_BYTES,
    problems: list[str] | None = None,
) -> list[Article]:
    """The articles in the file at `path` (str or path-like): see `read_bytes`.

    Raises `InputError` naming the file when it is missing, a directory, unreadable, or bad.
    """
    name = os.fspath(path)
    try:
        size = os.stat(name).st_size
        if os.path.isdir(name):
            raise InputError(f"{name}: is a directory, not a file")
        if max_bytes is not None and size > max_bytes:
            raise InputError(f"{name}: file is {size:,} bytes, over the {max_bytes:,}-byte limit")
        with open(name, "rb") as f:
            data = f.read()
    except FileNotFoundError:
        raise InputError(f"{name}: no such file") from None
    except OSError as e:
        raise InputError(f"{name}: cannot be read ({e.strerror or e})") from None
    return read_bytes(name, data, published=published, max_bytes=max_bytes, problems=problems)


def read_many(
    paths: Iterable,
    *,
    published=None,
    max_bytes: int | None = MAX_BYTES,
) -> tuple[list[Article], list[str]]:
    """Every article in the files at `paths`, and a one-line message naming the input for each
    file (or JSON item) that could not be read. Never raises for a bad input file: the good ones
    are always returned.

    Raises `InputError` only when `published` itself is not a date (a problem of the call, not
    of an input).
    """
    argument = parse_published(published) if published is not None else None
    articles: list[Article] = []
    errors: list[str] = []
    for path in paths:
        try:
            articles.extend(read_path(path, published=argument, max_bytes=max_bytes, problems=errors))
        except InputError as e:
            errors.append(str(e))
    return articles, errors
