"""Embeds: the chronology inside other sites' pages (a newsroom's article, a CMS).

Three routes on the dashboard's Flask server (`register`):

- `GET /embed?view=timeline|map|both&category=..&country=..&actor=..&from=..&to=..&q=..&theme=light|dark&height=..&version=N`:
  the filtered chronology (of the published version N, frozen, when given; else the live story) without the dashboard around it, as `export.standalone_html`
  draws it (the map geometry inline, the chart library from this server's `/_timeline/`:
  nothing is fetched from anywhere else): a still sketch of the figures at once, the
  interactive figures once the reader reaches for them (`export.page`), sized to its
  iframe's width, with a script that posts its height to the parent page.
  Parameters that make no sense are dropped and their defaults kept (`params_from_search`).
- `GET /embed.js`: the loader a page includes next to the iframe; it sets each embed's
  height from those messages (`loader_js`, from `static/embed-loader.js`).
- `GET /oembed?url=<an /embed URL of this server>&format=json[&maxwidth=&maxheight=]`:
  oEmbed 1.0 (type "rich") for CMSs that discover embeds by URL.

The absolute URLs these answers hold (the oEmbed snippet, the embed's discovery link) are
built from the server's configured public URL (`check_public_url`), never from the request's
`Host` header: behind a shared cache, a forged Host would otherwise be served to everyone.

Only these three may be framed by other sites (`Content-Security-Policy: frame-ancestors`,
configurable, default `*`); every other response of the server (the editing app) says
`X-Frame-Options: DENY` and `frame-ancestors 'none'`.

The dashboard's embed-code generator (`generator`) builds the same URL and snippet from
the filters on screen. The scripts are files in `static/` (package data, read once), not in
the dashboard's `assets/`, which Dash would load into the dashboard page.
"""
from __future__ import annotations

import base64
import hashlib
import html
import json
import re
import string
import threading
import urllib.parse
from collections import OrderedDict
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from timeline.errors import InputError
from timeline.store.stories import NAME_PATTERN
from timeline.webapp.filters import Filters, from_search, query_value

EMBED_PATH = "/embed"
LOADER_PATH = "/embed.js"
OEMBED_PATH = "/oembed"
FRAMEABLE_PATHS = (EMBED_PATH, LOADER_PATH, OEMBED_PATH)
"""The routes other sites may frame; the rest of the server refuses to be framed."""

MESSAGE_TYPE = "timeline-embed-height"
"""The `type` of the message an embed posts to its parent: {type, height} (CSS px)."""

REQUEST_TYPE = "timeline-embed-height-request"
"""The message the loader sends to embeds that loaded before it, asking for their height."""

THEMES = ("light", "dark")
HEIGHT_RANGE = (200, 1200)
"""Allowed `height` (px, of each graph); a value outside it is ignored."""

DEFAULT_PUBLIC_URL = "http://127.0.0.1:8050/"
"""The public URL when none is configured: where `timeline serve` and `app.run()` listen by default."""

DEFAULT_WIDTH = 800
"""The width (px) an oEmbed answer states when the consumer sets no `maxwidth`."""

_CHROME_PX = 260      # title, dek and credit line around the graphs, for the height estimate
_GRAPH_PX = {"timeline": 480, "map": 520}
_CACHE_SIZE = 8       # rendered pages kept per worker


# --------------------------------------------------------------------------- parameters

@dataclass(frozen=True)
class EmbedParams:
    """What one embed shows: `view` (both, timeline, map), the `filters` (as in the
    dashboard's URL: see `filters.from_search`), `theme` (light, dark), `height` (px of
    each graph; None: the figure's own), `version` (a published version's frozen
    events; None: the live story) and `story` (a started story's name; '': the server's
    own)."""

    view: str = "both"
    filters: Filters = Filters()
    theme: str = "light"
    height: int | None = None
    version: int | None = None
    story: str = ""

    @classmethod
    def of(cls, *, view=None, filters: Filters | None = None, theme=None, height=None,
           version=None, story: str = "") -> EmbedParams:
        """Params from raw values (component values or URL strings) and `filters`; each
        value that is not allowed falls back to its default."""
        from timeline.export import VIEWS

        return cls(view=view if view in VIEWS else "both", filters=filters or Filters(),
                   theme=theme if theme in THEMES else "light", height=_height(height), version=_version(version),
                   story=story if isinstance(story, str) and NAME_PATTERN.fullmatch(story) else "")

    def query(self) -> str:
        """The canonical query string (no leading '?'): only what differs from the defaults."""
        pairs = [("story", self.story), ("view", self.view if self.view != "both" else ""),
                 *self.filters.query_pairs(),
                 ("theme", self.theme if self.theme != "light" else ""),
                 ("height", str(self.height) if self.height else ""),
                 ("version", str(self.version) if self.version else "")]
        return urllib.parse.urlencode([(k, v) for k, v in pairs if v], safe=",")


def _height(value) -> int | None:
    try:
        h = int(str(value).strip())
    except (TypeError, ValueError):
        return None
    return h if HEIGHT_RANGE[0] <= h <= HEIGHT_RANGE[1] else None


def _version(value) -> int | None:
    text = str(value or "").strip()
    return int(text) if text.isascii() and text.isdigit() and 0 < len(text) <= 9 and int(text) > 0 else None


def params_from_search(search: str | None, options) -> EmbedParams:
    """`EmbedParams` from a query string such as '?view=map&country=LT&theme=dark'.
    `options` (a `corpus.Options`) says which categories, countries and actors exist:
    values not on offer, dates that are not dates, an unknown view or theme and a
    height out of HEIGHT_RANGE are dropped, never an error."""
    def one(name: str) -> str:
        return query_value(search, name).casefold()

    return EmbedParams.of(view=one("view"), filters=from_search(search, options), theme=one("theme"),
                          height=one("height"), version=one("version"), story=story_of(search))


def story_of(search: str | None) -> str:
    """The `story` a query string names ('' for none, or for a name no story can have)."""
    name = query_value(search, "story")
    return name if NAME_PATTERN.fullmatch(name) else ""


def filtered(corpus, params: EmbedParams):
    """(snapshot, the frame `params` filter out of it), sharing the dashboard's cache: of
    the live story, or of the published version `params.version` (frame None when the
    story has no such version)."""
    if params.version is None:
        return corpus.select(params.filters)
    from timeline.webapp.filters import filter_frame

    snap = corpus.snapshot()
    frozen = corpus.published(params.version)
    if frozen is None:
        return snap, None
    return snap, corpus.filtered(snap, ("version", params.version, params.filters),
                                 lambda: filter_frame(frozen, params.filters))


def estimated_height(params: EmbedParams) -> int:
    """The iframe height (px) to start from, before the page reports its own."""
    views = ("timeline", "map") if params.view == "both" else (params.view,)
    return _CHROME_PX + sum(params.height or _GRAPH_PX[v] for v in views)


# --------------------------------------------------------------------------- snippets

def embed_url(base: str, params: EmbedParams) -> str:
    """The absolute /embed URL of `params` on the server at `base` ('https://host/')."""
    query = params.query()
    return urllib.parse.urljoin(base, EMBED_PATH.lstrip("/")) + (f"?{query}" if query else "")


def snippet(url: str, *, title: str, height: int, max_width: int | None = None) -> str:
    """The HTML a page pastes: the iframe of the embed at `url` (full width, or at most
    `max_width` px; `height` px until the page reports its own) and the loader script
    from the same server."""
    loader = urllib.parse.urljoin(url, LOADER_PATH)
    width_css = f"width:100%;max-width:{int(max_width)}px" if max_width else "width:100%"
    e = html.escape
    return (f'<iframe src="{e(url)}" title="{e(title)}" data-timeline-embed height="{int(height)}" '
            f'style="{width_css};height:{int(height)}px;border:0" loading="lazy"></iframe>\n'
            f'<script src="{e(loader)}" async></script>')


def generator(href: str | None, params: EmbedParams, *, title: str = "Chronology") -> tuple[str, str]:
    """The dashboard's embed code: (the /embed URL, the iframe + script snippet) of
    `params` (the view, filters and theme on screen). `href` is the page's own URL (the
    embed is on the same server); without one the URL is relative."""
    parts = urllib.parse.urlsplit(href or "")
    base = f"{parts.scheme}://{parts.netloc}/" if parts.scheme in ("http", "https") and parts.netloc else "/"
    url = embed_url(base, params)
    return url, snippet(url, title=title, height=estimated_height(params))


# --------------------------------------------------------------------------- the page

_EMBED_CSS = """
main { max-width: none; padding: 8px; }
h1 { font-size: 1.15rem; }
@media (max-width: 480px) { main { padding: 4px; } h1 { font-size: 1rem; } }
"""

_DARK_CSS = """
body { background: #161616; color: #E6E6E6; }
.dek, .credit, cite, .event-list summary { color: #AAAAAA; }
"""

# The dark theme's figure colours, applied in the browser over the light figures.
_DARK_TIMELINE = {"paper_bgcolor": "#161616", "plot_bgcolor": "#161616", "font.color": "#E6E6E6",
                  "xaxis.gridcolor": "#333333", "xaxis.rangeslider.bgcolor": "#222222",
                  "xaxis.rangeselector.bgcolor": "#333333", "xaxis.rangeselector.activecolor": "#555555",
                  "hoverlabel.bgcolor": "#222222", "hoverlabel.font.color": "#E6E6E6"}
_DARK_MAP = {"paper_bgcolor": "#161616", "font.color": "#E6E6E6", "geo.bgcolor": "#161616",
             "geo.landcolor": "#2B2B2B", "geo.oceancolor": "#1B2833", "geo.lakecolor": "#1B2833",
             "geo.countrycolor": "#8A8A8A", "legend.bgcolor": "rgba(22,22,22,0.8)",
             "hoverlabel.bgcolor": "#222222", "hoverlabel.font.color": "#E6E6E6"}
_DARK_TEXT = "#CCCCCC"  # annotations and marker labels, drawn dark grey on the light figures

NARROW_PX = 600
"""Below this width the timeline leaves out its event labels (hover still names each event):
the figure places them for a wide plot, and on a phone they cover the markers."""

STATIC = Path(__file__).resolve().parent / "static"
"""The embeds' scripts: templates whose $names are filled in (`string.Template`)."""


@cache
def _script(name: str) -> string.Template:
    return string.Template((STATIC / name).read_text(encoding="utf-8"))


@cache
def page_code() -> str:
    """A digest of what an embed page holds besides its data: the chart library it loads
    (by its hashed name) and the page's scripts. Part of the page's ETag, so a browser never
    keeps a page pointing at a library this server no longer has."""
    from timeline.export import page
    from timeline.webapp.library import embed_src

    parts = [embed_src(), page._DRAW_JS, page._START_LIGHT, page._sketch_js(), (STATIC / "embed-page.js").read_text("utf-8")]
    return hashlib.sha1("\0".join(parts).encode()).hexdigest()


@cache
def loader_js() -> str:
    """The script /embed.js serves: it sets each embed's iframe to the height the embed
    posts (`static/embed-loader.js`)."""
    return _script("embed-loader.js").substitute(message=MESSAGE_TYPE, request=REQUEST_TYPE)


_GRAPH_DIV = re.compile(r'(<div id="(?:timeline|map)-graph" class="graph" style="height:)(\d+)(px")')


def embed_page(frame, params: EmbedParams, *, oembed_href: str | None = None, snap=None) -> str:
    """The /embed page of `frame` (already filtered) for `params`: `export.standalone_html`
    (the map geometry inline, the chart library loaded from this server: `library.py`, so
    a second embed costs a reader's browser only its figures) made chrome-free and fluid,
    in the theme asked for, with each graph `params.height` px tall if given, the oEmbed
    discovery link (`oembed_href`) and the script posting its height to the parent. With
    the corpus state `snap` (a `corpus.Snapshot`), the title, map view and overlays are the
    dashboard's: its story file's, its whole story's view."""
    from timeline.export import default_title, standalone_html
    from timeline.webapp.library import embed_src

    title = snap.title(frame) if snap is not None else default_title(frame)
    page = standalone_html(frame, title=title, view=params.view, library_src=embed_src(), light=True,
                           story_file=snap.story_file if snap is not None else None,
                           map_view=snap.map_view if snap is not None else None)
    if params.height:
        page = _GRAPH_DIV.sub(lambda m: f"{m[1]}{params.height}{m[3]}", page, count=2)
    head = f"<style>{_EMBED_CSS}{_DARK_CSS if params.theme == 'dark' else ''}</style>\n"
    if oembed_href:
        head += (f'<link rel="alternate" type="application/json+oembed" href="{html.escape(oembed_href)}" '
                 f'title="{html.escape(title)}">\n')
    options = {"height": params.height, "dark": params.theme == "dark", "darkTimeline": _DARK_TIMELINE,
               "darkMap": _DARK_MAP, "darkText": _DARK_TEXT}
    # The hooks the page's drawing calls (`window.timelinePage`): set before the page draws.
    script = _script("embed-page.js").substitute(options=json.dumps(options), message=MESSAGE_TYPE,
                                                 request=REQUEST_TYPE, narrow=NARROW_PX)
    page = page.replace("</head>", head + "</head>", 1)
    at = page.rindex("</main>") + len("</main>\n")
    return page[:at] + f"<script>\n{script}</script>\n" + page[at:]


def content_security_policy(page: str) -> str:
    """The scripts a page may run: its own inline scripts (by their SHA-256) and this
    server's files; no plugins, no other base URL."""
    hashes = " ".join(inline_script_hashes(page))
    return f"script-src 'self' {hashes}".strip() + "; object-src 'none'; base-uri 'self'; form-action 'self'"


def inline_script_hashes(page: str) -> list[str]:
    """CSP sources ('sha256-...') of the inline scripts of the HTML `page` (not those with
    a src, nor JSON data blocks), in one pass."""
    out, at = [], 0
    while (start := page.find("<script", at)) >= 0:
        tag_end = page.find(">", start)
        end = page.find("</script>", tag_end) if tag_end >= 0 else -1
        if end < 0:
            break
        tag = page[start:tag_end + 1]
        if " src=" not in tag and "application/json" not in tag:
            digest = hashlib.sha256(page[tag_end + 1:end].encode("utf-8")).digest()
            out.append(f"'sha256-{base64.b64encode(digest).decode()}'")
        at = end + len("</script>")
    return out


# --------------------------------------------------------------------------- oEmbed

def oembed(url: str, *, base: str, corpus_of, maxwidth=None, maxheight=None) -> dict | None:
    """The oEmbed 1.0 answer (type "rich") for the embed at `url`, or None when `url` is
    not an /embed URL of the server at `base` ('http://host/') of a story `corpus_of`
    knows (see `register`). `maxwidth`/`maxheight` (px, as the consumer sends them;
    nonsense ignored) cap the stated size."""
    parts, home = urllib.parse.urlsplit(url or ""), urllib.parse.urlsplit(base)
    if (parts.scheme not in ("http", "https") or parts.netloc.casefold() != home.netloc.casefold()
            or parts.path != home.path.rstrip("/") + EMBED_PATH):
        return None
    corpus = corpus_of(query_value(parts.query, "story"))
    if corpus is None:
        return None
    params = params_from_search(parts.query, corpus.snapshot().options)
    snap, frame = filtered(corpus, params)
    if frame is None:
        return None
    width, height = DEFAULT_WIDTH, estimated_height(params)
    cap_w, cap_h = _positive(maxwidth), _positive(maxheight)
    width = min(width, cap_w) if cap_w else width
    height = min(height, cap_h) if cap_h else height
    canonical = embed_url(base, params)
    title = snap.title(frame)
    return {"type": "rich", "version": "1.0", "title": title, "provider_name": "timeline", "provider_url": base,
            "width": width, "height": height,
            "html": snippet(canonical, title=title, height=height, max_width=cap_w and width)}


def _positive(value) -> int | None:
    try:
        n = int(str(value).strip())
    except (TypeError, ValueError):
        return None
    return n if n > 0 else None


# --------------------------------------------------------------------------- the routes

def check_frame_ancestors(value: str) -> str:
    """`value` as a CSP frame-ancestors source list ('*', "'self' https://news.example"),
    white space normalised. Raises InputError when it is empty or could end the header
    or the directive (';', ',', a line break)."""
    text = " ".join(str(value or "").split())
    if not text or any(c in str(value) for c in ";,\r\n"):
        raise InputError(f"embed frame-ancestors must be a space-separated list of sources such as '*' or "
                         f"\"'self' https://news.example\", not {value!r}")
    return text


def check_public_url(value: str) -> str:
    """`value` as the server's public base URL ('https://news.example/chronology/'), ending
    in '/'. Raises InputError unless it is an absolute http(s) URL with a host and without
    query, fragment or white space."""
    text = str(value or "").strip()
    parts = urllib.parse.urlsplit(text)
    if (parts.scheme not in ("http", "https") or not parts.hostname or parts.query or parts.fragment
            or any(c.isspace() for c in text) or "@" in parts.netloc):
        raise InputError(f"the public URL must be an absolute http(s) address such as "
                         f"https://news.example/chronology/, not {value!r}")
    return text if text.endswith("/") else text + "/"


def register(server, corpus_of, *, frame_ancestors: str = "*", public_url: str = DEFAULT_PUBLIC_URL) -> None:
    """Add /embed, /embed.js and /oembed to the Flask `server`, reading the corpus
    `corpus_of(story)` gives for the `story` of the query ('' for the server's own; None
    when there is no such story: a 404). The absolute URLs of /embed and /oembed start with
    `public_url` (the address readers reach the server at). Raises InputError for a bad
    `frame_ancestors` or `public_url`."""
    from flask import Response, abort, jsonify, request

    check_frame_ancestors(frame_ancestors)
    base = check_public_url(public_url)
    cache: OrderedDict = OrderedDict()
    lock = threading.Lock()

    @server.route(EMBED_PATH)
    def embed():
        search = request.query_string.decode("utf-8", "replace")
        corpus = corpus_of(query_value(search, "story"))
        if corpus is None:
            abort(404, "no such story")
        snap = corpus.snapshot()
        params = params_from_search(search, snap.options)
        oembed_href = (urllib.parse.urljoin(base, OEMBED_PATH.lstrip("/")) + "?"
                       + urllib.parse.urlencode({"url": embed_url(base, params), "format": "json"}))
        key = hashlib.sha1(repr((id(corpus), snap.version, params, oembed_href, page_code())).encode()).hexdigest()
        with lock:
            cached = cache.get(key)
        if cached is None:
            _, frame = filtered(corpus, params)
            if frame is None:
                abort(404, f"no published version {params.version} of this story")
            page = embed_page(frame, params, oembed_href=oembed_href, snap=snap)
            cached = (page, content_security_policy(page))
            with lock:
                cache[key] = cached
                while len(cache) > _CACHE_SIZE:
                    cache.popitem(last=False)
        page, policy = cached
        response = Response(page, mimetype="text/html")
        response.set_etag(key)
        response.headers["Cache-Control"] = "no-cache"  # revalidate: the corpus may change
        # Set here, not after: a 304 carries the same policy, and a browser that keeps the
        # page also keeps the headers of its revalidation.
        response.headers["Content-Security-Policy"] = policy
        return response.make_conditional(request)

    @server.route(LOADER_PATH)
    def loader():
        response = Response(loader_js(), mimetype="text/javascript")
        response.headers["Cache-Control"] = "public, max-age=3600"
        return response

    @server.route(OEMBED_PATH)
    def oembed_route():
        if request.args.get("format", "json") != "json":
            abort(501)
        answer = oembed(request.args.get("url", ""), base=base, corpus_of=corpus_of,
                        maxwidth=request.args.get("maxwidth"), maxheight=request.args.get("maxheight"))
        if answer is None:
            abort(404)
        return jsonify(answer)


def forbid_framing(server, frame_ancestors: str = "*") -> None:
    """Framing headers on every response of the Flask `server`: the embeds' routes may be
    framed by `frame_ancestors` (a CSP source list), nothing else by anyone."""
    from flask import request

    ancestors = check_frame_ancestors(frame_ancestors)

    @server.after_request
    def framing(response):
        policy = response.headers.get("Content-Security-Policy")
        if request.path in FRAMEABLE_PATHS:
            framing = f"frame-ancestors {ancestors}"
        else:
            response.headers["X-Frame-Options"] = "DENY"
            framing = "frame-ancestors 'none'"
        response.headers["Content-Security-Policy"] = f"{policy}; {framing}" if policy else framing
        return response
