"""The dashboard: a linked timeline and map of the event frame, a table to correct it,
uploads to extend it; offline (every script, style and map file served by the app).

    from timeline.webapp import create_app
    app = create_app(["seeds/"])          # a Dash app; app.server is the WSGI app
    app.run(host="127.0.0.1", port=8050)

Modules: `corpus` (the frame, shared by workers through files), `filters` (the reader's
filters, from the page or the URL, applied to a frame), `views` (what is shown, as plain
functions), `layout` (components and their ids), `callbacks` (thin wiring; the browser's
side is in assets/app.js), `uploads` and `downloads` (files in and out), `sandbox` (every
article file parsed in a child process under time and memory limits), `embed` (/embed,
/embed.js, /oembed and the framing headers; their scripts in `static/`), `access` (sign-in,
roles, and the checks every request passes), `api` (the JSON API), `newsroom` (the
stories editors start, each a dashboard of its own at /s/<name>/). `timeline serve` is
`timeline.cli.serve`; the database of users and corrections is `timeline.store`.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from timeline.read import MAX_BYTES

ASSETS = Path(__file__).resolve().parents[2] / "assets"
"""The app's static files: app.css, app.js (the browser's callbacks) and the offline map
geometry (topojson/)."""


def create_app(paths: Iterable[str | os.PathLike], *, overrides_path: str | os.PathLike | None = None,
               upload_dir: str | os.PathLike | None = None, max_upload_bytes: int = MAX_BYTES,
               title: str = "timeline", frame=None, embed_frame_ancestors: str = "*",
               public_url: str | None = None, parse_limits=None, story_path: str | os.PathLike | None = None,
               database_url: str | None = None, bind_host: str | None = "127.0.0.1", open_: bool = False,
               allowed_hosts: Iterable[str] = (), oidc=None, proxies: int = 0, public_story: bool = False,
               stories_dir: str | os.PathLike | None = None, store: str | os.PathLike | None = None):
    """A Dash app serving the articles at `paths` (files, or folders whose article files
    are read; one path alone will do).

    `overrides_path`: the corrections file table edits are written to and read from
    (default `<corpus folder>/overrides.csv`; CSV or YAML). `upload_dir`: where uploaded
    articles are saved (default `<corpus folder>/uploads/`). The corpus folder is the
    first path when it is a folder, else the first file's folder. `max_upload_bytes`:
    the size limit of one uploaded file. Every worker of a multi-process server reads
    the same overrides file and uploads folder, so any worker serves every request.
    `frame`: an event frame to serve instead of parsing `paths` (paths then only locate
    the default overrides file, uploads folder and story file). `story_path`: the story
    file (`figures.story_file`: the map's routes, places, view, the page's title; default
    `<corpus folder>/story.yaml`), read again whenever it changes.
    `embed_frame_ancestors`: the sites that may frame /embed (a CSP frame-ancestors
    source list, default any: see `embed.py`); the rest of the app cannot be framed.
    `public_url`: the address readers reach the app at ('https://news.example/chronology/'),
    which the absolute URLs of /oembed and /embed start with (default
    `embed.DEFAULT_PUBLIC_URL`, where `app.run()` listens; never the request's Host header).
    `parse_limits`: what parsing one article file may cost (`sandbox.Limits`: CPU seconds
    by size, memory; default `sandbox.Limits()`): every corpus file, upload and dropped file
    is parsed in a child process under them, and one over a limit is skipped and named.
    Scripts are served by the app itself (serve_locally), plotly.js as the small chart
    library (`library.py`), map geometry from assets/.
    `database_url`: the database of users and corrections (an SQLAlchemy URL; default
    $TIMELINE_DATABASE_URL, else `timeline.db` beside the overrides file). Who may change
    the story (`access.py`): with users in it, editors who sign in; with none, anyone when
    the server listens on a loopback address (`bind_host`, where `app.run()` will listen;
    None when unknown, as under gunicorn) or `open_` is set, else nobody (read-only).
    `allowed_hosts`: host names requests may name besides the public URL's and loopback's.
    With users, the dashboard and the API are for signed-in users (readers read, editors
    edit) unless the story is public (`public_story`); embeds and oEmbed are public either way.
    `proxies`: how many proxies stand in front of the server (nginx: 1), whose
    X-Forwarded-For/-Proto/-Host are then believed (the client's address for the rate
    limits, https for the cookies); none by default. `oidc`: sign-in through an identity provider (`oidc.OidcConfig`, e.g.
    `OidcConfig.from_env()`), besides passwords. `stories_dir`: the folder of the stories
    editors start (`newsroom.py`: one sub-folder each, served at /s/<name>/; default
    `stories/` beside the overrides file). `store`: an archive's store (`timeline ingest`) to
    serve instead of parsing `paths`, read part by part (`archive.StoreCorpus`); its folder
    is then the corpus folder.
    Raises InputError for a bad `embed_frame_ancestors` or `public_url`, StoreError when
    the database cannot be opened.
    """
    from timeline.webapp import api, embed, newsroom

    embed.check_frame_ancestors(embed_frame_ancestors)  # before the corpus is parsed: fail fast
    public_url = embed.check_public_url(public_url or embed.DEFAULT_PUBLIC_URL)
    corpus, engine = _corpus([store] if store else paths, overrides_path=overrides_path, database_url=database_url,
                             store=store, upload_dir=upload_dir, max_bytes=max_upload_bytes, frame=frame,
                             limits=parse_limits, story_path=story_path)
    guard = _access(engine, public_url=public_url, bind_host=bind_host, open_=open_, allowed_hosts=allowed_hosts,
                    oidc=oidc, public_story=public_story)
    home = Path(stories_dir) if stories_dir else corpus.overrides_path.parent / STORIES_NAME
    desk = newsroom.Newsroom(corpus.history.story, engine=engine, stories_dir=home, access=guard,
                             build=lambda name, folder: _started_story(name, folder, settings))
    settings = _Settings(engine, guard, max_upload_bytes, embed_frame_ancestors, parse_limits, desk)
    app = desk.own = _story_app(corpus, settings, prefix="/", title=title, story="")
    if oidc is not None:
        from timeline.webapp import oidc as identity

        identity.install(app.server, guard, oidc, public_url=public_url)
    newsroom.register(app.server, desk)
    embed.register(app.server, _embed_corpus(desk), frame_ancestors=embed_frame_ancestors, public_url=public_url)
    api.register(app.server, desk, guard, public_url=public_url)
    # Started stories are mounted inside, so that the proxies' headers are believed for them too.
    app.server.wsgi_app = desk.dispatch(app.server.wsgi_app)
    if proxies:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.server.wsgi_app = ProxyFix(app.server.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies)
    app.newsroom = desk
    _warm_up(corpus)
    return app


def _embed_corpus(desk):
    """The corpus of an embed's story (public: see `newsroom.Newsroom.may_build`); a 429
    when this worker may not build it for the request now."""
    from flask import abort

    from timeline.webapp.newsroom import TooManyBuilds

    def corpus_of(name: str):
        try:
            return desk.corpus(name, public=True)
        except TooManyBuilds:
            abort(429)
    return corpus_of


STORIES_NAME = "stories"
"""Default folder of the stories editors start, beside the overrides file (one sub-folder each)."""


@dataclass(frozen=True)
class _Settings:
    """What every story's dashboard on one server shares."""

    engine: object
    access: object
    max_upload_bytes: int
    frame_ancestors: str
    parse_limits: object
    newsroom: object


def _story_app(corpus, settings: _Settings, *, prefix: str, title: str, story: str):
    """The dashboard of one story (`corpus`), served at `prefix` ('/' or '/s/<story>/'), a
    Dash app on a Flask server of its own with the server's access checks and sessions.
    `story`: its name in embed URLs ('' for the server's own)."""
    from dash import Dash

    from timeline.frame import empty_frame
    from timeline.webapp import callbacks, embed, layout, library
    from timeline.webapp.corpus import Snapshot

    guard, max_upload_bytes = settings.access, settings.max_upload_bytes
    app = Dash(__name__, title=title, serve_locally=True, assets_folder=str(ASSETS), update_title=None,
               compress=True,  # flask-compress: br, gzip, zstd, with Vary
               requests_pathname_prefix=prefix, routes_pathname_prefix="/")
    # The small chart library, loaded before Dash's renderer from the server's root (one
    # copy in the browser's cache for every story): with window.Plotly defined, dcc.Graph
    # never fetches Dash's own (full) copy of plotly.js.
    app.config.external_scripts.append({"src": library.library_url("/")})
    if prefix == "/":
        library.register(app.server)
    _sessions(app.server, settings.engine, secure=guard.policy.secure_cookies)
    guard.install(app.server)
    embed.forbid_framing(app.server, settings.frame_ancestors)
    # Room for a drop of files at the limit, base64-encoded (4/3) with the JSON around it.
    app.server.config["MAX_CONTENT_LENGTH"] = int(max_upload_bytes * 4 / 3 * 2) + 1_000_000
    overrides_name = corpus.overrides_path.name

    def page():
        return layout.build_layout(corpus.snapshot(), overrides_name=overrides_name,
                                   max_upload_bytes=max_upload_bytes, who=layout.Who.of(guard),
                                   versions=corpus.versions.list(), overview=corpus.archive)

    # Dash checks a layout function's components once, when it is set: it checks these
    # instead, the same page of an empty story, so that building the app parses nothing.
    app.validation_layout = layout.build_layout(Snapshot(empty_frame(), "0"), overrides_name=overrides_name,
                                                max_upload_bytes=max_upload_bytes, who=layout.Who(),
                                                overview=corpus.archive)
    app.layout = page
    callbacks.register(app, corpus, max_upload_bytes=max_upload_bytes, access=guard, story=story,
                       newsroom=settings.newsroom)
    app.corpus = corpus  # for tests and embedders
    app.access = guard
    return app


def _started_story(name: str, folder: Path, settings: _Settings):
    """The dashboard of the started story `name`, whose articles are in `folder` (its
    uploads in `folder`/uploads/, its corrections and versions in the database)."""
    from timeline import store
    from timeline.webapp.corpus import Corpus

    corpus = Corpus([folder], history=store.History(settings.engine, name),
                    versions=store.Versions(settings.engine, name), articles=store.Articles(settings.engine, name),
                    max_bytes=settings.max_upload_bytes,
                    limits=settings.parse_limits)
    return _story_app(corpus, settings, prefix=f"/s/{name}/", title=f"{name} · timeline", story=name)


def _corpus(paths, *, overrides_path, database_url, store=None, **options):
    """(the `corpus.Corpus` of `paths`, or the `archive.StoreCorpus` of `store`, with its
    history and versions, the database engine)."""
    from timeline import store as db
    from timeline.webapp.corpus import OVERRIDES_NAME, Corpus, corpus_dir

    paths = [paths] if isinstance(paths, (str, os.PathLike)) else list(paths)
    overrides_path = Path(overrides_path) if overrides_path else corpus_dir(paths) / OVERRIDES_NAME
    engine = db.open_database(database_url or db.database_url(overrides_path.parent))
    story = story_name(paths, overrides_path)
    shared = dict(overrides_path=overrides_path, history=db.History(engine, story), versions=db.Versions(engine, story),
                articles=db.Articles(engine, story))
    if store is not None:
        from timeline.webapp.archive import StoreCorpus

        options.pop("frame", None)
        return StoreCorpus(store, **shared, **options), engine
    return Corpus(paths, **shared, **options), engine


def story_name(paths: list, overrides_path: Path) -> str:
    """The story's name: its articles' folder's (`seeds`), else the overrides file's folder's."""
    from timeline.webapp.corpus import corpus_dir

    home = corpus_dir(paths) if paths else overrides_path.parent
    return home.resolve().name or "story"


def _access(engine, *, public_url: str, bind_host, open_: bool, allowed_hosts, oidc, public_story: bool):
    """Who may do what on the server (`access.py`): the mode, the checks every request
    passes, sign-in (passwords, and `oidc` when given). Returns the `access.Access`, which
    each story's dashboard installs."""
    from timeline import store
    from timeline.webapp import access

    mode, reason = access.decide_mode(n_users=store.count_users(engine), bind_host=bind_host, open_=open_,
                                      public_url=public_url)
    return access.Access(engine, access.Policy(
        mode, reason, access.allowed_hosts(public_url, bind_host, allowed_hosts),
        secure_cookies=public_url.startswith("https:"), public_origin=access.origin_of(public_url),
        public_story=public_story),
        rate_limit_storage=os.environ.get(access.RATE_LIMIT_STORAGE_ENV) or "memory://",
        limits=access.rate_limits(os.environ.get(access.RATE_LIMITS_ENV, "")),
        oidc_name="Sign in with your newsroom account" if oidc is not None else "")


def _sessions(server, engine, *, secure: bool) -> None:
    """Signed session cookies: the key from $TIMELINE_SECRET_KEY, else made once and kept in
    the database (every worker and restart shares it); HttpOnly, SameSite=Lax, Secure when
    readers come over HTTPS."""
    import datetime as dt

    from timeline.store.users import secret_key

    server.config.update(
        SECRET_KEY=os.environ.get("TIMELINE_SECRET_KEY") or secret_key(engine),
        SESSION_COOKIE_NAME="timeline_session", SESSION_COOKIE_HTTPONLY=True, SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=secure, PERMANENT_SESSION_LIFETIME=dt.timedelta(hours=12),
    )


def _warm_up(corpus) -> None:
    """Build and serialise each figure once on a sample, so that the first reader of each
    worker does not wait for plotly's lazy imports (about 0.7 s)."""
    import plotly.io as pio

    from timeline import figures

    sample = corpus.snapshot().frame.head(200)
    pio.to_json(figures.timeline_figure(sample))
    pio.to_json(figures.map_figure(sample))
