"""Serving a store without reading it whole: an index of every event's dates, category,
countries, actors and language in memory (22 bytes an event, and 8 an actor named), and the events
the reader's filters select read from Parquet, at most WINDOW_EVENTS of them, the latest kept.

    index = StoreIndex.load("store/")
    window = index.window(filters)      # which events the dates, categories, countries, actors, languages select
    frame = index.read(window)          # those events (the latest WINDOW_EVENTS), as a frame

The dates, categories, countries, actors and languages are filtered on the index, over every event of
the store; free text only within the events read (`Window.note` says so when not every event
could be read). The dashboard's corpus over a store is `timeline.webapp.archive.StoreCorpus`.
"""
from __future__ import annotations

import datetime as dt
import json
import os
import threading
from collections import Counter, OrderedDict
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from timeline import categories
from timeline import frame as fr
from timeline.archive.store import MANIFEST, MERGED_KEY, event_files

WINDOW_EVENTS = 25_000
"""Events read for one window (the latest the filters select): reading them cost 0.05 to
0.3 s at a million events with row groups kept, and up to 1 s at ten million before
(benchmarks/bench_store.py); then every callback of the window is as fast as for a parsed
story of that size."""

KEPT_BYTES = 256 * 2**20
"""Decoded row groups kept in memory (their Arrow buffers; the least recently used go
first). Readers' filters mostly ask for recent events, which lie in the same row groups: a
second filter over them takes its rows from memory instead of decoding Parquet again."""

WARM_EVENTS = 250_000
"""The latest events whose row groups `StoreIndex.warm` reads ahead (the dashboard does when
it loads an index), so that the first filters over recent events find them decoded."""

MONTHS_KEPT = 32
"""Overviews (`StoreIndex.months`) kept, by categories, countries and actors chosen."""

MAX_ACTORS = 5_000
"""Actors offered by the filter (the most frequent): an archive names millions."""

_NO_DAY = np.iinfo(np.int32).min  # an undated event's day: before every date, so never the latest


@dataclass(frozen=True)
class Window:
    """The events of the store one set of filters selects (`StoreIndex.window`): `positions`
    in the index (the latest `WINDOW_EVENTS` of `total`), and the `key` of what selected them."""

    key: tuple
    positions: np.ndarray
    total: int
    store_events: int

    @property
    def cut(self) -> bool:
        """Whether some selected events are left out (more than WINDOW_EVENTS)."""
        return self.total > len(self.positions)

    def note(self, first: str | None) -> str:
        """The line telling the reader what the dashboard holds, '' when it holds every
        event the filters select; `first`: the earliest date read."""
        if not self.cut:
            return ""
        since = f" (from {first})" if first else ""
        matched = "" if self.total == self.store_events else \
            f"; {self.total:,} match the dates, categories, countries and actors chosen"
        return (f"This archive holds {self.store_events:,} events{matched}: the latest {len(self.positions):,}{since} "
                "are shown and searched. Choose From and To to see earlier ones.")


class StoreIndex:
    """Every event of a store (`timeline.archive.store`), by date: its first and last day
    (none when undated), its category, its countries, its actors, its language, and where
    it lies (file and row).

    Built by `load` from the events files' date, end, dated, category, countries, actors and
    language columns (one file at a time; a file written before the frame had `language`
    counts as language ''); the filter options (`options`) come from the same pass.
    An events file that cannot be read is left out and named in `problems`.
    """

    def __init__(self, store: Path, files: list[Path], columns: dict[str, np.ndarray], groups: list[np.ndarray],
                 names: dict[str, list], merged: dict[str, str], options, n_articles: int, problems=()):
        self.store = store
        self.problems = tuple(problems)
        self.files = files
        self.start, self.end = columns["start"], columns["end"]
        self.category, self.countries, self.language = columns["category"], columns["countries"], columns["language"]
        self.file, self.row = columns["file"], columns["row"]
        # Months since 1970 of each start (the overview's bars), _NO_DAY where undated.
        self.month = np.where(self.start == _NO_DAY, _NO_DAY,
                              self.start.astype("datetime64[D]").astype("datetime64[M]").astype(np.int64)
                              ).astype(np.int32)
        self.groups = groups  # per file, the first row of each row group, and the row count last
        self.category_names, self.country_sets = names["categories"], names["countries"]
        self.language_codes = {code: i for i, code in enumerate(names["languages"])}
        # Every actor named, flat: its code (in actor_codes) and the event naming it.
        self.actor_of, self.actor_event = columns["actor"], columns["actor_event"]
        self.actor_codes = {name: i for i, name in enumerate(names["actors"])}
        self.merged_ids = merged
        self.options = options
        self.n_articles = n_articles
        self._months: dict[tuple, pd.DataFrame] = {}
        self._kept: OrderedDict[tuple[int, int], object] = OrderedDict()  # (file, row group): Arrow table
        self._kept_bytes = 0
        self._keeping = threading.Lock()

    def __len__(self) -> int:
        return len(self.start)

    @classmethod
    def load(cls, store: str | os.PathLike) -> StoreIndex:
        """The index of the store folder `store` (no events: an empty index)."""
        import pyarrow.parquet as pq

        store = Path(store)
        files, parts, groups, merged, problems = [], [], [], {}, []
        codes = {"categories": {}, "countries": {}, "actors": {}, "languages": {}}
        counts = {"countries": Counter(), "actors": Counter(), "languages": Counter()}
        for path in event_files(store):
            try:
                pf = pq.ParquetFile(path)
                table = pf.read(columns=["date", "end", "dated", "category", "countries", "actors"]
                                + (["language"] if "language" in pf.schema_arrow.names else []))
                ids = json.loads((pf.schema_arrow.metadata or {}).get(MERGED_KEY, b"{}"))
            except Exception as e:  # noqa: BLE001 -- truncated, not Parquet, another schema: one line
                problems.append(f"{path}: not a readable events file ({' '.join(str(e).split())[:200]})")
                continue
            merged.update(ids)
            sizes = [pf.metadata.row_group(g).num_rows for g in range(pf.metadata.num_row_groups)]
            groups.append(np.cumsum([0] + sizes))
            parts.append(_columns(table, len(files), codes, counts))
            files.append(path)
        columns = _concat(parts)
        order = np.lexsort((columns["row"], columns["file"], columns["start"]))
        actors = {k: columns.pop(k) for k in ("actor", "actor_event")}
        columns = {k: v[order] for k, v in columns.items()}
        place = np.empty(len(order), dtype=np.int64)
        place[order] = np.arange(len(order))  # each event's place once sorted
        columns["actor"], columns["actor_event"] = actors["actor"], place[actors["actor_event"]].astype(np.int32)
        names = {k: [v for v, _ in sorted(c.items(), key=lambda kv: kv[1])] for k, c in codes.items()}
        names["countries"] = [tuple(c for c in joined.split(",") if c) for joined in names["countries"]]
        options = _options(names["categories"], counts, columns)
        return cls(store, files, columns, groups, names, merged, options, _articles(store), problems)

    # ------------------------------------------------------------------ selecting

    def window(self, filters) -> Window:
        """The events whose dates overlap `filters.start`..`filters.end`, of one of
        `filters.categories`, naming one of `filters.countries` and one of `filters.actors`,
        in one of `filters.languages` (each when given): the latest WINDOW_EVENTS of them by
        date (undated events count as the earliest)."""
        mask = self._chosen(filters)
        if filters.start or filters.end:
            lo = _day(filters.start) if filters.start else _NO_DAY + 1
            hi = _day(filters.end) if filters.end else np.iinfo(np.int32).max
            mask = _and(mask, (self.start != _NO_DAY) & (self.start <= hi) & (self.end >= lo))
        if mask is None:
            total = len(self)
            positions = np.arange(max(0, total - WINDOW_EVENTS), total)
        else:
            positions = np.flatnonzero(mask)
            total = len(positions)
            positions = positions[-WINDOW_EVENTS:]
        key = (filters.start, filters.end) + self._choice(filters)
        return Window(key, positions, total, len(self))

    @staticmethod
    def _choice(filters) -> tuple:
        return tuple(tuple(sorted(v)) for v in (filters.categories, filters.countries, filters.actors,
                                                 filters.languages))

    def _chosen(self, filters) -> np.ndarray | None:
        """The events of one of `filters.categories` naming one of `filters.countries` and
        one of `filters.actors`, in one of `filters.languages` (None: every event)."""
        mask = None
        if filters.categories:
            wanted = [i for i, name in enumerate(self.category_names) if name in set(filters.categories)]
            mask = np.isin(self.category, wanted)
        if filters.countries:
            want = set(filters.countries)
            wanted = [i for i, names in enumerate(self.country_sets) if not want.isdisjoint(names)]
            mask = _and(mask, np.isin(self.countries, wanted))
        if filters.actors:
            wanted = [self.actor_codes[a] for a in filters.actors if a in self.actor_codes]
            naming = np.zeros(len(self), dtype=bool)
            naming[self.actor_event[np.isin(self.actor_of, wanted)]] = True
            mask = _and(mask, naming)
        if filters.languages:
            wanted = [self.language_codes[c] for c in filters.languages if c in self.language_codes]
            mask = _and(mask, np.isin(self.language, wanted))
        return mask

    def months(self, filters) -> pd.DataFrame:
        """The dated events of the whole store a month and category (columns month: its
        first day, category, events), of `filters`' categories, countries and actors,
        whatever its dates: the overview of where the store's events lie in time. Kept for
        the last MONTHS_KEPT choices (a change of dates or text needs no count again)."""
        key = self._choice(filters)
        found = self._months.get(key)
        if found is None:
            found = self._months[key] = self._count_months(filters)
            while len(self._months) > MONTHS_KEPT:
                self._months.pop(next(iter(self._months)))
        return found

    def _count_months(self, filters) -> pd.DataFrame:
        mask = _and(self._chosen(filters), self.start != _NO_DAY)
        month = self.month[mask].astype(np.int64)
        if not len(month):
            return pd.DataFrame({"month": pd.Series(dtype="datetime64[s]"), "category": pd.Series(dtype=str),
                                 "events": pd.Series(dtype=np.int64)})
        n_cat = len(self.category_names)
        first = int(month.min())
        counts = np.bincount((month - first) * n_cat + self.category[mask])
        cells = np.flatnonzero(counts)
        return pd.DataFrame({
            "month": (cells // n_cat + first).astype("datetime64[M]").astype("datetime64[s]"),
            "category": np.array(self.category_names, dtype=object)[cells % n_cat],
            "events": counts[cells],
        })

    def read(self, window: Window) -> pd.DataFrame:
        """The events of `window` as a frame, in the frame's order, read from the row
        groups that hold them; `attrs[frame.MERGED_IDS]` as the store keeps them."""
        import pyarrow as pa

        files, rows = self.file[window.positions], self.row[window.positions]
        tables = []
        for i in np.unique(files):
            mine = np.sort(rows[files == i])
            bounds = self.groups[i]
            group = np.searchsorted(bounds, mine, side="right") - 1
            needed = np.unique(group)
            table = self._row_groups(int(i), needed.tolist())
            offset = np.cumsum(np.concatenate([[0], np.diff(bounds)[needed]]))[:-1]
            local = mine - bounds[group] + offset[np.searchsorted(needed, group)]
            tables.append(table.take(pa.array(local)))
        if not tables:
            frame = fr.empty_frame()
        else:
            frame = fr.from_arrow(pa.concat_tables(tables)).sort_values(
                ["date", "event_id"], na_position="last", kind="stable").reset_index(drop=True)
        frame.attrs[fr.MERGED_IDS] = dict(self.merged_ids)
        return frame

    def warm(self, events: int = WARM_EVENTS) -> None:
        """Decode the row groups of the latest `events` events ahead of the readers (kept as
        KEPT_BYTES allows)."""
        positions = np.arange(max(0, len(self) - events), len(self))
        files, rows = self.file[positions], self.row[positions]
        for i in np.unique(files):
            group = np.searchsorted(self.groups[i], rows[files == i], side="right") - 1
            self._row_groups(int(i), np.unique(group).tolist())

    def _row_groups(self, i: int, needed: list[int]):
        """The row groups `needed` (sorted) of events file `i` as one Arrow table, each
        decoded once and kept while KEPT_BYTES allows."""
        import pyarrow as pa
        import pyarrow.parquet as pq

        with self._keeping:  # one reader at a time (the dashboard's corpus reads one part at a time)
            missing = [g for g in needed if (i, g) not in self._kept]
            read = {}
            if missing:
                pf = pq.ParquetFile(self.files[i])
                read = {g: pf.read_row_group(g).replace_schema_metadata(None) for g in missing}
            tables = []
            for g in needed:
                table = read[g] if g in read else self._kept[(i, g)]
                tables.append(table)
                self._keep((i, g), table)
        return pa.concat_tables(tables)

    def _keep(self, key: tuple[int, int], table) -> None:
        if key in self._kept:
            self._kept.move_to_end(key)
            return
        size = table.get_total_buffer_size()
        if size > KEPT_BYTES:
            return
        self._kept[key] = table
        self._kept_bytes += size
        while self._kept_bytes > KEPT_BYTES:
            _, dropped = self._kept.popitem(last=False)
            self._kept_bytes -= dropped.get_total_buffer_size()

    def find(self, event_id: str) -> pd.DataFrame:
        """The row of event `event_id`, or of the event a report of that id was merged into,
        as a frame (no rows when the store has neither): a scan of the event ids."""
        import pyarrow.dataset as ds

        if not self.files:
            return fr.empty_frame()
        wanted = [event_id] + ([self.merged_ids[event_id]] if event_id in self.merged_ids else [])
        table = ds.dataset([str(p) for p in self.files], format="parquet").to_table(
            filter=ds.field("event_id").isin(wanted))
        frame = fr.from_arrow(table.replace_schema_metadata(None))
        frame.attrs[fr.MERGED_IDS] = dict(self.merged_ids)
        return frame


def store_state(store: str | os.PathLike) -> tuple:
    """What changes when a run of `timeline ingest` rewrites the store: each events file's
    name, size and modification time, and the manifest's."""
    store = Path(store)
    state = []
    for path in event_files(store) + [store / MANIFEST]:
        try:
            st = path.stat()
        except OSError:
            continue
        state.append((str(path.relative_to(store)), st.st_size, st.st_mtime_ns))
    return tuple(state)


# ---------------------------------------------------------------------------- building the index

def _columns(table, file_no: int, codes: dict, counts: dict) -> dict[str, np.ndarray]:
    """The index's columns of one events file's `table`; `codes` (value -> code) and
    `counts` (country and actor -> events) grow with it."""
    import pyarrow as pa
    import pyarrow.compute as pc

    n = len(table)
    dated = table.column("dated").to_numpy(zero_copy_only=False).astype(bool)
    start, end = (_days(table.column(c)) for c in ("date", "end"))
    undated = ~dated | (start == _NO_DAY)
    start[undated], end[undated] = _NO_DAY, _NO_DAY
    category = _encode(table.column("category"), codes["categories"])
    joined = pc.binary_join(table.column("countries"), ",")  # one text per set: 'BY,LT'
    countries = _encode(joined, codes["countries"])
    for key, n_events in _counted(joined):
        for country in key.split(","):
            counts["countries"][country] += n_events
    named = pc.list_flatten(table.column("actors"))
    counts["actors"].update(dict(_counted(named)))
    lengths = pc.fill_null(pc.list_value_length(table.column("actors")), 0).to_numpy(zero_copy_only=False)
    languages = table.column("language") if "language" in table.column_names else pa.nulls(n, pa.string())
    language = _encode(languages, codes["languages"])
    counts["languages"].update(dict(_counted(languages)))
    return {"start": start, "end": end, "category": category.astype(np.int16), "countries": countries,
            "language": language.astype(np.int16),
            "file": np.full(n, file_no, dtype=np.int16), "row": np.arange(n, dtype=np.int32),
            "actor": _encode(named, codes["actors"]), "actor_event": np.repeat(np.arange(n), lengths)}


def _days(column) -> np.ndarray:
    """Days since 1970 of a timestamp column, _NO_DAY where it is null."""
    import pyarrow as pa
    import pyarrow.compute as pc

    seconds = pc.cast(pc.cast(column, pa.timestamp("s")), pa.int64())
    days = pc.divide(seconds, 86_400)  # whole days: every stored date is a midnight
    return np.asarray(pc.fill_null(days, int(_NO_DAY)).to_numpy(zero_copy_only=False), dtype=np.int64) \
        .clip(_NO_DAY, np.iinfo(np.int32).max).astype(np.int32)


def _encode(column, codes: dict) -> np.ndarray:
    """Each value's code in `codes` (value -> code; new values get the next code) of a text
    column, null as ''."""
    import pyarrow.compute as pc

    encoded = pc.dictionary_encode(pc.fill_null(column, "")).combine_chunks()
    mine = np.array([codes.setdefault(v, len(codes)) for v in encoded.dictionary.to_pylist()] or [0],
                    dtype=np.int32)
    return mine[encoded.indices.to_numpy(zero_copy_only=False)]


def _counted(column) -> list[tuple[str, int]]:
    """(value, how many times) of a text column's values."""
    import pyarrow.compute as pc

    counted = pc.value_counts(column)
    return list(zip(counted.field("values").to_pylist(), counted.field("counts").to_pylist()))


def _concat(parts: list[dict]) -> dict[str, np.ndarray]:
    keys = ("start", "end", "category", "countries", "language", "file", "row", "actor", "actor_event")
    dtypes = (np.int32, np.int32, np.int16, np.int32, np.int16, np.int16, np.int32, np.int32, np.int64)
    if not parts:
        return {k: np.empty(0, dtype=d) for k, d in zip(keys, dtypes)}
    out = {k: np.concatenate([p[k] for p in parts]) for k in keys}
    # An actor's event, counted in the whole index rather than in its file.
    firsts = np.cumsum([0] + [len(p["start"]) for p in parts[:-1]])
    out["actor_event"] = out["actor_event"] + np.repeat(firsts, [len(p["actor"]) for p in parts])
    return out


def _options(category_names: list[str], counts: dict, columns: dict):
    """The filters' options (`corpus.Options`) of the whole store."""
    from timeline.webapp.corpus import Options

    rank = {c: i for i, c in enumerate(categories.DISPLAY_ORDER)}
    present = set(np.unique(columns["category"]).tolist())
    cats = sorted((c for i, c in enumerate(category_names) if c and i in present),
                  key=lambda c: (rank.get(c, len(rank)), c))
    dated = columns["start"] != _NO_DAY
    first = _iso(int(columns["start"][dated].min())) if dated.any() else None
    last = _iso(int(columns["end"][dated].max())) if dated.any() else None
    return Options(categories=tuple(cats), countries=_frequent(counts["countries"], None),
                   actors=_frequent(counts["actors"], MAX_ACTORS), first=first, last=last,
                   languages=_frequent(counts["languages"], None))


def _frequent(counter: Counter, limit: int | None) -> tuple[str, ...]:
    """Most frequent first, then alphabetical (as `corpus._by_frequency` orders them)."""
    ranked = sorted(((v, n) for v, n in counter.items() if v), key=lambda vn: (-vn[1], vn[0].casefold()))
    return tuple(v for v, _ in ranked[:limit])


def _articles(store: Path) -> int:
    """Articles of the store's manifest that were read (0 when it has none)."""
    import pyarrow.parquet as pq

    try:
        status = pq.read_table(store / MANIFEST, columns=["status"]).column("status").to_pylist()
    except (OSError, ValueError, KeyError):
        return 0
    return sum(s in ("parsed", "unchanged") for s in status)


def _day(iso: str) -> int:
    return (dt.date.fromisoformat(iso) - dt.date(1970, 1, 1)).days


def _iso(day: int) -> str:
    return (dt.date(1970, 1, 1) + dt.timedelta(days=day)).isoformat()


def _and(mask: np.ndarray | None, more: np.ndarray) -> np.ndarray:
    return more if mask is None else mask & more
