"""Which category an event is: the category table's words nearest the date."""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import lru_cache

from timeline import categories as table
from timeline.extract.vocabulary import words
from timeline.lang import in_use

CATEGORIES = table.NAMES
"""Every category, in matching order, `other` last (see `timeline.categories`)."""


@dataclass(frozen=True)
class Category:
    name: str
    description: str
    pattern: re.Pattern
    names_tell: bool = False  # its words count inside a name (see `_in_name`)
    # its words in lower case when all are ASCII (else empty): in an ASCII text, the pattern
    # matches only where one of them is a substring of the text in lower case
    ascii_words: tuple[str, ...] = ()
    ascii_any: re.Pattern | None = None  # any of `ascii_words` as a plain substring: one search


def categories(lang: str | None = None) -> tuple[Category, ...]:
    """The taxonomy with its words in `lang` (default: the language being read, else English:
    `timeline.lang.in_use`), in matching order. A word is matched at the start of a word
    ("sanction" matches "sanctioned"); one ending in a space must end there ("free " is not
    "freedom")."""
    return _categories(in_use("categories", lang))


@lru_cache(maxsize=None)
def _categories(lang: str) -> tuple[Category, ...]:
    out = []
    for name, words in table.words(lang).items():
        alts = [r"\b" + re.escape(w.strip()) + (r"\b" if w.endswith(" ") else "") for w in words]
        row = table.get(name)
        plain = tuple(w.strip().lower() for w in words)
        ascii_words = plain if all(w.isascii() for w in plain) else ()
        out.append(Category(name, row.description, re.compile("|".join(alts), re.I), row.names_tell, ascii_words,
                            re.compile("|".join(map(re.escape, ascii_words))) if ascii_words else None))
    return tuple(out)


def categorise(clause: str, sentence: str = "", at: int | None = None, skip: str = "") -> str:
    """The category whose words the clause holds (the one nearest position `at` of the
    clause when given, else the first in taxonomy order), else the sentence's, else 'other';
    never the category `skip` (a row of what a speaker said is not a statement)."""
    for text in (clause, sentence):
        found = _first(text, skip) if at is None else _nearest(text, at, skip)
        if found:
            return found
    return table.OTHER


def categorise_before(sentence: str, at: int) -> str:
    """`categorise(sentence[:at])`, `at` at the start of a word (an anchor: "a day after
    ..."), from the sentence's words found once however many of its anchors ask."""
    code = in_use("categories")
    for i, c in enumerate(_categories(code)):
        starts, _ = _matches(sentence, i, code)
        # no word of the category starts before its first in the sentence, nor, but for
        # that one, between it and `at` (a word cut at `at` would be cut at its start)
        if starts and starts[0] < at and c.pattern.search(sentence, starts[0], at):
            return c.name
    return table.OTHER


_CAPITAL_BEFORE = re.compile(r"[A-Z][\w'\u2019.-]*\s+$")
_CAPITAL_AFTER = re.compile(r"[\w'\u2019-]*\s+[A-Z]")


def _in_name(text: str, start: int, end: int) -> bool:
    """Whether the word at text[start:end] (or starting there) is part of a name of several
    capitalised words ("China Electricity Council", "Election Commission"): a name's words
    tell no category."""
    if not text[start:start + 1].isupper():
        return False
    return bool(_CAPITAL_BEFORE.search(text, max(0, start - 30), start) or _CAPITAL_AFTER.match(text, end))


def _first(text: str, skip: str = "") -> str | None:
    """The first category in taxonomy order but `skip` with a word in `text` (not in a name)."""
    return _first_in(text, in_use("categories"), skip)


@lru_cache(maxsize=64)
def _first_in(text: str, code: str, skip: str = "") -> str | None:
    """`_first` in language `code`, found once per text."""
    return next((c.name for i, c in enumerate(_categories(code)) if c.name != skip and _matches(text, i, code)[0]),
                None)


def _nearest(text: str, at: int, skip: str = "") -> str | None:
    """The category (but `skip`) with a word nearest `at` in `text`: words within a few words
    of it count alike (distances in steps of 25 characters), then taxonomy order decides."""
    best, best_distance = None, None
    code = in_use("categories")
    for i, c in enumerate(_categories(code)):
        if c.name == skip:
            continue
        starts, ends = _matches(text, i, code)
        k = bisect.bisect_right(starts, at)
        # the matches do not overlap: the nearest is the last starting at or before `at`, or the next
        near = [min(abs(starts[j] - at), abs(ends[j] - at)) for j in (k - 1, k) if 0 <= j < len(starts)]
        if near and (best_distance is None or min(near) // 25 < best_distance):
            best, best_distance = c.name, min(near) // 25
    return best


@lru_cache(maxsize=64)
def _matches(text: str, category: int, code: str) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """(starts, ends) of the words of the `category`th category of language `code` in `text`
    outside names of several capitalised words (`_in_name`), found once per text: a
    sentence's many dates ask about the same sentence."""
    c = _categories(code)[category]
    # most texts hold the words of few categories: a substring test rules the others out
    # without the pattern, which is slow to try at every word
    if c.ascii_any is not None and text.isascii() and not c.ascii_any.search(_lower(text)):
        return (), ()
    spans = [m.span() for m in c.pattern.finditer(text)
             if (c.names_tell or not _in_name(text, *m.span())) and not _month(text, *m.span())]
    return tuple(s for s, _ in spans), tuple(e for _, e in spans)


def _month(text: str, start: int, end: int) -> bool:
    """Whether the word at text[start:end] is a month's name written as one ("March", not
    "march"): a date, which tells no category."""
    word = text[start:end].strip()
    return word[:1].isupper() and word.lower() in words().month_words


@lru_cache(maxsize=8)
def _lower(text: str) -> str:
    return text.lower()
