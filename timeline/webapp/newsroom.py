"""Several stories on one server, each at its own address.

The server's own story (its corpus folder, named after it: `seeds` for `make run`) is the
dashboard at `/`. Every story an editor starts (`timeline.store.stories`) is a dashboard of
its own at `/s/<name>/`, its articles in `<stories folder>/<name>/`, its corrections and
published versions in the database under its name; `/embed?story=<name>`, `/oembed` and
`/api/stories/<name>/...` serve it too.

Each story's dashboard is a Dash app of its own, built by the worker that first needs it
(`Newsroom.app`) and mounted under `/s/<name>/` (`dispatch`): the same access checks,
session cookie and database as the server's own. A worker keeps at most MAX_LOADED stories
built at once and builds again the ones it let go, so memory does not grow with the number
of stories in the database. A build costs a worker a fraction of a second (more for a
story of many articles, parsed on its first page), so no request may cause one before the
server's checks: a build needs a host the server answers to and a reader who may read the
story (`may_build`), and each client builds at most RATE_LIMITS['story-build'] a minute.
"""
from __future__ import annotations

import threading
from collections import OrderedDict
from pathlib import Path
from typing import Callable

from timeline.errors import StoreError
from timeline.store import stories as table

STORY_PREFIX = "/s/"
MAX_LOADED = 16
"""Stories besides the server's own that one worker keeps built (least recently used go)."""


class Newsroom:
    """The stories of one server. `own_name`: the server's own story's (whose Dash app is
    `own`, set once it is built); `stories_dir`: the folder holding the started stories'
    folders; `build(name, folder)`: the Dash app of a started story."""

    def __init__(self, own_name: str, *, engine, stories_dir: Path, build: Callable, access=None):
        self.own = None
        self.own_name = own_name
        self.engine = engine
        self.stories_dir = Path(stories_dir)
        self.access = access  # `access.Access`: who may make a worker build a story
        self._build = build
        self._apps: OrderedDict = OrderedDict()
        self._lock = threading.Lock()  # the table of built stories
        self._building: dict[str, threading.Lock] = {}  # one lock a story being built

    def names(self) -> list[str]:
        """Every story this server serves: its own first, then the started ones by name."""
        return [self.own_name] + [s.name for s in table.list_stories(self.engine) if s.name != self.own_name]

    def exists(self, name: str) -> bool:
        """Whether the story `name` is this server's (its own, or a started one)."""
        return name == self.own_name or name in self._apps or table.get_story(self.engine, name) is not None

    def built(self, name: str):
        """The Dash app of the story `name` if this worker has it built, else None."""
        if name == self.own_name:
            return self.own
        with self._lock:
            app = self._apps.get(name)
            if app is not None:
                self._apps.move_to_end(name)
            return app

    def app(self, name: str):
        """The Dash app of the story `name` (built now if need be), or None when there is no
        such story. A second request for a story being built waits for it and shares it;
        other stories are served meanwhile."""
        app = self.built(name)
        if app is not None or table.get_story(self.engine, name) is None:
            return app
        with self._lock:
            building = self._building.setdefault(name, threading.Lock())
        with building:
            app = self.built(name)
            if app is None:
                try:
                    app = self._build(name, self.folder(name))
                except BaseException:
                    with self._lock:
                        self._building.pop(name, None)
                    raise
                with self._lock:  # built and no longer being built, in one step
                    self._apps[name] = app
                    self._building.pop(name, None)
                    while len(self._apps) > MAX_LOADED:
                        self._apps.popitem(last=False)
            return app

    def may_build(self, *, public: bool = False) -> bool:
        """Whether the current request (a Flask request context) may make this worker build a
        story: a host the server answers to, a reader who may read (unless it asks for what
        is `public` to anyone: an embed), within the client's 'story-build' rate limit."""
        guard = self.access
        return guard is None or (guard.host_ok() and (public or guard.may_read())
                                 and guard.within_limit("story-build"))

    def corpus(self, name: str, *, public: bool = False):
        """The `corpus.Corpus` of the story `name` ('' for the server's own), or None when
        there is no such story; `public` for an embed (see `may_build`). Raises TooManyBuilds
        when this worker may not build it for the current request now."""
        name = name or self.own_name
        app = self.built(name)
        if app is None and self.exists(name):
            if not self.may_build(public=public):
                raise TooManyBuilds(name)
            app = self.app(name)
        return None if app is None else app.corpus

    def folder(self, name: str) -> Path:
        return self.stories_dir / name

    def start(self, name: str, *, who: str) -> table.Story:
        """Start the story `name` (its folder made, its row added) for `who`. Raises
        InputError for a bad name, StoreError when the name is taken (the server's own
        story's included) or the folder cannot be made."""
        name = table.check_name(name)
        if name == self.own_name:
            raise StoreError(f"there is already a story called {name!r}")
        try:
            self.folder(name).mkdir(parents=True, exist_ok=True)
        except OSError as e:
            raise StoreError(f"cannot make the folder of story {name!r}: {e.strerror or e}") from None
        return table.add_story(self.engine, name, who=who)

    def added(self, name: str, files, *, who: str) -> None:
        """Record the article `files` ((name, bytes) each) as added to story `name` by `who`."""
        from timeline.store import Articles

        Articles(self.engine, name).record(files, who=who)

    def url(self, name: str) -> str:
        """The story's dashboard, as a path on this server."""
        return "/" if name in ("", self.own_name) else f"{STORY_PREFIX}{name}/"

    def dispatch(self, wsgi_app):
        """`wsgi_app` (the server's own) with each started story's dashboard mounted at
        `/s/<name>/`; any other path, `/s/<unknown>/`, and a story this worker has not built
        for a request that may not build it (`may_build`: the server's own checks then
        answer), go to `wsgi_app`."""
        def mounted(environ, start_response):
            path = environ.get("PATH_INFO", "")
            if path.startswith(STORY_PREFIX):
                name, slash, rest = path[len(STORY_PREFIX):].partition("/")
                app = self.built(name) if slash and name != self.own_name else None
                if (app is None and slash and name != self.own_name and self.exists(name)
                        and self._may_build_for(environ)):  # the rate limit counts only real builds
                    app = self.app(name)
                if app is not None:
                    environ = dict(environ, SCRIPT_NAME=environ.get("SCRIPT_NAME", "") + STORY_PREFIX + name,
                                   PATH_INFO="/" + rest)
                    return app.server(environ, start_response)
            return wsgi_app(environ, start_response)
        return mounted

    def _may_build_for(self, environ) -> bool:
        if self.access is None or self.own is None:
            return True
        with self.own.server.request_context(environ):  # reads the headers and the cookie, not the body
            return self.may_build()


class TooManyBuilds(Exception):
    """A request would make a worker build a story it may not build now (`may_build`)."""


def register(server, newsroom: Newsroom) -> None:
    """`/s/<name>` without its slash redirects to the story's dashboard, and the server's
    own story under `/s/` to `/`; a story this worker may not build for the request is a
    429, an unknown story a 404."""
    from flask import abort, redirect, request

    from timeline.webapp.access import refuse

    def story_page(name: str, rest: str | None = None):
        if name == newsroom.own_name:
            return redirect("/", code=308)  # never to `rest`: '/s/seeds/%09/evil.example' is '//evil.example'
        if not newsroom.exists(name):
            abort(404, f"no story {name[:100]!r}")
        if rest is None and not request.path.endswith("/"):
            query = request.query_string.decode("latin-1")
            return redirect(newsroom.url(name) + (f"?{query}" if query else ""), code=308)
        # The dispatcher did not mount it: this worker may not build it for this client now.
        return refuse(429, "too many stories opened at once; try again in a minute", retry_after=60)

    server.add_url_rule(STORY_PREFIX + "<name>", "timeline_story", story_page)
    server.add_url_rule(STORY_PREFIX + "<name>/<path:rest>", "timeline_story_path", story_page)
    server.add_url_rule(STORY_PREFIX + "<name>/", "timeline_story_root", story_page)
