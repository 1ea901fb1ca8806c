"""Published versions: a story's chronology frozen as it was published.

An article goes out with the chronology of that day; later corrections must not change
what its readers see. Publishing stores the story's frame as version N (1, 2, ...), with
who published it, when, and a note; an embed pinned to `version=N` shows that frame for
good, while the plain embed follows the live story.
"""
from __future__ import annotations

import datetime as dt
import threading
import time
from collections import OrderedDict
from dataclasses import asdict, dataclass
from typing import Any

import pandas as pd
from sqlalchemy import func, insert, select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError, OperationalError

from timeline import frame as fr
from timeline.errors import StoreError
from timeline.store.db import versions, iso_utc

MAX_NOTE_CHARS = 1_000
_CACHE_SIZE = 8  # frames kept per process: a version never changes


@dataclass(frozen=True)
class Version:
    story: str
    number: int
    events: int
    who: str
    at: str  # ISO 8601, UTC
    note: str

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


class Versions:
    """The published versions of the story `story` in the database `engine`."""

    def __init__(self, engine: Engine, story: str):
        self.engine = engine
        self.story = story
        self._frames: OrderedDict[int, pd.DataFrame] = OrderedDict()
        self._lock = threading.Lock()

    def publish(self, frame: pd.DataFrame, *, who: str, note: str = "") -> Version:
        """Freeze `frame` as the next version, published by `who`; returns it. Raises
        StoreError for an over-long note."""
        note = str(note or "")
        if len(note) > MAX_NOTE_CHARS or "\x00" in note:
            raise StoreError(f"a note is at most {MAX_NOTE_CHARS:,} characters, without NUL")
        data = fr.parquet_bytes(frame)
        for attempt in range(20):
            try:
                with self.engine.begin() as c:
                    number = 1 + int(c.execute(select(func.coalesce(func.max(versions.c.number), 0))
                                               .where(versions.c.story == self.story)).scalar_one())
                    row = dict(story=self.story, number=number, frame=data, events=len(frame), who=who,
                               at=dt.datetime.now(dt.timezone.utc), note=note)
                    c.execute(insert(versions).values(**row))
                return _version(row)
            except (IntegrityError, OperationalError):
                # Another editor took that number (PostgreSQL), or wrote since this read
                # began (SQLite): read the newest number again.
                time.sleep(0.01 * (attempt + 1))
        raise StoreError(f"{self.story}: could not take a version number; try again")

    def list(self) -> list[Version]:
        """Every published version, newest first."""
        q = (select(versions.c.story, versions.c.number, versions.c.events, versions.c.who, versions.c.at,
                    versions.c.note).where(versions.c.story == self.story).order_by(versions.c.number.desc()))
        with self.engine.connect() as c:
            return [_version(r) for r in c.execute(q).mappings()]

    def frame(self, number: int) -> pd.DataFrame | None:
        """The frame of version `number`, or None when there is none."""
        with self._lock:
            if number in self._frames:
                self._frames.move_to_end(number)
                return self._frames[number]
        with self.engine.connect() as c:
            data = c.execute(select(versions.c.frame).where(versions.c.story == self.story,
                                                            versions.c.number == number)).scalar()
        if data is None:
            return None
        frame = fr.from_parquet_bytes(bytes(data))
        with self._lock:
            self._frames[number] = frame
            while len(self._frames) > _CACHE_SIZE:
                self._frames.popitem(last=False)
        return frame


def _version(row) -> Version:
    return Version(story=row["story"], number=int(row["number"]), events=int(row["events"]), who=row["who"],
                   at=iso_utc(row["at"]), note=row["note"])
