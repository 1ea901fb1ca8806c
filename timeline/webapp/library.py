"""The chart library's route: one URL per build of plotly.js (`export.plotlyjs`), named by
its digest and cached by browsers for good, loaded by the dashboard (in place of Dash's
own copy of plotly.js) and by every /embed.

    GET /_timeline/plotly-<version>-<kind>-<digest>.min.js

The encodings made at build time (brotli, gzip) are sent as they are, by the browser's
Accept-Encoding (its q-values respected), so no worker compresses 1.7 MB per request.
"""
from __future__ import annotations

from timeline.export.plotlyjs import ChartLibrary, chart_library

LIBRARY_PREFIX = "/_timeline/"
IMMUTABLE = "public, max-age=31536000, immutable"


def library_url(prefix: str = "/") -> str:
    """The library's URL under the app's path `prefix` ('/' or '/chronology/')."""
    return prefix.rstrip("/") + LIBRARY_PREFIX + chart_library().name


def embed_src() -> str:
    """The library's URL relative to /embed (a page at the app's root path, whatever it is)."""
    return LIBRARY_PREFIX.lstrip("/") + chart_library().name


def chosen_encoding(library: ChartLibrary, accept_encodings) -> str | None:
    """The encoding to send: the one of the library's the browser rates highest (br before
    gzip at equal rating), None for the plain script when it accepts none of them.
    `accept_encodings` is werkzeug's parsed Accept-Encoding header."""
    rated = [(accept_encodings[name], -i, name) for i, name in enumerate(library.encoded)]
    q, _, name = max(rated, default=(0, 0, None))
    return name if q > 0 else None


def register(server) -> None:
    """Add the library's route to the Flask `server`."""
    from flask import Response, abort, request

    @server.route(LIBRARY_PREFIX + "<name>")
    def chart_library_script(name: str):
        library = chart_library()
        if name != library.name:
            abort(404)
        encoding = chosen_encoding(library, request.accept_encodings)
        body = library.encoded[encoding] if encoding else library.script
        response = Response(body, mimetype="text/javascript")
        if encoding:
            response.headers["Content-Encoding"] = encoding  # flask-compress leaves an encoded answer alone
        response.headers["Vary"] = "Accept-Encoding"
        response.headers["Cache-Control"] = IMMUTABLE
        response.set_etag(f"{library.digest[:32]}-{encoding or 'identity'}")
        return response.make_conditional(request)
