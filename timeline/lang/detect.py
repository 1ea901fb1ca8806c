"""Which language an article is written in: found, not declared.

`detect(text)` gives the ISO 639-1 code of the language among `READ` that `text` is most
likely written in, or None for a text with too few letters to tell (MIN_LETTERS). It uses
lingua (lingua-language-detector, offline, its models in the wheel), limited to the languages
timeline reads and in its low-accuracy mode (letter trigrams only). On
benchmarks/data/language_samples.yaml (`benchmarks/bench_language.py`) that mode is right on
136 of 144 sentences and fragments of two and four words at a peak of 21 MB; the full mode on
140 at 250 MB; py3langid on 138 at 120 MB (its mistakes: Ukrainian read as Russian). Only the
first DETECT_CHARS characters are read, so detecting costs the same on any length of text.

A single short sentence is where detectors fail: "Gas prices will rise this winter." is
French to lingua (0.77), "Sales rose in the third quarter." German (0.91). So a text with
fewer than MIN_LETTERS letters is not judged unless it is written in Cyrillic (then it is
Russian, Ukrainian or Belarusian whatever lingua's confidence, never English), and a
language other than English is chosen only at MIN_CONFIDENCE or more. On the tagger's 134
one-sentence English examples, that policy reads every one as English.

`tagger_language(code)` is the language whose rules the temporal tagger applies for a text
detected as `code`: its own when timeline/lang/<code>/ holds them, else English (whose
numeric dates and years still read).

`passages(text, code)` finds what a text in language `code` quotes in the other script (a
Russian quotation in an English story, an English one in a Belarusian story) and which
language each is in, for the tagger to read each in its own language.
"""
from __future__ import annotations

import re
from functools import lru_cache

from timeline.lang import DEFAULT, in_use

# The languages detection chooses among (ISO 639-1), and their names in the app.
READ = ("en", "ru", "be", "uk", "pl", "lt", "fr", "de")
NAMES = {"en": "English", "ru": "Russian", "be": "Belarusian", "uk": "Ukrainian", "pl": "Polish",
         "lt": "Lithuanian", "fr": "French", "de": "German"}

# Characters read from the start of a text: a paragraph settles the language. On the 256
# TempEval and 54 French TimeBank documents 300, 600, 1000 and 2000 characters all give the
# right language at 0.9 or more; detecting costs 0.31, 0.56, 0.81 and 1.14 ms a document.
DETECT_CHARS = 600

# A text with fewer letters than this is not judged (a date line, one short sentence).
MIN_LETTERS = 50

# The confidence (0-1) lingua must give a language other than English for it to be chosen.
MIN_CONFIDENCE = 0.9


_SURROGATE = re.compile("[\ud800-\udfff]")


@lru_cache(maxsize=1)
def _detector():
    from lingua import IsoCode639_1, LanguageDetectorBuilder

    codes = [getattr(IsoCode639_1, code.upper()) for code in READ]
    return LanguageDetectorBuilder.from_iso_codes_639_1(*codes).with_low_accuracy_mode().build()


def detect(text: str) -> str | None:
    """The code (one of READ) of the language `text` is most likely in; None when its start
    holds fewer than MIN_LETTERS letters."""
    head = _SURROGATE.sub("\ufffd", text[:DETECT_CHARS])  # lingua takes UTF-8: a lone surrogate is not
    letters = [c for c in head if c.isalpha()]
    cyrillic = sum("\u0400" <= c <= "\u04ff" for c in letters) > len(letters) / 2
    if len(letters) < MIN_LETTERS and not cyrillic:
        return None
    code, confidence = _likeliest(head)
    if code is None:
        return None
    return code if code == DEFAULT or cyrillic or confidence >= MIN_CONFIDENCE else DEFAULT


def _likeliest(text: str) -> tuple[str | None, float]:
    """lingua's likeliest language of `text` (a code of READ) and its confidence (0-1);
    (None, 0.0) when it tells none."""
    values = _detector().compute_language_confidence_values(text)
    if not values:
        return None, 0.0
    return values[0].language.iso_code_639_1.name.lower(), values[0].value


def check(code: str, where: str = "lang") -> str:
    """`code` in lower case when it is one of READ; ValueError naming `where` otherwise."""
    value = code.strip().lower() if isinstance(code, str) else code
    if value not in READ:
        raise ValueError(f"{where} {code!r} is not a language timeline reads ({', '.join(READ)})")
    return value


@lru_cache(maxsize=None)
def tagger_language(code: str | None) -> str:
    """The language whose temporal rules read a text in `code` (see the module's note)."""
    return in_use("temporal_rules", code) if code else DEFAULT


CYRILLIC = ("ru", "be", "uk")
"""The languages of READ written in Cyrillic; the others are written in Latin letters."""

_CYRILLIC_WORD = re.compile(r"[\u0400-\u04ff]+")
_LATIN_WORD = re.compile(r"[A-Za-z\u00c0-\u024f]+")
_FIGURES = re.compile(r"[0-9]+(?:[ .,:/\-\u2013][0-9]+)*")
_FIGURES_BEFORE = re.compile(r"[0-9]+(?:[ .,:/\-\u2013][0-9]+)* $")

PASSAGE_WORDS = 3
"""Words in the other script, in a row, that make a passage (a name or two do not)."""

MAX_PASSAGES = 200
"""Passages of a text read in their own language; any further ones are read in the text's
(each costs a detection: a text switching scripts every few words stays linear and cheap)."""


def passages(text: str, code: str | None) -> list[tuple[int, int, str]]:
    """(start, end, language) of each passage of `text`, a text in language `code`, written
    in the other script: PASSAGE_WORDS or more words of it with no letter of the text's own
    script and no blank line between them, with the figures just before and after ("12
    сентября 2025 года"), and its language: a Cyrillic passage's is one of CYRILLIC, Russian
    unless lingua is MIN_CONFIDENCE sure of another; a Latin one's is `detect`'s, English when
    it is too short to tell. In text order, at most MAX_PASSAGES."""
    own, other = (_CYRILLIC_WORD, _LATIN_WORD) if code in CYRILLIC else (_LATIN_WORD, _CYRILLIC_WORD)
    out: list[tuple[int, int, str]] = []
    run: list[int] = []  # start, end, words of the passage being read
    for m in other.finditer(text):
        if run and not own.search(text, run[1], m.start()) and "\n\n" not in text[run[1]:m.start()]:
            run[1], run[2] = m.end(), run[2] + 1
            continue
        if run and run[2] >= PASSAGE_WORDS and not _passage(text, run, code, out):
            return out
        run = [m.start(), m.end(), 1]
    if run and run[2] >= PASSAGE_WORDS:
        _passage(text, run, code, out)
    return out


def _passage(text: str, run: list[int], code: str | None, out: list) -> bool:
    """Add the passage of `run` to `out` (see `passages`) when its language is not `code`;
    False once `out` holds MAX_PASSAGES."""
    if len(out) >= MAX_PASSAGES:
        return False
    start, end = run[0], run[1]
    before = _FIGURES_BEFORE.search(text, max(0, start - 24), start)  # "12 сентября": the day before the month
    start = before.start() if before is not None else start
    after = _FIGURES.match(text, end + 1) if text[end:end + 1] == " " else None
    end = after.end() if after is not None else end
    piece = _SURROGATE.sub("\ufffd", text[start:end][:DETECT_CHARS])
    if code in CYRILLIC:  # a Latin passage: one too short to tell is most often English
        language = detect(piece) or DEFAULT
    else:  # a Cyrillic one: Russian unless lingua is sure ("Мы освободили их" is 0.85 Ukrainian to it)
        likeliest, confidence = _likeliest(piece)
        language = likeliest if likeliest in CYRILLIC and confidence >= MIN_CONFIDENCE else CYRILLIC[0]
    if language is not None and language != code:
        out.append((start, end, language))
    return True
