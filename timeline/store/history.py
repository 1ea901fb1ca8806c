"""The corrections of a story, with their history: who changed which field of which event,
when, from what to what, and why.

Nothing is ever overwritten: each correction is a new row, and reverting one is one more
row setting the field back to the value it had before. An event's field has the value of
its newest row (`current`), which the dashboard applies on top of the parsed frame (and
of an overrides file, when there is one).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.engine import Engine

from timeline import frame as fr
from timeline.errors import OverridesError, StoreError
from timeline.frame.corrections import value_text
from timeline.store.db import corrections, iso_utc

MAX_VALUE_CHARS = 500
MAX_REASON_CHARS = 1_000
MAX_ID_CHARS = 200


@dataclass(frozen=True)
class Correction:
    """One row of the history."""

    id: int
    story: str
    event_id: str
    field: str
    old_value: str | None
    value: str | None  # None: back to what the articles say
    reason: str
    who: str
    at: str  # ISO 8601, UTC
    reverts: int | None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


class History:
    """The corrections of the story `story` in the database `engine`."""

    def __init__(self, engine: Engine, story: str):
        self.engine = engine
        self.story = story

    def record(self, event_id: str, field: str, value: Any, *, who: str, old_value: str | None = None,
               reason: str = "", reverts: int | None = None) -> Correction:
        """Append the correction of `field` of `event_id` to `value` by `who`. The value is
        checked as an overrides file's would be (`frame.override`). Raises OverridesError
        for a bad field or value, StoreError for an over-long one."""
        event_id = str(event_id).strip()
        if not event_id or len(event_id) > MAX_ID_CHARS:
            raise StoreError(f"an event_id is 1 to {MAX_ID_CHARS} characters")
        value = "" if value is None else value
        if isinstance(value, str) and len(value) > MAX_VALUE_CHARS:
            raise StoreError(f"{event_id}: {field} is {len(value):,} characters long, at most {MAX_VALUE_CHARS:,}")
        reason = _checked_reason(reason, event_id)
        if "\x00" in f"{event_id}{value}":
            raise StoreError(f"{event_id[:100]}: a correction cannot hold a NUL character")
        ov = fr.override(event_id, field, value)
        return self._insert(event_id, ov.field, value_text(ov.value), who=who, old_value=old_value, reason=reason,
                            reverts=reverts)

    def _insert(self, event_id: str, field: str, value: str | None, **rest) -> Correction:
        row = dict(story=self.story, event_id=event_id, field=field, value=value,
                   at=dt.datetime.now(dt.timezone.utc), **rest)
        with self.engine.begin() as c:
            new_id = c.execute(insert(corrections).values(**row).returning(corrections.c.id)).scalar_one()
        return _correction({**row, "id": new_id})

    def log(self, *, event_id: str | None = None, limit: int = 1_000) -> list[Correction]:
        """The history, newest first (of one event when `event_id` is given)."""
        q = select(corrections).where(corrections.c.story == self.story)
        if event_id is not None:
            q = q.where(corrections.c.event_id == event_id)
        with self.engine.connect() as c:
            rows = c.execute(q.order_by(corrections.c.id.desc()).limit(limit)).mappings().all()
        return [_correction(r) for r in rows]

    def get(self, correction_id: int) -> Correction:
        with self.engine.connect() as c:
            row = c.execute(select(corrections).where(corrections.c.id == correction_id,
                                                      corrections.c.story == self.story)).mappings().first()
        if row is None:
            raise StoreError(f"no correction {correction_id} in story {self.story!r}")
        return _correction(row)

    def revert(self, correction_id: int, *, who: str, reason: str = "") -> Correction:
        """Set the field that correction `correction_id` changed back to the value it had
        before it (a new row; the history keeps both). A field that had no correction before
        goes back to what the articles say. Raises StoreError for an unknown correction."""
        undone = self.get(correction_id)
        reason = _checked_reason(reason, undone.event_id)
        # None: the field had no correction before, so the articles' value applies again.
        return self._insert(undone.event_id, undone.field,
                            self._newest_value(undone.event_id, undone.field, before=undone.id), who=who,
                            old_value=self._newest_value(undone.event_id, undone.field),
                            reason=reason or f"revert of correction {correction_id}", reverts=correction_id)

    def in_force(self) -> list[Correction]:
        """The newest correction of each corrected field, oldest first, leaving out fields
        reverted to what the articles say."""
        newest = (select(func.max(corrections.c.id)).where(corrections.c.story == self.story)
                  .group_by(corrections.c.event_id, corrections.c.field))
        with self.engine.connect() as c:
            rows = c.execute(select(corrections).where(corrections.c.id.in_(newest))
                             .order_by(corrections.c.id)).mappings().all()
        return [_correction(r) for r in rows if r["value"] is not None]

    def current(self) -> list[fr.Override]:
        """The value each corrected field has now, as overrides to apply to the frame."""
        out = []
        for c in self.in_force():
            try:
                out.append(fr.override(c.event_id, c.field, c.value, f"correction {c.id}"))
            except OverridesError:
                continue  # checked when recorded; a rule that changed since is not fatal
        return out

    def last_id(self) -> int:
        """The id of the newest correction of any story (0 when none): changes on every
        correction, so that a worker knows to rebuild its frame."""
        with self.engine.connect() as c:
            return int(c.execute(select(func.max(corrections.c.id))).scalar() or 0)

    def _newest_value(self, event_id: str, field: str, *, before: int | None = None) -> str | None:
        """The value of the newest correction of `field` of `event_id` (older than
        correction `before`, when given); None when there is none, or it went back to what
        the articles say."""
        q = select(corrections.c.value).where(corrections.c.story == self.story,
                                              corrections.c.event_id == event_id, corrections.c.field == field)
        if before is not None:
            q = q.where(corrections.c.id < before)
        with self.engine.connect() as c:
            row = c.execute(q.order_by(corrections.c.id.desc()).limit(1)).first()
        return row.value if row else None


def _checked_reason(reason, event_id: str) -> str:
    """`reason` as text; StoreError when it is too long or holds a NUL."""
    reason = str(reason or "")
    if len(reason) > MAX_REASON_CHARS:
        raise StoreError(f"{event_id}: the reason is {len(reason):,} characters long, at most {MAX_REASON_CHARS:,}")
    if "\x00" in reason:
        raise StoreError(f"{event_id[:100]}: a correction cannot hold a NUL character")
    return reason


def _correction(row) -> Correction:
    return Correction(id=int(row["id"]), story=row["story"], event_id=row["event_id"], field=row["field"],
                      old_value=row["old_value"], value=row["value"], reason=row["reason"], who=row["who"],
                      at=iso_utc(row["at"]), reverts=row["reverts"])
