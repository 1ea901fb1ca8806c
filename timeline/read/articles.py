"""The `Article`: one news article as every later stage sees it, and how one is built."""
from __future__ import annotations

import datetime as dt
import hashlib
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from timeline.errors import InputError
from timeline.lang import detect
from timeline.read.published import metadata, parse_published


MAX_META_CHARS = 2_000
"""Longest title, source or url of an article, in characters: the source and url are copied
into every event of the article, so a long one would multiply."""


@dataclass(frozen=True)
class Article:
    """One news article, as every later stage sees it.

    `text` is the body (the headline is in `title`, not in `text`); every character offset
    downstream (`start_char`, `end_char`, `metadata_spans`) is an offset into `text`.
    `published_from` says where `published` came from: "argument", "metadata", "dateline",
    "footer", or "" when there is no publication date. `language` is the ISO 639-1 code of
    the language it is written in, as the article declares it or as detected
    (`timeline.lang.detect`); "" when the text is too short to tell.
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
    language: str = ""


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
    language: str | None = None,
) -> Article:
    """An `Article` from a body text already in hand, kept character for character.

    `published` (a date or a date string) wins over any dateline or footer in the text and is
    recorded as coming from the "argument". `source` defaults to the outlet named by a footer
    ("Published in Dawn, ..."), then the agency of the dateline ("(Reuters)"), then `name`'s
    file name. `name` (a file name or label) is the article's `path` and names it in errors.
    `language` (ISO 639-1, one of `timeline.lang.detect.READ`) says which language it is
    in; None detects it.

    Raises `InputError` when the text is empty, `published` is not a date, `language` is not
    a language timeline reads, or `title`, `source` or `url` is longer than `MAX_META_CHARS`.
    """
    argument = parse_published(published) if published is not None else None
    return build(text, title=title, path=name, source=source, url=url, argument=argument, stated=None,
                 language=language)


def build(text: str, *, title: str, path: str, source: str, url: str, argument: dt.date | None,
          stated: dt.date | None, label: str | None = None, language: str | None = None) -> Article:
    """The `Article` of a body `text` read from `path`: its publication date from `argument`,
    the file's `stated` metadata, its dateline or footer; its source from `source`, else the
    outlet those name, else the file name; its language as `language` declares it, else
    detected from its title and text. Raises `InputError` naming `label` (default: the path)
    for an empty text, a language timeline does not read, and a title, source or url over
    MAX_META_CHARS."""
    label = label or path or "text"
    if not isinstance(text, str) or not text.strip():
        raise InputError(f"{label}: no article text")
    if language is not None and language != "":
        try:
            language = detect.check(language, "language")
        except ValueError as e:
            raise InputError(f"{label}: {e}") from None
    else:
        language = detect.detect(f"{title}\n{text}" if title else text) or ""
    for field, value in (("title", title), ("source", source), ("url", url)):
        if value and len(value) > MAX_META_CHARS:
            raise InputError(f"{label}: {field} is {len(value):,} characters, over the "
                             f"{MAX_META_CHARS:,}-character limit")
    found = metadata(text, argument=argument, stated=stated)
    if not source:
        source = found.outlet or (Path(path).name if path else "")
    return Article(
        article_id=article_id(text),
        title=(title or "").strip(),
        text=text,
        published=found.published,
        source=source.strip(),
        url=(url or "").strip(),
        path=path,
        published_from=found.published_from,
        metadata_spans=found.spans,
        language=language,
    )
