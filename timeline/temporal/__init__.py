"""Find temporal expressions in text and normalise them to TIMEX3 values.

    >>> from timeline.temporal import tag
    >>> [(t.text, t.value) for t in tag("Freed on Thursday, they crossed last month.", "2025-09-12")]
    [('Thursday', '2025-09-11'), ('last month', '2025-08')]

The language data is in timeline/lang/en/ (temporal.yaml: words; temporal_rules.yaml:
patterns, rejections and their examples). The modules, one job each:

    lexicon.py     the words, read and checked; numbers and years in words
    patterns.py    the macros rules write in braces ({MONTH}, {COUNT}, ...)
    rules.py       the rules, compiled and checked, with the rejections that apply to each
    rejections.py  the rejections: named conditions that drop or keep a match
    context.py     what a reader carries: sentences, paragraphs, tense, the last date told
    recipes.py     a match and the context in, TIMEX3 values out
    calendar.py    calendar arithmetic on TIMEX3 periods (no text)
    engine.py      the tagger's two passes: `tag`, `tag_many`
    examples.py    the data file's examples, for the tests
    periods.py     a TIMEX3 value's first and last day (for the events and the frame)
"""
from timeline.temporal.context import tells_its_own_time
from timeline.temporal.engine import tag, tag_many
from timeline.temporal.timex import Timex

__all__ = ["Timex", "tag", "tag_many", "tells_its_own_time"]
