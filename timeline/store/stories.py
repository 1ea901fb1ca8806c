"""The stories editors start: a name, who started it and when.

A server serves the story of its corpus folder (named after the folder) and every story
in this table, each at its own address (`/s/<name>/`). A story's articles are files in its
own folder; its corrections and published versions are rows under its name.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from timeline.errors import InputError, StoreError
from timeline.store.db import iso_utc, stories

NAME_PATTERN = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?")
"""A story's name: lower-case letters, digits and hyphens, 1 to 64, as in its URL."""

RESERVED = frozenset({"api", "assets", "embed", "login", "logout", "oembed", "s", "uploads"})
"""Names a story may not take: they read as the server's own paths or folders."""


@dataclass(frozen=True)
class Story:
    name: str
    who: str
    at: str  # ISO 8601, UTC

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def check_name(name: object) -> str:
    """`name` as a story's name; raises InputError saying what a name may be."""
    text = name.strip() if isinstance(name, str) else ""
    if not NAME_PATTERN.fullmatch(text) or text in RESERVED:
        shown = repr(name[:80]) if isinstance(name, str) else "that"
        raise InputError(f"{shown} is not a story name: use 1 to 64 lower-case letters, digits and hyphens "
                         f"(such as belarus-prisoners), not {', '.join(sorted(RESERVED))}")
    return text


def add_story(engine: Engine, name: str, *, who: str) -> Story:
    """Record the story `name` (`check_name`), started by `who`. Raises InputError for a
    bad name, StoreError when a story of that name exists."""
    name = check_name(name)
    at = dt.datetime.now(dt.timezone.utc)
    try:
        with engine.begin() as connection:
            connection.execute(insert(stories).values(name=name, who=str(who)[:100], at=at))
    except IntegrityError:
        raise StoreError(f"there is already a story called {name!r}") from None
    return Story(name, str(who)[:100], iso_utc(at))


def get_story(engine: Engine, name: str) -> Story | None:
    """The story called `name`, or None."""
    if not isinstance(name, str) or not NAME_PATTERN.fullmatch(name):
        return None  # never a query for a name no story can have
    try:
        with engine.connect() as connection:
            row = connection.execute(select(stories).where(stories.c.name == name)).first()
    except SQLAlchemyError as e:
        raise StoreError(f"cannot read the stories: {e.__class__.__name__}") from None
    return Story(row.name, row.who, iso_utc(row.at)) if row else None


def list_stories(engine: Engine) -> list[Story]:
    """Every started story, by name."""
    with engine.connect() as connection:
        rows = connection.execute(select(stories).order_by(stories.c.name)).all()
    return [Story(r.name, r.who, iso_utc(r.at)) for r in rows]
