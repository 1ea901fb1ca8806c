"""Who may do what on the dashboard's server: sign-in, roles, and the checks every request
passes before anything is changed.

Three modes (`decide_mode`):

- `open`: anyone who reaches the server may edit; for one person on their own machine
  (`make run` listens on 127.0.0.1) or on purpose (`--open`, `TIMELINE_OPEN=1`);
- `read-only`: nobody may change anything; what a server listening on another address
  with no users starts as, saying why;
- `sign-in`: there are users (`timeline users add`); anyone may read, editors and admins
  sign in (`/login`, or HTTP Basic for the API) to correct events and add articles.

Every request passes `Access.guard` first:

- its `Host` must be one the server answers to (`allowed_hosts`: the public URL's, the
  loopback names, `--allowed-hosts`), so that DNS rebinding reaches nothing;
- a request that can change something (any method but GET, HEAD and OPTIONS) must come
  from this origin (`Origin`), and, in `sign-in` mode, carry the session's CSRF token
  (the `X-CSRFToken` header Dash's renderer sends from the `_csrf_token` cookie, or the
  form's `csrf_token` field) unless it signs in with HTTP Basic;
- one that edits (an editing Dash callback, an upload, the API's POSTs, any other POST)
  needs an editor; reading callbacks (filters, selection, the figures) need no one.

Every response says `X-Content-Type-Options: nosniff`, a `Referrer-Policy`, and a CSP
whose `script-src` is this server and the page's own inline scripts by hash, with
`object-src 'none'` and `base-uri 'self'` (`security_headers`). The `Server` header names
no version: `request_handler` renames werkzeug's, and gunicorn's says only "gunicorn".
"""
from __future__ import annotations

import datetime as dt
import hmac
import html
import ipaddress
import json
import secrets
import urllib.parse
from dataclasses import dataclass

from flask import Response, g, redirect, request, session

from timeline.store import users as accounts
from timeline.store.users import User

MODES = ("open", "read-only", "sign-in")
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

PUBLIC_PATHS = ("/embed", "/oembed", "/_timeline/", "/assets/", "/login", "/logout", "/_dash-component-suites/",
                "/favicon.ico")
"""What anyone may reach in sign-in mode (embeds, oEmbed, the scripts and styles they and
the sign-in page load); the dashboard and the API need a signed-in user unless the story
is public (`--public`)."""
LOGIN_PATH, LOGOUT_PATH = "/login", "/logout"
CSRF_COOKIE, CSRF_HEADER, CSRF_FIELD = "_csrf_token", "X-CSRFToken", "csrf_token"

EDITING_OUTPUTS = frozenset({"edit-status", "upload-status", "revert-status", "publish-status", "new-story-status"})
"""The components whose callbacks change the story: a table edit, an upload, a revert, a
published version, a new story."""

SIGNIN_FAILURES, SIGNIN_WINDOW = 10, dt.timedelta(minutes=15)
"""At most this many failed sign-ins from one address in the window; then 429."""

RATE_LIMITS = {"api-read": "300/minute", "api-write": "60/minute", "upload": "30/10minutes",
               "story-build": "30/minute"}
"""Requests per client (address; user for uploads) in a moving window: the API's GETs, its
POSTs, upload callbacks, and the requests that make a worker build a story's dashboard
(`newsroom.py`: a story no request has opened in that worker yet, or one it let go). Counted by each worker (or in the shared storage
TIMELINE_RATE_LIMIT_STORAGE names, e.g. redis://host:6379, for several servers)."""

RATE_LIMIT_STORAGE_ENV = "TIMELINE_RATE_LIMIT_STORAGE"
RATE_LIMITS_ENV = "TIMELINE_RATE_LIMITS"
"""Other limits: 'api-write=600/minute,upload=100/hour' (the `limits` library's notation)."""


def rate_limits(text: str = "") -> dict[str, str]:
    """RATE_LIMITS with the 'name=limit,...' of `text` in place of the defaults. Raises
    InputError naming TIMELINE_RATE_LIMITS for an unknown name or a limit it cannot read."""
    from limits import parse

    from timeline.errors import InputError

    out = dict(RATE_LIMITS)
    for part in filter(None, (p.strip() for p in text.split(","))):
        name, _, value = part.partition("=")
        try:
            parse(value.strip())
        except ValueError:
            raise InputError(f"{RATE_LIMITS_ENV}: {value.strip()!r} is not a rate limit such as 60/minute") from None
        if name.strip() not in RATE_LIMITS:
            raise InputError(f"{RATE_LIMITS_ENV}: {name.strip()!r} is not one of {', '.join(RATE_LIMITS)}")
        out[name.strip()] = value.strip()
    return out

READER_BODY_BYTES = 2_000_000
"""The largest Dash callback body from anyone who may not edit (a box selection of
thousands of points fits); an editor's may be as large as an upload."""

LOCAL_USER = User("local", "admin")
"""Who everyone is in `open` mode (and who the history names)."""

_LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "::1"})


@dataclass(frozen=True)
class Policy:
    """How the server is reached and who may change it.

    `mode`: one of MODES; `reason`: why, in a line for the console and the page; `hosts`:
    the host names requests may name (None: any); `secure_cookies`: the session cookie only
    over HTTPS (the public URL is https)."""

    mode: str
    reason: str
    hosts: frozenset[str] | None = None
    secure_cookies: bool = False
    public_origin: str = ""  # 'https://news.example', where readers reach the server
    public_story: bool = False  # in sign-in mode, whether anyone may read the dashboard and the API


def is_loopback(host: str | None) -> bool:
    """Whether `host` (an address or name a server listens on) is this machine only."""
    if not host:
        return False
    host = host.strip("[]")
    if host in _LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def decide_mode(*, n_users: int, bind_host: str | None, open_: bool, public_url: str | None = None) -> tuple[str, str]:
    """(mode, why) for a server with `n_users` users, listening on `bind_host` (None when
    unknown, as under gunicorn), reached at `public_url`, `open_` when --open was given.
    Open without users only when both the address and the public URL are this machine's:
    behind a proxy the server listens on 127.0.0.1 and is reached by everyone."""
    if n_users:
        return "sign-in", f"{n_users} user{'s' if n_users != 1 else ''}: editors sign in to make changes"
    if open_:
        return "open", "open on purpose (--open): anyone who reaches this server may change the story"
    public = urllib.parse.urlsplit(public_url).hostname if public_url else None
    if is_loopback(bind_host) and (public is None or is_loopback(public)):
        return "open", f"open to this machine only ({bind_host})"
    where = (f"reached at {public_url}" if is_loopback(bind_host) else
             f"listening on {bind_host}" if bind_host else "the address it listens on is not known")
    return "read-only", (f"read-only: {where} and no users; add an editor with `timeline users add NAME "
                         "--role editor`, or give --open (TIMELINE_OPEN=1) to let anyone edit")


def origin_of(url: str) -> str:
    """'https://news.example' of 'https://news.example/chronology/' (lower case)."""
    parts = urllib.parse.urlsplit(url or "")
    return f"{parts.scheme}://{parts.netloc}".lower() if parts.scheme and parts.netloc else ""


def allowed_hosts(public_url: str, bind_host: str | None, extra=()) -> frozenset[str] | None:
    """The host names requests may name: the public URL's, the loopback names, the address
    the server listens on and `extra`; None (any) when the public URL's host is a wildcard
    address (0.0.0.0, ::) and nothing else was configured."""
    public = (urllib.parse.urlsplit(public_url).hostname or "").lower()
    extra = {h.strip().lower().strip("[]") for h in extra if h.strip()}
    if public in ("0.0.0.0", "::", "") and not extra:
        return None
    names = set(_LOOPBACK_NAMES) | extra | {public}
    if bind_host and bind_host not in ("0.0.0.0", "::"):
        names.add(bind_host.lower().strip("[]"))
    return frozenset(names - {"", "0.0.0.0", "::"})


def editing_request(path: str, method: str, body: bytes | None) -> bool:
    """Whether a request may change the story: any method but GET/HEAD/OPTIONS, except a
    Dash callback whose outputs are none of EDITING_OUTPUTS (a filter, a figure) or whose
    inputs and states all carry no value (Dash's renderer sends the upload's callback so
    when the page loads: nothing to save)."""
    if method in SAFE_METHODS:
        return False
    if path.endswith("/_dash-update-component"):
        try:
            call = json.loads(body or b"{}")
            output = call.get("output", "")
        except (ValueError, AttributeError, RecursionError):
            return True  # not a callback Dash could run: refuse rather than guess
        if not isinstance(output, str):
            return True
        parts = output[2:-2].split("...") if output.startswith("..") else [output]
        if not any(p.split("@", 1)[0].rsplit(".", 1)[0] in EDITING_OUTPUTS for p in parts):
            return False
        return not _carries_nothing(call)
    return path not in (LOGIN_PATH, LOGOUT_PATH)


def _carries_nothing(call: dict) -> bool:
    """Whether every input and state of a Dash callback request is empty."""
    items = []
    for key in ("inputs", "state"):
        value = call.get(key, [])
        if not isinstance(value, list):
            return False
        items += value
    return all(isinstance(i, dict) and i.get("value") is None for i in items)


class Access:
    """The policy of one server, applied to each request of its Flask `server`
    (`install`). `engine`: the database of users."""

    def __init__(self, engine, policy: Policy, *, rate_limit_storage: str = "memory://", oidc_name: str = "",
                 limits: dict[str, str] | None = None):
        from limits import parse, storage, strategies

        self.engine = engine
        self.policy = policy
        self.oidc_name = oidc_name  # the identity provider's button, when there is one
        self._limiter = strategies.MovingWindowRateLimiter(storage.storage_from_string(rate_limit_storage))
        self.limits = limits or dict(RATE_LIMITS)
        self._limits = {name: parse(value) for name, value in self.limits.items()}

    @property
    def mode(self) -> str:
        return self.policy.mode

    # ------------------------------------------------------------------ who

    def user(self) -> User | None:
        """The user of the current request: everyone in `open` mode, else the session's or
        HTTP Basic's (None for an anonymous reader)."""
        if "timeline_user" not in g:
            g.timeline_user, g.timeline_basic = self._find_user()
        return g.timeline_user

    def _find_user(self) -> tuple[User | None, bool]:
        if self.mode == "open":
            return LOCAL_USER, False
        if self.mode == "read-only":
            return None, False
        auth = request.authorization
        if auth is not None and auth.type == "basic":
            return self.check_password(auth.username or "", auth.password or ""), True
        name = session.get("user")
        user = accounts.get_user(self.engine, name) if isinstance(name, str) else None
        if user is not None and session.get("epoch") != user.epoch:
            return None, False  # the user signed out since this session began
        return user, False

    def check_password(self, name: str, password: str) -> User | None:
        """The user whose password this is, or None; every try counts as failed until it
        succeeds, so that guesses sent at once are all counted, and none is checked once
        the address has spent SIGNIN_FAILURES (`too_many_failures`)."""
        attempt = accounts.note_failed_signin(self.engine, self._address())
        if self.too_many_failures(including_this=True):
            g.timeline_limited = True
            return None
        user = accounts.check_password(self.engine, name, password)
        if user is not None:
            accounts.forget_failed_signin(self.engine, attempt)
        return user

    def within_limit(self, name: str, who: str | None = None) -> bool:
        """Count one request against RATE_LIMITS[`name`] for `who` (default the client's
        address); False once the limit is spent."""
        return self._limiter.hit(self._limits[name], name, who or self._address())

    def may_read(self) -> bool:
        """Whether the current request may read the dashboard and the API: anyone in `open`
        and `read-only` mode and on a public story, else a signed-in user."""
        return self.mode != "sign-in" or self.policy.public_story or self.user() is not None

    def host_ok(self) -> bool:
        """Whether the current request names a host this server answers to."""
        hosts = self.policy.hosts
        host = (request.host or "").rsplit(":", 1)[0] if not (request.host or "").startswith("[") \
            else request.host.split("]")[0] + "]"
        return hosts is None or host.lower().strip("[]") in hosts

    def may_edit(self) -> bool:
        user = self.user()
        return user is not None and user.may("editor")

    def who(self) -> str:
        user = self.user()
        return user.name if user else "anonymous"

    # ------------------------------------------------------------------ checks

    def guard(self):
        """Flask before_request: None to let the request through, else the refusal."""
        if not self.host_ok():
            return refuse(400, f"Host {request.host!r} is not a name this server answers to "
                                "(see --allowed-hosts, TIMELINE_ALLOWED_HOSTS)")
        if request.path.startswith("/api/"):
            name = "api-read" if request.method in SAFE_METHODS else "api-write"
            if not self.within_limit(name):
                return refuse(429, f"too many requests to the API; at most {self.limits[name]}", retry_after=60)
        if not request.path.startswith(PUBLIC_PATHS) and not self.may_read():
            if g.get("timeline_limited"):
                return too_many_signins()
            if request.path == "/" and request.method in SAFE_METHODS:
                target = request.script_root + request.full_path.rstrip("?")  # a story's page is under /s/<name>
                return redirect(f"{LOGIN_PATH}?{urllib.parse.urlencode({'next': target})}", code=303)
            return refuse(401, "sign in to read this story (it is not public)")
        if request.method in SAFE_METHODS:
            return None
        origin = request.headers.get("Origin")
        if origin is not None and origin.rstrip("/").lower() not in self._origins():
            return refuse(403, f"a change from another site ({origin[:100]}) is refused")
        if request.path.startswith("/api/") and request.mimetype != "application/json":
            return refuse(415, "the API takes JSON bodies (Content-Type: application/json)")
        if request.path.endswith("/_dash-update-component") and not self.may_edit():
            # Only an editor's table edits and uploads are large: a reader's callback never is.
            request.max_content_length = READER_BODY_BYTES
        if not editing_request(request.path, request.method, request.get_data(cache=True)):
            return None
        return self.editor_only()

    def _origins(self) -> set[str]:
        """The origins a change may come from: the request's own and the public URL's."""
        own = f"{request.scheme}://{request.host}".lower()
        return {own, self.policy.public_origin} - {""}

    def editor_only(self, *, doing: str = "change the story", csrf: bool = True):
        """None when the current request is an editor's (with the session's CSRF token, if
        `csrf` and signed in by cookie), else the refusal saying who may `doing`."""
        if self.mode == "read-only":
            return refuse(403, self.policy.reason)
        user = self.user()
        if user is None:
            if g.get("timeline_limited"):
                return too_many_signins()
            return refuse(401, f"sign in as an editor to {doing}")
        if not user.may("editor"):
            return refuse(403, f"{user.name} is a {user.role}: only editors {doing}")
        if csrf and self.mode == "sign-in" and not g.get("timeline_basic") and not self.csrf_ok():
            return refuse(403, "the request has no valid CSRF token: reload the page")
        return None

    def csrf_token(self) -> str:
        """The session's CSRF token (made on first use)."""
        token = session.get("csrf")
        if not isinstance(token, str):
            token = session["csrf"] = secrets.token_urlsafe(32)
        return token

    def csrf_ok(self) -> bool:
        sent = request.headers.get(CSRF_HEADER) or request.form.get(CSRF_FIELD) or ""
        token = session.get("csrf")
        return isinstance(token, str) and hmac.compare_digest(sent.encode(), token.encode())

    def _address(self) -> str:
        return request.remote_addr or "unknown"

    def too_many_failures(self, *, including_this: bool = False) -> bool:
        """Whether the client's address has spent its failed sign-ins (SIGNIN_FAILURES in
        SIGNIN_WINDOW), the try being checked counted or not."""
        spent = accounts.failed_signins(self.engine, self._address(), SIGNIN_WINDOW) - including_this
        return spent >= SIGNIN_FAILURES

    # ------------------------------------------------------------------ routes

    def install(self, server) -> None:
        """Attach the checks, the headers, and /login and /logout to the Flask `server`."""
        server.before_request(self.guard)
        server.after_request(self._after)
        server.add_url_rule(LOGIN_PATH, "timeline_login", self._login, methods=["GET", "POST"])
        server.add_url_rule(LOGOUT_PATH, "timeline_logout", self._logout, methods=["POST"])

    def _after(self, response: Response) -> Response:
        security_headers(response)
        if self.mode != "sign-in":
            return response
        if request.method in SAFE_METHODS and response.mimetype == "text/html":
            self.csrf_token()  # a page: the session gets its token
        token = session.get("csrf")
        if isinstance(token, str) and request.cookies.get(CSRF_COOKIE) != token:
            response.set_cookie(CSRF_COOKIE, token, samesite="Strict", secure=self.policy.secure_cookies,
                                httponly=False)  # Dash's renderer reads it and sends it back
        return response

    def _login(self):
        if self.mode != "sign-in":
            return refuse(404, f"nobody signs in here: {self.policy.reason}")
        target = local_path(request.values.get("next", "/"))
        if request.method == "GET":
            return Response(login_page(self.csrf_token(), target, oidc=self.oidc_name), mimetype="text/html")
        if not self.csrf_ok():
            return refuse(403, "the form has no valid CSRF token: reload the page")
        if self.too_many_failures():
            return too_many_signins()
        user = self.check_password(request.form.get("name", ""), request.form.get("password", ""))
        if user is None:
            if g.get("timeline_limited"):
                return too_many_signins()
            return Response(login_page(self.csrf_token(), target, failed=True, oidc=self.oidc_name), status=401,
                            mimetype="text/html")
        self.start_session(user)
        return redirect(target, code=303)

    def start_session(self, user: User) -> None:
        """Sign `user` in: a new session (never one a visitor held before), its epoch and
        a new CSRF token."""
        session.clear()
        session.permanent = True
        session["user"], session["epoch"] = user.name, user.epoch
        self.csrf_token()

    def _logout(self):
        if self.mode == "sign-in" and not self.csrf_ok():
            return refuse(403, "the form has no valid CSRF token: reload the page")
        name = session.get("user")
        if self.mode == "sign-in" and isinstance(name, str):
            accounts.end_sessions(self.engine, name)  # a copy of the cookie is worth nothing now
        session.clear()
        return redirect("/", code=303)


def security_headers(response: Response) -> Response:
    """The headers every response carries (framing is `embed.py`'s): a page's CSP lets it
    run its own inline scripts (by hash) and this server's files, nothing else."""
    from timeline.webapp.embed import content_security_policy

    policy = response.headers.get("Content-Security-Policy", "")
    if "script-src" not in policy:
        # Only Dash's own page runs inline scripts (its renderer's start); /embed sets its
        # policy itself. Any other page may run none, whatever it holds.
        page = (response.get_data(as_text=True) if request.path == "/" and response.mimetype == "text/html"
                and response.status_code == 200 and not response.direct_passthrough else "")
        ours = content_security_policy(page)
        response.headers["Content-Security-Policy"] = f"{ours}; {policy}" if policy else ours
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
    return response


def request_handler():
    """Werkzeug's request handler for `app.run` / `make_server`, naming no version in its
    `Server` header (werkzeug's names itself, its version and Python's)."""
    from werkzeug.serving import WSGIRequestHandler

    class Handler(WSGIRequestHandler):
        def version_string(self) -> str:
            return "timeline"

    return Handler


def local_path(target: str) -> str:
    """`target` if it is a path on this server, else '/': a sign-in never sends the reader
    to another site."""
    if (not isinstance(target, str) or not target.startswith("/") or target.startswith("//") or "\\" in target
            or any(ord(c) < 0x20 or ord(c) == 0x7F for c in target)):  # '/\t/evil.example' becomes '//evil.example'
        return "/"
    return target[:500]


def refuse(status: int, why: str, *, retry_after: int | None = None) -> Response:
    """The refusal of the current request, saying `why`: JSON `{"error": why}` on the API (as
    its own answers are), a line of text elsewhere; an API 401 asks for HTTP Basic."""
    if request.path.startswith("/api/"):
        response = Response(json.dumps({"error": why}) + "\n", status=status, mimetype="application/json")
        if status == 401:
            response.headers["WWW-Authenticate"] = 'Basic realm="timeline", charset="UTF-8"'
    else:
        response = Response(f"timeline: {why}\n", status=status, mimetype="text/plain")
    if retry_after is not None:
        response.headers["Retry-After"] = str(retry_after)
    return response


def too_many_signins() -> Response:
    return refuse(429, "too many failed sign-ins; try again later", retry_after=int(SIGNIN_WINDOW.total_seconds()))


def login_page(token: str, target: str, *, failed: bool = False, oidc: str = "") -> str:
    """The sign-in form (and the identity provider's link, `oidc` its label, if any)."""
    note = '<p class="error" role="alert">Wrong name or password.</p>' if failed else ""
    if oidc:
        query = urllib.parse.urlencode({"next": target})
        note += f'<p><a class="button" href="{LOGIN_PATH}/oidc?{html.escape(query)}">{html.escape(oidc)}</a></p>'
        note += "<p>Or with a password:</p>"
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Sign in · timeline</title><link rel="stylesheet" href="/assets/app.css"></head>
<body><main class="page signin"><h1>Sign in</h1>{note}
<form method="post" action="{LOGIN_PATH}">
<input type="hidden" name="{CSRF_FIELD}" value="{html.escape(token)}">
<input type="hidden" name="next" value="{html.escape(target)}">
<p><label for="name">Name</label><br><input id="name" name="name" autocomplete="username" required></p>
<p><label for="password">Password</label><br>
<input id="password" name="password" type="password" autocomplete="current-password" required></p>
<p><button type="submit" class="button">Sign in</button></p>
</form></main></body></html>
"""
