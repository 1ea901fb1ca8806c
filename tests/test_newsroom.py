"""Several stories on one server, tried with raw HTTP against a running server: editors
start a story (API and dashboard), it has its own dashboard at /s/<name>/, its own events,
corrections, versions and embeds; nobody else may start one, and one story's changes never
reach another."""
from __future__ import annotations

import base64
import hashlib
import html
import json
import re
import shutil
import urllib.parse
from pathlib import Path

import pytest
from conftest import callback_body, served
from test_access import PASSWORDS, Client

from timeline import store
from timeline.webapp import create_app, newsroom

ROOT = Path(__file__).resolve().parents[1]
ANA = ("ana", PASSWORDS["ana"][1])
RITA = ("rita", PASSWORDS["rita"][1])
ARTICLE = ("Vilnius, 3 November 2025. Lithuania reopened the Medininkai border crossing with Belarus on Monday, "
           "after closing it on 28 October over balloons flown from Belarus.")


class StoryClient(Client):
    """A `Client` whose Dash callbacks go to the dashboard at `prefix` ('/s/<name>/')."""

    def callback_at(self, prefix: str, first_output: str, values: dict, headers=None, *, deps=None, **kw):
        deps = deps or json.loads(self.request("GET", prefix + "_dash-dependencies").data)
        return self.request("POST", prefix + "_dash-update-component", callback_body(deps, first_output, values),
                            headers, **kw)


@pytest.fixture(scope="module")
def desk(tmp_path_factory):
    """The seed story (private: readers sign in) on a running server with an editor (ana)
    and a reader (rita); started stories in their own folder."""
    home = tmp_path_factory.mktemp("newsroom")
    corpus = home / "seeds"
    corpus.mkdir()
    for f in (ROOT / "seeds").glob("*.txt"):
        shutil.copy(f, corpus / f.name)
    engine = store.open_database(f"sqlite:///{corpus / 'timeline.db'}")
    for name, (role, password) in PASSWORDS.items():
        store.add_user(engine, name, role, password)
    app = create_app([corpus], bind_host="0.0.0.0", public_url="http://127.0.0.1:8050/",
                     stories_dir=home / "started")
    with served(app.server) as url:
        yield app, int(url.rsplit(":", 1)[1])


def start(port: int, name: str, *, basic=ANA):
    return Client(port).request("POST", "/api/stories", {"name": name}, basic=basic)


def add_article(port: int, story: str, text: str = ARTICLE, filename: str = "reopened.txt", *, basic=ANA):
    return Client(port).request("POST", f"/api/stories/{story}/articles", {"filename": filename, "text": text},
                                basic=basic)


def events(port: int, story: str, query: str = "") -> dict:
    r = Client(port).request("GET", f"/api/stories/{story}/events{query}", basic=RITA)
    assert r.status == 200, r.data
    return json.loads(r.data)


def test_only_editors_start_a_story_and_names_are_checked(desk):
    app, port = desk
    assert start(port, "anon-story", basic=None).status == 401
    assert start(port, "reader-story", basic=RITA).status == 403
    for bad in ("Border Crossing", "-x", "x" * 65, "api", "a/b", "<script>alert(1)</script>", ""):
        r = start(port, bad)
        assert r.status == 400 and "not a story name" in json.loads(r.data)["error"], (bad, r.data)
    made = start(port, "crossing-reopens")
    assert made.status == 201, made.data
    entry = json.loads(made.data)
    assert entry["name"] == "crossing-reopens" and entry["who"] == "ana" and entry["url"] == "/s/crossing-reopens/"
    assert entry["embed_url"] == "http://127.0.0.1:8050/embed?story=crossing-reopens"
    assert start(port, "crossing-reopens").status == 409
    assert start(port, "seeds").status == 409  # the server's own story's name is taken
    assert (app.newsroom.stories_dir / "crossing-reopens").is_dir()
    assert not (app.newsroom.stories_dir / "anon-story").exists()
    names = [s["name"] for s in json.loads(Client(port).request("GET", "/api/stories", basic=RITA).data)]
    assert names[0] == "seeds" and "crossing-reopens" in names and "anon-story" not in names


def test_a_started_storys_articles_corrections_and_versions_are_its_own(desk):
    app, port = desk
    assert start(port, "reopening").status == 201
    assert add_article(port, "reopening", basic=RITA).status == 403
    r = add_article(port, "reopening")
    assert r.status == 201, r.data
    assert json.loads(r.data)["saved"] == ["reopened.txt"]
    bad = add_article(port, "reopening", text="\x00\x01\x02 binary", filename="junk.txt")
    assert bad.status == 400 and json.loads(bad.data)["errors"][0].startswith("junk.txt")
    added = Client(port).request("GET", "/api/stories/reopening/articles", basic=ANA)
    [row] = json.loads(added.data)
    assert (row["name"], row["who"], row["bytes"]) == ("reopened.txt", "ana", len(ARTICLE.encode()))
    assert row["sha256"] == hashlib.sha256(ARTICLE.encode()).hexdigest()
    assert Client(port).request("GET", "/api/stories/reopening/articles", basic=RITA).status == 403
    story = events(port, "reopening")
    assert story["story"] == "reopening" and story["total"] >= 1
    dates = {e["timex"] for e in story["events"]}
    assert "2025-11-03" in dates  # "on Monday" against the dateline
    seed_titles = {e["title"] for e in events(port, "seeds")["events"]}
    assert not seed_titles & {e["title"] for e in story["events"]}

    first = story["events"][0]["event_id"]
    fixed = Client(port).request("POST", "/api/stories/reopening/corrections",
                                 {"event_id": first, "field": "title", "value": "Lithuania reopens Medininkai"},
                                 basic=ANA)
    assert fixed.status == 201, fixed.data
    assert "Lithuania reopens Medininkai" in {e["title"] for e in events(port, "reopening")["events"]}
    assert "Lithuania reopens Medininkai" not in {e["title"] for e in events(port, "seeds")["events"]}
    assert [c.story for c in store.History(app.access.engine, "reopening").log()] == ["reopening"]
    # A correction to another story's event is not this story's to make.
    assert Client(port).request("POST", "/api/stories/seeds/corrections",
                                {"event_id": first, "field": "title", "value": "x"}, basic=ANA).status == 404

    published = Client(port).request("POST", "/api/stories/reopening/versions", {"note": "first"}, basic=ANA)
    assert published.status == 201, published.data
    assert json.loads(published.data)["embed_url"].endswith("/embed?story=reopening&version=1")
    assert Client(port).request("GET", "/api/stories/seeds/versions", basic=RITA).data.strip() == b"[]"


def test_a_started_story_has_its_own_dashboard_under_s(desk):
    app, port = desk
    assert start(port, "dashboard-story").status == 201
    assert add_article(port, "dashboard-story").status == 201
    anonymous = StoryClient(port)
    page = anonymous.request("GET", "/s/dashboard-story/")
    assert page.status == 303  # a private story: sign in first, and come back here
    assert urllib.parse.parse_qs(urllib.parse.urlsplit(page.headers["Location"]).query)["next"] == [
        "/s/dashboard-story/"]
    reader = StoryClient(port)
    reader.sign_in("rita")
    page = reader.request("GET", "/s/dashboard-story/")
    assert page.status == 200
    config = json.loads(re.search(r'id="_dash-config" type="application/json">([^<]*)<', page.data.decode())[1])
    assert config["requests_pathname_prefix"] == "/s/dashboard-story/"
    assert "script-src 'self' 'sha256-" in page.headers["Content-Security-Policy"]  # its inline scripts, by hash
    assert page.headers["X-Frame-Options"] == "DENY"
    layout = reader.request("GET", "/s/dashboard-story/_dash-layout").data.decode()
    assert "1 article" in layout and "Signed in as rita (reader)" in layout
    assert reader.request("GET", "/s/dashboard-story").status == 308
    assert reader.request("GET", "/s/seeds/").headers["Location"] == "/"
    assert reader.request("GET", "/s/no-such-story/").status == 404
    assert reader.request("GET", "/s/Bad%20Name/").status == 404


def test_editing_a_started_storys_dashboard_is_guarded_as_the_servers_own(desk):
    app, port = desk
    assert start(port, "guarded").status == 201
    assert add_article(port, "guarded").status == 201
    corpus = app.newsroom.corpus("guarded")
    [row] = corpus.snapshot().frame.head(1).to_dict("records")
    from timeline.webapp import views

    [before] = views.table_rows(corpus.snapshot().frame, limit=1)
    values = {"event-table.data_timestamp": 1, "event-table.data": [dict(before, title="Forged")],
              "event-table.data_previous": [before]}
    reader = StoryClient(port)
    reader.sign_in("rita")
    deps = json.loads(reader.request("GET", "/s/guarded/_dash-dependencies").data)
    anonymous = StoryClient(port)
    assert anonymous.callback_at("/s/guarded/", "edit-status.children", values, deps=deps).status == 401
    assert reader.callback_at("/s/guarded/", "edit-status.children", values, reader.csrf()).status == 403
    editor = StoryClient(port)
    editor.sign_in("ana")
    assert editor.callback_at("/s/guarded/", "edit-status.children", values).status == 403  # no CSRF token
    done = editor.callback_at("/s/guarded/", "edit-status.children", values, editor.csrf())
    assert done.status == 200, done.data
    assert [(c.who, c.value) for c in store.History(app.access.engine, "guarded").log()] == [("ana", "Forged")]
    assert "Forged" not in set(app.corpus.snapshot().frame["title"])


def drop(text: bytes, name: str = "first.txt") -> dict:
    return {"contents": [f"data:text/plain;base64,{base64.b64encode(text).decode()}"], "filenames": [name],
            "rejected": []}


def test_editors_start_a_story_by_dropping_its_first_articles(desk):
    app, port = desk
    values = {"new-story-payload.data": drop(ARTICLE.encode()), "new-story-name.value": "dropped-story"}
    reader = StoryClient(port)
    reader.sign_in("rita")
    assert reader.callback("new-story-status.children", values, reader.csrf()).status == 403
    assert store.get_story(app.access.engine, "dropped-story") is None
    editor = StoryClient(port)
    editor.sign_in("ana")
    empty = {"new-story-payload.data": drop(b"\x00\x00"), "new-story-name.value": "empty-story"}
    answer = editor.callback("new-story-status.children", empty, editor.csrf()).data.decode()
    assert "first.txt" in answer and store.get_story(app.access.engine, "empty-story") is None  # never started empty
    bad_name = {"new-story-payload.data": drop(ARTICLE.encode()), "new-story-name.value": "Not A Name"}
    assert "not a story name" in editor.callback("new-story-status.children", bad_name, editor.csrf()).data.decode()
    answer = editor.callback("new-story-status.children", values, editor.csrf())
    assert answer.status == 200 and '"href": "/s/dropped-story/"' in json.dumps(json.loads(answer.data))
    assert store.get_story(app.access.engine, "dropped-story").who == "ana"
    assert [(a.name, a.who) for a in store.Articles(app.access.engine, "dropped-story").list()] == [
        ("first.txt", "ana")]
    assert [p.name for p in (app.newsroom.folder("dropped-story") / "uploads").iterdir() if p.is_file()] == ["first.txt"]
    assert not [p for p in app.newsroom.stories_dir.iterdir() if p.name.startswith(".")]  # staging cleaned
    assert events(port, "dropped-story")["total"] >= 1
    again = editor.callback("new-story-status.children", values, editor.csrf()).data.decode()
    assert "already a story called" in again
    # Started from a started story's own dashboard too.
    other = {"new-story-payload.data": drop(ARTICLE.encode()), "new-story-name.value": "from-a-story"}
    answer = editor.callback_at("/s/dropped-story/", "new-story-status.children", other, editor.csrf())
    assert '"href": "/s/from-a-story/"' in json.dumps(json.loads(answer.data))


def test_embeds_and_oembed_name_the_story(desk):
    app, port = desk
    assert start(port, "embedded").status == 201
    own_words = ("Vilnius, 5 November 2025. Poland reopened the Kuznica border crossing with Belarus "
                 "on 4 November 2025, the interior ministry said.")
    assert add_article(port, "embedded", own_words).status == 201
    anyone = Client(port)
    title = html.escape(next(e["title"] for e in events(port, "embedded")["events"] if "Kuznica" in e["title"]))
    page = anyone.request("GET", "/embed?story=embedded")  # embeds are public, whatever the story
    assert page.status == 200 and title in page.data.decode()
    own = anyone.request("GET", "/embed").data.decode()
    assert title not in own and "Lukashenko" in own
    assert anyone.request("GET", "/embed?story=nobody").status == 404
    assert anyone.request("GET", "/embed?story=%3Cscript%3E").status == 404
    url = urllib.parse.quote("http://127.0.0.1:8050/embed?story=embedded&view=map", safe="")
    answer = json.loads(anyone.request("GET", f"/oembed?url={url}").data)
    assert 'src="http://127.0.0.1:8050/embed?story=embedded&amp;view=map"' in answer["html"]
    gone = urllib.parse.quote("http://127.0.0.1:8050/embed?story=nobody", safe="")
    assert anyone.request("GET", f"/oembed?url={gone}").status == 404


def test_a_worker_keeps_a_bounded_number_of_stories_built(desk, monkeypatch):
    app, port = desk
    monkeypatch.setattr(newsroom, "MAX_LOADED", 1)
    for name in ("lru-one", "lru-two"):
        assert start(port, name).status == 201
        assert add_article(port, name).status == 201
    for name in ("lru-one", "lru-two", "lru-one"):
        assert events(port, name)["total"] >= 1
        assert list(app.newsroom._apps) == [name]


def test_no_request_makes_a_worker_build_a_story_before_the_servers_checks(desk):
    app, port = desk
    assert start(port, "never-opened").status == 201
    anonymous = Client(port)
    assert anonymous.request("GET", "/s/never-opened/").status == 401  # a private story: nobody signed in
    assert anonymous.request("GET", "/s/never-opened/_dash-layout").status == 401
    assert anonymous.request("GET", "/s/never-opened/assets/app.css").status == 401
    assert Client(port, host="evil.example").request("GET", "/s/never-opened/").status == 400
    assert "never-opened" not in app.newsroom._apps
    reader = Client(port)
    reader.sign_in("rita")
    assert reader.request("GET", "/s/never-opened/_dash-layout").status == 200
    assert "never-opened" in app.newsroom._apps
    # Building a story's dashboard parses nothing: its first page does.
    assert start(port, "built-lazily").status == 201
    built = app.newsroom.app("built-lazily")
    assert built.corpus._snapshot is None


def test_the_servers_own_story_under_s_redirects_home_and_nowhere_else(desk):
    _, port = desk
    reader = Client(port)
    reader.sign_in("rita")
    for path in ("/s/seeds/%09/evil.example", "/s/seeds/%0a/evil.example", "/s/seeds/%5C/evil.example", "/s/seeds/x"):
        r = reader.request("GET", path)
        assert r.status == 308 and r.headers["Location"] == "/", (path, r.headers["Location"])


def test_readers_are_not_told_who_started_a_story(desk):
    _, port = desk
    assert start(port, "whose-story").status == 201
    listed = {s["name"]: s for s in json.loads(Client(port).request("GET", "/api/stories", basic=RITA).data)}
    assert listed["whose-story"]["who"] is None and listed["whose-story"]["at"] is None
    staff = {s["name"]: s for s in json.loads(Client(port).request("GET", "/api/stories", basic=ANA).data)}
    assert staff["whose-story"]["who"] == "ana"


def test_one_client_makes_a_worker_build_a_bounded_number_of_stories(tmp_path, monkeypatch):
    monkeypatch.setenv("TIMELINE_RATE_LIMITS", "story-build=2/minute")
    corpus = tmp_path / "seeds"
    corpus.mkdir()
    shutil.copy(next((ROOT / "seeds").glob("*.txt")), corpus / "seed.txt")
    app = create_app([corpus], stories_dir=tmp_path / "started")
    for name in ("one", "two", "three"):
        app.newsroom.start(name, who="ana")
    client = app.server.test_client()
    assert [client.get(f"/embed?story={n}").status_code for n in ("one", "two", "three")] == [200, 200, 429]
    assert client.get("/s/three/").status_code == 429
    assert client.get("/embed?story=one").status_code == 200  # built: no build needed
    other = app.server.test_client()
    assert other.get("/embed?story=three", environ_base={"REMOTE_ADDR": "10.0.0.7"}).status_code == 200
