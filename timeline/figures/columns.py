"""What the figures read from the event frame (schema in `timeline.schema`): the columns
they need, which rows are dated, which granularities are drawn as days."""
from __future__ import annotations

import numpy as np
import pandas as pd

from timeline.errors import SchemaError

REQUIRED = ("event_id", "date", "end", "granularity", "timex", "date_text", "dated", "title",
            "category", "countries", "lat", "lon", "places", "source")
DAY_GRANULARITIES = ("day", "time", "")  # drawn as markers; every other one as a bar


def check_columns(frame: pd.DataFrame) -> None:
    """Nothing when `frame` is a DataFrame holding every REQUIRED column; SchemaError naming
    what is wrong otherwise."""
    if not isinstance(frame, pd.DataFrame):
        raise SchemaError(f"expected an event frame (pandas DataFrame), not {type(frame).__name__}")
    missing = [c for c in REQUIRED if c not in frame.columns]
    if missing:
        raise SchemaError(f"event frame lacks column(s): {', '.join(missing)}")


def dated_mask(frame: pd.DataFrame) -> np.ndarray:
    """Per row of `frame`, whether the timeline draws it: `dated` and with a `date`."""
    return frame["dated"].to_numpy(dtype=bool) & frame["date"].notna().to_numpy()
