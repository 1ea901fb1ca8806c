"""Titles: a short headline-style clause for an event, from the clause around its date."""
from __future__ import annotations

import bisect
import re
from functools import lru_cache

from timeline.extract.actors import speaker
from timeline.extract.clauses import CLAUSE_REACH, clause_bounds, first_break_start
from timeline.extract.vocabulary import BEFORE_REACH, EventWords, words

TITLE_WORDS = 16
"""A title longer than this many words is cut, with an ellipsis."""

_STRIP = " ,.;:\"'\u201c\u201d"
_YEAR = re.compile(r"\d{4}")


def _unattributed(text: str) -> str:
    """`text` without the attribution it opens or ends with ("..., the ministry said.")."""
    w = words()
    return w.attribution.sub("", text) if w.attribution_verbs.search(text) else text


@lru_cache(maxsize=8)
def _main_clause(sentence: str) -> str:
    """The sentence's main clause (up to its first break, if that is not too near the start)
    without its attribution: read once per sentence, however many of its dates need it."""
    end = first_break_start(sentence, 0)
    clause = sentence[: end if end is not None and end > 20 else len(sentence)]
    return _unattributed(clause).strip(_STRIP)


def make_title(sentence: str, start: int, end: int, actors: list[tuple[str, int]],
               subject: str = "") -> str:
    """A short headline-style clause for the event whose date is sentence[start:end]
    (the whole sentence's gist when start == end). `subject` replaces a leading He/She."""
    w = words()
    if start == end:
        clause = _unattributed(sentence).strip(_STRIP)
    else:
        clause = _date_clause(sentence, start, end, actors, w)
    if len(clause.split()) < 3:  # too little left: the sentence's main clause tells it better
        clause = _main_clause(sentence)
    if w.subject_pronoun.match(clause):
        who = speaker(sentence, actors)
        if who or subject:
            clause = w.subject_pronoun.sub(who or subject, clause)
    title_words = clause.split()
    if len(title_words) > TITLE_WORDS:
        title_words = title_words[:TITLE_WORDS]
        title_words[-1] = title_words[-1].rstrip(",;:") + "\u2026"
    title = " ".join(title_words)
    return title[:1].upper() + title[1:]


def _date_clause(sentence: str, start: int, end: int, actors: list[tuple[str, int]], w: EventWords) -> str:
    """The clause around the date sentence[start:end], the date and its preposition left out
    (unless the date belongs to a noun: "a 2010 election"), scene-setting openers, asides and
    attributions dropped, a leading relative pronoun replaced by the name it stands for."""
    left, right = clause_bounds(sentence, start, end)
    date_text = sentence[start:end]
    determined = _YEAR.fullmatch(date_text) and w.determiner_before.search(sentence, max(0, start - BEFORE_REACH), start)
    modifier = determined or w.possessive_after.match(sentence, end)
    if modifier:  # "a 2010 election", "Thursday's release": the date belongs to the noun
        clause, date_at = sentence[left:right], start - left
    else:
        before = w.date_preposition.sub("", sentence[left:start]).rstrip()
        clause, date_at = (before + " " + sentence[end:right]).strip(), len(before)
    if left == 0 and w.scene_opening.match(clause) and not w.finite_verb.search(clause) and right < len(sentence):
        # "In composite trading yesterday, Aetna closed at $59.50": the lead-in sets the
        # scene; the clause after it says what happened.
        nxt = first_break_start(sentence, right + 1)
        after = sentence[right: min(len(sentence) if nxt is None else nxt, right + CLAUSE_REACH)].lstrip(" ,;:")
        if len(after.split()) >= 3:
            clause, date_at = after, 0
    whose = None
    for whose in w.whose.finditer(clause, 0, date_at):
        pass
    used = whose is not None and whose.start() > 0 and len(clause[whose.end():].split()) >= 3
    if used:
        clause = clause[whose.end():]  # "the leader whose husband Siarhei was freed" -> "Siarhei was freed"
    clause = _unattributed(clause).strip(_STRIP)
    clause = w.lead_words.sub("", clause)
    if not used and w.relative.match(clause):
        # "Statkevich, who ran against Lukashenko": the pronoun stands for the name before it.
        before = bisect.bisect_left(actors, left, key=lambda actor: actor[1])  # actors are in text order
        clause = w.relative.sub((actors[before - 1][0].split()[-1] + " ") if before else "", clause)
    return clause
