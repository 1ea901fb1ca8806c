"""Sentence boundaries in news text, as character spans.

News prose has abbreviations that end in a full stop ("Sept.", "Mr.", "U.S."), initials,
quotes after the stop and datelines; a split that breaks "Sept. 12" loses the date's event.
The words are data: `timeline/lang/<code>/sentences.yaml`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from timeline.lang import in_use, months, resource, upper_class

# A stop (a run of . ! ?, closing quotes and brackets after it) before white space, or a blank
# line. A run is only tried from its first mark and taken whole (possessive): tried from
# every mark of "......x", the old form rescanned the run each time (quadratic).
_CANDIDATE = re.compile(r"(?<![.!?])[.!?]++[\"'\u201d\u2019\u00bb)\]]*+(?=\s)|\n[ \t]*+\n")
_WORD_BEFORE = re.compile(r"([\w.]+)$")
_NEXT_START = re.compile(r"\s+[\"'\u201c\u2018\u00ab\u201e(\[]*(\S)")
_NEXT_WORD = re.compile(r"\s+(\w+\.?)")
_LINE_START = re.compile(rf"\n(?=[ \t]*[{upper_class()}\"\u201c\u00ab\u201e])")


@dataclass(frozen=True)
class Words:
    """A language's sentence words (see sentences.yaml)."""

    abbreviations: frozenset[str]
    never_end: frozenset[str]
    initials: frozenset[str]
    starter: re.Pattern
    # months (lower case) after which a number's stop goes on: "am 12. September" (German writes
    # a day as an ordinal with a stop); empty for a language that does not
    ordinal_months: frozenset[str] = frozenset()


def words(lang: str | None = None) -> Words:
    """The sentence words of `lang` (default: the language being read, else English:
    `timeline.lang.in_use`), read once."""
    return _words(in_use("sentences", lang))


@lru_cache(maxsize=None)
def _words(lang: str) -> Words:
    res = resource("sentences", lang)
    starters = "|".join(res.words("starters"))
    ordinal = res.raw("ordinal_day_stop", False) is True
    return Words(frozenset(res.words("abbreviations")), frozenset(res.words("never_end")),
                 frozenset(res.words("initials")),
                 re.compile(rf"(?:{starters})\b|[\"'\u201c\u2018\u00ab\u201e`]"),
                 frozenset(months(lang)) if ordinal else frozenset())


def split(text: str, lang: str | None = None) -> list[tuple[int, int]]:
    """The sentences of `text` as (start, end) spans, white space trimmed, in order.

    A line break followed by a blank line always ends a sentence; so does a single line
    break before a capitalised line (headlines, list items, datelines).
    """
    return list(_split(text, in_use("sentences", lang)))


@lru_cache(maxsize=2)
def _split(text: str, lang: str) -> tuple[tuple[int, int], ...]:
    """`split`, kept for the last texts: the tagger, the place finder and the event
    extractor each ask for the sentences of the same article."""
    w = words(lang)
    cuts = [m.end() for m in _CANDIDATE.finditer(text) if _ends_sentence(text, m, w)]
    cuts += [m.end() for m in _LINE_START.finditer(text)]
    spans, start = [], 0
    for cut in sorted(set(cuts)) + [len(text)]:
        s, e = start, cut
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            spans.append((s, e))
        start = cut
    return tuple(spans)


def _ends_sentence(text: str, m: re.Match, w: Words) -> bool:
    """Whether the candidate stop `m` (punctuation, or a blank line) ends a sentence."""
    if m.group().startswith("\n"):
        return True
    nxt = _NEXT_START.match(text, m.end())
    if m.group()[0] == ".":
        word = _WORD_BEFORE.search(text, max(0, m.start() - 20), m.start())
        before = word.group(1).lower().rstrip(".") if word else ""
        if w.ordinal_months and before.isdigit() and len(before) <= 2:
            month = _NEXT_WORD.match(text, m.end())
            if month and month.group(1).lower().rstrip(".") in w.ordinal_months:
                return False  # "am 12. September": a day, not the end of a sentence
        if before in w.abbreviations or (len(before) == 1 and before.isalpha()):
            # "Sept. 12", "Mr. Trump", "U.S. officials": the sentence goes on unless the next
            # word starts a new one after an abbreviation that can end one.
            if not nxt or not nxt.group(1).isupper() or before in w.never_end:
                return False
            if (before in w.initials or len(before) == 1) and not w.starter.match(text, nxt.start(1)):
                # "a U.S. Embassy official", "Daniel P. Davison": a name goes on;
                # "in the U.S. The ...", "Plan B. The ..." ends
                return False
    return not (nxt and nxt.group(1).islower())
