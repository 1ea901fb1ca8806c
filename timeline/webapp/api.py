"""The JSON API, for scripts and other newsroom systems (HTTP Basic or the session cookie):

- `GET /api/stories`: the stories this server serves (name, events, articles, version);
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


def register(server, corpus, access, *, public_url: str) -> None:
    """Attach the API's routes to the Flask `server`, for the story of `corpus`
    (`public_url`: where readers reach the server, for the embeds' URLs)."""
    api = _Api(corpus, access, public_url)
    server.add_url_rule(API, "api_stories", api.stories)
    server.add_url_rule(f"{API}/<name>/versions", "api_versions", api.for_story(api.versions),
                        methods=["GET", "POST"])
    server.add_url_rule(f"{API}/<name>/events", "api_events", api.for_story(api.events))
    server.add_url_rule(f"{API}/<name>/corrections", "api_corrections", api.for_story(api.corrections),
                        methods=["GET", "POST"])
    server.add_url_rule(f"{API}/<name>/corrections/<int(max=2147483647):correction_id>/revert", "api_revert",
                        api.for_story(api.revert), methods=["POST"])


class _Api:
    """The routes' handlers, for one story."""

    def __init__(self, corpus, access, public_url: str):
        self.corpus, self.access, self.public_url = corpus, access, public_url
        self.story = corpus.history.story

    def for_story(self, handler):
        """`handler` behind a check that the URL's story is this one (404 otherwise)."""
        def route(name: str, **kw):
            return handler(**kw) if name == self.story else _error(404, f"no story {name[:200]!r}")
        return route

    def stories(self):
        snap = self.corpus.snapshot()
        return jsonify([{"name": self.story, "events": len(snap.frame), "articles": snap.n_articles,
                         "version": snap.version, "events_url": f"{API}/{self.story}/events"}])

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
        snap = self.corpus.snapshot()
        if event_id not in snap.by_id.index:
            return _error(404, f"no event {event_id[:200]!r} in story {self.story!r}")
        field = str(body["field"]).strip().casefold()
        old = _shown_value(snap.frame.iloc[int(snap.by_id[event_id])], field)
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
        pinned = embed_url(self.public_url, EmbedParams(version=v.number))
        return jsonify({**v.as_dict(), "embed_url": pinned}), 201


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
