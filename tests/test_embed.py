"""Embeds: /embed, /embed.js and /oembed, their framing headers, the dashboard's embed-code
generator, and /embed in a real browser at a phone's and a desktop's width.

Browser tests use Debian's Chromium (/usr/bin/chromium) through Playwright; every request
to a host other than localhost is aborted and fails the test, and so does any console
error. Skipped only off CI when Chromium is missing; on CI (CI=true) a missing browser fails.
"""
from __future__ import annotations

import json
import re
import shutil
import urllib.parse
from pathlib import Path

import pytest
from conftest import served

from timeline.errors import InputError
from timeline.webapp import create_app, embed, library
from timeline.webapp.filters import Filters

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
LOCAL_HOSTS = {"127.0.0.1", "localhost"}
TIMEOUT_MS = 20_000


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    corpus = tmp_path_factory.mktemp("embed") / "corpus"
    corpus.mkdir()
    for f in SEEDS.glob("*.txt"):
        shutil.copy(f, corpus / f.name)
    return create_app([corpus], embed_frame_ancestors="'self' https://news.example", public_url="http://localhost/")


@pytest.fixture(scope="module")
def client(app):
    return app.server.test_client()


# --------------------------------------------------------------------------- headers

def policy(response) -> dict[str, str]:
    """The CSP of `response`, directive name to its sources."""
    parts = [d.strip().split(" ", 1) for d in response.headers["Content-Security-Policy"].split(";")]
    return {p[0]: p[1] if len(p) > 1 else "" for p in parts}


@pytest.mark.parametrize("path", ["/embed", "/embed.js", "/oembed?url=http://localhost/embed"])
def test_the_embed_routes_may_be_framed_by_the_configured_sites(client, path):
    r = client.get(path)
    assert r.status_code == 200
    assert policy(r)["frame-ancestors"] == "'self' https://news.example"
    assert policy(r)["object-src"] == "'none'" and policy(r)["script-src"].startswith("'self'")
    assert "X-Frame-Options" not in r.headers


@pytest.mark.parametrize("path", ["/", "/_dash-layout", "/assets/app.css", "/_dash-dependencies", "/no-such-page.js"])
def test_the_editing_app_cannot_be_framed(client, path):
    r = client.get(path)
    assert r.headers["X-Frame-Options"] == "DENY"
    assert policy(r)["frame-ancestors"] == "'none'"


def test_any_site_may_frame_the_embed_by_default(app, tmp_path):
    default = create_app([tmp_path], frame=app.corpus.snapshot().frame)
    r = default.server.test_client().get("/embed")
    assert r.status_code == 200 and policy(r)["frame-ancestors"] == "*"


def test_a_page_may_run_its_own_inline_scripts_and_no_other(client):
    import base64
    import hashlib
    import re

    for path in ("/embed", "/"):
        r = client.get(path)
        page, allowed = r.get_data(as_text=True), policy(r)["script-src"].split()
        inline = [m[1] for m in re.finditer(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>(.*?)</script>",
                                           page, re.S)]
        assert inline, path
        hashes = ["'sha256-" + base64.b64encode(hashlib.sha256(s.encode()).digest()).decode() + "'" for s in inline]
        assert sorted(allowed) == sorted(["'self'", *hashes]), path
    again = client.get("/embed", headers={"If-None-Match": client.get("/embed").headers["ETag"]})
    assert again.status_code == 304 and policy(again)["script-src"] == policy(client.get("/embed"))["script-src"]


@pytest.mark.parametrize("value", ["", "* ; script-src *", "a,b", "*\nX-Evil: 1"])
def test_a_frame_ancestors_value_that_could_break_the_header_is_refused(value):
    with pytest.raises(InputError, match="frame-ancestors"):
        embed.check_frame_ancestors(value)


def test_serve_refuses_a_bad_frame_ancestors_value_in_one_line():
    from click.testing import CliRunner

    from timeline.cli.serve import serve

    result = CliRunner().invoke(serve, [str(SEEDS), "--embed-frame-ancestors", "*; script-src *"])
    assert result.exit_code == 2
    assert result.output.count("\n") == 1 and "frame-ancestors" in result.output


# --------------------------------------------------------------------------- the public URL

def test_absolute_urls_come_from_the_public_url_not_from_the_host_header(tmp_path, app):
    public = create_app([tmp_path], frame=app.corpus.snapshot().frame, public_url="https://news.example/chronology")
    client = public.server.test_client()
    refused = client.get("/embed?view=map", headers={"Host": "evil.example"})
    assert refused.status_code == 400 and "evil.example" in refused.get_data(as_text=True).splitlines()[0]
    # A name the server answers to that is not the public URL's: the URLs are still the public URL's.
    forged = {"Host": "localhost:8050"}
    page = client.get("/embed?view=map", headers=forged).get_data(as_text=True)
    link = page.split('type="application/json+oembed" href="')[1].split('"')[0].replace("&amp;", "&")
    assert link.startswith("https://news.example/chronology/oembed?") and "localhost" not in page
    assert urllib.parse.parse_qs(urllib.parse.urlsplit(link).query)["url"] == \
        ["https://news.example/chronology/embed?view=map"]
    answer = client.get("/oembed", headers=forged, query_string={"url": "https://news.example/chronology/embed"})
    assert answer.status_code == 200 and "localhost" not in answer.get_data(as_text=True)
    assert json.loads(answer.get_data(as_text=True))["provider_url"] == "https://news.example/chronology/"
    # An embed URL on the request's host is not one of ours.
    assert client.get("/oembed", headers=forged, query_string={"url": "http://localhost:8050/embed"}).status_code == 404


def test_without_a_public_url_the_urls_are_the_default_serving_address(tmp_path, app):
    default = create_app([tmp_path], frame=app.corpus.snapshot().frame).server.test_client()
    page = default.get("/embed", headers={"Host": "localhost:8050"}).get_data(as_text=True)
    assert 'href="http://127.0.0.1:8050/oembed?' in page and "localhost" not in page


@pytest.mark.parametrize("value", ["", "news.example", "ftp://news.example/", "https://", "https://news.example/?a=1",
                                   "https://news.example/#top", "https://news example/", "https://u@news.example/"])
def test_a_public_url_that_is_not_an_absolute_http_address_is_refused(value):
    with pytest.raises(InputError, match="public URL"):
        embed.check_public_url(value)


def test_serve_takes_the_public_url_from_its_option_or_the_environment(tmp_path, monkeypatch):
    from click.testing import CliRunner
    from dash import Dash

    from timeline.cli.serve import serve

    served = {}
    monkeypatch.setattr(Dash, "run", lambda self, **kw: served.update(app=self))
    corpus = tmp_path / "corpus"
    shutil.copytree(SEEDS, corpus)

    def discovery_link(*args, env=None) -> str:
        result = CliRunner().invoke(serve, [str(corpus), *args], env=env)
        assert result.exit_code == 0, result.output
        page = served["app"].server.test_client().get("/embed", headers={"Host": "localhost"})
        return page.get_data(as_text=True).split('type="application/json+oembed" href="')[1].split("?")[0]

    assert discovery_link("--port", "9123") == "http://127.0.0.1:9123/oembed"
    assert discovery_link("--public-url", "https://news.example/c/") == "https://news.example/c/oembed"
    assert discovery_link(env={"TIMELINE_PUBLIC_URL": "https://env.example"}) == "https://env.example/oembed"
    bad = CliRunner().invoke(serve, [str(corpus), "--public-url", "news.example"])
    assert bad.exit_code == 2 and bad.output.count("\n") == 1 and "public URL" in bad.output


# --------------------------------------------------------------------------- /embed

def test_the_embed_page_is_offline_and_discoverable(client):
    r = client.get("/embed?view=timeline&category=release")
    page = r.get_data(as_text=True)
    assert r.mimetype == "text/html"
    # nothing is loaded with the page (a light page: its scripts inline); the chart library, from
    # this server (a relative URL), only when the reader reaches for the chart
    assert re.findall(r'<script src="([^"]+)"', page) == [] and 'rel="stylesheet"' not in page
    assert page.count(json.dumps(library.embed_src())) == 1
    assert client.get("/" + library.embed_src()).headers["Cache-Control"] == library.IMMUTABLE
    assert 'id="timeline-graph"' in page and 'id="map-graph"' not in page
    assert embed.MESSAGE_TYPE in page and "window.parent.postMessage" in page
    link = page.split('type="application/json+oembed" href="')[1].split('"')[0].replace("&amp;", "&")
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(link).query)
    assert urllib.parse.urlsplit(link).path == "/oembed" and query["format"] == ["json"]
    assert query["url"] == ["http://localhost/embed?view=timeline&category=release"]


@pytest.mark.parametrize("query", [
    "view=sideways&theme=purple&height=-5&from=yesterday&to=2025-13-45&category=nope&country=XX",
    "height=99999&view=&q=" + "x" * 5000, "category=%ff%fe&country=,,,", "view=map&view=timeline",
])
def test_nonsense_parameters_are_ignored(client, query):
    assert client.get(f"/embed?{query}").status_code == 200


def test_nonsense_parameters_keep_the_defaults(app):
    params = embed.params_from_search("?view=sideways&theme=purple&height=-5&from=yesterday&category=nope",
                                      app.corpus.snapshot().options)
    assert params == embed.EmbedParams()


def test_the_embed_parameters_are_read(app):
    params = embed.params_from_search("?view=map&category=release,talks&country=lt&from=2025-08-01&to=2025-09-30"
                                      "&q=drones&theme=dark&height=300", app.corpus.snapshot().options)
    assert params == embed.EmbedParams(view="map", filters=Filters(categories=("release", "talks"), countries=("LT",),
                                                                   start="2025-08-01", end="2025-09-30", text="drones"),
                                       theme="dark", height=300)


def test_the_height_parameter_sizes_each_graph(client):
    page = client.get("/embed?height=333").get_data(as_text=True)
    assert page.count('class="graph" style="height:333px"') == 2


def test_an_unchanged_embed_is_not_sent_again(client):
    first = client.get("/embed?view=map")
    again = client.get("/embed?view=map", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304


def test_the_loader_sets_heights_from_the_embeds_messages(client):
    r = client.get("/embed.js")
    assert r.mimetype == "text/javascript"
    script = r.get_data(as_text=True)
    assert embed.MESSAGE_TYPE in script and "style.height" in script


# --------------------------------------------------------------------------- /oembed

def test_oembed_answers_a_valid_rich_embed(client):
    url = "http://localhost/embed?view=map&country=LT&theme=dark"
    r = client.get("/oembed", query_string={"url": url, "format": "json", "maxwidth": "500", "maxheight": "400"})
    assert r.status_code == 200 and r.mimetype == "application/json"
    data = json.loads(r.get_data(as_text=True))
    assert {k: data[k] for k in ("type", "version", "provider_name")} == \
        {"type": "rich", "version": "1.0", "provider_name": "timeline"}
    assert data["width"] == 500 and 0 < data["height"] <= 400 and data["title"].startswith("Chronology")
    assert f'src="{url.replace("&", "&amp;")}"' in data["html"]
    assert 'src="http://localhost/embed.js"' in data["html"]


@pytest.mark.parametrize("url", ["http://elsewhere.example/embed", "http://localhost/", "http://localhost/embedx",
                                 "javascript:alert(1)//localhost/embed", ""])
def test_oembed_refuses_a_url_that_is_not_an_embed_of_this_server(client, url):
    assert client.get("/oembed", query_string={"url": url}).status_code == 404


def test_oembed_refuses_formats_other_than_json(client):
    r = client.get("/oembed", query_string={"url": "http://localhost/embed", "format": "xml"})
    assert r.status_code == 501


# --------------------------------------------------------------------------- the generator

def test_the_generator_snippet_holds_the_filters():
    params = embed.EmbedParams.of(view="timeline", theme="dark", filters=Filters.of(
        categories=["release", "talks"], countries=["LT"], start="2025-08-01", end="2025-09-30", text="drones"))
    url, code = embed.generator("https://news.example:8050/?category=talks", params, title="Chronology, 2025")
    assert url == ("https://news.example:8050/embed?view=timeline&category=release,talks&country=LT"
                   "&from=2025-08-01&to=2025-09-30&q=drones&theme=dark")
    assert f'<iframe src="{url.replace("&", "&amp;")}"' in code
    assert 'title="Chronology, 2025"' in code and "data-timeline-embed" in code
    assert '<script src="https://news.example:8050/embed.js" async></script>' in code


def test_the_generator_without_filters_embeds_everything():
    params = embed.EmbedParams.of(view=None, filters=Filters.of(categories=None, start="not a date"))
    url, _ = embed.generator("http://127.0.0.1:8050/", params)
    assert url == "http://127.0.0.1:8050/embed"


def test_embed_parameters_and_the_dashboard_read_one_query_string_alike(app):
    search = "?view=timeline&category=RELEASE&country=lt&from=2025-09-30&to=2025-08-01&q=%20drones%20&theme=dark"
    options = app.corpus.snapshot().options
    from timeline.webapp.filters import from_search
    params = embed.params_from_search(search, options)
    assert params.filters == from_search(search, options) == Filters(
        categories=("release",), countries=("LT",), start="2025-08-01", end="2025-09-30", text="drones")
    assert params.query() == "view=timeline&category=release&country=LT&from=2025-08-01&to=2025-09-30&q=drones&theme=dark"


def test_the_scripts_are_served_from_the_package_files(client):
    loader = (embed.STATIC / "embed-loader.js").read_text(encoding="utf-8")
    served = client.get("/embed.js").get_data(as_text=True)
    assert served == loader.replace("$message", embed.MESSAGE_TYPE).replace("$request", embed.REQUEST_TYPE)
    page = client.get("/embed").get_data(as_text=True)
    assert "$" not in embed.loader_js() and "window.addEventListener(\"resize\"" in page


def test_the_dashboard_has_the_embed_code_box(client):
    layout = client.get("/_dash-layout").get_data(as_text=True)
    assert '"id": "embed-code"' in layout or '"id":"embed-code"' in layout


# --------------------------------------------------------------------------- in a browser (the `browser` fixture is in conftest)

@pytest.fixture(scope="module")
def site(app):
    with served(app.server) as url:
        yield url


@pytest.fixture
def guarded(browser):
    """Open pages in contexts whose requests to other hosts are aborted; after the test,
    fail on any such request or any console error."""
    opened = []

    def make(width: int, height: int = 900):
        context = browser.new_context(viewport={"width": width, "height": height})
        foreign, errors = [], []

        def route(r):
            url = urllib.parse.urlparse(r.request.url)
            if url.scheme in ("data", "blob", "about") or url.hostname in LOCAL_HOSTS:
                r.continue_()
            else:
                foreign.append(r.request.url)
                r.abort()

        context.route("**/*", route)
        context.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page = context.new_page()
        page.set_default_timeout(TIMEOUT_MS)
        page.on("pageerror", lambda e: errors.append(f"uncaught: {e}"))
        opened.append((context, foreign, errors))
        return page

    yield make
    for context, _, _ in opened:
        context.close()
    for _, foreign, errors in opened:
        assert foreign == [], f"requests to other hosts: {foreign}"
        assert errors == [], f"console errors: {errors}"


@pytest.mark.parametrize("width", [320, 1200])
@pytest.mark.parametrize("theme", ["light", "dark"])
def test_the_embed_renders_both_graphs_without_horizontal_scrolling(site, guarded, width, theme):
    page = guarded(width)
    page.goto(f"{site}/embed?theme={theme}")
    # First a still sketch of each graph, at the page's width, in its theme, with no plotly.js
    page.wait_for_selector("#map-graph-sketch")
    sketch = page.evaluate("""() => [...document.querySelectorAll('svg.sketch')].map(s => ({
        width: s.getBoundingClientRect().width, background: s.style.background, paths: s.querySelectorAll('path').length}))""")
    assert len(sketch) == 2 and all(0 < s["width"] <= width and s["paths"] > 0 for s in sketch), sketch
    assert all(("22, 22, 22" in s["background"]) == (theme == "dark") for s in sketch), sketch
    assert page.evaluate("() => typeof window.Plotly") == "undefined"
    assert page.evaluate("() => document.documentElement.scrollWidth") <= width
    page.mouse.move(width // 2, 200)  # the reader reaches for the chart: plotly.js draws it
    page.wait_for_selector("#timeline-graph .main-svg .cartesianlayer .point")
    page.wait_for_selector("#map-graph .main-svg .countries path")
    page.wait_for_selector("#map-graph .main-svg .scattergeo .point")
    assert page.evaluate("() => document.documentElement.scrollWidth") <= width
    for graph in ("timeline-graph", "map-graph"):
        svg_width = page.evaluate(f"() => document.querySelector('#{graph} .main-svg').getBoundingClientRect().width")
        assert 0 < svg_width <= width
    if theme == "dark":
        assert page.evaluate("() => document.getElementById('map-graph')._fullLayout.paper_bgcolor") == "#161616"


def test_a_newsroom_page_sizes_the_iframe_to_the_embed(site, guarded, app):
    _, code = embed.generator(f"{site}/", embed.EmbedParams.of(view="timeline"), title="Chronology")
    page = guarded(600)
    # The host page is served from localhost as well: the guard allows nothing else.
    page.route(f"{site}/host.html", lambda r: r.fulfill(content_type="text/html",
                                                      body=f"<!DOCTYPE html><p>Article text</p>{code}"))
    page.goto(f"{site}/host.html")
    frame = page.frame_locator("iframe[data-timeline-embed]")
    frame.locator("#timeline-graph-sketch").wait_for()
    frame.locator("#timeline-graph").hover()
    frame.locator("#timeline-graph .main-svg .cartesianlayer .point").first.wait_for()
    page.wait_for_function("""() => {
        const f = document.querySelector('iframe[data-timeline-embed]');
        const inner = f.contentDocument && f.contentDocument.documentElement;
        return inner && Math.abs(f.getBoundingClientRect().height -
                                 Math.ceil(inner.getBoundingClientRect().height)) <= 1;
    }""")


def test_the_dashboard_embed_code_follows_the_filters(site, guarded):
    page = guarded(1300)
    page.goto(f"{site}/?category=release&country=LT")
    page.wait_for_function("() => (document.querySelector('#embed-code') || {}).value"
                           " && document.querySelector('#embed-code').value.includes('category=release')")
    code = page.eval_on_selector("#embed-code", "e => e.value")
    assert f'<iframe src="{site}/embed?category=release&amp;country=LT"' in code
    assert f'<script src="{site}/embed.js" async></script>' in code
    page.get_by_label("Dark").check()
    page.wait_for_function("() => document.querySelector('#embed-code').value.includes('theme=dark')")
    assert page.get_attribute("#embed-url", "href") == f"{site}/embed?category=release&country=LT&theme=dark"
