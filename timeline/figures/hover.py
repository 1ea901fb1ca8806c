"""Hover labels of events: title, date as written and normalised, source, escaped.

At 100,000 points formatting them is most of a figure's build time, so `HoverTexts`
escapes each distinct title, date and source once, and only for the rows asked for.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from timeline.figures.theme import escape

_HOVER_COLUMNS = ["title", "date_text", "timex", "granularity", "source"]


class HoverTexts:
    """The hover labels of a frame's rows, `texts[idx]` those of the rows at `idx`."""

    def __init__(self, rows: pd.DataFrame):
        self.titles = _Distinct(rows["title"], lambda t: f"<b>{wrap(t)}</b><br>")
        self.whens = _Distinct(_combined_codes([rows["date_text"], rows["timex"], rows["granularity"]]),
                               lambda p: _when(p) + "<br>")
        self.sources = _Distinct(rows["source"], escape)

    def __getitem__(self, idx) -> np.ndarray:
        return self.titles[idx] + self.whens[idx] + self.sources[idx]


def hover_rows(rows: pd.DataFrame, idx: np.ndarray) -> np.ndarray:
    """The labels `HoverTexts` gives the rows at `idx`, formatted row by row (cheaper for a
    few rows of a large frame than finding the distinct values)."""
    some = rows[_HOVER_COLUMNS].take(idx)
    return np.array([f"<b>{wrap(t)}</b><br>{_when((d, x, g))}<br>{escape(s if isinstance(s, str) else '')}"
                     for t, d, x, g, s in zip(*(some[c].tolist() for c in some.columns))], dtype=object)


class _Distinct:
    """`fn` of a column's values, computed once per distinct value and only when asked for."""

    def __init__(self, values, fn):
        if isinstance(values, tuple):  # (codes, uniques) already
            self.codes, self.uniques = values
        else:
            codes, uniques = pd.factorize(values, sort=False)
            self.codes, self.uniques = codes, list(uniques)
        self.fn = fn
        self.mapped = np.empty(len(self.uniques) + 1, dtype=object)
        self.done = np.zeros(len(self.uniques) + 1, dtype=bool)

    def __getitem__(self, idx) -> np.ndarray:
        codes = self.codes[idx]
        codes = np.where(codes < 0, len(self.uniques), codes)  # missing -> the last slot
        todo = np.unique(codes[~self.done[codes]])
        for c in todo.tolist():
            self.mapped[c] = self.fn(self.uniques[c] if c < len(self.uniques) else "")
        self.done[todo] = True
        return self.mapped[codes]


def _combined_codes(columns: list[pd.Series]) -> tuple[np.ndarray, list[tuple]]:
    """Codes of each row's tuple of values across `columns`, and the distinct tuples."""
    combined = np.zeros(len(columns[0]), dtype=np.int64)
    decoders = []
    for col in columns:
        codes, uniques = pd.factorize(col, sort=False)
        values = list(uniques) + [""]
        combined = combined * len(values) + np.where(codes < 0, len(values) - 1, codes)
        decoders.append(values)
    distinct, inverse = np.unique(combined, return_inverse=True)
    tuples = []
    for code in distinct.tolist():
        parts = []
        for values in reversed(decoders):
            code, i = divmod(code, len(values))
            parts.append(values[i])
        tuples.append(tuple(reversed(parts)))
    return inverse.ravel(), tuples


def _when(parts: tuple) -> str:
    date_text, timex, gran = (p if isinstance(p, str) else "" for p in parts)
    when = f"“{escape(date_text)}” → {escape(timex)}" if date_text else escape(timex)
    return f"{when} ({escape(gran)})" if gran else when


def cut(text, n: int) -> str:
    """`text` (None as '') cut to at most `n` characters, an ellipsis marking a cut."""
    text = str(text if text is not None else "")
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"


def wrap(title, width: int = 64, limit: int = 150) -> str:
    """`title` escaped, broken into lines of about `width` characters, cut at `limit`."""
    text = title if isinstance(title, str) else ""
    if len(text) <= width:
        return escape(text)
    text = cut(text, limit)
    lines = []
    while len(text) > width:
        at = text.rfind(" ", 0, width)
        at = at if at > width // 2 else width
        lines.append(text[:at])
        text = text[at:].lstrip()
    lines.append(text)
    return "<br>".join(escape(line) for line in lines)
