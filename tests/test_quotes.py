"""Quotations across sentences and paragraphs (timeline.extract.quotes), and what they do to
an event's confidence: the speaker's words and days are seldom an editor's events."""
from __future__ import annotations

import pytest

from timeline.extract import confidence, extract
from timeline.extract.quotes import Quotations, quotation_spans
from timeline.read import article_from_text


@pytest.mark.parametrize("text, quoted", [
    ('He said: "We are home. Nobody else is." Then he left.', ['"We are home. Nobody else is."']),
    ("\u201cOne,\u201d she said, \u201ctwo.\u201d", ["\u201cOne,\u201d", "\u201ctwo.\u201d"]),
    ("``Not now,'' he said.", ["``Not now,''"]),
    ('"Open at the end of a paragraph.\n\n"Open again," she said.', ['"Open at the end of a paragraph.',
                                                                      '"Open again,"']),
    ('\u201cCurly with "straight" inside\u201d.', ['\u201cCurly with "straight" inside\u201d']),
    ("No quotation here, only it's and '90s.", []),
])
def test_quotations_are_found_across_sentences_and_stop_at_a_paragraph(text, quoted):
    assert [text[a:b] for a, b in quotation_spans(text)] == quoted


def test_a_quotations_share_of_a_span_and_whether_an_offset_is_inside():
    text = 'A "bc" d'
    q = Quotations(text)
    assert q.holds(text.index("b")) and not q.holds(0) and not q.holds(text.index("d"))
    assert q.share(0, len(text)) == pytest.approx(4 / 8)
    assert Quotations("").share(0, 0) == 0.0


ARTICLE = """Belarus frees prisoners

VILNIUS - Belarus freed 14 prisoners on Friday, officials said.

"Fourteen people are home tonight. More than a thousand are not," said Alena Sidarenka.

"In 1989 the cod almost disappeared," he recalled.

Published: 11 April 2026
"""


def test_a_quotation_and_a_day_counted_in_one_are_doubted_and_named_dates_are_not():
    rows = {r.date_text or r.sentence[:20]: r for r in extract(
        article_from_text(ARTICLE, published="2026-04-11", name="q"))}
    assert not rows["Friday"].quoted                  # the news, told by the writer
    assert rows["tonight"].quoted                     # the speaker's evening
    assert all(r.quoted for r in rows.values() if "thousand" in r.sentence)
    assert not rows["1989"].quoted  # a date the quotation names: when something happened
    # and the doubt is the confidence's: the news is shown by default, the quotations are not
    shown = confidence.shown_from()
    assert rows["Friday"].confidence >= shown > rows["tonight"].confidence
    assert all(r.confidence < shown for r in rows.values() if "thousand" in r.sentence)
    assert rows["1989"].confidence > rows["tonight"].confidence
