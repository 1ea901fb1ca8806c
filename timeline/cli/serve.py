"""`timeline serve`: the dashboard on any corpus, from the command line. A thin wrapper over
`timeline.webapp.create_app`."""
from __future__ import annotations

import os
import sys

import click

from timeline.cli import messages
from timeline.webapp.sandbox import LIMIT_ENV, Limits


@click.command("serve")
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=str))
@click.option("--host", default=None, metavar="HOST",
              help="Interface to listen on (default: $HOST, else 127.0.0.1).")
@click.option("--port", type=int, default=None, metavar="PORT", help="Port (default: $PORT, else 8050).")
@click.option("--overrides", metavar="FILE", type=click.Path(dir_okay=False, path_type=str),
              help="Corrections file (CSV or YAML) the table writes to (default: overrides.csv in the corpus folder).")
@click.option("--uploads", metavar="DIR", type=click.Path(file_okay=False, path_type=str),
              help="Folder uploaded articles are saved in (default: uploads/ in the corpus folder).")
@click.option("--story", "story_path", metavar="FILE", type=click.Path(dir_okay=False, path_type=str),
              help="The story file: routes, places, title and view of the map (default: story.yaml in the corpus folder).")
@click.option("--max-bytes", type=int, default=10_000_000, show_default=True, help="Largest article file read.")
@click.option("--embed-frame-ancestors", default="*", show_default=True, metavar="SOURCES",
              envvar="TIMELINE_EMBED_FRAME_ANCESTORS",
              help="Sites that may frame /embed: a CSP frame-ancestors list such as \"'self' https://news.example\" "
                   "(default: any; also $TIMELINE_EMBED_FRAME_ANCESTORS). The editing app is never framed.")
@click.option("--public-url", default=None, metavar="URL", envvar="TIMELINE_PUBLIC_URL",
              help="The address readers reach the app at, e.g. https://news.example/chronology/: the absolute "
                   "URLs of /oembed and /embed start with it (default: http://HOST:PORT/; also $TIMELINE_PUBLIC_URL).")
@click.option("--parse-seconds", type=float, default=Limits.seconds, show_default=True, envvar=LIMIT_ENV["seconds"],
              help="CPU seconds parsing any one article file may take (plus --parse-seconds-per-mb); "
                   "a file over it is skipped and named, an upload refused.")
@click.option("--parse-seconds-per-mb", type=float, default=Limits.seconds_per_mb, show_default=True,
              envvar=LIMIT_ENV["seconds_per_mb"], help="CPU seconds more per MB of the file.")
@click.option("--parse-memory-mb", type=float, default=Limits.memory_mb, show_default=True,
              envvar=LIMIT_ENV["memory_mb"],
              help="Memory (MB) parsing one article file may take.")
@click.option("--database", metavar="URL", envvar="TIMELINE_DATABASE_URL",
              help="The database of users and corrections, an SQLAlchemy URL (default: $TIMELINE_DATABASE_URL, "
                   "else timeline.db beside the corrections file).")
@click.option("--open", "open_", is_flag=True, envvar="TIMELINE_OPEN",
              help="With no users, let anyone who reaches the server edit, even on a public address "
                   "(default: only on 127.0.0.1 / localhost; read-only elsewhere).")
@click.option("--allowed-hosts", metavar="NAMES", envvar="TIMELINE_ALLOWED_HOSTS", default="",
              help="Comma-separated host names requests may name besides the public URL's and localhost "
                   "(also $TIMELINE_ALLOWED_HOSTS); any other Host is refused.")
@click.option("--public", "public_story", is_flag=True, envvar="TIMELINE_PUBLIC",
              help="The story is public: with users, anyone may read its dashboard and events API (default: "
                   "signed-in users only; embeds and oEmbed are public either way).")
@click.option("--proxies", type=click.IntRange(0, 10), default=0, envvar="TIMELINE_PROXIES", show_default=True,
              help="How many proxies stand in front (nginx: 1): their X-Forwarded-For/-Proto/-Host are believed "
                   "(also $TIMELINE_PROXIES).")
@click.option("--stories", "stories_dir", metavar="DIR", envvar="TIMELINE_STORIES",
              type=click.Path(file_okay=False, path_type=str),
              help="Folder of the stories editors start, one sub-folder each, served at /s/<name>/ "
                   "(default: stories/ beside the corrections file; also $TIMELINE_STORIES).")
@click.option("--store", "store", metavar="DIR", envvar="TIMELINE_STORE", type=click.Path(file_okay=False,
              exists=True, path_type=str),
              help="Serve the events of an archive's store (`timeline ingest`) instead of PATHS; its "
                   "corrections, uploads and database live in the store folder (also $TIMELINE_STORE).")
@click.option("--debug", is_flag=True, help="Dash debug mode: reload on change, error pop-ups.")
def serve(paths: tuple[str, ...], host: str | None, port: int | None, overrides: str | None,
          uploads: str | None, story_path: str | None, max_bytes: int, embed_frame_ancestors: str, public_url: str | None,
          parse_seconds: float, parse_seconds_per_mb: float, parse_memory_mb: float, database: str | None,
          open_: bool, allowed_hosts: str, public_story: bool, proxies: int, stories_dir: str | None,
          store: str | None, debug: bool) -> None:
    """Serve the dashboard of the articles in PATHS (files, or folders of .txt, .md,
    .html and .json articles).

    One process; for several workers run gunicorn on app:server (see the README). Every
    article file is parsed in a child process under the --parse-* limits. With users in
    the database (`timeline users add`), editors sign in to change the story; with none,
    anyone may on 127.0.0.1 and nobody may on any other address unless --open is given.
    """
    from timeline.errors import TimelineError
    from timeline.webapp import access, create_app, layout
    from timeline.webapp.oidc import OidcConfig

    if bool(paths) == bool(store):
        raise click.UsageError("give the articles (PATH...) or an archive's store (--store DIR), one of the two")

    host = host or os.environ.get("HOST") or "127.0.0.1"
    try:
        port = port or int(os.environ.get("PORT") or 8050)
    except ValueError:
        raise click.BadParameter(f"PORT={os.environ['PORT']!r} is not a number", param_hint="$PORT") from None
    try:
        limits = Limits(seconds=parse_seconds, seconds_per_mb=parse_seconds_per_mb, memory_mb=parse_memory_mb)
        app = create_app(paths, store=store, overrides_path=overrides, upload_dir=uploads, story_path=story_path,
                         max_upload_bytes=max_bytes,
                         embed_frame_ancestors=embed_frame_ancestors,
                         public_url=public_url or f"http://{_url_host(host)}:{port}/", parse_limits=limits,
                         database_url=database, bind_host=host, open_=open_, allowed_hosts=allowed_hosts.split(","),
                         oidc=OidcConfig.from_env(), proxies=proxies, public_story=public_story,
                         stories_dir=stories_dir)
    except TimelineError as e:
        messages.error(e)
        sys.exit(2)
    snap = app.corpus.snapshot()
    for line in snap.errors:
        messages.error(line)
    for line in snap.warnings + snap.story_file.problems:
        messages.warning(line)
    click.echo(f"timeline: {app.access.policy.reason}", err=True)
    click.echo(f"timeline: {layout.corpus_summary(snap)}, on http://{_url_host(host)}:{port}/ "
               f"(database: {app.corpus.history.engine.url.render_as_string(hide_password=True)}, "
               f"uploads: {app.corpus.upload_dir}, new stories: {app.newsroom.stories_dir})", err=True)
    app.run(host=host, port=port, debug=debug, request_handler=access.request_handler())


def _url_host(host: str) -> str:
    """`host` as the host part of a URL (an IPv6 address in brackets)."""
    return f"[{host}]" if ":" in host and not host.startswith("[") else host
