"""A rule's matches, found fast: exactly those of `rule.regex.finditer(text, start, end)`.

Why: Python's regex engine tries a pattern that opens with `\\b` and lookbehinds (every
rule does: `patterns.LEFT`) at each position of the text, and at each word start it tries
the rule's many alternatives one by one; the tagger's first pass cost about 2 s per MB.
A pattern that opens by consuming a character of a plain set is scanned for that set in a
tight loop instead. So each rule has a *finder*: a gate consuming the character before a
match (a rule starts no match after a letter, a digit, `_`, `$`, `£`, `€`, `#`, `@` or `/`),
a lookahead for the characters a match can start with (`first_chars`), then the rule's own
pattern. The finder says where the next match starts; the rule's regex matches there, so
the match (span and groups) is the one finditer gives.
"""
from __future__ import annotations

import re
from typing import Iterator

try:  # the parser `re` compiles with; without it every rule is scanned the plain way
    from re import _constants as sre
    from re import _parser
except ImportError:  # pragma: no cover
    _parser = None

GATE = "(?-i:[^0-9A-Za-z_$£€#@/])"
"""The character before a match: a superset of what `patterns.LEFT` lets stand there."""


def finder(regex: re.Pattern, left: str) -> re.Pattern | None:
    """The finder of `regex`, a pattern that opens with `left` (see the module docstring),
    or None when the characters its matches start with cannot be told (or it can match
    nothing at all): such a rule is scanned the plain way."""
    if _parser is None or not regex.pattern.startswith(left):
        return None
    try:
        firsts, empty = first_chars(_parser.parse(regex.pattern[len(left):], regex.flags))
        if firsts is None or empty or not firsts:
            return None
        # the lookahead is case-insensitive whatever the rule's flags: a superset is safe
        return re.compile(GATE + "(?=(?i:[" + "".join(sorted(firsts)) + "]))" + regex.pattern, regex.flags)
    except (re.error, TypeError, ValueError, AttributeError):  # a pattern of a shape not foreseen
        return None


def first_chars(seq) -> tuple[set[str] | None, bool]:
    """(the character-class items a match of the parsed pattern `seq` can start with, whether
    it can match the empty string); None for the items when they cannot be told. Zero-width
    assertions are passed over: leaving a condition out only widens the set."""
    items: set[str] = set()
    for op, av in seq:
        if op in (sre.AT, sre.ASSERT, sre.ASSERT_NOT):
            continue
        if op in (sre.LITERAL, sre.IN):
            own = _class_items([(op, av)] if op is sre.LITERAL else av)
            return (None if own is None else items | own), False
        if op is sre.SUBPATTERN:
            own, empty = first_chars(av[3])
        elif op is sre.ATOMIC_GROUP:
            own, empty = first_chars(av)
        elif op is sre.BRANCH:
            own, empty = set(), False
            for branch in av[1]:
                sub, sub_empty = first_chars(branch)
                if sub is None:
                    return None, False
                own, empty = own | sub, empty or sub_empty
        elif op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT):
            own, empty = first_chars(av[2])
            empty = empty or av[0] == 0
        else:  # any character, a back reference, a conditional: not told
            return None, False
        if own is None:
            return None, False
        items |= own
        if not empty:
            return items, False
    return items, True


def _class_items(members) -> set[str] | None:
    """A character class's members (parsed) as class source, None for one not written plainly."""
    categories = {sre.CATEGORY_DIGIT: r"\d", sre.CATEGORY_NOT_DIGIT: r"\D", sre.CATEGORY_SPACE: r"\s",
                  sre.CATEGORY_NOT_SPACE: r"\S", sre.CATEGORY_WORD: r"\w", sre.CATEGORY_NOT_WORD: r"\W"}
    out = set()
    for op, av in members:
        if op is sre.LITERAL:
            out.add(re.escape(chr(av)))
        elif op is sre.RANGE:
            out.add(re.escape(chr(av[0])) + "-" + re.escape(chr(av[1])))
        elif op is sre.CATEGORY and av in categories:
            out.add(categories[av])
        else:  # a negated class, a class of another kind
            return None
    return out


def matches(regex: re.Pattern, find: re.Pattern | None, text: str, start: int, end: int) -> Iterator[re.Match]:
    """`regex.finditer(text, start, end)`, the next match's start found by `find` (the
    regex's `finder`) when there is one."""
    if find is None:
        yield from regex.finditer(text, start, end)
        return
    at = start  # where finditer tries next
    if start == 0:  # no character before the text's first for the gate to consume
        m = regex.match(text, 0, end)
        if m is not None:
            yield m
            at = m.end()
    while (gate := find.search(text, max(at - 1, 0), end)) is not None:
        m = regex.match(text, gate.start() + 1, end)
        if m is None:  # cannot be (the finder holds the regex): finditer goes on from there
            yield from regex.finditer(text, gate.start() + 1, end)
            return
        yield m
        at = m.end()
