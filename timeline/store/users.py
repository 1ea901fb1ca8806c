"""Users and their roles: who may read, who may edit, who may manage users.

Passwords are kept hashed (werkzeug's scrypt); a name is 1-100 printable characters.
Roles, from least to most: `reader` (reads what the public cannot, when the story is not
public), `editor` (corrects events, uploads articles), `admin` (an editor who also
manages users).
"""
from __future__ import annotations

import datetime as dt
import secrets
import time
from dataclasses import dataclass, field

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError, OperationalError
from werkzeug.security import check_password_hash, generate_password_hash

from timeline.errors import StoreError
from timeline.store.db import settings, signin_failures, users

ROLES = ("reader", "editor", "admin")
"""The roles, least to most."""

MIN_PASSWORD = 8
"""The shortest password accepted."""

# A hash to check a password against when the name is unknown, so that an unknown name
# takes as long to refuse as a wrong password (no timing oracle for names).
_DUMMY_HASH = generate_password_hash(secrets.token_hex(16))


@dataclass(frozen=True)
class User:
    name: str
    role: str
    epoch: int = field(default=0, compare=False)  # sessions signed in at another epoch have ended

    def may(self, role: str) -> bool:
        """Whether this user has `role` or a higher one."""
        return ROLES.index(self.role) >= ROLES.index(role)


NO_PASSWORD = "!"
"""The password hash of a user who signs in only through the identity provider (OIDC)."""


def add_user(engine: Engine, name: str, role: str, password: str | None) -> User:
    """Add the user `name` with `role` and `password` (kept hashed; None: no password, the
    user signs in through the identity provider only). Raises StoreError for a bad name,
    role or password, or a name already taken."""
    name = _check_name(name)
    if role not in ROLES:
        raise StoreError(f"role {role!r} is not one of {', '.join(ROLES)}")
    if password is not None and len(password) < MIN_PASSWORD:
        raise StoreError(f"{name}: the password must be at least {MIN_PASSWORD} characters")
    hashed = NO_PASSWORD if password is None else generate_password_hash(password)
    try:
        with engine.begin() as c:
            c.execute(insert(users).values(name=name, role=role, password_hash=hashed, created=_now()))
    except IntegrityError:
        raise StoreError(f"{name}: a user of that name already exists") from None
    return User(name, role)


def set_role(engine: Engine, name: str, role: str) -> User:
    """Give the user `name` the role `role`; StoreError for an unknown user or role."""
    if role not in ROLES:
        raise StoreError(f"role {role!r} is not one of {', '.join(ROLES)}")
    with engine.begin() as c:
        if not c.execute(update(users).where(users.c.name == name).values(role=role)).rowcount:
            raise StoreError(f"{name}: no such user")
    return User(name, role)


def set_password(engine: Engine, name: str, password: str | None) -> None:
    """Give the user `name` a new password (None: none, sign-in through the identity
    provider only), ending their sessions. StoreError for an unknown user or a short password."""
    if password is not None and len(password) < MIN_PASSWORD:
        raise StoreError(f"{name}: the password must be at least {MIN_PASSWORD} characters")
    hashed = NO_PASSWORD if password is None else generate_password_hash(password)
    with engine.begin() as c:
        done = c.execute(update(users).where(users.c.name == name)
                         .values(password_hash=hashed, session_epoch=users.c.session_epoch + 1)).rowcount
    if not done:
        raise StoreError(f"{name}: no such user")


def remove_user(engine: Engine, name: str) -> None:
    """Remove the user `name`; StoreError if there is none."""
    with engine.begin() as c:
        if not c.execute(delete(users).where(users.c.name == name)).rowcount:
            raise StoreError(f"{name}: no such user")


def list_users(engine: Engine) -> list[User]:
    """Every user, by name."""
    with engine.connect() as c:
        return [User(n, r) for n, r in c.execute(select(users.c.name, users.c.role).order_by(users.c.name))]


def count_users(engine: Engine) -> int:
    with engine.connect() as c:
        return int(c.execute(select(func.count()).select_from(users)).scalar_one())


def check_password(engine: Engine, name: str, password: str) -> User | None:
    """The user `name` if `password` is theirs, else None (in about the same time whether
    or not the name exists)."""
    with engine.connect() as c:
        row = c.execute(select(users.c.name, users.c.role, users.c.password_hash, users.c.session_epoch)
                        .where(users.c.name == name[:100])).first()
    usable = row is not None and row.password_hash != NO_PASSWORD
    ok = check_password_hash(row.password_hash if usable else _DUMMY_HASH, password)
    return User(row.name, row.role, row.session_epoch) if usable and ok else None


def get_user(engine: Engine, name: str) -> User | None:
    with engine.connect() as c:
        row = c.execute(select(users.c.name, users.c.role, users.c.session_epoch)
                        .where(users.c.name == name[:100])).first()
    return User(row.name, row.role, row.session_epoch) if row else None


def end_sessions(engine: Engine, name: str) -> None:
    """End every session of the user `name` (signing out, everywhere)."""
    with engine.begin() as c:
        c.execute(update(users).where(users.c.name == name[:100])
                  .values(session_epoch=users.c.session_epoch + 1))


def secret_key(engine: Engine) -> str:
    """The key that signs session cookies: generated once and kept in the database, so
    that every worker and every restart share it."""
    query = select(settings.c.value).where(settings.c.key == "secret_key")
    for attempt in range(20):
        with engine.connect() as c:
            found = c.execute(query).scalar()
        if found:
            return found
        try:  # a transaction that only writes: it waits for another writer, never fails on it
            with engine.begin() as c:
                c.execute(insert(settings).values(key="secret_key", value=secrets.token_urlsafe(48)))
        except (IntegrityError, OperationalError):  # another worker made it first
            time.sleep(0.01 * attempt)
    raise StoreError("the session key could not be stored in the database")


def note_failed_signin(engine: Engine, address: str) -> int:
    """Count a sign-in from `address` as failed (before its password is checked, so that
    guesses sent at once are all counted); its id, for `forget_failed_signin` when it
    succeeds."""
    with engine.begin() as c:
        new_id = c.execute(insert(signin_failures).values(address=address[:100], at=_now())
                           .returning(signin_failures.c.id)).scalar_one()
        c.execute(delete(signin_failures).where(signin_failures.c.at < _now() - dt.timedelta(days=1)))
    return int(new_id)


def forget_failed_signin(engine: Engine, attempt: int) -> None:
    with engine.begin() as c:
        c.execute(delete(signin_failures).where(signin_failures.c.id == attempt))


def failed_signins(engine: Engine, address: str, within: dt.timedelta) -> int:
    """How many sign-ins from `address` failed in the last `within`."""
    with engine.connect() as c:
        return int(c.execute(select(func.count()).select_from(signin_failures)
                             .where(signin_failures.c.address == address[:100],
                                    signin_failures.c.at >= _now() - within)).scalar_one())


def _check_name(name: str) -> str:
    name = str(name).strip()
    if not 1 <= len(name) <= 100 or not name.isprintable():
        raise StoreError(f"{name[:100]!r}: a user name is 1 to 100 printable characters")
    return name


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)
