"""`timeline serve`: the dashboard on any corpus, from the command line. A thin wrapper over
`timeline.webapp.create_app`."""
from __future__ import annotations

import os
import sys

import click

from timeline.cli import messages


@click.command("serve")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=str))
@click.option("--host", default=None, metavar="HOST",
              help="Interface to listen on (default: $HOST, else 127.0.0.1).")
@click.option("--port", type=int, default=None, metavar="PORT", help="Port (default: $PORT, else 8050).")
@click.option("--overrides", metavar="FILE", type=click.Path(dir_okay=False, path_type=str),
              help="Corrections file (CSV or YAML) the table writes to (default: overrides.csv in the corpus folder).")
@click.option("--uploads", metavar="DIR", type=click.Path(file_okay=False, path_type=str),
              help="Folder uploaded articles are saved in (default: uploads/ in the corpus folder).")
@click.option("--max-bytes", type=int, default=10_000_000, show_default=True, help="Largest article file read.")
@click.option("--embed-frame-ancestors", default="*", show_default=True, metavar="SOURCES",
              envvar="TIMELINE_EMBED_FRAME_ANCESTORS",
              help="Sites that may frame /embed: a CSP frame-ancestors list such as \"'self' https://news.example\" "
                   "(default: any; also $TIMELINE_EMBED_FRAME_ANCESTORS). The editing app is never framed.")
@click.option("--debug", is_flag=True, help="Dash debug mode: reload on change, error pop-ups.")
def serve(paths: tuple[str, ...], host: str | None, port: int | None, overrides: str | None,
          uploads: str | None, max_bytes: int, embed_frame_ancestors: str, debug: bool) -> None:
    """Serve the dashboard of the articles in PATHS (files, or folders of .txt, .md,
    .html and .json articles).

    One process; for several workers run gunicorn on app:server (see the README).
    """
    from timeline.errors import TimelineError
    from timeline.webapp import create_app, layout

    host = host or os.environ.get("HOST") or "127.0.0.1"
    try:
        port = port or int(os.environ.get("PORT") or 8050)
    except ValueError:
        raise click.BadParameter(f"PORT={os.environ['PORT']!r} is not a number", param_hint="$PORT") from None
    try:
        app = create_app(paths, overrides_path=overrides, upload_dir=uploads, max_upload_bytes=max_bytes,
                         embed_frame_ancestors=embed_frame_ancestors)
    except TimelineError as e:
        messages.error(e)
        sys.exit(2)
    snap = app.corpus.snapshot()
    for line in snap.errors:
        messages.error(line)
    for line in snap.warnings:
        messages.warning(line)
    click.echo(f"timeline: {layout.corpus_summary(snap)}, on http://{host}:{port}/ "
               f"(corrections: {app.corpus.overrides_path}, uploads: {app.corpus.upload_dir})", err=True)
    app.run(host=host, port=port, debug=debug)
