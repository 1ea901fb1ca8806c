"""The article files added to a story: who added which file, when, its size and digest.

The files live in the story's uploads folder, where every worker reads them; this record
says where each came from, for the desk's audit ("who added this wire copy?").
"""
from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Iterable

from sqlalchemy import insert, select
from sqlalchemy.engine import Engine

from timeline.store.db import articles, iso_utc


@dataclass(frozen=True)
class ArticleFile:
    story: str
    name: str
    bytes: int
    sha256: str
    who: str
    at: str  # ISO 8601, UTC

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


class Articles:
    """The added article files of the story `story` in the database `engine`."""

    def __init__(self, engine: Engine, story: str):
        self.engine = engine
        self.story = story

    def record(self, files: Iterable[tuple[str, bytes]], *, who: str) -> list[ArticleFile]:
        """Record `files` ((saved name, its bytes) each) as added by `who`, now."""
        at = dt.datetime.now(dt.timezone.utc)
        rows = [{"story": self.story, "name": str(name)[:300], "bytes": len(data),
                 "sha256": hashlib.sha256(data).hexdigest(), "who": str(who)[:100], "at": at}
                for name, data in files]
        if rows:
            with self.engine.begin() as connection:
                connection.execute(insert(articles), rows)
        return [ArticleFile(**{**r, "at": iso_utc(at)}) for r in rows]

    def record_paths(self, paths: Iterable[Path], *, who: str) -> list[ArticleFile]:
        """`record` of the saved files at `paths` (as an upload returns them)."""
        return self.record(((p.name, p.read_bytes()) for p in paths), who=who)

    def list(self, *, limit: int = 1_000) -> list[ArticleFile]:
        """The story's added files, newest first."""
        query = (select(articles).where(articles.c.story == self.story).order_by(articles.c.id.desc())
                 .limit(max(0, int(limit))))
        with self.engine.connect() as connection:
            rows = connection.execute(query).all()
        return [ArticleFile(r.story, r.name, r.bytes, r.sha256, r.who, iso_utc(r.at)) for r in rows]
