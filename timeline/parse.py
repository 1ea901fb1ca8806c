"""The whole parse: article files (or Article objects) in, one event frame out.

sources (read) -> events (extract) -> frame (build, merge across articles, overrides).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

import pandas as pd

from timeline import frame as fr
from timeline.events import extract_events
from timeline.sources import MAX_BYTES, Article, parse_published, read_many


@dataclass
class ParseResult:
    """The frame, and one line per input or correction that could not be used."""

    frame: pd.DataFrame
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def parse(inputs: Iterable[str | Path | Article], *, published=None, overrides: str | Path | None = None,
          max_bytes: int = MAX_BYTES, progress: Callable[[Iterable], Iterable] | None = None) -> ParseResult:
    """Parse articles into an event frame, collecting problems instead of stopping on them.

    `inputs`: paths of .txt/.md/.html/.json files, or `Article`s. `published` (a date or an
    ISO string), when given, is every article's publication date. `overrides`:
    an editorial corrections file (CSV or YAML) applied last. `progress` wraps the article
    iterable (e.g. a progress bar). Raises InputError for a `published` that is not a date
    and OverridesError for a malformed overrides file; a bad article is reported in
    `errors` while the others are parsed.
    """
    fallback = parse_published(published) if published is not None else None
    articles: list[Article] = []
    paths = []
    for item in inputs:
        if isinstance(item, Article):
            articles.append(item)
        else:
            paths.append(item)
    read, errors = read_many(paths, published=fallback, max_bytes=max_bytes)
    if fallback is not None:  # the caller's date wins, as it does for files
        articles = [_with_published(a, fallback) for a in articles]
    articles += read
    frames = []
    for article in (progress(articles) if progress else articles):
        frames.append(fr.from_records(extract_events(article)))
    merged = fr.merge(frames) if frames else fr.empty_frame()
    warnings: list[str] = []
    if overrides is not None:
        merged, warnings = fr.apply_overrides(merged, fr.load_overrides(overrides))
    return ParseResult(merged, errors, warnings)


def parse_articles(paths_or_articles, published=None, overrides=None) -> pd.DataFrame:
    """The event frame of `paths_or_articles` (see `parse`); unreadable inputs are skipped."""
    return parse(paths_or_articles, published=published, overrides=overrides).frame


def _with_published(article: Article, day: dt.date) -> Article:
    from dataclasses import replace
    return replace(article, published=day, published_from="argument")
