"""Events and places: what happened, when and where, read from an article.

- `story`: the loop over an article's sentences (`extract_events`, `extract`), over a
  `StoryState` of what a reader carries from one sentence to the next;
- `records`: the `EventRecord` (the frame's columns, typed) and stable event ids;
- `dating`: the rules that date a sentence without a date of its own, in order;
- `anchors`: dates reckoned from other events, events named again;
- `actors`, `titles`, `categorise`, `placing`: who, what, which category, where;
- `vocabulary`: the language's words for all of them (`timeline/lang/<code>/events.yaml`);
- `places`: place names in text, the offline gazetteer, geocoders.
"""
from timeline.extract.actors import find_actors
from timeline.extract.categorise import CATEGORIES, categorise
from timeline.extract.records import EventRecord, event_id
from timeline.extract.story import extract, extract_events
from timeline.extract.titles import make_title

__all__ = ["CATEGORIES", "EventRecord", "categorise", "event_id", "extract", "extract_events", "find_actors",
           "make_title"]
