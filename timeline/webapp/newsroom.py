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
of stories in the database.
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

    def __init__(self, own_name: str, *, engine, stories_dir: Path, build: Callable):
        self.own = None
        self.own_name = own_name
        self.engine = engine
        self.stories_dir = Path(stories_dir)
        self._build = build
        self._apps: OrderedDict = OrderedDict()
        self._lock = threading.Lock()

    def names(self) -> list[str]:
        """Every story this server serves: its own first, then the started ones by name."""
        return [self.own_name] + [s.name for s in table.list_stories(self.engine) if s.name != self.own_name]

    def exists(self, name: str) -> bool:
        """Whether the story `name` is this server's (its own, or a started one)."""
        return name == self.own_name or name in self._apps or table.get_story(self.engine, name) is not None

    def app(self, name: str):
        """The Dash app of the story `name`, or None when there is no such story."""
        if name == self.own_name:
            return self.own
        with self._lock:
            app = self._apps.get(name)
            if app is not None:
                self._apps.move_to_end(name)
                return app
        if table.get_story(self.engine, name) is None:
            return None
        with self._lock:  # one build at a time: a second request for it waits and shares it
            app = self._apps.get(name)
            if app is None:
                app = self._build(name, self.folder(name))
                self._apps[name] = app
                while len(self._apps) > MAX_LOADED:
                    self._apps.popitem(last=False)
            return app

    def corpus(self, name: str):
        """The `corpus.Corpus` of the story `name` ('' for the server's own), or None."""
        app = self.app(name or self.own_name)
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
        `/s/<name>/`; any other path, and `/s/<unknown>/`, go to `wsgi_app`."""
        def mounted(environ, start_response):
            path = environ.get("PATH_INFO", "")
            if path.startswith(STORY_PREFIX):
                name, slash, rest = path[len(STORY_PREFIX):].partition("/")
                app = self.app(name) if slash and name != self.own_name else None
                if app is not None:
                    environ = dict(environ, SCRIPT_NAME=environ.get("SCRIPT_NAME", "") + STORY_PREFIX + name,
                                   PATH_INFO="/" + rest)
                    return app.server(environ, start_response)
            return wsgi_app(environ, start_response)
        return mounted


def register(server, newsroom: Newsroom) -> None:
    """`/s/<name>` without its slash, and the server's own story under `/s/`, redirect to
    the story's dashboard; an unknown story is a 404."""
    from flask import abort, redirect, request

    def story_page(name: str, rest: str = ""):
        if name == newsroom.own_name or newsroom.app(name) is not None:
            query = request.query_string.decode("latin-1")
            return redirect(newsroom.url(name) + (rest if name == newsroom.own_name else "")
                            + (f"?{query}" if query else ""), code=308)
        abort(404, f"no story {name[:100]!r}")

    server.add_url_rule(STORY_PREFIX + "<name>", "timeline_story", story_page)
    server.add_url_rule(STORY_PREFIX + "<name>/<path:rest>", "timeline_story_path", story_page)
    server.add_url_rule(STORY_PREFIX + "<name>/", "timeline_story_root", story_page)
