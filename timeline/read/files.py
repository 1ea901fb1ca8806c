"""Reading files: bytes or a path in, `Article`s out, every problem one line naming the input."""
from __future__ import annotations

import os
from pathlib import Path
from typing import Iterable

from timeline import bounded
from timeline.errors import InputError, TimelineError
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
    oversized file, bytes that look binary, HTML without article text, malformed JSON, JSON
    or front matter out of bounds (`timeline.bounded`: nesting, numbers, YAML aliases, lone
    surrogates), a title, source or url longer than `MAX_META_CHARS`.
    """
    if isinstance(data, str):
        char = bounded.lone_surrogate(data)
        if char:
            raise InputError(f"{name}: the text holds {bounded.surrogate_problem(char)}")
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

    Raises `InputError` naming the file when it is missing, a directory, a FIFO, a device or
    another file that is not a regular one (refused before reading: a FIFO would block),
    unreadable, or bad.
    """
    name = os.fspath(path)
    data = bounded.read_file(name, max_bytes=max_bytes)
    return read_bytes(name, data, published=published, max_bytes=max_bytes, problems=problems)


_FAILURES = (  # what an exception that is not a bad input's error says about the failure
    (RecursionError, "too deeply nested for Python's stack"),
    (MemoryError, "out of memory"),
    (ImportError, "a library timeline needs is missing or broken"),
)


def input_problem(name, error: BaseException) -> str:
    """The one line that reports `error` for the input `name`: a bad input's message
    (TimelineError or ValueError, prefixed with `name` unless it starts with it), else what
    kind of failure it was and the exception's type, so that a bug or a missing library is
    named as such and never mistaken for a bad file."""
    name = os.fspath(name) if isinstance(name, os.PathLike) else str(name)
    message = " ".join(str(error).split())
    if isinstance(error, (TimelineError, ValueError)):
        return message if message.startswith(name) else f"{name}: {message or type(error).__name__}"
    kind = next((words for kind, words in _FAILURES if isinstance(error, kind)),
                "an internal error (please report it)")
    detail = f"{type(error).__name__}: {message[:300]}" if message else type(error).__name__
    return f"{name}: {kind} ({detail})"


def article_files(paths: Iterable[str | os.PathLike], problems: list[str] | None = None) -> list[Path]:
    """The article files named by `paths`: a file as it is, a folder as the files directly
    inside it whose extension is an article format (sorted by name; sub-folders, such as
    the dashboard's uploads folder, are not read). A folder that cannot be listed is one line
    in `problems` (`input_problem`), or raises OSError when `problems` is None."""
    out: list[Path] = []
    for p in map(Path, paths):
        if not p.is_dir():
            out.append(p)
            continue
        try:
            out += sorted(f for f in p.iterdir() if f.is_file() and f.suffix.lower() in EXTENSIONS)
        except OSError as e:
            if problems is None:
                raise
            problems.append(input_problem(p, e))
    return out


def read_many(
    paths: Iterable,
    *,
    published=None,
    max_bytes: int | None = MAX_BYTES,
) -> tuple[list[Article], list[str]]:
    """Every article in the files at `paths`, and a one-line message naming the input for each
    file (or JSON item) that could not be read (`input_problem`). Never raises for a bad input
    file, nor for any other failure of one file (a bug, a missing library, memory): the good
    ones are always returned.

    Raises `InputError` only when `published` itself is not a date (a problem of the call, not
    of an input).
    """
    argument = parse_published(published) if published is not None else None
    articles: list[Article] = []
    errors: list[str] = []
    for path in paths:
        try:
            articles.extend(read_path(path, published=argument, max_bytes=max_bytes, problems=errors))
        except Exception as e:  # noqa: BLE001 -- one file's failure is that file's line, never the call's
            errors.append(input_problem(path, e))
    return articles, errors
