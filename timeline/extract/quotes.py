"""Where an article quotes someone: the spans of its quotations, across sentences.

A quotation's words are the speaker's, with their own days and tenses ("we will be home by
8 p.m.", "fourteen people are home tonight"): an editor does not make events of them. News
writes quotations that run over several sentences and paragraphs: a paragraph left open goes
on in the next one, which opens again.

    >>> quotation_spans('He said: "We are home. Nobody else is." Then he left.')
    [(9, 39)]
"""
from __future__ import annotations

import bisect
import re

_MARK = re.compile(r"``|''|[\"\u201c\u201d]|\n[ \t]*\n")
"""A quotation mark (straight, curly, or TimeBank's `` and ''), or a paragraph break."""

_OPENS = {"\u201c", "``"}
_CLOSES = {"\u201d", "''"}


def quotation_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each quotation of `text`, marks included, in text order: a curly or
    `` mark opens, its partner closes, a straight mark opens or closes by turns; a quotation
    still open at a paragraph's end stops there. One pass over the marks: linear in `text`."""
    spans, opened, opener = [], None, ""
    for m in _MARK.finditer(text):
        mark = m.group()
        if mark[0] == "\n":  # a paragraph ends every quotation
            if opened is not None:
                spans.append((opened, m.start()))
            opened = None
        elif opened is None:
            if mark in _OPENS or mark == '"':
                opened, opener = m.start(), mark
        elif (mark == '"') == (opener == '"') and mark not in _OPENS:  # its partner closes it
            spans.append((opened, m.end()))
            opened = None
    if opened is not None:
        spans.append((opened, len(text)))
    return spans


class Quotations:
    """The quotations of one text, for asking whether an offset or a span lies in one."""

    def __init__(self, text: str):
        self.spans = quotation_spans(text)
        self._starts = [s for s, _ in self.spans]

    def holds(self, at: int) -> bool:
        """Whether offset `at` lies inside a quotation (after its opening mark)."""
        i = bisect.bisect_right(self._starts, at) - 1
        return i >= 0 and self.spans[i][0] < at < self.spans[i][1]

    def share(self, start: int, end: int) -> float:
        """The share of [start, end) that lies inside quotations."""
        if end <= start:
            return 0.0
        i = max(bisect.bisect_right(self._starts, start) - 1, 0)
        inside = 0
        while i < len(self.spans) and self.spans[i][0] < end:
            a, b = self.spans[i]
            inside += max(0, min(b, end) - max(a, start))
            i += 1
        return inside / (end - start)
