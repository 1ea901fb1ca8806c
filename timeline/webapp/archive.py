"""The dashboard's corpus over an archive's store (`timeline ingest`): the store is never read
whole. An index of every event's dates, category, countries and actors stays in memory
(`archive.serving.StoreIndex`); the events the reader's dates, categories, countries and
actors select are read from Parquet, the latest `serving.WINDOW_EVENTS` of them, and
everything else (the figures, the table, free text, corrections, uploads) works on them as
on a parsed story. A run of `timeline ingest` that rewrites the store is seen on the next
request, without a restart.

    corpus = StoreCorpus("store/")
    snap, shown = corpus.select(Filters.of(start="2025-09-01"))  # a part of the store, filtered
"""
from __future__ import annotations

import os
import threading
from collections import OrderedDict
from pathlib import Path

import pandas as pd

from timeline import frame as fr
from timeline.archive.serving import StoreIndex, store_state
from timeline.archive.store import give_back_memory, lean_memory
from timeline.frame.build import _ordered
from timeline.webapp.corpus import Corpus, Snapshot
from timeline.webapp.filters import Filters, filter_frame

WINDOWS = 4
"""Parts of the store a worker keeps read (each at most WINDOW_EVENTS events)."""


class StoreCorpus(Corpus):
    """A corpus whose articles are an archive's store folder `store`: its corrections file,
    uploads and story file live in that folder (as a parsed story's live beside its
    articles); `kwargs` as `Corpus` takes them."""

    archive = True

    def __init__(self, store: str | os.PathLike, **kwargs):
        super().__init__([store], frame=fr.empty_frame(), **kwargs)
        lean_memory()  # Arrow's buffers from the system allocator, whose freed pages go back
        self.store = Path(store)
        self._index: StoreIndex | None = None
        self._index_state: tuple | None = None
        self._windows: OrderedDict = OrderedDict()
        self._reading = threading.Lock()

    def _signature_now(self) -> tuple:
        return super()._signature_now() + (store_state(self.store),)

    def _index_for(self, state: tuple) -> StoreIndex:
        if self._index is None or state != self._index_state:
            self._index = None  # the old index and its parts go before the new one is built
            self._windows.clear()
            self._index, self._index_state = StoreIndex.load(self.store), state
            self._index.warm()  # the latest events' row groups decoded before the first filters
            give_back_memory()
        return self._index

    def snapshot(self, f: Filters | None = None) -> Snapshot:
        """The part of the store the dates, categories, countries and actors of `f` select (the
        latest, without filters), with the uploads and corrections, read once per state
        of the store, uploads and corrections."""
        signature = self._signature_now()
        # One read at a time: the timeline, map and list of one filter change wait for the
        # first of them to read the part they all show.
        with self._reading:
            index = self._index_for(signature[-1])
            window = index.window(f or Filters())
            key = (signature, window.key)
            snap = self._windows.get(key)
            if snap is None:
                index, window, base, problems = self._read(index, window, f or Filters())
                first = str(base["date"].min().date()) if base["date"].notna().any() else None
                snap = self._build(signature, base, n_articles=index.n_articles, options=index.options,
                                   note=window.note(first), events=len(index), problems=index.problems + problems)
                self._windows[key] = snap
                while len(self._windows) > WINDOWS:
                    self._windows.popitem(last=False)
            self._windows.move_to_end(key)
            return snap

    def _read(self, index: StoreIndex, window, f: Filters) -> tuple:
        """(index, window, its events, problem lines): a file replaced by a run of ingest
        since the index was loaded has the index loaded again, once; a part that still
        cannot be read is a line and no events."""
        try:
            return index, window, index.read(window), ()
        except Exception:  # noqa: BLE001 -- see above
            self._index = None
            index = self._index_for(store_state(self.store))
            window = index.window(f)
        try:
            return index, window, index.read(window), ()
        except Exception as e:  # noqa: BLE001 -- a damaged row group: one line, never a failed page
            line = f"{self.store}: events could not be read ({' '.join(str(e).split())[:200]})"
            return index, window, fr.empty_frame(), (line,)

    def event(self, event_id: str) -> pd.Series | None:
        """The event `event_id` as the story shows it now, wherever it lies in the store (a
        scan of the store's event ids), or None."""
        shown = super().event(event_id)  # the latest part, with the uploads and added events
        if shown is not None:
            return shown
        signature = self._signature_now()
        with self._reading:
            index = self._index_for(signature[-1])
        found, _ = self._corrected(index.find(event_id), signature)
        hit = found.index[found["event_id"] == event_id].tolist() or found.index.tolist()
        return found.loc[hit[0]] if hit else None

    def months(self, f: Filters) -> pd.DataFrame:
        """The whole store's events a month and category, of `f`'s categories, countries and
        actors (`StoreIndex.months`)."""
        state = store_state(self.store)
        with self._reading:
            return self._index_for(state).months(f)

    def select(self, f: Filters) -> tuple[Snapshot, pd.DataFrame]:
        snap = self.snapshot(f)
        return snap, self.filtered(snap, f, lambda: filter_frame(snap.frame, f, haystack=snap.haystack))

    def _corrected(self, frame: pd.DataFrame, signature: tuple) -> tuple[pd.DataFrame, list[str]]:
        """`frame` (a part of the store) with the corrections of its events applied, and
        the events editors added; corrections of events outside it wait for the part that
        holds them (and a correction of an event no longer in the store is not reported)."""
        groups, warnings = self.corrections(signature)
        merged = frame.attrs.get(fr.MERGED_IDS) or {}
        ids = set(frame["event_id"].tolist())
        for group in groups:
            mine = [ov for ov in group if ov.field == "add" or ov.event_id in ids or merged.get(ov.event_id) in ids]
            if not mine:
                continue
            targets = {ov.event_id for ov in mine} | {merged.get(ov.event_id) for ov in mine}
            hit = frame["event_id"].isin(targets).to_numpy()
            part = frame.loc[hit].reset_index(drop=True)
            part.attrs[fr.MERGED_IDS] = merged
            corrected, more = fr.apply_overrides(part, mine)
            warnings += more
            frame = _ordered(pd.concat([frame.loc[~hit], corrected], ignore_index=True))
            frame.attrs[fr.MERGED_IDS] = merged
            ids = set(frame["event_id"].tolist())
        return frame, warnings
