"""`timeline users` and `timeline corrections`: the newsroom's database from the command
line (who may edit; every correction with who, when and why). Thin wrappers over
`timeline.store`.

The database is `--database URL` (or $TIMELINE_DATABASE_URL), else `timeline.db` in the
`--corpus` folder, as `timeline serve` finds it.
"""
from __future__ import annotations

import sys
from pathlib import Path

import click

from timeline.cli import messages

_DATABASE = click.option("--database", metavar="URL", envvar="TIMELINE_DATABASE_URL",
                         help="The database (an SQLAlchemy URL; default: $TIMELINE_DATABASE_URL, "
                              "else timeline.db in the --corpus folder).")
_CORPUS = click.option("--corpus", metavar="DIR", default=".", show_default=True,
                       type=click.Path(file_okay=False, path_type=str),
                       help="The story's folder: its database file and its name.")


def _engine(database: str | None, corpus: str):
    from timeline import store
    from timeline.errors import TimelineError

    try:
        return store.open_database(database or store.database_url(corpus))
    except TimelineError as e:
        messages.error(e)
        sys.exit(2)


def _fail(e: Exception) -> None:
    messages.error(e)
    sys.exit(1)


@click.group("users")
def users() -> None:
    """Who may sign in, and what they may do: reader, editor or admin."""


@users.command("add")
@click.argument("name")
@click.option("--role", type=click.Choice(["reader", "editor", "admin"]), required=True)
@click.option("--no-password", is_flag=True,
              help="The user signs in through the identity provider only (OIDC; NAME is the name it gives).")
@_DATABASE
@_CORPUS
def users_add(name: str, role: str, no_password: bool, database: str | None, corpus: str) -> None:
    """Add the user NAME with ROLE; the password is read from standard input (its first
    line; at least 8 characters)."""
    from timeline.errors import TimelineError
    from timeline.store import add_user

    password = None if no_password else _read_password()
    try:
        user = add_user(_engine(database, corpus), name, role, password)
    except TimelineError as e:
        _fail(e)
    click.echo(f"timeline: {user.name} added as {user.role}", err=True)


def _read_password() -> str:
    """The password typed twice at a terminal, else the first line of standard input."""
    if sys.stdin.isatty():
        return click.prompt("Password", hide_input=True, confirmation_prompt=True, err=True)
    return sys.stdin.readline().rstrip("\r\n")


@users.command("role")
@click.argument("name")
@click.option("--role", type=click.Choice(["reader", "editor", "admin"]), required=True)
@_DATABASE
@_CORPUS
def users_role(name: str, role: str, database: str | None, corpus: str) -> None:
    """Give the user NAME another role (it applies to their next request)."""
    from timeline.errors import TimelineError
    from timeline.store.users import set_role

    try:
        set_role(_engine(database, corpus), name, role)
    except TimelineError as e:
        _fail(e)
    click.echo(f"timeline: {name} is now {role}", err=True)


@users.command("password")
@click.argument("name")
@click.option("--no-password", is_flag=True, help="No password: sign-in through the identity provider only.")
@_DATABASE
@_CORPUS
def users_password(name: str, no_password: bool, database: str | None, corpus: str) -> None:
    """Give the user NAME a new password, read as `users add` reads it; their sessions end."""
    from timeline.errors import TimelineError
    from timeline.store.users import set_password

    try:
        set_password(_engine(database, corpus), name, None if no_password else _read_password())
    except TimelineError as e:
        _fail(e)
    click.echo(f"timeline: {name}'s password changed; their sessions have ended", err=True)


@users.command("list")
@_DATABASE
@_CORPUS
def users_list(database: str | None, corpus: str) -> None:
    """Every user and their role, one a line."""
    from timeline.store import list_users

    for user in list_users(_engine(database, corpus)):
        click.echo(f"{user.name}\t{user.role}")


@users.command("remove")
@click.argument("name")
@_DATABASE
@_CORPUS
def users_remove(name: str, database: str | None, corpus: str) -> None:
    """Remove the user NAME (their corrections stay in the history)."""
    from timeline.errors import TimelineError
    from timeline.store import remove_user

    try:
        remove_user(_engine(database, corpus), name)
    except TimelineError as e:
        _fail(e)


@click.group("corrections")
def corrections() -> None:
    """The history of a story's corrections: read it, revert one, export the current ones."""


_STORY = click.option("--story", metavar="NAME", help="The story (default: the --corpus folder's name).")


def _history(database: str | None, corpus: str, story: str | None):
    from timeline.store import History

    return History(_engine(database, corpus), story or Path(corpus).resolve().name)


@corrections.command("log")
@click.option("--event", "event_id", metavar="ID", help="Only this event's corrections.")
@click.option("--limit", type=click.IntRange(1, 1_000_000), default=100, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="As JSON, one object per correction.")
@_STORY
@_DATABASE
@_CORPUS
def corrections_log(event_id: str | None, limit: int, as_json: bool, story: str | None, database: str | None,
                    corpus: str) -> None:
    """The corrections, newest first: id, when, who, event, field, old and new value, why."""
    log = _history(database, corpus, story).log(event_id=event_id, limit=limit)
    if as_json:
        messages.dump([c.as_dict() for c in log])
        return
    for c in log:
        new = "(what the articles say)" if c.value is None else repr(c.value)
        why = f"  # {c.reason}" if c.reason else ""
        click.echo(f"{c.id}\t{c.at}\t{c.who}\t{c.event_id}\t{c.field}: {c.old_value!r} -> {new}{why}")


@corrections.command("revert")
@click.argument("correction_id", type=int)
@click.option("--who", required=True, metavar="NAME", help="Who reverts it (kept in the history).")
@click.option("--reason", default="", metavar="TEXT", help="Why (kept in the history).")
@_STORY
@_DATABASE
@_CORPUS
def corrections_revert(correction_id: int, who: str, reason: str, story: str | None, database: str | None,
                       corpus: str) -> None:
    """Set the field correction CORRECTION_ID changed back to what it was before it (a new
    correction: the history keeps both)."""
    from timeline.errors import TimelineError

    try:
        c = _history(database, corpus, story).revert(correction_id, who=who, reason=reason)
    except TimelineError as e:
        _fail(e)
    click.echo(f"timeline: correction {c.id} reverts {correction_id}: {c.field} of {c.event_id} "
               f"is {'what the articles say' if c.value is None else repr(c.value)} again", err=True)


@corrections.command("export")
@click.option("-o", "--output", metavar="FILE", help="Write here (atomically) instead of standard output.")
@_STORY
@_DATABASE
@_CORPUS
def corrections_export(output: str | None, story: str | None, database: str | None, corpus: str) -> None:
    """The corrections in force, as an overrides file (CSV: event_id, field, value) that
    `timeline parse --overrides` reads."""
    import csv
    import io

    from timeline.atomic import write_bytes
    from timeline.errors import TimelineError

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["event_id", "field", "value"])
    for c in _history(database, corpus, story).in_force():
        writer.writerow([c.event_id, c.field, c.value])
    if output is None:
        click.echo(buffer.getvalue(), nl=False)
        return
    try:
        write_bytes(output, buffer.getvalue())
    except TimelineError as e:
        messages.error(e)
        sys.exit(2)
