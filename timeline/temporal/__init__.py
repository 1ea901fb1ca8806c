"""Find temporal expressions in text and normalise them to TIMEX3 values.

    >>> from timeline.temporal import tag
    >>> [(t.text, t.value) for t in tag("Freed on Thursday, they crossed last month.", "2025-09-12")]
    [('Thursday', '2025-09-11'), ('last month', '2025-08')]
"""
from timeline.temporal.engine import tag, tag_many
from timeline.temporal.timex import Timex

__all__ = ["Timex", "tag", "tag_many"]
