"""Language resources: every word list timeline reads is data, one folder per language.

    timeline/lang/en/calendar.yaml     month and weekday names (the one table of them)
    timeline/lang/en/categories.yaml   the words that mark each event category
    timeline/lang/en/...               the tagger's lexicon and rules, the extractor's words, ...

`resource(name, lang)` reads `<lang>/<name>.yaml` once and keeps it. Its accessors check
each entry as it is read (`words`, `mapping`, `pattern`, `rows`, ...) and raise `DataError`
naming the file and the entry when it is not what the code expects, so a typo in a word list
is one clear line, not a wrong result. Adding a language is adding a folder.

The language being read is a context (`reading(code)`, `current()`): the tagger and the event
extractor set it for each article, and a stage whose resource the language lacks reads the
English one (`in_use(name)`).
"""
from __future__ import annotations

import contextlib
import contextvars
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterator

import yaml

from timeline.errors import DataError

LANG_DIR = Path(__file__).resolve().parent
DEFAULT = "en"

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True)
class Resource:
    """One language data file: its path (for messages) and its top-level mapping. With a
    `fallback` (see `layered`), an entry the file does not have is the fallback's, read and
    checked by it (its errors name its file)."""

    path: Path
    data: dict
    fallback: Resource | None = None

    def _from_fallback(self, key: str) -> bool:
        return self.fallback is not None and key not in self.data

    def _entry(self, key: str) -> Any:
        if key not in self.data:
            raise DataError(f"{self.path}: no entry {key!r}")
        return self.data[key]

    def raw(self, key: str, default: Any = ...) -> Any:
        """The entry `key` as YAML gave it (`default` when absent, if given)."""
        if self._from_fallback(key):
            return self.fallback.raw(key, default)
        if default is not ... and key not in self.data:
            return default
        return self._entry(key)

    def words(self, key: str) -> tuple[str, ...]:
        """A list of words or phrases (non-empty strings), in file order."""
        if self._from_fallback(key):
            return self.fallback.words(key)
        value = self._entry(key)
        if isinstance(value, str):  # a block of words separated by white space
            return tuple(value.split())
        if not isinstance(value, list):
            raise DataError(f"{self.path}: {key}: expected a list of words, got {type(value).__name__}")
        for i, word in enumerate(value):
            if not isinstance(word, str) or not word.strip():
                raise DataError(f"{self.path}: {key}, entry {i + 1}: expected a word, got {word!r}")
        return tuple(value)

    def mapping(self, key: str, kind: type | tuple[type, ...] | None = None) -> dict:
        """A mapping of words to values (each an instance of `kind`, when given)."""
        if self._from_fallback(key):
            return self.fallback.mapping(key, kind)
        value = self._entry(key)
        if not isinstance(value, dict):
            raise DataError(f"{self.path}: {key}: expected a mapping, got {type(value).__name__}")
        for word, v in value.items():
            if not isinstance(word, str) or not word.strip():
                raise DataError(f"{self.path}: {key}: {word!r} is not a word")
            if kind is not None and (not isinstance(v, kind) or isinstance(v, bool) and bool not in _tuple(kind)):
                raise DataError(f"{self.path}: {key}: {word}: expected {_kind_name(kind)}, got {v!r}")
        return value

    def pattern(self, key: str) -> str:
        """A regular expression (a string that compiles)."""
        if self._from_fallback(key):
            return self.fallback.pattern(key)
        value = self._entry(key)
        return self.check_pattern(value, key)

    def check_pattern(self, value: Any, where: str) -> str:
        """`value` when it is a regular expression that compiles; DataError naming `where`."""
        if not isinstance(value, str):
            raise DataError(f"{self.path}: {where}: expected a regular expression, got {type(value).__name__}")
        try:
            re.compile(value)
        except re.error as e:
            raise DataError(f"{self.path}: {where}: not a valid regular expression ({e})") from None
        return value

    def rows(self, key: str, columns: int) -> tuple[tuple[str, ...], ...]:
        """A table written as lines of `columns` cells separated by '|' ('#' starts a comment;
        missing trailing cells are empty)."""
        if self._from_fallback(key):
            return self.fallback.rows(key, columns)
        value = self._entry(key)
        if not isinstance(value, str):
            raise DataError(f"{self.path}: {key}: expected a table (lines of cells separated by |)")
        out = []
        for n, line in enumerate(value.splitlines(), start=1):
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            cells = [c.strip() for c in line.split("|")]
            if len(cells) > columns or not cells[0]:
                raise DataError(f"{self.path}: {key}, line {n}: expected at most {columns} cells, "
                                f"the first not empty: {line!r}")
            out.append(tuple(cells + [""] * (columns - len(cells))))
        return tuple(out)


def _tuple(kind) -> tuple:
    return kind if isinstance(kind, tuple) else (kind,)


def _kind_name(kind) -> str:
    return " or ".join(k.__name__ for k in _tuple(kind))


# The language being read: a folder's code (see `reading`).
LANGUAGE: contextvars.ContextVar[str] = contextvars.ContextVar("timeline_language", default=DEFAULT)


def current() -> str:
    """The code of the language being read (English unless `reading` says otherwise)."""
    return LANGUAGE.get()


@contextlib.contextmanager
def reading(code: str) -> Iterator[None]:
    """Within the block, the language being read is `code`."""
    token = LANGUAGE.set(code)
    try:
        yield
    finally:
        LANGUAGE.reset(token)


@lru_cache(maxsize=None)
def _has(code: str, name: str) -> bool:
    return (LANG_DIR / code / f"{name}.yaml").is_file()


def in_use(name: str, code: str | None = None) -> str:
    """The language whose resource `name` serves language `code` (default: the one being
    read): its own when its folder has the file, else English."""
    code = code or LANGUAGE.get()
    return code if _has(code, name) else DEFAULT


@lru_cache(maxsize=1)
def upper_class() -> str:
    """A regex character class body of the upper-case letters below U+2000: the capitals of
    every alphabet timeline reads (Latin with its diacritics, Cyrillic, Greek)."""
    parts, start = [], None
    for code in range(0x2001):
        ok = code < 0x2000 and chr(code).isupper()
        if ok and start is None:
            start = code
        elif not ok and start is not None:
            a, b = re.escape(chr(start)), re.escape(chr(code - 1))
            parts.append(a if start == code - 1 else f"{a}-{b}")
            start = None
    return "".join(parts)


def languages() -> tuple[str, ...]:
    """The language codes that have a folder of resources."""
    return tuple(sorted(p.name for p in LANG_DIR.iterdir() if p.is_dir() and not p.name.startswith("_")))


@lru_cache(maxsize=None)
def resource(name: str, lang: str = DEFAULT) -> Resource:
    """The resource `<lang>/<name>.yaml`, read once. Raises DataError naming the file when it
    is missing or not a YAML mapping."""
    path = LANG_DIR / lang / f"{name}.yaml"
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as e:
        raise DataError(f"{path}: cannot read the language resource ({e.strerror or e})") from None
    try:
        data = yaml.load(text, Loader=_Loader)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        where = f" line {mark.line + 1}" if mark is not None else ""
        raise DataError(f"{path}{where}: malformed YAML ({getattr(e, 'problem', None) or e})") from None
    if not isinstance(data, dict):
        raise DataError(f"{path}: expected a mapping of entries, got {type(data).__name__}")
    return Resource(path, data)


@lru_cache(maxsize=None)
def layered(name: str, code: str) -> Resource:
    """The resource `<code>/<name>.yaml` over the English one: an entry the language's file
    leaves out is English's (a language can say only what differs: its prepositions, its
    reporting verbs). English's own when the language has no such file."""
    english = resource(name, DEFAULT)
    if code == DEFAULT or not _has(code, name):
        return english
    own = resource(name, code)
    return Resource(own.path, own.data, fallback=english)


@lru_cache(maxsize=None)
def months(lang: str = DEFAULT) -> dict[str, int]:
    """Every month name and abbreviation, lower case, to its number (1-12)."""
    table = resource("calendar", lang).mapping("months", int)
    res = resource("calendar", lang)
    for word, n in table.items():
        if not 1 <= n <= 12:
            raise DataError(f"{res.path}: months: {word}: {n} is not a month number (1-12)")
    missing = sorted(set(range(1, 13)) - set(table.values()))
    if missing:
        raise DataError(f"{res.path}: months: no name for month {missing[0]}")
    return dict(table)


@lru_cache(maxsize=None)
def weekdays(lang: str = DEFAULT) -> dict[str, int]:
    """Every weekday name and abbreviation, lower case, to its ISO number (Monday 1)."""
    res = resource("calendar", lang)
    table = res.mapping("weekdays", int)
    for word, n in table.items():
        if not 1 <= n <= 7:
            raise DataError(f"{res.path}: weekdays: {word}: {n} is not an ISO weekday (1-7)")
    return dict(table)


@lru_cache(maxsize=None)
def month_names(lang: str = DEFAULT) -> tuple[str, ...]:
    """The twelve full month names, capitalised, January first: the first name the calendar
    table gives each month."""
    first: dict[int, str] = {}
    for word, n in months(lang).items():
        first.setdefault(n, word)
    return tuple(first[n].capitalize() for n in range(1, 13))
