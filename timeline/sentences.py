"""Sentence boundaries in news text, as character spans.

News prose has abbreviations that end in a full stop ("Sept.", "Mr.", "U.S."), initials,
quotes after the stop and datelines; a split that breaks "Sept. 12" loses the date's event.
"""
from __future__ import annotations

import re

# Words after which a full stop does not end a sentence.
ABBREVIATIONS = frozenset("""
mr mrs ms dr prof rev gen lt col capt sgt adm cmdr maj sen rep gov st jr sr no nos vs
jan feb mar apr jun jul aug sep sept oct nov dec mon tue tues wed thu thur thurs fri sat sun
inc corp co ltd bros dept est approx fig vol pp al e.g i.e u.s u.k u.n e.u a.m p.m
""".split())

_CANDIDATE = re.compile(r"[.!?]+[\"'\u201d\u2019)\]]*(?=\s)|\n[ \t]*\n")
_WORD_BEFORE = re.compile(r"([\w.]+)$")
_NEXT_START = re.compile(r"\s+[\"'\u201c\u2018(\[]*(\S)")


def split(text: str) -> list[tuple[int, int]]:
    """The sentences of `text` as (start, end) spans, white space trimmed, in order.

    A line break followed by a blank line always ends a sentence; so does a single line
    break before a capitalised line (headlines, list items, datelines).
    """
    cuts = []
    for m in _CANDIDATE.finditer(text):
        if m.group().startswith("\n"):
            cuts.append(m.end())
            continue
        if m.group()[0] == ".":
            word = _WORD_BEFORE.search(text, max(0, m.start() - 20), m.start())
            w = word.group(1).lower().rstrip(".") if word else ""
            if w in ABBREVIATIONS or (len(w) == 1 and w.isalpha()):
                nxt = _NEXT_START.match(text, m.end())
                # "Sept. 12", "Mr. Trump", "U.S. officials": the sentence goes on unless
                # the next word starts a new one after an abbreviation that can end one.
                if not nxt or not nxt.group(1).isupper() or w in _NEVER_ENDS:
                    continue
                if (w in _INITIALS or len(w) == 1) and not _STARTER.match(text, nxt.start(1)):
                    # "a U.S. Embassy official", "Daniel P. Davison": a name goes on;
                    # "in the U.S. The ...", "Plan B. The ..." ends
                    continue
        nxt = _NEXT_START.match(text, m.end())
        if nxt and nxt.group(1).islower():
            continue
        cuts.append(m.end())
    for m in re.finditer(r"\n(?=[ \t]*[A-Z\"\u201c])", text):
        cuts.append(m.end())
    cuts = sorted(set(cuts))
    spans, start = [], 0
    for cut in cuts + [len(text)]:
        s, e = start, cut
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            spans.append((s, e))
        start = cut
    return spans


# Abbreviations that are followed by a name or a number, never by a new sentence.
_NEVER_ENDS = frozenset("mr mrs ms dr prof rev gen lt col capt sgt adm cmdr maj sen rep gov st no nos vs".split()) | frozenset(
    "jan feb mar apr jun jul aug sep sept oct nov dec".split())

# Country initials end a sentence only before a word that starts one ("in the U.S. The talks
# ..."); before other capitalised words they are part of a name ("U.S. Embassy", "U.N. Security
# Council").
_INITIALS = frozenset("u.s u.k u.n e.u".split())
_STARTER = re.compile(
    r"(?:The|A|An|He|She|It|They|We|I|You|His|Her|Its|Their|Our|This|That|These|Those|There|But|And|Or|"
    r"So|Yet|In|On|At|For|If|When|While|After|Before|As|Since|Although|Though|Meanwhile|However|Still|"
    r"Now|Then|Earlier|Later|Last|Next|Some|Many|Most|Officials|No|Not|Both|Each|Other|Such)\b|[\"'\u201c\u2018`]")
