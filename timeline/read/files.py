"""Reading files: bytes or a path in, `Article`s out, every problem one line naming the input."""
from __future__ import annotations

import os
from pathlib import Path
from typing import Iterable

from timeline.errors import InputError
from timeline.read.articles import Article
from timeline.read.decode import decode
from timeline.read.formats import read_format
from timeline.read.published import parse_published

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
    return read_format(kind, name, text, argument, problems)


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
