"""What the commands print: results on stdout, and one line per problem on stderr,
`timeline: error: NAME: what was wrong` (or `timeline: warning: ...`), so that a script or
a reader sees at once which input went wrong and why."""
from __future__ import annotations

import json

import click


def one_line(error: Exception) -> str:
    """The message of `error` with its white space (line breaks too) folded; its type's
    name when it has no message."""
    return " ".join(str(error).split()) or type(error).__name__


def error(problem: Exception | str, name: str | None = None) -> None:
    """`timeline: error: [NAME: ]PROBLEM` on stderr: an exception's message on one line
    (`one_line`), a string as it is."""
    message = problem if isinstance(problem, str) else one_line(problem)
    click.echo(f"timeline: error: {name + ': ' if name else ''}{message}", err=True)


def warning(message: str) -> None:
    """`timeline: warning: MESSAGE` on stderr."""
    click.echo(f"timeline: warning: {message}", err=True)


def dump(obj) -> None:
    """`obj` as indented JSON on stdout (non-ASCII characters as they are)."""
    click.echo(json.dumps(obj, ensure_ascii=False, indent=2))
