"""The event frame: build, validate, save, load, merge and correct it.

Everything downstream (figures, app, export) reads one pandas DataFrame whose columns,
dtypes and meanings are stated once in `timeline.schema`. This module makes frames that
follow it exactly:

- `empty_frame`, `from_records`, `validate`: exact dtypes (dates `datetime64[s]`, offsets
  `Int64`, `bool`, `float64`, text `str` never missing ('' instead), list columns holding
  Python lists of str), or a `SchemaError` naming the column and what was wrong.
- `save` / `load`: CSV, JSON and Parquet that round-trip without losing types; writes are
  atomic (temp file in the same directory, then `os.replace`).
- `merge`: several articles' frames into one, an event reported twice being one row.
- `load_overrides` / `apply_overrides` / `save_override`: editorial corrections keyed by
  `event_id`, kept in a CSV or YAML file.
- `period_of`: a TIMEX3 DATE value's first day, last day and granularity.
"""
from __future__ import annotations

import contextlib
import csv
import datetime as dt
import difflib
import hashlib
import io
import json
import math
import os
import re
import tempfile
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import yaml

from timeline.errors import ExportError, InputError, OverridesError, SchemaError
from timeline.schema import COLUMNS, GRANULARITIES, LIST_COLUMNS, NAMES
from timeline.temporal.periods import period_of

DTYPES: dict[str, str] = {c.name: c.dtype for c in COLUMNS}
FORMATS: tuple[str, ...] = ("csv", "json", "parquet")


# --------------------------------------------------------------------------- coercion

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


def _show(v: Any) -> str:
    s = repr(v)
    return s if len(s) <= 60 else s[:57] + "..."


def _text(v: Any) -> str:
    if _missing(v):
        return ""
    if isinstance(v, str):
        return v
    if isinstance(v, (bool, np.bool_, int, np.integer, float, np.floating)):
        return str(v)
    raise _Bad(f"expected text, got {type(v).__name__} {_show(v)}")


_NAT = np.datetime64("NaT", "s")


def _datetime(v: Any) -> np.datetime64:
    if _missing(v) or (isinstance(v, str) and not v.strip()):
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
    if _missing(v) or (isinstance(v, str) and not v.strip()):
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
    if _missing(v) or (isinstance(v, str) and not v.strip()):
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


def _fast(dtype: str, s: pd.Series) -> pd.Series | None:
    """The column already has its dtype (and no stray missing text): skip the cell loop."""
    kind = s.dtype
    if dtype == "datetime64[s]" and pd.api.types.is_datetime64_dtype(kind) and getattr(kind, "tz", None) is None:
        return s.astype("datetime64[s]")
    if dtype == "Int64" and isinstance(kind, pd.Int64Dtype):
        return s
    if dtype == "float64" and kind == np.float64:
        return s
    if dtype == "bool" and kind == np.bool_:
        return s
    if dtype == "str" and kind == "str" and not s.isna().any():
        return s
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


def _coerce_column(name: str, s: pd.Series, where: Callable[[int], str]) -> pd.Series:
    s = s.reset_index(drop=True)
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


def _validate(frame: Any, where: Callable[[int], str] | None = None) -> pd.DataFrame:
    if not isinstance(frame, pd.DataFrame):
        raise SchemaError(f"expected a pandas DataFrame, got {type(frame).__name__}")
    columns = [str(c) for c in frame.columns]
    dupes = sorted({c for c in columns if columns.count(c) > 1})
    if dupes:
        raise SchemaError(f"column '{dupes[0]}' appears more than once")
    missing = [n for n in NAMES if n not in columns]
    if missing:
        raise SchemaError("missing column " + ", ".join(f"'{n}'" for n in missing))
    unknown = [c for c in columns if c not in NAMES]
    if unknown:
        raise SchemaError("unknown column " + ", ".join(f"'{c}'" for c in unknown)
                          + " (the schema's columns are listed in timeline.schema)")
    if where is None:
        where = _row_label(frame["event_id"].tolist())
    out = pd.DataFrame({n: _coerce_column(n, frame[n], where) for n in NAMES}, index=pd.RangeIndex(len(frame)))
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


# --------------------------------------------------------------------------- files

def _format(path: Path, format: str | None, error: type[Exception]) -> str:
    fmt = (format or path.suffix.lstrip(".")).lower()
    if fmt not in FORMATS:
        raise error(f"{path}: unknown format {fmt or '(no extension)'!r}; use .csv, .json or .parquet")
    return fmt


def atomic_write(path: Path, write: Callable[[Path], None]) -> None:
    """Run `write(temp)` on a temp file beside `path`, then move it over `path`.

    A failure at any point removes the temp file and leaves `path` as it was; an OSError
    becomes an ExportError naming `path`. Every file timeline writes goes through here.
    """
    path = Path(path)
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as e:
        raise ExportError(f"cannot write {path}: {e.strerror or e}") from None
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        write(tmp)
        # mkstemp makes the file private (0600); give it the mode a plain open() would.
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, path)
    except BaseException as e:
        with contextlib.suppress(OSError):
            tmp.unlink()
        if isinstance(e, OSError):
            raise ExportError(f"cannot write {path}: {e.strerror or e}") from None
        raise


def _iso(v: Any) -> str | None:
    if pd.isna(v):
        return None
    ts = pd.Timestamp(v)
    return ts.strftime("%Y-%m-%d") if ts == ts.normalize() else ts.strftime("%Y-%m-%dT%H:%M:%S")


def _plain(name: str, v: Any) -> Any:
    """A cell as a JSON value: ISO dates, None for missing, Python scalars."""
    dtype = DTYPES[name]
    if dtype == "list":
        return list(v)
    if dtype == "datetime64[s]":
        return _iso(v)
    if dtype in ("Int64", "float64"):
        return None if pd.isna(v) else (int(v) if dtype == "Int64" else float(v))
    if dtype == "bool":
        return bool(v)
    return str(v)


def _cell_text(name: str, v: Any) -> str:
    """A cell as CSV text; lists as JSON arrays, missing as ''."""
    plain = _plain(name, v)
    if DTYPES[name] == "list":
        return json.dumps(plain, ensure_ascii=False)
    if plain is None:
        return ""
    if isinstance(plain, bool):
        return "true" if plain else "false"
    if isinstance(plain, float):
        return repr(plain)
    return str(plain)


def _arrow_schema():
    import pyarrow as pa

    kinds = {"str": pa.string(), "datetime64[s]": pa.timestamp("s"), "Int64": pa.int64(),
             "float64": pa.float64(), "bool": pa.bool_(), "list": pa.list_(pa.string())}
    return pa.schema([pa.field(c.name, kinds[c.dtype]) for c in COLUMNS])


def save(frame: pd.DataFrame, path: str | os.PathLike, format: str | None = None) -> Path:
    """Write `frame` to `path` as CSV, JSON or Parquet; returns the path written.

    `format` ('csv', 'json', 'parquet') defaults to the path's extension. CSV: UTF-8,
    one header row of the schema's columns, dates as YYYY-MM-DD (with THH:MM:SS when they
    carry a time), list cells as JSON arrays, missing values as empty cells, bools as
    true/false. JSON: a list of event objects, dates as ISO strings, missing as null.
    Parquet: typed columns (timestamp[s], int64, list<string>, ...). The frame is validated
    first (SchemaError) and written atomically: on failure nothing is left at `path` or
    beside it. Raises ExportError for an unknown format or a path that cannot be written.
    """
    path = Path(path)
    fmt = _format(path, format, ExportError)
    frame = validate(frame)

    if fmt == "csv":
        def write(tmp: Path) -> None:
            with open(tmp, "w", encoding="utf-8", newline="") as f:
                w = csv.writer(f)
                w.writerow(NAMES)
                columns = [frame[n].tolist() for n in NAMES]
                for row in zip(*columns):
                    w.writerow([_cell_text(n, v) for n, v in zip(NAMES, row)])
    elif fmt == "json":
        def write(tmp: Path) -> None:
            rows = [{n: _plain(n, v) for n, v in zip(NAMES, row)}
                    for row in zip(*(frame[n].tolist() for n in NAMES))]
            with open(tmp, "w", encoding="utf-8") as f:
                json.dump(rows, f, ensure_ascii=False, indent=1)
                f.write("\n")
    else:
        def write(tmp: Path) -> None:
            import pyarrow as pa
            import pyarrow.parquet as pq

            pq.write_table(pa.Table.from_pandas(frame, schema=_arrow_schema(), preserve_index=False), tmp)

    atomic_write(path, write)
    return path


def _read_csv(path: Path) -> pd.DataFrame:
    try:
        with open(path, encoding="utf-8-sig", newline="") as f:
            reader = csv.reader(f)
            header = next(reader, None)
            if header is None:
                raise InputError(f"{path}: empty file (expected a header row of the schema's columns)")
            header = [h.strip() for h in header]
            cells: list[list[str]] = []
            lines: list[int] = []
            for row in reader:
                if not row:
                    continue
                if len(row) != len(header):
                    raise InputError(f"{path} line {reader.line_num}: {len(row)} fields, the header has {len(header)}")
                cells.append(row)
                lines.append(reader.line_num)
    except UnicodeDecodeError as e:
        raise InputError(f"{path}: not UTF-8 text ({e.reason} at byte {e.start})") from None
    except csv.Error as e:
        raise InputError(f"{path}: malformed CSV ({e})") from None
    columns: dict[str, list] = {h: [r[j] for r in cells] for j, h in enumerate(header)}
    ids = columns.get("event_id", [""] * len(cells))
    where = lambda i: f"line {lines[i]}" + (f", event {ids[i]}" if ids[i] else "")  # noqa: E731
    for name in LIST_COLUMNS:
        decoded = []
        for i, text in enumerate(columns.get(name, [])):
            try:
                decoded.append(json.loads(text) if text.strip() else [])
            except json.JSONDecodeError:
                raise InputError(f"{path} {where(i)}: column '{name}' holds {_show(text)}, "
                                 "expected a JSON list such as [\"a\", \"b\"]") from None
        if name in columns:
            columns[name] = decoded
    frame = pd.DataFrame({h: pd.Series(v, dtype=object) for h, v in columns.items()})
    try:
        return _validate(frame, where)
    except SchemaError as e:
        raise SchemaError(f"{path}: {e}") from None


def _read_json(path: Path) -> pd.DataFrame:
    try:
        with open(path, encoding="utf-8-sig") as f:
            data = json.load(f)
    except UnicodeDecodeError as e:
        raise InputError(f"{path}: not UTF-8 text ({e.reason} at byte {e.start})") from None
    except json.JSONDecodeError as e:
        raise InputError(f"{path} line {e.lineno}: not valid JSON ({e.msg})") from None
    if isinstance(data, dict) and isinstance(data.get("events"), list):
        data = data["events"]
    if not isinstance(data, list):
        raise InputError(f"{path}: expected a JSON list of event objects, got {type(data).__name__}")
    for i, entry in enumerate(data):
        if not isinstance(entry, dict):
            raise InputError(f"{path}: entry {i} is {type(entry).__name__}, expected an event object")
        missing = [n for n in NAMES if n not in entry]
        if missing:
            raise SchemaError(f"{path}: entry {i}: missing column '{missing[0]}'")
    try:
        return from_records(data)
    except SchemaError as e:
        raise SchemaError(f"{path}: {e}") from None


def _read_parquet(path: Path) -> pd.DataFrame:
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        frame = pq.read_table(path).to_pandas()
    except (pa.ArrowException, ValueError) as e:
        raise InputError(f"{path}: not a readable Parquet file ({str(e).splitlines()[0]})") from None
    try:
        return validate(frame)
    except SchemaError as e:
        raise SchemaError(f"{path}: {e}") from None


def load(path: str | os.PathLike, format: str | None = None) -> pd.DataFrame:
    """Read a frame written by `save` (or by hand in the same shape) and validate it.

    `format` defaults to the extension. Raises InputError naming the path (and the line,
    for CSV and JSON) when the file is missing, unreadable or not well-formed CSV/JSON/
    Parquet or has an unknown extension; SchemaError naming the path, the column and the
    line or row when it parses but breaks the schema (missing column, bad date, ...).
    """
    path = Path(path)
    fmt = _format(path, format, InputError)
    if not path.is_file():
        raise InputError(f"{path}: no such file")
    try:
        return {"csv": _read_csv, "json": _read_json, "parquet": _read_parquet}[fmt](path)
    except OSError as e:
        raise InputError(f"{path}: cannot read ({e.strerror or e})") from None


# --------------------------------------------------------------------------- merge

MERGED_IDS = "merged_ids"
"""Key of a merged frame's attrs: {event_id of a report merged away: event_id of its row}."""

TITLE_SIMILARITY = 0.7
"""Two titles at the same timex this similar (difflib ratio of normalised titles) are one event."""

SENTENCE_SIMILARITY = 0.9
"""Where a title is too thin to tell (see _thin), evidence sentences this similar are one event."""

CORROBORATION = 0.75
"""Each further article reporting an event keeps this share of the remaining doubt:
confidence = 1 - (1 - best) * CORROBORATION ** (articles - 1); 0.70 -> 0.775 -> 0.83."""


def _norm_title(s: str) -> str:
    s = unicodedata.normalize("NFKD", s.casefold())
    s = "".join(ch for ch in s if not unicodedata.combining(ch))
    return " ".join(re.findall(r"\w+", s))


def _match(a: dict, b: dict, matcher: difflib.SequenceMatcher) -> float:
    """How strongly dated rows a and b (same timex, different articles) are one event; 0 = not.

    `matcher` has a's title as its second sequence (difflib caches that side). A title too
    thin to tell events apart (see _thin) leaves the decision to the evidence sentences.
    """
    score = 0.0
    if _conflict(a, b):
        return 0.0
    if a["_thin"] or b["_thin"]:
        # only the same sentence, as wire copies repeat it, is surely the same event
        same = a["_said"] and b["_said"] and \
            difflib.SequenceMatcher(None, a["_said"], b["_said"], autojunk=False).ratio() >= SENTENCE_SIMILARITY
        return 1.0 if same else 0.0
    if a["_title"] and b["_title"]:
        matcher.set_seq1(b["_title"])
        # Cheap upper bounds first: a merge bucket can hold hundreds of rows.
        if matcher.real_quick_ratio() >= TITLE_SIMILARITY and matcher.quick_ratio() >= TITLE_SIMILARITY:
            score = matcher.ratio()
    # Same day and similar words only: "same category and a shared actor" merged two
    # different statements of one person on one day, and lost each article's evidence.
    return score if score >= TITLE_SIMILARITY else 0.0


# A title that only sets the scene ("For the quarter ended", "In the year-earlier period")
# or has fewer than three content words says too little to tell two companies' results apart.
_SCENE = re.compile(r"(?:in|on|at|during|for|from|by|after|before|since|through|over|amid|among)\b")
_VERB = re.compile(r"\b(?:is|are|was|were|be|been|has|have|had|will|would|did|does|said|says|[a-z]{2,}ed)\b")


def _thin(title: str) -> bool:
    """Whether a normalised title is too thin to tell two events apart (see above)."""
    return len(_title_words(title)) < 3 or bool(_SCENE.match(title) and not _VERB.search(title))


_AMOUNT = re.compile(r"\d[\d.,]*\d|\d")


def _conflict(a: dict, b: dict) -> bool:
    """Rows that cannot be one event however alike their titles: both name people or
    organisations and share none ("Citadel shares closed at ..." and "Ralston shares closed
    at ..."), or both give amounts and neither gives all of the other's ("earned $822.8
    million", "earned $480.4 million"; "rose to $3 million from $2.9 million", "rose 2.9% to
    $329.2 million"), where "52 freed" and "52 freed, 14 of them foreigners" agree."""
    if a["_actors"] and b["_actors"] and not a["_actors"] & b["_actors"]:
        return True
    x, y = a["_amounts"], b["_amounts"]
    return bool(x and y and not (x <= y or y <= x))


# Blocking, so that merging stays near-linear on large corpora: a row is compared only with
# groups at the same timex that share two content words of the title with it (one for a
# title of one or two words) or the category and an actor; a word or actor shared by more
# than _MAX_POSTING groups there is too common to say anything; at most _MAX_CANDIDATES
# groups (most shared words first) and the first _MAX_COMPARED members of each are compared.
_MAX_POSTING = 200
_MAX_CANDIDATES = 10
_MAX_COMPARED = 3
_STOPWORDS = frozenset(
    "the and for with from that this into over after before about than then has have had was were "
    "are its his her their our your who whom which what when says said say will would can could".split())


def _title_words(title: str) -> set[str]:
    return {w for w in title.split() if len(w) > 2 and w not in _STOPWORDS}


class _Grouping:
    """Rows, taken in order of publication, gathered into groups that are one event each."""

    def __init__(self) -> None:
        self.members: list[list[dict]] = []
        self.articles: list[set[str]] = []
        self.by_id: dict[str, int] = {}
        self.index: dict[tuple, list[int]] = {}

    def add(self, r: dict) -> None:
        g = self.by_id.get(r["event_id"])  # the same text parsed twice
        if g is None:
            g = self._best(r)
        if g is None:
            g = len(self.members)
            self.members.append([])
            self.articles.append(set())
        self.members[g].append(r)
        self.articles[g].add(r["_article"])
        self.by_id[r["event_id"]] = g
        for key in self._keys(r):
            posting = self.index.setdefault(key, [])
            if not posting or posting[-1] != g:
                posting.append(g)

    @staticmethod
    def _keys(r: dict) -> list[tuple]:
        timex = r["timex"]
        if not timex:  # undated: only the very same statement
            return [("same", r["_title"], r["category"])] if r["_title"] else []
        keys = [("word", timex, w) for w in _title_words(r["_title"])]
        if r["category"]:
            keys += [("actor", timex, r["category"], a) for a in r["_actors"]]
        return keys

    def _best(self, r: dict) -> int | None:
        words: dict[int, int] = {}  # group -> shared title words (or the undated key)
        actors: set[int] = set()  # groups sharing category and an actor
        for key in self._keys(r):
            posting = self.index.get(key, ())
            if len(posting) > _MAX_POSTING:
                continue
            if key[0] == "actor":
                actors.update(posting)
            else:
                for g in posting:
                    words[g] = words.get(g, 0) + 1
        if not r["timex"]:
            return next((g for g in words if r["_article"] not in self.articles[g]), None)
        # A title similar enough shares two content words unless it is very short.
        need = 2 if len(_title_words(r["_title"])) >= 3 else 1
        candidates = sorted({g for g, n in words.items() if n >= need} | actors,
                            key=lambda g: (-words.get(g, 0), g))[:_MAX_CANDIDATES]
        matcher = difflib.SequenceMatcher(None, autojunk=False)
        matcher.set_seq2(r["_title"])
        best, best_score = None, 0.0
        for g in candidates:
            if r["_article"] in self.articles[g]:
                continue  # one article's rows are the extractor's business
            score = max(_match(r, m, matcher) for m in self.members[g][:_MAX_COMPARED])
            if score > best_score:
                best, best_score = g, score
        return best


def _actor_keys(actors: list[str]) -> set[str]:
    """Casefolded names plus the surname of each multi-word name: articles write
    "Alexander Lukashenko" and "Lukashenko" for one man."""
    keys = set()
    for a in actors:
        words = _norm_title(a).split()
        if words:
            keys.add(" ".join(words))
            if len(words) > 1 and len(words[-1]) > 2:
                keys.add(words[-1])
    return keys


def _union(lists: Iterable[list[str]], key: Callable[[str], str] = str) -> list[str]:
    seen, out = set(), []
    for items in lists:
        for item in items:
            k = key(item)
            if k not in seen:
                seen.add(k)
                out.append(item)
    return out


def _labels(row: dict) -> list[str]:
    if row["sources"]:
        return row["sources"]
    first = row["source"] or row["url"] or row["article_id"]
    return [first] if first else []


# Columns that describe what happened (taken from the most confident report) versus where it
# was read (taken with event_id from the earliest report, so that the evidence offsets
# still point into the text of `article_id`).
_PROVENANCE = ("event_id", "article_id", "source", "published", "url", "sentence",
               "start_char", "end_char", "date_text")


def _combine(members: list[dict]) -> dict:
    first = members[0]
    best = max(members, key=lambda r: (-1.0 if pd.isna(r["confidence"]) else r["confidence"]))
    row = {n: best[n] for n in NAMES}
    row.update({n: first[n] for n in _PROVENANCE})
    others = [m for m in members if m is not best]
    row["actors"] = _union([best["actors"]] + [m["actors"] for m in others], key=str.casefold)
    row["places"] = _union([best["places"]] + [m["places"] for m in others], key=str.casefold)
    row["countries"] = _union([best["countries"]] + [m["countries"] for m in others], key=str.upper)
    row["sources"] = _union(_labels(m) for m in members)
    articles = len({m["article_id"] or m["event_id"] for m in members})
    if articles > 1 and not pd.isna(best["confidence"]):
        row["confidence"] = round(1 - (1 - best["confidence"]) * CORROBORATION ** (articles - 1), 4)
    return row


def _ordered(frame: pd.DataFrame) -> pd.DataFrame:
    """Deterministic order: by date (undated last), then event_id."""
    return frame.sort_values(["date", "event_id"], na_position="last", kind="stable").reset_index(drop=True)


def merge(frames: Iterable[pd.DataFrame]) -> pd.DataFrame:
    """One frame from several articles' frames, each event reported more than once in one row.

    Two rows are the same event when they come from different articles (rows of one article
    are never merged: telling them apart is the event extractor's job), have the same
    non-empty `timex`, and their normalised titles (casefolded, accents and punctuation
    dropped) have a difflib ratio >= TITLE_SIMILARITY (0.7), unless both name actors and
    share none, or both titles give amounts and neither gives all of the other's (see
    _conflict). Where a title is too thin to tell (a scene-setting phrase such as "For the
    quarter ended", or under three content words) the evidence sentences must have a ratio
    >= SENTENCE_SIMILARITY (0.9) instead. Undated rows merge only with
    the same normalised title and category. Rows with the same `event_id` (the same text
    parsed twice) always merge. Rows are taken in order of publication (articles without a
    date last) and each joins the best-matching group already formed; only groups sharing
    title words or an actor are compared (see _MAX_POSTING), so large corpora stay fast.

    The merged row takes what happened (date, title, category, places, lat/lon, ...) from
    its most confident report; `event_id` and the evidence (article_id, source, published,
    url, sentence, offsets, date_text) from its earliest-published report; `actors`,
    `places` and `countries` are the union (most confident first); `sources` is the union
    of every report's source labels in order of publication (a row without `sources` counts
    as [source or url or article_id]); `confidence` is raised as CORROBORATION says.
    Output is ordered by date (undated last), then event_id; its `attrs[MERGED_IDS]` maps the
    event_id of each report merged into another row to that row's event_id, so that a
    correction keyed on it still finds its event (see apply_overrides). Raises SchemaError
    for a frame that does not validate.
    """
    parts = list(frames)
    for i, f in enumerate(parts):  # concat would fill a missing column with NaN: check first
        if not isinstance(f, pd.DataFrame) or set(map(str, f.columns)) != set(NAMES):
            try:
                validate(f)
            except SchemaError as e:
                raise SchemaError(f"frame {i}: {e}") from None
    parts = [f for f in parts if len(f)]
    if not parts:
        return empty_frame()
    # One validation of the whole, not one per article: it costs milliseconds per call.
    frame = validate(pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0])
    rows = frame.to_dict("records")
    for r in rows:
        r["_title"] = _norm_title(r["title"])
        r["_actors"] = _actor_keys(r["actors"])
        r["_amounts"] = set(_AMOUNT.findall(r["title"].replace(r["date_text"] or "\x00", " ")))
        r["_thin"] = _thin(r["_title"])
        r["_said"] = _norm_title(r["sentence"].replace(r["date_text"] or "\x00", " ")) if r["_thin"] else ""
        r["_article"] = r["article_id"] or r["event_id"]  # unknown article: its own
    far = pd.Timestamp.max
    rows.sort(key=lambda r: (far if pd.isna(r["published"]) else r["published"], r["article_id"],
                             -1 if pd.isna(r["start_char"]) else r["start_char"], r["event_id"]))

    groups = _Grouping()
    for r in rows:
        groups.add(r)
    merged = [_combine(g) for g in groups.members]
    out = _ordered(from_records(merged))
    ids = {m["event_id"]: row["event_id"] for g, row in zip(groups.members, merged)
           for m in g if m["event_id"] != row["event_id"]}
    for f in parts:  # reports the input frames had merged already follow their row
        for old, mid in (f.attrs.get(MERGED_IDS) or {}).items():
            if ids.get(mid, mid) != old:
                ids[old] = ids.get(mid, mid)
    out.attrs[MERGED_IDS] = ids
    return out


# --------------------------------------------------------------------------- overrides

OVERRIDE_FIELDS: tuple[str, ...] = ("date", "title", "category", "place", "lat", "lon", "drop")
"""What a correction can change. `date` takes a TIMEX3-like value (2025-09-10, 2025-08, 2010,
2025-H1, ...) or '' for undated; `place` a name, optionally with coordinates: 'Medininkai
(54.539, 25.650)'; `drop` true removes the event."""

# Fields an `add:` entry may give: the schema's columns, except that `date` (a TIMEX3-like
# value) stands for date, end, granularity and timex together, plus the `place` shorthand.
_ADD_FIELDS = tuple(n for n in NAMES if n not in ("end", "granularity", "timex")) + ("place",)

ADDED_SOURCE = "editor"
"""`source` (and `sources`) of an event added by an overrides file that names none."""


@dataclass(frozen=True)
class Override:
    """One editorial correction: set `field` of event `event_id` to `value`.

    `field` is one of OVERRIDE_FIELDS, or 'add' with `value` a dict of the new event's
    fields. `origin` says where it came from ('fixes.csv line 4') for messages.
    """

    event_id: str
    field: str
    value: Any
    origin: str = ""


_NUMBER = r"[-+]?\d+(?:\.\d*)?"
_PLACE_RE = re.compile(rf"\s*(?P<name>.*?)\s*\(\s*(?P<lat>{_NUMBER})\s*[,;]\s*(?P<lon>{_NUMBER})\s*\)\s*")


def _parse_place(text: str) -> tuple[str, float | None, float | None]:
    m = _PLACE_RE.fullmatch(text)
    if m and m["name"]:
        return m["name"], float(m["lat"]), float(m["lon"])
    return text.strip(), None, None


def _check_coordinate(field: str, v: float, origin: str) -> float:
    limit = 90 if field == "lat" else 180
    if not -limit <= v <= limit:
        raise OverridesError(f"{origin}: {field} {v} is outside -{limit}..{limit}")
    return v


def _override_value(field: str, raw: Any, origin: str) -> Any:
    """The correction's value in canonical form; OverridesError (naming origin) if invalid."""
    if field not in OVERRIDE_FIELDS:
        raise OverridesError(f"{origin}: unknown field {field!r} (expected one of {', '.join(OVERRIDE_FIELDS)})")
    if isinstance(raw, dt.datetime):
        raw = raw.date().isoformat() if raw == dt.datetime.combine(raw.date(), dt.time()) else raw.isoformat()
    elif isinstance(raw, dt.date):
        raw = raw.isoformat()
    if field == "drop":
        try:
            return _boolean(raw)
        except _Bad:
            raise OverridesError(f"{origin}: drop must be true or false, got {_show(raw)}") from None
    if field in ("lat", "lon"):
        try:
            v = _number(raw)
        except _Bad:
            v = math.nan
        if math.isnan(v):
            raise OverridesError(f"{origin}: {field} must be a number, got {_show(raw)}")
        return _check_coordinate(field, v, origin)
    if isinstance(raw, (list, dict)):
        raise OverridesError(f"{origin}: {field} must be text, got {type(raw).__name__}")
    text = "" if raw is None else str(raw).strip()
    if field == "date":
        if text and period_of(text) is None:
            raise OverridesError(f"{origin}: date {text!r} is not a TIMEX3 date value "
                                 "(e.g. 2025-09-10, 2025-08, 2025-W37, 2025-Q3, 2025-H1, 2010, 199X)")
        return text
    if not text:
        raise OverridesError(f"{origin}: {field} is empty")
    if field == "place":
        name, lat, lon = _parse_place(text)
        if lat is not None:
            _check_coordinate("lat", lat, origin)
            _check_coordinate("lon", lon, origin)
        if not name:
            raise OverridesError(f"{origin}: place has coordinates but no name")
    return text


def _date_fields(timex: str) -> dict:
    if not timex:
        return {"date": None, "end": None, "granularity": "", "timex": "", "dated": False}
    first, last, granularity = period_of(timex)
    return {"date": first, "end": last, "granularity": granularity, "timex": timex, "dated": True}


def _added_record(event_id: str, entry: Mapping) -> dict:
    record: dict[str, Any] = {"confidence": 1.0, "source": ADDED_SOURCE}
    for k, v in entry.items():
        if k == "date":
            record.update(_date_fields(v))
        elif k == "place":
            name, lat, lon = _parse_place(v)
            record["places"] = [name]
            if lat is not None:
                record["lat"], record["lon"] = lat, lon
        else:
            record[k] = v
    record["event_id"] = event_id
    record.setdefault("sources", [record["source"]] if record["source"] else [])
    return record


def _add_override(entry: Any, origin: str) -> Override:
    if not isinstance(entry, Mapping):
        raise OverridesError(f"{origin}: an added event must be a mapping of field to value, "
                             f"got {type(entry).__name__}")
    entry = {str(k): v for k, v in entry.items()}
    unknown = [k for k in entry if k not in _ADD_FIELDS]
    if unknown:
        raise OverridesError(f"{origin}: unknown field {unknown[0]!r} in an added event "
                             "(give `date` as a TIMEX3 value; end, granularity and timex follow from it)")
    if not str(entry.get("title") or "").strip():
        raise OverridesError(f"{origin}: an added event needs a title")
    for k in ("date", "place"):
        if k in entry:
            entry[k] = _override_value(k, entry[k], origin)
    event_id = str(entry.pop("event_id", "") or "").strip()
    if not event_id:
        # Stable: the same entry always gets the same id, so corrections to it survive.
        canonical = json.dumps(entry, sort_keys=True, ensure_ascii=False, default=str)
        event_id = "ed-" + hashlib.sha1(canonical.encode("utf-8")).hexdigest()[:12]
    try:
        from_records([_added_record(event_id, entry)])
    except SchemaError as e:
        raise OverridesError(f"{origin}: {e}") from None
    return Override(event_id, "add", entry, origin)


def _overrides_kind(path: Path) -> str:
    ext = path.suffix.lower()
    if ext == ".csv":
        return "csv"
    if ext in (".yaml", ".yml"):
        return "yaml"
    raise OverridesError(f"{path}: unknown overrides format {ext or '(no extension)'!r}; use .csv, .yaml or .yml")


def read_text_file(path: Path, error: type[Exception] = InputError, missing: str = "no such file") -> str:
    """The UTF-8 text (BOM dropped) of the file at `path`; `error` naming the path when it is
    missing (`missing` says so), not UTF-8 or unreadable."""
    try:
        return path.read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        raise error(f"{path}: {missing}") from None
    except UnicodeDecodeError as e:
        raise error(f"{path}: not UTF-8 text ({e.reason} at byte {e.start})") from None
    except OSError as e:
        raise error(f"{path}: cannot read ({e.strerror or e})") from None


def _read_text(path: Path) -> str:
    text = read_text_file(path, OverridesError, "no such overrides file")
    return text.replace("\r\n", "\n").replace("\r", "\n")  # as text mode reads it


def _csv_rows(path: Path, text: str) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """Header (stripped, casefolded) and (line number, cells) of each non-blank row."""
    reader = csv.reader(io.StringIO(text, newline=""))
    header: list[str] | None = None
    rows = []
    try:
        for cells in reader:
            if not any(c.strip() for c in cells):
                continue
            if header is None:
                header = [c.strip().casefold() for c in cells]
                continue
            if len(cells) != len(header):
                raise OverridesError(f"{path} line {reader.line_num}: {len(cells)} fields, "
                                     f"the header has {len(header)}")
            rows.append((reader.line_num, cells))
    except csv.Error as e:
        raise OverridesError(f"{path} line {reader.line_num}: malformed CSV ({e})") from None
    return header or [], rows


def _csv_layout(path: Path, header: list[str]) -> str:
    if "event_id" not in header:
        raise OverridesError(f"{path} line 1: the header needs an event_id column")
    if "field" in header and "value" in header:
        extra = [h for h in header if h not in ("event_id", "field", "value")]
        if extra:
            raise OverridesError(f"{path} line 1: unknown column {extra[0]!r} (long format: event_id, field, value)")
        return "long"
    unknown = [h for h in header if h != "event_id" and h not in OVERRIDE_FIELDS]
    if unknown:
        raise OverridesError(f"{path} line 1: unknown column {unknown[0]!r} "
                             f"(expected event_id, field, value or event_id and any of {', '.join(OVERRIDE_FIELDS)})")
    return "wide"


def _load_csv_overrides(path: Path, text: str) -> list[Override]:
    header, rows = _csv_rows(path, text)
    if not header:
        return []
    layout = _csv_layout(path, header)
    out = []
    for line, cells in rows:
        origin = f"{path} line {line}"
        row = dict(zip(header, cells))
        event_id = row["event_id"].strip()
        if not event_id:
            raise OverridesError(f"{origin}: empty event_id")
        if layout == "long":
            field = row["field"].strip().casefold()
            out.append(Override(event_id, field, _override_value(field, row["value"], origin), origin))
        else:
            for field in header:
                if field != "event_id" and row[field].strip():
                    out.append(Override(event_id, field, _override_value(field, row[field], origin), origin))
    return out


class _YamlLoader(yaml.SafeLoader):
    """SafeLoader that leaves dates as text: '2025-09-10' is a TIMEX3 value to us, and a
    YAML timestamp would fail to load (2025-13-45) without saying where."""


_YamlLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _yaml_lines(text: str) -> dict[tuple, int]:
    """1-based line of each top-level key, of each field under it, and of each `add` item:
    {(key,): line, (key, field): line, ("add", i): line}."""
    root = yaml.compose(text, Loader=_YamlLoader)
    lines: dict[tuple, int] = {}
    if isinstance(root, yaml.MappingNode):
        for k, v in root.value:
            key = str(k.value)
            lines[(key,)] = k.start_mark.line + 1
            if isinstance(v, yaml.MappingNode):
                for fk, _ in v.value:
                    lines[(key, str(fk.value).strip().casefold())] = fk.start_mark.line + 1
            elif key == "add" and isinstance(v, yaml.SequenceNode):
                for i, item in enumerate(v.value):
                    lines[("add", i)] = item.start_mark.line + 1
    return lines


def _load_yaml_overrides(path: Path, text: str) -> list[Override]:
    try:
        data = yaml.load(text, Loader=_YamlLoader)
        lines = _yaml_lines(text)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        where = f" line {mark.line + 1}" if mark is not None else ""
        problem = getattr(e, "problem", None) or str(e).splitlines()[0]
        raise OverridesError(f"{path}{where}: malformed YAML ({problem})") from None
    if data is None:
        return []
    if not isinstance(data, dict):
        raise OverridesError(f"{path} line 1: expected a mapping of event_id to corrections "
                             "(and an optional add: list)")

    def origin(*key) -> str:
        return f"{path} line {lines.get(key, lines.get(key[:1], '?'))}"

    out = []
    for key, fields in data.items():
        key = str(key)
        if key == "add":
            if not isinstance(fields, list):
                raise OverridesError(f"{origin(key)}: add must be a list of events")
            out += [_add_override(entry, origin("add", i)) for i, entry in enumerate(fields)]
            continue
        event_id = key.strip()
        if fields == "drop":
            fields = {"drop": True}
        if not isinstance(fields, dict):
            raise OverridesError(f"{origin(key)}: corrections for {event_id} must be a mapping of field "
                                 "to value, or drop")
        for field, value in fields.items():
            field = str(field).strip().casefold()
            where = origin(key, field)
            out.append(Override(event_id, field, _override_value(field, value, where), where))
    return out


def load_overrides(path: str | os.PathLike) -> list[Override]:
    """The corrections in an overrides file, in file order.

    CSV, long: columns event_id, field, value (one correction a line; an empty date value
    makes the event undated). CSV, wide: event_id plus any of date, title, category, place,
    lat, lon, drop (empty cells change nothing). YAML: a mapping event_id -> {field: value},
    `event_id: drop` as a shorthand, plus an optional `add:` list of new events (schema
    fields, with `date` as a TIMEX3 value and `place` as 'Name (lat, lon)'; an entry without
    event_id gets 'ed-' + a hash of its content). An empty file has no corrections.
    Raises OverridesError naming the file and line for a missing or unreadable file, bad
    syntax, an unknown field, an empty event_id or a value that does not fit its field.
    """
    path = Path(path)
    kind = _overrides_kind(path)
    text = _read_text(path)
    return _load_csv_overrides(path, text) if kind == "csv" else _load_yaml_overrides(path, text)


# Adds first (so corrections may target added events), the place before its coordinates,
# drops last.
_APPLY_ORDER = {"add": 0, "date": 1, "title": 1, "category": 1, "place": 1, "lat": 2, "lon": 2, "drop": 3}


def _apply_one(record: dict, ov: Override) -> None:
    if ov.field == "date":
        record.update(_date_fields(ov.value))
    elif ov.field in ("title", "category"):
        record[ov.field] = ov.value
    elif ov.field == "place":
        name, lat, lon = _parse_place(ov.value)
        record["places"] = [name] + [p for p in record["places"] if p.casefold() != name.casefold()]
        # Old coordinates belonged to the old place; unknown beats wrong.
        record["lat"] = math.nan if lat is None else lat
        record["lon"] = math.nan if lon is None else lon
        record["place_inferred"] = False
    elif ov.field in ("lat", "lon"):
        record[ov.field] = ov.value


def apply_overrides(frame: pd.DataFrame, overrides: Iterable[Override]) -> tuple[pd.DataFrame, list[str]]:
    """Apply corrections to a frame; returns (corrected frame, warnings).

    A date sets date, end, granularity, timex and dated together (period_of); a place
    becomes places[0] with its coordinates, or NaN lat/lon when none are given (a later lat/
    lon correction fills them); drop removes the event; add inserts the event (replacing a
    row of the same event_id, so applying twice gives the same frame). Applying the same
    overrides to a re-parse of the same text gives the same result, since event_id is stable.
    A correction keyed on the id of a report that `merge` folded into another row (an
    earlier article arrived and now gives the row its id) applies to that row. Each
    correction whose event_id is not in the frame gives one warning line naming it and
    where the correction came from; it is never silently dropped. Output is ordered by date
    (undated last), then event_id. Raises SchemaError for a frame that does not validate,
    OverridesError for a correction with an unknown field.
    """
    merged_ids = dict(getattr(frame, "attrs", {}).get(MERGED_IDS) or {})
    records = validate(frame).to_dict("records")
    warnings: list[str] = []
    overrides = sorted(overrides, key=lambda ov: _APPLY_ORDER.get(ov.field, 1))
    for ov in overrides:
        if ov.field != "add" and ov.field not in OVERRIDE_FIELDS:
            raise OverridesError(f"{ov.origin or 'override'}: unknown field {ov.field!r}")
    by_id: dict[str, list[dict]] = {}
    for r in records:
        by_id.setdefault(r["event_id"], []).append(r)
    dropped: set[str] = set()
    for ov in overrides:
        if ov.field == "add":
            added = _added_record(ov.event_id, ov.value)
            records = [r for r in records if r["event_id"] != ov.event_id] + [added]
            by_id[ov.event_id] = [added]
            continue
        key = ov.event_id if ov.event_id in by_id else merged_ids.get(ov.event_id, ov.event_id)
        targets = by_id.get(key)
        if not targets:
            origin = f"{ov.origin}: " if ov.origin else ""
            warnings.append(f"{origin}no event {ov.event_id} in the frame; correction of {ov.field} "
                            f"to {ov.value!r} not applied")
            continue
        if ov.field == "drop":
            if ov.value:
                dropped.add(key)
            continue
        for r in targets:
            _apply_one(r, ov)
    records = [r for r in records if r["event_id"] not in dropped]
    out = _ordered(from_records(records) if records else empty_frame())
    out.attrs[MERGED_IDS] = merged_ids
    return out, warnings


def _value_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return repr(value) if isinstance(value, float) else str(value)


def save_override(path: str | os.PathLike, event_id: str, field: str, value: Any) -> Path:
    """Record one correction in an overrides file, replacing any earlier value of that field.

    Creates the file when absent (CSV in the long layout event_id, field, value; YAML as a
    mapping), keeps the file's layout and every other entry, and writes atomically. Returns
    the path. Raises OverridesError for an unknown field, an invalid value, an empty
    event_id or an existing file that is malformed; ExportError when it cannot be written.
    YAML comments in an existing file are not kept.
    """
    path = Path(path)
    kind = _overrides_kind(path)
    event_id = str(event_id).strip()
    if not event_id:
        raise OverridesError(f"{path}: a correction needs an event_id")
    field = str(field).strip().casefold()
    value = _override_value(field, value, f"correction of {event_id}")
    exists = path.exists()
    if exists:
        load_overrides(path)  # refuse to rewrite a file we could not read back
    text = _read_text(path) if exists else ""

    if kind == "yaml":
        data = (yaml.load(text, Loader=_YamlLoader) if text.strip() else None) or {}
        entry = data.get(event_id)
        if not isinstance(entry, dict):
            entry = {"drop": True} if entry == "drop" else {}
        entry[field] = value
        data[event_id] = entry
        out = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, default_flow_style=False)
    else:
        header, rows = _csv_rows(path, text)
        header = header or ["event_id", "field", "value"]
        layout = _csv_layout(path, header)
        table = [dict(zip(header, cells)) for _, cells in rows]
        if layout == "long":
            hit = next((r for r in table if r["event_id"].strip() == event_id
                        and r["field"].strip().casefold() == field), None)
            if hit is None:
                table.append({"event_id": event_id, "field": field, "value": _value_text(value)})
            else:
                hit["value"] = _value_text(value)
        else:
            if field not in header:
                header.append(field)
            hit = next((r for r in table if r["event_id"].strip() == event_id), None)
            if hit is None:
                hit = {"event_id": event_id}
                table.append(hit)
            hit[field] = _value_text(value)
        buf = io.StringIO(newline="")
        w = csv.writer(buf)
        w.writerow(header)
        for r in table:
            w.writerow([r.get(h, "") for h in header])
        out = buf.getvalue()

    def write(tmp: Path) -> None:
        tmp.write_text(out, encoding="utf-8", newline="")

    atomic_write(path, write)
    return path
