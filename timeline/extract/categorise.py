"""Which category an event is: the category table's words nearest the date."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from timeline import categories as table
from timeline.lang import DEFAULT

CATEGORIES = table.NAMES
"""Every category, in matching order, `other` last (see `timeline.categories`)."""


@dataclass(frozen=True)
class Category:
    name: str
    description: str
    pattern: re.Pattern


@lru_cache(maxsize=None)
def categories(lang: str = DEFAULT) -> tuple[Category, ...]:
    """The taxonomy with its words in `lang`, in matching order. A word is matched at the
    start of a word ("sanction" matches "sanctioned"); one ending in a space must end there
    ("free " is not "freedom")."""
    out = []
    for name, words in table.words(lang).items():
        alts = [r"\b" + re.escape(w.strip()) + (r"\b" if w.endswith(" ") else "") for w in words]
        out.append(Category(name, table.get(name).description, re.compile("|".join(alts), re.I)))
    return tuple(out)


def categorise(clause: str, sentence: str = "", at: int | None = None) -> str:
    """The category whose words the clause holds (the one nearest position `at` of the
    clause when given, else the first in taxonomy order), else the sentence's, else 'other'."""
    for text in (clause, sentence):
        best, best_distance = None, None
        for c in categories():
            for m in c.pattern.finditer(text):
                # words within a few words of the date count alike; then taxonomy order decides
                distance = 0 if at is None else min(abs(m.start() - at), abs(m.end() - at)) // 25
                if best_distance is None or distance < best_distance:
                    best, best_distance = c.name, distance
                if at is None:
                    break
            if at is None and best:
                break
        if best:
            return best
    return table.OTHER
