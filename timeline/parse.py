"""The whole parse: article files (or Article objects) in, one event frame out.

read (articles) -> extract (events and places) -> frame (build, merge across articles, overrides).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable, Iterable

import pandas as pd

from timeline import frame as fr
from timeline.extract import extract_events
from timeline.lang import detect
from timeline.read import MAX_BYTES, Article, article_files, input_problem, parse_published, read_many


@dataclass
class ParseResult:
    """The frame, and one line per input or correction that could not be used."""

    frame: pd.DataFrame
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def parse(inputs: Iterable[str | Path | Article], *, published=None, overrides: str | Path | None = None,
          max_bytes: int = MAX_BYTES, progress: Callable[[Iterable], Iterable] | None = None,
          geocoder=None, language: str | None = None) -> ParseResult:
    """Parse articles into an event frame, collecting problems instead of stopping on them.

    `inputs`: paths of .txt/.md/.html/.json files or of folders of them (the article files
    directly inside), or `Article`s. `published` (a date or an
    ISO string), when given, is every article's publication date. `overrides`:
    an editorial corrections file (CSV or YAML) applied last. `progress` wraps the article
    iterable (e.g. a progress bar). Raises InputError for a `published` that is not a date
    and OverridesError for a malformed overrides file; an article that cannot be read, or
    whose events cannot be extracted (whatever the exception: `timeline.read.input_problem`
    says which), is reported in `errors` while the others are parsed. `geocoder` (any object with geopy's `geocode`,
    e.g. `timeline.extract.places.get_geocoder("nominatim")`) places each event's stated main place
    instead of the offline gazetteer; where it fails or finds nothing the gazetteer's point
    stays and one warning says so. `language` (ISO 639-1, see `timeline.lang.detect.READ`),
    when given, is every article's language (else each article's own, declared or detected;
    ValueError for one timeline does not read).
    """
    fallback = parse_published(published) if published is not None else None
    language = detect.check(language, "language") if language is not None else None
    articles: list[Article] = []
    paths = []
    for item in inputs:
        if isinstance(item, Article):
            articles.append(item)
        else:
            paths.append(item)
    errors: list[str] = []
    files = article_files(paths, errors)  # a folder: the article files directly inside it
    read, unread = read_many(files, published=fallback, max_bytes=max_bytes)
    errors += unread
    if fallback is not None:  # the caller's date wins, as it does for files
        articles = [_with_published(a, fallback) for a in articles]
    articles += read
    if language is not None:
        articles = [replace(a, language=language) for a in articles]
    extracted: list[tuple[Article, list[dict]]] = []
    warnings: list[str] = []
    for article in (progress(articles) if progress else articles):
        try:
            records = extract_events(article)
            if geocoder is not None:
                _geocode(records, geocoder, warnings)
        except Exception as e:  # noqa: BLE001 -- one article's failure is its line, never the call's
            errors.append(input_problem(_name(article), e))
            continue
        extracted.append((article, records))
    frames, failed = fr.from_record_lists(records for _, records in extracted)
    errors += [input_problem(_name(extracted[i][0]), e) for i, e in failed]
    warnings += [f"{_name(a)}: too little text to tell its language; read as English"
                 for a, _ in extracted if not a.language]
    merged = fr.merge(frames) if frames else fr.empty_frame()
    if overrides is not None:
        merged, corrections = fr.apply_overrides(merged, fr.load_overrides(overrides))
        warnings += corrections
    return ParseResult(merged, errors, warnings)


def _name(article: Article) -> str:
    return str(article.path) if article.path else f"article {article.article_id}"


def _geocode(records: list[dict], geocoder, warnings: list[str]) -> None:
    """Place each record's stated main place with `geocoder` (answers cached per name)."""
    from timeline.errors import TimelineError

    seen: dict[str, tuple[float, float] | None] = {}
    for r in records:
        if not r["places"] or r["place_inferred"]:
            continue  # an inferred point (the crossing, a country) is not the geocoder's to move
        name = r["places"][0]
        if name not in seen:
            try:
                loc = geocoder.geocode(name)
            except (TimelineError, OSError, ValueError) as e:
                if not any(w.startswith("geocoder:") for w in warnings):
                    warnings.append(f"geocoder: {e}; offline gazetteer points kept")
                loc = None
            seen[name] = (loc.latitude, loc.longitude) if loc is not None else None
        if seen[name] is not None:
            r["lat"], r["lon"] = seen[name]


def parse_articles(paths_or_articles, published=None, overrides=None, language=None) -> pd.DataFrame:
    """The event frame of `paths_or_articles` (see `parse`); unreadable inputs are skipped."""
    return parse(paths_or_articles, published=published, overrides=overrides, language=language).frame


def _with_published(article: Article, day: dt.date) -> Article:
    return replace(article, published=day, published_from="argument")
