"""The `timeline` command line: thin commands over the library, one module each.

    timeline timex FILE... --dct DATE        temporal expressions, normalised (`timex.py`)
    timeline parse PATH... [-o FILE]         articles into one event frame (`parse.py`)
    timeline export PATH... --png FILE ...   files to publish: data, a page, print figures (`export.py`)
    timeline serve PATH...                   the dashboard (`serve.py`)
    timeline ingest ARCHIVE... --store DIR   an archive into a Parquet store, on Dask (`ingest.py`)
    timeline users add|role|password|list|remove   who may sign in and edit (`newsroom.py`)
    timeline corrections log|revert|export   the history of corrections (`newsroom.py`)

Every bad input (a file that cannot be read, a date that cannot be parsed, a document that
is not what `--batch` expects) is reported as one line on stderr, `timeline: error: INPUT:
what was wrong` (`messages.py`); the other inputs are still processed and printed, and the
exit code is 1. Input that cannot be used at all (bad JSON on stdin, wrong options) exits
with 2. Each command imports its heavy parts (pandas, plotly, Dash) only when it runs, so
that `timeline timex` starts quickly.
"""
from __future__ import annotations

import click

from timeline.cli.export import export
from timeline.cli.ingest import ingest
from timeline.cli.newsroom import corrections, users
from timeline.cli.parse import parse
from timeline.cli.serve import serve
from timeline.cli.timex import timex


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """timeline: turn news articles into a dated chronology."""


for _command in (timex, parse, export, serve, ingest, users, corrections):
    main.add_command(_command)
