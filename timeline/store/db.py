"""The database: where users and the history of corrections live, shared by every worker.

An SQLite file by default (`timeline.db` beside the corpus: embedded, nothing to set up,
in WAL mode so readers never wait for a writer), or any database SQLAlchemy reaches,
named by `TIMELINE_DATABASE_URL` (PostgreSQL for several app servers:
`postgresql+psycopg://user:pass@host/db`). `open_database(url)` returns an engine whose
tables are migrated to the current schema (Alembic, `migrations/`), one process at a
time.
"""
from __future__ import annotations

import datetime as dt
import fcntl
import os
import threading
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import (
    Column, DateTime, Integer, LargeBinary, MetaData, String, Table, Text, UniqueConstraint, create_engine, event,
    text,
)
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError

from timeline.errors import StoreError

DATABASE_ENV = "TIMELINE_DATABASE_URL"
"""The environment variable naming the database (an SQLAlchemy URL)."""

DATABASE_NAME = "timeline.db"
"""The default database: an SQLite file of this name beside the corpus."""

MIGRATIONS = Path(__file__).resolve().parent / "migrations"

metadata = MetaData()

users = Table(
    "users", metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(100), nullable=False, unique=True),
    Column("role", String(10), nullable=False),
    Column("password_hash", String(300), nullable=False),
    Column("created", DateTime(timezone=True), nullable=False),
    Column("session_epoch", Integer, nullable=False, server_default="0"),
)
"""`session_epoch` goes up when the user signs out: sessions signed in before end."""

corrections = Table(
    "corrections", metadata,
    Column("id", Integer, primary_key=True),
    Column("story", String(200), nullable=False, index=True),
    Column("event_id", String(200), nullable=False),
    Column("field", String(20), nullable=False),
    Column("old_value", Text, nullable=True),
    Column("value", Text, nullable=True),
    Column("reason", Text, nullable=False, default=""),
    Column("who", String(100), nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("reverts", Integer, nullable=True),
)
"""Every correction ever made, append-only: a revert is one more row (`reverts` names the
row it undoes). An event's field has the value of its newest row."""

settings = Table(
    "settings", metadata,
    Column("key", String(100), primary_key=True),
    Column("value", Text, nullable=False),
)

signin_failures = Table(
    "signin_failures", metadata,
    Column("id", Integer, primary_key=True),
    Column("address", String(100), nullable=False, index=True),
    Column("at", DateTime(timezone=True), nullable=False),
)
"""Failed sign-ins, by client address, for the rate limit every worker shares."""

versions = Table(
    "versions", metadata,
    Column("id", Integer, primary_key=True),
    Column("story", String(200), nullable=False),
    Column("number", Integer, nullable=False),
    Column("frame", LargeBinary, nullable=False),
    Column("events", Integer, nullable=False),
    Column("who", String(100), nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("note", Text, nullable=False),
    UniqueConstraint("story", "number", name="uq_versions_story_number"),
)
"""Published versions: a story's frame frozen (Parquet bytes) as version 1, 2, ..."""

stories = Table(
    "stories", metadata,
    Column("name", String(64), primary_key=True),
    Column("who", String(100), nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
)
"""The stories a server serves: the one named after its corpus folder, and those editors
started by uploading articles (their files in the stories folder, one sub-folder each)."""

articles = Table(
    "articles", metadata,
    Column("id", Integer, primary_key=True),
    Column("story", String(200), nullable=False, index=True),
    Column("name", String(300), nullable=False),
    Column("bytes", Integer, nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("who", String(100), nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
)
"""Every article file added to a story (a dashboard upload, the API): its saved name, size,
digest, who added it and when. The files themselves stay in the story's folder."""

_engines: dict[str, Engine] = {}
_lock = threading.Lock()


def iso_utc(at) -> str:
    """A stored time as ISO 8601 in UTC ('2026-12-07T09:30:00Z'); SQLite gives it back
    without its time zone, which is UTC."""
    if isinstance(at, dt.datetime):
        at = (at if at.tzinfo else at.replace(tzinfo=dt.timezone.utc)).astimezone(dt.timezone.utc)
        return at.isoformat(timespec="seconds").replace("+00:00", "Z")
    return str(at)


def database_url(home: str | os.PathLike) -> str:
    """The database to use: `TIMELINE_DATABASE_URL`, else an SQLite file in the folder `home`."""
    return os.environ.get(DATABASE_ENV) or f"sqlite:///{Path(home).resolve() / DATABASE_NAME}"


def open_database(url: str) -> Engine:
    """An engine on the database at `url` (an SQLAlchemy URL), its schema migrated to the
    current one; one engine per URL in a process. Raises StoreError naming the database
    when it cannot be opened or migrated."""
    with _lock:
        engine = _engines.get(url)
        if engine is None:
            engine = _connect(url)
            _migrate(engine, url)
            _engines[url] = engine
        return engine


def _connect(url: str) -> Engine:
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise StoreError(f"{DATABASE_ENV}: {url!r} is not a database URL") from None
    try:
        engine = create_engine(parsed, pool_pre_ping=parsed.get_backend_name() != "sqlite")
    except (ArgumentError, ImportError, SQLAlchemyError) as e:
        raise StoreError(f"{_shown(parsed)}: cannot open: {_reason(e)}") from None
    if parsed.get_backend_name() == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def _sqlite_pragmas(connection, _record) -> None:
    cursor = connection.cursor()
    cursor.execute("PRAGMA busy_timeout = 15000")  # a writer waits for another, up to 15 s
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.execute("PRAGMA synchronous = NORMAL")  # durable at each checkpoint; safe in WAL
    cursor.close()


def _migrate(engine: Engine, url: str) -> None:
    """Bring the schema up to the newest migration, one process at a time (several workers
    start together)."""
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    try:
        with _one_at_a_time(engine), engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
    except (SQLAlchemyError, OSError) as e:
        raise StoreError(f"{_shown(engine.url)}: cannot open: {_reason(e)}") from None


@contextmanager
def _one_at_a_time(engine: Engine):
    """A lock around migrations: a file lock beside an SQLite file, an advisory lock on
    PostgreSQL."""
    backend = engine.url.get_backend_name()
    if backend == "sqlite" and engine.url.database not in (None, "", ":memory:"):
        lock_path = Path(engine.url.database).with_name(Path(engine.url.database).name + ".lock")
        with open(lock_path, "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)
    elif backend == "postgresql":
        with engine.connect() as connection:
            connection.execute(text("SELECT pg_advisory_lock(7418)"))
            try:
                yield
            finally:
                connection.execute(text("SELECT pg_advisory_unlock(7418)"))
                connection.commit()
    else:
        yield


def _shown(url) -> str:
    """The database's URL without its password, for messages."""
    try:
        return make_url(str(url)).render_as_string(hide_password=True)
    except ArgumentError:
        return "the database"


def _reason(e: BaseException) -> str:
    text_ = str(getattr(e, "orig", None) or e).splitlines()[0] if str(e) else type(e).__name__
    return " ".join(text_.split())[:300]
