"""Building frames: cells coerced to their column's dtype, rows checked, errors that name them.

`empty_frame`, `from_records` and `validate` make frames with exactly the schema's columns
(`timeline.schema`) and dtypes: dates `datetime64[s]`, offsets `Int64`, `bool`, `float64`,
text `str` never missing ('' instead), list columns holding Python lists of str. A value
that does not fit is a `SchemaError` naming the column, the value, the row (and event_id)
and what is allowed: `column 'lat': 91.0 is outside -90..90 (row 3, event 3f9c…)`.
"""
from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import numpy as np
import pandas as pd

from timeline.errors import SchemaError
from timeline.schema import ADDED_LATER, COLUMNS, GRANULARITIES, NAMES

DTYPES: dict[str, str] = {c.name: c.dtype for c in COLUMNS}


class _Bad(Exception):
    """A cell that does not fit its column; turned into a SchemaError with its row."""


def _missing(v: Any) -> bool:
    if v is None or v is pd.NA or v is pd.NaT:
        return True
    if isinstance(v, (float, np.floating)):
        return math.isnan(v)
    if isinstance(v, np.datetime64):
        return bool(np.isnat(v))
    return False


def _blank(v: Any) -> bool:
    """Missing, or text that is only white space (an empty CSV cell): no value."""
    return _missing(v) or (isinstance(v, str) and not v.strip())


def _show(v: Any) -> str:
    s = repr(v)
    return s if len(s) <= 60 else s[:57] + "..."


# Each cell function first takes the type extraction gives (a str, a date, a float, an int)
# as it is: the checks of other types cost more than the rest of building a frame.

def _text(v: Any) -> str:
    if type(v) is str:
        return v
    if _missing(v):
        return ""
    if isinstance(v, str):
        return v
    if isinstance(v, (bool, np.bool_, int, np.integer, float, np.floating)):
        return str(v)
    raise _Bad(f"expected text, got {type(v).__name__} {_show(v)}")


_NAT = np.datetime64("NaT", "s")


def _datetime(v: Any) -> np.datetime64:
    if type(v) is dt.date:
        return np.datetime64(v, "s")
    if _blank(v):
        return _NAT
    if isinstance(v, np.datetime64):
        return v.astype("datetime64[s]")
    if isinstance(v, (str, dt.datetime, dt.date)) and not isinstance(v, pd.Timestamp):
        if isinstance(v, dt.date) and not isinstance(v, dt.datetime):
            return np.datetime64(v, "s")
        try:
            v = pd.Timestamp(v.strip() if isinstance(v, str) else v)
        except (ValueError, OverflowError):
            raise _Bad(f"{_show(v)} is not a date") from None
    if isinstance(v, pd.Timestamp):
        if v.tzinfo is not None:  # one clock for the whole frame: UTC, stored naive
            v = v.tz_convert("UTC").tz_localize(None)
        return v.to_datetime64().astype("datetime64[s]")
    raise _Bad(f"expected a date, got {type(v).__name__} {_show(v)}")


def _integer(v: Any) -> Any:
    if type(v) is int:
        return v
    if _blank(v):
        return pd.NA
    if isinstance(v, (bool, np.bool_)):
        raise _Bad(f"expected an integer, got {v!r}")
    if isinstance(v, (int, np.integer)):
        return int(v)
    if isinstance(v, (float, np.floating)) and float(v).is_integer():
        return int(v)
    if isinstance(v, str) and re.fullmatch(r"\s*[-+]?\d+\s*", v):
        return int(v)
    raise _Bad(f"{_show(v)} is not an integer")


def _number(v: Any) -> float:
    if type(v) is float:
        return math.nan if math.isnan(v) else v
    if _blank(v):
        return math.nan
    if isinstance(v, (bool, np.bool_)):
        raise _Bad(f"expected a number, got {v!r}")
    if isinstance(v, (int, float, np.integer, np.floating)):
        return float(v)
    if isinstance(v, str):
        try:
            return float(v)
        except ValueError:
            pass
    raise _Bad(f"{_show(v)} is not a number")


_TRUE = {"true", "yes", "1", "t", "y"}
_FALSE = {"false", "no", "0", "f", "n"}


def _boolean(v: Any) -> bool:
    if isinstance(v, (bool, np.bool_)):
        return bool(v)
    if isinstance(v, (int, np.integer)) and v in (0, 1):
        return bool(v)
    if isinstance(v, str) and v.strip().casefold() in _TRUE | _FALSE:
        return v.strip().casefold() in _TRUE
    if _missing(v):
        raise _Bad("missing value (expected true or false)")
    raise _Bad(f"{_show(v)} is not true or false")


def _str_list(v: Any) -> list[str]:
    if isinstance(v, np.ndarray):  # what Parquet gives back
        v = v.tolist()
    if isinstance(v, (list, tuple)):
        for item in v:
            if not isinstance(item, str):
                raise _Bad(f"list holds {type(item).__name__} {_show(item)}, expected text")
        return list(v)
    if _missing(v):
        return []
    raise _Bad(f"expected a list, got {type(v).__name__} {_show(v)}")


_CELL: dict[str, Callable[[Any], Any]] = {
    "str": _text, "datetime64[s]": _datetime, "Int64": _integer, "float64": _number,
    "bool": _boolean, "list": _str_list,
}


def _typed(dtype: str, values: list, n: int) -> pd.Series | pd.api.extensions.ExtensionArray:
    index = pd.RangeIndex(n)
    if dtype == "datetime64[s]":
        return pd.Series(np.array(values, dtype="datetime64[s]"), index=index)
    if dtype == "Int64":
        return pd.Series(pd.array(values, dtype="Int64"), index=index)
    if dtype == "list":
        cells = np.empty(n, dtype=object)
        for i, v in enumerate(values):  # element-wise: np.array(list of lists) would make a 2-D array
            cells[i] = v
        return pd.Series(cells, index=index)
    return pd.Series(values, index=index, dtype=dtype)


def list_column(values: list[list[str]]) -> pd.Series:
    """A column of the lists `values` (already checked), indexed 0..n-1."""
    return _typed("list", values, len(values))


def _fast(dtype: str, s: pd.Series) -> pd.Series | None:
    """The column already has its dtype (and no stray missing text): skip the cell loop."""
    kind = s.dtype
    if dtype == "datetime64[s]" and pd.api.types.is_datetime64_dtype(kind) and getattr(kind, "tz", None) is None:
        return s.astype("datetime64[s]")
    if dtype == "Int64" and isinstance(kind, pd.Int64Dtype):
        return s
    if dtype == "Int64" and pd.api.types.is_integer_dtype(kind) and not pd.api.types.is_bool_dtype(kind):
        return s.astype("Int64")  # NumPy integers: no missing values, nothing to check a cell at a time
    if dtype == "float64" and kind == np.float64:
        return s
    if dtype == "bool" and kind == np.bool_:
        return s
    if dtype == "str" and kind == "str" and not s.isna().any():
        return s
    if dtype == "list" and kind == object:
        raw = s.tolist()  # lists of text (as `frame.from_arrow` gives them): copied, no cell loop
        if all(type(v) is list for v in raw) and all(type(x) is str for v in raw for x in v):
            return _typed(dtype, [v.copy() for v in raw], len(raw))
    return None


def _coerce_values(name: str, raw: list, where: Callable[[int], str]) -> pd.Series:
    dtype = DTYPES[name]
    cell = _CELL[dtype]
    values = []
    for i, v in enumerate(raw):
        try:
            values.append(cell(v))
        except _Bad as e:
            raise SchemaError(f"column '{name}' ({dtype}): {e} ({where(i)})") from None
    return _typed(dtype, values, len(values))


def _coerce_column(name: str, s: pd.Series, where: Callable[[int], str], checked: frozenset = frozenset()) -> pd.Series:
    s = s.reset_index(drop=True)
    if name in checked:  # the caller made this column, of its dtype (see _validate)
        return s
    fast = _fast(DTYPES[name], s)
    return fast if fast is not None else _coerce_values(name, s.tolist(), where)


def _row_label(ids: list) -> Callable[[int], str]:
    def where(i: int) -> str:
        eid = ids[i] if i < len(ids) else None
        return f"row {i}" + (f", event {eid}" if isinstance(eid, str) and eid else "")
    return where


def _check_rows(frame: pd.DataFrame, where: Callable[[int], str]) -> None:
    # NumPy rather than pandas operations: this runs once per article and pandas' per-call
    # overhead would dominate.
    def fail(name: str, mask: np.ndarray, problem: Callable[[int], str]) -> None:
        if mask.any():
            i = int(np.flatnonzero(mask)[0])
            raise SchemaError(f"column '{name}': {problem(i)} ({where(i)})")

    date = frame["date"].to_numpy()
    end = frame["end"].to_numpy()
    dated = ~np.isnat(date)
    g = np.asarray(frame["granularity"].tolist(), dtype=object)
    fail("granularity", ~np.isin(g, GRANULARITIES + ("",)),
         lambda i: f"{g[i]!r} is not one of {', '.join(GRANULARITIES)} (or '' when undated)")
    fail("granularity", dated & (g == ""), lambda i: "empty for a dated event")
    fail("granularity", ~dated & (g != ""), lambda i: f"{g[i]!r} for an undated event (expected '')")
    days = lambda a: a.astype("datetime64[D]")  # noqa: E731  (a day event may carry a time)
    fail("end", dated & ~np.isnat(end) & (days(date) > days(end)),
         lambda i: f"{days(end)[i]} is before date {days(date)[i]}")
    fail("event_id", np.asarray(frame["event_id"].tolist(), dtype=object) == "", lambda i: "empty")
    for name, low, high in (("confidence", 0, 1), ("lat", -90, 90), ("lon", -180, 180)):
        col = frame[name].to_numpy()
        with np.errstate(invalid="ignore"):
            fail(name, (col < low) | (col > high), lambda i: f"{col[i]} is outside {low}..{high}")


def _validate(frame: Any, where: Callable[[int], str] | None = None, checked: frozenset = frozenset()) -> pd.DataFrame:
    """`validate`; the columns named in `checked` are taken as they are: their caller made
    them of their dtype, fresh (list columns of fresh lists of text, as `io.from_arrow`
    makes them from Arrow lists of text without nulls)."""
    if not isinstance(frame, pd.DataFrame):
        raise SchemaError(f"expected a pandas DataFrame, got {type(frame).__name__}")
    columns = [str(c) for c in frame.columns]
    dupes = sorted({c for c in columns if columns.count(c) > 1})
    if dupes:
        raise SchemaError(f"column '{dupes[0]}' appears more than once")
    later = {n: v for n, v in ADDED_LATER.items() if n not in columns}
    if later:  # a frame saved before these columns were added
        frame = frame.assign(**{n: [v] * len(frame) for n, v in later.items()})
        columns += list(later)
    missing = [n for n in NAMES if n not in columns]
    if missing:
        raise SchemaError("missing column " + ", ".join(f"'{n}'" for n in missing))
    unknown = [c for c in columns if c not in NAMES]
    if unknown:
        raise SchemaError("unknown column " + ", ".join(f"'{c}'" for c in unknown)
                          + " (the schema's columns are listed in timeline.schema)")
    if where is None:
        where = _row_label(frame["event_id"].tolist())
    out = pd.DataFrame({n: _coerce_column(n, frame[n], where, checked) for n in NAMES},
                       index=pd.RangeIndex(len(frame)))
    _check_rows(out, where)
    return out


def validate(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of `frame` with exactly the schema's columns, in order, and dtypes.

    Values are coerced where that loses nothing (ISO date strings, '12' for an Int64 offset,
    'true' for a bool, None for '' in a text column, NumPy arrays in list columns); the
    index becomes a RangeIndex. Raises SchemaError naming the column, what was wrong and the
    row (and event_id) for: a missing, unknown or duplicated column; a value that cannot be
    coerced to its dtype; a list column holding a non-list or a list of non-text; a
    granularity not in schema.GRANULARITIES, empty on a dated row or set on an undated one;
    `end` before `date`; an empty event_id; confidence outside 0..1, lat/lon out of range.
    """
    return _validate(frame)


def empty_frame() -> pd.DataFrame:
    """A frame with the schema's columns and dtypes and no rows."""
    return _validate(pd.DataFrame({n: [] for n in NAMES}))


def _default(name: str, record: Mapping) -> Any:
    if name == "dated":  # a record that carries a date is dated unless it says otherwise
        return not _missing(record.get("date")) and record.get("date") != ""
    return {"str": "", "datetime64[s]": None, "Int64": None, "float64": math.nan,
            "bool": False, "list": []}[DTYPES[name]]


def from_records(records: Iterable[Mapping]) -> pd.DataFrame:
    """A validated frame from event dicts keyed by the schema's column names.

    Absent keys take defaults: '' for text, NaT, <NA>, NaN, [] for lists, False for bools
    except `dated` (True when the record has a date). Raises SchemaError for a record that
    is not a mapping or has a key outside the schema (a misspelt column would otherwise be
    lost), and for any value `validate` rejects; the message names the record's position.
    """
    records = list(records)
    for i, r in enumerate(records):
        if not isinstance(r, Mapping):
            raise SchemaError(f"record {i}: expected a mapping of column to value, got {type(r).__name__}")
        unknown = [k for k in r if k not in DTYPES]
        if unknown:
            raise SchemaError(f"record {i}: unknown column '{unknown[0]}' "
                              "(the schema's columns are listed in timeline.schema)")
    ids = [r.get("event_id") for r in records]
    where = lambda i: f"record {i}" + (f", event {ids[i]}" if ids[i] else "")  # noqa: E731
    frame = pd.DataFrame({n: _coerce_values(n, [r[n] if n in r else _default(n, r) for r in records], where)
                          for n in NAMES}, index=pd.RangeIndex(len(records)))
    _check_rows(frame, where)
    return frame


def from_record_lists(record_lists: Iterable[Iterable[Mapping]]) -> tuple[list[pd.DataFrame], list[tuple[int, Exception]]]:
    """(frames, failures) for the event records of many articles, one list per article.

    The rows are those of `[from_records(r) for r in record_lists]`, but built as one frame
    when every record validates: pandas costs milliseconds for each frame it builds, more than
    extracting a short article's events. When some record does not validate, each article's
    records make a frame of their own, and `failures` holds (the article's position, what
    `from_records` raised) for each article whose records do not, so that one bad article is
    its own line and the others are kept.
    """
    lists = [list(records) for records in record_lists]
    try:
        whole = from_records(r for records in lists for r in records)
        return ([whole] if len(whole) else []), []
    except Exception:  # noqa: BLE001 -- find the article(s) at fault below
        pass
    frames, failures = [], []
    for i, records in enumerate(lists):
        try:
            frame = from_records(records)
        except Exception as e:  # noqa: BLE001 -- one article's failure is its line
            failures.append((i, e))
            continue
        if len(frame):
            frames.append(frame)
    return frames, failures


def _ordered(frame: pd.DataFrame) -> pd.DataFrame:
    """Deterministic order: by date (undated last), then event_id."""
    return frame.sort_values(["date", "event_id"], na_position="last", kind="stable").reset_index(drop=True)
