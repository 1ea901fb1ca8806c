"""Who may change the story, tried with raw HTTP against a running server: anonymous
visitors, readers and editors; sign-in, CSRF tokens, foreign origins and hosts, guessed
passwords; and the modes a server starts in."""
from __future__ import annotations

import base64
import http.client
import json
import re
import shutil
from pathlib import Path

import pytest
from conftest import callback_body, served
from sqlalchemy import delete

from timeline import store
from timeline.store.db import signin_failures
from timeline.errors import InputError
from timeline.webapp import access, create_app

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
PASSWORDS = {"ana": ("editor", "ana's long password"), "rita": ("reader", "rita's long password")}


class Client:
    """Raw HTTP to the server at 127.0.0.1:`port`, keeping its cookies like a browser."""

    def __init__(self, port: int, host: str | None = None):
        self.port, self.host, self.cookies = port, host, {}

    def request(self, method: str, path: str, body=None, headers=None, *, basic=None):
        headers = dict(headers or {})
        if self.host:
            headers["Host"] = self.host
        if isinstance(body, (dict, list)):
            body, headers["Content-Type"] = json.dumps(body).encode(), "application/json"
        elif isinstance(body, str):
            body, headers["Content-Type"] = body.encode(), "application/x-www-form-urlencoded"
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if basic:
            headers["Authorization"] = "Basic " + base64.b64encode(":".join(basic).encode()).decode()
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        conn.request(method, path, body=body, headers=headers)
        r = conn.getresponse()
        r.data = r.read()
        for line in r.headers.get_all("Set-Cookie") or []:
            name, value = line.split(";", 1)[0].split("=", 1)
            self.cookies[name] = value
        conn.close()
        return r

    def sign_in(self, name: str):
        page = self.request("GET", "/login").data.decode()
        token = re.search(r'name="csrf_token" value="([^"]+)"', page)[1]
        form = f"csrf_token={token}&name={name}&password={PASSWORDS[name][1].replace(' ', '+')}&next=/"
        r = self.request("POST", "/login", form.replace("'", "%27"))
        assert r.status == 303, r.data
        return r

    def csrf(self) -> dict:
        self.request("GET", "/")  # the page sets the _csrf_token cookie, as in a browser
        return {"X-CSRFToken": self.cookies[access.CSRF_COOKIE]}

    def callback(self, first_output: str, values: dict, headers=None, **kw):
        deps = json.loads(self.request("GET", "/_dash-dependencies").data)
        return self.request("POST", "/_dash-update-component", callback_body(deps, first_output, values),
                            headers, **kw)


@pytest.fixture(scope="module")
def desk(tmp_path_factory):
    """The seed story, public, on a running server with an editor (ana) and a reader (rita)."""
    corpus = tmp_path_factory.mktemp("desk") / "seeds"
    corpus.mkdir()
    for f in SEEDS.glob("*.txt"):
        shutil.copy(f, corpus / f.name)
    engine = store.open_database(f"sqlite:///{corpus / 'timeline.db'}")
    for name, (role, password) in PASSWORDS.items():
        store.add_user(engine, name, role, password)
    app = create_app([corpus], bind_host="0.0.0.0", public_url="http://127.0.0.1:8050/", public_story=True)
    with served(app.server) as url:
        yield app, int(url.rsplit(":", 1)[1])


@pytest.fixture
def fresh(desk):
    """The desk, its failed sign-ins forgotten."""
    app, port = desk
    with app.access.engine.begin() as c:
        c.execute(delete(signin_failures))
    return app, port


def edit_values(app, title: str) -> tuple[dict, str]:
    row = app.corpus.snapshot().frame.iloc[0]
    from timeline.webapp import views

    [before] = views.table_rows(app.corpus.snapshot().frame, limit=1)
    return ({"event-table.data_timestamp": 1, "event-table.data": [dict(before, title=title)],
             "event-table.data_previous": [before]}, row["event_id"])


def upload_values() -> dict:
    text = base64.b64encode(b"Lithuania closed the border on 28 October 2025.").decode()
    return {"upload-payload.data": {"contents": [f"data:text/plain;base64,{text}"], "filenames": ["new.txt"],
                                    "rejected": []}}


# --------------------------------------------------------------------------- who may edit

def test_with_users_the_server_asks_editors_to_sign_in(desk):
    app, _ = desk
    assert app.access.mode == "sign-in"


def test_anonymous_and_reader_edits_are_refused_and_change_nothing(fresh):
    app, port = fresh
    values, _ = edit_values(app, "Forged by a visitor")
    anonymous = Client(port)
    assert anonymous.callback("edit-status.children", values, anonymous.csrf()).status == 401
    assert anonymous.callback("upload-status.children", upload_values(), anonymous.csrf()).status == 401
    reader = Client(port)
    reader.sign_in("rita")
    assert reader.callback("edit-status.children", values, reader.csrf()).status == 403
    assert reader.callback("upload-status.children", upload_values(), reader.csrf()).status == 403
    assert anonymous.request("POST", "/api/stories/seeds/corrections",
                             {"event_id": "x", "field": "title", "value": "y"}).status == 401
    assert reader.request("POST", "/api/stories/seeds/corrections", {"event_id": "x", "field": "title", "value": "y"},
                          basic=("rita", PASSWORDS["rita"][1])).status == 403
    assert all(c.who == "ana" for c in app.corpus.history.log())
    assert "Forged by a visitor" not in set(app.corpus.snapshot().frame["title"])
    assert not (app.corpus.upload_dir / "new.txt").exists()


def test_reading_callbacks_need_no_one(fresh):
    app, port = fresh
    r = Client(port).callback("event-detail.children", {"selection.data": {"ids": [], "focus": None, "origin": ""}})
    assert r.status == 200


def test_an_editor_edits_with_the_session_csrf_token_and_not_without(fresh):
    app, port = fresh
    editor = Client(port)
    editor.sign_in("ana")
    values, event_id = edit_values(app, "Checked by the desk")
    assert editor.callback("edit-status.children", values).status == 403  # no token
    assert editor.callback("edit-status.children", values, {"X-CSRFToken": "forged"}).status == 403
    r = editor.callback("edit-status.children", values, editor.csrf())
    assert r.status == 200, r.data
    newest = app.corpus.history.log(event_id=event_id)[0]
    assert (newest.field, newest.value, newest.who) == ("title", "Checked by the desk", "ana")


def test_an_editor_corrects_and_reverts_through_the_api_with_basic_auth(fresh):
    app, port = fresh
    api, ana = Client(port), ("ana", PASSWORDS["ana"][1])
    event_id = app.corpus.snapshot().frame["event_id"].iloc[1]
    was = app.corpus.snapshot().frame["category"].iloc[1]
    r = api.request("POST", "/api/stories/seeds/corrections",
                    {"event_id": event_id, "field": "category", "value": "Diplomacy", "reason": "a meeting"}, basic=ana)
    assert r.status == 201, r.data
    made = json.loads(r.data)
    assert (made["value"], made["old_value"], made["who"], made["reason"]) == ("diplomacy", was, "ana", "a meeting")
    first = api.request("GET", "/api/stories/seeds/events")
    events = json.loads(first.data)["events"]
    assert next(e for e in events if e["event_id"] == event_id)["category"] == "diplomacy"
    unchanged = api.request("GET", "/api/stories/seeds/events", headers={"If-None-Match": first.headers["ETag"]})
    assert unchanged.status == 304 and unchanged.data == b"" 
    assert api.request("GET", "/api/stories/seeds/corrections").status == 401
    log = json.loads(api.request("GET", f"/api/stories/seeds/corrections?event={event_id}", basic=ana).data)
    assert log[0]["id"] == made["id"]
    undo = api.request("POST", f"/api/stories/seeds/corrections/{made['id']}/revert", {}, basic=ana)
    assert undo.status == 201 and json.loads(undo.data)["reverts"] == made["id"]
    changed = api.request("GET", "/api/stories/seeds/events", headers={"If-None-Match": first.headers["ETag"]})
    assert changed.status == 200  # a revert is a new state of the story
    events = json.loads(changed.data)["events"]
    assert next(e for e in events if e["event_id"] == event_id)["category"] == was
    assert api.request("POST", "/api/stories/seeds/corrections", {"event_id": event_id, "field": "colour",
                                                                  "value": "red"}, basic=ana).status == 400
    assert api.request("POST", "/api/stories/seeds/corrections", {"event_id": "nope", "field": "title",
                                                                  "value": "x"}, basic=ana).status == 404
    assert api.request("POST", "/api/stories/other/corrections", {}, basic=ana).status == 404
    assert api.request("POST", f"/api/stories/seeds/corrections/{10**20}/revert", {}, basic=ana).status == 404


def test_a_change_from_another_site_or_host_is_refused_even_for_an_editor(fresh):
    app, port = fresh
    editor = Client(port)
    editor.sign_in("ana")
    values, _ = edit_values(app, "Rebound")
    headers = {**editor.csrf(), "Origin": "http://evil.example"}
    assert editor.callback("edit-status.children", values, headers).status == 403
    other_scheme = {**editor.csrf(), "Origin": f"https://127.0.0.1:{port}"}
    assert editor.callback("edit-status.children", values, other_scheme).status == 403
    assert editor.request("POST", "/api/stories/seeds/versions", "note=x", editor.csrf()).status == 415
    rebound = Client(port, host="evil.example")
    rebound.cookies = editor.cookies
    assert rebound.request("GET", "/").status == 400
    assert rebound.request("POST", "/_dash-update-component", {}).status == 400
    assert "Rebound" not in set(app.corpus.snapshot().frame["title"])


def test_guessing_passwords_is_rate_limited(fresh):
    _, port = fresh
    guesser = Client(port)
    page = guesser.request("GET", "/login").data.decode()
    token = re.search(r'name="csrf_token" value="([^"]+)"', page)[1]
    answers = [guesser.request("POST", "/login", f"csrf_token={token}&name=ana&password=guess{i}").status
               for i in range(access.SIGNIN_FAILURES)]
    assert answers == [401] * access.SIGNIN_FAILURES
    right = f"csrf_token={token}&name=ana&password={PASSWORDS['ana'][1].replace(' ', '+')}".replace("'", "%27")
    refused = guesser.request("POST", "/login", right)
    assert refused.status == 429 and refused.headers["Retry-After"]
    assert Client(port).request("POST", "/api/stories/seeds/corrections", {},
                                basic=("ana", PASSWORDS["ana"][1])).status == 429


def test_sign_in_needs_the_form_token_and_never_sends_the_reader_to_another_site(fresh):
    _, port = fresh
    c = Client(port)
    assert c.request("POST", "/login", "name=ana&password=x").status == 403
    page = c.request("GET", "/login?next=//evil.example/").data.decode()
    token = re.search(r'name="csrf_token" value="([^"]+)"', page)[1]
    form = f"csrf_token={token}&name=ana&password={PASSWORDS['ana'][1].replace(' ', '+')}&next=//evil.example/"
    r = c.request("POST", "/login", form.replace("'", "%27"))
    assert r.status == 303 and r.headers["Location"] == "/"
    page = c.request("GET", "/login?next=/%09/evil.example/").data.decode()
    assert 'name="next" value="/"' in page  # a tab would make it //evil.example
    cookie = next(h for h in r.headers.get_all("Set-Cookie") if h.startswith("timeline_session="))
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert "Signed in as ana" in c.request("GET", "/_dash-layout").data.decode()
    stolen = dict(c.cookies)
    out = c.request("POST", "/logout", f"csrf_token={c.cookies[access.CSRF_COOKIE]}")
    assert out.status == 303 and "Signed in" not in c.request("GET", "/_dash-layout").data.decode()
    thief = Client(port)
    thief.cookies = stolen  # a copy of the session cookie taken before signing out is worth nothing
    assert thief.request("POST", "/api/stories/seeds/versions", {},
                         {"X-CSRFToken": stolen[access.CSRF_COOKIE]}).status == 401


def test_a_readers_callback_body_is_small_and_an_editors_may_be_large(fresh, tmp_path):
    app, port = fresh
    padding = {"selection.data": {"ids": ["x"] * 400_000, "focus": None, "origin": ""}}  # about 2.8 MB
    assert Client(port).callback("event-detail.children", padding).status == 413
    from timeline.synth import synthetic_frame

    open_app = create_app([], frame=synthetic_frame(20), overrides_path=tmp_path / "o.csv")
    client = open_app.server.test_client()
    deps = client.get("/_dash-dependencies").get_json()
    assert client.post("/_dash-update-component",
                       json=callback_body(deps, "event-detail.children", padding)).status_code == 200


def test_behind_a_proxy_each_client_has_its_own_sign_in_limit(tmp_path):
    from timeline.synth import synthetic_frame

    engine = store.open_database(f"sqlite:///{tmp_path / 'p.db'}")
    store.add_user(engine, "ana", "editor", PASSWORDS["ana"][1])

    def app_with(proxies: int):
        return create_app([], frame=synthetic_frame(10), overrides_path=tmp_path / "o.csv", bind_host="127.0.0.1",
                          database_url=f"sqlite:///{tmp_path / 'p.db'}", proxies=proxies).server.test_client()

    def guess(client, forwarded_for: str) -> int:
        auth = base64.b64encode(b"ana:wrong guess").decode()
        return client.post("/api/stories/o/versions", json={}, headers={
            "Authorization": f"Basic {auth}", "X-Forwarded-For": forwarded_for}).status_code

    behind = app_with(1)
    assert [guess(behind, "203.0.113.7") for _ in range(access.SIGNIN_FAILURES + 1)][-1] == 429
    assert guess(behind, "198.51.100.2") == 401  # another reader of the same proxy is not locked out
    direct = app_with(0)  # without --proxies the header is not believed: every guess is the one address's
    answers = [guess(direct, f"192.0.2.{i}") for i in range(access.SIGNIN_FAILURES + 1)]
    assert answers == [401] * access.SIGNIN_FAILURES + [429]


def test_every_response_says_nosniff_and_a_referrer_policy_and_names_no_version(fresh):
    _, port = fresh
    for path in ("/", "/embed", "/api/stories", "/login", "/no-such-page"):
        r = Client(port).request("GET", path)
        assert r.headers["X-Content-Type-Options"] == "nosniff", path
        assert r.headers["Referrer-Policy"] == "strict-origin-when-cross-origin", path
        assert not re.search(r"\d", r.headers.get("Server", "")), (path, r.headers.get("Server"))
    login = Client(port).request("GET", "/login")
    assert "script-src 'self';" in login.headers["Content-Security-Policy"]  # no inline script may run there
    assert "form-action 'self'" in login.headers["Content-Security-Policy"]


def test_a_story_that_is_not_public_is_read_by_signed_in_users_only_and_embeds_stay_public(tmp_path):
    corpus = tmp_path / "desk"
    corpus.mkdir()
    for f in SEEDS.glob("*.txt"):
        shutil.copy(f, corpus / f.name)
    engine = store.open_database(f"sqlite:///{corpus / 'timeline.db'}")
    store.add_user(engine, "rita", "reader", PASSWORDS["rita"][1])
    app = create_app([corpus], bind_host="0.0.0.0", public_url="http://127.0.0.1:8050/")
    with served(app.server) as url:
        port = int(url.rsplit(":", 1)[1])
        visitor = Client(port)
        page = visitor.request("GET", "/?category=release")
        assert page.status == 303 and page.headers["Location"] == "/login?next=%2F%3Fcategory%3Drelease"
        for path in ("/_dash-layout", "/_dash-dependencies", "/api/stories", "/api/stories/desk/events"):
            assert visitor.request("GET", path).status == 401, path
        for path in ("/embed", "/oembed?url=http://127.0.0.1:8050/embed", "/login", "/assets/app.css"):
            assert visitor.request("GET", path).status == 200, path
        reader = Client(port)
        reader.sign_in("rita")
        assert reader.request("GET", "/").status == 200
        assert "Signed in as rita (reader)" in reader.request("GET", "/_dash-layout").data.decode()
        events = Client(port).request("GET", "/api/stories/desk/events", basic=("rita", PASSWORDS["rita"][1]))
        assert events.status == 200 and json.loads(events.data)["total"] > 0


# --------------------------------------------------------------------------- modes

@pytest.mark.parametrize("users, host, open_, mode", [
    (0, "127.0.0.1", False, "open"), (0, "localhost", False, "open"), (0, "::1", False, "open"),
    (0, "0.0.0.0", False, "read-only"), (0, "192.168.1.5", False, "read-only"), (0, None, False, "read-only"),
    (0, "0.0.0.0", True, "open"), (2, "127.0.0.1", False, "sign-in"), (1, "0.0.0.0", True, "sign-in"),
])
def test_the_mode_follows_the_users_the_address_and_open(users, host, open_, mode):
    assert access.decide_mode(n_users=users, bind_host=host, open_=open_)[0] == mode


def test_behind_a_proxy_on_loopback_with_a_public_url_and_no_users_nobody_edits():
    mode, why = access.decide_mode(n_users=0, bind_host="127.0.0.1", open_=False,
                                   public_url="https://news.example/chronology/")
    assert mode == "read-only" and "https://news.example/chronology/" in why
    assert access.decide_mode(n_users=0, bind_host="127.0.0.1", open_=False,
                              public_url="http://localhost:8050/")[0] == "open"


def test_on_a_public_address_with_no_users_the_app_is_read_only_and_says_why(tmp_path):
    corpus = tmp_path / "story"
    corpus.mkdir()
    for f in SEEDS.glob("*.txt"):
        shutil.copy(f, corpus / f.name)
    app = create_app([corpus], bind_host="0.0.0.0")
    assert app.access.mode == "read-only"
    client = app.server.test_client()
    layout = client.get("/_dash-layout").get_data(as_text=True)
    assert "read-only" in layout and "timeline users add" in layout
    deps = client.get("/_dash-dependencies").get_json()
    values, _ = edit_values(app, "Nobody may")
    r = client.post("/_dash-update-component", json=callback_body(deps, "edit-status.children", values))
    assert r.status_code == 403 and "read-only" in r.get_data(as_text=True)
    assert app.corpus.history.log() == []


def test_allowed_hosts_are_the_public_urls_loopback_and_the_configured_ones():
    hosts = access.allowed_hosts("https://news.example/c/", "0.0.0.0", ["desk.example", " "])
    assert {"news.example", "desk.example", "localhost", "127.0.0.1", "::1"} == hosts
    assert access.allowed_hosts("http://0.0.0.0:8050/", "0.0.0.0") is None


@pytest.mark.parametrize("output, editing", [
    ("..edit-status.children...data-version.data@1a2b..", True), ("upload-status.children", True),
    ("..timeline-graph.figure...visible-range.data..", False), ("event-detail.children", False),
])
def test_editing_callbacks_are_known_by_their_outputs(output, editing):
    body = json.dumps({"output": output, "inputs": [{"id": "a", "property": "data", "value": {"x": 1}}]}).encode()
    assert access.editing_request("/_dash-update-component", "POST", body) is editing
    assert access.editing_request("/_dash-update-component", "POST", b"[[[") is True
    empty = {"output": output, "inputs": [{"id": "upload-payload", "property": "data"}], "state": []}
    assert access.editing_request("/_dash-update-component", "POST", json.dumps(empty).encode()) is False
    malformed = json.dumps(dict(empty, state=7)).encode()
    assert access.editing_request("/_dash-update-component", "POST", malformed) is editing
    assert access.editing_request("/api/stories/x/corrections", "POST", b"") is True
    assert access.editing_request("/api/stories/x/corrections", "GET", b"") is False


# --------------------------------------------------------------------------- in a browser

def test_in_a_browser_a_reader_sees_no_editing_and_a_signed_in_editor_edits(fresh, browser):
    app, port = fresh
    context = browser.new_context()
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.goto(f"http://127.0.0.1:{port}/")
    page.wait_for_selector("#event-table td[data-dash-column='title']")
    assert page.locator("#upload").is_hidden() and page.locator("#publish-button").is_hidden()
    assert "Editors who sign in" in page.inner_text("#table-section")
    page.click("#account a")
    page.fill("#name", "ana")
    page.fill("#password", PASSWORDS["ana"][1])
    page.click("button[type=submit]")
    page.wait_for_selector("#account >> text=Signed in as ana")
    page.wait_for_selector("#event-table td[data-dash-column='title']")
    assert page.locator("#upload").is_visible()
    cell = page.locator("#event-table td[data-dash-column='title']").first
    cell.click()
    page.keyboard.type("Signed and corrected")
    page.keyboard.press("Enter")
    page.wait_for_selector("#edit-status li.ok")
    newest = app.corpus.history.log(limit=1)[0]
    assert (newest.value, newest.who) == ("Signed and corrected", "ana")
    page.click("#publish-button")
    page.wait_for_selector("#publish-status >> text=published")
    number = app.corpus.versions.list()[0].number
    page.wait_for_function(f"() => document.querySelector('#embed-code').value.includes('version={number}')")
    page.click("#logout-form button")
    page.wait_for_selector("#account >> text=Sign in to edit")
    context.close()
    assert problems == []


XSS = ['<img src=x onerror="alert(1)">', '"><script>alert(2)</script>', "javascript:alert(3)"]


def test_markup_in_corrections_stays_text_in_the_dashboard_the_embed_and_oembed(fresh, browser):
    app, port = fresh
    api, ana = Client(port), ("ana", PASSWORDS["ana"][1])
    ids = app.corpus.snapshot().frame["event_id"].tolist()[:3]
    for event_id, payload in zip(ids, XSS):
        assert api.request("POST", "/api/stories/seeds/corrections", {"event_id": event_id, "field": "title",
                                                                      "value": payload, "reason": payload},
                           basic=ana).status == 201
    oembed = json.loads(api.request("GET", "/oembed?url=http://127.0.0.1:8050/embed").data)
    assert "<script>alert" not in oembed["html"] and "onerror" not in oembed["html"]
    context = browser.new_context()
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(f"http://127.0.0.1:{port}/")
    page.wait_for_selector("#event-list li")
    page.wait_for_function("() => document.querySelector('#event-list').innerText.includes('onerror')")
    page.goto(f"http://127.0.0.1:{port}/embed")
    page.wait_for_selector("svg")
    page.mouse.click(200, 200)  # the reader reaches for the chart: the interactive figures load
    page.wait_for_timeout(1_500)
    context.close()
    assert dialogs == []


def test_an_editor_sees_an_events_history_in_its_detail_and_reverts_from_it(fresh, browser):
    app, port = fresh
    api, ana = Client(port), ("ana", PASSWORDS["ana"][1])
    row = app.corpus.snapshot().frame.iloc[4]
    made = json.loads(api.request("POST", "/api/stories/seeds/corrections", {
        "event_id": row["event_id"], "field": "title", "value": "A title to take back", "reason": "trying"},
        basic=ana).data)
    reader = Client(port)
    detail = reader.callback("event-detail.children",
                             {"selection.data": {"ids": [row["event_id"]], "focus": row["event_id"], "origin": ""}})
    assert "detail-history" not in detail.data.decode()  # a reader sees no history
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"http://127.0.0.1:{port}/login")
    page.fill("#name", "ana")
    page.fill("#password", PASSWORDS["ana"][1])
    page.click("button[type=submit]")
    page.goto(f"http://127.0.0.1:{port}/?event={row['event_id']}")
    page.wait_for_selector("#detail-history li >> text=A title to take back")
    assert "trying" in page.inner_text("#detail-history")
    page.locator("#detail-history li").first.get_by_role("button", name="Revert").click()
    page.wait_for_selector(f"#revert-status >> text=correction {made['id']} reverted")
    page.wait_for_selector(f"#detail-title >> text={row['title']}")
    context.close()
    newest = app.corpus.history.log(event_id=row["event_id"])[0]
    assert (newest.reverts, newest.who) == (made["id"], "ana")


def test_a_published_version_keeps_its_chronology_in_pinned_embeds(fresh):
    app, port = fresh
    api, ana = Client(port), ("ana", PASSWORDS["ana"][1])
    assert api.request("POST", "/api/stories/seeds/versions", {}).status == 401
    r = api.request("POST", "/api/stories/seeds/versions", {"note": "as published"}, basic=ana)
    assert r.status == 201, r.data
    v = json.loads(r.data)
    assert v["embed_url"] == f"http://127.0.0.1:8050/embed?version={v['number']}" and v["who"] == "ana"
    row = app.corpus.snapshot().frame.iloc[2]
    assert api.request("POST", "/api/stories/seeds/corrections", {"event_id": row["event_id"], "field": "title",
                                                                  "value": "Changed after publishing"},
                       basic=ana).status == 201
    live = api.request("GET", "/embed").data.decode()
    pinned = api.request("GET", f"/embed?version={v['number']}").data.decode()
    assert "Changed after publishing" in live and "Changed after publishing" not in pinned
    frozen = json.loads(api.request("GET", f"/api/stories/seeds/events?version={v['number']}").data)["events"]
    assert next(e for e in frozen if e["event_id"] == row["event_id"])["title"] == row["title"]
    assert api.request("GET", "/embed?version=999").status == 404
    assert api.request("GET", "/api/stories/seeds/events?version=999").status == 404
    listed = json.loads(api.request("GET", "/api/stories/seeds/versions").data)
    assert listed[0]["number"] == v["number"] and listed[0]["note"] == "as published"
    answer = json.loads(api.request("GET", f"/oembed?url=http://127.0.0.1:8050/embed%3Fversion%3D{v['number']}").data)
    assert f"version={v['number']}" in answer["html"]


def test_the_api_and_uploads_are_rate_limited_per_client(tmp_path, monkeypatch):
    from timeline.synth import synthetic_frame

    monkeypatch.setenv(access.RATE_LIMITS_ENV, "api-read=5/minute, api-write=2/minute,upload=1/minute")
    app = create_app([], frame=synthetic_frame(20), overrides_path=tmp_path / "o.csv", upload_dir=tmp_path / "up")
    client = app.server.test_client()
    answers = [client.get("/api/stories").status_code for _ in range(6)]
    assert answers == [200] * 5 + [429]
    refused = client.get("/api/stories/x/events")
    assert refused.status_code == 429 and refused.headers["Retry-After"] == "60"
    assert "too many requests to the API" in refused.get_json()["error"]  # the API refuses in JSON, as it answers
    other = app.server.test_client()
    assert other.get("/api/stories", environ_base={"REMOTE_ADDR": "10.0.0.9"}).status_code == 200
    deps = client.get("/_dash-dependencies").get_json()

    def upload() -> str:
        r = client.post("/_dash-update-component", json=callback_body(deps, "upload-status.children", upload_values()))
        return json.dumps(r.get_json()["response"]["upload-status"])

    assert "too many uploads" not in upload()
    assert "too many uploads" in upload()
    assert len(app.corpus.upload_files()) == 1
    assert [(f.name, f.who) for f in app.corpus.articles.list()] == [("new.txt", "local")]  # who added it, kept
    for bad, problem in (("api-read=lots", "not a rate limit"), ("downloads=5/minute", "not one of")):
        with pytest.raises(InputError, match=problem):
            access.rate_limits(bad)
