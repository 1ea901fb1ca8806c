"""The event frame: build, validate, save, load, merge and correct it.

Everything downstream (figures, app, export) reads one pandas DataFrame whose columns,
dtypes and meanings are stated once in `timeline.schema`. This package makes frames that
follow it exactly, one concept a module (import the names from here, `timeline.frame`):

- `build`: `empty_frame`, `from_records`, `from_record_lists` (many articles' records as
  one frame), `validate` (exact dtypes, or a `SchemaError` naming the column, the value, the
  row and what is allowed) and `DTYPES`.
- `io`: `save` / `load` in CSV, JSON and Parquet (`FORMATS`; `parquet_bytes` and
  `from_parquet_bytes` for a database; `arrow_table` and `from_arrow` for datasets),
  round-tripping types and
  writing through `timeline.atomic.atomic_write` (also `frame.atomic_write`);
  `read_text_file`.
- `merge`: `merge`, several articles' frames into one, an event reported twice being one
  row (`TITLE_SIMILARITY`, `SENTENCE_SIMILARITY`, `CORROBORATION`, `MERGED_IDS`); its
  English words are in `timeline/lang/en/merge.yaml`.
- `corrections`: `Override`, `override`, `load_overrides`, `apply_overrides`, `save_override`
  (`OVERRIDE_FIELDS`, `ADDED_SOURCE`): editorial corrections keyed by `event_id`, kept in
  a CSV or YAML file.
- `span`: `story_span`, the years the dated events span, a lone stray year set apart.
- `period_of` (from `timeline.temporal.periods`): a TIMEX3 DATE value's first day, last day
  and granularity.
"""
from __future__ import annotations

from timeline.atomic import atomic_write
from timeline.frame.build import DTYPES, empty_frame, from_record_lists, from_records, validate
from timeline.frame.corrections import (
    ADDED_SOURCE, OVERRIDE_FIELDS, Override, apply_overrides, load_overrides, override, save_override,
)
from timeline.frame.io import (
    FORMATS, arrow_table, from_arrow, from_parquet_bytes, json_cell, load, parquet_bytes, read_text_file, save,
)
from timeline.frame.merge import CORROBORATION, MERGED_IDS, SENTENCE_SIMILARITY, TITLE_SIMILARITY, merge, merge_keys
from timeline.temporal.periods import period_of

__all__ = [
    "arrow_table", "from_arrow", "from_parquet_bytes", "json_cell", "parquet_bytes",
    "ADDED_SOURCE", "CORROBORATION", "DTYPES", "FORMATS", "MERGED_IDS", "OVERRIDE_FIELDS",
    "Override", "SENTENCE_SIMILARITY", "TITLE_SIMILARITY", "apply_overrides", "atomic_write",
    "empty_frame", "from_record_lists", "from_records", "load", "load_overrides", "merge", "merge_keys", "override",
    "period_of",
    "read_text_file", "save", "save_override", "validate",
]
