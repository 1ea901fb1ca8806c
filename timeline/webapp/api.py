"""The JSON API, for scripts and other newsroom systems (HTTP Basic or the session cookie):

- `GET /api/stories`: the stories this server serves (name, who started it and when, its
  dashboard's, events' and embed's URLs), the server's own first;
- `POST /api/stories` with `{"name"}`: start a story (editors); 201 with its entry;
- `POST /api/stories/<story>/articles` with `{"filename", "text"}`: add an article file
  (.txt, .md, .html, .json), checked and parsed as a dashboard upload is (editors); 201
  with `{"saved", "messages", "errors"}`;
- `GET /api/stories/<story>/articles`: the files added to the story (by upload or the API),
  newest first, with who added each, when, its size and SHA-256 (editors);
- `GET /api/stories/<story>/events[?category=..&country=..&actor=..&from=..&to=..&q=..]`:
  the story's events (the frame's rows, the columns of the README's schema), filtered as
  /embed and the dashboard's URL filter them; public;
- `GET /api/stories/<story>/corrections[?event=ID&limit=N]`: the history, newest first
  (editors);
- `POST /api/stories/<story>/corrections` with `{"event_id", "field", "value",
  "reason"?}`: a correction (editors); 201 with the stored row;
- `POST /api/stories/<story>/corrections/<id>/revert` with `{"reason"?}`: set that field
  back to what it was before correction `id` (editors); 201 with the new row;
- `GET /api/stories/<story>/versions`: the published versions, newest first; public;
- `POST /api/stories/<story>/versions` with `{"note"?}`: publish the story as it is now as
  the next version (editors); 201 with the version and its pinned embed URL. The events
  of a version: `GET /api/stories/<story>/events?version=N`.

A bad request is a 4xx with `{"error": "one line saying what was wrong"}`.
"""
from __future__ import annotations

import hashlib

from flask import Response, jsonify, request

from timeline import frame as fr
from timeline.errors import TimelineError
from timeline.schema import NAMES
from timeline.webapp.embed import EmbedParams, embed_url, filtered, params_from_search

API = "/api/stories"
MAX_EVENTS = 100_000
"""The most events one answer holds (`?limit=` asks for fewer)."""

_FIELDS = frozenset({"event_id", "field", "value", "reason"})


def register(server, newsroom, access, *, public_url: str) -> None:
    """Attach the API's routes to the Flask `server`, for the stories of `newsroom`
    (`newsroom.Newsroom`; `public_url`: where readers reach the server, for the embeds' URLs)."""
    desk = _Desk(newsroom, access, public_url)
    server.add_url_rule(API, "api_stories", desk.stories, methods=["GET", "POST"])
    for rule, endpoint, handler, methods in (
            ("versions", "api_versions", _Api.versions, ["GET", "POST"]),
            ("events", "api_events", _Api.events, ["GET"]),
            ("articles", "api_articles", _Api.articles, ["GET", "POST"]),
            ("corrections", "api_corrections", _Api.corrections, ["GET", "POST"]),
            ("corrections/<int(max=2147483647):correction_id>/revert", "api_revert", _Api.revert, ["POST"])):
        server.add_url_rule(f"{API}/<name>/{rule}", endpoint, desk.for_story(handler), methods=methods)


class _Desk:
    """The server's stories: the listing, starting one, and each story's routes."""

    def __init__(self, newsroom, access, public_url: str):
        self.newsroom, self.access, self.public_url = newsroom, access, public_url

    def for_story(self, handler):
        """`handler` (an `_Api` method) run for the URL's story (404 when there is none)."""
        from timeline.webapp.newsroom import TooManyBuilds

        def route(name: str, **kw):
            try:
                corpus = self.newsroom.corpus(name)
            except TooManyBuilds:
                return _error(429, "too many stories opened at once; try again in a minute")
            if corpus is None:
                return _error(404, f"no story {name[:200]!r}")
            return handler(_Api(corpus, self.access, self.public_url, self.newsroom.url(name)), **kw)
        return route

    def stories(self):
        if request.method == "POST":
            return self.start()
        from timeline.store import list_stories

        started = {s.name: s for s in list_stories(self.newsroom.engine)}
        return jsonify([self.entry(name, started.get(name)) for name in self.newsroom.names()])

    def entry(self, name: str, story) -> dict:
        own = name == self.newsroom.own_name
        staff = self.access.may_edit()  # who started a story is the desk's business, not readers'
        return {"name": name, "who": story.who if story and staff else None,
                "at": story.at if story and staff else None,
                "url": self.newsroom.url(name), "events_url": f"{API}/{name}/events",
                "embed_url": embed_url(self.public_url, EmbedParams.of(story="" if own else name))}

    def start(self):
        body = request.get_json(silent=True)
        if not isinstance(body, dict) or body.keys() != {"name"}:
            return _error(400, 'the body must be a JSON object {"name"}')
        try:
            story = self.newsroom.start(body["name"], who=self.access.who())
        except TimelineError as e:
            return _error(409 if "already" in str(e) else 400, " ".join(str(e).split()))
        return jsonify(self.entry(story.name, story)), 201


class _Api:
    """The routes' handlers, for one story."""

    def __init__(self, corpus, access, public_url: str, url: str = "/"):
        self.corpus, self.access, self.public_url, self.url = corpus, access, public_url, url
        self.story = corpus.history.story

    def events(self):
        snap = self.corpus.snapshot()
        query = request.query_string.decode("latin-1")
        params = params_from_search("?" + query, snap.options)
        # The answer changes with the story's state and the query alone: a reader's cache
        # revalidates it for nothing (304) until a correction or an upload lands.
        etag = hashlib.sha1(f"{snap.version}?{query}".encode()).hexdigest()
        if request.if_none_match.contains(etag):
            response = Response(status=304)
        else:
            _, frame = filtered(self.corpus, params)
            if frame is None:
                return _error(404, f"no published version {params.version} of story {self.story!r}")
            shown = frame.iloc[:_int(request.args.get("limit"), MAX_EVENTS)]
            rows = [{n: fr.json_cell(n, v) for n, v in zip(NAMES, row)}
                    for row in zip(*(shown[n].tolist() for n in NAMES))]
            response = jsonify({"story": self.story, "version": snap.version, "total": len(frame), "events": rows})
        response.set_etag(etag)
        response.headers["Cache-Control"] = "no-cache"
        return response

    def corrections(self):
        if request.method == "GET":
            refused = self.access.editor_only(doing="read the history", csrf=False)  # reading changes nothing
            if refused:
                return refused
            log = self.corpus.history.log(event_id=request.args.get("event"),
                                          limit=_int(request.args.get("limit"), 1_000))
            return jsonify([c.as_dict() for c in log])
        body = request.get_json(silent=True)
        if not isinstance(body, dict) or not {"event_id", "field", "value"} <= body.keys() or body.keys() - _FIELDS:
            return _error(400, 'the body must be a JSON object {"event_id", "field", "value", "reason"?}')
        if not all(isinstance(body.get(k, ""), (str, int, float, bool)) for k in _FIELDS):
            return _error(400, "event_id, field, value and reason must be text, numbers or true/false")
        event_id = str(body["event_id"])
        row = self.corpus.event(event_id)
        if row is None:
            return _error(404, f"no event {event_id[:200]!r} in story {self.story!r}")
        field = str(body["field"]).strip().casefold()
        old = _shown_value(row, field)
        value = body["value"].casefold() if field == "category" and isinstance(body["value"], str) else body["value"]
        if field == "category" and value not in _category_names():
            return _error(400, f"category {value!r} is not one of {', '.join(_category_names())}")
        try:
            c = self.corpus.history.record(event_id, field, value, who=self.access.who(), old_value=old,
                                           reason=str(body.get("reason") or ""))
        except TimelineError as e:
            return _error(400, " ".join(str(e).split()))
        return jsonify(c.as_dict()), 201

    def revert(self, correction_id: int):
        body = request.get_json(silent=True) or {}
        reason = body.get("reason", "") if isinstance(body, dict) else ""
        if not isinstance(reason, str):
            return _error(400, "the reason must be text")
        try:
            c = self.corpus.history.revert(correction_id, who=self.access.who(), reason=reason)
        except TimelineError as e:
            return _error(404 if "no correction" in str(e) else 400, " ".join(str(e).split()))
        return jsonify(c.as_dict()), 201

    def versions(self):
        if request.method == "GET":
            return jsonify([v.as_dict() for v in self.corpus.versions.list()])
        body = request.get_json(silent=True)
        body = {} if body is None else body
        if not isinstance(body, dict) or body.keys() - {"note"} or not isinstance(body.get("note", ""), str):
            return _error(400, 'the body must be a JSON object {"note"?: text}')
        try:
            v = self.corpus.versions.publish(self.corpus.snapshot().frame, who=self.access.who(),
                                             note=body.get("note", ""))
        except TimelineError as e:
            return _error(400, " ".join(str(e).split()))
        pinned = embed_url(self.public_url, EmbedParams.of(version=v.number, story=self._embed_story()))
        return jsonify({**v.as_dict(), "embed_url": pinned}), 201


    def articles(self):
        from timeline.webapp import uploads

        if request.method == "GET":
            refused = self.access.editor_only(doing="read who added the articles", csrf=False)
            if refused:
                return refused
            added = self.corpus.articles.list(limit=_int(request.args.get("limit"), 1_000))
            return jsonify([a.as_dict() for a in added])
        body = request.get_json(silent=True)
        if (not isinstance(body, dict) or body.keys() != {"filename", "text"}
                or not all(isinstance(body[k], str) for k in body)):
            return _error(400, 'the body must be a JSON object {"filename", "text"} of text')
        if not self.access.within_limit("upload", self.access.who()):
            return _error(429, f"too many uploads: at most {self.access.limits['upload']}")
        data = body["text"].encode("utf-8", "surrogatepass")
        result = uploads.save_uploads([data], [body["filename"]], self.corpus.upload_dir,
                                      max_bytes=self.corpus.max_bytes, limits=self.corpus.limits)
        if self.corpus.articles is not None:
            self.corpus.articles.record_paths(result.saved, who=self.access.who())
        answer = {"saved": [p.name for p in result.saved], "messages": result.messages, "errors": result.errors}
        return jsonify(answer), 201 if result.saved else (200 if result.messages else 400)

    def _embed_story(self) -> str:
        return "" if self.url == "/" else self.story


def _shown_value(row, field: str) -> str:
    """What the field shows now, for the history's old value."""
    if field == "date":
        return str(row["timex"])
    if field == "place":
        return row["places"][0] if len(row["places"]) else ""
    if field in ("lat", "lon"):
        return "" if row[field] != row[field] else repr(float(row[field]))
    if field == "drop":
        return "false"
    return str(row.get(field, ""))


def _category_names() -> tuple[str, ...]:
    from timeline import categories

    return tuple(categories.NAMES)


def _int(text: str | None, most: int) -> int:
    try:
        return max(0, min(int(text), most)) if text is not None else most
    except ValueError:
        return most


def _error(status: int, message: str):
    return jsonify({"error": message}), status
