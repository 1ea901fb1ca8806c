"""The chart library every page loads: a small plotly.js holding only the trace types the
figures draw, or plotly's full build when the small one has not been built.

`make` builds the small one from the plotly.js package with npm (`js/build.mjs`, trace
types in `js/traces.json`) into `plotly_bundle/` beside this module: the minified script,
its brotli and gzip encodings made once at build time, and `manifest.json` (plotly.js
version, trace types, SHA-256). It is used only when its version is the one the installed
plotly package writes figures for and its digest matches; otherwise `chart_library()`
falls back to plotly's own full bundle, so a page always draws.

The dashboard and /embed load it from one URL named by its digest (`ChartLibrary.name`),
served with `Cache-Control: immutable`: a second embed costs the browser nothing more. The
standalone page inlines it (it must work from disk).
"""
from __future__ import annotations

import gzip
import hashlib
import json
import logging
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

BUNDLE_DIR = Path(__file__).resolve().parent / "plotly_bundle"
"""Where `make` writes the small bundle (js/build.mjs)."""

@dataclass(frozen=True)
class ChartLibrary:
    """One build of plotly.js: its script, that script in the content encodings it is kept
    in (`encoded`: br and gzip, or gzip alone), the plotly.js `version`, the trace types it
    draws (`traces`; None: all of plotly's) and `digest` (SHA-256 of the script)."""

    script: bytes
    version: str
    traces: frozenset[str] | None
    digest: str
    encoded: dict[str, bytes] = field(default_factory=dict, repr=False)

    @property
    def name(self) -> str:
        """The file name it is served under: changes whenever the script does."""
        kind = "timeline" if self.traces is not None else "full"
        return f"plotly-{self.version}-{kind}-{self.digest[:16]}.min.js"

    def text(self) -> str:
        """The script as text, for inlining into a page."""
        return self.script.decode("utf-8")


def plotly_version() -> str:
    """The plotly.js version the installed plotly package writes figures for."""
    from plotly.offline import get_plotlyjs_version

    return get_plotlyjs_version()


def small_bundle(folder: Path = BUNDLE_DIR) -> ChartLibrary | None:
    """The small bundle in `folder`, or None when it is missing, incomplete, built for
    another plotly.js version than the installed plotly's, or its script does not match its
    manifest's digest."""
    try:
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
        script = (folder / "plotly.min.js").read_bytes()
        encoded = {"br": (folder / "plotly.min.js.br").read_bytes(),
                   "gzip": (folder / "plotly.min.js.gz").read_bytes()}
        version, traces, digest = str(manifest["plotlyjs"]), manifest["traces"], str(manifest["sha256"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if version != plotly_version() or hashlib.sha256(script).hexdigest() != digest:
        return None
    return ChartLibrary(script, version, frozenset(map(str, traces)), digest, encoded)


def full_bundle() -> ChartLibrary:
    """plotly's own full build (every trace type), gzip-encoded here (brotli at the size
    of plotly's full build would cost each worker seconds at start-up)."""
    from plotly.offline import get_plotlyjs

    script = get_plotlyjs().encode("utf-8")
    return ChartLibrary(script, plotly_version(), None, hashlib.sha256(script).hexdigest(),
                        {"gzip": gzip.compress(script, 6)})


@cache
def chart_library() -> ChartLibrary:
    """The library pages load: the small bundle when it is built and current, else plotly's
    full build (4.8 MB: pages still draw, heavier; a warning says so once)."""
    built = small_bundle()
    if built is None:
        logging.getLogger(__name__).warning(
            "the small chart bundle in %s is missing or stale: pages load plotly's full build (run `make install`)",
            BUNDLE_DIR)
        return full_bundle()
    return built
