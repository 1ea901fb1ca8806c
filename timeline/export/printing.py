"""Print: `render(frame, path, fmt=...)` draws `figures.composed_figure` with kaleido and the
system Chromium into PNG (with its DPI in the pHYs chunk), SVG or PDF at a size given in
millimetres; `Renderer` keeps one Chromium running for several files (`render_many`).

Nothing here fetches anything: the map geometry comes from `assets/topojson/` as a file://
URL, MathJax is off, and kaleido's Chromium is given a proxy that does not exist, so a stray
request fails instead of leaving the machine.
"""
from __future__ import annotations

import asyncio
import atexit
import contextlib
import io
import math
import os
import re
import threading
from collections.abc import Iterable
from pathlib import Path

import numpy as np
import pandas as pd

from timeline.errors import ExportError
from timeline.export.records import _atomic_write, default_title, VIEWS

PRINT_FORMATS: tuple[str, ...] = ("png", "svg", "pdf")

# Print limits: a page is at most a metre across; 72 dpi is screen-grade, 1200 is the
# finest any newsroom printer asks for (and 1000 mm at 1200 dpi is already 47,000 px).
MAX_MM = 1000.0
MIN_DPI, MAX_DPI = 72, 1200
CSS_DPI = 96  # SVG and PDF are laid out in CSS pixels (1/96 in), so their pages come out at size


# Height / width of the default page, by view: the map's frame (Belarus and neighbours) is
# about 1.4 times as wide as it is tall; the composed figure stacks the timeline above it.
DEFAULT_ASPECT: dict[str, float] = {"both": 0.9, "timeline": 0.5, "map": 0.72}

CHROMIUM_HINT = ("install Chromium: sudo apt-get install chromium (Debian/Ubuntu), "
                 "or set BROWSER_PATH to a Chrome or Chromium executable")
_DEAD_PROXY = "http://127.0.0.1:9"  # discard port: any http(s) request fails at once


def print_size(width_mm: float = 180, height_mm: float | None = None, dpi: int = 300,
               view: str = "both", formats: Iterable[str] = ()) -> tuple[float, float, int]:
    """The checked page size (width_mm, height_mm, dpi); height defaults to the view's aspect
    (DEFAULT_ASPECT) times the width. Raises ExportError for a size outside 0 < mm <= MAX_MM,
    a DPI outside MIN_DPI..MAX_DPI or not whole, an unknown view, and for a page too small
    for the figure in any of `formats` (png, svg, pdf)."""
    if view not in VIEWS:
        raise ExportError(f"view must be one of {', '.join(VIEWS)}, not {view!r}")
    for name, value in (("width", width_mm), ("height", height_mm)):
        if value is None and name == "height":
            continue
        if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)) \
                or not math.isfinite(value):
            raise ExportError(f"{name} must be a number of millimetres, not {value!r}")
        if not 0 < value <= MAX_MM:
            raise ExportError(f"{name} {value:g} mm is out of range: give more than 0 and at most {MAX_MM:g} mm")
    if isinstance(dpi, bool) or not isinstance(dpi, (int, np.integer)) and not (
            isinstance(dpi, (float, np.floating)) and float(dpi).is_integer()):
        raise ExportError(f"dpi must be a whole number, not {dpi!r}")
    if not MIN_DPI <= dpi <= MAX_DPI:
        raise ExportError(f"dpi {dpi} is out of range: give {MIN_DPI} to {MAX_DPI}")
    height = float(height_mm) if height_mm is not None else round(float(width_mm) * DEFAULT_ASPECT[view], 1)
    for fmt in formats:
        _figure_px(fmt, float(width_mm), height, int(dpi))
    return float(width_mm), height, int(dpi)


def pixels(mm: float, dpi: float) -> int:
    """Pixels across `mm` millimetres at `dpi`: round(mm / 25.4 * dpi); 180 mm at 300 dpi is 2126."""
    return round(mm / 25.4 * dpi)


def _figure_px(fmt: str, width_mm: float, height_mm: float, dpi: int) -> tuple[int, int]:
    # PNG: the pixels the DPI asks for. SVG and PDF: CSS pixels, which both formats take as
    # 1/96 in, so the page is the size asked; the composed figure scales type and lines with
    # its width, so every format has the same layout.
    per_inch = dpi if fmt == "png" else CSS_DPI
    w, h = pixels(width_mm, per_inch), pixels(height_mm, per_inch)
    if w < 200 or h < 150:
        need_w, need_h = math.ceil(200 / per_inch * 25.4), math.ceil(150 / per_inch * 25.4)
        unit = f"at {dpi} dpi" if fmt == "png" else "for SVG and PDF"
        raise ExportError(f"{width_mm:g} x {height_mm:g} mm is too small for the figure {unit} "
                          f"({w} x {h} px): give at least {need_w} x {need_h} mm")
    return w, h


def _print_format(path: Path, fmt: str | None) -> str:
    fmt = (fmt or path.suffix.lstrip(".")).lower()
    if fmt not in PRINT_FORMATS:
        raise ExportError(f"{path}: unknown print format {fmt or '(no extension)'!r}; use png, svg or pdf")
    return fmt


def _with_dpi(png: bytes, dpi: int) -> bytes:
    """The PNG with its resolution in the pHYs chunk (kaleido writes none)."""
    from PIL import Image

    with Image.open(io.BytesIO(png)) as image:
        out = io.BytesIO()
        image.save(out, format="PNG", dpi=(dpi, dpi), compress_level=6)
    return out.getvalue()


_SVG_ROOT = re.compile(rb'<svg\b[^>]*>')


def _svg_in_mm(svg: bytes, width_mm: float, height_mm: float) -> bytes:
    """The SVG with its root width/height in millimetres (the viewBox keeps the pixel grid),
    so layout programs place it at its print size."""
    m = _SVG_ROOT.search(svg)
    if not m or b"viewBox" not in m.group(0):
        return svg
    root = re.sub(rb'\swidth="[^"]*"', f' width="{width_mm:g}mm"'.encode(), m.group(0), count=1)
    root = re.sub(rb'\sheight="[^"]*"', f' height="{height_mm:g}mm"'.encode(), root, count=1)
    return svg[: m.start()] + root + svg[m.end():]


def topojson_url() -> str:
    """The file:// URL of the offline map geometry directory, as kaleido wants it (trailing /)."""
    from timeline.figures import OFFLINE_TOPOJSON_DIR

    return Path(OFFLINE_TOPOJSON_DIR).resolve().as_uri() + "/"


class Renderer:
    """One headless Chromium (driven by kaleido) that renders print figures, reused for
    every file rendered through it. Chromium starts at the first render and stops at
    `close()` (or the end of a `with` block, or interpreter exit).

        with Renderer() as r:
            r.render(frame, "chronology.png")
            r.render(frame, "chronology.pdf", width_mm=250)

    Renders are serialised (one at a time), so one Renderer may be shared across threads
    (e.g. by a web app's callbacks). `timeout` is the seconds allowed for one figure.
    """

    def __init__(self, *, timeout: float = 90):
        self._timeout = timeout
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._kaleido = None

    def __enter__(self) -> Renderer:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # The browser runs in an event loop of its own thread, so callers need no asyncio (and a
    # caller that already runs a loop, such as a notebook, is not disturbed).
    def _start(self) -> None:
        import kaleido
        from choreographer.errors import ChromeNotFoundError

        loop = asyncio.new_event_loop()
        thread = threading.Thread(target=loop.run_forever, name="timeline-kaleido", daemon=True)
        thread.start()

        async def open_browser():
            k = kaleido.Kaleido(n=1, timeout=self._timeout, mathjax=False, proxy_server=_DEAD_PROXY)
            await k.open()
            return k

        try:
            self._kaleido = asyncio.run_coroutine_threadsafe(open_browser(), loop).result(self._timeout + 30)
        except ChromeNotFoundError:
            self._stop_loop(loop, thread)
            env = os.environ.get("BROWSER_PATH")
            where = f" (BROWSER_PATH={env} is not a file)" if env and not Path(env).is_file() else ""
            raise ExportError(f"no Chromium found to render with{where}: {CHROMIUM_HINT}") from None
        except Exception as e:  # the browser would not start: a broken install, a missing library
            self._stop_loop(loop, thread)
            first = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
            raise ExportError(f"Chromium did not start ({first}); {CHROMIUM_HINT}") from None
        self._loop, self._thread = loop, thread
        atexit.register(self.close)

    @staticmethod
    def _stop_loop(loop: asyncio.AbstractEventLoop, thread: threading.Thread) -> None:
        loop.call_soon_threadsafe(loop.stop)
        thread.join(10)
        with contextlib.suppress(RuntimeError):
            loop.close()

    def close(self) -> None:
        """Stop Chromium; a later render starts it again."""
        with self._lock:
            if self._loop is None:
                return
            loop, thread, k = self._loop, self._thread, self._kaleido
            self._loop = self._thread = self._kaleido = None
            with contextlib.suppress(Exception):
                asyncio.run_coroutine_threadsafe(k.close(), loop).result(30)
            self._stop_loop(loop, thread)
            with contextlib.suppress(Exception):
                atexit.unregister(self.close)

    def image(self, fig, fmt: str, width_px: int, height_px: int) -> bytes:
        """The bytes kaleido renders for plotly figure `fig` (png, svg, pdf) at that size,
        scale 1, map geometry from the offline topojson. Raises ExportError."""
        with self._lock:
            if self._loop is None:
                self._start()
            opts = dict(format=fmt, width=int(width_px), height=int(height_px), scale=1)
            job = self._kaleido.calc_fig(fig, opts=opts, topojson=topojson_url())
            try:
                return asyncio.run_coroutine_threadsafe(job, self._loop).result(self._timeout + 30)
            except Exception as e:
                message = " ".join(str(e).split()) or type(e).__name__
                raise ExportError(f"rendering the {fmt.upper()} failed: {message[:300]}") from None

    def render_bytes(self, frame: pd.DataFrame, fmt: str = "png", *, width_mm: float = 180,
                     height_mm: float | None = None, dpi: int = 300, view: str = "both",
                     title: str | None = None, x_range=None, story_file=None, map_view=None) -> bytes:
        """The print figure of `frame` as PNG, SVG or PDF bytes (see `render`)."""
        if fmt not in PRINT_FORMATS:
            raise ExportError(f"unknown print format {fmt!r}; use png, svg or pdf")
        width_mm, height_mm, dpi = print_size(width_mm, height_mm, dpi, view)
        w, h = _figure_px(fmt, width_mm, height_mm, dpi)
        from timeline.figures import NO_STORY, composed_figure

        story_file = story_file or NO_STORY
        fig = composed_figure(frame, title=title or story_file.title or default_title(frame), width_px=w,
                              height_px=h, view=view, x_range=x_range or print_range(frame),
                              story_file=story_file, map_view=map_view)
        data = self.image(fig, fmt, w, h)
        if fmt == "png":
            return _with_dpi(data, dpi)
        if fmt == "svg":
            return _svg_in_mm(data, width_mm, height_mm)
        return data

    def render(self, frame: pd.DataFrame, path: str | os.PathLike, *, fmt: str | None = None,
               width_mm: float = 180, height_mm: float | None = None, dpi: int = 300,
               view: str = "both", title: str | None = None, x_range=None, story_file=None,
               map_view=None) -> Path:
        """Render the print figure of `frame` to `path` (see the module function `render`)."""
        path = Path(path)
        fmt = _print_format(path, fmt)
        return _atomic_write(path, self.render_bytes(frame, fmt, width_mm=width_mm, height_mm=height_mm,
                                                     dpi=dpi, view=view, title=title, x_range=x_range,
                                                     story_file=story_file, map_view=map_view))


def print_range(frame: pd.DataFrame, start=None, end=None) -> tuple[pd.Timestamp, pd.Timestamp] | None:
    """The time axis of a print: the whole chronology (first event's first day to the last
    event's last day, padded by 3%) unless `start`/`end` (dates or ISO strings) narrow it."""
    dated = frame[frame["dated"] & frame["date"].notna()] if len(frame) else frame
    if dated.empty and (start is None or end is None):
        return None
    lo = pd.Timestamp(start) if start is not None else dated["date"].min()
    hi = pd.Timestamp(end) if end is not None else dated["end"].max()
    pad = max((hi - lo) * 0.03, pd.Timedelta(days=1))
    return (lo - pad if start is None else lo, hi + pad if end is None else hi)


def render(frame: pd.DataFrame, path: str | os.PathLike, *, fmt: str | None = None, width_mm: float = 180,
           height_mm: float | None = None, dpi: int = 300, view: str = "both", title: str | None = None,
           x_range=None, story_file=None, map_view=None) -> Path:
    """Render the print figure of `frame` (figures.composed_figure: title, timeline and/or
    map, source and credit line) to `path` as PNG, SVG or PDF; returns the path.

    `fmt` defaults to the extension. The page is `width_mm` x `height_mm` (height default:
    DEFAULT_ASPECT of the view times the width). PNG: round(mm / 25.4 * dpi) pixels each way
    (180 mm at 300 dpi: 2126 px) and the DPI in its pHYs chunk. SVG and PDF: vector pages of
    that size in millimetres, holding the title as text; `dpi` does not apply to them. `view`:
    both, timeline or map; `title` defaults to the story file's, else `default_title(frame)`;
    `x_range` (two dates) is the time axis's window, by default the whole chronology
    (`print_range`); the map draws what `story_file` gives and opens on `map_view` as the
    dashboard's does (`figures.map_figure`). Written atomically.
    Starts (and stops) a Chromium: use `Renderer` or `render_many` for several files.

    Raises ExportError for a size out of range (0 < mm <= 1000, DPI 72..1200, or too small
    for the figure), an unknown format or view, an unwritable path, no Chromium (the message
    says how to install it) or a failed render; SchemaError for a frame missing columns.
    """
    with Renderer() as r:
        return r.render(frame, path, fmt=fmt, width_mm=width_mm, height_mm=height_mm, dpi=dpi,
                        view=view, title=title, x_range=x_range, story_file=story_file, map_view=map_view)


def render_bytes(frame: pd.DataFrame, fmt: str = "png", *, width_mm: float = 180, height_mm: float | None = None,
                 dpi: int = 300, view: str = "both", title: str | None = None, x_range=None,
                 story_file=None, map_view=None) -> bytes:
    """The print figure of `frame` as PNG, SVG or PDF bytes (a download, say); see `render`."""
    with Renderer() as r:
        return r.render_bytes(frame, fmt, width_mm=width_mm, height_mm=height_mm, dpi=dpi, view=view,
                              title=title, x_range=x_range, story_file=story_file, map_view=map_view)


def render_many(frame: pd.DataFrame, paths: Iterable[str | os.PathLike], *, width_mm: float = 180,
                height_mm: float | None = None, dpi: int = 300, view: str = "both",
                title: str | None = None, renderer: Renderer | None = None, x_range=None) -> list[Path]:
    """Render the print figure of `frame` to each of `paths` (format from each extension)
    with one Chromium session; returns the paths written. Options as for `render`. All
    options and formats are checked before Chromium starts; the first failure raises
    ExportError (files already written stay). Pass a `renderer` to reuse a running one.
    """
    paths = [Path(p) for p in paths]
    formats = [_print_format(p, None) for p in paths]
    width_mm, height_mm, dpi = print_size(width_mm, height_mm, dpi, view, formats=formats)
    own = renderer is None
    r = renderer or Renderer()
    try:
        return [r.render(frame, p, fmt=f, width_mm=width_mm, height_mm=height_mm, dpi=dpi, view=view, title=title,
                         x_range=x_range) for p, f in zip(paths, formats)]
    finally:
        if own:
            r.close()
